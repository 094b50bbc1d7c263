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
import io
import json
import os
import sys

from collections.abc import Callable, Iterator, Sequence
from importlib.resources import files
from pathlib import Path
from typing import IO, TYPE_CHECKING

from claimtrack import export
from claimtrack._text import inert, inert_json, json_text, one_line
from claimtrack.engine import Assessments, Settings, sensitivity
from claimtrack.errors import CaseError, CaseFileError, Problem
from claimtrack.files._atomic import output_file
from claimtrack.files._case_files import dumps, load
from claimtrack.model._records import Moment, parse_moment
from claimtrack.store._sqlite import STORE_SUFFIXES, is_store, load_any, open_store


if TYPE_CHECKING:
    from rich.console import Console

    from claimtrack.model._case import Case


EXIT_OK = 0
EXIT_INVALID = 1
EXIT_USAGE = 2

EXPORT_FORMATS = ("json", "yaml", "jsonl", "csv", "claimreview", "prov-json", "prov-n")
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
    return parser


def _command(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
    name: str,
    *,
    help: str,  # noqa: A002
    description: str,
    examples: Sequence[str],
    run: Callable[[argparse.Namespace], int],
) -> argparse.ArgumentParser:
    command = commands.add_parser(
        name,
        help=help,
        description=description,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="examples:\n" + "\n".join(f"  {e}" for e in examples),
    )
    command.set_defaults(run=run)
    return command


def _add_texts(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--texts",
        action="append",
        metavar="DIR",
        help="a folder holding documents' text files (may be repeated); the case file's folder is searched last",
    )


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
    )
    assess.add_argument("case", metavar="CASE", help=_CASE_HELP)
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
        "--sensitivity",
        action="store_true",
        help=(
            "also list, for each question, the origins whose removal or one-step change of "
            "grade would change its leading answer or that answer's estimative word (table or json)"
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


def _columns(value: str) -> int:
    width = _whole(value, " of columns")
    if not 20 <= width <= 1000:  # noqa: PLR2004
        msg = f"expected 20 to 1000 columns, got {width}"
        raise argparse.ArgumentTypeError(msg)
    return width


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
            "ClaimReview JSON-LD, one review per assessed claim; prov-json and prov-n "
            'are W3C PROV (needs pip install "claimtrack[prov]").'
        ),
        examples=(
            "claimtrack export case.yaml --to jsonl -o case.jsonl",
            "claimtrack export case.yaml --to csv > case.csv",
            "claimtrack export case.yaml --to claimreview --reviewer 'Desk A' -o reviews.json",
            "claimtrack export case.yaml --to prov-n",
        ),
        run=_export,
    )
    exp.add_argument("case", metavar="CASE", help=_CASE_HELP)
    exp.add_argument(
        "--to",
        "--format",
        dest="to",
        required=True,
        choices=EXPORT_FORMATS,
        metavar="FORMAT",
        help="one of: %(choices)s",
    )
    exp.add_argument("-o", "--output", metavar="OUT", default="-", help=_OUT_HELP)
    _add_texts(exp)
    exp.add_argument(
        "--reviewer", type=_text, metavar="NAME", help="claimreview: who publishes the reviews"
    )


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
    )
    imp.add_argument("case", metavar="CASE", help="a .yaml, .yml or .json case file")
    imp.add_argument("store", metavar="STORE", help="a .db, .sqlite or .sqlite3 store")


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


def _check(args: argparse.Namespace) -> int:
    status = EXIT_OK
    for name in args.cases:
        try:
            case = load_any(name, texts=args.texts, validate=False)
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
    if args.sensitivity and args.format not in ("table", "json"):
        msg = f"--sensitivity adds to --format table or json, not {args.format}"
        raise _UsageError(msg)
    if args.stream:
        return _assess_stream(args)
    case = load_any(args.case, texts=args.texts)
    settings = Settings(merge_echoes=args.merge_echoes, learn=args.learn, as_of=args.as_of)
    result = case.assess(settings)
    found = sensitivity(case, settings) if args.sensitivity else None
    buffer = io.StringIO()
    if args.format == "json":
        data = export.assessments_to_data(result, sensitivity=found)
        buffer.write(json_text(data) + "\n")
    elif args.format == "jsonl":
        export.write_jsonl(export.assessment_rows(case, result), buffer)
    elif args.format == "csv":
        export.write_csv(export.assessment_rows(case, result), buffer, export.ASSESSMENT_COLUMNS)
    else:
        from claimtrack.report import assessment_table  # noqa: PLC0415 - only the table needs rich

        console = _console() if args.output == "-" else _console(buffer)
        console.print(assessment_table(case, result))
        if found is not None:
            from claimtrack.report._tables import sensitivity_table  # noqa: PLC0415 - only tables need rich

            console.print(sensitivity_table(case, found))
        if args.output == "-":
            return EXIT_OK
    _emit(buffer.getvalue(), args.output)
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
    settings = Settings(merge_echoes=args.merge_echoes, as_of=args.as_of)
    with open_store(args.case) as store, _output(args.output) as write:
        for piece in _stream_rows(
            store.assess_parts(settings, questions=args.part_size), args.format
        ):
            write(piece)
    return EXIT_OK


def _stream_rows(parts: Iterator[tuple[Case, Assessments]], form: str) -> Iterator[str]:
    """The text of each part's assessment rows, as JSON Lines or CSV with one header."""
    for n, (part, result) in enumerate(parts):
        buffer = io.StringIO()
        rows = export.assessment_rows(part, result)
        if form == "jsonl":
            export.write_jsonl(rows, buffer)
        else:
            export.write_csv(rows, buffer, export.ASSESSMENT_COLUMNS, header=n == 0)
        yield buffer.getvalue()


def _export(args: argparse.Namespace) -> int:
    case = load_any(args.case, texts=args.texts)
    _emit(render(case, args.to, reviewer=args.reviewer), args.output)
    return EXIT_OK


def render(case: Case, to: str, *, reviewer: str | None = None) -> str:
    """The text of *case* exported in the format *to*, one of :data:`EXPORT_FORMATS`."""
    if to in ("json", "yaml"):
        return dumps(case, to)
    buffer = io.StringIO()
    if to == "jsonl":
        export.to_jsonl(case, buffer)
    elif to == "csv":
        export.to_csv(case, buffer)
    elif to == "claimreview":
        buffer.write(export.jsonld_text(export.to_claimreview(case, reviewer=reviewer)))
    elif to == "prov-json":
        prov = io.StringIO()
        export.to_prov(case).serialize(prov, format="json", indent=2)
        buffer.write(inert_json(prov.getvalue()) + "\n")
    elif to == "prov-n":
        buffer.write(export.to_provn(case))
    else:
        msg = f"unknown export format '{to}': use one of {', '.join(EXPORT_FORMATS)}"
        raise _UsageError(msg)
    return buffer.getvalue()


def _report(args: argparse.Namespace) -> int:
    case = load_any(args.case, texts=args.texts)
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
        report = Report(case, question=args.question)
    except ValueError as e:
        _say(f"--question: {e}")
        return EXIT_INVALID
    if args.format == "terminal" and args.output == "-":
        _console(width=args.width).print(report)
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
    case = load(args.case)
    with open_store(args.store, create=True) as store:
        store.import_case(case)
    _say(f"{args.store}: imported {len(case.attributions):,} attributions from {args.case}")
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


def _run(args: argparse.Namespace) -> int:
    """Run the chosen command, turning the errors users can fix into messages and a status."""
    try:
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
