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

import functools
import re
import re._constants as sre
import re._parser as sre_parse
from collections.abc import Sequence
from typing import Any


@functools.cache
def needles(pattern: re.Pattern[str]) -> frozenset[str] | None:
    """Lower-cased ASCII strings one of which every match of ``pattern`` holds, or None when
    no such set is known (then every text is searched)."""
    try:
        parsed = sre_parse.parse(pattern.pattern, pattern.flags)
    except re.error:
        return None
    found = _required(list(parsed))
    return None if not found or "" in found else frozenset(found)


def may_match(pattern: re.Pattern[str], text: str, start: int = 0, end: int | None = None) -> bool:
    """False only when ``pattern`` cannot match inside ``text[start:end]``: the stretch is ASCII
    (so that case folding maps no other letter onto an ASCII one) and holds none of its
    :func:`needles`. What a match consumes lies inside the stretch; look-arounds add no words."""
    words = needles(pattern)
    if words is None:
        return True
    piece = text[start:end]
    if not piece.isascii():
        return True
    low = piece.lower()
    return any(w in low for w in words)


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
        if inner:
            options.append(inner)
    if run:
        options.append({run})
    if not options:
        return None
    return max(options, key=lambda words: min(len(w) for w in words))
