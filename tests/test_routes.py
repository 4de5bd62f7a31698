"""Routes of one market stitched from stated legs, and the implied transit of legs between
countries without a common border (graph.transit: direct first, chains only through stated
transit countries without a long detour)."""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import Graph

from graph.cli import main
from graph.errors import CrimegraphError
from graph.network import FlowView
from graph.routes import find_routes, land_borders, leg_graph
from graph.transit import suggest

SEED_SENTENCE = (
    "Kazakhstan is a key transit country on the so-called 'northern route' for heroin "
    "trafficking originating in Afghanistan and destined for Russia."
)


@pytest.fixture(scope="module")
def gold(gold_build: Any) -> Graph:
    graph: Graph = gold_build.graph
    return graph


def test_heroin_from_afghanistan_to_russia_goes_through_kazakhstan(gold: Graph) -> None:
    [route] = find_routes(gold, "heroin", "AFG", "RUS")
    assert route.places == ("AFG", "KAZ", "RUS")
    first, second = route.legs
    assert SEED_SENTENCE in [s.evidence for s in first.statements]
    assert {s.document for s in first.statements} == {
        "kazakhstan-ocindex-2021.txt",
        "cia_factbook/factbook_json_2022-11-10/kz_kazakhstan.txt",
    }
    assert (first.borders, second.borders, second.implied) == (False, True, None)


def test_a_leg_without_a_common_border_is_first_suggested_direct(gold: Graph) -> None:
    [route] = find_routes(gold, "heroin-trade", "Afghanistan", "Russia")
    implied = route.legs[0].implied
    assert implied is not None and implied.inferred
    first = implied.suggestions[0]
    assert (first.kind, first.chain, first.inferred) == ("direct", ("AFG", "KAZ"), True)
    assert "no common land border" in first.reason and 0 < first.confidence < 1
    assert all(s.reason and s.inferred for s in implied.suggestions)
    assert "CHN" not in implied.countries


def test_routes_are_stitched_across_flows_shortest_first(gold: Graph) -> None:
    routes = find_routes(gold, "human-smuggling", "TJK", "RUS")
    assert [r.places for r in routes] == [
        ("TJK", "KAZ", "RUS"),
        ("TJK", "UZB", "RUS"),
        ("TJK", "UZB", "KAZ", "RUS"),
    ]
    assert [r.hops for r in routes] == [2, 2, 3]


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ({"via": ["UZB", "KAZ"]}, [("TJK", "UZB", "KAZ", "RUS")]),
        ({"via": ["KAZ", "UZB"]}, []),
        ({"max_hops": 2}, [("TJK", "KAZ", "RUS"), ("TJK", "UZB", "RUS")]),
        ({"k": 1}, [("TJK", "KAZ", "RUS")]),
        ({"via": ["CHN"]}, []),
    ],
)
def test_via_max_hops_and_k_narrow_the_routes(
    gold: Graph, options: dict[str, Any], expected: list[tuple[str, ...]]
) -> None:
    assert [r.places for r in find_routes(gold, "human-smuggling", "TJK", "RUS", **options)] == (
        expected
    )


def test_regions_can_be_left_out_of_the_stops(gold: Graph) -> None:
    [route] = find_routes(gold, "human-trafficking", "KAZ", "MDV")
    assert route.places == ("KAZ", "eastern-europe", "MDV")
    assert find_routes(gold, "human-trafficking", "KAZ", "MDV", countries_only=True) == []


def test_a_region_at_one_end_has_no_border_test(gold: Graph) -> None:
    [route] = find_routes(gold, "human-smuggling", "southern-asia", "europe")
    assert route.places == ("southern-asia", "KAZ", "europe")
    assert [(leg.borders, leg.implied) for leg in route.legs] == [(None, None), (None, None)]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("heroin", "XYZ", "RUS"), "unknown country or region: 'XYZ'"),
        (("heroin", "AFG", "AFG"), "two different places"),
        (("plutonium", "AFG", "RUS"), "unknown market"),
    ],
)
def test_bad_arguments_are_one_line_errors(
    gold: Graph, args: tuple[str, str, str], message: str
) -> None:
    with pytest.raises(CrimegraphError, match=message):
        find_routes(gold, *args)


def test_no_route_is_an_empty_list(gold: Graph) -> None:
    assert find_routes(gold, "heroin", "RUS", "AFG") == []
    assert find_routes(gold, "heroin", "AFG", "DEU") == []


def test_the_leg_graph_merges_flows_and_weighs_legs_by_documents(gold: Graph) -> None:
    legs = leg_graph(gold, FlowView(markets=frozenset({"heroin-trade"})))
    assert legs.edges["AFG", "KAZ"]["weight"] == 2
    assert legs.nodes["KAZ"] == {"kind": "country", "label": "Kazakhstan"}


# --- implied transit on hand-made borders ------------------------------------------------------

#: A at the west, E at the east on one parallel; C is a long way north.
RING = nx.Graph([("A", "B"), ("B", "C"), ("C", "D"), ("D", "E"), ("B", "E"), ("A", "C")])
WHERE = {
    "A": (10.0, 0.0),
    "B": (10.0, 10.0),
    "C": (40.0, 10.0),
    "D": (10.0, 30.0),
    "E": (10.0, 20.0),
}


