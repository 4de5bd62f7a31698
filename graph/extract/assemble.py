"""Read a whole document into flows: places resolved in context, frames per clause, chains per
frame, and what one sentence carries to the next (the commodity "the drugs" means, the place
"from there" means, a route that the next sentence goes on with).

Each flow comes with the reasons for its roles (:class:`Reading`), which ``crimegraph extract
--explain`` prints.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace

from graph.extract.chains import Chain, chains, stage_codes
from graph.extract.frames import (
    COPULAS,
    EXTRACTION_MARKETS,
    PEOPLE_MARKETS,
    Frame,
    Group,
    Holder,
    Reader,
)
from graph.extract.lexicon import PLACE_ROLES, CommodityTerm, Lexicon
from graph.extract.mentions import Finder, Mention, SentenceMentions
from graph.extract.needles import may_match
from graph.extract.segment import Sentence
from graph.extract.tokens import Tokens
from graph.localities import Localities
from graph.places import Gazetteer
from graph.records import Flow, Stage

#: What people named only by their nationality are ("Afghans, Iranians and Syrians").
PEOPLE = CommodityTerm("people", None, "person")
#: A place name inside the name of a sea or gulf ("Arabian Sea", "Gulf of Mexico") is no place.
_SEA_AFTER = re.compile(r"\s+(?:Sea|Ocean|Gulf|Bight|Channel|Straits?)\b")
_SEA_BEFORE = re.compile(r"\b(?:Sea|Gulf|Bay|Straits?|Bight|Ocean) of (?:the )?$")
#: "the Gulf of Aden": a sea, whatever gulf "the Gulf" alone would mean.
_GULF_OF = re.compile(r"\s+of\s+(?-i:[A-Z])")
#: Words that announce routes the next sentences detail ("comes from two main sources").
_TOPIC = re.compile(
    r"\b(?:(?:two|three|four|several|many|multiple|various) (?:main |principal |major )?"
    r"(?:sources|routes|branches|corridors|directions|ways|variants|channels)|divides into|splits "
    r"into|branches? (?:off|out))\b",
    re.IGNORECASE,
)


@dataclass
class Reading:
    """A flow and why it was read so: the words behind each role."""

    flow: Flow
    why: list[str] = field(default_factory=list)


def first_statements(readings: Iterable[Reading]) -> list[Reading]:
    """One reading per market and chain: a chain stated twice keeps its first statement."""
    out: list[Reading] = []
    seen: set[tuple[object, ...]] = set()
    for r in readings:
        f = r.flow
        key = (f.market, tuple(f.origin), repr(f.transit), tuple(f.destination))
        if key not in seen:
            seen.add(key)
            out.append(r)
    return out


@dataclass
class _Stated:
    """A flow of the sentence before, with its frame, for anaphora and continuations."""

    reading: Reading
    chain: Chain
    frame: Frame
    #: True when the flow starts from a place the goods reached before ("from there").
    departed: bool = False


@dataclass
class _Memory:
    """What the reader remembers from one sentence to the next."""

    #: Per paragraph: the last named commodity, and the last named drug's market.
    commodity: dict[int, Mention] = field(default_factory=dict)
    #: Per paragraph: the commodities (one per market) the last sentence that moved goods moved.
    commodities: dict[int, list[Mention]] = field(default_factory=dict)
    #: Every place the document says goods of a market reached or passed through, and every
    #: place it says they started from.
    reached_by_market: dict[str, set[str]] = field(default_factory=dict)
    started_by_market: dict[str, set[str]] = field(default_factory=dict)
    #: The commodity the last sentence that named one spoke of first (across paragraphs).
    last_commodity: Mention | None = None
    drug: dict[int, str] = field(default_factory=dict)
    #: Per paragraph: the markets of the drugs the last sentence that named drugs named, in order.
    drug_markets: dict[int, list[str]] = field(default_factory=dict)
    #: The market of the last drug named, and of the last people moved (in any paragraph).
    last_drug: str | None = None
    last_people_market: str | None = None
    #: The market of the last context word read (context.csv), in any sentence.
    last_context: str | None = None
    people_market: dict[int, str] = field(default_factory=dict)
    #: The groups of the sentence before with a role where goods arrive (for "from there").
    reached: list[Group] = field(default_factory=list)
    #: All place groups of the sentence before (for "the latter", "both countries").
    last_groups: list[Group] = field(default_factory=list)
    #: The place groups of the document so far, last ones last (for "these two countries").
    history: list[Group] = field(default_factory=list)
    #: Flows of the sentence before, and its paragraph.
    flows: list[_Stated] = field(default_factory=list)
    paragraph: int = -1
    #: Flows of a sentence that announced routes the next ones detail, in this paragraph.
    topic_flows: list[_Stated] = field(default_factory=list)
    #: Per paragraph and market: the origins last stated.
    origins: dict[tuple[int, str], list[str]] = field(default_factory=dict)
    #: Countries named so far, with counts (to choose between places that share a name).
    seen: dict[str, int] = field(default_factory=dict)


class DocumentReader:
    """Reads one document's sentences into flows."""

    def __init__(
        self,
        text: str,
        subject: str | None,
        kind: str,
        lex: Lexicon,
        gazetteer: Gazetteer,
        localities: Localities,
        window: tuple[int, int] | None = None,
    ) -> None:
        """``window``: the characters to tokenise when only part of the text is read."""
        self.text = text
        self.subject = subject
        self.kind = kind
        self.lex = lex
        self.gaz = gazetteer
        self.loc = localities
        self.tokens = Tokens.of(text, *window) if window else Tokens.of(text)
        self.finder = Finder(text, self.tokens, lex, gazetteer, localities, subject)
        self.reader = Reader(text, self.tokens, lex, subject)
        self.memory = _Memory()
        #: Place names and crossings of the stretch of text read last (see ``_named_in``).
        self._names_cache: dict[tuple[int, int], tuple[tuple[str, ...], tuple[str, ...]]] = {}
        #: Regions the current sentence illustrates with some of their countries.
        self.exemplified: set[str] = set()
        #: … of them, those whose countries are given as instances ("such as", "including").
        self.examples_only: set[str] = set()
        #: The countries each sub-national place's name may stand for, before one is chosen.
        self.loc_candidates: dict[int, tuple[str, ...]] = {}

    # ------------------------------------------------------------------ document

    def read(self, sentences: list[Sentence]) -> list[Reading]:
        out: list[Reading] = []
        for s in sentences:
            sm = self.finder.sentence(s)
            out.extend(self.sentence(sm))
        return out

    def sentence(self, sm: SentenceMentions) -> list[Reading]:
        """The flows of one sentence, remembering what the next one may refer to."""
        mem = self.memory
        if sm.sentence.paragraph != mem.paragraph:
            if self._refers_back(sm) and mem.paragraph in mem.commodity:
                # "The drugs were unloaded at …" opening a paragraph (news writes a paragraph
                # a sentence): the goods of the paragraph before
                mem.commodity[sm.sentence.paragraph] = mem.commodity[mem.paragraph]
                mem.topic_flows = []
            else:
                mem.flows, mem.reached, mem.topic_flows = [], [], []
            mem.paragraph = sm.sentence.paragraph
        self._resolve_places(sm)
        stated: list[_Stated] = []
        sentence_groups: list[Group] = []
        previous: Frame | None = None
        previous_chains: list[Chain] = []
        carried: list[Holder] = []
        vehicles: list[Group] = []  # the way of a clause that moves no goods, for the next
        for a, b in self.reader.clauses(sm):
            frames, groups = self._clause(sm, a, b, previous, sentence_groups)
            sentence_groups.extend(groups)
            vehicles = self._carried_on(sm, a, b, frames, groups, vehicles)
            clause_first: tuple[Frame, list[Chain]] | None = None
            for frame in frames:
                if carried and not frame.holders:
                    frame.holders = list(carried)
                frame_chains = self._chains(frame)
                same = previous is not None and _markets(previous) & _markets(frame)
                factbook = sm.sentence.implicit_subject  # its clauses are read apart
                if previous_chains and not factbook and (frame.source == "clause" or same):
                    _inherit_origins(frame_chains, previous_chains, sm.of("verb"))
                if (
                    previous_chains
                    and not factbook
                    and (
                        frame.source == "clause"
                        or same
                        or "import" in self._signals(frame)  # "hashish is also smuggled in"
                    )
                ):
                    # "… detected in the EU are EU citizens, while non-EU victims come mainly
                    # from Nigeria": they come to where the clause before ended
                    _inherit_ends(frame_chains, previous_chains, sm.of("verb"))
                back = self._the_other_way(frame, previous_chains or [], frame_chains)
                frame_chains = back or frame_chains
                frame_stated = [st for chain in frame_chains for st in self._flows(frame, chain)]
                _share_subject_origin(frame_stated, self.subject)
                stated.extend(frame_stated)
                if clause_first is None:
                    clause_first = (frame, frame_chains)
            if clause_first is not None:
                previous, previous_chains = clause_first[0], clause_first[1] or previous_chains
            # "X is a transit point for precursors: shipments from A … destined for B"
            ends_with_colon = (
                b < len(self.tokens)
                and self.tokens[b].text == ":"
                and not sm.sentence.implicit_subject
            )
            carried = [h for f in frames for h in f.holders] if ends_with_colon else []
        stated = _without_subject_doubles(_without_cut_chains(stated))
        if not sm.sentence.implicit_subject:
            stated = self._continue(sm, stated)
        self._remember(sm, stated, sentence_groups)
        return [s.reading for s in stated]

    # ------------------------------------------------------------------ places

    def _resolve_places(self, sm: SentenceMentions) -> None:
        """Drop names inside seas, choose between places that share a name, code regions as
        report prose does, and turn anaphors ("the latter", "the country") into places."""
        implicit = sm.sentence.implicit_subject
        kept: list[Mention] = []
        self.loc_candidates = {}  # keyed by id(): only this sentence's mentions are alive
        for m in sm.of("place"):
            if _SEA_AFTER.match(self.text, m.end) or _SEA_BEFORE.search(
                self.text, max(0, m.start - 20), m.start
            ):
                continue
            if m.text.endswith("Gulf") and _GULF_OF.match(self.text, m.end):
                continue
            if m.via == "locality":
                self.loc_candidates[id(m)] = m.codes
                m.codes = (self._choose(m, sm, kept),)
            elif not implicit and self.gaz.is_region(m.code):
                as_prose = self.gaz.regions[m.code].prose_as
                if as_prose:
                    m.codes = (as_prose,)
            kept.append(m)
        if len(kept) > 1:
            self._cohere(kept, sm)
            self._recode_lists(kept)
            self.exemplified = self._exemplified(kept)
            self.examples_only = self._exemplified(kept, _INSTANCE_WORDS)
        else:  # one place is listed with none, nor gives examples of another
            self.exemplified, self.examples_only = set(), set()
        for m in kept:
            if self.gaz.is_country(m.code):
                self.memory.seen[m.code] = self.memory.seen.get(m.code, 0) + 1
        for a in sm.of("anaphor"):
            place = self._anaphor_place(a, sm, kept)
            if place is not None:
                kept.append(place)
        kept.sort(key=lambda m: m.i)
        sm.by_kind["place"] = kept

    def _choose(self, m: Mention, sm: SentenceMentions, before: list[Mention]) -> str:
        """Of the countries a shared name may stand for, the one the text points to: the country
        right before it ("Venezuela's Bolívar state", "the Spanish ports of Valencia"), the
        document's subject, a country the sentence names, one named before, else the likeliest."""
        candidates = m.codes
        last = before[-1] if before else None
        if (
            last is not None
            and last.via != "locality"
            and last.code in candidates
            and len(self.tokens.words(last.j, m.i)) <= 4
        ):
            return last.code
        if self.subject in candidates:
            return str(self.subject)
        here = {m.code for m in sm.of("place") if m.via != "locality"}
        for c in candidates:
            if c in here:
                return c
        ranked = self.loc.candidates(m.name or m.text)
        if ranked and (ranked[0].kind == "capital" or ranked[0].population >= 500_000):
            return candidates[0]  # "via Amsterdam": the capital, whatever was named before
        largest: dict[str, int] = {}
        for r in ranked:
            largest[r.iso3] = max(largest.get(r.iso3, 0), r.population)
        top = max(largest.values(), default=0)
        sized = {r.iso3 for r in ranked if r.population}  # subdivisions carry no population
        if top and all(c in sized for c in candidates):
            # "from Gao" (Mali's city of 133,000, not a Burkinabè town of 26,000): a far
            # smaller namesake is not chosen for having been named before
            candidates = tuple(c for c in candidates if largest.get(c, 0) * 4 >= top) or candidates
        seen = self.memory.seen
        best = max(candidates, key=lambda c: (seen.get(c, 0), c == self.subject), default="")
        if seen.get(best, 0) or best == self.subject:
            return best
        return candidates[0]

    def _exemplified(self, places: list[Mention], words: frozenset[str] | None = None) -> set[str]:
        """Regions whose countries the sentence gives as examples ("East African migrants, chiefly
        citizens of Somalia and Kenya", "Asian ports, notably in Malaysia"): coded by those
        countries. A region listed beside its countries otherwise stays ("from Haiti and elsewhere
        in the Caribbean")."""
        out: set[str] = set()
        for n, m in enumerate(places):
            if not self.gaz.is_region(m.code):
                continue
            members = set(self.gaz.members(m.code))
            for later in places[n + 1 : n + 6]:
                if later.code not in members or later.i - m.j > 12:
                    continue
                between = set(self.tokens.words(m.j, later.i))
                if between & (words or _EXAMPLE_WORDS):
                    out.add(m.code)
                    break
        return out

    def _cohere(self, places: list[Mention], sm: SentenceMentions) -> None:
        """Places named in one list lie in one country where they can ("Ucayali and Loreto" are
        both Peruvian): a shared name takes the country of its neighbours in the list."""
        localities = [m for m in places if m.via == "locality"]
        for n, m in enumerate(localities):
            options = self.loc_candidates.get(id(m), ())
            if len(options) < 2:
                continue
            near = [
                x
                for x in localities[max(0, n - 3) : n + 4]
                if x is not m
                and abs(x.i - m.i) <= 8
                and len(self.loc_candidates.get(id(x), ())) == 1
            ]
            codes = {x.code for x in near}
            if len(codes) == 1 and next(iter(codes)) in options:
                m.codes = (next(iter(codes)),)
                continue
            # "to Antwerp, Rotterdam and Valencia": the namesake on the others' continent
            around = [x.code for x in self._listed_with(m, localities)]
            wanted = {self._continent(c) for c in around} - {None}
            fits = [c for c in options if self._continent(c) in wanted]  # the likeliest first
            if len(wanted) == 1 and fits and m.code not in fits:
                m.codes = (fits[0],)

    def _listed_with(self, m: Mention, places: list[Mention]) -> list[Mention]:
        """The other places of the list ``m`` stands in (joined by commas, "and", "or")."""
        n = places.index(m)
        out: list[Mention] = []
        for step in (-1, 1):
            k, last = n + step, m
            while 0 <= k < len(places):
                x = places[k]
                left, right = (last, x) if step == 1 else (x, last)
                if any(w not in (",", "and", "or") for w in self.tokens.texts[left.j : right.i]):
                    break
                out.append(x)
                k, last = k + step, x
        return out

    def _continent(self, code: str) -> str | None:
        """The UN M49 region (continent) a country lies in."""
        return next(
            (
                r.slug
                for r in self.gaz.regions.values()
                if r.kind == "m49-region" and code in r.members
            ),
            None,
        )

    def _recode_lists(self, places: list[Mention]) -> None:
        """A country name listed among sub-national places of another country that has a place
        of that name is that place ("Florida, Texas and Georgia")."""
        for n, m in enumerate(places):
            if m.via == "locality" or not self.gaz.is_country(m.code):
                continue
            near = [p for p in places[max(0, n - 2) : n + 3] if p is not m and p.via == "locality"]
            if not near:
                continue
            others = {p.code for p in near}
            if len(others) != 1:
                continue
            (other,) = others
            if (
                other != m.code
                and any(c.iso3 == other for c in self.loc.candidates(m.text))
                and abs(near[0].i - m.i) <= 6
            ):
                m.codes, m.via, m.name = (other,), "locality", m.text

    def _anaphor_place(
        self, a: Mention, sm: SentenceMentions, places: list[Mention]
    ) -> Mention | None:
        """A place for an anaphor that stands for one (see anaphora.csv); None for the others.
        "from there" gets its codes later, once the roles of the places before it are known."""
        kind = a.value
        codes: list[str] = []
        if kind in ("there", "same"):
            codes = []
        elif kind == "country":
            codes = self._the_country(a, sm, places)
        elif kind in ("latter", "former", "both", "those"):
            before = sorted((p for p in places if p.i < a.i), key=lambda p: p.i)
            group = _last_list(before, self.tokens) if before else []
            pair = kind in ("latter", "former")
            if pair and len(group) < 2:
                # "Ghana and Togo … cocaine from South America. The former supplies …, while
                # the latter …": the last places named together, not the last one named
                pairs = [g.places for g in self.memory.last_groups if len(g.places) >= 2]
                group = pairs[-1] if pairs else group
            if not group and self.memory.last_groups:
                group = self.memory.last_groups[-1].places
            if pair:
                group = [p for p in group if p.via != "anaphor"] or group  # not "both" again
            if kind == "latter":
                group = group[-1:]
            elif kind == "former":
                group = group[:1]
            codes = [c for p in group for c in (p.codes if p.via == "anaphor" else p.codes[:1])]
            wanted = 2 if "two" in a.text.lower() or "both" in a.text.lower() else 0
            found = len({c for c in codes if self.gaz.is_country(c)})
            if kind == "both" and (found < 2 or (wanted and found != wanted)):
                codes = self._last_pair(wanted)  # "these two countries": the last two named
                if not codes and wanted:
                    here = {c for p in places for c in p.codes}
                    codes = self._last_two_named(here)
        else:
            return None
        if kind not in ("there", "same") and not codes:
            return None
        m = Mention("place", a.i, a.j, a.start, a.end, a.text)
        m.codes = tuple(dict.fromkeys(codes))
        m.via = kind if kind in ("there", "same") else "anaphor"
        m.possessive = self.text.startswith(("'s", "’s"), a.end)
        if a.text.lower().endswith(("border", "frontier")):
            m.noun = "border"  # "across the southern border": the country is entered
        return m

    def _last_two_named(self, here: set[str]) -> list[str]:
        """The last two countries named apart, leaving out those of the sentence itself
        ("… in Lithuania … from Belarus. On the Polish section … most Belarusian contraband
        passes through one of these two countries": Poland and Lithuania)."""
        found: list[str] = []
        for g in reversed(self.memory.history[-12:]):
            countries = [c for c in g.codes if self.gaz.is_country(c)]
            if len(countries) == 1 and countries[0] not in here and countries[0] not in found:
                found.append(countries[0])  # a list names its countries together, not apart
        return list(reversed(found[:2])) if len(found) >= 2 else []

    def _last_pair(self, wanted: int) -> list[str]:
        """The countries of the last list that named several (``wanted``, if given) together."""
        for g in reversed(self.memory.history):
            countries = list(dict.fromkeys(c for c in g.codes if self.gaz.is_country(c)))
            if len(countries) >= 2 and (not wanted or len(countries) == wanted):
                return countries
        return []

    def _the_country(self, a: Mention, sm: SentenceMentions, places: list[Mention]) -> list[str]:
        """ "the country": a country the sentence makes the topic before it (a possessive, or a
        country no cue governs: "Kyrgyz officials report that opiates entering the country"),
        else the document's subject, else the last country named. "The eastern border", "in
        the north" are the document's subject's, or no place."""
        if not a.text.lower().startswith("the country") and not a.text.lower().startswith(
            ("the kingdom", "the territory", "the republic", "the island", "the state")
        ):
            return [self.subject] if self.subject is not None else []
        before = [p for p in places if p.i < a.i and self.gaz.is_country(p.code)]
        for p in before:
            if p.possessive:
                return [p.code]
        for p in before:
            if not self._governed(sm, p) and not self._qualifies_goods(sm, p):
                return [p.code]
        if self.subject is not None:
            return [self.subject]
        # "Authorities in Chile say cocaine from Bolivia enters the country": where those who
        # speak or act are, before the last country named
        speakers = [p for p in before if p.i >= 2 and self._of_authorities(p.i - 1)]
        if speakers or before:
            return [(speakers or before)[-1].code]
        for g in self.memory.last_groups:
            # "Mexico is a transit country. The country also …": the sentence before's topic,
            # a country no cue governs (not "women from Nigeria are trafficked to Italy"), or
            # that of the authorities who spoke ("Police in Albania said …")
            if (g.cue_i < 0 and g.verb_i < 0 and g.modifies is None) or g.watched:
                countries = [c for c in g.codes if self.gaz.is_country(c)]
                if countries:
                    return countries[:1]
        return []

    def _of_authorities(self, k: int) -> bool:
        """True when token ``k`` is the "in"/"of" after a word for authorities ("police in")."""
        return self.tokens[k].low in ("in", "of") and self.reader._noun_at(k - 1, "authority")

    def _qualifies_goods(self, sm: SentenceMentions, p: Mention) -> bool:
        """ "Peruvian and Bolivian cocaine reaches the northern border": a demonym that says
        where goods come from is not the country the sentence speaks of."""
        if p.via != "demonym":
            return False
        k = p.j
        while k < sm.j and (self.tokens[k].low in ("and", "or", ",") or self._demonym_at(sm, k)):
            k += 1
        return any(c.i == k for c in sm.of("commodity"))

    def _demonym_at(self, sm: SentenceMentions, k: int) -> bool:
        return any(q.i <= k < q.j and q.via == "demonym" for q in sm.of("place"))

    def _governed(self, sm: SentenceMentions, p: Mention) -> bool:
        """True when a cue or a verb stands right before a place (up to a few list words)."""
        k = p.i - 1
        steps = 0
        while k >= sm.i and steps < 30:
            t = self.tokens[k]
            if any(c.i <= k < c.j for c in sm.of("cue")) or any(
                v.i <= k < v.j for v in sm.of("verb")
            ):
                return True
            if (
                t.low in ("and", "or", ",", "the", "as", "well")
                or t.low in self.lex.glue
                or any(q.i <= k < q.j for q in sm.of("place"))
            ):
                k -= 1
                steps += 1
                continue
            return False
        return False

    # ------------------------------------------------------------------ clauses

    def _clause(
        self,
        sm: SentenceMentions,
        a: int,
        b: int,
        previous: Frame | None,
        sentence_groups: list[Group],
    ) -> tuple[list[Frame], list[Group]]:
        """The frames of clause ``[a, b)`` and its place groups."""
        if not sm.any_between(a, b):
            # no word of the vocabulary, no place: no frame (the ";" that ends a Factbook line)
            return [], []
        reader = self.reader
        whole, sm = sm, sm.view(a, b)
        dead = reader.dead_zone(sm, a, b)

        def alive(m: Mention) -> bool:
            return a <= m.i < b and not (dead[0] <= m.i < dead[1])

        commodities = [
            c
            for c in sm.of("commodity")
            if alive(c) and not self._licit(sm, c) and not self._repeats(whole, c)
        ]
        commodities = [
            c
            for c in commodities
            if not self._detained(sm, c)
            and not self._ingredient(sm, c)
            and not self._defrauded(sm, c)
        ]
        if not commodities and dead[0] < dead[1] < b:
            commodities = self._contrasted_goods(sm, dead, b)
        commodities, traders = self._with_trade_words(sm, commodities, alive)
        if any(c.term is not None and c.term.kind == "person" for c in commodities):
            # "men are subjected to forced labour": the men move, the labour is what they do
            commodities = [
                c for c in commodities if c.term is None or c.term.kind != "exploitation"
            ]
        market = self._market_hint(sm, commodities, previous)
        places = [p for p in sm.of("place") if alive(p)]
        groups = reader.groups(sm, places, a, b)
        reader.assign_roles(sm, groups, commodities, a, b, market)
        self._passed_from(sm, groups)
        self._seized_by(sm, groups)
        self._arrow_chain(groups)
        self._elided(sm, groups, a, b, sentence_groups)
        self._or_same_word(groups)
        for g in groups if traders else ():
            if g.modifies is not None and id(g.modifies) in traders:
                # "Nigerian heroin and cocaine traffickers": the demonym is the traders'
                g.role, g.why, g.modifies = None, "of the traders", None
        self._silence(sm, groups, a, b)
        if any(
            c.term is not None and c.term.kind in ("person", "exploitation") for c in commodities
        ):
            for g in groups:
                if _people_group(g, self.text):
                    g.role, g.why = "origin", f"{g.places[0].text} (people)"
        where = self._where(sm, a, b, sentence_groups)
        if where is not None:
            groups.insert(0, where)
        holders = reader.holders(sm, groups, a, b, sm.sentence.implicit_subject, dead)
        holders += self._anaphor_holders(sm, groups, a, dead[0])
        self._same_as_before(groups)
        self._fill_there(groups, sentence_groups)
        for g in groups:
            if g.role == "holder":
                g.role = None
        frames: list[Frame] = []
        hedges = sm.of("hedge")
        hedge = hedges[0].value if hedges else None
        if hedge is None and whole.of("hedge"):
            # "Officials say that …, and …": a hedge before the clause covers it, but not across
            # a semicolon ("limited cultivation …; transit point for …" are separate statements)
            hedge = next(
                (
                    h.value
                    for h in whole.of("hedge")
                    if h.i < a and ";" not in self.tokens.texts[h.j : a + 1]
                ),
                None,
            )
        commodity_groups = self._commodity_groups(sm, commodities)
        locals_of: list[list[Group]] = []
        for items in commodity_groups:
            local = [g for g in groups if g.modifies is not None and g.modifies in items]
            if len(commodity_groups) > 1:
                local += self._local_origins(sm, groups, items)
            locals_of.append(local)
        for k in range(len(commodity_groups) - 1, 0, -1):
            # "Southwest Asian heroin and South American cocaine destined for Western Europe":
            # a destination after coordinated commodities is all of theirs
            if self._coordinated(sm, commodity_groups[k - 1], commodity_groups[k]):
                dests = [g for g in locals_of[k] if g.role in ("destination", "onward")]
                locals_of[k - 1] += [g for g in dests if g not in locals_of[k - 1]]
        for k in range(1, len(commodity_groups)):
            if self._instances_of_goods(sm, commodity_groups[k - 1], commodity_groups[k]):
                # "wildlife products from Madagascar, including tortoises and rosewood": the
                # examples come from where the goods they are examples of come from
                starts = [g for g in locals_of[k - 1] if g.role == "origin"]
                locals_of[k] += [g for g in starts if g not in locals_of[k]]
        for items, local in zip(commodity_groups, locals_of, strict=True):
            local += self._worked_in(sm, items, commodity_groups, locals_of)
        all_local = [g for local in locals_of for g in local]
        owner = self._owners(sm, groups, commodity_groups)
        for n, (items, local) in enumerate(zip(commodity_groups, locals_of, strict=True)):
            shared = [
                g
                for g in groups
                if g not in all_local and g.modifies is None and owner.get(id(g), n) == n
            ]
            if any(g.role in ("destination", "onward") for g in local):
                # "heroin … destined for Europe, as well as cocaine destined for southern Africa"
                shared = [g for g in shared if not (g.role == "destination" and g.j <= items[0].i)]
            governing = self._governed_holders(sm, holders, items, commodities)
            source = "anaphor" if self._definite_repeat(sm, items) else "named"
            frames.append(Frame(whole, a, b, items, local, shared, governing, hedge, source))
        frames = self._same_people(sm, frames, groups)
        self._made_with(sm, frames)
        if not frames:
            inherited = self._inherited(whole, a, b, previous, groups, holders)
            if inherited is not None:
                inherited.hedge = hedge
                frames.append(inherited)
        return frames, groups

    def _carried_on(
        self,
        sm: SentenceMentions,
        a: int,
        b: int,
        frames: list[Frame],
        groups: list[Group],
        before: list[Group],
    ) -> list[Group]:
        """ "Light aircraft departing Venezuela land in northern Belize, and the cocaine is
        then trucked into Mexico": a clause that moves only vehicles (no goods named, none
        before) gives its way to the goods of the next clause that goes on from it ("then").
        Returns the groups to keep for the next clause."""
        goods = any(a <= c.i < b for c in sm.of("commodity"))
        if not frames and not goods and self.memory.commodity.get(sm.sentence.paragraph):
            return [g for g in groups if g.role in ("origin", "transit", "destination", "entry")]
        for frame in frames:
            if before and any("sequence" in g.links for g in frame.groups):
                frame.groups = [*before, *frame.groups]
        return []

    def _same_people(
        self, sm: SentenceMentions, frames: list[Frame], groups: list[Group]
    ) -> list[Frame]:
        """ "Most victims identified in Spain were women from Paraguay": people said by a copula
        to be other people, or ranked after them ("followed by"), are those people; one frame
        holds the places of both."""
        out: list[Frame] = []
        for frame in frames:
            before = out[-1] if out else None
            if (
                before is not None
                and _people(before.commodities)
                and _people(frame.commodities)
                and (
                    self._copula_between(
                        sm, before.commodities[-1].j, frame.commodities[0].i, groups
                    )
                    # "… were women from Paraguay, followed by men from Peru": more of them
                    or any(
                        c.value == "same" and c.j == frame.commodities[0].i for c in sm.of("cue")
                    )
                    # "victims exploited in Moldova, including Ukrainian nationals": some of them
                    or self._instances_of(sm, before.commodities[-1].j, frame.commodities[0].i)
                )
            ):
                ends = [
                    g
                    for g in groups
                    if g.role in ("destination", "entry", "transit")
                    and before.commodities[0].i < g.i < frame.commodities[0].i
                ]
                mine = [*before.local, *ends, *frame.local]
                frame.local = [g for n, g in enumerate(mine) if g not in mine[:n]]
                shared = [*before.groups, *frame.groups]
                frame.groups = [
                    g for n, g in enumerate(shared) if g not in shared[:n] and g not in mine
                ]
                frame.commodities = [*before.commodities, *frame.commodities]
                out[-1] = frame
                continue
            out.append(frame)
        return out

    def _same_as_before(self, groups: list[Group]) -> None:
        """ "… were German nationals, followed by Romanians": places that "followed by" ranks
        after others (and that no role phrase took) have the role of those; not of a region
        they lie in ("account for most cocaine entering the EU, followed by Spain")."""
        for n, g in enumerate(groups):
            if g.role != "same":
                continue
            before = next(
                (h for h in reversed(groups[:n]) if not self._lies_in(g.codes, h.codes)), None
            )
            g.role = None
            if before is not None and before.role in PLACE_ROLES:
                g.role, g.modifies = before.role, before.modifies
                g.why = f"{g.why} ({before.why})"

    def _lies_in(self, codes: list[str], wider: list[str]) -> bool:
        """True when all of ``codes`` lie in one region of ``wider`` (Spain in the EU)."""
        return any(self.gaz.is_region(r) and set(codes) <= set(self.gaz.members(r)) for r in wider)

    def _instances_of_goods(
        self, sm: SentenceMentions, head: list[Mention], examples: list[Mention]
    ) -> bool:
        """True when ``examples`` are given as instances of ``head`` ("wildlife products from
        Madagascar, including tortoises"): an instance word between them and no verb."""
        a, b = head[-1].j, examples[0].i
        if any(a <= v.i < b for v in sm.of("verb")):
            return False
        k = b - 1  # the word right before the examples (past adjectives): "including"
        while k > a and self.tokens[k].low in self.lex.adjectives:
            k -= 1
        return self._instance_word(k) or self.tokens[k].low in _DEGREE_EXAMPLES

    def _instance_word(self, k: int) -> bool:
        """True when token ``k`` opens a list of instances ("including", "such as")."""
        word = self.tokens[k].low
        return word in _INSTANCE_WORDS or (word == "as" and self.tokens[k - 1].low == "such")

    def _instances_of(self, sm: SentenceMentions, i: int, k: int) -> bool:
        """True when the people word at token ``k`` (after the people ending at ``i``) opens,
        with its nationalities, a list of instances ("including Chinese and Thai nationals")."""
        named = {n for p in sm.of("place") if p.via == "demonym" for n in range(p.i, p.j)}
        n = k - 1
        while n > i and (n in named or self.tokens[n].text in (",", "and", "or")):
            n -= 1
        return n > i and self._instance_word(n)

    def _made_with(self, sm: SentenceMentions, frames: list[Frame]) -> None:
        """ "fentanyl produced in Mexico using chemicals from China is smuggled into the US": the
        chemicals go where the drug is made, not where the drug is then taken."""
        for drug, chemicals in itertools.pairwise(frames):
            k = chemicals.commodities[0].i
            term = chemicals.commodities[0].term
            if term is None or term.kind != "precursor" or self.tokens[k - 1].low not in _MADE_WITH:
                continue
            made = [
                g
                for g in drug.local
                if g.role == "origin" and g.j == k - 1 and _made_at(g, sm.of("verb"))
            ]
            if not made:
                continue
            chemicals.groups = [
                g for g in chemicals.groups if g.role not in ("destination", "entry", "onward")
            ]
            there = replace(made[-1], role="destination", links=set(made[-1].links))
            there.why, there.modifies, there.final = (
                f"{self.tokens[k - 1].text} … (made there)",
                None,
                True,
            )
            chemicals.local = [*chemicals.local, there]

    def _copula_between(self, sm: SentenceMentions, i: int, j: int, groups: list[Group]) -> bool:
        """True when a form of "to be" stands between tokens ``i`` and ``j``, followed only by
        adverbs of degree, adjectives and place names ("are mostly EU citizens"), not by a verb
        ("are trafficked internally and Afghan children …")."""
        if any(i <= v.i < j for v in sm.of("verb")) and any(
            t.low in ("and", "or", ",") for t in self.tokens.items[i:j]
        ):
            return False
        named = {k for g in groups for k in range(g.i, g.j)}
        words = [(k, t.low) for k, t in enumerate(self.tokens.items[i:j], i) if t.is_word]
        at = next((n for n, (_, w) in enumerate(words) if w in COPULAS), -1)
        if at < 0:
            return False
        return all(
            k in named or w in self.lex.adjectives or w in self.lex.openings or w in _DEGREE
            for k, w in words[at + 1 :]
        )

    def _arrow_chain(self, groups: list[Group]) -> None:
        """ "Brazil → Cape Verde → Portugal", "Morocco–Spain–France" written as a route in a
        table or a list: the first place is the start, the last the end, the others stages;
        "… → Portugal and Ecuador → …" ends one route and starts another."""
        if len(groups) < 2:
            return  # one place makes no route
        split: list[Group] = []
        for n, g in enumerate(groups):
            inner = n and n + 1 < len(groups) and len(g.places) > 1
            if (
                inner
                and self._arrow_between(groups[n - 1], g)
                and self._arrow_between(g, groups[n + 1])
            ):
                split += [Group([p], p.i, p.j, role=g.role, why=g.why) for p in g.places]
            else:
                split.append(g)
        groups[:] = split
        k = 0
        while k < len(groups):
            run = [groups[k]]
            while k + len(run) < len(groups) and self._arrow_between(run[-1], groups[k + len(run)]):
                run.append(groups[k + len(run)])
            if len(run) > 1 and all(len(g.places) == 1 for g in run):
                for n, g in enumerate(run):
                    role = "origin" if n == 0 else "destination" if n == len(run) - 1 else "transit"
                    g.role, g.why, g.modifies = role, "→", None
            k += len(run)

    def _arrow_between(self, left: Group, right: Group) -> bool:
        """True when only an arrow stands between two groups."""
        between = [t.text for t in self.tokens.items[left.j : right.i]]
        return between in (["→"], ["⟶"], ["➔"], ["-", ">"], ["=", ">"])

    def _elided(
        self, sm: SentenceMentions, groups: list[Group], a: int, b: int, before: list[Group]
    ) -> None:
        """ "… originates mainly in Morocco, but increasingly also in Lebanon": a clause with no
        verb of its own repeats the verb of the clause before, so a place after the same word
        ("in") takes the role the place after it there took."""
        if not before or any(a <= v.i < b for v in sm.of("verb")):
            return
        if any(t.low in COPULAS for t in self.tokens.items[a:b]):
            return  # "…, while the largest markets are in North America": a predicate of its own
        first = a + 1 if self.tokens[a].text in (",", ";") else a
        if first >= b or self.tokens[first].low not in ("but", "and", "or", "while", "though"):
            return
        for g in groups:
            if g.cue_i < 0 or g.verb_i >= 0:
                continue
            word = self.tokens[g.cue_i].low
            same = [
                h for h in before if h.role and h.cue_i >= 0 and self.tokens[h.cue_i].low == word
            ]
            if not same or g.role not in (None, same[-1].role):
                continue
            if g.role is None:
                g.role, g.why = same[-1].role, f"{same[-1].why} (repeated)"
            g.verb_i = same[-1].verb_i
            g.links.add("elided")  # its goods end where those of the clause before end

    def _or_same_word(self, groups: list[Group]) -> None:
        """ "arrives by sea in Guinea-Bissau …, or by air in Mali": a place after "or" and the
        same bare word as a place before it, too far from the verb to take a role of its own,
        is another place of that group."""
        kept: list[Group] = []
        h: Group | None = None  # the last group kept that has a role and a cue
        for g in groups:
            if (
                h is not None
                and g.role is None
                and g.cue_i >= 0
                and "alternative" in g.links
                and g.why.lower() == self.tokens[g.cue_i].low  # not "police in …"
                and self.tokens[h.cue_i].low == self.tokens[g.cue_i].low
                and h.modifies is None
            ):
                h.places.extend(g.places)
                h.j, h.alternatives = g.j, True
                continue
            kept.append(g)
            if g.role and g.cue_i >= 0:
                h = g
        groups[:] = kept

    def _seized_by(self, sm: SentenceMentions, groups: list[Group]) -> None:
        """ "Dutch customs intercepted 50 tonnes of cocaine, most of it arriving from Ecuador":
        the country whose authorities seize the goods is where they were found."""
        for g in groups:
            if g.role is not None or not g.why.endswith(" authority"):
                continue
            seizing = [v for v in sm.of("verb") if v.value == "seize" and 0 <= v.i - g.j <= 3]
            if seizing and len(g.places) == 1:
                g.role, g.why, g.modifies = "entry", f"{g.why} {seizing[0].text}", None
                g.links.add("seized")

    def _passed_from(self, sm: SentenceMentions, groups: list[Group]) -> None:
        """ "re-exported from West African ports", "transshipped from Panama": goods sent on
        from a place they passed through; that place is a stage, not where they began."""
        for g in groups:
            if g.role != "origin" or not g.why.endswith("from") or g.cue_i < 0:
                continue
            links = {k for m in sm.of("link") for k in range(m.i, m.j)}
            verbs = [
                v
                for v in sm.of("verb")
                if v.j <= g.cue_i and all(k in links for k in range(v.j, g.cue_i))
            ]  # "transit the country from Colombia": from where they came, after all
            # not "heroin transits from Burma", "in transit from China": where it comes from
            if (
                verbs
                and verbs[-1].value == "transit"
                and not verbs[-1].text.lower().startswith("transit")
            ):
                g.role, g.why = "transit", f"{verbs[-1].text} from"

    def _with_trade_words(
        self, sm: SentenceMentions, commodities: list[Mention], alive: Callable[[Mention], bool]
    ) -> tuple[list[Mention], set[int]]:
        """ "transit hub for Nigerian heroin and cocaine traffickers": drugs named as the trade
        of the actors a role phrase is for are its goods; returns the goods and the ids of the
        commodities listed with such a trade word (whose demonym is the traders')."""
        out, traders = list(commodities), set()
        for w in (w for w in sm.of("drugword") if alive(w)):
            listed = [
                c
                for c in commodities
                if c.j <= w.i
                and all(t.low in ("and", "or", ",") for t in self.tokens.items[c.j : w.i])
            ]
            governed = not commodities and "for" in self.tokens.words(max(sm.i, w.i - 4), w.i)
            if not listed and not governed:
                continue
            goods = Mention("commodity", w.i, w.j, w.start, w.end, w.text)
            goods.term, goods.market = w.term, w.market
            out.append(goods)
            traders |= {id(c) for c in listed} | {id(goods)}
        return sorted(out, key=lambda m: m.i), traders

    def _contrasted_goods(
        self, sm: SentenceMentions, dead: tuple[int, int], b: int
    ) -> list[Mention]:
        """ "Tanzania is not a producer of heroin but a transit point for shipments …": a
        negated role and the role that contrasts with it are about the same goods, so the
        commodity of the negated stretch is the clause's when nothing after names another."""
        roles = [m for m in sm.of("role") if m.i >= dead[1]]
        negated_role = any(dead[0] <= m.i < dead[1] for m in sm.of("role"))
        if not roles or not negated_role:
            return []
        return [
            c
            for c in sm.of("commodity")
            if dead[0] <= c.i < dead[1] and not self._licit(sm, c) and c.term is not None
        ]

    def _definite_repeat(self, sm: SentenceMentions, items: list[Mention]) -> bool:
        """ "the horns", "these drugs" naming the commodity the sentence before moved: the same
        goods, so the sentence may go on with their route."""
        remembered = self.memory.commodity.get(sm.sentence.paragraph)
        if remembered is None:
            return False
        generic = items[0].term is not None and items[0].term.kind == "generic"
        drug = remembered.term is not None and remembered.term.kind in ("drug", "generic")
        if remembered.market != items[0].market and not (generic and drug):
            return False  # "the drugs" after hashish are the hashish
        return any(
            a.i <= items[0].i < a.j
            and a.value == "goods"
            and a.text.lower().startswith(("the ", "these "))
            for a in sm.of("anaphor")
        )

    def _detained(self, sm: SentenceMentions, c: Mention) -> bool:
        """ "arrested two Vietnamese men", "three Albanian men were charged with smuggling": the
        people an authority acts on are no commodity."""
        if c.term is None or c.term.kind != "person":
            return False
        verbs = sm.of("verb")
        places = sm.of("place")
        acted_on = any(
            v.value == "base"
            and 0 < c.i - v.j <= 4
            # "dismantled a network that smuggled migrants": the migrants are smuggled
            and not any(v.j <= u.i < c.i for u in verbs if u.value != "base")
            # "groups based in Turkey coordinate the smuggling of migrants": where they are
            and not any(v.j <= p.i < c.i and p.via != "demonym" for p in places)
            for v in verbs
        )
        goods = [x for x in sm.of("commodity") if x is not c]
        passive = any(
            v.value == "base"
            and v.text.lower().endswith("ed")
            and 0 < v.i - c.j <= 3
            and all(w in _PASSIVE_AUX for w in self.tokens.words(c.j, v.i))
            # "detained in Libya after being smuggled from Niger": they were moved all the same
            and not any(
                u.i > v.j
                and u.value not in ("base", "seize")
                and not any(u.j <= x.i <= u.j + 3 for x in goods)
                for u in verbs
            )
            for v in verbs
        )
        return acted_on or passive

    def _defrauded(self, sm: SentenceMentions, c: Mention) -> bool:
        """ "call-centre gangs defraud pensioners in Canada": people defrauded where they
        live are no commodity."""
        if c.term is None or c.term.kind != "person":
            return False
        return any(n.value == "fraud" and 0 <= c.i - n.j <= 3 for n in sm.of("nonflow"))

    def _ingredient(self, sm: SentenceMentions, c: Mention) -> bool:
        """ "methamphetamine manufactured in Afghanistan from ephedra": what a drug is made from
        is no commodity of the clause's flow."""
        k = c.i - 1
        while k > sm.i and self.tokens[k].low in self.lex.adjectives:
            k -= 1
        if k <= sm.i or self.tokens[k].low != "from":
            return False
        made = [v for v in sm.of("verb") if v.j <= k and v.value == "produce"]
        if not made:
            return False
        v = made[-1]
        later_verbs = any(v.j <= u.i < k for u in sm.of("verb") if u is not v)
        goods_before = any(x.j <= v.i for x in sm.of("commodity") if x is not c)
        return goods_before and not later_verbs

    def _repeats(self, sm: SentenceMentions, c: Mention) -> bool:
        """ "the drug", "these drugs", "the drug market" after a named drug of the same
        sentence: the same goods, not another commodity."""
        if c.term is None or c.term.kind != "generic":
            return False
        market = self.tokens.words(c.j, min(c.j + 1, len(self.tokens))) in (["market"], ["markets"])
        if not market and not any(
            x.i <= c.i < x.j and x.value == "goods" for x in sm.of("anaphor")
        ):
            return False
        return any(
            x.i < c.i and x.term is not None and x.term.kind == "drug" for x in sm.of("commodity")
        )

    def _licit(self, sm: SentenceMentions, c: Mention) -> bool:
        """ "licit opiates", "medical cannabis", "legal imports of …": lawful goods."""
        for m in sm.of("licit"):
            if m.j <= c.i and c.i - m.j <= 3:
                between = self.tokens.words(m.j, c.i)
                if all(
                    w in self.lex.adjectives or w in ("imports", "exports", "of") for w in between
                ):
                    return True
        return False

    def _market_hint(
        self, sm: SentenceMentions, commodities: list[Mention], previous: Frame | None
    ) -> str | None:
        """The market a clause speaks of, before people words are settled (for bare "in");
        "precursors" for a clause that moves only precursors."""
        goods = [c for c in commodities if c.term is None or c.term.kind != "person"]
        if goods and all(c.term is not None and c.term.kind == "precursor" for c in goods):
            return "precursors"
        only = sm.sentence.field_only
        for c in goods:
            # "forced labour in logging … in Taiwan" in a trafficking field: the logging is
            # the work, not goods found there
            if c.market is not None and (not only or c.market in only):
                return c.market
        if len(goods) < len(commodities):
            return "people"
        if previous is not None and previous.commodities:
            return previous.commodities[0].market
        remembered = self.memory.commodity.get(sm.sentence.paragraph)
        term = remembered.term if remembered is not None else None
        people = term is not None and term.kind == "person"
        if not commodities and people and self._opens_with_continuation(sm):
            return "people"  # "Many are later exploited on farms in …"
        return None

    def _silence(self, sm: SentenceMentions, groups: list[Group], a: int, b: int) -> None:
        """Groups a non-flow word governs (extradition, refugees, agreements) take no role,
        up to the next verb of moving; refugees who pay smugglers are smuggled all the same, and
        those traffickers lure or exploit are trafficked."""
        if not sm.of("nonflow"):
            return  # most clauses name no non-flow word: nothing to silence
        smuggling = not _SMUGGLING.isdisjoint(self.tokens.lows[a:b])
        preyed_on = any(a <= v.i < b and v.value == "recruit" for v in sm.of("verb"))
        money = any(
            a <= c.i < b and c.term is not None and c.term.kind == "money"
            for c in sm.of("commodity")
        )
        for n in sm.of("nonflow"):
            if n.value == "legal" and money:
                continue  # "proceeds … are repatriated to Bolivia": money moves, people do not
            if n.value == "cover" and a <= n.i < b and n.text.lower().endswith(" for"):
                self._others_goods(n, groups, b)  # not "hidden in bananas that sailed from …"
            if not (a <= n.i < b) or n.value in ("lure", "cover", "combat", "aside"):
                continue
            if n.value == "refugee" and preyed_on:
                # "traffickers lure women fleeing the war to Poland", "lure women residing in
                # refugee camps in Bangladesh to Malaysia": trafficked from where they sheltered
                for g in groups:
                    if 0 <= g.i - n.j <= 4 and g.why.endswith(" in"):
                        g.role, g.why = "origin", f"{n.text} … in"
                continue
            if n.value == "refugee" and smuggling:
                continue
            stop = b
            for v in sm.of("verb"):
                if (
                    n.j < v.i < stop
                    and v.value != "base"
                    and not any(x.i <= v.i < x.j for x in sm.of("nonflow"))
                ):
                    stop = v.i
            for g in groups:
                if n.j <= g.i < stop or (n.value == "refugee" and g.modifies is None and g.i < n.i):
                    g.role, g.why, g.silenced = None, n.text, True

    def _others_goods(self, cover: Mention, groups: list[Group], b: int) -> None:
        """Places in a relative clause about the goods paid in exchange are theirs ("traded for
        weapons, which are then sold in Yemen": the weapons are sold there)."""
        rel = next(
            (k for k in range(cover.j, min(cover.j + 5, b)) if self.tokens[k].low in _RELATIVE),
            None,
        )
        if rel is None:
            return
        for g in groups:
            if g.i > rel:
                g.role, g.why, g.silenced = None, f"{cover.text} … {self.tokens[rel].text}", True

    def _where(
        self, sm: SentenceMentions, a: int, b: int, sentence_groups: list[Group]
    ) -> Group | None:
        """ "carried into Mexico, where it is processed into heroin": the place a clause opened
        by "where" happens in, with the role its first verb gives a place ("processed in" →
        origin, "exploited in" → destination, "stored in" → transit)."""
        if not sentence_groups:
            return None  # no place before for "where" to stand for
        k = a
        while k < b and not self.tokens[k].is_word:
            k += 1
        if k >= b or self.tokens[k].low != "where" or not sentence_groups:
            return None
        before = sentence_groups[-1]
        if not before.codes or k - before.j > 2:
            return None
        verb = next((v for v in sm.of("verb") if k < v.i < b and v.sense is not None), None)
        if verb is None or verb.sense is None or verb.sense.locative in (None, "none"):
            return None
        role = "destination" if verb.sense.locative == "entry" else verb.sense.locative
        return Group(list(before.places), k, k + 1, role=role, why=f"where … {verb.text}", cue_i=k)

    def _fill_there(self, groups: list[Group], sentence_groups: list[Group]) -> None:
        """ "from there", "from where": the place the goods reached last — in this clause, an
        earlier clause of the sentence, or the sentence before; "the same destinations": the
        destinations named last."""
        for g in groups:
            for p in g.places:
                if p.via == "same":
                    dests = [x for x in sentence_groups + groups if x.role == "destination"]
                    dests = [x for x in dests if x.codes and x is not g]
                    p.codes = tuple(dests[-1].codes) if dests else ()
        for n, g in enumerate(groups):
            if not g.there:
                continue
            arrived = ("destination", "entry", "transit", "holder", "onward", "back")
            earlier = [x for x in groups[:n] if x.role in arrived and x.codes]
            earlier += [x for x in sentence_groups if x.role in arrived and x.codes][::-1][:1]
            source = earlier[-1] if groups[:n] and earlier else None
            value = "reached"
            before = groups[n - 1] if n else None
            if (
                before is not None
                and before.codes
                and not before.silenced
                and all(not t.is_word for t in self.tokens.items[before.j : g.i])
            ):
                # "established a presence in Ecuador, from where they organise shipments": the
                # place right before "from where" is where they leave from
                source = before
                if before.role in ("origin", None):
                    value = "made"  # the goods start there: made there, or sent by those there
            if source is None and sentence_groups:
                cands = [x for x in sentence_groups if x.role in arrived and x.codes]
                source = cands[-1] if cands else None
            made = [
                x
                for x in groups[:n] + sentence_groups
                if x.role == "origin" and x.codes and x.why.endswith((" in", " at"))
            ]
            if source is None and made and made[-1].j <= g.i:
                # "production is concentrated in Shan State, from where tablets are trafficked":
                # the goods start where they are made
                source, value = made[-1], "made"
            if source is None and self.memory.reached:
                source = self.memory.reached[-1]
            if source is None:
                g.role = None
                continue
            p = g.places[0]
            p.codes = tuple(source.codes)
            p.value = value

    def _anaphor_holders(
        self, sm: SentenceMentions, groups: list[Group], a: int, b: int
    ) -> list[Holder]:
        """ "it has become one of the main departure points", "makes it a key node": "it" holds
        a role phrase; it stands for the first country of the sentence, else the subject."""
        out: list[Holder] = []
        for start, end, roles in self.reader.role_phrases(sm, a, b):
            before = [t for t in self.tokens.items[a:start] if t.is_word]
            pos = next(
                (k for k in range(start - 1, a - 1, -1) if self.tokens[k].low in ("it", "them")),
                None,
            )
            if pos is None or not self.reader._opening(pos + 1, start) or not before:
                continue
            if any(g.role == "holder" for g in groups if g.j <= start):
                continue
            codes = self._it(sm, pos)
            if codes:
                out.append(Holder(roles, codes, start, end, f"{self.tokens[pos].text}"))
        return out

    def _it(self, sm: SentenceMentions, pos: int) -> list[str]:
        """What "it" at token ``pos`` stands for: the first country named before it in the
        sentence, else the first of the sentence before ("The country is a transit point …
        It is also a destination for women from Nigeria": not Nigeria), else the subject."""
        for p in sm.of("place"):
            if p.i < pos and self.gaz.is_country(p.code) and p.via in ("name", "alias", "anaphor"):
                return [p.code]
        for g in self.memory.last_groups[:1]:
            countries = [c for c in g.codes if self.gaz.is_country(c)]
            if countries:
                return countries[:1]
        return [self.subject] if self.subject else []

    def _commodity_groups(
        self, sm: SentenceMentions, commodities: list[Mention]
    ) -> list[list[Mention]]:
        """Commodity words joined by list words ("cocaine, heroin and Afghan hashish") form a
        group that shares everything but its own origins."""
        out: list[list[Mention]] = []
        for c in commodities:
            if out:
                last = out[-1][-1]
                words = self.tokens.words(last.j, c.i)
                joiners = self.lex.joiners | self.lex.adjectives | {"and", "or", "as", "well"}
                places_between = [p for p in sm.of("place") if last.j <= p.i < c.i]
                if (
                    c.i - last.j <= 6
                    and all(w in joiners for w in words)
                    and not any(p.noun not in ("commodity", None) for p in places_between)
                ):
                    out[-1].append(c)
                    continue
                inside = {k for p in places_between for k in range(p.i, p.j)}
                rest = [t.low for k, t in enumerate(self.tokens.items[last.j : c.i], last.j)]
                rest = [w for k, w in enumerate(rest, last.j) if k not in inside and w != ","]
                own_origin = rest[:1] == ["from"] and set(rest[1:]) <= {"and", "or", "the"}
                if len(out[-1]) > 1 and own_origin and places_between:
                    # "fentanyl, heroin, cocaine from South America, and methamphetamine": the
                    # origin after the last item of a list is that item's own
                    out.append([out[-1].pop()])
            out.append([c])
        return out

    def _owners(
        self, sm: SentenceMentions, groups: list[Group], commodity_groups: list[list[Mention]]
    ) -> dict[int, int]:
        """Groups that stand between one commodity and the next, which is not listed with it,
        belong to the first only ("hashish from North Africa to the UK and of European-produced
        synthetic drugs")."""
        out: dict[int, int] = {}
        for n in range(len(commodity_groups) - 1):
            first, second = commodity_groups[n], commodity_groups[n + 1]
            if self._coordinated(sm, first, second) or self._returned(sm.i, second[0]):
                continue  # (goods carried back take the whole way, reversed)
            between = [g for g in groups if first[-1].j <= g.i < second[0].i]
            for g in between:
                out[id(g)] = n
            end = commodity_groups[n + 2][0].i if n + 2 < len(commodity_groups) else 1 << 30
            roles = {g.role for g in between}
            for g in groups:
                if second[-1].j <= g.i < end and g.role in roles and id(g) not in out:
                    # "cannabis from Iran to Armenia and precursors to Iran": each its own end
                    out[id(g)] = n + 1
            if all(c.term is None or c.term.kind == "activity" for c in second):
                continue  # "has been trafficked south through": a verb, not goods
            for g in groups:
                start = g.cue_i if g.cue_i >= 0 else g.i
                if id(g) not in out and self._attached(sm, second[-1].j, start):
                    # "grower of coca and a stopover for heroin headed to Canada": the
                    # destination is the heroin's only
                    out[id(g)] = n + 1
        return out

    def _attached(self, sm: SentenceMentions, a: int, b: int) -> bool:
        """True when tokens ``[a, b)`` are a participle and at most two more words, with no
        place, punctuation or conjunction ("cocaine *moving* toward", not "hashish from Morocco
        transit")."""
        if not 1 <= b - a <= 3:
            return False
        participle = any(
            v.i == a and v.text.lower().endswith(("ing", "ed", "en")) for v in sm.of("verb")
        )
        return (
            participle
            and not any(a <= p.i < b for p in sm.of("place"))
            and all(
                t.is_word and t.low not in ("and", "or", "but", "while")
                for t in self.tokens.items[a:b]
            )
        )

    def _coordinated(
        self, sm: SentenceMentions, first: list[Mention], second: list[Mention]
    ) -> bool:
        """True when only list words and the places that qualify the second commodity stand
        between two commodity groups ("Afghan heroin and, to a lesser degree, Iranian opium",
        "heroin and cannabis and for South American cocaine")."""
        a, b = first[-1].j, second[0].i
        qualifiers = {k for p in sm.of("place") if a <= p.i and p.j <= b for k in range(p.i, p.j)}
        words = [t.low for k, t in enumerate(self.tokens.items[a:b], a) if k not in qualifiers]
        if words[:1] == ["from"] and qualifiers and set(words[1:]) <= {",", "and", "or"}:
            return True  # "cocaine from South America, heroin and …": its own origin between
        return b - a <= 10 and all(
            w in _COORDINATION or w in self.lex.adjectives or not w[:1].isalnum() for w in words
        )

    def _worked_in(
        self,
        sm: SentenceMentions,
        items: list[Mention],
        commodity_groups: list[list[Mention]],
        locals_of: list[list[Group]],
    ) -> list[Group]:
        """ "Traffickers exploit Vietnamese men in cannabis cultivation in the UK": where people
        are put to work producing goods is where they are exploited, the goods' origin."""
        if not all(c.term is not None and c.term.kind == "person" for c in items):
            return []
        if not any(v.value == "exploit" for v in sm.of("verb")):
            return []
        out = []
        for other, local in zip(commodity_groups, locals_of, strict=True):
            if other is items or any(c.term is None or c.term.kind != "drug" for c in other):
                continue
            for g in local:
                made_in = g.why.endswith((" in", " at"))
                if g.role == "origin" and made_in and g.cue_i > items[-1].j and g.modifies is None:
                    out.append(replace(g, role="destination", why=f"{g.why} (work)"))
        return out

    def _local_origins(
        self, sm: SentenceMentions, groups: list[Group], items: list[Mention]
    ) -> list[Group]:
        """Origin groups right after a commodity group ("cocaine from Peru and opium from
        Myanmar"): they qualify that group only, not the goods listed before it
        ("synthetic opioids, cocaine from South America") nor, after people, goods between
        ("men exploited in cannabis cultivation in the UK": the cannabis's origin)."""
        end = items[-1].j
        people = all(c.term is not None and c.term.kind == "person" for c in items)
        others = [
            c
            for c in sm.of("commodity")
            if c not in items and c.term is not None and c.term.kind not in _VAGUE
        ]
        out = []
        for g in groups:
            if g.role != "origin" or not 0 <= g.cue_i - end <= 3 or g.modifies is not None:
                continue
            between = [c for c in others if end <= c.i <= g.cue_i]
            listed = any(
                set(self.tokens.words(end, c.i)) <= {"and", "or", "other"} for c in between
            )
            if not listed and not (people and between):
                out.append(g)
        return out

    def _governed_holders(
        self,
        sm: SentenceMentions,
        holders: list[Holder],
        items: list[Mention],
        commodities: list[Mention],
    ) -> list[Holder]:
        """The role phrases that govern a commodity group: the last phrase before it (and, as
        roles only, the phrases coordinated before that one with no commodity of their own: "a
        consumer market and a hub from which cannabis is sent on"), or the first phrase after
        it when none comes before ("heroin … transit point"). A phrase in parentheses right after
        a commodity is that commodity's alone ("cannabis (for local consumption)")."""
        owner = {id(h): self.reader.parenthesis_owner(sm, h.i) for h in holders}
        own = [
            Holder(h.roles, h.codes, h.i, h.j, h.why, h.places, role_only=True)
            for h in holders
            if owner[id(h)] in items
        ]
        free = [h for h in holders if owner[id(h)] is None]
        before = [h for h in free if h.j <= items[0].i]
        if not before:
            return own + [h for h in free if h.i >= items[-1].j][:1]
        main = before[-1]
        out = [main, *own]
        for h in reversed(before[:-1]):
            if any(h.j <= c.i < main.i for c in commodities):
                break
            out.append(Holder(h.roles, h.codes, h.i, h.j, h.why, h.places, role_only=True))
        return out

    def _inherited(
        self,
        sm: SentenceMentions,
        a: int,
        b: int,
        previous: Frame | None,
        groups: list[Group],
        holders: list[Holder],
    ) -> Frame | None:
        """A frame for a clause that names no commodity: the commodity of the clause before in
        the sentence, of an anaphor ("the drugs", "these vessels"), or people named only by
        nationality ("Afghans, Iranians and Syrians")."""
        roled = [g for g in groups if g.role is not None and g.role != "holder"]
        if not roled and not holders:
            return None
        moving = any(
            a <= v.i < b and v.value not in ("base", "consume", "produce", "bypass")
            for v in sm.of("verb")
        )
        anaphors = [
            x
            for x in sm.of("anaphor")
            if a <= x.i < b
            and x.value in ("goods", "continuation", "there")
            and (moving or x.text.lower() not in ("it", "they", "them"))
        ]
        if previous is not None and previous.commodities:
            return Frame(sm, a, b, previous.commodities, [], groups, holders, None, "clause")
        people = [g for g in groups if _people_group(g, self.text)]
        if people:
            p = people[0]
            m = Mention("commodity", p.i, p.j, p.places[0].start, p.places[-1].end, "people")
            m.term, m.market = PEOPLE, None
            for g in people:
                g.role, g.why = "origin", f"{g.places[0].text} (people)"
            return Frame(sm, a, b, [m], [], groups, holders, None, "people")
        remembered = self.memory.commodity.get(sm.sentence.paragraph)
        if remembered is None and anaphors:
            remembered = self.memory.last_commodity
        named = [
            x
            for x in sm.whole().of("commodity") + sm.whole().of("drugword")
            if anaphors and x.i < anaphors[0].i and x.term is not None and x.term.kind == "drug"
        ]
        if named:
            remembered = named[-1]  # "Cocaine seizures rose …, as traffickers diverted shipments"
        if anaphors and remembered is not None:
            source = "continuation" if anaphors[0].value == "continuation" else "anaphor"
            goods = [remembered]
            persons = remembered.term is not None and remembered.term.kind == "person"
            if _plural(anaphors[0].text) and not persons:  # "most of them": the women named last
                goods = self.memory.commodities.get(sm.sentence.paragraph, goods) or goods
            return Frame(sm, a, b, goods, [], groups, holders, None, source)
        if self.memory.topic_flows and remembered is not None:
            return Frame(sm, a, b, [remembered], [], groups, holders, None, "continuation")
        return None

    # ------------------------------------------------------------------ chains and flows

    def _others_left(self, frame: Frame, chain: Chain, local_origin: list[str]) -> bool:
        """True when people named by a demonym left from other places than their country
        (asked only of a frame with origins of its own and a chain with origins)."""
        demonyms = all(
            p.via == "demonym" for g in frame.local if g.role == "origin" for p in g.places
        )
        if not demonyms:
            return False
        inside = {m for c in local_origin if self.gaz.is_region(c) for m in self.gaz.members(c)}
        people = {  # "Dominican migrants and Haitians": other people, not a place left
            c
            for role, g in chain.why
            if role == "origin" and g.why.endswith("(people)")
            for c in g.codes
        }
        return (
            not set(local_origin) & set(chain.origins)
            and not set(chain.origins) <= inside  # "Sub-Saharan men, mostly from Mali"
            and not set(chain.origins) <= people
        )

    def _chains(self, frame: Frame) -> list[Chain]:
        """The routes of a frame: its groups' chains, with the commodity's own origins and the
        role phrases' holders."""
        local_origin = [c for g in frame.local if g.role == "origin" for c in g.codes]
        local_dest = [
            c
            for g in frame.local
            if g.role in ("destination", "onward", "back", "entry")
            for c in g.codes
        ]
        found = chains(
            frame.groups,
            self._borders,
            local_origin,
            self._example_members,
            self._distance,
            local_dest,
        )
        if not found:
            found = [Chain()]
        out: list[Chain] = []
        for chain in found:
            if local_origin and chain.origins and self._others_left(frame, chain, local_origin):
                # "Cambodian fishermen recruited in Thai ports": people from one country leave
                # from another
                stage = _one_stage(chain.origins)
                chain.transit.insert(_crossed_before(chain), stage)
                chain.origins = []
            if any(g.final for g in frame.local) and chain.destinations:
                # "victims bound for Myanmar fly into Bangkok": the places on the way are transit
                kept = [d for d in chain.destinations if d not in local_dest]
                if kept and self._inside_ends(kept, local_dest):
                    # "heroin destined for the European market is shipped … to ports in Italy
                    # and Greece": where in that region it ends
                    local_dest = []
                elif kept and self._more_ends(frame, chain):
                    pass  # "bound for domestic markets, …, and occasionally to the US"
                else:
                    chain.transit.extend(kept)
                    chain.destinations = []
            chain.local = list(local_origin)
            named = (
                set(chain.origins) | {c for c in local_origin if self.gaz.is_country(c)}
                if local_origin
                else set()
            )
            for c in local_origin:
                covered = self.gaz.is_region(c) and bool(named & set(self.gaz.members(c)))
                if c not in chain.origins and not covered:
                    # "mukula, an African rosewood, cut in Zambia": Zambia says where in Africa
                    chain.origins.append(c)
            # "Nepalese girls … often via the border at Birgunj": a stage in the country they
            # come from is no stage of its own
            chain.transit = [
                _beyond(t, chain.origins) for t in chain.transit if [t] != chain.origins
            ]
            landed = self._landed_first(frame)
            if landed and (chain.transit or chain.destinations):
                # "Cocaine arriving at the ports of Guinea is stored before being moved north
                # through Mali": where it arrived is the first stage of the way on
                stage = _one_stage(landed)
                chain.transit.insert(0, stage)
            else:
                landed = []  # "the migrants arriving in Spain departed from Morocco": the end
            for c in local_dest:
                if c not in chain.destinations and c not in landed:
                    chain.destinations.append(c)
            for g in frame.local:
                if g.role == "transit" and g.codes:
                    chain.transit.append(_one_stage(g.codes))
            if not chain.destinations and chain.origins:
                watched = [
                    c for g in frame.groups if g.watched for c in g.codes if c not in chain.codes()
                ]
                chain.destinations.extend(watched[:1])  # found on arrival, by those who watch
            if len(chain.destinations) > 1:
                position = {c: g.i for g in reversed(frame.groups + frame.local) for c in g.codes}
                chain.destinations.sort(key=lambda c: position.get(c, 1 << 30))  # in text order
            for g in frame.local:
                chain.why.append((g.role or "", g))
            if not frame.holders:
                out.append(chain)
                continue
            for holder in frame.holders:
                for role in holder.roles:
                    base = Chain() if holder.role_only else chain
                    out.append(_with_holder(base, holder, role, self.gaz.members))
        return [self._stopped_on_the_way(frame, chain) for chain in out]

    def _example_members(self, code: str) -> tuple[str, ...]:
        return self.gaz.members(code) if code in self.exemplified else ()

    def _distance(self, a: str, b: str) -> float | None:
        """Great-circle distance in km between two places' centres (a region's: its members')."""
        pa, pb = self._centre(a), self._centre(b)
        if pa is None or pb is None:
            return None
        return _haversine(pa, pb)

    def _centre(self, code: str) -> tuple[float, float] | None:
        if self.gaz.is_country(code):
            c = self.gaz.countries[code]
            return (c.lat, c.lon) if c.lat is not None and c.lon is not None else None
        if self.gaz.is_region(code):
            points = [self._centre(m) for m in self.gaz.members(code)]
            known = [p for p in points if p is not None]
            if known:
                return (
                    sum(p[0] for p in known) / len(known),
                    sum(p[1] for p in known) / len(known),
                )
        return None

    def _borders(self, a: str, b: str) -> bool:
        if self.gaz.is_region(b):
            return a in self.gaz.members(b)
        if not self.gaz.is_country(a) or not self.gaz.is_country(b):
            return False
        return b in self.gaz.neighbours(a)

    def _stopped_on_the_way(self, frame: Frame, chain: Chain) -> Chain:
        """ "Pangolin scales seized in Nigeria were en route to China", "ivory seized in
        Singapore … with Viet Nam as its final destination": where goods bound elsewhere were
        seized is the first stage of their way, not where they ended."""
        seized = {
            c
            for g in frame.local
            if "seized" in g.links and g.role == "destination" and not g.final
            for c in g.codes
        }
        stopped = [c for c in chain.destinations if c in seized]
        ends = [c for c in chain.destinations if c not in seized]
        if not stopped or not ends or self._inside_ends(stopped, ends):
            return chain
        chain.transit.insert(0, _one_stage(stopped))
        chain.destinations = ends
        return chain

    def _landed_first(self, frame: Frame) -> list[str]:
        """The places a participle of arriving after the commodity names ("cocaine arriving
        at the ports of Guinea", "heroin landed in Mozambique")."""
        verbs = {v.i: v for v in frame.sentence.of("verb")}
        out: list[str] = []
        for g in frame.local:
            verb = verbs.get(g.verb_i)
            arrived = verb is not None and verb.value in ("arrive", "enter", "reach")
            if arrived and g.role in ("destination", "entry") and not g.final:
                out.extend(c for c in g.codes if c not in out)
        return out

    def _other_namesake(self, chain: Chain) -> None:
        """ "enters from Pakistan across the Punjab border": of two places of one name, the one
        the goods go to is not the country they leave."""
        for role, g in chain.why:
            if role != "destination" or len(g.places) != 1:
                continue
            m = g.places[0]
            if m.via != "locality":
                continue
            chosen = m.codes[0] if m.codes else None
            others = [c for c in self.loc_candidates.get(id(m), ()) if c not in chain.origins]
            if chosen in chain.origins and others and chain.destinations == [chosen]:
                m.codes = (others[0],)
                chain.destinations = [others[0]]

    def _flows(self, frame: Frame, chain: Chain) -> list[_Stated]:
        """One flow per market of the frame's commodities, completed and described."""
        out: list[_Stated] = []
        sm = frame.sentence
        s = sm.sentence
        by_market: dict[str, list[Mention]] = {}
        for c in frame.commodities:
            market = self._market(frame, c)
            if market is None or (s.field_only and market not in s.field_only):
                continue
            by_market.setdefault(market, []).append(c)
        if "drug-trade" in by_market and len(by_market) > 1:
            generic = by_market.pop("drug-trade")
            if any(c.term is not None and c.term.kind != "generic" for c in generic):
                by_market["drug-trade"] = generic
        by_market = self._these_drugs(frame, by_market)
        if by_market:
            self._other_namesake(chain)
            self._without_wider_ends(chain)
        paired = self._respectively(frame, chain, list(by_market))
        for market, items in by_market.items():
            label = _label(items, self.text)
            flow = Flow(
                market,
                label,
                self._by_countries(chain.origins),
                [self._stage_by_countries(t) for t in chain.transit],
                paired.get(market) or self._by_countries(chain.destinations, self.examples_only),
            )
            why = [f"{role}: {', '.join(g.codes)} ← {g.why}" for role, g in chain.why if g.codes]
            why.insert(0, f"commodity: {label} ({frame.source})")
            departed = self._complete(flow, frame, chain, why) or chain.starts_there
            if self._returned(frame.i, items[0]):
                # "boats from Jamaica bring cannabis to Haiti and return with handguns": the
                # handguns go the other way
                flow.origin, flow.destination = flow.destination, flow.origin
                flow.transit = list(reversed(flow.transit))
                why.append("reversed: goods carried back on the return")
            flow.transit = _once(_collapse_regions(flow.transit, self.gaz.members))
            flow.transit = self._without_wider_last_stage(flow.transit, flow.destination)
            if not any(g.role == "back" for _, g in chain.why):
                _without_return(flow)
            # "across the Benin-Nigeria border" into Benin: the way in is the other side
            flow.transit = [_beyond(t, flow.destination) for t in flow.transit]
            if not flow.destination and all(
                set(stage_codes(t)) <= set(flow.origin) for t in flow.transit
            ):
                flow.transit = []  # "originates in or passes through Kazakhstan": one place
            if not (flow.origin or flow.transit or flow.destination):
                continue
            if chain.why and all("seiz" in g.why.lower() for _, g in chain.why):
                continue  # "seizures of stimulants in Central Asia have risen": no route
            if items[0].term is not None and items[0].term.kind == "money" and not flow.legs():
                continue  # money named in a place moves nowhere
            if s.title and not flow.legs():
                continue  # "EU Drug Markets: Cocaine" names a topic, not a movement
            self._details(flow, frame)
            out.append(_Stated(Reading(flow, why), chain, frame, departed))
        return out

    def _without_wider_last_stage(self, transit: list[Stage], ends: list[str]) -> list[Stage]:
        """ "… through Romania and Hungary, … free to move within the Schengen area" to Western
        Europe: a last stage that is a region holding every end says nothing of the way."""
        if not transit or not ends or not isinstance(transit[-1], str):
            return transit
        last = transit[-1]
        if not self.gaz.is_region(last):
            return transit
        inside = set(self.gaz.members(last))
        if all(e != last and set(self.gaz.members(e)) <= inside for e in ends):
            return transit[:-1]
        return transit

    def _the_other_way(
        self, frame: Frame, before: list[Chain], chains: list[Chain]
    ) -> list[Chain] | None:
        """ "Venezuelan fuel is smuggled into Colombia, while Colombian cocaine moves in the
        opposite direction": the route of the clause before, run backwards (None when the
        clause says no such thing or names a way of its own)."""
        if "reverse" not in self._signals(frame) or not before:
            return None
        route = before[0]
        if not (route.origins and route.destinations):
            return None
        for chain in chains:
            if chain.transit or chain.destinations:
                return None
            if not set(chain.origins) <= set(route.destinations):
                return None  # "Colombian cocaine" going back from Colombia, not from elsewhere
        swap = {"origin": "destination", "destination": "origin"}
        back = Chain(list(route.destinations), list(reversed(route.transit)), list(route.origins))
        back.why = [(swap.get(role, role), g) for role, g in route.why]
        return [back]

    def _these_drugs(
        self, frame: Frame, by_market: dict[str, list[Mention]]
    ) -> dict[str, list[Mention]]:
        """ "Laboratories in Laos make methamphetamine and heroin. These drugs are smuggled into
        Viet Nam": each drug the sentence before named moves."""
        if len(by_market) != 1 or len(frame.commodities) != 1:
            return by_market
        c = frame.commodities[0]
        definite = any(
            a.i <= c.i < a.j and a.text.lower().split()[0] in _DEFINITE
            for a in frame.sentence.of("anaphor")
        )
        markets = self.memory.drug_markets.get(frame.sentence.sentence.paragraph, [])
        if c.term is None or c.term.kind != "generic" or not definite or len(markets) < 2:
            return by_market
        if not c.text.lower().endswith("s"):
            return by_market  # "the drug": one of them
        return {m: [c] for m in markets}

    def _returned(self, start: int, c: Mention) -> bool:
        """True for goods a clause's movers take back with them ("return with handguns")."""
        words = self.tokens.words(max(start, c.i - 4), c.i)
        return "with" in words and any(w.startswith("return") for w in words)

    def _more_ends(self, frame: Frame, chain: Chain) -> bool:
        """True when the destinations after the ones the goods are bound for only go on with
        that list ("bound for Russian markets, to a lesser extent Europe, and occasionally to
        the US")."""
        bound = [g for g in frame.local if g.final]
        ends = [g for role, g in chain.why if role == "destination"]
        if not bound or not ends:
            return False
        last = max(g.j for g in bound)
        carried = self.lex.list_on
        return all(g.i >= last and set(self.tokens.words(last, g.i)) <= carried for g in ends)

    def _inside_ends(self, codes: list[str], ends: list[str]) -> bool:
        """True when ``ends`` is one region and every place of ``codes`` lies in it."""
        if len(ends) != 1 or not self.gaz.is_region(ends[0]):
            return False
        return set(codes) <= set(self.gaz.members(ends[0]))

    def _respectively(self, frame: Frame, chain: Chain, markets: list[str]) -> dict[str, list[str]]:
        """ "Cocaine and heroin are smuggled to Spain and Turkey respectively": each market's
        end, in the order named; empty unless the text says "respectively"."""
        ends = chain.destinations
        if len(markets) < 2 or len(ends) != len(markets):
            return {}
        if "respectively" not in self.tokens.words(frame.i, frame.j):
            return {}
        return {m: [d] for m, d in zip(markets, ends, strict=True)}

    def _without_wider_ends(self, chain: Chain) -> None:
        """ "Shipments from Ecuador to Europe … bound for Antwerp": a region named as the end
        that holds the final destination names the same end more broadly, not a stage; and the
        other way round, countries reached inside the region the goods are bound for end them."""
        for r in [c for c in chain.destinations if self.gaz.is_region(c)]:
            # "new substances on the European market … shipped to the Netherlands and Poland":
            # the countries, named apart, say where in the market's region they end (not
            # "to Russia, and sometimes into Europe")
            market = [g for _, g in chain.why if r in g.codes and g.why.endswith("market")]
            others = [c for c in chain.destinations if c != r]
            listed = {c for g in market for c in g.codes}
            if (
                market
                and others
                and all(c in self.gaz.members(r) and c not in listed for c in others)
            ):
                chain.destinations = others
        if not any(role == "destination" and g.final for role, g in chain.why):
            return  # "reaches Europe and is then moved on to the UK": a stage after all
        regions = [c for c in chain.destinations if self.gaz.is_region(c)]
        if len(regions) == len(chain.destinations) == 1:
            # "heroin destined for the European market is shipped … to ports in Italy and
            # Greece": the countries reached are where in that region it ends
            inside = set(self.gaz.members(regions[0]))
            named = [
                c
                for role, g in chain.why
                if role == "transit" and g.role in ("destination", "entry")
                for c in g.codes
            ]
            if named and set(named) <= inside:
                chain.transit = [s for s in chain.transit if not set(stage_codes(s)) <= inside]
                chain.destinations = list(dict.fromkeys(named))
                return
        ends = set(chain.destinations)
        wider = {
            c
            for role, g in chain.why
            if role == "transit" and g.role in ("destination", "entry", "onward", "back")
            for c in g.codes
            if self.gaz.is_region(c) and ends <= set(self.gaz.members(c))
        }
        if wider:
            chain.transit = [s for s in chain.transit if not set(stage_codes(s)) <= wider]

    def _by_countries(self, codes: list[str], exemplified: set[str] | None = None) -> list[str]:
        """A region named with some of its own countries is coded by those countries ("Central
        American migrants, chiefly Hondurans and Guatemalans"); among destinations only where
        they are examples ("Gulf markets such as Kuwait"), not a stress ("to Europe, in
        particular the United Kingdom")."""
        if len(codes) < 2:
            return list(codes) if codes else codes  # one place names no other
        present = set(codes)
        chosen = self.exemplified if exemplified is None else exemplified
        kept = [
            c for c in codes if not (c in chosen and set(self.gaz.members(c)) & (present - {c}))
        ]
        return kept or codes

    def _stage_by_countries(self, stage: Stage) -> Stage:
        if isinstance(stage, str):
            return stage
        kept = self._by_countries(stage)
        return _one_stage(kept)

    def _market(self, frame: Frame, c: Mention) -> str | None:
        """The market of one commodity word in its frame (people and generic words by
        context)."""
        sm, s = frame.sentence, frame.sentence.sentence
        term = c.term
        if term is None:
            return c.market
        if term.kind == "person":
            return self._people_market(frame, c)
        if term.kind == "activity":
            return s.field_market
        if term.kind == "generic":
            if any(a.i <= c.i < a.j for a in sm.of("anaphor")) or frame.source != "named":
                return self._drug_before(s, c.market)
            named = [
                x.market for x in frame.commodities if x.term is not None and x.term.kind == "drug"
            ]
            named = named or [
                x.market
                for x in sm.of("commodity")
                if x.term is not None and x.term.kind == "drug" and frame.i <= x.i < frame.j
            ]
            return named[0] if named else c.market
        if term.kind == "species":
            flora = any(x.market == "flora-crimes" for x in frame.commodities)
            return "flora-crimes" if flora else c.market
        if term.kind == "precursor" and c.market is None:
            factbook = s.implicit_subject
            drugs = [
                x.market
                for x in sm.of("commodity") + sm.of("drugword")
                if x.term
                and x.term.kind == "drug"
                and x.market != "cannabis-trade"  # no chemicals make cannabis
                and (not factbook or frame.i <= x.i < frame.j)
            ]
            if drugs:  # "cannabis and heroin … and precursor chemicals": for which, unsaid
                return drugs[0] if len(set(drugs)) == 1 else "drug-trade"
            before = "drug-trade" if factbook else self._drug_before(s, "drug-trade")
            return "drug-trade" if before == "cannabis-trade" else before
        return c.market

    def _drug_before(self, s: Sentence, default: str | None) -> str | None:
        """The drug "the drugs" means: the last one named in the paragraph, else in the report
        (a Factbook field's "drugs" stays generic)."""
        mem = self.memory
        if s.paragraph in mem.drug:
            return mem.drug[s.paragraph]
        if not s.implicit_subject and mem.last_drug is not None:
            return mem.last_drug
        return default

    def _people_market(self, frame: Frame, c: Mention) -> str | None:
        """Exploitation words make people's movement human trafficking, smuggling words human
        smuggling; otherwise the report field's market, the word's own, or the paragraph's."""
        sm, s = frame.sentence, frame.sentence.sentence
        found = [m for m in sm.of("context") if not self._only_a_risk(m)]
        in_clause = {m.value for m in found if frame.i <= m.i < frame.j}
        in_sentence = {m.value for m in found}
        if any(m.value == "tourism" and frame.i <= m.i < frame.j for m in sm.of("signal")):
            return None  # sex tourists travel; a Factbook field's other clauses still count
        smuggled = [m for m in found if m.value == "human-smuggling" and frame.i <= m.i < frame.j]
        migration_only = all(m.text.lower().startswith("migra") for m in smuggled)
        if "human-trafficking" in in_clause and (
            c.market is None or "human-smuggling" not in in_clause or migration_only
        ):
            # "labour migrants, some of whom fall victim to forced labour": the migrants are
            # named, the exploitation makes it trafficking
            return "human-trafficking"
        if s.field_market is not None:
            return s.field_market
        if c.market is not None:
            return c.market
        if smuggled and migration_only and "human-trafficking" in in_sentence:
            # "migrate voluntarily to Qatar …, but some face forced labour": moving to work is
            # no smuggling; the exploitation makes it trafficking
            return "human-trafficking"
        if "human-smuggling" in in_clause or in_sentence == {"human-smuggling"}:
            return "human-smuggling"
        if "human-trafficking" in in_sentence:
            return "human-trafficking"
        mem = self.memory
        if s.paragraph in mem.people_market or s.implicit_subject:
            return mem.people_market.get(s.paragraph)
        # a report's paragraphs go on about the same people; else the last words that said
        # which trade the report speaks of ("inside the smuggling economy" in its title)
        return mem.last_people_market or mem.last_context

    def _only_a_risk(self, m: Mention) -> bool:
        """ "vulnerable to exploitation", "at grave risk of being trafficked": a danger, not what
        happens to the people."""
        before = self.text[max(0, m.start - 40) : m.start].lower()
        # "at risk of debt bondage": the words of one danger after it as well
        return bool(
            re.search(r"(?:vulnerable to|risk of|risks of|exposed to)\s+(?:\w+\s+)?$", before)
        )

    def _complete(self, flow: Flow, frame: Frame, chain: Chain, why: list[str]) -> bool:
        """Fill in the document's subject where the text leaves it implicit, and turn a starting
        place that the goods reached before into a transit stage (then True)."""
        s = self.subject
        sm = frame.sentence
        signals = self._signals(frame)
        if self._arrives_unplaced(frame):
            signals.add("import")
        departed: list[str] = []
        factbook = sm.sentence.implicit_subject
        if (
            flow.origin
            and not chain.starts_there
            and not factbook
            and not set(flow.origin) & set(chain.local)
        ):
            reached = self._reached_before(flow.market)
            started = self.memory.started_by_market.get(flow.market, set())
            # "horn poached in KwaZulu-Natal … flown from Maputo through Johannesburg …
            # route horn from South Africa": where the goods began, they still begin
            departed = [o for o in flow.origin if o in reached and o not in started]
            if departed and len(departed) == len(flow.origin):
                flow.transit = [_one_stage(departed), *flow.transit]
                flow.origin = []
                why.append("transit: goods that arrived there before leave from it")
            else:
                departed = []
        if sm.sentence.implicit_subject:
            complete_with_subject(flow, s, "report", signals)
            return bool(departed)
        if (
            s is not None
            and "export" in signals
            and flow.destination
            and not flow.origin
            and flow.transit == [s]
        ):
            # "timber exported to China through the ports of Pemba and Nacala": its own ports
            flow.origin, flow.transit = [s], []
            why.append("origin: the subject (sent out through its own ports)")
            return bool(departed)
        if s is None or s in flow.place_codes():
            return bool(departed)
        if any(h.places and not h.role_only for h in frame.holders):
            # "Benin and Togo have emerged as entry points for cocaine arriving from …": the
            # clause's own subject is where the goods arrive, not the document's
            return bool(departed)
        empty = not (flow.origin or flow.transit or flow.destination)
        if (
            "import" in signals
            and flow.origin
            and flow.destination
            and self._lands_in_subject(frame)
        ):
            flow.transit = [s, *flow.transit]
            why.append("transit: the subject (the goods land there on the way)")
            return bool(departed)
        if flow.destination and not flow.origin and not flow.transit and self._outward(frame, flow):
            if self._goes_on_from(s, flow.market, sm):
                return bool(departed)  # "… to Ghana. Some of these women are later moved to …"
            flow.origin = [s]
            why.append("origin: the subject (moved out across its border)")
            return bool(departed)
        foreign = flow.origin and all(o != s for o in flow.origin)
        people = flow.market in PEOPLE_MARKETS and foreign
        if people and not flow.transit and not flow.destination and "abroad" not in signals:
            flow.destination = [s]
            why.append("destination: the subject (people from abroad exploited in it)")
            return bool(departed)
        if "import" in signals and flow.origin and not flow.destination:
            flow.destination = [s]
            why.append("destination: the subject (brought in)")
        elif flow.origin and not (flow.transit or flow.destination) and self._inward(frame, flow):
            flow.destination = [s]
            why.append("destination: the subject (moved in from a neighbour)")
        elif "export" in signals and flow.destination and not flow.origin:
            flow.origin = [s]  # "traders who export it through Mali to the UAE"
            why.append("origin: the subject (sent out)")
        elif flow.destination and not flow.origin and not flow.transit:
            if frame.source == "anaphor":
                inherited = self.memory.origins.get((sm.sentence.paragraph, flow.market), [])
                if inherited == [s]:
                    flow.origin = [s]
                    why.append("origin: the subject (the goods named before come from it)")
        elif empty and "internal" in signals and self._made_here(frame):
            flow.origin = [s]  # "cannabis is cultivated domestically": made there
            why.append("origin: the subject (produced there)")
        elif empty and "internal" in signals:
            flow.origin, flow.destination = [s], [s]
            why.append("origin and destination: the subject (internal)")
        elif empty and self._produced_unplaced(frame, flow.market):
            flow.origin = [s]
            why.append("origin: the subject (produced there)")
        return bool(departed)

    def _produced_unplaced(self, frame: Frame, market: str) -> bool:
        """ "Cannabis grows wild in the southern foothills": production where no country is
        named takes place in the document's country."""
        sm = frame.sentence
        if not any(v.value == "produce" for v in sm.of("verb") if frame.i <= v.i < frame.j):
            return False
        if market not in EXTRACTION_MARKETS | {"cannabis-trade", "heroin-trade", "cocaine-trade"}:
            return False
        return not any(self.gaz.is_country(p.code) for p in sm.of("place"))

    def _outward(self, frame: Frame, flow: Flow) -> bool:
        """ "Pills are ferried over the border river into Laos" in a report on Thailand:
        goods moved into a neighbour of the document's country, with no start named, leave it."""
        s = self.subject
        if s is None or not self.gaz.is_country(s):
            return False
        moved = any(
            v.value in ("move", "export", "cross")
            for v in frame.sentence.of("verb")
            if frame.i <= v.i < frame.j
        )
        return moved and any(
            self.gaz.is_country(d) or (self.gaz.is_region(d) and s not in self.gaz.members(d))
            for d in flow.destination
        )

    def _inward(self, frame: Frame, flow: Flow) -> bool:
        """ "Drugs are smuggled overland from Haiti across the porous border" in a report on the
        Dominican Republic: goods moved out of its neighbours, with no end named, come into it."""
        s = self.subject
        if s is None or not self.gaz.is_country(s) or "export" in self._signals(frame):
            return False
        moved = any(
            v.value in ("move", "cross", "enter")
            for v in frame.sentence.of("verb")
            if frame.i <= v.i < frame.j
        )
        near = set(self.gaz.neighbours(s))
        return moved and all(o in near for o in flow.origin)

    def _made_here(self, frame: Frame) -> bool:
        """True when the clause's verb makes the goods ("cultivated", "produced") and none
        moves them."""
        classes = {v.value for v in frame.sentence.of("verb") if frame.i <= v.i < frame.j}
        return "produce" in classes and not classes & {"move", "export", "import", "supply"}

    def _lands_in_subject(self, frame: Frame) -> bool:
        """ "Heroin from Afghanistan bound for Russia is smuggled in by road": goods brought in
        on their way elsewhere land in the document's country; goods "imported" from one
        country into another named one land there ("ecstasy sold in Australia is imported from
        the Netherlands")."""
        imports = [
            m
            for m in frame.sentence.of("signal")
            if frame.i <= m.i < frame.j and m.value == "import"
        ]
        return not all(m.text.lower().startswith("import") for m in imports)

    def _signals(self, frame: Frame) -> set[str]:
        return {m.value for m in frame.sentence.of("signal") if frame.i <= m.i < frame.j}

    def _arrives_unplaced(self, frame: Frame) -> bool:
        """ "Some cocaine arrives from Colombia", "a little also comes over from Laos": a verb
        of arriving with no place after it brings the goods into the document's country."""
        sm = frame.sentence
        for v in sm.of("verb"):
            if not (frame.i <= v.i < frame.j) or v.value not in ("arrive", "enter", "cross"):
                continue
            governed = [
                g
                for g in frame.groups
                if g.cue_i == v.i or (g.verb_i == v.i and g.role != "origin")
            ]
            if not governed:
                return True
        return False

    def _reached_before(self, market: str) -> set[str]:
        """Places the document has said goods of a market passed through, or the sentences
        before in the paragraph have said they arrived in."""
        out = set(self.memory.reached_by_market.get(market, set()))
        for st in self.memory.flows:
            if st.reading.flow.market == market:
                out.update(st.reading.flow.destination)
        return out

    def _details(self, flow: Flow, frame: Frame) -> None:
        """Evidence, span, hedge, modes, route, actors, sub-national places and checkpoints."""
        sm = frame.sentence
        s = sm.sentence
        flow.evidence, flow.span = s.text, (s.start, s.end)
        if s.implicit_subject:
            # a Factbook field states one thing per clause: the clause is the evidence
            first = frame.i
            while first < frame.j - 1 and self.tokens[first].text in (";", ",", ":"):
                first += 1
            a = self.tokens[first].start
            b = self.tokens[min(frame.j, len(self.tokens)) - 1].end
            b = max(b, a)
            while b < s.end and self.text[b] in ".":
                b += 1
            flow.evidence, flow.span = self.text[a:b], (a, b)
        flow.hedge = frame.hedge
        order = ("land", "road", "rail", "river", "sea", "air", "post")
        found = {m.value for m in sm.of("mode") if frame.i <= m.i < frame.j}
        flow.mode = [m for m in order if m in found]
        flow.route = next((m.value for m in sm.of("route")), None)
        named_actors = sm.between("actor", frame.i, frame.j)  # most frames name none
        flow.actors = self._actors(sm.view(frame.i, frame.j), frame) if named_actors else []
        names = [p.name for p in sm.between("place", frame.i, frame.j) if p.name]
        start, end = (flow.span[0], flow.span[1]) if s.implicit_subject else (s.start, s.end)
        named, crossings = self._named_in(start, end)
        flow.places = list(dict.fromkeys(_clean_name(n) for n in [*names, *named] if n))
        flow.checkpoints = list(crossings)

    def _named_in(self, start: int, end: int) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """Sub-national place names ("Chu Valley") and border crossings of a stretch of text,
        found once per stretch."""
        key = (start, end)
        if key not in self._names_cache:
            suffixes = self.lex.place_suffixes
            places = (
                tuple(m.group(1) for m in suffixes.finditer(self.text, start, end))
                if may_match(suffixes, self.text, start, end)
                else ()
            )
            self._names_cache = {key: (places, tuple(self._checkpoints(start, end)))}
        return self._names_cache[key]

    def _actors(self, sm: SentenceMentions, frame: Frame) -> list[str]:
        """Criminal actors: an actor head noun with up to three modifiers before it (demonyms or
        modifier words): "Chinese Triads", "state officials", "Albanian brokers"."""
        out: list[str] = []
        demonyms = {k for p in sm.of("place") if p.via == "demonym" for k in range(p.i, p.j)}
        for m in sm.of("actor"):
            k = m.i - 1
            begin = m.i
            while k >= sm.i and m.i - k <= 3:
                t = self.tokens[k]
                if k in demonyms or t.low in self.lex.actor_modifiers or t.text in ("-",):
                    begin = k
                    k -= 1
                    continue
                if t.low in ("and", ",") and k - 1 in demonyms:
                    begin = k - 1
                    k -= 2
                    continue
                break
            if begin == m.i:
                continue
            name = " ".join(self.text[self.tokens[begin].start : m.end].split())
            if name not in out:
                out.append(name)
        return out

    def _checkpoints(self, start: int, end: int) -> list[str]:
        """Border crossings: capitalised names before "checkpoint(s)", "border post",
        "crossing", "bridge", "pass", or after "the crossing(s) at/of"."""
        out: list[str] = []
        if not may_match(self.lex.checkpoint_heads, self.text, start, end):
            return out
        for m in self.lex.checkpoint_heads.finditer(self.text, start, end):
            window = self.text[max(start, m.start() - 120) : m.start()]
            names = re.findall(r"[A-Z][\w'’]*(?:\s*[–—-]\s*[A-Z][\w'’]*)+", window)
            if not names:
                single = re.search(r"((?:[A-Z][\w'’-]*\s+){1,3})$", window)
                names = [single.group(1).strip()] if single else []
            after = re.match(
                r"\s+(?:at|of|near)\s+((?:[A-Z][\w'’-]*\s*){1,3})",
                self.text[m.end() : m.end() + 60],
            )
            if after:
                names.append(after.group(1).strip())
            for name in names:
                name = re.sub(r"^(?:The|A|An)\s+", "", name)
                if name and name not in out and not self.gaz.lookup(name):
                    out.append(name)
        return out

    # ------------------------------------------------------------------ discourse

    def _continue(self, sm: SentenceMentions, stated: list[_Stated]) -> list[_Stated]:
        """A sentence that goes on with a route of the sentence before ("These vessels sail …",
        "Some of these containers …", a sentence after "comes from two main sources") takes the
        roles it lacks from that route; its evidence is both sentences."""
        mem = self.memory
        sources = mem.topic_flows or mem.flows
        if not sources:
            return stated
        going_on = (
            bool(mem.topic_flows)
            or any(
                st.frame.source == "continuation"
                or (st.frame.source == "anaphor" and self._definite_anaphor(sm, st.frame))
                or self._partitive_repeat(sm, st.frame)
                for st in stated
            )
            or self._opens_with_continuation(sm)
        )
        if not going_on:
            return stated
        partitive = any(self._partitive_repeat(sm, st.frame) for st in stated)
        onward = not mem.topic_flows and not self._other_branch(sm) and not partitive
        for st in stated:
            flow = st.reading.flow
            before = [p for p in sources if p.reading.flow.market == flow.market]
            if not before:
                continue
            prev = before[-1].reading.flow
            changed = False
            was = (list(flow.origin), list(flow.transit), list(flow.destination))
            first = stage_codes(flow.transit[0]) if flow.transit else []
            from_the_end = bool(first) and set(first) <= set(prev.destination)
            if st.departed and not (from_the_end and st.chain.starts_there):
                continue  # "One branch splits off the main road in Serbia": its own start
            if not flow.origin and prev.origin and from_the_end:
                # "… enters Paraguay … From there, the drugs are moved to …": from where the
                # route before ended, the goods of its origins
                flow.origin = list(prev.origin)
                flow.transit = [*(t for t in prev.transit if t not in flow.transit), *flow.transit]
                changed = True
            elif (
                not flow.origin
                and (prev.origin or prev.transit)
                and not (first and set(first) <= set(prev.destination))
            ):
                flow.origin = list(prev.origin)
                head = [t for t in prev.transit if t not in flow.transit]
                arrived = [d for d in prev.destination if d not in flow.destination]
                if onward and arrived and not self.gaz.is_region(arrived[0]):
                    head.append(_one_stage(arrived))
                # "West Africa … a transit area … The drug arrives in Guinea-Bissau, Guinea and
                # Senegal": the countries say where in the region
                flow.transit = [*head, *flow.transit]
                if flow.destination:
                    ahead = [*flow.transit, list(flow.destination)]
                    flow.transit = _collapse_regions(ahead, self.gaz.members)[:-1]
                changed = True
            if not flow.destination and prev.destination and mem.topic_flows:
                flow.destination = list(prev.destination)
                changed = True
            if changed and was != (flow.origin, flow.transit, flow.destination):
                p_start = prev.span[0] if prev.span else flow.span[0] if flow.span else 0
                end = flow.span[1] if flow.span else 0
                flow.span = (p_start, end)
                flow.evidence = self.text[p_start:end]
                st.reading.why.append("continues the route of the sentence before")
        return stated

    def _definite_anaphor(self, sm: SentenceMentions, frame: Frame) -> bool:
        """ "the cartons", "these drugs", "it": the very goods of the sentence before (not "some
        maritime loads", which may take another way)."""
        for a in sm.of("anaphor"):
            if frame.i <= a.i < frame.j and a.value == "goods":
                words = a.text.lower().split()
                # "some of it", "most of them": part of those very goods
                definite = _DEFINITE | {"this", "it", "they", "them"}
                return words[0] in definite or words[-1] in ("it", "them", "these", "those")
        return False

    def _partitive_repeat(self, sm: SentenceMentions, frame: Frame) -> bool:
        """ "Some of the cannabis destined for Chile …": part of the goods named before."""
        k = frame.commodities[0].i if frame.commodities else -1
        return k >= 3 and self.tokens.words(k - 3, k) in (
            ["some", "of", "the"],
            ["part", "of", "the"],
        )

    def _other_branch(self, sm: SentenceMentions) -> bool:
        """ "Other loads go to …", "others": another way from the same start, not onward."""
        return any(
            a.value == "continuation" and a.text.lower().startswith("other")
            for a in sm.of("anaphor")
        )

    def _refers_back(self, sm: SentenceMentions) -> bool:
        """True when the sentence opens with a definite word for goods named before ("The drugs
        were …", "These shipments …")."""
        return any(
            a.value == "goods" and a.i - sm.i <= 1 and a.text.lower().split()[0] in _DEFINITE
            for a in sm.of("anaphor")
        )

    def _goes_on_from(self, place: str, market: str, sm: SentenceMentions) -> bool:
        """True when the sentence goes on with a route of the sentence before that reached
        ``place`` (the sentence after is read as its continuation, see :meth:`_continue`)."""
        opens = self._opens_with_continuation(sm) or any(
            a.value == "goods" and a.i - sm.i <= 2 and a.text.lower().endswith(("it", "them"))
            for a in sm.of("anaphor")
        )  # "Most of it arrives in …"
        return opens and any(
            st.reading.flow.market == market
            and place
            in st.reading.flow.destination
            + [c for t in st.reading.flow.transit for c in stage_codes(t)]
            for st in self.memory.flows
        )

    def _opens_with_continuation(self, sm: SentenceMentions) -> bool:
        """True for a sentence that opens with a continuation ("These vessels …") or with
        "From there," (the goods of the sentence before go on from where they were)."""
        return any(
            a.value in ("continuation", "there") and a.i - sm.i <= 2 for a in sm.of("anaphor")
        )

    def _remember(self, sm: SentenceMentions, stated: list[_Stated], groups: list[Group]) -> None:
        mem = self.memory
        context = [m.value for m in sm.of("context") if not self._only_a_risk(m)]
        if context and not sm.sentence.implicit_subject:
            mem.last_context = context[-1]
        p = sm.sentence.paragraph
        moved = [c for st in stated for c in st.frame.commodities]
        by_market: dict[str, Mention] = {}
        for c in moved:
            if c.market is not None and c.term is not None and c.term.kind != "person":
                by_market.setdefault(c.market, c)
        if by_market:
            mem.commodities[p] = list(by_market.values())
        for st in stated:
            f = st.reading.flow
            if any(c.term is not None and c.term.kind == "precursor" for c in st.frame.commodities):
                continue  # chemicals that reach a country are not the drug made from them
            seen = mem.reached_by_market.setdefault(f.market, set())
            for stage in f.transit:
                seen.update(stage_codes(stage))
            if f.origin or f.transit:  # goods that came from elsewhere and arrived there
                seen.update(d for d in f.destination if self.gaz.is_country(d))
            mem.started_by_market.setdefault(f.market, set()).update(f.origin)
        drugs = [
            c.market
            for c in sm.of("commodity")
            if c.term is not None and c.term.kind == "drug" and c.market is not None
        ]
        if drugs:
            mem.drug_markets[p] = list(dict.fromkeys(drugs))
        for c in reversed(moved or sm.of("commodity")):
            if c.term is not None and c.term.kind in ("drug", "other", "money", "precursor"):
                mem.commodity[p] = c
                mem.last_commodity = c
            if c.term is not None and c.term.kind == "drug" and c.market:
                mem.drug[p] = mem.last_drug = c.market
        for st in stated:
            flow = st.reading.flow
            if flow.market in PEOPLE_MARKETS:
                mem.people_market[p] = mem.last_people_market = flow.market
            if flow.origin:
                mem.origins[(p, flow.market)] = list(flow.origin)
            if st.frame.source == "named" and st.frame.commodities:
                c = st.frame.commodities[0]
                if c.term is not None and c.term.kind == "person":
                    copy = Mention(c.kind, c.i, c.j, c.start, c.end, c.text, c.value)
                    copy.term, copy.market = c.term, flow.market
                    mem.commodity[p] = copy
        arrived = [
            g for g in groups if g.role in ("destination", "entry", "transit", "holder") and g.codes
        ]
        if stated or arrived:
            mem.reached = arrived or mem.reached
        named = [g for g in groups if g.codes]
        if named:
            mem.last_groups = named
            mem.history += named  # in place: only read by iterating
            del mem.history[:-40]
        if stated:
            mem.flows = stated
        if stated and may_match(_TOPIC, sm.sentence.text) and _TOPIC.search(sm.sentence.text):
            mem.topic_flows = stated  # "comes from two main sources": the next sentences detail it


