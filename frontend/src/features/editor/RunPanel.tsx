/**
 * Run before you submit: the current code on the samples and on a custom input, in the
 * judge's sandbox and limits. A run is not a submission (no history, no solved mark).
 * Custom input is stdin text for stdio problems; for function and tensor problems a
 * JSON or Python literal (parsed on the server, never evaluated), prefilled from the
 * first sample, or a generator of the problem with a seed.
 */
import { useState } from "react";
import { errorMessage } from "../../api/client";
import type { ProblemDetail, RunPublic } from "../../api/models";
import { useRun } from "../../api/queries";
import { VERDICT_NAMES, VerdictBadge } from "../../components/VerdictBadge";
import { HintSummary, TestTable } from "../submissions/LiveResults";

type Mode = "none" | "custom" | "generator";

function customHelp(type: string): string {
  if (type === "stdio") return "Standard input for your program.";
  if (type === "function")
    return 'A JSON or Python literal: the list of arguments, or {"args": [...], "kwargs": {...}}.';
  return "A Python literal dict of the inputs by name (nested lists and numbers); dtypes follow the samples.";
}

export function RunPanel({ problem, language, source }: { problem: ProblemDetail; language: string; source: string }) {
  const run = useRun();
  const [samples, setSamples] = useState(true);
  const [mode, setMode] = useState<Mode>("none");
  const [custom, setCustom] = useState(() => problem.samples[0]?.custom_input ?? "");
  const [generator, setGenerator] = useState(0);
  const [seed, setSeed] = useState(1234);
  const [result, setResult] = useState<RunPublic | null>(null);

  const nothing = !samples && mode === "none";
  const doRun = () => {
    if (run.isPending || nothing || !source.trim()) return;
    run.mutate(
      {
        problem: problem.slug,
        language,
        source,
        samples,
        custom_input: mode === "custom" ? custom : null,
        generator: mode === "generator" ? { index: generator, seed } : null,
      },
      { onSuccess: setResult },
    );
  };

  return (
    <section className="run-panel" aria-label="Run">
      <div className="run-controls">
        <label className="checkbox">
          <input type="checkbox" checked={samples} onChange={(e) => setSamples(e.target.checked)} /> Samples
        </label>
        <label>
          Extra input{" "}
          <select value={mode} onChange={(e) => setMode(e.target.value as Mode)} data-testid="run-mode">
            <option value="none">none</option>
            <option value="custom">custom input</option>
            {(problem.generators ?? []).length > 0 && <option value="generator">generated (seed)</option>}
          </select>
        </label>
        <span className="spacer" />
        <button
          type="button"
          className="button secondary"
          onClick={doRun}
          disabled={run.isPending || nothing || !source.trim()}
          data-testid="run"
        >
          {run.isPending ? "Running…" : "Run"}
        </button>
      </div>
      {mode === "custom" && (
        <label className="custom-input">
          <span className="muted">{customHelp(problem.type)}</span>
          <textarea
            value={custom}
            onChange={(e) => setCustom(e.target.value)}
            rows={Math.min(12, Math.max(3, custom.split("\n").length + 1))}
            spellCheck={false}
            data-testid="custom-input"
            aria-label="Custom input"
          />
        </label>
      )}
      {mode === "generator" && (
        <div className="generator-input">
          <label>
            Generator{" "}
            <select value={generator} onChange={(e) => setGenerator(Number(e.target.value))}>
              {(problem.generators ?? []).map((g, i) => (
                <option key={g} value={i}>
                  {g}
                </option>
              ))}
            </select>
          </label>
          <label>
            Seed{" "}
            <input
              type="number"
              min={0}
              value={seed}
              onChange={(e) => setSeed(Math.max(0, Math.floor(Number(e.target.value) || 0)))}
            />
          </label>
        </div>
      )}
      {run.error && (
        <div className="error-box" role="alert">
          Run refused: <span className="error-message">{errorMessage(run.error)}</span>
        </div>
      )}
      {result && !run.isPending && <RunResult result={result} />}
    </section>
  );
}

function RunResult({ result }: { result: RunPublic }) {
  return (
    <section className="results run-results" data-testid="run-results" data-verdict={result.verdict} aria-live="polite">
      <header className="results-head">
        <VerdictBadge verdict={result.verdict} />
        <span className="verdict-name">
          {(VERDICT_NAMES as Record<string, string>)[result.verdict] ?? result.verdict}
        </span>
        <span className="muted">Run, not a submission: nothing is recorded.</span>
      </header>
      {result.message && <p className="message">{result.message}</p>}
      {result.compile_output && (
        <div className="compile-output">
          <h3>Compiler output</h3>
          <pre>{result.compile_output}</pre>
        </div>
      )}
      <HintSummary tests={result.tests} />
      {result.tests.length > 0 && <TestTable tests={result.tests} />}
    </section>
  );
}
