"""Queries, routes and neighbours answered from a build's persistent store (Oxigraph on disk)
give what rdflib's in-memory graph gives, and keep the safety rules."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from rdflib import Graph

from graph import iris
from graph.build import BuildResult, build, write_outputs
from graph.canned import canned
from graph.diskstore import OpenGraph, open_graph
from graph.errors import CrimegraphError
from graph.iris import shorten
from graph.pagestart import page_params
from graph.query import bind_canned, run_canned, run_query
from graph.storequery import (
    bind_canned_on_store,
    run_store_canned,
    run_store_query,
    term_on_store,
)
from graph.summary import add_summaries

from .conftest import CANNED_CASES, DATA, DOCUMENTS_AFTER, GOLD_FLOW_FILES, SEED_2023, gold_document

WORKBOOK_2023 = DATA / "reference" / "ocindex" / "global_oc_index__2023_dataset.csv"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[BuildResult, Path]:
    """The annotated documents, the 2023 profile and its scores: in memory and on disk."""
    docs = [gold_document(g) for g in GOLD_FLOW_FILES] + [SEED_2023]
    result = build(docs, flow_files=GOLD_FLOW_FILES, scores=[WORKBOOK_2023])
    out = tmp_path_factory.mktemp("store-build") / "out"
    write_outputs(result.graph, out)
    return result, out


@pytest.fixture()
def store(built: tuple[BuildResult, Path]) -> Any:
    graph = open_graph(built[1])
    assert graph.persistent
    yield graph
    graph.close()


STORE_CASES = [*CANNED_CASES, ("score-gaps", {"country": "KAZ", "threshold": "3"})]


@pytest.mark.parametrize(("name", "params"), STORE_CASES)
def test_canned_queries_give_the_same_rows_on_the_store_as_in_memory(
    built: tuple[BuildResult, Path], store: OpenGraph, name: str, params: dict[str, str]
) -> None:
    expected = run_canned(built[0].graph, name, params)
    query = canned(name)
    got = run_store_query(store, query.text, bind_canned_on_store(store, query, params))
    assert got.columns == expected.columns
    assert got.rows == expected.rows
    # the cases pick something out (no flow of this build was reviewed: test_corrections has
    # the reviewed-flows rows)
    assert got.rows or name in {"checkpoints", "actors", "reviewed-flows"}


@pytest.mark.parametrize(("market", "after", "count", "first"), DOCUMENTS_AFTER)
def test_a_page_of_documents_after_any_name_is_the_same_on_the_store_as_in_memory(
    built: tuple[BuildResult, Path],
    store: OpenGraph,
    market: str,
    after: str,
    count: int,
    first: str | None,
) -> None:
    params = {"market": market, "after": after}
    query = canned("documents")
    counted = run_query(built[0].graph, query.text, bind_canned(query, params))  # one query
    expected = run_canned(built[0].graph, "documents", params)  # the rank of after= looked up
    got = run_store_canned(store, query, params)
    assert got.rows == expected.rows == counted.rows
    assert len(got.rows) == count
    assert (got.rows[0]["document"] if got.rows else None) == first


KZ = "cia_factbook/factbook_json_2022-11-10/kz_kazakhstan.txt"


@pytest.mark.parametrize(
    ("params", "started"),
    [
        ({"after": KZ}, {"skip": "3"}),  # third of every market's documents
        ({"market": "heroin", "after": KZ}, {"market": "heroin", "skip": "2"}),
        ({"after": "cia_factbook/m"}, {"after": "cia_factbook/m"}),  # no such name: counted
        ({"market": "arms", "after": KZ}, {"market": "arms", "after": KZ}),  # not of the market
        ({"after": KZ, "skip": "1"}, {"after": KZ, "skip": "1"}),  # skip= given wins
        ({"market": "heroin"}, {"market": "heroin"}),
    ],
)
def test_a_page_after_a_name_of_its_scope_starts_at_the_rank_of_that_name(
    store: OpenGraph, params: dict[str, str], started: dict[str, str]
) -> None:
    def run(q: Any, p: Any) -> list[dict[str, Any]]:
        return run_store_query(store, q.text, bind_canned_on_store(store, q, p)).rows

    assert page_params(canned("documents"), params, run) == started
    assert page_params(canned("flows-into"), {"after": KZ}, run) == {"after": KZ}  # no lookup


def test_ad_hoc_queries_and_parameters_agree(
    built: tuple[BuildResult, Path], store: OpenGraph
) -> None:
    text = (
        "SELECT ?n (COUNT(?f) AS ?flows) WHERE { ?f cg:market ?m ; cg:origin ?c . ?c cg:iso3 ?n }"
        " GROUP BY ?n ORDER BY DESC(?flows) ?n"
    )
    assert run_store_query(store, text).rows == run_query(built[0].graph, text).rows
    ask = "ASK { ?f cg:origin ?c . ?c cg:iso3 ?code }"
    assert run_store_query(store, ask, {"code": term_on_store("AFG")}).boolean is True
    assert run_store_query(store, ask, {"code": term_on_store("XXX")}).boolean is False


def test_printed_iris_paste_back_into_a_query(store: OpenGraph) -> None:
    rows = run_store_query(
        store, "SELECT ?c ?m WHERE { ?f cg:origin ?c ; cg:market ?m } LIMIT 5"
    ).rows
    for row in rows:
        written = [shorten(row["c"]), shorten(row["m"])]
        assert written[0].startswith(("country:", "region:", "<"))
        again = f"ASK {{ ?f cg:origin {written[0]} ; cg:market {written[1]} }}"
        assert run_store_query(store, again).boolean is True


@pytest.mark.parametrize(
    ("text", "refusal"),
    [
        ("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }", "SERVICE"),
        ("SELECT * FROM <http://example.org/g> WHERE { ?s ?p ?o }", "FROM"),
        ("select * from named <http://example.org/g> where { ?s ?p ?o }", "FROM"),
        ("SELECT * WHERE { \\u0053ERVICE <http://example.org/> { ?s ?p ?o } }", "SERVICE"),
        ("DELETE WHERE { ?s ?p ?o }", "updates are refused"),
        ("LOAD <http://example.org/data.ttl>", "LOAD"),
        ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", "updates are refused"),
        ("SELECT * WHERE { ?s ?p }", "malformed SPARQL"),
    ],
)
def test_the_store_path_refuses_what_the_rdflib_path_refuses(
    store: OpenGraph, text: str, refusal: str
) -> None:
    with pytest.raises(CrimegraphError, match=refusal) as caught:
        run_store_query(store, text)
    assert "\n" not in str(caught.value)


def test_keywords_in_strings_and_comments_are_not_refused(store: OpenGraph) -> None:
    text = (
        "# SERVICE FROM LOAD\nSELECT ?t WHERE { ?e cg:text ?t FILTER(CONTAINS(?t, 'from')) }"
        " LIMIT 1"
    )
    assert run_store_query(store, text).rows


def _cli(*argv: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "from graph.cli import main; raise SystemExit(main())", *argv],
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def test_query_command_stops_at_its_time_limit_with_one_line(
    built: tuple[BuildResult, Path],
) -> None:
    heavy = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . FILTER(?c = ?i) }"
    done = _cli("query", str(built[1]), heavy, "--time-limit", "1")
    assert done.returncode == 3
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1 and "stopped after 1 s" in done.stderr


# What the store path of each read command must not import: rdflib and NetworkX take longer to
# import than a whole answer may (issue 14: < 0.3 s a command), httpx is for remote stores only.
SLOW_IMPORTS = ("rdflib", "networkx", "httpx")
_IMPORTED = (
    "import contextlib, io, sys\n"
    "from graph.cli import main\n"
    "with contextlib.redirect_stdout(io.StringIO()):\n"
    "    main(sys.argv[1:])\n"
    f"print(sorted(m for m in {SLOW_IMPORTS!r} if m in sys.modules))"
)


@pytest.mark.parametrize(
    "argv",
    [
        ["query", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"],
        ["query", "--name", "flows-into-region"],
        ["routes", "--market", "heroin-trade", "--from", "AFG", "--to", "RUS"],
        ["neighbours", "KAZ"],
    ],
)
def test_read_commands_on_a_store_import_neither_rdflib_networkx_nor_httpx(
    built: tuple[BuildResult, Path], argv: list[str]
) -> None:
    command, *rest = argv
    done = subprocess.run(
        [sys.executable, "-c", _IMPORTED, command, str(built[1]), *rest],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_query_files_over_the_limit_are_refused(
    tmp_path: Path, built: tuple[BuildResult, Path]
) -> None:
    big = tmp_path / "big.rq"
    big.write_text("SELECT * WHERE { VALUES ?x { " + "1 " * 600_000 + "} }")
    done = _cli("query", str(built[1]), f"@{big}")
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1 and "limit" in done.stderr


def test_wide_tables_show_whole_cells(built: tuple[BuildResult, Path]) -> None:
    text = "SELECT ?t WHERE { ?e cg:text ?t FILTER(STRLEN(?t) > 120) } LIMIT 1"
    narrow = _cli("query", str(built[1]), text)
    wide = _cli("query", str(built[1]), text, "--wide")
    assert narrow.returncode == wide.returncode == 0
    assert "…" in narrow.stdout and "…" not in wide.stdout
    assert max(map(len, wide.stdout.splitlines())) > 120


def test_table_iris_are_prefixed_names_that_run_again(built: tuple[BuildResult, Path]) -> None:
    done = _cli("query", str(built[1]), "SELECT ?c WHERE { ?c cg:iso3 'KAZ' }")
    assert done.stdout.splitlines()[-1].strip() == "country:KAZ"
    again = _cli("query", str(built[1]), "ASK { country:KAZ cg:iso3 ?code }")
    assert again.stdout.strip() == "true"


ROUTE_CASES = [
    ("heroin-trade", "AFG", "RUS", {}),
    ("heroin-trade", "AFG", "RUS", {"countries_only": True, "k": 2}),
    ("heroin-trade", "AFG", "europe", {"max_hops": 3}),
    ("human-trafficking", "UZB", "KAZ", {}),
    ("heroin-trade", "AFG", "RUS", {"via": ["KAZ"]}),
    ("heroin-trade", "AFG", "RUS", {"include_generic": False}),
    ("heroin-trade", "AFG", "RUS", {"chains": 1, "k": 3}),
    ("heroin-trade", "AFG", "IRN", {}),
    ("heroin-trade", "AFG", "IRN", {"include_generic": False}),
    # The annotated documents state no precursor flow with two ends: both paths give none.
    ("heroin-trade", "CHN", "KOR", {"precursors": True}),
]


@pytest.mark.parametrize(("market", "source", "target", "options"), ROUTE_CASES)
def test_routes_from_the_store_are_the_routes_from_rdflib(
    built: tuple[BuildResult, Path],
    store: OpenGraph,
    market: str,
    source: str,
    target: str,
    options: dict[str, Any],
) -> None:
    import dataclasses

    from graph import legcore, routes
    from graph.storefacts import StoreFacts

    expected = routes.find_routes(built[0].graph, market, source, target, **options)
    got = legcore.find_routes(StoreFacts(store), market, source, target, **options)
    assert expected or options.get("precursors")  # every other case has routes to compare
    assert [dataclasses.asdict(r) for r in got] == [dataclasses.asdict(r) for r in expected]
    assert [(r.hops, r.documents, r.sources) for r in got] == [
        (r.hops, r.documents, r.sources) for r in expected
    ]


def test_the_store_reads_the_same_flow_records_as_rdflib(
    built: tuple[BuildResult, Path], store: OpenGraph
) -> None:
    from graph.rdffacts import RdfFacts
    from graph.storefacts import StoreFacts

    def comparable(facts: Any) -> list[Any]:
        return [
            (
                r.flow,
                r.market,
                r.commodity,
                r.precursor,
                r.chain,
                sorted(r.transit, key=str),
                r.checkpoints,
                sorted(r.evidence, key=lambda e: e.node),
            )
            for r in facts.complete(facts.flows())
        ]

    rdf, oxi = RdfFacts(built[0].graph), StoreFacts(store)
    assert comparable(oxi) == comparable(rdf)
    assert oxi.borders() == rdf.borders()
    assert oxi.points() == rdf.points()
    assert oxi.indicator_order() == rdf.indicator_order()
    assert [
        m for m in ("heroin-trade", "drug-trade", "human-trafficking") if oxi.is_drug_market(m)
    ] == [m for m in ("heroin-trade", "drug-trade", "human-trafficking") if rdf.is_drug_market(m)]


def test_the_store_refuses_what_rdflib_refuses_in_routes(
    built: tuple[BuildResult, Path], store: OpenGraph
) -> None:
    from graph import legcore, routes
    from graph.storefacts import StoreFacts

    for options in ({"include_generic": True}, {"precursors": True}):
        with pytest.raises(CrimegraphError) as rdf:
            routes.find_routes(built[0].graph, "human-trafficking", "UZB", "KAZ", **options)
        with pytest.raises(CrimegraphError) as oxi:
            legcore.find_routes(StoreFacts(store), "human-trafficking", "UZB", "KAZ", **options)
        assert str(oxi.value) == str(rdf.value)


@pytest.mark.parametrize("country", ["KAZ", "AFG", "RUS", "KGZ"])
def test_neighbours_from_the_store_are_the_neighbours_from_rdflib(
    built: tuple[BuildResult, Path], store: OpenGraph, country: str
) -> None:
    import dataclasses

    from graph import legcore, neighbours
    from graph.storefacts import StoreFacts

    expected = dataclasses.asdict(neighbours.neighbours(built[0].graph, country))
    facts = StoreFacts(store)
    got = dataclasses.asdict(legcore.neighbours(facts, country))
    aggregates = {"criminality", "resilience", "criminal-markets", "criminal-actors"}
    assert facts.aggregates() == aggregates
    assert got == expected


@pytest.mark.parametrize(
    "command",
    [
        ["routes", "--market", "heroin", "--from", "Afghanistan", "--to", "RUS"],
        ["neighbours", "Kazakhstan"],
    ],
)
def test_routes_and_neighbours_print_alike_from_a_build_and_from_its_graph_file(
    built: tuple[BuildResult, Path], command: list[str]
) -> None:
    name, *rest = command
    from_store = _cli(name, str(built[1]), *rest)
    from_file = _cli(name, str(built[1] / "graph.nt"), *rest)
    assert from_store.returncode == from_file.returncode == 0
    assert from_store.stdout == from_file.stdout
    assert from_store.stdout.strip()


def test_reading_hubs_only_through_the_possible_intermediates_changes_no_answer(
    built: tuple[BuildResult, Path],
) -> None:
    """Implied transit reads hub values only for the land neighbours of a leg's ends."""
    import dataclasses

    from graph import legcore
    from graph.rdffacts import RdfFacts

    class Whole(RdfFacts):
        def flows(self, *args: Any, through: frozenset[str] = frozenset(), **kw: Any) -> Any:
            return super().flows(*args, **kw)

    g = built[0].graph
    for facts in (RdfFacts(g), Whole(g)):
        assert facts.flows(transit=True)
    narrow, whole = RdfFacts(g), Whole(g)
    assert [
        dataclasses.asdict(r) for r in legcore.find_routes(narrow, "heroin-trade", "AFG", "RUS")
    ] == [dataclasses.asdict(r) for r in legcore.find_routes(whole, "heroin-trade", "AFG", "RUS")]
    for country in ("KAZ", "AFG"):
        assert dataclasses.asdict(legcore.neighbours(narrow, country)) == dataclasses.asdict(
            legcore.neighbours(whole, country)
        )


