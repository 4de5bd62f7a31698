"""Find what a clause names: commodities, role phrases, hedges, modes, routes, actors, places
below the country level, and the filler words that may stand inside lists.

All offsets are offsets into the document text; finders take the clause's ``[start, end)``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from graph.extract.lexicon import CommodityTerm, Lexicon

_TOKEN = re.compile(r"[A-Za-z][\w'’/]*(?:-[\w'’/]+)*|\d[\d,.]*")


@dataclass
class Commodity:
    """A word for what moves; ``market`` is None for people until the context decides."""

    start: int
    end: int
    text: str
    term: CommodityTerm
    market: str | None
    #: Places that qualify this word as its origin ("Afghan heroin"), as place codes.
    origins: list[str] = field(default_factory=list)
    #: Places that qualify this word as its destination ("US-bound cocaine").
    destinations: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return self.term.label or " ".join(self.text.lower().split())


@dataclass
class RolePhrase:
    """A phrase giving its holder roles ("source, transit, and destination country")."""

    start: int
    end: int
    roles: list[str]
    #: "noun" (points, countries, consumer of ...) or "verb" (supplies, cultivates).
    kind: str
    #: A plural head ("source countries") names its holders right before or after it.
    plural: bool
    #: A commodity written as part of the phrase ("cocaine transshipment point").
    compound: Commodity | None = None


@dataclass(frozen=True)
class Hedging:
    """Hedge and negation cues of a clause."""

    hedge: str | None
    #: Offsets from which the clause states no flow (a negation cue to the clause's end).
    negated_from: int | None
    #: Ends of "licit"/"legal" cues: a commodity starting right after one is legal trade.
    licit_ends: tuple[int, ...]


def tokens(text: str, start: int = 0, end: int | None = None) -> list[re.Match[str]]:
    """Word tokens (punctuation is left out) of ``text[start:end]``."""
    return list(_TOKEN.finditer(text, start, len(text) if end is None else end))


def _glue_run(words: list[str], lex: Lexicon, *, from_end: bool) -> int:
    """How many words at the start (or end) of ``words`` are list filler (``glue.csv``)."""
    n = len(words)
    i = 0
    while i < n:
        for k in range(min(lex.glue_max_words, n - i), 0, -1):
            chunk = words[n - i - k : n - i] if from_end else words[i : i + k]
            if " ".join(chunk) in lex.glue:
                i += k
                break
        else:
            break
    return i


def is_glue(text: str, lex: Lexicon, extra: frozenset[str] = frozenset()) -> bool:
    """True when ``text`` is only list filler and punctuation ("and, to a lesser extent, the")."""
    words = [t.group(0).lower() for t in tokens(text)]
    rest = [w for w in words if w not in extra]
    return _glue_run(rest, lex, from_end=False) == len(rest)


def strip_glue_end(text: str, start: int, end: int, lex: Lexicon) -> int:
    """The offset where trailing filler of ``text[start:end]`` begins ("bound for the" → after
    "for")."""
    toks = tokens(text, start, end)
    words = [t.group(0).lower() for t in toks]
    k = _glue_run(words, lex, from_end=True)
    if k == 0:
        return end
    if k == len(toks):
        return start
    return toks[len(toks) - k - 1].end()


def only_adjectives(text: str, start: int, end: int, lex: Lexicon) -> bool:
    """True when ``text[start:end]`` holds nothing but adjectives and punctuation."""
    return all(t.group(0).lower() in lex.adjectives for t in tokens(text, start, end))


def is_clause_opening(
    text: str, start: int, end: int, lex: Lexicon, places: list[tuple[int, int]]
) -> bool:
    """True when ``text[start:end]`` (a clause up to a role phrase) names no other subject:
    at most ten words, all copulas, adverbs, adjectives, list filler or ``places`` that
    qualify the phrase ("major European transshipment point")."""
    toks = [t for t in tokens(text, start, end) if not any(a <= t.start() < b for a, b in places)]
    if len(toks) > 10:
        return False
    if len(toks) <= 3 and not any(lex.nouns.pattern.fullmatch(t.group(0)) for t in toks):
        return True  # "increasingly active transshipment point"
    previous = ""
    for t in toks:
        w, before = t.group(0).lower(), previous
        previous = w
        if w == "of" and before in lex.partitives:
            continue  # "one of the largest producers", "a number of": still about the subject
        if (
            w in lex.openings
            or w in lex.partitives
            or w in lex.adjectives
            or w in lex.glue
            or w[:1].isdigit()
        ):
            continue
        return False
    return True


# --------------------------------------------------------------------------- commodities


def find_commodities(
    text: str, start: int, end: int, lex: Lexicon, taken: list[tuple[int, int]]
) -> list[Commodity]:
    """Commodity words of a clause, leaving out words inside ``taken`` spans (place names),
    words that name a workplace ("gold mines", "oil-focused") and precursors of a named drug,
    which take that drug's market instead ("heroin precursor chemicals")."""
    found: list[Commodity] = []
    for m in lex.commodities.finditer(text, start, end):
        if any(a < m.end() and m.start() < b for a, b in taken):
            continue
        after = re.match(r"[ \t]*", text[m.end() : m.end() + 3])
        gap = m.end() + (after.end() if after else 0)
        noun = lex.nouns.pattern.match(text, gap, min(end, gap + 40))
        if noun and lex.nouns.value(noun) in ("workplace", "actor"):
            continue  # "gold mines", "oil-focused", "drug traffickers", "oil companies"
        term = lex.commodity(m)
        c = Commodity(m.start(), m.end(), m.group(0), term, term.market)
        if term.kind == "precursor" and found:
            prev = found[-1]
            between = text[prev.end : m.start()]
            if prev.term.kind == "drug" and re.fullmatch(r"[\s-]*(?:chemical\s+)?", between):
                found[-1] = Commodity(
                    prev.start, m.end(), text[prev.start : m.end()], term, prev.market
                )
                continue
        found.append(c)
    return found


