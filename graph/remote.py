"""Run SPARQL on a remote endpoint over the SPARQL 1.1 Protocol, with the rows in the shape
:func:`graph.query.run_query` gives for a local graph.

The query is checked locally first (:func:`graph.query.prepare`: no update, SERVICE, LOAD or
FROM unless allowed), then sent self-contained: crimegraph prefixes declared and parameters
bound in the text (:mod:`graph.querytext`). Results are read as SPARQL JSON, which every store
writes (Virtuoso's XML trips rdflib's parser). Credentials go as Basic or Digest, whichever the
server's challenge asks for. Every request is bounded in time and size and transient failures
are retried a few times (:mod:`graph.transport`); the server's error text is shown without
terminal control characters.
"""

from __future__ import annotations

import io
from collections.abc import Generator, Mapping
from dataclasses import dataclass

import httpx
from rdflib import Graph
from rdflib.query import Result
from rdflib.term import Identifier

from graph import __version__
from graph.controlchars import printable
from graph.errors import CrimegraphError
from graph.pagestart import page_params
from graph.query import QueryResult, bind_canned, canned, prepare, result_records, term
from graph.querytext import remote_text
from graph.transport import DEFAULT_TIMING, Deadline, Timing, request

#: Query kinds by the name of their algebra node.
_KINDS = {
    "SelectQuery": "SELECT",
    "AskQuery": "ASK",
    "ConstructQuery": "CONSTRUCT",
    "DescribeQuery": "DESCRIBE",
}
_TABLES = "application/sparql-results+json"
_GRAPHS = "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.5"


class ChallengeAuth(httpx.Auth):
    """HTTP Digest or Basic authentication, whichever the server's 401 challenge names.

    Virtuoso's ``/sparql-auth`` wants Digest; Fuseki and GraphDB behind a proxy often Basic.
    """

    def __init__(self, user: str, password: str):
        self._digest = httpx.DigestAuth(user, password)
        self._basic = httpx.BasicAuth(user, password)
        self._use_basic = False

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        if self._use_basic:
            yield from self._basic.auth_flow(request)
            return
        flow = self._digest.auth_flow(request)
        outgoing = next(flow)
        while True:
            response = yield outgoing
            try:
                outgoing = flow.send(response)
            except StopIteration:
                break
        challenges = response.headers.get_list("www-authenticate")
        if response.status_code == 401 and any(c.lower().startswith("basic") for c in challenges):
            self._use_basic = True
            yield from self._basic.auth_flow(request)


@dataclass(frozen=True)
class Endpoint:
    """A SPARQL endpoint: its URL, the credentials it wants, how long to wait for it (``timing``;
    ``timeout`` is the total of one operation: a query, or a whole push), and the named graph
    that queries read as their default graph (else the store's own default)."""

    url: str
    user: str | None = None
    password: str | None = None
    timeout: float = 300.0
    graph: str | None = None
    timing: Timing = DEFAULT_TIMING

    def client(self) -> httpx.Client:
        """An HTTP client for this endpoint (close it, or use it in a ``with``)."""
        if not self.url.startswith(("http://", "https://")):
            raise CrimegraphError(f"not an http(s) URL: {self.url!r}")
        auth = ChallengeAuth(self.user, self.password or "") if self.user else None
        return httpx.Client(
            auth=auth,
            timeout=httpx.Timeout(self.timing.read, connect=self.timing.connect),
            headers={"User-Agent": f"crimegraph/{__version__}"},
        )

    def deadline(self) -> Deadline:
        """The deadline of one operation, starting now."""
        return Deadline(self.timeout)

    def with_timing(self) -> Timing:
        """The timing of this endpoint's requests, its total being ``timeout``."""
        return Timing(
            self.timing.connect, self.timing.read, self.timeout,
            self.timing.retries, self.timing.max_bytes,
        )  # fmt: skip


def send(
    client: httpx.Client,
    endpoint: Endpoint,
    form: Mapping[str, str],
    accept: str,
    deadline: Deadline | None = None,
    *,
    idempotent: bool = True,
) -> httpx.Response:
    """POST a form (``query=…`` or ``update=…``) to the endpoint within ``deadline`` (else
    the endpoint's whole ``timeout``); CrimegraphError unless 2xx."""
    response = request(
        client,
        "POST",
        endpoint.url,
        endpoint.with_timing(),
        deadline or endpoint.deadline(),
        idempotent=idempotent,
        data=dict(form),
        headers={"Accept": accept},
    )
    check(response, endpoint.url)
    return response


def check(response: httpx.Response, url: str) -> None:
    """Raise CrimegraphError (one line, with the server's first words, control characters
    removed) for a non-2xx answer, and for an answer the endpoint says it cut short."""
    if response.is_success:
        if response.headers.get("X-SQL-State") == _CUT_SHORT:
            raise CrimegraphError(
                f"{url}: the endpoint stopped the query at its own time limit and answered with "
                "the rows it had so far (incomplete); narrow the query or raise the limit"
            )
        return
    detail = printable(response.text)[:200] or response.reason_phrase
    hint = " (check --user and --password)" if response.status_code == 401 else ""
    raise CrimegraphError(f"{url} answered {response.status_code}: {detail}{hint}")


#: Virtuoso's state for an "anytime" answer: the rows found before its time limit, sent as 200.
_CUT_SHORT = "S1TAT"


def _kind(text: str, allow_update: bool, allow_network: bool) -> str:
    """SELECT, ASK, CONSTRUCT, DESCRIBE or UPDATE; CrimegraphError for a refused query."""
    query = prepare(text, allow_update=allow_update, allow_network=allow_network)
    return "UPDATE" if query is None else _KINDS.get(str(query.algebra.name), "SELECT")


def run_remote(
    endpoint: Endpoint,
    text: str,
    params: Mapping[str, str | Identifier] | None = None,
    *,
    allow_update: bool = False,
    allow_network: bool = False,
) -> QueryResult:
    """Run a SPARQL query on ``endpoint`` with its variables bound to ``params`` (strings are
    read with :func:`graph.query.term`, as :func:`graph.query.run_query` does)."""
    kind = _kind(text, allow_update, allow_network)
    bindings = {k: v if isinstance(v, Identifier) else term(v) for k, v in (params or {}).items()}
    full = remote_text(text, bindings)
    with endpoint.client() as client:
        if kind == "UPDATE":
            send(client, endpoint, {"update": full}, "*/*")
            return QueryResult("UPDATE")
        graphs = kind in ("CONSTRUCT", "DESCRIBE")
        form = {"query": full}
        if endpoint.graph:
            form["default-graph-uri"] = endpoint.graph
        response = send(client, endpoint, form, _GRAPHS if graphs else _TABLES)
    media_type = response.headers.get("content-type", "").split(";")[0].strip()
    try:
        if graphs:
            g = Graph().parse(data=response.content, format=media_type or "turtle")
            return QueryResult(kind, graph=g)
        return result_records(Result.parse(io.BytesIO(response.content), format="json"))
    except Exception as exc:  # parsers of rdflib raise many types
        first = " ".join(str(exc).split())[:200]
        raise CrimegraphError(f"{endpoint.url}: unreadable answer ({media_type}: {first})") from exc


def run_remote_canned(
    endpoint: Endpoint, name: str, params: Mapping[str, str] | None = None
) -> QueryResult:
    """Run the canned query ``name`` on ``endpoint`` (defaults for the parameters not given)."""
    query = canned(name)
    params = page_params(
        query, params or {}, lambda q, p: run_remote(endpoint, q.text, bind_canned(q, p)).rows
    )
    return run_remote(endpoint, query.text, bind_canned(query, params))
