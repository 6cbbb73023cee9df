"""Schema-driven fuzzing of the whole REST API, in process, against the real app.

Schemathesis generates valid and invalid requests for every operation in the
OpenAPI document and sends them as a learner, an instructor and a judge (between
them they reach every route's handler). Each response must not be a 5xx, must carry
a documented status code and content type, must match the documented response
schema. The run is derandomized and bounded (MAX_EXAMPLES per operation and mode).

Schemathesis's `negative_data_rejection` check is left out: it counts standard HTTP
behaviour as a failure (a scalar query parameter given twice, `?q=a&q=b`, takes the
last value), and which such case it generates varied between runs on fresh machines.

The operations are driven through `operation.as_strategy()` and Hypothesis directly:
schemathesis's own pytest plugin does not work with pytest 9 (it sets `_nodeid`).
This bounded run is a guard, not a search: the bugs pinned by the regressions below
were found by longer exploratory runs (more examples, all roles), and the short run
alone does not reliably re-find them.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from starlette.exceptions import StarletteDeprecationWarning

from backend.api.routes.submissions import _event_id
from backend.app import create_app
from tests.backend.conftest import Actors, make_settings, seed
from tests.backend.problems import write_problem

with warnings.catch_warnings():  # as in conftest: Starlette warns about httpx at import
    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from fastapi.testclient import TestClient

MAX_EXAMPLES = 15
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


STREAM = "GET /api/v1/submissions/{submission_id}/events"


@pytest.fixture
def fuzz_env(tmp_path: Path) -> Iterator[tuple[Any, Actors]]:
    s = make_settings(tmp_path)
    write_problem(s.problems_dir)
    actors = seed(s)
    app = create_app(s)
    yield app, actors
    app.state.engine.dispose()


@pytest.fixture
def api_schema(fuzz_env: tuple[Any, Actors]) -> Any:
    loaded = schemathesis.openapi.from_asgi("/openapi.json", fuzz_env[0])
    loaded.config.generation.update(deterministic=True, database="none")
    return loaded


FUZZ = settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)


def fuzz_operation(operation: Any, mode: GenerationMode, headers: dict[str, str]) -> str | None:
    """Run one operation's bounded search; the first failure, described, or None."""

    @FUZZ
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case: Any) -> None:
        case.call_and_validate(headers=headers, checks=CHECKS)

    try:
        run()
    except Unsatisfiable:
        return None  # nothing to make invalid (no parameters, no body)
    except (Exception, BaseExceptionGroup) as exc:  # a check failure or a crash
        return f"{mode.value} {operation.label}: {type(exc).__name__}: {exc}"
    return None


def fuzz(
    api_schema: Any, mode: GenerationMode, headers: dict[str, str], labels: Callable[[str], bool]
) -> list[str]:
    operations = [r.ok() for r in api_schema.get_all_operations() if labels(r.ok().label)]
    assert operations
    return [
        failure
        for operation in operations
        if (failure := fuzz_operation(operation, mode, headers)) is not None
    ]


MODES = [GenerationMode.POSITIVE, GenerationMode.NEGATIVE]


@pytest.mark.slow
@pytest.mark.parametrize("mode", MODES, ids=lambda m: m.value)
@pytest.mark.parametrize("role", ["learner", "instructor", "judge"])
def test_api_conforms(
    api_schema: Any, fuzz_env: tuple[Any, Actors], role: str, mode: GenerationMode
) -> None:
    """Every operation but the stream, whose 200 never ends while a submission is
    queued (nothing judges here)."""
    headers = fuzz_env[1][role].headers
    failures = fuzz(api_schema, mode, headers, lambda label: label != STREAM)
    assert not failures, "\n\n".join(failures)


@pytest.mark.slow
@pytest.mark.parametrize("mode", MODES, ids=lambda m: m.value)
def test_event_stream_refuses_cleanly(
    api_schema: Any, fuzz_env: tuple[Any, Actors], mode: GenerationMode
) -> None:
    """The stream on a database with no submissions: every request is a 4xx."""
    failures = fuzz(api_schema, mode, fuzz_env[1].learner.headers, lambda label: label == STREAM)
    assert not failures, "\n\n".join(failures)


# --- regressions for what the fuzzing found -------------------------------------------

