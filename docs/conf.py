"""Sphinx configuration for the claimtrack documentation (MyST Markdown, Furo theme).

The build needs no network: no intersphinx inventories are fetched, and references to
other projects' types are left as plain text (see ``nitpick_ignore_regex``).
"""

from __future__ import annotations

import re

from importlib.metadata import version as _version
from typing import Any


project = "claimtrack"
author = "The claimtrack developers"
copyright = "the claimtrack developers"  # noqa: A001 - the name Sphinx reads
release = _version("claimtrack")
version = ".".join(release.split(".")[:2])

extensions = ["myst_parser", "sphinx.ext.autodoc", "sphinx.ext.doctest", "sphinx.ext.napoleon"]
source_suffix = {".md": "markdown"}
exclude_patterns = ["_build", "**/_build", ".venv*"]
root_doc = "index"
nitpicky = True
myst_heading_anchors = 3
myst_enable_extensions = ["colon_fence"]

html_theme = "furo"
html_title = "claimtrack"
html_show_sourcelink = False

autodoc_member_order = "bysource"
autodoc_typehints = "signature"
autodoc_preserve_defaults = True
napoleon_google_docstring = True
napoleon_numpy_docstring = False
napoleon_use_rtype = False

# Types of the standard library and of other projects: without intersphinx (no network at
# build time) they cannot link, so they are shown as plain names rather than warned about.
nitpick_ignore_regex = [
    (
        r"py:(class|obj|exc|data|func|meth|mod)",
        r"(datetime|dt|pathlib|typing|collections\.abc|enum|io|os|re|csv|json|types|sqlite3)\..*",
    ),
    (r"py:(class|obj|func|meth|mod)", r"(attrs|attr|cattrs|rich|prov|pd|pandas|yaml)(\..*)?"),
    (r"py:(class|obj|func|meth|mod)", r"(dask|dd|distributed|Client|pyarrow|pa)(\..*)?"),
    (r"py:(class|obj)", r"(Path|IO|Any|Iterable|Iterator|Mapping|Sequence|Callable|TypeVar)"),
    (r"py:(class|obj)", r"(ProvDocument|ProvAgent|ProvEntity|Moment|Row|_[A-Za-z]\w*)"),
    (r"py:(class|obj)", r"claimtrack\.(\w+\.)*_[A-Z]\w*"),
    # the report's gathered content is an internal type; Report is its public face
    (r"py:(class|obj)", r"claimtrack\.report\._\w+\.Content"),
    # an echo (possible circular reporting) is reported through AssessmentWarning, not handed out
    (r"py:(class|obj)", r"claimtrack\.engine\._origins\.Echo"),
]

_PRIVATE = re.compile(r"claimtrack(?:\.\w+)*?\.(_\w+)\.(?P<name>\w+(?:\.\w+)*)")


def _public_name(app: Any, env: Any, node: Any, contnode: Any) -> Any:
    """Point references to private modules (``claimtrack.model._case.Case``) at the public name."""
    if node.get("refdomain") != "py":
        return None
    match = _PRIVATE.fullmatch(node.get("reftarget", ""))
    if match is None:
        return None
    domain = env.get_domain("py")
    for namespace in (
        "claimtrack",
        "claimtrack.engine",
        "claimtrack.export",
        "claimtrack.store",
        "claimtrack.report",
        "claimtrack.errors",
    ):
        target = f"{namespace}.{match['name']}"
        found = domain.resolve_xref(
            env, node["refdoc"], app.builder, node["reftype"], target, node, contnode
        )
        if found is not None:
            return found
    return None


def _whole_summary(
    _app: Any, what: str, _name: str, _obj: Any, _options: Any, lines: list[str]
) -> None:
    """Keep a property's summary whole: napoleon would read ``text: more`` as ``type: text``.

    claimtrack's types come from annotations, never from docstrings, so a colon in a
    property's first line is always prose.
    """
    if what == "property" and lines and ":" in lines[0]:
        lines[0:0] = ["..", ""]  # an empty comment stands where napoleon looks for a type


def setup(app: Any) -> dict[str, Any]:
    """Resolve private module paths to public names; keep property summaries whole."""
    app.connect("missing-reference", _public_name)
    app.connect("autodoc-process-docstring", _whole_summary, priority=400)
    return {"parallel_read_safe": True}
