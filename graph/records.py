"""Plain typed records that flow one way: documents → records → RDF graph → views.

A :class:`Flow` is the unit of ``../spec/flows.md`` (what ``crimegraph extract``
prints); a :class:`Profile` is what ``crimegraph profile`` prints.
"""

from __future__ import annotations

import itertools
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

#: One transit stage: a place code, or a list of alternative place codes.
Stage = str | list[str]

ROLES: tuple[str, ...] = ("origin", "transit", "destination")
MODES: tuple[str, ...] = ("land", "road", "rail", "river", "sea", "air", "post")


@dataclass(frozen=True, order=True)
class Leg:
    """A directed step of a flow between two places, for one market."""

    market: str
    source: str
    target: str


@dataclass(frozen=True, order=True)
class Role:
    """A place playing a role (origin, transit, destination) in a flow of one market."""

    market: str
    place: str
    role: str


@dataclass(frozen=True)
class Review:
    """What a person did with one statement of a flow (``docs/corrections.md``): who, when, and
    whether they accepted, corrected or added it; the graph records it as PROV."""

    reviewer: str
    #: ISO 8601 date and time with its offset ("2026-12-03T10:30:00+00:00").
    time: str
    #: ``accepted``, ``corrected`` or ``added`` (the ``cg:ReviewAction`` individuals).
    action: str

    def to_dict(self) -> dict[str, str]:
        return {"reviewer": self.reviewer, "time": self.time, "action": self.action}


@dataclass
class Flow:
    """One movement of an illicit commodity that a document states.

    >>> f = Flow("heroin-trade", "heroin", ["AFG"], ["KAZ"], ["RUS"])
    >>> [(leg.source, leg.target) for leg in f.legs()]
    [('AFG', 'KAZ'), ('KAZ', 'RUS')]
    """

    market: str
    commodity: str
    origin: list[str] = field(default_factory=list)
    transit: list[Stage] = field(default_factory=list)
    destination: list[str] = field(default_factory=list)
    route: str | None = None
    mode: list[str] = field(default_factory=list)
    checkpoints: list[str] = field(default_factory=list)
    places: list[str] = field(default_factory=list)
    actors: list[str] = field(default_factory=list)
    evidence: str = ""
    span: tuple[int, int] | None = None
    #: The hedging or negating cue the text puts on the flow ("may", "historically"), else None.
    hedge: str | None = None
    #: Gold annotations only: a flow a careful reader may or may not draw.
    optional: bool = False
    #: Set when a person reviewed this statement (``build --corrections``); None when machine-read.
    review: Review | None = None

    def stages(self) -> list[list[str]]:
        """The flow as a chain of non-empty stages: origins, each transit stage, destinations."""
        chain: list[list[str]] = [list(self.origin)]
        for stage in self.transit:
            chain.append([stage] if isinstance(stage, str) else list(stage))
        chain.append(list(self.destination))
        return [s for s in chain if s]

    def legs(self) -> list[Leg]:
        """Directed legs between consecutive stages; a leg from a place to itself is dropped."""
        out: list[Leg] = []
        chain = self.stages()
        for before, after in itertools.pairwise(chain):
            for a in before:
                for b in after:
                    if a != b:
                        out.append(Leg(self.market, a, b))
        return out

    def roles(self) -> list[Role]:
        """Every (market, place, role) the flow states."""
        out = [Role(self.market, p, "origin") for p in self.origin]
        for stage in self.transit:
            for p in [stage] if isinstance(stage, str) else stage:
                out.append(Role(self.market, p, "transit"))
        out += [Role(self.market, p, "destination") for p in self.destination]
        return out

    def place_codes(self) -> list[str]:
        """All place codes of the flow, in order of first appearance."""
        seen: dict[str, None] = {}
        for stage in self.stages():
            for p in stage:
                seen.setdefault(p, None)
        return list(seen)

    def to_dict(self) -> dict[str, Any]:
        """The JSON object of the spec (``optional`` and ``review`` only when set)."""
        d = asdict(self)
        d["span"] = list(self.span) if self.span is not None else None
        if not self.optional:
            d.pop("optional")
        if self.review is None:
            d.pop("review")
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Flow:
        """Read a flow object of a flow file; missing list fields default to empty."""
        span = d.get("span")
        transit: list[Stage] = [
            s if isinstance(s, str) else [str(x) for x in s] for s in d.get("transit") or []
        ]
        return cls(
            market=str(d["market"]),
            commodity=str(d.get("commodity") or ""),
            origin=[str(x) for x in d.get("origin") or []],
            transit=transit,
            destination=[str(x) for x in d.get("destination") or []],
            route=d.get("route") or None,
            mode=[str(x) for x in d.get("mode") or []],
            checkpoints=[str(x) for x in d.get("checkpoints") or []],
            places=[str(x) for x in d.get("places") or []],
            actors=[str(x) for x in d.get("actors") or []],
            evidence=str(d.get("evidence") or ""),
            span=(int(span[0]), int(span[1])) if span else None,
            hedge=d.get("hedge") or None,
            optional=bool(d.get("optional", False)),
            review=_review(d.get("review")),
        )


