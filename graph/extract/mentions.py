"""Find what each sentence names: places, commodities, cue words, verbs, role phrases, hedges,
anaphora and the rest of the vocabulary, as *mentions* over token spans.

Mentions are the one currency of the reader (as in Odin): every later step reads them, never the
raw text. Each vocabulary table and the gazetteers run once per sentence, left to right, so the
work is linear in the length of the document.
"""

from __future__ import annotations

import bisect
import operator
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace

from graph.extract.lexicon import CommodityTerm, Lexicon, VerbSense
from graph.extract.needles import may_match
from graph.extract.phrases import Hit, PhraseTable
from graph.extract.segment import Sentence
from graph.extract.tokens import Tokens
from graph.localities import Localities
from graph.places import Gazetteer, PlaceMention

#: Kinds of mentions, in the order of the tables that find them.
KINDS = (
    "place",
    "commodity",
    "cue",
    "verb",
    "trigger",
    "link",
    "anaphor",
    "nonflow",
    "role",
    "hedge",
    "negation",
    "licit",
    "mode",
    "route",
    "actor",
    "signal",
    "context",
    "checkpoint",
    "drugword",
)


@dataclass(slots=True)
class Mention:
    """A labelled token span ``[i, j)`` (characters ``[start, end)``) of one kind.

    ``value`` is what the vocabulary says of it: a cue's or trigger's role, a verb's class, a
    link, an anaphor's kind, a hedge's label, a mode, a route's name, a context's market."""

    kind: str
    i: int
    j: int
    start: int
    end: int
    text: str
    value: str = ""
    #: Places: the place codes it may stand for, most likely first.
    codes: tuple[str, ...] = ()
    #: Places: the name of a sub-national place (for ``Flow.places``).
    name: str | None = None
    #: Places: "name" | "demonym" | "alias" | "subject" | "locality".
    via: str = ""
    #: Places: followed by "'s" ("Myanmar's Shan State").
    possessive: bool = False
    #: Places: the kind of noun right after it (nouns.csv: market, person, actor, border …),
    #: "commodity" when a commodity word follows, else None.
    noun: str | None = None
    #: Places: a sub-national place named with a subdivision word ("Shan State").
    headed: bool = False
    #: Commodities: the vocabulary entry; its market may be refined by context.
    term: CommodityTerm | None = None
    market: str | None = None
    #: Verbs: what the verb makes of the places around it.
    sense: VerbSense | None = None

    @property
    def code(self) -> str:
        return self.codes[0] if self.codes else ""


#: Up to this many mentions of a kind are filtered in a loop rather than indexed by start.
_FEW = 8


@dataclass(slots=True)
class SentenceMentions:
    """A sentence, its token range ``[i, j)`` and its mentions by kind, in text order."""

    sentence: Sentence
    i: int
    j: int
    by_kind: dict[str, list[Mention]] = field(default_factory=dict)
    _starts: dict[str, tuple[list[Mention], list[int]]] = field(
        default_factory=dict, repr=False, compare=False
    )
    #: For a view: the whole sentence's mentions and the view's token window, read on demand.
    _whole: SentenceMentions | None = field(default=None, repr=False, compare=False)
    _window: tuple[int, int] = (0, 0)

    def of(self, kind: str) -> list[Mention]:
        found = self.by_kind.get(kind)
        if found is None:
            # a view reads the whole sentence's mentions of a kind when first asked
            whole = self._whole
            if whole is None:
                return []
            window = self._window
            found = self.by_kind[kind] = whole.between(kind, window[0], window[1])
        return found

    def between(self, kind: str, i: int, j: int) -> list[Mention]:
        """Mentions of a kind that start in tokens ``[i, j)``."""
        found = self.by_kind.get(kind)
        if found is None:
            found = self.of(kind)
        if not found:
            return []
        if len(found) <= _FEW:
            # a sentence holds a few mentions of a kind: reading them costs less than indexing
            return [m for m in found if i <= m.i < j]
        cached = self._starts.get(kind)
        if cached is None or cached[0] is not found or len(cached[1]) != len(found):
            cached = self._starts[kind] = (found, [m.i for m in found])
        starts = cached[1]
        return found[bisect.bisect_left(starts, i) : bisect.bisect_left(starts, j)]

    def whole(self) -> SentenceMentions:
        """The whole sentence this clause is a view of (itself when it is no view)."""
        return self._whole or self

    def any_between(self, i: int, j: int) -> bool:
        """Whether a mention of any kind starts in tokens ``[i, j)``."""
        for found in (self._whole or self).by_kind.values():
            # each kind's mentions are in token order: most kinds are empty or all outside
            if found and found[0].i < j and found[-1].i >= i:
                for m in found:
                    if i <= m.i < j:
                        return True
        return False

    def view(self, i: int, j: int) -> SentenceMentions:
        """The same sentence with only the mentions that start in tokens ``[i, j)`` (a clause):
        the reading of one clause then costs what the clause holds, not the sentence."""
        whole = self._whole or self
        if self._whole is not None:
            i, j = max(i, self._window[0]), min(j, self._window[1])
        return SentenceMentions(self.sentence, self.i, self.j, {}, _whole=whole, _window=(i, j))


