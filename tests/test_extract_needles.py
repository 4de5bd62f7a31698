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
    (r"on(?= route)", "a path", False),  # "on" is needed
    (r",\s+(?=while|whereas)", "in Peru, where", False),  # and so is what a look-ahead reads
    (r"(?<=via )Iran", "through Iran", True),  # but not what a look-behind reads
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
def test_a_stretch_where_the_pattern_matches_is_searched(compiled: re.Pattern[str]) -> None:
    samples = [
        "The route splits into two main branches: the northern route and the Balkan route.",
        "Shipments cross the Chu Valley, while others use the Torkham border crossing.",
        "Goods pass the Wagah checkpoint, and Fergana Province is a hub.",
    ]
    for text in samples:
        edges = [0, *(m.start() for m in re.finditer(r"\b", text)), len(text)]
        for a in edges:
            for b in edges:
                if a < b and compiled.search(text, a, b):
                    assert may_match(compiled, text, a, b), (text[a:b], needles(compiled))
