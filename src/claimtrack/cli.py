"""The ``claimtrack`` command line: a thin layer over the public API.

Data goes to standard output, messages to standard error. Exit status: 0 success,
1 invalid input or a failed check, 2 a usage error.
"""

from __future__ import annotations

import argparse
import json
import sys

from collections.abc import Sequence
from typing import Any

from ._assess import Settings
from ._case import Case
from ._io import CONVERTER, load
from ._store import STORE_SUFFIXES, is_store, load_any, open_store
from .errors import CaseError, Problem


EXIT_OK = 0
EXIT_INVALID = 1
EXIT_USAGE = 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="claimtrack",
        description="Track claims, who made them and who reported whom.",
        epilog="example: claimtrack check examples/iraq-2024/case.yaml --texts ../texts",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    check = commands.add_parser(
        "check",
        help="check case files: exit 0 when valid, 1 when not",
        description=(
            "Check case files and print every problem on standard error, one per line, "
            "as FILE: PLACE: MESSAGE. Warnings do not fail the check unless --strict."
        ),
        epilog="example: claimtrack check case.yaml --texts texts/",
    )
    check.add_argument(
        "cases",
        nargs="+",
        metavar="CASE",
        help="a .yaml, .yml or .json case file, a .db store; - for standard input",
    )
    check.add_argument(
        "--texts",
        action="append",
        metavar="DIR",
        help="a folder holding documents' text files (may be repeated); the case file's folder is searched last",
    )
    check.add_argument("--strict", action="store_true", help="fail on warnings too")
    check.add_argument("-q", "--quiet", action="store_true", help="print errors only, no warnings")
    check.set_defaults(run=_check)

    assess = commands.add_parser(
        "assess",
        help="assess every claim: probability, estimate, confidence, Admiralty code",
        description=(
            "Assess every claim of a case: independent origins vote, weighted by their "
            "reliability; rival answers to a question compete. Prints a table, or JSON "
            "with the assessments, contradictions and warnings."
        ),
        epilog="example: claimtrack assess case.yaml --format json",
    )
    assess.add_argument(
        "case",
        metavar="CASE",
        help="a .yaml, .yml or .json case file, a .db store; - for standard input",
    )
    assess.add_argument(
        "--format",
        choices=("table", "json"),
        default="table",
        help="what to print (default: table)",
    )
    assess.add_argument(
        "--texts", action="append", metavar="DIR", help="a folder holding documents' text files"
    )
    assess.add_argument(
        "--merge-echoes",
        action="store_true",
        help="count documents carrying the same words for a claim, with no declared chain, as one origin",
    )
    assess.set_defaults(run=_assess)

    imp = commands.add_parser(
        "import",
        help="add a case file's records to a store (made if missing), in one transaction",
        description=(
            "Add every record of a case file to a SQLite store, in one transaction: an "
            "interrupted import leaves the store as it was."
        ),
        epilog="example: claimtrack import case.json corpus.db",
    )
    imp.add_argument("case", metavar="CASE", help="a .yaml, .yml or .json case file")
    imp.add_argument("store", metavar="STORE", help="a .db, .sqlite or .sqlite3 store")
    imp.set_defaults(run=_import)
    return parser


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version  # noqa: PLC0415

    try:
        return version("claimtrack")
    except PackageNotFoundError:
        return "unknown"


def _say(problem: Problem | str) -> None:
    sys.stderr.write(f"{problem}\n")


def _check(args: argparse.Namespace) -> int:
    status = EXIT_OK
    for name in args.cases:
        try:
            case = _load(name, texts=args.texts, validate=False)
        except CaseError as e:
            for p in e.problems:
                _say(p)
            status = EXIT_INVALID
            continue
        problems = case.validate()
        for p in problems:
            if p.is_error or not args.quiet:
                _say(p)
        if any(p.is_error or args.strict for p in problems):
            status = EXIT_INVALID
        elif not args.quiet:
            warnings = len(problems)
            note = f" ({warnings} warning{'s' * (warnings != 1)})" if warnings else ""
            _say(f"{name}: ok{note}")
    return status


def _assess(args: argparse.Namespace) -> int:
    try:
        case = _load(args.case, texts=args.texts)
    except CaseError as e:
        for p in e.problems:
            _say(p)
        return EXIT_INVALID
    result = case.assess(Settings(merge_echoes=args.merge_echoes))
    if args.format == "json":
        sys.stdout.write(
            json.dumps(CONVERTER.unstructure(result), ensure_ascii=False, indent=2) + "\n"
        )
    else:
        from rich.console import Console  # noqa: PLC0415 - only the table needs rich

        from .report import assessment_table  # noqa: PLC0415

        Console(soft_wrap=False).print(assessment_table(case, result))
    return EXIT_OK


def _load(path: str, **kw: Any) -> Case:
    """Load a case file, or read a store whole when the suffix names one."""
    if is_store(path):
        return load_any(path, **{k: v for k, v in kw.items() if k == "texts"})
    return load(path, **kw)


def _import(args: argparse.Namespace) -> int:
    if not is_store(args.store):
        _say(f"{args.store}: a store's name ends in {', '.join(STORE_SUFFIXES)}")
        return EXIT_USAGE
    try:
        case = load(args.case)
        with open_store(args.store, create=True) as store:
            store.import_case(case)
            _say(f"{args.store}: imported {len(case.attributions):,} attributions from {args.case}")
    except CaseError as e:
        for p in e.problems:
            _say(p)
        return EXIT_INVALID
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with *argv* (default: the process's arguments); return the exit status."""
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as e:
        return EXIT_OK if e.code in (0, None) else EXIT_USAGE
    try:
        status: int = args.run(args)
    except KeyboardInterrupt:
        _say("interrupted")
        return 130
    except BrokenPipeError:
        return EXIT_OK
    return status
