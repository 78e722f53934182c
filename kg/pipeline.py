"""The build pipeline: what ``kg build`` does to each article, from its file to the store, stage by stage.

Read top to bottom, this module is the build::

    read          paths -> Document                       one at a time, lazily (kg.documents)
    new_versions  Document -> Job                          unchanged articles passed over, copies stored as pointers
    extract       Job -> Extracted                         parse and extract: pure, text in, facts out, no store
    settle        Extracted -> Extracted                   the store's answers about names checked (see below)
    resolve       Extracted -> Resolved                    entities pointed at the stored ones (kg.resolve)
    write         Resolved -> Written                      one transaction per document (kg.store, kg.rdf)

Each stage is a generator over plain frozen dataclasses, so a build streams: memory holds the documents in
flight, never the corpus. Only ``new_versions``, ``settle``, ``resolve`` and ``write`` touch the store, and they
run in the one writer, the calling process, in input order.

``extract`` runs in the calling process (``workers=1``), in a pool of worker processes (``workers=N``), or on the
workers of a Dask cluster (``dask=``, :mod:`kg.cluster`); each worker loads the spaCy model once and parses and
extracts batches of documents. Extraction asks one thing of the
store: which class it gives a name ("Cameron", stored as a Person, is not the organization NER says;
:meth:`kg.resolve.EntityIndex.known_class`). A worker cannot ask, because the answer depends on the documents
written before this one, which the writer may not have written yet. It guesses, and records the questions and its
guesses with the parse of the document (spaCy's ``Doc.to_bytes``). ``settle`` then asks the writer's index the
same questions in the same order: when every answer agrees, the worker's facts are the ones the writer would have
extracted; at the first answer that differs, the writer extracts again from the recorded parse with the store's
real answers. So a build with N workers stores exactly what a build with one does.

The guesses come from a replica of the writer's index in each worker process: after each document the writer
appends what its index learned (the journal of :class:`kg.resolve.EntityIndex`) to a file, and each worker
catches up with it before it extracts a document (:class:`IndexFeed`, :class:`IndexReplica`). A worker's guess
is then wrong only about names whose class the documents still in flight change (a few dozen documents: the
batches queued per worker). On Dask, whose workers may share no file with the writer, the journal travels with
the tasks instead (:class:`kg.cluster.IndexLog`).

>>> from kg.pipeline import Job, Extracted
>>> from kg.model import Document
>>> Extracted(Job(Document(id="urn:x", text="Hi.")), facts=[]).error is None
True
"""

from __future__ import annotations

import os
import pickle
import shutil
import signal
import struct
import tempfile
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from multiprocessing import get_all_start_methods, get_context
from pathlib import Path
from typing import Protocol

from spacy.tokens import Doc

from .dedup import DuplicateFinder, Fingerprint, fingerprint
from .documents import read_documents
from .errors import InputError, KGError
from .extract import PACKAGED, LearnedPatterns, RelationModel, extract_facts
from .extract.coref import askable_names
from .limits import DocumentTimeout, budget, call_with_limit
from .lookup import Merge, Rename
from .model import Document, Entity, Fact
from .nlp import load_nlp, parse
from .ontology import Ontology
from .resolve import Change, EntityIndex
from .store import KnowledgeStore, WriteResult, content_hash

__all__ = ["BuildSummary", "ExtractSettings", "Extractor", "Job", "Question", "Extracted", "Resolved", "Written",
           "WorkerError", "IndexFeed", "IndexReplica", "read", "new_versions", "extract", "extract_in_workers", "settle",
           "resolve", "write", "build", "default_workers", "BATCH_SIZE"]

BATCH_SIZE = 16  # documents per nlp.pipe batch, and per task sent to a worker process
_IN_FLIGHT = 2  # batches queued per worker process: enough to keep each busy, few enough to keep memory flat
_SCRATCH_PREFIX = "kg-build-"  # a build's temporary directory: kg-build-<writer's pid>-<random>
_FRAME = struct.Struct(">I")  # the length of one frame of the index journal file


# ---------------------------------------------------------------- what flows


