"""`Registry[T]`: the one small registry behind every plugin family.

Languages, sandbox backends (here), problem kinds and checkers (in `graders`) each
keep one `Registry`; a plugin module registers itself at import, so adding one
touches its own file plus one import line. A lookup of an unknown key raises the
family's own exception, built by the `unknown` callable from the key and the list of
known keys, so each layer keeps its error hierarchy.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
T = TypeVar("T")


class Registry(Generic[K, T]):
    """Plugins of one family by key, in registration order."""

    def __init__(self, unknown: Callable[[K, str], Exception]) -> None:
        self._items: dict[K, T] = {}
        self._unknown = unknown

    def register(self, key: K, item: T) -> T:
        """Add `item` under `key` (a second registration replaces the first)."""
        self._items[key] = item
        return item

    def get(self, key: K) -> T:
        try:
            return self._items[key]
        except KeyError:
            known = ", ".join(sorted(str(k) for k in self._items))
            raise self._unknown(key, known) from None

    def find(self, predicate: Callable[[T], bool]) -> T | None:
        """The first registered item `predicate` accepts, else None."""
        return next((item for item in self._items.values() if predicate(item)), None)

    def keys(self) -> list[K]:
        return list(self._items)

    def values(self) -> list[T]:
        return list(self._items.values())

    def __contains__(self, key: object) -> bool:
        return key in self._items

    def __iter__(self) -> Iterator[K]:
        return iter(self._items)
