"""`kg serve`: the SPARQL 1.1 Protocol over a graph file or a store (Starlette on uvicorn).

- GET /sparql?query=... and POST /sparql (form `query=` or an application/sparql-query body);
  results by content negotiation: SPARQL JSON (default), XML, CSV, TSV; Turtle (default),
  JSON-LD or N-Triples for CONSTRUCT and DESCRIBE.
- Read-only unless `allow_update`: then updates by POST only (/update or /sparql, a form
  `update=` from the same origin or an application/sparql-update body); LOAD and SERVICE are
  refused even then, and so is SERVICE in every query (by rdflib's algebra of the query).
- Each query runs in a worker process (a warm pool: `QueryPool`), killed at its time limit (503)
  or past its memory ceiling (503), which frees all it held; the other clients' queries run in
  the other workers meanwhile. An update runs in a worker too (on an embedded store, one that
  opens it for writing: killed, it commits nothing; on an rdflib graph, first on a worker's copy,
  then in the server). A result is bounded in rows and in bytes (500), a request body in bytes
  (413).
- Only requests naming a host it serves (loopback names, and the address it was started on, by
  default) are answered: a web page cannot read it by DNS rebinding. Every response carries
  security headers (Content-Security-Policy, X-Frame-Options, nosniff).
- GET /sparql without a query answers the SPARQL 1.1 Service Description of the endpoint (Turtle
  by default; RDF/XML, JSON-LD or N-Triples by Accept), as web clients such as YASGUI expect.
  `format=` (csv, tsv, json, xml; turtle, jsonld, ntriples) chooses the result format instead of
  the Accept header, for links and downloads.
- Cross-origin requests (CORS) are off unless `cors` names the origins allowed (or "*"): their
  responses then carry Access-Control-Allow-Origin, and a browser's preflight (OPTIONS) is
  answered; an update is accepted from a listed origin (never from "*").
- GET / is a small HTML page to type a query and see its results; `?name=` shows a shipped query
  (its description above it, its comments left out, an input per parameter); the results can be
  downloaded as CSV or JSON (a graph result as Turtle or N-Triples).
"""
from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import gc
import html
import ipaddress
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any, Callable, Iterable
from urllib.parse import parse_qs, urlencode, urlsplit

import uvicorn
from pyparsing import ParseBaseException
from rdflib import Graph
from rdflib.plugins.sparql.algebra import translateUpdate
from rdflib.plugins.sparql.parser import parseUpdate
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, Response
from starlette.routing import Route

from kg.errors import KgError, QueryError, QueryMemory, QueryTimeout, RequestRefused, UpdateRefused
from kg.query.parameters import bind_parameters, query_parameters
from kg.query import QueryResult, canned_query, list_queries, run_query, serialize_result
from kg.errors import ResultTooLarge
from kg.query.formats import compact_term
from kg.graph.sparql import contains_node, one_line
from kg.store import OxigraphStore, Store
from kg.store.base import query_namespaces

LOOPBACK_NAMES = ("localhost",)  # and every IP address of the loopback range (127.0.0.0/8, ::1)

# media type -> serialiser name, for each kind of result; the first is the default
SOLUTION_TYPES = {
    "application/sparql-results+json": "json", "application/json": "json",
    "application/sparql-results+xml": "xml", "application/xml": "xml",
    "text/csv": "csv", "text/tab-separated-values": "tsv",
}
GRAPH_TYPES = {
    "text/turtle": "turtle", "application/ld+json": "json-ld", "application/n-triples": "nt",
    "application/rdf+xml": "xml", "text/plain": "nt",
}
DESCRIPTION_TYPES = {  # the service description's formats
    "text/turtle": "turtle", "application/rdf+xml": "xml", "application/ld+json": "json-ld",
    "application/n-triples": "nt",
}
# format=NAME (a link's or a download's choice, instead of Accept) -> the media types it asks for:
# a SELECT or ASK result takes the first one offered, a graph result (CONSTRUCT, DESCRIBE) its own
RESULT_FORMAT_TYPES = {
    "json": "application/sparql-results+json, application/ld+json",
    "xml": "application/sparql-results+xml, application/rdf+xml",
    "csv": "text/csv", "tsv": "text/tab-separated-values",
    "turtle": "text/turtle", "ttl": "text/turtle",
    "jsonld": "application/ld+json", "json-ld": "application/ld+json",
    "ntriples": "application/n-triples", "nt": "application/n-triples",
}
SD = "http://www.w3.org/ns/sparql-service-description#"
FORMATS = "http://www.w3.org/ns/formats/"
QUERY_FORM = "application/x-www-form-urlencoded"
UPDATE_TYPE = "application/sparql-update"
# on every response: the page runs no script, loads nothing, is framed nowhere, posts only to itself
SECURITY_HEADERS = [
    (b"content-security-policy", b"default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "
                                 b"frame-ancestors 'none'; base-uri 'none'"),
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-resource-policy", b"same-origin"),
]
MiB = 1 << 20
CHECK_UNSHARED_EVERY = 32  # queries of a forked worker between looks at its unshared memory
MAX_UNSHARED = 256 * MiB  # or half its size at the start, whichever is more: then it is replaced
DRAIN_SECONDS = 10.0  # a body past the limit is read and dropped this long at most, so the client sees the 413


@dataclass(frozen=True)
class ServeOptions:
    """The limits of an endpoint."""

    timeout_s: float = 10.0  # per query or update
    max_results: int = 10_000  # rows of a SELECT, triples of a CONSTRUCT/DESCRIBE
    allow_update: bool = False
    max_bytes: int = 32 * MiB  # of one serialised result
    max_body: int = 4 * MiB  # of one request body (413 past it)
    max_memory_mb: int = 2048  # a query's worker may grow by this much before it is killed
    workers: int = 4  # query worker processes: queries that run at once
    # host names (Host header) answered besides the loopback names; "*" for any. serve() adds
    # the address it listens on when that is not loopback
    allowed_hosts: tuple[str, ...] = ()
    # origins (scheme://host[:port]) whose pages may read the endpoint (CORS); "*" for any
    cors: tuple[str, ...] = ()