# --------------------------------------------------------------------------- role phrases


#: Between a commodity and the role phrase it forms a compound with: "cocaine transit
#: point", "heroin-processing laboratories".
_COMPOUND_GAP = re.compile(r"[\s-]*|-[a-z]+ing\s+", re.I)


def find_role_phrases(
    text: str, start: int, end: int, lex: Lexicon, commodities: list[Commodity]
) -> list[RolePhrase]:
    """Role phrases of a clause: coordinated role words with a head noun ("source, transit,
    and destination country"), or followed by "for"/"of" ("a destination for"), role nouns
    ("consumer of", "waypoint") and role verbs ("supplies", "cultivates")."""
    matches = lex.role_phrases.finditer(text, start, end)
    phrases: list[RolePhrase] = []
    i = 0
    while i < len(matches):
        m = matches[i]
        kind, role = lex.role_kinds[int(lex.role_phrases.value(m))].split(":")
        if kind in ("head", "blocker"):
            i += 1
            continue
        roles = [role]
        p_start, p_end = m.start(), m.end()
        plural = kind != "verb" and _is_plural(m.group(0))
        complete = kind in ("noun", "verb")
        j = i + 1
        while j < len(matches):
            nxt = matches[j]
            nkind, nrole = lex.role_kinds[int(lex.role_phrases.value(nxt))].split(":")
            between = text[p_end : nxt.start()]
            if nkind == "head" and re.fullmatch(r"[\s-]*", between) and kind != "verb":
                p_end, plural, complete = nxt.end(), _is_plural(nxt.group(0)), True
                j += 1
                continue
            if nkind == kind == "noun" and nrole in roles and re.fullmatch(r"[\s-]*", between):
                p_end, plural = nxt.end(), _is_plural(nxt.group(0))  # "processing laboratories"
                j += 1
                continue
            if nkind in ("word", "noun") and kind != "verb" and _coordinated(between, lex):
                if nrole not in roles:
                    roles.append(nrole)
                p_end = nxt.end()
                complete = complete or nkind == "noun"
                plural = _is_plural(nxt.group(0))
                j += 1
                continue
            break
        i = j
        compound = any(
            _COMPOUND_GAP.fullmatch(text, c.end, p_start) for c in commodities if c.end <= p_start
        )
        if not (complete or compound) and not re.match(r"\s+(?:for|of)\b", text[p_end : p_end + 6]):
            continue  # "transit" alone is a verb or a cue; "trafficking destination" is a role
        if _blocked(text, p_start, p_end, lex):
            continue
        if re.search(r"\bone of\b", text[max(start, p_start - 40) : p_start], re.I):
            plural = False  # "one of many Caribbean transshipment points" is about one place
        phrase = RolePhrase(p_start, p_end, roles, "verb" if kind == "verb" else "noun", plural)
        for c in commodities:
            if c.end <= p_start and _COMPOUND_GAP.fullmatch(text, c.end, p_start):
                phrase.compound = c
        phrases.append(phrase)
    return phrases


def _is_plural(word: str) -> bool:
    w = word.lower()
    return w.endswith("s") and not w.endswith("ss") and w not in ("gas", "series")


def _coordinated(between: str, lex: Lexicon) -> bool:
    """True when two role words are joined by "and", "or", commas and hedges only."""
    extra = frozenset(
        {"a", "an", "as", "possible", "potential", "lesser", "extent", "to", "much", "for", "of"}
    )
    if not re.search(r"[,&]|\b(?:and|or)\b", between):
        return False
    return is_glue(between, lex, extra | lex.adjectives)


#: Between a role phrase and the word its object is about: "sources of [illicit] proceeds".
_OBJECT_GAP = re.compile(r"\s+(?:for|of)\s+(?:[\w-]+\s+){0,2}", re.I)


