"""SPARQL 1.1 Protocol over HTTP for a store (``/sparql``, and ``/query`` and ``/update`` as Oxigraph server names
them), and the graph explorer page (``/``).

The endpoint answers queries by GET (``?query=``) and POST (form-encoded ``query=``, or an
``application/sparql-query`` body, plain or chunked), with ``default-graph-uri`` / ``named-graph-uri`` as the
protocol defines them; without them the default graph is the store's, the merge of every document graph (each
triple once), as in ``kg query``, and kg's prefixes are predeclared. An update (when allowed) is followed by a pass
that makes the default graph the merge of the named graphs again (:meth:`kg.store.KnowledgeStore.update`). Results are negotiated from the ``Accept`` header: SPARQL JSON (the default),
XML, CSV or TSV for SELECT and ASK; Turtle (the default), N-Triples, RDF/XML or JSON-LD for CONSTRUCT and
DESCRIBE. Oxigraph evaluates and serialises natively, in worker processes (:mod:`kg.workers`).

HTTP is uvicorn's (h11) under a Starlette app. What the server refuses, and why:

- updates, with 403, unless ``allow_update``; federated queries (``SERVICE``) and an update's ``LOAD``, with 400,
  unless ``allow_service``: they would make the server fetch any address a client names;
- a query over :data:`kg.query.MAX_QUERY_CHARS`, nested deeper than :data:`kg.query.MAX_DEPTH` or past the other
  limits of :func:`kg.query.check_query_shape`, with 400, before the parser sees it (deep nesting overflows
  Oxigraph's stack);
- a query still running after ``timeout`` seconds (counted from its arrival, waiting for a worker included), with
  503: its worker process is killed and replaced, so runaway queries cannot hold the ``workers`` for good;
- a result over ``max_result_bytes``, with 413 and a hint to add LIMIT; a body over ``max_body_bytes``, with 413,
  read no further; a body that does not arrive within ``idle_timeout`` seconds, with 408;
- a connection that sends no complete request head within ``idle_timeout`` seconds (on connecting or after its
  last answer), or stops reading its answer for that long, is closed; past ``max_connections`` open connections
  a request gets 503;
- a malformed request (request line, headers, ``Content-Length``) or a request head over 64 KB gets 400 as one
  line of plain text.

>>> config = ServerConfig()
>>> (config.host, config.port, config.allow_update, config.allow_service)
('127.0.0.1', 7878, False, False)
"""

from __future__ import annotations

import asyncio
import re
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass
from http import HTTPStatus
from urllib.parse import parse_qs

import h11
import uvicorn
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.routing import Route
from uvicorn.protocols.http.h11_impl import H11Protocol

from .errors import QueryError, StoreError
from .query import check_query_shape
from .rdf import PREFIXES
from .store import SPARQL_ERRORS, KnowledgeStore, sparql_error
from .workers import Job, Overtime, WorkerCrashed, WorkerPool, WorkersBusy

__all__ = ["ServerConfig", "SparqlServer", "negotiate"]

_RESULT_TYPES = ("application/sparql-results+json", "application/json", "application/sparql-results+xml",
                 "application/xml", "text/csv", "text/tab-separated-values")
_GRAPH_TYPES = ("text/turtle", "application/n-triples", "application/rdf+xml", "application/ld+json")
_FORM = "application/x-www-form-urlencoded"
_BODY_TYPES = (_FORM, "application/sparql-query", "application/sparql-update")
# /sparql, and Oxigraph server's /query and /update, so a client made for either (kg build --store URL/query) works
_ENDPOINT_PATHS = ("/sparql", "/query", "/update")
_MAX_HEAD = 65_536  # bytes of request line and headers
_GRACE = 2.0  # seconds shutting down waits for requests in flight


@dataclass(frozen=True)
class ServerConfig:
    """How ``kg serve`` listens and what it allows (times in seconds, sizes in bytes)."""

    host: str = "127.0.0.1"
    port: int = 7878
    allow_update: bool = False
    allow_service: bool = False  # federated queries: SERVICE makes the server fetch the address a client names
    timeout: float = 30.0  # a query may run (waiting for a worker included) before its worker is killed: 503
    max_result_bytes: int = 50_000_000
    workers: int = 4  # worker processes, each evaluating one query at a time
    idle_timeout: float = 10.0  # a connection may wait this long for a complete request head, or a body
    max_connections: int = 256  # open connections served; past them a request gets 503
    max_body_bytes: int = 1_000_000  # a request body (query or update text, or form)


