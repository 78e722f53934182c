"""The build pipeline (kg/pipeline.py): its stages, and builds in worker processes that store what one process does."""

from __future__ import annotations

import io
import json
import multiprocessing
import tracemalloc
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.api import KnowledgeGraph
from kg.cli import main
from kg.documents import read_documents
from kg.limits import DocumentTimeout
from kg.model import Document
from kg.pipeline import Extracted, ExtractSettings, Extractor, IndexFeed, IndexReplica, Job, extract, settle
from kg.resolve import EntityIndex

from .conftest import EXAMPLES, RESTATED, SHARED, default_graph_drift

BBC = SHARED / "eval" / "news" / "bbc-dev"


def _nquads(graph: KnowledgeGraph) -> list[str]:
    out = io.BytesIO()
    graph.export("nquads", out)
    return sorted(out.getvalue().decode().splitlines())


def _built(paths: list[Path], workers: int, **options) -> tuple[list[str], str]:
    with KnowledgeGraph("memory", create=True) as graph:
        summary = graph.build(paths, workers=workers, doc_timeout=None, **options)
        return _nquads(graph), summary.line().rsplit(" in ", 1)[0]


def test_two_workers_store_the_same_quads_as_one():
    one, summary = _built([EXAMPLES, RESTATED], 1)
    two, summary_two = _built([EXAMPLES, RESTATED], 2)
    # the studio article states four facts (Avatar's gross again, its production company, Jon Landau's employer and
    # where the studio is) and adds one entity (Manhattan Beach)
    assert summary == summary_two == "6 documents (6 added, 0 replaced, 0 unchanged), 21 entities, 28 facts"
    assert two == one
    assert multiprocessing.active_children() == []  # the pool is gone with the build


@pytest.mark.slow
def test_two_workers_store_the_same_quads_as_one_on_real_news():
    if not BBC.is_dir():
        pytest.skip(f"the BBC development articles are not here ({BBC}); they live in ../shared beside a checkout")
    articles = sorted(BBC.glob("*.txt"))[:80]
    one, summary = _built(articles, 1)
    two, summary_two = _built(articles, 2)
    assert summary_two == summary
    assert two == one


ARTICLE = ("Cameron returns\n\nCameron said on Monday that the studio would release the sequel next year. "
           "Jon Landau, who produced it, said the shoot had ended.\n")


def test_a_name_the_store_knows_is_extracted_again_with_the_stores_answer(onto):
    """A worker answers "nothing known" to every question about a name; the writer finds that the store knows
    "Cameron" as a person and extracts again from the worker's parse, as a one-process build would."""
    first = Document(id="urn:test:first", text='Avatar news\n\nJames Cameron directed "Avatar", which Cameron also '
                                               "wrote. Jon Landau produced the film.\n", source="first", uri="urn:test:first")
    second = Document(id="urn:test:second", text=ARTICLE, source="second", uri="urn:test:second")
    with KnowledgeGraph("memory", create=True) as graph:
        graph.build([])  # the ontology in the store
        extractor = Extractor(ExtractSettings(graph.ontology))
        index = EntityIndex.from_store(graph.store, graph.ontology)
        [stored] = extract([Job(first)], extractor, index)
        facts, merges, renames = index.resolve(stored.facts)
        graph.store.write_document(first, facts, graph.ontology, merges=merges, renames=renames)
        index.record(facts, renames)

        [speculated] = extractor.speculate([Job(second)])
        assert ("Cameron", None) in {(q.name, q.answer) for q in speculated.asked} and speculated.parsed
        [settled] = settle([speculated], index, extractor)
        [expected] = extract([Job(second)], extractor, index)
        assert settled.facts == expected.facts
        assert index.known_class("Cameron", None) == "Person"


class _CountedLookup:
    """A store whose entity lookups are counted."""

    def __init__(self, store) -> None:
        self.store, self.queries = store, 0

    def entities_named(self, words=(), names=()):
        self.queries += 1
        return self.store.entities_named(words=words, names=names)


def test_the_store_is_asked_about_a_documents_names_in_one_query(onto):
    """Extracting a document in the writer's process asks the store about all its names at once, not name by name."""
    document = Document(id="urn:test:first", text='Avatar news\n\nJames Cameron directed "Avatar", which Cameron also '
                                                  "wrote. Jon Landau produced the film in Wellington for Fox.\n",
                        source="first", uri="urn:test:first")
    with KnowledgeGraph("memory", create=True) as graph:
        graph.build([])
        lookup = _CountedLookup(graph.store)
        index = EntityIndex(lookup, graph.ontology)
        [extracted] = extract([Job(document)], Extractor(ExtractSettings(graph.ontology)), index)
        assert extracted.facts and lookup.queries == 1
        assert {"cameron", "jon landau", "wellington"} <= {name for kind, name in index.loaded if kind == "n"}


