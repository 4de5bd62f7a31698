"""Who holds a role phrase: "Kazakhstan is a key transit country", "[the report's subject:]
transit point for ...", "Russia, Tajikistan and Afghanistan are the primary source countries"."""

from __future__ import annotations

import re

from graph.extract.lexicon import Lexicon
from graph.extract.mentions import RolePhrase, is_clause_opening, is_glue, only_adjectives
from graph.extract.placelists import PlaceList


def find_holders(
    text: str,
    span: tuple[int, int],
    subject: str | None,
    lists: list[PlaceList],
    phrases: list[RolePhrase],
    dead: tuple[int, int],
    lex: Lexicon,
) -> dict[int, list[str]]:
    """The place codes that hold each role phrase (keyed by ``id(phrase)``): a list of the
    clause, the holder of the phrase it is coordinated with ("transshipment point for A and
    minor transit point for B"), or the subject when the phrase opens the clause (or the part
    of it after a denied statement: "not a source ... but a transit point").

    A plural phrase that names its places ("the source countries Iran and Pakistan") gives
    them its role like a cue and holds no frame of its own: its entry is an empty list."""
    out: dict[int, list[str]] = {}
    spans = [(pl.start, pl.end) for pl in lists]
    previous: RolePhrase | None = None
    for phrase in phrases:
        holder = _holder_list(text, phrase, lists, lex)
        opening_end = phrase.compound.start if phrase.compound else phrase.start
        opening_start = dead[1] if dead[0] < dead[1] <= opening_end else span[0]
        if holder is not None and phrase.plural and len(phrase.roles) == 1:
            holder.role, holder.by_cue = phrase.roles[0], False
            out[id(phrase)] = []
        elif holder is not None:
            holder.role = "holder"
            codes = holder.codes
            for pl in lists[lists.index(holder) + 1 :]:
                if pl.role != "same":
                    break
                pl.role = "holder"  # "Turkey is the primary destination, followed by Russia"
                codes = codes + [c for c in pl.codes if c not in codes]
            out[id(phrase)] = codes
        elif (
            previous is not None and id(previous) in out and _coordinated_phrase(text, opening_end)
        ):
            out[id(phrase)] = out[id(previous)]
        elif subject is not None and is_clause_opening(
            text, opening_start, opening_end, lex, spans
        ):
            out[id(phrase)] = [subject]
        previous = phrase
    return out


_COORDINATED = re.compile(
    r"(?:,|\band|\bas well as|\bor)\s+(?:(?:a|an|as|also|the)\s+)*(?:\w+\s+){0,2}$", re.I
)


def _coordinated_phrase(text: str, start: int) -> bool:
    """True when "and" (or a comma) joins a role phrase to what comes before it."""
    return bool(_COORDINATED.search(text, max(0, start - 40), start))


def _holder_list(
    text: str, phrase: RolePhrase, lists: list[PlaceList], lex: Lexicon
) -> PlaceList | None:
    """The list a role phrase is about: named after a plural head ("source countries A and
    B"), or the nearest free list before the phrase that does not merely qualify it ("major
    European transshipment point" is not about Europe)."""
    if phrase.plural:
        for pl in lists:
            if pl.start >= phrase.end and is_glue(
                text[phrase.end : pl.start], lex, frozenset({"such", "as", "like"})
            ):
                return pl
    for pl in reversed([pl for pl in lists if pl.end <= phrase.start]):
        opening = phrase.compound.start if phrase.compound else phrase.start
        adjacent = not re.search(
            r"\b(?:and|or)\b|[,;]", text[pl.end : opening]
        ) and only_adjectives(text, pl.end, opening, lex)
        if adjacent and not phrase.plural:
            if pl.role == "free":
                pl.role = "none"  # where the holder lies, not the holder
            continue
        if pl.role in ("free", "holder") or (adjacent and phrase.plural):
            return pl
    return None
