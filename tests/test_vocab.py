"""The Index vocabulary: counts per edition, labels, definitions, the drug-trade hierarchy."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from graph import rdf, vocab
from graph.errors import CrimegraphError
from graph.namespaces import CG, SHAPES_PATH, VOCABULARY_PATH
from graph.records import Document, DocumentFlows, Facts, Flow, Profile, Rank
from graph.vocab import by_label, indicator, indicators, market_slugs, markets

DOCUMENTS = Path(__file__).resolve().parent.parent / "data" / "documents"
PROFILES = {
    2021: DOCUMENTS / "kazakhstan-ocindex-2021.txt",
    2023: DOCUMENTS / "kazakhstan-ocindex-2023-layout.txt",
}

#: The market slugs of spec/flows.md.
SPEC_MARKETS = {
    "human-trafficking", "human-smuggling", "extortion-and-protection-racketeering",
    "arms-trafficking", "trade-in-counterfeit-goods", "illicit-trade-in-excisable-goods",
    "flora-crimes", "fauna-crimes", "non-renewable-resource-crimes", "heroin-trade",
    "cocaine-trade", "cannabis-trade", "synthetic-drug-trade", "cyber-dependent-crimes",
    "financial-crimes",
}  # fmt: skip


@pytest.mark.parametrize(
    ("edition", "expected"),
    [
        (2021, {"aggregate": 4, "market": 10, "actor": 4, "resilience": 12}),
        (2023, {"aggregate": 4, "market": 15, "actor": 5, "resilience": 12}),
    ],
)
def test_each_edition_has_the_indexs_number_of_indicators(
    edition: int, expected: dict[str, int]
) -> None:
    assert Counter(i.group for i in indicators(edition)) == expected


def test_market_slugs_are_those_of_the_flow_spec_plus_drug_trade() -> None:
    assert {m.slug for m in markets(2023)} == SPEC_MARKETS
    assert market_slugs() == SPEC_MARKETS | {"drug-trade"}
    assert {m.slug for m in markets(None)} == SPEC_MARKETS
    assert {m.slug for m in markets(2021)} < SPEC_MARKETS


@pytest.mark.parametrize("edition", [2021, 2023])
def test_indicators_follow_the_order_the_profile_prints_them(edition: int) -> None:
    text = PROFILES[edition].read_text(encoding="utf-8")
    lines = [line.strip() for line in text.splitlines()]
    positions = [lines.index(i.label) for i in indicators(edition) if i.label in lines]
    assert positions == sorted(positions)
    assert len(positions) == len(indicators(edition)) - 2  # criminality, resilience: "… score"


@pytest.mark.parametrize("edition", [2021, 2023])
def test_definitions_are_the_ones_the_profile_prints(edition: int) -> None:
    text = PROFILES[edition].read_text(encoding="utf-8")
    printed = [i for i in indicators(edition) if i.slug not in {"criminality", "resilience"}]
    assert [i.slug for i in printed if i.definition not in text] == []


def test_an_indicator_both_editions_score_is_one_concept() -> None:
    assert indicator("heroin-trade").editions == {2021, 2023}
    assert indicator("financial-crimes").editions == {2023}
    assert indicator("private-sector-actors").editions == {2023}
    assert indicator("drug-trade").editions == frozenset()


@pytest.mark.parametrize(
    ("label", "slug"),
    [
        ("Heroin trade", "heroin-trade"),
        ("Criminality score", "criminality"),
        ("Criminality", "criminality"),
        ("Resilience score", "resilience"),
        ("Resilience", "resilience"),
        ("Criminal markets", "criminal-markets"),
        ("Criminal actors", "criminal-actors"),
        ("State-embedded actors", "state-embedded-actors"),
        ("Cyber Crimes", "cyber-dependent-crimes"),
        ("  non-state   ACTORS ", "non-state-actors"),
        ("Organized crime", None),
    ],
)
def test_by_label_reads_printed_labels(label: str, slug: str | None) -> None:
    found = by_label(label)
    assert (found.slug if found else None) == slug


@given(
    st.sampled_from([i.label for i in vocab.indicators()]),
    st.lists(st.booleans()),
    st.text(" \t\n", max_size=3),
)
def test_by_label_ignores_case_and_whitespace(label: str, upper: list[bool], pad: str) -> None:
    flags = upper + [False] * len(label)
    mangled = "".join(c.upper() if u else c.lower() for c, u in zip(label, flags, strict=False))
    found = by_label(pad + mangled.replace(" ", "  ") + pad)
    assert found is not None and found.label == label


def test_drug_trade_is_broader_than_the_four_drug_markets() -> None:
    narrower = {i.slug for i in indicators() if i.broader is not None}
    assert narrower == {"heroin-trade", "cocaine-trade", "cannabis-trade", "synthetic-drug-trade"}
    assert {indicator(s).broader for s in narrower} == {"drug-trade"}


def test_editions_constant_matches_the_schemes() -> None:
    g = vocab.vocabulary_graph()
    assert {int(str(e)) for e in g.objects(None, CG.edition)} == set(vocab.EDITIONS)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: indicator("heroin"), "unknown indicator 'heroin'"),
        (lambda: indicators(2019), "unknown Organized Crime Index edition 2019"),
        (lambda: markets(2025), "unknown Organized Crime Index edition 2025"),
    ],
)
def test_unknown_slugs_and_editions_raise_a_one_line_error(call: object, message: str) -> None:
    with pytest.raises(CrimegraphError, match=message):
        call()  # type: ignore[operator]


# --- the ontology: every term declared, labelled and defined -------------------------------

TERM_TYPES = (
    OWL.Class,
    OWL.ObjectProperty,
    OWL.DatatypeProperty,
    OWL.AnnotationProperty,
    OWL.NamedIndividual,
)


def declared_terms() -> set[URIRef]:
    g = vocab.ontology_graph()
    return {t for kind in TERM_TYPES for t in g.subjects(RDF.type, kind) if isinstance(t, URIRef)}


def cg_terms_used(g: Graph) -> set[URIRef]:
    """Every cg: IRI a graph uses as a predicate, a class or an object."""
    used = {term for triple in g for term in triple if isinstance(term, URIRef)}
    return {t for t in used if t.startswith(str(CG))}


def test_every_ontology_term_has_a_label_and_a_definition() -> None:
    g = vocab.ontology_graph()
    terms = declared_terms()
    assert len(terms) > 60
    unlabelled = [t for t in terms if g.value(t, RDFS.label) is None]
    undefined = [t for t in terms if g.value(t, SKOS.definition) is None]
    assert (unlabelled, undefined) == ([], [])


def test_every_concept_and_scheme_has_a_label_and_a_definition() -> None:
    g = vocab.vocabulary_graph()
    nodes = set(g.subjects(RDF.type, SKOS.Concept)) | set(g.subjects(RDF.type, SKOS.ConceptScheme))
    assert len(nodes) == 37 + 9
    for node in nodes:
        assert g.value(node, SKOS.prefLabel) is not None, node
        assert g.value(node, RDFS.label) is not None, node
        assert g.value(node, SKOS.definition) is not None, node


@pytest.mark.parametrize("path", [VOCABULARY_PATH, SHAPES_PATH])
def test_the_vocabulary_and_shapes_use_only_declared_terms(path: Path) -> None:
    g = Graph().parse(path)
    assert cg_terms_used(g) - declared_terms() == set()


def test_a_built_graph_uses_only_declared_terms() -> None:
    flow = Flow("non-renewable-resource-crimes", "fuel", ["KAZ"], [["RUS", "CHN"]], ["KGZ"],
                route="northern route", mode=["rail"], checkpoints=["Kaindy"],
                places=["Chu Valley"], actors=["state officials"], evidence="Fuel.", span=(0, 5),
                hedge="may", optional=True)  # fmt: skip
    facts = Facts("Astana", "Upper middle income", 18, 2.5, "Landlocked", "1", 27.8)
    ranks = {"resilience": {"global": Rank(112, 193, "countries", 14)}}
    profile = Profile("k.txt", "Kazakhstan", "KAZ", 2023, facts=facts, ranks=ranks,
                      scores={"heroin-trade": 6.5}, changes={"heroin-trade": 0.5})  # fmt: skip
    g = rdf.new_graph()
    doc = rdf.add_document(g, Document("k.txt", "profile", "", "KAZ", "Kazakhstan", 2023, "2023",
                                       publisher="GI-TOC"))  # fmt: skip
    rdf.add_flows(g, DocumentFlows("k.txt", "KAZ", [flow]), doc)
    rdf.add_profile(g, profile, doc)
    assert cg_terms_used(g) - declared_terms() == set()


def test_the_ontology_readme_lists_every_term() -> None:
    readme = (VOCABULARY_PATH.parent / "README.md").read_text(encoding="utf-8")
    listed = set(re.findall(r"^\| `cg:(\w+)` \|", readme, re.MULTILINE))
    assert {str(t).removeprefix(str(CG)) for t in declared_terms()} == listed
