/**
 * Provisional hand-written shapes from docs/api.md; replaced by aliases of the
 * generated schema once the backend's OpenAPI is available.
 */
export type Verdict = "AC" | "WA" | "TLE" | "MLE" | "OLE" | "RE" | "CE" | "IE";
export type ProblemType = "stdio" | "function" | "tensor" | "kernel";
export type SubmissionStatus = "queued" | "running" | "judged";
export type Role = "learner" | "instructor" | "admin";

export interface UserPublic { id: number; username: string; role: Role }
export interface ProblemSummary {
  slug: string; name: string; type: ProblemType; difficulty: string; tags: string[];
  visibility: string; solved: boolean; attempted: boolean;
}
export interface Sample { name: string; input: string; output: string }
export interface Language { id: string; name: string; editor_mode: string }
export interface ProblemDetail {
  slug: string; name: string; type: ProblemType; difficulty: string; tags: string[];
  statement_md: string; samples: Sample[]; limits: { time_s: number; memory_mb: number };
  languages: Language[]; templates: Record<string, string>; editorial_md: string | null;
  version: string; visibility: string;
}
export interface TestResult {
  name: string; group: string; verdict: Verdict; time_ms: number; memory_kb: number;
  visible: boolean; message: string; feedback: Record<string, unknown>;
  input?: string | null; expected?: string | null; actual?: string | null; stderr?: string | null;
}
export interface GroupResult { name: string; verdict: Verdict; score: number; max_score: number }
export interface SubmissionPublic {
  id: number; problem: string; language: string; user: string; status: SubmissionStatus;
  verdict: Verdict | null; score: number | null; max_score: number | null; created_at: string;
  judged_at: string | null; tests: TestResult[]; groups: GroupResult[]; compile_output: string;
  message: string; source: string;
}
export interface TokenPublic { id: number; name: string; scopes: string[]; created_at: string }
export interface TokenCreated extends TokenPublic { token: string }
export interface ProblemVersionPublic { slug: string; version: string; content_hash: string; report: unknown }
export interface LeaderboardRow { user: string; speedup: number; gbps: number; gpu: string; submission_id: number }
export interface ListOf<T> { data: T[]; count: number }
