"""SPARQL 1.1 Protocol over HTTP for a store (``/sparql``), and the graph explorer page (``/``).

The endpoint answers queries by GET (``?query=``) and POST (form-encoded ``query=``, or an
``application/sparql-query`` body), with ``default-graph-uri`` / ``named-graph-uri`` as the protocol defines them;
without them the default graph is the union of every document graph, as in ``kg query``, and kg's prefixes are
predeclared. Results are negotiated from the ``Accept`` header: SPARQL JSON (the default), XML, CSV or TSV for
SELECT and ASK; Turtle (the default), N-Triples, RDF/XML or JSON-LD for CONSTRUCT and DESCRIBE. Oxigraph
evaluates and serialises natively.

Safe by default: bound to 127.0.0.1, read-only (updates are refused with 403 unless ``allow_update``), a query
that runs longer than ``timeout`` seconds gets 503 (Oxigraph cannot interrupt a query, so it finishes in one of
``workers`` threads; a query waits for a free worker, and its time counts from its arrival), and a result larger than ``max_result_bytes``
gets 413 with a hint to add LIMIT. A malformed query gets 400 with the parser's message.

>>> config = ServerConfig()
>>> (config.host, config.port, config.allow_update)
('127.0.0.1', 7878, False)
"""

from __future__ import annotations

import io
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pyoxigraph as ox

from .rdf import PREFIXES
from .errors import StoreError
from .store import SPARQL_ERRORS, KnowledgeStore, sparql_error

__all__ = ["ServerConfig", "SparqlServer", "negotiate"]

_RESULT_TYPES = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "application/xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
_GRAPH_TYPES = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/ld+json": ox.RdfFormat.JSON_LD,
}
_MAX_BODY = 1_000_000  # bytes of query text a request may send


@dataclass(frozen=True)
class ServerConfig:
    """How ``kg serve`` listens and what it allows."""

    host: str = "127.0.0.1"
    port: int = 7878
    allow_update: bool = False
    timeout: float = 30.0  # seconds a query may run before the client gets 503
    max_result_bytes: int = 50_000_000
    workers: int = 4  # queries evaluated at once


