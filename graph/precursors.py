"""Precursor chemicals: typed ``cg:Precursor`` so that they never join a drug's routes.

"Precursor chemicals bound for Afghanistan" run the other way from the heroin made with them; a
precursor flow read as heroin gave a "heroin route" Uzbekistan → Afghanistan → Iran. A commodity
whose label holds one of ``cg:Precursor``'s ``cg:commodityCue`` phrases (in the ontology) is typed
``cg:Precursor`` as well as ``cg:Commodity`` when the label is made only of such phrases and the
``cg:commodityJoiner`` words that join them ("and", "other"): "heroin and precursor chemicals"
names heroin too, so its flows stay heroin flows. Routes and hub counts of drug markets leave
precursor flows out unless asked for them.

>>> is_precursor("acetic anhydride"), is_precursor("precursor chemicals"), is_precursor("heroin")
(True, True, False)
>>> is_precursor("ephedrine and pseudoephedrine"), is_precursor("heroin and precursor chemicals")
(True, False)
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


@functools.cache
def _joiners() -> frozenset[str]:
    return frozenset(
        str(w).casefold() for w in ontology_graph().objects(CG.Precursor, CG.commodityJoiner)
    )


def is_precursor(commodity: str) -> bool:
    """Whether a commodity label names precursors and nothing else (cue phrases and joiners)."""
    label = commodity.casefold()
    if _cues().search(label) is None:
        return False
    rest = re.findall(r"[^\W\d_]+", _cues().sub(" ", label))
    return all(word in _joiners() for word in rest)


def add_precursor_types(g: TripleSink, flows: list[DocumentFlows]) -> set[str]:
    """Type every precursor commodity the flows name; return their labels."""
    found = {f.commodity for d in flows for f in d.flows if f.commodity}
    found = {c for c in found if is_precursor(c)}
    for label in sorted(found):
        g.add((named_iri("commodity", label), RDF.type, CG.Precursor))
    return found
