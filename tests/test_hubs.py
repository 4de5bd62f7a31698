"""The hub measure on small hand-made graphs with a known answer: sources naming a place as
transit, a passage repeated by several editions of one series counted once."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rdflib import Graph

from graph.cli import main
from graph.hubs import hub_ranking
from graph.rdf import build_graph
from graph.records import Document, DocumentFlows, Flow

Statement = tuple[str, str, str | None, Flow]  # document, text, subject, flow


def graph_of(statements: list[Statement]) -> Graph:
    """One document per name, each stating its flows with the given sentence as evidence."""
    texts: dict[str, list[str]] = {}
    flows: dict[str, DocumentFlows] = {}
    for name, text, subject, flow in statements:
        texts.setdefault(name, []).append(text)
        flow.evidence = text
        flows.setdefault(name, DocumentFlows(name, subject)).flows.append(flow)
    documents = [
        Document(name, "report", " ".join(t), subject=flows[name].subject, year=_year(name))
        for name, t in texts.items()
    ]
    return build_graph(documents, [], list(flows.values()))


def _year(name: str) -> int | None:
    digits = [part for part in name.replace(".", "_").split("_") if part.isdigit()]
    return int(digits[0]) if digits else None


def cocaine(transit: list[str], origin: tuple[str, ...] = (), to: tuple[str, ...] = ()) -> Flow:
    return Flow("cocaine-trade", "cocaine", list(origin), list(transit), list(to))


COCAINE: list[Statement] = [
    # Germany, France, Latvia: one sentence each, repeated by several Factbook editions.
    *[
        (
            f"factbook_{y}_gm.txt",
            f"Germany is a transit point for cocaine bound for Eastern Europe{s}",
            "DEU",
            cocaine(["DEU"], to=("eastern-europe",)),
        )
        for y, s in [(2008, "."), (2010, "."), (2015, " (2015)."), (2020, ".")]
    ],
    *[
        (f"factbook_{y}_fr.txt", "France is a transit point for cocaine.", "FRA", cocaine(["FRA"]))
        for y in (2008, 2010, 2015)
    ],
    *[
        (f"factbook_{y}_lg.txt", "Latvia is a transit point for cocaine.", "LVA", cocaine(["LVA"]))
        for y in (2008, 2010, 2015)
    ],
    # Guatemala: two different Factbook passages and the INCSR.
    *[
        (
            f"factbook_{y}_gt.txt",
            "Guatemala is a major transit country for cocaine bound for the US.",
            "GTM",
            cocaine(["GTM"], to=("USA",)),
        )
        for y in (2008, 2010)
    ],
    (
        "factbook_2015_gt.txt",
        "Cocaine from Colombia passes through Guatemala and Mexico to the United States.",
        "GTM",
        cocaine(["GTM", "MEX"], origin=("COL",), to=("USA",)),
    ),
    ("incsr-guatemala.txt", "Guatemala is a transit route for cocaine.", "GTM", cocaine(["GTM"])),
    # Honduras: two different Factbook passages; Guatemala is a destination there, not transit.
    *[
        (
            f"factbook_{y}_ho.txt",
            "Honduras is a transit point for cocaine.",
            "HND",
            cocaine(["HND"]),
        )
        for y in (2008, 2010)
    ],
    (
        "factbook_2015_ho.txt",
        "Cocaine from Venezuela is flown to Honduras and then moved by land to Guatemala.",
        "HND",
        cocaine(["HND"], origin=("VEN",), to=("GTM",)),
    ),
    # Guinea-Bissau: one Factbook passage and one INCSR passage.
    (
        "factbook_2010_pu.txt",
        "Guinea-Bissau is a transit hub for cocaine bound for Europe.",
        "GNB",
        cocaine(["GNB"], to=("europe",)),
    ),
    (
        "incsr-guinea-bissau.txt",
        "Cocaine from Brazil passes through Guinea-Bissau to Europe.",
        "GNB",
        cocaine(["GNB"], origin=("BRA",), to=("europe",)),
    ),
]


def people(transit: list[str], origin: tuple[str, ...] = (), to: tuple[str, ...] = ()) -> Flow:
    return Flow("human-trafficking", "people", list(origin), list(transit), list(to))


TRAFFICKING: list[Statement] = [
    *[
        (
            f"factbook_{y}_th.txt",
            "Thailand is a source, transit, and destination country for men, women, and children"
            " subjected to trafficking.",
            "THA",
            people(["THA"]),
        )
        for y in (2008, 2009, 2010, 2011, 2012)
    ],
    (
        "factbook_2008_my.txt",
        "Malaysia is a transit country for women trafficked from Indonesia to Singapore.",
        "MYS",
        people(["MYS"], origin=("IDN",), to=("SGP",)),
    ),
    (
        "factbook_2012_my.txt",
        "Victims from Cambodia transit Malaysia on their way to Australia.",
        "MYS",
        people(["MYS"], origin=("KHM",), to=("AUS",)),
    ),
    ("tip-malaysia.txt", "Malaysia is a transit country for victims.", "MYS", people(["MYS"])),
    (
        "factbook_2010_mx.txt",
        "Central American women transit Mexico to the United States.",
        "MEX",
        people(["MEX"], origin=("central-america",), to=("USA",)),
    ),
    (
        "factbook_2010_np.txt",
        "Nepal is a source country for women trafficked to India.",
        "NPL",
        people([], origin=("NPL",), to=("IND",)),
    ),
]


def ranking(g: Graph, market: str) -> list[tuple[str, int, int]]:
    return [(h.place, h.sources, h.series) for h in hub_ranking(g, market)]


def test_cocaine_hubs_count_each_series_passage_once() -> None:
    g = graph_of(COCAINE)
    assert ranking(g, "cocaine") == [
        ("GTM", 3, 2),
        ("GNB", 2, 2),
        ("HND", 2, 1),
        ("DEU", 1, 1),
        ("FRA", 1, 1),
        ("LVA", 1, 1),
        ("MEX", 1, 1),
    ]
    germany = next(h for h in hub_ranking(g, "cocaine") if h.place == "DEU")
    assert (germany.documents, germany.flows) == (4, 1)  # four editions, one source


def test_human_trafficking_hubs_read_transit_roles_without_legs() -> None:
    g = graph_of(TRAFFICKING)
    assert ranking(g, "human-trafficking") == [("MYS", 3, 2), ("MEX", 1, 1), ("THA", 1, 1)]


def test_top_keeps_the_first_places() -> None:
    g = graph_of(COCAINE)
    assert [h.place for h in hub_ranking(g, "cocaine", top=2)] == ["GTM", "GNB"]


def test_cli_hubs_prints_the_ranking_with_its_sources(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "g.ttl"
    graph_of(TRAFFICKING).serialize(path, format="turtle")
    assert main(["hubs", str(path), "--market", "human-trafficking", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [(h["place"], h["sources"], h["documents"]) for h in data["hubs"]] == [
        ("MYS", 3, 3),
        ("MEX", 1, 1),
        ("THA", 1, 5),
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--market", "plutonium"], "unknown market"),
        (["--market", "cocaine", "--top", "0"], "--top must be at least 1"),
        (["--market", "human-trafficking", "--include-generic"], "for the drug markets"),
    ],
)
def test_cli_hubs_bad_input_is_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, args: list[str], message: str
) -> None:
    path = tmp_path / "g.ttl"
    graph_of(COCAINE).serialize(path, format="turtle")
    status = main(["hubs", str(path), *args])
    err = capsys.readouterr().err
    assert status == 1 and message in err and err.count("\n") == 1
