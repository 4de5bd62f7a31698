"""Time reading each document format (issue 16): pages per second for PDF, Word, HTML and text.

Usage: python benchmarks/ingest_formats.py [--repeat N] [--no-quality]

The bundled prose documents (data/documents/prose, 36 reports) are made into one long document
per format at run time (tests/docmaker.py: fpdf2, python-docx, an HTML page with banner, menus
and footer), each report a heading and its paragraphs. Each is read ``--repeat`` times with
:func:`graph.ingest.read_bytes`; the best time is kept. Pages are the PDF's page count, the same
text in every format, so the figures compare. Then (unless ``--no-quality``) each prose report is
made into each format on its own and its flows are scored against the gold annotations, beside
the text file's scores.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from graph.evaluate import Scores, evaluate_document, read_gold  # noqa: E402
from graph.extract import extract_document  # noqa: E402
from graph.ingest import read_bytes  # noqa: E402
from graph.records import Document  # noqa: E402
from tests.docmaker import docx_of, html_page, pdf_of, pdf_pages  # noqa: E402

PROSE = ROOT / "data" / "documents" / "prose"
GOLD = ROOT / "data" / "gold" / "prose"


def _reports() -> list[tuple[str, list[str]]]:
    """Each prose report: its title line and its paragraphs."""
    out = []
    for path in sorted(PROSE.glob("*.txt")):
        lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]
        body = [line for line in lines[1:] if line]
        out.append((lines[0], body))
    return out


def _makers() -> dict[str, tuple[str, Callable[[list[str]], bytes]]]:
    """Each format's extension and how it is made from paragraphs."""
    return {
        "text": (".txt", lambda ps: "\n\n".join(ps).encode("utf-8")),
        "pdf": (".pdf", lambda ps: pdf_of(ps)),
        "docx": (".docx", lambda ps: docx_of(ps)),
        "html": (".html", lambda ps: html_page(ps).encode("utf-8")),
    }


def speed(repeat: int) -> None:
    paragraphs = [p for title, body in _reports() for p in (title, *body)]
    documents = {fmt: (suffix, make(paragraphs)) for fmt, (suffix, make) in _makers().items()}
    pages = pdf_pages(documents["pdf"][1])
    words = sum(len(p.split()) for p in paragraphs)
    print(f"  one document of {len(paragraphs)} paragraphs, {words} words, {pages} PDF pages")
    print("  (best of the runs; CPU time too, since other processes share the machine)")
    print(
        f"  {'format':<6} {'size':>9} {'seconds':>8} {'pages/s':>9} {'CPU s':>7} "
        f"{'pages/CPU s':>11} {'chars':>7}"
    )
    for fmt, (suffix, data) in documents.items():
        wall = cpu = float("inf")
        for _ in range(repeat):
            started, cpu_started = time.perf_counter(), time.process_time()
            text = read_bytes(data, f"bench{suffix}", suffix).text
            wall = min(wall, time.perf_counter() - started)
            cpu = min(cpu, time.process_time() - cpu_started)
        print(
            f"  {fmt:<6} {len(data) / 1e3:>7.0f}kB {wall:>8.3f} {pages / wall:>9.1f} "
            f"{cpu:>7.3f} {pages / max(cpu, 1e-6):>11.1f} {len(text):>7}"
        )


def quality() -> None:
    print("  flows of each prose report made into each format, against the gold annotations:")
    print(f"  {'format':<6} {'country-leg F1':>15} {'region-leg F1':>14} {'role F1':>8}")
    golds = {p.stem: read_gold(p) for p in sorted(GOLD.glob("*.json"))}
    for fmt, (suffix, make) in _makers().items():
        total = Scores()
        for (title, body), path in zip(_reports(), sorted(PROSE.glob("*.txt")), strict=True):
            gold = golds.get(path.stem)
            if gold is None:
                continue
            text = read_bytes(make([title, *body]), f"{path.stem}{suffix}", suffix).text
            doc = Document(gold.document, "report", text, subject=gold.subject)
            total += evaluate_document(gold, extract_document(doc)).scores
        print(
            f"  {fmt:<6} {total.country_legs.f1:>15.3f} {total.region_legs.f1:>14.3f} "
            f"{total.roles.f1:>8.3f}"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-quality", action="store_true")
    args = parser.parse_args(argv)
    speed(args.repeat)
    if not args.no_quality:
        quality()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
