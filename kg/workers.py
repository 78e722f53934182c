"""Query worker processes: SPARQL evaluated in child processes that the server can kill and replace.

In: a :class:`Job` (query text, the media types negotiated for bindings and for graphs, the dataset's graph IRIs).
Out: an :class:`Outcome` (status, body bytes, media type), or :class:`WorkersBusy`, :class:`Overtime` or
:class:`WorkerCrashed`.

Oxigraph cannot cancel a query running in a thread, so ``kg serve`` evaluates each query in one of a pool of
worker processes. Each opens the store read-only itself and takes a fresh snapshot when the store's writer stamp
changes (a build, or an update through the server). A query past its deadline gets its worker killed (SIGKILL)
and a new one started in the background, so runaway queries never hold the pool for good; a worker that dies
(a stack overflow inside the parser) is replaced the same way.

The child side is this file run as a script, importing only the standard library and pyoxigraph, so that a
replacement is ready within a fraction of a second.

Frames on the pipes: a 4-byte big-endian length, then a pickle of plain values (the child does not import kg, so
neither side sends kg's classes). The parent sends the start-up settings, then jobs as tuples of :class:`Job`'s
fields; the child answers ``("ready",)`` or ``("failed", message)``, then one tuple of :class:`Outcome`'s fields
per job.
"""

from __future__ import annotations

import asyncio
import os
import pickle
import struct
import sys
from dataclasses import dataclass
from pathlib import Path

_HEADER = struct.Struct(">I")
_LOCK_FILE = "kg.lock"  # kg.backends.LOCK_FILE; its mtime is the writer's stamp


@dataclass(frozen=True)
class Job:
    """One query for a worker.

    ``results_media`` / ``graph_media``: the media type negotiated for a SELECT/ASK and for a CONSTRUCT/DESCRIBE
    answer (None: the client accepts none, which is 406 once the query's form is known).
    """

    query: str
    results_media: str | None
    graph_media: str | None
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()


@dataclass(frozen=True)
class Outcome:
    """A worker's answer: ``status`` 200 with the serialised result and its ``media`` type; or ``error`` set to
    ``"syntax"`` or ``"run"`` (400, the parser's or evaluator's message as ``body``), ``"not acceptable"`` (406,
    ``body`` is ``b"graph"`` or ``b"results"``: the kind of result the client's Accept did not match) or
    ``"too large"`` (413: the result passed ``max_result_bytes``)."""

    status: int
    body: bytes
    media: str = "text/plain; charset=utf-8"
    error: str | None = None


class WorkersBusy(Exception):
    """No worker became free before the query's deadline."""


class Overtime(Exception):
    """The query ran past its deadline; its worker was killed and is being replaced."""


class WorkerCrashed(Exception):
    """The worker died while evaluating the query (its exit status is the message); it is being replaced."""


# ---------------------------------------------------------------- the child


def _read_frame(stream) -> object | None:
    header = stream.read(_HEADER.size)
    if len(header) < _HEADER.size:
        return None  # the parent has gone: stop
    return pickle.loads(stream.read(_HEADER.unpack(header)[0]))


def _write_frame(stream, value: object) -> None:
    data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_HEADER.pack(len(data)) + data)
    stream.flush()


def _open(location: str, tries: int = 40):
    """The store opened read-only. A writer in another process may be flushing or compacting at that moment,
    which RocksDB reports as a missing file or corruption: wait a little and open again."""
    import time

    import pyoxigraph as ox

    for attempt in range(tries):
        try:
            return ox.Store.read_only(location)
        except (OSError, RuntimeError):
            if attempt == tries - 1:
                raise
            time.sleep(0.05)


def _stamp(location: str) -> int:
    try:
        return os.stat(os.path.join(location, _LOCK_FILE)).st_mtime_ns
    except FileNotFoundError:
        return 0


class _ResultTooLarge(Exception):
    pass


class _Capped:
    """A byte sink that refuses to grow past ``limit`` bytes (results are serialised into it)."""

    def __init__(self, limit: int) -> None:
        self.buffer = bytearray()
        self.limit = limit

    def write(self, data: bytes) -> int:
        self.buffer += data
        if len(self.buffer) > self.limit:
            raise _ResultTooLarge
        return len(data)

    def flush(self) -> None:
        pass


def _merged(store, settings: dict[str, object]) -> bool:
    """True when the store keeps its default graph as the merge of its named graphs (kg.store), which queries
    without a dataset then read; False for a store written before it, whose queries read the union of the graphs."""
    return bool(store.query(settings["merged_query"]))


