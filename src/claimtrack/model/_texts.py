"""Document texts, inline or in files beside the case, and the quotes anchored in them.

A text file is looked for in the case's ``text_dirs``, then beside the case file, and read
once: the case keeps what it read, so that anchoring many quotes reads each file once. These
functions are the case's own methods, kept apart; they read its tables directly.
"""

from __future__ import annotations

import hashlib

from pathlib import Path
from typing import TYPE_CHECKING

from claimtrack.errors import Problem
from claimtrack.model._anchor import Anchor, AnchorStatus, locate
from claimtrack.model._places import place_of, warning
from claimtrack.model._records import Attribution, Document


if TYPE_CHECKING:
    from claimtrack.model._case import Case


def text_of(case: Case, doc: Document) -> str | None:
    """The full text of *doc*, inline or from its ``text_file``; ``None`` if unknown."""
    if doc.text is not None:
        return doc.text
    cache = case._text_cache  # noqa: SLF001 - the case's own cache of what was read
    if doc.id not in cache:
        found = find_text_file(case, doc)
        cache[doc.id] = None if found is None else read_text(found)[0]
    return cache[doc.id]


def find_text_file(case: Case, doc: Document) -> Path | None:
    """Where the ``text_file`` of *doc* is, in the first folder that holds it; ``None`` if nowhere."""
    if doc.text_file is None or Path(doc.text_file).is_absolute():
        return None
    for folder in text_folders(case):
        candidate = folder / doc.text_file
        if candidate.is_file():
            return candidate
    return None


def text_folders(case: Case) -> list[Path]:
    """The folders searched for text files, first to last: ``text_dirs``, then the case's own."""
    base = [case.path.parent] if case.path else []
    return [*case.text_dirs, *base]


def anchor(case: Case, att: Attribution) -> Anchor | None:
    """Locate the quote of *att* in its document's text; see :meth:`Case.anchor`."""
    documents = case._documents  # noqa: SLF001
    if att.quote is None or att.document is None or att.document not in documents:
        return None
    text = text_of(case, documents[att.document])
    if text is None:
        return None
    return locate(text, att.quote, att.prefix, att.suffix)


def text_problems(case: Case) -> list[Problem]:
    """Check each document's text (found, readable, unchanged since hashed) and each quote's anchor."""
    out: list[Problem] = []
    for doc in case._documents.values():  # noqa: SLF001
        if doc.text is not None:
            data = doc.text.encode()
        elif doc.text_file is not None and not Path(doc.text_file).is_absolute():
            found = find_text_file(case, doc)
            if found is None:
                looked = ", ".join(str(f) for f in text_folders(case)) or "no folder"
                out.append(
                    warning(
                        place_of("documents", doc.id, "text_file"),
                        f"'{doc.text_file}' not found (looked in {looked}); its quotes are not verified",
                    )
                )
                continue
            text, data, problem = read_text(found)
            case._text_cache[doc.id] = text  # noqa: SLF001 - read once, for the anchors below
            if problem:
                out.append(
                    Problem(place_of("documents", doc.id, "text_file"), f"'{found}' {problem}")
                )
                continue
        else:
            continue
        if doc.sha256 and hashlib.sha256(data).hexdigest() != doc.sha256:
            out.append(
                Problem(
                    place_of("documents", doc.id, "sha256"),
                    "the text has changed since its hash was recorded; check its quotes, then record the new hash",
                )
            )
    for i, att in enumerate(case._attributions):  # noqa: SLF001
        found_at = anchor(case, att)
        if found_at is None or found_at.found:
            continue
        if found_at.status is AnchorStatus.AMBIGUOUS:
            msg = f"the quote occurs {found_at.occurrences} times in document '{att.document}'; add a 'prefix' or 'suffix' to say which"
        else:
            msg = f"the quote is not in the text of document '{att.document}' (orphaned): {_short(att.quote)}"
        out.append(warning(place_of("attributions", i, "quote"), msg))
    return out


def read_text(path: Path) -> tuple[str | None, bytes, str | None]:
    """Read a document's text file: its text, its bytes, and what went wrong, if anything."""
    try:
        data = path.read_bytes()
    except OSError as e:
        return None, b"", f"cannot be read: {e.strerror}"
    try:
        return data.decode("utf-8"), data, None
    except UnicodeDecodeError as e:
        return None, data, f"is not UTF-8 text (byte {e.start})"


def _short(text: str | None, limit: int = 60) -> str:
    text = text or ""
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")
