"""Find many vocabulary phrases in tokenised text by dictionary look-up, in time linear in the
number of tokens.

The vocabulary files write phrases as small regular expressions ("smuggl(?:e|es|ed|ing)",
"opiates?"). Each is expanded once into the finite set of phrases it matches, tokenised like the
text, and indexed by its first token; reading a sentence is then one look-up per token. The few
fragments that cannot be expanded (look-aheads, open repeats) are tried as regular expressions at
each word.

>>> table = PhraseTable.build([("bound for", "destination"), ("for", "for"),
...                            ("smuggl(?:e|ed)", "move")], folded=True)
>>> from graph.extract.tokens import Tokens
>>> text = "Heroin smuggled from Iran, bound for Europe."
>>> [(h.text, h.value) for h in table.find(text, Tokens.of(text), 0, 99)]
[('smuggled', 'move'), ('bound for', 'destination')]
"""

from __future__ import annotations

import functools
import re
import re._constants as sre
import re._parser as sre_parse
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from graph.extract.tokens import Tokens

#: A phrase of a table: its length in tokens, its tokens after the first, its value.
Option = tuple[int, list[str], str]

#: A table (by position) a word may start a phrase of; the words that must follow it (None:
#: any), and whether the table compares lower-cased words.
Slot = tuple[int, frozenset[str] | None, bool]

#: The letters a pattern's matches start with (one string per way it may start; "" among
#: them: any word), and whether their case is ignored.
Prefix = tuple[tuple[str, ...], bool]

#: What a table tries at a word (see :meth:`PhraseTable._plan`): the phrases it starts,
#: narrowed by the next word (None: none), and the patterns that may match there.
Plan = tuple[
    tuple[dict[str, list[Option]], list[Option]] | None, tuple[tuple[re.Pattern[str], str], ...]
]

#: Expansions past this many phrases are matched as regular expressions instead.
MAX_EXPANSIONS = 4_000


class NotFinite(Exception):
    """A fragment whose matches cannot be listed (a look-ahead, an open repeat, a class)."""


@dataclass(slots=True)
class Hit:
    """A phrase found in a text: characters ``[start, end)``, tokens ``[i, j)``, its value.

    ``start()``/``end()``/``group()`` mirror :class:`re.Match` for the callers that read
    character offsets."""

    a: int
    b: int
    i: int
    j: int
    text: str
    value: str

    def start(self) -> int:
        return self.a

    def end(self) -> int:
        return self.b

    def group(self, n: int = 0) -> str:
        return self.text


