"""Where a page of a canned query starts: ``after=`` turned into ``skip=`` by one lookup.

The ``documents`` query pages by the rank of each file name in its scope. Counting the names up
to ``after=`` reads every file name (0.8–1.0 s at 100× the bundled graph); when ``after=`` is a
name of the scope (the last of the previous page) its rank is one lookup, and Oxigraph cannot be
made to skip the count in one query text (docs/performance.md). So every path that runs a canned
query (rdflib, the store, a remote endpoint) first runs the lookup of ``lookups/NAME.rq`` with
the same engine and passes its answer as ``skip=``; a name the lookup does not find keeps
``after=`` and is counted, with the same rows.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from graph.canned import ANY, CannedQuery, query_file

#: The lookups, one per canned query that pages by rank: ``lookups/<query name>.rq``.
LOOKUPS_DIR = Path(__file__).parent / "lookups"

#: Runs a lookup (a query with its declared parameters) and gives its rows.
Runner = Callable[[CannedQuery, Mapping[str, str]], list[dict[str, Any]]]


def page_params(query: CannedQuery, params: Mapping[str, str], run: Runner) -> dict[str, str]:
    """``params`` with ``after`` replaced by ``skip`` (its rank, found by ``run``) when ``query``
    has a lookup, ``after`` is given, ``skip`` is not, and the lookup finds the name; else the
    parameters unchanged."""
    out = dict(params)
    path = LOOKUPS_DIR / f"{query.name}.rq"
    if out.get("after", ANY) == ANY or out.get("skip", ANY) != ANY or not path.is_file():
        return out
    lookup = query_file(path)
    wanted = {p.name for p in lookup.parameters}
    rows = run(lookup, {k: v for k, v in out.items() if k in wanted})
    skip = rows[0].get("skip") if rows else None
    if skip is None:
        return out
    del out["after"]
    out["skip"] = str(skip)
    return out
