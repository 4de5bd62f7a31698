"""The vocabulary files: every entry compiles and means what the rules expect of it."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.extract.lexicon import load_lexicon
from graph.extract.phrases import NotFinite, PhraseTable, expand
from graph.extract.tokens import Tokens
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
    [m] = lex.commodities.find(word, Tokens.of(word), 0, len(word))
    assert m.group(0) == word
    assert lex.commodity(m).market == market


def test_every_market_and_mode_is_one_the_spec_knows() -> None:
    lex = load_lexicon()
    assert {t.market for t in lex.commodity_terms if t.market} <= MARKETS
    modes = {v for options in lex.modes.index.values() for _, _, v in options}
    assert modes and modes <= set(MODES)


@pytest.mark.parametrize(
    ("text", "role"),
    [
        ("heroin bound for Europe", "destination"),
        ("markets in Europe", "weak"),
        ("victims from Nepal", "origin"),
        ("smuggled via Iran", "transit"),
        ("heroin originating in Afghanistan", "origin"),
        ("migrants continue on to Russia", "onward"),
        ("given its proximity to Iran", "none"),
        ("shipped back to Jamaica", "back"),
        ("cocaine for Chile", "for"),
    ],
)
def test_a_cue_gives_the_places_after_it_their_role(text: str, role: str) -> None:
    lex = load_lexicon()
    hits = lex.cues.find(text, Tokens.of(text), 0, len(text))
    assert [h.value for h in hits][-1:] == [role]


@pytest.mark.parametrize(
    ("text", "cls", "object_role", "locative"),
    [
        ("smuggled", "move", None, None),
        ("leaves", "leave", "origin", "origin"),
        ("entered", "enter", "entry", "entry"),
        ("cultivated", "produce", None, "origin"),
        ("exploited", "exploit", None, "destination"),
        ("staged", "stage", None, "transit"),
        ("traced to", "trace", "origin", "origin"),
    ],
)
def test_verbs_say_what_they_make_of_the_places_around_them(
    text: str, cls: str, object_role: str | None, locative: str | None
) -> None:
    lex = load_lexicon()
    [hit] = lex.verbs.find(text, Tokens.of(text), 0, len(text))
    sense = lex.verb(hit)
    assert (sense.cls, sense.object, sense.locative) == (cls, object_role, locative)


def test_longest_phrase_wins() -> None:
    lex = load_lexicon()
    text = "crack cocaine"
    [m] = lex.commodities.find(text, Tokens.of(text), 0, len(text))
    assert m.group(0) == "crack cocaine"


@pytest.mark.parametrize(
    ("fragment", "expected"),
    [
        ("opiates?", {"opiate", "opiates"}),
        ("smuggl(?:e|ed)", {"smuggle", "smuggled"}),
        ("[Rr]egion", {"Region", "region"}),
        (
            "(?:sea |boat )?crossings? to",
            {f"{a}crossing{s} to" for a in ("", "sea ", "boat ") for s in ("", "s")},
        ),
    ],
)
def test_a_fragment_expands_to_the_phrases_it_matches(fragment: str, expected: set[str]) -> None:
    assert set(expand(fragment)) == expected


@pytest.mark.parametrize("fragment", ["land(?=, sea)", "a+b", r"\w+ville", "x{1,9}"])
def test_a_fragment_that_is_not_finite_is_matched_as_a_pattern(fragment: str) -> None:
    with pytest.raises(NotFinite):
        list(expand(fragment))


def test_a_phrase_table_respects_word_and_hyphen_edges() -> None:
    table = PhraseTable.build([("bound", "b"), ("heroin", "h")], folded=True)
    text = "Afghan-bound heroin, heroin-processing, rebound"
    hits = table.find(text, Tokens.of(text), 0, len(text))
    assert [h.text for h in hits] == ["heroin"]
    suffixes = PhraseTable.build([("-bound", "dest")], folded=True, after_hyphen=True)
    [hit] = suffixes.find(text, Tokens.of(text), 0, len(text))
    assert (hit.text, hit.value) == ("-bound", "dest")


def test_unmatched_patterns_are_tried_where_their_first_word_stands() -> None:
    table = PhraseTable.build([("land(?=,? (?:and )?sea)", "land")], folded=False)
    text = "by land and sea; no land here"
    assert [h.start() for h in table.find(text, Tokens.of(text), 0, len(text))] == [3]


def test_a_bad_pattern_in_a_vocabulary_file_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    from graph.errors import CrimegraphError
    from graph.extract import lexicon

    data = tmp_path / "data"
    shutil.copytree(lexicon.lexicon_dir(), data / "lexicon")
    with (data / "lexicon" / "links.csv").open("a", encoding="utf-8") as fh:
        fh.write("then(,sequence\n")
    monkeypatch.setenv(lexicon.DATA_ENV, str(data))
    lexicon.load_lexicon.cache_clear()
    try:
        with pytest.raises(CrimegraphError, match=r"links\.csv"):
            lexicon.load_lexicon()
    finally:
        lexicon.load_lexicon.cache_clear()


def test_each_alternative_of_a_row_is_indexed_by_its_own_first_word() -> None:
    from graph.extract.phrases import PhraseTable
    from graph.extract.tokens import Tokens

    table = PhraseTable.build([(r"suppl(?:y|ies)|serves(?! as\b)", "verb")], folded=True)
    for text, found in [
        ("Peru supplies it", ["supplies"]),
        ("Peru serves Chile", ["serves"]),
        ("Peru serves as a hub", []),
    ]:
        hits = table.find(text, Tokens.of(text), 0, len(text))
        assert [h.text for h in hits] == found


def test_a_pattern_without_a_first_word_is_found_through_a_scan_of_the_sentence() -> None:
    from graph.extract.phrases import PhraseTable, Scanner
    from graph.extract.tokens import Tokens

    table = PhraseTable.build([(r"suppl(?:y(?! chains?\b)|ies)", "v"), ("ship", "v")], folded=True)
    for text, found in [
        ("Peru Supplies it and ships it", ["Supplies"]),
        ("supply chains of Peru", []),
        ("Peru ſupplies it", ["ſupplies"]),  # a long s folds to "s", as the pattern reads it
        ("Peru ship", ["ship"]),
    ]:
        tokens = Tokens.of(text)
        starts = Scanner([table]).scan(tokens, 0, len(tokens)).starts(table)
        hits = table.find(text, tokens, 0, len(text), starts)
        assert [h.text for h in hits] == found
        assert hits == table.find(text, tokens, 0, len(text))  # as a scan of every word


def test_a_scan_tries_a_word_only_where_a_phrase_of_the_table_can_go_on_from_it() -> None:
    from graph.extract.phrases import PhraseTable, Scanner
    from graph.extract.tokens import Tokens

    table = PhraseTable.build([("in transit(?: to)?", "t"), ("bound for", "b")], folded=True)
    for text, starts, found in [
        ("goods in transit to Spain, in Spain", [1], ["in transit to"]),
        ("in transit", [0], ["in transit"]),
        ("goods bound for Spain and bound", [1], ["bound for"]),  # the last word ends the text
        ("In Transit via Spain", [0], ["In Transit"]),
    ]:
        tokens = Tokens.of(text)
        scan = Scanner([table]).scan(tokens, 0, len(tokens))
        assert scan.starts(table) == starts
        assert [h.text for h in scan.find(table, text)] == found
        assert scan.find(table, text) == table.find(text, tokens, 0, len(text))


def test_a_pattern_that_opens_with_alternatives_is_tried_only_at_words_that_start_one() -> None:
    from graph.extract.phrases import PhraseTable, Scanner
    from graph.extract.tokens import Tokens

    pattern = r"(?:lies|sits?) (?:on|along) (?:\w+ ){0,2}?routes?"
    table = PhraseTable.build([(pattern, "route")], folded=True)
    assert table.first_words is not None  # not every word of a sentence
    for text, starts, found in [
        ("Chad lies on the main routes", [1], ["lies on the main routes"]),
        ("it sits along trafficking routes", [1], ["sits along trafficking routes"]),
        ("Mali Sits on routes", [1], ["Sits on routes"]),
        ("routes lie on Chad", [], []),
        ("Peru ſits on routes", [1], ["ſits on routes"]),  # not ASCII: tried all the same
    ]:
        tokens = Tokens.of(text)
        scan = Scanner([table]).scan(tokens, 0, len(tokens))
        assert scan.starts(table) == starts
        assert [h.text for h in scan.find(table, text)] == found
        assert scan.find(table, text) == table.find(text, tokens, 0, len(text))


def test_a_table_with_an_open_pattern_tries_other_words_only_where_their_phrases_go_on() -> None:
    from graph.extract.phrases import PhraseTable, Scanner
    from graph.extract.tokens import Tokens

    # "(?:a|the) (?:small|large) share": its first word is a whole word, so "and", "are" and
    # "across" start none of it; "the route" needs its second word
    table = PhraseTable.build(
        [(r"(?:a|the) (?:small|large) share(?! of\b)", "part"), ("the route", "r")], folded=True
    )
    for text, starts, found in [
        ("a small share goes across and the route is long", [0, 6], ["a small share", "the route"]),
        ("and are across the border", [3], []),  # "the" may open the pattern: tried
        ("The large share, the route", [0, 4], ["The large share", "the route"]),
        ("A small share of it", [0], []),
    ]:
        tokens = Tokens.of(text)
        scan = Scanner([table]).scan(tokens, 0, len(tokens))
        assert scan.starts(table) == starts
        assert [h.text for h in scan.find(table, text)] == found
        assert scan.find(table, text) == table.find(text, tokens, 0, len(text))