@dataclass
class PhraseTable:
    """Phrases indexed by their first token; see the module's docstring."""

    #: First token → (length, the other tokens of the phrase, value), longest phrases first.
    index: dict[str, list[Option]]
    #: Fragments matched as regular expressions, by the first word they start with ("" when
    #: they may start with any word), with their values.
    patterns: dict[str, list[tuple[re.Pattern[str], str]]]
    folded: bool
    #: Whether a phrase may start right after a hyphen ("-bound" entries start with one).
    after_hyphen: bool = False
    #: Whether a phrase may end right before a hyphen ("captagon-processing": captagon).
    before_hyphen: bool = False
    longest: int = field(default=1)
    #: For each pattern of ``patterns[""]``: the ASCII letters its matches start with, one
    #: string per way (lower-cased when it ignores case; "" when not known), so that a word
    #: starting otherwise is not tried.
    open_prefixes: tuple[Prefix, ...] = ()

    @classmethod
    def build(
        cls,
        entries: Iterable[tuple[str, str]],
        *,
        folded: bool,
        after_hyphen: bool = False,
        before_hyphen: bool = False,
    ) -> PhraseTable:
        index: dict[str, list[tuple[int, list[str], str]]] = {}
        patterns: dict[str, list[tuple[re.Pattern[str], str]]] = {}
        seen: set[tuple[str, ...]] = set()
        flags = re.IGNORECASE if folded else 0
        for whole, value in entries:
            for fragment in _branches(whole):
                cls._add(
                    fragment,
                    value,
                    index,
                    patterns,
                    seen,
                    flags,
                    folded,
                    after_hyphen,
                    before_hyphen,
                )
        for options in index.values():
            options.sort(key=lambda o: -o[0])
        longest = max((n for opts in index.values() for n, _, _ in opts), default=1)
        prefixes = tuple(_prefix(p) for p, _ in patterns.get("", ()))
        return cls(index, patterns, folded, after_hyphen, before_hyphen, longest, prefixes)

    @staticmethod
    def _add(
        fragment: str,
        value: str,
        index: dict[str, list[tuple[int, list[str], str]]],
        patterns: dict[str, list[tuple[re.Pattern[str], str]]],
        seen: set[tuple[str, ...]],
        flags: int,
        folded: bool,
        after_hyphen: bool,
        before_hyphen: bool,
    ) -> None:
        """Index one alternative of a fragment: its phrases, or its pattern by first word."""
        try:
            phrases = list(expand(fragment))
        except NotFinite:
            head = "" if after_hyphen else r"(?<![\w-])"
            tail = r"(?!\w)" if before_hyphen else r"(?![\w-])"
            compiled = re.compile(rf"{head}(?:{fragment}){tail}", flags)
            key = _first_word(fragment)
            patterns.setdefault(key.lower() if folded else key, []).append((compiled, value))
            return
        for phrase in phrases:
            words = tuple(t.text for t in Tokens.of(phrase.lower() if folded else phrase))
            if not words or words in seen:
                continue
            seen.add(words)
            index.setdefault(words[0], []).append((len(words), list(words[1:]), value))

    def find(
        self,
        text: str,
        tokens: Tokens,
        start: int,
        end: int,
        starts: Iterable[int] | None = None,
    ) -> list[Hit]:
        """Non-overlapping phrases in ``text[start:end]``, left to right, longest first;
        ``starts`` (the tokens where one may start, in order, see :class:`Scanner`) spares
        the look-up of every token."""
        i, j = tokens.span(start, end) if end > start else (0, 0)
        j = min(j, len(tokens))
        if starts is None:
            keys = tokens.lows if self.folded else tokens.texts
            first_words = self.first_words
            if first_words is None:
                starts = range(i, j)
            else:
                may_open = self._may_open if self.open_prefixes else None
                starts = [
                    k
                    for k in range(i, j)
                    if keys[k] in first_words or (may_open is not None and may_open(keys[k]))
                ]
        return self.hits(text, tokens, i, j, starts)

    def hits(self, text: str, tokens: Tokens, i: int, j: int, starts: Iterable[int]) -> list[Hit]:
        """Non-overlapping phrases within tokens ``[i, j)`` that start at the given tokens
        (in order), left to right, longest first."""
        out: list[Hit] = []
        free = i
        for k in starts:
            if k < free or not i <= k < j:
                continue
            hit = self.at(text, tokens, k, j)
            if hit is not None:
                out.append(hit)
                free = max(hit.j, k + 1)
        return out

    @functools.cached_property
    def first_words(self) -> frozenset[str] | None:
        """The words a phrase or pattern starts with; None when a pattern may start with any
        word (see :attr:`open_prefixes` for those that start with known letters)."""
        if any("" in letters for letters, _ in self.open_prefixes):
            return None
        return frozenset(self.index) | frozenset(k for k in self.patterns if k)

    @functools.cached_property
    def _by_next(self) -> dict[str, tuple[dict[str, list[Option]], list[Option]]]:
        """:attr:`index` narrowed by the next token: first token → (second token → the
        phrases that go on with it and the one-token phrases, in their order; the one-token
        phrases alone). "the" starts some 90 phrases; a look-up tries only those that fit."""
        out: dict[str, tuple[dict[str, list[Option]], list[Option]]] = {}
        for first, options in self.index.items():
            seconds = {tail[0] for n, tail, _ in options if n > 1}
            following = {
                second: [o for o in options if o[0] == 1 or o[1][0] == second] for second in seconds
            }
            out[first] = (following, [o for o in options if o[0] == 1])
        return out

    def may_start(self, word: str) -> bool:
        """Whether a phrase of this table may start at a token (lower-cased when the table is
        folded)."""
        first_words = self.first_words
        return first_words is None or word in first_words or self._may_open(word)

    def _may_open(self, word: str) -> bool:
        """Whether some pattern of ``patterns[""]`` may match at a token of this text."""
        return any(_may_start(word, prefix) for prefix in self.open_prefixes)

    def at(self, text: str, tokens: Tokens, k: int, j: int | None = None) -> Hit | None:
        """The longest phrase that starts at token ``k`` (and ends before token ``j``)."""
        items = tokens.items
        first = items[k]
        if k and not self.after_hyphen:
            before = items[k - 1]
            if before.end == first.start and before.text == "-":
                return None
        plan = self._plans.get(first.text)
        if plan is None:
            plan = self._plan(first.text)
        narrowed, tried = plan
        if narrowed is None and not tried:
            return None
        keys = tokens.lows if self.folded else tokens.texts
        stop = len(items) if j is None else j
        if narrowed is not None:
            following, singles = narrowed
            options = following.get(keys[k + 1], singles) if k + 1 < len(keys) else singles
            for n, tail, value in options:
                after = k + n
                if after > stop or (n > 1 and keys[k + 1 : after] != tail):
                    continue
                last = items[after - 1]
                if not self.before_hyphen and after < len(items):
                    nxt = items[after]
                    if nxt.start == last.end and nxt.text == "-":
                        continue  # runs on into a hyphenated word
                return Hit(first.start, last.end, k, after, text[first.start : last.end], value)
        for pattern, value in tried:
            m = pattern.match(text, first.start, items[stop - 1].end)
            if m is not None and m.end() > m.start():
                a, b = tokens.span(m.start(), m.end())
                return Hit(m.start(), m.end(), a, b, m.group(0), value)
        return None

    @functools.cached_property
    def _plans(self) -> dict[str, Plan]:
        """Each word's :data:`Plan`, made when the word is first tried (see :meth:`_plan`)."""
        return {}

    def _plan(self, word: str) -> Plan:
        """What :meth:`at` tries at a token of this text: the phrases its (lower-cased) text
        starts, narrowed by the next token, and the patterns that may match there, in order."""
        plans = self._plans
        if len(plans) > Scanner.MAX_WORDS:
            plans.clear()
        key = word.lower() if self.folded else word
        tried = list(self.patterns.get(key, []))
        if self.open_prefixes:
            opened = zip(self.patterns[""], self.open_prefixes, strict=True)
            tried += [p for p, prefix in opened if _may_start(word, prefix)]
        plan = plans[word] = (self._by_next.get(key), tuple(tried))
        return plan


