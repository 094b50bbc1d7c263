"""Joining things into groups that share a member: a union-find with path halving."""

from __future__ import annotations

from collections.abc import Hashable
from typing import Generic, TypeVar


_T = TypeVar("_T", bound=Hashable)


class Joins(Generic[_T]):
    """Groups of items, joined two at a time; every item added is its own group at first."""

    def __init__(self) -> None:
        self.parent: dict[_T, _T] = {}

    def root(self, item: _T) -> _T:
        """The item that stands for *item*'s group (adding *item* if it is new)."""
        parent = self.parent
        while parent.setdefault(item, item) != item:
            parent[item] = parent[parent[item]]
            item = parent[item]
        return item

    def join(self, a: _T, b: _T) -> None:
        """Put *a* and *b* in one group, led by *a*'s leader."""
        ra, rb = self.root(a), self.root(b)
        if ra != rb:
            self.parent[rb] = ra
