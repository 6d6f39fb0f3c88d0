"""`kg serve`: the SPARQL 1.1 Protocol over a graph file or a store (Starlette on uvicorn).

- GET /sparql?query=... and POST /sparql (form `query=` or an application/sparql-query body);
  results by content negotiation: SPARQL JSON (default), XML, CSV, TSV; Turtle (default),
  JSON-LD or N-Triples for CONSTRUCT and DESCRIBE.
- Read-only unless `allow_update`: then POST /update (form `update=` or an
  application/sparql-update body); LOAD and SERVICE are refused even then.
- Each query has a time limit (503 when exceeded) and a result-size limit (500).
- GET / is a small HTML page to type a query and see its results.
"""
from __future__ import annotations

import asyncio
import ctypes
import html
import socket
import threading
from dataclasses import dataclass
from typing import Any, Callable
from urllib.parse import parse_qs, urlencode

import uvicorn
from pyparsing import ParseBaseException
from rdflib import Graph, Variable
from rdflib.plugins.sparql.algebra import translateUpdate
from rdflib.plugins.sparql.parser import parseUpdate
from rdflib.query import Result
from rdflib.term import Node
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, Response
from starlette.routing import Route

from kg.errors import KgError, QueryError
from kg.query import (QueryResult, ResultTooLarge, canned_query, compact_term, contains_node, list_queries, one_line,
                      run_query)
from kg.store import Store, query_namespaces

LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")

# media type -> serialiser name, for each kind of result; the first is the default
SOLUTION_TYPES = {
    "application/sparql-results+json": "json", "application/json": "json",
    "application/sparql-results+xml": "xml", "application/xml": "xml",
    "text/csv": "csv", "text/tab-separated-values": "tsv",
}
GRAPH_TYPES = {
    "text/turtle": "turtle", "application/ld+json": "json-ld", "application/n-triples": "nt",
    "text/plain": "nt",
}
QUERY_FORM = "application/x-www-form-urlencoded"


@dataclass(frozen=True)
class ServeOptions:
    """The limits of an endpoint."""

    timeout_s: float = 10.0  # per query or update
    max_results: int = 10_000  # rows of a SELECT, triples of a CONSTRUCT/DESCRIBE
    allow_update: bool = False


class QueryTimeout(QueryError):
    """A query ran past the time limit."""


class UpdateRefused(QueryError):
    """An update the endpoint does not run (read-only, or LOAD/SERVICE)."""


def create_app(store: Store, options: ServeOptions = ServeOptions()) -> Starlette:
    """The ASGI app serving `store`."""
    endpoint = _Endpoint(store, options)
    return Starlette(routes=[
        Route("/", endpoint.page, methods=["GET"]),
        Route("/sparql", endpoint.sparql, methods=["GET", "POST"]),
        Route("/query", endpoint.sparql, methods=["GET", "POST"]),
        Route("/update", endpoint.update, methods=["POST"]),
    ])


def serve(store: Store, host: str = "127.0.0.1", port: int = 7878,
          options: ServeOptions = ServeOptions(), log: Callable[[str], None] = print) -> None:
    """Serve `store` until interrupted (port 0: any free port)."""
    sock = listen(host, port)
    port = sock.getsockname()[1]
    if host not in LOOPBACK_HOSTS:
        log(f"kg serve: warning: listening on {host}, reachable from other machines")
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


# ---------------------------------------------------------------- the endpoint

