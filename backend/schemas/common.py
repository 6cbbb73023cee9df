from __future__ import annotations

from typing import Any, Generic, TypeVar

from pydantic import BaseModel, model_validator

T = TypeVar("T")

MAX_ID = 2**31 - 1
"""The largest row id (or list offset) the API takes: ids are 32-bit INTEGER columns
in PostgreSQL, and SQLite overflows past 64 bits; a bigger number reaching a query
is a driver error, so it is refused as a 422 instead."""


class ListOf(BaseModel, Generic[T]):
    """Every list endpoint answers `{data, count}`; `count` is the total before paging."""

    data: list[T]
    count: int


def _unencodable(value: Any, where: str) -> str | None:
    """The path of the first string in `value` that UTF-8 cannot encode, if any."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return where or "body"
        return None
    if isinstance(value, dict):
        items: list[tuple[Any, Any]] = list(value.items())
    elif isinstance(value, list):
        items = list(enumerate(value))
    else:
        return None
    for key, item in items:
        path = f"{where}.{key}" if where else str(key)
        found = _unencodable(key, path) or _unencodable(item, path)
        if found is not None:
            return found
    return None


class RequestBody(BaseModel):
    """Base of every JSON request body.

    JSON may spell unpaired UTF-16 surrogates (`"\\ud800"`); Python strings hold them
    but UTF-8 cannot encode them, so such text would fail later, in password hashing
    or the database driver, as a 500. It is refused here, as a 422, instead.
    """

    @model_validator(mode="before")
    @classmethod
    def _valid_unicode(cls, data: Any) -> Any:
        where = _unencodable(data, "")
        if where is not None:
            raise ValueError(f"{where}: text is not valid Unicode (unpaired surrogate)")
        return data
