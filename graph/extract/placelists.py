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

#: Market nouns that are also verbs after a plural subject ("local use" / "gangs ... use").
_VERBS_TOO = frozenset({"use", "abuse", "demand"})
#: How many words before a bare locative cue its trigger word may stand.
TRIGGER_WINDOW = 6
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
    #: The commodity this list qualifies as its origin ("Afghan heroin") or, by its role,
    #: destination ("US-bound cocaine").
    modifies: Commodity | None = None
    #: Offset of the cue that governs the list (or the list's start).
    cue_start: int = 0
    #: True when a cue before the list gave its role (False: the words after it, or none).
    by_cue: bool = False
    #: True when the list names people who move ("Nicaraguans transit Costa Rica").
    people: bool = False

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
            qualifies = "," in between and _qualifies_commodity(text, m.end, commodities, lex)
            if no_commodity and not qualifies and is_glue(between, lex):
                prev.mentions.append(m)
                words = {t.group(0).lower() for t in tokens(between)}
                if "or" in words and "and" not in words:
                    prev.alternatives = True
                elif "and" in words:
                    prev.alternatives = False
                continue
        lists.append(PlaceList([m], False))
    return lists


def _qualifies_commodity(text: str, end: int, commodities: list[Commodity], lex: Lexicon) -> bool:
    """True when a commodity word follows a place right away: after a comma, "Colombian
    heroin" starts a new item, not another place of the list before it."""
    nxt = next((c for c in commodities if c.start >= end), None)
    if nxt is None:
        return False
    gap = text[end : nxt.start]
    if re.fullmatch(r"[\s-]*", gap):
        return True
    return "," not in gap and all(
        t.group(0).lower() in lex.adjectives for t in tokens(text, end, nxt.start)
    )


@dataclass(frozen=True)
class _After:
    """What the words right after a list make of it."""

    kind: str | None
    commodity: Commodity | None


def _after(
    text: str,
    start: int,
    limit: int,
    commodities: list[Commodity],
    lex: Lexicon,
    places: list[tuple[int, int]],
    adjectival: bool = True,
) -> _After:
    """Look past adjectives, commodity words and other places qualifying the same noun
    ("Cambodian and ethnic Vietnamese women") for a noun that decides what a list is."""
    suffix = lex.nouns.pattern.match(text, start, limit)
    if suffix and suffix.group(0).startswith("-"):
        kind = lex.nouns.value(suffix)
        if kind in ("border", "owner", "workplace"):
            return _After(kind, None)
        if kind in ("origin-suffix", "destination-suffix"):
            # "Afghanistan-sourced opiates": the commodity the compound qualifies.
            after = _after(text, suffix.end(), limit, commodities, lex, places)
            return _After(kind, after.commodity)
    skipped: Commodity | None = None
    possessive = False
    pos = start
    for t in tokens(text, start, limit):
        if t.start() < pos:
            continue
        if re.search(r"[,;:(]", text[pos : t.start()]):
            break  # a new list item or clause: the noun after it is not this list's
        pos = t.end()
        if t.group(0).lower() in ("s", "’s", "'s") and text[t.start() - 1 : t.start()] in "'’":
            possessive = True  # "Ecuador's shared border", "Thailand's sex trade"
            continue
        inside = next((c for c in commodities if c.start <= t.start() < c.end), None)
        if inside is not None:
            skipped = skipped or inside
            pos = inside.end
            continue
        if skipped is None and any(a <= t.start() < b for a, b in places):
            continue
        noun = lex.nouns.pattern.match(text, t.start(), limit)
        if noun is not None:
            kind = lex.nouns.value(noun)
            if kind == "market" and noun.group(0).lower() in _VERBS_TOO and not adjectival:
                break  # "... and Central America use marijuana": a verb, not "local use"
            if kind != "workplace":
                return _After(kind, skipped)
        if t.group(0).lower() in lex.adjectives:
            continue
        break
    if possessive:
        return _After(None, None)  # a place that owns the commodity is where it is, not its origin
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
    """The role the nearest trigger word a few words before a bare locative cue gives, in
    the same stretch of text (not across a comma: "forced labor in mining, logging, and
    manufacturing, primarily in Taiwan")."""
    comma = max(text.rfind(",", floor, end), text.rfind(";", floor, end))
    near = tokens(text, max(floor, comma + 1), end)[-TRIGGER_WINDOW:]
    start = near[0].start() if near else end
    found = lex.triggers.finditer(text, start, end)
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
    spans = [(m.start, m.end) for pl in lists for m in pl.mentions]
    for k, pl in enumerate(lists):
        floor = lists[k - 1].end if k else start
        limit = lists[k + 1].start if k + 1 < len(lists) else end
        cue, cue_at = _cue(text, floor, pl.start, lex)
        adjectival = pl.mentions[-1].via in ("demonym", "subject")
        after = _after(text, pl.end, end, commodities, lex, spans, adjectival)
        pl.cue_start = cue_at if cue else pl.start
        if after.kind == "not-subject" and all(m.via == "subject" for m in pl.mentions):
            continue
        if after.kind in ("border", "owner", "actor") or cue in ("actor", "none"):
            pl.role = "none"
        elif after.kind in ("origin-suffix", "destination-suffix"):
            pl.role = "origin" if after.kind == "origin-suffix" else "destination"
            pl.modifies = after.commodity
        elif cue in _STRONG:
            pl.role, pl.by_cue = str(cue), True
        elif cue == "same":
            # "followed by Peru and Bolivia": the role of the list before, or, when that one
            # is free, the role phrase it holds (resolved with the holders).
            previous = kept[-1].role if kept else "free"
            pl.role, pl.by_cue = ("same" if previous == "free" else previous), True
        elif after.kind in _AFTER_DESTINATION:
            pl.role = "destination"
        elif after.kind in _AFTER_ORIGIN:
            pl.role = "origin"
            pl.people = after.kind == "person"
            if after.kind in ("modifier", "person", "origin-suffix"):
                pl.modifies = after.commodity
        elif cue == "weak":
            pl.role, pl.by_cue = "weak", True
            pl.trigger = _trigger(text, floor, cue_at, lex)
        else:
            pl.role = "free"
        if pl.role == "free" and all(m.via == "demonym" for m in pl.mentions):
            # A demonym standing alone names people ("Chinese, Filipinos and Ukrainians are
            # exploited", "Kazakhstanis abroad"); before another noun it qualifies something
            # that does not move ("the Kazakh authorities", "Kazakh society").
            pl.role = "origin" if _names_people(text, pl, limit, lex) else "none"
            pl.people = pl.role == "origin"
        kept.append(pl)
    return kept


_PEOPLE_NEXT = re.compile(r"\s*(?:[,.;:)]|$|(?:who|are|were|is|was|have|had|also|abroad|and)\b)")


def _names_people(text: str, pl: PlaceList, limit: int, lex: Lexicon) -> bool:
    """True when a list of demonyms is used as a noun: a plural, or a word before a verb or
    punctuation; not when the words after it lead to an actor ("Turkish, Iranian, and other
    international trafficking organizations")."""
    for t in tokens(text, pl.end, limit)[:6]:
        noun = lex.nouns.pattern.match(text, t.start(), limit)
        if noun is not None and lex.nouns.value(noun) == "actor":
            return False
        word = t.group(0).lower()
        if word not in lex.glue and word not in lex.adjectives and word not in lex.actor_modifiers:
            break
    last = pl.mentions[-1].text
    if last.endswith("s") and not last.endswith("ss"):
        return True
    return bool(_PEOPLE_NEXT.match(text, pl.end, limit))
