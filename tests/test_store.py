"""Store and SPARQL: exact query results over a built store, idempotent rebuilds, replacement, export."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys

import pytest
from click.testing import CliRunner
from rdflib import Dataset

from kg.api import KnowledgeGraph
from kg.cli import main
from kg.documents import document_iri
from kg.errors import QueryError, StoreError

from .conftest import EXAMPLES, ROOT

QUERIES = ROOT / "ontology" / "queries"


def test_box_office_ranking_is_exact(built_store):
    with KnowledgeGraph(built_store) as graph:
        rows = graph.query((QUERIES / "box-office.rq").read_text()).records()
    assert rows == [
        {"work": "Avatar: The Way of Water", "box_office": 2300000000, "currency": "USD"},
        {"work": "Alita: Battle Angel", "box_office": 404000000, "currency": "USD"},
    ]


def test_who_made_what_is_exact(built_store):
    with KnowledgeGraph(built_store) as graph:
        rows = graph.query((QUERIES / "who-made-what.rq").read_text()).records()
    assert [(r["work"], r["role"], r["maker"]) for r in rows] == [
        ("Alita: Battle Angel", "director", "Robert Rodriguez"),
        ("Alita: Battle Angel", "producer", "James Cameron"),
        ("Alita: Battle Angel", "producer", "Jon Landau"),
        ("Avatar: The Way of Water", "director", "James Cameron"),
        ("Avatar: The Way of Water", "distributor", "20th Century Studios"),
    ]


def test_evidence_is_queryable_per_document(built_store):
    with KnowledgeGraph(built_store) as graph:
        rows = graph.query("""
            SELECT ?sentence ?title WHERE { GRAPH ?g {
              ?st rdf:subject ?f ; rdf:predicate kg:budget ; kg:sentence ?sentence . ?g dcterms:title ?title } }
        """).records()
    assert rows == [{"sentence": '"Alita: Battle Angel" grossed $404 million worldwide against a budget of about $170 million.',
                     "title": 'Producers weigh a return to "Alita: Battle Angel"'}]


def test_typed_literals(built_store):
    with KnowledgeGraph(built_store) as graph:
        rows = graph.query("SELECT ?d (DATATYPE(?d) AS ?t) WHERE { ?f kg:releaseDate ?d }").records()
    assert rows == [{"d": "2022-12", "t": "http://www.w3.org/2001/XMLSchema#gYearMonth"}]


def _quads(path) -> set:
    with KnowledgeGraph(path) as graph:
        out = io.BytesIO()
        graph.export("nquads", out)
    return set(out.getvalue().decode().splitlines())


def test_rebuilding_the_same_articles_changes_nothing(tmp_path):
    store = tmp_path / "s"
    with KnowledgeGraph(store, create=True) as graph:
        first = graph.build([EXAMPLES])
    before = _quads(store)
    with KnowledgeGraph(store, writable=True) as graph:
        second = graph.build([EXAMPLES])
    assert first.added == 3 and second.unchanged == 3 and second.added == second.replaced == 0
    assert _quads(store) == before


def test_a_changed_article_replaces_its_graph(tmp_path):
    article = tmp_path / "news.txt"
    article.write_text('Robert Rodriguez directed "Sin City".', encoding="utf-8")
    store = tmp_path / "s"
    with KnowledgeGraph(store, create=True) as graph:
        graph.build([article])
        article.write_text('Frank Miller directed "Sin City".', encoding="utf-8")
        summary = graph.build([article])
        rows = graph.query("SELECT ?n WHERE { ?f kg:director ?d . ?d rdfs:label ?n }").records()
    assert summary.replaced == 1
    assert rows == [{"n": "Frank Miller"}]


@pytest.mark.parametrize("fmt", ["turtle", "trig", "nquads", "jsonld"])
def test_exports_parse_back(built_store, fmt):
    with KnowledgeGraph(built_store) as graph:
        out = io.BytesIO()
        graph.export(fmt, out)
    parsed = Dataset()
    parsed.parse(data=out.getvalue(), format={"turtle": "turtle", "trig": "trig", "nquads": "nquads", "jsonld": "json-ld"}[fmt])
    assert len(parsed) > 50 or sum(len(g) for g in parsed.graphs()) > 50


def test_malformed_sparql_is_a_query_error(built_store):
    with KnowledgeGraph(built_store) as graph, pytest.raises(QueryError, match="SPARQL syntax error"):
        graph.query("SELECT ?x WHERE { ?x ")


def test_reading_a_missing_store_is_an_error(tmp_path):
    with pytest.raises(StoreError, match="no store here"):
        KnowledgeGraph(tmp_path / "nowhere")


def _hold_writer_lock(store) -> subprocess.Popen:
    """Another process that opens the store for writing and keeps it open until killed."""
    code = ("import sys, time\nfrom kg.store import KnowledgeStore\n"
            "s = KnowledgeStore(sys.argv[1], create=True)\nprint('ready', flush=True)\ntime.sleep(600)\n")
    holder = subprocess.Popen([sys.executable, "-c", code, str(store)], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "ready"
    return holder


def test_a_second_writer_is_told_which_process_holds_the_store(built_store, tmp_path):
    store = tmp_path / "locked"
    with KnowledgeGraph(store, create=True) as graph:
        graph.build([EXAMPLES / "alita-sequel-talks.txt"])
    holder = _hold_writer_lock(store)
    try:
        with pytest.raises(StoreError, match=f"store is locked by PID {holder.pid} "):
            KnowledgeGraph(store, writable=True)
        built = CliRunner().invoke(main, ["build", str(EXAMPLES), "--store", str(store)])
        assert built.exit_code == 2 and f"store is locked by PID {holder.pid}" in built.output
        assert built.output.count("\n") == 1
        with KnowledgeGraph(store) as reader:  # readers take a snapshot and do not wait for the writer
            assert reader.store.count_documents() == 1
    finally:
        holder.kill()
        holder.wait()
    with KnowledgeGraph(store, writable=True) as graph:  # the lock went with the process
        assert graph.build([EXAMPLES]).added == 2


def test_a_reader_cannot_write(built_store):
    with KnowledgeGraph(built_store) as graph, pytest.raises(StoreError, match="read-only"):
        graph.build([EXAMPLES])


def test_remove_retracts_an_article_and_the_entities_only_it_mentions(tmp_path):
    store = tmp_path / "s"
    with KnowledgeGraph(store, create=True) as graph:
        graph.build([EXAMPLES])
    removed = CliRunner().invoke(main, ["remove", str(EXAMPLES / "alita-sequel-talks.txt"), "--store", str(store)])
    assert removed.exit_code == 0, removed.output
    assert re.fullmatch(r"removed https://w3id.org/kgnews/id/doc/\w+: 6 facts, 4 entities\n", removed.output)
    with KnowledgeGraph(store, writable=True) as graph:
        rows = graph.query((QUERIES / "who-made-what.rq").read_text()).records()
        names = {r["n"] for r in graph.query("SELECT ?n WHERE { ?e rdfs:label ?n ; a kg:Person }").records()}
        assert graph.store.count_documents() == 2
        assert [(r["work"], r["role"], r["maker"]) for r in rows] == [
            ("Avatar: The Way of Water", "director", "James Cameron"),
            ("Avatar: The Way of Water", "distributor", "20th Century Studios"),
        ]
        assert "James Cameron" in names and not names & {"Robert Rodriguez", "Jon Landau"}
        assert graph.build([EXAMPLES]).added == 1  # it can come back


def test_removing_what_is_not_stored_is_an_error(built_store, tmp_path):
    result = CliRunner().invoke(main, ["remove", "https://example.org/never-built", "--store", str(tmp_path / "s")])
    assert result.exit_code == 2 and "no store here" in result.output
    with KnowledgeGraph("memory") as graph, pytest.raises(StoreError, match="holds no document 'nothing.txt'"):
        graph.remove("nothing.txt")


def test_remove_a_jsonl_file_or_an_article_by_its_url(tmp_path):
    from .test_history import HISTORY  # three articles with URLs

    lines = tmp_path / "lines.jsonl"  # two without: known by the file and line
    lines.write_text("\n".join(json.dumps({"text": t}) for t in (
        'Robert Rodriguez directed "Sin City".', 'Kathryn Bigelow directed "Point Break".')) + "\n", encoding="utf-8")
    url = "https://news.example.org/2019/02/engines-total"
    with KnowledgeGraph("memory") as graph:
        graph.build([lines, HISTORY])
        assert len(graph.remove(str(lines))) == 2 and graph.store.count_documents() == 3
        assert [r.doc_id for r in graph.remove(url)] == [document_iri(url)]
        assert graph.store.count_documents() == 2
