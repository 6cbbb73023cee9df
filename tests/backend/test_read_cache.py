"""The read cache: a kept answer is sent again only to the same caller, and never
after a commit that could change it, in this process or another (`backend.api.read_cache`)."""

from __future__ import annotations

import asyncio
import time
from datetime import timedelta

from fastapi import Request
from sqlalchemy import select, update

from backend.api.read_cache import ReadCache, mark_cacheable, note_credential_expiry
from backend.db.generation import GenerationReader
from backend.db.models import ApiToken, Judgehost, Problem, Submission
from backend.db.session import make_engine, make_sessionmaker
from backend.db.types import utcnow
from backend.enums import Visibility
from backend.metrics import Metrics
from backend.services import judge as judge_service
from tests.backend.conftest import TestClient, create_app, submit
from tests.backend.test_auth import _login

HIT = "x-read-cache"


def _get(client, path, actor):
    response = client.get(path, headers=actor.headers)
    assert response.status_code == 200, response.text
    return response


def _slugs(response):
    return {p["slug"] for p in response.json()["data"]}


def _generation(settings):
    engine = make_engine(settings.database_url)
    try:
        return GenerationReader(engine).read()
    finally:
        engine.dispose()


def test_a_second_read_is_a_hit_with_the_same_answer(client, actors):
    first = _get(client, "/api/v1/problems", actors.learner)
    again = _get(client, "/api/v1/problems", actors.learner)
    assert HIT not in first.headers and again.headers[HIT] == "hit"
    assert again.content == first.content
    assert again.headers["x-request-id"] != first.headers["x-request-id"]  # still logged
    detail = _get(client, "/api/v1/problems/add-two", actors.learner)
    assert HIT not in detail.headers  # another path, another entry


def test_callers_never_share_an_answer(client, actors):
    # The instructor sees the hidden draft; nobody else may, hit or miss.
    for _ in range(2):
        assert "draft-problem" in _slugs(_get(client, "/api/v1/problems", actors.admin))
        for actor in (actors.anonymous, actors.learner, actors.other):
            assert "draft-problem" not in _slugs(_get(client, "/api/v1/problems", actor))
    mine = submit(client, actors.learner, "print(1)\n").json()["id"]
    for _ in range(2):
        assert _get(client, f"/api/v1/submissions/{mine}", actors.learner).json()["id"] == mine
        assert (
            client.get(f"/api/v1/submissions/{mine}", headers=actors.other.headers).status_code
            == 404
        )


def test_any_write_retires_what_was_kept(client, actors):
    assert _get(client, "/api/v1/submissions", actors.learner).json()["count"] == 0
    assert _get(client, "/api/v1/submissions", actors.learner).headers[HIT] == "hit"
    submit(client, actors.learner, "print(1)\n")
    listed = _get(client, "/api/v1/submissions", actors.learner)
    assert HIT not in listed.headers and listed.json()["count"] == 1


def test_a_revoked_token_is_refused_at_once(client, actors):
    _get(client, "/api/v1/problems", actors.learner)
    assert _get(client, "/api/v1/problems", actors.learner).headers[HIT] == "hit"
    tokens = _get(client, "/api/v1/tokens", actors.learner).json()["data"]
    assert client.delete(f"/api/v1/tokens/{tokens[0]['id']}", headers=actors.learner.headers)
    refused = client.get("/api/v1/problems", headers=actors.learner.headers)
    assert refused.status_code == 401 and HIT not in refused.headers


def test_a_commit_from_another_process_is_seen(client, actors, settings):
    """Two servers on one database (production's several workers, or the judgehost):
    each keeps its own answers, and a write through either retires both."""
    with TestClient(create_app(settings)) as other:
        for c in (client, other):
            _get(c, "/api/v1/problems", actors.anonymous)
            assert _get(c, "/api/v1/problems", actors.anonymous).headers[HIT] == "hit"
        # A plain session elsewhere, as the CLI would (`gradebox problem ...`).
        engine = make_engine(settings.database_url)
        try:
            with make_sessionmaker(engine)() as session:
                session.execute(
                    update(Problem)
                    .where(Problem.slug == "add-two")
                    .values(visibility=Visibility.HIDDEN)
                )
                session.commit()
        finally:
            engine.dispose()
        for c in (client, other):
            after = _get(c, "/api/v1/problems", actors.anonymous)
            assert HIT not in after.headers and "add-two" not in _slugs(after)


def _idle_poll(session, settings):
    """The judge's poll with nothing queued: an UPDATE of expired leases that matches
    nothing, and a claim that finds no job."""
    judge_service.claim(
        session=session,
        settings=settings,
        metrics=Metrics(),
        judgehost="probe",
        capabilities=["cpu"],
    )


def test_the_generation_moves_once_per_writing_commit_and_not_for_reads(settings, actors):
    engine = make_engine(settings.database_url)
    factory = make_sessionmaker(engine)
    try:
        start = _generation(settings)
        assert start is not None
        with factory() as session:
            list(session.scalars(select(ApiToken)))
            session.commit()
            # The judgehost row is written at the first poll only.
            _idle_poll(session, settings)
        assert _generation(settings) == start + 1  # the judgehost row, made at the first poll
        with factory() as session:
            # Seen "in the future": the next idle poll has no reason to write the row.
            session.execute(update(Judgehost).values(last_seen_at=utcnow() + timedelta(hours=1)))
            session.commit()
        first = _generation(settings)
        assert first == start + 2
        with factory() as session:
            _idle_poll(session, settings)
            judge_service.reap_expired(session=session, settings=settings, metrics=Metrics())
            session.execute(update(Submission).where(Submission.id < 0).values(score=1.0))
            session.commit()
        assert _generation(settings) == first  # nothing changed, nothing retired
        with factory() as session:
            token = session.scalars(select(ApiToken)).first()
            assert token is not None
            token.name = "renamed"
            session.commit()
            token.name = "renamed"  # the same value: no change
            session.commit()
        assert _generation(settings) == first + 1
        with factory() as session:
            session.execute(update(ApiToken).values(name="bulk"))
            session.rollback()
        assert _generation(settings) == first + 1
    finally:
        engine.dispose()