@dataclass(frozen=True)
class BuildSummary:
    """What a build did: documents read (by outcome), distinct entities and facts written, seconds of wall time."""

    documents: int
    added: int
    replaced: int
    unchanged: int
    skipped: int
    entities: int
    facts: int
    seconds: float
    duplicates: int = 0

    def line(self) -> str:
        """The one-line summary ``kg build`` prints."""
        parts = [f"{self.documents} documents ({self.added} added, {self.replaced} replaced, {self.unchanged} unchanged"]
        if self.duplicates:
            parts.append(f", {self.duplicates} copies of stored articles")
        if self.skipped:
            parts.append(f", {self.skipped} skipped")
        return "".join(parts) + f"), {self.entities} entities, {self.facts} facts in {self.seconds:.1f} s"


@dataclass(frozen=True)
class Job:
    """A document to parse and extract, with what the store said of it when it was read.

    ``previous``: the content hash of the version stored before (None: a new document). ``fingerprint``: its
    copy-detection fingerprint (:mod:`kg.dedup`; None when copies are kept).
    """

    document: Document
    previous: str | None = None
    fingerprint: Fingerprint | None = None


@dataclass(frozen=True)
class Question:
    """One question extraction asked the store: the class of ``name`` (NER said ``ner_class``), and the answer it
    was given (None: keep NER's)."""

    name: str
    ner_class: str | None
    answer: str | None


@dataclass(frozen=True)
class Extracted:
    """A document after the pure stage: its facts, or the error that stopped it.

    ``asked``: the questions extraction put to the store, in order, with the answers it went on; ``parsed``: the
    document's parse as ``Doc.to_bytes`` (only from a worker process, so the writer can extract again).
    """

    job: Job
    facts: list[Fact] | None = None
    error: KGError | None = None
    asked: tuple[Question, ...] = ()
    parsed: bytes | None = None


@dataclass(frozen=True)
class Resolved:
    """A document's facts pointed at the stored entities, with the merges and renames resolution decided; or the
    error that stopped it (``facts`` then empty)."""

    job: Job
    facts: list[Fact] = field(default_factory=list)
    merges: list[Merge] = field(default_factory=list)
    renames: list[Rename] = field(default_factory=list)
    error: KGError | None = None


@dataclass(frozen=True)
class Written:
    """What the store did with one document (``result``), or the error that kept it out (``result`` None)."""

    job: Job
    facts: list[Fact]
    result: WriteResult | None = None
    error: KGError | None = None


class WorkerError(KGError):
    """A worker process died (killed, or out of memory) while it parsed documents."""


# ---------------------------------------------------------------- the pure stage: parse and extract


@dataclass(frozen=True)
class ExtractSettings:
    """Everything the pure stage needs, picklable: sent once to each worker process.

    ``model``: the spaCy pipeline name (None: the default); ``relation_model``: a loaded model,
    :data:`~kg.extract.PACKAGED` or None; ``min_confidence``: facts scored below it (0 to 1) are dropped;
    ``doc_timeout``: seconds per 1,000 words for parsing and for extracting one document (None: no limit).
    """

    ontology: Ontology
    model: str | None = None
    learned: LearnedPatterns | None = None
    relation_model: RelationModel | str | None = PACKAGED
    min_confidence: float = 0.0
    doc_timeout: float | None = None


KnownClass = Callable[[str, "str | None"], "str | None"]


