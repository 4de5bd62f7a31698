"""Cut a document into the clauses that flow rules read, keeping every character offset.

A report is read after its title line, field by field ("Illicit drugs:" blocks of the
Factbook), a profile only inside its narrative sections. Paragraphs are lines; sentences end at
a full stop (not after an abbreviation); clauses end at semicolons and at the boundaries listed
in ``boundaries.csv`` (", while ...", "Although ..., "). ``text[c.start:c.end] == c.text``.

>>> clauses = segment_report("Nicaragua\\n\\nIllicit drugs:\\ntransit point; some use. More")
>>> [(c.text, c.sentence) for c in clauses], clauses[0].field
([('transit point', 0), ('some use.', 0), ('More', 1)], 'Illicit drugs')
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from graph.extract.lexicon import Lexicon, load_lexicon

#: A field heading of a plain report: a short line ending in a colon ("Illicit drugs:").
_HEADING = re.compile(r"^[ \t]*([A-Z][^:\n]{0,80}):[ \t]*$", re.MULTILINE)
_LINE = re.compile(r"[^\n]+")
_SENTENCE_END = re.compile(r"[.!?][\"”’)]*(?=\s+[\"“‘(]?[A-Z0-9])")
_WORD_BEFORE = re.compile(r"([\w.]+)$")
_SPACE = " \t\r\n"
_TRIM = _SPACE + ",:-–—"


@dataclass(frozen=True)
class Clause:
    """A stretch of text that states flows on its own, with its place in the document."""

    start: int
    end: int
    text: str
    #: Index of the paragraph (line) in the document, and of the sentence in the document.
    paragraph: int
    sentence: int
    #: The report field or profile section the clause belongs to.
    field: str | None
    #: The market of "person" words in this field (``fields.csv``), if any.
    field_market: str | None = None
    #: The only markets the field speaks of (empty: any).
    field_only: frozenset[str] = frozenset()


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """The span without surrounding blanks and separator punctuation."""
    while start < end and text[start] in _TRIM:
        start += 1
    while end > start and text[end - 1] in _TRIM:
        end -= 1
    return start, end


def sentences(text: str, start: int, end: int, lex: Lexicon) -> Iterator[tuple[int, int]]:
    """Sentence spans of one paragraph: a full stop ends one unless an abbreviation precedes."""
    begin = start
    for m in _SENTENCE_END.finditer(text, start, end):
        before = _WORD_BEFORE.search(text, max(begin, m.start() - 12), m.start())
        if before and lex.abbreviation.fullmatch(before.group(1)):
            continue
        yield begin, m.end()
        begin = m.end()
    yield begin, end


def clauses_of(text: str, start: int, end: int, lex: Lexicon) -> Iterator[tuple[int, int]]:
    """Clause spans of one sentence: semicolons, then the boundaries of ``boundaries.csv``."""
    pieces: list[tuple[int, int]] = []
    begin = start
    for i in range(start, end):
        if text[i] == ";":
            pieces.append((begin, i))
            begin = i + 1
    pieces.append((begin, end))
    for a, b in pieces:
        a, b = _trimmed(text, a, b)
        if a >= b:
            continue
        lead = lex.lead_clause.match(text, a, b)
        if lead:
            comma = text.find(",", lead.end(), b)
            if comma != -1:
                yield a, comma
                a, b = _trimmed(text, comma + 1, b)
        cut = a
        for m in lex.clause_split.finditer(text, a, b):
            yield _trimmed(text, cut, m.start())
            cut = m.end()
        yield _trimmed(text, cut, b)


def _paragraph_clauses(
    text: str,
    start: int,
    end: int,
    field: str | None,
    market: str | None,
    only: frozenset[str],
    counters: list[int],
    lex: Lexicon,
) -> Iterator[Clause]:
    """All clauses of the lines in ``text[start:end]``; ``counters`` numbers paragraphs and
    sentences across calls."""
    for line in _LINE.finditer(text, start, end):
        a, b = _trimmed(text, line.start(), line.end())
        if a >= b:
            continue
        counters[0] += 1
        for s_start, s_end in sentences(text, a, b, lex):
            counters[1] += 1
            for c_start, c_end in clauses_of(text, s_start, s_end, lex):
                if c_start < c_end:
                    yield Clause(
                        c_start,
                        c_end,
                        text[c_start:c_end],
                        counters[0],
                        counters[1],
                        field,
                        market,
                        only,
                    )


def segment_report(text: str, lex: Lexicon | None = None) -> list[Clause]:
    """Clauses of a plain report: everything after the title line, field by field."""
    lex = lex or load_lexicon()
    title = re.search(r"\S[^\n]*", text)
    body_start = title.end() if title else len(text)
    counters = [-1, -1]
    out: list[Clause] = []
    headings = list(_HEADING.finditer(text, body_start))
    bounds = [(body_start, None)] + [(h.end(), h.group(1).strip()) for h in headings]
    ends = [h.start() for h in headings] + [len(text)]
    for (start, field), end in zip(bounds, ends, strict=True):
        rule = lex.field_rule(field) if field is not None else None
        if rule is not None and rule.action == "skip":
            continue
        market = rule.market if rule is not None else None
        only = rule.only if rule is not None else frozenset()
        out.extend(_paragraph_clauses(text, start, end, field, market, only, counters, lex))
    return out


def segment_sections(
    text: str, sections: dict[str, tuple[int, int]], lex: Lexicon | None = None
) -> list[Clause]:
    """Clauses of the given sections of a profile (``{heading: (start, end)}``), in text order."""
    lex = lex or load_lexicon()
    counters = [-1, -1]
    out: list[Clause] = []
    for heading, (start, end) in sorted(sections.items(), key=lambda kv: kv[1]):
        lo, hi = max(0, start), min(len(text), end)
        out.extend(_paragraph_clauses(text, lo, hi, heading, None, frozenset(), counters, lex))
    return out
