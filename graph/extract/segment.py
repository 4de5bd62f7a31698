"""Cut a document into sentences, keeping every character offset and where each stands.

A report is read whole, its title line included (a title may state a flow); where it has field
headings ("Illicit drugs:", the Factbook's layout) each field is read with that field's rule
(``fields.csv``). A profile is read only inside its narrative sections. Paragraphs are lines,
or in a report's running text the lines a fixed width wrapped (a field's lines are its clauses);
sentences end at a full stop, question or exclamation mark followed by a capital (not after an
abbreviation). Very long sentences are cut into pieces of at most :data:`MAX_SENTENCE_CHARS`
so that the reading stays linear in the length of the text.

>>> sents = segment_report("Nicaragua\\n\\nIllicit drugs:\\ntransit point; some use. More")
>>> [(s.text, s.field, s.title) for s in sents]
[('Nicaragua', None, True), ('transit point; some use.', 'Illicit drugs', False), ('More', \
'Illicit drugs', False)]
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from graph.extract.lexicon import Lexicon, load_lexicon

#: A field heading of a plain report: a short line ending in a colon ("Illicit drugs:").
_HEADING = re.compile(r"^[ \t]*([A-Z][^:\r\n]{0,80}):[ \t\r]*$", re.MULTILINE)
_LINE = re.compile(r"[^\n]+")
_SENTENCE_END = re.compile(r"[.!?][\"”’)]*(?=\s+[\"“‘(]?[A-Z0-9])")
_WORD_BEFORE = re.compile(r"([\w.]+)$")
_TRIM = " \t\r\n,:-–—"
#: A line shorter than this is a heading or the last line of a paragraph, never wrapped.
_WRAPPED_MIN = 40
#: What ends a line that no wrapping cut: a sentence or clause end, a colon.
_LINE_ENDS = frozenset('.!?;:"”’)')
#: The start of a list item ("- ", "• ", "1. ", "a) ").
_ITEM = re.compile(r"[ \t]*(?:[-•*–—·▪]\s|\(?\w{1,3}[.)]\s)")
#: Longer "sentences" (lists, tables pasted as text) are read in pieces of this many characters,
#: cut at the last clause break before the limit.
MAX_SENTENCE_CHARS = 2_000
#: A "sentence" longer than this is no running text (a dump, a list of 10,000 clauses): the
#: document is refused rather than read for minutes.
MAX_RUN_CHARS = 100_000


class SentenceTooLong(ValueError):
    """A sentence of more than :data:`MAX_RUN_CHARS` characters, starting at ``start``."""

    def __init__(self, start: int, length: int) -> None:
        super().__init__(f"a sentence of {length:,} characters")
        self.start, self.length = start, length


@dataclass(frozen=True)
class Sentence:
    """A sentence with its place in the document; ``text[start:end] == sentence.text``."""

    start: int
    end: int
    text: str
    #: Index of the paragraph (line) in the document.
    paragraph: int
    #: The report field or profile section the sentence belongs to.
    field: str | None = None
    #: The market of "person" words in this field (``fields.csv``), if any.
    field_market: str | None = None
    #: The only markets the field speaks of (empty: any).
    field_only: frozenset[str] = frozenset()
    #: True for the title line of a report.
    title: bool = False
    #: True inside a Factbook-style field, whose clauses leave their subject implicit.
    implicit_subject: bool = False


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """The span without surrounding blanks and separator punctuation."""
    while start < end and text[start] in _TRIM:
        start += 1
    while end > start and text[end - 1] in _TRIM:
        end -= 1
    return start, end


def sentence_spans(text: str, start: int, end: int, lex: Lexicon) -> Iterator[tuple[int, int]]:
    """Sentence spans of one paragraph: a full stop ends one unless an abbreviation precedes."""
    begin = start
    for m in _SENTENCE_END.finditer(text, start, end):
        before = _WORD_BEFORE.search(text, max(begin, m.start() - 12), m.start())
        if before and lex.abbreviation.fullmatch(before.group(1)):
            continue
        yield from _pieces(text, begin, m.end())
        begin = m.end()
    yield from _pieces(text, begin, end)


def _pieces(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """A sentence, or pieces of at most MAX_SENTENCE_CHARS cut after ";" or "," when it is
    longer."""
    if end - start > MAX_RUN_CHARS:
        raise SentenceTooLong(start, end - start)
    while end - start > MAX_SENTENCE_CHARS:
        limit = start + MAX_SENTENCE_CHARS
        cut = max(text.rfind(";", start, limit), text.rfind(",", start, limit))
        cut = cut + 1 if cut > start else limit
        yield start, cut
        start = cut
    yield start, end


def _wraps(text: str, line: tuple[int, int], after: tuple[int, int]) -> bool:
    """True when the line ``after`` (right below ``line``) goes on with its sentence: a text
    wrapped at a fixed width ("… via West" / "Africa, where …"), not a heading, a short line
    or the item of a list."""
    before = text[line[0] : line[1]].rstrip()
    if len(before) < _WRAPPED_MIN or before[-1] in _LINE_ENDS:
        return False
    return not _ITEM.match(text, after[0], after[1])


def _paragraphs(text: str, start: int, end: int, wrapped: bool) -> Iterator[tuple[int, int]]:
    """The paragraphs of ``text[start:end]``: its lines, or with ``wrapped`` the runs of lines
    a fixed width wrapped (up to :data:`MAX_SENTENCE_CHARS` characters without a sentence end,
    so that a column of words is still read line by line)."""
    block: tuple[int, int] | None = None
    last = (start, start)  # the line before
    run = 0
    for m in _LINE.finditer(text, start, end):
        line = (m.start(), m.end())
        if not text[line[0] : line[1]].strip():
            if block is not None:
                yield block
            block, run = None, 0
            continue
        joined = (
            wrapped
            and block is not None
            and line[0] == block[1] + 1
            and run + line[1] - line[0] <= MAX_SENTENCE_CHARS
            and _wraps(text, last, line)
        )
        if joined and block is not None:
            block = (block[0], line[1])
        else:
            if block is not None:
                yield block
            block, run = line, 0
        last = line
        ends = text[line[0] : line[1]].rstrip()[-1:] in (".", "!", "?")
        run = 0 if ends else run + line[1] - line[0]
    if block is not None:
        yield block


def _paragraph_sentences(
    text: str, start: int, end: int, counter: list[int], lex: Lexicon, template: Sentence
) -> Iterator[Sentence]:
    """The sentences of the paragraphs in ``text[start:end]``, with the field information of
    ``template``; ``counter`` numbers paragraphs across calls. A report's running text may be
    wrapped at a fixed width; a field's lines are its clauses."""
    wrapped = not template.implicit_subject
    for line_start, line_end in _paragraphs(text, start, end, wrapped):
        a, b = _trimmed(text, line_start, line_end)
        if a >= b:
            continue
        counter[0] += 1
        if b - a <= MAX_SENTENCE_CHARS and _SENTENCE_END.search(text, a, b) is None:
            spans: Iterable[tuple[int, int]] = ((a, b),)  # one sentence: what sentence_spans gives
        else:
            spans = sentence_spans(text, a, b, lex)
        for s_start, s_end in spans:
            s_start, s_end = _trimmed(text, s_start, s_end)
            if s_start < s_end:
                # the constructor, not dataclasses.replace: a third of the cost of 100,000 lines
                yield Sentence(
                    s_start,
                    s_end,
                    text[s_start:s_end],
                    counter[0],
                    field=template.field,
                    field_market=template.field_market,
                    field_only=template.field_only,
                    title=template.title,
                    implicit_subject=template.implicit_subject,
                )


