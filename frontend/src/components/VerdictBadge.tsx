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
  awaiting_gpu: "Awaiting GPU",
};

/** Statuses that carry a verdict: `awaiting_gpu` is a kernel submission judged correct
 * on CPU whose timing waits for a GPU judgehost. */
export function isSettled(status: SubmissionStatus): boolean {
  return status === "judged" || status === "awaiting_gpu";
}

export function StatusBadge({ status }: { status: SubmissionStatus }) {
  return (
    <span className={`badge status status-${status}`} data-status={status}>
      {!isSettled(status) && <span className="spinner" aria-hidden="true" />}
      {STATUS_LABEL[status]}
    </span>
  );
}

/** The verdict once judged, the progress state before; both while timing awaits a GPU. */
export function SubmissionStateBadge({ status, verdict }: { status: SubmissionStatus; verdict: string | null }) {
  if (status === "awaiting_gpu") {
    return (
      <>
        <VerdictBadge verdict={verdict} /> <StatusBadge status={status} />
      </>
    );
  }
  return status === "judged" ? <VerdictBadge verdict={verdict} /> : <StatusBadge status={status} />;
}
