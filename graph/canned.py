"""The canned queries in ``queries/``: their files, headers and declared parameters.

A canned query is a ``.rq`` file whose comment header says what it answers and declares its
parameters::

    # @param country  country  KAZ  the country the flows end in (ISO3 code or name)

that is: name, type (one of :data:`KINDS`), default (``*`` leaves the variable free: any value)
and a description. The files are read at run time. This module needs neither rdflib nor a graph,
so listing and reading canned queries is cheap on every path (:mod:`graph.query` binds and runs
them on rdflib, :mod:`graph.storequery` on the persistent store).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from graph.errors import CrimegraphError

#: Folder of the canned queries.
QUERIES_DIR = Path(__file__).resolve().parent / "queries"

#: A parameter default that leaves the variable free (any value).
ANY = "*"

#: The parameter types a header may declare.
KINDS = frozenset({"country", "place", "market", "indicator", "text", "integer", "decimal"})

#: Query files larger than this are refused: a query is text a person writes, and a 10 MB
#: VALUES block parses for minutes.
MAX_QUERY_BYTES = 1024 * 1024

_PARAM_LINE = re.compile(r"^@param\s+(\w+)\s+(\w+)\s+(\S+)\s*(.*)$")


@dataclass(frozen=True)
class Parameter:
    """A parameter a canned query declares: its variable, type, default and meaning."""

    name: str
    kind: str
    default: str
    description: str

    @property
    def optional(self) -> bool:
        """True when the default leaves the variable free."""
        return self.default == ANY


@dataclass(frozen=True)
class CannedQuery:
    """A shipped ``.rq`` query with what its header says."""

    name: str
    summary: str
    description: str
    parameters: tuple[Parameter, ...]
    text: str
    path: Path

    def parameter(self, name: str) -> Parameter:
        """The declared parameter ``name``; raises CrimegraphError for an unknown one."""
        for p in self.parameters:
            if p.name == name:
                return p
        known = ", ".join(p.name for p in self.parameters) or "none"
        raise CrimegraphError(f"query {self.name!r} has no parameter {name!r} (known: {known})")


def parse_header(text: str) -> tuple[str, str, tuple[Parameter, ...]]:
    """The summary (first paragraph), the rest of the prose and the parameters of a header.

    >>> header = "# Flows.\\n#\\n# @param market market * a market\\nSELECT"
    >>> summary, _, params = parse_header(header)
    >>> summary, params[0].name, params[0].optional
    ('Flows.', 'market', True)
    """
    lines: list[str] = []
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped.startswith("#"):
            break
        lines.append(stripped[1:].strip())
    params: list[Parameter] = []
    prose: list[str] = []
    for line in lines:
        m = _PARAM_LINE.match(line)
        if m:
            name, kind, default, description = m.groups()
            if kind not in KINDS:
                raise CrimegraphError(f"parameter {name!r} has unknown type {kind!r}")
            params.append(Parameter(name, kind, default, description))
        elif not line.startswith("@param"):
            prose.append(line)
        else:
            raise CrimegraphError(f"malformed parameter line: {line!r}")
    paragraphs = _paragraphs(prose)
    summary = paragraphs[0] if paragraphs else ""
    return summary, "\n\n".join(paragraphs[1:]), tuple(params)


def _paragraphs(lines: list[str]) -> list[str]:
    out: list[list[str]] = [[]]
    for line in lines:
        if line:
            out[-1].append(line)
        elif out[-1]:
            out.append([])
    return [" ".join(p) for p in out if p]


def query_file(path: str | os.PathLike[str]) -> CannedQuery:
    """A ``.rq`` file read now, with the summary and parameters its header declares.

    Files over :data:`MAX_QUERY_BYTES` are refused with one line.
    """
    from graph.fileio import read_document

    p = Path(path)
    text = read_document(p, max_bytes=MAX_QUERY_BYTES)
    try:
        summary, description, params = parse_header(text)
    except CrimegraphError as exc:
        raise CrimegraphError(f"{p}: {exc}") from exc
    return CannedQuery(p.stem, summary, description, params, text, p)


def canned_queries(directory: Path = QUERIES_DIR) -> list[CannedQuery]:
    """Every ``.rq`` file of ``directory``, read now, by name."""
    return [query_file(path) for path in sorted(directory.glob("*.rq"))]


def canned(name: str, directory: Path = QUERIES_DIR) -> CannedQuery:
    """The canned query ``name``; raises CrimegraphError naming the known ones.

    >>> canned("flows-into").parameter("country").default
    'KAZ'
    """
    queries = canned_queries(directory)
    for q in queries:
        if q.name == name:
            return q
    known = ", ".join(q.name for q in queries)
    raise CrimegraphError(f"unknown query {name!r} (known: {known})")


def resolve_market(
    text: str,
    slugs: frozenset[str],
    label_of: Callable[[str], str],
    by_label: Callable[[str], str | None],
) -> str:
    """The market slug ``text`` names: a slug, a label, or words that pick one market's label.

    ``slugs`` are the market slugs, ``label_of`` gives a slug's label and ``by_label`` the slug
    of any indicator a label names (None if none): the vocabulary, read from
    ``ontology/vocabulary.ttl`` (:func:`graph.query.market_slug`) or from a built store
    (:mod:`graph.storequery`). An ambiguous or unknown market raises CrimegraphError.

    >>> labels = {"heroin-trade": "Heroin trade", "cocaine-trade": "Cocaine trade"}
    >>> pick = lambda text: resolve_market(text, frozenset(labels), labels.get, lambda _: None)
    >>> pick("heroin"), pick("cgv:cocaine-trade")
    ('heroin-trade', 'cocaine-trade')
    """
    key = text.strip().removeprefix("cgv:")
    if key in slugs:
        return key
    found = by_label(key)
    if found is not None and found in slugs:
        return found
    words = set(re.findall(r"[a-z0-9]+", key.casefold()))
    hits = sorted(
        s for s in slugs if words and words <= set(re.findall(r"[a-z0-9]+", label_of(s).casefold()))
    )
    if len(hits) == 1:
        return hits[0]
    if hits:
        raise CrimegraphError(f"market {text!r} is ambiguous: {', '.join(hits)}")
    raise CrimegraphError(f"unknown market {text!r} (known: {', '.join(sorted(slugs))})")


def country_code(text: str) -> str:
    """The ISO3 code of a country code or name; raises CrimegraphError for an unknown country.

    >>> country_code("Kyrgyzstan"), country_code("kaz")
    ('KGZ', 'KAZ')
    """
    from graph.places import load_gazetteer

    return load_gazetteer().country(text).iso3


def place_code(text: str) -> str:
    """The code of a country (ISO3) or region (slug), by code or name.

    >>> place_code("Central Asia"), place_code("AFG")
    ('central-asia', 'AFG')
    """
    from graph.places import load_gazetteer

    gazetteer = load_gazetteer()
    try:
        return gazetteer.country(text).iso3
    except CrimegraphError:
        pass
    try:
        return gazetteer.region(text).slug
    except CrimegraphError:
        raise CrimegraphError(f"unknown country or region: {text!r}") from None


DECIMAL = re.compile(r"^[+-]?(\d+\.\d*|\.\d+|\d+)$")
INTEGER = re.compile(r"^[+-]?\d+$")


def parse_number(kind: str, text: str) -> int | Decimal:
    """The value of an ``integer`` or ``decimal`` parameter; CrimegraphError when it is none.

    >>> parse_number("integer", "+05"), parse_number("decimal", ".5")
    (5, Decimal('0.5'))
    """
    value = text.strip()
    pattern, convert, what = (
        (INTEGER, int, "an integer") if kind == "integer" else (DECIMAL, Decimal, "a number")
    )
    if not pattern.match(value):
        raise CrimegraphError(f"not {what}: {text!r}")
    try:
        return convert(value)
    except (ValueError, InvalidOperation) as exc:
        raise CrimegraphError(f"not {what}: {text!r}") from exc


def parse_term(text: str, prefixes: Mapping[str, str]) -> tuple[str, str | int | Decimal]:
    """A parameter value of an ad-hoc query, written as in Turtle: ``("iri", IRI)`` or
    ``("literal", value)``.

    ``<…>`` and ``prefix:name`` (a prefix of ``prefixes``) are IRIs, numbers are numbers, ``"…"``
    and anything else is a string.

    >>> parse_term("cgv:heroin-trade", {"cgv": "https://w3id.org/crimegraph/vocab/"})
    ('iri', 'https://w3id.org/crimegraph/vocab/heroin-trade')
    >>> parse_term("12", {}), parse_term('"12"', {})
    (('literal', 12), ('literal', '12'))
    """
    value = text.strip()
    if value.startswith("<") and value.endswith(">"):
        iri = value[1:-1]
        if not iri or re.search(r"[\s<>\"{}|^`\\]", iri):
            raise CrimegraphError(f"not an IRI: {text!r}")
        return "iri", iri
    prefix, colon, local = value.partition(":")
    if colon and prefix in prefixes and re.fullmatch(r"[\w.\-/%]*", local):
        return "iri", prefixes[prefix] + local
    if INTEGER.match(value):
        return "literal", int(value)
    if DECIMAL.match(value):
        return "literal", Decimal(value)
    if len(value) >= 2 and value[0] == value[-1] == '"':
        return "literal", value[1:-1]
    return "literal", value
