"""Read the extraction vocabulary (``data/lexicon/*.csv``) into compiled tables.

Every word the reader acts on lives in those files, so that the vocabulary can grow without
touching code; this module only parses and compiles them, once per process. A table
(:class:`graph.extract.phrases.PhraseTable`) finds its phrases by one look-up per token.
"""

from __future__ import annotations

import csv
import functools
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from graph.errors import CrimegraphError
from graph.extract.phrases import Hit, Scanner
from graph.extract.phrases import PhraseTable as Table

#: Environment variable naming the data directory (the one holding ``lexicon/``).
DATA_ENV = "CRIMEGRAPH_DATA"

ROLES = ("origin", "transit", "destination")
PLACE_ROLES = (*ROLES, "entry")
CUE_ROLES = (*PLACE_ROLES, "onward", "back", "between", "same", "for", "weak", "none")
COMMODITY_KINDS = (
    "drug",
    "generic",
    "precursor",
    "person",
    "activity",
    "money",
    "species",
    "exploitation",
    "other",
)
VERB_CLASSES = (
    "move",
    "enter",
    "leave",
    "cross",
    "reach",
    "transit",
    "supply",
    "source",
    "export",
    "import",
    "produce",
    "trace",
    "consume",
    "exploit",
    "recruit",
    "stage",
    "arrive",
    "seize",
    "bypass",
    "base",
)
NOUN_KINDS = (
    "market",
    "person",
    "actor",
    "authority",
    "border",
    "owner",
    "origin-suffix",
    "destination-suffix",
    "corridor",
    "workplace",
    "production",
    "not-subject",
)
ROLE_PHRASE_KINDS = ("word", "noun", "predicate", "head", "blocker")
HEDGE_KINDS = ("hedge", "negation", "licit")
LINKS = (
    "sequence",
    "direct",
    "often",
    "mostly",
    "alternative",
    "detail",
    "also",
    "part",
    "inside",
    "earlier",
)
ANAPHORA = (
    "there",
    "country",
    "latter",
    "former",
    "both",
    "those",
    "same",
    "goods",
    "continuation",
)
NONFLOW = ("legal", "refugee", "policy", "lure", "cover", "combat", "comparison", "fraud", "aside")
SIGNALS = (
    "import",
    "export",
    "internal",
    "foreign",
    "abroad",
    "exploitation",
    "waypoint",
    "tourism",
    "reverse",
)


@dataclass(frozen=True)
class CommodityTerm:
    """A word for what moves: its label, market (None: decided by context) and kind."""

    label: str
    market: str | None
    kind: str


@dataclass(frozen=True)
class VerbSense:
    """What a verb makes of the places around it (``verbs.csv``); None: no role."""

    cls: str
    #: Role of a place right after the verb ("leave Colombia").
    object: str | None
    #: Role of the place that is the verb's subject in the active voice ("Paraguay supplies").
    subject: str | None
    #: Role of a place after "in"/"at" following the verb ("produced in").
    locative: str | None


@dataclass(frozen=True)
class FieldRule:
    """How to read a report field: ``read`` or ``skip``, the market of its person words, and
    the only markets it speaks of (empty: any)."""

    heading: re.Pattern[str]
    action: str
    market: str | None
    only: frozenset[str]


