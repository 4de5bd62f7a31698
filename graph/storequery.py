"""SPARQL on Oxigraph's engine: the read path of ``query`` over a build's persistent store.

:func:`run_store_query` evaluates a query with Oxigraph on an opened graph
(:func:`graph.diskstore.open_graph`: the read-only store of a build, or a file in memory) and
gives rows of plain Python values exactly as :func:`graph.query.run_query` does on rdflib, so
the two paths are interchangeable (the tests hold every canned query to the same rows).

The safety rules of :mod:`graph.query` hold here too, decided on the parsed query: Oxigraph's
``query`` accepts queries only, so an update never runs; and any text that could hold SERVICE,
FROM or LOAD — one of those words outside strings, IRIs and comments, or any ``\\u`` escape that
could spell one — is parsed and checked by :func:`graph.query.prepare` (rdflib's SPARQL parser)
before it runs. Text without them cannot reach the network, so it skips that parse, and with it
the cost of importing rdflib: that is what keeps a query on the bundled graph well under a
second, process start included.

Parameters are bound as on the other paths (:func:`graph.querytext.bind_values`); canned-query
parameters are typed with the vocabulary read from the store itself.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

import pyoxigraph as ox

from graph import iris
from graph.canned import (
    ANY,
    CannedQuery,
    country_code,
    parse_number,
    parse_term,
    place_code,
    resolve_market,
)
from graph.diskstore import OpenGraph
from graph.errors import CrimegraphError
from graph.iris import QUERY_PREFIX_IRIS
from graph.pagestart import page_params
from graph.querytext import bind_values

_XSD = iris.XSD
_INTEGER_TYPES = (
    "integer", "int", "long", "short", "byte", "nonNegativeInteger", "nonPositiveInteger",
    "negativeInteger", "positiveInteger", "unsignedLong", "unsignedInt", "unsignedShort",
    "unsignedByte",
)  # fmt: skip
_INTEGERS = frozenset(_XSD + t for t in _INTEGER_TYPES)
_FLOATS = frozenset({_XSD + "double", _XSD + "float"})
_STRINGS = frozenset({_XSD + "string", "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"})

#: Words that, outside strings, IRIs and comments, send a query through the full parsed check.
_NETWORK_WORDS = frozenset({"SERVICE", "FROM", "LOAD"})
_TOKEN = re.compile(
    r"""\#[^\n]*|'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
    |'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|<[^<>"{}|^`\\\x00-\x20]*>|(?P<word>[A-Za-z_]\w*)|\S""",
    re.VERBOSE,
)


@dataclass(frozen=True)
class StoreTerm:
    """An RDF term for a VALUES block: a pyoxigraph term, written in SPARQL syntax."""

    term: ox.NamedNode | ox.Literal

    def n3(self) -> str:
        return str(self.term)


@dataclass
class StoreResult:
    """What a query gave, as :class:`graph.query.QueryResult` holds it: rows of plain values
    for SELECT, a boolean for ASK, and for CONSTRUCT/DESCRIBE the triples (pyoxigraph terms)."""

    kind: str
    columns: list[str] = field(default_factory=list)
    rows: list[dict[str, Any]] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[ox.Triple] = field(default_factory=list)


# --- the check --------------------------------------------------------------------------------


def may_reach_out(text: str) -> bool:
    """True unless ``text`` certainly holds no SERVICE, FROM or LOAD (nor an escape that could
    spell one); such text is checked on its parse tree by :func:`graph.query.prepare`.

    >>> may_reach_out("SELECT * { ?s ?p 'from' } # SERVICE")
    False
    >>> may_reach_out("SELECT * FROM <http://x/> { ?s ?p ?o }")
    True
    """
    if "\\" in text:
        return True
    for m in _TOKEN.finditer(text):
        word = m.group("word")
        if word is not None and word.upper() in _NETWORK_WORDS:
            return True
    return False


def check(text: str, allow_network: bool) -> None:
    """Raise CrimegraphError when ``text`` would reach the web (unless allowed) or is an update.

    Updates need no check here (Oxigraph's query parser rejects them, and
    :func:`run_store_query` then names the refusal); network access is decided on rdflib's
    parse of the query whenever the text could hold it.
    """
    if may_reach_out(text):
        from graph.query import prepare

        prepare(text, allow_update=False, allow_network=allow_network)


def _syntax_error(text: str, exc: Exception) -> CrimegraphError:
    """The one line for a query Oxigraph cannot parse: rdflib's reading of it (an update is
    refused, a malformed query located), else Oxigraph's own message."""
    from graph.query import prepare

    prepare(text, allow_update=False, allow_network=False)  # raises with the right message
    message = " ".join(str(exc).split())[:200] or type(exc).__name__
    return CrimegraphError(f"malformed SPARQL: {message}")


# --- values -----------------------------------------------------------------------------------


