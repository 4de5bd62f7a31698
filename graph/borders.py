"""Checkpoints the text places on a border: ``cg:onBorderOf`` both countries it names.

The graph builder ties a checkpoint to the two countries of its flow's one cross-border leg;
when the flow has no such leg, or several, the checkpoint was only ``cg:locatedIn`` the
document's country, so ``neighbours`` could not list it on its border and the map drew it
anywhere. The sentence naming a checkpoint often says where it is ("The Chaldybar–Avtodorozhny
and Kaindy–Avtodorozhny checkpoints on the Kazakh-Kyrgyz border"): this module reads that.

>>> from graph.places import load_gazetteer
>>> text = ("The Chaldybar–Avtodorozhny and Kaindy–Avtodorozhny checkpoints on the Kazakh-Kyrgyz "
...         "border have been flagged as the main transit points for smuggled fuel.")
>>> stated_border(text, "Kaindy–Avtodorozhny", load_gazetteer())
('KAZ', 'KGZ')
>>> stated_border("the Torugart crossing on the border with China", "Torugart", load_gazetteer(),
...               subject="KGZ")
('CHN', 'KGZ')
>>> stated_border("the Torugart crossing is busy", "Torugart", load_gazetteer()) is None
True
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from rdflib import URIRef

from graph.namespaces import CG
from graph.rdf import GazetteerLike, TripleSink, country_iri, named_iri
from graph.records import Document, DocumentFlows

_NAME = r"[A-Z][\w'’.]*(?:\s+[A-Z][\w'’.]*){0,3}"
#: "the Kazakh-Kyrgyz border", "the Kazakhstan–Kyrgyzstan border".
_PAIR = re.compile(rf"(?P<a>{_NAME})\s*[-–—/]\s*(?P<b>{_NAME})\s+border")
#: "the border between Kazakhstan and Kyrgyzstan", "the border of China and Kazakhstan".
_BETWEEN = re.compile(rf"border\s+(?:between|of)\s+(?P<a>{_NAME})\s+and\s+(?P<b>{_NAME})")
#: "on the border with China" (the other side is the document's country).
_WITH = re.compile(rf"border\s+with\s+(?P<b>{_NAME})")
_SENTENCE = re.compile(r"[^.!?;]*(?:[.!?;]|$)")


def _country(gazetteer: GazetteerLike, name: str) -> str | None:
    """The ISO3 code of a country name or demonym, trying shorter tails ("the Kazakh")."""
    lookup = getattr(gazetteer, "lookup", None)
    if lookup is None:
        return None
    words = name.split()
    for start in range(len(words)):
        code = lookup(" ".join(words[start:]))
        if isinstance(code, str) and code in gazetteer.countries:
            return code
    return None


def _sentence(text: str, name: str) -> str | None:
    """The sentence of ``text`` that names ``name`` (case-insensitive), if any."""
    at = text.casefold().find(name.casefold())
    if at < 0:
        return None
    for m in _SENTENCE.finditer(text):
        if m.start() <= at < max(m.end(), m.start() + 1):
            return m.group(0)
    return None


def stated_border(
    text: str, name: str, gazetteer: GazetteerLike, subject: str | None = None
) -> tuple[str, str] | None:
    """The two countries (sorted) whose border the sentence naming ``name`` puts it on."""
    sentence = _sentence(text, name)
    if sentence is None:
        return None
    for pattern in (_PAIR, _BETWEEN):
        for m in pattern.finditer(sentence):
            a, b = _country(gazetteer, m.group("a")), _country(gazetteer, m.group("b"))
            if a and b and a != b:
                return (min(a, b), max(a, b))
    if subject:
        for m in _WITH.finditer(sentence):
            b = _country(gazetteer, m.group("b"))
            if b and b != subject:
                return (min(subject, b), max(subject, b))
    return None


def add_checkpoint_borders(
    g: TripleSink,
    documents: Sequence[Document],
    flows: Sequence[DocumentFlows],
    gazetteer: GazetteerLike,
) -> dict[str, tuple[str, str]]:
    """Put each checkpoint a document's text places on a border ``cg:onBorderOf`` both sides.

    Looks in the whole document (the flow's evidence may leave out the sentence that places
    the checkpoint), then in the flow's evidence. Returns the borders found, by checkpoint name.
    A set of triples also loses the checkpoint's ``cg:locatedIn`` the document's country.
    """
    texts = {d.name: d.text for d in documents}
    found: dict[str, tuple[str, str]] = {}
    for doc_flows in flows:
        text = texts.get(doc_flows.document, "")
        for flow in doc_flows.flows:
            for name in flow.checkpoints:
                pair = stated_border(text, name, gazetteer, doc_flows.subject) or stated_border(
                    flow.evidence, name, gazetteer, doc_flows.subject
                )
                if pair is not None:
                    found.setdefault(name, pair)
    for name, pair in sorted(found.items()):
        checkpoint: URIRef = named_iri("checkpoint", name)
        for code in pair:
            g.add((checkpoint, CG.onBorderOf, country_iri(code)))
        discard = getattr(g, "discard", None)
        if discard is not None:
            for code in pair:
                discard((checkpoint, CG.locatedIn, country_iri(code)))
    return found
