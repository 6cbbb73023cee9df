/** Tracks: topics ordered easy to hard, with the learner's progress and next problem. */
import { Link, useParams } from "react-router";
import type { TrackDetail, TrackSummary } from "../../api/models";
import { useMe, useTrack, useTracks } from "../../api/queries";
import { QueryView } from "../../components/QueryState";
import { TypeBadge } from "../../components/TypeBadge";

function Progress({ track }: { track: TrackSummary }) {
  const percent = track.total ? Math.round((100 * track.solved) / track.total) : 0;
  return (
    <div className="track-progress" data-testid="track-progress">
      <progress max={track.total} value={track.solved} aria-label={`${track.title} progress`} />
      <span>
        {track.solved} of {track.total} solved ({percent}%)
      </span>
    </div>
  );
}

export function TracksPage() {
  const tracks = useTracks();
  return (
    <div className="page">
      <h1>Tracks</h1>
      <p className="muted">Each track goes from easy to hard; solve them in order or jump in anywhere.</p>
      <QueryView query={tracks} label="Loading tracks…">
        {(list) =>
          list.data.length === 0 ? (
            <p className="empty">No tracks yet.</p>
          ) : (
            <ul className="track-list">
              {list.data.map((t) => (
                <li key={t.id} data-track={t.id}>
                  <h2>
                    <Link to={`/tracks/${t.id}`}>{t.title}</Link>
                  </h2>
                  <Progress track={t} />
                </li>
              ))}
            </ul>
          )
        }
      </QueryView>
    </div>
  );
}

export function TrackPage() {
  const { id = "" } = useParams();
  const track = useTrack(id);
  return (
    <div className="page">
      <QueryView query={track} label="Loading track…">
        {(detail) => <TrackView track={detail} />}
      </QueryView>
    </div>
  );
}

function TrackView({ track }: { track: TrackDetail }) {
  const me = useMe();
  const next = track.problems.find((p) => p.slug === track.next);
  return (
    <>
      <p className="breadcrumb">
        <Link to="/tracks">Tracks</Link> /
      </p>
      <h1>{track.title}</h1>
      <Progress track={track} />
      {next ? (
        <p className="track-next" data-testid="track-next">
          {track.solved === 0 ? "Start with" : "Next up"}: <Link to={`/problems/${next.slug}`}>{next.name}</Link>
        </p>
      ) : (
        <p className="track-next done" data-testid="track-next">
          Track complete. Well done!
        </p>
      )}
      {!me.data && <p className="muted">Log in to keep track of your progress.</p>}
      <ol className="track-problems">
        {track.problems.map((p, i) => (
          <li
            key={p.slug}
            data-slug={p.slug}
            className={p.solved ? "solved" : p.slug === track.next ? "next" : undefined}
          >
            <span className="step" aria-hidden="true">
              {p.solved ? "✓" : i + 1}
            </span>
            <Link to={`/problems/${p.slug}`}>{p.name}</Link>
            <TypeBadge type={p.type} />
            <span className={`difficulty difficulty-${p.difficulty}`}>{p.difficulty}</span>
            {p.solved ? (
              <span className="mark solved">solved</span>
            ) : p.attempted ? (
              <span className="mark attempted">attempted</span>
            ) : null}
          </li>
        ))}
      </ol>
    </>
  );
}
