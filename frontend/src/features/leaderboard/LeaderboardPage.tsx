import { Link, useParams } from "react-router";
import type { LeaderboardRow } from "../../api/models";
import { useLeaderboard, useProblems } from "../../api/queries";
import { QueryView } from "../../components/QueryState";

/** Rows grouped by GPU model, in the API's order (ranked within each model). */
export function byGpu(rows: LeaderboardRow[]): [string, LeaderboardRow[]][] {
  const groups = new Map<string, LeaderboardRow[]>();
  for (const row of rows) {
    const key = row.gpu ?? "unknown GPU";
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  return [...groups.entries()];
}

export function LeaderboardPage() {
  const { slug = "" } = useParams();
  const board = useLeaderboard(slug);
  return (
    <div className="page">
      <h1>
        Leaderboard: <Link to={`/problems/${slug}`}>{slug}</Link>
      </h1>
      <p className="muted">
        Each user's best verified submission per GPU model, ranked by its score: the geometric mean of its speedups over
        the reference implementation. Speedups on different GPUs are not compared.
      </p>
      <QueryView query={board} label="Loading leaderboard…">
        {(rows) =>
          rows.data.length === 0 ? (
            <p className="empty">No timed submissions yet. Kernel timings need a GPU judge.</p>
          ) : (
            byGpu(rows.data).map(([gpu, entries]) => (
              <section key={gpu} className="table-wrap" data-gpu={gpu}>
                <h2>{gpu}</h2>
                <table className="leaderboard">
                  <thead>
                    <tr>
                      <th scope="col" className="num">
                        Rank
                      </th>
                      <th scope="col">User</th>
                      <th scope="col" className="num">
                        Speedup
                      </th>
                      <th scope="col" className="num">
                        GB/s
                      </th>
                      <th scope="col">Submission</th>
                    </tr>
                  </thead>
                  <tbody>
                    {entries.map((r, i) => (
                      <tr key={`${r.user}-${r.submission_id}`}>
                        <td className="num">{i + 1}</td>
                        <td>{r.user}</td>
                        <td className="num">{r.speedup.toFixed(2)}×</td>
                        <td className="num">{r.gbps == null ? "—" : r.gbps.toFixed(0)}</td>
                        <td>
                          <Link to={`/submissions/${r.submission_id}`}>#{r.submission_id}</Link>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </section>
            ))
          )
        }
      </QueryView>
    </div>
  );
}

export function LeaderboardIndexPage() {
  const problems = useProblems();
  return (
    <div className="page">
      <h1>Leaderboards</h1>
      <QueryView query={problems}>
        {(list) => {
          const kernels = list.data.filter((p) => p.type === "kernel");
          return kernels.length === 0 ? (
            <p className="empty">No GPU kernel problems yet.</p>
          ) : (
            <ul className="link-list">
              {kernels.map((p) => (
                <li key={p.slug}>
                  <Link to={`/problems/${p.slug}/leaderboard`}>{p.name}</Link>
                </li>
              ))}
            </ul>
          );
        }}
      </QueryView>
    </div>
  );
}
