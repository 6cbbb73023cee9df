from __future__ import annotations

from typing import Generic, TypeVar

from pydantic import BaseModel

T = TypeVar("T")


class ListOf(BaseModel, Generic[T]):
    """Every list endpoint answers `{data, count}`; `count` is the total before paging."""

    data: list[T]
    count: int
