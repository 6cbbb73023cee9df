/**
 * Live results of one submission: the SSE stream when the server offers it,
 * polling as a fallback when the stream closes before the verdict (a proxy that
 * buffers, an expired session), so the page never hangs on "running".
 */
import { useEffect, useReducer } from "react";
import { API_PREFIX, api, errorMessage } from "../../api/client";
import type { SubmissionEvents, SubmissionPublic } from "../../api/models";
import { initialResults, type ResultsAction, type ResultsState, resultsReducer } from "./resultsReducer";

const POLL_MS = 1500;

/** Results tagged with the submission they belong to: a new submission starts from scratch,
 * never from the last one's verdict and tests (which the reducer would otherwise keep). */
interface Keyed {
  id: number | null;
  results: ResultsState;
}

function keyedReducer(state: Keyed, { id, action }: { id: number; action: ResultsAction }): Keyed {
  return { id, results: resultsReducer(state.id === id ? state.results : initialResults, action) };
}

export function useLiveResults(id: number | null): ResultsState {
  const [keyed, dispatchKeyed] = useReducer(keyedReducer, { id: null, results: initialResults });

  useEffect(() => {
    if (id === null) return;
    const dispatch = (action: ResultsAction): void => dispatchKeyed({ id, action });
    let stopped = false;
    let judged = false;
    let source: EventSource | null = null;
    let pollTimer: ReturnType<typeof setTimeout> | undefined;

    const fetchSnapshot = async (): Promise<void> => {
      try {
        const submission = await api<SubmissionPublic>(`/submissions/${id}`);
        if (stopped) return;
        dispatch({ type: "snapshot", submission });
        if (submission.status === "judged" || submission.status === "awaiting_gpu") {
          judged = true;
          dispatch({ type: "done", submission });
          source?.close();
        }
      } catch (error) {
        if (!stopped) dispatch({ type: "error", message: errorMessage(error) });
      }
    };

    const poll = (): void => {
      if (stopped || judged) return;
      void fetchSnapshot().then(() => {
        if (!stopped && !judged) pollTimer = setTimeout(poll, POLL_MS);
      });
    };

    if (typeof EventSource !== "undefined") {
      source = new EventSource(`${API_PREFIX}/submissions/${id}/events`, { withCredentials: true });
      source.addEventListener("test", (event) => {
        const test = JSON.parse((event as MessageEvent<string>).data) as SubmissionEvents["test"];
        dispatch({ type: "test", test });
      });
      source.addEventListener("status", (event) => {
        const { status } = JSON.parse((event as MessageEvent<string>).data) as SubmissionEvents["status"];
        dispatch({ type: "status", status });
      });
      source.addEventListener("done", (event) => {
        judged = true;
        const submission = JSON.parse((event as MessageEvent<string>).data) as SubmissionEvents["done"];
        dispatch({ type: "done", submission });
        source?.close();
      });
      source.onerror = () => {
        // The browser retries on its own while CONNECTING; a CLOSED stream needs polling.
        if (source?.readyState === EventSource.CLOSED && !judged && pollTimer === undefined) poll();
      };
      void fetchSnapshot();
    } else {
      poll();
    }

    return () => {
      stopped = true;
      source?.close();
      if (pollTimer !== undefined) clearTimeout(pollTimer);
    };
  }, [id]);

  return keyed.id === id ? keyed.results : initialResults;
}