class _Refused(Exception):
    """An HTTP error answer: status and a one-line message."""

    def __init__(self, status: HTTPStatus, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


class _Capped(io.RawIOBase):
    """A byte sink that refuses to grow past a limit (results are serialised into it)."""

    def __init__(self, limit: int) -> None:
        self.buffer = bytearray()
        self.limit = limit

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self.buffer += data
        if len(self.buffer) > self.limit:
            raise _Refused(HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
                           f"result larger than {self.limit:,} bytes; add LIMIT or narrow the query")
        return len(data)


@contextmanager
def _bad_request() -> Iterator[None]:
    """Turn Oxigraph's parse and evaluation errors into a 400 answer with the parser's message on one line."""
    try:
        yield
    except SPARQL_ERRORS as exc:
        raise _Refused(HTTPStatus.BAD_REQUEST, sparql_error(exc)) from None


def negotiate(accept: str | None, offered: dict[str, object], default: str) -> str | None:
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
    return None


class SparqlServer:
    """A threaded HTTP server for one store.

    >>> # with KnowledgeStore("kg-store") as store:
    >>> #     SparqlServer(store, ServerConfig(port=7878)).serve_forever()
    """

    def __init__(self, store: KnowledgeStore, config: ServerConfig = ServerConfig(),
                 explorer: Callable[[], str] | None = None) -> None:
        self.store = store
        self.config = config
        self._explorer = explorer
        self._page: bytes | None = None
        self._page_lock = threading.Lock()
        self._generation = 0  # goes up whenever the store's content may have changed; the page keeps the one it drew
        self._page_generation = -1
        if store.native is None:
            raise StoreError(store.location, "is a SPARQL endpoint already; query it directly (kg serve serves a "
                                             "directory store)")
        self._store_lock = threading.Lock()
        self.prefixes = {prefix: str(ns) for prefix, ns in PREFIXES(store.base).items()}
        self.busy = threading.BoundedSemaphore(config.workers)
        self.httpd = ThreadingHTTPServer((config.host, config.port), _handler(self))
        self.httpd.daemon_threads = True

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}/sparql"

    def serve_forever(self) -> None:
        self.httpd.serve_forever()

    def shutdown(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    # ------------------------------------------------------------ answering

    @property
    def oxigraph(self) -> ox.Store:
        """The Oxigraph store to evaluate on: a read-only server takes a fresh snapshot after a build wrote."""
        return self._fresh(changed=False)

    def _fresh(self, *, changed: bool) -> ox.Store:
        """The store after taking a fresh snapshot if a build wrote meanwhile; ``changed``: this server just wrote."""
        with self._store_lock:
            if self.store.refresh() or changed:
                self._generation += 1
            return self.store.native

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

    def answer_query(self, query: str, accept: str | None, default_graphs: list[str], named_graphs: list[str]) -> tuple[bytes, str]:
        """Evaluate a query and serialise it as negotiated: (body, content type)."""
        deadline = time.monotonic() + self.config.timeout
        if not self.busy.acquire(timeout=self.config.timeout):
            raise _Refused(HTTPStatus.SERVICE_UNAVAILABLE, f"all {self.config.workers} query workers stayed busy for "
                                                           f"{self.config.timeout:g} s; try again shortly")
        outcome: dict[str, object] = {}
        done = threading.Event()

        def run() -> None:
            try:
                outcome["value"] = self._evaluate(query, accept, default_graphs, named_graphs)
            except Exception as exc:  # handed to the request thread below
                outcome["error"] = exc
            finally:
                self.busy.release()
                done.set()

        # a daemon thread: a query past its time keeps a worker until it ends, but never keeps the server alive
        threading.Thread(target=run, name="kg-query", daemon=True).start()
        if not done.wait(max(0.0, deadline - time.monotonic())):
            raise _Refused(HTTPStatus.SERVICE_UNAVAILABLE, f"query ran longer than {self.config.timeout:g} s; narrow it or raise --timeout")
        if "error" in outcome:
            raise outcome["error"]  # type: ignore[misc]
        return outcome["value"]  # type: ignore[return-value]

    def _evaluate(self, query: str, accept: str | None, default_graphs: list[str], named_graphs: list[str]) -> tuple[bytes, str]:
        options: dict[str, object] = {"prefixes": self.prefixes}
        if default_graphs:
            options["default_graph"] = [ox.NamedNode(g) for g in default_graphs]
        else:
            options["use_default_graph_as_union"] = True
        if named_graphs:
            options["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
        oxigraph = self.oxigraph
        with _bad_request():
            result = oxigraph.query(query, **options)
        sink = _Capped(self.config.max_result_bytes)
        if isinstance(result, ox.QueryTriples):
            media = negotiate(accept, _GRAPH_TYPES, "text/turtle")
            if media is None:
                raise _Refused(HTTPStatus.NOT_ACCEPTABLE, "a graph result is offered as " + ", ".join(_GRAPH_TYPES))
            result.serialize(sink, _GRAPH_TYPES[media])
        else:
            media = negotiate(accept, _RESULT_TYPES, "application/sparql-results+json")
            if media is None:
                raise _Refused(HTTPStatus.NOT_ACCEPTABLE, "results are offered as " + ", ".join(_RESULT_TYPES))
            result.serialize(sink, _RESULT_TYPES[media])
        return bytes(sink.buffer), media + ("; charset=utf-8" if media.startswith("text/") else "")

    def answer_update(self, update: str) -> None:
        if not self.config.allow_update:
            raise _Refused(HTTPStatus.FORBIDDEN, "this endpoint is read-only; start kg serve with --allow-update")
        with _bad_request():
            self.store.backend.update(update, prefixes=self.prefixes)
        self._fresh(changed=True)


def _handler(server: SparqlServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "kg-sparql"
        protocol_version = "HTTP/1.1"

        def setup(self) -> None:
            super().setup()
            # headers and body go out in two writes; without this, Nagle's algorithm holds the body back until the
            # client's delayed ACK (40 ms on Linux) on every keep-alive request
            self.request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

        def log_message(self, format: str, *args: object) -> None:  # quiet: the CLI prints the address once
            pass

        def do_GET(self) -> None:
            self._dispatch(parse_qs(urlsplit(self.path).query), None)

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            if length > _MAX_BODY:
                return self._send_error(_Refused(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"request body over {_MAX_BODY:,} bytes"))
            body = self.rfile.read(length).decode("utf-8", errors="replace")
            params = parse_qs(urlsplit(self.path).query)
            kind = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
            if kind == "application/x-www-form-urlencoded":
                params.update(parse_qs(body))
                body = None
            elif kind not in ("application/sparql-query", "application/sparql-update"):
                return self._send_error(_Refused(HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
                                                 "send a form (query= or update=), application/sparql-query or application/sparql-update"))
            self._dispatch(params, (kind, body) if body is not None else None)

        def _dispatch(self, params: dict[str, list[str]], body: tuple[str, str] | None) -> None:
            path = urlsplit(self.path).path
            try:
                if path in ("/", "/index.html") and self.command == "GET":
                    return self._send(HTTPStatus.OK, server.explorer_page(), "text/html; charset=utf-8", html=True)
                if path != "/sparql":
                    raise _Refused(HTTPStatus.NOT_FOUND, "not found; the SPARQL endpoint is /sparql")
                query = params.get("query", [None])[0]
                update = params.get("update", [None])[0]
                if body is not None:
                    query, update = (body[1], None) if body[0] == "application/sparql-query" else (None, body[1])
                if update is not None and self.command == "POST":
                    server.answer_update(update)
                    return self._send(HTTPStatus.NO_CONTENT, b"", "text/plain")
                if not query:
                    raise _Refused(HTTPStatus.BAD_REQUEST, "no query: pass query=... (GET or POST) or POST an application/sparql-query body")
                data, media = server.answer_query(query, self.headers.get("Accept"), params.get("default-graph-uri", []),
                                                  params.get("named-graph-uri", []))
                self._send(HTTPStatus.OK, data, media)
            except _Refused as refused:
                self._send_error(refused)

        def _send_error(self, refused: _Refused) -> None:
            self._send(refused.status, (refused.message + "\n").encode("utf-8"), "text/plain; charset=utf-8")

        def _send(self, status: HTTPStatus, data: bytes, media: str, html: bool = False) -> None:
            self.send_response(status)
            self.send_header("Content-Type", media)
            self.send_header("Content-Length", str(len(data)))
            self.send_header("X-Content-Type-Options", "nosniff")
            if not html:
                self.send_header("Content-Security-Policy", "default-src 'none'")
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(data)

    return Handler