class Extractor:
    """Parses and extracts documents: the spaCy pipeline (loaded once) and the settings.

    Parameters
    ----------
    settings : the ontology, model, patterns, relation model, confidence floor and time limit.
    """

    def __init__(self, settings: ExtractSettings) -> None:
        self.settings = settings
        self.nlp = load_nlp(settings.model)

    def parsed(self, jobs: Iterable[Job]) -> Iterator[tuple[Job, Doc | DocumentTimeout]]:
        """(job, its spaCy doc or the :class:`DocumentTimeout` it met), in order.

        Documents are parsed in batches through ``nlp.pipe`` under the sum of their time limits (``doc_timeout``
        seconds per 1,000 words, :func:`kg.limits.budget`); when a batch runs out of time, its documents are
        parsed again one by one, each under its own limit, so only the one that cannot finish is given up.
        """
        for batch in _batches(jobs, BATCH_SIZE):
            yield from self._parse_batch(batch)

    def _parse_batch(self, batch: list[Job]) -> list[tuple[Job, Doc | DocumentTimeout]]:
        nlp = self.nlp
        try:
            parsed = call_with_limit(self._limit(batch), _where(batch[0].document), "to parse", lambda: list(
                parse(nlp, ((j.document.text, j) for j in batch), batch_size=BATCH_SIZE)))
        except DocumentTimeout as timeout:
            if len(batch) == 1:
                return [(batch[0], timeout)]
            parsed = []
            for one in batch:
                try:
                    parsed += call_with_limit(self._limit([one]), _where(one.document), "to parse",
                                              lambda: list(parse(nlp, [(one.document.text, one)])))
                except DocumentTimeout as error:
                    parsed.append((error, one))
        return [(job, doc) for doc, job in parsed]

    def _limit(self, batch: list[Job]) -> float | None:
        timeout = self.settings.doc_timeout
        return None if timeout is None else sum(budget(j.document.text, timeout) for j in batch)

    def facts(self, job: Job, doc: Doc, known: KnownClass | None) -> list[Fact]:
        """The facts of one parsed document (``known``: the store's classes of names; None asks nothing), within
        its time limit; raises :class:`DocumentTimeout` past it."""
        s, document = self.settings, job.document
        limit = None if s.doc_timeout is None else budget(document.text, s.doc_timeout)
        facts = call_with_limit(limit, _where(document), "to extract facts from",
                                lambda: extract_facts(document, doc, s.ontology, s.learned, known, s.relation_model))
        return [f for f in facts if f.evidence.confidence >= s.min_confidence] if s.min_confidence else facts

    def extracted(self, job: Job, doc: Doc | DocumentTimeout, known: KnownClass | None) -> Extracted:
        """One parsed document's :class:`Extracted`: its facts, or the timeout it met parsing or extracting."""
        if isinstance(doc, DocumentTimeout):
            return Extracted(job, error=doc)
        try:
            return Extracted(job, self.facts(job, doc, known))
        except DocumentTimeout as error:
            return Extracted(job, error=error)

    def speculate(self, batch: list[Job], replica: Replica | None = None) -> list[Extracted]:
        """Parse and extract a batch without a store: every question about a name is answered with ``replica``'s
        guess (None: "nothing known") and recorded with the parse, for :func:`settle` to check (see the module's
        docstring)."""
        out = []
        for job, doc in self._parse_batch(batch):
            asked: list[Question] = []
            guess = replica.caught_up().known_class if replica is not None else None

            def guessed(name: str, ner_class: str | None) -> str | None:
                answer = guess(name, ner_class) if guess is not None else None
                asked.append(Question(name, ner_class, answer))
                return answer

            one = self.extracted(job, doc, guessed)
            parsed = doc.to_bytes(exclude=["tensor", "user_data"]) if asked and one.error is None else None
            out.append(Extracted(job, one.facts, one.error, tuple(asked), parsed))
        return out


def extract(jobs: Iterable[Job], extractor: Extractor, index: EntityIndex | None) -> Iterator[Extracted]:
    """The pure stage in this process: each job parsed (in batches) and extracted, in order.

    ``index`` (the writer's) is asked what the store knows of the document's names when the document is
    extracted, that is after the documents before it were written (the stages after this one pull one document
    at a time): one query for all the names the extraction may ask about.
    """
    for job, doc in extractor.parsed(jobs):
        if index is not None and not isinstance(doc, DocumentTimeout):
            index.prefetch(askable_names(doc))
        yield extractor.extracted(job, doc, index.known_class if index is not None else None)


def default_workers() -> int:
    """The number of cores this process may run on (at least 1)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


class Replica(Protocol):
    """A worker's copy of the writer's index: :class:`IndexReplica`, or on Dask the worker's state
    (:mod:`kg.cluster`)."""

    def caught_up(self) -> EntityIndex: ...


class Publisher(Protocol):
    """Where :func:`settle` publishes the writer's index journal: :class:`IndexFeed`, :class:`kg.cluster.IndexLog`."""

    def publish(self, changes: list[Change]) -> None: ...


class IndexFeed:
    """The writer's end of the index journal file: frames of :data:`kg.resolve.Change` lists, each a 4-byte
    big-endian length and a pickle, appended as the writer's index learns (see the module's docstring)."""

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        self._file = open(path, "ab")

    def publish(self, changes: list[Change]) -> None:
        """Append ``changes`` (nothing when there are none), at once visible to the workers."""
        if changes:
            data = pickle.dumps(changes, protocol=pickle.HIGHEST_PROTOCOL)
            self._file.write(_FRAME.pack(len(data)) + data)
            self._file.flush()

    def close(self) -> None:
        self._file.close()


