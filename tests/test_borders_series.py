"""Checkpoints on the border their text names, and passages repeated across editions."""

from __future__ import annotations

from dataclasses import replace

from rdflib import Graph
from rdflib.namespace import RDF

from graph.namespaces import CG, CGI
from graph.neighbours import neighbours
from graph.places import load_gazetteer
from graph.rdf import build_graph, named_iri
from graph.records import Document, DocumentFlows, Flow
from graph.series import near_same, series_of

from .conftest import SEED

CHECKPOINTS = ("Chaldybar–Avtodorozhny", "Kaindy–Avtodorozhny")
SENTENCE = (
    "The Chaldybar–Avtodorozhny and Kaindy–Avtodorozhny checkpoints on the Kazakh-Kyrgyz border"
    " have been flagged as the main transit points for smuggled fuel."
)


def fuel_graph(text: str) -> Graph:
    """Fuel from Kazakhstan and Russia into Kyrgyzstan: two cross-border legs, so the flow's
    legs alone cannot say which border the checkpoints are on."""
    flow = Flow(
        "non-renewable-resource-crimes",
        "fuel",
        ["KAZ", "RUS"],
        [],
        ["KGZ"],
        checkpoints=list(CHECKPOINTS),
        evidence="Kazakhstani and Russian fuel is smuggled into Kyrgyzstan.",
    )
    doc = Document("k.txt", "report", text, subject="KAZ")
    return build_graph([doc], [], [DocumentFlows("k.txt", "KAZ", [flow])])


def test_neighbours_places_both_checkpoints_on_the_kaz_kgz_border() -> None:
    g = fuel_graph("Kazakhstan. " + SENTENCE + " Kazakhstani and Russian fuel is smuggled.")
    assert neighbours(g, "KAZ").neighbour("KGZ").checkpoints == CHECKPOINTS
    for name in CHECKPOINTS:
        iri = named_iri("checkpoint", name)
        assert set(g.objects(iri, CG.onBorderOf)) == {CGI["country/KAZ"], CGI["country/KGZ"]}
        assert list(g.objects(iri, CG.locatedIn)) == []


def test_a_checkpoint_whose_border_the_text_does_not_name_stays_in_its_country() -> None:
    g = fuel_graph("Kazakhstan. The checkpoints Chaldybar–Avtodorozhny and Kaindy–Avtodorozhny.")
    assert neighbours(g, "KAZ").neighbour("KGZ").checkpoints == ()
    iri = named_iri("checkpoint", CHECKPOINTS[0])
    assert set(g.objects(iri, CG.locatedIn)) == {CGI["country/KAZ"]}


def test_the_kazakhstan_profile_names_the_border_of_both_checkpoints() -> None:
    from graph.borders import stated_border

    text = SEED.read_text(encoding="utf-8")
    for name in CHECKPOINTS:
        assert stated_border(text, name, load_gazetteer(), "KAZ") == ("KAZ", "KGZ")


def test_editions_of_one_series_share_a_passage_other_series_do_not() -> None:
    text = "Kazakhstan is a waypoint for heroin from Afghanistan bound for Russia."
    flow = Flow("heroin-trade", "heroin", ["AFG"], ["KAZ"], ["RUS"])
    names = ["factbook_2008_kz.txt", "factbook_2010_kz.txt", "incsr-kazakhstan.txt"]
    words = [text, text.replace(".", " (2010)."), text]
    docs = [
        Document(n, "report", w, subject="KAZ", year=y)
        for n, w, y in zip(names, words, (2008, 2010, 2020), strict=True)
    ]
    records = [
        DocumentFlows(n, "KAZ", [replace(flow, evidence=w)])
        for n, w in zip(names, words, strict=True)
    ]
    g = build_graph(docs, [], records)
    passages = {g.value(ev, CG.passage) for ev in g.subjects(RDF.type, CG.Evidence)}
    assert len(passages) == 2
    factbook = next(p for p in passages if len(set(g.objects(p, CG.repeatedIn))) == 2)
    assert sorted(int(y) for y in g.objects(factbook, CG.repeatedIn)) == [2008, 2010]
    assert series_of(names[0]).slug == "cia-world-factbook"
    assert series_of(names[2]).slug == "incsr"


def test_near_same_sets_aside_figures_and_punctuation_not_places() -> None:
    assert near_same("Heroin moves to Russia (2008).", "heroin moves to Russia")
    assert not near_same("Heroin moves to Russia.", "Cocaine moves to Spain.")


def _positions(g: Graph) -> dict[str, tuple[float, float]]:
    from graph.draw import draw

    return {n["id"]: (n["x"], n["y"]) for n in draw(g).nodes}  # a world map, not focused


def _distance(a: tuple[float, float], b: tuple[float, float]) -> float:
    return float(((a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2) ** 0.5)


def test_the_map_draws_checkpoints_between_their_two_countries() -> None:
    at = _positions(fuel_graph("Kazakhstan. " + SENTENCE))
    middle = ((at["KAZ"][0] + at["KGZ"][0]) / 2, (at["KAZ"][1] + at["KGZ"][1]) / 2)
    for name in ("checkpoint:chaldybar-avtodorozhny", "checkpoint:kaindy-avtodorozhny"):
        assert (
            _distance(at[name], middle) < 250
        )  # a label's width away at most; the edge is 800 px off


def test_the_map_draws_places_with_no_named_border_at_their_country_not_at_the_edge() -> None:
    at = _positions(fuel_graph("Kazakhstan. The checkpoints Chaldybar–Avtodorozhny and more."))
    assert (
        _distance(at["checkpoint:chaldybar-avtodorozhny"], at["KAZ"]) < 250
    )  # a label's width away at most; the edge is 800 px off
    flow = Flow(
        "cannabis-trade",
        "cannabis",
        ["KAZ"],
        [],
        ["RUS"],
        places=["Almaty", "Atlantis Valley"],
        evidence="Cannabis grows near Almaty and in the Atlantis Valley.",
    )
    g = build_graph(
        [Document("v.txt", "report", flow.evidence, subject="KAZ")],
        [],
        [DocumentFlows("v.txt", "KAZ", [flow])],
    )
    at = _positions(g)
    assert (
        _distance(at["subnational:atlantis-valley"], at["KAZ"]) < 250
    )  # a label's width away at most; the edge is 800 px off
    assert (
        _distance(at["subnational:almaty"], at["KGZ"] if "KGZ" in at else at["KAZ"]) < 250
    )  # a label's width away at most; the edge is 800 px off
