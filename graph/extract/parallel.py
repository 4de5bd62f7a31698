"""Read a long document on several cores: its paragraphs split into chunks, one worker each.

A reader remembers what earlier sentences said (the last drug named, the places goods reached,
the countries named so far), so each worker first reads up to :data:`LEAD_CHARS` of the text
before its chunk and keeps only the flows of its own sentences. Chunks start at a paragraph,
where most of that memory starts afresh anyway. What a document said further back than that
(the places goods of a market reached, how often each country was named) is not known to the
worker: on the prose development set joined into one text, a 20,000-character lead gave 2 of
285 flows differently with 2 workers; a lead that covers the text gives every flow alike.
Workers are forked, so the text and the vocabulary are shared with them rather than sent; where
forking is not possible (a daemonic worker, a platform without fork) the document is read in
this process.
"""

from __future__ import annotations

import gc
import itertools
import multiprocessing
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from graph.extract.assemble import DocumentReader, Reading, first_statements
from graph.extract.segment import Sentence

#: Documents shorter than this (characters) are read in one process: forking costs more.
PARALLEL_MIN_CHARS = 1_000_000
#: How much text before its chunk a worker reads to remember what was said.
LEAD_CHARS = 200_000

#: Builds a reader over a window of the text (start, end) — see :class:`DocumentReader`.
ReaderFactory = Callable[[tuple[int, int] | None], DocumentReader]


@dataclass(frozen=True)
class Chunk:
    """Sentences ``[first, stop)`` to read, after reading sentences ``[lead, first)``."""

    lead: int
    first: int
    stop: int


def chunks(sentences: Sequence[Sentence], parts: int, lead_chars: int | None = None) -> list[Chunk]:
    """About ``parts`` chunks of about equal length, each starting at a paragraph.

    >>> s = [Sentence(i * 10, i * 10 + 9, "x" * 9, paragraph=i // 2) for i in range(8)]
    >>> [(c.lead, c.first, c.stop) for c in chunks(s, 2, lead_chars=15)]
    [(0, 0, 4), (3, 4, 8)]
    """
    if not sentences:
        return []
    lead_chars = LEAD_CHARS if lead_chars is None else lead_chars
    total = sentences[-1].end - sentences[0].start
    target = max(1, total // max(1, parts))
    bounds, since = [0], sentences[0].start
    for k in range(1, len(sentences)):
        new_paragraph = sentences[k].paragraph != sentences[k - 1].paragraph
        if new_paragraph and sentences[k].start - since >= target and len(bounds) < parts:
            bounds.append(k)
            since = sentences[k].start
    bounds.append(len(sentences))
    out = []
    for first, stop in itertools.pairwise(bounds):
        lead = first
        while lead > 0 and sentences[first].start - sentences[lead - 1].start <= lead_chars:
            lead -= 1
        out.append(Chunk(lead, first, stop))
    return out


def read_in_parallel(
    sentences: Sequence[Sentence], text_length: int, make_reader: ReaderFactory, jobs: int
) -> list[Reading] | None:
    """The readings of every sentence, read by ``jobs`` forked workers, each chunk's keeping
    only the first statement of each chain (:func:`first_statements`, which the caller applies
    to the whole anyway: 100,000 lines stating one flow are not sent back 100,000 times); None
    when the document is too short to gain from it or this process cannot fork workers."""
    if jobs < 2 or text_length < PARALLEL_MIN_CHARS or not _can_fork():
        return None
    parts = chunks(sentences, jobs)
    if len(parts) < 2:
        return None
    global _JOB
    _JOB = (sentences, make_reader, parts)
    # What the workers inherit (the text, its sentences, the vocabulary) is set aside from the
    # cyclic collector while they are forked: their collections then never walk it again
    # (nor copy its pages); this process's collector is left as it was found.
    freeze = gc.get_freeze_count() == 0
    if freeze:
        gc.freeze()
    try:
        with multiprocessing.get_context("fork").Pool(min(jobs, len(parts))) as pool:
            results = pool.map(_read_chunk, range(len(parts)), chunksize=1)
    finally:
        _JOB = None
        if freeze:
            gc.unfreeze()
    return [r for part in results for r in part]


#: What the forked workers read: set just before forking, so it is shared, not pickled.
_JOB: tuple[Sequence[Sentence], ReaderFactory, list[Chunk]] | None = None


def _read_chunk(index: int) -> list[Reading]:
    """The readings of one chunk's own sentences (in a forked worker)."""
    assert _JOB is not None
    sentences, make_reader, parts = _JOB
    chunk = parts[index]
    end = sentences[chunk.stop].end if chunk.stop < len(sentences) else sentences[-1].end
    reader = make_reader((sentences[chunk.lead].start, end))
    # The chunk's tokens live to the end: no collection need walk them again. A sentence's
    # reading makes thousands of short-lived objects; collecting the young ones every 50,000
    # rather than every 700 lets most die first (this worker's collector only).
    gc.freeze()
    gc.set_threshold(50_000, 50, 100)
    out: list[Reading] = []
    for k in range(chunk.lead, chunk.stop):
        readings = reader.sentence(reader.finder.sentence(sentences[k]))
        if k >= chunk.first:
            out.extend(readings)
    return first_statements(out)


def _can_fork() -> bool:
    """Whether this process may start forked workers (daemonic ones may not)."""
    return hasattr(os, "fork") and not multiprocessing.current_process().daemon


def default_jobs() -> int:
    """The cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1