def _corpus(documents: int) -> str:
    """N-Triples of ``documents`` documents, each stating one heroin flow (and one without)."""
    prov, rdf_type = iris.PREFIX_IRIS["prov"], iris.PREFIX_IRIS["rdf"] + "type"
    market = f"<{iris.CGV}heroin-trade>"
    lines = [f"{market} <{rdf_type}> <{iris.CG}CriminalMarket> ."]
    for i in range(documents + 1):
        doc = f"<{iris.CGI}document/d{i:03}>"
        lines += [
            f'{doc} <{iris.CG}fileName> "d{i:03}.txt" .',
            f'{doc} <{iris.CG}documentKind> "report" .',
        ]
        if i == documents:
            break  # the last document states no flow: it is never listed
        lines += [
            f"<{iris.CGI}evidence/e{i}> <{prov}wasQuotedFrom> {doc} .",
            f"<{iris.CGI}flow/f{i}> <{iris.CG}evidence> <{iris.CGI}evidence/e{i}> .",
            f"<{iris.CGI}flow/f{i}> <{iris.CG}market> {market} .",
        ]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(
    ("after", "first", "last", "count"),
    [(None, "d000.txt", "d099.txt", 100), ("d099.txt", "d100.txt", "d119.txt", 20)],
)
def test_documents_come_a_page_of_100_at_a_time_on_both_engines(
    after: str | None, first: str, last: str, count: int
) -> None:
    memory = Graph()
    memory.parse(data=_corpus(120), format="nt")
    add_summaries(memory)  # as build adds them: the query pages by the documents' summaries
    store = ox.Store()
    store.load(memory.serialize(format="nt").encode(), format=ox.RdfFormat.N_TRIPLES)
    params = {} if after is None else {"after": after}
    query = canned("documents")
    expected = run_canned(memory, "documents", params).rows
    got = run_store_canned(OpenGraph(store, "corpus", persistent=False), query, params).rows
    assert got == expected
    names = [r["document"] for r in got]
    assert (names[0], names[-1], len(names)) == (first, last, count)
    assert names == sorted(names) and {r["flows"] for r in got} == {1}
