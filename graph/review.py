"""The review page: one self-contained HTML file with a document's text, each extracted flow
highlighted at its span, and controls to accept, reject or correct a flow or add a missed one.

The page saves a corrections file (``docs/corrections.md``) by downloading it: a page opened
from disk cannot write files. Like the flow map it fetches nothing and runs only its own script
(a Content-Security-Policy with a fresh nonce); every text reaches it as JSON and is shown with
``textContent``, never as HTML.

>>> from graph.records import Document, Flow
>>> doc = Document("r.txt", "report", "Title\\n\\nHeroin moves from Afghanistan to Russia.")
>>> flow = Flow("heroin-trade", "heroin", ["AFG"], [], ["RUS"], span=(7, 47))
>>> [(start, words, flows) for start, words, flows, _ in chunks(doc.text, [flow.span], [])]
[(0, 'Title\\n\\n', []), (7, 'Heroin moves from Afghanistan to Russia.', [0])]
"""

from __future__ import annotations

import functools
import itertools
import os
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader

from graph.corrections import (
    CorrectionFile,
    CorrectionIndex,
    Notice,
    anchor,
    chain_text,
    correction_dict,
    corrections_in,
    flow_key,
)
from graph.digests import text_digest
from graph.fileio import atomic_write
from graph.flowmap import TEMPLATES, market_label, market_order
from graph.records import Document, Flow

#: One piece of the text between two span boundaries: its start (in code points), its words,
#: the flows read on it and the added flows on it (indices).
Chunk = tuple[int, str, list[int], list[int]]


@dataclass
class ReviewPage:
    """A written review page: the document, the flows it shows and what the previous
    corrections file (if any) brought or could not."""

    document: Document
    flows: list[Flow]
    html: str
    previous: CorrectionFile | None = None
    notices: list[Notice] = field(default_factory=list)
    path: Path | None = None


def chunks(
    text: str, spans: Sequence[tuple[int, int] | None], added: Sequence[tuple[int, int]]
) -> list[Chunk]:
    """The text cut at every span's ends, each piece with the flows (and added flows) on it."""
    cuts = {0, len(text)}
    for span in [*spans, *added]:
        if span is not None:
            cuts.update((max(0, min(span[0], len(text))), max(0, min(span[1], len(text)))))
    points = sorted(cuts)
    out: list[Chunk] = []
    for start, end in itertools.pairwise(points):
        if start == end:
            continue
        on = [i for i, s in enumerate(spans) if s is not None and s[0] <= start and end <= s[1]]
        on_added = [i for i, s in enumerate(added) if s[0] <= start and end <= s[1]]
        out.append((start, text[start:end], on, on_added))
    return out


def download_name(document: str) -> str:
    """The file name the page saves its corrections under: ``2015_zi.txt.corrections.json``."""
    stem = re.sub(r"[^\w.-]+", "_", document).strip("._") or "document"
    return f"{stem}.corrections.json"


def _flow_view(flow: Flow) -> dict[str, Any]:
    return {
        "market": flow.market,
        "commodity": flow.commodity,
        "origin": flow.origin,
        "transit": flow.transit,
        "destination": flow.destination,
        "span": list(flow.span) if flow.span is not None else None,
        "evidence": flow.evidence,
        "hedge": flow.hedge,
        "chain": chain_text(flow),
    }


@functools.cache
def _places() -> list[dict[str, str]]:
    """Every place code a flow may name, with its name, for the page's suggestions."""
    from graph.places import load_gazetteer

    gazetteer = load_gazetteer()
    countries = [{"code": c.iso3, "name": c.name} for c in gazetteer.countries.values()]
    regions = [{"code": r.slug, "name": r.name} for r in gazetteer.regions.values()]
    return sorted(countries, key=lambda p: p["name"]) + sorted(regions, key=lambda p: p["name"])


