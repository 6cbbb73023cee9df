"""Prometheus metrics through `prometheus-client`, one `CollectorRegistry` per app.

Counters and histograms live in the process that observes them (the API server
handles every finish, so it sees every verdict); gauges such as the queue depth are
read from the database at scrape time by the ops route and set just before rendering.

Every label comes from a closed set declared with its metric (`allowed`): a value
outside it (a client's invented HTTP method, a status code no server sends) is
counted as "other", so nobody can grow the exposition without bound or write into it.
The client library renders and escapes; this module only owns the names, the help
texts and the closed sets.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from prometheus_client import CollectorRegistry, disable_created_metrics, generate_latest
from prometheus_client import Counter as _Counter
from prometheus_client import Gauge as _Gauge
from prometheus_client import Histogram as _Histogram

from graders import Verdict

# The exposition keeps the series it always had: no `_created` timestamps (a
# process-wide switch of the client library; nothing else here registers metrics).
disable_created_metrics()  # type: ignore[no-untyped-call]  # untyped in the library

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"

_TIME_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300)
_HTTP_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)

VERDICTS = frozenset(v.value for v in Verdict)
FAILURE_REASONS = frozenset({"error", "lease_expired", "deterministic"})
HTTP_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
HTTP_STATUSES = frozenset(str(code) for code in range(100, 600))

OTHER = "other"
Allowed = dict[str, frozenset[str] | None]  # label -> its closed set (None: any, see below)

GAUGES = {
    "gradebox_up": "1 when the database answers.",
    "gradebox_queue_depth": "Jobs waiting for a judgehost.",
    "gradebox_jobs_running": "Jobs being judged.",
    "gradebox_judgehosts_active": "Judgehosts heard from recently.",
}
"""The gauges read at scrape time (name -> help); `Metrics.render` takes their values."""


def _closed(allowed: Allowed, labels: Mapping[str, str]) -> dict[str, str]:
    """`labels` with each value outside its label's closed set replaced by "other"."""
    if set(labels) - set(allowed):
        raise ValueError(f"undeclared labels {sorted(set(labels) - set(allowed))}")
    out = {}
    for key, value in labels.items():
        values = allowed[key]
        out[key] = value if values is None or value in values else OTHER
    return out


class Counter:
    """A `prometheus_client.Counter` whose label values come from closed sets."""

    def __init__(
        self,
        registry: CollectorRegistry,
        name: str,
        help_text: str,
        allowed: Allowed | None = None,
    ) -> None:
        self.allowed: Allowed = allowed or {}
        self._metric = _Counter(name, help_text, sorted(self.allowed), registry=registry)

    def inc(self, amount: float = 1.0, **labels: str) -> None:
        closed = _closed(self.allowed, labels)
        (self._metric.labels(**closed) if self.allowed else self._metric).inc(amount)


class Histogram:
    """A `prometheus_client.Histogram` whose label values come from closed sets."""

    def __init__(
        self,
        registry: CollectorRegistry,
        name: str,
        help_text: str,
        buckets: Sequence[float],
        allowed: Allowed | None = None,
    ) -> None:
        self.allowed: Allowed = allowed or {}
        self._metric = _Histogram(
            name, help_text, sorted(self.allowed), buckets=buckets, registry=registry
        )

    def observe(self, value: float, **labels: str) -> None:
        closed = _closed(self.allowed, labels)
        (self._metric.labels(**closed) if self.allowed else self._metric).observe(value)


class Metrics:
    """Every metric of one app, in a registry of its own (two apps never share)."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        reg = self.registry
        self.submissions_created = Counter(
            reg, "gradebox_submissions_created_total", "Submissions accepted into the queue."
        )
        self.submissions_judged = Counter(
            reg,
            "gradebox_submissions_judged_total",
            "Submissions judged, by final verdict.",
            {"verdict": VERDICTS},
        )
        self.judge_failures = Counter(
            reg,
            "gradebox_judge_failures_total",
            "Judging attempts that failed (error, lost lease, or an IE not retried).",
            {"reason": FAILURE_REASONS},
        )
        self.queue_wait = Histogram(
            reg,
            "gradebox_queue_wait_seconds",
            "Time from submission to its first claim.",
            _TIME_BUCKETS,
        )
        self.judge_time = Histogram(
            reg, "gradebox_judge_seconds", "Time from the last claim to the verdict.", _TIME_BUCKETS
        )
        self.http_requests = Counter(
            reg,
            "gradebox_http_requests_total",
            "HTTP requests served.",
            {"method": HTTP_METHODS, "status": HTTP_STATUSES},
        )
        # `route` is the matched route's template (the app's own route table, a closed
        # set the code defines) or "unmatched"; never the request path.
        self.http_latency = Histogram(
            reg,
            "gradebox_http_request_seconds",
            "HTTP request latency.",
            _HTTP_BUCKETS,
            {"route": None},
        )
        self._gauges = {name: _Gauge(name, text, registry=reg) for name, text in GAUGES.items()}

    def render(self, gauges: Mapping[str, float]) -> str:
        """The exposition, with the scrape-time gauges (names from `GAUGES`) set first."""
        if set(gauges) - set(self._gauges):
            raise ValueError(f"undeclared gauges {sorted(set(gauges) - set(self._gauges))}")
        for name, value in gauges.items():
            self._gauges[name].set(value)
        exposition: bytes = generate_latest(self.registry)
        return exposition.decode()