def _blocked(text: str, start: int, end: int, lex: Lexicon) -> bool:
    """True when a blocker opens the phrase ("money-laundering hub", "financial center") or
    heads its object ("sources of illicit proceeds", "hub for money laundering")."""
    window = text[max(0, start - 25) : start]
    for m in lex.role_phrases.finditer(window):
        kind = lex.role_kinds[int(lex.role_phrases.value(m))].split(":")[0]
        if kind == "blocker" and re.fullmatch(r"[\s-]*", window[m.end() :]):
            return True
    after = text[end : end + 60]
    for m in lex.role_phrases.finditer(after):
        kind = lex.role_kinds[int(lex.role_phrases.value(m))].split(":")[0]
        if kind == "blocker" and _OBJECT_GAP.fullmatch(after, 0, m.start()):
            return True
    return False


# --------------------------------------------------------------------------- hedges


def hedging(text: str, start: int, end: int, lex: Lexicon) -> Hedging:
    """The first hedge cue of a clause, where a negation starts, and the legal-trade cues."""
    hedge: str | None = None
    negated: int | None = None
    licit: list[int] = []
    for m in lex.hedges.finditer(text, start, end):
        kind, label = lex.hedge_kinds[int(lex.hedges.value(m))].split(":", 1)
        if kind == "negation":
            if _is_negation(text, m):
                negated = m.start() if negated is None else negated
        elif kind == "licit":
            licit.append(m.end())
        elif hedge is None:
            hedge = label
    return Hedging(hedge, negated, tuple(licit))


def _is_negation(text: str, m: re.Match[str]) -> bool:
    """ "not only", "not fully" and "not as ... as" compare or grade; they deny no flow."""
    after = text[m.end() : m.end() + 12].lower()
    return not re.match(r"\s*(?:only|fully|just|merely|as\b|yet\b|always)", after)


# --------------------------------------------------------------------------- details


def modes(text: str, start: int, end: int, lex: Lexicon) -> list[str]:
    """Transport modes a clause names, in the order of ``records.MODES``."""
    found = {lex.modes.value(m) for m in lex.modes.finditer(text, start, end)}
    order = ("land", "road", "rail", "river", "sea", "air", "post")
    return [m for m in order if m in found]


def route(text: str, start: int, end: int, lex: Lexicon) -> str | None:
    """The named route a clause mentions ("northern route"), if any."""
    for m in lex.routes.finditer(text, start, end):
        return lex.routes.value(m)
    return None


def actors(
    text: str, start: int, end: int, lex: Lexicon, demonyms: list[tuple[int, int]]
) -> list[str]:
    """Criminal actors: an actor head noun with up to three modifiers before it (demonyms or
    modifier words): "Chinese Triads", "state officials", "Kazakhstani companies"."""
    out: list[str] = []
    for m in lex.actor_heads.finditer(text, start, end):
        begin = m.start()
        toks = tokens(text, max(start, m.start() - 60), m.start())
        for t in reversed(toks[-3:]):
            word = t.group(0)
            is_demonym = any(a <= t.start() and t.end() <= b for a, b in demonyms)
            if not (is_demonym or word.lower() in lex.actor_modifiers or word.endswith("’")):
                break
            if text[t.end() : begin].strip(" \t-’'") not in ("", "s"):
                break
            begin = t.start()
        if begin == m.start():
            continue
        head = lex.nouns.pattern.fullmatch(m.group(0).lower())
        if (
            head
            and lex.nouns.value(head) == "person"
            and not re.search(
                r"\b(?:by|with)\s+(?:\w+\s+){0,2}$", text[max(start, begin - 40) : begin]
            )
        ):
            continue  # "foreign nationals" are victims unless they act ("with Kyrgyz nationals")
        name = " ".join(text[begin : m.end()].split())
        name = re.sub(r"^(?:some|major|large|small)\s+", "", name)
        if name not in out:
            out.append(name)
    return out


def subnational_places(text: str, start: int, end: int, lex: Lexicon) -> list[str]:
    """Names of places below the country level: "Chu Valley", "Chu (Shu) River"."""
    out: list[str] = []
    for m in lex.place_suffixes.finditer(text, start, end):
        name = " ".join(m.group(1).split())
        name = re.sub(r"^(?:The|A|An|In|From|To|Via|Through|Into|And)\s+", "", name)
        if name not in out and len(name.split()) > 1:
            out.append(name)
    return out


def checkpoints(text: str, start: int, end: int, lex: Lexicon) -> list[str]:
    """Border crossings named before "checkpoint(s)": "the A–B and C–D checkpoints"."""
    out: list[str] = []
    for m in lex.checkpoint_heads.finditer(text, start, end):
        window = text[max(start, m.start() - 120) : m.start()]
        names = re.findall(r"[A-Z][\w'’]*(?:\s*[–—-]\s*[A-Z][\w'’]*)+", window)
        for name in names:
            if name not in out:
                out.append(name)
    return out
