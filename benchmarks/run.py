"""Run every benchmark in this folder: ``python benchmarks/run.py [--size SIZE] [NAME ...]``.

A benchmark is a module ``bench_<name>.py`` beside this file with a ``main(size)``
function that prints its report. ``small`` runs in seconds (the test suite uses it as a
smoke test); ``full`` is the size the published results come from. The scale and
linked-questions benchmarks (``scale``, ``linked``) also take one of the corpus sizes
(``10k``, ``100k``, ``200k``, ``1m``); the others run at ``full`` then.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import platform
import sys
import time

from pathlib import Path
from types import ModuleType


HERE = Path(__file__).parent
SIZES = ("small", "full", "10k", "100k", "200k", "1m")


def discover() -> dict[str, Path]:
    """The benchmarks in this folder, by name, in alphabetical order."""
    return {p.stem.removeprefix("bench_"): p for p in sorted(HERE.glob("bench_*.py"))}


def load(path: Path) -> ModuleType:
    """Import a benchmark module from its file."""
    spec = importlib.util.spec_from_file_location(path.stem, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {path}")
    if str(path.parent) not in sys.path:
        sys.path.insert(0, str(path.parent))  # benchmarks share helpers such as corpus.py
    module = importlib.util.module_from_spec(spec)
    sys.modules[path.stem] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[path.stem]
        raise
    return module


def machine() -> str:
    """The machine the run happened on, for the record next to the numbers."""
    cpu = "unknown CPU"
    ram = "unknown RAM"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                ram = f"{int(line.split()[1]) / 1024**2:.1f} GiB RAM"
                break
    except OSError:
        pass

    return (
        f"{os.cpu_count()} CPUs ({cpu}), {ram}, Python {platform.python_version()}, "
        f"{platform.system()} {platform.machine()}, {time.strftime('%Y-%m-%d')}"
    )


def main(argv: list[str] | None = None) -> int:
    """Run the benchmarks named in *argv* (all by default) at the size asked for."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=SIZES, default="full")
    parser.add_argument("names", nargs="*", metavar="NAME", help="benchmarks to run (default: all)")
    args = parser.parse_args(argv)
    found = discover()
    unknown = [n for n in args.names if n not in found]
    if unknown:
        parser.error(f"unknown benchmark {', '.join(unknown)}; known: {', '.join(found)}")
    print(f"Machine: {machine()}\n")
    for name in args.names or list(found):
        start = time.perf_counter()
        print(f"## {name} ({args.size})\n")
        module = load(found[name])
        known = getattr(module, "SIZES", ("small", "full"))
        module.main(args.size if args.size in known else "full")
        print(f"\n_{name} took {time.perf_counter() - start:.1f} s._\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