def test_a_worker_that_follows_the_writers_index_guesses_the_stores_answers(onto, tmp_path):
    """The writer publishes what its index learned from the first article; a worker's replica then answers the
    second article's questions as the store does, so the writer keeps the worker's facts."""
    first = Document(id="urn:test:first", text='Avatar news\n\nJames Cameron directed "Avatar", which Cameron also '
                                               "wrote. Jon Landau produced the film.\n", source="first", uri="urn:test:first")
    second = Document(id="urn:test:second", text=ARTICLE, source="second", uri="urn:test:second")
    with KnowledgeGraph("memory", create=True) as graph:
        graph.build([])
        extractor = Extractor(ExtractSettings(graph.ontology))
        index = EntityIndex.from_store(graph.store, graph.ontology, journal=True)
        feed = IndexFeed(tmp_path / "journal")
        replica = IndexReplica(feed.path, graph.ontology)
        [stored] = extract([Job(first)], extractor, index)
        facts, merges, renames = index.resolve(stored.facts)
        graph.store.write_document(first, facts, graph.ontology, merges=merges, renames=renames)
        index.record(facts, renames)
        feed.publish(index.take_journal())

        [guessed] = extractor.speculate([Job(second)], replica)
        assert ("Cameron", "Person") in {(q.name, q.answer) for q in guessed.asked}
        assert all(index.known_class(q.name, q.ner_class) == q.answer for q in guessed.asked)
        assert replica.index.entities == index.entities
        [expected] = extract([Job(second)], extractor, index)
        assert guessed.facts == expected.facts
        feed.close()


def test_a_document_past_its_time_limit_in_a_worker_is_reported_and_the_rest_go_on():
    errors = []
    with KnowledgeGraph("memory", create=True) as graph:
        summary = graph.build([EXAMPLES], workers=2, doc_timeout=1e-4, on_error=errors.append)
        assert (summary.documents, summary.skipped, summary.facts) == (0, 3, 0)
        assert sorted(Path(e.where).name for e in errors) == ["alita-sequel-talks.txt", "avatar-way-of-water.md",
                                                              "lightstorm-studio.html"]
        assert all("took longer than" in str(e) for e in errors)
    assert multiprocessing.active_children() == []


def test_without_skip_bad_the_first_failing_document_stops_the_build_and_its_workers():
    with KnowledgeGraph("memory", create=True) as graph:
        with pytest.raises(DocumentTimeout, match="alita-sequel-talks.txt: took longer than"):
            graph.build([EXAMPLES], workers=2, doc_timeout=1e-4)
        assert graph.store.count_documents() == 0
    assert multiprocessing.active_children() == []


def test_kg_build_workers_option(tmp_path):
    runner = CliRunner()
    outputs = []
    for workers in ("1", "2"):
        store = tmp_path / f"store-{workers}"
        result = runner.invoke(main, ["build", str(EXAMPLES), "--store", str(store), "--workers", workers])
        assert result.exit_code == 0, result.output
        assert result.output.startswith("3 documents (3 added, 0 replaced, 0 unchanged), 15 entities, 22 facts in ")
        exported = runner.invoke(main, ["export", "--store", str(store), "--format", "nquads"])
        outputs.append(sorted(exported.output.splitlines()))
    assert outputs[0] == outputs[1]
    refused = runner.invoke(main, ["build", str(EXAMPLES), "--store", str(tmp_path / "s"), "--workers", "0"])
    assert refused.exit_code == 2 and "--workers" in refused.output


def test_a_large_jsonl_file_is_read_one_line_at_a_time(tmp_path):
    corpus = tmp_path / "news.jsonl"
    line = json.dumps({"text": "A short article about nothing in particular. " * 20}) + "\n"
    corpus.write_text(line * 100_000)  # 90 MB
    tracemalloc.start()
    try:
        documents = read_documents([corpus])
        first = next(documents)
        for _ in range(999):
            next(documents)
        _, peak = tracemalloc.get_traced_memory()
        documents.close()
    finally:
        tracemalloc.stop()
    assert first.source == f"{corpus}:1"
    assert peak < 2_000_000  # bytes: the lines read so far, not the file


