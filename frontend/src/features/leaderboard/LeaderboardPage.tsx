import { Link, useParams } from "react-router";
import { useLeaderboard, useProblems } from "../../api/queries";
import { QueryView } from "../../components/QueryState";

export function LeaderboardPage() {
  const { slug = "" } = useParams();
  const board = useLeaderboard(slug);
  return (
    <div className="page">
      <h1>
        Leaderboard: <Link to={`/problems/${slug}`}>{slug}</Link>
      </h1>
      <p className="muted">Best submission per user, ranked by speedup over the reference implementation.</p>
      <QueryView query={board} label="Loading leaderboard…">
        {(rows) =>
          rows.data.length === 0 ? (
            <p className="empty">No timed submissions yet. Kernel timings need a GPU judge.</p>
          ) : (
            <div className="table-wrap">
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
                    <th scope="col">GPU</th>
                    <th scope="col">Submission</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.data.map((r, i) => (
                    <tr key={`${r.user}-${r.submission_id}`}>
                      <td className="num">{i + 1}</td>
                      <td>{r.user}</td>
                      <td className="num">{r.speedup.toFixed(2)}×</td>
                      <td className="num">{r.gbps == null ? "—" : r.gbps.toFixed(0)}</td>
                      <td>{r.gpu ?? "—"}</td>
                      <td>
                        <Link to={`/submissions/${r.submission_id}`}>#{r.submission_id}</Link>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
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
