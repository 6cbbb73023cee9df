/** Small formatters for results: numbers as a reader wants them, diffs line by line. */

export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return "—";
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms} ms`;
}

export function formatKb(kb: number | null | undefined): string {
  if (!kb) return "—";
  return kb >= 1024 ? `${(kb / 1024).toFixed(1)} MB` : `${kb} KB`;
}

export function formatScore(score: number | null | undefined, max: number | null | undefined): string {
  if (score === null || score === undefined) return "—";
  const fmt = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(2));
  return max ? `${fmt(score)} / ${fmt(max)}` : fmt(score);
}

export function formatValue(value: unknown): string {
  if (typeof value === "number") {
    if (Number.isInteger(value)) return String(value);
    const abs = Math.abs(value);
    return abs !== 0 && (abs < 1e-3 || abs >= 1e5) ? value.toExponential(3) : value.toPrecision(4);
  }
  // Shapes and indices read like Python tuples, (4,) included.
  if (Array.isArray(value))
    return value.length === 1 ? `(${formatValue(value[0])},)` : `(${value.map(formatValue).join(", ")})`;
  if (value === null || value === undefined) return "—";
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

/** "max_abs_err" -> "max abs err"; known keys get their proper names. */
const FEEDBACK_LABELS: Record<string, string> = {
  max_abs_err: "max abs error",
  max_abs_error: "max abs error",
  max_rel_err: "max rel error",
  max_rel_error: "max rel error",
  shape: "shape",
  expected_shape: "expected shape",
  dtype: "dtype",
  expected_dtype: "expected dtype",
  first_mismatch: "first mismatch at",
};

export function feedbackLabel(key: string): string {
  return FEEDBACK_LABELS[key] ?? key.replace(/_/g, " ");
}

export interface DiffRow {
  line: number;
  expected: string | null;
  actual: string | null;
  same: boolean;
}

/** Positional line diff: checkers compare line by line, so that is what the learner needs to see. */
export function lineDiff(expected: string, actual: string): DiffRow[] {
  const split = (s: string) => {
    const lines = s.replace(/\r\n/g, "\n").split("\n");
    if (lines.length > 1 && lines[lines.length - 1] === "") lines.pop();
    return lines;
  };
  const a = split(expected);
  const b = split(actual);
  const rows: DiffRow[] = [];
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const e = a[i] ?? null;
    const g = b[i] ?? null;
    rows.push({ line: i + 1, expected: e, actual: g, same: e !== null && g !== null && e.trimEnd() === g.trimEnd() });
  }
  return rows;
}
