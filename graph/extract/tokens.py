"""Words and punctuation of a document, each with its character offsets, computed once.

Later layers speak of tokens by index; :meth:`Tokens.span` turns a character span (a match of
the vocabulary or of the gazetteer) into token indices.

>>> toks = Tokens.of("Afghan heroin, via U.S. ports (Cox's Bazar)")
>>> [t.text for t in toks]
['Afghan', 'heroin', ',', 'via', 'U.S', '.', 'ports', '(', 'Cox', "'s", 'Bazar', ')']
>>> toks.span(7, 13)
(1, 2)
"""

from __future__ import annotations

import bisect
import gc
import re
from dataclasses import dataclass

_TOKEN = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_]+(?:\.(?=[^\W\d_]\.)[^\W\d_])*|['’]s\b|\S")


@dataclass(slots=True)
class Token:
    """One word or punctuation mark; ``text[start:end] == token.text``, ``low`` its
    lower-cased text (read often, so computed once)."""

    start: int
    end: int
    text: str
    low: str

    @property
    def is_word(self) -> bool:
        return self.text[:1].isalnum()

    @property
    def capitalised(self) -> bool:
        return self.text[:1].isupper()


class Tokens(list[Token]):
    """The tokens of a text, in order, with look-ups from character offsets (a list, so that
    indexing, which the reader does most, costs no call of ours)."""

    def __init__(self, tokens: list[Token]) -> None:
        super().__init__(tokens)
        #: The tokens themselves (this list), as earlier callers name them.
        self.items = self
        self.starts = [t.start for t in tokens]
        #: Each token's text, and lower-cased, for fast look-ups.
        self.texts = [t.text for t in tokens]
        self.lows = [t.low for t in tokens]

    @classmethod
    def of(cls, text: str, start: int = 0, end: int | None = None) -> Tokens:
        """The tokens of ``text[start:end]``, with offsets in the whole text."""
        stop = len(text) if end is None else end
        # Millions of tokens of a long report hold no cycles: the cyclic collector, run again
        # and again over them while they are made, only costs time (half of it for 19 MB).
        collecting = gc.isenabled()
        gc.disable()
        try:
            found = list(_TOKEN.finditer(text, start, stop))
            starts = [m.start() for m in found]
            ends = [m.end() for m in found]
            texts = [m.group(0) for m in found]
            lows = [w.lower() for w in texts]
            del found
            out = cls.__new__(cls)
            list.__init__(out, map(Token, starts, ends, texts, lows))
        finally:
            if collecting:
                gc.enable()
        out.items, out.starts, out.texts, out.lows = out, starts, texts, lows
        return out

    def first_at(self, offset: int) -> int:
        """Index of the first token that starts at or after ``offset``."""
        return bisect.bisect_left(self.starts, offset)

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Token indices ``[i, j)`` covering the characters ``[start, end)``; a span that
        starts inside a token begins at that token."""
        i = bisect.bisect_right(self.starts, start) - 1
        if i < 0 or self[i].end <= start:
            i += 1
        j = bisect.bisect_left(self.starts, end)
        return i, max(j, i + 1)

    def words(self, i: int, j: int) -> list[str]:
        """The lower-cased words (no punctuation) of tokens ``[i, j)``."""
        return [t.low for t in self[i:j] if t.text[:1].isalnum()]
