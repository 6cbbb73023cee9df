"""Password hashing with argon2id (argon2-cffi's defaults follow RFC 9106)."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()
_dummy: str | None = None


def _dummy_hash() -> str:
    """Verified against when the username is unknown, so a miss costs what a hit costs.
    Made on first use: hashing takes a noticeable fraction of a second."""
    global _dummy
    if _dummy is None:
        _dummy = _hasher.hash("not-a-real-password")
    return _dummy


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password: str, hashed: str | None) -> bool:
    try:
        return _hasher.verify(hashed or _dummy_hash(), password) and hashed is not None
    except (VerificationError, InvalidHashError):
        return False
