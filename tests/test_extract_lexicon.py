"""The vocabulary files: every entry compiles and means what the rules expect of it."""

from __future__ import annotations

import pytest

from graph.extract.lexicon import load_lexicon
from graph.records import MODES

MARKETS = {
    "human-trafficking",
    "human-smuggling",
    "extortion-and-protection-racketeering",
    "arms-trafficking",
    "trade-in-counterfeit-goods",
    "illicit-trade-in-excisable-goods",
    "flora-crimes",
    "fauna-crimes",
    "non-renewable-resource-crimes",
    "heroin-trade",
    "cocaine-trade",
    "cannabis-trade",
    "synthetic-drug-trade",
    "cyber-dependent-crimes",
    "financial-crimes",
    "drug-trade",
}


@pytest.mark.parametrize(
    ("word", "market"),
    [
        ("heroin", "heroin-trade"),
        ("opiates", "heroin-trade"),
        ("morphine", "heroin-trade"),
        ("coca leaf", "cocaine-trade"),
        ("hashish", "cannabis-trade"),
        ("marijuana", "cannabis-trade"),
        ("methamphetamine", "synthetic-drug-trade"),
        ("captagon", "synthetic-drug-trade"),
        ("narcotics", "drug-trade"),
        ("caviar", "fauna-crimes"),
        ("saiga horns", "fauna-crimes"),
        ("timber", "flora-crimes"),
        ("fuel", "non-renewable-resource-crimes"),
        ("diamonds", "non-renewable-resource-crimes"),
        ("cigarettes", "illicit-trade-in-excisable-goods"),
        ("counterfeit goods", "trade-in-counterfeit-goods"),
        ("firearms", "arms-trafficking"),
        ("forced labor", "human-trafficking"),
        ("irregular migrants", "human-smuggling"),
    ],
)
def test_commodity_words_name_their_market(word: str, market: str) -> None:
    lex = load_lexicon()
    [m] = lex.commodities.finditer(word)
    assert m.group(0) == word
    assert lex.commodity(m).market == market


def test_every_market_and_mode_is_one_the_spec_knows() -> None:
    lex = load_lexicon()
    assert {t.market for t in lex.commodity_terms if t.market} <= MARKETS
    assert set(lex.modes.buckets) and all(
        value in MODES for bucket in lex.modes.buckets.values() for _, value in bucket
    )


@pytest.mark.parametrize(
    ("before", "role"),
    [
        ("heroin bound for", "destination"),
        ("cocaine destined for markets in", "weak"),
        ("victims from", "origin"),
        ("smuggled via", "transit"),
        ("heroin originating in", "origin"),
        ("migrants continue on to", "onward"),
        ("given its proximity to", "none"),
    ],
)
def test_a_cue_is_found_at_the_end_of_the_text_before_a_place(before: str, role: str) -> None:
    lex = load_lexicon()
    m = lex.cues.pattern.search(before + " ")
    assert m is not None
    assert lex.cues.value(m) == role


def test_longest_phrase_wins() -> None:
    lex = load_lexicon()
    [m] = lex.commodities.finditer("crack cocaine")
    assert m.group(0) == "crack cocaine"
