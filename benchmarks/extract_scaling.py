"""Extraction time against text length, and on the pathological inputs of issue 11.

Usage: python benchmarks/extract_scaling.py [--max-copies N] [--mb 19] [--jobs N]

A "report" is the bundled prose development set (36 documents of report prose, joined);
it is read at 1×, 10× and 100× its length (``--max-copies`` lowers the top size), as a
200,000-character report and, with ``--mb``, as a report of that many million characters, once
in one process and once by ``--jobs`` processes (default: the cores this process may use).
Then the pathological inputs: each either finishes or is refused
with one line, and the time it took is printed either way.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from graph.errors import CrimegraphError  # noqa: E402
from graph.extract import extract_text  # noqa: E402
from graph.extract.lexicon import load_lexicon  # noqa: E402
from graph.extract.parallel import default_jobs  # noqa: E402
from graph.localities import load_localities  # noqa: E402
from graph.places import load_gazetteer  # noqa: E402

PROSE = ROOT / "data" / "documents" / "prose"

#: name → a text builder; each is one of issue 11's hostile inputs.
PATHOLOGICAL: dict[str, Callable[[], str]] = {
    '20,000 × "via Tajikistan"': lambda: "Heroin moves " + " ".join(["via Tajikistan"] * 20_000),
    "50,000 commas": lambda: "Cocaine goes to " + ", ".join(["Spain"] * 50_000) + ".",
    '20,000 × "and"': lambda: "Cocaine goes to " + " and ".join(["Spain"] * 20_000) + ".",
    "100,000 semicolon clauses": lambda: "; ".join(
        ["transit point for heroin bound for Russia"] * 100_000
    ),
    "100,000 semicolon clauses, one per line": lambda: "\n".join(
        ["transit point for heroin bound for Russia;"] * 100_000
    ),
}


def report() -> str:
    """The prose development set as one report body."""
    return "\n\n".join(p.read_text(encoding="utf-8") for p in sorted(PROSE.glob("*.txt")))


def timed(text: str, jobs: int = 1) -> tuple[float, str]:
    """Seconds to extract ``text`` and what came of it (flows, or the one-line refusal)."""
    started = time.perf_counter()
    try:
        found = extract_text("Report\n\n" + text, document="bench.txt", subject=None, jobs=jobs)
        outcome = f"{len(found.flows)} flows"
    except CrimegraphError as exc:
        outcome = f"refused: {exc}"
    return time.perf_counter() - started, outcome


def _of_length(body: str, chars: int) -> str:
    """``body`` repeated (paragraph by paragraph) to ``chars`` characters."""
    copies = chars // (len(body) + 2) + 1
    return "\n\n".join([body] * copies)[:chars]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-copies", type=int, default=100)
    parser.add_argument("--mb", type=float, nargs="*", default=[], help="report sizes, M chars")
    parser.add_argument("--jobs", type=int, default=default_jobs())
    args = parser.parse_args(argv)
    started = time.perf_counter()
    load_gazetteer(), load_lexicon(), load_localities()
    print(f"start-up (gazetteer, lexicon, localities): {time.perf_counter() - started:.2f} s")
    body = report()
    sizes = [n for n in (1, 10, 100) if n <= args.max_copies]
    for copies in sizes:
        text = "\n\n".join([body] * copies)
        seconds, outcome = timed(text)
        mb = len(text) / 1e6
        print(
            f"report ×{copies:<3} {mb:6.2f} M chars  {seconds:6.2f} s  "
            f"{mb / seconds:5.2f} M chars/s  {outcome}"
        )
    for mb in args.mb:
        text = _of_length(body, int(mb * 1e6))
        for jobs in sorted({1, args.jobs}):
            seconds, outcome = timed(text, jobs)
            print(
                f"a {mb:g} M-character report, {jobs} process(es): {seconds:.1f} s "
                f"({mb / seconds:.2f} M chars/s, {outcome})"
            )
    text = _of_length(body, 200_000)
    seconds, outcome = timed(text)
    print(f"a 200,000-character report: {seconds:.2f} s ({outcome})")
    for name, build in PATHOLOGICAL.items():
        seconds, outcome = timed(build())
        print(f"{name}: {seconds:.2f} s, {outcome[:110]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
