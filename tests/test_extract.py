"""The public extraction API: spans that index the document, bad input, and the quality bar
on the hand-annotated documents."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph.documents import load_document
from graph.errors import CrimegraphError
from graph.evaluate import evaluate
from graph.extract import MAX_TEXT_CHARS, extract_document, extract_text
from graph.records import DocumentFlows, Flow

DATA = Path(__file__).resolve().parent.parent / "data"
CORPUS = DATA / "corpus" / "cia_factbook"
PROFILE = DATA / "documents" / "kazakhstan-ocindex-2021.txt"


def _extract(path: Path) -> tuple[str, DocumentFlows]:
    loaded = load_document(path)
    return loaded.document.text, extract_document(loaded.document, loaded.profile)


def _spans_hold(text: str, flows: list[Flow]) -> bool:
    return all(f.span is not None and text[f.span[0] : f.span[1]] == f.evidence for f in flows)


def test_every_span_indexes_the_document_across_the_corpus() -> None:
    paths = [PROFILE, *sorted(CORPUS.rglob("*.txt"))]
    assert len(paths) > 1000
    total = 0
    for path in paths:
        text, result = _extract(path)
        assert _spans_hold(text, result.flows), path
        total += len(result.flows)
    assert total > 2000


def test_a_profile_reads_only_its_narrative_sections() -> None:
    loaded = load_document(PROFILE)
    assert loaded.profile is not None
    result = extract_document(loaded.document, loaded.profile)
    assert result.subject == "KAZ"
    spans = list(loaded.profile.section_spans.values())
    for flow in result.flows:
        assert flow.span is not None
        assert any(a <= flow.span[0] and flow.span[1] <= b for a, b in spans)


def _gold(name: str) -> DocumentFlows:
    return DocumentFlows.from_dict(json.loads((DATA / "gold" / name).read_text(encoding="utf-8")))


def _predict(gold: DocumentFlows) -> DocumentFlows:
    path = DATA / "documents" / gold.document
    if not path.exists():
        path = DATA / "corpus" / gold.document
    return _extract(path)[1]


def test_quality_on_the_annotated_profile() -> None:
    gold = _gold("kazakhstan-ocindex-2021.json")
    report = evaluate([gold], [_predict(gold)])
    assert report.total.country_legs.f1 >= 0.95
    assert report.total.region_legs.f1 >= 0.85


def test_quality_on_the_annotated_factbook_documents() -> None:
    names = sorted(p.name for p in (DATA / "gold").glob("*.json") if "ocindex" not in p.name)
    golds = [_gold(n) for n in names]
    assert len(golds) >= 9
    report = evaluate(golds, [_predict(g) for g in golds])
    assert report.total.country_legs.f1 >= 0.85


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\n  ",
        "Nowhere\n\nIllicit drugs:\nlocal consumption of cannabis is rising",
        "Kazakhstan\n\nIllicit drugs:\n\u202etransit point\u202c for h\u0065\u0301roin \U0001f600;",
        "Kazakhstan\n\n:\n;\n.\n",
        "Kazakhstan\r\n\r\nIllicit drugs:\r\ntransit point for heroin bound for Russia\r\n",
    ],
)
def test_odd_input_gives_a_result_not_a_traceback(text: str) -> None:
    result = extract_text(text, document="odd.txt", subject="KAZ")
    assert _spans_hold(text, result.flows)


def test_windows_line_endings_keep_offsets() -> None:
    text = "Kazakhstan\r\n\r\nIllicit drugs:\r\ntransit point for heroin bound for Russia\r\n"
    [flow] = extract_text(text, document="crlf.txt", subject="KAZ").flows
    assert (flow.transit, flow.destination) == (["KAZ"], ["RUS"])
    assert flow.evidence == "transit point for heroin bound for Russia"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"subject": "XXX"}, "unknown subject"),
        ({"subject": "KAZ", "kind": "novel"}, "unknown document kind"),
    ],
)
def test_bad_arguments_raise_one_line_errors(kwargs: dict[str, str], message: str) -> None:
    with pytest.raises(CrimegraphError, match=message) as info:
        extract_text("Kazakhstan\n\ntext", document="d.txt", **kwargs)  # type: ignore[arg-type]
    assert "\n" not in str(info.value)


def test_an_oversized_text_is_refused() -> None:
    text = "a" * (MAX_TEXT_CHARS + 1)
    with pytest.raises(CrimegraphError, match="limit"):
        extract_text(text, document="big.txt", subject=None)


WORDS = [
    "transit",
    "point",
    "for",
    "heroin",
    "from",
    "to",
    "via",
    "Afghan",
    "Russia",
    "Kazakhstan",
    "not",
    "may",
    "and",
    "or",
    ",",
    ";",
    ".",
    "women",
    "bound",
    "the",
    "country",
    "domestic",
    "consumption",
    "Europe",
    "source",
    "destination",
    "-bound",
    "(",
    ")",
    "\n",
    "Illicit drugs:",
]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(WORDS) | st.text(max_size=6), max_size=40))
def test_any_word_salad_gives_valid_flows(words: list[str]) -> None:
    text = "Kazakhstan\n\n" + " ".join(words)
    result = extract_text(text, document="salad.txt", subject="KAZ")
    assert _spans_hold(text, result.flows)
    for flow in result.flows:
        assert flow.origin or flow.transit or flow.destination
