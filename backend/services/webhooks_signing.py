"""Webhook signatures: HMAC-SHA256 over `<timestamp>.<body>`, keyed by the secret of
the token that submitted.

Headers: `X-Gradebox-Timestamp` (Unix seconds) and `X-Gradebox-Signature`
(`sha256=<hex>`). Signing the timestamp with the body lets a receiver refuse replays
older than a few minutes; `verify` is what a receiver written in Python can call.
"""

from __future__ import annotations

import hashlib
import hmac
import time

TIMESTAMP_HEADER = "X-Gradebox-Timestamp"
SIGNATURE_HEADER = "X-Gradebox-Signature"
EVENT_HEADER = "X-Gradebox-Event"
DELIVERY_HEADER = "X-Gradebox-Delivery"
WEBHOOK_SECRET_PREFIX = "whsec_"


def signature(secret: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def sign(secret: str, body: bytes, *, now: float | None = None) -> dict[str, str]:
    timestamp = int(time.time() if now is None else now)
    return {TIMESTAMP_HEADER: str(timestamp), SIGNATURE_HEADER: signature(secret, timestamp, body)}


def verify(
    secret: str,
    *,
    timestamp: str,
    signature_header: str,
    body: bytes,
    tolerance_s: float = 300.0,
    now: float | None = None,
) -> bool:
    """True when the signature matches and the timestamp is within `tolerance_s`."""
    if not timestamp.isascii() or not timestamp.isdigit():
        return False
    current = time.time() if now is None else now
    if abs(current - int(timestamp)) > tolerance_s:
        return False
    expected = signature(secret, int(timestamp), body)
    return hmac.compare_digest(expected.encode(), signature_header.encode())


def derive_secret(secret_key: str, token_hash: str) -> str:
    """The webhook secret of a token, derived from the server key and the token's stored
    hash, so no signing secret sits in the database: a leaked database alone cannot forge
    callbacks, and changing GRADEBOX_SECRET_KEY (which signs everybody out) rotates them."""
    mac = hmac.new(secret_key.encode(), b"webhook:" + token_hash.encode(), hashlib.sha256)
    return WEBHOOK_SECRET_PREFIX + mac.hexdigest()
