"""Read one sentence into frames: which commodities move, and which places the text gives which
role, with the words that gave it.

The reading of a clause, in order:

1. *Clauses*: a sentence splits at semicolons, colons and contrast ("…, while …"); a negation
   ("no evidence that", "is not") silences the rest of its clause part.
2. *Place groups*: places joined by list words ("A, B and, to a lesser extent, C") form a group.
   A group takes its role from the cue that governs it, past articles, adjectives and place nouns
   ("to the ports of Antwerp", "toward laboratories in Afghanistan"); from the verb whose object
   or subject it is ("leave Colombia", "New Zealand sources"); from the trigger before a bare
   "in" ("produced in", "exploited in"); or from the noun it qualifies ("Afghan heroin" is an
   origin, "US-bound" a destination, "Nigerian-led networks" nothing).
3. *Role phrases* ("a key transit country for", "the largest producer of") give their holder —
   the place before them, "it", "the country", or the implicit subject of a Factbook clause — a
   role in the flows of the commodities they govern.
4. *Frames*: each group of coordinated commodities of a clause, with its own origin qualifiers
   and the clause's shared groups and holders. A clause that names no commodity takes the one
   before it in the sentence, or the one an anaphor ("the drugs", "these shipments") points to.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from graph.extract.lexicon import Lexicon
from graph.extract.mentions import Mention, SentenceMentions, acting_word
from graph.extract.tokens import Tokens
from graph.localities import SUBDIVISION_HEADS

#: Markets of goods taken from where they are found (a bare "in X" is their origin).
EXTRACTION_MARKETS = frozenset({"flora-crimes", "fauna-crimes", "non-renewable-resource-crimes"})
PEOPLE_MARKETS = frozenset({"human-trafficking", "human-smuggling"})
#: Words that end the reach of a negation inside a clause.
#: Places that stand for all their codes (anaphors of several places); others for their first.
_ALL_CODES = frozenset({"anaphor", "same", "there"})
#: Words after which a name in a bridge may be the place of the one before ("ports of").
_IN_OF_AT = frozenset({"in", "of", "at"})
_NEGATION_END = frozenset({"but", "however", "although", "though", "whereas", "yet", "while"})
#: How many tokens may stand between a cue and the places it governs.
BRIDGE_TOKENS = 9
#: Punctuation that may stand inside a list of places or a bridge.
_LIST_PUNCT = frozenset({",", "(", ")", "-", "–", "—", "/", "'s", "’s", "’", "'"})
#: Nouns after a place that make it a place of the text's route ("the Turkish border").
PLACE_NOUNS = ("border", "market")


@dataclass
class Group:
    """Places joined as one list, and the role the text gives them."""

    places: list[Mention]
    i: int
    j: int
    #: origin | transit | destination | entry | onward | back | between | None (no role)
    role: str | None = None
    #: The words that gave the role, for explanations ("via", "object of 'leave'").
    why: str = ""
    #: True when the list joins its places with "or" ("Tajikistan or Kyrgyzstan").
    alternatives: bool = False
    #: Link words between the previous group and this one (links.csv): sequence, direct,
    #: often, mostly, alternative.
    links: set[str] = field(default_factory=set)
    #: The commodity this group qualifies ("Afghan heroin"), if any.
    modifies: Mention | None = None
    #: Token where the cue, verb or trigger governing it starts (the group's start otherwise).
    cue_i: int = -1
    #: Token of the movement verb this group belongs to (for verb succession), or -1.
    verb_i: int = -1
    #: True for "from there"/"from where": the place the goods reached before.
    there: bool = False
    #: True for a destination the commodity is "bound for": where it ends, past any place named.
    final: bool = False
    #: True when ``final`` comes from a participle ("heroin reaching Europe"): the end only if
    #: the text does not go on past it ("heroin reaching Turkey is then moved on to Bulgaria").
    aimed: bool = False
    #: True when a word of no flow governs it ("extradited to", "second only to"): no role, and
    #: no holder of a role phrase either.
    silenced: bool = False
    #: True for the place of the authorities who speak or act ("customs officers in Latvia keep
    #: intercepting tobacco from Russia"): no role, but where goods with no other end arrive.
    watched: bool = False

    @property
    def codes(self) -> list[str]:
        places = self.places
        if len(places) == 1 and places[0].via not in _ALL_CODES:
            return list(places[0].codes[:1])  # most groups: one place, its first code
        out: list[str] = []
        for m in places:
            for c in m.codes if m.via in _ALL_CODES else m.codes[:1]:
                if c not in out:
                    out.append(c)
        return out

    @property
    def names(self) -> list[str]:
        return [m.name for m in self.places if m.name]


@dataclass
class Holder:
    """A place given roles by a role phrase ("Kazakhstan is a key transit country for …")."""

    roles: list[str]
    codes: list[str]
    #: Token span of the phrase; it governs the commodities after it up to the next phrase.
    i: int
    j: int
    why: str
    places: list[Mention] = field(default_factory=list)
    #: True for a phrase coordinated before the one that governs a commodity: it gives its
    #: holder a role in that commodity's flows, but not the route the clause states.
    role_only: bool = False


@dataclass
class Frame:
    """What one clause states of one group of coordinated commodities."""

    sentence: SentenceMentions
    i: int
    j: int
    commodities: list[Mention]
    #: Origin (and "-bound" destination) groups that qualify these commodities only.
    local: list[Group]
    #: The clause's groups with a role, shared by all its commodity groups, in text order.
    groups: list[Group]
    holders: list[Holder]
    hedge: str | None
    #: How the commodity was found: "named", "clause" (from an earlier clause of the sentence),
    #: "anaphor" (from the sentence before), "people" (demonyms of people who move).
    source: str = "named"


@dataclass
class Reader:
    """Reads the sentences of one document; ``resolve`` turns anaphors into places."""

    text: str
    tokens: Tokens
    lex: Lexicon
    subject: str | None
    #: The role phrases last asked for: (clause, a, b, phrases) — see :meth:`role_phrases`.
    _last_phrases: tuple[SentenceMentions, int, int, list[tuple[int, int, list[str]]]] | None = (
        field(default=None, init=False, repr=False, compare=False)
    )

    def __post_init__(self) -> None:
        #: Each role phrase entry's kind and role (``role_phrases.csv``), split once.
        self._role_kind = [tuple(k.split(":", 1)) for k in self.lex.role_kinds]

    # ------------------------------------------------------------------ clauses

    def clauses(self, sm: SentenceMentions) -> list[tuple[int, int]]:
        """Token ranges of the clauses of a sentence."""
        s = sm.sentence
        cuts: set[int] = set()
        texts = self.tokens.texts
        if ";" in texts[sm.i : sm.j]:
            cuts.update(k for k in range(sm.i, sm.j) if texts[k] == ";")
        for m in self.lex.clause_split.finditer(self.text, s.start, s.end):
            cut = self.tokens.first_at(m.start())
            if self.text.startswith(", and", m.start()) and not self._has_verb(sm, cuts, cut):
                continue  # "women from A, B, and former Soviet states are trafficked": a list
            cuts.add(cut)
        lead = self.lex.lead_clause.match(self.text, s.start)
        if lead is not None:
            comma = self.text.find(",", lead.end(), s.end)
            if comma != -1:
                cuts.add(self.tokens.first_at(comma))
        out: list[tuple[int, int]] = []
        begin = sm.i
        for cut in sorted(c for c in cuts if sm.i < c < sm.j):
            out.append((begin, cut))
            begin = cut
        out.append((begin, sm.j))
        return [(a, b) for a, b in out if b > a]

    def _has_verb(self, sm: SentenceMentions, cuts: set[int], cut: int) -> bool:
        """True when the clause before token ``cut`` has a verb of its own."""
        start = max([c for c in cuts if c < cut], default=sm.i)
        if any(start <= v.i < cut for v in sm.of("verb")):
            return True
        return not _FINITE.isdisjoint(self.tokens.lows[start:cut])

    def dead_zone(self, sm: SentenceMentions, a: int, b: int) -> tuple[int, int]:
        """Where a negation reaches in clause ``[a, b)``: from its cue to "but", "however" …
        or the clause's end; ``(b, b)`` when nothing is negated."""
        negs = sm.between("negation", a, b)
        denied = self._denied_goods(sm, a, b)
        if not negs and denied is None:
            return (b, b)
        start, after = (negs[0].i, negs[0].j) if negs else (b, b)
        if denied is not None and denied < start:
            start, after = denied, denied + 1
        for k in range(after, b):
            t = self.tokens[k]
            if t.low in _NEGATION_END or (t.text == "," and k + 1 < b and self._and_clause(k, b)):
                return (start, k)
        return (start, b)

    def _denied_goods(self, sm: SentenceMentions, a: int, b: int) -> int | None:
        """The token of "no" that denies a commodity ("no heroin was reported to have entered
        Georgia", "no significant cocaine shipments"), or None."""
        for c in sm.between("commodity", a, b):
            k = c.i - 1
            while k > a and k > c.i - 4 and self._between_no(self.tokens[k].low):
                k -= 1
            if k >= a and self.tokens[k].low == "no":
                return k
        return None

    def _between_no(self, word: str) -> bool:
        """Words between "no" and the goods it denies ("no significant quantities of")."""
        return (
            word in self.lex.adjectives
            or word in self.lex.openings
            or word in self.lex.quantities
            or word == "of"
        )

    def _and_clause(self, k: int, b: int) -> bool:
        """True when ", and" at token ``k`` starts a new clause with its own subject."""
        return (
            k + 1 < b
            and self.tokens[k + 1].low == "and"
            and k + 2 < b
            and (
                self.tokens[k + 2].low in ("the", "a", "an", "some", "most", "many", "there", "its")
            )
        )

    # ------------------------------------------------------------------ bridges

    def bridge(self, sm: SentenceMentions, a: int, b: int, limit: int = BRIDGE_TOKENS) -> bool:
        """True when tokens ``[a, b)`` may stand between a cue and its places: articles,
        adjectives, lower-case nouns and "of"/"in"/"at", no verb, cue, commodity or clause
        punctuation ("the ports of", "toward clandestine laboratories in")."""
        if b - a > limit:
            return False
        if a > 0 and self.tokens[a - 1].low == "to" and self.tokens[a].low in ("be", "have"):
            return False  # "appears to be occurring in Kazakhstan"
        if b <= a:
            return True  # nothing stands between ("bound for Russia")
        named_then_in = b - a >= 2 and not _IN_OF_AT.isdisjoint(self.tokens.lows[a + 1 : b])
        if a > 0 and self.tokens[a - 1].low == "to" and b - a >= 2:
            first, second = self.tokens[a], self.tokens[a + 1]
            if first.low not in self.lex.adjectives and second.low in _DETERMINERS:
                return False  # "to disguise their Syrian origin": an infinitive, not a place
        # "via Pacific island states such as Fiji": the kind of place, then its examples
        examples = next((k for k in range(a, b) if self.tokens[k].low in _EXAMPLE_WORDS), a)
        for k in range(a, b):
            t = self.tokens[k]
            if t.text in _LIST_PUNCT and t.text != ",":
                continue
            if t.text == "," and k + 1 < b and self.tokens[k + 1].low in _INTRODUCERS:
                continue  # "destined for exploitation in third countries, including the US"
            if t.text == "," and k == b - 1:
                continue  # "from neighbouring states, Russia and Uzbekistan"
            if not t.is_word:
                return False
            name_word = t.capitalised and t.low not in self.lex.adjectives and t.low != "the"
            if name_word and not named_then_in and k >= examples:
                return False  # "from Jomo Kenyatta International Airport in Nairobi" is allowed
        for kind in ("verb", "cue", "commodity", "link", "nonflow"):
            for m in sm.between(kind, a, b):
                if (
                    kind == "cue"
                    and m.value in ("weak", "for")
                    and m.text.lower()
                    in (
                        "in",
                        "of",
                        "at",
                        "on",
                        "for",
                    )
                ):
                    continue
                if kind == "link" and m.value in ("mostly", "often", "direct"):
                    continue
                return False
        return True

    def list_glue(self, sm: SentenceMentions, a: int, b: int) -> tuple[bool, bool]:
        """Whether tokens ``[a, b)`` join two places into one list, and whether with "or"."""
        if b <= a:
            return True, False
        words = []
        for k in range(a, b):
            t = self.tokens[k]
            if t.text in _LIST_PUNCT or self._note_mark(k, a, b):
                continue
            if not t.is_word:
                return False, False
            words.append(t.low)
        if any(a <= m.i < b for m in sm.of("verb")):
            return False, False
        rest = _strip_glue(words, self.lex)
        if rest:
            return False, False
        glued = {"to", "as", "for"}  # "to a lesser extent", "as well as", "as far as"
        if any(
            m.i >= a and m.j <= b and m.text.lower() not in glued
            for m in sm.of("cue")
            if m.value != "weak"
        ):
            return False, False
        alt = "or" in words or "and/or" in words or "lesser" in words or "less" in words
        return True, alt

    def _note_mark(self, k: int, a: int, b: int) -> bool:
        """True for a token of a note mark inside ``[a, b)``: "[12]", "(12)", "(ibid.)"."""
        t = self.tokens[k]
        if t.text in ("[", "]"):
            return True
        before = self.tokens[k - 1].text if k > a else ""
        after = self.tokens[k + 1].text if k + 1 < b else ""
        return t.text.isdigit() and before in ("[", "(") and after in ("]", ")")

    # ------------------------------------------------------------------ groups

    def groups(self, sm: SentenceMentions, places: list[Mention], a: int, b: int) -> list[Group]:
        """Places of clause ``[a, b)`` joined into lists, in text order."""
        out: list[Group] = []
        for p in places:
            if not (a <= p.i < b):
                continue
            if out and self._qualifies(out[-1].places[-1], p):
                out[-1].j = p.j  # "the port of Bar in Montenegro": one place
                continue
            if out:
                last = out[-1]
                joined, alt = self.list_glue(sm, last.j, p.i)
                if not joined and self._located_pair(last, p.i):
                    joined, alt = True, True  # "Kantamanto in Accra and Dantokpa in Cotonou"
                qualifier = p.via == "demonym" and self._of_people(sm, p, places)
                people = p.via == "demonym" and p.text.endswith("s") and p.text[:1].isupper()
                if (qualifier or people) and last.places[-1].via != "demonym":
                    # "held in Oman, including Kenyan nationals", "through Chad, or Malians who …":
                    # other people, not a place
                    joined = False
                suffix = last.places[-1].noun
                if suffix in ("origin-suffix", "destination-suffix") and p.noun != suffix:
                    joined = False  # "Canada-bound Colombian cocaine": two roles
                if joined and not last.there and p.via != "there":
                    last.places.append(p)
                    last.j = p.j
                    last.alternatives = last.alternatives or alt
                    continue
            examples = self.tokens.words(max(a, p.i - 3), p.i)
            parallel = bool({"such", "including", "notably", "like"} & set(examples))
            out.append(Group([p], p.i, p.j, alternatives=parallel, there=p.via == "there"))
        return out

    def _located_pair(self, first: Group, b: int) -> bool:
        """True when two sites named by their own names are each located by a place ("markets
        such as Kantamanto in Accra and Dantokpa in Cotonou"): the places are one list."""
        k = first.i - 1
        if k < 1 or self.tokens[k].low != "in" or not self.tokens[k - 1].text[:1].isupper():
            return False
        words = self.tokens.items[first.j : b]
        if len(words) < 3 or words[0].low not in ("and", "or") or words[-1].low != "in":
            return False
        name = words[1:-1]
        return 1 <= len(name) <= 3 and all(t.text[:1].isupper() for t in name)

    def _of_people(self, sm: SentenceMentions, p: Mention, places: list[Mention]) -> bool:
        """True when the demonym ``p``, alone or first of a list of demonyms, qualifies people
        or goods ("Kenyan nationals", "Ukrainian and Uzbek nationals")."""
        last = p
        for q in places[places.index(p) + 1 :]:
            if q.via != "demonym" or any(
                w not in (",", "and", "or") for w in self.tokens.texts[last.j : q.i]
            ):
                break
            last = q
        return last.noun == "person" or any(c.i == last.j for c in sm.of("commodity"))

    def _qualifies(self, town: Mention, p: Mention) -> bool:
        """True when ``p`` names the country of the town just before it ("Bar in Montenegro",
        "Mombasa, Kenya")."""
        if town.via != "locality" or p.via != "name" or tuple(p.codes) != tuple(town.codes):
            return False
        between = [w for w in self.tokens.words(town.j, p.i) if w not in SUBDIVISION_HEADS]
        return between in (["in"], []) and p.i - town.j <= 3  # "Shan State in Myanmar"

    def assign_roles(
        self,
        sm: SentenceMentions,
        groups: list[Group],
        commodities: list[Mention],
        a: int,
        b: int,
        market: str | None,
    ) -> None:
        """Give each group its role and the words that gave it (see the module's docstring)."""
        cues = [c for c in sm.of("cue") if a <= c.i < b]
        nouns = {k for x, y, _ in self.role_phrases(sm, a, b) for k in range(x, y)}
        verbs = [v for v in sm.of("verb") if a <= v.i < b and v.i not in nouns]
        previous_end = a
        for g in groups:
            if g.there:
                g.role, g.why, g.cue_i = "origin", g.places[0].text, g.i
                g.links.add("sequence")
                g.alternatives = True  # "from where": the place(s) reached, as one stage
                previous_end = g.j
                continue
            if self._modifier(sm, g, commodities) or self._corridor(g):
                previous_end = g.j
                continue
            if self._by_cue(sm, g, cues, previous_end, market):
                if g.modifies is not None:
                    previous_end = g.j
                    continue
            elif (
                self._by_verb_object(sm, g, verbs)
                or self._by_verb_subject(sm, g, verbs, b)
                or self._by_noun(g)
            ):
                pass
            if g.role is None and not g.silenced:
                self._relative_subject(g, verbs)
            owner = self.parenthesis_owner(sm, g.i)
            if owner is not None and g.role is not None:
                g.modifies = owner  # "methaqualone (for export to South Africa)": its own
            g.links |= self._links(sm, previous_end, g.cue_i if g.cue_i >= 0 else g.i)
            if g.j < b and self.tokens[g.j].low == "first":
                g.links.add("first")
            previous_end = g.j

    def parenthesis_owner(self, sm: SentenceMentions, k: int) -> Mention | None:
        """The commodity whose parenthesis, opened right after it, holds token ``k``."""
        depth = 0
        for n in range(k - 1, sm.i - 1, -1):
            t = self.tokens[n].text
            if t == ")":
                depth += 1
            elif t == "(":
                if depth:
                    depth -= 1
                    continue
                return next((c for c in sm.of("commodity") if c.j == n), None)
        return None

    def _modifier(self, sm: SentenceMentions, g: Group, commodities: list[Mention]) -> bool:
        """ "Afghan heroin", "Colombia-sourced cocaine", "US-bound marijuana", "Nigerian women":
        a group right before a commodity word qualifies it (True when the group is settled)."""
        last = g.places[-1]
        governed = g.i > 0 and self.tokens[g.i - 1].low == "from"  # "from Malian army stocks"
        if last.noun in ("actor", "authority", "owner", "not-subject") and not governed:
            g.role, g.why = None, f"{last.text} {last.noun}"
            g.modifies = last  # marks the group as settled (no role)
            return True
        if last.noun == "person" and g.i > 0 and acting_word(self.tokens, self.lex, g.i - 1):
            g.role, g.why = None, f"{self.tokens[g.i - 1].text} {last.text} (who act)"
            g.modifies = last  # "involves Vietnamese nationals": they run it, not move
            return True
        start = g.i - 1 if g.i > 0 and self.tokens[g.i - 1].low == "the" else g.i
        if any(c.j == start and c.value in ("destination", "onward") for c in sm.of("cue")):
            return False  # "heading for European drug [markets]": where it goes, not its kind
        after = g.j  # "Afghanistan's opium" qualifies it as "Afghan opium" does
        if g.j < sm.j and self.tokens[g.j].text in ("'s", "’s") and last.via != "demonym":
            after = g.j + 1
        k = after
        while (
            k < sm.j
            and k - after < 4
            and (
                self.tokens[k].low in self.lex.adjectives
                or any(c.i <= k < c.j for c in sm.of("commodity"))
            )
        ):
            k += 1
        if k > after and k < sm.j and self.tokens[k].low in ("market", "markets"):
            g.role, g.why, g.cue_i = "destination", f"{last.text} … market", g.i
            return True  # "the local illicit drug market"
        demonyms = frozenset(  # "Canada-bound Colombian cocaine": both qualify it
            k for p in sm.of("place") if p.via == "demonym" and p.i >= g.j for k in range(p.i, p.j)
        )
        for c in commodities:
            if c.i >= after and self._adjacent(after, c.i, demonyms):
                market_after = self.tokens.words(c.j, min(c.j + 1, len(self.tokens)))
                if market_after and market_after[0] in _TRADE_NOUNS:
                    g.role, g.why, g.modifies = None, f"{last.text} {c.text} trade", last
                    return True  # "the European cocaine trade": where it is traded, no route
                if market_after and market_after[0] in _USE_NOUNS:
                    g.role, g.why = "destination", f"{last.text} {c.text} market"
                    g.cue_i = g.i
                    return True  # "the local illicit drug market", "the Russian heroin market"
                g.modifies = c
                if last.noun == "destination-suffix":
                    g.role, g.why = "destination", f"{last.text}-bound {c.text}"
                else:
                    g.role, g.why = "origin", f"{last.text} {c.text}"
                g.cue_i = g.i
                return True
        return False

    def _adjacent(self, a: int, b: int, skip: frozenset[int] = frozenset()) -> bool:
        """True when only adjectives, hyphens and suffixes ("-sourced") stand in ``[a, b)``
        (and the tokens of ``skip``)."""
        if b - a > 4:
            return False
        for k in range(a, b):
            t = self.tokens[k]
            if t.text in ("-", "–") or k in skip:
                continue
            if t.low in ("and", "or", "the", "of", "to", "for", "from", "in"):
                return False
            if t.low in self.lex.adjectives or t.low in _SUFFIX_WORDS:
                continue
            return False
        return True

    def _by_cue(
        self,
        sm: SentenceMentions,
        g: Group,
        cues: list[Mention],
        floor: int,
        market: str | None,
    ) -> bool:
        """The role of the nearest cue before the group that reaches it over a bridge; a strong
        cue ("destined for laboratories in Mexico") wins over the bare "in" inside its bridge."""
        reaching = [
            c for c in cues if c.j <= g.i and c.i >= floor - 1 and self.bridge(sm, c.j, g.i)
        ]
        weak = [c for c in reaching if c.value == "weak"]
        strong = [
            c
            for c in reaching
            if c.value != "weak" and not (c.value == "none" and weak and weak[-1].i > c.i)
        ]  # "serves as a hub for buyers in Thailand": the nearer "in" decides, not "as"
        if weak and strong and self._across_the_border(strong[-1], weak[-1]):
            strong = []  # "grown along the frontier in northern Peru": where, by "in"
        for c in reversed(strong):
            if c.value == "for" and (g.i - c.j > 2 or self._object_of_role_phrase(sm, c)):
                continue
            goods = [x for x in sm.of("commodity") if x.j == c.i]
            if goods and (
                c.value == "for"
                or (
                    c.value == "destination"
                    and c.text.lower() not in ("to", "into", "towards", "toward", "onto")
                )
            ):
                # "workers bound for the plantations in Malaysia", "khat for Yemen": where these
                # goods end, however they travel
                g.role, g.why, g.cue_i, g.modifies = "destination", c.text, c.i, goods[0]
                g.final = c.text.lower().split()[0] in _FINAL_CUES
                return True
            role: str | None = "destination" if c.value == "for" else c.value
            if role == "none" or self._based(sm, c):
                role = None  # "a network operating out of Spain": where it is, not a route
            elif role == "origin" and self._noun_at(c.i - 1, "actor"):
                role = None  # "crime groups from the Western Balkans": who they are
            if c.text.lower() == "across" and g.places[-1].noun == "border":
                role = "entry"  # "across the Kazakh border": Kazakhstan is entered
            elif c.text.lower() == "across" and (
                self._spreads(c.i) or self._trigger_at(sm, c.i - 1, "market")
            ):
                role = "destination"  # "distributes across Europe", "buyers across Europe"
            g.role, g.why, g.cue_i = role, c.text, c.i
            g.final = role == "destination" and c.text.lower().split()[0] in _FINAL_CUES
            g.verb_i = self._verb_before(sm, c.i)
            if role == "origin" and any(
                v.i == g.verb_i and v.value == "enter" and v.text.lower().endswith("ing")
                for v in sm.of("verb")
            ):
                g.links.add("earlier")  # "cross Honduras …, usually entering from Nicaragua"
            after = self.tokens[g.j].low if g.j < len(self.tokens) else ""
            if self.lex.venues & set(self.tokens.words(c.j, g.i)) or after in self.lex.venues:
                # "to ports in Chile and Peru", "through Thai and Malaysian ports":
                # either of them
                g.alternatives = True
            return True
        if weak:
            c = weak[-1]
            if c.i == sm.i and g.j < len(self.tokens) and self.tokens[g.j].text == ",":
                if any(v.value == "seize" and v.i > g.j for v in sm.of("verb")):
                    # "In Estonia, officers also find vodka from Russia": found there
                    g.role, g.why, g.cue_i = "entry", f"{c.text} … (where found)", c.i
                    g.links.add("seized")
                    return True
                g.role, g.why, g.cue_i = None, f"{c.text} … (scene)", c.i
                return True  # "In West Africa, cheap Nigerian petrol is smuggled …"
            if g.places[-1].noun == "market":
                g.role, g.why, g.cue_i = "destination", f"{c.text} … market", c.i
                return True  # "the cannabis on the Russian market"
            if self._superlative_scope(sm, c.i):
                g.role, g.why, g.cue_i = None, f"… {c.text} (comparison)", c.i
                return True  # "among the largest in Central Asia"
            if {"border", "borders", "frontier", "frontiers"} & set(self.tokens.words(c.j, g.i)):
                g.role, g.why, g.cue_i = None, f"{c.text} the border of", c.i
                return True  # "along the border of Lesotho": where, not which way
            if g.places[-1].noun == "border" and _bare_border(self.text, g.places[-1].end):
                g.role, g.why, g.cue_i = None, f"{c.text} … border", c.i
                return True  # "along the Mexican border": where, not which way
            role, why = self._weak_role(sm, c, market)
            if role is None and c.i > sm.i and not self._noun_at(c.i - 1, "authority"):
                # "Criminal groups in the Netherlands produce MDMA": where the subject is, for
                # a verb whose subject's place takes a role
                role, why = self._subject_place_role(sm, c, g) or (role, why)
            g.role, g.why, g.cue_i = role, why, c.i
            if role == "entry" and any(
                v.value == "seize" and why.startswith(v.text) for v in sm.of("verb")
            ):
                g.links.add("seized")  # "found in Iran … seized as far as Australia": each an end
            g.watched = c.i > sm.i and self._noun_at(c.i - 1, "authority")
            g.verb_i = self._verb_before(sm, c.i)
            if c.i > sm.i and self.tokens[c.i - 1].low in self.lex.venues:
                g.alternatives = True  # "transit airports in Ethiopia and Qatar": either
            qualified = self._participle_of(sm, c)
            if qualified is not None and role in ("destination", "entry"):
                # "the cocaine seized in Australia", "the cannabis consumed in Brazil"
                g.role, g.modifies = "destination", qualified
            return True
        return False

    def _across_the_border(self, strong: Mention, weak: Mention) -> bool:
        """True for "across the border(s) in …": a place on the far side, read by its "in"."""
        if strong.text.lower() != "across" or weak.i <= strong.j:
            return False
        words = self.tokens.words(strong.j, weak.i)
        return bool(words) and words[-1] in ("border", "borders", "frontier")

    def _object_of_role_phrase(self, sm: SentenceMentions, cue: Mention) -> bool:
        """ "transit point for", "destination for": the place after "for" is what the phrase is
        about only when it names a market; the holder is elsewhere."""
        for r in sm.of("role"):
            if r.j == cue.i:
                return True
            if r.i < cue.i < r.j and not self.lex.role_kinds[int(r.value)].endswith("destination"):
                return True  # "a route for": its own "for" ("a market for Europe" ends there)
        return False

    def _weak_role(
        self, sm: SentenceMentions, cue: Mention, market: str | None
    ) -> tuple[str | None, str]:
        """The role of a bare "in"/"at": the nearest trigger word or verb before it in the clause
        (at most eight tokens back), else the market's default (goods taken where they are
        found come from there)."""
        if cue.i > sm.i and self._noun_at(cue.i - 1, "authority"):
            return None, f"{self.tokens[cue.i - 1].text} {cue.text}"  # "police in Bosnia"
        best: tuple[int, str | None, str] | None = None
        stop = max(
            [k for k in range(sm.i, cue.i) if self.tokens[k].text in ('"', "“", "”", ",")],
            default=-1,
        )
        for t in sm.of("trigger"):
            if t.i <= stop and not self._list_in_between(stop, cue.i):
                continue
            if market == "people" and t.value in ("origin", "making"):
                continue  # "forced labour in meat processing in Russia": not where it comes from
            if t.j <= cue.i and cue.i - t.j <= 12 and (best is None or t.i > best[0]):
                role: str | None = t.value
                if role == "market":  # "proceeds of drug sales in the US" come from there
                    role = "origin" if market == "financial-crimes" else "destination"
                elif role == "making":  # "precursors for amphetamine production in …" go there
                    role = "destination" if market == "precursors" else "origin"
                governing = self._object_of(sm, t.i)
                if governing is not None and governing.sense is not None:
                    # "the gold reaches refineries in India": the verb's object, whatever the
                    # noun alone would say
                    role = governing.sense.object
                best = (t.i, role, t.text)
        for v in sm.of("verb"):
            if v.i <= stop and not self._list_in_between(stop, cue.i):
                continue
            if v.j <= cue.i and cue.i - v.j <= 12 and v.sense is not None:
                if market == "people" and v.value == "produce":
                    continue  # "forced to mine in Senegal": people are not mined there
                if v.sense.locative is not None and (best is None or v.i > best[0]):
                    if v.value == "stage" and best is not None and best[1] == "origin":
                        continue  # "production is concentrated in Shan State": made there
                    role = None if v.sense.locative == "none" else v.sense.locative
                    best = (v.i, role, v.text)
        if best is not None:
            if any(n.value == "lure" and self._lures(n, best[0], cue) for n in sm.of("nonflow")):
                if self._exploited_there(sm, cue):
                    return "destination", f"{cue.text} (exploited there)"
                return None, "lure"
            if best[1] == "transit" and cue.text.lower().startswith(("near", "close")):
                return None, f"{best[2]} {cue.text}"  # "transfer their loads near Zanzibar"
            return best[1], f"{best[2]} {cue.text}"
        if market in EXTRACTION_MARKETS:
            return "origin", f"{cue.text} (where it is found)"
        if market == "people":
            return "destination", f"{cue.text} (where people are held)"
        return None, cue.text

    def _object_of(self, sm: SentenceMentions, k: int) -> Mention | None:
        """The verb whose place object the noun at token ``k`` is ("reaches refineries in"),
        with only articles and adjectives between; None for a verb that takes no place."""
        for v in sm.of("verb"):
            if v.j > k or v.sense is None or v.sense.object in (None, "none"):
                continue
            between = self.tokens.words(v.j, k)
            if all(w in _ARTICLES or w in self.lex.adjectives for w in between):
                return v
        return None

    def _lures(self, lure: Mention, word: int, cue: Mention) -> bool:
        """True when the place after ``cue`` is only what a lure promised ("fake offers of
        jobs in Canada"), not where the word that governs it ("exploited in") puts people."""
        if lure.j > cue.i or lure.i < word - 6:
            return False
        between = range(lure.j, word)  # "promises of work and exploited in": a new verb phrase
        return not any(self.tokens[k].low in ("and", "but", "then", ",", ";") for k in between)

    def _exploited_there(self, sm: SentenceMentions, cue: Mention) -> bool:
        """True when the places a lure promised are where the people are then exploited
        ("job offers for work in Qatar, where they are subjected to forced labour")."""
        for k in range(cue.j, min(cue.j + 16, sm.j)):
            if self.tokens[k].low == "where" and self.tokens[k - 1].text == ",":
                if any(cue.j <= v.i < k for v in sm.of("verb")):
                    return False  # "work in Turkey and then transported to the UAE, where …"
                return any(v.value == "exploit" and k < v.i <= k + 6 for v in sm.of("verb"))
        return False

    def _superlative_scope(self, sm: SentenceMentions, k: int) -> bool:
        """True when the "in" at token ``k`` ends a superlative's noun phrase: "among the largest
        in Central Asia", "the largest source of methamphetamine in East Asia" (where it ranks,
        not where the goods go)."""
        for back in range(k - 1, max(sm.i, k - 6) - 1, -1):
            word = self.tokens[back].low
            if word == "most" and (back == 0 or self.tokens[back - 1].low != "the"):
                continue  # "most victims identified in Portugal": how many, not a rank
            if word in _SUPERLATIVES:
                # "largest source … shipped in"; "the largest consumer markets are in": a verb
                # or a copula makes the place where they are, not the scope of the rank
                copula = any(w in _BE for w in self.tokens.words(back + 1, k))
                return not copula and not any(back + 1 < v.i < k for v in sm.of("verb"))
            if self.tokens[back].text in (",", ";", ":"):
                return False
        return False

    def _trigger_at(self, sm: SentenceMentions, k: int, role: str) -> bool:
        """True when a trigger word of ``role`` (triggers.csv) ends at token ``k``."""
        return any(t.j == k + 1 and t.value == role for t in sm.of("trigger"))

    def _spreads(self, k: int) -> bool:
        """True when the word before token ``k`` spreads goods out ("distributed", "sold")."""
        words = self.tokens.words(max(0, k - 2), k)  # "distribute it across"
        return any(w.startswith(_SPREAD_STEMS) for w in words)

    def _based(self, sm: SentenceMentions, cue: Mention) -> bool:
        """True when a verb of being based ("operating", "based", "working") ends right at
        ``cue``."""
        return any(v.j == cue.i and v.value == "base" for v in sm.of("verb"))

    def _noun_at(self, k: int, kind: str) -> bool:
        """True when token ``k`` is a one-word noun of ``kind`` (nouns.csv): "police",
        "authorities" (authority); "groups", "traffickers" (actor)."""
        if k < 0:
            return False
        hit = self.lex.nouns.at(self.text, self.tokens, k)
        return hit is not None and hit.value == kind and hit.j == k + 1

    def _participle_of(self, sm: SentenceMentions, cue: Mention) -> Mention | None:
        """The commodity a participle right before a bare "in" qualifies ("cocaine seized in")."""
        for v in sm.of("verb"):
            if v.j == cue.i and not v.text.lower().endswith("s"):  # "hashish lands in": a verb
                for c in sm.of("commodity"):
                    if c.j == v.i:
                        return c
        return None

    def _list_in_between(self, comma: int, cue: int) -> bool:
        """True when the comma before a cue only separates list items ("cut in Zambezia,
        Sofala and …" is not it, but "exploited in prostitution, and in …" keeps its verb)."""
        return self.tokens[comma].text == "," and all(
            self.tokens[k].low in _LIST_WORDS for k in range(comma + 1, cue)
        )

    def _verb_before(self, sm: SentenceMentions, i: int) -> int:
        """The nearest movement verb before token ``i`` (for verb succession), or -1."""
        best = -1
        for v in sm.of("verb"):
            if v.i < i and v.value not in ("base", "seize", "produce", "consume", "exploit"):
                best = max(best, v.i)
        return best

    def _by_verb_object(self, sm: SentenceMentions, g: Group, verbs: list[Mention]) -> bool:
        """ "leave Colombia", "enter Thailand", "cross Mauritania", "reach Jamaica"."""
        examples = bool(set(self.tokens.words(max(sm.i, g.i - 2), g.i)) & _EXAMPLE_WORDS)
        for v in reversed(verbs):
            if v.j > g.i or v.sense is None or v.sense.object is None:
                continue
            if examples and g.i - v.j <= 8 and not self._verb_between(sm, v.j, g.i):
                pass  # "transit the Pacific islands, notably Fiji and Tonga"
            elif g.i - v.j > 5 or not self.bridge(sm, v.j, g.i, limit=5):
                return False
            role = None if v.sense.object == "none" else v.sense.object
            g.role, g.why, g.cue_i, g.verb_i = role, f"object of {v.text!r}", v.i, v.i
            # "heroin reaching Europe", "cocaine entering Europe is shipped from …": the end
            g.final = (v.value == "reach" and self._aimed_at(sm, v)) or (
                v.value == "enter" and self._after_goods(sm, v)
            )
            g.aimed = g.final and self._after_goods(sm, v)
            return True
        return False

    def _noun_use(self, v: Mention) -> bool:
        """True for a verb form used as a noun after an article or adjective ("a growing
        source", "the main supply")."""
        if v.i == 0:
            return False
        before = self.tokens[v.i - 1].low
        return before in _ARTICLES or before in self.lex.adjectives or before in _RANKS

    def _aimed_at(self, sm: SentenceMentions, v: Mention) -> bool:
        """ "Heroin reaching Europe", "migrants trying to reach Germany": the place reached is
        where the goods or people end, whatever they pass through on the way."""
        before = self.tokens.words(max(sm.i, v.i - 3), v.i)
        intent = before[-1:] == ["to"] and bool(set(before) & _AIM_WORDS)
        return intent or self._after_goods(sm, v)

    def _after_goods(self, sm: SentenceMentions, v: Mention) -> bool:
        """True for a participle right after the commodity ("heroin reaching Europe")."""
        return any(c.j == v.i for c in sm.of("commodity")) and v.text.lower().endswith("ing")

    def _verb_between(self, sm: SentenceMentions, a: int, b: int) -> bool:
        return any(a <= v.i < b for v in sm.of("verb")) or any(a <= c.i < b for c in sm.of("cue"))

    def _by_verb_subject(
        self, sm: SentenceMentions, g: Group, verbs: list[Mention], b: int
    ) -> bool:
        """ "Paraguay supplies …", "New Zealand sources … from Mexico": a group right before a
        verb whose subject takes a role (commas and adverbs may stand between)."""
        for v in verbs:
            if v.i < g.j or v.sense is None or v.sense.subject is None:
                continue
            if self._noun_use(v):
                continue  # "with Türkiye a growing source": a noun, not "Türkiye sources"
            if g.places[-1].noun == "corridor" and v.i == g.j:
                return False  # "the Southern Caucasus route": the route's name, not "… routes"
            if (
                v.sense.cls in ("move", "produce")
                and g.places[-1].noun is None
                and not self._subject_position(sm, g)
            ):
                # "Colombia ships cocaine": only with a place-like subject noun, else a verb
                # after a list of places is more often the tail of a relative clause.
                return False
            if v.i - g.j > 6:
                return False
            if any(n.value == "policy" and 0 <= n.i - v.j <= 2 for n in sm.of("nonflow")):
                return False  # "The United States provides training to …": no goods
            between = [t for t in self.tokens.items[g.j : v.i] if t.is_word]
            if any(
                w.low not in self.lex.openings
                and w.low not in self.lex.adjectives
                and w.low not in _ADVERBS
                for w in between
            ):
                return False
            if self.tokens[v.i - 1].low in _PASSIVE and not v.text.lower().endswith("ing"):
                # "Europe is supplied with heroin from …": the passive's subject is its object
                if v.sense.object in (None, "none"):
                    return False
                g.role, g.why, g.cue_i = v.sense.object, f"subject of passive {v.text!r}", g.i
                return True
            g.role, g.why, g.cue_i = v.sense.subject, f"subject of {v.text!r}", g.i
            return True
        return False

    def _relative_subject(self, g: Group, verbs: list[Mention]) -> None:
        """ "… in the United Kingdom, which receives most of its heroin from Afghanistan": a
        place that a relative clause's verb has for subject takes that verb's subject role."""
        k = g.j
        if k + 1 >= len(self.tokens) or self.tokens[k].text != ",":
            return
        if self.tokens[k + 1].low not in ("which", "that"):
            return
        k += 2
        while k < len(self.tokens) and self.tokens[k].low in _ADVERBS:
            k += 1
        v = next((v for v in verbs if v.i == k), None)
        if v is not None and v.sense is not None and v.sense.subject not in (None, "none"):
            g.role, g.why = v.sense.subject, f"which {v.text}"

    def _subject_place_role(
        self, sm: SentenceMentions, cue: Mention, g: Group
    ) -> tuple[str, str] | None:
        """The role a verb gives its subject ("produce": origin), for the place of a subject
        noun phrase that opens the clause ("Criminal groups in X produce …")."""
        if cue.text.lower() != "in" or cue.i - sm.i > 5:
            return None
        if any(sm.i <= v.i < cue.i for v in sm.of("verb")):
            return None
        for v in sm.of("verb"):
            sense = v.sense
            if sense is None or not sense.subject or not 0 <= v.i - g.j <= 1:
                continue
            if sense.cls in ("produce", "export", "supply", "move", "consume", "import", "source"):
                if v.i > g.j and self.tokens[v.i - 1].low in _PASSIVE:
                    # "most methamphetamine sold in Canada is made in Mexico": the
                    # goods are where they are found, made or sent from elsewhere
                    return "destination", f"{cue.text} … (where the goods are)"
                return sense.subject, f"{cue.text} … subject of {v.text!r}"
        return None

    def _subject_position(self, sm: SentenceMentions, g: Group) -> bool:
        """True when nothing but articles stands between the clause's start and the group."""
        k = g.i - 1
        while k >= sm.i and self.tokens[k].low in ("the", ",", "and"):
            k -= 1
        return k < sm.i or self.tokens[k].text in (";", ":")

    def _corridor(self, g: Group) -> bool:
        """ "the Brazil–Portugal corridor", "along the Afghanistan-Tajikistan route": a route
        named by its two ends runs from the first to the second."""
        first, last = g.places[0], g.places[-1]
        if last.noun != "corridor" or len(g.places) != 2:
            return False
        between = self.text[first.end : last.start].strip()
        if between not in ("-", "–", "—"):
            return False
        g.role, g.why, g.cue_i = "between", f"{first.text}{between}{last.text} {last.noun}", g.i
        return True

    def _by_noun(self, g: Group) -> bool:
        """ "the Russian market", "US consumers": a place before a market noun is a
        destination."""
        last = g.places[-1]
        if last.noun == "market":
            g.role, g.why, g.cue_i = "destination", f"{last.text} market", g.i
            g.final = True  # "Chinese demand drives the export of rosewood …": where it ends
            return True
        if last.noun == "origin-suffix":
            g.role, g.why, g.cue_i = "origin", f"{last.text} origin", g.i
            return True
        return False

    def _links(self, sm: SentenceMentions, a: int, b: int) -> set[str]:
        """The link words between two groups (or a clause's start and its first group); "or"
        links two routes only right before the cue ("or through", ", or via")."""
        out = set()
        verbs = {v.i for v in sm.of("verb") if a <= v.i < b}
        for m in sm.of("link"):
            if a <= m.i and m.j <= b:
                participle = m.j < len(self.tokens) and self.tokens[m.j].low.endswith(("ed", "en"))
                if m.value == "alternative" and b - m.j > 2 and m.j not in verbs and not participle:
                    continue  # "or" right before the cue, or before a verb ("or carried to",
                    # "or stowed on ferries")
                if m.value == "often" and b - m.j > 2 and m.j not in verbs:
                    continue  # "often via Dubai", not "often hiring boats that carry them via"
                out.add(m.value)
        if "earlier" in out:
            out.discard("sequence")  # "having first flown to": first, but before the rest
        return out

    # ------------------------------------------------------------------ holders

    def holders(
        self,
        sm: SentenceMentions,
        groups: list[Group],
        a: int,
        b: int,
        implicit: bool,
        dead: tuple[int, int],
    ) -> list[Holder]:
        """Role phrases of clause ``[a, b)`` with the places that hold them; none inside the
        ``dead`` span a negation silences."""
        out: list[Holder] = []
        previous_end = a
        for phrase in self.role_phrases(sm, a, b):
            if dead[0] <= phrase[0] < dead[1]:
                continue  # "not a source of drugs …"
            passed: set[int] = set()
            if phrase[0] >= dead[1] > dead[0]:
                a = max(a, dead[1])  # "… but a transit point for cocaine": after the negation
                # "Tanzania is not a producer of heroin but is used as a transit point": the
                # subject before the negation holds the phrase after it
                passed = set(range(dead[0], dead[1] + 1))
            codes, why, places = self._holder_of(
                sm, phrase, groups, a, implicit, previous_end, passed
            )
            if not codes:
                codes, why, places = self._holder_after(sm, phrase, groups, b)
            if (
                not codes
                and out
                and out[-1].j == previous_end
                and self._after_phrase(sm, previous_end, phrase[0])
            ):
                # "Belize is the main grower of cannabis and a stopover for …"
                last = out[-1]
                codes, why, places = list(last.codes), last.why, list(last.places)
            previous_end = phrase[1]
            if codes:
                for g in groups:
                    if g.role == "same" and g.i >= phrase[1]:  # "…, followed by Samoa"
                        codes = codes + [c for c in g.codes if c not in codes]
                        g.role = None
                out.append(Holder(phrase[2], codes, phrase[0], phrase[1], why, places))
        return out

    def role_phrases(
        self, sm: SentenceMentions, a: int, b: int
    ) -> list[tuple[int, int, list[str]]]:
        """Role phrases: coordinated role words with a head noun ("source, transit and
        destination country"), or role nouns ("transit hub", "producer of"). A clause asks
        three times (roles, holders, "it" holders): the last answer is kept (read, not changed)."""
        last = self._last_phrases
        if last is not None and last[0] is sm and last[1] == a and last[2] == b:
            return last[3]
        out = self._role_phrases(sm, a, b)
        self._last_phrases = (sm, a, b, out)
        return out

    def _role_phrases(
        self, sm: SentenceMentions, a: int, b: int
    ) -> list[tuple[int, int, list[str]]]:
        out: list[tuple[int, int, list[str]]] = []
        found = [m for m in sm.of("role") if a <= m.i < b]
        k = 0
        while k < len(found):
            m = found[k]
            kind, role = self._role_kind[int(m.value)]
            if kind in ("head", "blocker"):
                k += 1
                continue
            roles, start, end = [role], m.i, m.j
            complete = kind in ("noun", "predicate")
            n = k + 1
            while n < len(found):
                nxt = found[n]
                nkind, nrole = self._role_kind[int(nxt.value)]
                gap = [t for t in self.tokens.items[end : nxt.i] if t.is_word]
                compound = nkind == "noun" and nrole in roles and not self._on_path(start)
                if (nkind == "head" or compound) and not gap:
                    end, complete = nxt.j, True  # "transit point", "[Togo:] transit hub"
                    n += 1
                    continue
                if nkind in ("word", "noun") and _coordinated(gap, self.tokens, end, nxt.i):
                    if nrole not in roles:
                        roles.append(nrole)
                    end, complete = nxt.j, complete or nkind == "noun"
                    n += 1
                    continue
                break
            k = n
            after = [t.low for t in self.tokens.items[end : end + 2]]
            if not complete:
                compound = any(c.j == start for c in sm.of("commodity"))
                # "with Pakistan an emerging source.": a role word after an article and an
                # adjective that ends the clause is a role too
                alone = (
                    (not after or after[0] in (".", ",", ";", ")") or end >= b)
                    and start - 2 >= a
                    and self.tokens[start - 1].low in self.lex.adjectives
                    and self.tokens[start - 2].low in _ARTICLES
                )
                if not (compound or alone or (after and after[0] in ("for", "of"))):
                    continue  # "transit" alone is a verb or cue; "trafficking destination" a role
            if self._blocked(sm, start, end):
                continue
            if end - start == 1 and after and after[0] in _OBJECT_WORDS:
                continue  # "the latter exports it to Malaysia": a verb with its object
            if (
                end - start == 1
                and any(c.i == end for c in sm.of("commodity"))
                and any(v.i == start for v in sm.of("verb"))
                and start > 0
                and self.tokens[start - 1].low not in _ARTICLES
                and self.tokens[start - 1].low not in self.lex.adjectives
                and self.tokens[start - 1].low not in _RANKS
            ):
                continue  # "Colombia exports cocaine to Spain": a verb and its goods
            out.append((start, end, roles))
        return out

    def _on_path(self, k: int) -> bool:
        """True when token ``k`` follows a word of passing ("through transit hubs such as
        Doha"): the places named are stages of that way, not holders of a role."""
        return k > 0 and self.tokens[k - 1].low in ("through", "via", "across", "along", "by")

    def _blocked(self, sm: SentenceMentions, start: int, end: int) -> bool:
        """ "money-laundering hub", "hub for money laundering": no flow role."""
        for m in sm.of("role"):
            kind = self._role_kind[int(m.value)][0]
            if kind != "blocker":
                continue
            if m.j <= start and start - m.j <= 1:
                return True
            if m.i >= end and m.i - end <= 3 and self.tokens[end].low in ("for", "of"):
                return True
        return False

    def _holder_of(
        self,
        sm: SentenceMentions,
        phrase: tuple[int, int, list[str]],
        groups: list[Group],
        a: int,
        implicit: bool,
        previous_end: int,
        passed: set[int] | None = None,
    ) -> tuple[list[str], str, list[Mention]]:
        """The places a role phrase is about: the free group before it ("Tajikistan remains a
        major transit country", "Fiji is the main trafficking destination"), the sentence's
        subject of "serving as a …", or the implicit subject of a Factbook clause that the phrase
        opens ("[Nicaragua:] transshipment point for cocaine"). Tokens ``passed`` (a negated
        stretch) may stand between a holder and its phrase."""
        start = phrase[0]
        skip: set[int] | None = None  # worked out when first needed: most phrases need none
        for g in reversed(groups):
            if g.j > start or g.places[-1].noun == "border":
                continue
            if (g.j == start and not self._predicate(sm, start)) or (
                all(p.via == "demonym" for p in g.places) and self._adjacent(g.j, start)
            ):
                continue  # "southern African transit point", "Caribbean transshipment point"
            taken = (g.role is not None and g.role not in ("origin", "destination")) or g.modifies
            if g.silenced or (taken and (g.modifies is None or g.role is not None)):
                continue
            skip = self._qualifiers(sm) | (passed or set())
            if self._opening(g.j, start, skip):
                subject = self._coordinated_subject(sm, groups, g, start, skip)
                if subject is not None:
                    g = subject  # "Petén borders Mexico and is a landing zone": Petén is
                g.role, g.why = "holder", "holder"
                return g.codes, " ".join(m.text for m in g.places), g.places
            break
        words = [t for t in self.tokens.items[a:start] if t.is_word]
        lead = [w.low for w in words[-4:]]
        if "as" in lead and ({"serving", "acting", "functioning", "operating"} & set(lead)):
            # "Kazakhstan plays some part in …, serving as a waypoint": the sentence's subject
            free = [g for g in groups if g.j <= start and g.role is None and g.modifies is None]
            if free:
                free[0].role = "holder"
                return free[0].codes, "subject, serving as", free[0].places
        if skip is None and implicit:
            skip = self._qualifiers(sm) | (passed or set())
        if implicit and (
            self._opening(a, start, skip or set()) or self._after_phrase(sm, previous_end, start)
        ):
            return ([self.subject] if self.subject else []), "(the country)", []
        return [], "", []

    def _holder_after(
        self, sm: SentenceMentions, phrase: tuple[int, int, list[str]], groups: list[Group], b: int
    ) -> tuple[list[str], str, list[Mention]]:
        """The places a copula after the phrase and its object names ("The main destination for
        Afghan heroin is Russia", "The main transit countries … are Iran and Turkey"), or the
        list of places alone after its colon ("Main departure countries …: Ecuador, Brazil")."""
        if b < sm.j and self.tokens[b].text == ":" and b - phrase[1] <= 12:
            return self._listed_after(sm, b + 1)
        verbs = {v.i for v in sm.of("verb")}
        for k in range(phrase[1], min(b, phrase[1] + 12)):
            if k in verbs or self.tokens[k].text in (";", ":"):
                break
            if self.tokens[k].low not in _NAMING:
                continue
            for g in groups:
                if g.i <= k or g.role is not None or g.modifies is not None or g.silenced:
                    continue
                between = [t.low for t in self.tokens.items[k + 1 : g.i] if t.is_word]
                if all(w in _BEFORE_HOLDER or w in self.lex.adjectives for w in between):
                    g.role, g.why = "holder", "holder"
                    return g.codes, " ".join(m.text for m in g.places), g.places
                break
            break
        return [], "", []

    def _listed_after(self, sm: SentenceMentions, k: int) -> tuple[list[str], str, list[Mention]]:
        """The places of a list that is all the rest of the sentence from token ``k``."""
        # the clause ends at the colon; the list is the next one
        places = [p for p in sm.whole().of("place") if p.i >= k]
        named = {n for p in places for n in range(p.i, p.j)}
        rest = [t for n, t in enumerate(self.tokens.items[k : sm.j], k) if n not in named]
        if not places or any(t.is_word and t.low not in ("and", "or", "the") for t in rest):
            return [], "", []
        codes = list(dict.fromkeys(c for p in places for c in p.codes))
        return codes, ", ".join(p.text for p in places), places

    def _coordinated_subject(
        self, sm: SentenceMentions, groups: list[Group], obj: Group, start: int, skip: set[int]
    ) -> Group | None:
        """The clause's subject when the group before a role phrase is the object of a verb
        coordinated with it ("Petén borders Mexico and is a landing zone for …"), else None."""
        words = [t.low for t in self.tokens.items[obj.j : start] if t.is_word]
        if words[:1] != ["and"] or len(words) < 2 or words[1] not in _PASSIVE | {"remains"}:
            return None
        earlier = [h for h in groups if h.j <= obj.i and h.role is None and not h.silenced]
        if not earlier or not self._subject_position(sm, earlier[0]):
            return None
        between = [t for t in self.tokens.items[earlier[0].j : obj.i] if t.is_word]
        verbs = [v for v in sm.of("verb") if earlier[0].j <= v.i < obj.i]
        if (
            not 1 <= len(between) <= 3
            or verbs
            or any(c.i >= earlier[0].j and c.j <= obj.i for c in sm.of("cue"))
        ):
            return None
        return earlier[0]

    def _predicate(self, sm: SentenceMentions, start: int) -> bool:
        """True when the role phrase at ``start`` is a predicate ("lies on the route"), whose
        holder is the place right before it."""
        return any(
            m.i == start and self.lex.role_kinds[int(m.value)].startswith("predicate:")
            for m in sm.of("role")
        )

    def _qualifiers(self, sm: SentenceMentions) -> set[int]:
        """Tokens that may stand inside a role phrase's opening without breaking it: places and
        commodities that qualify it ("major European transshipment point", "cocaine transit
        point", "captagon-processing laboratories"), hedges ("reportedly a transit point") and
        the agent ("used by smugglers as a transit country")."""
        out = {
            k
            for kind in ("place", "commodity", "hedge")
            for m in sm.of(kind)
            for k in range(m.i, m.j)
        }
        for m in sm.of("actor"):  # "is used by traffickers as a transit country"
            if m.i > 0 and self.tokens[m.i - 1].low == "by":
                out.update(range(m.i - 1, m.j))
        for k in sorted(out):
            if k + 2 < len(self.tokens) and self.tokens[k + 1].text == "-":
                out.add(k + 2)
        return out

    def _after_phrase(self, sm: SentenceMentions, a: int, b: int) -> bool:
        """True when only the object of the role phrase before (with words that say what is done
        to its people: "subjected to forced labour"), "and" and an opening stand between two
        phrases ("source country of cocaine and a major transit for …", "… and to a lesser
        extent a destination country for …")."""
        if a <= sm.i or b <= a:
            return False
        named = {
            k
            for kind in ("commodity", "place", "context", "cue")
            for m in sm.of(kind)
            if kind != "cue" or m.value in ("destination", "onward")  # "… bound for Russia"
            for k in range(m.i, m.j)
        }
        words = [t for k, t in enumerate(self.tokens.items[a:b], a) if k not in named and t.is_word]
        if not words or words[0].low not in ("and", "or", "for", "of", "but"):
            return False
        rest = [w.low for w in words]
        return all(
            w in self.lex.openings
            or w in self.lex.adjectives
            or w in self.lex.list_on
            or w in _ADVERBS
            or w in ("and", "or", "of", "for")
            for w in rest
        )

    def _opening(self, a: int, b: int, skip: set[int] | None = None) -> bool:
        """True when tokens ``[a, b)`` are only copulas, adverbs and adjectives ("remains a
        major", "serves both as a", "has grown into a leading"); tokens in ``skip``
        (place names that qualify the phrase: "major European transshipment point") pass."""
        skip = skip or set()
        words = [t for k, t in enumerate(self.tokens.items[a:b], a) if t.is_word and k not in skip]
        if len(words) > 12:
            return False
        previous = ""
        for t in words:
            w, before = t.low, previous
            previous = w
            if w == "of" and before in self.lex.partitives:
                continue
            if (
                w in self.lex.openings
                or w in self.lex.partitives
                or w in self.lex.adjectives
                or w in _ADVERBS
                or w in self.lex.glue
                or w[:1].isdigit()
            ):
                continue
            return False
        return True


