"""The pure stage on Dask distributed: parse and extract on a cluster's workers, the facts back to the one writer.

In: the jobs of :func:`kg.pipeline.new_versions` and a scheduler address (``tcp://host:8786``) or ``"local"`` (a
LocalCluster of one single-threaded worker process per core on this machine). Out: the same
:class:`~kg.pipeline.Extracted` items as :func:`kg.pipeline.extract_in_workers`, in input order, so
:func:`kg.pipeline.settle` makes the build store exactly what a one-process build does.

Each Dask worker loads the spaCy model once (on its first batch) and keeps it; documents travel in batches of
:data:`kg.pipeline.BATCH_SIZE`, with at most two batches per worker thread in flight.

Workers guess the store's answers as local worker processes do (:mod:`kg.pipeline`), from a replica of the
writer's entity index; but they may share no file with the writer, so the index's journal travels with the
tasks (:class:`IndexLog`): each task carries the changes since the point every worker has reported reaching, and
each worker applies the part it lacks. A worker that lacks more than the writer still keeps (one that joined
late or started again) gets the whole index in a later task. Guesses are checked by the writer whatever they
are, so a replica that is behind costs time, never correctness. Dask runs tasks in worker
threads, where the per-article time limit (``--doc-timeout``, a process timer) cannot be set: on a cluster an
article runs without one. Workers need kg installed (the same version as the writer) and the same spaCy model.

Needs the ``dask[distributed]`` package (``pip install -e '.[dask]'`` in the checkout).
"""

from __future__ import annotations

import threading
import uuid
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from .errors import KGError
from .pipeline import BATCH_SIZE, Extracted, Extractor, ExtractSettings, Job, _batches, default_workers
from .resolve import Change, EntityIndex

__all__ = ["ClusterError", "IndexLog", "IndexMessage", "extract_on_dask"]


class ClusterError(KGError):
    """Dask is not installed, or the scheduler cannot be reached, or a worker failed."""


@dataclass(frozen=True)
class IndexMessage:
    """What a task carries of the writer's index journal: ``changes`` that bring a replica to position ``end``
    (the count of changes the writer has published), from ``end - len(changes)``; or, when ``whole``, the whole
    index (a replica drops what it holds first)."""

    end: int
    changes: tuple[Change, ...]
    whole: bool = False


@dataclass
class IndexLog:
    """The writer's index journal, kept in memory for Dask workers (see the module's docstring).

    ``publish`` is what :func:`kg.pipeline.settle` calls after each document; ``message`` is what the next task
    carries; ``reached`` records where a worker's replica is, from its task's result. The changes every worker
    has reached are dropped, so the log holds only the last few batches' changes.
    """

    index: EntityIndex
    changes: list[Change] = field(default_factory=list)
    start: int = 0  # the position of changes[0]
    workers: dict[str, int] = field(default_factory=dict)  # worker address -> the position its replica reached
    heard: dict[str, int] = field(default_factory=dict)  # worker address -> the result it last reported with
    results: int = 0  # results reported so far

    @property
    def end(self) -> int:
        return self.start + len(self.changes)

    def publish(self, changes: list[Change]) -> None:
        self.changes += changes

    def message(self) -> IndexMessage:
        """The changes since the least position a worker reported (all kept changes before any report); the whole
        index when a worker reported a position the log no longer holds."""
        if any(at < self.start for at in self.workers.values()):
            return IndexMessage(self.end, (None, *self.index.entities.values()), whole=True)
        since = min(self.workers.values(), default=self.start)
        return IndexMessage(self.end, tuple(self.changes[since - self.start:]))

    def expect(self, worker: str) -> None:
        """A worker of the cluster, whose replica starts at the log's start."""
        self.workers.setdefault(worker, self.start)
        self.heard.setdefault(worker, self.results)

    def reached(self, worker: str, at: int) -> None:
        """Record that ``worker``'s replica is at ``at``, and drop the changes every worker has. A worker silent for
        many results (gone, or given no task) is no longer waited for: should it report again from behind what the
        log keeps, the next tasks carry the whole index."""
        self.results += 1
        self.workers[worker], self.heard[worker] = at, self.results
        patience = 8 * len(self.workers)
        for silent in [w for w, heard in self.heard.items() if self.results - heard > patience]:
            del self.workers[silent], self.heard[silent]
        least = min(self.workers.values())
        if least > self.start:
            del self.changes[:least - self.start]
            self.start = least