def _crossed_before(chain: Chain) -> int:
    """How many of the chain's first transit stages were passed before the place left "from"
    ("Sudanese migrants reach Tunisia from Libya after crossing Chad": Chad, then Libya)."""
    earlier = {
        c for role, g in chain.why if role == "transit" and "earlier" in g.links for c in g.codes
    }
    n = 0
    while n < len(chain.transit) and set(stage_codes(chain.transit[n])) <= earlier:
        n += 1
    return n


def _without_return(flow: Flow) -> None:
    """ "a transit country for cocaine moving from Latin America to Europe, with shipments
    arriving at the port of Dakar": an end that is a stage passed before says how the goods
    got there, not that they came back; the stage after it is the end again (an end that is
    also the last stage, "a transit and consumer market", stays)."""
    if len(flow.transit) < 2 or not flow.destination:
        return
    passed = {c for t in flow.transit[:-1] for c in stage_codes(t)}
    last = stage_codes(flow.transit[-1])
    if set(flow.destination) <= passed and not set(flow.destination) & set(last):
        flow.destination, flow.transit = last, flow.transit[:-1]


def _made_at(g: Group, verbs: list[Mention]) -> bool:
    """True when a verb of making ends right at the group's cue ("produced in Mexico")."""
    return any(v.value == "produce" and v.j == g.cue_i for v in verbs)


