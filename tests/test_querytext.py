"""Query text for remote endpoints: parameters bound in the text give the rows that rdflib's
``initBindings`` give locally, and crimegraph prefixes get declared."""

from __future__ import annotations

import re
from typing import Any

import pytest
from rdflib import Literal, URIRef

from graph.errors import CrimegraphError
from graph.query import bind_canned, canned, prepare, run_canned, run_query
from graph.querytext import bind_values, declared_prefixes, remote_text, with_prefixes

KAZ = URIRef("https://w3id.org/crimegraph/id/country/KAZ")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the top-level group, WHERE or not
        ("SELECT ?x WHERE { ?x ?p ?c }", "SELECT ?x WHERE { VALUES ?c { <K> } ?x ?p ?c }"),
        ("SELECT ?x { ?x ?p $c }", "SELECT ?x { VALUES ?c { <K> } ?x ?p $c }"),
        # a nested group that mentions it gets its own block, its parent none
        (
            "SELECT * { ?x ?p ?o OPTIONAL { ?x ?q ?c } }",
            "SELECT * { ?x ?p ?o OPTIONAL { VALUES ?c { <K> } ?x ?q ?c } }",
        ),
        # a group that only wraps a sub-select gets nothing: the sub-select's WHERE does
        (
            "SELECT * { { SELECT ?x WHERE { ?x ?p ?c } } }",
            "SELECT * { { SELECT ?x WHERE { VALUES ?c { <K> } ?x ?p ?c } } }",
        ),
        # FILTER EXISTS groups are group patterns too
        (
            "ASK { ?x ?p ?o FILTER NOT EXISTS { ?x ?q ?c } }",
            "ASK { ?x ?p ?o FILTER NOT EXISTS { VALUES ?c { <K> } ?x ?q ?c } }",
        ),
        # a CONSTRUCT template and a VALUES data block are no group patterns
        (
            "CONSTRUCT { ?x ?p ?c } WHERE { ?x ?p ?c }",
            "CONSTRUCT { ?x ?p ?c } WHERE { VALUES ?c { <K> } ?x ?p ?c }",
        ),
        (
            "SELECT * { VALUES ?y { 1 2 } ?x ?y ?c }",
            "SELECT * { VALUES ?c { <K> } VALUES ?y { 1 2 } ?x ?y ?c }",
        ),
        # braces, variables and hashes in strings, IRIs and comments are not read as such
        (
            'SELECT * { ?x ?p "{ ?c }" # { ?c\n . ?x <x:a#b> ?c }',
            'SELECT * { VALUES ?c { <K> } ?x ?p "{ ?c }" # { ?c\n . ?x <x:a#b> ?c }',
        ),
    ],
)
def test_a_parameter_is_bound_in_every_group_that_mentions_it(text: str, expected: str) -> None:
    assert bind_values(text, {"c": URIRef("K")}) == expected
    prepare(bind_values(text, {"c": URIRef("http://e/K")}))  # still valid SPARQL


def test_terms_are_written_by_rdflib_so_quotes_cannot_break_out() -> None:
    bound = bind_values("SELECT ?x { ?x ?p ?c }", {"c": Literal('a" } DROP ALL ; {')})
    assert bound == 'SELECT ?x { VALUES ?c { "a\\" } DROP ALL ; {" } ?x ?p ?c }'
    assert prepare(bound) is not None  # a query, not an update


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("SELECT ?x { ?x ?p ?o }", "no variable ?c"),
        ("SELECT ?x { ?x ?p ?c", "unbalanced '{'"),
        ("SELECT ?x { ?x ?p ?c } }", "unbalanced '}'"),
    ],
)
def test_what_cannot_be_bound_is_a_one_line_error(text: str, message: str) -> None:
    with pytest.raises(CrimegraphError, match=re.escape(message)):
        bind_values(text, {"c": KAZ})


def test_only_the_crimegraph_prefixes_used_and_undeclared_are_added() -> None:
    declared = "PREFIX cg: <https://w3id.org/crimegraph/ontology#>\n"
    text = declared + "SELECT * { ?c cg:iso3 ?i ; rdfs:label ?n ; ex:x ?y }"
    out = with_prefixes(text)
    assert out.splitlines()[0] == "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>"
    assert out.count("PREFIX cg:") == 1 and "PREFIX ex:" not in out
    assert declared_prefixes(out) == {"cg", "rdfs"}
    assert with_prefixes("ASK {}") == "ASK {}"


#: Canned queries and parameters whose answer is not empty (rdflib answers an empty grouped
#: sub-select with one empty row, RDFLib/rdflib#3382, in both forms but differently).
CASES = [
    ("flows-into", {}),
    ("flows-into", {"country": "Russia", "market": "heroin"}),
    ("flows-out-of", {"country": "AFG"}),
    ("flows-through", {"country": "Kyrgyzstan"}),
    ("actors", {}),
    ("actors", {"country": "CHN"}),
    ("country-neighbours", {"country": "RUS"}),
    ("country-scores", {"country": "KGZ"}),
    ("checkpoints", {}),
    ("score-gaps", {"threshold": "7", "edition": "2023"}),
    ("documents", {"market": "human trafficking"}),
]


@pytest.mark.parametrize(("name", "params"), CASES, ids=[f"{n}{p}" for n, p in CASES])
def test_bound_text_gives_the_rows_of_initbindings(
    gold_build: Any, name: str, params: dict[str, str]
) -> None:
    query = canned(name)
    text = remote_text(query.text, bind_canned(query, params))
    assert run_query(gold_build.graph, text).rows == run_canned(gold_build.graph, name, params).rows
