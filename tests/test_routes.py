"""Routes of one market stitched from stated legs, and the implied transit of legs between
countries without a common border."""

from __future__ import annotations

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
from graph.routes import find_routes, implied_transit, land_borders, leg_graph

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


def test_a_leg_without_a_common_border_lists_the_neighbours_that_could_carry_it(
    gold: Graph,
) -> None:
    [route] = find_routes(gold, "heroin-trade", "Afghanistan", "Russia")
    implied = route.legs[0].implied
    assert implied is not None and implied.inferred
    assert implied.chains == (("AFG", "CHN", "KAZ"), ("AFG", "TKM", "KAZ"), ("AFG", "UZB", "KAZ"))
    assert (implied.countries, implied.total) == (("CHN", "TKM", "UZB"), 3)


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

RING = nx.Graph([("A", "B"), ("B", "C"), ("C", "D"), ("D", "E"), ("E", "A"), ("B", "E")])


@pytest.mark.parametrize(
    ("source", "target", "chains", "total"),
    [
        ("A", "C", (("A", "B", "C"),), 1),
        ("A", "D", (("A", "E", "D"),), 1),
        ("B", "D", (("B", "C", "D"), ("B", "E", "D")), 2),
        ("A", "Z", (), 0),
    ],
)
def test_implied_transit_lists_every_shortest_chain_in_order(
    source: str, target: str, chains: tuple[tuple[str, ...], ...], total: int
) -> None:
    found = implied_transit(RING, source, target)
    assert found is not None and (found.chains, found.total) == (chains, total)


def test_neighbours_and_the_same_place_imply_nothing() -> None:
    assert implied_transit(RING, "A", "B") is None
    assert implied_transit(RING, "A", "A") is None


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 9), st.integers(0, 9)), min_size=1, max_size=25),
    st.integers(0, 9),
    st.integers(0, 9),
    st.integers(1, 5),
)
def test_implied_chains_are_the_shortest_land_paths(
    edges: list[tuple[int, int]], source: int, target: int, limit: int
) -> None:
    borders = nx.Graph([(str(a), str(b)) for a, b in edges if a != b])
    found = implied_transit(borders, str(source), str(target), limit)
    if found is None:
        assert source == target or borders.has_edge(str(source), str(target))
        return
    if found.total == 0:
        assert (
            str(source) not in borders
            or str(target) not in borders
            or not nx.has_path(borders, str(source), str(target))
        )
        return
    every = sorted(tuple(p) for p in nx.all_shortest_paths(borders, str(source), str(target)))
    assert found.total == len(every)
    assert list(found.chains) == every[:limit]


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
    assert (
        "implied transit, inferred from land borders: AFG-CHN-KAZ, AFG-TKM-KAZ, AFG-UZB-KAZ" in out
    )
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


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", "XYZ", "--to", "RUS"], "unknown country or region"),
        (["--from", "AFG", "--to", "RUS", "--k", "0"], "at least 1"),
    ],
)
def test_cli_routes_errors_are_one_line(
    capsys: pytest.CaptureFixture[str], seed_build_dir: Path, args: list[str], message: str
) -> None:
    status, _, err = run(capsys, "routes", str(seed_build_dir), "--market", "heroin", *args)
    assert status == 1 and message in err and err.count("\n") == 1