TOO_BIG = 2**31  # one past the largest id a PostgreSQL INTEGER column holds
ID_PATHS = [
    ("GET", "/api/v1/submissions/{}", "learner"),
    ("GET", "/api/v1/submissions/{}/events", "learner"),
    ("GET", "/api/v1/submissions/{}/junit", "learner"),
    ("DELETE", "/api/v1/tokens/{}", "learner"),
    ("POST", "/api/v1/judge/{}/heartbeat", "judge"),
]


def assert_error(response: Any, status: int, code: str) -> None:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "details"}
    assert body["error"]["code"] == code, body


@pytest.mark.parametrize(("method", "path", "role"), ID_PATHS)
def test_ids_past_32_bits_are_refused_not_overflowed(
    client: TestClient, actors: Actors, method: str, path: str, role: str
) -> None:
    """They reached the driver, which raised OverflowError (SQLite, past 64 bits) or
    NumericValueOutOfRange (PostgreSQL, past 32 bits): a 500."""
    body = {"lease_id": "x"} if method == "POST" else None
    headers = actors[role].headers
    too_big = client.request(method, path.format(TOO_BIG), headers=headers, json=body)
    assert_error(too_big, 422, "validation_error")
    largest = client.request(method, path.format(TOO_BIG - 1), headers=headers, json=body)
    assert largest.status_code == 404, largest.text


def test_offset_past_32_bits_is_refused(client: TestClient, actors: Actors) -> None:
    headers = actors.learner.headers
    too_big = client.get("/api/v1/submissions", params={"offset": TOO_BIG}, headers=headers)
    assert_error(too_big, 422, "validation_error")
    largest = client.get("/api/v1/submissions", params={"offset": TOO_BIG - 1}, headers=headers)
    assert largest.status_code == 200 and largest.json()["data"] == []


@pytest.mark.parametrize(
    ("header", "after"),
    [("12", 12), (str(TOO_BIG - 1), TOO_BIG - 1), (str(TOO_BIG), 0), ("\xb2", 0), ("-1", 0)],
)
def test_last_event_id_out_of_range_restarts_the_stream(header: str, after: int) -> None:
    """A huge one overflowed in the stream's first query; `²` is a digit to isdigit()."""
    assert _event_id(header) == after


SURROGATE = '"\\ud800"'  # JSON for an unpaired UTF-16 surrogate


@pytest.mark.parametrize(
    ("path", "role", "body"),
    [
        ("/api/v1/auth/register", "anonymous", '{"username": "zed", "password": %s}'),
        ("/api/v1/auth/login", "anonymous", '{"username": "alice", "password": %s}'),
        (
            "/api/v1/submissions",
            "learner",
            '{"problem": "add-two", "language": "python", "source": %s}',
        ),
        ("/api/v1/judge/claim", "judge", '{"judgehost": %s}'),
        ("/api/v1/judge/1/results", "judge", '{"lease_id": "x", "results": [{"name": %s}]}'),
    ],
)
def test_unpaired_surrogates_are_refused(
    client: TestClient, actors: Actors, path: str, role: str, body: str
) -> None:
    """Valid JSON, but not encodable as UTF-8: hashing the password or storing the
    source raised UnicodeEncodeError, a 500."""
    headers = {**actors[role].headers, "Content-Type": "application/json"}
    response = client.post(path, content=(body % SURROGATE).encode(), headers=headers)
    assert_error(response, 422, "validation_error")
    assert "unpaired surrogate" in response.json()["error"]["message"]


def test_unparsable_body_is_a_documented_400(client: TestClient, actors: Actors) -> None:
    headers = {**actors.learner.headers, "Content-Type": "application/json"}
    response = client.post("/api/v1/submissions", content=b"\xff\xfe{", headers=headers)
    assert_error(response, 400, "bad_request")


def test_every_body_route_documents_400_and_413(client: TestClient) -> None:
    """FastAPI answers 400 for a body it cannot parse and `BodySizeLimit` 413 for one
    over the cap, on any route; the contract said neither."""
    paths = client.get("/openapi.json").json()["paths"]
    with_body = [
        (method, path, op)
        for path, ops in paths.items()
        for method, op in ops.items()
        if "requestBody" in op
    ]
    assert len(with_body) >= 9
    for method, path, op in with_body:
        for status in ("400", "413"):
            schema = op["responses"][status]["content"]["application/json"]["schema"]
            assert schema == {"$ref": "#/components/schemas/ErrorResponse"}, (method, path)
