"""Reading order of a PDF page from the positions of its words: columns one after the other.

A PDF's content stream may draw a two-column page line by line across both columns; read in
that order, sentences of the two columns interleave. The page is cut recursively (an XY-cut):
at a vertical gutter that no word crosses into columns, read left to right, else into blocks of
rows, read top to bottom — rows that share a gutter stay one block, to be cut into columns
next — until what is left is one line. Lines are then joined into paragraphs where they follow
closely in one column.
Coordinates are PDF points with y growing upwards, as PDFium gives them.
"""

from __future__ import annotations

import itertools
import re
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

#: A gutter between columns is at least this many line heights wide.
GUTTER = 1.0
#: Lines further apart than this many line heights start a new paragraph.
PARAGRAPH_GAP = 0.6
#: A line shorter than this share of its column's width ends its paragraph when the next
#: line starts with a capital or a digit (the last line of a paragraph, a label above a value).
SHORT_LINE = 0.7
#: A running header or footer repeats on at least this many pages (and half of them).
RUNNING_PAGES = 3
#: A paragraph of more words than this is no heading (at the foot of a page, it goes on).
HEADING = 12

_SENTENCE_END = re.compile(r"[.!?:;\"'”’)\]]$")
_HYPHENATED = re.compile(r"[a-z]-$")
_DIGITS = re.compile(r"\d+")


@dataclass(frozen=True)
class Word:
    """A run of characters without a space, and its box."""

    text: str
    left: float
    bottom: float
    right: float
    top: float

    @property
    def height(self) -> float:
        return self.top - self.bottom

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2


@dataclass(frozen=True)
class Line:
    """Words read as one line, the box around them, and the column they belong to."""

    words: tuple[Word, ...]
    column: int
    text: str
    left: float
    bottom: float
    right: float
    top: float
    height: float

    @classmethod
    def of(cls, words: Sequence[Word], column: int) -> Line:
        """The line of ``words`` (in any order), joined left to right."""
        ordered = tuple(sorted(words, key=lambda w: w.left))
        text = ordered[0].text
        for before, word in itertools.pairwise(ordered):
            touching = word.left - before.right < 0.1 * max(before.height, word.height)
            text += word.text if touching else " " + word.text
        return cls(
            ordered,
            column,
            text,
            min(w.left for w in ordered),
            min(w.bottom for w in ordered),
            max(w.right for w in ordered),
            max(w.top for w in ordered),
            statistics.median(w.height for w in ordered),
        )


