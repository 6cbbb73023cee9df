import { Link, NavLink, Outlet, useNavigate } from "react-router";
import { errorMessage } from "../api/client";
import { isInstructor, useLogout, useMe } from "../api/queries";

export function Layout() {
  const me = useMe();
  const logout = useLogout();
  const navigate = useNavigate();
  const user = me.data ?? null;

  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <Link to="/" className="brand">
          Gradebox
        </Link>
        <nav aria-label="Main" className="nav">
          <NavLink to="/" end>
            Problems
          </NavLink>
          <NavLink to="/tracks">Tracks</NavLink>
          <NavLink to="/leaderboards">Leaderboards</NavLink>
          {user && (
            <NavLink to="/submissions" end>
              My submissions
            </NavLink>
          )}
          {user && <NavLink to="/tokens">API tokens</NavLink>}
          {isInstructor(user) && <NavLink to="/instructor">Instructor</NavLink>}
        </nav>
        <div className="account">
          {me.isPending ? null : user ? (
            <>
              <span className="whoami" data-testid="whoami">
                {user.username}
                {user.role !== "learner" && <span className="role"> · {user.role}</span>}
              </span>
              <button
                type="button"
                className="button secondary small"
                disabled={logout.isPending}
                onClick={() => logout.mutate(undefined, { onSuccess: () => void navigate("/") })}
              >
                Log out
              </button>
            </>
          ) : (
            <>
              <NavLink to="/login">Log in</NavLink>
              <NavLink to="/register" className="button small">
                Register
              </NavLink>
            </>
          )}
        </div>
      </header>
      {logout.error && (
        <div className="error-box" role="alert">
          Logout failed: {errorMessage(logout.error)}
        </div>
      )}
      {me.error && (
        <div className="error-box" role="alert">
          Could not load your account: {errorMessage(me.error)}
        </div>
      )}
      <main id="main" tabIndex={-1}>
        <Outlet />
      </main>
    </div>
  );
}