#: The finite forms of "to be" ("victims identified in Spain were women from …").
COPULAS = frozenset({"is", "are", "was", "were"})
#: Auxiliaries of the passive voice ("is produced", "are shipped").
_PASSIVE = COPULAS | {"been", "being"}
#: Verbs after a role phrase and its object that name its holder ("The main destination for
#: Afghan heroin is Russia", "… include Iran").
_NAMING = COPULAS | {"remains", "remain", "include", "includes"}
#: Words that may stand between such a verb and the holder ("are mainly Iran and Turkey").
_BEFORE_HOLDER = frozenset({"the", "mainly", "mostly", "primarily", "still", "now", "likely"})
#: Verbs that make a clause a statement of where something is ("the markets are in …").
_BE = COPULAS | {"remain", "remains", "lie", "lies"}
#: Articles, and words of rank that make the verb form after them a noun ("a growing source").
_ARTICLES = frozenset({"a", "an", "the"})
_RANKS = frozenset({"growing", "leading", "significant", "important", "largest", "new", "rising"})
#: Words that may follow a comma inside one list ("…, as well as in Rwanda").
_LIST_WORDS = frozenset(
    {"and", "or", "also", "then", "as", "well", "including", "especially", "particularly", "but"}
)
#: Words after a comma that go on naming the same places ("…, including the US").
_INTRODUCERS = frozenset(
    {"including", "such", "notably", "particularly", "especially", "mainly", "mostly", "chiefly"}
)
#: Finite forms that make a stretch of words a clause of its own.
_FINITE = frozenset(
    [
        "is",
        "are",
        "was",
        "were",
        "has",
        "have",
        "had",
        "remains",
        "remain",
        "continues",
        "continue",
        "becomes",
        "became",
        "plays",
        "play",
        "serves",
        "serve",
        "lies",
        "lie",
        "accounts",
        "account",
        "dominate",
        "dominates",
    ]
)
#: Words that open a noun phrase; after "to" and one word they mark an infinitive's object.
_DETERMINERS = frozenset(
    {"the", "a", "an", "their", "its", "his", "her", "them", "these", "those", "some", "our"}
)
#: Words that may stand between a holder and its verb or phrase.
_ADVERBS = frozenset(
    {
        "also",
        "still",
        "now",
        "increasingly",
        "both",
        "in",
        "turn",
        "by",
        "contrast",
        "meanwhile",
        "moreover",
        "furthermore",
        "itself",
        "themselves",
        "functions",
        "function",
        "acts",
        "act",
        "makes",
        "make",
        "made",
        "has",
        "have",
        "become",
        "emerged",
        "world's",
        "region's",
        "continent's",
        "much",
        "most",
        "of",
        "its",
        "their",
        "own",
        "right",
        "the",
    }
)
#: Words that may stand between a place and the commodity it qualifies ("Afghan-sourced").
_SUFFIX_WORDS = frozenset(
    {
        "sourced",
        "produced",
        "grown",
        "made",
        "origin",
        "manufactured",
        "cultivated",
        "processed",
        "refined",
        "bound",
        "destined",
        "bought",
        "purchased",
        "mined",
        "poached",
    }
)


