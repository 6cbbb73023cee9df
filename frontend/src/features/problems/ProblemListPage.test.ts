import { describe, expect, it } from "vitest";
import type { ProblemSummary } from "../../api/models";
import { filterProblems } from "./ProblemListPage";
import { withoutTitle } from "./statement";

function problem(slug: string, name: string, tags: string[]): ProblemSummary {
  return { slug, name, tags, type: "stdio", difficulty: "easy", visibility: "public", solved: false, attempted: false };
}

const all = [
  problem("largest-connected-region", "Largest connected region", ["graphs", "bfs"]),
  problem("layernorm-forward", "LayerNorm forward", ["numpy", "normalization"]),
  problem("rmsnorm-backward", "RMSNorm backward", ["numpy", "gradients"]),
];

describe("filterProblems", () => {
  it("matches the search in names, slugs and tags, case-insensitively", () => {
    expect(filterProblems(all, "NORM", "").map((p) => p.slug)).toEqual(["layernorm-forward", "rmsnorm-backward"]);
    expect(filterProblems(all, "bfs", "").map((p) => p.slug)).toEqual(["largest-connected-region"]);
    expect(filterProblems(all, "  ", "")).toHaveLength(3);
  });

  it("filters by exact tag and combines with the search", () => {
    expect(filterProblems(all, "", "numpy")).toHaveLength(2);
    expect(filterProblems(all, "backward", "numpy").map((p) => p.slug)).toEqual(["rmsnorm-backward"]);
    expect(filterProblems(all, "", "num")).toHaveLength(0);
  });
});

describe("filterProblems by track", () => {
  it("keeps the track's problems in track order", () => {
    const tracked: ProblemSummary[] = [
      problem("largest-connected-region", "Largest connected region", []),
      { ...problem("rmsnorm-backward", "RMSNorm backward", []), track: { id: "norm", position: 2 } },
      { ...problem("layernorm-forward", "LayerNorm forward", []), track: { id: "norm", position: 1 } },
    ];
    expect(filterProblems(tracked, "", "", "norm").map((p) => p.slug)).toEqual([
      "layernorm-forward",
      "rmsnorm-backward",
    ]);
    expect(filterProblems(tracked, "", "", "")).toHaveLength(3);
  });
});

describe("withoutTitle", () => {
  it("drops a leading level-1 heading only", () => {
    expect(withoutTitle("# Title\n\nBody")).toBe("\nBody");
    expect(withoutTitle("## Section\nBody")).toBe("## Section\nBody");
    expect(withoutTitle("Body\n# Later")).toBe("Body\n# Later");
  });
});
