"""Run SPARQL over a built graph, read-only unless asked, and the canned queries in ``queries/``.

Queries are checked before they run: an update (INSERT, DELETE, LOAD, CLEAR, …) needs
``allow_update``, and anything that reaches out to the web (SERVICE, LOAD, FROM, an update's
USING) needs ``allow_network``. Parameters are bound as RDF terms through ``initBindings``,
never pasted into the query text; a bound variable is bound everywhere in the query,
sub-selects and FILTERs included (rdflib's semantics, which the canned queries rely on). A
canned query is a ``.rq`` file whose comment header says what it answers and declares its
parameters::

    # @param country  country  KAZ  the country the flows end in (ISO3 code or name)

that is: name, type (country, place, market, indicator, text, integer, decimal), default (``*``
leaves the variable free: any value) and a description. The ``.rq`` files are read at run time.

>>> from graph.rdf import build_graph
>>> from graph.records import Document, DocumentFlows, Flow
>>> text = "Heroin moves from Afghanistan via Kazakhstan to Russia."
>>> flow = Flow("heroin-trade", "heroin", ["AFG"], ["KAZ"], ["RUS"], evidence=text)
>>> g = build_graph([Document("d.txt", "report", text)], [], [DocumentFlows("d.txt", None, [flow])])
>>> rows = run_canned(g, "flows-through", {"country": "Kazakhstan"}).rows
>>> [(r["commodity"], r["origins"], r["destinations"], r["document"]) for r in rows]
[('heroin', 'AFG', 'RUS', 'd.txt')]
>>> run_query(g, "ASK { ?f cg:origin ?c . ?c cg:iso3 ?code }", {"code": "AFG"}).boolean
True
>>> run_query(g, "DELETE WHERE { ?s ?p ?o }")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
graph.errors.CrimegraphError: updates are refused: ...
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from pyparsing import ParseBaseException
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.plugins.sparql.algebra import translateQuery, translateUpdate
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.plugins.sparql.sparql import Query
from rdflib.term import Identifier, Node, Variable

from graph.errors import CrimegraphError
from graph.namespaces import CGV, PREFIXES

#: Folder of the canned queries.
QUERIES_DIR = Path(__file__).resolve().parent / "queries"

#: A parameter default that leaves the variable free (any value).
ANY = "*"

_PARAM_LINE = re.compile(r"^@param\s+(\w+)\s+(\w+)\s+(\S+)\s*(.*)$")
_DECIMAL = re.compile(r"^[+-]?(\d+\.\d*|\.\d+|\d+)$")
_INTEGER = re.compile(r"^[+-]?\d+$")


# --- records ------------------------------------------------------------------------------------


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


@dataclass
class QueryResult:
    """What a query gave: rows for SELECT, a boolean for ASK, a graph for CONSTRUCT/DESCRIBE.

    Row values are plain Python: numbers, strings, IRIs as full strings, None when unbound.
    """

    kind: str
    columns: list[str] = field(default_factory=list)
    rows: list[dict[str, Any]] = field(default_factory=list)
    boolean: bool | None = None
    graph: Graph | None = None
    #: For an update that was allowed: triples after minus triples before.
    changed: int | None = None


# --- canned queries -----------------------------------------------------------------------------


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
            if kind not in PARAMETER_KINDS:
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
    """A ``.rq`` file read now, with the summary and parameters its header declares."""
    from graph.fileio import read_document

    p = Path(path)
    text = read_document(p)
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


# --- parameters ---------------------------------------------------------------------------------


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


def market_slug(text: str) -> str:
    """The market a slug, label or word names: ``heroin`` → ``heroin-trade``.

    A word must pick one market; an ambiguous or unknown one raises CrimegraphError.

    >>> market_slug("Heroin trade"), market_slug("heroin"), market_slug("cgv:heroin-trade")
    ('heroin-trade', 'heroin-trade', 'heroin-trade')
    """
    from graph.vocab import by_label, indicator, market_slugs

    key = text.strip().removeprefix("cgv:")
    slugs = market_slugs()
    if key in slugs:
        return key
    found = by_label(key)
    if found is not None and found.slug in slugs:
        return found.slug
    words = set(re.findall(r"[a-z0-9]+", key.casefold()))
    hits = sorted(
        s
        for s in slugs
        if words and words <= set(re.findall(r"[a-z0-9]+", indicator(s).label.casefold()))
    )
    if len(hits) == 1:
        return hits[0]
    if hits:
        raise CrimegraphError(f"market {text!r} is ambiguous: {', '.join(hits)}")
    raise CrimegraphError(f"unknown market {text!r} (known: {', '.join(sorted(slugs))})")


def _indicator_iri(text: str) -> URIRef:
    from graph.vocab import by_label, indicator

    found = by_label(text)
    return CGV[found.slug if found is not None else indicator(text.strip()).slug]


def _number(
    kind: str, pattern: re.Pattern[str], convert: Callable[[str], Any]
) -> Callable[[str], Literal]:
    def parse(text: str) -> Literal:
        if not pattern.match(text.strip()):
            raise CrimegraphError(f"not {kind}: {text!r}")
        try:
            return Literal(convert(text.strip()))
        except (ValueError, InvalidOperation) as exc:
            raise CrimegraphError(f"not {kind}: {text!r}") from exc

    return parse


def _place_iri(text: str) -> URIRef:
    from graph.rdf import place_iri

    return place_iri(place_code(text))


def _country_iri(text: str) -> URIRef:
    from graph.rdf import country_iri

    return country_iri(country_code(text))


#: How a parameter value of each declared type becomes an RDF term.
PARAMETER_KINDS: dict[str, Callable[[str], Identifier]] = {
    "country": _country_iri,
    "place": _place_iri,
    "market": lambda text: CGV[market_slug(text)],
    "indicator": _indicator_iri,
    "text": Literal,
    "integer": _number("an integer", _INTEGER, int),
    "decimal": _number("a number", _DECIMAL, Decimal),
}


def term(text: str) -> Identifier:
    """A parameter value of an ad-hoc query as an RDF term, written as in Turtle.

    ``<…>`` and ``prefix:name`` (a crimegraph prefix) are IRIs, numbers are numbers, ``"…"`` and
    anything else is a string.

    >>> [term(v).n3() for v in ("<http://x/y>", "cgv:heroin-trade", "KAZ")]
    ['<http://x/y>', '<https://w3id.org/crimegraph/vocab/heroin-trade>', '"KAZ"']
    >>> term("6.5").datatype.split("#")[1], term("12").toPython()
    ('decimal', 12)
    """
    value = text.strip()
    if value.startswith("<") and value.endswith(">"):
        iri = value[1:-1]
        if not iri or re.search(r"[\s<>\"{}|^`\\]", iri):
            raise CrimegraphError(f"not an IRI: {text!r}")
        return URIRef(iri)
    prefix, colon, local = value.partition(":")
    if colon and prefix in PREFIXES and re.fullmatch(r"[\w.\-/%]*", local):
        return PREFIXES[prefix][local]
    if _INTEGER.match(value):
        return Literal(int(value))
    if _DECIMAL.match(value):
        return Literal(Decimal(value))
    if len(value) >= 2 and value[0] == value[-1] == '"':
        return Literal(value[1:-1])
    return Literal(value)


def bind_canned(query: CannedQuery, params: Mapping[str, str]) -> dict[str, Identifier]:
    """The bindings of a canned query: each given value, else its default, typed as declared.

    A name the header does not declare raises CrimegraphError naming the declared ones.
    """
    for name in params:
        query.parameter(name)
    out: dict[str, Identifier] = {}
    for p in query.parameters:
        value = params.get(p.name, p.default)
        if value == ANY and p.optional:
            continue
        try:
            out[p.name] = PARAMETER_KINDS[p.kind](value)
        except CrimegraphError as exc:
            raise CrimegraphError(f"parameter {p.name}: {exc}") from exc
    return out


# --- checking and running -----------------------------------------------------------------------


def _walk(node: Any) -> Iterator[CompValue]:
    """Every algebra node below ``node`` (lists, dicts and CompValues)."""
    if isinstance(node, CompValue):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list | tuple):
        for item in node:
            yield from _walk(item)


def _variables(node: Any) -> set[str]:
    found: set[str] = set()
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, Variable):
            found.add(str(item))
        elif isinstance(item, CompValue | dict):
            stack.extend(item.values())
        elif isinstance(item, list | tuple | set | frozenset):
            stack.extend(item)
    return found


def _one_line(exc: Exception, text: str) -> str:
    if isinstance(exc, ParseBaseException):
        line = text.splitlines()[exc.lineno - 1] if text.splitlines() else ""
        near = line[max(0, exc.col - 1) :][:40].strip()
        where = f"near {near!r}" if near else "at the end of the query"
        return f"malformed SPARQL at line {exc.lineno}, column {exc.col} ({where})"
    message = " ".join(str(exc).split()) or type(exc).__name__
    return f"malformed SPARQL: {message[:200]}"


_UPDATE_REFUSED = (
    "updates are refused: this request would change the graph "
    "(allow it with --allow-update, or allow_update=True)"
)
_NETWORK_REFUSED = (
    "{what} reaches out to the web and is refused "
    "(allow it with --allow-network, or allow_network=True)"
)


def _check_network(algebra: Any, allow_network: bool) -> None:
    if allow_network:
        return
    for node in _walk(algebra):
        if node.name == "ServiceGraphPattern":
            raise CrimegraphError(_NETWORK_REFUSED.format(what="SERVICE"))
        if node.name == "Load":
            raise CrimegraphError(_NETWORK_REFUSED.format(what="LOAD"))
        if node.name == "UsingClause":  # an update's dataset: the store may fetch it
            raise CrimegraphError(_NETWORK_REFUSED.format(what="USING"))
    if isinstance(algebra, CompValue) and algebra.get("datasetClause"):
        raise CrimegraphError(_NETWORK_REFUSED.format(what="FROM"))


def prepare(text: str, *, allow_update: bool = False, allow_network: bool = False) -> Query | None:
    """Parse and check a query: the parsed query, or None for an update that may run.

    Raises CrimegraphError (one line) for malformed SPARQL, a refused update or network access.
    """
    try:
        query = translateQuery(parseQuery(text), initNs=PREFIXES)
    except Exception as exc:  # pyparsing and rdflib's translation raise many types
        error = exc
    else:
        _check_network(query.algebra, allow_network)
        return query
    try:
        update = translateUpdate(parseUpdate(text), initNs=PREFIXES)
    except Exception:
        raise CrimegraphError(_one_line(error, text)) from error
    if not getattr(update, "algebra", None):  # nothing but blanks and comments
        raise CrimegraphError(_one_line(error, text)) from error
    _check_network(update.algebra, allow_network)
    if not allow_update:
        raise CrimegraphError(_UPDATE_REFUSED)
    return None


def _python(value: Node | None) -> Any:
    if value is None:
        return None
    if isinstance(value, Literal):
        py = value.toPython()
        if isinstance(py, Decimal):
            return float(py)
        if isinstance(py, bool | int | float | str):
            return py
        return str(value)
    if isinstance(value, BNode):
        return f"_:{value}"
    return str(value)


def _on_rdflib_store(g: Graph) -> bool:
    """True for rdflib's own stores, which evaluate a parsed query; others get the text."""
    return type(g.store).__module__.startswith("rdflib.")


