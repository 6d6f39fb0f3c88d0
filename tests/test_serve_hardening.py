"""`kg serve` refuses and bounds what it must: each fault of issue 20's endpoint section,
reproduced against the real server (uvicorn on a free loopback port) with a real HTTP client.

SERVICE in every form (refused by rdflib's algebra; nothing is sent), a runaway query on the
embedded store and a REGEX-catastrophic one on a graph file stopped at the limit (their worker
killed, its memory freed) while cheap queries go on, the memory ceiling, the result bytes, the
request body, the Host header (DNS rebinding), updates by GET or from another origin, query
names that are paths, the page's security headers, CONSTRUCT WHERE with LIMIT, and the
loopback names that must not warn.
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from rdflib import Graph

import kg
from kg.serve.endpoint import ServeOptions, _rss, host_allowed, is_loopback_address, listen, served_names
from kg.store import MemoryStore, OxigraphStore

from conftest import ROOT
from test_serve import Server, http

CARTESIAN = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?a ?e ?i"  # 460^3 rows, sorted
CHEAP = "ASK { ?s ?p ?o }"
REDOS = ('SELECT ?x WHERE { BIND("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!" AS ?x) '
         'FILTER REGEX(?x, "^(a+)+$") }')  # about 2^40 steps in Python's re, which holds the GIL


class Listener:
    """A loopback TCP port that counts the connections made to it (where SERVICE would go)."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}/sparql"
        self.connections = 0
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.connections += 1
            conn.close()


def get(url: str, query: str, path: str = "/sparql", **headers: str) -> tuple[int, str, str]:
    return http(f"{url}{path}?{urllib.parse.urlencode({'query': query})}", headers=headers)


def timed(url: str, query: str) -> tuple[int, float]:
    started = time.monotonic()
    status, _, _ = get(url, query)
    return status, time.monotonic() - started


@pytest.fixture(scope="module")
def listener():
    return Listener()


@pytest.fixture(scope="module")
def file_endpoint(example_graph):
    server = Server(MemoryStore(example_graph), ServeOptions(timeout_s=2.0, max_results=1000, max_bytes=20_000,
                                                             allowed_hosts=("kg.internal",)))
    yield server
    server.stop()


@pytest.fixture(scope="module")
def store_path(example_results, tmp_path_factory):
    path = tmp_path_factory.mktemp("hardening") / "store"
    with OxigraphStore(path, create=True) as store:
        store.add_results(example_results)
    return path


@pytest.fixture(scope="module")
def store_endpoint(store_path):
    with OxigraphStore(store_path, read_only=True) as store:
        server = Server(store, ServeOptions(timeout_s=1.5, max_bytes=20_000, max_body=10_000))
        yield server
        server.stop()


def service_forms(url: str) -> list[str]:
    return [
        f"SELECT * WHERE {{ ?s ?p ?o .SERVICE <{url}> {{ ?a ?b ?c }} }}",
        f"SELECT * WHERE {{ ?s ?p ?o .service<{url}>{{?a ?b ?c}} }}",
        f"SELECT * WHERE {{ ?s ?p ?o . SERVICE SILENT <{url}> {{ ?a ?b ?c }} }}",
        f"SELECT * WHERE {{ ?s ?p ?o OPTIONAL {{ SERVICE <{url}> {{ ?s ?b ?c }} }} }}",
        f"SELECT * WHERE {{ ?s ?p ?o FILTER EXISTS {{ SERVICE <{url}> {{ ?s ?b ?c }} }} }}",
        f"SELECT * WHERE {{ ?s ?p ?o FILTER NOT EXISTS {{ ?s ?p ?o .SERVICE <{url}> {{ ?s ?b ?c }} }} }}",
        f"DESCRIBE ?s WHERE {{ ?s ?p ?o .SERVICE <{url}> {{ ?s ?b ?c }} }}",
        f"ASK {{ {{ SELECT * WHERE {{ SERVICE <{url}> {{ ?a ?b ?c }} }} }} }}",
        f"SELECT * WHERE {{ ?s ?p ?o .SERVICE#comment\n<{url}> {{ ?a ?b ?c }} }}",
        f"SELECT * WHERE {{ ?s ?p ?o .\\u0053ERVICE <{url}> {{ ?a ?b ?c }} }}",
        f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o .SERVICE <{url}> {{ ?a ?b ?c }} }}",
    ]