def create_app(store: Store, options: ServeOptions = ServeOptions()) -> Starlette:
    """The ASGI app serving `store`; its query workers start now and stop with the app
    (`app.state.endpoint.close()` stops them too)."""
    endpoint = _Endpoint(store, options)

    @contextlib.asynccontextmanager
    async def lifespan(_app: Starlette):
        try:
            yield
        finally:
            endpoint.close()

    app = Starlette(routes=[
        Route("/", endpoint.page, methods=["GET"]),
        Route("/sparql", endpoint.sparql, methods=["GET", "POST"]),
        Route("/query", endpoint.sparql, methods=["GET", "POST"]),
        Route("/update", endpoint.update, methods=["GET", "POST"]),
    ], lifespan=lifespan)
    app.state.endpoint = endpoint
    app.add_middleware(_Guard, allowed_hosts=options.allowed_hosts, cors=options.cors)
    return app


def serve(store: Store, host: str = "127.0.0.1", port: int = 7878,
          options: ServeOptions = ServeOptions(), log: Callable[[str], None] = print) -> None:
    """Serve `store` until interrupted (port 0: any free port)."""
    sock = listen(host, port)
    port = sock.getsockname()[1]
    if not is_loopback_address(sock.getsockname()[0]):
        log(f"kg serve: warning: listening on {host}, reachable from other machines")
        options = dataclasses.replace(options, allowed_hosts=options.allowed_hosts + served_names(host, sock))
    log(f"kg serve: SPARQL endpoint at http://{_url_host(host)}:{port}/sparql "
        f"(query page at /; {'updates allowed' if options.allow_update else 'read-only'}; Ctrl-C stops)")
    server = uvicorn.Server(uvicorn.Config(create_app(store, options), log_level="warning"))
    server.run(sockets=[sock])


def listen(host: str, port: int) -> socket.socket:
    """A TCP socket bound to host:port; KgError when that is not possible."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
        sock = socket.socket(family, kind, proto)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(128)
    except OSError as exc:
        raise KgError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    return sock


def is_loopback_address(address: str) -> bool:
    """Whether a bound address (as getsockname gives it) is on the loopback interface."""
    try:
        ip = ipaddress.ip_address(address.split("%")[0])
    except ValueError:
        return False
    mapped = getattr(ip, "ipv4_mapped", None)
    return ip.is_loopback or (mapped is not None and mapped.is_loopback)


def served_names(host: str, sock: socket.socket) -> tuple[str, ...]:
    """The host names a non-loopback endpoint answers besides the loopback names: the one it was
    started with, its address, and for a wildcard address the machine's own names."""
    names = {host.lower().strip("[]"), sock.getsockname()[0]}
    with contextlib.suppress(ValueError):
        if ipaddress.ip_address(sock.getsockname()[0].split("%")[0]).is_unspecified:
            names |= {socket.gethostname().lower(), socket.getfqdn().lower()}
    return tuple(sorted(n for n in names if n))


def host_allowed(host: str, allowed: Iterable[str] = ()) -> bool:
    """Whether a Host header names this endpoint: a loopback name or address (127.1 and
    LOCALHOST too), or one of `allowed` ("*": any)."""
    name = host.strip().lower()
    if name.startswith("["):  # [v6]:port
        name = name[1:].split("]")[0]
    elif name.count(":") == 1:
        name = name.split(":")[0]
    name = name.rstrip(".")
    allowed = {a.lower().strip("[]").rstrip(".") for a in allowed}
    if "*" in allowed or name in allowed or name in LOOPBACK_NAMES:
        return True
    if is_loopback_address(name):
        return True
    if name and all(c in "0123456789abcdefx." for c in name):  # IPv4 shorthand: 127.1, 0x7f.1
        with contextlib.suppress(OSError):
            return socket.inet_aton(name)[0] == 127
    return False


def service_description(endpoint: str, options: ServeOptions = ServeOptions()) -> Graph:
    """The SPARQL 1.1 Service Description of an endpoint at the URL `endpoint`: the languages it
    accepts (Update only when allowed), its result formats, and its dataset (the default graph
    is the union of the named graphs, one per article)."""
    from rdflib import BNode, Literal, Namespace, URIRef
    from rdflib.namespace import RDF, RDFS

    sd, formats = Namespace(SD), Namespace(FORMATS)
    graph = Graph()
    graph.bind("sd", sd)
    graph.bind("formats", formats)
    service = URIRef(endpoint)
    graph.add((service, RDF.type, sd.Service))
    graph.add((service, sd.endpoint, service))
    graph.add((service, RDFS.label, Literal("kg SPARQL endpoint")))
    graph.add((service, sd.supportedLanguage, sd.SPARQL11Query))
    if options.allow_update:
        graph.add((service, sd.supportedLanguage, sd.SPARQL11Update))
    for name in ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
                 "Turtle", "JSON-LD", "N-Triples", "RDF_XML"):
        graph.add((service, sd.resultFormat, formats[name]))
    graph.add((service, sd.feature, sd.UnionDefaultGraph))
    dataset, default = BNode(), BNode()
    graph.add((service, sd.defaultDataset, dataset))
    graph.add((dataset, RDF.type, sd.Dataset))
    graph.add((dataset, sd.defaultGraph, default))
    graph.add((default, RDF.type, sd.Graph))
    graph.add((service, RDFS.comment, Literal(
        f"Each query runs at most {options.timeout_s:g} s and returns at most {options.max_results:,} rows; "
        "SERVICE and LOAD are refused.")))
    graph.add((service, sd.defaultEntailmentRegime, URIRef("http://www.w3.org/ns/entailment/Simple")))
    return graph


def check_update(sparql: str) -> None:
    """Refuse malformed updates (QueryError) and updates that would fetch URLs (UpdateRefused)."""
    try:
        update = translateUpdate(parseUpdate(sparql), initNs=query_namespaces())
    except ParseBaseException as exc:
        raise QueryError(f"SPARQL Update syntax error at line {exc.lineno}, column {exc.col}") from None
    except Exception as exc:  # rdflib raises bare Exception for unknown prefixes
        raise QueryError(f"SPARQL Update error: {one_line(exc)}") from None
    for operation in update.algebra:
        if operation.name == "Load":
            raise UpdateRefused("LOAD is refused: the endpoint does not fetch other URLs")
        if contains_node(operation, "ServiceGraphPattern"):
            raise UpdateRefused("SERVICE is refused: the endpoint does not query other endpoints")


