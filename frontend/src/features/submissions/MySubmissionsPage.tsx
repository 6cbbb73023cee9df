import { useState } from "react";
import { Link } from "react-router";
import { useMe, useSubmissions } from "../../api/queries";
import { ErrorBox, Loading } from "../../components/QueryState";
import { SubmissionTable } from "./SubmissionTable";

const PAGE = 50;

export function MySubmissionsPage() {
  const me = useMe();
  const username = me.data?.username ?? "";
  const [offset, setOffset] = useState(0);
  const list = useSubmissions({ user: username, limit: PAGE, offset }, Boolean(username));
  return (
    <div className="page">
      <h1>My submissions</h1>
      {me.isPending ? (
        <Loading />
      ) : !username ? (
        <p>
          <Link to="/login?next=/submissions">Log in</Link> to see your submissions.
        </p>
      ) : list.isPending ? (
        <Loading label="Loading submissions…" />
      ) : list.error ? (
        <ErrorBox error={list.error} retry={() => void list.refetch()} />
      ) : (
        <>
          <SubmissionTable rows={list.data.data} />
          <Pager offset={offset} count={list.data.count} onChange={setOffset} />
        </>
      )}
    </div>
  );
}

export function Pager({
  offset,
  count,
  onChange,
}: {
  offset: number;
  count: number;
  onChange: (offset: number) => void;
}) {
  if (count <= PAGE) return null;
  return (
    <nav className="pager" aria-label="Pages">
      <button
        type="button"
        className="button secondary small"
        disabled={offset === 0}
        onClick={() => onChange(Math.max(0, offset - PAGE))}
      >
        Newer
      </button>
      <span>
        {offset + 1}–{Math.min(offset + PAGE, count)} of {count}
      </span>
      <button
        type="button"
        className="button secondary small"
        disabled={offset + PAGE >= count}
        onClick={() => onChange(offset + PAGE)}
      >
        Older
      </button>
    </nav>
  );
}