def _one_stage(codes: list[str]) -> Stage:
    """Places reached together as one transit stage: a code, or the alternatives."""
    return codes[0] if len(codes) == 1 else list(codes)


def _without_cut_chains(stated: list[_Stated]) -> list[_Stated]:
    """ "Cocaine moves from Brazil to West Africa, where it is repackaged and sent on to Europe":
    the flow that stops in West Africa is the first part of the one that goes on; one sentence
    states one route, so the part is dropped, as is a route a later clause completes with
    stages on the way to its end. Not where only some go on ("where part of it is
    consumed and the rest is sent on to China"): there the stop is an end too."""
    if len(stated) < 2 and all(st.chain.completes is not st.chain for st in stated):
        return list(stated)  # one flow cuts no other (most sentences)

    def stages(f: Flow) -> list[object]:
        return [tuple(f.origin), *map(repr, f.transit)]

    def cut(f: Flow, longer: Flow) -> bool:
        if f is longer or f.market != longer.market or not f.origin or not longer.destination:
            return False
        if stages(f) != stages(longer)[: len(stages(f))]:
            return False
        last = longer.transit[len(f.transit)] if len(f.transit) < len(longer.transit) else None
        reached = [last] if isinstance(last, str) else list(last or [])
        return bool(f.destination) and set(f.destination) <= set(reached)

    flows = [st.reading.flow for st in stated if not _partly_on(st.chain)]
    completed = {id(st.chain.completes) for st in stated if st.chain.completes is not None}
    return [
        st
        for st in stated
        if id(st.chain) not in completed and not any(cut(st.reading.flow, o) for o in flows)
    ]


