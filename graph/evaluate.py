"""Score extracted flows against hand annotations, exactly as ``spec/flows.md`` says.

Legs ``(market, from, to)`` and roles ``(market, place, role)`` are compared as sets per
document; legs between two countries are the headline figure, legs touching a region are
reported beside it. Legs and roles of gold flows marked ``optional`` are removed from the
prediction before counting.

>>> from graph.records import DocumentFlows, Flow
>>> stated = Flow("heroin-trade", "heroin", ["AFG"], ["KAZ"], ["RUS"])
>>> found = Flow("heroin-trade", "heroin", ["AFG"], [], ["KAZ"])
>>> gold, pred = DocumentFlows("d.txt", "KAZ", [stated]), DocumentFlows("d.txt", "KAZ", [found])
>>> report = evaluate([gold], [pred])
>>> round(report.total.country_legs.f1, 2)
0.67
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from graph.errors import CrimegraphError
from graph.records import DocumentFlows, Flow, Leg, Role

_COUNTRY_CODE = re.compile(r"^[A-Z]{3}$")


def is_country_code(code: str) -> bool:
    """ISO 3166-1 alpha-3 codes are countries; lower-case slugs are regions."""
    return bool(_COUNTRY_CODE.match(code))


@dataclass
class Score:
    """True positives, false positives and false negatives of one comparison, with P/R/F1."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def __iadd__(self, other: Score) -> Score:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn
        return self

    def as_dict(self) -> dict[str, float | int]:
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
        }


@dataclass
class Scores:
    """The three figures of the spec: country legs, region legs, roles."""

    country_legs: Score = field(default_factory=Score)
    region_legs: Score = field(default_factory=Score)
    roles: Score = field(default_factory=Score)

    def __iadd__(self, other: Scores) -> Scores:
        self.country_legs += other.country_legs
        self.region_legs += other.region_legs
        self.roles += other.roles
        return self

    def as_dict(self) -> dict[str, dict[str, float | int]]:
        return {
            "country_legs": self.country_legs.as_dict(),
            "region_legs": self.region_legs.as_dict(),
            "roles": self.roles.as_dict(),
        }


@dataclass
class DocumentEval:
    """One document's scores and the legs it missed or added."""

    document: str
    scores: Scores
    missed_legs: list[Leg] = field(default_factory=list)
    extra_legs: list[Leg] = field(default_factory=list)
    missed_roles: list[Role] = field(default_factory=list)
    extra_roles: list[Role] = field(default_factory=list)


@dataclass
class EvalReport:
    """Per-document results and their micro-average."""

    documents: list[DocumentEval]
    total: Scores
    #: What did not apply as written in corrections files used as gold (one line each).
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {
            "micro": self.total.as_dict(),
            "documents": [
                {
                    "document": d.document,
                    **d.scores.as_dict(),
                    "missed_legs": [_leg_text(x) for x in d.missed_legs],
                    "extra_legs": [_leg_text(x) for x in d.extra_legs],
                    "missed_roles": [_role_text(x) for x in d.missed_roles],
                    "extra_roles": [_role_text(x) for x in d.extra_roles],
                }
                for d in self.documents
            ],
        }


def _leg_text(leg: Leg) -> str:
    return f"{leg.market}: {leg.source} → {leg.target}"


def _role_text(role: Role) -> str:
    return f"{role.market}: {role.place} ({role.role})"


def _legs(flows: Iterable[Flow]) -> set[Leg]:
    return {leg for f in flows for leg in f.legs()}


def _roles(flows: Iterable[Flow]) -> set[Role]:
    return {role for f in flows for role in f.roles()}


def _compare(gold: set[Any], pred: set[Any]) -> Score:
    return Score(tp=len(gold & pred), fp=len(pred - gold), fn=len(gold - pred))


def _is_country_leg(leg: Leg) -> bool:
    return is_country_code(leg.source) and is_country_code(leg.target)


