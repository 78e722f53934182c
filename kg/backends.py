"""Where a store's RDF lives: Oxigraph embedded (on disk or in memory) or any SPARQL 1.1 endpoint.

In: the ``--store`` value. Out: a :class:`Backend` holding an rdflib ``Dataset`` over the store, and the one call
every write goes through (:meth:`Backend.update`). The store (:mod:`kg.store`) decides which default graph queries
read: on Oxigraph the merge of the named graphs that kg keeps, on an endpoint the endpoint's union default graph.

- ``memory``: Oxigraph in memory, for tests and notebooks.
- a directory: Oxigraph on disk, the default. A writer (``kg build``, ``kg remove``, ``kg serve --allow-update``)
  holds ``kg.lock`` inside the directory with its PID, so a second writer fails at once with "store is locked by
  PID N" instead of waiting or corrupting anything; the lock goes with the process, even after ``kill -9``.
  Readers open a read-only snapshot and never wait for a writer.
- ``http(s)://…``: a SPARQL 1.1 endpoint (Oxigraph server, Apache Jena Fuseki, GraphDB, Virtuoso, Neptune) through
  rdflib's ``SPARQLUpdateStore``. One URL serves query and update, or a URL ending in ``/query`` has its
  ``/update`` sibling, or two URLs are given separated by a space; ``user:password@`` becomes HTTP Basic auth.
  The endpoint must answer queries without ``GRAPH`` over the union of its named graphs (Oxigraph:
  ``oxigraph serve --union-default-graph``; Fuseki: ``unionDefaultGraph``; GraphDB, Virtuoso and Neptune do
  by default). Every document is one update request, which the endpoint applies as one transaction. kg keeps no
  merged default graph there: whether a triple that several articles state counts once or once per article in
  a query without ``GRAPH`` is the endpoint's union (Jena TDB documents its union as the RDF merge; Oxigraph
  server's ``--union-default-graph`` counts it once per graph).

>>> parse_endpoint("http://127.0.0.1:7878/query")
Endpoint(query_url='http://127.0.0.1:7878/query', update_url='http://127.0.0.1:7878/update', auth=None)
>>> parse_endpoint("https://alice:s3cret@db.example.org/repositories/news").auth
('alice', 's3cret')
"""

from __future__ import annotations

import fcntl
import os
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import IO
from urllib.error import HTTPError, URLError
from urllib.parse import unquote, urlsplit, urlunsplit
from urllib.request import Request, urlopen

import pyoxigraph as ox
from rdflib import Dataset, plugin
from rdflib.plugins.stores.sparqlstore import SPARQLUpdateStore
from rdflib.query import Result
from rdflib.store import Store

from .errors import StoreError

__all__ = ["Backend", "EmbeddedBackend", "RemoteBackend", "Endpoint", "open_backend", "parse_endpoint", "is_remote",
           "MEMORY", "LOCK_FILE"]

MEMORY = "memory"
LOCK_FILE = "kg.lock"
_TIMEOUT = 300.0  # seconds an endpoint may take to answer one request
FLUSH_BYTES = 8_000_000  # an embedded writer flushes to disk after about this much SPARQL Update text
# what rdflib parses fastest, for both kinds of answer: bindings (SELECT, ASK) and graphs (CONSTRUCT, DESCRIBE)
_ACCEPT = "application/sparql-results+json, application/n-triples;q=0.9, text/turtle;q=0.8, application/sparql-results+xml;q=0.5"


def is_remote(location: str) -> bool:
    """True for a SPARQL endpoint URL (or a pair of them)."""
    return location.lstrip().lower().startswith(("http://", "https://"))