def _partly_on(chain: Chain) -> bool:
    """True when only part of the goods go on past a stage of the chain ("the rest is sent on")."""
    return any("part" in g.links for _, g in chain.why)


def _without_subject_doubles(stated: list[_Stated]) -> list[_Stated]:
    """ "Women from Nepal were identified as victims of forced labour in Malaysia": the victims
    are the women, so the flow to Malaysia already has its origin; a second reading of the same
    way with no origin, or with the document's subject filled in, is dropped."""
    if len(stated) < 2:
        return list(stated)  # one reading doubles no other

    def guessed(st: _Stated) -> bool:
        flow = st.reading.flow
        return not flow.origin or any(w.startswith("origin: the subject") for w in st.reading.why)

    def way(st: _Stated) -> tuple[str, str, tuple[str, ...]]:
        flow = st.reading.flow
        return flow.market, repr(flow.transit), tuple(flow.destination)

    named = {way(st) for st in stated if not guessed(st)}
    return [st for st in stated if not (guessed(st) and way(st) in named)]


def _share_subject_origin(stated: list[_Stated], subject: str | None) -> None:
    """ "Stones are flown to China, often via Thailand" in a report on Myanmar: the variant
    through the stage leaves from where the direct flow was found to leave."""
    for st in stated:
        f = st.reading.flow
        if subject is None or f.origin or not f.transit or subject in f.place_codes():
            continue
        for other in stated:
            o = other.reading.flow
            if (
                o.origin == [subject]
                and o.market == f.market
                and o.destination == f.destination
                and len(o.transit) < len(f.transit)
                and any("the subject" in w for w in other.reading.why)
            ):
                f.origin = [subject]
                st.reading.why.append("origin: the subject (as for the flow without the stage)")
                break


