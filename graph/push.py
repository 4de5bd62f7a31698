"""Load a built graph into a triple store, replacing one named graph, all or nothing.

Two standard ways in:

- SPARQL 1.1 Update (``update``): ``INSERT DATA`` in batches into a fresh staging graph, then one
  ``MOVE`` onto the named graph. Readers never see half a push; a push that fails while staging
  leaves the named graph as it was and drops the staging graph (or names it in the error, when
  that fails too).
- the Graph Store Protocol (``gsp``): one ``PUT`` of the whole graph (the protocol has no way to
  move a staged graph). That is all or nothing only where the store applies a PUT as a whole:
  Virtuoso 7.2 does not (a PUT that fails half-way leaves the graph emptied and partly loaded),
  so a failed PUT says the target may be in either state. With ``batch_size`` the graph goes as
  a ``PUT`` of the first batch and a ``POST`` of each other one: the old graph is gone after
  the first, so a failure says how much of the new one the store holds.

Either way a second push of the same graph leaves the same triples. Triples that share a blank
node travel in one batch: a blank node label means one node only within one request. Requests
are bounded in time (the endpoint's total ``timeout`` covers the whole push) and transient
failures retried where sending twice is harmless (:mod:`graph.transport`).
"""

from __future__ import annotations

import contextlib
import re
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

import httpx
from rdflib import BNode, Graph, URIRef
from rdflib.term import Node

from graph.errors import CrimegraphError
from graph.remote import Endpoint, check, run_remote, send
from graph.transport import Deadline, request

#: The named graph a push replaces unless told otherwise.
DEFAULT_GRAPH = "https://w3id.org/crimegraph/graph"
#: Triples per SPARQL Update request: large enough to be quick, small enough for any store's
#: limits (Virtuoso 7.2's SPARQL compiler runs out of parser stack near 5,000 triples of INSERT
#: DATA).
DEFAULT_BATCH = 1000
#: How long the removal of a failed push's staging graph may take.
CLEANUP_SECONDS = 30.0
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


class PushFailed(CrimegraphError):
    """A push that failed, saying what state it left the store in."""


def _has_blank(batch: list[Triple]) -> bool:
    return any(isinstance(n, BNode) for t in batch for n in t)


def _by_update(
    client: httpx.Client,
    endpoint: Endpoint,
    g: Graph,
    target: URIRef,
    size: int | None,
    on_batch: Callable[[int], None],
    deadline: Deadline,
) -> int:
    def update(text: str, idempotent: bool = True, within: Deadline = deadline) -> None:
        send(client, endpoint, {"update": text}, "*/*", within, idempotent=idempotent)

    if len(g) == 0:
        try:
            update(f"DROP SILENT GRAPH {target.n3()}", idempotent=True)
        except CrimegraphError as exc:
            raise PushFailed(f"{exc} — <{target}> was not emptied") from exc
        return 0
    staging = URIRef(f"urn:uuid:{uuid.uuid4()}")
    todo = list(batches(g, size or DEFAULT_BATCH))
    done = 0
    try:
        for batch in todo:
            update(insert(staging, batch), idempotent=not _has_blank(batch))
            done += 1
            on_batch(len(batch))
    except BaseException as exc:
        where = f"batch {done + 1} of {len(todo)}"
        cause = str(exc) if isinstance(exc, CrimegraphError) else "interrupted"
        try:  # the clean-up gets time of its own: the push's may be what ran out
            update(f"DROP SILENT GRAPH {staging.n3()}", within=Deadline(CLEANUP_SECONDS))
        except CrimegraphError as cleanup:
            left = (
                f"the staging graph <{staging}> could not be removed ({cleanup}): "
                f"remove it with DROP SILENT GRAPH <{staging}>"
            )
        else:
            left = f"the staging graph <{staging}> was removed"
        message = f"push failed at {where} ({cause}); <{target}> is unchanged; {left}"
        if isinstance(exc, CrimegraphError):
            raise PushFailed(message) from exc
        raise
    try:
        update(f"MOVE GRAPH {staging.n3()} TO GRAPH {target.n3()}", idempotent=False)
    except CrimegraphError as exc:
        raise PushFailed(
            f"push failed at the final MOVE ({exc}); <{target}> may hold the old graph or "
            f"the new one (check it), and the staging graph <{staging}> may remain: "
            f"remove it with DROP SILENT GRAPH <{staging}>"
        ) from exc
    return len(todo)


