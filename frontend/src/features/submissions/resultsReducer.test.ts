import { describe, expect, it } from "vitest";
import type { SubmissionPublic, TestResult } from "../../api/models";
import { initialResults, type ResultsAction, type ResultsState, resultsReducer } from "./resultsReducer";

function test(name: string, verdict: TestResult["verdict"] = "AC"): TestResult {
  return {
    name,
    group: name.split("/")[0] ?? "",
    verdict,
    time_ms: 5,
    memory_kb: 1000,
    visible: false,
    message: "",
    feedback: {},
  };
}

function submission(
  status: SubmissionPublic["status"],
  tests: TestResult[] = [],
  verdict: SubmissionPublic["verdict"] = null,
): SubmissionPublic {
  return {
    id: 1,
    problem: "p",
    language: "python",
    user: "u",
    status,
    verdict,
    score: null,
    max_score: null,
    created_at: "2026-01-01T00:00:00Z",
    judged_at: null,
    tests,
    groups: [],
    compile_output: "",
    message: "",
    source: "",
    problem_version: 1,
  } as SubmissionPublic;
}

const run = (actions: ResultsAction[], from: ResultsState = initialResults) => actions.reduce(resultsReducer, from);

describe("resultsReducer", () => {
  it("starts queued with no tests", () => {
    expect(initialResults.status).toBe("queued");
    expect(initialResults.tests).toEqual([]);
  });

  it("appends tests in arrival order and moves to running", () => {
    const state = run([
      { type: "test", test: test("sample/01") },
      { type: "test", test: test("big/01", "WA") },
    ]);
    expect(state.status).toBe("running");
    expect(state.tests.map((t) => [t.name, t.verdict])).toEqual([
      ["sample/01", "AC"],
      ["big/01", "WA"],
    ]);
  });

  it("replaces a replayed test instead of duplicating it", () => {
    const state = run([
      { type: "test", test: test("a", "WA") },
      { type: "test", test: test("b") },
      { type: "test", test: test("a", "AC") },
    ]);
    expect(state.tests.map((t) => `${t.name}:${t.verdict}`)).toEqual(["a:AC", "b:AC"]);
  });

  it("takes the final submission on done, merging its tests", () => {
    const final = submission("judged", [test("a"), test("b", "TLE")], "TLE");
    const state = run([
      { type: "test", test: test("a") },
      { type: "done", submission: final },
    ]);
    expect(state.status).toBe("judged");
    expect(state.submission?.verdict).toBe("TLE");
    expect(state.tests.map((t) => t.name)).toEqual(["a", "b"]);
  });

  it("never goes back from judged when a stale snapshot or status arrives", () => {
    const judged = run([{ type: "done", submission: submission("judged", [test("a")], "AC") }]);
    const after = run(
      [
        { type: "snapshot", submission: submission("running") },
        { type: "status", status: "queued" },
      ],
      judged,
    );
    expect(after.status).toBe("judged");
    expect(after.submission?.status).toBe("judged");
    expect(after.submission?.verdict).toBe("AC");
  });

  it("does not go back from running to queued", () => {
    const state = run([
      { type: "status", status: "running" },
      { type: "snapshot", submission: submission("queued") },
    ]);
    expect(state.status).toBe("running");
  });

  it("keeps errors only while judging is unfinished", () => {
    const running = run([
      { type: "status", status: "running" },
      { type: "error", message: "stream closed" },
    ]);
    expect(running.error).toBe("stream closed");
    const done = run([{ type: "done", submission: submission("judged", [], "AC") }], running);
    expect(done.error).toBeNull();
    expect(run([{ type: "error", message: "late" }], done).error).toBeNull();
  });
});
