"""What the docs say a Python example prints is what it prints.

The examples themselves run through Sybil (see ``conftest.py``); this runs each page's
blocks again, in order and in one namespace, and compares the output of every block that
is followed by "prints" and a ``text`` block with that block, line for line.
"""

from __future__ import annotations

import contextlib
import io
import os
import re

from pathlib import Path

import pytest


ROOT = Path(__file__).parent.parent
BLOCK = re.compile(r"^```(\w+)\n(.*?)^```\n", re.DOTALL | re.MULTILINE)
PAGES = sorted(
    p for p in [ROOT / "README.md", *(ROOT / "docs").rglob("*.md")] if "\nprints\n" in p.read_text()
)


def _examples(text: str) -> list[tuple[str, str | None]]:
    """Each Python block of a page, with the text it is said to print (None if not said)."""
    blocks = list(BLOCK.finditer(text))
    out: list[tuple[str, str | None]] = []
    for k, block in enumerate(blocks):
        if block.group(1) != "python":
            continue
        shown = None
        after = blocks[k + 1] if k + 1 < len(blocks) else None
        between = text[block.end() : after.start()] if after else ""
        if after and after.group(1) == "text" and between.strip() == "prints":
            shown = after.group(2)
        out.append((block.group(2), shown))
    return out


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_printed_output_is_what_the_page_shows(page, tmp_path):
    namespace: dict[str, object] = {"ROOT": ROOT, "__name__": "__docs__"}
    here = Path.cwd()
    os.chdir(tmp_path)
    try:
        for code, shown in _examples(page.read_text(encoding="utf-8")):
            out = io.StringIO()
            with contextlib.redirect_stdout(out):
                exec(compile(code, str(page), "exec"), namespace)  # noqa: S102 - the docs' own examples
            if shown is not None:
                assert out.getvalue() == shown
    finally:
        os.chdir(here)
