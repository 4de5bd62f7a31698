"""A person's corrections to a document's extracted flows (``docs/corrections.md``): read and
check a corrections file, anchor it in the document's current text, apply it to the flows.

A corrections file belongs to one document, named by the digest of its text
(:func:`graph.digests.text_digest`); each correction names a passage by its span and its words.
When the text has changed, a correction whose words are still in it is moved to where they are
now (re-anchored); one whose words are gone is reported, never silently dropped.

>>> from graph.records import DocumentFlows, Flow
>>> text = "Report\\n\\nHeroin goes from Afghanistan to Russia."
>>> read = Flow("heroin-trade", "heroin", ["AFG"], [], ["RUS"], evidence=text[8:], span=(8, 47))
>>> cfile = parse_corrections({
...     "crimegraph": "corrections", "version": 1, "document": "r.txt",
...     "text_digest": text_digest(text), "reviewer": "Ana", "saved": "2026-12-03T10:00:00Z",
...     "corrections": [{"action": "edit", "span": [8, 47], "quote": text[8:],
...         "target": {"market": "heroin-trade", "origin": ["AFG"], "destination": ["RUS"]},
...         "flow": {"transit": ["TJK"]}}]}, "r.corrections.json")
>>> applied = apply_corrections(DocumentFlows("r.txt", None, [read]), text, cfile)
>>> [(f.origin, f.transit, f.destination, f.review.action) for f in applied.flows.flows]
[(['AFG'], ['TJK'], ['RUS'], 'corrected')]
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from graph.digests import text_digest
from graph.errors import CrimegraphError
from graph.records import Document, DocumentFlows, Flow, Review, Stage

#: The value of a corrections file's ``crimegraph`` key, and the version this module reads.
FORMAT = "corrections"
VERSION = 1
#: What a correction may do, and what each records on the flow it leaves (``cg:reviewAction``).
REVIEW_ACTIONS: Mapping[str, str | None] = {
    "accept": "accepted",
    "reject": None,
    "edit": "corrected",
    "add": "added",
}
#: The fields of a flow that an edit may set (an add may set them too; others stay empty).
EDITABLE: tuple[str, ...] = ("market", "commodity", "origin", "transit", "destination")
#: Corrections files larger than this are refused.
MAX_BYTES = 20 * 1024 * 1024


# --- records --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Correction:
    """One decision on one passage: accept, reject or edit a flow read there, or add one."""

    number: int
    action: str
    span: tuple[int, int]
    quote: str
    time: str
    #: The flow as the extractor read it (accept, reject, edit): market, commodity and chain.
    target: Flow | None = None
    #: What the reviewer set: an edit's changed fields, or an added flow's fields.
    fields: Mapping[str, Any] = field(default_factory=dict)
    note: str | None = None
    #: Who made this decision when not the file's reviewer (an earlier review carried over).
    reviewer: str | None = None
    #: The file the correction was read from (several files of one document are merged).
    source: str = ""

    def summary(self) -> str:
        """``reject heroin-trade AFG → TJK → RUS at 13–74``."""
        flow = self.target if self.target is not None else _flow_of(self.fields)
        return f"{self.action} {flow.market} {chain_text(flow)} at {self.span[0]}–{self.span[1]}"


@dataclass
class CorrectionFile:
    """A reviewer's corrections to one document, as saved by the review page."""

    path: str
    document: str
    text_digest: str
    reviewer: str
    saved: str
    corrections: list[Correction]

    def to_dict(self) -> dict[str, Any]:
        return {
            "crimegraph": FORMAT,
            "version": VERSION,
            "document": self.document,
            "text_digest": self.text_digest,
            "reviewer": self.reviewer,
            "saved": self.saved,
            "corrections": [correction_dict(c) for c in self.corrections],
        }


@dataclass(frozen=True)
class Notice:
    """What happened to a correction that did not apply as written: one line for the user.

    ``kind`` is ``stale`` (its words are not in the text any more: not applied),
    ``re-anchored`` (moved to where its words are now), ``unmatched`` (the flow it names is no
    longer read there) or ``unused`` (a file no document of the build has).
    """

    path: str
    kind: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


@dataclass
class Applied:
    """A document's flows after its corrections, with what did not apply as written."""

    flows: DocumentFlows
    notices: list[Notice] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)


