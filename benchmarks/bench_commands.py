"""Every command end to end: ``claimtrack ...`` as a user runs it, against same-run baselines.

Each command runs as a whole process (interpreter start, imports, reading, work,
writing), pinned to one core, and is timed against what the same machine does in the
same run with the standard library alone:

- ``assess --format json``: ``json.load`` of the case plus ``json.dumps`` of the output
  as read back, plus a bare interpreter's start (target ≤ 3×); its peak memory against
  1.5 KB per attribution;
- ``assess --format jsonl``: its peak memory against the case loaded in a process of
  its own, plus 100 MB;
- ``check``: ``json.load`` of the case (target ≤ 2×);
- ``export --to csv`` and ``--to jsonl``: the same ``json.load`` (target ≤ 3×);
- ``import``: a plain ``executemany`` of the attributions' rows into a table of the same
  columns (target ≤ 3×);
- ``report --summary`` (target ≤ 10 s) and, at 1,000 questions, ``report --format html``
  (target ≤ 10 s);
- a case shaped like an edit history (many questions of one or two answers):
  ``assess --format json`` against its own ``json.load`` + ``json.dumps`` (target ≤ 3×).

Each figure is the best of :data:`ROUNDS` runs; the peak is each child's own maximum
resident set (``wait4``), taken by a small process that starts it (see :data:`PROBE`). The ratio is printed next to its target, and a miss is marked.
"""

from __future__ import annotations

import compileall
import json
import os
import random
import subprocess
import sys
import tempfile

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import corpus


SIZES = corpus.CHOICES
ROUNDS = 2
"""Runs of each command; the quickest counts."""

PY = sys.executable
CLAIMTRACK = [PY, "-m", "claimtrack"]


PROBE = (
    "import os,subprocess,sys,time\n"
    "with open(sys.argv[1],'wb') as sink:\n"
    "    t=time.perf_counter()\n"
    "    c=subprocess.Popen(sys.argv[2:],stdout=sink,stderr=subprocess.DEVNULL)\n"
    "    _,s,u=os.wait4(c.pid,0)\n"
    "    w=time.perf_counter()-t\n"
    "print(os.waitstatus_to_exitcode(s),w,u.ru_maxrss/1024)"
)
"""Runs a command and prints its status, wall seconds and peak MB, from a small process.

A child's peak resident set counts the pages of the process that started it (Linux
keeps the high-water mark across ``exec``), so a command started by this benchmark,
which holds the corpus it generated, would report at least this benchmark's own size.
Started by a fresh interpreter of a few megabytes, it reports its own peak."""


def run(argv: Sequence[str], out: Path | None = None) -> tuple[int, float, float]:
    """Exit status, wall seconds and peak resident MB of *argv* run as a process of its own."""
    probe = [PY, "-c", PROBE, str(out or os.devnull), *argv]
    done = subprocess.run(probe, capture_output=True, text=True, check=True)  # noqa: S603 - our own commands
    status, wall, peak = done.stdout.split()
    return int(status), float(wall), float(peak)


def best(argv: Sequence[str], out: Path | None = None) -> tuple[int, float, float]:
    """The quickest of :data:`ROUNDS` runs of *argv* (its status, time and peak)."""
    return min((run(argv, out) for _ in range(ROUNDS)), key=lambda r: r[1])


def python(code: str, *args: str | Path) -> float:
    """The quickest time a snippet prints (it times itself), over :data:`ROUNDS` runs."""
    times = []
    for _ in range(ROUNDS):
        argv = [PY, "-c", code, *map(str, args)]
        done = subprocess.run(argv, capture_output=True, text=True, check=True)  # noqa: S603
        times.append(float(done.stdout))
    return min(times)


