import { describe, expect, it } from "vitest";
import { describeFeedback } from "./feedback";

describe("describeFeedback", () => {
  it("lists a tensor output's error summary in reading order", () => {
    const groups = describeFeedback({
      wall_ms: 314,
      y: {
        expected_shape: [2, 5],
        shape: [2, 5],
        expected_dtype: "float64",
        dtype: "float64",
        rtol: 1e-7,
        atol: 1e-9,
        nonfinite: 0,
        max_abs_err: 0.16351062818191053,
        max_rel_err: 0.1866,
        mismatched: 10,
        total: 10,
        first_mismatch: [0, 0],
      },
    });
    expect(groups).toHaveLength(1);
    expect(groups[0]?.output).toBe("y");
    const items = groups[0]?.items ?? [];
    expect(items.map((i) => i.label).slice(0, 6)).toEqual([
      "shape",
      "dtype",
      "max abs error",
      "max rel error",
      "mismatched",
      "first mismatch at",
    ]);
    expect(items.find((i) => i.label === "shape")).toEqual({ label: "shape", value: "(2, 5)", alert: false });
    expect(items.find((i) => i.label === "max abs error")?.value).toBe("0.1635");
    expect(items.find((i) => i.label === "mismatched")?.value).toBe("10 of 10");
    expect(items.some((i) => i.label.includes("NaN"))).toBe(false);
  });

  it("flags shape and dtype mistakes and non-finite values", () => {
    const [group] = describeFeedback({
      dx: { shape: [4, 8], expected_shape: [4, 16], dtype: "float32", expected_dtype: "float64", nonfinite: 3 },
    });
    const byLabel = Object.fromEntries((group?.items ?? []).map((i) => [i.label, i]));
    expect(byLabel.shape).toMatchObject({ value: "(4, 8) (expected (4, 16))", alert: true });
    expect(byLabel.dtype).toMatchObject({ value: "float32 (expected float64)", alert: true });
    expect(byLabel["NaN/inf values"]).toMatchObject({ value: "3", alert: true });
  });

  it("keeps unknown top-level facts and hides the judge's wall clock", () => {
    const groups = describeFeedback({ wall_ms: 50, first_diff_token: 1 });
    expect(groups).toEqual([{ output: null, items: [{ label: "first diff token", value: "1" }] }]);
    expect(describeFeedback({})).toEqual([]);
    expect(describeFeedback(undefined)).toEqual([]);
  });
});
