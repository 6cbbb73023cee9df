/**
 * Turns a test's numeric `feedback` into labelled items. Tensor problems nest one
 * record per output (`{y: {shape, max_abs_err, ...}}`); the facts a learner needs
 * first (shape and dtype mistakes, the size of the error) come first, anything
 * unrecognised still shows, after them.
 */
import { feedbackLabel, formatValue } from "./format";

export interface FeedbackItem {
  label: string;
  value: string;
  /** Marks a mismatch worth drawing the eye to (wrong shape or dtype). */
  alert?: boolean;
}

export interface FeedbackGroup {
  /** The output's name for tensor feedback; null for top-level facts. */
  output: string | null;
  items: FeedbackItem[];
}

const ORDER = [
  "shape",
  "dtype",
  "max_abs_err",
  "max_rel_err",
  "mismatched",
  "first_mismatch",
  "expected_value",
  "actual_value",
  "nonfinite",
  "rtol",
  "atol",
];
const CONSUMED = new Set([...ORDER, "expected_shape", "expected_dtype", "total"]);
const HIDDEN = new Set(["wall_ms", "hint_source"]); // the judge's own clock (shown as Time); which known mistake (the hint says it)

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function outputItems(record: Record<string, unknown>): FeedbackItem[] {
  const items: FeedbackItem[] = [];
  for (const key of ORDER) {
    if (!(key in record)) continue;
    const value = record[key];
    if (key === "shape" || key === "dtype") {
      const expected = record[`expected_${key}`];
      const wrong = expected !== undefined && !same(expected, value);
      items.push({
        label: key,
        value: wrong ? `${formatValue(value)} (expected ${formatValue(expected)})` : formatValue(value),
        alert: wrong,
      });
    } else if (key === "mismatched") {
      const total = record.total;
      items.push({
        label: "mismatched",
        value: total !== undefined ? `${formatValue(value)} of ${formatValue(total)}` : formatValue(value),
      });
    } else if (key === "nonfinite") {
      if (value !== 0) items.push({ label: "NaN/inf values", value: formatValue(value), alert: true });
    } else {
      items.push({ label: feedbackLabel(key), value: formatValue(value) });
    }
  }
  for (const [key, value] of Object.entries(record)) {
    if (CONSUMED.has(key) || HIDDEN.has(key) || isRecord(value)) continue;
    items.push({ label: feedbackLabel(key), value: formatValue(value) });
  }
  return items;
}

export function describeFeedback(feedback: Record<string, unknown> | undefined | null): FeedbackGroup[] {
  if (!feedback) return [];
  const groups: FeedbackGroup[] = [];
  const top = outputItems(feedback);
  if (top.length > 0) groups.push({ output: null, items: top });
  for (const [key, value] of Object.entries(feedback)) {
    if (isRecord(value)) groups.push({ output: key, items: outputItems(value) });
  }
  return groups;
}