# --- reading and checking -------------------------------------------------------------------


def chain_text(flow: Flow) -> str:
    """``from AFG via TJK|KGZ → KAZ to RUS``: a flow's places by role, transit stages in order,
    alternatives joined by ``|``.

    >>> chain_text(Flow("heroin-trade", "heroin", [], ["KAZ"], []))
    'via KAZ'
    """
    parts = []
    if flow.origin:
        parts.append("from " + ", ".join(flow.origin))
    if flow.transit:
        stages = ([s] if isinstance(s, str) else s for s in flow.transit)
        parts.append("via " + " → ".join("|".join(stage) for stage in stages))
    if flow.destination:
        parts.append("to " + ", ".join(flow.destination))
    return " ".join(parts) or "(no places)"


def flow_key(flow: Flow) -> tuple[object, ...]:
    """What names a flow read in a passage: market and chain (places within a stage as sets).

    The extractor gives at most one flow per key in a document
    (:func:`graph.extract.assemble.first_statements`).
    """
    transit = [sorted([s] if isinstance(s, str) else s) for s in flow.transit]
    return (
        flow.market,
        tuple(sorted(flow.origin)),
        tuple(tuple(s) for s in transit if s),
        tuple(sorted(flow.destination)),
    )


def is_corrections(data: Any) -> bool:
    """True for a JSON value that says it is a corrections file."""
    return isinstance(data, dict) and data.get("crimegraph") == FORMAT


def read_corrections(path: str | os.PathLike[str]) -> CorrectionFile:
    """Read and check one corrections file; anything wrong is one :class:`CrimegraphError` line."""
    p = Path(path)
    try:
        if p.stat().st_size > MAX_BYTES:
            raise CrimegraphError(
                f"{p}: larger than {MAX_BYTES // 2**20} MB; not a corrections file"
            )
        raw = p.read_bytes()
    except OSError as exc:
        raise CrimegraphError(f"{p}: cannot read ({exc.strerror or exc})") from exc
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise CrimegraphError(f"{p}: not UTF-8 text (invalid byte at offset {exc.start})") from exc
    except json.JSONDecodeError as exc:
        raise CrimegraphError(f"{p}: not JSON ({exc.msg} at line {exc.lineno})") from exc
    return parse_corrections(data, str(p))


def parse_corrections(data: Any, path: str) -> CorrectionFile:
    """A corrections file's JSON value, checked: the first problem found is one error line."""
    if not is_corrections(data):
        raise CrimegraphError(f'{path}: not a corrections file (no "crimegraph": "{FORMAT}")')
    if data.get("version") != VERSION:
        raise CrimegraphError(f"{path}: corrections version {data.get('version')!r} (expected 1)")
    for key in ("document", "text_digest", "reviewer", "saved"):
        if not isinstance(data.get(key), str) or not data[key].strip():
            raise CrimegraphError(f"{path}: {key!r} is missing or not a non-empty string")
    digest = data["text_digest"]
    if len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
        raise CrimegraphError(f"{path}: 'text_digest' is not a SHA-256 in lower-case hex")
    saved = _time(data["saved"], f"{path}: 'saved'")
    items = data.get("corrections")
    if not isinstance(items, list):
        raise CrimegraphError(f"{path}: 'corrections' is missing or not a list")
    corrections = [_correction(item, n, saved, path) for n, item in enumerate(items, start=1)]
    return CorrectionFile(
        path=path,
        document=data["document"],
        text_digest=digest,
        reviewer=" ".join(data["reviewer"].split()),
        saved=saved,
        corrections=corrections,
    )


def _time(value: Any, where: str) -> str:
    """An ISO 8601 date and time, as ``xsd:dateTime`` writes it (UTC when no offset is given)."""
    if not isinstance(value, str):
        raise CrimegraphError(f"{where} is not a date and time")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise CrimegraphError(f"{where} is not an ISO 8601 date and time: {value!r}") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.isoformat()


