/**
 * Renders a package validation report. The report is data the grader produced;
 * the view knows the common parts (errors, warnings, per-solution results) and
 * shows anything else it does not recognise as plain key/value or JSON, so a
 * new field in the report is never silently hidden.
 */
import { VerdictBadge } from "../../components/VerdictBadge";
import { formatValue } from "../submissions/format";

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

const VERDICT_KEYS = new Set(["verdict", "expected", "got", "actual", "expected_verdict"]);
const VERDICTS = new Set(["AC", "WA", "TLE", "MLE", "OLE", "RE", "CE", "IE"]);

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

function Cell({ column, value }: { column: string; value: unknown }) {
  if (typeof value === "boolean") {
    return <span className={`badge tone-${value ? "good" : "bad"}`}>{value ? "yes" : "no"}</span>;
  }
  if (VERDICT_KEYS.has(column) && typeof value === "string" && VERDICTS.has(value))
    return <VerdictBadge verdict={value} />;
  if (typeof value === "string") return <>{value}</>;
  return <>{formatValue(value)}</>;
}

function RecordTable({ rows, caption }: { rows: Record<string, unknown>[]; caption: string }) {
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  return (
    <div className="table-wrap">
      <table className="report-table">
        <caption>{caption}</caption>
        <thead>
          <tr>
            {columns.map((c) => (
              <th scope="col" key={c}>
                {reportLabel(c)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: a report is rendered once and never reordered
            <tr key={i} className={r.ok === false || r.passed === false ? "failed-row" : undefined}>
              {columns.map((c) => (
                <td key={c}>
                  <Cell column={c} value={r[c]} />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** A diagnostic is a string or `{message, file?, field?}`; where it points comes first. */
function diagnosticText(m: unknown): string {
  if (typeof m === "string") return m;
  if (isRecord(m) && typeof m.message === "string") {
    const where = [m.file, m.field].filter((p): p is string => typeof p === "string" && p !== "").join(": ");
    return where ? `${where}: ${m.message}` : m.message;
  }
  return JSON.stringify(m);
}

function Messages({ title, items, tone }: { title: string; items: unknown[]; tone: "bad" | "warn" }) {
  if (items.length === 0) return null;
  return (
    <div className={`messages tone-${tone}`}>
      <h3>{title}</h3>
      <ul>
        {items.map((m, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: a report is rendered once and never reordered
          <li key={i}>{diagnosticText(m)}</li>
        ))}
      </ul>
    </div>
  );
}

export function ReportView({ report }: { report: unknown }) {
  if (!isRecord(report)) {
    return <pre className="report-json">{JSON.stringify(report, null, 2)}</pre>;
  }
  const known = new Set<string>();
  const take = (key: string): unknown => {
    known.add(key);
    return report[key];
  };
  const errors = take("errors");
  const warnings = take("warnings");
  const ok = report.ok ?? report.valid ?? report.passed;
  known.add("ok").add("valid").add("passed");
  // Fields the grader left empty (null) say nothing; leave them out.
  const rest = Object.entries(report).filter(([k, v]) => !known.has(k) && v !== null && v !== undefined);
  return (
    <div className="report" data-testid="report">
      {typeof ok === "boolean" && (
        <p className={`report-status tone-${ok ? "good" : "bad"}`}>{ok ? "Package is valid" : "Package is invalid"}</p>
      )}
      <Messages title="Errors" items={Array.isArray(errors) ? errors : []} tone="bad" />
      <Messages title="Warnings" items={Array.isArray(warnings) ? warnings : []} tone="warn" />
      {rest.map(([key, value]) =>
        Array.isArray(value) && value.length > 0 && value.every(isRecord) ? (
          <RecordTable key={key} caption={reportLabel(key)} rows={value} />
        ) : Array.isArray(value) ? (
          <p key={key}>
            <strong>{reportLabel(key)}:</strong>{" "}
            {value.length === 0 ? "none" : value.map((v) => formatValue(v)).join(", ")}
          </p>
        ) : isRecord(value) ? (
          <details key={key} open>
            <summary>{reportLabel(key)}</summary>
            <ReportView report={value} />
          </details>
        ) : (
          <p key={key}>
            <strong>{reportLabel(key)}:</strong> <Cell column={key} value={value} />
          </p>
        ),
      )}
    </div>
  );
}
