"""A long report is read on several cores and gives exactly the flows of one reader."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from graph.extract import Reading, parallel, read_text
from graph.extract.segment import Sentence

PROSE = Path(__file__).resolve().parent.parent / "data" / "documents" / "prose"


def _key(readings: list[Reading]) -> list[tuple[object, ...]]:
    return [(r.flow.market, *map(repr, (r.flow.origin, r.flow.transit, r.flow.destination)),
             r.flow.span) for r in readings]  # fmt: skip


def test_reading_in_chunks_gives_the_flows_of_one_reader(monkeypatch: pytest.MonkeyPatch) -> None:
    report = "\n\n".join(p.read_text(encoding="utf-8") for p in sorted(PROSE.glob("*.txt")))
    alone = read_text(report, document="report.txt", subject=None, jobs=1)
    monkeypatch.setattr(parallel, "PARALLEL_MIN_CHARS", 1_000)
    forked = read_text(report, document="report.txt", subject=None, jobs=3)
    assert len(alone) > 250
    assert _key(forked) == _key(alone)  # each worker's lead (200,000 chars) covers the text
    monkeypatch.setattr(parallel, "LEAD_CHARS", 20_000)  # a short lead forgets a little
    short = read_text(report, document="report.txt", subject=None, jobs=3)
    assert len(set(_key(short)) ^ set(_key(alone))) <= len(alone) // 20


def test_a_short_text_is_read_in_this_process() -> None:
    sentences = [Sentence(0, 10, "x" * 10, paragraph=0)]
    assert parallel.read_in_parallel(sentences, 10, lambda window: None, jobs=4) is None  # type: ignore[arg-type, return-value]


@pytest.mark.parametrize("parts", [1, 2, 3, 7])
def test_chunks_cover_every_sentence_once_and_start_at_a_paragraph(parts: int) -> None:
    sentences = [Sentence(i * 50, i * 50 + 40, "x" * 40, paragraph=i // 3) for i in range(30)]
    found = parallel.chunks(sentences, parts, lead_chars=120)
    assert found[0].first == 0 and found[-1].stop == 30
    assert all(a.stop == b.first for a, b in itertools.pairwise(found))
    assert all(sentences[c.first].paragraph != sentences[c.first - 1].paragraph for c in found[1:])
    assert all(
        c.lead <= c.first and sentences[c.first].start - sentences[c.lead].start <= 120
        for c in found
    )
    assert len(found) <= parts


@pytest.mark.parametrize("enabled", [True, False])
def test_reading_leaves_the_cyclic_collector_as_it_found_it(
    enabled: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    import gc

    from graph.extract.tokens import Tokens

    monkeypatch.setattr(parallel, "PARALLEL_MIN_CHARS", 1_000)
    text = "Heroin is smuggled from Afghanistan via Iran to Turkey.\n\n" * 40
    (gc.enable if enabled else gc.disable)()
    try:
        assert [t.text for t in Tokens.of("via Iran")] == ["via", "Iran"]
        assert gc.isenabled() is enabled
        assert len(read_text(text, document="r.txt", subject=None, jobs=2)) == 1
        assert (gc.isenabled(), gc.get_freeze_count()) == (enabled, 0)
    finally:
        gc.enable()
