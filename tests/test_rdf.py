"""Records → RDF: flows with ordered transit and evidence, places, actors, scores, round trips."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from rdflib import Graph, Literal, Node, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import OWL, PROV, RDF, RDFS

from graph import rdf
from graph.errors import CrimegraphError
from graph.namespaces import CG, CGI, CGV, GEO, WD, XSD
from graph.records import Document, DocumentFlows, Facts, Flow, Profile, Rank
from graph.validate import validate

GOLD = Path(__file__).resolve().parent.parent / "data" / "gold" / "kazakhstan-ocindex-2021.json"


# --- a small hand-made gazetteer ------------------------------------------------------------


@dataclass(frozen=True)
class Country:
    iso3: str
    iso2: str
    name: str
    demonyms: list[str]
    region: str
    neighbours: list[str]
    lat: float = 45.0
    lon: float = 70.0
    official_name: str | None = None
    names: list[str] = field(default_factory=list)
    continent: str | None = "Asia"
    wikidata: str | None = None


@dataclass(frozen=True)
class Region:
    slug: str
    name: str
    kind: str = "sub-region"
    parent: str | None = "asia"
    members: list[str] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)


@dataclass
class Gazetteer:
    countries: dict[str, Country]
    regions: dict[str, Region]


WORLD = Gazetteer(
    countries={
        "KAZ": Country("KAZ", "KZ", "Kazakhstan", ["Kazakh", "Kazakhstani"], "central-asia",
                       ["KGZ", "RUS", "CHN"], 48.0, 68.0, "Republic of Kazakhstan",
                       wikidata="Q232"),
        "KGZ": Country("KGZ", "KG", "Kyrgyzstan", ["Kyrgyz"], "central-asia", ["KAZ", "CHN"]),
        "RUS": Country("RUS", "RU", "Russia", ["Russian"], "eastern-europe", ["KAZ", "CHN"],
                       continent="Europe"),
        "CHN": Country("CHN", "CN", "China", ["Chinese"], "eastern-asia", ["KAZ", "KGZ", "RUS"]),
        "AFG": Country("AFG", "AF", "Afghanistan", ["Afghan"], "southern-asia", []),
    },
    regions={
        "asia": Region("asia", "Asia", "continent", None),
        "europe": Region("europe", "Europe", "continent", None),
        "central-asia": Region("central-asia", "Central Asia", members=["KAZ", "KGZ"]),
        "eastern-asia": Region("eastern-asia", "Eastern Asia", members=["CHN"]),
        "southern-asia": Region("southern-asia", "Southern Asia", members=["AFG"]),
        "eastern-europe": Region("eastern-europe", "Eastern Europe", parent="europe",
                                 members=["RUS"]),
    },
)  # fmt: skip

DOC = Document("kaz.txt", "profile", "", subject="KAZ", title="Kazakhstan", year=2021,
               edition="2021", publisher="GI-TOC")  # fmt: skip

HEROIN = Flow(
    "heroin-trade", "heroin", ["AFG"], ["KAZ"], ["RUS"], route="northern route",
    evidence="Kazakhstan is a key transit country on the so-called 'northern route'.",
    span=(100, 171),
)  # fmt: skip


def build(*flows: Flow, subject: str | None = "KAZ", reference: bool = True) -> Graph:
    """A graph of DOC holding ``flows`` (and the small world as reference)."""
    g = rdf.new_graph()
    if reference:
        rdf.add_reference(g, WORLD)
    doc = rdf.add_document(g, DOC)
    rdf.add_flows(g, DocumentFlows(DOC.name, subject, list(flows)), doc, gazetteer=WORLD)
    return g


def only(g: Graph, s: Node | None, p: URIRef) -> Node:
    """The one object of ``(s, p, ?)``."""
    values = list(g.objects(s, p))
    assert len(values) == 1, values
    return values[0]


def value(g: Graph, s: Node | None, p: URIRef) -> Any:
    """The one literal object of ``(s, p, ?)`` as a Python value."""
    literal = only(g, s, p)
    assert isinstance(literal, Literal)
    return literal.toPython()


# --- IRIs -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "iri"),
    [
        (lambda: rdf.country_iri("KAZ"), CGI["country/KAZ"]),
        (lambda: rdf.region_iri("central-asia"), CGI["region/central-asia"]),
        (lambda: rdf.place_iri("RUS"), CGI["country/RUS"]),
        (lambda: rdf.place_iri("middle-east"), CGI["region/middle-east"]),
        (lambda: rdf.market_iri("drug-trade"), CGV["drug-trade"]),
        (lambda: rdf.document_iri("a b.txt"), CGI["document/a%20b.txt"]),
    ],
)
def test_iris_follow_the_documented_scheme(call: object, iri: URIRef) -> None:
    assert call() == iri  # type: ignore[operator]


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: rdf.country_iri("kaz"), "not an ISO3 country code"),
        (lambda: rdf.place_iri("Kazakhstan"), "not a region slug"),
        (lambda: rdf.market_iri("heroin"), "unknown market 'heroin'"),
    ],
)
def test_bad_codes_raise_a_one_line_error(call: object, message: str) -> None:
    with pytest.raises(CrimegraphError, match=message):
        call()  # type: ignore[operator]


# --- flows ------------------------------------------------------------------------------------


def test_a_transit_flow_is_one_flow_node_with_ordered_stages_and_evidence() -> None:
    g = build(HEROIN)
    [flow] = g.subjects(RDF.type, CG.Flow)
    doc = rdf.document_iri("kaz.txt")
    assert only(g, flow, CG.market) == CGV["heroin-trade"]
    assert only(g, flow, CG.origin) == CGI["country/AFG"]
    assert only(g, flow, CG.destination) == CGI["country/RUS"]
    stage = only(g, flow, CG.transit)
    assert value(g, stage, CG.position) == 1
    assert only(g, stage, CG.stagePlace) == CGI["country/KAZ"]
    evidence = only(g, flow, CG.evidence)
    assert value(g, evidence, CG.text).startswith("Kazakhstan is a key transit")
    assert (value(g, evidence, CG.start), value(g, evidence, CG.end)) == (100, 171)
    assert only(g, evidence, PROV.wasQuotedFrom) == doc
    assert only(g, flow, PROV.wasDerivedFrom) == doc
    route = only(g, flow, CG.route)
    assert value(g, route, RDFS.label) == "northern route"
    commodity = only(g, flow, CG.commodity)
    assert commodity == CGI["commodity/heroin"]
    assert only(g, commodity, CG.market) == CGV["heroin-trade"]


def test_a_transit_stage_may_hold_alternatives() -> None:
    flow = Flow("human-smuggling", "migrants", [], [["TJK", "KGZ"], "KAZ"], ["RUS"], evidence="…")
    g = build(flow)
    stages = {
        value(g, s, CG.position): {str(p).rsplit("/", 1)[-1] for p in g.objects(s, CG.stagePlace)}
        for s in g.objects(None, CG.transit)
    }
    assert stages == {1: {"TJK", "KGZ"}, 2: {"KAZ"}}


def test_flow_iris_are_deterministic_and_depend_on_what_is_stated_not_where() -> None:
    assert set(build(HEROIN)) == set(build(HEROIN))
    moved = Flow(**{**HEROIN.__dict__, "span": (200, 271), "evidence": "Elsewhere."})
    assert rdf.flow_iri(HEROIN) == rdf.flow_iri(moved)
    elsewhere = Flow(**{**HEROIN.__dict__, "destination": ["CHN"]})
    assert rdf.flow_iri(HEROIN) != rdf.flow_iri(elsewhere)


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("Chu Valley", CG.Valley),
        ("Chu (Shu) River", CG.River),
        ("Almaty city", CG.City),
        ("Ural-Caspian region", CG.SubnationalPlace),
    ],
)
def test_named_places_are_typed_by_their_last_word_and_tied_to_the_subject(
    name: str, kind: URIRef
) -> None:
    flow = Flow("cannabis-trade", "cannabis", ["KAZ"], [], ["RUS"], places=[name], evidence="…")
    g = build(flow)
    place = only(g, None, CG.namedPlace)
    assert (place, RDF.type, kind) in g
    assert only(g, place, CG.locatedIn) == CGI["country/KAZ"]


def test_without_a_subject_a_place_is_tied_to_the_flows_only_country() -> None:
    flow = Flow("cannabis-trade", "cannabis", ["KGZ"], [], ["central-asia"], places=["Chu Valley"],
                evidence="…")  # fmt: skip
    g = build(flow, subject=None)
    assert only(g, CGI["place/chu-valley"], CG.locatedIn) == CGI["country/KGZ"]


def test_a_checkpoint_on_the_flows_one_cross_border_leg_sits_on_that_border() -> None:
    fuel = Flow("non-renewable-resource-crimes", "fuel", ["KAZ"], [], ["KGZ"],
                checkpoints=["Chaldybar–Avtodorozhny"], evidence="…")  # fmt: skip
    g = build(fuel)
    checkpoint = CGI["checkpoint/chaldybar-avtodorozhny"]
    assert (checkpoint, RDF.type, CG.BorderCheckpoint) in g
    assert set(g.objects(checkpoint, CG.onBorderOf)) == {CGI["country/KAZ"], CGI["country/KGZ"]}


def test_a_checkpoint_of_a_flow_with_several_borders_is_tied_to_the_subject() -> None:
    fuel = Flow("non-renewable-resource-crimes", "fuel", ["KAZ", "RUS"], [], ["KGZ"],
                checkpoints=["Kaindy–Avtodorozhny"], evidence="…")  # fmt: skip
    g = build(fuel)
    checkpoint = CGI["checkpoint/kaindy-avtodorozhny"]
    assert list(g.objects(checkpoint, CG.onBorderOf)) == []
    assert only(g, checkpoint, CG.locatedIn) == CGI["country/KAZ"]


@pytest.mark.parametrize(
    ("actor", "types"),
    [
        ("state officials", {"state-embedded-actors"}),
        ("Chinese Triads", {"mafia-style-groups", "foreign-actors"}),
        ("Kazakhstani companies", {"private-sector-actors"}),
        ("Kyrgyz nationals", {"foreign-actors"}),
        ("smuggling networks", {"criminal-networks"}),
        ("Criminal communities", set()),
    ],
)
def test_actor_types_come_from_the_cue_table_and_foreign_demonyms(
    actor: str, types: set[str]
) -> None:
    flow = Flow("synthetic-drug-trade", "drugs", ["CHN"], ["KAZ"], [], actors=[actor], evidence="…")
    g = build(flow)
    node = only(g, None, CG.actor)
    assert value(g, node, RDFS.label) == actor
    assert {str(t).removeprefix(str(CGV)) for t in g.objects(node, CG.actorType)} == types


# --- reference, documents, profiles ---------------------------------------------------------


def test_reference_adds_countries_regions_borders_and_positions() -> None:
    g = rdf.new_graph()
    rdf.add_reference(g, WORLD)
    kaz, kgz = CGI["country/KAZ"], CGI["country/KGZ"]
    assert (kaz, CG.borders, kgz) in g and (kgz, CG.borders, kaz) in g
    assert (kaz, CG.locatedIn, CGI["region/central-asia"]) in g
    assert (kaz, CG.locatedIn, CGI["region/asia"]) in g
    assert (CGI["region/eastern-europe"], CG.locatedIn, CGI["region/europe"]) in g
    assert (kaz, OWL.sameAs, WD.Q232) in g
    assert value(g, kaz, GEO.lat) == Decimal("48.0")
    assert value(g, kaz, CG.iso2) == "KZ"


def test_reference_limited_to_some_countries_keeps_borders_among_them() -> None:
    g = rdf.new_graph()
    rdf.add_reference(g, WORLD, ["KAZ", "AFG"])
    assert set(g.subjects(RDF.type, CG.Country)) == {CGI["country/KAZ"], CGI["country/AFG"]}
    assert list(g.objects(None, CG.borders)) == []
    with pytest.raises(CrimegraphError, match="unknown country code"):
        rdf.add_reference(g, WORLD, ["XXX"])


PROFILE = Profile(
    document="kaz.txt", country="Kazakhstan", iso3="KAZ", edition=2023,
    facts=Facts(capital="Astana", population=18513673, area_km2=2724902.0,
                geography_type="Landlocked"),
    scores={"criminality": 4.47, "heroin-trade": 6.5, "financial-crimes": 5.0},
    changes={"criminality": 0.21, "heroin-trade": 0.0, "financial-crimes": None},
    ranks={"criminality": {"global": Rank(127, 193, "countries", 6),
                           "region": Rank(5, 8, "Central Asia and the Caucasus", 1)}},
)  # fmt: skip


def test_a_profile_gives_score_observations_ranks_and_facts() -> None:
    g = rdf.new_graph()
    rdf.add_reference(g, WORLD)
    rdf.add_profile(g, PROFILE, rdf.add_document(g, DOC))
    heroin = CGI["observation/KAZ-2023-heroin-trade"]
    assert only(g, heroin, CG.indicator) == CGV["heroin-trade"]
    assert only(g, heroin, CG.value) == Literal("6.5", datatype=XSD.decimal)
    assert value(g, heroin, CG.change) == 0
    assert list(g.objects(CGI["observation/KAZ-2023-financial-crimes"], CG.change)) == []
    rank = CGI["rank/KAZ-2023-criminality-global"]
    assert (value(g, rank, CG.rankPosition), value(g, rank, CG.outOf)) == (127, 193)
    assert value(g, CGI["facts/KAZ-2023"], CG.capital) == "Astana"
    assert validate(g).conforms


def test_a_profile_with_an_unknown_indicator_is_refused() -> None:
    bad = Profile("kaz.txt", "Kazakhstan", "KAZ", 2023, scores={"opium": 5.0})
    with pytest.raises(CrimegraphError, match="unknown indicator 'opium'"):
        rdf.add_profile(rdf.new_graph(), bad, rdf.document_iri("kaz.txt"))


# --- conformance, round trips, the gold file ----------------------------------------------


def gold_flows() -> DocumentFlows:
    return DocumentFlows.from_dict(json.loads(GOLD.read_text(encoding="utf-8")))


def test_a_hand_made_graph_conforms_to_the_shapes() -> None:
    fuel = Flow("non-renewable-resource-crimes", "fuel", ["KAZ"], [], ["KGZ"], mode=["rail"],
                checkpoints=["Kaindy–Avtodorozhny"], places=["Chu (Shu) River"],
                actors=["Kyrgyz nationals"], evidence="Fuel is smuggled.", span=(5, 22),
                hedge="historically")  # fmt: skip
    result = validate(build(HEROIN, fuel))
    assert result.conforms, result.text
    assert result.violations == []


def test_the_gold_annotation_of_the_2021_profile_conforms() -> None:
    gold = gold_flows()
    g = rdf.new_graph()
    doc = rdf.add_document(g, Document(gold.document, "profile", "", subject=gold.subject))
    assert len(rdf.add_flows(g, gold, doc)) == len(gold.flows)
    result = validate(g)
    assert result.conforms, result.text


def _normalised(flows: list[Flow]) -> list[str]:
    out = []
    for f in flows:
        d = f.to_dict()
        for key in ("origin", "destination", "mode", "checkpoints", "places", "actors"):
            d[key] = sorted(d[key])
        d["transit"] = [s if isinstance(s, str) else sorted(s) for s in d["transit"]]
        out.append(json.dumps(d, sort_keys=True, ensure_ascii=False))
    return sorted(out)


def test_flows_read_back_from_the_graph_equal_the_records() -> None:
    gold = gold_flows()
    g = rdf.new_graph()
    rdf.add_flows(g, gold, rdf.add_document(g, Document(gold.document, "profile", "", "KAZ")))
    [back] = rdf.flows_from_graph(g)
    assert (back.document, back.subject) == (gold.document, "KAZ")
    assert _normalised(back.flows) == _normalised(gold.flows)


@pytest.mark.parametrize("fmt", ["turtle", "json-ld", "nt", "xml"])
def test_serialisations_round_trip_every_triple(fmt: str) -> None:
    g = build(HEROIN, *gold_flows().flows)
    rdf.add_profile(g, PROFILE, rdf.document_iri(DOC.name))
    again = Graph().parse(data=g.serialize(format=fmt), format=fmt)
    assert len(again) == len(g)
    assert isomorphic(again, g)


def test_counts_report_documents_flows_legs_and_observations() -> None:
    g = build(HEROIN)
    rdf.add_profile(g, PROFILE, rdf.document_iri(DOC.name))
    counts = rdf.counts(g)
    assert {k: counts[k] for k in ("documents", "flows", "legs", "observations")} == {
        "documents": 1, "flows": 1, "legs": 2, "observations": 3,
    }  # fmt: skip
    assert counts["countries"] == 3 and counts["triples"] == len(g)


# --- the whole build, with the bundled gazetteer ----------------------------------------------


def gold_profile(name: str) -> Profile:
    data = json.loads((GOLD.parent / name).read_text(encoding="utf-8"))
    return Profile(**data)


def test_the_built_graph_of_both_profiles_and_the_gold_flows_conforms() -> None:
    profiles = [gold_profile("kazakhstan-ocindex-2021.profile.json"),
                gold_profile("kazakhstan-ocindex-2023-layout.profile.json")]  # fmt: skip
    documents = [Document(p.document, "profile", "", subject="KAZ", year=p.edition)
                 for p in profiles]  # fmt: skip
    g = rdf.build_graph(documents, profiles, [gold_flows()])
    result = validate(g)
    assert result.conforms, [str(v) for v in result.violations]
    kaz, kgz = CGI["country/KAZ"], CGI["country/KGZ"]
    assert (kaz, CG.borders, kgz) in g and (kgz, CG.borders, kaz) in g
    assert (kaz, CG.locatedIn, CGI["region/central-asia"]) in g
    assert (CGV["heroin-trade"], RDF.type, CG.CriminalMarket) in g  # the vocabulary is included
    counts = rdf.counts(g)
    assert counts["flows"] == len(gold_flows().flows)
    assert counts["observations"] == 30 + 36
    assert set(rdf.build_graph(documents, profiles, [gold_flows()])) == set(g)