@dataclass(frozen=True)
class Lexicon:
    """The compiled vocabulary of flow extraction (see ``data/lexicon/README.md``)."""

    commodities: Table
    commodity_terms: tuple[CommodityTerm, ...]
    cues: Table
    verbs: Table
    verb_senses: tuple[VerbSense, ...]
    triggers: Table
    links: Table
    anaphora: Table
    nonflow: Table
    glue: frozenset[str]
    glue_max_words: int
    adjectives: frozenset[str]
    nouns: Table
    role_phrases: Table
    role_kinds: tuple[str, ...]
    hedges: Table
    hedge_kinds: tuple[str, ...]
    modes: Table
    routes: Table
    actor_heads: Table
    actor_modifiers: frozenset[str]
    place_suffixes: re.Pattern[str]
    checkpoint_heads: re.Pattern[str]
    fields: tuple[FieldRule, ...]
    signals: Table
    context: Table
    #: Words that may stand between a holder and its role phrase ("remains a major").
    openings: frozenset[str]
    #: Words that take "of" inside such an opening ("one of the largest", "number of").
    partitives: frozenset[str]
    #: Words that may join commodity words into one group ("including").
    joiners: frozenset[str]
    #: Words that carry a list of destinations on ("…, to a lesser extent Europe, and
    #: occasionally to the US").
    list_on: frozenset[str]
    #: Amounts and loads that may stand between "no" and the goods it denies ("no significant
    #: shipments of heroin").
    quantities: frozenset[str]
    #: Plural nouns of places and venues that make a list of places after them parallel ("to
    #: ports in Chile and Peru", "through companies in Andorra and Gibraltar").
    venues: frozenset[str]
    #: Words before people that make them who act, not who move ("involves Chinese nationals").
    acting: frozenset[str]
    #: Participles that do the same with "by" ("run by Chinese nationals").
    control: frozenset[str]
    clause_split: re.Pattern[str]
    lead_clause: re.Pattern[str]
    abbreviation: re.Pattern[str]

    @functools.cached_property
    def scanner(self) -> Scanner:
        """The tables a sentence is read with, scanned in one pass (see ``mentions``)."""
        return Scanner(
            [
                self.anaphora,
                self.routes,
                self.verbs,
                self.nonflow,
                self.commodities,
                self.cues,
                self.triggers,
                self.links,
                self.role_phrases,
                self.hedges,
                self.modes,
                self.actor_heads,
                self.signals,
                self.context,
            ]
        )

    def commodity(self, hit: Hit) -> CommodityTerm:
        """The commodity term a hit of :attr:`commodities` stands for."""
        return self.commodity_terms[int(hit.value)]

    def verb(self, hit: Hit) -> VerbSense:
        """The verb sense a hit of :attr:`verbs` stands for."""
        return self.verb_senses[int(hit.value)]

    def field_rule(self, heading: str) -> FieldRule:
        """What to do with a report field (the first rule whose heading pattern matches)."""
        for rule in self.fields:
            if rule.heading.fullmatch(heading.strip()):
                return rule
        return FieldRule(re.compile(".*"), "read", None, frozenset())


def lexicon_dir() -> Path:
    """``$CRIMEGRAPH_DATA/lexicon`` if set, else ``data/lexicon`` in the repository."""
    root = os.environ.get(DATA_ENV)
    base = Path(root) if root else Path(__file__).resolve().parents[2] / "data"
    return base / "lexicon"


def lexicon_files() -> list[Path]:
    """Every vocabulary file, for the extractor's cache fingerprint."""
    return sorted(lexicon_dir().glob("*.csv"))


def _rows(name: str) -> list[dict[str, str]]:
    """The rows of one CSV file of the lexicon, without comment lines (``# ...``)."""
    path = lexicon_dir() / name
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            lines = [line for line in handle if not line.startswith("#")]
    except OSError as exc:
        raise CrimegraphError(f"{path}: cannot read lexicon ({exc.strerror or exc})") from exc
    rows = list(csv.DictReader(lines))
    for row in rows:
        if None in row or any(v is None for v in row.values()):
            raise CrimegraphError(f"{path}: malformed row {row}")
    return rows


def _check(name: str, value: str, allowed: Iterable[str]) -> str:
    if value not in allowed:
        raise CrimegraphError(f"lexicon {name}: unknown value {value!r}")
    return value


def _optional(name: str, value: str, allowed: Iterable[str]) -> str | None:
    return _check(name, value, allowed) if value else None


def _compile(fragment: str, name: str, flags: int = re.IGNORECASE) -> re.Pattern[str]:
    try:
        return re.compile(fragment, flags)
    except re.error as exc:
        raise CrimegraphError(f"lexicon {name}: bad pattern {fragment!r} ({exc})") from exc