def evaluate_document(gold: DocumentFlows, predicted: DocumentFlows | None) -> DocumentEval:
    """Compare one document's predicted flows with its gold flows."""
    required = [f for f in gold.flows if not f.optional]
    optional = [f for f in gold.flows if f.optional]
    pred_flows = predicted.flows if predicted is not None else []

    gold_legs = _legs(required)
    gold_roles = _roles(required)
    # Optional legs and roles are neither required nor errors: drop them from the prediction,
    # except where a required flow states the same leg or role.
    pred_legs = _legs(pred_flows) - (_legs(optional) - gold_legs)
    pred_roles = _roles(pred_flows) - (_roles(optional) - gold_roles)

    gold_c = {x for x in gold_legs if _is_country_leg(x)}
    pred_c = {x for x in pred_legs if _is_country_leg(x)}
    scores = Scores(
        country_legs=_compare(gold_c, pred_c),
        region_legs=_compare(gold_legs - gold_c, pred_legs - pred_c),
        roles=_compare(gold_roles, pred_roles),
    )
    return DocumentEval(
        document=gold.document,
        scores=scores,
        missed_legs=sorted(gold_legs - pred_legs),
        extra_legs=sorted(pred_legs - gold_legs),
        missed_roles=sorted(gold_roles - pred_roles),
        extra_roles=sorted(pred_roles - gold_roles),
    )


def _parts(name: str) -> tuple[str, ...]:
    return PurePosixPath(name.replace("\\", "/")).parts


def _common_suffix(a: tuple[str, ...], b: tuple[str, ...]) -> int:
    n = 0
    while n < min(len(a), len(b)) and a[-1 - n] == b[-1 - n]:
        n += 1
    return n


def pair_documents(
    gold: Sequence[DocumentFlows], predicted: Sequence[DocumentFlows]
) -> list[tuple[DocumentFlows, DocumentFlows | None]]:
    """Pair each gold document with the prediction whose path shares the longest suffix.

    ``cia_factbook/factbook_json_2022-11-10/kz_kazakhstan.txt`` pairs with a prediction named
    ``.../factbook_json_2022-11-10/kz_kazakhstan.txt``, not with another edition's file.
    """
    pairs: list[tuple[DocumentFlows, DocumentFlows | None]] = []
    for g in gold:
        gp = _parts(g.document)
        best: DocumentFlows | None = None
        best_len = 0
        for p in predicted:
            n = _common_suffix(gp, _parts(p.document))
            if n > best_len:
                best, best_len = p, n
        pairs.append((g, best))
    return pairs


def evaluate(gold: Sequence[DocumentFlows], predicted: Sequence[DocumentFlows]) -> EvalReport:
    """Score predictions against gold annotations, per document and micro-averaged.

    A gold document with no matching prediction scores as all missed.
    """
    docs = [evaluate_document(g, p) for g, p in pair_documents(gold, predicted)]
    total = Scores()
    for d in docs:
        total += d.scores
    return EvalReport(documents=docs, total=total)


def read_gold(path: str | os.PathLike[str]) -> DocumentFlows:
    """Read a gold flow file; a file without a ``flows`` list is refused with a clear message."""
    from graph.build import read_flow_file

    return read_flow_file(path)


def locate_document(name: str, gold_path: Path) -> Path:
    """Find the text a gold file annotates: beside the gold file, or in the bundled data."""
    from graph.documents import DATA_DIR, DOCUMENT_ROOTS

    candidates = [gold_path.parent / name, Path(name)]
    candidates += [DATA_DIR / root / name for root in DOCUMENT_ROOTS]
    for c in candidates:
        if c.is_file():
            return c
    raise CrimegraphError(f"{gold_path}: cannot find its document '{name}'")


def gold_files(paths: Sequence[str | os.PathLike[str]]) -> list[Path]:
    """Gold files named, and every ``.json`` file under a folder named (profile score files
    ``*.profile.json`` left out)."""
    out: list[Path] = []
    for item in paths:
        p = Path(item)
        if p.is_dir():
            found = sorted(f for f in p.rglob("*.json") if f.is_file())
            out += [f for f in found if not f.name.endswith(".profile.json")]
        else:
            out.append(p)
    return out


