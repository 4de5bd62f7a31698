"""Reading Organized Crime Index country profiles: scores against the Index's own workbook and
the gold files, both page layouts, narrative spans, and the errors a broken page raises."""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph.errors import CrimegraphError
from graph.fileio import read_document
from graph.profile import PrintedScore, is_profile, parse_profile, read_rank, read_score
from graph.records import Profile, Rank
from graph.vocab import by_label, indicator

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = ROOT / "data" / "documents"
WORKBOOK = ROOT / "data" / "reference" / "ocindex"
GOLD = ROOT / "data" / "gold"
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "profiles"
FACTBOOK = (
    ROOT / "data" / "corpus" / "cia_factbook" / "factbook_json_2022-11-10" / "kz_kazakhstan.txt"
)

SEED_2021 = DOCUMENTS / "kazakhstan-ocindex-2021.txt"
SEED_2023 = DOCUMENTS / "kazakhstan-ocindex-2023-layout.txt"
SLOVENIA_2023 = FIXTURES / "slovenia-2023.txt"
PERU_2021 = FIXTURES / "peru-2021-gdp.txt"
MONGOLIA_2021 = FIXTURES / "mongolia-2021-missing-pieces.txt"
ALL_PROFILES = [SEED_2021, SEED_2023, SLOVENIA_2023, PERU_2021, MONGOLIA_2021]


def parse(path: Path, edition: int | None = None) -> Profile:
    return parse_profile(read_document(path), path.name, edition=edition)


def workbook_scores(edition: int, country: str) -> tuple[dict[str, float], dict[str, str]]:
    """One country's row of the Index workbook: scores by indicator slug, and its place columns."""
    path = WORKBOOK / f"global_oc_index__{edition}_dataset.csv"
    with path.open(newline="", encoding="utf-8") as handle:
        row = next(r for r in csv.DictReader(handle) if r["Country"] == country)
    places = {key: row.pop(key) for key in ("Continent", "Region", "Country")}
    scores: dict[str, float] = {}
    for column, value in row.items():
        concept = by_label(column.removesuffix(",").removesuffix(" avg"))  # "Criminality avg,"
        assert concept is not None, column
        scores[concept.slug] = round(float(value), 2)  # 4.1500000000000004 is 4.15
    return scores, places


# --- the two Kazakhstan pages against the Index's workbook and the gold files ---------------


@pytest.mark.parametrize(
    ("path", "edition", "count"), [(SEED_2021, 2021, 30), (SEED_2023, 2023, 36)]
)
def test_every_score_equals_the_index_workbook(path: Path, edition: int, count: int) -> None:
    profile = parse(path)
    expected, places = workbook_scores(edition, profile.country)
    assert len(expected) == count
    assert {s: v for s, v in profile.scores.items() if v != expected.get(s)} == {}
    assert profile.scores == expected
    for ranked in ("criminality", "resilience"):
        assert profile.ranks[ranked]["continent"].group == places["Continent"]
        assert profile.ranks[ranked]["region"].group == places["Region"]


@pytest.mark.parametrize("path", [SEED_2021, SEED_2023])
def test_record_equals_the_gold_profile(path: Path) -> None:
    gold = json.loads((GOLD / f"{path.stem}.profile.json").read_text(encoding="utf-8"))
    profile = parse(path)
    assert (profile.document, profile.country, profile.iso3, profile.edition) == (
        gold["document"],
        gold["country"],
        gold["iso3"],
        gold["edition"],
    )
    assert profile.scores == gold["scores"]
    assert list(profile.scores) == list(gold["scores"]), "scores keep the page's order"
    assert profile.changes == gold.get("changes", {})


def test_the_2021_edition_has_no_changes_and_the_repeated_resilience_block_counts_once() -> None:
    profile = parse(SEED_2021)
    assert profile.edition == 2021
    assert profile.changes == {}
    assert len(profile.scores) == 30
    assert profile.scores["law-enforcement"] == 4.5


def test_2023_changes_are_kept_unsigned_as_printed_and_new_indicators_have_none() -> None:
    profile = parse(SEED_2023)
    assert profile.changes["law-enforcement"] == 0.5  # 4.50 in 2021, 4.00 in 2023
    new = [s for s, c in profile.changes.items() if c is None]
    assert new == [i for i in profile.scores if indicator(i).editions == {2023}]
    assert len(new) == 6