LOAD = "import json,sys,time\nt=time.perf_counter();json.load(open(sys.argv[1]));print(time.perf_counter()-t)"
LOAD_DUMP = (
    "import json,sys,time\nt=time.perf_counter();json.load(open(sys.argv[1]));a=time.perf_counter()-t\n"
    "o=json.load(open(sys.argv[2]));t=time.perf_counter();json.dumps(o);print(a+time.perf_counter()-t)"
)
EXECUTEMANY = (
    "import json,sqlite3,sys,time\nt=time.perf_counter();d=json.load(open(sys.argv[1]));"
    "c=sqlite3.connect(sys.argv[2])\n"
    "c.execute('drop table if exists a')\n"
    "c.execute('create table a(i integer primary key, claim text, source text, stance text, document text, via text)')\n"
    "with c: c.executemany('insert into a values(?,?,?,?,?,?)', ((i,x['claim'],x['source'],x.get('stance'),"
    "x.get('document'),json.dumps(x.get('via'))) for i,x in enumerate(d['attributions'])))\n"
    "print(time.perf_counter()-t)"
)


def line(what: str, took: float, base: float, target: float, extra: str = "") -> dict[str, Any]:
    """One row of the report: the ratio to its baseline next to its target."""
    ratio = took / base
    mark = "" if ratio <= target else "  **over**"
    print(
        f"| {what} | {took:.2f} s | {base:.2f} s | {ratio:.1f}× | ≤ {target:g}×{mark} | {extra} |"
    )
    return {"what": what, "seconds": took, "baseline": base, "ratio": ratio, "target": target}


