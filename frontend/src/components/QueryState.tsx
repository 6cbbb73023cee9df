/** Loading and error states shared by every screen: the API's message, never a blank page. */
import type { ReactNode } from "react";
import { ApiError, errorMessage } from "../api/client";

export function Loading({ label = "Loading…" }: { label?: string }) {
  return (
    <div className="loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" /> {label}
    </div>
  );
}

/** Retrying helps with network trouble and server errors, not with a refusal (4xx). */
function retryable(error: unknown): boolean {
  return !(error instanceof ApiError && error.status >= 400 && error.status < 500);
}

export function ErrorBox({ error, retry }: { error: unknown; retry?: () => void }) {
  return (
    <div className="error-box" role="alert">
      <strong>Something went wrong.</strong> <span className="error-message">{errorMessage(error)}</span>
      {retry && retryable(error) && (
        <button type="button" className="link-button" onClick={retry}>
          Retry
        </button>
      )}
    </div>
  );
}

interface QueryLike<T> {
  data: T | undefined;
  error: unknown;
  isPending: boolean;
  refetch: () => unknown;
}

export function QueryView<T>({
  query,
  children,
  label,
}: {
  query: QueryLike<T>;
  children: (data: T) => ReactNode;
  label?: string;
}) {
  if (query.isPending) return <Loading label={label} />;
  if (query.error || query.data === undefined)
    return <ErrorBox error={query.error} retry={() => void query.refetch()} />;
  return <>{children(query.data)}</>;
}