def test_an_extracted_document_crosses_a_process_boundary(onto):
    import pickle

    extractor = Extractor(ExtractSettings(onto))
    text = ARTICLE + 'Robert Rodriguez directed "Alita: Battle Angel".\n'
    [item] = extractor.speculate([Job(Document(id="urn:test:x", text=text, source="x"))])
    copy = pickle.loads(pickle.dumps(item))
    assert isinstance(copy, Extracted) and copy == item and copy.facts


@pytest.mark.slow
def test_a_dask_local_cluster_of_two_workers_stores_the_same_quads_as_one_process():
    pytest.importorskip("distributed", reason="needs dask[distributed] (pip install -e '.[test]')")
    from distributed import Client, LocalCluster

    one, summary = _built([EXAMPLES, RESTATED], 1)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        with Client(cluster) as client:
            assert len(client.nthreads()) == 2
        on_dask, summary_dask = _built([EXAMPLES, RESTATED], 1, dask=cluster.scheduler_address)
    assert summary_dask == summary
    assert on_dask == one


def test_an_unreachable_dask_scheduler_is_one_line():
    pytest.importorskip("distributed", reason="needs dask[distributed] (pip install -e '.[test]')")
    from kg.cluster import ClusterError

    with KnowledgeGraph("memory", create=True) as graph:
        with pytest.raises(ClusterError, match="cannot reach the Dask scheduler at tcp://127.0.0.1:9"):
            graph.build([EXAMPLES], dask="tcp://127.0.0.1:9")


def test_dask_workers_follow_the_writers_index_through_the_tasks(onto):
    """Each task carries the journal since the least position a worker reported; each worker applies the part it
    lacks, and one that lacks what the log no longer keeps is sent the whole index."""
    pytest.importorskip("distributed", reason="needs dask[distributed] (pip install -e '.[test]')")
    from kg.cluster import IndexLog, _WorkerState
    from kg.resolve import StoredEntity

    with KnowledgeGraph("memory", create=True) as graph:
        index = EntityIndex.from_store(graph.store, graph.ontology, journal=True)
        log = IndexLog(index, workers={"w1": 0, "w2": 0})
        workers = {name: _WorkerState("build", None, EntityIndex.replica_of(onto)) for name in ("w1", "w2")}
        cameron = StoredEntity("person/cameron", "Cameron", ("Person",))
        index.add(cameron)
        log.publish(index.take_journal())
        first = log.message()
        assert (first.end, first.changes, first.whole) == (1, (cameron,), False)
        workers["w1"].follow(first)
        log.reached("w1", workers["w1"].at)
        assert (log.start, log.changes) == (0, [cameron])  # w2 has not reached it yet

        fox = StoredEntity("organization/fox", "Fox", ("Organization",))
        index.add(fox)
        log.publish(index.take_journal())
        second = log.message()
        assert (second.end, second.changes) == (2, (cameron, fox))  # from w2's position
        for worker in workers.values():
            worker.follow(second)  # w1 applies only what it lacks
            assert worker.at == 2 and worker.replica.entities == index.entities
            log.reached("w1" if worker is workers["w1"] else "w2", worker.at)
        assert (log.start, log.changes) == (2, [])
        assert workers["w1"].replica.known_class("Cameron", "Organization") == "Person"

        late = _WorkerState("build", None, EntityIndex.replica_of(onto))  # joined after the log dropped changes
        late.follow(log.message())
        assert late.at == 0 and late.replica.entities == {}
        log.reached("w3", late.at)
        whole = log.message()
        assert whole.whole and whole.end == 2 and set(whole.changes) == {None, cameron, fox}
        late.follow(whole)
        assert late.at == 2 and late.replica.entities == index.entities


def test_a_dask_worker_that_stops_reporting_is_no_longer_waited_for(onto):
    """A worker that never reports (gone, or given no task) would keep every change in the log and in every task:
    past eight results per worker it is dropped, and the log keeps only what the others lack."""
    pytest.importorskip("distributed", reason="needs dask[distributed] (pip install -e '.[test]')")
    from kg.cluster import IndexLog
    from kg.resolve import StoredEntity

    with KnowledgeGraph("memory", create=True) as graph:
        index = EntityIndex.from_store(graph.store, graph.ontology, journal=True)
        log = IndexLog(index)
        log.expect("live")
        log.expect("gone")
        for n in range(40):
            index.add(StoredEntity(f"person/p{n}", f"Person {n}", ("Person",)))
            log.publish(index.take_journal())
            log.reached("live", log.end)
            assert len(log.message().changes) == (0 if n >= 16 else n + 1)
        assert set(log.workers) == {"live"} and log.start == 40 and log.changes == []
        log.reached("gone", 0)  # back, from behind what the log keeps: the next tasks carry the whole index
        whole = log.message()
        assert whole.whole and len(whole.changes) == 41