# ---------------------------------------------------------------- the guard

class _Guard:
    """ASGI middleware: answers only requests for a host it serves (403 otherwise: DNS
    rebinding), answers OPTIONS (a CORS preflight when `cors` allows the origin), and adds the
    security headers, and the CORS headers for an allowed origin, to every response."""

    def __init__(self, app: Any, allowed_hosts: Iterable[str] = (), cors: Iterable[str] = ()) -> None:
        self.app, self.allowed, self.cors = app, tuple(allowed_hosts), tuple(cors)

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        origin = headers.get(b"origin", b"").decode("latin-1")
        allowed_origin = cors_origin(origin, self.cors) if origin else None
        extra = _cors_headers(allowed_origin, bool(self.cors))

        async def send_secured(message: dict) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), *SECURITY_HEADERS, *extra]}
            await send(message)

        host = headers.get(b"host")
        if host is not None and not host_allowed(host.decode("latin-1"), self.allowed):
            response = _error(403, f"this endpoint does not answer for the host {host.decode('latin-1')!r} "
                                   "(it answers for loopback names and the host names it was started for)")
            await response(scope, receive, send_secured)
            return
        if scope["method"] == "OPTIONS":
            await _options(headers, origin, allowed_origin, bool(self.cors))(scope, receive, send_secured)
            return
        await self.app(scope, receive, send_secured)


ALLOWED_METHODS = "GET, HEAD, POST, OPTIONS"
PREFLIGHT_MAX_AGE = 600  # seconds a browser may keep a preflight's answer


def cors_origin(origin: str, allowed: Iterable[str]) -> str | None:
    """The Access-Control-Allow-Origin value for a request from `origin`: "*" when any origin is
    allowed, the origin itself when it is listed, else None (the browser then keeps the answer
    from the page)."""
    allowed = tuple(allowed)
    if "*" in allowed:
        return "*"
    wanted = normalize_origin(origin)
    return origin if wanted is not None and wanted in {normalize_origin(a) for a in allowed} else None


def normalize_origin(origin: str) -> str | None:
    """An origin as scheme://host[:port], lower case, the default port left out; None when
    `origin` is not one (a path, no scheme, "null")."""
    parts = urlsplit(origin.strip().rstrip("/"))
    try:
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.path or parts.query \
            or parts.fragment or parts.username is not None:
        return None
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    default = {"http": 80, "https": 443}[parts.scheme]
    return f"{parts.scheme}://{host}" + (f":{port}" if port not in (None, default) else "")


def _cors_headers(allowed_origin: str | None, enabled: bool) -> list[tuple[bytes, bytes]]:
    """The CORS headers of every response: none when CORS is off."""
    if not enabled:
        return []
    headers = [(b"vary", b"Origin")]
    if allowed_origin is not None:
        headers.append((b"access-control-allow-origin", allowed_origin.encode("latin-1")))
    return headers


def _options(headers: dict[bytes, bytes], origin: str, allowed_origin: str | None, enabled: bool) -> Response:
    """The answer to OPTIONS: a CORS preflight (an Origin and Access-Control-Request-Method) is
    allowed or refused (403); any other OPTIONS gets the methods (204)."""
    method = headers.get(b"access-control-request-method", b"").decode("latin-1").upper()
    if not origin or not method:
        return Response(status_code=204, headers={"Allow": ALLOWED_METHODS})
    if allowed_origin is None:
        why = ("cross-origin requests are off (start kg serve with --cors ORIGIN to allow a web page's origin)"
               if not enabled else f"cross-origin requests from {origin!r} are not allowed (see kg serve --cors)")
        return _error(403, why)
    if method not in ("GET", "HEAD", "POST"):
        return _error(405, f"{method} is not accepted; use GET or POST", {"Allow": ALLOWED_METHODS})
    answer = {"Access-Control-Allow-Methods": ALLOWED_METHODS, "Access-Control-Max-Age": str(PREFLIGHT_MAX_AGE),
              "Allow": ALLOWED_METHODS}
    requested = headers.get(b"access-control-request-headers", b"").decode("latin-1")
    names = [h.strip().lower() for h in requested.split(",") if h.strip()]
    if names and all(_TOKEN.fullmatch(n) for n in names):
        answer["Access-Control-Allow-Headers"] = ", ".join(names)
    if headers.get(b"access-control-request-private-network", b"").lower() == b"true":
        answer["Access-Control-Allow-Private-Network"] = "true"  # a public page calling a loopback endpoint
    return Response(status_code=204, headers=answer)


_TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9a-z-]+")  # an HTTP header name


# ---------------------------------------------------------------- the endpoint

