// @vitest-environment jsdom
import { cleanup, render, screen, within } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import type { LeaderboardRow, TestResult } from "../../api/models";
import { initialResults, resultsReducer } from "../submissions/resultsReducer";
import { KernelTimingTable, timingRows } from "./KernelTimingTable";
import { byGpu } from "./LeaderboardPage";

afterEach(cleanup);

function row(name: string, feedback: Record<string, unknown>, verdict: TestResult["verdict"] = "AC"): TestResult {
  return { name, group: "timing", verdict, time_ms: 0, memory_kb: 0, visible: false, message: "", feedback };
}

const shape = row("timing/4096x8192-float16", {
  fwd_ms: 0.05,
  bwd_ms: 0.1,
  combined_ms: 0.15,
  combined_spread_ms: [0.149, 0.152],
  shape_speedup: 2.5,
  speedup_ci: [2.4, 2.6],
  shape_gbps: 3800,
  pct_peak: 79.2,
  gpu: "NVIDIA H200",
});
const score = row("timing/score", { speedup: 2.5, gbps: 3800, gpu: "NVIDIA H200" });
const sample: TestResult = { ...row("sample/01", {}), group: "sample" };

describe("KernelTimingTable", () => {
  it("shows one row per timed shape with speedup, interval, bandwidth and % of peak", () => {
    render(<KernelTimingTable tests={[sample, shape, score]} />);
    const table = screen.getByTestId("kernel-timing");
    expect(within(table).getByText(/on NVIDIA H200/)).toBeTruthy();
    expect(within(table).getByText(/score 2\.500×/)).toBeTruthy();
    const cells = within(table).getByText("4096x8192-float16").closest("tr");
    expect(cells?.textContent).toContain("2.50× [2.40, 2.60]");
    expect(cells?.textContent).toContain("3800");
    expect(cells?.textContent).toContain("79.2%");
    expect(cells?.textContent).toContain("50.0 µs");
  });

  it("keeps only timing rows, not the score or correctness tests", () => {
    expect(timingRows([sample, shape, score]).map((t) => t.name)).toEqual(["timing/4096x8192-float16"]);
  });
});

describe("awaiting GPU", () => {
  it("is a settled state that keeps the verdict and is not overtaken by running", () => {
    const submission = {
      id: 1,
      status: "awaiting_gpu",
      verdict: "AC",
      tests: [sample],
    } as unknown as Parameters<typeof resultsReducer>[1] extends { submission: infer S } ? S : never;
    const done = resultsReducer(initialResults, { type: "done", submission });
    expect(done.status).toBe("awaiting_gpu");
    expect(resultsReducer(done, { type: "status", status: "running" }).status).toBe("awaiting_gpu");
  });
});

describe("byGpu", () => {
  it("groups leaderboard rows by GPU model, keeping the API's ranking", () => {
    const rows: LeaderboardRow[] = [
      { user: "bob", speedup: 2.4, gbps: 3000, gpu: "NVIDIA H100", submission_id: 4 },
      { user: "alice", speedup: 1.9, gbps: 3000, gpu: "NVIDIA H200", submission_id: 2 },
      { user: "bob", speedup: 1.5, gbps: null, gpu: "NVIDIA H200", submission_id: 3 },
    ];
    expect(byGpu(rows).map(([gpu, r]) => [gpu, r.map((x) => x.user)])).toEqual([
      ["NVIDIA H100", ["bob"]],
      ["NVIDIA H200", ["alice", "bob"]],
    ]);
  });
});

describe("KernelTimingTable history", () => {
  const entry = (change: number | null, best: number | null) => ({
    shape: "4096x8192-float16",
    combined_ms: 0.15,
    speedup: 2.5,
    previous_best_speedup: best,
    previous_best_ms: best === null ? null : 0.2,
    previous_best_submission_id: best === null ? null : 3,
    change,
  });

  it("marks each shape improved or regressed against the previous best", () => {
    render(<KernelTimingTable tests={[shape, score]} history={[entry(0.25, 2.0)]} />);
    const cells = screen.getByText("4096x8192-float16").closest("tr");
    expect(cells?.textContent).toContain("▲ 25.0% vs best 2.00×");
    expect(cells?.querySelector(".trend-improved")).toBeTruthy();
    cleanup();
    render(<KernelTimingTable tests={[shape, score]} history={[entry(-0.1, 2.78)]} />);
    expect(screen.getByText("4096x8192-float16").closest("tr")?.textContent).toContain("▼ 10.0% vs best 2.78×");
  });

  it("says first timing without a previous best, and leaves the column out without history", () => {
    render(<KernelTimingTable tests={[shape, score]} history={[entry(null, null)]} />);
    expect(screen.getByText("first timing")).toBeTruthy();
    cleanup();
    render(<KernelTimingTable tests={[shape, score]} />);
    expect(screen.queryByText("vs previous best")).toBeNull();
  });
});