@dataclass
class _Gold:
    """One gold file read: its flows, and the extractor's reading when the gold is a
    corrections file (the flows it corrects)."""

    path: Path
    flows: DocumentFlows
    read: DocumentFlows | None = None


class _DocumentFinder:
    """The documents of corrections files: among ``documents`` by text digest, else beside the
    corrections file or in the bundled data by name."""

    def __init__(self, documents: Sequence[str | os.PathLike[str]]) -> None:
        self.documents = documents
        self._by_digest: dict[str, Path] | None = None

    def by_digest(self) -> dict[str, Path]:
        if self._by_digest is None:
            from graph.digests import text_digest
            from graph.documents import expand_paths
            from graph.fileio import read_document

            self._by_digest = {}
            for path in expand_paths([str(d) for d in self.documents]):
                self._by_digest.setdefault(text_digest(read_document(path)), path)
        return self._by_digest

    def find(self, digest: str, name: str, gold_path: Path) -> Path:
        found = self.by_digest().get(digest)
        if found is not None:
            return found
        try:
            return locate_document(name, gold_path)
        except CrimegraphError:
            raise CrimegraphError(
                f"{gold_path}: cannot find its document '{name}' (give it with --documents)"
            ) from None


def _read_gold(path: Path, finder: _DocumentFinder, notes: list[str]) -> _Gold:
    """A gold flow file as it is; a corrections file as the extractor's reading of its
    document with the corrections applied (flows left alone count as accepted)."""
    from graph.corrections import apply_corrections, is_corrections, parse_corrections

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        data = None  # read_gold says what is wrong, in one line
    if not is_corrections(data):
        return _Gold(path, read_gold(path))
    from graph.documents import load_document
    from graph.extract import extract_document

    cfile = parse_corrections(data, str(path))
    loaded = load_document(finder.find(cfile.text_digest, cfile.document, path))
    doc = loaded.document
    read = extract_document(doc, loaded.profile)
    read = DocumentFlows(cfile.document, read.subject, read.flows)
    applied = apply_corrections(read, doc.text, cfile)
    notes += [str(n) for n in applied.notices]
    return _Gold(path, applied.flows, read)


def evaluate_files(
    gold_paths: Sequence[str | os.PathLike[str]],
    predictions: str | os.PathLike[str] | None = None,
    *,
    documents: Sequence[str | os.PathLike[str]] = (),
) -> EvalReport:
    """Score the extractor (or a folder of prediction files) against gold files.

    A gold file is a flow file, or a corrections file (``docs/corrections.md``): its gold is
    the extractor's reading of its document with the corrections applied, so a user's review
    measures the extractor on their own material. Folders stand for every ``.json`` file in
    them. Documents of corrections files are found among ``documents`` by text digest, else by
    name beside the file or in the bundled data.
    """
    from graph.build import read_flow_file

    notes: list[str] = []
    finder = _DocumentFinder(documents)
    golds = [_read_gold(p, finder, notes) for p in gold_files(gold_paths)]
    if not golds:
        raise CrimegraphError("no gold file given (a folder of gold files held no .json file)")
    if predictions is not None:
        folder = Path(predictions)
        if not folder.is_dir():
            raise CrimegraphError(f"{folder}: not a directory of prediction files")
        preds = [read_flow_file(p) for p in sorted(folder.rglob("*.json"))]
    else:
        from graph.documents import load_document
        from graph.extract import extract_document

        preds = []
        for gold in golds:
            if gold.read is not None:
                preds.append(gold.read)
                continue
            loaded = load_document(locate_document(gold.flows.document, gold.path))
            found = extract_document(loaded.document, loaded.profile)
            preds.append(DocumentFlows(gold.flows.document, found.subject, found.flows))
    report = evaluate([g.flows for g in golds], preds)
    report.notes = notes
    return report
