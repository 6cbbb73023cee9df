/** React Query hooks: one per API call the screens make, so caching keys live in one file. */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import { ApiError, api, CSRF_COOKIE, readCookie } from "./client";
import type {
  KernelHistoryList,
  LeaderboardList,
  ProblemAnalyticsList,
  ProblemDetail,
  ProblemList,
  ProblemVersionPublic,
  RunCreate,
  RunPublic,
  SubmissionCreate,
  SubmissionList,
  SubmissionPublic,
  TokenCreated,
  TokenList,
  TrackDetail,
  TrackList,
  UserPublic,
} from "./models";

export const keys = {
  me: ["me"] as const,
  problems: ["problems"] as const,
  problem: (slug: string) => ["problems", slug] as const,
  statement: (slug: string, lang: string) => ["problems", slug, "statement", lang] as const,
  leaderboard: (slug: string) => ["leaderboard", slug] as const,
  kernelHistory: (slug: string, after: number) => ["kernel-history", slug, after] as const,
  submissions: (filter: SubmissionFilter) => ["submissions", filter] as const,
  submission: (id: number) => ["submission", id] as const,
  tokens: ["tokens"] as const,
  tracks: ["tracks"] as const,
  track: (id: string) => ["tracks", id] as const,
  analytics: ["analytics"] as const,
};

export function useMe() {
  return useQuery({
    queryKey: keys.me,
    queryFn: async (): Promise<UserPublic | null> => {
      // Login sets a readable CSRF cookie beside the HttpOnly session; without it
      // there is no session, and asking would only log a 401 in the console.
      if (!readCookie(CSRF_COOKIE, document.cookie)) return null;
      try {
        return await api<UserPublic>("/auth/me");
      } catch (error) {
        if (error instanceof ApiError && (error.status === 401 || error.status === 403)) {
          // biome-ignore lint/suspicious/noDocumentCookie: the Cookie Store API is missing in Firefox and Safari
          document.cookie = `${CSRF_COOKIE}=; Max-Age=0; Path=/; SameSite=Lax`;
          return null;
        }
        throw error;
      }
    },
    staleTime: 60_000,
  });
}

export function isInstructor(user: UserPublic | null | undefined): boolean {
  return user?.role === "instructor" || user?.role === "admin";
}

export function useLogin(kind: "login" | "register") {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: { username: string; password: string }) => api<UserPublic>(`/auth/${kind}`, { json: body }),
    onSuccess: (user) => {
      client.setQueryData(keys.me, user);
      void client.invalidateQueries({ predicate: (q) => q.queryKey[0] !== "me" });
    },
  });
}

export function useLogout() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => api<null>("/auth/logout", { method: "POST" }),
    onSuccess: () => {
      client.setQueryData(keys.me, null);
      client.removeQueries({ predicate: (q) => q.queryKey[0] !== "me" });
    },
  });
}

export function useProblems() {
  return useQuery({
    queryKey: keys.problems,
    queryFn: () => api<ProblemList>("/problems"),
  });
}

export function useProblem(slug: string) {
  return useQuery({
    queryKey: keys.problem(slug),
    queryFn: () => api<ProblemDetail>(`/problems/${encodeURIComponent(slug)}`),
  });
}

/** The problem as served with `?lang=`, for its statement in that language; idle for null. */
export function useStatement(slug: string, lang: string | null) {
  return useQuery({
    queryKey: keys.statement(slug, lang ?? ""),
    queryFn: () => api<ProblemDetail>(`/problems/${encodeURIComponent(slug)}?lang=${encodeURIComponent(lang ?? "")}`),
    enabled: lang !== null,
    select: (detail) => detail.statement_md,
  });
}

export function useSetVisibility(slug: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (visibility: string) =>
      api<ProblemDetail>(`/problems/${encodeURIComponent(slug)}`, { method: "PATCH", json: { visibility } }),
    onSuccess: (detail) => {
      client.setQueryData(keys.problem(slug), detail);
      void client.invalidateQueries({ queryKey: keys.problems });
    },
  });
}