#: Words between a commodity and a following precursor word that make the precursor the drug's
#: ("heroin precursor chemicals", "methamphetamine precursors").
_DRUG_THEN_PRECURSOR = re.compile(r"[\s-]*(?:chemical\s+)?$")
#: Words between a precursor and the drug it serves ("solvents used to produce cocaine",
#: "a key chemical precursor of methamphetamine").
#: Words between money and the crime that earned it ("proceeds from drug trafficking").
_EARNED_BY = re.compile(
    r"^\s*(?:from|of|generated by|generated from|derived from|earned from|made from)\s+"
    r"(?:the\s+|illicit\s+|illegal\s+)?$",
    re.IGNORECASE,
)
_PRECURSOR_FOR = re.compile(
    r"^,?\s*(?:(?:that are |which are )?used (?:to (?:make|produce|manufacture|process)|in the "
    r"(?:production|manufacture|processing) of|for (?:making|producing))|for(?: the)? "
    r"(?:production|manufacture|making|processing) of|needed (?:to make|for)|for|of)\s+(?:the\s+|"
    r"illicit\s+)?$",
    re.IGNORECASE,
)


class Finder:
    """Finds the mentions of one document's sentences."""

    def __init__(
        self,
        text: str,
        tokens: Tokens,
        lex: Lexicon,
        gazetteer: Gazetteer,
        localities: Localities,
        subject: str | None,
    ) -> None:
        self.text = text
        self.tokens = tokens
        self.lex = lex
        self.gaz = gazetteer
        self.loc = localities
        self.subject = subject
        #: Drug words that name no moving commodity ("cocaine processors"), of the last sentence.
        self.drugwords: list[Mention] = []

    def _mention(self, kind: str, start: int, end: int, value: str = "") -> Mention:
        i, j = self.tokens.span(start, end)
        return Mention(kind, i, j, start, end, self.text[start:end], value)

    def sentence(self, s: Sentence) -> SentenceMentions:
        """All mentions of one sentence."""
        text, lex, a, b = self.text, self.lex, s.start, s.end
        i, j = self.tokens.span(a, b)
        out = SentenceMentions(s, i, min(j, len(self.tokens)))
        by = out.by_kind

        scan = lex.scanner.scan(self.tokens, out.i, out.j if b > a else out.i)

        starts_of, slot, tokens = scan.found, scan.slot, self.tokens

        def find(vocabulary: PhraseTable) -> list[Hit]:
            # Scan.find, inlined: most tables start no phrase in a sentence
            starts = starts_of[slot[id(vocabulary)]]
            return vocabulary.hits(text, tokens, scan.i, scan.j, starts) if starts else []

        def table(
            kind: str, hits: list[Hit], value: Callable[[Hit], str] | None = None
        ) -> list[Mention]:
            if not hits:
                return []
            return [
                Mention(kind, h.i, h.j, h.a, h.b, h.text, value(h) if value else h.value)
                for h in hits
            ]

        by["anaphor"] = table("anaphor", find(lex.anaphora))
        route_hits = find(lex.routes)
        routes = [(h.a, h.b) for h in route_hits]
        by["place"] = [
            p
            for p in self._places(a, b, by["anaphor"])
            if not any(s <= p.start < e for s, e in routes)  # "the Balkan route" is a name
        ]
        by["verb"] = []
        in_places = {k for p in by["place"] for k in range(p.i, p.j)}
        goods_hits: list[Hit] | None = None  # the commodity names, found when first needed
        for m in find(lex.verbs):
            v = Mention("verb", m.i, m.j, m.a, m.b, m.text)
            before = v.i - 1
            if (
                before >= i
                and before not in in_places
                and _noun_before(self.tokens[before].text, first=before == i)
            ):
                if self.tokens[before].low in _DETERMINERS:
                    continue  # "the crossing": a noun
                if goods_hits is None:
                    goods_hits = find(lex.commodities)
                if all(h.j - 1 != before for h in goods_hits):
                    continue  # "the Ras Ajdir crossing": a noun; not "MDMA produced in"
            if (
                before >= i
                and v.text.endswith("ing")
                and (
                    self.tokens[before].low in _PREPOSITIONS
                    or self.tokens[before].low in lex.adjectives
                )
            ):
                continue  # "bound for growing domestic markets", "the main trafficking destination"
            v.sense = lex.verb(m)
            v.value = v.sense.cls
            by["verb"].append(v)
        by["nonflow"] = table("nonflow", find(lex.nonflow))
        if goods_hits is None:
            goods_hits = find(lex.commodities)
        by["commodity"] = self._commodities(out.i, by["place"], by["nonflow"], goods_hits)
        goods = {k for c in by["commodity"] for k in range(c.i, c.j)}
        by["place"] = [
            p for p in by["place"] if p.via != "locality" or goods.isdisjoint(range(p.i, p.j))
        ]
        by["drugword"] = list(self.drugwords)
        inside: dict[int, tuple[int, int]] = {}
        for t in by["verb"] + by["anaphor"]:
            for k in range(t.i, t.j):
                inside[k] = (t.i, t.j)
        by["cue"] = [
            c
            for c in table("cue", find(lex.cues))
            if not _within(c, inside.get(c.i))  # "traced to", "from there": one word, not two
        ]
        by["trigger"] = table("trigger", find(lex.triggers))
        by["link"] = table("link", find(lex.links))
        by["role"] = table("role", find(lex.role_phrases))
        for m in find(lex.hedges):
            kind, label = lex.hedge_kinds[int(m.value)].split(":", 1)
            if kind == "negation" and not _is_negation(text, m.b):
                continue
            by.setdefault(kind, []).append(Mention(kind, m.i, m.j, m.a, m.b, m.text, label))
        by["mode"] = table("mode", find(lex.modes))
        by["route"] = table("route", route_hits)
        by["actor"] = table("actor", find(lex.actor_heads), lambda h: "head")
        by["signal"] = table("signal", find(lex.signals))
        by["context"] = table("context", find(lex.context))
        by["checkpoint"] = (
            [
                self._mention("checkpoint", m.start(), m.end())
                for m in lex.checkpoint_heads.finditer(text, a, b)
            ]
            if may_match(lex.checkpoint_heads, text, a, b)
            else []
        )
        for kind in KINDS:
            found = by.setdefault(kind, [])
            if len(found) > 1:
                found.sort(key=_first_token)
        return out

    # ------------------------------------------------------------------ places

    def _places(self, a: int, b: int, anaphora: list[Mention]) -> list[Mention]:
        """Countries, regions, demonyms and sub-national places; the longer name wins where two
        overlap ("Guatemala City" over "Guatemala"), the gazetteer where they are as long."""
        found: list[Mention] = []
        for pm in self._split_unions(self.gaz.find(self.text[a:b], self.subject), a):
            start, end = a + pm.start, a + pm.end
            if pm.via == "subject" and any(x.start <= start < x.end for x in anaphora):
                continue  # "the country": an anaphor, resolved by the reader
            m = self._mention("place", start, end)
            m.codes, m.via = (pm.code,), pm.via
            found.append(m)
        for lm in self.loc.find(self.text, a, b):
            m = self._mention("place", lm.start, lm.end)
            m.codes = tuple(dict.fromkeys(c.iso3 for c in lm.candidates))
            m.name, m.via, m.headed = lm.text, "locality", lm.headed
            found.append(m)
        found = [
            m for m in found if not _NEGATED_NAME.search(self.text, max(0, m.start - 5), m.start)
        ]
        found.sort(key=lambda m: (m.start, -(m.end - m.start), m.via == "locality"))
        kept: list[Mention] = []
        for m in found:
            if kept and m.start < kept[-1].end:
                continue
            kept.append(m)
        for m in kept:
            self._after_place(m)
        return kept

    def _split_unions(self, found: Iterable[PlaceMention], a: int) -> Iterator[PlaceMention]:
        """ "Serbia and Montenegro" in a report not about that dissolved union: the two
        countries (a historic state named as "A and B" is kept only as the report's subject)."""
        for pm in found:
            c = self.gaz.countries.get(pm.code)
            text = self.text[a + pm.start : a + pm.end]
            union = c is not None and c.status == "historic" and " and " in text
            if not union or pm.code == self.subject:
                yield pm
                continue
            cut = text.index(" and ")
            pieces = ((0, text[:cut]), (cut + 5, text[cut + 5 :]))
            parts = [
                replace(p, start=pm.start + at + p.start, end=pm.start + at + p.end)
                for at, piece in pieces
                for p in self.gaz.find(piece, None)
            ]
            if len(parts) < 2 or any(not self.gaz.is_country(p.code) for p in parts):
                yield pm
                continue
            yield from parts

    def _after_place(self, m: Mention) -> None:
        """Possessive "'s" and the noun after a place, past up to three adjectives ("Russian
        market", "Kazakhstani young women", "Afghan-sourced")."""
        items, k = self.tokens.items, m.j
        if k < len(items) and items[k].text in ("'s", "’s"):
            m.possessive = True
            words = [t.low for t in items[k + 1 : k + 4]]
            if any(w in ("border", "borders", "frontier") for w in words):
                m.noun = "border"  # "over Peru's northern border"
            return
        for _ in range(4):
            if k >= len(items):
                return
            noun = self.lex.nouns.at(self.text, self.tokens, k)
            if noun is not None:
                m.noun = noun.value
                return
            if items[k].low not in self.lex.adjectives:
                return
            k += 1

    # ------------------------------------------------------------------ commodities

    def _commodities(
        self, first: int, places: list[Mention], nonflow: list[Mention], hits: list[Hit]
    ) -> list[Mention]:
        """Commodity words (``hits``: the sentence's commodity phrases), leaving out words inside
        place names, words that name a workplace or actor ("gold mines", "drug traffickers",
        "cash couriers") and drugs that a precursor serves, which give the precursor their
        market ("solvents used to produce cocaine", "heroin precursors")."""
        text, lex, items = self.text, self.lex, self.tokens.items
        found: list[Mention] = []
        self.drugwords = []
        covers = [n.j for n in nonflow if n.value in ("cover", "combat")]
        asides = [n.j for n in nonflow if n.value == "aside"]
        earned = -1  # where the name of a crime that earned money ends, while it goes on
        # a town's name does not hide a commodity word ("Coca", a town in Ecuador: "coca paste")
        in_places = {k for p in places if p.via != "locality" for k in range(p.i, p.j)}
        in_names = {k for p in places for k in range(p.i, p.j)}
        for h in hits:
            if any(k in in_places for k in range(h.i, h.j)):
                continue
            if any(0 <= h.i - e <= 8 for e in covers):
                continue  # "hidden in loads of canned tuna or coffee"
            if any(e <= h.i and "," not in self.tokens.texts[e : h.i] for e in asides):
                continue  # "Apart from cocaine, …": not what the sentence moves
            term = lex.commodity(h)
            if term.kind == "activity" and self._passive_verb(h.i, first):
                continue  # "part of it is then trafficked to …": what moves is "it"
            if term.kind == "person" and text.startswith(("'", "’"), h.b):
                continue  # "in air passengers' luggage": whose bags, not who moves
            if term.kind == "person" and self._no_movers(h.i, first, in_names):
                continue  # "consumption has grown among young people", "recruited as cleaners"
            after = h.j + 1 if h.j < len(items) and items[h.j].text == "-" else h.j
            noun = lex.nouns.at(text, self.tokens, after) if after < len(items) else None
            if noun is not None and noun.value in ("workplace", "actor", "authority"):
                if term.kind == "drug":  # "cocaine processors": a drug named all the same
                    w = Mention("drugword", h.i, h.j, h.a, h.b, h.text)
                    w.term, w.market = term, term.market
                    self.drugwords.append(w)
                continue
            c = Mention("commodity", h.i, h.j, h.a, h.b, h.text)
            c.term, c.market = term, term.market
            if term.kind == "precursor" and found:
                prev = found[-1]
                between = text[prev.end : h.a]
                drug_before = prev.term is not None and prev.term.kind == "drug"
                named = prev.term is not None and prev.term.kind == "precursor"
                if (drug_before and _DRUG_THEN_PRECURSOR.fullmatch(between)) or (
                    named and not between.strip()  # "the precursor ephedrine": one commodity
                ):
                    c.market = c.market or prev.market
                    c.i, c.start = prev.i, prev.start
                    c.text = text[c.start : c.end]
                    found[-1] = c
                    continue
            if earned >= 0 and not text[earned : h.a].strip():
                earned = h.b
                continue  # "… drug trafficking": the rest of the crime's name
            money = found and found[-1].term is not None and found[-1].term.kind == "money"
            if money and _EARNED_BY.match(text[found[-1].end : h.a]):
                earned = h.b
                continue  # "proceeds from drug trafficking": what earned the money
            earned = -1
            if found and term.kind == "drug":
                prev = found[-1]
                chemicals = prev.term is not None and prev.term.kind == "precursor"
                if chemicals and _PRECURSOR_FOR.match(text[prev.end : h.a]):
                    prev.market = prev.market or term.market
                    continue  # the drug is what the chemicals are for, not what moves
                making = lex.triggers.at(text, self.tokens, h.j) if h.j < len(items) else None
                if chemicals and making is not None and making.value == "making":
                    # "chemicals destined for methamphetamine laboratories in Mexico": where
                    # the chemicals go, and the drug they serve
                    prev.market = prev.market or term.market
                    w = Mention("drugword", h.i, h.j, h.a, h.b, h.text)
                    w.term, w.market = term, term.market
                    self.drugwords.append(w)
                    continue
            found.append(c)
        return found

    def _no_movers(self, k: int, first: int, named: set[int]) -> bool:
        """True when the people word at token ``k`` (adjectives and place names before it)
        follows "among" (who use, not who move), a word that makes them who act ("run by Chinese
        nationals", "involves Chinese nationals") or a bare "as", not "such as" or "as well as"
        (what the people named before are taken for: "women recruited as domestic workers")."""
        m = k - 1
        while m >= first and (self.tokens[m].low in self.lex.adjectives or m in named):
            m -= 1
        if m >= first and acting_word(self.tokens, self.lex, m):
            return True
        n = k - 1
        while n >= first and self.tokens[n].low in self.lex.adjectives:
            n -= 1
        if n < first:
            return False
        word = self.tokens[n].low
        if word in ("among", "amongst"):
            return True
        return word == "as" and (n == first or self.tokens[n - 1].low not in _NOT_BARE_AS)

    def _passive_verb(self, k: int, first: int) -> bool:
        """True when token ``k`` is a participle after a form of "be" ("is then trafficked");
        ``first``: the sentence's first token."""
        words = self.tokens.words(max(first, k - 3), k)
        return bool(set(words) & _BE_FORMS) and self.tokens[k].low.endswith("ed")