class Backend:
    """An open store: ``dataset`` to read through rdflib, :meth:`update` to write, :meth:`close` to let go."""

    location: str
    dataset: Dataset
    writable: bool
    native: ox.Store | None = None  # the Oxigraph store itself, for native evaluation (embedded only)
    opened: int = 0  # how many times the store was opened again after a flush (``dataset`` is then a new one)

    def update(self, sparql_update: str, prefixes: dict[str, str] | None = None) -> None:
        """Apply one SPARQL Update request as one transaction; ``prefixes`` are declared for it."""
        raise NotImplementedError

    def load_quads(self, nquads: str) -> None:
        """Insert N-Quads as one transaction (Oxigraph only: an endpoint store is written with :meth:`update`)."""
        raise NotImplementedError

    def reopen_after_flush(self) -> bool:
        """Close the store and open it again when it was flushed since it was last opened (see
        :meth:`EmbeddedBackend.reopen_after_flush`); True when it did, and ``dataset`` is then a new one."""
        return False

    def quads_store(self) -> ox.Store:
        """An Oxigraph store holding every quad, for the quad formats of ``kg export``."""
        return self.native

    def changed(self) -> bool:
        """True when a writer in another process has changed the store since this one was opened."""
        return False

    def reopen(self) -> Backend:
        """The same store opened again (a fresh read-only snapshot for embedded readers)."""
        return self

    def close(self) -> None:
        """Release the store and, for a writer, its lock."""


class EmbeddedBackend(Backend):
    """Oxigraph inside this process: on disk (a directory) or in memory."""

    def __init__(self, location: str, *, create: bool = False, writable: bool = False) -> None:
        self.location = location
        self.writable = writable or location == MEMORY
        self._lock: IO[str] | None = None
        self._stamp = 0
        self._unflushed = 0  # bytes of updates written since the last flush
        self._flushed = False  # flushed since the store was last opened
        self.flush_bytes = FLUSH_BYTES  # a writer on disk flushes after about this many bytes of updates
        if location == MEMORY:
            self.native = ox.Store()
        else:
            path = Path(location)
            if path.exists() and not path.is_dir():
                raise StoreError(location, "is a file, not a store directory")
            if not path.exists() and not create:
                raise StoreError(location, "no store here; build one first with: kg build ARTICLES --store " + location)
            try:
                path.mkdir(parents=True, exist_ok=True)
                if self.writable:
                    self._lock = _lock(path)
                self._stamp = _stamp(path)
                self.native = ox.Store(str(path)) if self.writable else _open_read_only(path)
            except (OSError, RuntimeError) as exc:
                self.close()  # let go of the lock taken above
                raise StoreError(location, f"cannot be opened: {str(exc).splitlines()[0]}") from exc
        self.dataset = Dataset(store=plugin.get("Oxigraph", Store)(store=self.native), default_union=True)

    def update(self, sparql_update: str, prefixes: dict[str, str] | None = None) -> None:
        self._write(lambda: self.native.update(sparql_update, prefixes=prefixes), len(sparql_update))

    def load_quads(self, nquads: str) -> None:
        self._write(lambda: self.native.load(nquads, ox.RdfFormat.N_QUADS), len(nquads))

    def _write(self, write: Callable[[], None], size: int) -> None:
        """One transaction (``write``, of about ``size`` bytes of text), then a flush now and then and a new stamp."""
        if not self.writable:
            raise StoreError(self.location, "is open read-only; writing needs kg build (or writable=True in Python)")
        try:
            write()
            self._unflushed += size
            if self._lock is not None and self._unflushed > self.flush_bytes:
                # RocksDB keeps written data in memory tables until they fill (64 MB for each of Oxigraph's
                # dozen column families): flushed now and then, a build's memory stays flat however long it runs
                self.native.flush()
                self._unflushed = 0
                self._flushed = True
        except OSError as exc:
            raise StoreError(self.location, f"write failed: {exc}") from exc
        if self._lock is not None:
            os.utime(self._lock.fileno())  # readers see a new stamp and take a fresh snapshot

    def reopen_after_flush(self) -> bool:
        """Close Oxigraph and open it again (the writer's lock stays held) when it was flushed since it was last
        opened; True when it did.

        RocksDB keeps what reads bring in block caches (Oxigraph gives the one of its strings 128 MB) that fill as
        the store grows, so that a build's memory would grow with its store up to their size (by 175 MiB from
        1,000 to 10,000 articles): opening the store again empties them. Call it only when no query result of this
        store is still being read (``kg build`` does, between documents): Oxigraph closes the database when its last
        user goes, and it cannot be opened again while one holds it.
        """
        if not self._flushed or self._lock is None:
            return False
        self.dataset.close()
        self.native = None
        try:
            self.native = ox.Store(self.location)
        except OSError as exc:
            raise StoreError(self.location, f"cannot be opened again: {str(exc).splitlines()[0]} (a query still "
                                            "being read holds it)") from exc
        self.dataset = Dataset(store=plugin.get("Oxigraph", Store)(store=self.native), default_union=True)
        self._flushed = False
        self.opened += 1
        return True

    def changed(self) -> bool:
        return self._lock is None and self.location != MEMORY and _stamp(Path(self.location)) != self._stamp

    def reopen(self) -> Backend:
        return EmbeddedBackend(self.location, writable=self.writable) if self.location != MEMORY else self

    def close(self) -> None:
        if self.native is not None and self._lock is not None:
            # Write what is still only in the write-ahead log into the store's files: every read-only open
            # (kg query, each kg serve worker) would otherwise replay the whole log, 1.4 s for 300 articles.
            self.native.flush()
        if self.native is not None:
            self.dataset.close()  # drops rdflib's reference: graphs made from the dataset may outlive it
            self.native = None  # the last reference: Oxigraph closes the database
        if self._lock is not None:
            self._lock.close()  # closing the file releases the lock
            self._lock = None


