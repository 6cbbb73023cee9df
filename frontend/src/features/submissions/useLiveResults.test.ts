// @vitest-environment jsdom
import { act, cleanup, renderHook, waitFor } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { SubmissionPublic, TestResult } from "../../api/models";
import { useLiveResults } from "./useLiveResults";

/** A stand-in for the browser's EventSource that the test drives by hand. */
class FakeEventSource {
  static CONNECTING = 0;
  static OPEN = 1;
  static CLOSED = 2;
  static last: FakeEventSource | null = null;
  readyState = FakeEventSource.OPEN;
  onerror: (() => void) | null = null;
  private listeners = new Map<string, ((event: MessageEvent<string>) => void)[]>();

  constructor(
    readonly url: string,
    readonly init?: EventSourceInit,
  ) {
    FakeEventSource.last = this;
  }
  addEventListener(type: string, listener: (event: MessageEvent<string>) => void) {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }
  emit(type: string, data: unknown) {
    for (const listener of this.listeners.get(type) ?? []) {
      listener(new MessageEvent(type, { data: JSON.stringify(data) }));
    }
  }
  fail() {
    this.readyState = FakeEventSource.CLOSED;
    this.onerror?.();
  }
  close() {
    this.readyState = FakeEventSource.CLOSED;
  }
}

function submission(status: SubmissionPublic["status"], tests: TestResult[] = []): SubmissionPublic {
  return {
    id: 9,
    problem: "p",
    language: "python",
    user: "u",
    status,
    verdict: status === "judged" ? "AC" : null,
    score: null,
    max_score: null,
    created_at: "2026-01-01T00:00:00Z",
    judged_at: null,
    tests,
    groups: [],
    compile_output: "",
    message: "",
    source: "",
    problem_version: 1,
  } as SubmissionPublic;
}

const test1: TestResult = {
  name: "sample/01",
  group: "sample",
  verdict: "AC",
  time_ms: 3,
  memory_kb: 10,
  visible: true,
  message: "",
  feedback: {},
};

let snapshots: SubmissionPublic[];
const fetchMock = vi.fn(async () => {
  const next = snapshots.length > 1 ? snapshots.shift() : snapshots[0];
  return new Response(JSON.stringify(next), { status: 200, headers: { "content-type": "application/json" } });
});

beforeEach(() => {
  FakeEventSource.last = null;
  fetchMock.mockClear();
  vi.stubGlobal("EventSource", FakeEventSource);
  vi.stubGlobal("fetch", fetchMock);
});

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe("useLiveResults", () => {
  it("subscribes to the submission's event stream with cookies and folds its events", async () => {
    snapshots = [submission("queued")];
    const { result } = renderHook(() => useLiveResults(9));
    const source = FakeEventSource.last;
    expect(source?.url).toBe("/api/v1/submissions/9/events");
    expect(source?.init?.withCredentials).toBe(true);
    await waitFor(() => expect(fetchMock).toHaveBeenCalledTimes(1));

    act(() => source?.emit("status", { status: "running" }));
    act(() => source?.emit("test", test1));
    expect(result.current.status).toBe("running");
    expect(result.current.tests.map((t) => t.name)).toEqual(["sample/01"]);

    act(() => source?.emit("done", submission("judged", [test1])));
    expect(result.current.status).toBe("judged");
    expect(result.current.submission?.verdict).toBe("AC");
    expect(source?.readyState).toBe(FakeEventSource.CLOSED);
  });

  it("falls back to polling when the stream closes before the verdict", async () => {
    snapshots = [submission("running"), submission("running"), submission("judged", [test1])];
    const { result } = renderHook(() => useLiveResults(9));
    await waitFor(() => expect(fetchMock).toHaveBeenCalledTimes(1));
    act(() => FakeEventSource.last?.fail());
    await waitFor(() => expect(result.current.status).toBe("judged"), { timeout: 5000 });
    expect(result.current.tests).toHaveLength(1);
    expect(fetchMock.mock.calls.length).toBeGreaterThanOrEqual(3);
  });

  it("starts a new submission from scratch, not from the last one's verdict and tests", async () => {
    snapshots = [submission("queued"), submission("queued")];
    const { result, rerender } = renderHook(({ id }) => useLiveResults(id), { initialProps: { id: 9 } });
    act(() => FakeEventSource.last?.emit("done", submission("judged", [test1])));
    expect(result.current.status).toBe("judged");

    rerender({ id: 10 });
    expect(result.current.status).toBe("queued");
    expect(result.current.submission).toBeNull();
    expect(result.current.tests).toEqual([]);
    expect(FakeEventSource.last?.url).toBe("/api/v1/submissions/10/events");
    await waitFor(() => expect(result.current.submission?.status).toBe("queued"));
  });

  it("does nothing without a submission", () => {
    const { result } = renderHook(() => useLiveResults(null));
    expect(FakeEventSource.last).toBeNull();
    expect(result.current.status).toBe("queued");
  });
});
