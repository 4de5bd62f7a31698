"""Cutting documents into clauses: fields, sentences, semicolons and clause boundaries."""

from __future__ import annotations

import pytest

from graph.extract.segment import segment_report, segment_sections


def texts(document: str) -> list[str]:
    return [c.text for c in segment_report(document)]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("transit point; major consumer", ["transit point", "major consumer"]),
        (
            "Heroin moves north. Cocaine moves south.",
            ["Heroin moves north.", "Cocaine moves south."],
        ),
        ("shipped to the U.S. Virgin Islands", ["shipped to the U.S. Virgin Islands"]),
        ("seized 2.5 mt in 2019", ["seized 2.5 mt in 2019"]),
        (
            "heroin goes to Iran, while hashish goes to Oman",
            ["heroin goes to Iran", "while hashish goes to Oman"],
        ),
        (
            "Although rare in Chile, smuggling occurs in Peru",
            ["Although rare in Chile", "smuggling occurs in Peru"],
        ),
        (
            "men go to Qatar, and some women are sent to Oman",
            ["men go to Qatar", "and some women are sent to Oman"],
        ),
        ("bound for Iran, Oman, and Yemen", ["bound for Iran, Oman, and Yemen"]),
    ],
)
def test_clauses(body: str, expected: list[str]) -> None:
    assert texts(f"Title\n\nIllicit drugs:\n{body}\n") == expected


def test_title_line_and_skipped_fields_are_not_read() -> None:
    document = (
        "Transit point for heroin\n\n"
        "Illicit drugs:\nconsumer of opiates\n\n"
        "Trafficking in persons / tier rating:\nTier 2 Watch List - efforts to refer victims\n\n"
        "Disputes - international:\nsmuggling across the border\n"
    )
    clauses = segment_report(document)
    assert [(c.field, c.text) for c in clauses] == [
        ("Illicit drugs", "consumer of opiates"),
        ("Disputes - international", "smuggling across the border"),
    ]


def test_offsets_index_the_document() -> None:
    document = "Title\r\n\r\nIllicit drugs:\r\n  transit point ;  consumer of opiates.  \r\n"
    for c in segment_report(document):
        assert document[c.start : c.end] == c.text


def test_people_words_of_a_field_take_its_market() -> None:
    [clause] = segment_report("T\n\nTrafficking in persons / current situation:\nwomen are sold\n")
    assert clause.field_market == "human-trafficking"


def test_sections_are_read_in_text_order() -> None:
    text = "head. First part. Second part. tail."
    sections = {"B": (18, 30), "A": (6, 17)}
    assert [c.text for c in segment_sections(text, sections)] == ["First part.", "Second part."]