class _Endpoint:
    def __init__(self, store: Store, options: ServeOptions) -> None:
        self.store = store
        self.options = options
        # rdflib graphs are not safe to read while an update changes them
        self._write_lock = threading.RLock() if options.allow_update else None

    async def sparql(self, request: Request) -> Response:
        params = await _params(request)
        if "update" in params:
            return await self.update(request, params)
        sparql = params.get("query") or (await _body(request, "application/sparql-query"))
        if not sparql:
            return _error(400, "no query: give query=... (GET or form POST) or POST an "
                               "application/sparql-query body")
        if params.get("default-graph-uri") or params.get("named-graph-uri"):
            return _error(400, "default-graph-uri and named-graph-uri are not supported; "
                               "use FROM / FROM NAMED in the query")
        try:
            result = await self._run(lambda: run_query(self.store, sparql, max_rows=self.options.max_results))
        except KgError as exc:
            return _error(_status(exc), str(exc))
        offered = GRAPH_TYPES if result.kind == "graph" else SOLUTION_TYPES
        media_type = _negotiate(request.headers.get("accept", "*/*"), list(offered))
        if media_type is None:
            return _error(406, f"cannot answer in {request.headers.get('accept')}; "
                               f"this result is available as {', '.join(offered)}")
        return Response(serialize_result(result, offered[media_type]),
                        media_type=media_type if media_type != "text/plain" else "application/n-triples",
                        headers={"Vary": "Accept"})

    async def update(self, request: Request, params: dict[str, str] | None = None) -> Response:
        if params is None:
            params = await _params(request)
        sparql = params.get("update") or (await _body(request, "application/sparql-update"))
        if not self.options.allow_update:
            return _error(403, "SPARQL Update is refused: this endpoint is read-only "
                               "(start it with kg serve --allow-update to allow updates)")
        if not sparql:
            return _error(400, "no update: give update=... (form POST) or POST an application/sparql-update body")
        try:
            check_update(sparql)
            await self._run(lambda: self.store.update(sparql))
        except KgError as exc:
            return _error(_status(exc), str(exc))
        return Response(status_code=204)

    async def page(self, request: Request) -> Response:
        name = request.query_params.get("name")
        sparql = request.query_params.get("query")
        if sparql is None:
            try:
                sparql = canned_query(name or "who-did-what")
            except KgError:
                sparql = ""
        answer = ""
        if "query" in request.query_params:
            try:
                result = await self._run(lambda: run_query(self.store, sparql, max_rows=self.options.max_results))
                answer = _html_result(result)
            except KgError as exc:
                answer = f'<p class="error">{html.escape(str(exc))}</p>'
        links = " ".join(f'<a href="/?{html.escape(urlencode({"name": n}))}">{html.escape(n)}</a>'
                         for n in list_queries())
        return HTMLResponse(PAGE.format(query=html.escape(sparql), links=links, answer=answer,
                                        mode="updates allowed" if self.options.allow_update else "read-only"))

    async def _run(self, work: Callable[[], Any]) -> Any:
        """Run `work` on its own thread; QueryTimeout (and the thread interrupted) past the limit."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future = loop.create_future()

        def settle(value: Any, error: BaseException | None) -> None:
            if not future.done():
                future.set_exception(error) if error is not None else future.set_result(value)

        def locked() -> Any:
            if self._write_lock is None:
                return work()
            with self._write_lock:
                return work()

        worker = _Worker(locked, lambda value, error: loop.call_soon_threadsafe(settle, value, error))
        worker.start()
        try:
            return await asyncio.wait_for(future, self.options.timeout_s)
        except asyncio.TimeoutError:
            worker.interrupt()
            raise QueryTimeout(f"the query ran longer than the time limit of {self.options.timeout_s:g} s "
                               "and was stopped; narrow it (or raise kg serve --timeout)") from None


class _Interrupted(BaseException):
    """Raised inside a worker thread whose query ran out of time (BaseException: not swallowed
    by the query engine's own `except Exception`)."""


class _Worker(threading.Thread):
    """One query on its own thread, so that it can be interrupted at the time limit. The rdflib
    engine is Python and stops at once; Oxigraph stops when its native call returns."""

    def __init__(self, work: Callable[[], Any], done: Callable[[Any, BaseException | None], None]) -> None:
        super().__init__(daemon=True, name="kg-serve-query")
        self._work, self._done = work, done

    def run(self) -> None:
        try:
            value, error = self._work(), None
        except _Interrupted:
            return
        except BaseException as exc:  # handed to the request, which reports it
            value, error = None, exc
        try:
            self._done(value, error)
        except RuntimeError:  # the event loop is gone (server stopping)
            pass

    def interrupt(self) -> None:
        if self.ident is not None and self.is_alive():
            ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(self.ident), ctypes.py_object(_Interrupted))


def _status(exc: KgError) -> int:
    if isinstance(exc, QueryTimeout):
        return 503
    if isinstance(exc, UpdateRefused):
        return 403
    if isinstance(exc, ResultTooLarge):
        return 500  # the SPARQL Protocol's code for a query the server refuses to complete
    if isinstance(exc, QueryError):
        return 400
    return 500


def _error(status: int, message: str) -> Response:
    return PlainTextResponse(f"{message}\n", status_code=status)


async def _params(request: Request) -> dict[str, str]:
    """Query-string parameters, and those of a form-encoded POST body (the body wins)."""
    params = dict(request.query_params)
    if request.method == "POST" and _content_type(request) == QUERY_FORM:
        body = (await request.body()).decode("utf-8", "replace")
        params.update({k: v[-1] for k, v in parse_qs(body, keep_blank_values=True).items()})
    return params


async def _body(request: Request, content_type: str) -> str | None:
    if request.method == "POST" and _content_type(request) == content_type:
        return (await request.body()).decode("utf-8", "replace")
    return None


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


def serialize_result(result: QueryResult, fmt: str) -> bytes:
    """A query result in a SPARQL results format (json, xml, csv, tsv) or an RDF one."""
    if result.kind == "graph":
        graph = result.graph if result.graph is not None else Graph()
        return graph.serialize(format=fmt, encoding="utf-8")
    if fmt == "tsv":
        return _tsv(result).encode("utf-8")
    if result.kind == "ask":
        if fmt == "csv":
            return f"_askResult\r\n{'true' if result.boolean else 'false'}\r\n".encode()
        answer = Result("ASK")
        answer.askAnswer = bool(result.boolean)
    else:
        answer = Result("SELECT")
        answer.vars = [Variable(c) for c in result.columns]
        answer.bindings = [{Variable(c): t for c, t in zip(result.columns, row) if t is not None}
                           for row in result.rows]
    return answer.serialize(format=fmt, encoding="utf-8")


def _tsv(result: QueryResult) -> str:
    if result.kind == "ask":
        return f"?_askResult\n{'true' if result.boolean else 'false'}\n"
    lines = ["\t".join(f"?{c}" for c in result.columns)]
    lines += ["\t".join(_tsv_term(t) for t in row) for row in result.rows]
    return "\n".join(lines) + "\n"


def _tsv_term(term: Node | None) -> str:
    return "" if term is None else term.n3()


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
<p>Endpoint: <code>/sparql</code> ({mode}). Shipped queries: {links}</p>
<form method="get" action="/">
<textarea name="query" rows="16">{query}</textarea>
<p><button type="submit">Run</button></p>
</form>
{answer}
</body></html>
"""