def _evaluate(store, job: Job, prefixes: dict[str, str], max_result_bytes: int, merged: bool = True) -> Outcome:
    import pyoxigraph as ox

    options: dict[str, object] = {"prefixes": prefixes}
    if job.default_graphs:
        options["default_graph"] = [ox.NamedNode(g) for g in job.default_graphs]
    elif not merged:
        options["use_default_graph_as_union"] = True
    if job.named_graphs:
        options["named_graphs"] = [ox.NamedNode(g) for g in job.named_graphs]
    try:
        result = store.query(job.query, **options)
        sink = _Capped(max_result_bytes)
        graph = isinstance(result, ox.QueryTriples)
        media = job.graph_media if graph else job.results_media
        if media is None:  # the client accepts none of the types offered for this query form
            return Outcome(406, b"graph" if graph else b"results", error="not acceptable")
        result.serialize(sink, ox.RdfFormat.from_media_type(media) if graph else ox.QueryResultsFormat.from_media_type(media))
    except _ResultTooLarge:
        return Outcome(413, b"", error="too large")
    except SyntaxError as exc:
        return Outcome(400, str(exc).encode(), error="syntax")
    except (ValueError, NotImplementedError, OSError, RuntimeError) as exc:  # what Oxigraph raises for a query it
        # cannot run (RuntimeError: a SERVICE endpoint, where allowed, that answered something else than SPARQL)
        if isinstance(exc.__context__, _ResultTooLarge) or isinstance(exc.__cause__, _ResultTooLarge):
            return Outcome(413, b"", error="too large")
        return Outcome(400, str(exc).encode(), error="run")
    return Outcome(200, bytes(sink.buffer), media + ("; charset=utf-8" if media.startswith("text/") else ""))


