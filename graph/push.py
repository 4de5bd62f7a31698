"""Load a built graph into a triple store, replacing one named graph, in batches.

Two standard ways in: SPARQL 1.1 Update (``INSERT DATA`` into a fresh staging graph, then
``MOVE`` it onto the named graph, so readers never see half a push and a failed push leaves the
old graph as it was) or the Graph Store Protocol (``PUT`` the first batch, ``POST`` the rest).
Either way a second push of the same graph leaves the same triples. Triples that share a blank
node travel in one batch: a blank node label means one node only within one request.
"""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import suppress
from dataclasses import dataclass

import httpx
from rdflib import BNode, Graph, URIRef
from rdflib.term import Node

from graph.errors import CrimegraphError
from graph.remote import Endpoint, check, run_remote, send

#: The named graph a push replaces unless told otherwise.
DEFAULT_GRAPH = "https://w3id.org/crimegraph/graph"
#: Triples per request: large enough to be quick, small enough for any store's limits
#: (Virtuoso 7.2's SPARQL compiler runs out of parser stack near 5,000 triples of INSERT DATA).
DEFAULT_BATCH = 1000
#: The ways into a store.
PROTOCOLS = ("update", "gsp")

Triple = tuple[Node, Node, Node]


@dataclass(frozen=True)
class PushResult:
    """What a push did: the named graph, the triples and batches sent, and how long it took."""

    graph: str
    triples: int
    batches: int
    seconds: float


def _root(parent: dict[BNode, BNode], node: BNode) -> BNode:
    while parent.setdefault(node, node) != node:
        parent[node] = parent[parent[node]]
        node = parent[node]
    return node


def _units(triples: Iterable[Triple]) -> list[list[Triple]]:
    """The triples as units that must travel together: one triple alone, or every triple of a
    set of blank nodes linked to each other (an RDF list, say)."""
    parent: dict[BNode, BNode] = {}
    plain: list[list[Triple]] = []
    linked: list[Triple] = []
    for t in triples:
        blanks = [n for n in (t[0], t[2]) if isinstance(n, BNode)]
        if not blanks:
            plain.append([t])
            continue
        linked.append(t)
        roots = [_root(parent, b) for b in blanks]
        for r in roots[1:]:
            parent[r] = roots[0]
    components: dict[BNode, list[Triple]] = {}
    for t in linked:
        blank = t[0] if isinstance(t[0], BNode) else t[2]
        assert isinstance(blank, BNode)
        components.setdefault(_root(parent, blank), []).append(t)
    return plain + list(components.values())


def batches(g: Graph, size: int = DEFAULT_BATCH) -> Iterator[list[Triple]]:
    """The triples of ``g`` in batches of at most ``size`` (a blank-node group larger than that
    goes alone).

    >>> from rdflib import Graph
    >>> g = Graph().parse(data="<x:a> <x:p> (1 2 3) . <x:b> <x:p> <x:c> .", format="turtle")
    >>> [len(b) for b in batches(g, 2)]
    [1, 7]
    """
    if size < 1:
        raise CrimegraphError("the batch size must be at least 1")
    batch: list[Triple] = []
    for unit in _units(g):
        if batch and len(batch) + len(unit) > size:
            yield batch
            batch = []
        batch.extend(unit)
    if batch:
        yield batch


def ntriples(triples: Iterable[Triple]) -> str:
    """Triples as N-Triples, which is also valid Turtle and SPARQL ``INSERT DATA`` content."""
    g = Graph()
    for t in triples:
        g.add(t)
    return g.serialize(format="nt")


