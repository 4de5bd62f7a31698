"""Words a regular expression cannot match without: a text holding none of them is not searched.

A pattern tried on every sentence ("two main routes", "border crossings", "Chu Valley") costs
a pass of the regular-expression engine over the sentence; most sentences hold none of its
words, and looking for those (``in``, one pass of a fast substring search each) costs a fifth
of that. The words are read from the parsed pattern, so they follow its vocabulary.

>>> topic = re.compile(r"\\b(?:(?:two|several) (?:main )?(?:routes|sources)|splits into)\\b", re.I)
>>> sorted(needles(topic))
['routes', 'sources', 'splits into']
>>> may_match(topic, "Heroin moves from Afghanistan to Iran."), may_match(topic, "two ROUTES")
(False, True)
"""

from __future__ import annotations

import re
import re._constants as sre
import re._parser as sre_parse
from collections.abc import Sequence
from typing import Any


def needles(pattern: re.Pattern[str]) -> frozenset[str] | None:
    """Lower-cased ASCII strings one of which every match of ``pattern`` holds, or None when
    no such set is known (then every text is searched)."""
    # by identity: hashing a compiled pattern hashes its whole program, at every call
    known = _KNOWN.get(id(pattern))
    if known is None or known[0] is not pattern:
        if len(_KNOWN) > 1_000:  # patterns made on the fly: start afresh
            _KNOWN.clear()
        known = _KNOWN[id(pattern)] = (pattern, _needles(pattern))
    return known[1]


#: Patterns by identity, with their needles (the pattern is kept so that its id stays its own).
_KNOWN: dict[int, tuple[re.Pattern[str], frozenset[str] | None]] = {}


def _needles(pattern: re.Pattern[str]) -> frozenset[str] | None:
    try:
        parsed = sre_parse.parse(pattern.pattern, pattern.flags)
    except re.error:
        return None
    found = _required(list(parsed))
    return None if not found or "" in found else frozenset(found)


def may_match(pattern: re.Pattern[str], text: str, start: int = 0, end: int | None = None) -> bool:
    """False only when ``pattern`` cannot match inside ``text[start:end]``: the stretch is ASCII
    (so that case folding maps no other letter onto an ASCII one) and holds none of its
    :func:`needles`. What a match consumes or looks ahead at lies inside the stretch (a search
    sees no further than its end); a look-behind's words, which may lie before it, count not."""
    words = needles(pattern)
    if words is None:
        return True
    piece = text[start:end]
    return not piece.isascii() or any(map(piece.lower().__contains__, words))


def _required(items: Sequence[Any]) -> set[str] | None:
    """Of the literal runs and groups of a sequence (all of which a match holds), the set of
    strings whose shortest member is longest; None when the sequence requires no literal."""
    options: list[set[str]] = []
    run = ""
    for op, arg in items:
        if op is sre.LITERAL and arg < 128:
            run += chr(arg).lower()
            continue
        if run:
            options.append({run})
            run = ""
        inner: set[str] | None = None
        if op is sre.SUBPATTERN:
            inner = _required(list(arg[3]))
        elif op is sre.BRANCH:
            branches = [_required(list(b)) for b in arg[1]]
            if all(branches):
                inner = {w for b in branches if b for w in b}
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT) and arg[0] >= 1:
            inner = _required(list(arg[2]))
        elif op is sre.ASSERT and arg[0] == 1:  # a look-ahead reads no further than the stretch
            inner = _required(list(arg[1]))
        if inner:
            options.append(inner)
    if run:
        options.append({run})
    if not options:
        return None
    return max(options, key=lambda words: min(len(w) for w in words))
