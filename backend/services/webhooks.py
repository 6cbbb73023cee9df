"""Webhook deliveries: when a submission with a `callback_url` is judged, POST the
result there, signed, retried with backoff, every attempt recorded for its owner.

The `webhook_deliveries` table is the queue. `enqueue` adds a row in the judge's
finishing transaction; a worker thread of the app (`start_worker`) sends due rows.
A sender claims a row by moving its `next_attempt_at` forward (a lease), so several
server processes never send one attempt twice, and a sender that dies mid-attempt
only delays the next one. Every request goes through the SSRF guard
(`webhooks_guard`), also after each redirect; a refused URL fails at once, a network
error or a non-2xx answer is retried after `webhook_backoff_s * 2**(attempt-1)`.
"""

from __future__ import annotations

import json
import logging
import threading
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit, urlunsplit

import httpx
from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from backend.db.models import ApiToken, Submission, WebhookDelivery
from backend.db.types import utcnow
from backend.enums import DeliveryState
from backend.errors import NotFound
from backend.services.webhooks_guard import CallbackRefused, Target, check_url
from backend.services.webhooks_signing import (
    DELIVERY_HEADER,
    EVENT_HEADER,
    derive_secret,
    sign,
)
from backend.settings import Settings

if TYPE_CHECKING:
    from fastapi import FastAPI

log = logging.getLogger(__name__)

PENDING, DELIVERED, FAILED = DeliveryState.PENDING, DeliveryState.DELIVERED, DeliveryState.FAILED
EVENT_JUDGED = "submission.judged"
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_BATCH = 20


def check_callback(*, settings: Settings, url: str) -> Target:
    """Refuse a callback URL when the submission is created, not only when it is sent."""
    return check_url(url, allowed_hosts=settings.webhook_allowed_hosts)


def enqueue(session: Session, submission: Submission) -> None:
    """Called in the transaction that marks `submission` judged; the caller commits."""
    if not submission.callback_url:
        return
    session.add(
        WebhookDelivery(
            submission_id=submission.id,
            user_id=submission.user_id,
            token_id=submission.token_id,
            url=submission.callback_url,
            event=EVENT_JUDGED,
            state=PENDING,
            attempts=0,
            history=[],
            next_attempt_at=utcnow(),
        )
    )


# --- reading, for the owner ---------------------------------------------------------------


def list_for(
    *, session: Session, user_id: int, submission_id: int | None, limit: int, offset: int
) -> tuple[list[WebhookDelivery], int]:
    query = select(WebhookDelivery).where(WebhookDelivery.user_id == user_id)
    if submission_id is not None:
        query = query.where(WebhookDelivery.submission_id == submission_id)
    rows = list(session.scalars(query.order_by(WebhookDelivery.id.desc())))
    return rows[offset : offset + limit], len(rows)


def get_for(*, session: Session, user_id: int, delivery_id: int) -> WebhookDelivery:
    row = session.get(WebhookDelivery, delivery_id)
    if row is None or row.user_id != user_id:
        raise NotFound(f"no webhook delivery {delivery_id}", code="delivery_not_found")
    return row


# --- sending --------------------------------------------------------------------------------


def _pinned_request(target: Target, body: bytes, headers: dict[str, str]) -> httpx.Request:
    """A POST to the checked address, carrying the URL's own host name for the Host
    header and TLS (certificate checks still name the host, not the address)."""
    parts = urlsplit(target.url)
    address = f"[{target.address}]" if ":" in target.address else target.address
    default_port = 443 if target.scheme == "https" else 80
    host_header = target.host if target.port == default_port else f"{target.host}:{target.port}"
    url = urlunsplit(
        (target.scheme, f"{address}:{target.port}", parts.path or "/", parts.query, "")
    )
    extensions = {"sni_hostname": target.host} if target.scheme == "https" else {}
    return httpx.Request(
        "POST",
        url,
        content=body,
        headers={**headers, "Host": host_header, "Content-Type": "application/json"},
        extensions=extensions,
    )


def send(
    client: httpx.Client, *, settings: Settings, url: str, body: bytes, headers: dict[str, str]
) -> httpx.Response:
    """POST `body` to `url`, following redirects by hand so each hop is checked again.
    Raises `CallbackRefused` for a refused hop, `httpx.HTTPError` for network errors."""
    current = url
    for _ in range(settings.webhook_max_redirects + 1):
        target = check_url(current, allowed_hosts=settings.webhook_allowed_hosts)
        response = client.send(_pinned_request(target, body, headers))
        location = response.headers.get("Location")
        if response.status_code not in _REDIRECTS or not location:
            return response
        response.close()
        current = urljoin(current, location)
    raise CallbackRefused(f"more than {settings.webhook_max_redirects} redirects")


def _payload(session: Session, submission: Submission, delivery: WebhookDelivery) -> bytes:
    from backend.services.submissions import public

    result = public(session=session, submission=submission).model_dump(
        mode="json", exclude={"source"}
    )
    data = {"event": delivery.event, "delivery": delivery.id, "submission": result}
    return json.dumps(data, separators=(",", ":"), sort_keys=True).encode()