class _Refused(Exception):
    """An HTTP error answer: status and a one-line message; ``close`` drops the connection after it."""

    def __init__(self, status: HTTPStatus, message: str, *, close: bool = False) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.close = close


def negotiate(accept: str | None, offered: tuple[str, ...], default: str) -> str | None:
    """The offered media type the ``Accept`` header likes best (None when it accepts none of them).

    >>> negotiate("text/csv;q=0.5, application/sparql-results+xml", _RESULT_TYPES, "application/sparql-results+json")
    'application/sparql-results+xml'
    >>> negotiate("*/*", _RESULT_TYPES, "application/sparql-results+json")
    'application/sparql-results+json'
    """
    if not accept:
        return default
    ranked = []
    for n, item in enumerate(accept.split(",")):
        media, *params = (part.strip() for part in item.split(";"))
        quality = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        ranked.append((-quality, n, media.lower()))
    for negative_quality, _, media in sorted(ranked):
        if negative_quality == 0:
            break
        if media in offered:
            return media
        if media in ("*/*", "application/*", "text/*") and (media == "*/*" or default.startswith(media[:-1])):
            return default
        if media.endswith("/*"):  # "text/*" for SELECT: the first text type offered (CSV)
            matching = [m for m in offered if m.startswith(media[:-1])]
            if matching:
                return matching[0]
    return None


_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\x00-\x20<>\"{}|^`\\]*")


def _is_iri(text: str) -> bool:
    """True for an absolute IRI as SPARQL writes one between < and > (RFC 3987's scheme, then no space or
    delimiter).

    >>> _is_iri("https://w3id.org/kgnews/id/doc/1"), _is_iri("not an iri"), _is_iri("relative/path")
    (True, False, False)
    """
    return _IRI.fullmatch(text) is not None