def run_query(
    g: Graph,
    text: str,
    params: Mapping[str, str | Identifier] | None = None,
    *,
    allow_update: bool = False,
    allow_network: bool = False,
) -> QueryResult:
    """Run a SPARQL query on ``g`` with its variables bound to ``params``.

    A parameter value that is a string is read with :func:`term`; every parameter must be a
    variable of the query.
    """
    query = prepare(text, allow_update=allow_update, allow_network=allow_network)
    bindings = {k: v if isinstance(v, Identifier) else term(v) for k, v in (params or {}).items()}
    if query is None:
        return _run_update(g, text, bindings)
    known = _variables(query.algebra)
    unknown = sorted(set(bindings) - known)
    if unknown:
        raise CrimegraphError(f"the query has no variable ?{unknown[0]} to bind")
    try:
        if _on_rdflib_store(g):
            result = g.query(query, initBindings=bindings)
        else:
            result = g.query(text, initNs=PREFIXES, initBindings=bindings)
        return result_records(result)
    except CrimegraphError:
        raise
    except Exception as exc:  # evaluation errors of the engine, one line
        message = " ".join(str(exc).split()) or type(exc).__name__
        raise CrimegraphError(f"query failed: {type(exc).__name__}: {message[:200]}") from exc


def result_records(result: Any) -> QueryResult:
    """An rdflib query result (local or parsed from an endpoint) as a plain QueryResult."""
    if result.type == "ASK":
        return QueryResult("ASK", boolean=bool(result.askAnswer))
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        return QueryResult(result.type, graph=result.graph)
    columns = [str(v) for v in result.vars or []]
    rows = [
        {c: _python(row[i]) for i, c in enumerate(columns)}  # row is a ResultRow
        for row in result
    ]
    return QueryResult("SELECT", columns=columns, rows=rows)