def _review(value: Any) -> Review | None:
    """A flow object's ``review``, or None when it has none."""
    if not isinstance(value, dict):
        return None
    return Review(str(value["reviewer"]), str(value["time"]), str(value["action"]))


@dataclass
class DocumentFlows:
    """The flows of one document: the object ``crimegraph extract`` prints."""

    document: str
    subject: str | None
    flows: list[Flow] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "document": self.document,
            "subject": self.subject,
            "flows": [f.to_dict() for f in self.flows],
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> DocumentFlows:
        return cls(
            document=str(d.get("document") or ""),
            subject=d.get("subject") or None,
            flows=[Flow.from_dict(f) for f in d.get("flows") or []],
        )


DocumentKind = Literal["profile", "report"]


@dataclass
class Document:
    """A source document: its name, kind, subject country, year and text."""

    name: str
    kind: DocumentKind
    text: str
    subject: str | None = None
    title: str | None = None
    #: Year of the edition the document belongs to (2021 for an OC Index 2021 profile).
    year: int | None = None
    #: Free-form edition label ("2021", "2022-11-10").
    edition: str | None = None
    path: str | None = None
    publisher: str | None = None
    #: The format the text was read from ("text", "pdf", "html", "docx"; graph.ingest).
    source_format: str | None = None
    #: SHA-256 (hex) of the source file's bytes; the text's own digest is computed from ``text``.
    source_digest: str | None = None


@dataclass
class Rank:
    """A rank line of a profile: ``133rd of 193 countries`` (+ change in 2023 pages)."""

    position: int
    out_of: int
    group: str
    change: int | None = None


@dataclass
class Facts:
    """The country facts at the top of a profile."""

    capital: str | None = None
    income_group: str | None = None
    population: int | None = None
    area_km2: float | None = None
    geography_type: str | None = None
    gdp: str | None = None
    gini: float | None = None


@dataclass
class Profile:
    """An Organized Crime Index country profile, parsed.

    ``ranks`` maps a ranked score (``criminality``, ``resilience``) to its
    ``global``, ``continent`` and ``region`` :class:`Rank`.
    """

    document: str
    country: str
    iso3: str
    edition: int
    facts: Facts = field(default_factory=Facts)
    scores: dict[str, float] = field(default_factory=dict)
    changes: dict[str, float | None] = field(default_factory=dict)
    ranks: dict[str, dict[str, Rank]] = field(default_factory=dict)
    definitions: dict[str, str] = field(default_factory=dict)
    sections: dict[str, str] = field(default_factory=dict)
    #: Character offsets of each section's text in the document, for flow spans.
    section_spans: dict[str, tuple[int, int]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d.pop("section_spans")
        return d
