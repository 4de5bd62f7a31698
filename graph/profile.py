"""Read an Organized Crime Index country-profile page, saved as text, into a :class:`Profile`.

Two layouts are read. The 2021 pages print plain scores (``6.50``); the 2023 pages glue each
score to its change since 2021 (``4.470.21`` is 4.47, change 0.21), print ``3.50 n/a`` for an
indicator new in 2023, and end every rank line with the rank's change
(``34th of 46 countries in Asia3``). Changes are kept as printed: the pages print them unsigned,
so law enforcement going from 4.50 to 4.00 reads as a change of ``0.50``.

Indicator labels come from the vocabulary (:mod:`graph.vocab`), never from this module; the
edition is the one whose indicator set the page prints exactly. A page that is not a profile, or
a profile with a piece missing that its edition requires, raises :class:`CrimegraphError`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NoReturn

from graph.errors import CrimegraphError
from graph.places import load_gazetteer
from graph.records import Facts, Profile, Rank
from graph.vocab import EDITIONS, by_label, indicators

#: Page-template lines: the heading above the country facts, the first scored label, the
#: heading above the narrative, and the start of the page footer that ends the narrative.
PROFILE_HEADING = "Profile"
HEADLINE_LABEL = "Criminality score"
ANALYSIS_HEADING = "Analysis"
FOOTER_PREFIX = "For a better experience"

#: The printed labels of the country facts, lower-cased, and the :class:`Facts` field of each.
FACT_LABELS: dict[str, str] = {
    "capital": "capital",
    "income group": "income_group",
    "population": "population",
    "area": "area_km2",
    "geography type": "geography_type",
    "gdp": "gdp",
    "gini": "gini",
    "gini coefficient": "gini",
    "gini index": "gini",
}

#: Scores lie in this range (inclusive); a change can therefore be at most their difference.
SCORE_RANGE = (1.0, 10.0)

#: A narrative heading is a short line: at most this many words, no sentence punctuation.
MAX_HEADING_WORDS = 8

_MINUS = str.maketrans({"−": "-", "–": "-"})
# A score has exactly two decimals, so the first dot ends it two digits later; what follows is
# the change (one digit before the dot, since scores lie in 1-10), "n/a", or nothing.
_SCORE = re.compile(r"(?P<score>\d+\.\d\d)(?:\s*(?P<change>[-+]?\d\.\d\d)|\s+(?P<na>n/a))?")
_CHART = re.compile(r"\d+\.\d\d(?:\s+\d+\.\d\d)+")
_RANK = re.compile(
    r"(?P<position>\d+)(?:st|nd|rd|th) of (?P<out_of>\d+) countries"
    r"(?: in (?P<group>.*?[^\d\s+-]))?\s*(?P<change>[-+]?\d+)?"
)
_NAVIGATION = re.compile(r"\d{1,2}(?:\s+\d{1,2})*")
_LINE = re.compile(r"^[^\S\n]*(\S[^\n]*?)[^\S\n]*$", re.MULTILINE)
_COUNT = re.compile(r"\d{1,3}(?:,\d{3})+|\d+")
_AREA = re.compile(
    r"(?P<value>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*(?:km²|km2|sq\.? ?km)?"
)
_HEADING_END = ".!?:;,\"'”’)"
_PROFILE_LINE = re.compile(rf"^\s*{PROFILE_HEADING}\s*$", re.MULTILINE)
_HEADLINE_LINE = re.compile(rf"^\s*{HEADLINE_LABEL}\s*$", re.MULTILINE)


@dataclass(frozen=True)
class PrintedScore:
    """A score as a profile prints it, with its change when the layout prints a change slot.

    ``has_change`` is true for the 2023 layout even when the change is ``n/a`` (``change`` None).
    """

    value: float
    change: float | None = None
    has_change: bool = False


def read_score(token: str) -> PrintedScore | None:
    """Split a printed score and its glued change; None when ``token`` is not a score.

    >>> read_score("6.50")
    PrintedScore(value=6.5, change=None, has_change=False)
    >>> read_score("10.001.00")
    PrintedScore(value=10.0, change=1.0, has_change=True)
    >>> read_score("3.50 n/a")
    PrintedScore(value=3.5, change=None, has_change=True)
    """
    m = _SCORE.fullmatch(token.translate(_MINUS))
    if m is None:
        return None
    value = float(m["score"])
    if m["change"] is not None:
        return PrintedScore(value, float(m["change"]), True)
    return PrintedScore(value, None, m["na"] is not None)


def read_rank(line: str) -> Rank | None:
    """Read a rank line; the group is ``countries`` for the global rank, else the area named.

    >>> read_rank("34th of 46 countries in Asia3")
    Rank(position=34, out_of=46, group='Asia', change=3)
    >>> read_rank("133rd of 193 countries")
    Rank(position=133, out_of=193, group='countries', change=None)
    """
    m = _RANK.fullmatch(line.translate(_MINUS))
    if m is None:
        return None
    change = int(m["change"]) if m["change"] is not None else None
    return Rank(int(m["position"]), int(m["out_of"]), m["group"] or "countries", change)


def is_profile(text: str) -> bool:
    """Whether ``text`` looks like a country-profile page (cheap: two template lines).

    >>> is_profile("Profile\\n  Kazakhstan\\n  4.26\\n  Criminality score\\n")
    True
    >>> is_profile("Kazakhstan\\n\\nIllicit drugs:\\nsignificant illicit cultivation")
    False
    """
    return bool(_PROFILE_LINE.search(text) and _HEADLINE_LINE.search(text))


@dataclass(frozen=True)
class _Line:
    """A non-blank line of the page, stripped, with its offset and 1-based line number."""

    text: str
    start: int
    number: int

    @property
    def end(self) -> int:
        return self.start + len(self.text)


@dataclass
class _Block:
    """One scored indicator as printed: label, score, definition and rank lines."""

    slug: str
    label: _Line
    score: PrintedScore | None = None
    definition: str | None = None
    ranks: dict[str, Rank] = field(default_factory=dict)


class _Reader:
    """Parses one page; holds the document name so every error names it."""

    def __init__(self, text: str, document: str) -> None:
        self.text = text
        self.document = document
        self.lines = _lines(text)

    def fail(self, message: str, line: _Line | None = None) -> NoReturn:
        where = f"{self.document}, line {line.number}" if line else self.document
        raise CrimegraphError(f"{where}: {message}")

    def parse(self, edition: int | None) -> Profile:
        start = self.find(lambda line: line == PROFILE_HEADING, 0)
        if start == len(self.lines) or not _HEADLINE_LINE.search(self.text):
            self.fail("not an Organized Crime Index country profile")
        country, facts, body = self.head(start)
        analysis = self.find(lambda line: line == ANALYSIS_HEADING, body)
        footer = self.find(lambda line: line.startswith(FOOTER_PREFIX), body)
        blocks = self.merge(self.blocks(self.lines[body : min(analysis, footer)]))
        found = self.edition(blocks, edition)
        scores = {slug: b.score.value for slug, b in blocks.items() if b.score is not None}
        self.check_changes(blocks, found)
        changes: dict[str, float | None] = {}
        if found != EDITIONS[0]:
            changes = {slug: b.score.change for slug, b in blocks.items() if b.score is not None}
        sections = self.sections(self.lines[analysis + 1 : footer]) if analysis < footer else {}
        return Profile(
            document=self.document,
            country=country.text,
            iso3=self.iso3(country),
            edition=found,
            facts=facts,
            scores=scores,
            changes=changes,
            ranks={slug: b.ranks for slug, b in blocks.items() if b.ranks},
            definitions={slug: b.definition for slug, b in blocks.items() if b.definition},
            sections={heading: self.text[a:b] for heading, (a, b) in sections.items()},
            section_spans=sections,
        )

    def find(self, match: Callable[[str], bool], start: int) -> int:
        """Index of the first line from ``start`` on that ``match`` accepts, else the line count."""
        return next(
            (i for i in range(start, len(self.lines)) if match(self.lines[i].text)),
            len(self.lines),
        )

    def head(self, start: int) -> tuple[_Line, Facts, int]:
        """The country name and facts under the Profile heading; returns where scores begin."""
        i = start + 1
        if i >= len(self.lines) or not _is_name(self.lines[i].text):
            self.fail("no country name under the Profile heading", self.lines[start])
        country = self.lines[i]
        values: dict[str, _Line] = {}
        i += 1
        while i < len(self.lines) and self.lines[i].text.lower() in FACT_LABELS:
            label = self.lines[i]
            key = FACT_LABELS[label.text.lower()]
            if i + 1 >= len(self.lines) or not _is_fact_value(self.lines[i + 1].text):
                self.fail(f"fact '{label.text}' has no value", label)
            if key in values:
                self.fail(f"fact '{label.text}' is printed twice", label)
            values[key] = self.lines[i + 1]
            i += 2
        return country, self.facts(values), i

    def facts(self, values: dict[str, _Line]) -> Facts:
        """Typed facts from their printed values (population as a count, area in km²)."""
        text = {key: line.text for key, line in values.items()}
        facts = Facts(
            capital=text.get("capital"),
            income_group=text.get("income_group"),
            geography_type=text.get("geography_type"),
            gdp=text.get("gdp"),
        )
        if "population" in values:
            m = _COUNT.fullmatch(text["population"])
            if m is None:
                self.fail(
                    f"population '{text['population']}' is not a number", values["population"]
                )
            facts.population = int(m.group().replace(",", ""))
        if "area_km2" in values:
            m = _AREA.fullmatch(text["area_km2"])
            if m is None:
                self.fail(f"area '{text['area_km2']}' is not a number of km²", values["area_km2"])
            facts.area_km2 = float(m["value"].replace(",", ""))
        if "gini" in values:
            try:
                facts.gini = float(text["gini"])
            except ValueError:
                self.fail(f"GINI '{text['gini']}' is not a number", values["gini"])
        return facts

    def blocks(self, lines: list[_Line]) -> list[_Block]:
        """Label, score, definition and rank lines grouped into one block per printed label.

        A score usually follows its label; a score with no label waiting for it belongs to the
        next label (the Criminality and Resilience headlines print the score first).
        """
        out: list[_Block] = []
        current: _Block | None = None
        pending: tuple[PrintedScore, _Line] | None = None
        for line in lines:
            score = read_score(line.text)
            rank = read_rank(line.text)
            concept = by_label(line.text)
            if score is not None:
                if current is not None and current.score is None:
                    current.score = score
                elif pending is None:
                    pending = (score, line)
                else:
                    self.fail(f"score {line.text} follows score {pending[1].text}", line)
            elif concept is not None:
                if current is not None and current.score is None:
                    self.fail(f"'{current.label.text}' has no score", current.label)
                current = _Block(concept.slug, line)
                out.append(current)
                if pending is not None:
                    current.score, pending = pending[0], None
            elif rank is not None:
                if current is None or current.score is None:
                    self.fail("rank line before any score", line)
                self.add_rank(current, rank, line)
            elif _CHART.fullmatch(line.text):
                continue  # the chart's values, repeated from the aggregate scores
            elif current is not None and current.score is not None and not current.definition:
                if pending is not None:
                    self.fail(f"score {pending[1].text} has no label", pending[1])
                current.definition = line.text
            else:
                self.fail(f"unexpected line '{_short(line.text)}' among the scores", line)
        if current is not None and current.score is None:
            self.fail(f"'{current.label.text}' has no score", current.label)
        if pending is not None:
            self.fail(f"score {pending[1].text} has no label", pending[1])
        for block in out:
            assert block.score is not None
            low, high = SCORE_RANGE
            if not low <= block.score.value <= high:
                self.fail(
                    f"score {block.score.value:.2f} of '{block.label.text}' is outside "
                    f"{low:g}-{high:g}",
                    block.label,
                )
        return out

    def add_rank(self, block: _Block, rank: Rank, line: _Line) -> None:
        """File a rank under ``global`` (of all countries), then ``continent``, then ``region``."""
        if not 1 <= rank.position <= rank.out_of:
            self.fail(f"rank {rank.position} of {rank.out_of} is impossible", line)
        if rank.group == "countries":
            kind = "global"
        else:
            kind = "continent" if "continent" not in block.ranks else "region"
        if kind in block.ranks:
            self.fail(f"'{block.label.text}' has a second {kind} rank", line)
        block.ranks[kind] = rank

    def merge(self, blocks: list[_Block]) -> dict[str, _Block]:
        """One block per indicator: a repeated block must agree with the first one printed."""
        out: dict[str, _Block] = {}
        for block in blocks:
            first = out.setdefault(block.slug, block)
            if first is block:
                continue
            disagree = first.score != block.score or bool(
                first.ranks and block.ranks and first.ranks != block.ranks
            )
            disagree = disagree or bool(
                first.definition and block.definition and first.definition != block.definition
            )
            if disagree:
                self.fail(
                    f"'{block.label.text}' is printed again (line {block.label.number}) and "
                    f"disagrees with line {first.label.number}",
                    block.label,
                )
            first.ranks = first.ranks or block.ranks
            first.definition = first.definition or block.definition
        return out

    def edition(self, blocks: dict[str, _Block], wanted: int | None) -> int:
        """The edition whose indicators the page prints exactly (``wanted`` when given)."""
        present = set(blocks)
        expected = {e: {i.slug for i in indicators(e)} for e in EDITIONS}
        if wanted is not None and wanted not in expected:
            self.fail(f"unknown edition {wanted}; known: {', '.join(map(str, EDITIONS))}")
        exact = [e for e in EDITIONS if expected[e] == present]
        if wanted is None and len(exact) == 1:
            return exact[0]
        if wanted is None and len(exact) > 1:
            self.fail(f"cannot tell edition {' from '.join(map(str, exact))}; give the edition")
        if wanted in exact:
            return wanted
        # Blame the edition the caller named, else the first one that has every printed indicator.
        covering = [e for e in EDITIONS if present <= expected[e]] or list(EDITIONS)
        edition = wanted if wanted is not None else covering[0]
        missing = [i.label for i in indicators(edition) if i.slug not in present]
        extra = [b.label.text for s, b in blocks.items() if s not in expected[edition]]
        if missing:
            hint = " (page cut off?)" if wanted is None else ""
            self.fail(
                f"no score for {len(missing)} indicator(s) of the {edition} edition: "
                f"{_listing(missing)}{hint}"
            )
        self.fail(f"indicator(s) not in the {edition} edition: {_listing(extra)}")

    def check_changes(self, blocks: dict[str, _Block], edition: int) -> None:
        """The first edition has nothing to compare with, so it prints no change."""
        if edition != EDITIONS[0]:
            return
        for block in blocks.values():
            changed = [r for r in block.ranks.values() if r.change is not None]
            if (block.score is not None and block.score.has_change) or changed:
                self.fail(
                    f"'{block.label.text}' prints a change, which the {edition} edition has not",
                    block.label,
                )

    def sections(self, lines: list[_Line]) -> dict[str, tuple[int, int]]:
        """Offsets of the narrative under each heading; notes (``*This indicator…``) are not."""
        out: dict[str, tuple[int, int]] = {}
        heading: _Line | None = None
        body: list[_Line] = []

        def close() -> None:
            narrative = [ln for ln in body if not ln.text.startswith("*")]
            if heading is None or not narrative:
                return
            if heading.text in out:
                self.fail(f"section '{heading.text}' appears twice", heading)
            out[heading.text] = (narrative[0].start, narrative[-1].end)

        for line in lines:
            if _NAVIGATION.fullmatch(line.text):
                continue
            if _is_heading(line.text):
                close()
                heading, body = line, []
            elif heading is None:
                self.fail(f"narrative '{_short(line.text)}' before any section heading", line)
            else:
                body.append(line)
        close()
        return out

    def iso3(self, country: _Line) -> str:
        """The country's ISO 3166-1 alpha-3 code, by the project gazetteer."""
        try:
            code: str = load_gazetteer().country(country.text).iso3
        except CrimegraphError as exc:
            self.fail(str(exc), country)
        return code