@pytest.mark.parametrize("which", ["store", "file"])
def test_service_in_every_form_is_refused_and_nothing_is_sent(which, store_endpoint, file_endpoint, listener):
    url = (store_endpoint if which == "store" else file_endpoint).url
    for query in service_forms(listener.url):
        status, _, body = get(url, query)
        assert status == 400 and "SERVICE" in body, (query, status, body)
        status, _, page = get(url, query, path="/")
        assert 'class="error"' in page and "SERVICE" in page, query
    assert listener.connections == 0
    # the word elsewhere (a string, an IRI) is no SERVICE: such a query still runs
    status, _, body = get(url, 'SELECT ("service" AS ?x) WHERE { <urn:service> ?p ?o } LIMIT 1')
    assert status == 200, body


@pytest.mark.alone
def test_a_runaway_query_on_the_store_is_stopped_and_its_memory_freed_while_cheap_ones_answer(store_endpoint):
    pool = store_endpoint.app.state.endpoint.pool
    store_endpoint.warm()  # the runaways run on workers counted here
    before = set(pool.pids())
    results: list[tuple[int, float]] = []
    runaways = [threading.Thread(target=lambda: results.append(timed(store_endpoint.url, CARTESIAN)))
                for _ in range(2)]
    for thread in runaways:
        thread.start()
    time.sleep(0.3)
    cheap = [timed(store_endpoint.url, CHEAP) for _ in range(5)]
    assert all(status == 200 for status, _ in cheap) and max(t for _, t in cheap) < 0.5, cheap
    for thread in runaways:
        thread.join()
    assert [status for status, _ in results] == [503, 503] and max(t for _, t in results) < 4, results
    gone = before - set(pool.pids())
    assert len(gone) >= 2 and not any(Path(f"/proc/{pid}").exists() for pid in gone)  # killed and reaped
    deadline = time.monotonic() + 20  # the pool is warm again, every worker small
    while len(pool.pids()) < pool.size and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(pool.pids()) == pool.size and all(_rss(pid) < 300 << 20 for pid in pool.pids())
    assert timed(store_endpoint.url, CHEAP)[0] == 200


@pytest.mark.alone
def test_a_query_past_the_memory_ceiling_is_stopped(store_path):
    with OxigraphStore(store_path, read_only=True) as store:
        server = Server(store, ServeOptions(timeout_s=30, max_memory_mb=64, workers=1))
        try:
            started = time.monotonic()
            status, _, body = get(server.url, CARTESIAN)
            assert status == 503 and "more than 64 MB of memory" in body, body
            assert time.monotonic() - started < 15
            assert get(server.url, CHEAP)[0] == 200
        finally:
            server.stop()


@pytest.mark.alone
def test_a_catastrophic_regex_on_a_graph_file_blocks_no_other_client(file_endpoint):
    file_endpoint.warm()
    outcome: list[tuple[int, float]] = []
    thread = threading.Thread(target=lambda: outcome.append(timed(file_endpoint.url, REDOS)))
    thread.start()
    time.sleep(0.3)
    status, took = timed(file_endpoint.url, CHEAP)
    assert status == 200 and took < 1.0, took
    thread.join()
    assert outcome[0][0] == 503 and outcome[0][1] < 4, outcome