class Scanner:
    """Where the phrases of several tables may start in a stretch of tokens, found in one
    pass: each word is looked up once, in an index of the tables whose phrases it may start.

    >>> verbs = PhraseTable.build([("smuggl(?:e|ed)", "move")], folded=True)
    >>> cues = PhraseTable.build([("from", "origin"), ("via", "transit")], folded=True)
    >>> toks = Tokens.of("Heroin smuggled from Iran via Turkey")
    >>> scan = Scanner([verbs, cues]).scan(toks, 0, len(toks))
    >>> scan.starts(verbs), scan.starts(cues)
    ([1], [2, 4])
    """

    #: Words remembered with the tables they may start; past this the memory starts afresh.
    MAX_WORDS = 200_000

    def __init__(self, tables: Sequence[PhraseTable]) -> None:
        self.tables = tuple(tables)
        self._slot = {id(t): n for n, t in enumerate(self.tables)}
        self._by_word: dict[str, tuple[Slot, ...]] = {}

    def _slots(self, word: str) -> tuple[Slot, ...]:
        """The tables (by position) whose phrases may start at a token of this text, each with
        the words one of them must go on with when none is that word alone."""
        low = word.lower()
        out: list[Slot] = []
        for n, t in enumerate(self.tables):
            key = low if t.folded else word
            if not t.may_start(key):
                continue
            narrowed = t._by_next.get(key)
            # an open pattern is tried at a word as PhraseTable.at tries it: by its text
            opens = any(_may_start(word, prefix) for prefix in t.open_prefixes)
            if narrowed is None or narrowed[1] or key in t.patterns or opens:
                out.append((n, None, t.folded))
            else:
                out.append((n, frozenset(narrowed[0]), t.folded))
        return tuple(out)

    def scan(self, tokens: Tokens, i: int, j: int) -> Scan:
        """The tokens of ``[i, j)`` where each table's phrases may start."""
        j = min(j, len(tokens))
        found: list[list[int]] = [[] for _ in self.tables]
        memo = self._by_word
        if len(memo) > self.MAX_WORDS:
            memo.clear()
        texts, lows = tokens.texts, tokens.lows
        last = len(texts) - 1
        for k in range(i, j):
            word = texts[k]
            slots = memo.get(word)
            if slots is None:
                slots = memo[word] = self._slots(word)
            for n, going_on, folded in slots:
                if going_on is None or (
                    k < last and (lows[k + 1] if folded else texts[k + 1]) in going_on
                ):
                    found[n].append(k)
        return Scan(tokens, i, j, self._slot, found)


