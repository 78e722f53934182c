"""The pure stage on Dask distributed: parse and extract on a cluster's workers, the facts back to the one writer.

In: the jobs of :func:`kg.pipeline.new_versions` and a scheduler address (``tcp://host:8786``) or ``"local"`` (a
LocalCluster of one single-threaded worker process per core on this machine). Out: the same
:class:`~kg.pipeline.Extracted` items as :func:`kg.pipeline.extract_in_workers`, in input order, so
:func:`kg.pipeline.settle` makes the build store exactly what a one-process build does.

Each Dask worker loads the spaCy model once (on its first batch) and keeps it; documents travel in batches of
:data:`kg.pipeline.BATCH_SIZE`, with at most two batches per worker thread in flight. Dask runs tasks in worker
threads, where the per-article time limit (``--doc-timeout``, a process timer) cannot be set: on a cluster an
article runs without one. Workers need kg installed (the same version as the writer) and the same spaCy model.

Needs the ``dask[distributed]`` package (``pip install 'kg[dask]'``).
"""

from __future__ import annotations

import uuid
from collections import deque
from collections.abc import Iterable, Iterator

from .errors import KGError
from .pipeline import BATCH_SIZE, Extracted, Extractor, ExtractSettings, Job, _batches, default_workers

__all__ = ["ClusterError", "extract_on_dask"]

_EXTRACTOR: tuple[str, Extractor] | None = None  # a Dask worker's extractor, and the build it was made for


class ClusterError(KGError):
    """Dask is not installed, or the scheduler cannot be reached, or a worker failed."""


def _work(build: str, settings: ExtractSettings, batch: list[Job]) -> list[Extracted]:
    """A Dask task: parse and extract one batch with this worker's extractor for the build ``build`` (made on the
    worker's first batch of the build, with the model loaded then)."""
    global _EXTRACTOR
    if _EXTRACTOR is None or _EXTRACTOR[0] != build:
        _EXTRACTOR = (build, Extractor(settings))
    return _EXTRACTOR[1].speculate(batch)


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


def extract_on_dask(jobs: Iterable[Job], settings: ExtractSettings, scheduler: str) -> Iterator[Extracted]:
    """The pure stage on a Dask cluster (``scheduler``: an address, or ``"local"``), results in input order.

    Raises :class:`ClusterError` when Dask is missing or the scheduler cannot be reached; an error inside a task
    is raised here as it was raised there.
    """
    client, cluster = _client(scheduler)
    try:
        threads = max(1, sum(client.nthreads().values()))
        remote = client.scatter(settings, broadcast=True)  # sent once to each worker, not with every batch
        build = uuid.uuid4().hex
        pending: deque = deque()
        for batch in _batches(jobs, BATCH_SIZE):
            pending.append(client.submit(_work, build, remote, batch, pure=False))
            if len(pending) >= 2 * threads:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