#: First words of cues that name where goods end, past any place named ("heading for the US").
_FINAL_CUES = frozenset(("bound", "destined", "headed", "heading", "intended", "ultimately"))
#: Words that rank a place among others ("the largest source … in Asia").
_SUPERLATIVES = frozenset(
    ("largest", "biggest", "highest", "main", "leading", "most", "top", "principal", "chief")
)
#: Words whose "across" is where goods end up, not a way through ("distributed across Europe",
#: "supplies markets across the Southern Cone").
_SPREAD_STEMS = (
    "distribut", "sold", "sell", "retail", "spread", "dispers", "resold", "resell", "market"
)  # fmt: skip
#: Words of intent before "to reach" ("attempting to reach Germany").
_AIM_WORDS = frozenset(
    ("attempting", "attempt", "trying", "try", "seeking", "seek", "hoping", "aiming", "intending")
)
#: Words that introduce examples of what was just named ("the Pacific islands, notably Fiji").
_EXAMPLE_WORDS = frozenset(
    ("notably", "including", "especially", "particularly", "mainly", "chiefly", "like", "such")
)
#: Nouns after "<place> <commodity>" that make the place where the goods are used.
_USE_NOUNS = frozenset(
    ("market", "markets", "consumers", "users", "use", "consumption", "abuse", "addiction")
)
#: Nouns after "<demonym> <commodity>" that make the demonym the trade's setting.
_TRADE_NOUNS = frozenset(("trade", "business", "industry", "economy", "scene", "sector"))
#: Words that open a verb's object: after one, a role word ("exports", "supplies") is a verb.
_OBJECT_WORDS = frozenset(("it", "them", "these", "those", "this", "most", "much", "some"))


