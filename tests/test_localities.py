"""Sub-national places: cities, ports and provinces resolve to their country; names that are
also English words or the names of rivers and passes need a place noun to count."""

from __future__ import annotations

import pytest

from graph.localities import load_localities


def found(text: str) -> list[tuple[str, str]]:
    return [(m.text, m.candidates[0].iso3) for m in load_localities().find(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("shipped from Lagos to Mombasa", [("Lagos", "NGA"), ("Mombasa", "KEN")]),
        ("cultivated in Shan State", [("Shan", "MMR")]),
        (
            "the Volta, Ashanti and Bono regions",
            [("Volta", "GHA"), ("Ashanti", "GHA"), ("Bono", "GHA")],
        ),
        ("From Istanbul onwards", [("Istanbul", "TUR")]),
        ("Sistan and Baluchestan", [("Sistan and Baluchestan", "IRN")]),
        ("shipped via Dar es Salaam", [("Dar es Salaam", "TZA")]),
        ("bought in Florida and Texas", [("Florida", "USA"), ("Texas", "USA")]),
    ],
)
def test_places_resolve_to_their_country(text: str, expected: list[tuple[str, str]]) -> None:
    assert found(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "via the Chu River",  # a river named like a town
        "at Santo Tomás de Castilla",  # the head of a longer unknown name
        "Delta is large",  # an English word with no place noun
        "a Split decision",
    ],
)
def test_names_that_are_no_town_here(text: str) -> None:
    assert found(text) == []


def test_a_word_name_counts_with_a_place_noun() -> None:
    assert ("Delta", "NGA") in [(t, c) for t, c in found("Lagos, Delta and Edo states")]


def test_coordinates_of_a_place() -> None:
    lat, lon = load_localities().coordinates("Mombasa", "KEN") or (0.0, 0.0)
    assert -5 < lat < -3 and 39 < lon < 40
