"""A pattern is not searched in a text that holds none of its words, and never wrongly so."""

from __future__ import annotations

import re

import pytest

from graph.extract.assemble import _TOPIC
from graph.extract.lexicon import load_lexicon
from graph.extract.needles import may_match, needles

LEX = load_lexicon()

CASES = [
    # pattern, text, whether it is searched
    (r"(?:checkpoints?|border crossings?)", "Trucks wait at the Torkham border crossing.", True),
    (r"(?:checkpoints?|border crossings?)", "Heroin moves from Afghanistan to Iran.", False),
    (r"(?i)\b(?:two|three) (?:main )?(?:routes|sources)\b", "It has THREE MAIN ROUTES.", True),
    (r"(?i)\b(?:two|three) (?:main )?(?:routes|sources)\b", "two", False),
    (r"[Rr]egion|Valley", "the Chu valley", True),  # a weaker test than the pattern's own
    (r"(?i)crossings?", "the croſſing", True),  # not ASCII: case folding may map letters
    (r"on(?= route)", "a route", False),  # what a look-ahead reads is not needed: "on" is
    (r"\w+ing", "smuggling", True),  # no literal word at all: always searched
]


@pytest.mark.parametrize(("pattern", "text", "searched"), CASES)
def test_a_text_without_the_words_of_a_pattern_is_not_searched(
    pattern: str, text: str, searched: bool
) -> None:
    compiled = re.compile(pattern)
    assert may_match(compiled, text) is searched
    if compiled.search(text):
        assert searched


@pytest.mark.parametrize(
    "compiled", [_TOPIC, LEX.checkpoint_heads, LEX.place_suffixes, LEX.clause_split]
)
def test_every_match_holds_one_of_the_words(compiled: re.Pattern[str]) -> None:
    words = needles(compiled)
    samples = [
        "The route splits into two main branches: the northern route and the Balkan route.",
        "Shipments cross the Chu Valley and the Torkham border crossing into Osh Region.",
        "Goods pass the Wagah checkpoint, while others enter via Fergana Province.",
    ]
    for text in samples:
        for m in compiled.finditer(text):
            assert words is None or any(w in m.group(0).lower() for w in words)
            assert may_match(compiled, text, m.start(), m.end())
