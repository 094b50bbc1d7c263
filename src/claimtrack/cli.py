"""The ``claimtrack`` command line: a thin layer over the public API.

Data goes to standard output (or to the file given with ``-o``: a regular file is
replaced atomically, a FIFO, device or ``/dev/stdout`` written to, never replaced; see
:mod:`claimtrack.files._atomic`), messages to standard error. On a terminal the data goes
through :func:`~claimtrack._text.inert`, so no control character in it acts on the
terminal; pipes and files get it exactly. Exit status: 0 success, 1 invalid input, a
failed check or a file that cannot be written, 2 a usage error. ``-`` reads standard
input where a case is expected and writes standard output where a file is. Tables have
colour only on a terminal and never under ``NO_COLOR``.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import io
import itertools
import json
import os
import sys

from collections.abc import Callable, Iterator, Sequence
from importlib.resources import files
from pathlib import Path
from typing import IO, TYPE_CHECKING, cast

import claimtrack

from claimtrack._gc import gc_paused
from claimtrack._progress import Stages
from claimtrack._text import PRETTY_UP_TO, inert, json_text, one_line
from claimtrack.errors import CaseError, CaseFileError, Problem
from claimtrack.files._atomic import output_file
from claimtrack.files._case_files import dumps, load
from claimtrack.model._records import Moment, parse_moment
from claimtrack.store._sqlite import STORE_SUFFIXES, is_store, load_any, open_store


if TYPE_CHECKING:
    from rich.console import Console

    from claimtrack.engine import Assessments, Sensitivity
    from claimtrack.model._case import Case


EXIT_OK = 0
EXIT_INVALID = 1
EXIT_USAGE = 2

EXPORT_FORMATS = ("json", "yaml", "jsonl", "csv", "claimreview", "prov-json", "prov-n", "parquet")
"""What ``claimtrack export --to`` writes."""

ASSESS_FORMATS = ("table", "json", "jsonl", "csv")
"""What ``claimtrack assess --format`` prints."""

_CASE_HELP = "a .yaml, .yml or .json case file, or a .db store; - for standard input"
_OUT_HELP = (
    "write to this file instead of standard output (a regular file is replaced atomically; "
    "a FIFO or device is written to); - for standard output"
)


class _UsageError(Exception):
    """A command was given options that cannot work together; exits 2."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="claimtrack",
        description="Track claims, who made them and who reported whom.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=(
            "examples:\n"
            "  claimtrack demo\n"
            "  claimtrack new case.yaml\n"
            "  claimtrack check examples/iraq-2024/case.yaml\n"
            "  claimtrack assess examples/iraq-2024/case.yaml --format csv\n"
            "  claimtrack report examples/iraq-2024/case.yaml --question truce --format md\n"
            "  claimtrack export examples/iraq-2024/case.yaml --to prov-json -o case.prov.json\n"
            "\n"
            "exit status: 0 success, 1 invalid input or a failed check, 2 a usage error"
        ),
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    _add_check(commands)
    _add_assess(commands)
    _add_report(commands)
    _add_export(commands)
    _add_new(commands)
    _add_demo(commands)
    _add_import(commands)
    _add_store_commands(commands)
    return parser


def _command(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
    name: str,
    *,
    help: str,  # noqa: A002
    description: str,
    examples: Sequence[str],
    run: Callable[[argparse.Namespace], int],
    progress: bool = False,
) -> argparse.ArgumentParser:
    command = commands.add_parser(
        name,
        help=help,
        description=description,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="examples:\n" + "\n".join(f"  {e}" for e in examples),
    )
    command.set_defaults(run=run)
    if progress:
        command.add_argument(
            "--progress",
            action="store_true",
            help="show what is being done, with a bar, on standard error (only on a terminal)",
        )
    return command


def _add_texts(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--texts",
        action="append",
        metavar="DIR",
        help="a folder holding documents' text files (may be repeated); the case file's folder is searched last",
    )
    _add_case_option(command)


