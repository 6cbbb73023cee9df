import { useMemo } from "react";
import { Link, useSearchParams } from "react-router";
import type { ProblemSummary } from "../../api/models";
import { useProblems } from "../../api/queries";
import { QueryView } from "../../components/QueryState";
import { TypeBadge } from "../../components/TypeBadge";

export function filterProblems(problems: ProblemSummary[], q: string, tag: string, track = ""): ProblemSummary[] {
  const needle = q.trim().toLowerCase();
  const shown = problems.filter(
    (p) =>
      (!tag || p.tags.includes(tag)) &&
      (!track || p.track?.id === track) &&
      (!needle ||
        p.name.toLowerCase().includes(needle) ||
        p.slug.includes(needle) ||
        p.tags.some((t) => t.includes(needle))),
  );
  // Within one track, its order (easy to hard) is the order that matters.
  return track ? [...shown].sort((a, b) => (a.track?.position ?? 0) - (b.track?.position ?? 0)) : shown;
}

export function ProblemListPage() {
  const problems = useProblems();
  const [params, setParams] = useSearchParams();
  const q = params.get("q") ?? "";
  const tag = params.get("tag") ?? "";
  const track = params.get("track") ?? "";

  const update = (key: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
  };

  return (
    <div className="page">
      <h1>Problems</h1>
      <QueryView query={problems} label="Loading problems…">
        {(list) => <ProblemTable all={list.data} q={q} tag={tag} track={track} update={update} />}
      </QueryView>
    </div>
  );
}

function ProblemTable({
  all,
  q,
  tag,
  track,
  update,
}: {
  all: ProblemSummary[];
  q: string;
  tag: string;
  track: string;
  update: (key: string, value: string) => void;
}) {
  const tags = useMemo(() => [...new Set(all.flatMap((p) => p.tags))].sort(), [all]);
  const tracks = useMemo(() => [...new Set(all.flatMap((p) => (p.track ? [p.track.id] : [])))].sort(), [all]);
  const shown = filterProblems(all, q, tag, track);
  return (
    <>
      <div className="filters" role="search">
        <label>
          <span className="visually-hidden">Search problems</span>
          <input
            type="search"
            placeholder="Search by name or tag"
            value={q}
            onChange={(e) => update("q", e.target.value)}
          />
        </label>
        <label>
          <span className="visually-hidden">Filter by tag</span>
          <select value={tag} onChange={(e) => update("tag", e.target.value)}>
            <option value="">All tags</option>
            {tags.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        </label>
        {tracks.length > 0 && (
          <label>
            <span className="visually-hidden">Filter by track</span>
            <select value={track} onChange={(e) => update("track", e.target.value)} data-testid="track-filter">
              <option value="">All tracks</option>
              {tracks.map((t) => (
                <option key={t} value={t}>
                  {t}
                </option>
              ))}
            </select>
          </label>
        )}
        {track && <Link to={`/tracks/${track}`}>Track page →</Link>}
      </div>
      {shown.length === 0 ? (
        <p className="empty">{all.length === 0 ? "No problems yet." : "No problem matches this search."}</p>
      ) : (
        <div className="table-wrap">
          <table className="problems">
            <thead>
              <tr>
                <th scope="col" className="mark-col">
                  <span className="visually-hidden">Status</span>
                </th>
                <th scope="col">Problem</th>
                <th scope="col">Type</th>
                <th scope="col">Difficulty</th>
                <th scope="col">Tags</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((p) => (
                <tr key={p.slug} data-slug={p.slug}>
                  <td className="mark-col">
                    {p.solved ? (
                      <span className="mark solved" title="Solved">
                        ✓<span className="visually-hidden">Solved</span>
                      </span>
                    ) : p.attempted ? (
                      <span className="mark attempted" title="Attempted">
                        •<span className="visually-hidden">Attempted</span>
                      </span>
                    ) : null}
                  </td>
                  <td className="col-name">
                    <Link to={`/problems/${p.slug}`}>{p.name}</Link>
                    {p.visibility !== "public" && (
                      <span className="badge tone-neutral hidden-badge">{p.visibility}</span>
                    )}
                  </td>
                  <td className="col-type">
                    <TypeBadge type={p.type} />
                  </td>
                  <td className="col-diff">
                    <span className={`difficulty difficulty-${p.difficulty}`}>{p.difficulty}</span>
                  </td>
                  <td className="tags">
                    {p.tags.map((t) => (
                      <button
                        type="button"
                        key={t}
                        className={`tag ${t === tag ? "active" : ""}`}
                        onClick={() => update("tag", t === tag ? "" : t)}
                        aria-pressed={t === tag}
                      >
                        {t}
                      </button>
                    ))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