@dataclass(frozen=True, slots=True)
class Scan:
    """A stretch of tokens ``[i, j)`` and where each table of a :class:`Scanner` may start a
    phrase in it."""

    tokens: Tokens
    i: int
    j: int
    slot: dict[int, int]
    found: list[list[int]]

    def starts(self, table: PhraseTable) -> list[int]:
        return self.found[self.slot[id(table)]]

    def find(self, table: PhraseTable, text: str) -> list[Hit]:
        """The table's phrases in the stretch (see :meth:`PhraseTable.find`)."""
        starts = self.found[self.slot[id(table)]]
        return table.hits(text, self.tokens, self.i, self.j, starts) if starts else []


def _prefix(pattern: re.Pattern[str]) -> Prefix:
    """The ASCII letters every match of a table's pattern starts with, one string per way it
    may start ("suppl" of "suppl(?:y|ies)"; "lie", "lay", "sit" … of "(?:lie|lay|sits?) on";
    "a ", "the " of "(?:a|the) small", a space ending a whole word; "" when not known) and
    whether their case is ignored.

    >>> _prefix(re.compile("(?:lie|lay|sits?) on", re.IGNORECASE))
    (('lay', 'lie', 'sit'), True)
    >>> _prefix(re.compile("(?:a|the) (?:small|large)", re.IGNORECASE))
    (('a ', 'the '), True)
    """
    folded = bool(pattern.flags & re.IGNORECASE)
    try:
        parsed = list(sre_parse.parse(pattern.pattern, pattern.flags))
    except re.error:
        return ("",), folded
    leads, _ = _leads(parsed)
    return tuple(sorted({w.lower() if folded else w for w in leads})), folded


#: More ways to start than this, and only their first letters are kept.
MAX_LEADS = 64
#: Ends a way to start that is a whole word ("a " of "(?:a|the) (?:small|large) …" is not
#: tried at "and").
WORD_END = " "


