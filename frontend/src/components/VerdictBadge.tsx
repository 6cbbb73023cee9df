/** Verdict and status badges: colour plus the full name on hover, so colour is never the only signal. */
import type { SubmissionStatus, Verdict } from "../api/models";

export const VERDICT_NAMES: Record<Verdict, string> = {
  AC: "Accepted",
  WA: "Wrong answer",
  TLE: "Time limit exceeded",
  MLE: "Memory limit exceeded",
  OLE: "Output limit exceeded",
  RE: "Run-time error",
  CE: "Compile error",
  IE: "Internal error",
};

export function verdictTone(verdict: string): "good" | "bad" | "warn" | "neutral" {
  if (verdict === "AC") return "good";
  if (verdict === "WA" || verdict === "RE" || verdict === "CE") return "bad";
  if (verdict === "TLE" || verdict === "MLE" || verdict === "OLE") return "warn";
  return "neutral";
}

export function VerdictBadge({ verdict }: { verdict: string | null | undefined }) {
  if (!verdict) return <span className="badge tone-neutral">—</span>;
  const name = (VERDICT_NAMES as Record<string, string | undefined>)[verdict] ?? verdict;
  return (
    <span className={`badge verdict tone-${verdictTone(verdict)}`} title={name} data-verdict={verdict}>
      {verdict}
      <span className="visually-hidden"> ({name})</span>
    </span>
  );
}

const STATUS_LABEL: Record<SubmissionStatus, string> = {
  queued: "Queued",
  running: "Running",
  judged: "Judged",
};

export function StatusBadge({ status }: { status: SubmissionStatus }) {
  return (
    <span className={`badge status status-${status}`} data-status={status}>
      {status !== "judged" && <span className="spinner" aria-hidden="true" />}
      {STATUS_LABEL[status]}
    </span>
  );
}

/** The verdict once judged, the progress state before. */
export function SubmissionStateBadge({ status, verdict }: { status: SubmissionStatus; verdict: string | null }) {
  return status === "judged" ? <VerdictBadge verdict={verdict} /> : <StatusBadge status={status} />;
}
