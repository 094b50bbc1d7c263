"""Suggestions ("did you mean"): the known word closest to an unknown one, at a bounded cost.

Every hint claimtrack gives for a misspelt id, key, section or value comes from here. A
hint is a courtesy on the error path, so its cost must stay small however hostile the
input: comparing each unknown word with every known one costs the product of the two
counts, minutes for a file of thousands of unknown references to thousands of claims.
So, within one report (one load, one check, one builder call):

- at most :data:`MAX_FRESH` unknown words are compared at all; the rest get no hint;
- the same unknown word is compared once, and its answer reused;
- each word is compared with at most some 150 known words: all of them when the
  vocabulary is a hundred or fewer, else its neighbours in two sorted orders, by its start
  and by its end (:class:`Vocabulary`), where a misspelling of a long id still sorts near it;
- a word much longer than any known word is not compared at all: it cannot be close.
"""

from __future__ import annotations

import bisect
import contextlib
import contextvars
import difflib
import itertools

from collections.abc import Collection, Iterator


__all__ = ["MAX_FRESH", "Suggestions", "Vocabulary", "hint", "report", "suggest"]

MAX_FRESH = 20
"""Unknown words compared per report; past them, words already compared keep their hint."""

_SMALL = 100
"""A vocabulary this small is compared whole; a larger one through its sorted neighbours."""

_WINDOW = 12
"""Neighbours taken on each side of a word, in each of a large vocabulary's two orders."""

_CUTS = 3
"""Places looked up in each order: at the word, and at the word less one and two characters."""

_CUTOFF = 0.6
"""How alike a known word must be (difflib's ratio) to be suggested."""

_WITHIN_SHORTEST = 3
"""The shortest known word taken as meant for holding, or being held by, the unknown one."""


class Vocabulary:
    """Known words, indexed for bounded-cost suggestions.

    It reads a collection whose members are only ever added (a case's table of ids, a list
    of field names) and catches up with what was added since it last looked, so one index
    serves a case as it grows.
    """

    __slots__ = ("_backward", "_forward", "_longest", "_seen", "_source", "_words")

    def __init__(self, source: Collection[str]) -> None:
        self._source = source
        self._reset()

    def _reset(self) -> None:
        self._words: list[str] = []
        self._forward: list[str] = []
        self._backward: list[str] = []
        self._seen = 0
        self._longest = 0

    def _catch_up(self) -> None:
        size = len(self._source)
        if size == self._seen:
            return
        if size < self._seen:  # not the growing collection it was: index it afresh
            self._reset()
        new = [w for w in itertools.islice(iter(self._source), self._seen, None) if type(w) is str]
        self._seen = size
        self._words += new
        self._longest = max(self._longest, max(map(len, new), default=0))
        if len(self._words) <= _SMALL:
            return
        if not self._forward or len(new) > len(self._forward) // 8:
            self._forward = sorted(self._words)
            self._backward = sorted(w[::-1] for w in self._words)
        else:  # a few added to a large index: insert them in place
            for w in new:
                bisect.insort(self._forward, w)
                bisect.insort(self._backward, w[::-1])

    def candidates(self, word: str) -> list[str]:
        """The known words *word* is compared with: all, or at most 144 of its neighbours."""
        self._catch_up()
        if len(self._words) <= _SMALL:
            return self._words
        out: dict[str, None] = {}
        for order, key, flip in ((self._forward, word, False), (self._backward, word[::-1], True)):
            # the word, and the word less a character or two at its end (at its start, in
            # the backward order): a known id the word lengthens sorts right there, however
            # many ids share its start ('claim-1' among 'claim-10' to 'claim-1999')
            for cut in range(_CUTS):
                at = bisect.bisect_left(order, key[: len(key) - cut] if cut else key)
                for w in order[max(0, at - _WINDOW) : at + _WINDOW]:
                    out[w[::-1] if flip else w] = None
        return list(out)

    def closest(self, word: str, *, within: bool = False) -> str | None:
        """The known word closest to *word*, or ``None`` if none is close.

        With *within*, failing a close spelling, a known word of three characters or more
        that *word* holds, or that holds it (``no-such-video`` and ``video``), is taken as
        meant, the longest first.
        """
        self._catch_up()
        # difflib's ratio is 2*matches/(len(a)+len(b)): past this length it cannot reach the cutoff
        if not self._words or (len(word) > 3 * self._longest and not within):
            return None
        pool = self.candidates(word)
        if len(word) <= 3 * self._longest:
            close = difflib.get_close_matches(word, pool, n=1, cutoff=_CUTOFF)
            if close:
                return close[0]
        if within:
            held = [
                k
                for k in pool
                if min(len(k), len(word)) >= _WITHIN_SHORTEST and (k in word or word in k)
            ]
            if held:
                return min(held, key=lambda k: (-min(len(k), len(word)), k))
        return None


class Suggestions:
    """One report's hints: at most :data:`MAX_FRESH` words compared, each once."""

    def __init__(self, budget: int = MAX_FRESH) -> None:
        self.budget = budget
        self._memo: dict[tuple[int, str, bool], str | None] = {}
        self._vocabularies: dict[int, tuple[Collection[str], Vocabulary]] = {}

    def vocabulary(self, known: Collection[str] | Vocabulary) -> Vocabulary:
        """*known* as an index, built once per report for a collection given again."""
        if isinstance(known, Vocabulary):
            return known
        # keyed by identity, with the collection held so that the identity stays its own
        found = self._vocabularies.get(id(known))
        if found is None:
            found = self._vocabularies[id(known)] = (known, Vocabulary(known))
        return found[1]

    def closest(
        self, word: str, known: Collection[str] | Vocabulary, *, within: bool = False
    ) -> str | None:
        """The known word closest to *word* (see :meth:`Vocabulary.closest`), within the budget."""
        vocabulary = self.vocabulary(known)
        key = (id(vocabulary), word, within)
        if key in self._memo:
            return self._memo[key]
        if self.budget <= 0:
            return None
        self.budget -= 1
        found = self._memo[key] = vocabulary.closest(word, within=within)
        return found


_CURRENT: contextvars.ContextVar[Suggestions | None] = contextvars.ContextVar(
    "claimtrack_suggestions", default=None
)


@contextlib.contextmanager
def report(budget: int = MAX_FRESH) -> Iterator[Suggestions]:
    """Share one :class:`Suggestions` among every hint given inside the ``with`` block.

    A report already under way is kept: the hints of a load and of the check it makes
    share one budget.
    """
    current = _CURRENT.get()
    if current is not None:
        yield current
        return
    fresh = Suggestions(budget)
    token = _CURRENT.set(fresh)
    try:
        yield fresh
    finally:
        _CURRENT.reset(token)


def suggest(
    word: object, known: Collection[str] | Vocabulary, *, within: bool = False
) -> str | None:
    """The known word closest to *word*, or ``None``: in the current report, else on its own."""
    if not isinstance(word, str):
        word = str(word)
    current = _CURRENT.get()
    if current is None:
        current = Suggestions()
    return current.closest(word, known, within=within)


def hint(word: object, known: Collection[str] | Vocabulary, *, within: bool = False) -> str:
    """`` (did you mean 'x'?)`` for the known word closest to *word*, or nothing."""
    close = suggest(word, known, within=within)
    return f" (did you mean '{close}'?)" if close is not None else ""