def python_value(term: Any) -> Any:
    """A result term as a plain Python value, exactly as :func:`graph.query.run_query` gives it:
    numbers as numbers (decimals as floats), booleans, strings, IRIs as strings, blank nodes as
    ``_:id``, other literals by their lexical form, None when unbound.

    >>> python_value(ox.Literal("6.50", datatype=ox.NamedNode(_XSD + "decimal")))
    6.5
    >>> python_value(ox.NamedNode("https://w3id.org/crimegraph/id/country/KAZ"))
    'https://w3id.org/crimegraph/id/country/KAZ'
    """
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if not isinstance(term, ox.Literal):
        return str(term)
    datatype, value = term.datatype.value, term.value
    try:
        if datatype in _STRINGS:
            return value
        if datatype in _INTEGERS:
            return int(value)
        if datatype == _XSD + "decimal":
            return float(Decimal(value))
        if datatype in _FLOATS:
            return float(value)
        if datatype == _XSD + "boolean":
            if value in ("true", "1"):
                return True
            if value in ("false", "0"):
                return False
    except (ValueError, InvalidOperation):
        pass
    return value


# --- running ----------------------------------------------------------------------------------


def run_store_query(
    graph: OpenGraph,
    text: str,
    bindings: Mapping[str, StoreTerm] | None = None,
    *,
    allow_network: bool = False,
) -> StoreResult:
    """Evaluate a SELECT, ASK, CONSTRUCT or DESCRIBE query on ``graph`` with Oxigraph.

    Raises CrimegraphError (one line) for a malformed query, an update, network access not
    allowed, a binding of a variable the query does not have, or an evaluation error.
    """
    check(text, allow_network)
    bound = bind_values(text, bindings or {})
    try:
        answer = graph.store.query(
            bound, prefixes=QUERY_PREFIX_IRIS, use_default_graph_as_union=graph.union
        )
        if isinstance(answer, ox.QueryBoolean):
            return StoreResult("ASK", boolean=bool(answer))
        if isinstance(answer, ox.QueryTriples):
            kind = "DESCRIBE" if _first_word(text) == "DESCRIBE" else "CONSTRUCT"
            return StoreResult(kind, triples=list(answer))
        columns = [v.value for v in answer.variables]
        rows = [{c: python_value(s[c]) for c in columns} for s in answer]
    except SyntaxError as exc:
        raise _syntax_error(text, exc) from exc
    except (OSError, RuntimeError, ValueError) as exc:
        message = " ".join(str(exc).split())[:200] or type(exc).__name__
        raise CrimegraphError(f"query failed: {message}") from exc
    return StoreResult("SELECT", columns=columns, rows=rows)


def _first_word(text: str) -> str:
    for m in _TOKEN.finditer(text):
        word = m.group("word")
        if word is not None and word.upper() in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE"):
            return word.upper()
    return ""


# --- parameters -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Vocabulary:
    """The Index's concepts as the store holds them: labels by slug, slugs by label, markets."""

    labels: dict[str, str]
    by_label: dict[str, str]
    markets: frozenset[str]


def norm_label(label: str) -> str:
    """Case- and whitespace-insensitive key of a label (as :mod:`graph.vocab` keys them)."""
    return re.sub(r"\s+", " ", label).strip().casefold()


_VOCABULARY_QUERY = """
SELECT ?concept ?label ?alt ?market WHERE {
  ?concept a skos:Concept ; skos:prefLabel ?label .
  OPTIONAL { ?concept skos:altLabel ?alt }
  BIND (EXISTS { ?concept skos:inScheme cgv:markets } AS ?market)
}"""


def vocabulary(graph: OpenGraph) -> Vocabulary:
    """The vocabulary in ``graph`` (every build holds it); CrimegraphError when it has none."""
    labels: dict[str, str] = {}
    by_label: dict[str, str] = {}
    markets: set[str] = set()
    for row in run_store_query(graph, _VOCABULARY_QUERY).rows:
        slug = str(row["concept"]).removeprefix(iris.CGV)
        labels.setdefault(slug, row["label"])
        by_label[norm_label(row["label"])] = slug
        if row["alt"]:
            by_label[norm_label(row["alt"])] = slug
        if row["market"]:
            markets.add(slug)
    if not markets:
        raise CrimegraphError(f"{graph.source}: holds no market vocabulary")
    return Vocabulary(labels, by_label, frozenset(markets))


def market_term(graph: OpenGraph, text: str, vocab: Vocabulary | None = None) -> str:
    """The market slug ``text`` names, by the rules of :func:`graph.query.market_slug`."""
    v = vocab or vocabulary(graph)
    return resolve_market(
        text, v.markets, lambda s: v.labels[s], lambda t: v.by_label.get(norm_label(t))
    )


def _has_country(graph: OpenGraph, iso3: str) -> bool:
    node = ox.NamedNode(f"{iris.CGI}country/{iso3}")
    kind = ox.NamedNode(iris.PREFIX_IRIS["rdf"] + "type")
    return any(
        True for _ in graph.store.quads_for_pattern(node, kind, ox.NamedNode(iris.CG + "Country"))
    )


