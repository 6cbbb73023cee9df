/**
 * The problem page: statement on one side, editor and live results on the other.
 * The editor's text is the draft for (problem, language); reopening a past
 * submission (`?submission=ID`) loads its source once and makes it the draft.
 */
import { useCallback, useEffect, useRef, useState } from "react";
import { Link, useParams, useSearchParams } from "react-router";
import { api, errorMessage } from "../../api/client";
import type { ProblemDetail, SubmissionPublic } from "../../api/models";
import {
  isInstructor,
  useMe,
  useProblem,
  useRefreshAfterVerdict,
  useSetVisibility,
  useStatement,
  useSubmissions,
  useSubmit,
} from "../../api/queries";
import { CodeEditor } from "../../components/CodeEditor";
import { Markdown } from "../../components/Markdown";
import { ErrorBox, Loading, QueryView } from "../../components/QueryState";
import { TypeBadge } from "../../components/TypeBadge";
import { isSettled } from "../../components/VerdictBadge";
import { loadDraft, loadLanguage, saveDraft, saveLanguage } from "../editor/drafts";
import { RunPanel } from "../editor/RunPanel";
import { LiveResults } from "../submissions/LiveResults";
import { SubmissionTable } from "../submissions/SubmissionTable";
import { useLiveResults } from "../submissions/useLiveResults";
import { SampleView } from "./SampleView";
import { StatementLanguagePicker } from "./StatementLanguagePicker";
import { withoutTitle } from "./statement";

function newKey(): string {
  if (typeof crypto !== "undefined" && typeof crypto.randomUUID === "function") return crypto.randomUUID();
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}

export function ProblemPage() {
  const { slug = "" } = useParams();
  const problem = useProblem(slug);
  return (
    <div className="page wide">
      <QueryView query={problem} label="Loading problem…">
        {(detail) => <ProblemView key={detail.slug} problem={detail} />}
      </QueryView>
    </div>
  );
}

type Tab = "statement" | "submissions";

