"""Precursor chemicals: typed ``cg:Precursor`` so that they never join a drug's routes.

"Precursor chemicals bound for Afghanistan" run the other way from the heroin made with them; a
precursor flow read as heroin gave a "heroin route" Uzbekistan → Afghanistan → Iran. A commodity
whose label holds one of ``cg:Precursor``'s ``cg:commodityCue`` phrases (in the ontology) is typed
``cg:Precursor`` as well as ``cg:Commodity``; routes and hub counts of drug markets leave such
flows out unless asked for them.

>>> is_precursor("acetic anhydride"), is_precursor("precursor chemicals"), is_precursor("heroin")
(True, True, False)
"""

from __future__ import annotations

import functools
import re

from rdflib.namespace import RDF

from graph.namespaces import CG
from graph.rdf import TripleSink, named_iri
from graph.records import DocumentFlows
from graph.vocab import ontology_graph


@functools.cache
def _cues() -> re.Pattern[str]:
    cues = sorted(
        (str(c).casefold() for c in ontology_graph().objects(CG.Precursor, CG.commodityCue)),
        key=lambda c: (-len(c), c),
    )
    if not cues:
        return re.compile(r"(?!x)x")
    return re.compile(r"\b(?:" + "|".join(re.escape(c) for c in cues) + r")\b")


def is_precursor(commodity: str) -> bool:
    """Whether a commodity label names a precursor (a cue phrase, as a whole word or words)."""
    return _cues().search(commodity.casefold()) is not None


def add_precursor_types(g: TripleSink, flows: list[DocumentFlows]) -> set[str]:
    """Type every precursor commodity the flows name; return their labels."""
    found = {f.commodity for d in flows for f in d.flows if f.commodity}
    found = {c for c in found if is_precursor(c)}
    for label in sorted(found):
        g.add((named_iri("commodity", label), RDF.type, CG.Precursor))
    return found