def store_country_code(graph: OpenGraph, text: str) -> str:
    """The ISO3 code of a country code or name: a code the store holds is taken as it is, a
    name is looked up as :func:`graph.canned.country_code` does."""
    code = text.strip().upper()
    if re.fullmatch(r"[A-Z]{3}", code) and _has_country(graph, code):
        return code
    return country_code(text)


def store_place_code(graph: OpenGraph, text: str) -> str:
    """A country code (ISO3) or region slug, as :func:`graph.canned.place_code` finds it."""
    code = text.strip().upper()
    if re.fullmatch(r"[A-Z]{3}", code) and _has_country(graph, code):
        return code
    return place_code(text)


def _iri(value: str) -> StoreTerm:
    return StoreTerm(ox.NamedNode(value))


def _literal(value: str | int | Decimal) -> StoreTerm:
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        return StoreTerm(ox.Literal(str(value)))
    datatype = "integer" if isinstance(value, int) else "decimal"
    return StoreTerm(ox.Literal(str(value), datatype=ox.NamedNode(_XSD + datatype)))


def _place_iri(code: str) -> str:
    kind = "country" if re.fullmatch(r"[A-Z]{3}", code) else "region"
    return f"{iris.CGI}{kind}/{code}"


def _binders(graph: OpenGraph) -> dict[str, Callable[[str], StoreTerm]]:
    """How a value of each parameter type becomes a term (as ``graph.query.PARAMETER_KINDS``)."""
    cache: list[Vocabulary] = []

    def vocab() -> Vocabulary:
        if not cache:
            cache.append(vocabulary(graph))
        return cache[0]

    def indicator(text: str) -> StoreTerm:
        v = vocab()
        slug = v.by_label.get(norm_label(text)) or text.strip()
        if slug not in v.labels:
            raise CrimegraphError(f"unknown indicator {slug!r}")
        return _iri(iris.CGV + slug)

    return {
        "country": lambda t: _iri(f"{iris.CGI}country/{store_country_code(graph, t)}"),
        "place": lambda t: _iri(_place_iri(store_place_code(graph, t))),
        "market": lambda t: _iri(iris.CGV + market_term(graph, t, vocab())),
        "indicator": indicator,
        "text": lambda t: _literal(t),
        "integer": lambda t: _literal(parse_number("integer", t)),
        "decimal": lambda t: _literal(parse_number("decimal", t)),
    }


def bind_canned_on_store(
    graph: OpenGraph, query: CannedQuery, params: Mapping[str, str]
) -> dict[str, StoreTerm]:
    """The bindings of a canned query, as :func:`graph.query.bind_canned` makes them."""
    for name in params:
        query.parameter(name)
    binders = _binders(graph)
    out: dict[str, StoreTerm] = {}
    for p in query.parameters:
        value = params.get(p.name, p.default)
        if value == ANY and p.optional:
            continue
        try:
            out[p.name] = binders[p.kind](value)
        except (CrimegraphError, ValueError) as exc:
            raise CrimegraphError(f"parameter {p.name}: {exc}") from exc
    return out


def run_store_canned(
    graph: OpenGraph, query: CannedQuery, params: Mapping[str, str], *, allow_network: bool = False
) -> StoreResult:
    """A canned query (or a file with declared parameters) on ``graph``, its page started by
    the lookup of :mod:`graph.pagestart` when it has one."""
    params = page_params(
        query,
        params,
        lambda q, p: run_store_query(graph, q.text, bind_canned_on_store(graph, q, p)).rows,
    )
    bindings = bind_canned_on_store(graph, query, params)
    return run_store_query(graph, query.text, bindings, allow_network=allow_network)


def term_on_store(text: str) -> StoreTerm:
    """A parameter value of an ad-hoc query as a term (see :func:`graph.canned.parse_term`)."""
    kind, value = parse_term(text, QUERY_PREFIX_IRIS)
    if kind == "iri":
        try:
            return _iri(str(value))
        except ValueError as exc:
            raise CrimegraphError(f"not an IRI: {text!r}") from exc
    return _literal(value)


def triples_text(triples: list[ox.Triple], fmt: str) -> str:
    """CONSTRUCT triples as Turtle (``turtle``), N-Triples (``nt``) or JSON-LD (``json-ld``),
    crimegraph prefixes bound."""
    formats = {
        "turtle": ox.RdfFormat.TURTLE,
        "nt": ox.RdfFormat.N_TRIPLES,
        "json-ld": ox.RdfFormat.JSON_LD,
    }
    data = ox.serialize(
        sorted(triples, key=str), format=formats[fmt], prefixes=dict(QUERY_PREFIX_IRIS)
    )
    return data.decode("utf-8") if data is not None else ""
