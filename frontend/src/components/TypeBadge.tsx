import type { ProblemType } from "../api/models";

const LABEL: Record<string, string> = {
  stdio: "Algorithm",
  function: "Algorithm",
  tensor: "ML",
  kernel: "GPU kernel",
  interactive: "Interactive",
};

export function typeLabel(type: ProblemType | string): string {
  return LABEL[type] ?? type;
}

export function TypeBadge({ type }: { type: ProblemType | string }) {
  return <span className={`badge type type-${type === "function" ? "stdio" : type}`}>{typeLabel(type)}</span>;
}
