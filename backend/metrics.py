"""Prometheus metrics, written by hand (text exposition format 0.0.4).

Counters and histograms live in the process that observes them (the API server
handles every finish, so it sees every verdict); gauges such as the queue depth are
read from the database at scrape time by the ops route.

Every label comes from a closed set declared with its metric (`allowed`): a value
outside it (a client's invented HTTP method, a status code no server sends) is
counted as "other", so nobody can grow the exposition without bound or write into it.
"""

from __future__ import annotations

import math
import threading
from collections import defaultdict
from collections.abc import Iterable, Sequence

from graders import Verdict

_TIME_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300)
_HTTP_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)

Labels = tuple[tuple[str, str], ...]

VERDICTS = frozenset(v.value for v in Verdict)
FAILURE_REASONS = frozenset({"error", "lease_expired", "deterministic"})
HTTP_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
HTTP_STATUSES = frozenset(str(code) for code in range(100, 600))


def _fmt_labels(labels: Labels, extra: Labels = ()) -> str:
    pairs = labels + extra
    if not pairs:
        return ""
    inner = ",".join(f'{k}="{_escape(v)}"' for k, v in pairs)
    return "{" + inner + "}"


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def _num(value: float) -> str:
    if math.isinf(value):
        return "+Inf"
    return repr(float(value)) if not float(value).is_integer() else str(int(value))


OTHER = "other"
Allowed = dict[str, frozenset[str] | None]  # label -> its closed set (None: any, see below)


def _closed(allowed: Allowed, labels: dict[str, str]) -> Labels:
    """`labels` with each value outside its label's closed set replaced by "other"."""
    if set(labels) - set(allowed):
        raise ValueError(f"undeclared labels {sorted(set(labels) - set(allowed))}")
    items = []
    for key, value in labels.items():
        values = allowed[key]
        items.append((key, value if values is None or value in values else OTHER))
    return tuple(sorted(items))


class Counter:
    def __init__(self, name: str, help_text: str, allowed: Allowed | None = None) -> None:
        self.name, self.help = name, help_text
        self.allowed: Allowed = allowed or {}
        self._values: dict[Labels, float] = defaultdict(float)
        self._lock = threading.Lock()

    def inc(self, amount: float = 1.0, **labels: str) -> None:
        key = _closed(self.allowed, labels)
        with self._lock:
            self._values[key] += amount

    def value(self, **labels: str) -> float:
        return self._values.get(_closed(self.allowed, labels), 0.0)

    def render(self) -> Iterable[str]:
        yield f"# HELP {self.name} {self.help}"
        yield f"# TYPE {self.name} counter"
        with self._lock:
            for labels, value in sorted(self._values.items()):
                yield f"{self.name}{_fmt_labels(labels)} {_num(value)}"


class Histogram:
    def __init__(
        self, name: str, help_text: str, buckets: Sequence[float], allowed: Allowed | None = None
    ) -> None:
        self.name, self.help = name, help_text
        self.allowed: Allowed = allowed or {}
        self.buckets = tuple(buckets) + (math.inf,)
        self._counts: dict[Labels, list[int]] = {}
        self._sums: dict[Labels, float] = defaultdict(float)
        self._lock = threading.Lock()

    def observe(self, value: float, **labels: str) -> None:
        key = _closed(self.allowed, labels)
        with self._lock:
            counts = self._counts.setdefault(key, [0] * len(self.buckets))
            for i, bound in enumerate(self.buckets):
                if value <= bound:
                    counts[i] += 1
            self._sums[key] += value

    def count(self, **labels: str) -> int:
        counts = self._counts.get(_closed(self.allowed, labels))
        return counts[-1] if counts else 0

    def render(self) -> Iterable[str]:
        yield f"# HELP {self.name} {self.help}"
        yield f"# TYPE {self.name} histogram"
        with self._lock:
            for labels, counts in sorted(self._counts.items()):
                for bound, count in zip(self.buckets, counts, strict=True):
                    le = (("le", _num(bound)),)
                    yield f"{self.name}_bucket{_fmt_labels(labels, le)} {count}"
                yield f"{self.name}_sum{_fmt_labels(labels)} {_num(self._sums[labels])}"
                yield f"{self.name}_count{_fmt_labels(labels)} {counts[-1]}"


class Metrics:
    def __init__(self) -> None:
        self.submissions_created = Counter(
            "gradebox_submissions_created_total", "Submissions accepted into the queue."
        )
        self.submissions_judged = Counter(
            "gradebox_submissions_judged_total",
            "Submissions judged, by final verdict.",
            {"verdict": VERDICTS},
        )
        self.judge_failures = Counter(
            "gradebox_judge_failures_total",
            "Judging attempts that failed (error, lost lease, or an IE not retried).",
            {"reason": FAILURE_REASONS},
        )
        self.queue_wait = Histogram(
            "gradebox_queue_wait_seconds", "Time from submission to its first claim.", _TIME_BUCKETS
        )
        self.judge_time = Histogram(
            "gradebox_judge_seconds", "Time from the last claim to the verdict.", _TIME_BUCKETS
        )
        self.http_requests = Counter(
            "gradebox_http_requests_total",
            "HTTP requests served.",
            {"method": HTTP_METHODS, "status": HTTP_STATUSES},
        )
        # `route` is the matched route's template (the app's own route table, a closed
        # set the code defines) or "unmatched"; never the request path.
        self.http_latency = Histogram(
            "gradebox_http_request_seconds", "HTTP request latency.", _HTTP_BUCKETS, {"route": None}
        )

    def render(self, gauges: dict[str, tuple[str, float]]) -> str:
        lines: list[str] = []
        for name, (help_text, value) in sorted(gauges.items()):
            lines += [f"# HELP {name} {help_text}", f"# TYPE {name} gauge", f"{name} {_num(value)}"]
        for metric in (
            self.submissions_created,
            self.submissions_judged,
            self.judge_failures,
            self.queue_wait,
            self.judge_time,
            self.http_requests,
            self.http_latency,
        ):
            lines += metric.render()
        return "\n".join(lines) + "\n"