def _with_holder(
    chain: Chain, holder: Holder, role: str, members: Callable[[str], tuple[str, ...]]
) -> Chain:
    """The chain with a role phrase's holder in the given role (the holder of a transit role is
    the first transit stage: "Turkmenistan is a waypoint for opiates from Afghanistan to
    Turkey" is AFG → TKM → TUR)."""
    out = Chain(list(chain.origins), list(chain.transit), list(chain.destinations), list(chain.why))
    out.local, out.starts_there = list(chain.local), chain.starts_there
    codes = list(holder.codes)
    g = Group([], holder.i, holder.j, role=role, why=holder.why)
    named = [c for s in chain.transit for c in stage_codes(s)]
    if role == "transit" and all(c in named for c in codes):
        out.why.append((role, _holder_group(holder, role)))
        return out  # "a corridor for migrants who travel … across Mozambique": already placed
    if role == "transit" and codes and set(codes) == set(chain.destinations) == set(chain.origins):
        return out  # "a source, transit and destination country: children begging in Dakar"
    if role == "origin":
        out.origins = codes + [c for c in out.origins if c not in codes]
    elif role == "transit":
        stage = _one_stage(codes)
        holds = set(codes)
        out.transit = [stage] + [
            s
            for s in out.transit
            if s != stage and not (isinstance(s, str) and holds & set(members(s)))
        ]  # "a transit country, with people flying into Central Asian countries": the holder
        out.origins = [c for c in out.origins if c not in codes]
    elif "transit" in holder.roles:
        # "a transit and destination country for people moved from A to B": as a destination, the
        # holder ends the flow; as a transit country it passes them on (the other flow)
        out.destinations = codes
    else:
        out.destinations = codes + [c for c in out.destinations if c not in codes]
    g.places = []
    out.why.append((role, _holder_group(holder, role)))
    return out


