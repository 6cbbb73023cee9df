"""Random secrets (session cookies, CSRF values, API tokens) and how they are stored.

They are long random strings, so a keyed SHA-256 (peppered with the server's secret
key) is enough to store them: unlike passwords they cannot be guessed, and the key
means a leaked database alone does not let anyone check a token offline.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

TOKEN_PREFIX = "gbx_"


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def new_api_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def digest(secret_key: str, value: str) -> str:
    return hmac.new(secret_key.encode(), value.encode(), hashlib.sha256).hexdigest()
