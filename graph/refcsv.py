"""Read a hand-made reference table of ``data/reference/``: CSV whose ``#`` lines are comments.

The tables issue 13 added (source series, seas, coasts) say where their rows come from in a
comment header, so the reader skips comment lines before handing the rest to ``csv``.
"""

from __future__ import annotations

import csv

from graph.errors import CrimegraphError
from graph.places import reference_dir


def read_reference(name: str, columns: tuple[str, ...]) -> list[dict[str, str]]:
    """The rows of ``reference/<name>``, each with at least ``columns``; bad files raise.

    >>> rows = read_reference("seas.csv", ("slug", "label", "basin"))
    >>> [r["basin"] for r in rows if r["slug"] == "caspian-sea"]
    ['caspian']
    """
    path = reference_dir() / name
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            lines = [line for line in handle if not line.lstrip().startswith("#")]
    except (OSError, UnicodeDecodeError) as exc:
        raise CrimegraphError(f"{path}: cannot read reference data ({exc})") from exc
    reader = csv.DictReader(lines)
    missing = [c for c in columns if c not in (reader.fieldnames or [])]
    if missing:
        raise CrimegraphError(f"{path}: no column {missing[0]!r}")
    rows = []
    for n, row in enumerate(reader, start=2):
        if any(not (row.get(c) or "").strip() for c in columns):
            raise CrimegraphError(f"{path}: row {n} has an empty cell")
        rows.append({k: (v or "").strip() for k, v in row.items() if k is not None})
    return rows