def _table(
    entries: list[tuple[str, str]],
    name: str,
    *,
    bounded_start: bool = True,
    hyphen_after: bool = False,
    flags: int = re.I,
) -> Table:
    """A phrase table over (fragment, value) entries; a fragment that is no valid regular
    expression is refused with the file's name."""
    for fragment, _ in entries:
        _compile(fragment, name, flags)
    return Table.build(
        entries,
        folded=bool(flags & re.IGNORECASE),
        after_hyphen=not bounded_start,
        before_hyphen=hyphen_after,
    )


def _words(cell: str) -> Iterable[str]:
    """The alternatives of a cell: split at each "|" outside parentheses."""
    depth, begin = 0, 0
    for i, ch in enumerate(cell):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            if cell[begin:i]:
                yield cell[begin:i]
            begin = i + 1
    if cell[begin:]:
        yield cell[begin:]


def _entries(name: str, column: str, value: str, allowed: Iterable[str]) -> list[tuple[str, str]]:
    """(fragment, value) pairs of a file whose rows give phrases and one value each."""
    return [
        (w, _check(f"{name} {value}", r[value], allowed))
        for r in _rows(name)
        for w in _words(r[column])
    ]


@functools.cache
def load_lexicon() -> Lexicon:
    """The bundled vocabulary, compiled once per process."""
    terms: list[CommodityTerm] = []
    commodity_entries: list[tuple[str, str]] = []
    for row in _rows("commodities.csv"):
        kind = _check("commodities.csv kind", row["kind"], COMMODITY_KINDS)
        terms.append(CommodityTerm(row["label"], row["market"] or None, kind))
        commodity_entries.extend((w, str(len(terms) - 1)) for w in _words(row["term"]))

    senses: list[VerbSense] = []
    verb_entries: list[tuple[str, str]] = []
    for row in _rows("verbs.csv"):
        senses.append(
            VerbSense(
                _check("verbs.csv class", row["class"], VERB_CLASSES),
                _optional("verbs.csv object", row["object"], (*PLACE_ROLES, "none")),
                _optional("verbs.csv subject", row["subject"], PLACE_ROLES),
                _optional("verbs.csv locative", row["locative"], (*PLACE_ROLES, "none")),
            )
        )
        verb_entries.extend((w, str(len(senses) - 1)) for w in _words(row["forms"]))

    role_entries: list[tuple[str, str]] = []
    role_kinds: list[str] = []
    for r in _rows("role_phrases.csv"):
        kind = _check("role_phrases.csv kind", r["kind"], ROLE_PHRASE_KINDS)
        if kind in ("word", "noun", "predicate"):
            _check("role_phrases.csv role", r["role"], ROLES)
        for w in _words(r["phrase"]):
            role_entries.append((w, f"{len(role_kinds)}"))
            role_kinds.append(f"{kind}:{r['role']}")
    hedge_entries: list[tuple[str, str]] = []
    hedge_kinds: list[str] = []
    for r in _rows("hedges.csv"):
        kind = _check("hedges.csv kind", r["kind"], HEDGE_KINDS)
        for w in _words(r["cue"]):
            hedge_entries.append((w, str(len(hedge_kinds))))
            hedge_kinds.append(f"{kind}:{r['label'] or w.lower()}")
    glue = frozenset(" ".join(r["phrase"].lower().split()) for r in _rows("glue.csv"))
    actor_rows = _rows("actors.csv")
    heads = [(w, "head") for r in actor_rows if r["kind"] == "head" for w in _words(r["word"])]
    modifiers = frozenset(
        w.lower() for r in actor_rows if r["kind"] == "modifier" for w in _words(r["word"])
    )
    sub_rows = _rows("subnational.csv")
    suffixes = "|".join(w for r in sub_rows if r["kind"] == "place" for w in _words(r["word"]))
    checkpoints = "|".join(
        w for r in sub_rows if r["kind"] == "checkpoint" for w in _words(r["word"])
    )
    fields = tuple(
        FieldRule(
            _compile(r["heading"], "fields.csv"),
            _check("fields.csv action", r["action"], ("read", "skip")),
            r["market"] or None,
            frozenset(_words(r["only"])),
        )
        for r in _rows("fields.csv")
    )
    function_words: dict[str, set[str]] = {
        "opening": set(),
        "partitive": set(),
        "joiner": set(),
        "list-on": set(),
        "quantity": set(),
        "venue": set(),
        "acting": set(),
        "control": set(),
    }
    for r in _rows("function_words.csv"):
        use = _check("function_words.csv use", r["use"], tuple(function_words))
        function_words[use].update(w.lower() for w in _words(r["word"]))
    bounds: dict[str, list[str]] = {"split": [], "lead": [], "abbreviation": []}
    for r in _rows("boundaries.csv"):
        bounds[_check("boundaries.csv kind", r["kind"], tuple(bounds))].append(r["pattern"])
    return Lexicon(
        commodities=_table(commodity_entries, "commodities.csv", hyphen_after=True),
        commodity_terms=tuple(terms),
        cues=_table(_entries("cues.csv", "cue", "role", CUE_ROLES), "cues.csv"),
        verbs=_table(verb_entries, "verbs.csv"),
        verb_senses=tuple(senses),
        triggers=_table(
            _entries("triggers.csv", "word", "role", (*PLACE_ROLES, "market", "making")),
            "triggers.csv",
        ),
        links=_table(_entries("links.csv", "phrase", "link", LINKS), "links.csv"),
        anaphora=_table(_entries("anaphora.csv", "phrase", "kind", ANAPHORA), "anaphora.csv"),
        nonflow=_table(_entries("nonflow.csv", "phrase", "kind", NONFLOW), "nonflow.csv"),
        glue=glue,
        glue_max_words=max((len(g.split()) for g in glue), default=1),
        adjectives=frozenset(r["word"].lower() for r in _rows("adjectives.csv")),
        nouns=_table(
            _entries("nouns.csv", "word", "kind", NOUN_KINDS), "nouns.csv", bounded_start=False
        ),
        role_phrases=_table(role_entries, "role_phrases.csv"),
        role_kinds=tuple(role_kinds),
        hedges=_table(hedge_entries, "hedges.csv"),
        hedge_kinds=tuple(hedge_kinds),
        modes=_table(
            [(w, r["mode"]) for r in _rows("modes.csv") for w in _words(r["phrase"])],
            "modes.csv",
            flags=0,
        ),
        routes=_table([(r["pattern"], r["label"]) for r in _rows("routes.csv")], "routes.csv"),
        actor_heads=_table(heads, "actors.csv"),
        actor_modifiers=modifiers,
        place_suffixes=_compile(
            r"(?<![\w-])((?:[A-Z][\w'’-]*(?:\s+\([A-Z][\w'’-]*\))?\s+){1,4}(?:"
            + suffixes
            + r"))\b",
            "subnational.csv",
            0,
        ),
        checkpoint_heads=_compile(
            r"(?<![\w-])(?:" + checkpoints + r")(?![\w-])", "subnational.csv"
        ),
        fields=fields,
        signals=_table(_entries("signals.csv", "phrase", "signal", SIGNALS), "signals.csv"),
        context=_table(
            [(w, r["market"]) for r in _rows("context.csv") for w in _words(r["word"])],
            "context.csv",
        ),
        openings=frozenset(function_words["opening"]),
        partitives=frozenset(function_words["partitive"]),
        joiners=frozenset(function_words["joiner"]),
        list_on=frozenset(function_words["list-on"]),
        quantities=frozenset(function_words["quantity"]),
        venues=frozenset(function_words["venue"]),
        acting=frozenset(function_words["acting"]),
        control=frozenset(function_words["control"]),
        clause_split=_compile("|".join(bounds["split"]) or "(?!)", "boundaries.csv"),
        lead_clause=_compile("|".join(bounds["lead"]) or "(?!)", "boundaries.csv"),
        abbreviation=_compile("(?:" + "|".join(bounds["abbreviation"]) + ")", "boundaries.csv", 0),
    )