export function useUploadPackage() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (file: File) => {
      const form = new FormData();
      form.append("file", file, file.name);
      return api<ProblemVersionPublic>("/problems", { form });
    },
    onSuccess: () => void client.invalidateQueries({ queryKey: keys.problems }),
  });
}

export function useLeaderboard(slug: string) {
  return useQuery({
    queryKey: keys.leaderboard(slug),
    queryFn: () => api<LeaderboardList>(`/problems/${encodeURIComponent(slug)}/leaderboard`),
  });
}

/** Kernel problems: the caller's timed submissions per shape against their previous best.
 * Keyed by the submission shown too: one judged since the last read is in a fresh one. */
export function useKernelHistory(slug: string, submissionId: number, enabled = true) {
  return useQuery({
    queryKey: keys.kernelHistory(slug, submissionId),
    queryFn: () => api<KernelHistoryList>(`/problems/${encodeURIComponent(slug)}/history`),
    enabled,
  });
}

export interface SubmissionFilter {
  problem?: string;
  user?: string;
  limit?: number;
  offset?: number;
}

export function useSubmissions(filter: SubmissionFilter, enabled = true) {
  return useQuery({
    queryKey: keys.submissions(filter),
    queryFn: () => api<SubmissionList>("/submissions", { query: { ...filter } }),
    enabled,
    // The list shows queued/running rows; refresh while any is unfinished.
    refetchInterval: (query) => (query.state.data?.data.some((s) => s.status !== "judged") ? 2000 : false),
  });
}

export function useSubmission(id: number) {
  return useQuery({
    queryKey: keys.submission(id),
    queryFn: () => api<SubmissionPublic>(`/submissions/${id}`),
  });
}

export function useSubmit() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: SubmissionCreate & { key: string }) =>
      api<SubmissionPublic>("/submissions", {
        json: { problem: body.problem, language: body.language, source: body.source },
        headers: { "Idempotency-Key": body.key },
      }),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ["submissions"] });
    },
  });
}

/** The body of `POST /runs` (the generated `RunCreate`). */
export type RunRequest = RunCreate;

/** A run is not a submission: nothing to invalidate, history and solved marks never see it. */
export function useRun() {
  return useMutation({
    mutationFn: (body: RunRequest) => api<RunPublic>("/runs", { json: body }),
  });
}

export function useTracks() {
  return useQuery({
    queryKey: keys.tracks,
    queryFn: () => api<TrackList>("/tracks"),
  });
}

export function useTrack(id: string) {
  return useQuery({
    queryKey: keys.track(id),
    queryFn: () => api<TrackDetail>(`/tracks/${encodeURIComponent(id)}`),
  });
}

export function useAnalytics() {
  return useQuery({
    queryKey: keys.analytics,
    queryFn: () => api<ProblemAnalyticsList>("/analytics/problems"),
  });
}

/** Once a submission is judged, what depends on verdicts is stale: the solved and attempted
 * marks, the editorial (shown after solving), the history lists. */
export function useRefreshAfterVerdict(submissionId: number | null, judged: boolean) {
  const client = useQueryClient();
  useEffect(() => {
    if (submissionId === null || !judged) return;
    void client.invalidateQueries({ queryKey: keys.problems });
    void client.invalidateQueries({ queryKey: keys.tracks });
    void client.invalidateQueries({ queryKey: ["submissions"] });
  }, [client, submissionId, judged]);
}

export function useTokens() {
  return useQuery({
    queryKey: keys.tokens,
    queryFn: () => api<TokenList>("/tokens"),
    select: (data) => data.data,
  });
}

export function useCreateToken() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: { name: string; scopes: string[] }) => api<TokenCreated>("/tokens", { json: body }),
    onSuccess: () => void client.invalidateQueries({ queryKey: keys.tokens }),
  });
}

export function useRevokeToken() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => api<null>(`/tokens/${id}`, { method: "DELETE" }),
    onSuccess: () => void client.invalidateQueries({ queryKey: keys.tokens }),
  });
}