@pytest.mark.parametrize(
    ("path", "ranked", "kind", "rank"),
    [
        (SEED_2021, "criminality", "global", Rank(133, 193, "countries")),
        (SEED_2021, "criminality", "continent", Rank(37, 46, "Asia")),
        (SEED_2021, "resilience", "region", Rank(3, 8, "Central Asia and the Caucasus")),
        (SEED_2023, "criminality", "global", Rank(127, 193, "countries", 6)),
        (SEED_2023, "criminality", "continent", Rank(34, 46, "Asia", 3)),
        (SEED_2023, "criminality", "region", Rank(5, 8, "Central Asia and the Caucasus", 1)),
        (SEED_2023, "resilience", "global", Rank(112, 193, "countries", 14)),
        (SEED_2023, "resilience", "region", Rank(3, 8, "Central Asia and the Caucasus", 0)),
        (SLOVENIA_2023, "resilience", "continent", Rank(17, 44, "Europe", 1)),
        (PERU_2021, "criminality", "region", Rank(5, 12, "South America")),
        (MONGOLIA_2021, "resilience", "global", Rank(93, 193, "countries")),
    ],
)
def test_ranks(path: Path, ranked: str, kind: str, rank: Rank) -> None:
    assert parse(path).ranks[ranked][kind] == rank


@pytest.mark.parametrize(
    ("path", "facts"),
    [
        (
            SEED_2021,
            {"capital": "Nursultan", "population": 18_513_673, "area_km2": 2_724_902.0,
             "income_group": "Upper middle income", "geography_type": "Landlocked",
             "gdp": None, "gini": None},
        ),
        (SEED_2023, {"capital": "Astana", "population": 18_513_673}),
        (PERU_2021, {"capital": "Lima", "gdp": "$202.0 billion", "gini": 41.5,
                     "area_km2": 1_285_216.0, "geography_type": "Coastal"}),
        (MONGOLIA_2021, {"capital": "Ulaanbaatar", "population": 3_294_335,
                         "income_group": None, "area_km2": None, "geography_type": None}),
    ],
)  # fmt: skip
def test_facts(path: Path, facts: dict[str, object]) -> None:
    parsed = vars(parse(path).facts)
    assert {key: parsed[key] for key in facts} == facts


@pytest.mark.parametrize("path", [SEED_2021, SEED_2023])
def test_definitions_are_the_vocabulary_definitions(path: Path) -> None:
    definitions = parse(path).definitions
    assert len(definitions) == len(parse(path).scores) - 2  # the two headline scores print none
    for slug, text in definitions.items():
        assert text == indicator(slug).definition


# --- narrative sections and their spans -------------------------------------------------------


def test_sections_of_the_2021_page_skip_placeholders_and_stop_at_the_footer() -> None:
    profile = parse(SEED_2021)
    assert list(profile.sections) == [
        "People", "Trade", "Environment", "Drugs", "Criminal Actors",
        "Leadership and governance", "Criminal justice and security",
        "Economic and financial environment", "Civil society and social protection",
    ]  # fmt: skip
    assert profile.sections["Drugs"].startswith("Kazakhstan is a key transit country")
    assert profile.sections["Civil society and social protection"].endswith("ubiquitous.")
    assert not any("For a better experience" in text for text in profile.sections.values())
    assert parse(SEED_2023).sections == {}


@pytest.mark.parametrize("path", ALL_PROFILES)
@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_section_spans_slice_the_document_exactly(path: Path, newline: str) -> None:
    text = read_document(path).replace("\n", newline)
    profile = parse_profile(text, path.name)
    assert profile.section_spans.keys() == profile.sections.keys()
    for heading, (start, end) in profile.section_spans.items():
        assert text[start:end] == profile.sections[heading]
    assert profile.scores == parse(path).scores


# --- layouts: glued scores, ranks, synthetic countries ---------------------------------------


