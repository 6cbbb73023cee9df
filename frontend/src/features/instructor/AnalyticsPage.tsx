/** What instructors learn: per problem, attempts, solve rate, time to first AC, the tests
 * learners fail most and which hints fired how often (the common misconceptions). */
import { Link } from "react-router";
import type { ProblemAnalytics } from "../../api/models";
import { useAnalytics } from "../../api/queries";
import { QueryView } from "../../components/QueryState";
import { VerdictBadge } from "../../components/VerdictBadge";
import { InstructorGate } from "./InstructorPage";

export function formatDuration(seconds: number | null | undefined): string {
  if (seconds == null) return "—";
  if (seconds < 60) return `${Math.round(seconds)} s`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
  if (seconds < 86400) return `${(seconds / 3600).toFixed(1)} h`;
  return `${(seconds / 86400).toFixed(1)} d`;
}

export function AnalyticsPage() {
  const analytics = useAnalytics();
  return (
    <InstructorGate>
      <div className="page">
        <p className="breadcrumb">
          <Link to="/instructor">Instructor</Link> /
        </p>
        <h1>Analytics</h1>
        <p className="muted">Submissions only: runs are not recorded.</p>
        <QueryView query={analytics} label="Loading analytics…">
          {(list) => (
            <>
              <Overview rows={list.data} />
              {list.data
                .filter((p) => p.attempts > 0)
                .map((p) => (
                  <ProblemDetail key={p.slug} stats={p} />
                ))}
            </>
          )}
        </QueryView>
      </div>
    </InstructorGate>
  );
}

function Overview({ rows }: { rows: ProblemAnalytics[] }) {
  return (
    <div className="table-wrap">
      <table className="analytics" data-testid="analytics">
        <thead>
          <tr>
            <th scope="col">Problem</th>
            <th scope="col" className="num">
              Attempts
            </th>
            <th scope="col" className="num">
              Learners
            </th>
            <th scope="col" className="num">
              Solve rate
            </th>
            <th scope="col" className="num">
              Time to first AC
            </th>
            <th scope="col" className="num">
              Tries to first AC
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((p) => (
            <tr key={p.slug} data-slug={p.slug}>
              <td>
                <a href={`#analytics-${p.slug}`}>{p.name}</a>
              </td>
              <td className="num">{p.attempts}</td>
              <td className="num">{p.learners}</td>
              <td className="num">{p.solve_rate == null ? "—" : `${Math.round(p.solve_rate * 100)}%`}</td>
              <td className="num">{formatDuration(p.median_time_to_ac_s)}</td>
              <td className="num">{p.median_attempts_to_ac ?? "—"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function ProblemDetail({ stats }: { stats: ProblemAnalytics }) {
  return (
    <section className="analytics-problem" id={`analytics-${stats.slug}`} data-slug={stats.slug}>
      <h2>
        <Link to={`/problems/${stats.slug}`}>{stats.name}</Link>
      </h2>
      <div className="analytics-columns">
        <div>
          <h3>Tests failed most</h3>
          {stats.failing_tests.length === 0 ? (
            <p className="muted">No failed tests.</p>
          ) : (
            <table className="compact">
              <tbody>
                {stats.failing_tests.map((t) => (
                  <tr key={t.name}>
                    <td>
                      <code>{t.name}</code>
                    </td>
                    <td className="num">
                      {t.failures} submission{t.failures === 1 ? "" : "s"}, {t.learners} learner
                      {t.learners === 1 ? "" : "s"}
                    </td>
                    <td>
                      {Object.entries(t.verdicts).map(([v, n]) => (
                        <span key={v} className="verdict-count">
                          <VerdictBadge verdict={v as never} /> {n}
                        </span>
                      ))}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
        <div>
          <h3>Hints that fired</h3>
          {stats.hints.length === 0 ? (
            <p className="muted">No hint has fired yet.</p>
          ) : (
            <ul className="hint-stats" data-testid="hint-stats">
              {stats.hints.map((h) => (
                <li key={h.hint}>
                  <strong>{h.fired}×</strong> ({h.learners} learner{h.learners === 1 ? "" : "s"}): {h.hint}
                </li>
              ))}
            </ul>
          )}
        </div>
      </div>
    </section>
  );
}
