"""Time flow extraction over a corpus folder (default: the bundled CIA World Factbook texts).

Usage: python benchmarks/extract_corpus.py [FOLDER] [--stress-mb N]

Prints documents per second, total seconds and flows found; with ``--stress-mb`` it also times
one synthetic document of about N megabytes built from corpus sentences, to show that the
extractor's cost grows linearly with the text (no backtracking blow-up).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from graph.documents import load_document  # noqa: E402
from graph.errors import CrimegraphError  # noqa: E402
from graph.extract import extract_document, extract_text  # noqa: E402
from graph.extract.lexicon import load_lexicon  # noqa: E402
from graph.places import load_gazetteer  # noqa: E402

DEFAULT = ROOT / "data" / "corpus" / "cia_factbook"


def run_corpus(folder: Path) -> tuple[int, float, int, int]:
    """Extract every ``.txt`` document under ``folder``: (documents, seconds, flows, errors)."""
    paths = sorted(folder.rglob("*.txt"))
    flows = errors = 0
    started, cpu = time.perf_counter(), time.process_time()
    for path in paths:
        try:
            loaded = load_document(path)
            flows += len(extract_document(loaded.document, loaded.profile).flows)
        except CrimegraphError as exc:
            errors += 1
            print(f"  {path}: {exc}", file=sys.stderr)
    print(
        f"  (CPU time {time.process_time() - cpu:.2f} s: the wall time less other processes' share)"
    )
    return len(paths), time.perf_counter() - started, flows, errors


def run_stress(megabytes: float, folder: Path) -> tuple[int, float, int]:
    """Extract one synthetic report of about ``megabytes`` MB: (characters, seconds, flows)."""
    body = "\n".join(p.read_text(encoding="utf-8") for p in sorted(folder.rglob("*.txt"))[:200])
    copies = max(1, int(megabytes * 1_000_000 / max(1, len(body))))
    text = "Kazakhstan\n\n" + "\n".join([body] * copies)
    started = time.perf_counter()
    result = extract_text(text, document="stress.txt", subject="KAZ")
    return len(text), time.perf_counter() - started, len(result.flows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--stress-mb", type=float, default=0.0)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    load_gazetteer()
    load_lexicon()
    print(f"start-up (gazetteer + lexicon): {time.perf_counter() - started:.2f} s")
    docs, seconds, flows, errors = run_corpus(args.folder)
    rate = docs / seconds if seconds else float("inf")
    print(f"{docs} documents in {seconds:.2f} s ({rate:.0f} documents/s)")
    print(f"{flows} flows, {errors} errors")
    if args.stress_mb:
        chars, secs, n = run_stress(args.stress_mb, args.folder)
        mb = chars / 1e6
        print(
            f"stress: {mb:.1f} M characters in {secs:.2f} s ({mb / secs:.2f} M chars/s), {n} flows"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
