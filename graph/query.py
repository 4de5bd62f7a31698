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

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from pyparsing import ParseBaseException
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.plugins.sparql.algebra import translateQuery, translateUpdate
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.plugins.sparql.sparql import Query
from rdflib.term import Identifier, Node, Variable

from graph.canned import (
    ANY,
    KINDS,
    QUERIES_DIR,
    CannedQuery,
    Parameter,
    canned,
    canned_queries,
    country_code,
    parse_header,
    parse_number,
    parse_term,
    place_code,
    query_file,
    resolve_market,
)
from graph.errors import CrimegraphError
from graph.iris import QUERY_PREFIX_IRIS, shorten
from graph.namespaces import CGV, QUERY_PREFIXES
from graph.pagestart import page_params

# --- records ------------------------------------------------------------------------------------


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


# --- parameters ---------------------------------------------------------------------------------


def market_slug(text: str) -> str:
    """The market a slug, label or word names: ``heroin`` → ``heroin-trade``.

    A word must pick one market; an ambiguous or unknown one raises CrimegraphError.

    >>> market_slug("Heroin trade"), market_slug("heroin"), market_slug("cgv:heroin-trade")
    ('heroin-trade', 'heroin-trade', 'heroin-trade')
    """
    from graph.vocab import by_label, indicator, market_slugs

    def labelled(label: str) -> str | None:
        found = by_label(label)
        return found.slug if found is not None else None

    return resolve_market(text, market_slugs(), lambda s: indicator(s).label, labelled)


def _indicator_iri(text: str) -> URIRef:
    from graph.vocab import by_label, indicator

    found = by_label(text)
    return CGV[found.slug if found is not None else indicator(text.strip()).slug]


def _number(kind: str) -> Callable[[str], Literal]:
    return lambda text: Literal(parse_number(kind, text))


def _place_iri(text: str) -> URIRef:
    from graph.rdf import place_iri

    return place_iri(place_code(text))


def _country_iri(text: str) -> URIRef:
    from graph.rdf import country_iri

    return country_iri(country_code(text))


#: How a parameter value of each declared type (:data:`graph.canned.KINDS`) becomes an RDF term.
PARAMETER_KINDS: dict[str, Callable[[str], Identifier]] = {
    "country": _country_iri,
    "place": _place_iri,
    "market": lambda text: CGV[market_slug(text)],
    "indicator": _indicator_iri,
    "text": Literal,
    "integer": _number("integer"),
    "decimal": _number("decimal"),
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
    kind, value = parse_term(text, QUERY_PREFIX_IRIS)
    if kind == "iri":
        return URIRef(str(value))
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
        query = translateQuery(parseQuery(text), initNs=QUERY_PREFIXES)
    except Exception as exc:  # pyparsing and rdflib's translation raise many types
        error = exc
    else:
        _check_network(query.algebra, allow_network)
        return query
    try:
        update = translateUpdate(parseUpdate(text), initNs=QUERY_PREFIXES)
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
            result = g.query(text, initNs=QUERY_PREFIXES, initBindings=bindings)
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
            g.update(text, initNs=QUERY_PREFIXES, initBindings=bindings)
        else:
            g.update(text, initNs=QUERY_PREFIXES)
    except Exception as exc:
        message = " ".join(str(exc).split()) or type(exc).__name__
        raise CrimegraphError(f"update failed: {message[:200]}") from exc
    return QueryResult("UPDATE", changed=len(g) - before)


def run_canned(
    g: Graph, name: str, params: Mapping[str, str] | None = None, directory: Path = QUERIES_DIR
) -> QueryResult:
    """Run the canned query ``name`` with its parameters (defaults for those not given)."""
    query = canned(name, directory)
    params = page_params(
        query, params or {}, lambda q, p: run_query(g, q.text, bind_canned(q, p)).rows
    )
    return run_query(g, query.text, bind_canned(query, params))


__all__ = [
    "ANY",
    "KINDS",
    "QUERIES_DIR",
    "CannedQuery",
    "Parameter",
    "QueryResult",
    "bind_canned",
    "canned",
    "canned_queries",
    "country_code",
    "market_slug",
    "parse_header",
    "place_code",
    "prepare",
    "query_file",
    "result_records",
    "run_canned",
    "run_query",
    "shorten",
    "term",
]