def _gaps(spans: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """The empty intervals between the union of ``spans``: (start, end), in increasing order."""
    spans.sort()
    out: list[tuple[float, float]] = []
    reach = spans[0][1]
    for start, end in spans[1:]:
        if start > reach:
            out.append((reach, start))
        reach = max(reach, end)
    return out


def _rows(words: list[Word]) -> list[list[Word]]:
    """``words`` grouped into rows, top to bottom: a word whose middle lies less than half its
    height below the row's lowest middle is on that row (a superscript, a subscript, a taller
    glyph), even where the boxes of tightly set lines overlap."""
    rows: list[list[Word]] = []
    lowest = float("inf")
    for word in sorted(words, key=lambda w: -w.middle):
        if rows and word.middle >= lowest - 0.5 * word.height:
            rows[-1].append(word)
            lowest = min(lowest, word.middle)
        else:
            rows.append([word])
            lowest = word.middle
    return rows


def _free(row: list[Word], left: float, right: float, wide: float) -> list[tuple[float, float]]:
    """The stretches of [left, right] at least ``wide`` long that no word of ``row`` covers."""
    spans = sorted((w.left, w.right) for w in row)
    out: list[tuple[float, float]] = []
    reach = left
    for start, end in [*spans, (right, right)]:
        if start - reach >= wide:
            out.append((reach, start))
        reach = max(reach, end)
    return out


def _common(
    a: list[tuple[float, float]], b: list[tuple[float, float]], wide: float
) -> list[tuple[float, float]]:
    """The stretches at least ``wide`` long that both ``a`` and ``b`` hold."""
    return [
        (max(s1, s2), min(e1, e2))
        for s1, e1 in a
        for s2, e2 in b
        if min(e1, e2) - max(s1, s2) >= wide
    ]


def _split(words: list[Word], unit: float) -> tuple[bool, list[list[Word]]] | None:
    """``words`` cut into two columns (left to right; True) or into blocks of rows (top to
    bottom; False), or None when they form one line.

    Blocks: consecutive rows that share a gutter (a stretch no word of theirs covers) stay
    together, so the rows of a two-column region go on as one block and are cut into columns
    next, even where both columns break a paragraph at the same height; a row across the page
    (a title, a footer) is a block of its own.
    """
    wide = GUTTER * unit
    columns = [g for g in _gaps([(w.left, w.right) for w in words]) if g[1] - g[0] >= wide]
    if columns:
        start, end = max(columns, key=lambda g: g[1] - g[0])
        cut = (start + end) / 2
        return True, [[w for w in words if w.right <= cut], [w for w in words if w.right > cut]]
    rows = _rows(words)
    if len(rows) == 1:
        return None
    left, right = min(w.left for w in words), max(w.right for w in words)
    blocks: list[list[Word]] = []
    shared: list[tuple[float, float]] = []
    for row in rows:
        free = _free(row, left, right, wide)
        shared = _common(shared, free, wide) if blocks else []
        if blocks and shared:
            blocks[-1] += row
        else:
            blocks.append(list(row))
            shared = free
    return False, blocks


def reading_order(words: Sequence[Word]) -> list[Line]:
    """The lines of a page in reading order: each column top to bottom, columns left to right."""
    if not words:
        return []
    unit = statistics.median(w.height for w in words) or 1.0
    out: list[Line] = []
    columns = 1
    # Depth first over an explicit stack (a page of many lines must not exhaust recursion).
    stack: list[tuple[list[Word], int]] = [(list(words), 0)]
    while stack:
        part, column = stack.pop()
        cut = _split(part, unit) if len(part) > 1 else None
        if cut is None:
            out.append(Line.of(part, column))
            continue
        is_columns, pieces = cut
        ids = [column] * len(pieces)
        if is_columns:
            ids, columns = [columns, columns + 1], columns + 2
        for piece, piece_column in reversed(list(zip(pieces, ids, strict=True))):
            if piece:
                stack.append((piece, piece_column))
    return out


def _column_widths(lines: Sequence[Line]) -> dict[int, tuple[float, float]]:
    """Each column's left and right edge."""
    edges: dict[int, tuple[float, float]] = {}
    for line in lines:
        left, right = edges.get(line.column, (line.left, line.right))
        edges[line.column] = (min(left, line.left), max(right, line.right))
    return edges


def _continues(before: Line, line: Line, edges: dict[int, tuple[float, float]]) -> bool:
    """Whether ``line`` goes on with the paragraph ``before`` ends."""
    unit = max(before.height, line.height)
    following = before.bottom - line.top
    starts = line.text[:1]
    if line.column != before.column or following < -0.5 * unit:
        # A new column or a jump back up: a paragraph carries on only mid-sentence.
        return not _SENTENCE_END.search(before.text) and starts.islower()
    if following > PARAGRAPH_GAP * unit or abs(line.height - before.height) > 0.2 * unit:
        return False
    left, right = edges[before.column]
    short = before.right - left < SHORT_LINE * (right - left)
    return not (short and (starts.isupper() or starts.isdigit()))


def _join(text: str, line: str) -> str:
    """Two lines of one paragraph: a word hyphenated at the end of the first is mended."""
    if _HYPHENATED.search(text) and line[:1].islower():
        return text[:-1] + line
    return f"{text} {line}"


def paragraphs(lines: Sequence[Line]) -> list[str]:
    """Lines in reading order → paragraphs, each one string."""
    edges = _column_widths(lines)
    out: list[str] = []
    before: Line | None = None
    for line in lines:
        text = line.text
        same_row = before is not None and (
            min(before.top, line.top) - max(before.bottom, line.bottom)
            > 0.5 * min(before.height, line.height)
        )
        if before is not None and out and (same_row or _continues(before, line, edges)):
            out[-1] = _join(out[-1], text) if not same_row else f"{out[-1]} {text}"
        else:
            out.append(text)
        before = line
    return out


def page_text(words: Sequence[Word]) -> str:
    """A page's text: its paragraphs in reading order, separated by blank lines."""
    return "\n\n".join(paragraphs(reading_order(words)))


def _shape(paragraph: str) -> str:
    """A paragraph with its digits masked: page 3's "Report 2023 | 3" is page 4's too."""
    return _DIGITS.sub("#", paragraph)


def drop_running_lines(pages: Sequence[list[str]]) -> list[list[str]]:
    """The pages without the running header and footer: a first or last paragraph that, digits
    masked, is the first or last paragraph of at least half the pages (and of three or more)."""
    out = [list(page) for page in pages]
    for end in (0, -1):
        counts: dict[str, int] = {}
        for page in out:
            if page:
                counts[_shape(page[end])] = counts.get(_shape(page[end]), 0) + 1
        running = {shape for shape, n in counts.items() if n >= max(RUNNING_PAGES, len(out) / 2)}
        for page in out:
            if page and _shape(page[end]) in running:
                page.pop(end)
    return out


def join_pages(pages: Sequence[list[str]]) -> str:
    """The document's text: paragraphs separated by blank lines; a paragraph that a page break
    cuts mid-sentence (no full stop before the break, and a lower-case word after it or more
    words before it than a heading has) is joined again."""
    out: list[str] = []
    for page in pages:
        for n, paragraph in enumerate(page):
            cut = out and not _SENTENCE_END.search(out[-1])
            if n == 0 and cut and (paragraph[:1].islower() or len(out[-1].split()) > HEADING):
                out[-1] = _join(out[-1], paragraph)
            else:
                out.append(paragraph)
    return "\n\n".join(out)
