"""Oxigraph's answer to a query, written by Oxigraph's own serialisers in a format of
:data:`graph.results.FORMATS`, cut at a row limit.

SELECT solutions are first written as SPARQL TSV, where one row is one line (TSV escapes the
newlines of literals), so the row limit is a count of newlines and the serialiser is stopped as
soon as it is passed; the TSV kept is then read back by Oxigraph and written in the format asked
for. Both steps run in Rust: no term becomes a Python object. CONSTRUCT and DESCRIBE triples
are taken up to the limit and written with :func:`pyoxigraph.serialize`, the crimegraph
prefixes bound; ASK is one boolean.

>>> import io
>>> store = ox.Store()
>>> p = ox.NamedNode("http://e/p")
>>> for i in range(3):
...     store.add(ox.Quad(ox.NamedNode(f"http://e/{i}"), p, ox.Literal("x")))
>>> out = io.BytesIO()
>>> write_answer(store.query("SELECT ?s { ?s ?p ?o }"), FORMATS[3], out, rows=2)
True
>>> len(out.getvalue().splitlines())  # the header and two rows
3
"""

from __future__ import annotations

import contextlib
from itertools import islice
from typing import BinaryIO

import pyoxigraph as ox

from graph.iris import QUERY_PREFIX_IRIS
from graph.results import FORMATS, Format

#: Oxigraph's result formats by the short name of :data:`graph.results.FORMATS`.
RESULT_FORMATS: dict[str, ox.QueryResultsFormat] = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}
#: Oxigraph's graph formats by the short name of :data:`graph.results.FORMATS`.
GRAPH_FORMATS: dict[str, ox.RdfFormat] = {
    "turtle": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "rdfxml": ox.RdfFormat.RDF_XML,
    "jsonld": ox.RdfFormat.JSON_LD,
}

OxAnswer = ox.QuerySolutions | ox.QueryTriples | ox.QueryBoolean

__all__ = ["FORMATS", "GRAPH_FORMATS", "RESULT_FORMATS", "RowsTooLarge", "write_answer"]


class RowsTooLarge(Exception):
    """Raised when the rows kept pass their byte limit (the answer would be too large)."""


class _Enough(Exception):
    """Stops Oxigraph's TSV serialiser once one row more than the limit has been written."""


class _TsvRows:
    """A binary sink for SPARQL TSV that keeps the header and the first ``rows`` rows, and
    stops the writer (raises _Enough) at the first row past them."""

    def __init__(self, rows: int, max_bytes: int):
        self._rows, self._max_bytes = rows, max_bytes
        self.data = bytearray()
        self.lines = 0  # complete lines kept: the header, then one per row
        self.truncated = False

    def write(self, chunk: bytes | bytearray | memoryview) -> int:
        chunk = bytes(chunk)
        wanted = self._rows + 1 - self.lines  # lines still to keep
        newlines = chunk.count(b"\n")
        if newlines < wanted:
            self._keep(chunk)
            self.lines += newlines
            return len(chunk)
        end = -1
        for _ in range(wanted):
            end = chunk.index(b"\n", end + 1)
        self._keep(chunk[: end + 1])
        self.lines += wanted
        if end + 1 < len(chunk):  # a row past the limit has begun
            self.truncated = True
            raise _Enough
        return len(chunk)

    def _keep(self, chunk: bytes) -> None:
        self.data += chunk
        if len(self.data) > self._max_bytes:
            raise RowsTooLarge(self._max_bytes)

    def flush(self) -> None:
        pass


def write_answer(
    answer: OxAnswer, fmt: Format, out: BinaryIO, rows: int, max_bytes: int = 64 * 2**20
) -> bool:
    """Write ``answer`` in ``fmt`` to ``out``, cut to ``rows`` rows (triples for a graph);
    whether anything was cut. ``out`` may refuse to grow (its exception goes through);
    RowsTooLarge says that the rows kept passed ``2 × max_bytes`` as TSV, which can be twice
    the size of the same rows in CSV or XML."""
    if isinstance(answer, ox.QueryBoolean):
        answer.serialize(out, RESULT_FORMATS[fmt.name])
        return False
    if isinstance(answer, ox.QueryTriples):
        triples = list(islice(answer, rows + 1))
        ox.serialize(triples[:rows], out, GRAPH_FORMATS[fmt.name], prefixes=dict(QUERY_PREFIX_IRIS))
        return len(triples) > rows
    kept = _TsvRows(rows, 2 * max_bytes)
    with contextlib.suppress(_Enough):
        answer.serialize(kept, ox.QueryResultsFormat.TSV)  # type: ignore[arg-type]
    if fmt.name == "tsv":
        out.write(bytes(kept.data))
    else:
        parsed = ox.parse_query_results(bytes(kept.data), ox.QueryResultsFormat.TSV)
        assert isinstance(parsed, ox.QuerySolutions)
        parsed.serialize(out, RESULT_FORMATS[fmt.name])
    return kept.truncated