@pytest.mark.parametrize("which", ["store", "file"])
def test_a_result_past_the_byte_limit_is_refused(which, store_endpoint, file_endpoint):
    url = (store_endpoint if which == "store" else file_endpoint).url
    one_long_row = "SELECT (GROUP_CONCAT(STR(?o)) AS ?all) WHERE { ?s ?p ?o . ?x a kgo:Person }"  # ~100 KB
    status, _, body = get(url, one_long_row)
    assert status == 500 and "larger than 20,000 bytes" in body, body[:300]
    status, _, body = get(url, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    assert status == 200


def test_a_request_body_past_the_limit_is_413(store_endpoint, file_endpoint):
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    padded = urllib.parse.urlencode({"query": CHEAP + " #" + "x" * 20_000}).encode()
    assert http(f"{store_endpoint.url}/sparql", data=padded, headers=form)[0] == 413  # max_body 10,000
    assert http(f"{store_endpoint.url}/sparql", data=urllib.parse.urlencode({"query": CHEAP}).encode(),
                headers=form)[0] == 200
    huge = b"ASK { ?s ?p ?o } #" + b"x" * (5 << 20)  # past the default of 4 MiB
    status, _, body = http(f"{file_endpoint.url}/sparql", data=huge,
                           headers={"Content-Type": "application/sparql-query"})
    assert status == 413 and "larger than" in body


def test_only_the_served_host_names_are_answered(file_endpoint, example_graph):
    port = urllib.parse.urlsplit(file_endpoint.url).port
    for host in ("localhost", "LOCALHOST", "127.0.0.1", "127.0.0.2", "[::1]", "127.1"):
        assert get(file_endpoint.url, CHEAP, Host=f"{host}:{port}")[0] == 200, host
    for host in ("attacker.example", "localhost.attacker.example", "127.0.0.1.attacker.example", "10.0.0.1"):
        status, _, body = get(file_endpoint.url, CHEAP, Host=f"{host}:{port}")
        assert status == 403 and "host" in body, host
        assert http(f"{file_endpoint.url}/", headers={"Host": host})[0] == 403
    assert get(file_endpoint.url, CHEAP, Host=f"kg.internal:{port}")[0] == 200  # allowed_hosts
    assert host_allowed("kg.internal:7878", ("kg.internal",)) and not host_allowed("kg.internal:7878")
    assert host_allowed("anything", ("*",))
    with listen("0.0.0.0", 0) as everywhere:  # kg serve --host 0.0.0.0 also answers for the machine's names
        names = served_names("0.0.0.0", everywhere)
    assert socket.gethostname().lower() in names and not is_loopback_address("0.0.0.0")


def update_server(store) -> Server:
    return Server(store, ServeOptions(allow_update=True, workers=2))


def ask(url: str, subject: str) -> bool:
    status, _, body = get(url, f"ASK {{ GRAPH ?g {{ <{subject}> ?p ?o }} }}", Accept="application/sparql-results+json")
    assert status == 200, body
    return '"boolean": true' in body or '"boolean":true' in body


@pytest.mark.parametrize("which", ["file", "store"])
def test_updates_only_by_post_and_from_the_same_origin(which, example_results, tmp_path):
    if which == "file":
        store = MemoryStore(kg.build_graph(example_results))
    else:
        store = OxigraphStore(tmp_path / "store", create=True)
        store.add_results(example_results)
    server = update_server(store)
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    try:
        def insert(n: int) -> str:
            return f"INSERT DATA {{ GRAPH <urn:g> {{ <urn:s{n}> <urn:p> \"{n}\" }} }}"

        for path in ("/sparql", "/update"):
            status, _, body = http(f"{server.url}{path}?{urllib.parse.urlencode({'update': insert(1)})}")
            assert status == 405 and "POST" in body
        cross = urllib.parse.urlencode({"update": insert(2)}).encode()
        assert http(f"{server.url}/update", data=cross, headers={**form, "Origin": "http://attacker.example"})[0] == 403
        assert http(f"{server.url}/sparql", data=cross, headers={**form, "Origin": "null"})[0] == 403
        assert http(f"{server.url}/update", data=cross, headers={**form, "Sec-Fetch-Site": "cross-site"})[0] == 403
        assert not ask(server.url, "urn:s1") and not ask(server.url, "urn:s2")
        same = urllib.parse.urlencode({"update": insert(3)}).encode()
        assert http(f"{server.url}/update", data=same, headers={**form, "Origin": server.url})[0] == 204
        assert http(f"{server.url}/update", data=insert(4).encode(),
                    headers={"Content-Type": "application/sparql-update"})[0] == 204
        assert ask(server.url, "urn:s3") and ask(server.url, "urn:s4")  # the workers see the updates
        status, _, body = http(f"{server.url}/update", data=insert(5).encode(), headers={"Content-Type": "text/plain"})
        assert status == 400 and not ask(server.url, "urn:s5")
    finally:
        server.stop()
        store.close()


@pytest.mark.alone
def test_a_runaway_update_on_a_graph_file_is_stopped_and_blocks_no_other_client(example_results):
    graph = kg.build_graph(example_results)
    before = len(graph)
    server = Server(MemoryStore(graph), ServeOptions(allow_update=True, timeout_s=2.0, workers=2))
    server.warm()
    try:
        runaway = ('DELETE { GRAPH ?g { ?s ?p ?o } } WHERE { GRAPH ?g { ?s ?p ?o } '
                   'FILTER REGEX("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!", "^(a+)+$") }')
        outcome: list[tuple[int, str]] = []
        thread = threading.Thread(target=lambda: outcome.append(http(
            f"{server.url}/update", data=runaway.encode(), headers={"Content-Type": "application/sparql-update"})[::2]))
        started = time.monotonic()
        thread.start()
        time.sleep(0.3)
        status, took = timed(server.url, CHEAP)
        assert status == 200 and took < 1.0, took
        thread.join()
        assert outcome[0][0] == 503 and time.monotonic() - started < 5, outcome
        assert len(graph) == before  # never run on the server's graph
    finally:
        server.stop()


@pytest.mark.alone
def test_a_runaway_update_on_the_store_is_stopped_and_never_committed(example_results, tmp_path):
    store = OxigraphStore(tmp_path / "store", create=True)
    store.add_results(example_results)
    server = Server(store, ServeOptions(allow_update=True, timeout_s=2.0, workers=2))
    update = {"Content-Type": "application/sparql-update"}
    try:
        runaway = ('INSERT { GRAPH <urn:g> { <urn:late> <urn:p> 1 } } WHERE { ?a ?b ?x . ?c ?d ?y . ?e ?f ?z '
                   'FILTER(CONCAT(STR(?x), STR(?y), STR(?z)) != "") }')
        started = time.monotonic()
        status, _, body = http(f"{server.url}/update", data=runaway.encode(), headers=update)
        assert status == 503 and "time limit of 2 s" in body and time.monotonic() - started < 5, body
        assert timed(server.url, CHEAP)[0] == 200
        time.sleep(2)  # had it gone on, it would have written by now
        assert not ask(server.url, "urn:late")
        assert http(f"{server.url}/update", data=b"INSERT DATA { GRAPH <urn:g> { <urn:next> <urn:p> 1 } }",
                    headers=update)[0] == 204  # the killed writer left the store writable
        assert ask(server.url, "urn:next")
    finally:
        server.stop()
        store.close()


def test_the_page_shows_only_shipped_queries(file_endpoint, tmp_path):
    secret = tmp_path / "secret.rq"
    secret.write_text("SELECT ('top secret' AS ?x) WHERE {}", encoding="utf-8")
    queries = Path(kg.__file__).parent / "ontology" / "queries"
    relative = os.path.relpath(secret.with_suffix(""), queries)
    for name in (relative, str(secret.with_suffix("")), "../queries/persons", "persons/../persons"):
        status, _, page = http(f"{file_endpoint.url}/?{urllib.parse.urlencode({'name': name})}")
        assert status == 404 and "top secret" not in page and "no shipped query" in page, name
    status, _, page = http(f"{file_endpoint.url}/?name=persons")
    assert status == 200 and "kgo:Person" in page
    with pytest.raises(kg.KgError, match="no canned query"):
        kg.canned_query(relative)


def response_headers(url: str):
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.headers
    except urllib.error.HTTPError as exc:
        return exc.headers


def test_security_headers_on_every_response(file_endpoint):
    for path in ("/", "/?name=persons", f"/sparql?{urllib.parse.urlencode({'query': CHEAP})}", "/sparql"):
        headers = response_headers(f"{file_endpoint.url}{path}")
        policy = headers["Content-Security-Policy"]
        assert "default-src 'none'" in policy and "frame-ancestors 'none'" in policy and "script-src" not in policy
        assert headers["X-Frame-Options"] == "DENY" and headers["X-Content-Type-Options"] == "nosniff"


def test_construct_where_with_limit_on_a_graph_file(file_endpoint):
    status, kind, body = get(file_endpoint.url, "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 1", Accept="text/turtle")
    assert status == 200 and kind.startswith("text/turtle"), body
    assert len(Graph().parse(data=body, format="turtle")) == 1


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.2", "127.1", "LOCALHOST", "localhost", "::1"])
def test_loopback_names_are_loopback(host):
    try:
        sock = listen(host, 0)
    except kg.KgError:
        pytest.skip(f"{host} cannot be bound here")
    with sock:
        assert is_loopback_address(sock.getsockname()[0])
    assert host_allowed(host if ":" not in host else f"[{host}]")


def test_kg_serve_on_127_1_gives_no_warning(example_graph_path):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "kg", "serve", str(example_graph_path), "--host", "127.1",
                             "--port", str(port)], stderr=subprocess.PIPE, cwd=ROOT, text=True)
    try:
        line = proc.stderr.readline()
        assert "warning" not in line and f":{port}/sparql" in line, line
        status, _, _ = get(f"http://127.0.0.1:{port}", CHEAP)
        assert status == 200
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_kg_serve_takes_its_limits_and_host_names_from_the_command_line(example_graph_path):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "kg", "serve", str(example_graph_path), "--port", str(port),
                             "--max-body", "1000", "--workers", "1", "--allow-host", "kg.example"],
                            stderr=subprocess.PIPE, cwd=ROOT, text=True)
    try:
        assert f":{port}/sparql" in proc.stderr.readline()
        url = f"http://127.0.0.1:{port}/sparql"
        big = urllib.request.Request(url, data=b"query=" + b"x" * 5000, method="POST",
                                     headers={"Content-Type": "application/x-www-form-urlencoded"})
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(big, timeout=30)
        assert refused.value.code == 413
        named = urllib.request.Request(url + "?" + urllib.parse.urlencode({"query": CHEAP}), headers={"Host": "kg.example"})
        with urllib.request.urlopen(named, timeout=30) as answer:
            assert answer.status == 200
    finally:
        proc.terminate()
        proc.wait(timeout=10)
