"""Cutting a document into sentences: the title line is read, Factbook fields keep their rule,
offsets index the text, and very long sentences are read in bounded pieces."""

from __future__ import annotations

import pytest

from graph.extract.segment import MAX_SENTENCE_CHARS, segment_report, segment_sections


def texts(doc: str) -> list[str]:
    return [s.text for s in segment_report(doc)]


@pytest.mark.parametrize(
    ("doc", "expected"),
    [
        (
            "Report\n\nHeroin moves north. Cocaine moves south.",
            ["Report", "Heroin moves north.", "Cocaine moves south."],
        ),
        (
            "Report\n\nIt is shipped to the U.S. Virgin Islands.",
            ["Report", "It is shipped to the U.S. Virgin Islands."],
        ),
        (
            "Report\n\nSeized 2.5 mt in 2019. Later more.",
            ["Report", "Seized 2.5 mt in 2019.", "Later more."],
        ),
        (
            "Heroin flows from Iran to Turkey\n\nBody.",
            ["Heroin flows from Iran to Turkey", "Body."],
        ),
        (  # a text wrapped at a fixed width: its lines go on with one sentence
            "Report\n\nCocaine from Colombia is increasingly trafficked to Europe via West\n"
            "Africa. Heroin moves north.\n",
            [
                "Report",
                "Cocaine from Colombia is increasingly trafficked to Europe via West\nAfrica.",
                "Heroin moves north.",
            ],
        ),
        (  # headings, short lines and list items stay lines of their own
            "Report\n\nMain routes\nCocaine from Colombia is trafficked to Europe by sea and\n"
            "- by air\n- by post\n",
            [
                "Report",
                "Main routes",
                "Cocaine from Colombia is trafficked to Europe by sea and",
                "by air",
                "by post",
            ],
        ),
        (  # a Factbook field's lines are its clauses, whatever their length
            "Kenya\n\nIllicit drugs:\nwidespread harvesting of small plots of marijuana and\n"
            "transit country for South Asian heroin\n",
            [
                "Kenya",
                "widespread harvesting of small plots of marijuana and",
                "transit country for South Asian heroin",
            ],
        ),
    ],
)
def test_sentences_of_a_report(doc: str, expected: list[str]) -> None:
    assert texts(doc) == expected


def test_every_sentence_indexes_the_text() -> None:
    doc = "Nicaragua\r\n\r\nIllicit drugs:\r\ntransit point; some use. More\r\n"
    for s in segment_report(doc):
        assert doc[s.start : s.end] == s.text


def test_fields_keep_their_rule_and_tier_ratings_are_skipped() -> None:
    doc = (
        "Oman\n\nTrafficking in persons / current situation:\nwomen are exploited\n\n"
        "Trafficking in persons / tier rating:\nTier 2 - the government made efforts\n"
    )
    sentences = segment_report(doc)
    body = [s for s in sentences if not s.title]
    assert [s.text for s in body] == ["women are exploited"]
    assert body[0].field_market == "human-trafficking" and body[0].implicit_subject


def test_plain_prose_has_no_implicit_subject() -> None:
    [title, body] = segment_report("A report\n\nHeroin moves from Iran to Turkey.")
    assert title.title and not body.title
    assert not body.implicit_subject


def test_a_very_long_sentence_is_read_in_bounded_pieces() -> None:
    doc = "Report\n\n" + "; ".join(["transit point for heroin bound for Russia"] * 500)
    pieces = segment_report(doc)[1:]
    assert len(pieces) > 1
    assert all(len(p.text) <= MAX_SENTENCE_CHARS for p in pieces)
    assert all(doc[p.start : p.end] == p.text for p in pieces)


def test_a_sentence_of_a_hundred_thousand_characters_is_refused_in_one_line() -> None:
    from graph.errors import CrimegraphError
    from graph.extract import extract_text

    doc = "Report\n\nHeroin goes to Russia.\n" + "; ".join(["transit for heroin"] * 10_000)
    with pytest.raises(CrimegraphError, match=r"dump\.txt: line 4 holds a sentence of 199,998"):
        extract_text(doc, document="dump.txt", subject=None)


def test_a_profile_is_read_only_inside_its_sections() -> None:
    doc = "Header line\nSCORES 5.5\nNarrative: heroin moves. Cocaine too.\nFooter"
    start = doc.index("Narrative")
    sections = {"Criminal markets": (start, doc.index("\nFooter"))}
    assert [s.text for s in segment_sections(doc, sections)] == [
        "Narrative: heroin moves.",
        "Cocaine too.",
    ]


def test_a_hedge_does_not_cross_a_semicolon() -> None:
    from graph.extract import extract_text

    doc = (
        "Kazakhstan\n\nIllicit drugs:\n"
        "limited cultivation of cannabis; transit point for opiates bound for Russia\n"
    )
    hedges = {f.market: f.hedge for f in extract_text(doc, document="k.txt", subject="KAZ").flows}
    assert hedges == {"cannabis-trade": "limited", "heroin-trade": None}
