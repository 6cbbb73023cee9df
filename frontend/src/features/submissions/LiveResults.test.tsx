// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import type { SubmissionPublic, TestResult } from "../../api/models";
import { LiveResults } from "./LiveResults";
import { initialResults, type ResultsState } from "./resultsReducer";

afterEach(cleanup);

const sample: TestResult = {
  name: "sample/01",
  group: "sample",
  verdict: "WA",
  time_ms: 12,
  memory_kb: 2048,
  visible: true,
  message: "token 1 differs",
  feedback: {},
  input: "4 5\n",
  expected: "6\n",
  actual: "3\n",
  stderr: "",
};
const hidden: TestResult = {
  name: "large/01",
  group: "large",
  verdict: "AC",
  time_ms: 1500,
  memory_kb: 100,
  visible: false,
  message: "",
  feedback: {},
  input: null,
  expected: null,
  actual: null,
  stderr: null,
};

function judged(extra: Partial<SubmissionPublic>): SubmissionPublic {
  return {
    id: 3,
    problem: "p",
    language: "cpp",
    user: "u",
    status: "judged",
    verdict: "WA",
    score: 40,
    max_score: 100,
    created_at: "2026-01-01T00:00:00Z",
    judged_at: "2026-01-01T00:00:01Z",
    tests: [],
    groups: [],
    compile_output: "",
    message: "",
    source: "",
    problem_version: 1,
    ...extra,
  } as SubmissionPublic;
}

describe("LiveResults", () => {
  it("offers no diff for a sample the API marks binary, whatever its placeholder says", () => {
    const npz: TestResult = {
      ...sample,
      input: "(an .npz)",
      expected: "(an .npz)",
      actual: "(another .npz)",
      stderr: "",
      input_view: { binary: true, size: 900 },
      expected_view: { binary: true, size: 900 },
      actual_view: { binary: true, size: 800 },
    };
    const state: ResultsState = { ...initialResults, status: "running", tests: [npz] };
    render(<LiveResults state={state} />);
    expect(screen.queryByTestId("diff")).toBeNull();
    expect(screen.queryByRole("button", { name: "Hide output" })).toBeNull();
  });

  it("shows the queued state before any result", () => {
    render(<LiveResults state={initialResults} />);
    expect(screen.getByTestId("results").dataset.status).toBe("queued");
    expect(screen.getByText("Waiting for a judge…")).toBeTruthy();
  });

  it("shows rows while running, with a diff for a failed sample and none for hidden tests", () => {
    const state: ResultsState = { ...initialResults, status: "running", tests: [sample, hidden] };
    const { container } = render(<LiveResults state={state} />);
    expect(screen.getByText("2 tests judged so far")).toBeTruthy();
    expect(container.querySelectorAll("tr[data-test]")).toHaveLength(2);
    const diff = screen.getByTestId("diff");
    const cells = [...diff.querySelectorAll("tr.differs td")].map((td) => td.textContent);
    expect(cells).toEqual(["1", "6", "3"]);
    expect(screen.getByText("1.50 s")).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Hide output" }));
    expect(screen.queryByTestId("diff")).toBeNull();
  });

  it("shows verdict, score, subtasks and the compiler message once judged", () => {
    const submission = judged({
      verdict: "CE",
      score: 0,
      compile_output: "main.cpp:2: error: expected ';'",
      groups: [{ name: "small", verdict: "CE", score: 0, max_score: 40 }],
    });
    const state: ResultsState = { ...initialResults, status: "judged", submission };
    render(<LiveResults state={state} />);
    expect(screen.getByTestId("results").dataset.verdict).toBe("CE");
    expect(screen.getByText("Compile error", { selector: ".verdict-name" })).toBeTruthy();
    expect(screen.getByText("main.cpp:2: error: expected ';'")).toBeTruthy();
    expect(screen.getByText("0 / 40")).toBeTruthy();
    expect(screen.getByText("Score 0 / 100")).toBeTruthy();
  });

  it("shows a failed test's hint on its row and once in the summary", () => {
    const hint = "your variance divides by D - 1; LayerNorm uses the biased one";
    const tests = [
      { ...sample, hint },
      { ...hidden, name: "large/02", verdict: "WA" as const, hint },
      { ...hidden, hint: null },
    ];
    const state: ResultsState = { ...initialResults, status: "running", tests };
    render(<LiveResults state={state} />);
    expect(screen.getAllByTestId("hint")).toHaveLength(2);
    const summary = screen.getByTestId("hint-summary");
    expect(summary.querySelectorAll("li")).toHaveLength(1);
    expect(summary.textContent).toContain(hint);
  });

  it("shows no hint summary when nothing failed with a hint", () => {
    render(<LiveResults state={{ ...initialResults, status: "running", tests: [{ ...hidden, hint: "x" }] }} />);
    expect(screen.queryByTestId("hint-summary")).toBeNull();
  });
});
