"""Run the scale benchmarks: ``python benchmarks/run.py --size small|10k|100k|1m``."""

from __future__ import annotations

import argparse
import json
import sys

from pathlib import Path


sys.path.insert(0, str(Path(__file__).parent))

import bench_scale
import corpus


def main() -> int:
    """Parse the sizes, run, and optionally write the rows as JSON."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--size",
        action="append",
        choices=sorted(corpus.SIZES),
        help="may be repeated (default: small)",
    )
    parser.add_argument("--json", metavar="FILE", help="also write the rows to FILE")
    args = parser.parse_args()
    rows = bench_scale.main(args.size or ["small"])
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