def _correction(item: Any, number: int, saved: str, path: str) -> Correction:
    where = f"{path}: correction {number}"
    if not isinstance(item, dict):
        raise CrimegraphError(f"{where} is not an object")
    action = item.get("action")
    if action not in REVIEW_ACTIONS:
        known = ", ".join(REVIEW_ACTIONS)
        raise CrimegraphError(f"{where}: action {action!r} is not one of {known}")
    span = item.get("span")
    if not (
        isinstance(span, list)
        and len(span) == 2
        and all(isinstance(x, int) and not isinstance(x, bool) for x in span)
        and 0 <= span[0] < span[1]
    ):
        raise CrimegraphError(f"{where}: 'span' is not [start, end] with 0 <= start < end")
    quote = item.get("quote")
    if not isinstance(quote, str) or len(quote) != span[1] - span[0]:
        raise CrimegraphError(
            f"{where}: 'quote' is not the {span[1] - span[0]} characters its span covers"
        )
    time = _time(item["time"], f"{where}: 'time'") if "time" in item else saved
    note = item.get("note")
    if note is not None and not isinstance(note, str):
        raise CrimegraphError(f"{where}: 'note' is not a string")
    reviewer = item.get("reviewer")
    if reviewer is not None and (not isinstance(reviewer, str) or not reviewer.strip()):
        raise CrimegraphError(f"{where}: 'reviewer' is not a non-empty string")
    target = None
    if action != "add":
        target = _flow_of(_fields(item.get("target"), f"{where}: 'target'", need_market=True))
    fields: dict[str, Any] = {}
    if action in ("edit", "add"):
        fields = _fields(item.get("flow"), f"{where}: 'flow'", need_market=action == "add")
        if action == "edit" and not fields:
            raise CrimegraphError(f"{where}: an edit sets no field of the flow")
    who = " ".join(reviewer.split()) if reviewer else None
    return Correction(
        number, str(action), (span[0], span[1]), quote, time, target, fields, note, who, path
    )


def _fields(value: Any, where: str, *, need_market: bool) -> dict[str, Any]:
    """The editable fields of a flow object, checked against the vocabulary and gazetteer."""
    from graph.places import load_gazetteer
    from graph.vocab import market_slugs

    if not isinstance(value, dict):
        raise CrimegraphError(f"{where} is missing or not an object")
    unknown = sorted(set(value) - set(EDITABLE))
    if unknown:
        raise CrimegraphError(
            f"{where}: {unknown[0]!r} cannot be corrected ({', '.join(EDITABLE)})"
        )
    if need_market and "market" not in value:
        raise CrimegraphError(f"{where} has no 'market'")
    if "market" in value and value["market"] not in market_slugs():
        raise CrimegraphError(f"{where}: unknown market {value['market']!r}")
    if "commodity" in value and not isinstance(value["commodity"], str):
        raise CrimegraphError(f"{where}: 'commodity' is not a string")
    gazetteer = load_gazetteer()

    def place(code: Any, role: str) -> str:
        if not isinstance(code, str) or not (
            gazetteer.is_country(code) or gazetteer.is_region(code)
        ):
            raise CrimegraphError(
                f"{where}: {role} {code!r} is not an ISO3 country code or a region slug"
            )
        return code

    out: dict[str, Any] = {k: value[k] for k in ("market", "commodity") if k in value}
    for role in ("origin", "destination"):
        if role in value:
            if not isinstance(value[role], list):
                raise CrimegraphError(f"{where}: {role!r} is not a list of places")
            out[role] = [place(c, role) for c in value[role]]
    if "transit" in value:
        stages = value["transit"]
        if not isinstance(stages, list):
            raise CrimegraphError(f"{where}: 'transit' is not a list of places")
        transit: list[Stage] = []
        for stage in stages:
            if isinstance(stage, list):
                transit.append([place(c, "transit") for c in stage])
            else:
                transit.append(place(stage, "transit"))
        out["transit"] = transit
    return out


def _flow_of(fields: Mapping[str, Any]) -> Flow:
    return Flow(
        market=str(fields.get("market", "")),
        commodity=str(fields.get("commodity") or ""),
        origin=list(fields.get("origin") or []),
        transit=list(fields.get("transit") or []),
        destination=list(fields.get("destination") or []),
    )


def correction_dict(c: Correction) -> dict[str, Any]:
    """A correction as its file holds it."""
    out: dict[str, Any] = {"action": c.action, "span": list(c.span), "quote": c.quote}
    if c.target is not None:
        out["target"] = {
            "market": c.target.market,
            "commodity": c.target.commodity,
            "origin": c.target.origin,
            "transit": c.target.transit,
            "destination": c.target.destination,
        }
    if c.fields:
        out["flow"] = dict(c.fields)
    out["time"] = c.time
    if c.note:
        out["note"] = c.note
    if c.reviewer:
        out["reviewer"] = c.reviewer
    return out


