import type { ProblemType } from "../api/models";

const LABEL: Record<ProblemType, string> = {
  stdio: "Algorithm",
  function: "Algorithm",
  tensor: "ML",
  kernel: "GPU kernel",
  interactive: "Interactive",
};

export function typeLabel(type: ProblemType): string {
  return LABEL[type];
}

export function TypeBadge({ type }: { type: ProblemType }) {
  return <span className={`badge type type-${type === "function" ? "stdio" : type}`}>{typeLabel(type)}</span>;
}