def parse_profile(text: str, document: str, edition: int | None = None) -> Profile:
    """Parse a country-profile page of the Organized Crime Index (2021 or 2023 layout).

    ``edition`` overrides detection from the indicators printed; the page must still print
    exactly that edition's indicators. ``changes`` is empty for the 2021 edition (it prints
    none) and holds every indicator for later ones: the unsigned change as printed, or None
    where the page prints ``n/a``. A block printed twice (the 2021 pages repeat the resilience
    block) counts once. Raises :class:`CrimegraphError` rather than return a partial record.
    """
    return _Reader(text, document).parse(edition)


def _lines(text: str) -> list[_Line]:
    """The non-blank lines of ``text``, stripped, with offsets into ``text``."""
    out: list[_Line] = []
    number, last = 1, 0
    for m in _LINE.finditer(text):
        number += text.count("\n", last, m.start(1))
        last = m.start(1)
        out.append(_Line(m.group(1), m.start(1), number))
    return out


def _is_name(text: str) -> bool:
    """A country name: has a letter and is neither a fact label, a score nor an indicator."""
    return (
        any(ch.isalpha() for ch in text)
        and text.lower() not in FACT_LABELS
        and read_score(text) is None
        and by_label(text) is None
    )


def _is_fact_value(text: str) -> bool:
    """A fact's value is not itself a fact label, a score or an indicator label."""
    return text.lower() not in FACT_LABELS and read_score(text) is None and by_label(text) is None


def _is_heading(text: str) -> bool:
    """A narrative heading: a short capitalised line without digits or closing punctuation."""
    return (
        len(text.split()) <= MAX_HEADING_WORDS
        and text[0].isupper()
        and text[-1] not in _HEADING_END
        and not any(ch.isdigit() for ch in text)
    )


def _short(text: str, width: int = 60) -> str:
    """``text`` cut to ``width`` characters for an error message."""
    return text if len(text) <= width else text[: width - 1] + "…"


def _listing(items: list[str], most: int = 5) -> str:
    """A comma-separated list, elided after ``most`` items."""
    shown = ", ".join(items[:most])
    return shown + (f" and {len(items) - most} more" if len(items) > most else "")
