"""Take a screenshot of a crimegraph HTML page in headless Chromium, once its layout is done.

The README's picture, docs/kazakhstan-geo.png, is the Kazakhstan graph built from the bundled
Kazakhstan documents and their hand-annotated flows, drawn in the geo layout:

    crimegraph build data/documents/kazakhstan-ocindex-2021.txt \\
        data/documents/kazakhstan-ocindex-2023-layout.txt \\
        data/corpus/cia_factbook/factbook_json_2022-11-10/kz_kazakhstan.txt \\
        --flows data/gold/kazakhstan-ocindex-2021.json \\
        --flows data/gold/factbook_json_2022-11-10__kz_kazakhstan.json --no-extract -o out/kz
    crimegraph draw out/kz --country KAZ --title "Kazakhstan: trafficking flows" \\
        -o out/kazakhstan-gold.html
    python scripts/screenshot.py out/kazakhstan-gold.html docs/kazakhstan-geo.png

Needs Chromium (apt-get install chromium) and Playwright (pip install playwright).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from graph.errors import CrimegraphError  # noqa: E402
from graph.headless import chromium, open_page  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("page", type=Path, help="an HTML page written by crimegraph draw")
    parser.add_argument("png", type=Path, help="the screenshot to write")
    parser.add_argument("--width", type=int, default=1600)
    parser.add_argument("--height", type=int, default=1000)
    args = parser.parse_args(argv)
    try:
        with chromium() as browser:
            page, seen = open_page(browser, args.page, width=args.width, height=args.height)
            if seen.console_errors:
                raise CrimegraphError(f"{args.page}: console errors: {seen.console_errors}")
            args.png.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(args.png))
    except CrimegraphError as exc:
        print(f"screenshot: error: {exc}", file=sys.stderr)
        return 1
    print(f"{args.png}: {args.width}x{args.height}, layout done in {seen.layout_ms:.0f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
