"""The ``claimtrack`` command line: a thin layer over the public API.

Data goes to standard output, messages to standard error. Exit status: 0 success,
1 invalid input or a failed check, 2 a usage error.
"""

from __future__ import annotations

import argparse
import sys

from collections.abc import Sequence
from pathlib import Path

from ._assess import Settings
from ._case import Case
from ._io import CONVERTER, atomic_write, load
from ._text import json_text, one_line
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
    assess.set_defaults(run=_assess)

    report = commands.add_parser(
        "report",
        help="show each question's competing answers side by side, with their provenance",
        description=(
            "Show a case, or one question of it: the competing answers side by side, each "
            "with its confidence badge and provenance tree, a source × answer matrix, the "
            "conflicts, the warnings and a legend. Writes to standard output unless -o."
        ),
        epilog="example: claimtrack report case.yaml --question truce --format md -o truce.md",
    )
    report.add_argument(
        "case", metavar="CASE", help="a .yaml, .yml or .json case file; - for standard input"
    )
    report.add_argument("--question", metavar="ID", help="show only this question")
    report.add_argument(
        "--format",
        choices=("terminal", "text", "svg", "html", "md"),
        default="terminal",
        help=(
            "terminal (default: colour only on a terminal, and never under NO_COLOR), "
            "text (plain, never an escape sequence), svg, html or md (Markdown)"
        ),
    )
    report.add_argument("-o", "--output", metavar="OUT", help="write to this file, atomically")
    report.add_argument(
        "--width",
        type=_columns,
        metavar="N",
        help="columns (default: the terminal's, or 100 for files)",
    )
    report.add_argument(
        "--texts", action="append", metavar="DIR", help="a folder holding documents' text files"
    )
    report.set_defaults(run=_report)
    return parser


def _columns(value: str) -> int:
    try:
        width = int(value)
    except ValueError:
        msg = f"expected a whole number of columns, got {value!r}"
        raise argparse.ArgumentTypeError(msg) from None
    if not 20 <= width <= 1000:  # noqa: PLR2004
        msg = f"expected 20 to 1000 columns, got {width}"
        raise argparse.ArgumentTypeError(msg)
    return width


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version  # noqa: PLC0415

    try:
        return version("claimtrack")
    except PackageNotFoundError:
        return "unknown"


def _say(problem: Problem | str) -> None:
    sys.stderr.write(f"{one_line(str(problem))}\n")


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


def _load_valid(name: str, texts: list[str | Path] | None) -> Case | None:
    """Load a case that holds no error; on errors, say them on stderr and return ``None``."""
    try:
        return load(name, texts=texts)
    except CaseError as e:
        for p in e.problems:
            _say(p)
        return None


def _assess(args: argparse.Namespace) -> int:
    case = _load_valid(args.case, args.texts)
    if case is None:
        return EXIT_INVALID
    result = case.assess(Settings(merge_echoes=args.merge_echoes))
    if args.format == "json":
        sys.stdout.write(json_text(CONVERTER.unstructure(result)) + "\n")
    else:
        from rich.console import Console  # noqa: PLC0415 - only the table needs rich

        from .report import assessment_table  # noqa: PLC0415

        Console(soft_wrap=False).print(assessment_table(case, result))
    return EXIT_OK


def _report(args: argparse.Namespace) -> int:
    case = _load_valid(args.case, args.texts)
    if case is None:
        return EXIT_INVALID
    from .report import DEFAULT_WIDTH, Report  # noqa: PLC0415 - only reports need rich

    try:
        report = Report(case, question=args.question)
    except ValueError as e:
        _say(f"{args.case}: --question: {e}")
        return EXIT_INVALID
    if args.format == "terminal" and args.output is None:
        from rich.console import Console  # noqa: PLC0415

        Console(
            width=args.width, soft_wrap=False, markup=False, emoji=False, highlight=False
        ).print(report)
        return EXIT_OK
    width = args.width or DEFAULT_WIDTH
    if args.format == "svg":
        data = report.to_svg(width)
    elif args.format == "html":
        data = report.to_html(width)
    elif args.format == "md":
        data = report.to_markdown()
    else:
        data = report.to_text(width)
    if args.output is None:
        sys.stdout.buffer.write(data.encode())
        sys.stdout.flush()
        return EXIT_OK
    try:
        atomic_write(Path(args.output), data.encode())
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