def _by_graph_store(
    client: httpx.Client,
    endpoint: Endpoint,
    g: Graph,
    target: URIRef,
    size: int | None,
    on_batch: Callable[[int], None],
    deadline: Deadline,
) -> int:
    params = {"graph": str(target)}
    headers = {"Content-Type": "text/turtle; charset=utf-8"}
    timing = endpoint.with_timing()
    if len(g) == 0:
        response = request(client, "DELETE", endpoint.url, timing, deadline, params=params)
        if response.status_code != 404:
            check(response, endpoint.url)
        return 0
    todo = list(batches(g, size)) if size else [list(g)]
    held = 0
    for count, batch in enumerate(todo):
        method = "PUT" if count == 0 else "POST"
        body = ntriples(batch).encode("utf-8")
        try:
            response = request(
                client, method, endpoint.url, timing, deadline,
                idempotent=not _has_blank(batch), params=params, content=body, headers=headers,
            )  # fmt: skip
            check(response, endpoint.url)
        except CrimegraphError as exc:
            if count == 0:
                state = (
                    f"<{target}> may be unchanged, or emptied and partly loaded: a store may "
                    "apply part of a failed PUT (Virtuoso 7.2 keeps what it read before the "
                    "error); push again, or use --protocol update, which is all or nothing"
                )
            else:
                state = (
                    f"<{target}> now holds only the first {held:,} of {len(g):,} triples "
                    f"(batches 1–{count} of {len(todo)}): the old graph is gone; push again"
                )
            raise PushFailed(
                f"push failed at {method} {count + 1} of {len(todo)} ({exc}); {state}"
            ) from exc
        held += len(batch)
        on_batch(len(batch))
    return len(todo)


def push(
    g: Graph,
    endpoint: Endpoint,
    graph: str = DEFAULT_GRAPH,
    *,
    protocol: str = "update",
    batch_size: int | None = None,
    on_batch: Callable[[int], None] | None = None,
) -> PushResult:
    """Replace the named graph ``graph`` at ``endpoint`` with the triples of ``g``, all or
    nothing (see the module docstring for ``gsp`` with a ``batch_size``).

    ``protocol`` is ``update`` (a SPARQL 1.1 Update endpoint; batches of ``batch_size``, default
    :data:`DEFAULT_BATCH`) or ``gsp`` (a Graph Store Protocol endpoint; one request unless
    ``batch_size`` is given); ``on_batch`` gets the number of triples of each batch sent.
    Raises :class:`PushFailed` saying what the store holds when a request fails.
    """
    if batch_size is not None and batch_size < 1:
        raise CrimegraphError("the batch size must be at least 1")
    if protocol not in PROTOCOLS:
        raise CrimegraphError(f"unknown protocol {protocol!r} (known: {', '.join(PROTOCOLS)})")
    target = graph_iri(graph)
    started = time.monotonic()
    way = _by_update if protocol == "update" else _by_graph_store
    deadline = endpoint.deadline()
    with endpoint.client() as client:
        if endpoint.user:
            _authenticate(client, endpoint, deadline)
        sent = way(client, endpoint, g, target, batch_size, on_batch or (lambda n: None), deadline)
    return PushResult(str(target), len(g), sent, time.monotonic() - started)


def _authenticate(client: httpx.Client, endpoint: Endpoint, deadline: Deadline) -> None:
    """Answer the server's challenge with a request that carries no body, so that the large
    requests after it go with their credentials at once: a server that refuses a large body
    unauthenticated may close the connection before it has read it (Virtuoso 7.2 does, and the
    client then reads a broken answer)."""
    with contextlib.suppress(CrimegraphError):
        request(client, "HEAD", endpoint.url, endpoint.with_timing(), deadline)


def count_triples(endpoint: Endpoint, graph: str = DEFAULT_GRAPH) -> int:
    """The number of triples the named graph holds at a SPARQL query endpoint."""
    target = graph_iri(graph)
    result = run_remote(
        endpoint, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {target.n3()} {{ ?s ?p ?o }} }}"
    )
    return int(result.rows[0]["n"]) if result.rows else 0
