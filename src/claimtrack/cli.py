"""The ``claimtrack`` command line: a thin layer over the public API.

Data goes to standard output, messages to standard error. Exit status: 0 success,
1 invalid input or a failed check, 2 a usage error.
"""

from __future__ import annotations

import argparse
import sys

from collections.abc import Sequence

from ._io import load
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
        help="a .yaml, .yml or .json case file; - for standard input",
    )
    check.add_argument(
        "--texts",
        action="append",
        metavar="DIR",
        help="a folder holding documents' text files (may be repeated); the case file's folder is searched last",
    )
    check.add_argument("--strict", action="store_true", help="fail on warnings too")
    check.add_argument("-q", "--quiet", action="store_true", help="print errors only, no warnings")
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
            case = load(name, texts=args.texts, validate=False)
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


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with *argv* (default: the process's arguments); return the exit status."""
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as e:
        return EXIT_OK if e.code in (0, None) else EXIT_USAGE
    try:
        return _check(args)
    except KeyboardInterrupt:
        _say("interrupted")
        return 130
    except BrokenPipeError:
        return EXIT_OK
