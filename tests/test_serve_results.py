"""Oxigraph's answers written in each format and cut at a row limit (graph.oxresults): the cut
keeps exactly the rows asked for, whatever the literals hold, and the output still parses."""

from __future__ import annotations

import io
import json

import pyoxigraph as ox
import pytest

from graph.oxresults import RowsTooLarge, write_answer
from graph.results import FORMATS

EX = "http://example.org/"
#: Literals that a line- or quote-based cut could get wrong.
AWKWARD = ["plain", "two\nlines", "tab\there", 'quote " and ,comma', '\r\n},{"<result>', ""]
TABLES = [f for f in FORMATS if f.name in ("json", "xml", "csv", "tsv")]
GRAPHS = [f for f in FORMATS if "CONSTRUCT" in f.kinds]


@pytest.fixture(scope="module")
def store() -> ox.Store:
    s = ox.Store()
    p = ox.NamedNode(EX + "p")
    for i, text in enumerate(AWKWARD):
        s.add(ox.Quad(ox.NamedNode(f"{EX}s{i}"), p, ox.Literal(text)))
    return s


def rows_in(data: bytes, fmt: str) -> int:
    """How many solutions Oxigraph reads back from ``data`` in ``fmt``."""
    formats = {"json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML,
               "csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV}  # fmt: skip
    if fmt == "csv":  # Oxigraph reads no CSV: count records the way a CSV reader does
        import csv

        return len(list(csv.reader(io.StringIO(data.decode(), newline="")))) - 1
    return len(list(ox.parse_query_results(data, formats[fmt])))  # type: ignore[arg-type]


@pytest.mark.parametrize("fmt", TABLES, ids=[f.name for f in TABLES])
@pytest.mark.parametrize("rows", [1, 3, len(AWKWARD) - 1, len(AWKWARD), len(AWKWARD) + 1])
def test_a_select_is_cut_to_exactly_the_rows_asked_for(
    store: ox.Store, fmt: object, rows: int
) -> None:
    out = io.BytesIO()
    answer = store.query("SELECT ?s ?o { ?s ?p ?o } ORDER BY ?s")
    truncated = write_answer(answer, fmt, out, rows)  # type: ignore[arg-type]
    assert truncated == (rows < len(AWKWARD))
    assert rows_in(out.getvalue(), fmt.name) == min(rows, len(AWKWARD))  # type: ignore[attr-defined]


def test_the_json_of_a_cut_answer_is_the_json_of_its_first_rows(store: ox.Store) -> None:
    out = io.BytesIO()
    write_answer(store.query("SELECT ?o { ?s ?p ?o } ORDER BY ?s"), FORMATS[0], out, 2)
    values = [b["o"]["value"] for b in json.loads(out.getvalue())["results"]["bindings"]]
    assert values == AWKWARD[:2]


@pytest.mark.parametrize("fmt", GRAPHS, ids=[f.name for f in GRAPHS])
def test_a_construct_is_cut_to_the_triples_asked_for(store: ox.Store, fmt: object) -> None:
    formats = {"turtle": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES,
               "rdfxml": ox.RdfFormat.RDF_XML, "jsonld": ox.RdfFormat.JSON_LD}  # fmt: skip
    out = io.BytesIO()
    truncated = write_answer(store.query("CONSTRUCT WHERE { ?s ?p ?o }"), fmt, out, 4)  # type: ignore[arg-type]
    assert truncated
    assert len(list(ox.parse(out.getvalue(), formats[fmt.name]))) == 4  # type: ignore[attr-defined]


def test_rows_past_twice_the_byte_limit_stop_the_writer_early() -> None:
    s = ox.Store()
    for i in range(20_000):
        s.add(ox.Quad(ox.NamedNode(f"{EX}s{i}"), ox.NamedNode(EX + "p"), ox.Literal("x" * 50)))
    with pytest.raises(RowsTooLarge):
        write_answer(s.query("SELECT * { ?s ?p ?o }"), FORMATS[0], io.BytesIO(), 10**6, 10_000)


def _flows_into(**params: str) -> str:
    from graph.query import bind_canned, canned
    from graph.querytext import remote_text

    query = canned("flows-into")
    return remote_text(query.text, bind_canned(query, params))


@pytest.mark.parametrize(
    ("text", "trusted"),
    [
        (_flows_into(), True),
        (_flows_into(country="Russia"), True),
        ("PREFIX cgv: <http://example.org/>\n" + _flows_into(), False),
        (_flows_into().replace(" VALUES ?country", " VALUES ?other", 1), False),
        (_flows_into() + " ?a ?b ?c", False),
        ("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f }", False),
    ],
    ids=["defaults", "a parameter", "a prefix redefined", "a variable not a parameter",
         "text added", "ad hoc"],
)  # fmt: skip
def test_the_server_trusts_its_canned_queries_as_clients_send_them(
    text: str, trusted: bool
) -> None:
    from graph.cannedtext import is_canned

    assert is_canned(text) is trusted