def _claim(session: Session, settings: Settings, delivery_id: int, now: datetime) -> bool:
    lease = timedelta(seconds=settings.webhook_timeout_s * (settings.webhook_max_redirects + 2))
    claimed = session.execute(
        update(WebhookDelivery)
        .where(
            WebhookDelivery.id == delivery_id,
            WebhookDelivery.state == PENDING,
            WebhookDelivery.next_attempt_at <= now,
        )
        .values(next_attempt_at=now + lease, attempts=WebhookDelivery.attempts + 1)
    )
    session.commit()
    return bool(getattr(claimed, "rowcount", 0) == 1)


def _record(
    delivery: WebhookDelivery,
    settings: Settings,
    *,
    status: int | None,
    error: str,
    retry: bool,
) -> None:
    now = utcnow()
    delivery.last_status = status
    delivery.last_error = error[:2000]
    delivery.history = [
        *(delivery.history or []),
        {"at": now.isoformat(), "status": status, "error": error[:500]},
    ]
    if status is not None and 200 <= status < 300:
        delivery.state, delivery.delivered_at = DELIVERED, now
    elif not retry or delivery.attempts >= settings.webhook_max_attempts:
        delivery.state = FAILED
    else:
        backoff = settings.webhook_backoff_s * 2 ** (delivery.attempts - 1)
        delivery.next_attempt_at = now + timedelta(seconds=backoff)


def attempt(
    *, sessions: sessionmaker[Session], settings: Settings, client: httpx.Client, delivery_id: int
) -> None:
    """One attempt of one delivery, if it is still due and nobody else took it."""
    with sessions() as session:
        if not _claim(session, settings, delivery_id, utcnow()):
            return
        delivery = session.get(WebhookDelivery, delivery_id)
        submission = session.get(Submission, delivery.submission_id) if delivery else None
        if delivery is None or submission is None:
            return
        token = session.get(ApiToken, delivery.token_id) if delivery.token_id else None
        if token is None or token.revoked_at is not None:
            _record(
                delivery,
                settings,
                status=None,
                error="the token that submitted was revoked",
                retry=False,
            )
            session.commit()
            return
        body = _payload(session, submission, delivery)
        headers = {
            **sign(derive_secret(settings.secret_key, token.token_hash), body),
            EVENT_HEADER: delivery.event,
            DELIVERY_HEADER: str(delivery.id),
            "User-Agent": "Gradebox-Webhook/1",
        }
        url = delivery.url
        session.commit()  # hold no transaction open across the network call
        status: int | None = None
        retry = True
        try:
            response = send(client, settings=settings, url=url, body=body, headers=headers)
            status = response.status_code
            error = "" if 200 <= status < 300 else f"answered {status}"
        except CallbackRefused as exc:
            error, retry = f"refused: {exc.message}", False
        except httpx.HTTPError as exc:
            error = f"{type(exc).__name__}: {exc}"
        _record(delivery, settings, status=status, error=error, retry=retry)
        session.commit()
        log.info(
            "webhook %s for submission %s: %s",
            delivery.id,
            submission.id,
            delivery.state if not error else error,
        )


def deliver_due(
    *, sessions: sessionmaker[Session], settings: Settings, client: httpx.Client
) -> int:
    """Attempt every due delivery once; returns how many were due."""
    with sessions() as session:
        due = list(
            session.scalars(
                select(WebhookDelivery.id)
                .where(
                    WebhookDelivery.state == PENDING, WebhookDelivery.next_attempt_at <= utcnow()
                )
                .order_by(WebhookDelivery.next_attempt_at)
                .limit(_BATCH)
            )
        )
    for delivery_id in due:
        attempt(sessions=sessions, settings=settings, client=client, delivery_id=delivery_id)
    return len(due)


def new_client(settings: Settings) -> httpx.Client:
    # trust_env=False: no proxy from the environment may carry a callback past the guard.
    return httpx.Client(timeout=settings.webhook_timeout_s, follow_redirects=False, trust_env=False)


def start_worker(app: FastAPI, stop: threading.Event) -> threading.Thread:
    settings: Settings = app.state.settings
    sessions: sessionmaker[Session] = app.state.sessionmaker

    def run() -> None:
        with new_client(settings) as client:
            while not stop.is_set():
                try:
                    busy = deliver_due(sessions=sessions, settings=settings, client=client)
                except Exception:
                    log.exception("webhook delivery failed")
                    busy = 0
                if not busy:
                    stop.wait(settings.webhook_poll_s)

    thread = threading.Thread(target=run, name="webhook-sender", daemon=True)
    thread.start()
    return thread


def describe(row: WebhookDelivery) -> dict[str, Any]:
    return {
        "id": row.id,
        "submission_id": row.submission_id,
        "url": row.url,
        "event": row.event,
        "state": row.state,
        "attempts": row.attempts,
        "last_status": row.last_status,
        "last_error": row.last_error,
        "history": list(row.history or []),
        "next_attempt_at": row.next_attempt_at if row.state == PENDING else None,
        "created_at": row.created_at,
        "delivered_at": row.delivered_at,
    }
