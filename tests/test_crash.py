"""A build killed with SIGKILL at any point leaves every document stored whole or not at all, the entity index
exactly what the stored documents say of their entities, the default graph exactly the merge of the stored graphs,
and the next build finishes the job: the store ends exactly as an uninterrupted build leaves it."""

from __future__ import annotations

import io
import json
import os
import random
import signal
import subprocess
import sys
import time

import pytest

from kg.api import KnowledgeGraph
from kg.rdf import KG, index_graph, index_lines
from kg.store import KnowledgeStore

from .conftest import default_graph_drift

pytestmark = pytest.mark.slow

FIRST = ["Ana", "Bruno", "Chen", "Dana", "Emil", "Farah", "Goran", "Hana", "Ivo", "Jun", "Kira", "Luis"]
LAST = ["Abbott", "Brandt", "Castillo", "Dorsey", "Eriksen", "Fonseca", "Grady", "Halloran", "Ishii", "Jovanovic"]


def _corpus(path, count: int) -> None:
    """Short film-news articles with distinct people, so each one's facts stand alone."""
    rng = random.Random(7)
    with path.open("w", encoding="utf-8") as out:
        for n in range(count):
            director, producer = (f"{rng.choice(FIRST)} {rng.choice(LAST)}{'son' * (n % 3)}-{n}" for _ in range(2))
            title = f"The Quiet Harbour {n}"
            text = (f'{director} directed "{title}", which {producer} produced for Northgate Pictures. '
                    f'"{title}" grossed ${10 + n} million worldwide against a budget of about ${5 + n % 7} million. '
                    f"The film was released in {2000 + n % 20}.")
            out.write(json.dumps({"url": f"https://news.example.org/{n}", "title": f"Story {n}", "text": text}) + "\n")


def _graphs(location) -> dict[str, set[str]]:
    """Each document graph of a store as its set of N-Quads lines."""
    out = io.BytesIO()
    with KnowledgeStore(location) as store:
        store.export("nquads", out)
    graphs: dict[str, set[str]] = {}
    for line in out.getvalue().decode().splitlines():
        graphs.setdefault(line.rsplit(" ", 2)[-2], set()).add(line)
    return graphs


def _index_of(graphs: dict[str, set[str]]) -> set[str]:
    """The entity index the document graphs call for, as N-Quads lines: the union of their entities' descriptions."""
    index, ontology = index_graph().n3(), f"<{str(KG).rstrip('#')}>"
    return {f"{line.removesuffix(' .')} {index} ." for graph, quads in graphs.items() if graph != ontology
            for line in index_lines("\n".join(q.rsplit(" ", 2)[0] + " ." for q in quads))}


def _merged_exactly(location) -> bool:
    """The store keeps its merged default graph and it is exactly the merge of the stored graphs."""
    with KnowledgeStore(location) as store:
        return store.merged and default_graph_drift(store) == set()


def _documents(location) -> int:
    try:
        with KnowledgeStore(location) as store:
            return store.count_documents()
    except Exception:  # the store directory may not exist yet, or be mid-creation
        return 0


def test_kill_9_mid_build_keeps_every_document_whole(tmp_path):
    corpus = tmp_path / "news.jsonl"
    _corpus(corpus, 120)
    reference = tmp_path / "reference"
    with KnowledgeGraph(reference, create=True) as graph:
        graph.build([corpus])
    expected = _graphs(reference)
    store = tmp_path / "store"
    rng = random.Random(11)
    for round_ in range(3):
        # one process: a pool's writer stores in bursts of a batch and would finish before the kill lands
        build = subprocess.Popen([sys.executable, "-m", "kg", "build", str(corpus), "--store", str(store), "--workers", "1"],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        before = _documents(store)
        deadline = time.monotonic() + 120
        while _documents(store) <= before and time.monotonic() < deadline and build.poll() is None:
            time.sleep(0.05)
        time.sleep(rng.uniform(0.0, 0.4))  # land anywhere: parsing, extracting or inside a write
        os.kill(build.pid, signal.SIGKILL)
        build.wait()
        stored = _graphs(store)
        index = stored.pop(index_graph().n3(), set())
        partial = [g for g, quads in stored.items() if quads != expected.get(g)]
        assert not partial, f"round {round_}: {len(partial)} graphs differ: {sorted(stored[partial[0]] ^ expected.get(partial[0], set()))[:4]}"
        entries = {q for q in index if "#indexVersion>" not in q}
        assert entries and entries == _index_of(stored), f"round {round_}: the index differs: {sorted(entries ^ _index_of(stored))[:4]}"
        assert _merged_exactly(store), f"round {round_}: the default graph is not the merge of the stored graphs"
        assert 0 < len(stored) - 1 < len(expected) - 2, "the kill should land mid-build"  # the ontology and index graphs
    with KnowledgeGraph(store, writable=True) as graph:  # the lock went with the killed process
        graph.build([corpus])
    assert _graphs(store) == expected
    assert _merged_exactly(store)


_WRITER = """
import sys
from kg.model import Document, Entity, Evidence, Fact, Value
from kg.ontology import load_ontology
from kg.store import KnowledgeStore

onto = load_ontology()
with KnowledgeStore(sys.argv[1], create=True) as store:
    for n in range(10_000):
        doc = Document(id=f"https://w3id.org/kgnews/id/doc/bulk-{n}", text=f"bulk {n}", uri=f"urn:bulk:{n}")
        film = Entity(f"film/bulk-{n}", f"Bulk {n}", "Film")
        facts = [Fact(film, "boxOffice", Value(str(k), "decimal", "USD"), Evidence(doc.id, f"s{k}", k, k + 1, "r", 1.0))
                 for k in range(int(sys.argv[2]))]
        store.write_document(doc, facts, onto)
        print(n, flush=True)
"""


def test_kill_9_inside_writes_never_leaves_half_a_document(tmp_path):
    """Most of this writer's time is spent inside store writes, so the kills land inside transactions."""
    store, facts = tmp_path / "bulk", 2000
    rng = random.Random(5)
    for _ in range(4):
        writer = subprocess.Popen([sys.executable, "-c", _WRITER, str(store), str(facts)], stdout=subprocess.PIPE, text=True)
        assert writer.stdout.readline().strip().isdigit()  # one document is in: a kill from here lands in others
        time.sleep(rng.uniform(0.3, 1.5))
        os.kill(writer.pid, signal.SIGKILL)
        writer.wait()
        with KnowledgeStore(store) as reader:
            rows = reader.query("SELECT ?g (COUNT(?st) AS ?n) WHERE { GRAPH ?g { ?st a kg:Statement } } GROUP BY ?g")
        counts = {str(row["g"]): int(row["n"]) for row in rows}
        assert counts, "the document the writer reported is missing"
        assert set(counts.values()) == {facts}, f"a document was stored in part: {counts}"
        assert _merged_exactly(store), "the default graph is not the merge of the stored documents"