def segment_report(text: str, lex: Lexicon | None = None) -> list[Sentence]:
    """Sentences of a plain report: its title line, then its body, field by field."""
    lex = lex or load_lexicon()
    counter = [-1]
    out: list[Sentence] = []
    title = re.search(r"\S[^\n]*", text)
    body_start = 0
    if title is not None:
        a, b = _trimmed(text, title.start(), title.end())
        if a < b and not _HEADING.fullmatch(text, title.start(), title.end()):
            counter[0] += 1
            out.append(Sentence(a, b, text[a:b], counter[0], title=True))
            body_start = title.end()
    headings = list(_HEADING.finditer(text, body_start))
    bounds: list[tuple[int, str | None]] = [(body_start, None)]
    bounds += [(h.end(), h.group(1).strip()) for h in headings]
    ends = [h.start() for h in headings] + [len(text)]
    for (start, field), end in zip(bounds, ends, strict=True):
        rule = lex.field_rule(field) if field is not None else None
        if rule is not None and rule.action == "skip":
            continue
        template = Sentence(
            0,
            0,
            "",
            0,
            field=field,
            field_market=rule.market if rule else None,
            field_only=rule.only if rule else frozenset(),
            implicit_subject=field is not None,
        )
        out.extend(_paragraph_sentences(text, start, end, counter, lex, template))
    return out


def segment_sections(
    text: str, sections: dict[str, tuple[int, int]], lex: Lexicon | None = None
) -> list[Sentence]:
    """Sentences of the given sections of a profile (``{heading: (start, end)}``), in order."""
    lex = lex or load_lexicon()
    counter = [-1]
    out: list[Sentence] = []
    for heading, (start, end) in sorted(sections.items(), key=lambda kv: kv[1]):
        lo, hi = max(0, start), min(len(text), end)
        template = Sentence(0, 0, "", 0, field=heading)
        out.extend(_paragraph_sentences(text, lo, hi, counter, lex, template))
    return out
