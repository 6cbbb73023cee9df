import { Link } from "react-router";
import type { SubmissionSummary } from "../../api/models";
import { SubmissionStateBadge } from "../../components/VerdictBadge";
import { formatScore } from "./format";

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return "—";
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}

export function reopenHref(s: Pick<SubmissionSummary, "id" | "problem" | "language">): string {
  return `/problems/${encodeURIComponent(s.problem)}?submission=${s.id}&lang=${encodeURIComponent(s.language)}`;
}

interface Props {
  rows: SubmissionSummary[];
  showProblem?: boolean;
  showUser?: boolean;
  onShowResults?: (id: number) => void;
}

export function SubmissionTable({ rows, showProblem = true, showUser = false, onShowResults }: Props) {
  if (rows.length === 0) return <p className="empty">No submissions yet.</p>;
  return (
    <div className="table-wrap">
      <table className="submissions" data-testid="submission-table">
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">When</th>
            {showUser && <th scope="col">User</th>}
            {showProblem && <th scope="col">Problem</th>}
            <th scope="col">Language</th>
            <th scope="col">Result</th>
            <th scope="col">Score</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((s) => (
            <tr key={s.id} data-status={s.status} data-verdict={s.verdict ?? ""}>
              <td>
                <Link to={`/submissions/${s.id}`}>{s.id}</Link>
              </td>
              <td>{formatDate(s.created_at)}</td>
              {showUser && <td>{s.user}</td>}
              {showProblem && (
                <td>
                  <Link to={`/problems/${encodeURIComponent(s.problem)}`}>{s.problem}</Link>
                </td>
              )}
              <td>{s.language}</td>
              <td>
                <SubmissionStateBadge status={s.status} verdict={s.verdict} />
              </td>
              <td>{s.status === "judged" || s.status === "awaiting_gpu" ? formatScore(s.score, s.max_score) : "—"}</td>
              <td className="actions">
                {onShowResults ? (
                  <button
                    type="button"
                    className="link-button"
                    onClick={() => onShowResults(s.id)}
                    aria-label={`Results of submission #${s.id}`}
                  >
                    Results
                  </button>
                ) : (
                  <Link to={`/submissions/${s.id}`} aria-label={`Results of submission #${s.id}`}>
                    Results
                  </Link>
                )}{" "}
                <Link to={reopenHref(s)} aria-label={`Open in editor: submission #${s.id}`}>
                  Open in editor
                </Link>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