def _run_update(g: Graph, text: str, bindings: Mapping[str, Identifier]) -> QueryResult:
    before = len(g)
    try:
        if bindings:
            g.update(text, initNs=PREFIXES, initBindings=bindings)
        else:
            g.update(text, initNs=PREFIXES)
    except Exception as exc:
        message = " ".join(str(exc).split()) or type(exc).__name__
        raise CrimegraphError(f"update failed: {message[:200]}") from exc
    return QueryResult("UPDATE", changed=len(g) - before)


def run_canned(
    g: Graph, name: str, params: Mapping[str, str] | None = None, directory: Path = QUERIES_DIR
) -> QueryResult:
    """Run the canned query ``name`` with its parameters (defaults for those not given)."""
    query = canned(name, directory)
    bindings = bind_canned(query, params or {})
    return run_query(g, query.text, bindings)


def shorten(value: Any) -> Any:
    """An IRI written with a crimegraph prefix (``cgv:heroin-trade``); other values unchanged.

    >>> shorten("https://w3id.org/crimegraph/id/country/KAZ"), shorten(6.5)
    ('cgi:country/KAZ', 6.5)
    """
    if not isinstance(value, str) or "://" not in value:
        return value
    matches = [(len(ns), prefix) for prefix, ns in PREFIXES.items() if value.startswith(ns)]
    if not matches:
        return value
    length, prefix = max(matches)
    return f"{prefix}:{value[length:]}"
