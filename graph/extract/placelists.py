"""Group the places of a clause into lists and decide what each list is in a flow.

"from Uzbekistan, Kyrgyzstan, and Kazakhstan" is one list, governed by "from" (origin);
"Tajikistan or Kyrgyzstan" is a list of alternatives; "Afghan heroin" makes Afghanistan the
origin of the heroin; "the Russian market" a destination; "Chinese Triads" names an actor.
A list that nothing governs is *free*: it may hold a role phrase ("Kazakhstan is a transit
country").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from graph.extract.lexicon import Lexicon
from graph.extract.mentions import Commodity, is_glue, strip_glue_end, tokens
from graph.places import PlaceMention

#: Roles a cue can give directly (``cues.csv``).
_STRONG = ("origin", "transit", "destination", "entry", "onward", "between")
#: What the words after a list can make of it.
_AFTER_ORIGIN = ("modifier", "origin-suffix", "person", "production")
_AFTER_DESTINATION = ("market", "destination-suffix")


@dataclass
class PlaceList:
    """Places joined by list filler, and the role the text gives them."""

    mentions: list[PlaceMention]
    alternatives: bool
    #: origin | transit | destination | entry | onward | between | weak | free | holder | none
    role: str = "free"
    #: For a weak cue: the role its trigger word gives, if any.
    trigger: str | None = None
    #: The commodity this list qualifies as its origin ("Afghan heroin").
    modifies: Commodity | None = None
    #: Offset of the cue that governs the list (or the list's start).
    cue_start: int = 0

    @property
    def start(self) -> int:
        return self.mentions[0].start

    @property
    def end(self) -> int:
        return self.mentions[-1].end

    @property
    def codes(self) -> list[str]:
        out: list[str] = []
        for m in self.mentions:
            if m.code not in out:
                out.append(m.code)
        return out


def build_lists(
    text: str, mentions: list[PlaceMention], commodities: list[Commodity], lex: Lexicon
) -> list[PlaceList]:
    """Join consecutive place mentions whose in-between text is list filler only."""
    lists: list[PlaceList] = []
    for m in mentions:
        if lists:
            prev = lists[-1]
            between = text[prev.end : m.start]
            no_commodity = not any(prev.end <= c.start < m.start for c in commodities)
            if no_commodity and is_glue(between, lex):
                prev.mentions.append(m)
                words = {t.group(0).lower() for t in tokens(between)}
                if "or" in words and "and" not in words:
                    prev.alternatives = True
                elif "and" in words:
                    prev.alternatives = False
                continue
        lists.append(PlaceList([m], False))
    return lists


@dataclass(frozen=True)
class _After:
    """What the words right after a list make of it."""

    kind: str | None
    commodity: Commodity | None


def _after(text: str, start: int, limit: int, commodities: list[Commodity], lex: Lexicon) -> _After:
    """Look past adjectives and commodity words after a list for a noun that decides it."""
    suffix = lex.nouns.pattern.match(text, start, limit)
    if suffix and suffix.group(0).startswith("-"):
        kind = lex.nouns.value(suffix)
        if kind in ("origin-suffix", "destination-suffix", "border", "workplace"):
            return _After(kind, None)
    skipped: Commodity | None = None
    pos = start
    for t in tokens(text, start, limit):
        if t.start() < pos:
            continue
        inside = next((c for c in commodities if c.start <= t.start() < c.end), None)
        if inside is not None:
            skipped = skipped or inside
            pos = inside.end
            continue
        noun = lex.nouns.pattern.match(text, t.start(), limit)
        if noun is not None:
            kind = lex.nouns.value(noun)
            if kind != "workplace":
                return _After(kind, skipped)
        if t.group(0).lower() in lex.adjectives:
            continue
        break
    return _After("modifier" if skipped else None, skipped)


def _cue(text: str, floor: int, end: int, lex: Lexicon) -> tuple[str | None, int]:
    """The cue right before ``end``, as written or after setting trailing filler aside
    ("destined for markets in" → "destined for"), a bare locative only when no other cue
    stands there; and its offset."""
    found: list[tuple[str, int]] = []
    for cut in (end, strip_glue_end(text, floor, end, lex)):
        window = text[max(floor, cut - 60) : cut]
        m = lex.cues.pattern.search(window)
        if m is not None:
            found.append((lex.cues.value(m), cut - len(window) + m.start()))
    for cue, at in found:
        if cue != "weak":
            return cue, at
    return found[0] if found else (None, end)


def _trigger(text: str, floor: int, end: int, lex: Lexicon) -> str | None:
    """The role the nearest trigger word before a bare locative cue gives."""
    found = lex.triggers.finditer(text, floor, end)
    return lex.triggers.value(found[-1]) if found else None


def assign_roles(
    text: str,
    start: int,
    end: int,
    lists: list[PlaceList],
    commodities: list[Commodity],
    lex: Lexicon,
) -> list[PlaceList]:
    """Give each list its role; drop lists that name no place of a flow (actors, borders, and
    "domestic" before words like "service")."""
    kept: list[PlaceList] = []
    for k, pl in enumerate(lists):
        floor = lists[k - 1].end if k else start
        limit = lists[k + 1].start if k + 1 < len(lists) else end
        cue, cue_at = _cue(text, floor, pl.start, lex)
        after = _after(text, pl.end, limit, commodities, lex)
        pl.cue_start = cue_at if cue else pl.start
        if after.kind == "not-subject" and all(m.via == "subject" for m in pl.mentions):
            continue
        if after.kind == "border" or cue == "actor" or cue == "none":
            pl.role = "none"
        elif cue in _STRONG:
            pl.role = str(cue)
        elif cue == "same":
            pl.role = kept[-1].role if kept else "free"
        elif after.kind in _AFTER_DESTINATION:
            pl.role = "destination"
        elif after.kind in _AFTER_ORIGIN:
            pl.role = "origin"
            pl.modifies = after.commodity if after.kind in ("modifier", "person") else None
        elif after.kind == "actor":
            pl.role = "none"
        elif cue == "weak":
            pl.role = "weak"
            pl.trigger = _trigger(text, floor, cue_at, lex)
        else:
            pl.role = "free"
        if pl.role == "free" and all(m.via == "demonym" for m in pl.mentions):
            # A demonym standing alone names people ("Chinese, Filipinos and Ukrainians are
            # exploited", "Kazakhstanis abroad"); before another noun it qualifies something
            # that does not move ("the Kazakh authorities", "Kazakh society").
            pl.role = "origin" if _names_people(text, pl, limit) else "none"
        kept.append(pl)
    return kept


_PEOPLE_NEXT = re.compile(r"\s*(?:[,.;:)]|$|(?:who|are|were|is|was|have|had|also|abroad|and)\b)")


def _names_people(text: str, pl: PlaceList, limit: int) -> bool:
    """True when a list of demonyms is used as a noun: a plural, or a word before a verb or
    punctuation."""
    last = pl.mentions[-1].text
    if last.endswith("s") and not last.endswith("ss"):
        return True
    return bool(_PEOPLE_NEXT.match(text, pl.end, limit))