@pytest.mark.parametrize(
    ("token", "expected"),
    [
        ("6.50", PrintedScore(6.5)),
        ("4.470.21", PrintedScore(4.47, 0.21, True)),
        ("10.001.00", PrintedScore(10.0, 1.0, True)),
        ("1.000.50", PrintedScore(1.0, 0.5, True)),
        ("9.508.50", PrintedScore(9.5, 8.5, True)),
        ("10.009.00", PrintedScore(10.0, 9.0, True)),
        ("3.50 n/a", PrintedScore(3.5, None, True)),
        ("4.00−0.50", PrintedScore(4.0, -0.5, True)),
        ("Heroin trade", None),
        ("4.71 4.38 4.15", None),
        ("4.5", None),
    ],
)
def test_read_score(token: str, expected: PrintedScore | None) -> None:
    assert read_score(token) == expected


@given(score=st.integers(100, 1000), change=st.integers(0, 900))
def test_a_glued_score_and_change_always_split_back(score: int, change: int) -> None:
    token = f"{score / 100:.2f}{change / 100:.2f}"
    assert read_score(token) == PrintedScore(score / 100, change / 100, True)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("127th of 193 countries 6", Rank(127, 193, "countries", 6)),
        ("34th of 46 countries in Asia3", Rank(34, 46, "Asia", 3)),
        ("3rd of 8 countries in Central Asia and the Caucasus0",
         Rank(3, 8, "Central Asia and the Caucasus", 0)),
        ("21st of 46 countries in Asia", Rank(21, 46, "Asia")),
        ("1st of 193 countries", Rank(1, 193, "countries")),
        ("Criminality score", None),
    ],
)  # fmt: skip
def test_read_rank(line: str, expected: Rank | None) -> None:
    assert read_rank(line) == expected


def test_a_2023_page_with_ten_point_scores_and_big_changes() -> None:
    profile = parse(SLOVENIA_2023)
    assert (profile.country, profile.iso3, profile.edition) == ("Slovenia", "SVN", 2023)
    picked = {s: (profile.scores[s], profile.changes[s]) for s in
              ("heroin-trade", "cocaine-trade", "synthetic-drug-trade", "cannabis-trade",
               "private-sector-actors", "resilience")}  # fmt: skip
    assert picked == {
        "heroin-trade": (10.0, 1.0),
        "cocaine-trade": (1.0, 0.5),
        "synthetic-drug-trade": (9.5, 8.5),
        "cannabis-trade": (10.0, 9.0),
        "private-sector-actors": (profile.scores["private-sector-actors"], None),
        "resilience": (6.83, 0.12),
    }
    assert len(profile.scores) == len(profile.changes) == 36
    assert list(profile.sections) == ["People", "Drugs", "Cyber Crimes"]  # a note is no narrative


def test_a_2021_page_without_optional_pieces() -> None:
    profile = parse(MONGOLIA_2021)
    assert (profile.iso3, profile.edition, len(profile.scores)) == ("MNG", 2021, 30)
    assert profile.definitions == {} and profile.sections == {}
    assert set(profile.ranks["criminality"]) == {"global"}


@pytest.mark.parametrize(("path", "edition"), [(SEED_2021, 2021), (SEED_2023, 2023)])
def test_the_edition_argument_agrees_with_the_page(path: Path, edition: int) -> None:
    assert parse(path, edition=edition).edition == edition


def test_to_dict_is_json() -> None:
    data = json.loads(json.dumps(parse(SEED_2023).to_dict()))
    assert data["ranks"]["criminality"]["continent"] == {
        "position": 34, "out_of": 46, "group": "Asia", "change": 3,
    }  # fmt: skip
    assert "section_spans" not in data


# --- detection and errors -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (read_document(SEED_2021), True),
        (read_document(SEED_2023), True),
        (read_document(SLOVENIA_2023), True),
        (read_document(FACTBOOK), False),
        ("", False),
        ("Profile of a smuggler.\nHe scored 6.50 on a test.", False),
    ],
)
def test_is_profile(text: str, expected: bool) -> None:
    assert is_profile(text) is expected


def _replace_last(old: str, new: str) -> Callable[[str], str]:
    def edit(text: str) -> str:
        head, found, tail = text.rpartition(old)
        assert found, old
        return head + new + tail

    return edit


