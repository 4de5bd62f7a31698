"""A country's land neighbours: flows across each border, checkpoints, scores side by side, and
the countries further away with their implied transit."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from rdflib import Graph

from graph.cli import main
from graph.errors import CrimegraphError
from graph.neighbours import NeighbourReport, ScorePair, neighbours
from graph.rdf import build_graph
from graph.records import Document, DocumentFlows, Flow, Profile

CHECKPOINTS = ("Chaldybar–Avtodorozhny", "Kaindy–Avtodorozhny")


@pytest.fixture(scope="module")
def kaz(gold_build: Any) -> NeighbourReport:
    return neighbours(gold_build.graph, "KAZ")


def test_the_land_neighbours_of_kazakhstan_come_from_the_reference_data(
    kaz: NeighbourReport,
) -> None:
    assert [n.iso3 for n in kaz.neighbours] == ["CHN", "KGZ", "RUS", "TKM", "UZB"]
    assert (kaz.iso3, kaz.name) == ("KAZ", "Kazakhstan")


def test_fuel_flows_into_kyrgyzstan_across_both_named_checkpoints(kaz: NeighbourReport) -> None:
    kgz = kaz.neighbour("KGZ")
    assert kgz.checkpoints == CHECKPOINTS
    [fuel] = [c for c in kgz.outgoing if c.market == "non-renewable-resource-crimes"]
    assert (fuel.source, fuel.target, fuel.checkpoints) == ("KAZ", "KGZ", CHECKPOINTS)
    assert sorted(s.commodity for s in fuel.statements) == ["fuel", "fuel", "fuel and lubricants"]


@pytest.mark.parametrize(
    ("neighbour", "outgoing", "incoming"),
    [
        ("KGZ", ["non-renewable-resource-crimes"], ["human-smuggling", "human-trafficking"]),
        ("TKM", [], ["human-smuggling", "human-trafficking"]),
        (
            "RUS",
            ["cannabis-trade", "heroin-trade", "human-smuggling", "human-trafficking"],
            ["arms-trafficking", "non-renewable-resource-crimes", "synthetic-drug-trade"],
        ),
    ],
)
def test_flows_across_each_border_in_each_direction_by_market(
    kaz: NeighbourReport, neighbour: str, outgoing: list[str], incoming: list[str]
) -> None:
    n = kaz.neighbour(neighbour)
    assert [c.market for c in n.outgoing] == outgoing
    assert [c.market for c in n.incoming] == incoming
    assert all((c.source, c.target) == ("KAZ", neighbour) for c in n.outgoing)
    assert all((c.source, c.target) == (neighbour, "KAZ") for c in n.incoming)


def test_legs_from_afghanistan_are_first_suggested_direct_never_through_china(
    kaz: NeighbourReport,
) -> None:
    [afg] = [p for p in kaz.distant if p.iso3 == "AFG"]
    assert [c.market for c in afg.incoming] == ["arms-trafficking", "heroin-trade"]
    assert afg.outgoing == ()
    assert afg.implied.suggestions[0].kind == "direct" and afg.implied.inferred
    assert "CHN" not in afg.implied.countries
    assert all(s.reason for s in afg.implied.suggestions)


def test_distant_partners_are_never_neighbours_and_islands_have_no_land_path(
    kaz: NeighbourReport,
) -> None:
    near = {n.iso3 for n in kaz.neighbours}
    assert not near & {p.iso3 for p in kaz.distant}
    usa = next(p for p in kaz.distant if p.iso3 == "USA")
    assert (usa.implied.chains, usa.implied.total) == ((), 0)


def test_an_unknown_country_is_a_one_line_error(gold_build: Any) -> None:
    with pytest.raises(CrimegraphError, match="unknown country: 'Atlantis'"):
        neighbours(gold_build.graph, "Atlantis")


def _profile(iso3: str, country: str, scores: dict[str, float]) -> Profile:
    return Profile(f"{iso3.lower()}.txt", country, iso3, 2023, scores=scores)


def test_both_countries_scores_stand_side_by_side() -> None:
    flow = Flow("heroin-trade", "heroin", ["KAZ"], [], ["KGZ"], evidence="x")
    g = build_graph(
        [Document("d.txt", "report", "x")],
        [
            _profile("KAZ", "Kazakhstan", {"criminality": 4.47, "heroin-trade": 6.5}),
            _profile("KGZ", "Kyrgyzstan", {"criminality": 6.0, "cocaine-trade": 3.0}),
        ],
        [DocumentFlows("d.txt", None, [flow])],
    )
    kgz = neighbours(g, "KAZ").neighbour("KGZ")
    assert kgz.scores == (
        ScorePair("criminality", 2023, 4.47, 6.0),
        ScorePair("heroin-trade", 2023, 6.5, None),
        ScorePair("cocaine-trade", 2023, None, 3.0),
    )


# --- command line -------------------------------------------------------------------------------


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_cli_neighbours_of_kazakhstan(
    capsys: pytest.CaptureFixture[str], seed_build_dir: Path
) -> None:
    status, out, _ = run(capsys, "neighbours", str(seed_build_dir), "KAZ", "--evidence")
    assert status == 0
    assert out.splitlines()[0] == "Kazakhstan (KAZ): 5 land neighbours: CHN, KGZ, RUS, TKM, UZB"
    assert f"checkpoints on the KAZ-KGZ border: {', '.join(CHECKPOINTS)}" in out
    kgz_row = next(line for line in out.splitlines() if line.startswith("KAZ → KGZ"))
    assert "non-renewable-resource-crimes" in kgz_row and all(c in kgz_row for c in CHECKPOINTS)
    assert "Afghanistan (AFG): implied transit (inferred, not stated):" in out
    assert "direct [confidence" in out and "via CHN" not in out


def test_cli_neighbours_as_json(capsys: pytest.CaptureFixture[str], seed_build_dir: Path) -> None:
    status, out, _ = run(
        capsys, "neighbours", str(seed_build_dir), "Kazakhstan", "--format", "json"
    )
    data = json.loads(out)
    assert status == 0
    assert [n["iso3"] for n in data["neighbours"]] == ["CHN", "KGZ", "RUS", "TKM", "UZB"]
    kgz = data["neighbours"][1]
    assert kgz["checkpoints"] == list(CHECKPOINTS)


def test_cli_unknown_country_exits_non_zero_with_one_line(
    capsys: pytest.CaptureFixture[str], seed_build_dir: Path
) -> None:
    status, out, err = run(capsys, "neighbours", str(seed_build_dir), "XYZ")
    assert (status, out) == (1, "") and "unknown country" in err and err.count("\n") == 1


def test_a_graph_without_the_country_has_no_neighbours_to_show() -> None:
    g = Graph()
    report = neighbours(g, "KAZ")
    assert (report.neighbours, report.distant, report.name) == ((), (), "KAZ")