def _beyond(stage: Stage, origins: list[str]) -> Stage:
    """A stage of alternatives without the flow's only origin ("across the Tajik-Afghan
    border" from Afghanistan: the way out of the start is the other side), or its only
    destination."""
    if isinstance(stage, str):
        return stage
    rest = [c for c in stage if [c] != origins]
    if not rest or len(rest) == len(stage):
        return stage
    return _one_stage(rest)


def _holder_group(holder: Holder, role: str) -> Group:
    m = Mention("place", holder.i, holder.j, 0, 0, holder.why, codes=tuple(holder.codes))
    return Group([m], holder.i, holder.j, role=role, why=f"holder of a role phrase ({holder.why})")


#: Words that introduce examples of a region's countries.
_EXAMPLE_WORDS = frozenset(
    [
        "mainly",
        "mostly",
        "notably",
        "including",
        "especially",
        "particularly",
        "primarily",
        "chiefly",
        "predominantly",
        "such",
        "e.g",
        "principally",
        "largely",
    ]
)
#: Words that give a region's countries as instances rather than as the stress of a list.
_INSTANCE_WORDS = frozenset({"such", "including", "like", "e.g", "namely"})
#: Words that single out examples of goods ("wildlife, particularly ivory").
_DEGREE_EXAMPLES = frozenset({"notably", "especially", "particularly"})
#: Words that may join two commodity groups into one list.
_COORDINATION = frozenset(
    [
        "and",
        "or",
        "as",
        "well",
        "for",
        "of",
        "to",
        "a",
        "lesser",
        "far",
        "much",
        "degree",
        "extent",
        "amounts",
        "quantities",
        "volumes",
        "small",
        "large",
        "moderate",
        "significant",
        "some",
    ]
)


