"""Extract trafficking flows (``spec/flows.md``) from the narrative text of a document.

Rules, not a statistical model: the text is cut into clauses (``segment``), the words that
matter are found with the vocabulary of ``data/lexicon`` (``lexicon``, ``mentions``), places
come from the gazetteer (``graph.places``), lists of places get their roles (``placelists``)
and clauses become flows (``rules``). Every flow's ``span`` indexes the document text:
``text[span[0]:span[1]] == flow.evidence``.

Hedged statements ("may", "reportedly", "historically") give flows with ``hedge`` set; a
negated one ("is not a transit country", "no evidence of") gives none.

>>> doc = "Slovenia\\n\\nIllicit drugs:\\nminor transit point for Afghan heroin bound for Italy"
>>> result = extract_text(doc, document="si.txt", subject="SVN")
>>> [(f.market, f.origin, f.transit, f.destination) for f in result.flows]
[('heroin-trade', ['AFG'], ['SVN'], ['ITA'])]
"""

from __future__ import annotations

from graph.errors import CrimegraphError
from graph.extract.lexicon import load_lexicon
from graph.extract.rules import Context, clause_flows
from graph.extract.segment import Clause, segment_report, segment_sections
from graph.fileio import MAX_DOCUMENT_BYTES
from graph.places import load_gazetteer
from graph.records import Document, DocumentFlows, Flow, Profile

__all__ = ["extract_document", "extract_text"]

#: Texts longer than this (in characters) are refused, as ``read_document`` refuses files.
MAX_TEXT_CHARS = MAX_DOCUMENT_BYTES


def extract_text(
    text: str,
    *,
    document: str,
    subject: str | None,
    kind: str = "report",
    sections: dict[str, tuple[int, int]] | None = None,
) -> DocumentFlows:
    """The flows a document's text states.

    ``kind="profile"`` reads only the narrative ``sections`` (``{heading: (start, end)}``, as
    the profile parser gives them); ``kind="report"`` reads everything after the title line.
    ``subject`` (an ISO3 code) stands in for "the country", "domestic" and the implicit
    subject of report clauses ("transit point for ...").
    """
    if kind not in ("report", "profile"):
        raise CrimegraphError(f"unknown document kind {kind!r} (expected report or profile)")
    if len(text) > MAX_TEXT_CHARS:
        raise CrimegraphError(
            f"{document}: {len(text):,} characters is more than the {MAX_TEXT_CHARS:,} limit"
        )
    gazetteer = load_gazetteer()
    if subject is not None and not gazetteer.is_country(subject):
        raise CrimegraphError(f"{document}: unknown subject country {subject!r}")
    lex = load_lexicon()
    if kind == "profile" and sections is not None:
        clauses = segment_sections(text, sections, lex)
    else:
        clauses = segment_report(text, lex)
    if not clauses:
        return DocumentFlows(document, subject, [])
    ctx = Context(
        text=text,
        subject=subject,
        kind=kind,
        lex=lex,
        gazetteer=gazetteer,
        mentions=gazetteer.find(text, subject),
        sentences=_sentence_spans(clauses),
    )
    flows: list[Flow] = []
    seen: set[tuple[object, ...]] = set()
    for clause in clauses:
        for flow in clause_flows(ctx, clause):
            key = (flow.market, tuple(flow.origin), repr(flow.transit), tuple(flow.destination))
            if key not in seen:
                seen.add(key)
                flows.append(flow)
    return DocumentFlows(document, subject, flows)


def extract_document(doc: Document, profile: Profile | None = None) -> DocumentFlows:
    """The flows of a loaded document: a profile's narrative sections, or a whole report."""
    if doc.kind == "profile" or profile is not None:
        sections = profile.section_spans if profile is not None else None
        return extract_text(
            doc.text, document=doc.name, subject=doc.subject, kind="profile", sections=sections
        )
    return extract_text(doc.text, document=doc.name, subject=doc.subject, kind="report")


def _sentence_spans(clauses: list[Clause]) -> dict[int, tuple[int, int]]:
    spans: dict[int, tuple[int, int]] = {}
    for c in clauses:
        lo, hi = spans.get(c.sentence, (c.start, c.end))
        spans[c.sentence] = (min(lo, c.start), max(hi, c.end))
    return spans
