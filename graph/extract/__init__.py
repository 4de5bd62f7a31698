"""Extract trafficking flows (``spec/flows.md``) from the text of a document.

Rules, not a statistical model. A text passes through the reader once, one way:
sentences (``segment``) → tokens (``tokens``) → mentions of places, commodities, cue words and
verbs, each with its span (``mentions``, the vocabulary of ``data/lexicon`` read by
``lexicon``, places from the gazetteers) → frames: what moves and which place has which role
(``frames``) → chains of stages (``chains``) → flows, with what one sentence carries to the next
(``assemble``). Every flow's ``span`` indexes the document text:
``text[span[0]:span[1]] == flow.evidence``.

Hedged statements ("may", "reportedly", "historically") give flows with ``hedge`` set; a
negated one ("is not a transit country", "no evidence that") gives none.

>>> doc = "Slovenia\\n\\nIllicit drugs:\\nminor transit point for Afghan heroin bound for Italy"
>>> result = extract_text(doc, document="si.txt", subject="SVN")
>>> [(f.market, f.origin, f.transit, f.destination) for f in result.flows]
[('heroin-trade', ['AFG'], ['SVN'], ['ITA'])]
>>> text = "Report\\n\\nHeroin is smuggled from Afghanistan via Iran to Turkey."
>>> [(f.origin, f.transit, f.destination) for f in extract_text(text, document="r.txt",
...     subject=None).flows]
[(['AFG'], ['IRN'], ['TUR'])]
"""

from __future__ import annotations

from graph.errors import CrimegraphError
from graph.extract.assemble import DocumentReader, Reading, first_statements
from graph.extract.lexicon import load_lexicon
from graph.extract.parallel import default_jobs, read_in_parallel
from graph.extract.segment import (
    MAX_RUN_CHARS,
    SentenceTooLong,
    segment_report,
    segment_sections,
)
from graph.fileio import MAX_DOCUMENT_BYTES
from graph.localities import load_localities
from graph.places import load_gazetteer
from graph.records import Document, DocumentFlows, Flow, Profile

__all__ = ["Reading", "extract_document", "extract_text", "read_document", "read_text"]

#: Texts longer than this (in characters) are refused, as ``read_document`` refuses files.
MAX_TEXT_CHARS = MAX_DOCUMENT_BYTES


def read_text(
    text: str,
    *,
    document: str,
    subject: str | None,
    kind: str = "report",
    sections: dict[str, tuple[int, int]] | None = None,
    jobs: int | None = None,
) -> list[Reading]:
    """The flows a document's text states, each with the words behind its roles.

    ``kind="profile"`` reads only the narrative ``sections`` (``{heading: (start, end)}``, as
    the profile parser gives them); ``kind="report"`` reads the whole text, its title line
    included. ``subject`` (an ISO3 code) stands for "the country", "domestic", "local" and the
    implicit subject of Factbook clauses ("transit point for ..."). A text of a million
    characters or more is read by ``jobs`` processes (default: the cores this process may use).
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
    try:
        if kind == "profile" and sections is not None:
            sentences = segment_sections(text, sections, lex)
        else:
            sentences = segment_report(text, lex)
    except SentenceTooLong as exc:
        line = text.count("\n", 0, exc.start) + 1
        raise CrimegraphError(
            f"{document}: line {line} holds a sentence of {exc.length:,} characters (more than "
            f"{MAX_RUN_CHARS:,}); this is not running text, split it into sentences"
        ) from exc
    localities = load_localities()

    def make_reader(window: tuple[int, int] | None = None) -> DocumentReader:
        return DocumentReader(text, subject, kind, lex, gazetteer, localities, window)

    workers = default_jobs() if jobs is None else jobs
    read = read_in_parallel(sentences, len(text), make_reader, workers)
    if read is None:
        read = make_reader().read(sentences)
    readings: list[Reading] = []
    seen: set[tuple[object, ...]] = set()
    for r in read:
        f = r.flow
        key = (f.market, tuple(f.origin), repr(f.transit), tuple(f.destination), f.span)
        if key not in seen:
            seen.add(key)
            readings.append(r)
    return first_statements(readings)


def extract_text(
    text: str,
    *,
    document: str,
    subject: str | None,
    kind: str = "report",
    sections: dict[str, tuple[int, int]] | None = None,
    jobs: int | None = None,
) -> DocumentFlows:
    """The flows a document's text states (see :func:`read_text`)."""
    readings = read_text(
        text, document=document, subject=subject, kind=kind, sections=sections, jobs=jobs
    )
    flows: list[Flow] = [r.flow for r in readings]
    return DocumentFlows(document, subject, flows)


def read_document(doc: Document, profile: Profile | None = None) -> list[Reading]:
    """The flows of a loaded document with their reasons: a profile's narrative sections, or a
    whole report."""
    if doc.kind == "profile" or profile is not None:
        sections = profile.section_spans if profile is not None else None
        return read_text(
            doc.text, document=doc.name, subject=doc.subject, kind="profile", sections=sections
        )
    return read_text(doc.text, document=doc.name, subject=doc.subject, kind="report")


def extract_document(doc: Document, profile: Profile | None = None) -> DocumentFlows:
    """The flows of a loaded document (see :func:`read_document`)."""
    return DocumentFlows(doc.name, doc.subject, [r.flow for r in read_document(doc, profile)])
