import { useMemo } from "react";
import { Link, useParams } from "react-router";
import { useSubmission } from "../../api/queries";
import { highlightCode } from "../../components/markdown";
import { QueryView } from "../../components/QueryState";
import { LiveResults } from "./LiveResults";
import { formatDate, reopenHref } from "./SubmissionTable";
import { useLiveResults } from "./useLiveResults";

export function SubmissionPage() {
  const { id = "" } = useParams();
  const numeric = Number(id);
  const submission = useSubmission(numeric);
  const live = useLiveResults(Number.isFinite(numeric) ? numeric : null);
  return (
    <div className="page">
      <QueryView query={submission} label="Loading submission…">
        {(s) => (
          <>
            <h1>Submission #{s.id}</h1>
            <p className="meta">
              <Link to={`/problems/${encodeURIComponent(s.problem)}`}>{s.problem}</Link> · {s.language} · by {s.user} ·{" "}
              {formatDate(s.created_at)}
            </p>
            <p>
              <Link className="button secondary" to={reopenHref(s)}>
                Open in editor
              </Link>{" "}
              <a className="button secondary" href={`/api/v1/submissions/${s.id}/junit`}>
                JUnit XML
              </a>
            </p>
            <LiveResults state={live} />
            <Source code={s.source} language={s.language} />
          </>
        )}
      </QueryView>
    </div>
  );
}

function Source({ code, language }: { code: string; language: string }) {
  const html = useMemo(() => highlightCode(code, language), [code, language]);
  return (
    <section>
      <h2>Source</h2>
      <pre className="hljs source">
        <code dangerouslySetInnerHTML={{ __html: html }} />
      </pre>
    </section>
  );
}