def _replace(old: str, new: str) -> Callable[[str], str]:
    def edit(text: str) -> str:
        assert old in text, old
        return text.replace(old, new, 1)

    return edit


SEED_2021_TEXT = read_document(SEED_2021)
SEED_2023_TEXT = read_document(SEED_2023)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param(read_document(FACTBOOK), "not an Organized Crime Index", id="factbook"),
        pytest.param("It was a dark and stormy night.", "not an Organized Crime", id="prose"),
        pytest.param("", "not an Organized Crime Index", id="empty"),
        pytest.param(SEED_2023_TEXT[: len(SEED_2023_TEXT) // 2], "no score for", id="cut-2023"),
        pytest.param(
            SEED_2021_TEXT[: SEED_2021_TEXT.index("Criminal actors")], "no score for", id="cut-2021"
        ),
        pytest.param(
            _replace("Profile\n\n    Kazakhstan\n", "Profile\n")(SEED_2021_TEXT),
            "no country name",
            id="no-country",
        ),
        pytest.param(
            _replace("    6.50\n", "    11.50\n")(SEED_2021_TEXT), "outside 1-10", id="score-11"
        ),
        pytest.param(
            _replace("    6.500.00\n", "    0.500.00\n")(SEED_2023_TEXT), "outside", id="score-0"
        ),
        pytest.param(
            _replace("Heroin trade\n\n    6.50\n", "Heroin trade\n")(SEED_2021_TEXT),
            "unexpected line 'The production, distribution and sale of heroin",
            id="market-without-score",
        ),
        pytest.param(
            _replace("Foreign actors\n\n    4.000.00\n", "Foreign actors\n")(SEED_2023_TEXT),
            "line",
            id="actor-without-score-2023",
        ),
        pytest.param(
            _replace_last("Law enforcement\n\n    4.50", "Law enforcement\n\n    5.50")(
                SEED_2021_TEXT
            ),
            "'Law enforcement' is printed again",
            id="repeat-disagrees",
        ),
        pytest.param(
            _replace("    Prevention\n", "    Tax evasion\n\n    Prevention\n")(SEED_2023_TEXT),
            "unexpected line 'Tax evasion'",
            id="unknown-label",
        ),
        pytest.param(
            _replace("    4.26\n", "    4.260.10\n")(SEED_2021_TEXT),
            "prints a change, which the 2021 edition has not",
            id="2021-with-change",
        ),
        pytest.param(
            _replace("18,513,673", "about 18 million")(SEED_2021_TEXT), "population", id="pop"
        ),
        pytest.param(
            _replace("Capital\n\n    Astana\n", "Capital\n")(SEED_2023_TEXT),
            "fact 'Capital' has no value",
            id="fact-without-value",
        ),
    ],
)
def test_broken_pages_raise_a_one_line_error(text: str, message: str) -> None:
    with pytest.raises(CrimegraphError) as caught:
        parse_profile(text, "page.txt")
    assert str(caught.value).startswith("page.txt")
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize(
    ("path", "edition", "message"),
    [
        (SEED_2021, 2023, "no score for 6 indicator(s) of the 2023 edition"),
        (SEED_2023, 2021, "not in the 2021 edition: Extortion and protection racketeering"),
        (SEED_2021, 1999, "unknown edition 1999"),
    ],
)
def test_an_edition_argument_the_page_contradicts_is_an_error(
    path: Path, edition: int, message: str
) -> None:
    with pytest.raises(CrimegraphError, match=re.escape(message)):
        parse(path, edition=edition)


SEED_2023_LINES = SEED_2023_TEXT.split("\n")


@settings(max_examples=60, deadline=None)
@given(st.integers(0, len(SEED_2023_LINES) - 1))
def test_deleting_any_line_gives_the_same_scores_or_an_error(index: int) -> None:
    text = "\n".join(SEED_2023_LINES[:index] + SEED_2023_LINES[index + 1 :])
    try:
        profile = parse_profile(text, "page.txt")
    except CrimegraphError as exc:
        assert "\n" not in str(exc)
    else:
        assert profile.scores == parse(SEED_2023).scores