function ProblemView({ problem }: { problem: ProblemDetail }) {
  const me = useMe();
  const [params, setParams] = useSearchParams();
  const [tab, setTab] = useState<Tab>("statement");
  // Not kept in the URL: `?lang=` there is the editor's programming language.
  const [statementLanguage, setStatementLanguage] = useState(problem.statement_language);
  const otherStatement = statementLanguage === problem.statement_language ? null : statementLanguage;
  const translated = useStatement(problem.slug, otherStatement);
  const languages = problem.languages;
  // Decided once, on first render: later changes come from the picker.
  const [initialLanguage] = useState(() => {
    const wanted = params.get("lang") ?? loadLanguage(problem.slug);
    return languages.find((l) => l.id === wanted)?.id ?? languages[0]?.id ?? "python";
  });
  const [language, setLanguage] = useState(initialLanguage);
  const template = problem.templates[language] ?? "";
  const [source, setSource] = useState(
    () => loadDraft(problem.slug, initialLanguage) ?? problem.templates[initialLanguage] ?? "",
  );
  const [submissionId, setSubmissionId] = useState<number | null>(null);
  const [reopenError, setReopenError] = useState<unknown>(null);
  const submit = useSubmit();
  const live = useLiveResults(submissionId);
  useRefreshAfterVerdict(submissionId, isSettled(live.status));
  const lang = languages.find((l) => l.id === language);

  // Reopen a past submission in the editor.
  const reopen = params.get("submission");
  const reopened = useRef<string | null>(null);
  useEffect(() => {
    if (!reopen || reopened.current === reopen) return;
    reopened.current = reopen;
    api<SubmissionPublic>(`/submissions/${encodeURIComponent(reopen)}`)
      .then((s) => {
        setLanguage(s.language);
        setSource(s.source);
        saveDraft(problem.slug, s.language, s.source, problem.templates[s.language]);
        setSubmissionId(s.id);
        // Done once: left in the URL, a reload would reopen it again over the edits made since.
        setParams(
          (prev) => {
            const next = new URLSearchParams(prev);
            next.delete("submission");
            return next;
          },
          { replace: true },
        );
      })
      .catch(setReopenError);
  }, [reopen, problem.slug, problem.templates, setParams]);

  const changeLanguage = (next: string) => {
    saveDraft(problem.slug, language, source, template);
    setLanguage(next);
    saveLanguage(problem.slug, next);
    setSource(loadDraft(problem.slug, next) ?? problem.templates[next] ?? "");
    const nextParams = new URLSearchParams(params);
    nextParams.delete("lang");
    nextParams.delete("submission");
    setParams(nextParams, { replace: true });
  };

  const onChange = (text: string) => {
    setSource(text);
    saveDraft(problem.slug, language, text, template);
  };

  const loggedIn = Boolean(me.data);
  const doSubmit = useCallback(() => {
    if (!loggedIn || submit.isPending || !source.trim()) return;
    submit.mutate(
      { problem: problem.slug, language, source, key: newKey() },
      { onSuccess: (created) => setSubmissionId(created.id) },
    );
  }, [loggedIn, submit, problem.slug, language, source]);

  // Ctrl/Cmd+Enter submits from anywhere on the page; the editor handles it itself
  // (and marks the event handled), so it is not sent twice.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey) && !event.defaultPrevented) {
        event.preventDefault();
        doSubmit();
      }
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [doSubmit]);

  const onTabKey = (event: React.KeyboardEvent<HTMLDivElement>) => {
    if (!loggedIn || !["ArrowLeft", "ArrowRight", "Home", "End"].includes(event.key)) return;
    event.preventDefault();
    const next: Tab =
      event.key === "Home"
        ? "statement"
        : event.key === "End"
          ? "submissions"
          : tab === "statement"
            ? "submissions"
            : "statement";
    setTab(next);
    document.getElementById(`tab-${next}`)?.focus();
  };

  const resetToTemplate = () => {
    if (window.confirm("Replace your code with the starter template?")) onChange(template);
  };

  return (
    <div className="problem-layout">
      <article className="statement-pane">
        <header className="problem-head">
          <h1>{problem.name}</h1>
          <div className="problem-meta">
            <TypeBadge type={problem.type} />
            <span className={`difficulty difficulty-${problem.difficulty}`}>{problem.difficulty}</span>
            {problem.tags.map((t) => (
              <Link key={t} className="tag" to={`/?tag=${encodeURIComponent(t)}`}>
                {t}
              </Link>
            ))}
            {problem.type === "kernel" && <Link to={`/problems/${problem.slug}/leaderboard`}>Leaderboard</Link>}
            {problem.track && (
              <Link className="track-link" to={`/tracks/${problem.track.id}`} data-testid="track-link">
                Track: {problem.track.id}
              </Link>
            )}
          </div>
          <p className="limits">
            Time limit <strong>{problem.limits.time_s} s</strong> · Memory limit{" "}
            <strong>{problem.limits.memory_mb} MB</strong>
          </p>
          {isInstructor(me.data) && <VisibilityControl problem={problem} />}
          <a className="jump-to-editor" href="#solution">
            Go to the editor ↓
          </a>
        </header>
        {/* ARIA tabs: one tab stop, arrow keys move between the tabs (when both are open). */}
        <div className="tabs" role="tablist" aria-label="Problem sections" onKeyDown={onTabKey}>
          <button
            type="button"
            role="tab"
            id="tab-statement"
            aria-controls="panel"
            aria-selected={tab === "statement"}
            tabIndex={tab === "statement" ? 0 : -1}
            onClick={() => setTab("statement")}
          >
            Statement
          </button>
          <button
            type="button"
            role="tab"
            id="tab-submissions"
            aria-controls="panel"
            aria-selected={tab === "submissions"}
            tabIndex={tab === "submissions" ? 0 : -1}
            onClick={() => setTab("submissions")}
            disabled={!loggedIn}
            title={loggedIn ? undefined : "Log in to see your submissions"}
          >
            My submissions
          </button>
        </div>
        {tab === "statement" ? (
          <div role="tabpanel" id="panel" aria-labelledby="tab-statement">
            <StatementLanguagePicker
              languages={problem.statement_languages}
              value={statementLanguage}
              onChange={setStatementLanguage}
            />
            {otherStatement === null ? (
              <Markdown source={withoutTitle(problem.statement_md)} className="statement" />
            ) : translated.isPending ? (
              <Loading label="Loading statement…" />
            ) : translated.isError ? (
              <ErrorBox error={translated.error} retry={() => void translated.refetch()} />
            ) : (
              <div lang={otherStatement}>
                <Markdown source={withoutTitle(translated.data)} className="statement" />
              </div>
            )}
            {problem.samples.length > 0 && (
              <section className="samples">
                <h2>Samples</h2>
                {problem.samples.map((s) => (
                  <SampleView key={s.name} slug={problem.slug} sample={s} />
                ))}
              </section>
            )}
            {problem.editorial_md && (
              <section className="editorial">
                <h2>Editorial</h2>
                <Markdown source={withoutTitle(problem.editorial_md)} />
              </section>
            )}
          </div>
        ) : (
          <div role="tabpanel" id="panel" aria-labelledby="tab-submissions">
            <ProblemHistory
              slug={problem.slug}
              username={me.data?.username ?? ""}
              onOpen={(id) => setSubmissionId(id)}
            />
          </div>
        )}
      </article>
      <section className="editor-pane" id="solution" aria-label="Solution">
        <div className="editor-toolbar">
          <label>
            Language{" "}
            <select value={language} onChange={(e) => changeLanguage(e.target.value)} data-testid="language">
              {languages.map((l) => (
                <option key={l.id} value={l.id}>
                  {l.name}
                </option>
              ))}
            </select>
          </label>
          <button type="button" className="button secondary small" onClick={resetToTemplate}>
            Reset to template
          </button>
          <span className="spacer" />
          {loggedIn ? (
            <button
              type="button"
              className="button"
              onClick={doSubmit}
              disabled={submit.isPending || !source.trim()}
              data-testid="submit"
            >
              {submit.isPending ? "Submitting…" : "Submit"}
              <kbd className="shortcut">Ctrl+Enter</kbd>
            </button>
          ) : (
            <Link className="button" to={`/login?next=${encodeURIComponent(`/problems/${problem.slug}`)}`}>
              Log in to submit
            </Link>
          )}
        </div>
        <CodeEditor
          value={source}
          mode={lang?.editor_mode ?? language}
          onChange={onChange}
          onSubmit={doSubmit}
          label={`Solution in ${lang?.name ?? language}`}
        />
        <p className="hint muted">
          <kbd>Ctrl</kbd>/<kbd>⌘</kbd>+<kbd>Enter</kbd> submits · <kbd>Tab</kbd> indents; <kbd>Esc</kbd> then{" "}
          <kbd>Tab</kbd> leaves the editor · drafts are saved in this browser
        </p>
        {loggedIn && <RunPanel problem={problem} language={language} source={source} />}
        {reopenError != null && <ErrorBox error={reopenError} />}
        {submit.error && (
          <div className="error-box" role="alert">
            Submission refused: <span className="error-message">{errorMessage(submit.error)}</span>
          </div>
        )}
        {submissionId !== null && (
          <div className="live">
            <h2>
              Result of <Link to={`/submissions/${submissionId}`}>submission #{submissionId}</Link>
            </h2>
            <LiveResults key={submissionId} state={live} />
          </div>
        )}
      </section>
    </div>
  );
}

function ProblemHistory({ slug, username, onOpen }: { slug: string; username: string; onOpen: (id: number) => void }) {
  const list = useSubmissions({ problem: slug, user: username, limit: 50 }, Boolean(username));
  if (!username) return <p>Log in to see your submissions.</p>;
  if (list.isPending) return <Loading label="Loading submissions…" />;
  if (list.error) return <ErrorBox error={list.error} retry={() => void list.refetch()} />;
  return <SubmissionTable rows={list.data.data} showProblem={false} onShowResults={onOpen} />;
}

function VisibilityControl({ problem }: { problem: ProblemDetail }) {
  const mutation = useSetVisibility(problem.slug);
  const isPublic = problem.visibility === "public";
  return (
    <div className="visibility">
      <span>
        Visibility: <strong data-testid="visibility">{problem.visibility}</strong>
      </span>
      <button
        type="button"
        className="button secondary small"
        disabled={mutation.isPending}
        onClick={() => mutation.mutate(isPublic ? "hidden" : "public")}
      >
        {isPublic ? "Hide" : "Publish"}
      </button>
      {mutation.error && <span className="error-message">{errorMessage(mutation.error)}</span>}
    </div>
  );
}
