import { describe, expect, it } from "vitest";
import { formatKb, formatMs, formatScore, formatValue, lineDiff } from "./format";

describe("format", () => {
  it("formats resources", () => {
    expect(formatMs(12)).toBe("12 ms");
    expect(formatMs(1500)).toBe("1.50 s");
    expect(formatKb(0)).toBe("—");
    expect(formatKb(2048)).toBe("2.0 MB");
    expect(formatScore(50, 100)).toBe("50 / 100");
    expect(formatScore(null, 100)).toBe("—");
  });

  it("formats tensor feedback numbers and shapes", () => {
    expect(formatValue(3.2e-7)).toBe("3.200e-7");
    expect(formatValue(0.5)).toBe("0.5000");
    expect(formatValue([4, 16])).toBe("(4, 16)");
    expect(formatValue([4])).toBe("(4,)");
  });

  it("diffs expected and actual output line by line", () => {
    const rows = lineDiff("1\n2\n3\n", "1\n5\n");
    expect(rows.map((r) => r.same)).toEqual([true, false, false]);
    expect(rows[2]).toMatchObject({ expected: "3", actual: null });
  });
});