@pytest.mark.parametrize("stop", ["SIGTERM", "SIGINT"])
def test_a_signal_stops_a_build_with_workers_and_leaves_no_temporary_files(tmp_path, stop):
    """kill (SIGTERM) and Ctrl-C (SIGINT) end a --workers 2 build: exit status 143 or 130, the index journal's
    temporary directory removed, no worker left, and the store readable with whole articles."""
    import os
    import signal
    import subprocess
    import sys
    import time

    signum = getattr(signal, stop)

    texts = [p.read_text(encoding="utf-8") for p in sorted(EXAMPLES.glob("*.txt"))]
    corpus = tmp_path / "news.jsonl"  # far more than the build gets through before it is stopped, on any machine
    corpus.write_text("".join(json.dumps({"id": f"copy{n}", "text": texts[n % len(texts)]}) + "\n" for n in range(4000)),
                      encoding="utf-8")
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    build = subprocess.Popen([sys.executable, "-m", "kg", "build", str(corpus), "--store", str(tmp_path / "s"),
                              "--keep-duplicates", "--workers", "2"], env={**os.environ, "TMPDIR": str(scratch)},
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while not list(scratch.glob("kg-build-*")) and build.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert build.poll() is None, "the build ended before it could be stopped"
    time.sleep(1.0)  # a few articles in flight
    build.send_signal(signum)
    assert build.wait(timeout=60) == 128 + signum
    assert list(scratch.glob("kg-build-*")) == []
    def running(marker: str) -> list[str]:
        found = []
        for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
            try:
                if marker in cmdline.read_bytes().decode(errors="replace"):
                    found.append(cmdline.parent.name)
            except OSError:
                continue  # the process ended
        return found

    assert running(str(corpus)) == []  # no worker left behind
    with KnowledgeGraph(tmp_path / "s") as graph:  # the merged default graph is exactly the stored articles' union
        assert default_graph_drift(graph.store) == set()


def test_a_killed_builds_temporary_directory_is_removed_by_the_next_build(tmp_path, monkeypatch):
    """SIGKILL leaves a build no chance to clean up: the next build with workers removes what a dead writer left,
    and nothing of a writer still running."""
    import os
    import subprocess
    import sys

    monkeypatch.setenv("TMPDIR", str(tmp_path))
    monkeypatch.setattr("tempfile.tempdir", None)
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    stale = tmp_path / f"kg-build-{dead.stdout.strip()}-abc123"
    (stale / "index-journal").parent.mkdir()
    (stale / "index-journal").write_bytes(b"\0" * 64)
    running = tmp_path / f"kg-build-{os.getppid()}-def456"
    running.mkdir()
    unrelated = tmp_path / "kg-build-notes"
    unrelated.mkdir()
    _built([EXAMPLES], 2)
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("kg-build-")) == [running.name, unrelated.name]


def test_a_worker_ends_at_once_on_sigterm_whatever_handler_the_writer_has():
    """The writer stops workers with SIGTERM; a forked worker must not inherit the CLI's handler (which raises
    SystemExit wherever the worker is, mid-write to the pool's pipe included, and can leave the writer waiting)."""
    import signal
    from concurrent.futures import ProcessPoolExecutor

    from kg.ontology import load_ontology
    from kg.pipeline import _start_worker

    def writers_handler(signum, frame):  # as kg/cli.py's: stop the build
        raise SystemExit(128 + signum)

    previous = signal.signal(signal.SIGTERM, writers_handler)
    try:
        with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork"), initializer=_start_worker,
                                 initargs=(ExtractSettings(load_ontology()), None)) as pool:
            assert pool.submit(signal.getsignal, signal.SIGTERM).result(timeout=60) == signal.SIG_DFL
            assert pool.submit(signal.getsignal, signal.SIGINT).result(timeout=60) == signal.SIG_IGN
    finally:
        signal.signal(signal.SIGTERM, previous)
