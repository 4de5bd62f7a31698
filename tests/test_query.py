"""SPARQL over a built graph: every canned query's rows on the gold graph, parameters bound as
RDF terms, and requests that would change the graph or reach the web refused."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rdflib import Graph, Literal, URIRef

from graph.cli import main
from graph.errors import CrimegraphError
from graph.namespaces import CGV
from graph.query import (
    ANY,
    canned,
    canned_queries,
    market_slug,
    parse_header,
    prepare,
    query_file,
    run_canned,
    run_query,
    shorten,
    term,
)
from graph.vocab import market_slugs

SEED_DOC = "kazakhstan-ocindex-2021.txt"
KZ_FACTBOOK = "cia_factbook/factbook_json_2022-11-10/kz_kazakhstan.txt"
PK_FACTBOOK = "cia_factbook/factbook_json_2015-10-26/pk_pakistan.txt"


@pytest.fixture(scope="module")
def gold(gold_build: Any) -> Graph:
    graph: Graph = gold_build.graph
    return graph


def rows(g: Graph, name: str, params: dict[str, str], columns: tuple[str, ...]) -> list[tuple]:
    """The rows of a canned query, cut to ``columns``, IRIs written with prefixes."""
    return [tuple(shorten(r[c]) for c in columns) for r in run_canned(g, name, params).rows]


FLOW_COLUMNS = ("market", "commodity", "origins", "transit", "destinations", "document")
NRR = "cgv:non-renewable-resource-crimes"

# name → (parameters, columns compared, expected rows in the query's order)
CASES: dict[str, tuple[dict[str, str], tuple[str, ...], list[tuple]]] = {
    "flows-into": (
        {"country": "Kyrgyzstan"},
        FLOW_COLUMNS,
        [
            (NRR, "fuel", "RUS", "KAZ", "KGZ", SEED_DOC),
            (NRR, "fuel and lubricants", "KAZ", "", "KGZ", SEED_DOC),
            (NRR, "fuel", "KAZ, RUS", "", "KGZ", SEED_DOC),
        ],
    ),
    "flows-out-of": (
        {"country": "AFG", "market": "heroin"},
        FLOW_COLUMNS,
        [
            (
                "cgv:heroin-trade",
                "heroin, opium and morphine",
                "AFG",
                "PAK",
                "IRN, africa, asia, persian-gulf",
                PK_FACTBOOK,
            ),
            (
                "cgv:heroin-trade",
                "heroin, opium and morphine",
                "AFG",
                "PAK",
                "western-markets",
                PK_FACTBOOK,
            ),
            ("cgv:heroin-trade", "heroin", "AFG", "KAZ", "RUS, europe", KZ_FACTBOOK),
            ("cgv:heroin-trade", "heroin", "AFG", "KAZ", "RUS", SEED_DOC),
        ],
    ),
    "flows-through": (
        {"country": "KAZ", "market": "human-smuggling"},
        ("origins", "transit", "destinations"),
        [
            ("", "KGZ/TJK > UZB > KAZ", "RUS"),
            ("", "KGZ/TJK > KAZ", "RUS"),
            ("southern-asia", "KAZ", "europe"),
        ],
    ),
    "transit-countries": (
        {"market": "Heroin trade"},
        ("country", "sources", "series", "flows", "documents"),
        [
            ("KAZ", 2, 2, 2, 2),
            ("PAK", 1, 1, 2, 1),  # two flows, one passage: one source
            ("AUT", 1, 1, 1, 1),
            ("ETH", 1, 1, 1, 1),
            ("SVN", 1, 1, 1, 1),
        ],
    ),
    "score-changes": (
        {"indicator": "criminality"},
        ("iso3", "indicator", "scoreBefore", "scoreAfter", "change"),
        [("KAZ", "cgv:criminality", 4.26, 4.47, 0.21)],
    ),
    "flows-into-region": (
        {"region": "Central Asia", "market": "human-smuggling"},
        ("market", "destination", "endsIn", "flows", "documents", "commodities"),
        [("cgv:human-smuggling", "KAZ", "member", 1, 1, "migrants")],
    ),
    "flows-per-market": (
        {},
        ("market", "flows", "documents", "commodities"),
        [
            ("cgv:human-trafficking", 34, 6, 10),
            ("cgv:heroin-trade", 8, 6, 3),
            ("cgv:cocaine-trade", 5, 4, 1),
            ("cgv:synthetic-drug-trade", 5, 3, 1),
            ("cgv:cannabis-trade", 4, 2, 2),
            ("cgv:drug-trade", 4, 4, 3),
            ("cgv:human-smuggling", 4, 1, 1),
            (NRR, 4, 1, 3),
            ("cgv:arms-trafficking", 2, 2, 2),
            ("cgv:fauna-crimes", 2, 1, 2),
            ("cgv:flora-crimes", 1, 1, 1),
            ("cgv:illicit-trade-in-excisable-goods", 1, 1, 1),
            ("cgv:trade-in-counterfeit-goods", 1, 1, 1),
        ],
    ),
    "actors": (
        {"country": "KGZ"},
        ("actor", "types", "market", "countries", "flows"),
        [
            ("Kazakhstani companies", "Private sector actors", NRR, "KAZ, KGZ", 1),
            ("Kyrgyz nationals", "Foreign actors", NRR, "KAZ, KGZ", 1),
        ],
    ),
    "checkpoints": (
        {},
        ("checkpoint", "border", "markets", "commodities", "flows"),
        [
            ("Chaldybar–Avtodorozhny", "KAZ-KGZ", NRR[4:], "fuel and lubricants", 1),
            ("Kaindy–Avtodorozhny", "KAZ-KGZ", NRR[4:], "fuel and lubricants", 1),
        ],
    ),
    "score-gaps": (
        {"threshold": "2.5"},
        ("iso3", "market", "edition", "score"),
        [
            ("KAZ", "cgv:financial-crimes", 2023, 5.0),
            ("KAZ", "cgv:extortion-and-protection-racketeering", 2023, 3.5),
            ("KAZ", "cgv:cocaine-trade", 2021, 2.5),
            ("KAZ", "cgv:cocaine-trade", 2023, 2.5),
            ("KAZ", "cgv:cyber-dependent-crimes", 2023, 2.5),
        ],
    ),
    "country-neighbours": (
        {"country": "Kazakhstan"},
        ("neighbour", "flows", "markets"),
        [
            (
                "CHN",
                7,
                "fauna-crimes, human-trafficking, illicit-trade-in-excisable-goods, "
                "non-renewable-resource-crimes, synthetic-drug-trade, trade-in-counterfeit-goods",
            ),
            ("KGZ", 6, "human-smuggling, human-trafficking, non-renewable-resource-crimes"),
            (
                "RUS",
                14,
                "arms-trafficking, cannabis-trade, heroin-trade, human-smuggling, "
                "human-trafficking, non-renewable-resource-crimes, synthetic-drug-trade",
            ),
            ("TKM", 2, "human-smuggling, human-trafficking"),
            ("UZB", 4, "human-smuggling, human-trafficking"),
        ],
    ),
    "documents": (
        {"market": "cocaine"},
        ("document", "kind", "edition", "subject", "flows", "markets"),
        [
            (
                "cia_factbook/factbook_json_2022-11-10/si_slovenia.txt",
                "report",
                2022,
                "SVN",
                2,
                "cocaine-trade",
            ),
            (
                "cia_factbook/milkmp_archive_2000/nu_nicaragua.txt",
                "report",
                2000,
                "NIC",
                1,
                "cocaine-trade",
            ),
            (
                "cia_factbook/milkmp_archive_2008/et_ethiopia.txt",
                "report",
                2008,
                "ETH",
                1,
                "cocaine-trade",
            ),
            (
                "cia_factbook/milkmp_archive_2010/au_austria.txt",
                "report",
                2010,
                "AUT",
                1,
                "cocaine-trade",
            ),
        ],
    ),
}

#: Canned queries with a test of their own below (reviewed-flows: in test_corrections).
OWN_TESTS = {"country-scores", "neighbour-score-changes", "reviewed-flows"}


def test_every_canned_query_has_a_test_of_its_rows() -> None:
    assert {q.name for q in canned_queries()} == set(CASES) | OWN_TESTS


@pytest.mark.parametrize("name", sorted(CASES))
def test_canned_query_rows_on_the_gold_graph(gold: Graph, name: str) -> None:
    params, columns, expected = CASES[name]
    assert rows(gold, name, params, columns) == expected


@pytest.mark.parametrize(
    ("name", "params"),
    [
        ("actors", {"market": "flora"}),
        ("checkpoints", {"country": "CHN"}),
        ("documents", {"market": "cyber"}),
        ("transit-countries", {"market": "flora"}),
        ("flows-into", {"country": "BRA", "market": "heroin"}),
        ("country-scores", {"country": "USA"}),
        ("country-neighbours", {"country": "MDV"}),
        ("score-gaps", {"country": "USA"}),
        ("score-changes", {"country": "USA"}),
        ("neighbour-score-changes", {"country": "USA"}),
        ("flows-into-region", {"region": "melanesia"}),
    ],
)
def test_a_question_with_no_answer_gives_no_rows(
    gold: Graph, name: str, params: dict[str, str]
) -> None:
    assert run_canned(gold, name, params).rows == []


@pytest.fixture(scope="module")
def oxigraph_gold(gold: Graph) -> Graph:
    pytest.importorskip("oxrdflib")
    from graph.store import copy_graph

    return copy_graph(gold, "oxigraph")


@pytest.mark.parametrize(
    ("name", "params"),
    [pytest.param(n, CASES[n][0]) for n in sorted(CASES)]
    + [("country-scores", {}), ("documents", {})],
)
def test_canned_queries_answer_the_same_on_an_oxigraph_store(
    gold: Graph, oxigraph_gold: Graph, name: str, params: dict[str, str]
) -> None:
    memory, oxigraph = (run_canned(g, name, params).rows for g in (gold, oxigraph_gold))
    assert sorted(map(repr, oxigraph)) == sorted(map(repr, memory))


def test_country_scores_sit_beside_the_flows_of_each_market(gold: Graph) -> None:
    result = run_canned(gold, "country-scores", {"country": "KAZ"})
    by_key = {(shorten(r["indicator"]), r["edition"]): r for r in result.rows}
    assert len(result.rows) == 30 + 36  # every score of the 2021 and 2023 profiles
    heroin = by_key[("cgv:heroin-trade", 2023)]
    assert (heroin["score"], heroin["change"], heroin["flows"], heroin["documents"]) == (
        6.5,
        0.0,
        2,
        2,
    )
    assert by_key[("cgv:financial-crimes", 2023)]["flows"] == 0  # a market, no flow
    assert by_key[("cgv:resilience", 2021)]["flows"] is None  # not a market


def test_neighbour_score_changes_put_the_country_first_then_its_neighbours() -> None:
    from graph.places import load_gazetteer
    from graph.rdf import add_reference, add_scores, document_iri, new_graph

    g = new_graph()
    add_reference(g, load_gazetteer(), ["KAZ", "KGZ", "CHN", "FRA"])
    doc = document_iri("workbook")
    for iso3, before, after in [
        ("KAZ", 4.0, 4.5),
        ("KGZ", 5.0, 6.5),
        ("CHN", 6.0, 5.0),
        ("FRA", 3.0, 9.0),
    ]:
        add_scores(g, iso3, 2021, {"criminality": before}, doc)
        add_scores(g, iso3, 2023, {"criminality": after}, doc)
    add_scores(g, "KGZ", 2023, {"cocaine-trade": 2.0}, doc)  # one edition only: no change
    result = run_canned(g, "neighbour-score-changes", {"country": "Kazakhstan"})
    assert [
        (r["iso3"], r["role"], r["scoreBefore"], r["scoreAfter"], r["change"]) for r in result.rows
    ] == [
        ("KAZ", "country", 4.0, 4.5, 0.5),
        ("KGZ", "neighbour", 5.0, 6.5, 1.5),
        ("CHN", "neighbour", 6.0, 5.0, -1.0),
    ]
    assert (
        run_canned(g, "score-changes", {"before": "2023", "after": "2021"}).rows[0]["change"]
        == -6.0
    )


def test_the_seed_sentence_answers_who_says_heroin_passes_through_kazakhstan(gold: Graph) -> None:
    result = run_canned(gold, "flows-through", {"country": "KAZ", "market": "heroin-trade"})
    seed = [r for r in result.rows if r["document"] == SEED_DOC]
    assert [r["evidence"] for r in seed] == [
        "Kazakhstan is a key transit country on the so-called 'northern route' for heroin "
        "trafficking originating in Afghanistan and destined for Russia."
    ]


# --- headers and parameters ------------------------------------------------------------------


def test_each_shipped_query_says_what_it_answers_and_declares_its_parameters() -> None:
    for q in canned_queries():
        assert q.summary.endswith("."), q.name
        for p in q.parameters:
            assert p.description, (q.name, p.name)
            assert f"?{p.name}" in q.text, (q.name, p.name)


def test_a_header_parameter_line_gives_name_type_default_and_meaning() -> None:
    text = "# Flows.\n#\n# More.\n#\n# @param threshold decimal 5.0 lowest score\nSELECT * {}"
    summary, description, params = parse_header(text)
    assert (summary, description) == ("Flows.", "More.")
    [p] = params
    assert (p.name, p.kind, p.default, p.description, p.optional) == (
        "threshold",
        "decimal",
        "5.0",
        "lowest score",
        False,
    )


@pytest.mark.parametrize(
    "line", ["# @param country planet KAZ a country", "# @param country", "# @param"]
)
def test_a_malformed_parameter_line_is_an_error(line: str) -> None:
    with pytest.raises(CrimegraphError):
        parse_header(line + "\nSELECT * {}")


@pytest.mark.parametrize(
    ("name", "params", "message"),
    [
        ("nope", {}, "unknown query 'nope'"),
        ("flows-into", {"country": "XYZ"}, "unknown country: 'XYZ'"),
        ("flows-into", {"contry": "KAZ"}, "has no parameter 'contry'"),
        ("flows-into", {"market": "human"}, "ambiguous"),
        ("score-gaps", {"threshold": "high"}, "not a number"),
        ("score-gaps", {"edition": "2023.5"}, "not an integer"),
    ],
)
def test_bad_names_and_values_are_one_line_errors(
    gold: Graph, name: str, params: dict[str, str], message: str
) -> None:
    with pytest.raises(CrimegraphError, match=message) as info:
        run_canned(gold, name, params)
    assert "\n" not in str(info.value)


def test_a_free_parameter_matches_any_value(gold: Graph) -> None:
    every = run_canned(gold, "transit-countries", {"market": ANY}).rows
    heroin = run_canned(gold, "transit-countries", {"market": "heroin"}).rows
    assert {r["market"] for r in every} > {str(CGV["heroin-trade"])}
    assert [r for r in every if r["market"] == str(CGV["heroin-trade"])] == heroin


@pytest.mark.parametrize("slug", sorted(market_slugs()))
def test_a_market_is_found_by_its_slug_and_by_its_label(slug: str) -> None:
    from graph.vocab import indicator

    assert market_slug(slug) == slug
    assert market_slug(indicator(slug).label.upper()) == slug


@given(st.text(min_size=1).filter(lambda s: s.strip() and not s.strip().startswith(("<", '"'))))
def test_any_other_text_is_bound_as_a_string_or_a_number_never_as_query_text(text: str) -> None:
    value = term(text)
    assert isinstance(value, Literal)
    assert str(value) == text.strip() or value.datatype is not None


def test_a_value_that_looks_like_sparql_stays_a_string(gold: Graph) -> None:
    sneaky = 'KAZ" } UNION { ?c ?p ?o } #'
    result = run_query(gold, "SELECT ?c WHERE { ?c cg:iso3 ?code }", {"code": sneaky})
    assert result.rows == []
    kaz = run_query(gold, "SELECT ?c WHERE { ?c cg:iso3 ?code }", {"code": "KAZ"})
    assert kaz.rows == [{"c": "https://w3id.org/crimegraph/id/country/KAZ"}]


def test_binding_a_variable_the_query_does_not_have_is_an_error(gold: Graph) -> None:
    with pytest.raises(CrimegraphError, match=r"no variable \?nope"):
        run_query(gold, "SELECT ?c WHERE { ?c cg:iso3 ?code }", {"nope": "1"})


def test_a_query_file_is_read_with_its_header(tmp_path: Path) -> None:
    path = tmp_path / "mine.rq"
    path.write_text(
        "# Countries by code.\n# @param code text KAZ the code\nSELECT ?c { ?c cg:iso3 ?code }"
    )
    q = query_file(path)
    assert (q.name, q.summary, [p.name for p in q.parameters]) == (
        "mine",
        "Countries by code.",
        ["code"],
    )


# --- results ----------------------------------------------------------------------------------


def test_ask_gives_a_boolean_and_construct_a_graph(gold: Graph) -> None:
    ask = run_query(
        gold, "ASK { ?c cg:iso3 ?code ; cg:borders ?n . ?n cg:iso3 'KGZ' }", {"code": "KAZ"}
    )
    assert (ask.kind, ask.boolean) == ("ASK", True)
    built = run_query(
        gold, "CONSTRUCT { ?c cg:borders ?n } WHERE { ?c cg:iso3 'KGZ' ; cg:borders ?n }"
    )
    assert built.kind == "CONSTRUCT" and built.graph is not None
    assert sorted(str(o).rsplit("/", 1)[1] for o in built.graph.objects()) == [
        "CHN",
        "KAZ",
        "TJK",
        "UZB",
    ]


def test_row_values_are_plain_python(gold: Graph) -> None:
    [row] = run_query(
        gold,
        "SELECT ?c ?lat ?name ?missing "
        "WHERE { ?c cg:iso3 'KAZ' ; geo:lat ?lat ; rdfs:label ?name }",
    ).rows
    assert row == {
        "c": "https://w3id.org/crimegraph/id/country/KAZ",
        "lat": pytest.approx(48.0, abs=1),
        "name": "Kazakhstan",
        "missing": None,
    }


# --- refusals ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("DELETE WHERE { ?s ?p ?o }", "updates are refused"),
        ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", "updates are refused"),
        ("CLEAR DEFAULT", "updates are refused"),
        ("LOAD <http://example.org/g.ttl>", "LOAD reaches out to the web"),
        ("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }", "SERVICE"),
        ("INSERT { ?s ?p ?o } WHERE { SERVICE <http://example.org/q> { ?s ?p ?o } }", "SERVICE"),
        ("SELECT * FROM <http://example.org/g> WHERE { ?s ?p ?o }", "FROM reaches out"),
    ],
)
def test_updates_and_network_access_are_refused(gold: Graph, text: str, message: str) -> None:
    before = len(gold)
    with pytest.raises(CrimegraphError, match=message) as info:
        run_query(gold, text)
    assert "\n" not in str(info.value)
    assert len(gold) == before


def test_an_update_runs_only_when_allowed(gold: Graph) -> None:
    copy = Graph()
    copy += gold
    result = run_query(copy, "INSERT DATA { <urn:a> <urn:b> <urn:c> }", allow_update=True)
    assert (result.kind, result.changed) == ("UPDATE", 1)
    with pytest.raises(CrimegraphError, match="LOAD"):
        run_query(copy, "LOAD <http://example.org/g.ttl>", allow_update=True)
    assert prepare("SELECT * { SERVICE <http://example.org/q> { ?s ?p ?o } }", allow_network=True)


@pytest.mark.parametrize(
    "text",
    [
        "SELEC ?x WHERE { ?x ?p ?o }",
        "SELECT ?x WHERE { ?x ?p ?o",
        "SELECT ?x WHERE { ?x nope:p ?o }",
        "SELECT ?x WHERE {\n ?x ?p ?o .\n FILTER( }",
        "",
    ],
)
def test_malformed_sparql_is_a_one_line_error(gold: Graph, text: str) -> None:
    with pytest.raises(CrimegraphError, match="malformed SPARQL") as info:
        run_query(gold, text)
    assert "\n" not in str(info.value)


# --- command line -----------------------------------------------------------------------------


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture(scope="module")
def gold_file(gold: Graph, tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("query") / "gold.nt"
    gold.serialize(path, format="nt", encoding="utf-8")
    return str(path)


def test_cli_lists_the_canned_queries(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "query", "--list", "--format", "json")
    listed = {q["name"]: q for q in json.loads(out)}
    assert status == 0 and set(listed) == set(CASES) | OWN_TESTS
    assert [p["name"] for p in listed["flows-into"]["parameters"]] == ["country", "market"]
    status, out, _ = run(capsys, "query", "--list")
    assert "score-gaps  (threshold=5.0 edition=* country=*)" in out


@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
def test_cli_runs_a_canned_query_in_each_format(
    capsys: pytest.CaptureFixture[str], gold_file: str, fmt: str
) -> None:
    status, out, _ = run(
        capsys,
        "query",
        gold_file,
        "--name",
        "checkpoints",
        "--param",
        "country=KGZ",
        "--format",
        fmt,
    )
    assert status == 0
    assert out.count("Avtodorozhny") == 2
    if fmt == "json":
        assert [r["border"] for r in json.loads(out)] == ["KAZ-KGZ", "KAZ-KGZ"]


def test_cli_runs_sparql_from_the_command_line_and_from_a_file(
    capsys: pytest.CaptureFixture[str], gold_file: str, tmp_path: Path
) -> None:
    status, out, _ = run(capsys, "query", gold_file, "ASK { ?c cg:iso3 ?x }", "--param", "x=KAZ")
    assert (status, out.strip()) == (0, "true")
    path = tmp_path / "borders.rq"
    path.write_text(
        "# Neighbours of a country.\n# @param country country KAZ the country\n"
        "SELECT ?n WHERE { ?country cg:borders/cg:iso3 ?n } ORDER BY ?n\n"
    )
    status, out, _ = run(capsys, "query", gold_file, f"@{path}", "--param", "country=Kyrgyzstan")
    assert status == 0 and out.split()[2:] == ["CHN", "KAZ", "TJK", "UZB"]


def test_cli_writes_the_graph_an_allowed_update_changed(
    capsys: pytest.CaptureFixture[str], gold_file: str, tmp_path: Path
) -> None:
    out_file = tmp_path / "changed.nt"
    update = "INSERT DATA { <urn:a> <urn:b> <urn:c> }"
    status, out, _ = run(capsys, "query", gold_file, update, "--allow-update", "-o", str(out_file))
    assert (status, out.strip()) == (0, "update applied: +1 triples")
    changed = Graph().parse(out_file)
    assert (URIRef("urn:a"), URIRef("urn:b"), URIRef("urn:c")) in changed


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["SELEC ?x WHERE {}"], "malformed SPARQL"),
        (["--name", "nope"], "unknown query"),
        (["--name", "flows-into", "--param", "country=XYZ"], "unknown country"),
        (["DELETE WHERE { ?s ?p ?o }"], "updates are refused"),
        (["SELECT * { SERVICE <http://example.org/q> { ?s ?p ?o } }"], "SERVICE"),
        (["--name", "flows-into", "--param", "country"], "key=value"),
        ([], "exactly one of"),
        (["--name", "score-changes", "--param", "before=last"], "integer"),
        (["--name", "neighbour-score-changes", "--param", "country=Atlantis"], "unknown country"),
        (["--name", "flows-into-region", "--param", "region=Atlantis"], "Atlantis"),
    ],
)
def test_cli_errors_are_one_line_with_a_non_zero_exit(
    capsys: pytest.CaptureFixture[str], gold_file: str, args: list[str], message: str
) -> None:
    status, out, err = run(capsys, "query", gold_file, *args)
    assert status == 1 and out == ""
    assert message in err and err.count("\n") == 1


def test_the_query_name_and_its_file_agree() -> None:
    q = canned("flows-into")
    assert q.path.name == "flows-into.rq" and q.text == q.path.read_text()