def page_data(
    doc: Document,
    flows: Sequence[Flow],
    previous: CorrectionFile | None = None,
    *,
    save_url: str | None = None,
) -> tuple[dict[str, Any], list[Notice]]:
    """What the page's script reads: the text in pieces, the flows, the markets and places, and
    the decisions of a previous corrections file (anchored in this text), with its notices."""
    decisions: dict[str, dict[str, Any]] = {}
    added: list[dict[str, Any]] = []
    carried: list[dict[str, Any]] = []
    notices: list[Notice] = []
    if previous is not None:
        kept, notices = anchor(previous, doc.text)
        where = {(f.span, flow_key(f)): i for i, f in reversed(list(enumerate(flows)))}
        for c in kept:
            # an earlier decision keeps its reviewer, whoever saves the file next
            entry = {**correction_dict(c), "reviewer": c.reviewer or previous.reviewer}
            if c.action == "add":
                added.append(entry)
                continue
            assert c.target is not None
            at = where.get((c.span, flow_key(c.target)))
            if at is None:
                carried.append(entry)  # its flow is no longer read: saved again as it was
            else:
                decisions[str(at)] = entry
    data = {
        "document": doc.name,
        "title": doc.title or doc.name,
        "text_digest": text_digest(doc.text),
        "download": download_name(doc.name),
        "save_url": save_url,
        "reviewer": previous.reviewer if previous is not None else "",
        "chunks": chunks(doc.text, [f.span for f in flows], [tuple(a["span"]) for a in added]),
        "flows": [_flow_view(f) for f in flows],
        "decisions": decisions,
        "added": added,
        "carried": carried,
        "dropped": [str(n) for n in notices if n.kind == "stale"],
        "markets": [{"slug": m, "label": market_label(m)} for m in market_order()],
        "places": _places(),
    }
    return data, notices


@functools.cache
def _environment() -> Environment:
    return Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=True)


def render_review(
    doc: Document,
    flows: Sequence[Flow],
    previous: CorrectionFile | None = None,
    *,
    save_url: str | None = None,
) -> tuple[str, list[Notice]]:
    """The page's HTML (script and styles inlined, data as escaped JSON), and the notices of the
    previous corrections. With ``save_url`` (``review --serve``) the page posts its corrections
    file there, to its own server only, instead of downloading it."""
    from graph.draw import _asset

    data, notices = page_data(doc, flows, previous, save_url=save_url)
    html = (
        _environment()
        .get_template("review.html")
        .render(
            title=f"Review: {data['title']}",
            nonce=secrets.token_urlsafe(18),
            connect="'self'" if save_url else "'none'",
            data=data,
            page_css=_asset(TEMPLATES / "review.css"),
            page_js=_asset(TEMPLATES / "review.js"),
        )
    )
    return html, notices


def review(
    path: str | os.PathLike[str],
    *,
    corrections: str | os.PathLike[str] | None = None,
) -> ReviewPage:
    """Read a document, extract its flows as ``build`` does and make its review page; with
    ``corrections`` (a corrections file or a folder of them), the page opens with that
    document's earlier decisions."""
    from graph.documents import load_document
    from graph.extract import extract_document

    loaded = load_document(path)
    doc, profile = loaded.document, loaded.profile
    flows = list(extract_document(doc, profile).flows)
    previous = None
    if corrections is not None:
        previous = CorrectionIndex(corrections_in(corrections)).for_document(doc)
    html, notices = render_review(doc, flows, previous)
    return ReviewPage(doc, flows, html, previous, notices)


def write_review(
    path: str | os.PathLike[str],
    output: str | os.PathLike[str],
    *,
    corrections: str | os.PathLike[str] | None = None,
) -> ReviewPage:
    """Write the review page of the document at ``path`` to ``output`` (atomically)."""
    page = review(path, corrections=corrections)
    target = Path(output)
    with atomic_write(target) as fh:
        fh.write(page.html)
    page.path = target
    return page
