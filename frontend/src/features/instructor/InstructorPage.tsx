import { type DragEvent, type ReactNode, useRef, useState } from "react";
import { Link } from "react-router";
import { ApiError, errorMessage } from "../../api/client";
import type { ProblemSummary, ProblemVersionPublic, ValidationReport } from "../../api/models";
import { isInstructor, useMe, useProblems, useUploadPackage } from "../../api/queries";
import { Loading, QueryView } from "../../components/QueryState";
import { TypeBadge } from "../../components/TypeBadge";
import { ReportView } from "./ReportView";

export function InstructorGate({ children }: { children: ReactNode }) {
  const me = useMe();
  if (me.isPending) return <Loading />;
  if (!me.data)
    return (
      <div className="page">
        <p>
          <Link to="/login?next=/instructor">Log in</Link> as an instructor to use these pages.
        </p>
      </div>
    );
  if (!isInstructor(me.data))
    return (
      <div className="page">
        <p>These pages are for instructors.</p>
      </div>
    );
  return <>{children}</>;
}

export function InstructorPage() {
  return (
    <InstructorGate>
      <div className="page">
        <h1>Instructor</h1>
        <p>
          <Link to="/instructor/submissions">All submissions to your problems →</Link>
        </p>
        <p>
          <Link to="/instructor/analytics">What learners struggle with: analytics →</Link>
        </p>
        <Upload />
        <h2>Problems</h2>
        <ProblemAdmin />
      </div>
    </InstructorGate>
  );
}

/** A package that failed validation: the 422 `validation_failed` error's details are the report. */
function reportOf(error: unknown): ValidationReport | null {
  if (!(error instanceof ApiError) || error.code !== "validation_failed") return null;
  return error.details as ValidationReport;
}

function Upload() {
  const upload = useUploadPackage();
  const input = useRef<HTMLInputElement>(null);
  const [dragging, setDragging] = useState(false);
  const [fileName, setFileName] = useState<string | null>(null);
  const [result, setResult] = useState<ProblemVersionPublic | null>(null);

  const send = (file: File | undefined) => {
    if (!file) return;
    setFileName(file.name);
    setResult(null);
    upload.mutate(file, { onSuccess: setResult });
  };
  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    send(event.dataTransfer.files[0]);
  };
  const failedReport = reportOf(upload.error);

  return (
    <section aria-labelledby="upload-title">
      <h2 id="upload-title">Upload a problem package</h2>
      {/* biome-ignore lint/a11y/noStaticElementInteractions: dropping is pointer-only; the button inside is the keyboard path */}
      <div
        className={`dropzone ${dragging ? "dragging" : ""}`}
        data-testid="dropzone"
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
      >
        <p>Drop a package .zip here, or</p>
        <button type="button" className="button secondary" onClick={() => input.current?.click()}>
          Choose a file…
        </button>
        <input
          ref={input}
          type="file"
          accept=".zip,application/zip"
          className="visually-hidden"
          data-testid="package-input"
          aria-label="Problem package zip"
          onChange={(e) => {
            send(e.target.files?.[0]);
            e.target.value = "";
          }}
        />
      </div>
      {upload.isPending && (
        <Loading label={`Uploading and validating ${fileName ?? "package"} (this runs every reference solution)…`} />
      )}
      {upload.error && (
        <>
          <div className="error-box" role="alert">
            <strong>Upload refused.</strong> <span className="error-message">{errorMessage(upload.error)}</span>
          </div>
          {failedReport != null && (
            <div className="report-box" data-testid="upload-report">
              <h3>Validation report</h3>
              <ReportView report={failedReport} />
            </div>
          )}
        </>
      )}
      {result && (
        <div className="report-box success" data-testid="upload-report">
          <h3>
            Uploaded <Link to={`/problems/${result.slug}`}>{result.slug}</Link> version {result.version}
          </h3>
          <p className="muted">
            {result.created ? "New version stored." : "Identical to the current version; nothing changed."} Content hash{" "}
            <code>{result.content_hash}</code>
          </p>
          {result.report && <ReportView report={result.report} />}
        </div>
      )}
    </section>
  );
}

function ProblemAdmin() {
  const problems = useProblems();
  return (
    <QueryView query={problems}>
      {(list) => (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Problem</th>
                <th scope="col">Type</th>
                <th scope="col">Visibility</th>
                <th scope="col">
                  <span className="visually-hidden">Links</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.data.map((p: ProblemSummary) => (
                <tr key={p.slug}>
                  <td>
                    <Link to={`/problems/${p.slug}`}>{p.name}</Link>
                  </td>
                  <td>
                    <TypeBadge type={p.type} />
                  </td>
                  <td>{p.visibility}</td>
                  <td>
                    <Link
                      to={`/instructor/submissions?problem=${encodeURIComponent(p.slug)}`}
                      aria-label={`Submissions to ${p.name}`}
                    >
                      Submissions
                    </Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </QueryView>
  );
}
