import { useMemo } from "react";
import { Link, useParams } from "react-router";
import type { SubmissionPublic } from "../../api/models";
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
            <IntegrityScan findings={s.integrity_scan ?? null} />
            <Source code={s.source} language={s.language} />
          </>
        )}
      </QueryView>
    </div>
  );
}

/** The advisory static scans (kernel problems add the kernel scan's `kernel:*` rules).
 * The API sends them only to the problem's managers; for anyone else this is null. */
export function IntegrityScan({ findings }: { findings: SubmissionPublic["integrity_scan"] }) {
  if (findings === null || findings === undefined) return null;
  return (
    <section data-testid="integrity-scan">
      <h2>Integrity scan (instructors only, advisory)</h2>
      {findings.length === 0 ? (
        <p className="muted">No findings (which proves nothing: names can be built at run time).</p>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Line</th>
                <th scope="col">Rule</th>
                <th scope="col">Found</th>
                <th scope="col">Why it matters</th>
              </tr>
            </thead>
            <tbody>
              {findings.map((f) => (
                <tr key={`${f.line}:${f.rule}:${f.name}`}>
                  <td className="num">{f.line}</td>
                  <td>{f.rule}</td>
                  <td>
                    <code>{f.name}</code>
                  </td>
                  <td>{f.why}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
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