class IndexReplica:
    """A worker's copy of the writer's entity index, following the journal file an :class:`IndexFeed` writes.

    Parameters
    ----------
    path : the journal file.
    onto : the ontology the writer's index types names with.
    """

    def __init__(self, path: str | Path, onto: Ontology) -> None:
        self.index = EntityIndex.replica_of(onto)
        self._file = open(path, "rb")
        self._pending = b""  # the start of a frame the writer has not finished writing

    def caught_up(self) -> EntityIndex:
        """The replica, with every change the writer has published so far applied."""
        data = self._pending + self._file.read()
        at = 0
        while at + _FRAME.size <= len(data):
            end = at + _FRAME.size + _FRAME.unpack_from(data, at)[0]
            if end > len(data):
                break
            self.index.replay(pickle.loads(data[at + _FRAME.size:end]))
            at = end
        self._pending = data[at:]
        return self.index


_WORKER: tuple[Extractor, IndexReplica | None] | None = None  # the worker process's, made once by _start_worker


def _start_worker(settings: ExtractSettings, journal: str | None) -> None:
    """A worker process's start: load the model once and open the index journal (None: guess "nothing known").
    Ctrl-C is the writer's to handle (it stops the pool); SIGTERM, which the writer sends to stop a worker, ends it
    at once (a forked worker would otherwise inherit the writer's handler and raise wherever it was, mid-write to
    the pool's pipe included); a writer killed outright takes its workers with it (Linux)."""
    global _WORKER
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _die_with_parent()
    _WORKER = Extractor(settings), IndexReplica(journal, settings.ontology) if journal is not None else None


def _die_with_parent() -> None:
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _work(batch: list[Job]) -> list[Extracted]:
    assert _WORKER is not None, "the worker was not started"
    extractor, replica = _WORKER
    return extractor.speculate(batch, replica)


def extract_in_workers(jobs: Iterable[Job], settings: ExtractSettings, workers: int,
                       journal: str | Path | None = None) -> Iterator[Extracted]:
    """The pure stage in ``workers`` processes: batches of :data:`BATCH_SIZE` jobs, results in input order.

    ``journal``: the file an :class:`IndexFeed` of the writer's index writes, from which the workers guess the
    store's answers (None: they guess "nothing known"). At most ``2 * workers`` batches are in flight, so reading
    stays just ahead of parsing. On Linux the workers are forked from this process and share its loaded model;
    elsewhere each starts afresh and loads it. Stopping early (an error, Ctrl-C, the consumer closing the
    generator) stops the workers. Raises :class:`WorkerError` when a worker process dies.
    """
    if "fork" in get_all_start_methods():
        load_nlp(settings.model)  # loaded before forking: each worker starts with it
        context = get_context("fork")
    else:
        context = get_context("spawn")
    pool = ProcessPoolExecutor(workers, mp_context=context, initializer=_start_worker,
                               initargs=(settings, None if journal is None else str(journal)))
    pending: deque[Future[list[Extracted]]] = deque()
    batches = _batches(jobs, BATCH_SIZE)
    finished = False
    try:
        for batch in batches:
            pending.append(pool.submit(_work, batch))
            if len(pending) >= _IN_FLIGHT * workers:
                yield from _result(pending.popleft())
        while pending:
            yield from _result(pending.popleft())
        finished = True
    finally:
        _stop(pool, pending, early=not finished)


def _result(future: Future[list[Extracted]]) -> list[Extracted]:
    try:
        return future.result()
    except BrokenProcessPool:
        raise WorkerError("a parse worker process died (killed, or out of memory); build again with --workers 1, or "
                          "with fewer workers") from None


def _stop(pool: ProcessPoolExecutor, pending: deque[Future[list[Extracted]]], *, early: bool) -> None:
    """Stop the pool. ``early`` (an error, a signal, the consumer closing the generator): queued batches cancelled
    and every worker process ended, the one whose batch was being waited for included; else the idle workers
    leave as usual."""
    for future in pending:
        future.cancel()
    if early:
        for process in list((getattr(pool, "_processes", None) or {}).values()):
            process.terminate()
    pool.shutdown(wait=True, cancel_futures=True)


