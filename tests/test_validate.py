"""SHACL validation: a well-formed graph conforms; each kind of broken record is named."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF

from graph import rdf
from graph.namespaces import CG, CGI, CGV, XSD
from graph.records import Document, DocumentFlows, Flow, Profile, Rank
from graph.validate import ValidationResult, validate

DOC = Document("kaz.txt", "profile", "", subject="KAZ", year=2021)
FLOWS = [
    Flow("heroin-trade", "heroin", ["AFG"], ["KAZ"], ["RUS"], evidence="Heroin transits.",
         span=(0, 16)),
    Flow("non-renewable-resource-crimes", "fuel", ["KAZ"], [], ["KGZ"], mode=["rail"],
         checkpoints=["Kaindy–Avtodorozhny"], places=["Chu Valley"], evidence="Fuel moves.",
         span=(17, 28)),
]  # fmt: skip
PROFILE = Profile("kaz.txt", "Kazakhstan", "KAZ", 2021, scores={"heroin-trade": 6.5},
                  ranks={"criminality": {"global": Rank(133, 193, "countries")}})  # fmt: skip

HEROIN = rdf.flow_iri(FLOWS[0])
FUEL = rdf.flow_iri(FLOWS[1])
OBSERVATION = CGI["observation/KAZ-2021-heroin-trade"]
RANK = CGI["rank/KAZ-2021-criminality-global"]
KAZ = CGI["country/KAZ"]


def well_formed() -> Graph:
    """A graph of two flows and a profile, built from records without reference data."""
    g = rdf.new_graph()
    doc = rdf.add_document(g, DOC)
    rdf.add_flows(g, DocumentFlows("kaz.txt", "KAZ", FLOWS), doc)
    rdf.add_profile(g, PROFILE, doc)
    return g


def evidence(g: Graph, flow: URIRef) -> URIRef:
    node = g.value(flow, CG.evidence)
    assert isinstance(node, URIRef)
    return node


def test_a_well_formed_graph_conforms() -> None:
    result = validate(well_formed())
    assert result.conforms, result.text
    assert result.violations == []
    assert "Conforms: True" in result.text
    assert isinstance(result.report_graph, Graph)


def _replace(g: Graph, s: URIRef, p: URIRef, o: Literal | URIRef) -> None:
    g.set((s, p, o))


def _second_stage_at(g: Graph, flow: URIRef, position: int) -> None:
    """Give ``flow`` another transit stage at a position it already uses."""
    stage = URIRef(f"{flow}-stage-extra")
    g.add((flow, CG.transit, stage))
    g.add((stage, RDF.type, CG.TransitStage))
    g.add((stage, CG.position, Literal(position, datatype=XSD.integer)))
    g.add((stage, CG.stagePlace, KAZ))


#: A mutation of the well-formed graph, the property path named and a part of the message.
BROKEN: list[tuple[str, Callable[[Graph], object], str | None, str]] = [
    ("no market", lambda g: g.remove((HEROIN, CG.market, None)), "cg:market",
     "exactly one market"),
    ("two markets", lambda g: g.add((HEROIN, CG.market, CGV["cocaine-trade"])), "cg:market",
     "exactly one market"),
    ("a score as market", lambda g: _replace(g, HEROIN, CG.market, CGV.resilience), "cg:market",
     "exactly one market"),
    ("no place", lambda g: [g.remove((HEROIN, p, None))
                            for p in (CG.origin, CG.destination, CG.transit)],
     "(cg:origin|cg:destination|cg:transit/cg:stagePlace)", "at least one place"),
    ("no document", lambda g: g.remove((HEROIN, PROV.wasDerivedFrom, None)),
     "prov:wasDerivedFrom", "derived from a source document"),
    ("no evidence", lambda g: g.remove((HEROIN, CG.evidence, None)), "cg:evidence",
     "at least one evidence"),
    ("empty evidence", lambda g: _replace(g, evidence(g, HEROIN), CG.text, Literal("  ")),
     "cg:text", "non-empty text"),
    ("span backwards", lambda g: _replace(g, evidence(g, HEROIN), CG.start,
                                          Literal(40, datatype=XSD.integer)),
     "cg:start", "no greater than its end"),
    ("negative span", lambda g: _replace(g, evidence(g, HEROIN), CG.start, Literal(-3)),
     "cg:start", "non-negative integer"),
    ("half a span", lambda g: g.remove((evidence(g, HEROIN), CG.end, None)), None,
     "both a start and an end"),
    ("unknown mode", lambda g: g.add((FUEL, CG.mode, Literal("car"))), "cg:mode",
     "one of land, road"),
    ("stages share a position", lambda g: _second_stage_at(g, HEROIN, 1), None,
     "share position 1"),
    ("untied checkpoint", lambda g: g.remove((None, CG.onBorderOf, None)),
     "(cg:onBorderOf|cg:locatedIn)", "tied to a country"),
    ("score 11", lambda g: _replace(g, OBSERVATION, CG.value, Literal("11", datatype=XSD.decimal)),
     "cg:value", "from 1 to 10"),
    ("score as text", lambda g: _replace(g, OBSERVATION, CG.value, Literal("6.5")), "cg:value",
     "from 1 to 10"),
    ("two countries", lambda g: g.add((OBSERVATION, CG.country, CGI["country/KGZ"])),
     "cg:country", "exactly one country"),
    ("no edition", lambda g: g.remove((OBSERVATION, CG.edition, None)), "cg:edition",
     "exactly one edition"),
    ("market not in that edition", lambda g: _replace(g, OBSERVATION, CG.indicator,
                                                      CGV["financial-crimes"]), None,
     "not scored in the 2021 edition"),
    ("rank past the end", lambda g: _replace(g, RANK, CG.rankPosition,
                                             Literal(200, datatype=XSD.integer)),
     "cg:rankPosition", "no greater than the number ranked"),
    ("lower-case ISO3", lambda g: _replace(g, KAZ, CG.iso3, Literal("Kaz")), "cg:iso3",
     "three capital letters"),
    ("unknown document kind", lambda g: _replace(g, rdf.document_iri("kaz.txt"),
                                                 CG.documentKind, Literal("memo")),
     "cg:documentKind", "profile, report or dataset"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("mutate", "path", "message"), [case[1:] for case in BROKEN], ids=[c[0] for c in BROKEN]
)
def test_a_broken_graph_does_not_conform_and_names_the_violation(
    mutate: Callable[[Graph], object], path: str | None, message: str
) -> None:
    g = well_formed()
    mutate(g)
    result = validate(g)
    assert not result.conforms
    named = [(v.path, v.message) for v in result.violations if message in v.message]
    assert named, [str(v) for v in result.violations]
    assert path in {p for p, _ in named}


def test_violations_read_as_focus_path_and_message() -> None:
    g = well_formed()
    g.remove((HEROIN, CG.market, None))
    [violation] = validate(g).violations
    assert violation.focus == "cgi:" + str(HEROIN).removeprefix(str(CGI))
    assert str(violation).startswith(f"Violation: {violation.focus} cg:market: a flow has")


def test_a_place_outside_any_country_is_a_warning_only() -> None:
    g = rdf.new_graph()
    doc = rdf.add_document(g, Document("r.txt", "report", ""))
    flow = Flow("cannabis-trade", "cannabis", ["central-asia"], [], ["europe"],
                places=["Chu Valley"], evidence="Cannabis moves.")  # fmt: skip
    rdf.add_flows(g, DocumentFlows("r.txt", None, [flow]), doc)
    result: ValidationResult = validate(g)
    assert result.conforms
    assert [w.focus for w in result.warnings if "sub-national" in w.message] == [
        "cgi:place/chu-valley"
    ]