def edit_history(attributions: int, seed: int = 3) -> dict[str, Any]:
    """A case shaped like an edit history: many questions of one or two answers, many documents."""
    rnd = random.Random(seed)
    n_sources, n_questions = max(20, attributions // 12), max(10, attributions * 42 // 50)
    sources = {
        f"s{i}": {"name": f"Editor {i}", "kind": "person", "reliability": "ABCDEF"[i % 6]}
        for i in range(n_sources)
    }
    questions = {f"q{i}": {"text": f"What does revision {i} change?"} for i in range(n_questions)}
    claims: dict[str, Any] = {}
    for i in range(n_questions):
        for k in range(1 + (i % 5 == 0)):
            claims[f"q{i}-{k}"] = {"text": f"Revision {i} says {k}", "question": f"q{i}"}
    documents = {
        f"d{i}": {"publisher": f"s{i % n_sources}", "title": f"Revision {i}"}
        for i in range(attributions)
    }
    ids = list(claims)
    atts = [
        {
            "claim": ids[rnd.randrange(len(ids))],
            "source": f"s{rnd.randrange(n_sources)}",
            "document": f"d{i}",
        }
        for i in range(attributions)
    ]
    return {"claimtrack": 1, "title": "Edit history", "sources": sources, "questions": questions,
            "claims": claims, "documents": documents, "attributions": atts}  # fmt: skip


def html_case(questions: int = 1_000, seed: int = 5) -> dict[str, Any]:
    """A case of *questions* questions, three answers each, for the HTML report's target."""
    data = corpus.generate(questions * 10, seed=seed)
    assert len(data["questions"]) == questions  # noqa: S101 - the generator's shape, checked
    return data


def one_size(size: str, folder: Path) -> list[dict[str, Any]]:
    """Every command at one corpus size."""
    n = corpus.SIZES[size]
    case = corpus.write(folder / f"case-{size}.json", n)
    out = folder / "out"
    bare = min(run([PY, "-c", "pass"])[1] for _ in range(3))
    rows: list[dict[str, Any]] = []
    print(f"\n### {n:,} attributions\n")
    print("| command | took | baseline | ratio | target | |")
    print("|---|---|---|---|---|---|")

    rc, took, peak = best([*CLAIMTRACK, "assess", str(case), "--format", "json"], out)
    base = python(LOAD_DUMP, case, out) + bare
    per = peak * 2**20 / n
    mark = "" if peak * 2**20 <= n * 1536 + 60 * 2**20 else ", **over**"
    rows.append(
        line(
            "`assess --format json`",
            took,
            base,
            3,
            f"peak {peak:.0f} MB, {per:.0f} B/attribution (≤ 1,536{mark})",
        )
    )

    _, _, loaded = run([PY, "-c", f"import claimtrack; claimtrack.load({str(case)!r})"])
    rc, took, peak = best([*CLAIMTRACK, "assess", str(case), "--format", "jsonl"], out)
    over = "" if peak <= loaded + 100 else " **over**"
    print(
        f"| `assess --format jsonl` | {took:.2f} s | | | | peak {peak:.0f} MB; the loaded case {loaded:.0f} MB + 100{over} |"
    )

    plain = python(LOAD, case)
    rc, took, _ = best([*CLAIMTRACK, "check", str(case)])
    rows.append(line("`check`", took, plain + bare, 2))
    for form in ("csv", "jsonl"):
        rc, took, _ = best([*CLAIMTRACK, "export", str(case), "--to", form], out)
        rows.append(line(f"`export --to {form}`", took, plain + bare, 3))

    stores = []
    for k in range(ROUNDS):
        db = folder / f"store-{size}-{k}.db"
        stores.append(run([*CLAIMTRACK, "import", str(case), str(db)])[1])
    plain_db = python(EXECUTEMANY, case, folder / f"plain-{size}.db")
    rows.append(line("`import`", min(stores), plain_db + bare, 3))

    rc, took, _ = best([*CLAIMTRACK, "report", str(case), "--summary", "--format", "text"], out)
    print(
        f"| `report --summary` | {took:.2f} s | | | ≤ 10 s{'' if took <= 10 else '  **over**'} | |"
    )
    if rc:
        print(f"\n(a command exited {rc})")
    return rows


def shapes(folder: Path) -> None:
    """The targets that do not grow with the corpus: HTML at 1,000 questions, the edit history."""
    print("\n### Other shapes\n")
    print("| command | took | baseline | ratio | target | |")
    print("|---|---|---|---|---|---|")
    html = folder / "html-case.json"
    html.write_text(json.dumps(html_case()), encoding="utf-8")
    _, took, _ = best([*CLAIMTRACK, "report", str(html), "--format", "html"], folder / "page.html")
    print(
        f"| `report --format html`, 1,000 questions | {took:.2f} s | | | ≤ 10 s{'' if took <= 10 else '  **over**'} | |"
    )
    edits = folder / "edits.json"
    edits.write_text(json.dumps(edit_history(50_000)), encoding="utf-8")
    out = folder / "edits-out.json"
    _, took, peak = best([*CLAIMTRACK, "assess", str(edits), "--format", "json"], out)
    bare = min(run([PY, "-c", "pass"])[1] for _ in range(3))
    line(
        "edit history, 50k: `assess --format json`",
        took,
        python(LOAD_DUMP, edits, out) + bare,
        3,
        f"peak {peak:.0f} MB",
    )


def compiled() -> None:
    """Compile the package's modules to bytecode, as installing it from a wheel does.

    A checkout installed in editable mode, run where ``PYTHONDONTWRITEBYTECODE`` is set,
    would otherwise compile every module it imports from source in every command: most
    of a second for ``assess``, which a user's installed copy never spends.
    """
    import claimtrack  # noqa: PLC0415 - only to find where it is installed

    compileall.compile_dir(Path(claimtrack.__file__).parent, quiet=1)


def main(size: str) -> list[dict[str, Any]]:
    """Run every command at *size* (``full``: 10k, 100k and 1m attributions), then the other shapes."""
    corpus.pin_one_core()  # the children inherit it: one core, as the targets say
    compiled()
    sizes = ["small"] if size == "small" else corpus.chosen(size)
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as tmp:
        for one in sizes:
            rows += one_size(one, Path(tmp))
        if size != "small":
            shapes(Path(tmp))
    return rows


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "small")