@dataclass
class _WorkerState:
    """A Dask worker's extractor and replica for one build, and the replica's position in the writer's journal."""

    build: str
    extractor: Extractor
    replica: EntityIndex
    at: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)  # a worker may run tasks in several threads

    def caught_up(self) -> EntityIndex:
        return self.replica

    def follow(self, message: IndexMessage) -> None:
        """Apply the part of ``message`` the replica lacks (nothing when it lacks more than the message holds)."""
        if message.whole:
            self.replica.replay(message.changes)
            self.at = message.end
            return
        begin = message.end - len(message.changes)
        if begin <= self.at < message.end:
            self.replica.replay(message.changes[self.at - begin:])
            self.at = message.end


_STATE: _WorkerState | None = None  # this Dask worker's, for the build it was made for


def _work(build: str, settings: ExtractSettings, batch: list[Job], message: IndexMessage) -> tuple[list[Extracted], str, int]:
    """A Dask task: parse and extract one batch with this worker's extractor for the build ``build`` (made on the
    worker's first batch of the build, with the model loaded then), guessing from its replica once it has
    followed ``message``. Returns the batch, the worker's address and its replica's position."""
    from distributed import get_worker

    global _STATE
    if _STATE is None or _STATE.build != build:
        _STATE = _WorkerState(build, Extractor(settings), EntityIndex.replica_of(settings.ontology))
    with _STATE.lock:  # the replica is read while a batch is extracted: another task's update would break it
        _STATE.follow(message)
        return _STATE.extractor.speculate(batch, _STATE), get_worker().address, _STATE.at


def _client(scheduler: str):
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise ClusterError("--dask needs Dask distributed; install it with: pip install 'dask[distributed]'") from None
    try:
        if scheduler == "local":
            cluster = LocalCluster(n_workers=default_workers(), threads_per_worker=1, processes=True,
                                   dashboard_address=None)
            return Client(cluster), cluster
        return Client(scheduler, timeout="10s"), None
    except (OSError, TimeoutError) as exc:
        raise ClusterError(f"cannot reach the Dask scheduler at {scheduler}: {exc}; start one with dask scheduler, "
                           "or use --dask local") from None


def extract_on_dask(jobs: Iterable[Job], settings: ExtractSettings, scheduler: str,
                    log: IndexLog | None = None) -> Iterator[Extracted]:
    """The pure stage on a Dask cluster (``scheduler``: an address, or ``"local"``), results in input order.
    ``log``: the writer's index journal, for the workers' guesses (None: they guess "nothing known").

    Raises :class:`ClusterError` when Dask is missing or the scheduler cannot be reached; an error inside a task
    is raised here as it was raised there.
    """
    client, cluster = _client(scheduler)
    try:
        nthreads = client.nthreads()
        threads = max(1, sum(nthreads.values()))
        if log is not None:
            for worker in nthreads:  # the workers there now start at the log's start; one that joins later reports
                log.expect(worker)
        remote = client.scatter(settings, broadcast=True)  # sent once to each worker, not with every batch
        build = uuid.uuid4().hex
        pending: deque = deque()

        def result() -> list[Extracted]:
            extracted, worker, at = pending.popleft().result()
            if log is not None:
                log.reached(worker, at)
            return extracted

        for batch in _batches(jobs, BATCH_SIZE):
            message = log.message() if log is not None else IndexMessage(0, ())
            pending.append(client.submit(_work, build, remote, batch, message, pure=False))
            if len(pending) >= 2 * threads:
                yield from result()
        while pending:
            yield from result()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
