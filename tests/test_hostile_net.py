"""Hostile clients and hostile servers (issue 11, items 4, 6, 7, 8, 11, 12, 13): each case with
the outcome it must end in, with short limits so that the whole table runs in CI.

Server side: one ``crimegraph serve`` over the gold graph with a 2 s time limit, a 1 s request
timeout, 8 connections per client, a 200 kB byte limit and 600 MB per worker. Client side: a
scripted server (:mod:`tests.fake_store`) that trickles, stalls, fails or fails transiently.
"""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import httpx
import pytest
from rdflib import Graph, Literal, URIRef

from graph.cli import main
from graph.controlchars import printable
from graph.errors import CrimegraphError
from graph.httpguard import allowed_hosts, host_allowed
from graph.push import PushFailed, push
from graph.query import prepare
from graph.remote import Endpoint, run_remote
from graph.serve import serving
from graph.transport import Timing

from .fake_store import Got, Reply, fake_store

EXPENSIVE = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
CHEAP = "ASK { ?flow a cg:Flow }"


def doubling(times: int) -> str:
    """A short query whose answer doubles a 16-character string ``times`` times."""
    steps = " ".join(f"BIND(CONCAT(?a{i}, ?a{i}) AS ?a{i + 1})" for i in range(times))
    return f"SELECT ?s WHERE {{ BIND('0123456789abcdef' AS ?a0) {steps} BIND(?a{times} AS ?s) }}"


ONE_ROW = json.dumps(
    {"head": {"vars": ["n"]}, "results": {"bindings": [{"n": {"type": "literal", "value": "1"}}]}}
).encode()
OPTIONS = (
    "--workers", "2", "--time-limit", "2", "--request-timeout", "1", "--idle-timeout", "1",
    "--max-connections-per-client", "8", "--byte-limit", "200000", "--worker-memory", "600",
)  # fmt: skip


