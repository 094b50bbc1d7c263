"""The ``claimtrack`` command line: a thin layer over the public API.

Data goes to standard output, messages to standard error. Exit status: 0 success,
1 invalid input or a failed check, 2 a usage error.
"""

from __future__ import annotations

import argparse
import json
import sys

from collections.abc import Sequence

from ._assess import Settings
from ._io import CONVERTER, load
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
        "case", metavar="CASE", help="a .yaml, .yml or .json case file; - for standard input"
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
    assess.add_argument(
        "--learn",
        action="store_true",
        help="learn each source's reliability from agreement and discount sources that copy one another (an analyst's grade stays a prior)",
    )
    assess.set_defaults(run=_assess)
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


def _assess(args: argparse.Namespace) -> int:
    try:
        case = load(args.case, texts=args.texts)
    except CaseError as e:
        for p in e.problems:
            _say(p)
        return EXIT_INVALID
    result = case.assess(Settings(merge_echoes=args.merge_echoes, learn=args.learn))
    if args.format == "json":
        sys.stdout.write(
            json.dumps(CONVERTER.unstructure(result), ensure_ascii=False, indent=2) + "\n"
        )
    else:
        from rich.console import Console  # noqa: PLC0415 - only the table needs rich

        from .report import assessment_table  # noqa: PLC0415

        Console(soft_wrap=False).print(assessment_table(case, result))
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