class _Endpoint:
    def __init__(self, store: Store, options: ServeOptions) -> None:
        self.store = store
        self.options = options
        # rdflib graphs are not safe to read (or fork) while an update changes them
        self._write_lock = threading.RLock() if options.allow_update else None
        self.pool = QueryPool(store, options.workers, options.max_memory_mb, fork_lock=self._write_lock)
        if options.allow_update and isinstance(store, OxigraphStore):
            store.close()  # its updates run in a worker of their own, which must hold the store's lock
        self._slots: asyncio.Semaphore | None = None
        self._waiters = ThreadPoolExecutor(max_workers=max(1, options.workers), thread_name_prefix="kg-serve-wait")
        self._updates = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kg-serve-update")

    def close(self) -> None:
        self.pool.close()
        self._waiters.shutdown(wait=False, cancel_futures=True)
        self._updates.shutdown(wait=False, cancel_futures=True)

    async def sparql(self, request: Request) -> Response:
        try:
            params, body = await self._request(request)
            if "update" in params:
                return await self.update(request, (params, body))
            sparql = params.get("query") or _typed_body(request, body, "application/sparql-query")
            if not sparql and request.method in ("GET", "HEAD") and "query" not in params:
                return self.description(request)
            if not sparql:
                raise RequestRefused(400, "no query: give query=... (GET or form POST) or POST an "
                                    "application/sparql-query body")
            if params.get("default-graph-uri") or params.get("named-graph-uri"):
                raise RequestRefused(400, "default-graph-uri and named-graph-uri are not supported; "
                                    "use FROM / FROM NAMED in the query")
            accept = _format_accept(params["format"]) if params.get("format") else request.headers.get("accept", "*/*")
            media_type, data = await self.query("sparql", sparql, accept)
        except RequestRefused as exc:
            return _error(exc.status, str(exc), exc.headers)
        except KgError as exc:
            return _error(_status(exc), str(exc))
        return Response(data, media_type=media_type, headers={"Vary": "Accept"})

    def description(self, request: Request) -> Response:
        """The SPARQL 1.1 Service Description of this endpoint, in the format the Accept header
        prefers (Turtle by default)."""
        endpoint = str(request.url.replace(query="", fragment=""))
        media_type = _negotiate(request.headers.get("accept", "*/*"), list(DESCRIPTION_TYPES)) or "text/turtle"
        graph = service_description(endpoint, self.options)
        return Response(graph.serialize(format=DESCRIPTION_TYPES[media_type], encoding="utf-8"),
                        media_type=media_type, headers={"Vary": "Accept"})

    async def update(self, request: Request, read: tuple[dict[str, str], bytes] | None = None) -> Response:
        try:
            if request.method != "POST":
                raise RequestRefused(405, "SPARQL Update is accepted by POST only (a form update=... or an "
                                    f"{UPDATE_TYPE} body)", {"Allow": "POST"})
            params, body = read if read is not None else await self._request(request)
            if not self.options.allow_update:
                raise RequestRefused(403, "SPARQL Update is refused: this endpoint is read-only "
                                    "(start it with kg serve --allow-update to allow updates)")
            _check_origin(request, self.options.cors)
            sparql = params.get("update") if _content_type(request) == QUERY_FORM else _typed_body(request, body, UPDATE_TYPE)
            if not sparql:
                raise RequestRefused(400, f"no update: give update=... (form POST) or POST an {UPDATE_TYPE} body")
            check_update(sparql)
            try:
                if isinstance(self.store, OxigraphStore):  # by a worker that opens the store for writing
                    await self.query("update", sparql, "", write=True)
                else:
                    # first on a worker's copy, killed at the limit: an update whose WHERE runs
                    # away (a catastrophic REGEX holds the interpreter) never runs in the server
                    await self.query("update", sparql, "")
                    await self._apply(lambda: self.store.update(sparql))
            finally:  # the workers' views predate the update (killing them takes a moment: off the event loop)
                await asyncio.get_running_loop().run_in_executor(None, self.pool.recycle)
        except RequestRefused as exc:
            return _error(exc.status, str(exc), exc.headers)
        except KgError as exc:
            return _error(_status(exc), str(exc))
        return Response(status_code=204)

    async def page(self, request: Request) -> Response:
        """The query page: a shipped query (`name`) or the one typed (`query`), an input per
        parameter it declares, and the results of the query run (with its parameters bound)."""
        params = request.query_params
        name = params.get("name")
        sparql = params.get("query")
        status, answer, about = 200, "", ""
        if name is not None and name not in list_queries():
            unknown, status, name = name, 404, None
            answer = (f'<p class="error">{html.escape(f"no shipped query named {unknown!r}")}; '
                      'choose one of the shipped queries above</p>')
            sparql = "" if sparql is None else sparql
        if name is not None or sparql is None:
            about, shipped = page_query(canned_query(name or "who-did-what"))
            sparql = shipped if sparql is None else sparql
        try:
            declared = query_parameters(sparql)
        except QueryError as exc:
            declared, answer = [], f'<p class="error">{html.escape(str(exc))}</p>'
        values = {p.name: params.get(f"param.{p.name}", "").strip() for p in declared}
        if "query" in params and not answer:
            try:
                bound = bind_parameters(sparql, {k: v for k, v in values.items() if v})
                media_type, data = await self.query("html", bound, "")
                answer = data.decode("utf-8") + _downloads(bound, media_type.partition("kind=")[2])
            except KgError as exc:
                answer = f'<p class="error">{html.escape(str(exc))}</p>'
        links = " ".join(f'<a href="/?{html.escape(urlencode({"name": n}))}">{html.escape(n)}</a>'
                         for n in list_queries())
        inputs = "".join(
            f'<label>{html.escape(p.name)} <input name="{html.escape(f"param.{p.name}")}" '
            f'value="{html.escape(values[p.name])}" placeholder="{html.escape(_hint(p.name))}"></label> '
            for p in declared)
        hidden = f'<input type="hidden" name="name" value="{html.escape(name)}">' if name else ""
        return HTMLResponse(PAGE.format(query=html.escape(sparql), links=links, answer=answer,
                                        about=f"<p>{html.escape(about)}</p>" if about else "", hidden=hidden,
                                        inputs=f"<p>Parameters (empty: any): {inputs}</p>" if inputs else "",
                                        mode="updates allowed" if self.options.allow_update else "read-only"),
                            status_code=status)

    async def query(self, mode: str, sparql: str, accept: str, write: bool = False) -> tuple[str, bytes]:
        """Run a query in a worker (an update in the embedded store's writer if `write`):
        (media type, body); KgError when refused or failed."""
        deadline = time.monotonic() + self.options.timeout_s
        if self._slots is None:
            self._slots = asyncio.Semaphore(max(1, self.options.workers))
        try:
            await asyncio.wait_for(self._slots.acquire(), self.options.timeout_s)
        except asyncio.TimeoutError:
            raise QueryTimeout(f"every query worker stayed busy past the time limit of {self.options.timeout_s:g} s; "
                               "try again later") from None
        try:
            job = (mode, sparql, accept, self.options.max_results, self.options.max_bytes)
            answer = await asyncio.get_running_loop().run_in_executor(
                self._waiters, self.pool.write if write else self.pool.run, job, deadline, self.options.timeout_s)
        finally:
            self._slots.release()
        if answer[0] == "error":
            raise RequestRefused(answer[1], answer[2])
        return answer[2], answer[3]

    async def _request(self, request: Request) -> tuple[dict[str, str], bytes]:
        """The parameters (query string, and a form body's: the body wins) and the body, read
        up to the body limit (413 past it)."""
        params = dict(request.query_params)
        body = await _read_body(request, self.options.max_body) if request.method == "POST" else b""
        if _content_type(request) == QUERY_FORM and body:
            form = parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True)
            params.update({k: v[-1] for k, v in form.items()})
        return params, body

    async def _apply(self, work: Callable[[], Any]) -> Any:
        """Apply an update to the server's own graph, on a thread of its own (the event loop goes
        on answering), holding the write lock. It has just run on a worker's copy within the time
        limit (a runaway one was stopped there, by killing that worker), so it ends: nothing here
        stops a thread from outside."""
        def locked() -> Any:
            if self._write_lock is None:
                return work()
            with self._write_lock:
                value = work()
                self.store.sync()
                return value

        return await asyncio.get_running_loop().run_in_executor(self._updates, locked)


