"""`kg serve`: the real server (uvicorn) on a free loopback port, queried with SPARQLWrapper.

Every protocol path (GET, form POST, direct POST), content negotiation, and each refusal:
malformed queries, Update on a read-only endpoint, SERVICE, LOAD, the time limit (the query's
worker process killed) and the result-size limit; the HTML page escapes what it shows. The
hardening of issue 20 (SERVICE forms, runaway and ReDoS queries, byte, body and Host limits,
updates' method and origin, headers) is in test_serve_hardening.py.
"""
from __future__ import annotations

import csv
import io
import json
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
import uvicorn
from rdflib import Dataset, Graph
from SPARQLWrapper import CSV, JSON, JSONLD, POST, POSTDIRECTLY, TSV, TURTLE, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import EndPointInternalError, QueryBadFormed

import kg
from kg.serve.endpoint import ServeOptions, create_app, listen
from kg.store import MemoryStore, OxigraphStore

from conftest import EXAMPLE, ROOT

PERSONS = kg.canned_query("persons")
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"  # ~10^8 rows on rdflib


class Server:
    """A kg endpoint served by uvicorn on a thread, on a free loopback port."""

    def __init__(self, store, options: ServeOptions) -> None:
        sock = listen("127.0.0.1", 0)
        self.url = f"http://127.0.0.1:{sock.getsockname()[1]}"
        self.app = create_app(store, options)
        self.server = uvicorn.Server(uvicorn.Config(self.app, log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [sock]}, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started and time.monotonic() < deadline:
            time.sleep(0.02)
        assert self.server.started

    def warm(self) -> None:
        """Wait until every query worker has started (the first starts with the app, the others in
        the background), so that a test that times queries does not wait for a worker to start."""
        pool = self.app.state.endpoint.pool
        deadline = time.monotonic() + 20
        while len(pool.pids()) < pool.size and time.monotonic() < deadline:
            time.sleep(0.02)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture(scope="module")
def endpoint_server(example_graph):
    server = Server(MemoryStore(example_graph), ServeOptions(timeout_s=1.0, max_results=100))
    yield server
    server.stop()


@pytest.fixture(scope="module")
def endpoint(endpoint_server):
    return endpoint_server.url


@pytest.fixture(scope="module")
def endpoint_pool(endpoint_server):
    """The endpoint's query workers."""
    return endpoint_server.app.state.endpoint.pool


@pytest.fixture(scope="module")
def oxigraph_endpoint(example_results, tmp_path_factory):
    store = OxigraphStore(tmp_path_factory.mktemp("serve") / "store", create=True)
    store.add_results(example_results)
    server = Server(store, ServeOptions())
    yield server.url
    server.stop()
    store.close()


def client(url: str, query: str, fmt: str = JSON, method: str | None = None) -> SPARQLWrapper:
    sparql = SPARQLWrapper(f"{url}/sparql")
    sparql.setQuery(query)
    sparql.setReturnFormat(fmt)
    if method == POSTDIRECTLY:
        sparql.setMethod(POST)
        sparql.setRequestMethod(POSTDIRECTLY)
    elif method:
        sparql.setMethod(method)
    return sparql


def expected_persons(example_graph) -> list[tuple[str, ...]]:
    result = kg.run_query(example_graph, PERSONS)
    return [tuple("" if v is None else str(v) for v in row) for row in result.rows]


def json_rows(answer: dict, columns: list[str]) -> list[tuple[str, ...]]:
    return [tuple(b.get(c, {}).get("value", "") for c in columns) for b in answer["results"]["bindings"]]


def http(url: str, data: bytes | None = None, headers: dict[str, str] | None = None) -> tuple[int, str, str]:
    """(status, content type, body) of a plain HTTP request."""
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers.get("content-type", ""), response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers.get("content-type", ""), exc.read().decode("utf-8")


@pytest.mark.parametrize("method", [None, POST, POSTDIRECTLY], ids=["GET", "form POST", "direct POST"])
def test_select_over_each_protocol_method_gives_the_graph_rows(endpoint, example_graph, method):
    answer = client(endpoint, PERSONS, JSON, method).queryAndConvert()
    columns = answer["head"]["vars"]
    assert columns == ["person", "role", "country", "affiliation"]
    assert json_rows(answer, columns) == expected_persons(example_graph)


def test_select_in_xml_csv_and_tsv(endpoint, example_graph):
    expected = expected_persons(example_graph)
    xml = client(endpoint, PERSONS, XML).queryAndConvert()
    names = [node.firstChild.data for node in xml.getElementsByTagName("literal")
             if node.parentNode.getAttribute("name") == "person"]
    assert names == [row[0] for row in expected]
    table = list(csv.reader(io.StringIO(client(endpoint, PERSONS, CSV).queryAndConvert().decode("utf-8"))))
    assert table[0] == ["person", "role", "country", "affiliation"]
    assert [tuple(row) for row in table[1:]] == expected
    tsv = client(endpoint, PERSONS, TSV).queryAndConvert().decode("utf-8").splitlines()
    assert tsv[0] == "?person\t?role\t?country\t?affiliation"
    assert tsv[1].split("\t")[:2] == ['"Benjamin Netanyahu"', '"Prime Minister"']


def test_ask_and_construct_by_content_negotiation(endpoint):
    assert client(endpoint, "ASK { ?p a kgo:Person }").queryAndConvert()["boolean"] is True
    construct = "CONSTRUCT { ?p a kgo:Person } WHERE { ?p a kgo:Person }"
    turtle = client(endpoint, construct, TURTLE).queryAndConvert()
    assert len(Graph().parse(data=turtle, format="turtle")) == 8
    jsonld = client(endpoint, construct, JSONLD).queryAndConvert()  # parsed into an rdflib Graph
    assert len(jsonld) == 8
    status, kind, body = http(f"{endpoint}/sparql?{urllib.parse.urlencode({'query': construct})}",
                              headers={"Accept": "application/n-triples"})
    assert status == 200 and kind.startswith("application/n-triples") and len(body.splitlines()) == 8
    status, _, body = http(f"{endpoint}/sparql?{urllib.parse.urlencode({'query': construct})}",
                           headers={"Accept": "image/png"})
    assert status == 406 and "text/turtle" in body


def test_malformed_query_is_400_with_the_position(endpoint):
    with pytest.raises(QueryBadFormed, match="syntax error at line 1, column 18"):
        client(endpoint, "SELECT * WHERE { ?s ?p }").query()
    status, _, body = http(f"{endpoint}/sparql", data=b"",  # GET without a query: the service description
                           headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 400 and "no query" in body


def test_update_is_refused_on_a_read_only_endpoint(endpoint, example_graph):
    before = len(example_graph)
    sparql = client(endpoint, "INSERT DATA { <urn:a> <urn:b> <urn:c> }", method=POST)
    with pytest.raises(urllib.error.HTTPError) as refused:
        sparql.query()
    assert refused.value.code == 403 and b"read-only" in refused.value.read()
    status, _, body = http(f"{endpoint}/update", data=b"DELETE WHERE { ?s ?p ?o }",
                           headers={"Content-Type": "application/sparql-update"})
    assert status == 403 and "--allow-update" in body
    assert len(example_graph) == before


def test_service_is_refused(endpoint):
    with pytest.raises(QueryBadFormed, match="SERVICE"):
        client(endpoint, "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }").query()


@pytest.mark.alone
def test_a_query_past_the_time_limit_is_stopped_with_503(endpoint, endpoint_pool):
    before = set(endpoint_pool.pids())
    started = time.monotonic()
    with pytest.raises(urllib.error.HTTPError) as slow:
        client(endpoint, SLOW).query()
    assert slow.value.code == 503 and b"time limit of 1 s" in slow.value.read()
    assert time.monotonic() - started < 5
    # the query's worker process was killed, not left running, and the endpoint still answers
    killed = before - set(endpoint_pool.pids())
    assert len(killed) == 1 and not any(Path(f"/proc/{pid}").exists() for pid in killed)
    assert client(endpoint, "ASK { ?s ?p ?o }").queryAndConvert()["boolean"] is True


def test_a_result_past_the_size_limit_is_refused(endpoint):
    with pytest.raises(EndPointInternalError, match="more than 100 rows"):
        client(endpoint, "SELECT * WHERE { ?s ?p ?o }").query()
    assert len(client(endpoint, "SELECT * WHERE { ?s ?p ?o } LIMIT 100").queryAndConvert()
               ["results"]["bindings"]) == 100


def test_updates_when_allowed_but_never_load(example_results):
    graph = kg.build_graph(example_results)
    server = Server(MemoryStore(graph), ServeOptions(allow_update=True))
    try:
        status, _, _ = http(f"{server.url}/update", headers={"Content-Type": "application/x-www-form-urlencoded"},
                            data=urllib.parse.urlencode({"update": "INSERT DATA { GRAPH <urn:g> { <urn:a> kgo:action \"met\" } }"}).encode())
        assert status == 204
        assert client(server.url, "ASK { <urn:a> kgo:action \"met\" }").queryAndConvert()["boolean"] is True
        status, _, body = http(f"{server.url}/update", data=b"LOAD <http://127.0.0.1:9/data.ttl>",
                               headers={"Content-Type": "application/sparql-update"})
        assert status == 403 and "LOAD is refused" in body
        status, _, body = http(f"{server.url}/update", data=b"INSERT DATA { <urn:a> ",
                               headers={"Content-Type": "application/sparql-update"})
        assert status == 400 and "syntax error" in body
    finally:
        server.stop()


def test_the_page_runs_a_query_and_escapes_everything(endpoint):
    status, kind, page = http(f"{endpoint}/")
    assert status == 200 and kind.startswith("text/html") and "<textarea" in page and "who-did-what" in page
    hostile = 'SELECT ("<script>alert(1)</script>" AS ?x) WHERE {}'
    status, _, page = http(f"{endpoint}/?{urllib.parse.urlencode({'query': hostile})}")
    assert status == 200 and "<script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "1 row" in page
    status, _, page = http(f"{endpoint}/?{urllib.parse.urlencode({'query': 'SELECT <img src=x onerror=alert(1)>'})}")
    assert "<img" not in page and 'class="error"' in page
    status, _, page = http(f"{endpoint}/?{urllib.parse.urlencode({'query': PERSONS})}")
    assert "<td>Mikhail Bogdanov</td>" in page and "8 rows" in page


def test_the_embedded_store_is_served_with_the_same_rows(oxigraph_endpoint, example_graph):
    answer = client(oxigraph_endpoint, PERSONS, JSON, POST).queryAndConvert()
    assert json_rows(answer, answer["head"]["vars"]) == expected_persons(example_graph)


def test_kg_serve_command_on_a_store(tmp_path, example_results):
    with OxigraphStore(tmp_path / "store", create=True) as store:
        store.add_results(example_results)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "kg", "serve", str(tmp_path / "store"), "--port", str(port)],
                            stderr=subprocess.PIPE, cwd=ROOT, text=True)
    try:
        line = proc.stderr.readline()
        assert f"http://127.0.0.1:{port}/sparql" in line and "read-only" in line, line
        answer = client(f"http://127.0.0.1:{port}", "SELECT (COUNT(*) AS ?n) WHERE { ?p a kgo:Person }").queryAndConvert()
        assert answer["results"]["bindings"][0]["n"]["value"] == "8"
        again = subprocess.run([sys.executable, "-m", "kg", "serve", str(EXAMPLE.with_suffix(".nothing")),
                                "--port", str(port)], capture_output=True, text=True, cwd=ROOT)
        assert again.returncode != 0 and again.stderr.startswith("kg: error:") and len(again.stderr.splitlines()) == 1
    finally:
        proc.terminate()
        proc.wait(timeout=10)
