"""Graph algorithms on the legs: brokers (the hub measure per market, betweenness beside it) and
strongly connected groups."""

from __future__ import annotations

from typing import Any

import pytest
from rdflib import Graph

from graph.analysis import brokers, connected_groups
from graph.rdf import build_graph
from graph.records import Document, DocumentFlows, Flow


def graph_of(*flows: Flow) -> Graph:
    return build_graph(
        [Document("d.txt", "report", "x")], [], [DocumentFlows("d.txt", None, list(flows))]
    )


def test_a_chain_makes_its_middle_the_only_broker() -> None:
    g = graph_of(Flow("heroin-trade", "heroin", ["AFG"], ["TKM", "KAZ"], ["RUS"], evidence="x"))
    found = [(b.place, b.betweenness, b.transit_flows) for b in brokers(g)]
    # On A → T → K → R: T lies on 2 of the 6 ordered pairs' shortest paths, K on 2.
    assert found == [("KAZ", 0.3333, 1), ("TKM", 0.3333, 1)]


def test_brokers_are_ranked_per_market(gold_build: Any) -> None:
    smuggling = brokers(gold_build.graph, "human-smuggling")
    assert {b.market for b in smuggling} == {"human-smuggling"}
    assert (smuggling[0].place, smuggling[0].transit_flows) == ("KAZ", 3)
    # The hub measure first: two sources (two series) name Kazakhstan as heroin transit, one
    # Pakistan (whose two flows come from one passage), though Pakistan's betweenness is higher.
    [first, second] = brokers(gold_build.graph, "heroin", top=2)
    assert (first.place, first.sources, second.place, second.sources) == ("KAZ", 2, "PAK", 1)
    assert second.betweenness > first.betweenness


def test_connected_groups_are_countries_that_trade_both_ways(gold_build: Any) -> None:
    groups = connected_groups(gold_build.graph)
    assert [grp.places for grp in groups] == [("CHN", "KAZ", "KGZ", "RUS", "UZB"), ("IRN", "PAK")]
    assert "heroin-trade" in groups[0].markets


def test_regions_join_a_group_only_when_asked() -> None:
    g = graph_of(
        Flow("human-trafficking", "victims", ["KAZ"], [], ["europe"], evidence="a"),
        Flow("human-trafficking", "victims", ["europe"], [], ["KAZ"], evidence="b"),
    )
    assert connected_groups(g) == []
    [group] = connected_groups(g, countries_only=False)
    assert (group.places, group.markets, group.legs) == (
        ("KAZ", "europe"),
        ("human-trafficking",),
        2,
    )


@pytest.mark.parametrize("market", ["fauna", "Fauna crimes"])
def test_a_market_without_a_cycle_has_no_group(gold_build: Any, market: str) -> None:
    assert connected_groups(gold_build.graph, market) == []