def corrections_in(path: str | os.PathLike[str]) -> list[CorrectionFile]:
    """Every corrections file of a folder (``*.json``, sub-folders included), or one file."""
    p = Path(path)
    if p.is_file():
        return [read_corrections(p)]
    if not p.is_dir():
        raise CrimegraphError(f"{p}: no such folder of corrections")
    return [read_corrections(f) for f in sorted(p.rglob("*.json")) if f.is_file()]


# --- anchoring and applying -----------------------------------------------------------------


def anchor(cfile: CorrectionFile, text: str) -> tuple[list[Correction], list[Notice]]:
    """The corrections whose words are in ``text``, at their spans there, and notices for the
    ones moved or gone.

    A correction whose words stand at its span is kept; one whose words stand elsewhere is moved
    to the occurrence nearest its old start; one whose words are gone is stale.
    """
    kept: list[Correction] = []
    notices: list[Notice] = []
    for c in cfile.corrections:
        start, end = c.span
        if text[start:end] == c.quote:
            kept.append(c)
            continue
        found = _occurrences(text, c.quote)
        if not found:
            notices.append(
                Notice(
                    c.source or cfile.path,
                    "stale",
                    f"correction {c.number} ({c.summary()}) not applied: its words "
                    f"“{_clip(c.quote)}” are not in {cfile.document} any more",
                )
            )
            continue
        new_start = min(found, key=lambda s: (abs(s - start), s))
        moved = replace(c, span=(new_start, new_start + len(c.quote)))
        kept.append(moved)
        notices.append(
            Notice(
                c.source or cfile.path,
                "re-anchored",
                f"correction {c.number} ({c.summary()}) re-anchored: the text changed and its "
                f"words now stand at {new_start}–{new_start + len(c.quote)}",
            )
        )
    return kept, notices


def _occurrences(text: str, quote: str) -> list[int]:
    out: list[int] = []
    at = text.find(quote)
    while at >= 0:
        out.append(at)
        at = text.find(quote, at + 1)
    return out


def _clip(text: str, limit: int = 60) -> str:
    words = " ".join(text.split())
    return words if len(words) <= limit else words[: limit - 1] + "…"


def apply_corrections(flows: DocumentFlows, text: str, cfile: CorrectionFile) -> Applied:
    """``flows`` (the document's flows as read) after ``cfile``'s corrections.

    Reject removes the flow read at the span; accept and edit mark it reviewed (edit sets the
    changed fields); add inserts a flow on the span's words. A later correction of the same flow
    overrides an earlier one. An accept or edit whose flow is no longer read there is kept as the
    reviewer stated it; a reject whose flow is gone has nothing left to do. Both are noticed.
    """
    corrections, notices = anchor(cfile, text)
    out = list(flows.flows)
    decided: dict[tuple[object, ...], Correction] = {}
    added: list[Correction] = []
    for c in corrections:
        if c.action == "add":
            added.append(c)
        else:
            assert c.target is not None
            decided[(c.span, flow_key(c.target))] = c
    counts = {action: 0 for action in REVIEW_ACTIONS}
    index: dict[tuple[object, ...], int] = {
        (f.span, flow_key(f)): i for i, f in reversed(list(enumerate(out)))
    }
    removed: set[int] = set()
    for key, c in decided.items():
        at = index.get(key)
        if at is None:
            notices.append(_unmatched(cfile, c))
            if c.action == "reject":
                continue
        elif c.action == "reject":
            removed.add(at)
            counts["reject"] += 1
            continue
        base = out[at] if at is not None else _stated(c, text)
        changed = replace(base, **_replacing(c.fields)) if c.action == "edit" else base
        review = Review(c.reviewer or cfile.reviewer, c.time, str(REVIEW_ACTIONS[c.action]))
        if at is None:
            out.append(replace(changed, review=review))
        else:
            out[at] = replace(changed, review=review)
        counts[c.action] += 1
    for c in added:
        flow = replace(_stated(c, text), **_replacing(c.fields))
        out.append(replace(flow, review=Review(c.reviewer or cfile.reviewer, c.time, "added")))
        counts["add"] += 1
    kept = [f for i, f in enumerate(out) if i not in removed]
    kept.sort(key=lambda f: (f.span or (-1, -1))[0])
    return Applied(DocumentFlows(flows.document, flows.subject, kept), notices, counts)


