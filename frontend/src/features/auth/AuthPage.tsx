import { type FormEvent, useState } from "react";
import { Link, useNavigate, useSearchParams } from "react-router";
import { errorMessage } from "../../api/client";
import { useLogin } from "../../api/queries";

/** Only same-site paths are followed after login, so `?next=` cannot send people elsewhere. */
export function safeNext(next: string | null): string {
  return next?.startsWith("/") && !next.startsWith("//") ? next : "/";
}

export function AuthPage({ mode }: { mode: "login" | "register" }) {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const mutation = useLogin(mode);
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const title = mode === "login" ? "Log in" : "Create an account";

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    mutation.mutate({ username, password }, { onSuccess: () => void navigate(safeNext(params.get("next"))) });
  };

  return (
    <div className="page narrow">
      <h1>{title}</h1>
      <form className="form" onSubmit={onSubmit}>
        <label>
          Username
          <input
            name="username"
            autoComplete="username"
            required
            minLength={mode === "register" ? 3 : undefined}
            pattern={mode === "register" ? "[A-Za-z0-9_.\\-]+" : undefined}
            title={mode === "register" ? "3 to 64 letters, digits, '_', '.' or '-'" : undefined}
            value={username}
            onChange={(e) => setUsername(e.target.value)}
          />
        </label>
        <label>
          Password
          <input
            name="password"
            type="password"
            autoComplete={mode === "login" ? "current-password" : "new-password"}
            required
            minLength={mode === "register" ? 8 : undefined}
            aria-describedby={mode === "register" ? "password-hint" : undefined}
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>
        {mode === "register" && (
          <p id="password-hint" className="hint muted">
            At least 8 characters.
          </p>
        )}
        {mutation.error && (
          <div className="error-box" role="alert">
            <span className="error-message">{errorMessage(mutation.error)}</span>
          </div>
        )}
        <button type="submit" className="button" disabled={mutation.isPending}>
          {mutation.isPending ? "Please wait…" : title}
        </button>
      </form>
      <p>
        {mode === "login" ? (
          <>
            No account yet? <Link to={`/register?${params.toString()}`}>Register</Link>
          </>
        ) : (
          <>
            Already registered? <Link to={`/login?${params.toString()}`}>Log in</Link>
          </>
        )}
      </p>
    </div>
  );
}