def _leads(parsed: Sequence[Any]) -> tuple[set[str], bool]:
    """The letters a parsed pattern's matches may start with (one string per way), and
    whether each string is the whole match (so that what follows the pattern goes on with it)."""
    out = {""}
    for op, arg in parsed:
        if op is sre.ASSERT or op is sre.ASSERT_NOT:
            continue  # the word edges (?<![\w-]), (?![\w-]): they match no letter
        if op is sre.LITERAL and chr(arg).isascii() and chr(arg).isalpha():
            out = {w + chr(arg) for w in out}
            continue
        if op is sre.LITERAL and not (chr(arg).isalnum() or chr(arg) == "_"):
            # a letter run ends here: a token that starts such a match is that whole word
            return {w + WORD_END if w else w for w in out}, False
        if op is sre.SUBPATTERN and arg[1:3] == (0, 0):  # (?:…), with no flags of its own
            inner, whole = _leads(arg[3])
        elif op is sre.BRANCH:
            inner, whole = set(), True
            for alternative in arg[1]:
                leads, done = _leads(alternative)
                inner |= leads
                whole = whole and done
        else:
            return out, False
        out = {w + v for w in out for v in inner}
        if len(out) > MAX_LEADS:
            return {w[:1] for w in out}, False
        if not whole:
            return out, False
    return out, True


def _may_start(word: str, prefix: Prefix) -> bool:
    """Whether a token may begin a match of a pattern whose matches start with one of the
    letter strings of ``prefix`` (see :func:`_prefix`); a word that is not ASCII is always
    tried, as case folding may match its letters to ASCII ones ("ſ" to "s")."""
    letters, folded = prefix
    if not word.isascii():
        return True
    return ((word.lower() if folded else word) + WORD_END).startswith(letters)


def _first_word(fragment: str) -> str:
    """The literal first word of a fragment, past leading look-behinds ("as" of
    "(?<!such )as"), or "" when it may start with anything (or with several words)."""
    rest = re.sub(r"^(?:\(\?<[!=][^)]*\))+", "", fragment)
    word = re.match(r"[A-Za-z]+(?=[ ]|\\s|\(\?[!=]|$)", rest)
    return "" if word is None else word.group(0)


def _branches(fragment: str) -> list[str]:
    """The top-level alternatives of a fragment ("a|b(?:c|d)" → "a", "b(?:c|d)")."""
    out, depth, start, k = [], 0, 0, 0
    while k < len(fragment):
        ch = fragment[k]
        if ch == "\\":
            k += 2
            continue
        if ch == "[":
            k = fragment.index("]", k + 1) + 1
            continue
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            out.append(fragment[start:k])
            start = k + 1
        k += 1
    out.append(fragment[start:])
    return [b for b in out if b]


def expand(fragment: str) -> Iterator[str]:
    """Every string a regular-expression fragment matches; :class:`NotFinite` when unbounded."""
    try:
        parsed = sre_parse.parse(fragment)
    except re.error as exc:
        raise NotFinite(str(exc)) from exc
    out = _seq(list(parsed))
    if len(out) > MAX_EXPANSIONS:
        raise NotFinite(f"{len(out)} expansions")
    yield from out


def _seq(items: list[tuple[object, object]]) -> list[str]:
    results = [""]
    for op, arg in items:
        options = _one(op, arg)
        results = [r + o for r in results for o in options]
        if len(results) > MAX_EXPANSIONS:
            raise NotFinite("too many")
    return results


def _one(op: object, arg: Any) -> list[str]:
    if op is sre.LITERAL:
        return [chr(arg)]
    if op is sre.IN:
        chars = []
        for kind, value in arg:
            if kind is not sre.LITERAL:
                raise NotFinite("character class")
            chars.append(chr(value))
        return chars
    if op is sre.BRANCH:
        _, branches = arg
        return [s for branch in branches for s in _seq(list(branch))]
    if op is sre.SUBPATTERN:
        *_, body = arg
        return _seq(list(body))
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT):
        low, high, body = arg
        if high > 4:
            raise NotFinite("open repeat")
        inner = _seq(list(body))
        out: list[str] = []
        for n in range(low, high + 1):
            combos = [""]
            for _ in range(n):
                combos = [c + s for c in combos for s in inner]
            out.extend(combos)
        return out
    raise NotFinite(str(op))