class _GuardedH11(H11Protocol):
    """uvicorn's HTTP/1.1 connection, which also closes a connection that has not sent a complete request head
    within the idle timeout of connecting or of its last answer, or that stops reading its answer for as long.

    uvicorn's own keep-alive timer starts only after a first answer, and any byte received stops it, so a client
    that connects and sends nothing, or sends its headers a byte at a time, would keep its connection for good.
    """

    _head_timer: asyncio.TimerHandle | None = None
    _stalled: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        # Headers and body go out in two writes; without this, Nagle's algorithm holds the body back until the
        # client's delayed ACK (40 ms on Linux). asyncio sets it only on sockets made with proto=IPPROTO_TCP.
        sock = transport.get_extra_info("socket")
        if sock is not None:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self._arm()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        if self._stalled is not None:
            self._stalled.cancel()
        super().connection_lost(exc)

    def handle_events(self) -> None:
        cycle = self.cycle
        super().handle_events()
        if self.cycle is not cycle:  # a request head arrived
            self._disarm()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if self.cycle is not None and self.cycle.response_complete and not self.transport.is_closing():
            self._arm()  # no pipelined request started: wait for the next head

    def pause_writing(self) -> None:
        """The client stopped reading its answer (the send buffer is full): drop it unless it reads again within
        the idle timeout, or it would hold its connection and the answer's bytes for good."""
        super().pause_writing()
        self._stalled = self.loop.call_later(self.timeout_keep_alive, self.transport.abort)

    def resume_writing(self) -> None:
        if self._stalled is not None:
            self._stalled.cancel()
            self._stalled = None
        super().resume_writing()

    def send_400_response(self, msg: str) -> None:
        """uvicorn's answer to what h11 cannot parse, with kg's message and headers; the connection closes."""
        body = (f"invalid HTTP request: a malformed request line, header or Content-Length, or a request head over "
                f"{_MAX_HEAD // 1024} KB (POST long queries)\n").encode()
        headers = [(b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode()),
                   (b"x-content-type-options", b"nosniff"), (b"content-security-policy", b"default-src 'none'"),
                   (b"connection", b"close")]
        for event in (h11.Response(status_code=400, headers=headers, reason=b"Bad Request"), h11.Data(data=body),
                      h11.EndOfMessage()):
            self.transport.write(self.conn.send(event))
        self.transport.close()

    def _arm(self) -> None:
        self._disarm()
        self._head_timer = self.loop.call_later(self.timeout_keep_alive, self._drop_if_waiting)

    def _disarm(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def _drop_if_waiting(self) -> None:
        self._head_timer = None
        if (self.cycle is None or self.cycle.response_complete) and not self.transport.is_closing():
            self.transport.close()


class SparqlServer:
    """An HTTP server for one store directory: uvicorn in this process, queries in ``config.workers`` processes.

    ``url`` is known (and the port bound) on construction; ``serve_forever()`` starts the workers and serves until
    ``shutdown()`` (from another thread) or Ctrl-C.

    >>> # with KnowledgeStore("kg-store") as store:
    >>> #     SparqlServer(store, ServerConfig(port=7878)).serve_forever()
    """

    def __init__(self, store: KnowledgeStore, config: ServerConfig = ServerConfig(),
                 explorer: Callable[[], str] | None = None) -> None:
        if store.native is None:
            raise StoreError(store.location, "is a SPARQL endpoint already; query it directly (kg serve serves a "
                                             "directory store)")
        if store.location == "memory":
            raise StoreError(store.location, "an in-memory store cannot be shared with query worker processes; build "
                                             "into a directory and serve that")
        self.store = store
        self.config = config
        self._explorer = explorer
        self._page: bytes | None = None
        self._page_lock = threading.Lock()
        self._generation = 0  # goes up whenever the store's content may have changed; the page keeps the one it drew
        self._page_generation = -1
        self._store_lock = threading.Lock()
        self.prefixes = {prefix: str(ns) for prefix, ns in PREFIXES(store.base).items()}
        self.pool = WorkerPool(store.location, config.workers, prefixes=self.prefixes, merged_query=store.merged_query(),
                               max_result_bytes=config.max_result_bytes)
        self._socket = socket.create_server((config.host, config.port), backlog=1024)
        self._uvicorn: uvicorn.Server | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stopped = threading.Event()
        self.app = self._app()

    @property
    def url(self) -> str:
        host, port = self._socket.getsockname()[:2]
        return f"http://{host}:{port}/sparql"

    def serve_forever(self) -> None:
        """Start the query workers and serve; returns after :meth:`shutdown` (or raises KeyboardInterrupt on
        Ctrl-C in the main thread). StoreError when the workers cannot open the store."""
        self._stopped.clear()
        try:
            asyncio.run(self._serve())
        finally:
            self._stopped.set()

    async def _serve(self) -> None:
        config = uvicorn.Config(self.app, http=_GuardedH11, lifespan="off", log_level="error", access_log=False,
                                server_header=False, timeout_keep_alive=self.config.idle_timeout,
                                limit_concurrency=self.config.max_connections, h11_max_incomplete_event_size=_MAX_HEAD,
                                timeout_graceful_shutdown=_GRACE)
        self._uvicorn = uvicorn.Server(config)
        self._loop = asyncio.get_running_loop()
        await self.pool.start()
        try:
            await self._uvicorn.serve(sockets=[self._socket])
        finally:
            await self.pool.close()

    def shutdown(self) -> None:
        """Stop serving (from another thread) and release the port; the workers are stopped."""
        if self._uvicorn is not None and self._loop is not None and not self._stopped.is_set():
            self._loop.call_soon_threadsafe(setattr, self._uvicorn, "should_exit", True)
            self._stopped.wait(timeout=_GRACE + 10)
        self._socket.close()

    # ------------------------------------------------------------ the store

    def _fresh(self, *, changed: bool) -> None:
        """Take a fresh snapshot if a build wrote meanwhile; ``changed``: this server just wrote."""
        with self._store_lock:
            if self.store.refresh() or changed:
                self._generation += 1

    def explorer_page(self) -> bytes:
        """The explorer page, drawn on the first request for it (not at start-up: a big store takes a while) and
        drawn again once a build or an update has changed the store."""
        self._fresh(changed=False)
        with self._page_lock:
            if self._page is None or self._page_generation != self._generation:
                generation = self._generation
                html = self._explorer() if self._explorer else "<!doctype html><title>kg</title><p>kg SPARQL endpoint at /sparql"
                self._page, self._page_generation = html.encode("utf-8"), generation
            return self._page

    def answer_update(self, update: str) -> None:
        """Apply a SPARQL Update in this process (the store's writer); blocking."""
        if not self.config.allow_update:
            raise _Refused(HTTPStatus.FORBIDDEN, "this endpoint is read-only; start kg serve with --allow-update")
        try:
            shape = check_query_shape(update, "update", update=True)
        except QueryError as error:
            raise _Refused(HTTPStatus.BAD_REQUEST, error.problem) from None
        if (shape.service or shape.load) and not self.config.allow_service:
            raise _Refused(HTTPStatus.BAD_REQUEST, "SERVICE and LOAD are refused: they would make this server fetch "
                                                   "the address the update names; start kg serve with "
                                                   "--allow-service to allow them")
        try:
            self.store.update(update, prefixes=self.prefixes)
            self.store.native.flush()  # the workers open the store again: from its files, not by replaying the log
        except SPARQL_ERRORS as exc:
            raise _Refused(HTTPStatus.BAD_REQUEST, sparql_error(exc)) from None
        self._fresh(changed=True)

    async def answer_query(self, query: str, accept: str | None, default_graphs: list[str],
                           named_graphs: list[str]) -> tuple[bytes, str]:
        """Evaluate a query in a worker and serialise it as negotiated: (body, content type)."""
        try:
            shape = check_query_shape(query)
        except QueryError as error:
            raise _Refused(HTTPStatus.BAD_REQUEST, error.problem) from None
        for graph in (*default_graphs, *named_graphs):
            if not _is_iri(graph):
                raise _Refused(HTTPStatus.BAD_REQUEST, f"graph {graph[:100]!r} is not an absolute IRI "
                                                       "(default-graph-uri and named-graph-uri name graphs by IRI)")
        if shape.service and not self.config.allow_service:
            raise _Refused(HTTPStatus.BAD_REQUEST, "SERVICE (a federated query) is refused: it would make this server "
                                                   "fetch the address the query names; start kg serve with "
                                                   "--allow-service to allow it")
        job = Job(query, negotiate(accept, _RESULT_TYPES, "application/sparql-results+json"),
                  negotiate(accept, _GRAPH_TYPES, "text/turtle"), tuple(default_graphs), tuple(named_graphs))
        timeout = self.config.timeout
        try:
            outcome = await self.pool.run(job, timeout)
        except WorkersBusy:
            raise _Refused(HTTPStatus.SERVICE_UNAVAILABLE, f"all {self.config.workers} query workers stayed busy for "
                                                           f"{timeout:g} s; try again shortly") from None
        except Overtime:
            raise _Refused(HTTPStatus.SERVICE_UNAVAILABLE, f"query ran longer than {timeout:g} s and was stopped; "
                                                           "narrow it or raise --timeout") from None
        except WorkerCrashed as crash:
            raise _Refused(HTTPStatus.INTERNAL_SERVER_ERROR, f"the query crashed its worker process ({crash}); the "
                                                             "worker was replaced; simplify the query") from None
        if outcome.error == "not acceptable":
            what, offered = ("a graph result is", _GRAPH_TYPES) if outcome.body == b"graph" else ("results are", _RESULT_TYPES)
            raise _Refused(HTTPStatus.NOT_ACCEPTABLE, f"{what} offered as {', '.join(offered)}")
        if outcome.error == "too large":
            raise _Refused(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"result larger than {self.config.max_result_bytes:,} "
                                                                "bytes; add LIMIT or narrow the query")
        if outcome.error is not None:
            detail = outcome.body.decode("utf-8", "replace")
            raise _Refused(HTTPStatus.BAD_REQUEST,
                           sparql_error(SyntaxError(detail) if outcome.error == "syntax" else ValueError(detail)))
        return outcome.body, outcome.media

    # ------------------------------------------------------------ HTTP

    def _app(self) -> Starlette:
        app = Starlette(routes=[Route("/", self._root, methods=["GET"]), Route("/index.html", self._root, methods=["GET"]),
                                *(Route(path, self._sparql, methods=["GET", "POST"]) for path in _ENDPOINT_PATHS)],
                        exception_handlers={HTTPException: self._http_exception})
        app.router.redirect_slashes = False
        return app

    async def _root(self, request: Request) -> Response:
        return _response(HTTPStatus.OK, await run_in_threadpool(self.explorer_page), "text/html; charset=utf-8", html=True)

    async def _http_exception(self, request: Request, exc: HTTPException) -> Response:
        if exc.status_code == HTTPStatus.METHOD_NOT_ALLOWED:
            refused = _Refused(HTTPStatus.METHOD_NOT_ALLOWED, f"{request.method} is not allowed here; use "
                                                              f"{(exc.headers or {}).get('Allow', 'GET')}")
            return _error(refused, extra=exc.headers)
        return _error(_Refused(HTTPStatus(exc.status_code), "not found; the SPARQL endpoint is /sparql (or /query and /update)"
                               if exc.status_code == HTTPStatus.NOT_FOUND else str(exc.detail)))

    async def _sparql(self, request: Request) -> Response:
        try:
            params = parse_qs(request.url.query)
            body: tuple[str, str] | None = None
            if request.method == "POST":
                kind, text = await self._read_body(request)
                if kind == _FORM:
                    params.update(parse_qs(text))
                else:
                    body = (kind, text)
            query = params.get("query", [None])[0]
            update = params.get("update", [None])[0]
            if body is not None:
                query, update = (body[1], None) if body[0] == "application/sparql-query" else (None, body[1])
            if update is not None and request.method == "POST":
                await run_in_threadpool(self.answer_update, update)
                return _response(HTTPStatus.NO_CONTENT, b"", "text/plain")
            if not query:
                raise _Refused(HTTPStatus.BAD_REQUEST, "no query: pass query=... (GET or POST) or POST an "
                                                       "application/sparql-query body")
            data, media = await self.answer_query(query, request.headers.get("accept"),
                                                  params.get("default-graph-uri", []), params.get("named-graph-uri", []))
            return _response(HTTPStatus.OK, data, media)
        except _Refused as refused:
            return _error(refused)

    async def _read_body(self, request: Request) -> tuple[str, str]:
        """(media type, text) of a POST body, read up to ``max_body_bytes`` within ``idle_timeout`` seconds."""
        limit = self.config.max_body_bytes
        kind = (request.headers.get("content-type") or "").split(";")[0].strip().lower()
        length = request.headers.get("content-length")  # h11 has refused a malformed one already
        if length is not None and int(length) > limit:
            raise _Refused(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"request body over {limit:,} bytes", close=True)
        if kind not in _BODY_TYPES:
            raise _Refused(HTTPStatus.UNSUPPORTED_MEDIA_TYPE, "send a form (query= or update=), "
                                                              "application/sparql-query or application/sparql-update",
                           close=True)

        async def read() -> bytes:
            data = bytearray()
            async for chunk in request.stream():
                data += chunk
                if len(data) > limit:
                    raise _Refused(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"request body over {limit:,} bytes", close=True)
            return bytes(data)

        try:
            data = await asyncio.wait_for(read(), self.config.idle_timeout)
        except asyncio.TimeoutError:
            raise _Refused(HTTPStatus.REQUEST_TIMEOUT, f"the request body did not arrive within "
                                                       f"{self.config.idle_timeout:g} s", close=True) from None
        except ClientDisconnect:
            raise _Refused(HTTPStatus.BAD_REQUEST, "the client went away before sending the whole body", close=True) from None
        return kind, data.decode("utf-8", errors="replace")


def _response(status: HTTPStatus, data: bytes, media: str, *, html: bool = False,
              extra: dict[str, str] | None = None) -> Response:
    headers = {"content-type": media, "x-content-type-options": "nosniff", **(extra or {})}
    if not html:
        headers["content-security-policy"] = "default-src 'none'"
    return Response(data, status_code=int(status), headers=headers)


def _error(refused: _Refused, extra: dict[str, str] | None = None) -> Response:
    headers = dict(extra or {})
    if refused.close:
        headers["connection"] = "close"
    if refused.status == HTTPStatus.SERVICE_UNAVAILABLE:
        headers["retry-after"] = "1"
    return _response(refused.status, (refused.message + "\n").encode("utf-8"), "text/plain; charset=utf-8", extra=headers)