# ---------------------------------------------------------------- the writer's stages


def read(paths: Iterable[str | Path], *, max_bytes: int, on_error: Callable[[InputError], None] | None,
         on_warning: Callable[[InputError], None] | None, doc_timeout: float | None) -> Iterator[Document]:
    """Every article under ``paths``, lazily, in order (:func:`kg.documents.read_documents`)."""
    return read_documents(list(paths), max_bytes=max_bytes, on_error=on_error, on_warning=on_warning,
                          doc_timeout=doc_timeout)


def new_versions(documents: Iterable[Document], store: KnowledgeStore, finder: DuplicateFinder | None,
                 done: Callable[[Document, str], None]) -> Iterator[Job]:
    """The documents that need parsing: not stored in this version already, and not a copy of another one.

    Unchanged documents are passed over (``done(document, "unchanged")``) and copies are stored as pointers here
    (``done(document, "duplicate")``), before any parsing; a document on its way is held by ``finder`` so that
    later copies of it are found.
    """
    for document in documents:
        previous = store.stored_hash(document.id)
        if previous == content_hash(document):
            done(document, "unchanged")
            continue
        fp = None
        if finder is not None:
            fp = fingerprint(document.text, document.title)
            duplicate = finder.find(document, fp)
            if duplicate is not None:
                done(document, store.write_duplicate(document, duplicate).status)
                continue
            finder.hold(document.id, fp)
        yield Job(document, previous, fp)


def settle(extracted: Iterable[Extracted], index: EntityIndex, extractor: Extractor,
           feed: Publisher | None = None) -> Iterator[Extracted]:
    """Each document's facts as the writer would extract them now: a worker's, when the store answers every
    question it recorded as the worker guessed; else extracted again here from the recorded parse, with the
    store's answers (see the module's docstring).

    With ``feed`` (an :class:`IndexFeed`, or on Dask a :class:`kg.cluster.IndexLog`), what the index learned from
    each document (its journal) is published once the stages after this one have written it, for the workers'
    next guesses.
    """
    for item in extracted:
        if item.parsed is not None:
            index.prefetch(q.name for q in item.asked)
        if item.parsed is None or all(index.known_class(q.name, q.ner_class) == q.answer for q in item.asked):
            yield item
        else:
            doc = Doc(extractor.nlp.vocab).from_bytes(item.parsed)
            yield extractor.extracted(item.job, doc, index.known_class)
        if feed is not None:  # here, the document is written and recorded in the index (see resolve)
            feed.publish(index.take_journal())


def resolve(extracted: Iterable[Extracted], index: EntityIndex) -> Iterator[Resolved]:
    """Each document's entities pointed at the stored ones (:meth:`kg.resolve.EntityIndex.resolve`).

    The index learns a document's entities once the consumer has written it, before the next is resolved.
    """
    for item in extracted:
        if item.error is not None:
            yield Resolved(item.job, error=item.error)
            continue
        facts, merges, renames = index.resolve(item.facts or [])
        yield Resolved(item.job, facts, merges, renames)
        index.record(facts, renames)


def write(resolved: Iterable[Resolved], store: KnowledgeStore, onto: Ontology) -> Iterator[Written]:
    """Each document stored in one transaction (its named graph, its entities in the index, renames).

    After a write that flushed the store, it is opened again (:meth:`kg.store.KnowledgeStore.reopen_after_flush`),
    so that RocksDB's caches do not grow with the store: nothing of the build reads from it at that moment.
    """
    for item in resolved:
        if item.error is not None:
            yield Written(item.job, [], error=item.error)
            continue
        job = item.job
        result = store.write_document(job.document, item.facts, onto, merges=item.merges, renames=item.renames,
                                      fingerprint=job.fingerprint, previous=job.previous)
        store.reopen_after_flush()
        yield Written(job, item.facts, result)


