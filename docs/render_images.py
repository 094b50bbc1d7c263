"""Render the report images of docs/report.md from the bundled example case.

Run ``python docs/render_images.py`` after changing the report or the example; the test
suite fails while the images in docs/images/ differ from what this script renders.
"""

from __future__ import annotations

from pathlib import Path

import claimtrack

from claimtrack.report import Report


ROOT = Path(__file__).resolve().parent.parent
CASE = ROOT / "examples" / "iraq-2024" / "case.yaml"
IMAGES = ROOT / "docs" / "images"
WIDTH = 110
QUESTIONS = {
    "report-truce.svg": ("truce", True),
    "report-babil-character.svg": ("babil-character", False),
}


def render() -> dict[Path, bytes]:
    """Every image, by path, as the library renders it now."""
    case = claimtrack.load(CASE)
    assessments = case.assess()
    out = {}
    for name, (question, legend) in QUESTIONS.items():
        report = Report(case, assessments, question=question, legend=legend)
        title = f"claimtrack report examples/iraq-2024/case.yaml --question {question}"
        out[IMAGES / name] = report.to_svg(WIDTH, title=title).encode()
    return out


def main() -> None:
    """Write the images."""
    IMAGES.mkdir(exist_ok=True)
    for path, data in render().items():
        path.write_bytes(data)


if __name__ == "__main__":
    main()