def test_implied_transit_keeps_only_stated_transit_countries_without_a_detour() -> None:
    found = suggest(RING, "A", "E", WHERE, {"B": 2, "C": 9}, {("A", "B")})
    assert found is not None
    assert [(s.kind, s.chain) for s in found.suggestions] == [
        ("direct", ("A", "E")),
        ("chain", ("A", "B", "E")),
    ]
    assert "2 sources name B as transit" in found.suggestions[1].reason
    assert "1 of its 2 legs stated" in found.suggestions[1].reason


def test_implied_transit_has_no_chain_through_a_country_no_flow_of_the_market_passes() -> None:
    found = suggest(RING, "A", "E", WHERE, {}, set())
    assert found is not None and found.chains == () and found.suggestions[0].kind == "direct"


def test_implied_transit_caps_the_intermediates_at_two() -> None:
    line = nx.Graph([("A", "B"), ("B", "C"), ("C", "D"), ("D", "E")])
    where = {k: (0.0, float(i)) for i, k in enumerate("ABCDE")}
    support = dict.fromkeys("BCD", 5)
    assert suggest(line, "A", "D", where, support, set()).chains == (("A", "B", "C", "D"),)  # type: ignore[union-attr]
    assert suggest(line, "A", "E", where, support, set()).chains == ()  # type: ignore[union-attr]


def test_neighbours_and_the_same_place_imply_nothing() -> None:
    assert suggest(RING, "A", "B", WHERE, {}, set()) is None
    assert suggest(RING, "A", "A", WHERE, {}, set()) is None


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 9), st.integers(0, 9)), min_size=1, max_size=25),
    st.integers(0, 9),
    st.integers(0, 9),
    st.dictionaries(st.integers(0, 9), st.integers(0, 6)),
)
def test_implied_chains_are_short_land_paths_through_supported_countries(
    edges: list[tuple[int, int]], source: int, target: int, support: dict[int, int]
) -> None:
    borders = nx.Graph([(str(a), str(b)) for a, b in edges if a != b])
    where = {str(i): (float(i % 3), float(i)) for i in range(10)}
    sup = {str(k): v for k, v in support.items()}
    found = suggest(borders, str(source), str(target), where, sup, set())
    if found is None:
        assert source == target or borders.has_edge(str(source), str(target))
        return
    assert found.suggestions[0].kind == "direct"
    for chain in found.chains:
        assert chain[0] == str(source) and chain[-1] == str(target)
        assert 3 <= len(chain) <= 4 and len(set(chain)) == len(chain)
        assert all(borders.has_edge(a, b) for a, b in itertools.pairwise(chain))
        assert all(sup.get(c, 0) > 0 for c in chain[1:-1])


def test_land_borders_come_from_the_reference_data_in_the_graph(gold: Graph) -> None:
    borders = land_borders(gold)
    assert sorted(borders["KAZ"]) == ["CHN", "KGZ", "RUS", "TKM", "UZB"]


# --- command line -------------------------------------------------------------------------------


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_cli_routes_on_a_build_directory_show_the_seed_sentence(
    capsys: pytest.CaptureFixture[str], seed_build_dir: Path
) -> None:
    status, out, _ = run(
        capsys, "routes", str(seed_build_dir), "--market", "heroin", "--from", "AFG", "--to", "RUS"
    )
    assert status == 0
    assert "1. AFG → KAZ → RUS" in out
    assert "implied transit (inferred, not stated):" in out
    assert "direct [confidence" in out and "via CHN" not in out
    assert SEED_SENTENCE in out


def test_cli_routes_as_json(capsys: pytest.CaptureFixture[str], seed_build_dir: Path) -> None:
    status, out, _ = run(
        capsys, "routes", str(seed_build_dir), "--market", "heroin-trade",
        "--from", "Afghanistan", "--to", "Russia", "--format", "json",
    )  # fmt: skip
    data = json.loads(out)
    assert status == 0 and (data["from"], data["to"]) == ("AFG", "RUS")
    [route] = data["routes"]
    assert route["places"] == ["AFG", "KAZ", "RUS"] and route["hops"] == 2
    assert route["legs"][0]["implied"]["inferred"] is True
    assert route["legs"][0]["implied"]["suggestions"][0]["kind"] == "direct"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", "XYZ", "--to", "RUS"], "unknown country or region"),
        (["--from", "AFG", "--to", "RUS", "--k", "0"], "at least 1"),
        (["--from", "AFG", "--to", "RUS", "--chains", "-1"], "at least 0"),
    ],
)
def test_cli_routes_errors_are_one_line(
    capsys: pytest.CaptureFixture[str], seed_build_dir: Path, args: list[str], message: str
) -> None:
    status, _, err = run(capsys, "routes", str(seed_build_dir), "--market", "heroin", *args)
    assert status == 1 and message in err and err.count("\n") == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--market", "non-renewable-resource-crimes", "--include-generic"],
            "--include-generic is for the drug markets",
        ),
        (["--market", "arms-trafficking", "--precursors"], "--precursors is for the drug markets"),
    ],
)
def test_cli_routes_new_options_refuse_bad_input_in_one_line(
    capsys: pytest.CaptureFixture[str], seed_build_dir: Path, args: list[str], message: str
) -> None:
    status, _, err = run(
        capsys, "routes", str(seed_build_dir), "--from", "KAZ", "--to", "KGZ", *args
    )
    assert status != 0 and message in err and err.count("\n") == 1