def build(
    paths: Iterable[str | Path], store: KnowledgeStore, settings: ExtractSettings, *, workers: int = 1,
    dask: str | None = None, progress: Callable[[Document], None] | None = None, on_error: Callable[[KGError], None] | None = None,
    on_warning: Callable[[KGError], None] | None = None, max_bytes: int, duplicate_threshold: float | None,
) -> BuildSummary:
    """Read, parse, extract, resolve and store every article under ``paths`` (one transaction per document).

    ``workers``: processes that parse and extract (1: this process does everything); ``dask``: a Dask scheduler
    address, or ``"local"``, to parse and extract on that cluster instead (:mod:`kg.cluster`). With ``on_error``, a bad
    input (an unreadable file or JSONL line, or an article past its time limit) is reported to it and skipped;
    without, the first one raises, and every document stored before it stays stored whole. ``progress`` hears of
    each document as it is done; ``duplicate_threshold`` is the similarity at which an article is stored as a
    copy of another (None keeps every copy).
    """
    started = time.perf_counter()
    extractor = Extractor(settings)
    onto = settings.ontology
    store.ensure_ontology(onto)
    store.ensure_index()
    counts = {"added": 0, "replaced": 0, "unchanged": 0, "duplicate": 0}
    skipped = facts = 0
    entities: set[str] = set()

    def skip(error: KGError) -> None:
        nonlocal skipped
        skipped += 1
        on_error(error)  # type: ignore[misc]

    def done(document: Document, status: str) -> None:
        counts[status] += 1
        if progress is not None:
            progress(document)

    finder = DuplicateFinder(store.select_values, duplicate_threshold) if duplicate_threshold is not None else None
    documents = read(paths, max_bytes=max_bytes, on_error=skip if on_error else None, on_warning=on_warning,
                     doc_timeout=settings.doc_timeout)
    jobs = new_versions(documents, store, finder, done)
    index = EntityIndex.from_store(store, onto, journal=dask is not None or workers > 1)
    scratch = feed = None
    if dask is not None:
        from .cluster import IndexLog, extract_on_dask  # Dask is imported only by the builds that use it

        log = IndexLog(index)
        pure = extract_on_dask(jobs, settings, dask, log)
        extracted = settle(pure, index, extractor, log)
    elif workers > 1:
        remove_stale_scratch()
        scratch = tempfile.TemporaryDirectory(prefix=f"{_SCRATCH_PREFIX}{os.getpid()}-")
        feed = IndexFeed(Path(scratch.name) / "index-journal")
        pure = extract_in_workers(jobs, settings, workers, feed.path)
        extracted = settle(pure, index, extractor, feed)
    else:
        pure = extracted = extract(jobs, extractor, index)
    stages = write(resolve(extracted, index), store, onto)
    try:
        for written in stages:
            document = written.job.document
            if finder is not None:
                finder.forget(document.id)
            if written.error is not None:
                if on_error is None:
                    raise written.error
                skip(written.error)
                continue
            facts += len(written.facts)
            entities.update(_entity_keys(written.facts))
            done(document, written.result.status)  # type: ignore[union-attr]
    finally:
        pure.close()  # stops the worker processes at once on an error or Ctrl-C
        if feed is not None:
            feed.close()
        if scratch is not None:
            scratch.cleanup()
    return BuildSummary(sum(counts.values()), counts["added"], counts["replaced"], counts["unchanged"], skipped,
                        len(entities), facts, time.perf_counter() - started, counts["duplicate"])


# ---------------------------------------------------------------- helpers


def remove_stale_scratch(directory: str | Path | None = None) -> list[Path]:
    """Remove the temporary directories of builds whose writer process is gone (killed with SIGKILL, or the
    machine stopped), in ``directory`` (default: the system's temporary directory); returns those removed.

    A build's directory is named ``kg-build-<writer's pid>-…``; one is removed only when it belongs to this user
    and no process has that pid (a pid in use, even by another program, keeps it).
    """
    removed = []
    for path in Path(directory or tempfile.gettempdir()).glob(f"{_SCRATCH_PREFIX}*-*"):
        pid = path.name[len(_SCRATCH_PREFIX):].split("-", 1)[0]
        try:
            if not pid.isdigit() or path.stat().st_uid != os.getuid() or _alive(int(pid)):
                continue
        except OSError:
            continue
        shutil.rmtree(path, ignore_errors=True)
        removed.append(path)
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process
    return True


def _entity_keys(facts: list[Fact]) -> Iterator[str]:
    for fact in facts:
        yield fact.subject.key
        if isinstance(fact.object, Entity):
            yield fact.object.key


def _batches(items: Iterable[Job], size: int) -> Iterator[list[Job]]:
    batch: list[Job] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _where(document: Document) -> str:
    return document.source or document.uri
