/** The results panel: status, score, subtasks, per-test rows with feedback and sample diffs. */
import { Fragment, useState } from "react";
import type { GroupResult, RunTest, ShownData, SubmissionPublic, TestResult } from "../../api/models";
import { useKernelHistory } from "../../api/queries";
import { isSettled, SubmissionStateBadge, VERDICT_NAMES, VerdictBadge } from "../../components/VerdictBadge";
import { KernelTimingTable, timingRows } from "../leaderboard/KernelTimingTable";
import { describeFeedback } from "./feedback";
import { formatKb, formatMs, formatScore, lineDiff } from "./format";
import type { ResultsState } from "./resultsReducer";

export function LiveResults({ state }: { state: ResultsState }) {
  const { status, tests, submission, error } = state;
  const settled = isSettled(status);
  const verdict = submission && isSettled(submission.status) ? submission.verdict : null;
  const groups: GroupResult[] = submission?.groups ?? [];
  return (
    <section
      className="results"
      aria-live="polite"
      data-testid="results"
      data-status={status}
      data-verdict={verdict ?? ""}
    >
      <header className="results-head">
        <SubmissionStateBadge status={status} verdict={verdict} />
        {settled && verdict && (
          <span className="verdict-name">{(VERDICT_NAMES as Record<string, string>)[verdict] ?? verdict}</span>
        )}
        {status === "queued" && <span className="muted">Waiting for a judge…</span>}
        {status === "running" && (
          <span className="muted">
            {tests.length} test{tests.length === 1 ? "" : "s"} judged so far
          </span>
        )}
        {settled && submission && (
          <span className="score">Score {formatScore(submission.score, submission.max_score)}</span>
        )}
      </header>
      {error && status !== "judged" && <p className="warning">Live updates interrupted ({error}); retrying…</p>}
      {submission?.message && <p className="message">{submission.message}</p>}
      <HintSummary tests={tests} />
      {submission?.compile_output && (
        <div className="compile-output">
          <h3>Compiler output</h3>
          <pre>{submission.compile_output}</pre>
        </div>
      )}
      {groups.length > 0 && (
        <div className="table-wrap">
          <table className="groups">
            <caption>Subtasks</caption>
            <thead>
              <tr>
                <th scope="col">Subtask</th>
                <th scope="col">Verdict</th>
                <th scope="col">Score</th>
              </tr>
            </thead>
            <tbody>
              {groups.map((g) => (
                <tr key={g.name}>
                  <td>{g.name}</td>
                  <td>
                    <VerdictBadge verdict={g.verdict} />
                  </td>
                  <td>{formatScore(g.score, g.max_score)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {timingRows(tests).length > 0 && <TimingWithHistory tests={tests} submission={submission} />}
      {tests.length > 0 && <TestTable tests={tests} />}
    </section>
  );
}

/** The timing table, with the learner's previous best per shape once this submission is
 * in their history (it is not for a submission someone else made: history is the caller's). */
function TimingWithHistory({ tests, submission }: { tests: TestResult[]; submission: SubmissionPublic | null }) {
  const settled = submission?.status === "judged";
  const history = useKernelHistory(submission?.problem ?? "", submission?.id ?? 0, settled);
  const entry = history.data?.data.find((e) => e.submission_id === submission?.id);
  return <KernelTimingTable tests={tests} history={entry?.shapes} />;
}

/** A shown file with text to show: binary ones (a tensor sample's .npz) have nothing to
 * diff, the feedback says it all. Results stored before the API said (no `view`) are text. */
function hasText(value: string | null | undefined, view: ShownData | null | undefined): boolean {
  return value != null && !view?.binary;
}

/** The targeted hints of failed tests, once each: what the judge recognised in the mistake. */
export function HintSummary({ tests }: { tests: TestResult[] }) {
  const hints = [...new Set(tests.filter((t) => t.hint && t.verdict !== "AC").map((t) => t.hint as string))];
  if (hints.length === 0) return null;
  return (
    <aside className="hint-summary" data-testid="hint-summary" aria-label="Hints">
      <h3>{hints.length === 1 ? "Hint" : "Hints"}</h3>
      <ul>
        {hints.map((h) => (
          <li key={h}>{h}</li>
        ))}
      </ul>
    </aside>
  );
}

type ShownTest = TestResult & Partial<Pick<RunTest, "expected_from">>;

export function TestTable({ tests }: { tests: ShownTest[] }) {
  // Failed samples open by default (that is where the diff helps); the learner's toggles win.
  const [toggled, setToggled] = useState<Map<string, boolean>>(() => new Map());
  const isOpenFor = (t: TestResult) => toggled.get(t.name) ?? (t.visible && t.verdict !== "AC");
  const toggle = (t: TestResult) => setToggled((prev) => new Map(prev).set(t.name, !isOpenFor(t)));
  return (
    <div className="table-wrap">
      <table className="tests">
        <caption>Tests</caption>
        <thead>
          <tr>
            <th scope="col">Test</th>
            <th scope="col">Verdict</th>
            <th scope="col" className="num">
              Time
            </th>
            <th scope="col" className="num">
              Memory
            </th>
            <th scope="col">Details</th>
          </tr>
        </thead>
        <tbody>
          {tests.map((t) => {
            const hasDetail =
              t.visible &&
              (hasText(t.expected, t.expected_view) ||
                hasText(t.actual, t.actual_view) ||
                hasText(t.input, t.input_view) ||
                Boolean(t.stderr));
            const isOpen = isOpenFor(t);
            return (
              <Fragment key={t.name}>
                <tr data-test={t.name} data-verdict={t.verdict}>
                  <td>
                    {t.name}
                    {t.visible && t.group !== "custom" && (
                      <span className="badge tone-neutral sample-badge">sample</span>
                    )}
                  </td>
                  <td>
                    <VerdictBadge verdict={t.verdict} />
                  </td>
                  <td className="num">{formatMs(t.time_ms)}</td>
                  <td className="num">{formatKb(t.memory_kb)}</td>
                  <td>
                    {t.message && <span className="test-message">{t.message}</span>}
                    {t.hint && (
                      <p className="test-hint" data-testid="hint">
                        <strong>Hint:</strong> {t.hint}
                      </p>
                    )}
                    <Feedback feedback={t.feedback} />
                    {hasDetail && (
                      <button type="button" className="link-button" aria-expanded={isOpen} onClick={() => toggle(t)}>
                        {isOpen ? "Hide output" : "Show output"}
                      </button>
                    )}
                  </td>
                </tr>
                {hasDetail && isOpen && (
                  <tr className="detail-row">
                    <td colSpan={5}>
                      <SampleDetail test={t} />
                    </td>
                  </tr>
                )}
              </Fragment>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function Feedback({ feedback }: { feedback: Record<string, unknown> | undefined }) {
  const groups = describeFeedback(feedback);
  if (groups.length === 0) return null;
  return (
    <div className="feedback">
      {groups.map((group) => (
        <dl key={group.output ?? ""} data-output={group.output ?? undefined}>
          {group.output && <span className="feedback-output">{group.output}</span>}
          {group.items.map((item) => (
            <div key={item.label} className={item.alert ? "alert" : undefined}>
              <dt>{item.label}</dt>
              <dd>{item.value}</dd>
            </div>
          ))}
        </dl>
      ))}
    </div>
  );
}

function SampleDetail({ test }: { test: ShownTest }) {
  const rows = lineDiff(test.expected ?? "", test.actual ?? "");
  return (
    <div className="sample-detail">
      {hasText(test.input, test.input_view) && (
        <div>
          <h4>Input</h4>
          <pre>{test.input}</pre>
        </div>
      )}
      {(hasText(test.expected, test.expected_view) || hasText(test.actual, test.actual_view)) && (
        <div>
          <h4>
            {test.expected_from === "reference" ? "Expected (the reference solution's output)" : "Expected"} vs your
            output
          </h4>
          <table className="diff" data-testid="diff">
            <thead>
              <tr>
                <th scope="col" className="num">
                  #
                </th>
                <th scope="col">Expected</th>
                <th scope="col">Your output</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.line} className={r.same ? "same" : "differs"}>
                  <td className="num">{r.line}</td>
                  <td>
                    <code>{r.expected ?? "∅"}</code>
                  </td>
                  <td>
                    <code>{r.actual ?? "∅"}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {test.stderr && (
        <div>
          <h4>Standard error</h4>
          <pre>{test.stderr}</pre>
        </div>
      )}
    </div>
  );
}