def _coordinated(gap: Sequence[object], tokens: Tokens, a: int, b: int) -> bool:
    """True when two role words are joined by "and", "or", commas and hedges only."""
    words = [t.low for t in tokens.items[a:b] if t.is_word]
    punct = [t.text for t in tokens.items[a:b] if not t.is_word]
    if not ("and" in words or "or" in words or "," in punct or "&" in punct):
        return False
    allowed = {"and", "or", "a", "an", "as", "well", "to", "lesser", "extent", "degree", "also"}
    allowed |= {"possible", "potential", "much", "for", "of", "both", "either", "increasingly"}
    allowed |= {"major", "minor", "key", "significant", "important", "growing"}
    return all(w in allowed for w in words)


_BORDER_HEAD = re.compile(
    r"[\s-]+(?:border|frontier)(?!\s+(?:towns?|areas?|regions?|villages?|cities|city|districts?|"
    r"provinces?|posts?|crossings?|markets?))",
    re.IGNORECASE,
)


def _bare_border(text: str, end: int) -> bool:
    """True when "border" itself follows a place ("the Mexican border"), not "border towns"."""
    return _BORDER_HEAD.match(text, end) is not None


def _strip_glue(words: list[str], lex: Lexicon) -> list[str]:
    """The words left after removing list filler (glue.csv, adjectives) from ``words``."""
    out: list[str] = []
    i = 0
    n = len(words)
    while i < n:
        for k in range(min(lex.glue_max_words, n - i), 0, -1):
            if " ".join(words[i : i + k]) in lex.glue:
                i += k
                break
        else:
            if words[i] in lex.adjectives or words[i] in ("including", "particularly"):
                i += 1
                continue
            out.append(words[i])
            i += 1
    return out


def codes_of(groups: Iterable[Group]) -> list[str]:
    """All place codes of some groups, each once, in order."""
    out: list[str] = []
    for g in groups:
        for c in g.codes:
            if c not in out:
                out.append(c)
    return out