def _haversine(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def _once(stages: list[Stage]) -> list[Stage]:
    """Transit stages with a stage that repeats an earlier one left out ("seizures in Singapore
    … these countries serve as transit hubs": one stage, named twice)."""
    out: list[Stage] = []
    seen: set[str] = set()
    for stage in stages:
        codes = {stage} if isinstance(stage, str) else set(stage)
        if codes <= seen:
            continue
        seen |= codes
        out.append(stage)
    return out


def _collapse_regions(
    stages: list[Stage], members: Callable[[str], tuple[str, ...]]
) -> list[Stage]:
    """A transit region followed by a stage that names one of its countries is that country
    ("enter Central Asia in Tajikistan or Kyrgyzstan"; but "through Türkiye and the Balkans"
    passes through both)."""
    lists = [stage_codes(s) for s in stages]
    out: list[Stage] = []
    for n, stage in enumerate(lists):
        near = lists[n + 1] if n + 1 < len(lists) else []
        kept = [c for c in stage if not set(members(c)) & (set(near) - {c})]
        if kept:
            out.append(_one_stage(kept))
    deduped: list[Stage] = []
    for s in out:
        if not deduped or deduped[-1] != s:
            deduped.append(s)
    return deduped


def _markets(frame: Frame) -> set[str]:
    return {c.market for c in frame.commodities if c.market is not None}


def _inherit_origins(chains_now: list[Chain], before: list[Chain], verbs: list[Mention]) -> None:
    """A clause that goes on with the commodity of the clause before ("…, though part of it is
    sold on to Canada") starts where that clause's goods came from; a part that leaves "from"
    elsewhere was made there all the same."""
    _part_made_before(chains_now, before, verbs)
    ends = [ch for ch in before if ch.destinations]
    if ends and all(ch.destinations == ends[0].destinations for ch in ends):
        # "trafficked to India …, and some are later moved on to the Middle East": an onward
        # leg goes on from where the clause before ended
        reached = ends[0].destinations
        aimed = any(role == "destination" and g.final for role, g in ends[0].why)
        for ch in chains_now:
            if not ch.origins and not ch.starts_there and _goes_on(ch):
                ch.origins = list(ends[0].origins)
                if aimed:
                    # "heroin bound for Western Europe is moved into Türkiye, where it is
                    # repackaged before crossing into Bulgaria": a stage on the way there
                    ch.transit = [*ends[0].transit, *ch.transit, _one_stage(ch.destinations)]
                    ch.destinations, ch.completes = list(reached), ends[0]
                else:
                    ch.transit = [*ends[0].transit, _one_stage(reached), *ch.transit]
    origins = [c for ch in before for c in ch.origins]
    if not origins:
        # "Kenya is an entry point for heroin; part of it is then trucked to South Africa":
        # a clause that goes on from where the goods of the clause before stopped on their way
        stops = [ch.transit for ch in before if ch.transit and not ch.destinations]
        if len(stops) == 1:
            for ch in chains_now:
                if not ch.origins and not ch.starts_there and ch.destinations:
                    ch.transit = [*stops[0], *(t for t in ch.transit if t not in stops[0])]
        return
    for ch in chains_now:
        if not ch.origins and not ch.starts_there:
            ch.origins = list(dict.fromkeys(origins))


def _part_made_before(chains_now: list[Chain], before: list[Chain], verbs: list[Mention]) -> None:
    """ "methamphetamine made in Myanmar goes through Laos, while others leave by sea from
    Thailand": the others were made in Myanmar too, and leave from Thailand on their way."""
    made = [g for ch in before for role, g in ch.why if role == "origin" and _made_at(g, verbs)]
    if not made:
        return
    origins = list(dict.fromkeys(c for g in made for c in g.codes))
    for ch in chains_now:
        starts = [g for role, g in ch.why if role == "origin"]
        if (
            starts
            and any("part" in g.links for _, g in ch.why)
            and all(g.why == "from" for g in starts)
            and not set(ch.origins) & set(origins)
        ):
            ch.transit = [_one_stage(ch.origins), *ch.transit]
            ch.origins = origins


#: Commodity words that name no goods of their own ("trafficked", "the drugs", "forced labour").
_VAGUE = frozenset({"activity", "generic", "exploitation"})


def _inherit_ends(chains_now: list[Chain], before: list[Chain], verbs: list[Mention]) -> None:
    """A clause that says only where its part of the goods comes from ("very little heroin
    reaches North America from Afghanistan; most comes from Mexico") ends where the clause
    before ended: with "come" or "arrive from", not where goods are made ("coca is also grown
    in Bolivia") nor with a verb whose own object is the end ("enters both from Russia")."""
    ends = [ch.destinations for ch in before if ch.destinations]
    if not ends or any(e != ends[0] for e in ends):
        return
    kinds = {v.i: v.value for v in verbs}
    for ch in chains_now:
        if ch.destinations or ch.starts_there:
            continue
        if ch.origins and not ch.transit:
            starts = [g for role, g in ch.why if role == "origin"]
            if all(
                (g.why.endswith("from") and kinds.get(g.verb_i) in _COMING)
                or kinds.get(g.verb_i) == "trace"  # "though some have been traced to the US"
                or "elided" in g.links
                for g in starts
            ):
                ch.destinations = list(ends[0])
        elif ch.transit:
            # "… seized in Japan originates in Mexico, though shipments increasingly arrive via
            # Malaysia": the way in to where the clause before ended
            ways = [g for role, g in ch.why if role == "transit"]
            if ways and all(kinds.get(g.verb_i) == "arrive" for g in ways):
                ch.destinations = [e for e in ends[0] if e not in ch.codes()]


#: Words of degree between such a copula and the people ("are predominantly EU citizens").
_DEGREE = frozenset({"predominantly", "overwhelmingly", "primarily", "mainly", "mostly", "largely"})


def _people(items: list[Mention]) -> bool:
    """True for people words ("women", "victims of trafficking")."""
    return bool(items) and all(
        c.term is not None and (c.term.kind == "person" or c.term.market in PEOPLE_MARKETS)
        for c in items
    )


#: Words that open a phrase for goods named before ("the drugs", "these shipments").
_DEFINITE = frozenset({"the", "these", "those", "such"})
#: Words that make refugees in a clause people moved by smugglers (see ``_silence``).
_SMUGGLING = frozenset({"smugglers", "smuggler", "smuggled"})
#: Words that join what a drug is made with to where it is made ("produced in Mexico using").
_MADE_WITH = frozenset({"using", "with"})
#: Words that open a relative clause about the noun before them.
_RELATIVE = frozenset({"which", "that", "who"})
_PASSIVE_AUX = frozenset({"were", "was", "have", "has", "had", "been", "being", "later", "also"})
#: Verb classes of goods coming from somewhere, with no place of their own to go to.
_COMING = frozenset({"move", "arrive"})


def _goes_on(chain: Chain) -> bool:
    """True when the chain's end is an onward leg ("moved on to", "then … to")."""
    return any(
        role == "destination" and (g.role == "onward" or "sequence" in g.links)
        for role, g in chain.why
    )


def _plural(phrase: str) -> bool:
    """True for an anaphor that may stand for several commodities ("these drugs", "they")."""
    last = phrase.lower().split()[-1]
    return last in ("they", "them", "these", "those") or (last.endswith("s") and last != "it")


def _people_group(g: Group, text: str) -> bool:
    """True for a free list of nationals named by plural demonyms ("Afghans and Iranians")."""
    if g.role is not None or g.modifies is not None:
        return False
    return all(
        p.via == "demonym" and p.noun is None and p.text.endswith(("s", "ese", "ch"))
        for p in g.places
    )


def _last_list(places: list[Mention], tokens: Tokens) -> list[Mention]:
    """The places of the last list before a point ("Fiji and Tonga")."""
    out = [places[-1]]
    for p in reversed(places[:-1]):
        words = tokens.words(p.j, out[0].i)
        if all(w in ("and", "or", "nor", "the") for w in words) and out[0].i - p.j <= 3:
            out.insert(0, p)
        else:
            break
    return out


def _label(items: Iterable[Mention], text: str) -> str:
    """A short label: "heroin", "heroin and opium", "heroin, opium and morphine"."""
    labels: list[str] = []
    for c in items:
        label = (
            c.term.label
            if c.term is not None and c.term.label
            else " ".join(c.text.lower().split())
        )
        if label not in labels:
            labels.append(label)
    if len(labels) <= 1:
        return labels[0] if labels else ""
    return ", ".join(labels[:-1]) + " and " + labels[-1]


def _clean_name(name: str) -> str:
    name = " ".join(name.split())
    return re.sub(r"^(?:The|A|An|In|From|To|Via|Through|Into|And)\s+", "", name)


def complete_with_subject(flow: Flow, s: str | None, kind: str, signals: set[str]) -> None:
    """Fill in a Factbook clause's implicit subject ``s`` (the document's country): "[Kyrgyzstan:]
    drugs move from Afghanistan to Russia" passes through it; "bound for Europe" starts in it;
    "victims from A" end in it."""
    if s is None:
        return
    people = flow.market in PEOPLE_MARKETS and "abroad" not in signals
    foreign = [o for o in flow.origin if o != s]
    if people and foreign and not flow.transit and not flow.destination:
        flow.destination = [s]
        return
    if s in flow.place_codes():
        internal = "internal" in signals and not flow.origin and not flow.transit
        if internal and flow.destination == [s]:
            flow.origin = [s]
        return
    if flow.origin and flow.destination and not flow.transit and kind == "report":
        flow.transit = [s]
    elif flow.origin and not flow.transit and not flow.destination:
        if "import" in signals:
            flow.destination = [s]
    elif (flow.destination or flow.transit) and not flow.origin:
        if "foreign" not in signals:
            flow.origin = [s]
    elif not (flow.origin or flow.transit or flow.destination) and "internal" in signals:
        flow.origin, flow.destination = [s], [s]