def test_the_session_cookie_is_part_of_the_key(client, actors):
    _login(client)
    assert client.get("/api/v1/submissions").status_code == 200
    assert client.get("/api/v1/submissions").headers[HIT] == "hit"
    client.cookies.clear()
    assert client.get("/api/v1/submissions").status_code == 401


class _App:
    """An ASGI app that counts its calls and answers what the test sets."""

    def __init__(self) -> None:
        self.calls = 0
        self.status = 200
        self.headers: list[tuple[bytes, bytes]] = [(b"content-type", b"application/json")]
        self.expires_in: float | None = None

    async def __call__(self, scope, receive, send) -> None:
        self.calls += 1
        request = Request(scope)
        await mark_cacheable(request)
        if self.expires_in is not None:
            note_credential_expiry(request, utcnow() + timedelta(seconds=self.expires_in))
        await send({"type": "http.response.start", "status": self.status, "headers": self.headers})
        await send({"type": "http.response.body", "body": b'{"n": %d}' % self.calls})


class _Generation:
    def __init__(self) -> None:
        self.value: int | None = 1

    def read(self) -> int | None:
        return self.value


def _call(
    cache: ReadCache, path: str = "/api/v1/x", auth: bytes = b"", headers: tuple = ()
) -> tuple[int, bytes]:
    sent: list[dict] = []

    async def receive():
        return {"type": "http.request", "body": b""}

    async def send(message):
        sent.append(message)

    scope = {
        "type": "http",
        "method": "GET",
        "path": path,
        "query_string": b"",
        "headers": ([(b"authorization", auth)] if auth else []) + list(headers),
    }
    asyncio.run(cache(scope, receive, send))
    return sent[0]["status"], sent[1]["body"]


def _cache(app: _App, generation: _Generation, **kw) -> ReadCache:
    values = {"max_bytes": 1 << 20, "max_age_s": 60.0}
    values.update(kw)
    return ReadCache(app, generation=generation, **values)  # type: ignore[arg-type]


def test_what_is_never_kept():
    app, generation = _App(), _Generation()
    cache = _cache(app, generation)
    assert _call(cache) == _call(cache) == (200, b'{"n": 1}')
    generation.value = 2
    assert _call(cache)[1] == b'{"n": 2}'
    generation.value = None  # the counter could not be read: no cache at all
    assert _call(cache)[1] == b'{"n": 3}' and _call(cache)[1] == b'{"n": 4}'
    generation.value = 3
    assert _call(cache, auth=b"Bearer a")[1] != _call(cache, auth=b"Bearer b")[1]
    app.status = 404
    assert _call(cache, "/api/v1/y")[1] != _call(cache, "/api/v1/y")[1]
    app.status = 200
    app.headers = [*app.headers, (b"set-cookie", b"a=b")]
    assert _call(cache, "/api/v1/z")[1] != _call(cache, "/api/v1/z")[1]
    assert _call(cache, "/elsewhere")[1] != _call(cache, "/elsewhere")[1]


def test_every_credential_header_is_in_the_key():
    """Whichever of two `Authorization` headers the app believes, a request with only
    one of them never gets the answer made for both (or the other way round)."""
    app, generation = _App(), _Generation()
    cache = _cache(app, generation)
    a, b = (b"authorization", b"Bearer a"), (b"authorization", b"Bearer b")
    answers = {
        _call(cache, headers=h)[1]
        for h in ((a, b), (a,), (b,), (b, a), ((b"cookie", b"s=1"),), ((b"cookie", b"s=2"),))
    }
    assert len(answers) == 6
    assert _call(cache, headers=(a, b))[1] in answers and app.calls == 6  # and it is kept


def test_kept_answers_end_with_their_credential_and_their_age():
    app, generation = _App(), _Generation()
    cache = _cache(app, generation)
    app.expires_in = 0.2
    first = _call(cache)[1]
    time.sleep(0.3)  # past the credential's expiry, however slow the first call was
    assert _call(cache)[1] != first
    app.expires_in = None
    aged = _cache(_App(), generation, max_age_s=0.2)
    first = _call(aged)[1]
    time.sleep(0.3)
    assert _call(aged)[1] != first


def test_the_byte_budget_evicts_the_oldest():
    app, generation = _App(), _Generation()
    cache = _cache(app, generation, max_bytes=8 * 9)  # room for 8 bodies of 9 bytes
    for i in range(20):
        _call(cache, f"/api/v1/{i}")
    assert cache._bytes <= 8 * 9
    calls = app.calls
    _call(cache, "/api/v1/19")  # the newest is still kept
    _call(cache, "/api/v1/0")  # the oldest was evicted
    assert app.calls == calls + 1


def test_off_when_its_budget_is_zero(tmp_path, settings, actors):
    with TestClient(create_app(settings.model_copy(update={"read_cache_bytes": 0}))) as c:
        _get(c, "/api/v1/problems", actors.learner)
        assert HIT not in _get(c, "/api/v1/problems", actors.learner).headers