def graph_iri(text: str) -> URIRef:
    """A named-graph IRI, checked: absolute, and nothing that would break out of ``<…>``."""
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|^`\\]+", text):
        raise CrimegraphError(f"not an absolute IRI for a named graph: {text!r}")
    return URIRef(text)


def insert(graph: URIRef, batch: list[Triple]) -> str:
    """The SPARQL Update that adds ``batch`` to ``graph``: ``INSERT DATA``, or for triples with
    blank nodes ``INSERT { … } WHERE {}``, which makes the same fresh nodes (Virtuoso refuses
    blank nodes in INSERT DATA).

    >>> insert(URIRef("x:g"), [(URIRef("x:a"), URIRef("x:p"), URIRef("x:b"))]).split("{")[:2]
    ['INSERT DATA ', ' GRAPH <x:g> ']
    """
    body = ntriples(batch)
    if any(isinstance(n, BNode) for t in batch for n in t):
        return f"INSERT {{ GRAPH {graph.n3()} {{\n{body}}} }} WHERE {{}}"
    return f"INSERT DATA {{ GRAPH {graph.n3()} {{\n{body}}} }}"


def _by_update(
    client: httpx.Client,
    endpoint: Endpoint,
    g: Graph,
    target: URIRef,
    size: int,
    on_batch: Callable[[int], None],
) -> int:
    def update(text: str) -> None:
        send(client, endpoint, {"update": text}, "*/*")

    if len(g) == 0:
        update(f"DROP SILENT GRAPH {target.n3()}")
        return 0
    staging = URIRef(f"urn:uuid:{uuid.uuid4()}")
    count = 0
    try:
        for batch in batches(g, size):
            update(insert(staging, batch))
            count += 1
            on_batch(len(batch))
        update(f"MOVE GRAPH {staging.n3()} TO GRAPH {target.n3()}")
    except BaseException:
        with suppress(CrimegraphError):
            update(f"DROP SILENT GRAPH {staging.n3()}")
        raise
    return count


def _by_graph_store(
    client: httpx.Client,
    endpoint: Endpoint,
    g: Graph,
    target: URIRef,
    size: int,
    on_batch: Callable[[int], None],
) -> int:
    params = {"graph": str(target)}
    headers = {"Content-Type": "text/turtle; charset=utf-8"}
    if len(g) == 0:
        try:
            response = client.delete(endpoint.url, params=params)
        except httpx.HTTPError as exc:
            raise CrimegraphError(f"cannot reach {endpoint.url} ({exc})") from exc
        if response.status_code != 404:
            check(response, endpoint.url)
        return 0
    count = 0
    for batch in batches(g, size):
        method = client.put if count == 0 else client.post
        body = ntriples(batch).encode("utf-8")
        try:
            response = method(endpoint.url, params=params, content=body, headers=headers)
        except httpx.HTTPError as exc:
            raise CrimegraphError(f"cannot reach {endpoint.url} ({exc})") from exc
        check(response, endpoint.url)
        count += 1
        on_batch(len(batch))
    return count


def push(
    g: Graph,
    endpoint: Endpoint,
    graph: str = DEFAULT_GRAPH,
    *,
    protocol: str = "update",
    batch_size: int = DEFAULT_BATCH,
    on_batch: Callable[[int], None] | None = None,
) -> PushResult:
    """Replace the named graph ``graph`` at ``endpoint`` with the triples of ``g``.

    ``protocol`` is ``update`` (a SPARQL 1.1 Update endpoint) or ``gsp`` (a Graph Store Protocol
    endpoint); ``on_batch`` gets the number of triples of each batch sent.
    """
    if protocol not in PROTOCOLS:
        raise CrimegraphError(f"unknown protocol {protocol!r} (known: {', '.join(PROTOCOLS)})")
    target = graph_iri(graph)
    started = time.monotonic()
    way = _by_update if protocol == "update" else _by_graph_store
    with endpoint.client() as client:
        sent = way(client, endpoint, g, target, batch_size, on_batch or (lambda n: None))
    return PushResult(str(target), len(g), sent, time.monotonic() - started)


def count_triples(endpoint: Endpoint, graph: str = DEFAULT_GRAPH) -> int:
    """The number of triples the named graph holds at a SPARQL query endpoint."""
    target = graph_iri(graph)
    result = run_remote(
        endpoint, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {target.n3()} {{ ?s ?p ?o }} }}"
    )
    return int(result.rows[0]["n"]) if result.rows else 0