def _open_read_only(path: Path, tries: int = 40) -> ox.Store:
    """A read-only snapshot of the store. A writer in another process may be compacting its files at that moment
    (RocksDB compacts on open too), which a reader sees as a missing file or corruption: wait a little and open
    again, as the query workers do (:mod:`kg.workers`)."""
    for _ in range(tries - 1):
        try:
            return ox.Store.read_only(str(path))
        except (OSError, RuntimeError):
            time.sleep(0.05)
    return ox.Store.read_only(str(path))


def _lock(path: Path) -> IO[str]:
    """Hold the store's writer lock, recording our PID; StoreError naming the holder when another has it."""
    handle = open(path / LOCK_FILE, "a+", encoding="utf-8")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.seek(0)
        holder = handle.read().strip() or "unknown"
        handle.close()
        raise StoreError(str(path), f"store is locked by PID {holder} (a kg build, kg remove or kg serve --allow-update "
                                    "writing to it); wait for it to finish or use another --store") from None
    handle.seek(0)
    handle.truncate()
    handle.write(str(os.getpid()))
    handle.flush()
    return handle


def _stamp(path: Path) -> int:
    try:
        return (path / LOCK_FILE).stat().st_mtime_ns
    except FileNotFoundError:
        return 0


@dataclass(frozen=True)
class Endpoint:
    """Where a remote store answers queries and updates, and the credentials it wants."""

    query_url: str
    update_url: str
    auth: tuple[str, str] | None = None


def parse_endpoint(location: str) -> Endpoint:
    """The query and update URLs (and Basic auth) of a ``--store`` URL value."""
    urls = location.split()
    if not 1 <= len(urls) <= 2:
        raise StoreError(location, "give one endpoint URL, or a query URL and an update URL separated by a space")
    auth = None
    clean = []
    for url in urls:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise StoreError(location, f"{url!r} is not an http(s) URL of a SPARQL endpoint")
        if parts.username is not None:
            auth = (unquote(parts.username), unquote(parts.password or ""))
        netloc = parts.hostname + (f":{parts.port}" if parts.port else "")
        clean.append(urlunsplit((parts.scheme, netloc, parts.path, parts.query, "")))
    query_url = clean[0]
    if len(clean) == 2:
        update_url = clean[1]
    elif query_url.endswith("/query"):
        update_url = query_url.removesuffix("query") + "update"
    else:
        update_url = query_url
    return Endpoint(query_url, update_url, auth)