# ---------------------------------------------------------------- query workers

class QueryPool:
    """Worker processes that each hold a view of the store and run one query at a time.

    A query past its time limit, or whose worker grows by more than `max_memory_mb`, is stopped
    by killing its worker, which frees all it held; a new worker takes its place (warm: the pool
    starts `size` workers, and replaces one in the background). An embedded store is opened
    read-only by each worker, forked by a template process (`_Template`: a fork of this process
    would inherit the native store's threads and locks), and its updates run in a worker of their
    own (`write`); any other store (an rdflib graph in memory, a remote store) is inherited by a
    fork of this process. After an update (`recycle`) the workers are started anew to see it.
    """

    def __init__(self, store: Store, size: int, max_memory_mb: int, fork_lock: Any = None) -> None:
        self.size = max(1, size)
        self.max_memory = max_memory_mb * MiB
        self._store = store
        self._fork_lock = fork_lock or contextlib.nullcontext()
        self._lock = threading.Condition()
        self._idle: list[_Process] = []
        self._busy: set[_Process] = set()
        self._generation = 0
        self._starting = 0
        self._closed = False
        self._writer = threading.Lock()
        if isinstance(store, OxigraphStore):
            store.sync()  # a batch written but not committed would not be seen (nor loadable) read-only
            self._template: _Template | None = _Template(store.location)
        else:
            self._template = None
        try:
            first = self._spawn()  # fails here, with the store's own message, if the store cannot be opened
        except BaseException:
            self.close()
            raise
        with self._lock:
            self._idle.append(first)
        self._refill()

    def pids(self) -> list[int]:
        with self._lock:
            return [p.pid for p in [*self._idle, *self._busy]]

    def run(self, job: tuple, deadline: float, timeout_s: float) -> tuple:
        """Send `job` to a worker and wait for its answer until `deadline` (time.monotonic)."""
        worker = self._acquire(deadline, timeout_s)
        try:
            answer = self._exchange(worker, job, deadline, timeout_s)
        except BaseException:
            self._discard(worker)
            raise
        # a worker's copy changed by an update is not used again
        self._discard(worker) if job[0] == "update" else self._release(worker)
        return answer

    def write(self, job: tuple, deadline: float, timeout_s: float) -> tuple:
        """Run an update `job` on the embedded store in a worker of its own that opens it for
        writing (one at a time), killed at the limit: the update is then not committed."""
        if self._template is None:
            raise QueryError("only an embedded store is written by a worker")
        if not self._writer.acquire(timeout=max(0.0, deadline - time.monotonic())):
            raise QueryTimeout(f"another update ran past the time limit of {timeout_s:g} s")
        try:
            worker = self._spawn(writable=True)
            try:
                return self._exchange(worker, job, deadline, timeout_s)
            finally:
                worker.stop()
        finally:
            self._writer.release()

    def _exchange(self, worker: _Process, job: tuple, deadline: float, timeout_s: float) -> tuple:
        worker.conn.send(job)
        what = "update" if job[0] == "update" else "query"
        while True:
            if worker.conn.poll(max(0.0, min(0.05, deadline - time.monotonic()))):
                return worker.conn.recv()
            if time.monotonic() >= deadline:
                raise QueryTimeout(f"the {what} ran longer than the time limit of {timeout_s:g} s and "
                                   "was stopped; narrow it (or raise kg serve --timeout)")
            if _rss(worker.pid) - worker.baseline > self.max_memory:
                raise QueryMemory(f"the {what} needed more than {self.max_memory // MiB:,} MB of memory "
                                  "and was stopped; narrow it")
            if not worker.alive():
                raise KgError(f"the {what}'s worker process ended unexpectedly")

    def recycle(self) -> None:
        """Replace every worker by one that sees the store as it is now (after an update)."""
        with self._lock:
            self._generation += 1
            stale, self._idle = self._idle, []
        for worker in stale:
            worker.stop()
        self._refill()

    def close(self) -> None:
        with self._lock:
            self._closed = True
            workers, self._idle = [*self._idle, *self._busy], []
            self._busy.clear()
            self._lock.notify_all()
        for worker in workers:
            worker.stop()
        if self._template is not None:
            self._template.close()

    def _acquire(self, deadline: float, timeout_s: float) -> _Process:
        with self._lock:
            while True:
                if self._closed:
                    raise QueryError("the endpoint is stopping")
                if self._idle:
                    worker = self._idle.pop()
                    self._busy.add(worker)
                    return worker
                spawn = self._current() + self._starting < self.size
                if spawn:
                    self._starting += 1
                    break
                left = deadline - time.monotonic()
                if left <= 0:
                    raise QueryTimeout(f"every query worker stayed busy past the time limit of {timeout_s:g} s")
                self._lock.wait(min(left, 0.5))
        try:
            worker = self._spawn()
        finally:
            with self._lock:
                self._starting -= 1
        with self._lock:
            self._busy.add(worker)
        return worker

    def _current(self) -> int:
        return sum(1 for w in [*self._idle, *self._busy] if w.generation == self._generation)

    def _release(self, worker: _Process) -> None:
        worker.jobs += 1
        # a forked worker copies the pages of the graph it shares with the server as it reads
        # them (reference counts): one that has made too much its own is replaced
        unshared = (self._template is None and worker.jobs % CHECK_UNSHARED_EVERY == 0
                    and _private(worker.pid) > max(MAX_UNSHARED, worker.baseline // 2))
        with self._lock:
            self._busy.discard(worker)
            keep = not self._closed and worker.generation == self._generation and not unshared
            if keep:
                self._idle.append(worker)
                self._lock.notify()
        if not keep:
            worker.stop()
            self._refill()

    def _discard(self, worker: _Process) -> None:
        with self._lock:
            self._busy.discard(worker)
        worker.stop()
        self._refill()

    def _refill(self) -> None:
        """Start workers in the background until the pool has `size` of the current generation."""
        with self._lock:
            missing = 0 if self._closed else self.size - self._current() - self._starting
            self._starting += max(0, missing)
        for _ in range(max(0, missing)):
            threading.Thread(target=self._start_one, daemon=True, name="kg-serve-spawn").start()

    def _start_one(self) -> None:
        try:
            worker = self._spawn()
        except Exception:  # reported by the next query that needs a worker and starts one itself
            worker = None
        with self._lock:
            self._starting -= 1
            if worker is not None and not self._closed and worker.generation == self._generation:
                self._idle.append(worker)
                self._lock.notify()
                return
        if worker is not None:
            worker.stop()

    def _spawn(self, writable: bool = False) -> _Process:
        with self._lock:
            generation = self._generation
        if self._template is not None:  # forked by the template, then opening the store itself
            process: Any = self._template.fork(writable)
            ours = process.conn
        else:
            ours, theirs = socket.socketpair()
            # one at a time: a fork made meanwhile would inherit the other's socket
            with _SPAWN_LOCK, theirs, self._fork_lock:  # and no update changes the graph while it is copied
                process = _fork(self._store, theirs)
        parent = Connection(ours.detach())
        worker = _Process(process, parent, generation)
        try:
            if not parent.poll(120):
                raise QueryError("a query worker did not start within 120 s")
            ready = parent.recv()
        except (EOFError, OSError):
            worker.stop()
            raise QueryError("a query worker could not start") from None
        except BaseException:
            worker.stop()
            raise
        if ready[0] != "ready":
            worker.stop()
            raise KgError(ready[1])
        worker.baseline = ready[1]
        return worker


_SPAWN_LOCK = threading.Lock()


class _Forked:
    """A worker forked from this process (the parts of subprocess.Popen that _Process uses)."""

    def __init__(self, pid: int) -> None:
        self.pid, self.returncode = pid, None

    def poll(self) -> int | None:
        if self.returncode is None:
            with contextlib.suppress(ChildProcessError):
                pid, status = os.waitpid(self.pid, os.WNOHANG)
                if pid:
                    self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode

    def kill(self) -> None:
        if self.returncode is None:
            os.kill(self.pid, signal.SIGKILL)

    def wait(self, timeout: float | None = None) -> int | None:
        deadline = time.monotonic() + (timeout or 0)
        while self.poll() is None and time.monotonic() < deadline:
            time.sleep(0.002)
        return self.returncode


def _fork(store: Store, theirs: socket.socket) -> _Forked:
    """Fork a worker holding this process's `store`, talking through `theirs`; the child keeps
    no other file of this process (no listening socket, no client connection)."""
    pid = os.fork()
    if pid:
        return _Forked(pid)
    try:  # the child
        fd = theirs.detach()
        for other in os.listdir("/proc/self/fd") if os.path.isdir("/proc/self/fd") else []:
            if int(other) > 2 and int(other) != fd:
                with contextlib.suppress(OSError):
                    os.close(int(other))
        signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the server's handler
        _forked_worker(Connection(fd), store)
    finally:
        os._exit(0)


class _Process:
    """A query worker (a subprocess.Popen or a _Forked) and its connection."""

    def __init__(self, process: Any, conn: Connection, generation: int) -> None:
        self.process, self.conn, self.generation = process, conn, generation
        self.pid: int = process.pid
        self.baseline = 0
        self.jobs = 0

    def alive(self) -> bool:
        return self.process.poll() is None

    def stop(self) -> None:
        """Kill the worker (whatever it is doing) and reap it."""
        with contextlib.suppress(Exception):
            self.process.kill()
        with contextlib.suppress(Exception):
            self.process.wait(5)
        with contextlib.suppress(Exception):
            self.conn.close()


def _private(pid: int) -> int:
    """The memory a process does not share with others (its copied and its own pages), in bytes."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as rollup:
            return sum(int(line.split()[1]) * 1024 for line in rollup if line.startswith((b"Private_Clean:", b"Private_Dirty:")))
    except (OSError, ValueError, IndexError):
        return 0


def _rss(pid: int) -> int:
    """The resident memory of a process in bytes (0 where /proc cannot tell)."""
    try:
        with open(f"/proc/{pid}/statm", "rb") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


class _Template:
    """A process of its own (a new interpreter with kg loaded, one thread, no store open) that
    forks the embedded store's workers: a fork of the server would inherit the native store's
    threads and locks, a new interpreter per worker takes a second of CPU to start."""

    def __init__(self, location: str) -> None:
        ours, theirs = socket.socketpair()
        with theirs:
            self.process = subprocess.Popen(
                [sys.executable, "-c", "from kg.serve.endpoint import _template; _template()", str(theirs.fileno()), location],
                pass_fds=(theirs.fileno(),), stdin=subprocess.DEVNULL,
                env={**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)})  # kg as imported here
        self.control = ours
        self._lock = threading.Lock()

    def fork(self, writable: bool = False) -> _Grandchild:
        """A new worker (opening the store for writing if `writable`): its process and the
        server's end of its connection."""
        with self._lock:
            try:
                self.control.sendall(b"w" if writable else b"r")
                message, fds, _, _ = socket.recv_fds(self.control, 64, 1)
            except OSError as exc:
                raise QueryError(f"cannot start a query worker: {exc.strerror or exc}") from None
        if not fds:
            raise QueryError("cannot start a query worker: its template process has ended")
        return _Grandchild(int(message), socket.socket(fileno=fds[0]))

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.control.close()
        with contextlib.suppress(Exception):
            self.process.kill()
            self.process.wait(5)


def _template() -> None:
    """The template's loop (argv: its control socket, the store): fork a worker at each request,
    and hand the server its pid and its end of the worker's connection."""
    control, location = socket.socket(fileno=int(sys.argv[1])), sys.argv[2]
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # ended workers are reaped by the system
    while kind := control.recv(1):
        server_end, worker_end = socket.socketpair()
        pid = os.fork()
        if pid == 0:
            try:
                control.close()
                server_end.close()
                signal.signal(signal.SIGCHLD, signal.SIG_DFL)
                _store_worker(Connection(worker_end.detach()), location, writable=kind == b"w")
            finally:
                os._exit(0)
        worker_end.close()
        socket.send_fds(control, [str(pid).encode()], [server_end.fileno()])
        server_end.close()


class _Grandchild:
    """A worker forked by the template (the parts of subprocess.Popen that _Process uses): not
    this process's child, so it is watched through /proc and reaped by the template's system."""

    def __init__(self, pid: int, conn: socket.socket) -> None:
        self.pid, self.conn = pid, conn

    def poll(self) -> int | None:
        """None until the process is gone, its memory freed (the template never leaves zombies)."""
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return -signal.SIGKILL
        return None

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)

    def wait(self, timeout: float | None = None) -> int | None:
        deadline = time.monotonic() + (timeout or 0)
        while self.poll() is None and time.monotonic() < deadline:
            time.sleep(0.002)
        return self.poll()


def _store_worker(conn: Connection, location: str, writable: bool = False) -> None:
    """A worker on its own read-only view of an embedded store (or the store opened for writing)."""
    try:
        store = OxigraphStore(location, read_only=not writable)
    except KgError as exc:
        conn.send(("failed", str(exc)))
        return
    _serve_jobs(conn, store)


def _forked_worker(conn: Any, store: Store) -> None:
    """A worker forked from the server: `store` is its copy of the server's."""
    gc.freeze()  # the inherited objects stay shared with the server: never scanned, never copied by the collector
    _serve_jobs(conn, store)


WARM_UP = "ASK { ?s ?p ?o }"  # run by each worker before it says it is ready


def _serve_jobs(conn: Any, store: Store) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the server, which stops the workers
    # the first query of a process pays for the SPARQL parser's and engine's first use (tens of
    # ms): paid here, before the worker takes a client's query
    with contextlib.suppress(Exception):
        answer_query(store, "sparql", WARM_UP, "application/sparql-results+json", 1, MiB)
    conn.send(("ready", _rss(os.getpid())))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        try:
            answer = answer_query(store, *job)
        except Exception as exc:
            answer = ("error", 500, f"query failed: {one_line(exc) or type(exc).__name__}")
        try:
            conn.send(answer)
        except (BrokenPipeError, OSError):
            return


def answer_query(store: Store, mode: str, sparql: str, accept: str, max_rows: int | None,
                 max_bytes: int) -> tuple:
    """Run a query and serialise its result, as a worker does: ("ok", 200, media type, bytes) or
    ("error", status, message). `mode` "sparql" negotiates the format with `accept`; "html"
    gives the page's fragment; "update" runs `sparql` as an update instead (on a copy)."""
    try:
        if mode == "update":  # on this worker's copy of the store, or an embedded store opened for writing
            store.update(sparql)
            store.close()  # committed and flushed (the embedded store)
            return ("ok", 204, "", b"")
        result = run_query(store, sparql, max_rows=max_rows)
        if _text_size(result) > max_bytes:  # before serialising doubles it
            raise _too_many_bytes(max_bytes)
        if mode == "html":  # the kind of result told to the page, which offers its downloads
            media_type, data = f"text/html;kind={result.kind}", _html_result(result).encode("utf-8")
        else:
            offered = GRAPH_TYPES if result.kind == "graph" else SOLUTION_TYPES
            media_type = _negotiate(accept, list(offered))
            if media_type is None:
                kind = ("a CONSTRUCT or DESCRIBE result is a graph" if result.kind == "graph"
                        else f"a{'n ASK' if result.kind == 'ask' else ' SELECT'} result is a table")
                return ("error", 406, f"cannot answer in {accept}: {kind}, available as "
                                      f"{', '.join(t for t in offered if t != 'text/plain')}")
            data = serialize_result(result, offered[media_type])
            media_type = media_type if media_type != "text/plain" else "application/n-triples"
        if len(data) > max_bytes:
            raise _too_many_bytes(max_bytes)
        return ("ok", 200, media_type, data)
    except KgError as exc:
        return ("error", _status(exc), str(exc))


def _too_many_bytes(max_bytes: int) -> ResultTooLarge:
    return ResultTooLarge(f"the result is larger than {max_bytes:,} bytes, the limit; narrow the query "
                          "(e.g. add LIMIT, or select fewer or shorter values)")


def _text_size(result: QueryResult) -> int:
    """The characters of a result's terms: a lower bound of any serialisation's size."""
    if result.kind == "graph":
        return sum(len(t) for triple in (result.graph or ()) for t in triple)
    if result.kind == "select":
        return sum(len(t) for row in result.rows for t in row if t is not None)
    return 0


def _status(exc: KgError) -> int:
    if isinstance(exc, RequestRefused):
        return exc.status
    if isinstance(exc, (QueryTimeout, QueryMemory)):
        return 503
    if isinstance(exc, UpdateRefused):
        return 403
    if isinstance(exc, ResultTooLarge):
        return 500  # the SPARQL Protocol's code for a query the server refuses to complete
    if isinstance(exc, QueryError):
        return 400
    return 500


def _error(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    return PlainTextResponse(f"{message}\n", status_code=status, headers=headers)


async def _read_body(request: Request, limit: int) -> bytes:
    """The request body; 413 past `limit` bytes. The rest of a body too large is read and dropped
    (for DRAIN_SECONDS at most), so that a client that sends it all before reading the answer
    gets the 413 rather than a reset connection; a client that waits for `100 Continue` is
    answered at once."""
    declared = request.headers.get("content-length", "")
    too_large = declared.isdigit() and int(declared) > limit
    refused = RequestRefused(413, f"the request body is larger than {limit:,} bytes, the limit")
    if too_large and request.headers.get("expect", "").lower() == "100-continue":
        raise refused
    size, chunks, deadline = 0, [], time.monotonic() + DRAIN_SECONDS
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            too_large = True
            chunks = []
        if too_large and time.monotonic() > deadline:
            break
        if not too_large:
            chunks.append(chunk)
    if too_large:
        raise refused
    return b"".join(chunks)


def _typed_body(request: Request, body: bytes, content_type: str) -> str | None:
    if request.method == "POST" and _content_type(request) == content_type:
        return body.decode("utf-8", "replace")
    return None


def _check_origin(request: Request, cors: Iterable[str] = ()) -> None:
    """Refuse an update sent by a page of another origin (a cross-site form): its Origin header
    must name this endpoint's own origin, or one listed in `cors` ("*" is not enough to write);
    no Origin: not from a browser page."""
    origin = request.headers.get("origin")
    listed = {normalize_origin(o) for o in cors if o != "*"} - {None}
    if origin is not None and normalize_origin(origin) in listed:
        return
    site = request.headers.get("sec-fetch-site", "").lower()
    if site in ("cross-site", "same-site"):
        raise RequestRefused(403, "SPARQL Update is refused from another site's page")
    if origin is None:
        return
    parts = urlsplit(origin)
    try:
        port = parts.port or {"http": 80, "https": 443}.get(parts.scheme)
    except ValueError:
        port = None
    host = request.headers.get("host", "")
    own = urlsplit(f"//{host}")
    try:
        own_port = own.port or 80
    except ValueError:
        own_port = None
    if not (parts.scheme in ("http", "https") and parts.hostname and own.hostname
            and parts.hostname == own.hostname and port == own_port):
        raise RequestRefused(403, f"SPARQL Update is refused from the origin {origin!r}: only from this "
                            "endpoint's own page, an origin given to kg serve --cors, or a client that "
                            "is not a web page")


def _format_accept(name: str) -> str:
    """The Accept value a `format=` parameter stands for: a short name, or a media type (as
    SPARQLWrapper sends it); 400 for an unknown name."""
    if "/" in name:
        return name
    try:
        return RESULT_FORMAT_TYPES[name.strip().lower()]
    except KeyError:
        raise RequestRefused(400, f"unknown format {name!r}; use one of: csv, tsv, json, xml (SELECT, ASK) or "
                            "turtle, jsonld, ntriples, xml (CONSTRUCT, DESCRIBE)") from None


def _content_type(request: Request) -> str:
    return request.headers.get("content-type", "").split(";")[0].strip().lower()


def _negotiate(accept: str, offered: list[str]) -> str | None:
    """The offered media type the Accept header prefers (q-values, then order offered);
    None when it accepts none of them."""
    ranges = []
    for part in accept.split(","):
        fields = [f.strip() for f in part.split(";")]
        if not fields[0]:
            continue
        q = 1.0
        for f in fields[1:]:
            if f.startswith("q="):
                try:
                    q = float(f[2:])
                except ValueError:
                    q = 0.0
        ranges.append((fields[0].lower(), q))
    best, best_q = None, 0.0
    for media_type in offered:
        kind = media_type.split("/")[0]
        matches = [(3 if r == media_type else 2 if r == f"{kind}/*" else 1, q)
                   for r, q in ranges if r in (media_type, f"{kind}/*", "*/*")]
        if matches:
            q = max(matches)[1]  # the most specific range decides
            if q > best_q:
                best, best_q = media_type, q
    return best


def _html_result(result: QueryResult) -> str:
    if result.kind == "ask":
        return f"<p>{'true' if result.boolean else 'false'}</p>"
    if result.kind == "graph":
        graph = result.graph if result.graph is not None else Graph()
        return f"<pre>{html.escape(graph.serialize(format='turtle'))}</pre>"
    head = "".join(f"<th>{html.escape(c)}</th>" for c in result.columns)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(compact_term(t, result.prefixes))}</td>" for t in row)
                   + "</tr>" for row in result.rows)
    count = f"{len(result.rows)} row{'s' if len(result.rows) != 1 else ''}"
    return f"<p>{count}</p><table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def page_query(sparql: str) -> tuple[str, str]:
    """A shipped query as the page shows it: (its description, from the comment lines it opens
    with; its text without any comment line). Only a comment at the end of a line stays (the
    parameters line's, which the inputs need)."""
    lines = sparql.splitlines()
    head = 0
    while head < len(lines) and lines[head].lstrip().startswith("#"):
        head += 1
    about = " ".join(line.strip().lstrip("#").strip() for line in lines[:head])
    # the command line's advice is not the page's (its inputs take the parameters)
    about = " ".join(s for s in re.split(r"(?<=\.)\s+", about) if "--param" not in s and "kg query" not in s)
    body: list[str] = []
    for line in lines[head:]:
        if line.lstrip().startswith("#") or (not line.strip() and (not body or not body[-1].strip())):
            continue
        body.append(line.rstrip())
    return " ".join(about.split()), "\n".join(body).strip() + "\n"