def _add_check(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    check = _command(
        commands,
        "check",
        help="check case files: exit 0 when valid, 1 when not",
        description=(
            "Check case files and print every problem on standard error, one per line, "
            "as FILE: PLACE: MESSAGE. Warnings do not fail the check unless --strict."
        ),
        examples=(
            "claimtrack check case.yaml --texts texts/",
            "claimtrack check --strict a.yaml b.json",
            "claimtrack new | claimtrack check -",
        ),
        run=_check,
        progress=True,
    )
    check.add_argument("cases", nargs="+", metavar="CASE", help=_CASE_HELP)
    _add_texts(check)
    check.add_argument("--strict", action="store_true", help="fail on warnings too")
    check.add_argument("-q", "--quiet", action="store_true", help="print errors only, no warnings")


def _add_assess(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    assess = _command(
        commands,
        "assess",
        help="assess every claim: probability, estimate, confidence, Admiralty code",
        description=(
            "Assess every claim of a case: independent origins vote, weighted by their "
            "reliability; rival answers to a question compete. Prints a table; or JSON "
            "with the assessments, contradictions and warnings; or one row per claim as "
            "JSON Lines or CSV."
        ),
        examples=(
            "claimtrack assess case.yaml",
            "claimtrack assess case.yaml --format json -o assessments.json",
            "claimtrack assess case.yaml --format csv > assessments.csv",
            "claimtrack assess corpus.db --stream --format jsonl -o assessments.jsonl",
        ),
        run=_assess,
        progress=True,
    )
    assess.add_argument("case", metavar="CASE", help=_CASE_HELP + ", or a Parquet dataset folder")
    assess.add_argument(
        "--format",
        choices=ASSESS_FORMATS,
        default="table",
        help="what to print: %(choices)s (default: table)",
    )
    assess.add_argument("-o", "--output", metavar="OUT", default="-", help=_OUT_HELP)
    _add_texts(assess)
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
    _add_as_of(assess, "assess")
    assess.add_argument(
        "--stream",
        action="store_true",
        help=(
            "read a store a part at a time and write each part's rows as it goes, for "
            "corpora too large to read whole (jsonl or csv)"
        ),
    )
    assess.add_argument(
        "--part-size",
        type=_positive,
        default=1_000,
        metavar="N",
        help="with --stream, the questions read per part (default: 1000)",
    )
    assess.add_argument(
        "--engine",
        choices=("local", "dask"),
        default="local",
        help=(
            "local: judge on this machine; dask: judge a dataset's independent parts on a "
            "Dask cluster and write Parquet to -o OUT_DIR (default: local)"
        ),
    )
    assess.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="with --engine dask: the scheduler to run on (default: a local cluster)",
    )
    assess.add_argument(
        "--sensitivity",
        action="store_true",
        help=(
            "also list, for each question, the origins whose removal or one-step change of "
            "grade would change its leading answer or that answer's estimative word (table or json)"
        ),
    )
    assess.add_argument(
        "--indent",
        type=_indent,
        metavar="N",
        help=(
            "with --format json: N spaces per level, or 0 for compact JSON with one claim "
            f"per line (default: 2 up to {PRETTY_UP_TO:,} claims, compact above)"
        ),
    )
    assess.add_argument(
        "--wide",
        action="store_true",
        help=(
            "the wide table: whole claim texts, wrapped, with status and origins for and "
            "against (default: one line per claim, that fits in 100 columns)"
        ),
    )


REPORT_FORMATS = ("terminal", "text", "svg", "html", "md")
"""What ``claimtrack report --format`` writes."""


def _whole(value: str, what: str = "") -> int:
    try:
        return int(value)
    except ValueError:
        msg = f"expected a whole number{what}, got {value!r}"
        raise argparse.ArgumentTypeError(msg) from None


def _positive(value: str) -> int:
    n = _whole(value)
    if n < 1:
        msg = f"expected 1 or more, got {n}"
        raise argparse.ArgumentTypeError(msg)
    return n


def _within(value: str, unit: str, low: int, high: int) -> int:
    """*value* as a whole number of *unit* from *low* to *high*, or a usage error saying so."""
    n = _whole(value, f" of {unit}")
    if not low <= n <= high:
        msg = f"expected {low} to {high} {unit}, got {n}"
        raise argparse.ArgumentTypeError(msg)
    return n


def _indent(value: str) -> int:
    return _within(value, "spaces", 0, 16)


def _columns(value: str) -> int:
    return _within(value, "columns", 20, 1000)


def _text(value: str) -> str:
    """An argument that ends up in a file: text, not bytes the command line could not decode.

    Undecodable bytes reach Python as lone surrogates, which no file's UTF-8 can hold.
    """
    bad = next((ch for ch in value if "\ud800" <= ch <= "\udfff"), None)
    if bad is None:
        return value
    if "\udc80" <= bad <= "\udcff":  # surrogateescape: the byte that could not be decoded
        msg = f"holds the byte \\x{ord(bad) - 0xDC00:02x}, which is not text here; give it in UTF-8"
    else:
        msg = f"holds a lone surrogate (\\u{ord(bad):04x}), which is not text"
    raise argparse.ArgumentTypeError(msg)


def _day(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        msg = f"expected a date as YYYY-MM-DD, got {value!r}"
        raise argparse.ArgumentTypeError(msg) from None


def _moment(value: str) -> Moment:
    try:
        return parse_moment(value)
    except ValueError as e:
        raise argparse.ArgumentTypeError(str(e)) from None


def _add_as_of(command: argparse.ArgumentParser, what: str) -> None:
    command.add_argument(
        "--as-of",
        type=_moment,
        metavar="DATE",
        help=(
            f"{what} the case as it was known then: only documents published, statements "
            "made and evidence seen by DATE (2024, 2024-02, 2024-02-10 or a date and time)"
        ),
    )


def _add_report_options(command: argparse.ArgumentParser) -> None:
    command.add_argument("--question", metavar="ID", help="show only this question")
    command.add_argument(
        "--format",
        choices=REPORT_FORMATS,
        default="terminal",
        help=(
            "terminal (default: colour only on a terminal, and never under NO_COLOR), "
            "text (plain, never an escape sequence), svg, html or md (Markdown)"
        ),
    )
    command.add_argument("-o", "--output", metavar="OUT", default="-", help=_OUT_HELP)
    command.add_argument(
        "--width",
        type=_columns,
        metavar="N",
        help="columns (default: the terminal's, or 100 for files)",
    )
    command.add_argument(
        "--summary",
        action="store_true",
        help="print only the key judgements: each question's leading answer and rival",
    )
    command.add_argument(
        "--sort",
        choices=("case", "confidence", "conflicts"),
        default="case",
        help=(
            "order of the questions: as in the case (default), the weakest judgements "
            "first, or the most conflicts first"
        ),
    )


def _add_report(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    report = _command(
        commands,
        "report",
        help="show each question's competing answers side by side, with their provenance",
        description=(
            "Show a case, or one question of it: the competing answers side by side, each "
            "with its confidence badge and provenance tree, a source × answer matrix, the "
            "conflicts, the warnings and a legend."
        ),
        examples=(
            "claimtrack report case.yaml",
            "claimtrack report case.yaml --question truce --format md -o truce.md",
            "claimtrack report case.yaml --format svg --width 120 -o case.svg",
        ),
        run=_report,
        progress=True,
    )
    report.add_argument("case", metavar="CASE", help=_CASE_HELP)
    _add_report_options(report)
    _add_texts(report)
    _add_as_of(report, "show")


def _add_demo(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    demo = _command(
        commands,
        "demo",
        help="show the report on the bundled Iraq 2024 case; no file needed",
        description=(
            "Show the report on the case that ships with claimtrack: two 2024 news reports "
            "on Iraqi armed factions and US forces, with their sources, claims, reporting "
            "chains and contradictions. Takes the options of claimtrack report."
        ),
        examples=("claimtrack demo", "claimtrack demo --question truce --format md"),
        run=_demo,
    )
    _add_report_options(demo)


def _add_export(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    exp = _command(
        commands,
        "export",
        help="write a case as JSON, YAML, JSON Lines, CSV, ClaimReview or W3C PROV",
        description=(
            "Write a case in another format. json and yaml are the case file itself; "
            "jsonl and csv hold one row per attribution (CSV cells that a spreadsheet "
            "would run as formulas are prefixed with '); claimreview is schema.org "
            "ClaimReview JSON-LD, one review per claim reviewed; prov-json and prov-n "
            'are W3C PROV (needs pip install "claimtrack[prov]").'
        ),
        examples=(
            "claimtrack export case.yaml --to jsonl -o case.jsonl",
            "claimtrack export case.yaml --to csv > case.csv",
            (
                "claimtrack export case.yaml --to claimreview --reviewer 'Desk A' \\\n"
                "    --url https://example.org/review --claims truce-held,airstrike -o reviews.json"
            ),
            "claimtrack export case.yaml --to prov-n",
            "claimtrack export case.yaml --to parquet dataset/",
        ),
        run=_export,
        progress=True,
    )
    # CASE may come after --to FORMAT, which takes a dataset folder for parquet: _ToFormat
    # collects what follows the format, and _export sorts out which is the case
    exp.add_argument("case", metavar="CASE", nargs="?", help=_CASE_HELP)
    exp.add_argument(
        "--to",
        "--format",
        dest="to",
        required=True,
        action=_ToFormat,
        nargs="+",
        metavar=("FORMAT", "DIR"),
        help=f"one of: {', '.join(EXPORT_FORMATS)}; parquet takes the dataset folder to write, --to parquet DIR",
    )
    exp.add_argument("-o", "--output", metavar="OUT", default="-", help=_OUT_HELP)
    exp.set_defaults(to_rest=[])
    _add_texts(exp)
    exp.add_argument(
        "--reviewer",
        type=_text,
        metavar="NAME",
        help="claimreview (required): who publishes the reviews, their author",
    )
    exp.add_argument(
        "--reviewer-url", type=_text, metavar="URL", help="claimreview: the reviewer's site"
    )
    exp.add_argument(
        "--url",
        type=_text,
        metavar="URL",
        help="claimreview (required): the page the reviews are published on",
    )
    exp.add_argument(
        "--date",
        type=_day,
        metavar="YYYY-MM-DD",
        help="claimreview: the date the reviews are published (default: today, UTC)",
    )
    exp.add_argument(
        "--claims",
        type=_text,
        action="append",
        metavar="ID,ID",
        help=(
            "claimreview: the claims you reviewed, by id, comma-separated (repeatable); "
            "superseded and retracted claims are refused"
        ),
    )
    exp.add_argument(
        "--all-claims",
        action="store_true",
        help="claimreview: review every claim but the superseded and retracted ones",
    )


class _ToFormat(argparse.Action):
    """``--to FORMAT``; ``--to parquet DIR`` names the dataset folder after its format.

    A positional DIR after CASE cannot be optional (argparse gives CASE's chunk both), so
    the words after the format are kept, and :func:`_export` takes from them the case, when
    it was not given before ``--to``, and then the folder.
    """

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: str | Sequence[object] | None,
        option_string: str | None = None,  # noqa: ARG002 - argparse's signature
    ) -> None:
        to, *rest = [str(v) for v in values or ()]
        if to not in EXPORT_FORMATS:
            parser.error(
                f"argument --to: invalid choice: '{to}' (choose from {', '.join(EXPORT_FORMATS)})"
            )
        namespace.to = to
        namespace.to_rest = rest


def _add_new(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    new = _command(
        commands,
        "new",
        help="start a case file: empty sections, with a commented example of each record",
        description=(
            "Write an empty case file whose comments show one record of each kind. It "
            "passes claimtrack check as it is. Refuses to overwrite a file unless --force."
        ),
        examples=(
            "claimtrack new case.yaml",
            "claimtrack new --title 'Rockets from Zummar' > case.yaml",
        ),
        run=_new,
    )
    new.add_argument(
        "path",
        nargs="?",
        default="-",
        metavar="OUT",
        help="a .yaml or .yml file; - (the default) for standard output",
    )
    new.add_argument("--title", type=_text, help="the case's title (default: Untitled case)")
    new.add_argument("-f", "--force", action="store_true", help="overwrite OUT if it exists")


def _add_import(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    imp = _command(
        commands,
        "import",
        help="add a case file's records to a SQLite store (made if missing), in one transaction",
        description=(
            "Add every record of a case file to a SQLite store, in one transaction: an "
            "interrupted import leaves the store as it was. Every command that reads a "
            f"case also reads a store, by its suffix ({', '.join(STORE_SUFFIXES)})."
        ),
        examples=(
            "claimtrack import case.json corpus.db",
            "claimtrack assess corpus.db --format json",
        ),
        run=_import,
        progress=True,
    )
    imp.add_argument("case", metavar="CASE", help="a .yaml, .yml or .json case file")
    imp.add_argument("store", metavar="STORE", help="a .db, .sqlite or .sqlite3 store")
    imp.add_argument(
        "--name", metavar="NAME", help="the case's name in the store (default: its title)"
    )
    imp.add_argument(
        "--on-conflict",
        choices=("refuse", "keep", "replace"),
        default="refuse",
        help=(
            "a source, document or item of evidence the store holds with other content: "
            "refuse the import (default), keep the store's, or replace it"
        ),
    )


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version  # noqa: PLC0415

    try:
        return version("claimtrack")
    except PackageNotFoundError:
        return "unknown"


def _say(problem: Problem | str) -> None:
    sys.stderr.write(f"{one_line(str(problem))}\n")


def _emit(text: str, out: str) -> None:
    """Write *text* to standard output (``-``) or to the file *out*."""
    with _output(out) as write:
        write(text)


_STDOUT = "standard output"


@contextlib.contextmanager
def _output(out: str) -> Iterator[Callable[[str], None]]:
    """A function that writes text to *out*, a piece at a time: ``-`` is standard output.

    A regular file is replaced when the block ends (see :func:`output_file`). On a
    terminal the text goes through :func:`inert`, so no control character from the data
    can act on it; pipes and files get the data exactly.
    """
    if out == "-":
        stream = sys.stdout
        terminal = stream.isatty()

        def write_stdout(text: str) -> None:
            try:
                stream.write(_for_terminal(text) if terminal else text)
                stream.flush()
            except BrokenPipeError:
                raise  # the reader stopped early: not an error, see main
            except OSError as e:
                raise CaseFileError(
                    [Problem("", f"cannot be written: {e.strerror or e}", file=_STDOUT)]
                ) from None
            except UnicodeEncodeError as e:
                raise _unencodable(_STDOUT, e) from None

        yield write_stdout
        return
    # what was printed so far comes first when OUT is /dev/stdout or /dev/stderr
    sys.stdout.flush()
    sys.stderr.flush()
    with output_file(out) as file:
        terminal = file.isatty()

        def write_file(text: str) -> None:
            try:
                data = (_for_terminal(text) if terminal else text).encode()
            except UnicodeEncodeError as e:
                raise _unencodable(out, e) from None
            file.write(data)

        yield write_file


def _for_terminal(text: str) -> str:
    """*text* made inert for a terminal; CSV's CRLF line ends are kept, a lone CR is not."""
    return "\r\n".join(inert(line) for line in text.split("\r\n"))


def _unencodable(name: str, error: UnicodeEncodeError) -> CaseFileError:
    """The error for data holding a lone surrogate, which UTF-8 cannot encode."""
    code = ord(error.object[error.start])
    message = f"cannot be written: the data holds U+{code:04X}, a lone surrogate, which is not text"
    return CaseFileError([Problem("", message, file=name)])


def _console(file: IO[str] | None = None, *, width: int | None = None) -> Console:
    """A console with colour only on a terminal and never under ``NO_COLOR`` or ``TERM=dumb``."""
    from rich.console import Console  # noqa: PLC0415 - only tables and reports need rich

    target = sys.stdout if file is None else file
    colour = target.isatty() and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"
    return Console(
        file=target,
        width=width,
        soft_wrap=False,
        color_system="auto" if colour else None,
        no_color=not colour,
        markup=False,
        emoji=False,
        highlight=False,
    )


def _load(args: argparse.Namespace, name: str | None = None, **kw: bool) -> Case:
    """The case a command reads (a file, a store's case or a dataset), with its stage shown."""
    name = args.case if name is None else name
    with _stages(args).stage(f"reading {one_line(str(name))}"):
        return load_any(name, case=getattr(args, "case_name", None), texts=args.texts, **kw)


def _stages(args: argparse.Namespace) -> Stages:
    """The command's stages for --progress; none shown when it was called without _run."""
    stages: Stages | None = getattr(args, "stages", None)
    return Stages(enabled=False) if stages is None else stages


def _check(args: argparse.Namespace) -> int:
    status = EXIT_OK
    for name in args.cases:
        try:
            case = _load(args, name, validate=False)
        except CaseError as e:
            for p in e.problems:
                _say(p)
            status = EXIT_INVALID
            continue
        with _stages(args).stage(f"checking {one_line(name)}"):
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
    if args.sensitivity and args.format not in ("table", "json"):
        msg = f"--sensitivity adds to --format table or json, not {args.format}"
        raise _UsageError(msg)
    if args.indent is not None and args.format != "json":
        msg = f"--indent goes with --format json, not {args.format}"
        raise _UsageError(msg)
    if args.engine == "dask" or args.scheduler is not None:
        return _assess_dask(args)
    if args.stream:
        return _assess_stream(args)
    case = _load(args)
    settings = claimtrack.Settings(
        merge_echoes=args.merge_echoes, learn=args.learn, as_of=args.as_of
    )
    with _stages(args).stage("judging"):
        result = case.assess(settings)
        found = claimtrack.sensitivity(case, settings) if args.sensitivity else None
    if args.format == "table":
        return _assess_table(args, case, result, found)
    if args.format == "json":
        indent = args.indent
        if indent is None:
            indent = 2 if len(result.assessments) <= claimtrack.export.PRETTY_UP_TO else 0
        pieces = claimtrack.export.assessments_json(
            result, indent=indent or None, sensitivity=found
        )
    else:
        pieces = _row_pieces(case, result, args.format)
    with (
        _stages(args).stage("writing"),
        _output(args.output) as write,  # written as it is made: the whole text is never held
        gc_paused(),  # votes, reasons and rows by the hundred thousand, none in a cycle
    ):
        for piece in pieces:
            write(piece)
    return EXIT_OK


def _row_pieces(case: Case, result: Assessments, form: str, rows: int = 5_000) -> Iterator[str]:
    """The assessment rows as JSON Lines or CSV (one header), *rows* rows a piece."""
    found = claimtrack.export.assessment_rows(case, result)
    first = True
    while (batch := list(itertools.islice(found, rows))) or first:
        buffer = io.StringIO()
        if form == "jsonl":
            claimtrack.export.write_jsonl(batch, buffer)
        else:
            claimtrack.export.write_csv(
                batch, buffer, claimtrack.export.ASSESSMENT_COLUMNS, header=first
            )
        first = False
        yield buffer.getvalue()


def _assess_table(
    args: argparse.Namespace,
    case: Case,
    result: Assessments,
    found: Sequence[Sensitivity] | None,
) -> int:
    """``assess`` as a table (and the sensitivity table), on the terminal or to -o OUT."""
    from claimtrack.report import assessment_table  # noqa: PLC0415 - only the table needs rich
    from claimtrack.report._tables import sensitivity_table  # noqa: PLC0415 - only tables need rich

    buffer = io.StringIO()
    console = _console() if args.output == "-" else _console(buffer)
    console.print(assessment_table(case, result, wide=args.wide))
    if found is not None:
        console.print(sensitivity_table(case, found))
    if args.output != "-":
        _emit(buffer.getvalue(), args.output)
    return EXIT_OK


def _assess_dask(args: argparse.Namespace) -> int:
    """``assess --engine dask``: the assessments written as Parquet to the folder OUT_DIR."""
    refused = [
        (args.engine != "dask", "--scheduler goes with --engine dask"),
        (args.stream, "--engine dask reads a dataset in parts itself: drop --stream"),
        (args.sensitivity, "--sensitivity is not available with --engine dask"),
        (args.format != "table", "--engine dask writes Parquet to -o OUT_DIR: drop --format"),
        (args.output == "-", "--engine dask writes Parquet: give the folder with -o OUT_DIR"),
    ]
    for wrong, msg in refused:
        if wrong:
            raise _UsageError(msg)
    from claimtrack.dask._cli import assess_to_parquet  # noqa: PLC0415 - needs dask

    settings = claimtrack.Settings(
        merge_echoes=args.merge_echoes, learn=args.learn, as_of=args.as_of
    )
    rows = assess_to_parquet(args.case, args.output, scheduler=args.scheduler, settings=settings)
    _say(f"{args.output}: wrote {rows:,} assessments")
    return EXIT_OK


def _assess_stream(args: argparse.Namespace) -> int:
    """``assess --stream``: a store's rows written part by part, never the whole corpus read."""
    if args.format not in ("jsonl", "csv"):
        msg = "--stream writes one row per claim: use --format jsonl or --format csv"
        raise _UsageError(msg)
    if args.learn:
        msg = "--stream cannot be combined with --learn: learning needs the whole corpus at once"
        raise _UsageError(msg)
    if not is_store(args.case):
        msg = (
            f"--stream reads a store ({', '.join(STORE_SUFFIXES)}), not a case file: '{args.case}'"
        )
        raise _UsageError(msg)
    settings = claimtrack.Settings(merge_echoes=args.merge_echoes, as_of=args.as_of)
    with open_store(args.case, case=args.case_name) as store, _output(args.output) as write:
        for piece in _stream_rows(
            store.assess_parts(settings, questions=args.part_size), args.format
        ):
            write(piece)
    return EXIT_OK


def _stream_rows(parts: Iterator[tuple[Case, Assessments]], form: str) -> Iterator[str]:
    """The text of each part's assessment rows, as JSON Lines or CSV with one header."""
    for n, (part, result) in enumerate(parts):
        buffer = io.StringIO()
        rows = claimtrack.export.assessment_rows(part, result)
        if form == "jsonl":
            claimtrack.export.write_jsonl(rows, buffer)
        else:
            claimtrack.export.write_csv(
                rows, buffer, claimtrack.export.ASSESSMENT_COLUMNS, header=n == 0
            )
        yield buffer.getvalue()


_REVIEW_OPTIONS = ("reviewer", "reviewer_url", "url", "date", "claims", "all_claims")


def _export_places(args: argparse.Namespace) -> None:
    """Set the case and, for parquet, the dataset folder, from the words after ``--to FORMAT``."""
    rest = list(args.to_rest)
    if args.case is None:
        if not rest:
            raise _UsageError("the following arguments are required: CASE")
        args.case = rest.pop(0)
    args.directory = rest.pop(0) if rest and args.to == "parquet" else None
    if rest:
        msg = f"unrecognized arguments: {' '.join(rest)}"
        raise _UsageError(msg)


def _export(args: argparse.Namespace) -> int:
    _export_places(args)
    if args.to == "parquet":
        return _export_parquet(args)
    if args.to != "claimreview":
        given = [f"--{o.replace('_', '-')}" for o in _REVIEW_OPTIONS if getattr(args, o)]
        if given:
            msg = f"{', '.join(given)}: only for --to claimreview"
            raise _UsageError(msg)
        case = _load(args)
        with _stages(args).stage(f"writing {args.to}"), gc_paused():
            if args.to in ("csv", "jsonl"):  # a row at a time: the whole text is never held
                with _output(args.output) as write:
                    _Pieces(write).export(case, args.to)
            else:
                _emit(render(case, args.to), args.output)
        return EXIT_OK
    if args.claims and args.all_claims:
        raise _UsageError("give --claims or --all-claims, not both")
    for option, address in (("--url", args.url), ("--reviewer-url", args.reviewer_url)):
        if address and not address.strip().lower().startswith(("https://", "http://")):
            msg = f"{option}: expected an absolute http(s) address, got {address!r}"
            raise _UsageError(msg)
    lacking = [
        what
        for what, given in (
            ("an author (--reviewer NAME)", args.reviewer and args.reviewer.strip()),
            ("the page it is published on (--url URL)", args.url and args.url.strip()),
            (
                "the claims reviewed (--claims ID,ID or --all-claims)",
                args.claims or args.all_claims,
            ),
        )
        if not given
    ]
    if lacking:
        _say(f"claimtrack export: a ClaimReview needs {_and(lacking)}; nothing written")
        return EXIT_INVALID
    claims = None if args.all_claims else [c for v in args.claims for c in v.split(",") if c]
    case = _load(args)
    try:
        text = render(
            case,
            "claimreview",
            reviewer=args.reviewer,
            reviewer_url=args.reviewer_url,
            url=args.url,
            date=args.date or dt.datetime.now(dt.UTC).date(),
            claims=claims,
        )
    except ValueError as e:
        _say(f"claimtrack export: {e}; nothing written")
        return EXIT_INVALID
    _emit(text, args.output)
    return EXIT_OK


def _and(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def _export_parquet(args: argparse.Namespace) -> int:
    """``export --to parquet DIR``: a dataset folder, one Parquet table per kind of record."""
    folder = args.directory or (args.output if args.output != "-" else None)
    if folder is None:
        raise _UsageError("--to parquet writes a dataset folder: give it, as in --to parquet DIR")
    from claimtrack.files._parquet import dump_dataset  # noqa: PLC0415 - needs pyarrow

    counts = dump_dataset(_load(args), folder)
    _say(f"{folder}: wrote {', '.join(f'{n:,} {t}' for t, n in counts.items())}")
    return EXIT_OK


class _Pieces:
    """A text file whose writes reach *write* a megabyte at a time.

    What lets a row-by-row export go to standard output (flushed on every write) or to a
    file without a write per row, and without the whole text held at once.
    """

    def __init__(self, write: Callable[[str], None], size: int = 1 << 20) -> None:
        self._write, self._size = write, size
        self._run: list[str] = []
        self._n = 0

    def write(self, text: str) -> int:
        self._run.append(text)
        self._n += len(text)
        if self._n >= self._size:
            self.flush()
        return len(text)

    def flush(self) -> None:
        if self._run:
            self._write("".join(self._run))
            self._run, self._n = [], 0

    def export(self, case: Case, to: str) -> None:
        """Write *case* as ``csv`` or ``jsonl`` rows, then what is left."""
        file = cast("IO[str]", self)  # a text file, as far as the writers use one
        if to == "csv":
            claimtrack.export.to_csv(case, file)
        else:
            claimtrack.export.to_jsonl(case, file)
        self.flush()


def render(
    case: Case,
    to: str,
    *,
    reviewer: str | None = None,
    reviewer_url: str | None = None,
    url: str | None = None,
    date: dt.date | None = None,
    claims: Sequence[str] | None = None,
) -> str:
    """The text of *case* exported in the format *to*, one of :data:`EXPORT_FORMATS`.

    The keywords are ClaimReview's (see :func:`claimtrack.export.to_claimreview`).
    """
    if to in ("json", "yaml"):
        return dumps(case, to)
    buffer = io.StringIO()
    if to == "jsonl":
        claimtrack.export.to_jsonl(case, buffer)
    elif to == "csv":
        claimtrack.export.to_csv(case, buffer)
    elif to == "claimreview":
        reviews = claimtrack.export.to_claimreview(
            case, reviewer=reviewer, reviewer_url=reviewer_url, url=url, date=date, claims=claims
        )
        buffer.write(claimtrack.export.jsonld_text(reviews))
    elif to == "prov-json":
        buffer.write(claimtrack.export.prov_json_text(claimtrack.export.to_prov(case)))
    elif to == "prov-n":
        buffer.write(claimtrack.export.to_provn(case))
    else:
        msg = f"unknown export format '{to}': use one of {', '.join(EXPORT_FORMATS)}"
        raise _UsageError(msg)
    return buffer.getvalue()


def _report(args: argparse.Namespace) -> int:
    case = _load(args)
    if args.as_of is not None:
        case = case.as_of(args.as_of)
    return _show_report(case, args)


def demo_case() -> Case:
    """The Iraq 2024 case that ships with claimtrack, the one ``claimtrack demo`` shows."""
    with files("claimtrack").joinpath("_data", "iraq-2024.yaml").open("rb") as f:
        return load(f, format="yaml")


def _demo(args: argparse.Namespace) -> int:
    return _show_report(demo_case(), args)


def _show_report(case: Case, args: argparse.Namespace) -> int:
    from claimtrack.report import DEFAULT_WIDTH, Report  # noqa: PLC0415 - only reports need rich

    try:
        with _stages(args).stage("judging"):
            report = Report(case, question=args.question, summary=args.summary, sort=args.sort)
    except ValueError as e:
        _say(f"--question: {e}")
        return EXIT_INVALID
    if args.format == "terminal" and args.output == "-":
        _console(width=args.width).print(report)
        return EXIT_OK
    width = args.width or DEFAULT_WIDTH
    with _stages(args).stage(f"laying out {args.format}"):
        if args.format == "svg":
            data = report.to_svg(width)
        elif args.format == "html":
            data = report.to_html(width, script=True)
        elif args.format == "md":
            data = report.to_markdown()
        else:
            data = report.to_text(width)
    _emit(data, args.output)
    return EXIT_OK


def template(title: str | None = None) -> str:
    """The text of a new, empty case file, with a commented example of each record."""
    text = files("claimtrack").joinpath("new-case.yaml").read_text(encoding="utf-8")
    if title is not None:
        text = text.replace("title: Untitled case\n", f"title: {json.dumps(title)}\n", 1)
    return text


def _new(args: argparse.Namespace) -> int:
    if args.title is not None and not args.title.strip():
        raise _UsageError("--title must not be empty")
    text = template(args.title)
    if args.path == "-":
        _emit(text, "-")
        return EXIT_OK
    path = Path(args.path)
    if path.suffix.lower() not in (".yaml", ".yml"):
        msg = f"{path}: a new case file is YAML, with comments; name it .yaml or .yml"
        raise _UsageError(msg)
    if path.exists() and not args.force:
        _say(f"{path}: already exists; pass --force to overwrite it")
        return EXIT_INVALID
    _emit(text, str(path))
    _say(f"{path}: written; check it with: claimtrack check {path}")
    return EXIT_OK


def _import(args: argparse.Namespace) -> int:
    if not is_store(args.store):
        msg = f"{args.store}: a store's name ends in {', '.join(STORE_SUFFIXES)}"
        raise _UsageError(msg)
    with _stages(args).stage(f"reading {one_line(args.case)}"):
        case = load(args.case)
    with (
        _stages(args).stage(f"writing to {one_line(args.store)}"),
        open_store(args.store, create=True) as store,
    ):
        store.import_case(
            case, name=args.name, on_conflict=args.on_conflict, origin=Path(args.case).name
        )
    _say(f"{args.store}: imported {len(case.attributions):,} attributions from {args.case}")
    return EXIT_OK


def _add_case_option(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--case",
        dest="case_name",
        metavar="NAME",
        help="the case to read, in a store holding several (claimtrack cases STORE lists them)",
    )


def _add_store_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """``cases``, ``search`` and ``merge``: the commands of a store holding several cases."""
    cases = _command(
        commands,
        "cases",
        help="list the cases a store holds, with how many records each holds",
        description=(
            "List the cases a store holds, one a line: its name (what --case takes), its "
            "title, and how many sources, documents, questions, claims and attributions it holds."
        ),
        examples=("claimtrack cases team.db",),
        run=_cases,
    )
    cases.add_argument("store", metavar="STORE", help="a .db, .sqlite or .sqlite3 store")
    search = _command(
        commands,
        "search",
        help="search a store's claims, questions, quotes, document titles and notes",
        description=(
            'Search a store, best match first. Every word must match; "..." matches a '
            "phrase, word* every word beginning so; English words match their other forms "
            "(missile finds Missiles), and case, diacritics, Arabic spellings, Cyrillic yo and "
            "apostrophes are folded. Nothing else in the query is syntax."
        ),
        examples=(
            "claimtrack search team.db missile",
            "claimtrack search team.db 'stat*' --case one",
            "claimtrack search team.db '\"railway station\"'",
        ),
        run=_search,
    )
    search.add_argument("store", metavar="STORE", help="a .db, .sqlite or .sqlite3 store")
    search.add_argument("query", metavar="QUERY", help='words, "phrases" and prefix* words')
    search.add_argument(
        "--case", dest="case_name", metavar="NAME", help="search one case (default: every case)"
    )
    search.add_argument(
        "--limit", type=_positive, default=50, metavar="N", help="show at most N results (50)"
    )
    merge = _command(
        commands,
        "merge",
        help="merge two case files of one case into one",
        description=(
            "Merge two case files of one case (two analysts' work) into one. A record both "
            "hold alike is kept once; one both hold with different content is refused, "
            "each differing field named, unless --on-conflict keep (the first file's) or "
            "replace (the second's). Attributions and relations are put together, the "
            "first file's first."
        ),
        examples=("claimtrack merge one.json two.json -o merged.json",),
        run=_merge,
    )
    merge.add_argument("first", metavar="A", help="a case file; its title is kept")
    merge.add_argument("second", metavar="B", help="a case file")
    merge.add_argument(
        "-o",
        "--output",
        required=True,
        metavar="OUT",
        help="the merged case file (.yaml, .yml or .json); - for standard output as YAML",
    )
    merge.add_argument(
        "--on-conflict",
        choices=("refuse", "keep", "replace"),
        default="refuse",
        help="what to do with a record of one id that differs: refuse (default), keep A's, take B's",
    )


def _cases(args: argparse.Namespace) -> int:
    with open_store(args.store) as store:
        found = store.cases()
    if not found:
        _say(f"{args.store}: holds no case")
        return EXIT_OK
    lines = []
    for c in found:
        title = "" if c.title == c.name else f" ({json_text(c.title, indent=None)})"
        lines.append(
            f"{c.name}{title}: {c.sources:,} sources, {c.documents:,} documents, "
            f"{c.questions:,} questions, {c.claims:,} claims, {c.attributions:,} attributions\n"
        )
    _emit("".join(lines), "-")
    return EXIT_OK


def _search(args: argparse.Namespace) -> int:
    from rich.text import Text  # noqa: PLC0415 - only the terminal needs rich

    try:
        with open_store(args.store, case=args.case_name) as store:
            hits = store.search(args.query, limit=args.limit)
    except ValueError as e:
        raise _UsageError(str(e)) from None
    if not hits:
        _say(f"{args.store}: nothing matches {json_text(args.query, indent=None)}")
        return EXIT_INVALID
    console = _console()
    for hit in hits:
        line = Text()
        if hit.case is not None:
            line.append(inert(hit.case), style="bold")
            line.append(" · ")
        line.append(inert(hit.label), style="cyan")
        line.append(": ")
        for piece, matched in hit.spans:
            line.append(inert(piece), style="bold yellow" if matched else "")
        console.print(line, soft_wrap=True)
    return EXIT_OK


def _merge(args: argparse.Namespace) -> int:
    from claimtrack.files._merge import merge  # noqa: PLC0415 - only merge needs it

    first, second = load(args.first), load(args.second)
    merged = merge(
        first,
        second,
        on_conflict=args.on_conflict,
        names=(Path(args.first).name, Path(args.second).name),
    )
    if args.output == "-":
        _emit(dumps(merged, "yaml"), "-")
        return EXIT_OK
    suffix = Path(args.output).suffix.lower()
    if suffix not in (".yaml", ".yml", ".json"):
        msg = f"{args.output}: a merged case file is .yaml, .yml or .json"
        raise _UsageError(msg)
    _emit(dumps(merged, "json" if suffix == ".json" else "yaml"), args.output)
    _say(
        f"{args.output}: merged {len(merged.claims):,} claims and "
        f"{len(merged.attributions):,} attributions from {args.first} and {args.second}"
    )
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with *argv* (default: the process's arguments); return the exit status."""
    words = sys.argv[1:] if argv is None else argv
    if any("\x00" in w for w in words):
        _say("claimtrack: error: an argument holds a NUL character, which no file name can hold")
        return EXIT_USAGE
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as e:
        return EXIT_OK if e.code in (0, None) else EXIT_USAGE
    try:
        return _run(args)
    except KeyboardInterrupt:
        _say("interrupted")
        return 130
    except BrokenPipeError:
        return EXIT_OK


def _collector(args: argparse.Namespace) -> contextlib.AbstractContextManager[None]:
    """The cyclic garbage collector paused for the whole command, but on a Dask cluster.

    A command makes its records, arrays and rows, writes what it found and ends; none of
    them is in a reference cycle, so the collector, run as they are made, walks every
    one of them again and frees nothing (at 200,000 attributions, half a second of an
    assessment). What the command no longer holds is freed as ever, when the last
    reference to it goes. A Dask client keeps an event loop running for as long as the
    cluster works, whose objects do form cycles: it keeps the collector.
    """
    dask = getattr(args, "engine", None) == "dask" or getattr(args, "scheduler", None)
    return contextlib.nullcontext() if dask else gc_paused()


def _run(args: argparse.Namespace) -> int:
    """Run the chosen command, turning the errors users can fix into messages and a status."""
    try:
        with Stages(enabled=getattr(args, "progress", False)) as stages, _collector(args):
            args.stages = stages
            status: int = args.run(args)
    except CaseError as e:
        for p in e.problems:
            _say(p)
        return EXIT_INVALID
    except ModuleNotFoundError as e:
        if "claimtrack[" not in str(e):
            raise
        _say(f"claimtrack {args.command}: {e}")
        return EXIT_INVALID
    except _UsageError as e:
        _say(f"claimtrack {args.command}: error: {e}")
        return EXIT_USAGE
    except BrokenPipeError:
        raise
    except OSError as e:
        # a file error the commands did not name themselves: still a message, not a traceback
        where = f"claimtrack {args.command}" if e.filename is None else os.fsdecode(e.filename)
        _say(f"{where}: {e.strerror or e}")
        return EXIT_INVALID
    return status