class EndpointStore(SPARQLUpdateStore):
    """rdflib's SPARQLUpdateStore, speaking POST and keeping the endpoint's own error messages.

    A malformed query is a ``SyntaxError`` carrying the endpoint's message; an endpoint that cannot be reached
    or fails is a :class:`~kg.errors.StoreError` that says so.
    """

    def __init__(self, endpoint: Endpoint, location: str, timeout: float = _TIMEOUT) -> None:
        super().__init__(query_endpoint=endpoint.query_url, update_endpoint=endpoint.update_url, method="POST",
                         auth=endpoint.auth, autocommit=True, context_aware=True)
        self.where = location
        self.timeout = timeout

    def _query(self, query: str, default_graph: str | None = None, named_graph: str | None = None) -> Result:
        headers = {"Accept": _ACCEPT}
        data, content_type = self._post(self.query_endpoint, query, "application/sparql-query", headers)
        return Result.parse(BytesIO(data), content_type=content_type.split(";")[0].strip())

    def _update(self, update: str) -> None:
        self._updates += 1  # rdflib's count of update requests
        self._post(self.update_endpoint, update, "application/sparql-update", {})

    def _post(self, url: str, body: str, media: str, headers: dict[str, str]) -> tuple[bytes, str]:
        headers = {**self.kwargs.get("headers", {}), **headers, "Content-Type": media + "; charset=utf-8"}
        try:
            with urlopen(Request(url, data=body.encode("utf-8"), headers=headers), timeout=self.timeout) as response:
                return response.read(), response.headers.get("Content-Type", "")
        except HTTPError as exc:
            message = " ".join(exc.read().decode("utf-8", "replace").split())[:500] or exc.reason
            if exc.code == 400:
                raise SyntaxError(message) from None
            raise StoreError(self.where, f"the endpoint answered HTTP {exc.code}: {message}") from None
        except URLError as exc:
            raise StoreError(self.where, f"cannot reach the SPARQL endpoint ({exc.reason}); is the server running?") from None
        except TimeoutError:
            raise StoreError(self.where, f"the endpoint did not answer within {self.timeout:g} s") from None


class RemoteBackend(Backend):
    """A SPARQL 1.1 endpoint as the store (see the module docstring for what it must offer)."""

    def __init__(self, location: str) -> None:
        self.location = location
        self.writable = True
        self.endpoint = parse_endpoint(location)
        self.dataset = Dataset(store=EndpointStore(self.endpoint, location), default_union=True)

    def update(self, sparql_update: str, prefixes: dict[str, str] | None = None) -> None:
        # "__UNION__": send the update as it is, not wrapped in a GRAPH of rdflib's choosing
        self.dataset.store.update(sparql_update, initNs=prefixes or {}, queryGraph="__UNION__")

    def quads_store(self) -> ox.Store:
        native = ox.Store()
        copy = Dataset(store=plugin.get("Oxigraph", Store)(store=native))
        rows = self.dataset.query("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        copy.addN((row[0], row[1], row[2], copy.graph(row[3])) for row in rows)
        return native

    def close(self) -> None:
        self.dataset = None  # type: ignore[assignment]


def open_backend(location: str, *, create: bool = False, writable: bool = False) -> Backend:
    """The backend a ``--store`` value names: an endpoint URL, ``memory`` or a directory."""
    if is_remote(location):
        return RemoteBackend(location)
    if re.match(r"[A-Za-z][A-Za-z0-9+.-]*://", location):
        raise StoreError(location, "is neither a directory nor an http(s) SPARQL endpoint URL")
    return EmbeddedBackend(location, create=create, writable=writable)
