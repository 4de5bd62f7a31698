"""Render rows as a plain-text table, CSV or JSON: the CLI's output formats."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence
from typing import Any


def cell(value: Any) -> str:
    """One value as table text: lists joined with ', ', None as empty."""
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return ", ".join(
            cell(v) if not isinstance(v, list | tuple) else "/".join(map(str, v)) for v in value
        )
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def render_table(
    rows: Sequence[Mapping[str, Any]], columns: Sequence[str] | None = None, max_width: int = 80
) -> str:
    """Align rows in columns; long cells are cut at ``max_width`` characters with an ellipsis.

    >>> print(render_table([{"a": 1, "b": "xy"}, {"a": 22, "b": None}]))
    a   b
    --  --
    1   xy
    22
    """
    cols = list(columns) if columns is not None else _columns(rows)
    if not cols:
        return ""
    text = [[_cut(cell(r.get(c)), max_width) for c in cols] for r in rows]
    widths = [max([len(c)] + [len(t[i]) for t in text]) for i, c in enumerate(cols)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(cols, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(v.ljust(w) for v, w in zip(t, widths, strict=True)).rstrip() for t in text]
    return "\n".join(lines)


def render_csv(rows: Sequence[Mapping[str, Any]], columns: Sequence[str] | None = None) -> str:
    """Rows as CSV with a header line."""
    cols = list(columns) if columns is not None else _columns(rows)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(cols)
    for r in rows:
        writer.writerow([cell(r.get(c)) for c in cols])
    return buf.getvalue().rstrip("\n")


def render_json(data: Any) -> str:
    """Pretty JSON, non-ASCII kept as is."""
    return json.dumps(data, ensure_ascii=False, indent=2)


def _columns(rows: Sequence[Mapping[str, Any]]) -> list[str]:
    seen: dict[str, None] = {}
    for r in rows:
        for k in r:
            seen.setdefault(k, None)
    return list(seen)


def _cut(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"