def _stated(c: Correction, text: str) -> Flow:
    """A flow on a correction's passage, as its target says (before any edit)."""
    base = c.target if c.target is not None else _flow_of({})
    return replace(base, evidence=text[c.span[0] : c.span[1]], span=c.span)


def _replacing(fields: Mapping[str, Any]) -> dict[str, Any]:
    """The keyword arguments of :func:`dataclasses.replace` that set an edit's fields."""
    out: dict[str, Any] = {}
    for key, value in fields.items():
        if key == "transit":
            out[key] = [list(s) if isinstance(s, list) else s for s in value]
        elif key in ("origin", "destination"):
            out[key] = list(value)
        else:
            out[key] = value
    return out


def _unmatched(cfile: CorrectionFile, c: Correction) -> Notice:
    if c.action == "reject":
        what = "nothing to reject: the flow is no longer read there"
    else:
        what = "the flow is no longer read there; kept as the reviewer stated it"
    where = c.source or cfile.path
    return Notice(where, "unmatched", f"correction {c.number} ({c.summary()}): {what}")


# --- finding each document's corrections ----------------------------------------------------


def merged(files: Sequence[CorrectionFile]) -> CorrectionFile:
    """Several corrections files of one document as one: their corrections in the order the
    files were saved (a later decision on a flow overrides an earlier one), each keeping its
    reviewer and its file."""
    if len(files) == 1:
        return files[0]
    ordered = sorted(files, key=lambda f: (datetime.fromisoformat(f.saved), f.path))
    last = ordered[-1]
    corrections = [
        replace(c, reviewer=c.reviewer or f.reviewer) for f in ordered for c in f.corrections
    ]
    return replace(last, path=" + ".join(f.path for f in ordered), corrections=corrections)


class CorrectionIndex:
    """Corrections files by the documents they belong to: by text digest, else by name."""

    def __init__(self, files: Iterable[CorrectionFile]) -> None:
        self.files = list(files)
        self.by_digest: dict[str, list[CorrectionFile]] = {}
        for f in self.files:
            self.by_digest.setdefault(f.text_digest, []).append(f)
        self.used: set[str] = set()

    def for_document(self, doc: Document, others: Iterable[str] = ()) -> CorrectionFile | None:
        """The corrections of ``doc`` (:func:`merged` when several files have them): the files
        keyed by its text's digest, else those that name it exactly (its text changed since the
        review). ``others`` are the digests of the other documents read: a file keyed by one of
        them is theirs, whatever it names."""
        found = self.by_digest.get(text_digest(doc.text))
        if found is None:
            taken = set(others)
            found = [f for f in self.files if f.document == doc.name and f.text_digest not in taken]
        if not found:
            return None
        self.used.update(f.path for f in found)
        return merged(found)

    def unused(self) -> list[CorrectionFile]:
        """The files no document of the build took."""
        return [f for f in self.files if f.path not in self.used]


def correct_all(
    documents: Sequence[Document],
    flows: Mapping[str, DocumentFlows],
    index: CorrectionIndex,
) -> tuple[dict[str, DocumentFlows], list[Notice], dict[str, int]]:
    """Every document's flows after its corrections, the notices, and the counts per action."""
    out = dict(flows)
    notices: list[Notice] = []
    totals = {action: 0 for action in REVIEW_ACTIONS}
    digests = {text_digest(doc.text) for doc in documents}
    for doc in documents:
        cfile = index.for_document(doc, digests)
        if cfile is None:
            continue
        read = flows.get(doc.name) or DocumentFlows(doc.name, doc.subject, [])
        applied = apply_corrections(read, doc.text, cfile)
        out[doc.name] = applied.flows
        notices += applied.notices
        for action, n in applied.counts.items():
            totals[action] += n
    for f in index.unused():
        notices.append(
            Notice(f.path, "unused", f"no document of this build is {f.document} (or has its text)")
        )
    return out, notices, totals
