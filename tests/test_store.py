"""The same build and the same queries on rdflib's in-memory store and on Oxigraph."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from graph.build import BuildResult, build, write_outputs
from graph.errors import CrimegraphError
from graph.namespaces import CG
from graph.query import canned_queries, run_canned, run_query
from graph.store import copy_graph, load, new_graph, serialize, store_name

from .conftest import DATA, GOLD_FLOW_FILES, SEED_2023, gold_document

WORKBOOK_2023 = DATA / "reference" / "ocindex" / "global_oc_index__2023_dataset.csv"


@pytest.fixture(scope="module")
def builds() -> dict[str, BuildResult]:
    """The annotated documents, the 2023 profile and the 2023 scores, built on each store."""
    docs = [gold_document(g) for g in GOLD_FLOW_FILES] + [SEED_2023]
    return {
        store: build(docs, flow_files=GOLD_FLOW_FILES, scores=[WORKBOOK_2023], store=store)
        for store in ("memory", "oxigraph")
    }


def _value(node: Node) -> Any:
    """A term compared by value: Oxigraph writes the decimal 33.0 as "33"."""
    return node.toPython() if isinstance(node, Literal) else node


def test_both_stores_hold_the_same_triples(builds: dict[str, BuildResult]) -> None:
    memory, oxigraph = builds["memory"].graph, builds["oxigraph"].graph
    assert (store_name(memory), store_name(oxigraph)) == ("memory", "oxigraph")
    assert len(memory) == len(oxigraph)
    as_values = [{tuple(map(_value, t)) for t in g} for g in (memory, oxigraph)]
    assert as_values[0] == as_values[1]
    assert builds["memory"].counts() == builds["oxigraph"].counts()


def test_simple_literals_read_back_untyped_from_oxigraph(builds: dict[str, BuildResult]) -> None:
    g = builds["oxigraph"].graph
    kinds = set(g.objects(None, CG.documentKind))
    assert kinds == {Literal("profile"), Literal("report"), Literal("dataset")}


@pytest.mark.parametrize("name", [q.name for q in canned_queries()])
def test_canned_queries_answer_the_same_on_both_stores(
    builds: dict[str, BuildResult], name: str
) -> None:
    answers = [run_canned(builds[s].graph, name) for s in ("memory", "oxigraph")]
    assert answers[0].columns == answers[1].columns
    assert answers[0].rows == answers[1].rows


BOUND_QUERIES = [
    # flows "according to the 2022 sources": a bound year, not projected
    (
        "SELECT ?market (COUNT(DISTINCT ?flow) AS ?n) WHERE { ?flow cg:market ?market ; "
        "cg:evidence/prov:wasQuotedFrom/cg:edition ?year } GROUP BY ?market ORDER BY ?market",
        {"year": "2022"},
    ),
    # the two-hop join: a flow's destination is the origin of another of its commodity
    (
        "SELECT ?a ?b WHERE { ?a cg:destination ?p ; cg:commodity ?c . "
        "?b cg:origin ?p ; cg:commodity ?c . FILTER (?a != ?b) } ORDER BY ?a ?b",
        {},
    ),
    # a score looked up by a bound country IRI
    (
        "SELECT ?value WHERE { ?o cg:country ?country ; cg:indicator cgv:heroin-trade ; "
        "cg:edition 2023 ; cg:value ?value }",
        {"country": "<https://w3id.org/crimegraph/id/country/KAZ>"},
    ),
    ("ASK { ?f cg:origin/cg:iso3 ?code }", {"code": "AFG"}),
]


@pytest.mark.parametrize(("text", "params"), BOUND_QUERIES)
def test_queries_with_bound_parameters_answer_the_same(
    builds: dict[str, BuildResult], text: str, params: dict[str, str]
) -> None:
    memory, oxigraph = (run_query(builds[s].graph, text, params) for s in builds)
    assert (memory.rows, memory.boolean) == (oxigraph.rows, oxigraph.boolean)
    assert memory.rows or memory.boolean


@pytest.mark.parametrize("store", ["memory", "oxigraph"])
def test_a_written_build_loads_back_on_either_store(
    builds: dict[str, BuildResult], store: str, tmp_path: Path
) -> None:
    write_outputs(builds["oxigraph"].graph, tmp_path)
    for name in ("graph.nt", "graph.ttl", "graph.jsonld"):
        again = load(tmp_path / name, store)
        assert store_name(again) == store and len(again) == len(builds["memory"].graph)


def test_graphs_copy_between_stores_and_serialise_the_same(tmp_path: Path) -> None:
    g = new_graph("memory")
    g.add((URIRef("urn:a"), URIRef("urn:p"), Literal(Decimal("6.5"))))
    g.add((URIRef("urn:a"), URIRef("urn:q"), Literal("Kazakh", lang="en")))
    ox = copy_graph(g, "oxigraph")
    assert set(ox) == set(g)
    for fmt in ("turtle", "nt", "json-ld", "xml"):
        parsed = Graph().parse(data=serialize(ox, fmt), format=fmt)
        assert {tuple(map(_value, t)) for t in parsed} == {tuple(map(_value, t)) for t in g}


def test_an_unknown_store_is_refused() -> None:
    with pytest.raises(CrimegraphError, match="unknown store 'disk' \\(known: oxigraph, memory\\)"):
        new_graph("disk")
