"""Run every benchmark of this folder in turn (``make bench``) and print their figures.

Each benchmark is a script ``benchmarks/<name>.py`` that prints its own figures; pass names to
run only some: ``python benchmarks/run.py extract_corpus``.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(argv: list[str]) -> int:
    scripts = sorted(p for p in HERE.glob("*.py") if p.name not in {"run.py", "__init__.py"})
    if argv:
        scripts = [p for p in scripts if p.stem in argv]
    status = 0
    for script in scripts:
        print(f"== {script.stem}", flush=True)
        done = subprocess.run([sys.executable, str(script)], check=False)
        status = status or done.returncode
    return status


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
