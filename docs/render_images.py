"""Render the report images of docs/report.md from the bundled example case.

Run ``python docs/render_images.py`` after changing the report or the example; the test
suite fails while the images in docs/images/ differ from what this script renders.

The SVGs are text and compared byte for byte. The screenshots of the HTML page are not:
a browser's pixels differ from one machine to the next. What pins them is the page they
show: ``report-html.sha256`` holds the SHA-256 of the exact HTML the screenshots were taken
of, and the test compares it with the page the library renders now. Taking screenshots
needs Chromium (``apt-get install chromium``) and Playwright for Python (the ``test``
extra), which drives that Chromium.
"""

from __future__ import annotations

import hashlib
import shutil
import sys

from pathlib import Path

import claimtrack

from claimtrack.report import Report


ROOT = Path(__file__).resolve().parent.parent
CASE = ROOT / "examples" / "iraq-2024" / "case.yaml"
IMAGES = ROOT / "docs" / "images"
WIDTH = 110
COMMAND = "claimtrack report examples/iraq-2024/case.yaml"
# SVG of the terminal report: file name, then the options of the command it shows
SVGS = {
    "report-summary.svg": {"summary": True},
    "report-truce.svg": {"question": "truce"},
    "report-babil-character.svg": {"question": "babil-character", "legend": False},
}
# Screenshots of the top of the HTML page, by colour scheme; the window the page is seen in.
SCREENSHOTS = {"report-light.png": "light", "report-dark.png": "dark"}
VIEWPORT = {"width": 1200, "height": 900}
STAMP = IMAGES / "report-html.sha256"


def _title(options: dict[str, object]) -> str:
    """The command line an image shows, as its window title."""
    words = [COMMAND]
    if "question" in options:
        words.append(f"--question {options['question']}")
    if options.get("summary"):
        words.append("--summary")
    return " ".join(words)


def page() -> str:
    """The HTML page the screenshots show: the whole case, as ``--format html`` writes it."""
    case = claimtrack.load(CASE)
    return Report(case, case.assess()).to_html(script=True)


def stamp(html: str) -> bytes:
    """The stamp of the screenshots: the SHA-256 of the page they were taken of."""
    digest = hashlib.sha256(html.encode("utf-8")).hexdigest()
    return f"{digest}  {', '.join(SCREENSHOTS)}\n".encode()


def render() -> dict[Path, bytes]:
    """Every SVG, and the screenshots' stamp, by path, as the library renders them now."""
    case = claimtrack.load(CASE)
    assessments = case.assess()
    out = {}
    for name, options in SVGS.items():
        report = Report(case, assessments, **options)
        out[IMAGES / name] = report.to_svg(WIDTH, title=_title(options)).encode()
    out[STAMP] = stamp(page())
    return out


def screenshots(html: str) -> dict[Path, bytes]:
    """PNG screenshots of the top of *html* in each colour scheme, taken by Chromium."""
    from playwright.sync_api import sync_playwright  # noqa: PLC0415 - only for screenshots

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        sys.exit("no Chromium on the PATH: apt-get install chromium")
    out = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium)
        for name, scheme in SCREENSHOTS.items():
            context = browser.new_context(
                viewport=VIEWPORT,
                device_scale_factor=1,
                color_scheme=scheme,
            )
            shot = context.new_page()
            # the page fetches nothing; refuse anything all the same
            shot.route("**/*", lambda route: route.abort())
            shot.set_content(html, wait_until="load")
            out[IMAGES / name] = shot.screenshot(full_page=False)
            context.close()
        browser.close()
    return out


def main() -> None:
    """Write the SVGs, the screenshots and their stamp."""
    IMAGES.mkdir(exist_ok=True)
    html = page()
    images = render()
    images.update(screenshots(html))
    images[STAMP] = stamp(html)
    for path, data in images.items():
        path.write_bytes(data)


if __name__ == "__main__":
    main()