@pytest.fixture(scope="module")
def gold_file(gold_build: Any, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("hostile") / "gold.nt"
    gold_build.graph.serialize(path, format="nt", encoding="utf-8")
    return Path(path)


@pytest.fixture(scope="module")
def server(gold_file: Path) -> Iterator[str]:
    with serving(gold_file, *OPTIONS) as url:
        yield url


def _address(url: str) -> tuple[str, int]:
    parts = urlsplit(url)
    assert parts.hostname is not None and parts.port is not None
    return parts.hostname, parts.port


def _ask(url: str, timeout: float = 30) -> int:
    return httpx.post(url + "sparql", data={"query": CHEAP}, timeout=timeout).status_code


def _ended(url: str, outcome: str) -> int:
    count: int = httpx.get(url + "status").json()["ended"][outcome]
    return count


def _closed(sock: socket.socket) -> bool:
    """Whether the server has closed this connection (it reads end of file, or a reset)."""
    sock.settimeout(0.2)
    try:
        while sock.recv(1024):
            pass  # an answer before closing (503): read on to the end
    except TimeoutError:
        return False
    except OSError:
        return True
    return True


def _quiet(url: str, wait: float = 15) -> None:
    """Wait until the server runs no query (its long-query lane would shed a new one)."""
    deadline = time.monotonic() + wait
    while httpx.get(url + "status").json()["running"] and time.monotonic() < deadline:
        time.sleep(0.1)


def _send_and_hang_up(url: str, query: str) -> None:
    body = urlencode({"query": query}).encode()
    host, port = _address(url)
    with socket.create_connection((host, port)) as sock:
        sock.sendall(
            f"POST /sparql HTTP/1.1\r\nHost: {host}:{port}\r\nContent-Length: {len(body)}\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\n\r\n".encode()
            + body
        )
        time.sleep(0.3)


# --- the server -----------------------------------------------------------------------------------


def test_idle_connections_neither_lock_others_out_nor_stay_open(server: str) -> None:
    host, port = _address(server)
    idle = [socket.create_connection((host, port)) for _ in range(40)]
    try:
        started = time.monotonic()
        assert _ask(server) == 200  # past the cap of 8, the oldest idle ones make room
        assert time.monotonic() - started < 2
        time.sleep(1.5)  # past the request timeout
        assert all(_closed(s) for s in idle)
    finally:
        for s in idle:
            s.close()


def test_a_request_trickled_byte_by_byte_is_cut_at_the_request_timeout(server: str) -> None:
    host, port = _address(server)
    with socket.create_connection((host, port)) as sock:
        started = time.monotonic()
        request = f"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: {host}\r\n".encode()
        closed = False
        for byte in request:
            try:
                sock.sendall(bytes([byte]))
            except OSError:
                closed = True
                break
            time.sleep(0.1)
            if time.monotonic() - started > 4:
                break
        closed = closed or _closed(sock)
        assert closed and time.monotonic() - started < 4


def test_a_query_whose_client_hangs_up_is_stopped(server: str) -> None:
    before = _ended(server, "cancelled")
    for _ in range(4):
        _send_and_hang_up(server, EXPENSIVE)
    started = time.monotonic()
    assert _ask(server) == 200
    assert time.monotonic() - started < 1.5  # not behind the abandoned queries
    deadline = time.monotonic() + 5
    while _ended(server, "cancelled") < before + 4 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _ended(server, "cancelled") >= before + 4


SERVER_CASES: list[tuple[str, dict[str, Any], int, str]] = [
    ("answer over the byte limit", {"data": {"query": "SELECT * { ?s ?p ?o }"}}, 507,
     "larger than the limit of 200,000 bytes"),
    ("expensive query", {"data": {"query": EXPENSIVE}}, 503, "time limit of 2 s"),
    ("timeout parameter", {"data": {"query": EXPENSIVE, "timeout": "0.5"}}, 503,
     "time limit of 0.5 s"),
    ("timeout above the server's", {"data": {"query": EXPENSIVE, "timeout": "100"}}, 503,
     "time limit of 2 s"),
    ("timeout not a number", {"data": {"query": CHEAP, "timeout": "soon"}}, 400,
     "timeout must be a positive number of seconds"),
    ("foreign Host header", {"data": {"query": CHEAP}, "headers": {"Host": "rebind.example"}},
     421, "is not this server's address"),
    ("escape codes in an error", {"data": {"query": "SELECT \x1b[2J\x1b]0;pwned\x07 WHERE {"}},
     400, "malformed SPARQL"),
    ("USING in an update", {"data": {"update": "DELETE { ?s ?p ?o } USING <http://x/> WHERE "
                                               "{ ?s ?p ?o }"}}, 403, "updates are refused"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("case", "request_kwargs", "status", "message"), SERVER_CASES, ids=[c[0] for c in SERVER_CASES]
)
def test_hostile_requests_end_as_expected(
    server: str, case: str, request_kwargs: dict[str, Any], status: int, message: str
) -> None:
    _quiet(server)  # queries of the tests before (abandoned ones) may still be stopping
    response = httpx.post(server + "sparql", timeout=60, **request_kwargs)
    assert response.status_code == status
    assert message in response.text
    assert len(response.text.splitlines()) == 1
    assert not any(ord(c) < 32 and c != "\n" for c in response.text)
    assert _ask(server) == 200


def test_string_doubling_ends_at_the_byte_limit_or_the_memory_limit(gold_file: Path) -> None:
    # Their own server with a long time limit: on a busy machine the strings take long to
    # build, and the byte and memory limits, not the time limit, are what these cases are about.
    roomy = ("--workers", "1", "--time-limit", "120", "--byte-limit", "200000", "--worker-memory",
             "400")  # fmt: skip
    with serving(gold_file, *roomy) as url:
        response = httpx.post(url + "sparql", data={"query": doubling(20)}, timeout=150)
        assert (response.status_code, response.text.count("\n")) == (507, 1)  # 16 MB
        assert "larger than the limit of 200,000 bytes" in response.text
        response = httpx.post(url + "sparql", data={"query": doubling(25)}, timeout=150)
        assert (response.status_code, response.text.count("\n")) == (507, 1)
        assert "its worker passed the memory limit" in response.text
        assert _ask(url) == 200


def test_an_answer_under_the_byte_limit_streams_whole(server: str) -> None:
    query = "SELECT ?s ?o { ?s cg:iso3 ?o }"
    response = httpx.post(server + "sparql", data={"query": query}, timeout=30)
    assert response.status_code == 200
    assert int(response.headers["content-length"]) == len(response.content)
    assert len(response.json()["results"]["bindings"]) > 100


@pytest.mark.parametrize("port", ["99999", "-1", "65536"])
def test_a_port_out_of_range_is_one_line(
    gold_file: Path, port: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["serve", str(gold_file), "--port", port]) == 1
    err = capsys.readouterr().err
    assert err.startswith("crimegraph: error: --port") and err.count("\n") == 1


@pytest.mark.parametrize(
    ("bound", "extra", "header", "allowed"),
    [
        ("127.0.0.1", (), "127.0.0.1:8000", True),
        ("127.0.0.1", (), "localhost", True),
        ("127.0.0.1", (), "[::1]:8000", True),
        ("127.0.0.1", (), "attacker.example:8000", False),
        ("127.0.0.1", (), "", False),
        ("127.0.0.1", ("sparql.example.org",), "sparql.example.org", True),
        ("127.0.0.1", ("*",), "anything.example", True),
        ("0.0.0.0", (), "192.168.1.20:8000", True),
        ("0.0.0.0", (), "attacker.example", False),
    ],
)
def test_the_host_header_must_name_the_bound_address(
    bound: str, extra: tuple[str, ...], header: str, allowed: bool
) -> None:
    assert host_allowed(header, allowed_hosts(bound, extra)) is allowed


def test_using_in_an_update_needs_allow_network() -> None:
    update = "DELETE { ?s ?p ?o } USING <http://example.org/g> WHERE { ?s ?p ?o }"
    with pytest.raises(CrimegraphError, match="USING reaches out to the web"):
        prepare(update, allow_update=True)
    assert prepare(update, allow_update=True, allow_network=True) is None


# --- the client: query --endpoint -----------------------------------------------------------------


def _always(reply: Reply) -> Callable[[int, Got], Reply]:
    return lambda n, got: reply


CLIENT_CASES: list[tuple[str, Callable[[int, Got], Reply], list[str], str, float, int]] = [
    # case, script, options, error (or "" for success), at most seconds, requests the store got
    ("trickling answer", _always(Reply(body=(b"x",) * 40, pause=0.5)), ["--timeout", "2"],
     "within the time limit of 2 s", 4.0, 1),
    ("no answer at all", _always(Reply(body=(b"x",), pause=30)), ["--read-timeout", "1"],
     "no data for 1 s", 4.0, 1),
    ("503 twice, then rows", lambda n, got: Reply(503) if n <= 2 else Reply(
        body=(ONE_ROW,), headers=(("Content-Type", "application/sparql-results+json"),)),
     [], "", 6.0, 3),
    ("502 every time", _always(Reply(502, (b"bad gateway",))), ["--retries", "1"],
     "answered 502: bad gateway", 6.0, 2),
    ("time limit of the server", _always(Reply(503, (b"stopped",), (("X-Time-Limit", "5"),))),
     [], "answered 503: stopped", 3.0, 1),
    ("escape codes in the error", _always(Reply(500, (b"\x1b[31mred\x1b]0;title\x07 text",))),
     [], "answered 500: red text", 3.0, 1),
]  # fmt: skip


@pytest.mark.parametrize(
    ("case", "script", "options", "error", "seconds", "requests"),
    CLIENT_CASES,
    ids=[c[0] for c in CLIENT_CASES],
)
def test_query_endpoint_against_hostile_servers(
    case: str,
    script: Callable[[int, Got], Reply],
    options: list[str],
    error: str,
    seconds: float,
    requests: int,
    capsys: pytest.CaptureFixture[str],
) -> None:
    with fake_store(script) as store:
        started = time.monotonic()
        status = main(["query", "--endpoint", store.url, "SELECT ?n { ?s ?p ?n }", *options])
        took = time.monotonic() - started
        out, err = capsys.readouterr()
        assert len(store.got) == requests
    assert took < seconds
    if error:
        assert status == 1 and error in err and err.count("\n") == 1
        assert "\x1b" not in err and "\x07" not in err
    else:
        assert status == 0 and "1" in out


def test_an_answer_past_the_clients_byte_cap_is_refused() -> None:
    big = Reply(body=(b"x" * 4096,) * 64)
    with fake_store(_always(big)) as store:
        endpoint = Endpoint(store.url, timing=Timing(max_bytes=100_000))
        with pytest.raises(CrimegraphError, match="larger than 100,000 bytes"):
            run_remote(endpoint, "SELECT ?n { ?s ?p ?n }")


def test_printable_removes_what_a_terminal_would_obey() -> None:
    assert printable("a\x1b[2Jb\x1b]0;t\x07c\x00d\r\ne\x9bf") == "a b c d e f"


# --- the client: push -----------------------------------------------------------------------------


def _graph(n: int) -> Graph:
    g = Graph()
    for i in range(n):
        g.add((URIRef(f"urn:x:{i}"), URIRef("urn:x:p"), Literal(i)))
    return g


def _updates(store: Any) -> list[str]:
    return [got.form.get("update", [""])[0] for got in store.got]


def test_update_push_failing_midway_leaves_the_target_and_drops_the_staging_graph() -> None:
    def script(n: int, got: Got) -> Reply:
        return Reply(500, (b"disk full",)) if n == 3 else Reply(200)

    with fake_store(script) as store:
        with pytest.raises(PushFailed) as failed:
            push(_graph(50), Endpoint(store.url), "urn:x:target", batch_size=10)
        sent = _updates(store)
    message = str(failed.value)
    assert "batch 3 of 5" in message and "<urn:x:target> is unchanged" in message
    assert "was removed" in message
    assert sent[-1].startswith("DROP SILENT GRAPH <urn:uuid:")
    assert not any(u.startswith("MOVE") for u in sent)


def test_update_push_whose_cleanup_fails_names_the_staging_graph() -> None:
    def script(n: int, got: Got) -> Reply:
        return Reply(200) if n < 3 else Reply(500, (b"gone",))

    with fake_store(script) as store:
        with pytest.raises(PushFailed) as failed:
            push(
                _graph(50), Endpoint(store.url, timing=Timing(retries=0)), "urn:x:t", batch_size=10
            )
        staging = _updates(store)[0].split("GRAPH <", 1)[1].split(">", 1)[0]
    message = str(failed.value)
    assert f"DROP SILENT GRAPH <{staging}>" in message and "could not be removed" in message


def test_update_push_failing_at_the_move_says_the_target_may_be_either() -> None:
    def script(n: int, got: Got) -> Reply:
        update = got.form.get("update", [""])[0]
        return Reply(500, (b"deadlock",)) if update.startswith("MOVE") else Reply(200)

    with fake_store(script) as store:
        with pytest.raises(PushFailed, match=r"final MOVE .* may hold the old graph or the new"):
            push(_graph(20), Endpoint(store.url), "urn:x:t", batch_size=10)
        moves = [u for u in _updates(store) if u.startswith("MOVE")]
    assert len(moves) == 1  # a MOVE is never sent twice: a second one could empty the target


def test_gsp_push_is_one_put_and_a_failed_one_says_the_target_may_be_partly_loaded() -> None:
    with fake_store(_always(Reply(500, (b"parse error",)))) as store:
        with pytest.raises(PushFailed, match=r"PUT 1 of 1 .*<urn:x:t> may be unchanged, or empt"):
            push(_graph(30), Endpoint(store.url, timing=Timing(retries=0)), "urn:x:t",
                 protocol="gsp")  # fmt: skip
        assert [g.method for g in store.got] == ["PUT"]


def test_batched_gsp_push_failing_says_how_much_the_store_holds() -> None:
    def script(n: int, got: Got) -> Reply:
        return Reply(500, (b"full",)) if n == 3 else Reply(201)

    with fake_store(script) as store:
        endpoint = Endpoint(store.url, timing=Timing(retries=0))
        with pytest.raises(PushFailed) as failed:
            push(_graph(50), endpoint, "urn:x:t", protocol="gsp", batch_size=10)
        assert [g.method for g in store.got] == ["PUT", "POST", "POST"]
    assert "now holds only the first 20 of 50 triples" in str(failed.value)


def test_push_timeout_covers_the_whole_push() -> None:
    def script(n: int, got: Got) -> Reply:
        if got.form.get("update", [""])[0].startswith("DROP"):
            return Reply(200)  # the clean-up, which has time of its own
        return Reply(200, (b"ok",) * 10, pause=0.4)  # 4 s per batch, a byte at a time

    with fake_store(script) as store:
        started = time.monotonic()
        with pytest.raises(PushFailed, match="time limit of 2 s") as failed:
            push(_graph(50), Endpoint(store.url, timeout=2), "urn:x:t", batch_size=10)
        assert time.monotonic() - started < 3.5
    assert "was removed" in str(failed.value)