def acting_word(tokens: Tokens, lex: Lexicon, k: int) -> bool:
    """True when token ``k`` makes the people after it who act ("involves", "run by"), not
    who move ("driven by Somali migrants", "followed by women from Albania")."""
    if tokens[k].low == "by":
        return k > 0 and tokens[k - 1].low in lex.control
    return tokens[k].low in lex.acting


#: A mention's first token, the order of a sentence's mentions of one kind.
_first_token = operator.attrgetter("i")

#: Words before "as" that make it no bare "as" ("such as", "as well as", "known as").
_NOT_BARE_AS = frozenset({"such", "well", "known"})
#: Forms of "be" that make a participle after them a passive verb.
_BE_FORMS = frozenset(("is", "are", "was", "were", "be", "been", "being"))

#: "non-US proceeds", "non-EU nationals": the name says where the goods are not from.
_NEGATED_NAME = re.compile(r"\bnon-?\s?$", re.IGNORECASE)


def _within(m: Mention, span: tuple[int, int] | None) -> bool:
    """True when ``m`` lies inside a longer mention's span."""
    return span is not None and span[0] <= m.i and m.j <= span[1] and span != (m.i, m.j)


_PREPOSITIONS = frozenset({"for", "of", "in", "into", "to", "with", "by", "from", "on"})
_DETERMINERS = frozenset({"the", "a", "an", "these", "those", "its", "their"})


def _noun_before(word: str, *, first: bool) -> bool:
    """True when the word before a verb form makes it a noun: a determiner, or a capitalised
    name that is no place ("the Ras Ajdir crossing")."""
    return word.lower() in _DETERMINERS or (word[:1].isupper() and not first)


def _is_negation(text: str, end: int) -> bool:
    """ "not only", "not fully" and "not as ... as" compare or grade; they deny no flow."""
    after = text[end : end + 12].lower()
    return not re.match(r"\s*(?:only|fully|just|merely|as\b|yet\b|always)", after)