def _die_with_parent() -> None:
    """Linux: be killed when the server process goes, even by SIGKILL, instead of finishing a runaway query."""
    try:
        import ctypes
        import signal

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def worker_main() -> None:
    """The child: read the settings, open the store, then answer jobs until the parent closes the pipe."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C in a terminal is for the server, which stops us
    _die_with_parent()
    source, sink = sys.stdin.buffer, sys.stdout.buffer
    settings = _read_frame(source)
    if settings is None:
        return
    location = settings["location"]
    try:
        stamp = _stamp(location)
        store = _open(location)
        merged = _merged(store, settings)
    except (OSError, RuntimeError) as exc:
        _write_frame(sink, ("failed", str(exc).splitlines()[0]))
        return
    _write_frame(sink, ("ready",))
    while (fields := _read_frame(source)) is not None:
        if _stamp(location) != stamp:  # a writer changed the store: take a fresh snapshot
            stamp = _stamp(location)
            try:
                store = _open(location)
                merged = _merged(store, settings)
            except (OSError, RuntimeError) as exc:  # still being rewritten: the old snapshot answers this time
                print(f"kg serve worker: keeps the previous snapshot: {str(exc).splitlines()[0]}", file=sys.stderr)
                stamp = 0
        outcome = _evaluate(store, Job(*fields), settings["prefixes"], settings["max_result_bytes"], merged)
        _write_frame(sink, (outcome.status, outcome.body, outcome.media, outcome.error))


# ---------------------------------------------------------------- the parent

# The child runs this file by path, not as kg.workers: importing the kg package would load spaCy (over a second).
# sys.path[0] is the working directory under -c; dropped so that nothing there shadows a module.
_BOOT = "import runpy, sys; sys.path.pop(0); runpy.run_path(sys.argv[1], run_name='__main__')"


class _Worker:
    """One child process and its pipes."""

    def __init__(self, process) -> None:
        self.process = process

    @classmethod
    async def start(cls, settings: dict[str, object]) -> _Worker:
        process = await asyncio.create_subprocess_exec(sys.executable, "-c", _BOOT, str(Path(__file__).resolve()),
                                                       stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE)
        worker = cls(process)
        try:
            answer = await worker._exchange(settings)
        except (asyncio.IncompleteReadError, ConnectionError):
            answer = ("failed", f"the worker process exited with status {await process.wait()}")
        if answer[0] != "ready":
            worker.kill()
            from .errors import StoreError  # here, not at the top: the child runs this file outside the package

            raise StoreError(str(settings["location"]), f"a query worker cannot open it: {answer[1]}")
        return worker

    async def _exchange(self, message: object) -> object:
        data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
        self.process.stdin.write(_HEADER.pack(len(data)) + data)
        await self.process.stdin.drain()
        header = await self.process.stdout.readexactly(_HEADER.size)
        return pickle.loads(await self.process.stdout.readexactly(_HEADER.unpack(header)[0]))

    async def ask(self, job: Job) -> Outcome:
        fields = (job.query, job.results_media, job.graph_media, job.default_graphs, job.named_graphs)
        return Outcome(*await self._exchange(fields))  # type: ignore[misc]

    def kill(self) -> None:
        if self.process.returncode is None:
            self.process.kill()


class WorkerPool:
    """``size`` worker processes on one store directory, for an asyncio server.

    ``merged_query``: an ASK that is true when the store keeps its merged default graph
    (:meth:`kg.store.KnowledgeStore.merged_query`), asked again on every fresh snapshot.

    >>> # pool = WorkerPool("kg-store", 4, prefixes={}, max_result_bytes=50_000_000, merged_query="ASK {}")
    >>> # await pool.start(); outcome = await pool.run(Job("ASK {}", "application/json", None), timeout=30)
    """

    def __init__(self, location: str, size: int, *, prefixes: dict[str, str], max_result_bytes: int,
                 merged_query: str) -> None:
        self.size = size
        self._settings = {"location": location, "prefixes": prefixes, "max_result_bytes": max_result_bytes,
                          "merged_query": merged_query}
        self._idle = None  # an asyncio.Queue of ready workers, made in the server's event loop
        self._spares: list[_Worker] = []  # started and ready, to take a killed worker's place at once
        self._serving = 0  # workers idle or evaluating (not spares, not starting)
        self._all: set[_Worker] = set()
        self._pending: set[object] = set()  # replacements being started
        self.replaced = 0  # workers killed or lost and started again
        self._closing = False

    async def start(self) -> None:
        """Start every worker, and one spare; StoreError when they cannot open the store."""
        self._idle = asyncio.Queue()
        workers = await asyncio.gather(*(_Worker.start(self._settings) for _ in range(self.size + 1)),
                                       return_exceptions=True)
        failed = [w for w in workers if isinstance(w, BaseException)]
        for n, worker in enumerate(workers):
            if isinstance(worker, _Worker):
                self._all.add(worker)
                if n == self.size:
                    self._spares.append(worker)
                else:
                    self._idle.put_nowait(worker)
                    self._serving += 1
        if failed:
            await self.close()
            raise failed[0]

    async def run(self, job: Job, timeout: float) -> Outcome:
        """Evaluate ``job`` on a free worker within ``timeout`` seconds, counted from now (waiting included).

        Raises WorkersBusy, Overtime or WorkerCrashed.
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        try:
            worker = await asyncio.wait_for(self._idle.get(), timeout)
        except asyncio.TimeoutError:
            raise WorkersBusy from None
        if deadline - loop.time() <= 0.001:
            self._idle.put_nowait(worker)
            raise WorkersBusy
        try:
            outcome = await asyncio.wait_for(worker.ask(job), deadline - loop.time())
        except asyncio.TimeoutError:
            self._replace(worker)
            raise Overtime from None
        except (asyncio.IncompleteReadError, ConnectionError):
            status = await worker.process.wait()
            self._replace(worker)
            raise WorkerCrashed(f"exit status {status}" if status >= 0 else f"signal {-status}") from None
        except BaseException:  # cancelled while the worker evaluates: its pipe is mid-answer, so start afresh
            self._replace(worker)
            raise
        self._idle.put_nowait(worker)
        return outcome

    def _replace(self, worker: _Worker) -> None:
        worker.kill()
        self._all.discard(worker)
        if self._closing:
            return
        self.replaced += 1
        self._serving -= 1
        if self._spares:  # the spare takes its place now; the new process becomes the spare
            self._idle.put_nowait(self._spares.pop())
            self._serving += 1
        task = asyncio.get_running_loop().create_task(self._respawn(worker))
        self._pending.add(task)
        task.add_done_callback(self._pending.discard)

    async def _respawn(self, dead: _Worker) -> None:
        from .errors import StoreError

        await dead.process.wait()
        while True:
            try:
                worker = await _Worker.start(self._settings)
            except StoreError as error:  # the store went away for a moment (a rebuild): try again shortly
                print(f"kg serve: {error}", file=sys.stderr)
                await asyncio.sleep(1.0)
                continue
            if self._closing:
                worker.kill()
                return
            self._all.add(worker)
            if self._serving < self.size:
                self._idle.put_nowait(worker)
                self._serving += 1
            else:
                self._spares.append(worker)
            return

    async def close(self) -> None:
        """Stop every worker, waiting for none of their queries."""
        self._closing = True
        for task in list(self._pending):
            task.cancel()
        workers = list(self._all)
        self._all.clear()
        for worker in workers:  # all killed before the first wait: a cancelled close leaves none running
            worker.kill()
        for worker in workers:
            await worker.process.wait()


if __name__ == "__main__":
    worker_main()
