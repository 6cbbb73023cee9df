/**
 * Renders a package validation report: the `ValidationReport` the grader produced,
 * typed by the schema generated from the API (a field the backend adds or renames
 * fails `tsc` here, instead of being guessed at from the keys it happens to have).
 */
import type { Diagnostic, HintCheck, SolutionReport, ValidationReport } from "../../api/models";
import { VerdictBadge } from "../../components/VerdictBadge";

/** Reads the grader's snake_case keys as words, with units where the key carries one. */
const LABELS: Record<string, string> = {
  ok: "as expected",
  seconds: "validation took (s)",
  max_score: "max score",
  content_hash: "content hash",
};

export function reportLabel(key: string): string {
  if (key in LABELS) return LABELS[key] as string;
  const ms = /^(.*)_ms$/.exec(key);
  if (ms) return `${(ms[1] as string).replace(/_/g, " ")} (ms)`;
  return key.replace(/_/g, " ");
}

function YesNo({ value }: { value: boolean }) {
  return <span className={`badge tone-${value ? "good" : "bad"}`}>{value ? "yes" : "no"}</span>;
}

/** Where a diagnostic points comes first. */
function diagnosticText(d: Diagnostic): string {
  const where = [d.file, d.field].filter((p): p is string => typeof p === "string" && p !== "").join(": ");
  return where ? `${where}: ${d.message}` : d.message;
}

function Messages({ title, items, tone }: { title: string; items: Diagnostic[]; tone: "bad" | "warn" }) {
  if (items.length === 0) return null;
  return (
    <div className={`messages tone-${tone}`}>
      <h3>{title}</h3>
      <ul>
        {items.map((d, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: a report is rendered once and never reordered
          <li key={i}>{diagnosticText(d)}</li>
        ))}
      </ul>
    </div>
  );
}

function Header({ keys }: { keys: string[] }) {
  return (
    <thead>
      <tr>
        {keys.map((k) => (
          <th scope="col" key={k}>
            {reportLabel(k)}
          </th>
        ))}
      </tr>
    </thead>
  );
}

function Solutions({ rows }: { rows: SolutionReport[] }) {
  if (rows.length === 0) return null;
  const hints = rows.some((r) => r.hint);
  return (
    <div className="table-wrap">
      <table className="report-table">
        <caption>{reportLabel("solutions")}</caption>
        <Header
          keys={[
            "path",
            "language",
            "expected",
            "got",
            "score",
            "slowest_ms",
            "slowest_test",
            "ok",
            "message",
            ...(hints ? ["hint"] : []),
          ]}
        />
        <tbody>
          {rows.map((r) => (
            <tr key={r.path} className={r.ok ? undefined : "failed-row"}>
              <td>{r.path}</td>
              <td>{r.language ?? "-"}</td>
              <td>
                <VerdictBadge verdict={r.expected} />
              </td>
              <td>{r.got ? <VerdictBadge verdict={r.got} /> : "-"}</td>
              <td>
                {r.score} / {r.max_score}
              </td>
              <td>{r.slowest_ms}</td>
              <td>{r.slowest_test}</td>
              <td>
                <YesNo value={r.ok} />
              </td>
              <td>{r.message}</td>
              {hints && <td>{r.hint ?? ""}</td>}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Hints({ rows }: { rows: HintCheck[] }) {
  if (rows.length === 0) return null;
  return (
    <div className="table-wrap">
      <table className="report-table">
        <caption>{reportLabel("hints")}</caption>
        <Header keys={["solution", "hint", "test", "fired", "ok"]} />
        <tbody>
          {rows.map((r) => (
            <tr key={r.solution} className={r.ok ? undefined : "failed-row"}>
              <td>{r.solution}</td>
              <td>{r.hint}</td>
              <td>{r.test ?? "-"}</td>
              <td>{r.fired ?? "-"}</td>
              <td>
                <YesNo value={r.ok} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** One line per scalar the report carries; null means the check did not run. */
function Facts({ report }: { report: ValidationReport }) {
  const facts: [string, string | number | boolean | null | undefined][] = [
    ["package", report.package],
    ["content_hash", report.content_hash],
    ["tests", report.tests],
    ["time_limit_ms", report.time_limit_ms],
    ["slowest_accepted_ms", report.slowest_accepted_ms],
    ["generators_deterministic", report.generators_deterministic],
    ["seconds", report.seconds],
    ["gpu_only", report.gpu_only && report.gpu_only.length > 0 ? report.gpu_only.join(", ") : null],
  ];
  return (
    <>
      {facts
        .filter(([, value]) => value !== null && value !== undefined)
        .map(([key, value]) => (
          <p key={key}>
            <strong>{reportLabel(key)}:</strong> {typeof value === "boolean" ? <YesNo value={value} /> : value}
          </p>
        ))}
    </>
  );
}

export function ReportView({ report }: { report: ValidationReport }) {
  return (
    <div className="report" data-testid="report">
      <p className={`report-status tone-${report.ok ? "good" : "bad"}`}>
        {report.ok ? "Package is valid" : "Package is invalid"}
      </p>
      <Messages title="Errors" items={report.errors ?? []} tone="bad" />
      <Messages title="Warnings" items={report.warnings ?? []} tone="warn" />
      <Solutions rows={report.solutions ?? []} />
      <Hints rows={report.hints ?? []} />
      <Facts report={report} />
    </div>
  );
}
