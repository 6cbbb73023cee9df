/**
 * Folds the submission snapshot (GET) and the SSE stream into one view.
 *
 * Events and the snapshot can arrive in any order and the stream may replay
 * tests after a reconnect, so every action is idempotent: tests are keyed by
 * name (first-seen order kept), and a judged submission never goes back to running.
 */
import type { SubmissionPublic, SubmissionStatus, TestResult } from "../../api/models";

export interface ResultsState {
  status: SubmissionStatus;
  tests: TestResult[];
  submission: SubmissionPublic | null;
  /** A stream or polling problem worth telling the learner about; judging may still finish. */
  error: string | null;
}

export type ResultsAction =
  | { type: "snapshot"; submission: SubmissionPublic }
  | { type: "test"; test: TestResult }
  | { type: "status"; status: SubmissionStatus }
  | { type: "done"; submission: SubmissionPublic }
  | { type: "error"; message: string };

export const initialResults: ResultsState = { status: "queued", tests: [], submission: null, error: null };

const STATUS_RANK: Record<SubmissionStatus, number> = { queued: 0, running: 1, awaiting_gpu: 2, judged: 3 };

function later(a: SubmissionStatus, b: SubmissionStatus): SubmissionStatus {
  return STATUS_RANK[b] > STATUS_RANK[a] ? b : a;
}

function mergeTests(current: TestResult[], incoming: TestResult[]): TestResult[] {
  if (incoming.length === 0) return current;
  const next = [...current];
  const index = new Map(next.map((t, i) => [t.name, i]));
  for (const test of incoming) {
    const at = index.get(test.name);
    if (at === undefined) {
      index.set(test.name, next.length);
      next.push(test);
    } else {
      next[at] = test;
    }
  }
  return next;
}

export function resultsReducer(state: ResultsState, action: ResultsAction): ResultsState {
  switch (action.type) {
    case "snapshot": {
      const status = later(state.status, action.submission.status);
      const submission =
        state.submission?.status === "judged" && action.submission.status !== "judged"
          ? state.submission
          : action.submission;
      return { ...state, status, submission, tests: mergeTests(state.tests, action.submission.tests ?? []) };
    }
    case "test":
      return { ...state, status: later(state.status, "running"), tests: mergeTests(state.tests, [action.test]) };
    case "status":
      return { ...state, status: later(state.status, action.status) };
    case "done":
      return {
        ...state,
        status: action.submission.status === "awaiting_gpu" ? "awaiting_gpu" : "judged",
        submission: action.submission,
        tests: mergeTests(state.tests, action.submission.tests ?? []),
        error: null,
      };
    case "error":
      return state.status === "judged" ? state : { ...state, error: action.message };
  }
}