PARAMETER_HINTS = {
    "class": "an event class or CAMEO code: Disapprove, 11",
    "since": "a date: YYYY[-MM[-DD]]", "until": "a date: YYYY[-MM[-DD]]",
}


def _hint(name: str) -> str:
    return PARAMETER_HINTS.get(name, "a name (rdfs:label), e.g. Russia")


# the downloads the page offers for each kind of result: (label, format=, file suffix)
DOWNLOADS = {
    "select": (("CSV", "csv", "csv"), ("JSON", "json", "srj")),
    "ask": (("CSV", "csv", "csv"), ("JSON", "json", "srj")),
    "graph": (("Turtle", "turtle", "ttl"), ("N-Triples", "ntriples", "nt"), ("JSON-LD", "jsonld", "jsonld")),
}


def _downloads(sparql: str, kind: str) -> str:
    """Links that download a result (the query run again by /sparql in the chosen format)."""
    links = [f'<a href="/sparql?{html.escape(urlencode({"query": sparql, "format": fmt}))}" '
             f'download="kg-results.{suffix}">{label}</a>' for label, fmt, suffix in DOWNLOADS.get(kind, ())]
    return f'<p class="downloads">Download: {" · ".join(links)}</p>' if links else ""


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>kg SPARQL endpoint</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 1.5em; }}
textarea {{ width: 100%; font-family: monospace; font-size: 0.9em; }}
table {{ border-collapse: collapse; font-size: 0.9em; }}
th, td {{ border: 1px solid #ccc; padding: 0.2em 0.5em; text-align: left; vertical-align: top; }}
.error {{ color: #a00; }}
</style></head>
<body>
<h1>kg SPARQL endpoint</h1>
<p>Endpoint: <code>/sparql</code> ({mode}; its service description at the same URL). Shipped queries: {links}</p>
{about}
<form method="get" action="/">
{hidden}
<textarea name="query" rows="16">{query}</textarea>
{inputs}
<p><button type="submit">Run</button></p>
</form>
{answer}
</body></html>
"""
