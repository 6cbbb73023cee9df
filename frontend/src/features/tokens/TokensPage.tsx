import { type FormEvent, useState } from "react";
import { Link } from "react-router";
import { errorMessage } from "../../api/client";
import type { TokenCreated } from "../../api/models";
import { isInstructor, useCreateToken, useMe, useProblems, useRevokeToken, useTokens } from "../../api/queries";
import { ErrorBox, Loading } from "../../components/QueryState";
import { formatDate } from "../submissions/SubmissionTable";
import { ciExample } from "./ciExample";

const SCOPES: { id: string; label: string; instructorOnly?: boolean }[] = [
  { id: "submit", label: "submit — create submissions" },
  { id: "read", label: "read — read submissions and results" },
  { id: "problems:write", label: "problems:write — upload problem packages", instructorOnly: true },
];

export function TokensPage() {
  const me = useMe();
  if (me.isPending) return <Loading />;
  if (!me.data)
    return (
      <div className="page">
        <h1>API tokens</h1>
        <p>
          <Link to="/login?next=/tokens">Log in</Link> to manage your API tokens.
        </p>
      </div>
    );
  return <TokensView instructor={isInstructor(me.data)} />;
}

function TokensView({ instructor }: { instructor: boolean }) {
  const tokens = useTokens();
  const create = useCreateToken();
  const revoke = useRevokeToken();
  const [name, setName] = useState("ci");
  const [scopes, setScopes] = useState<string[]>(["submit", "read"]);
  const [created, setCreated] = useState<TokenCreated | null>(null);

  const onCreate = (event: FormEvent) => {
    event.preventDefault();
    create.mutate({ name, scopes }, { onSuccess: (token) => setCreated(token) });
  };
  const toggleScope = (id: string) => setScopes((s) => (s.includes(id) ? s.filter((x) => x !== id) : [...s, id]));

  return (
    <div className="page">
      <h1>API tokens</h1>
      <p>Tokens let scripts and CI jobs use the API as you. They are shown once; store them as secrets.</p>
      <form className="form inline-form" onSubmit={onCreate}>
        <label>
          Name
          <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={100} />
        </label>
        <fieldset>
          <legend>Scopes</legend>
          {SCOPES.filter((s) => instructor || !s.instructorOnly).map((s) => (
            <label key={s.id} className="checkbox">
              <input type="checkbox" checked={scopes.includes(s.id)} onChange={() => toggleScope(s.id)} /> {s.label}
            </label>
          ))}
        </fieldset>
        <button type="submit" className="button" disabled={create.isPending || scopes.length === 0}>
          Create token
        </button>
        {create.error && (
          <div className="error-box" role="alert">
            <span className="error-message">{errorMessage(create.error)}</span>
          </div>
        )}
      </form>
      {created && <CreatedToken token={created} onDismiss={() => setCreated(null)} />}
      <h2>Your tokens</h2>
      {tokens.isPending ? (
        <Loading />
      ) : tokens.error ? (
        <ErrorBox error={tokens.error} retry={() => void tokens.refetch()} />
      ) : tokens.data.length === 0 ? (
        <p className="empty">No tokens yet.</p>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Scopes</th>
                <th scope="col">Prefix</th>
                <th scope="col">Created</th>
                <th scope="col">Last used</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {tokens.data.map((t) => (
                <tr key={t.id}>
                  <td>{t.name}</td>
                  <td>{t.scopes.join(", ")}</td>
                  <td>
                    <code>{t.prefix}…</code>
                  </td>
                  <td>{formatDate(t.created_at)}</td>
                  <td>{t.last_used_at ? formatDate(t.last_used_at) : "never"}</td>
                  <td>
                    {t.revoked_at ? (
                      <span className="badge tone-neutral">revoked {formatDate(t.revoked_at)}</span>
                    ) : (
                      <button
                        type="button"
                        className="button danger small"
                        disabled={revoke.isPending}
                        onClick={() => {
                          if (window.confirm(`Revoke token "${t.name}"? Jobs using it will stop working.`))
                            revoke.mutate(t.id);
                        }}
                      >
                        Revoke
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {revoke.error && <ErrorBox error={revoke.error} />}
    </div>
  );
}

function CreatedToken({ token, onDismiss }: { token: TokenCreated; onDismiss: () => void }) {
  const [copied, setCopied] = useState<string | null>(null);
  const problems = useProblems();
  const list = problems.data?.data ?? [];
  const [picked, setPicked] = useState("");
  const problem = picked || list[0]?.slug || "PROBLEM-SLUG";
  const [language, setLanguage] = useState("python");
  const file = language === "cpp" ? "solution.cpp" : "solution.py";
  const example = ciExample({ origin: window.location.origin, token: token.token, problem, language, file });
  const copy = (what: string, text: string) => {
    navigator.clipboard
      .writeText(text)
      .then(() => setCopied(what))
      .catch(() => setCopied("failed"));
  };
  return (
    <section className="created-token" aria-label="New token">
      <h2>Token “{token.name}” created</h2>
      <p className="warning">Copy it now: it will not be shown again.</p>
      <div className="token-row">
        <code data-testid="new-token">{token.token}</code>
        <button type="button" className="button small" onClick={() => copy("token", token.token)}>
          Copy
        </button>
      </div>
      <h3>Use it in CI</h3>
      <div className="filters">
        <label>
          Problem{" "}
          <select value={problem} onChange={(e) => setPicked(e.target.value)}>
            {list.length === 0 && <option value={problem}>{problem}</option>}
            {list.map((p) => (
              <option key={p.slug} value={p.slug}>
                {p.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Language{" "}
          <select value={language} onChange={(e) => setLanguage(e.target.value)}>
            <option value="python">python</option>
            <option value="cpp">cpp</option>
          </select>
        </label>
      </div>
      <pre className="ci-example">{example}</pre>
      <button type="button" className="button secondary small" onClick={() => copy("example", example)}>
        Copy example
      </button>{" "}
      <button type="button" className="button secondary small" onClick={onDismiss}>
        Done
      </button>
      <span role="status" className="muted">
        {copied === "failed" ? " Copy failed: select the text instead." : copied ? ` Copied the ${copied}.` : ""}
      </span>
    </section>
  );
}
