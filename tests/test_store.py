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
from kg.rdf import default_graph_marker

from .conftest import EXAMPLES, RESTATED, ROOT, default_graph_drift

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
        ("Alita: Battle Angel", "cast member", "Christoph Waltz"),
        ("Alita: Battle Angel", "cast member", "Rosa Salazar"),
        ("Alita: Battle Angel", "director", "Robert Rodriguez"),
        ("Alita: Battle Angel", "producer", "James Cameron"),
        ("Alita: Battle Angel", "producer", "Jon Landau"),
        ("Alita: Battle Angel", "screenwriter", "James Cameron"),
        ("Alita: Battle Angel", "screenwriter", "Laeta Kalogridis"),
        ("Avatar: The Way of Water", "cast member", "Sam Worthington"),
        ("Avatar: The Way of Water", "cast member", "Zoe Saldaña"),
        ("Avatar: The Way of Water", "director", "James Cameron"),
        ("Avatar: The Way of Water", "distributor", "20th Century Studios"),
        ("Avatar: The Way of Water", "production company", "Lightstorm Entertainment"),
        ("Gunnm", "author", "Yukito Kishiro"),
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


def test_a_writer_that_flushes_and_opens_the_store_again_stores_the_same(tmp_path):
    """Every flush closes Oxigraph and opens it again (RocksDB's caches are emptied); queries go on over the new
    dataset, and the store holds what a writer that never flushed holds."""
    quads = []
    for flush_bytes in (10**12, 20_000):
        with KnowledgeGraph(tmp_path / f"s{flush_bytes}", create=True) as graph:
            graph.store.backend.flush_bytes = flush_bytes
            summary = graph.build([EXAMPLES, RESTATED])
            opened = graph.store.backend.opened
            assert graph.query("SELECT (COUNT(*) AS ?n) WHERE { ?s kg:director ?o }").records()[0]["n"] > 0
        quads.append(_quads(tmp_path / f"s{flush_bytes}"))
        assert summary.added == 6 and (opened == 0 if flush_bytes == 10**12 else opened >= 3)
    assert quads[0] == quads[1]


def test_a_store_is_opened_again_only_after_a_flush_and_queries_go_on(tmp_path):
    with KnowledgeGraph(tmp_path / "s", create=True) as graph:
        graph.build([EXAMPLES])
        store = graph.store
        store.reopen_after_flush()
        assert store.backend.opened == 0  # nothing flushed since it was opened
        store.backend.flush_bytes = 1
        store.update("INSERT DATA { GRAPH <urn:test:g> { <urn:test:a> <urn:test:b> <urn:test:c> } }")
        store.reopen_after_flush()
        assert store.backend.opened == 1
        store.update("INSERT DATA { GRAPH <urn:test:g> { <urn:test:a> <urn:test:b> <urn:test:d> } }")
        assert graph.query("SELECT ?o WHERE { <urn:test:a> ?p ?o } ORDER BY ?o").records() == [
            {"o": "urn:test:c"}, {"o": "urn:test:d"}]
        reading = store.native.query("SELECT ?s WHERE { ?s ?p ?o }")  # holds the database open
        with pytest.raises(StoreError, match="a query still being read holds it"):
            store.reopen_after_flush()
        del reading


def test_quotes_backslashes_and_line_breaks_are_stored_as_written(tmp_path):
    """A new article is loaded as N-Quads, a changed one replaced by a SPARQL Update: both keep every character,
    including those Python counts as line breaks and N-Triples does not (vertical tab, NEL, U+2028)."""
    corpus = tmp_path / "news.jsonl"
    title = 'He said "no" to C:\\films\\new\r\nand left\x0bquietly\x0c\x1cthen\x85at\u2028once\u2029\x00.'
    sentence = 'Robert Rodriguez directed "Sin City \\ 2".'
    lines = []
    for text in (sentence, sentence + " It opened in April."):
        lines.append(json.dumps({"id": "one", "title": title, "text": text}))
    found = []
    with KnowledgeGraph(tmp_path / "s", create=True) as graph:
        for line in lines:
            corpus.write_text(line + "\n", encoding="utf-8")
            summary = graph.build([corpus])
            found.append((summary.added, summary.replaced, graph.query(
                "SELECT ?t ?s WHERE { ?d dcterms:title ?t . ?st kg:sentence ?s }").records()))
    assert [(added, replaced) for added, replaced, _ in found] == [(1, 0), (0, 1)]
    assert all(rows == [{"t": title, "s": sentence}] for _, _, rows in found)


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
    # Alita, its director, author, book, two stars and co-writer; Jon Landau stays: the studio article names him
    assert re.fullmatch(r"removed https://w3id.org/kgnews/id/doc/\w+: 11 facts, 7 entities\n", removed.output)
    with KnowledgeGraph(store, writable=True) as graph:
        rows = graph.query((QUERIES / "who-made-what.rq").read_text()).records()
        names = {r["n"] for r in graph.query("SELECT ?n WHERE { ?e rdfs:label ?n ; a kg:Person }").records()}
        assert graph.store.count_documents() == 2
        assert [(r["work"], r["role"], r["maker"]) for r in rows] == [
            ("Avatar: The Way of Water", "cast member", "Sam Worthington"),
            ("Avatar: The Way of Water", "cast member", "Zoe Saldaña"),
            ("Avatar: The Way of Water", "director", "James Cameron"),
            ("Avatar: The Way of Water", "distributor", "20th Century Studios"),
            ("Avatar: The Way of Water", "production company", "Lightstorm Entertainment"),
        ]
        assert {"James Cameron", "Jon Landau"} <= names and not names & {"Robert Rodriguez", "Yukito Kishiro",
                                                                          "Rosa Salazar", "Laeta Kalogridis"}
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


# ---------------------------------------------------------------- the default graph: each triple once

HALE_FILMS = 'SELECT (COUNT(?f) AS ?n) WHERE { ?f kg:director ?d . ?d rdfs:label "Jonathan Hale" }'
EMPLOYERS = "SELECT ?person ?org WHERE { ?p kg:worksFor ?o . ?p rdfs:label ?person . ?o rdfs:label ?org }"
HALE_COPIES = 'SELECT (COUNT(?g) AS ?n) WHERE { GRAPH ?g { ?d rdfs:label "Jonathan Hale" } }'
QUILL = [{"person": "Marta Quill", "org": "Corvane Studios"}]


@pytest.fixture(scope="module")
def restated_store(tmp_path_factory):
    """The three articles of tests/data/restated: Jonathan Hale directs a film in each, and each restates that
    Marta Quill is the chief executive of Corvane Studios."""
    path = tmp_path_factory.mktemp("restated") / "kg-store"
    with KnowledgeGraph(path, create=True) as graph:
        graph.build([RESTATED])
    return path


def _films(graph: KnowledgeGraph) -> list[str]:
    rows = graph.query('SELECT ?t WHERE { ?f kg:director ?d ; rdfs:label ?t . ?d rdfs:label "Jonathan Hale" } ORDER BY ?t')
    return [row["t"] for row in rows.records()]


def _articles(tmp_path, *names: str):
    folder = tmp_path / "news"
    folder.mkdir()
    for name in names:
        (folder / name).write_text((RESTATED / name).read_text(encoding="utf-8"), encoding="utf-8")
    return folder


def test_a_fact_three_articles_state_counts_once(restated_store):
    with KnowledgeGraph(restated_store) as graph:
        assert graph.query(HALE_FILMS).records() == [{"n": 3}]  # not 9: the label is in each article's graph
        assert graph.query(EMPLOYERS).records() == QUILL  # not 27 rows
        assert graph.store.select_values(HALE_FILMS) == [("3",)]  # the native path the build's lookups take
        assert [(str(row["person"]), str(row["org"])) for row in graph.store.query(EMPLOYERS)] == [
            ("Marta Quill", "Corvane Studios")]
        assert _films(graph) == ["Salt Over Everwood", "The Glass Meridian", "The Winter Cartographer"]
        assert default_graph_drift(graph.store) == set()


def test_each_article_keeps_its_own_copy_and_evidence(restated_store):
    with KnowledgeGraph(restated_store) as graph:
        assert graph.query(HALE_COPIES).records() == [{"n": 3}]
        rows = graph.query("""
            SELECT ?title ?sentence WHERE { GRAPH ?g {
              ?st rdf:predicate kg:worksFor ; kg:sentence ?sentence . ?g dcterms:title ?title } } ORDER BY ?title
        """).records()
    assert rows == [
        {"title": "Festival line-up announced",
         "sentence": "Marta Quill, the chief executive of Corvane Studios, attended the announcement."},
        {"title": "Hale's new thriller opens in spring",
         "sentence": "Marta Quill, the chief executive of Corvane Studios, backed the film."},
        {"title": "Streaming deal for Hale drama",
         "sentence": "Marta Quill, the chief executive of Corvane Studios, signed the deal."},
    ]


@pytest.mark.parametrize(("query", "output"), [
    (HALE_FILMS, "n\n3\n"),
    (EMPLOYERS, "person,org\nMarta Quill,Corvane Studios\n"),
], ids=["count", "join"])
def test_kg_query_counts_a_restated_fact_once(restated_store, query, output):
    result = CliRunner().invoke(main, ["query", query, "--store", str(restated_store), "--format", "csv"])
    assert (result.exit_code, result.output) == (0, output)


def test_removing_one_of_two_articles_keeps_what_both_state(tmp_path):
    news = _articles(tmp_path, "glass-meridian.txt", "salt-over-everwood.txt")
    with KnowledgeGraph(tmp_path / "s", create=True) as graph:
        graph.build([news])
        graph.remove(str(news / "glass-meridian.txt"))
        assert graph.query(EMPLOYERS).records() == QUILL  # the other article states it too
        assert _films(graph) == ["Salt Over Everwood"]  # what only the removed article stated went with it
        assert graph.query('ASK { ?f rdfs:label "The Glass Meridian" }').boolean is False
        assert default_graph_drift(graph.store) == set()
        graph.remove(str(news / "salt-over-everwood.txt"))
        assert graph.query(EMPLOYERS).records() == []
        assert graph.query("SELECT ?s WHERE { ?s rdfs:label ?l ; a kg:Person }").records() == []
        assert graph.query("ASK { ?g a prov:Entity }").boolean is False
        assert graph.query("ASK { ?c a owl:Class }").boolean is True  # the ontology stays
        assert default_graph_drift(graph.store) == set()


def test_a_changed_article_updates_the_default_graph(tmp_path):
    news = _articles(tmp_path, "glass-meridian.txt", "salt-over-everwood.txt", "winter-cartographer.txt")
    with KnowledgeGraph(tmp_path / "s", create=True) as graph:
        graph.build([news])
        (news / "salt-over-everwood.txt").write_text(
            'Festival line-up announced\n\nJonathan Hale directed "The Copper Orchard", which premieres in Venice.\n',
            encoding="utf-8")
        assert graph.build([news]).replaced == 1
        assert graph.query(HALE_FILMS).records() == [{"n": 3}]
        assert _films(graph) == ["The Copper Orchard", "The Glass Meridian", "The Winter Cartographer"]
        assert graph.query('ASK { ?f rdfs:label "Salt Over Everwood" }').boolean is False
        assert graph.query(EMPLOYERS).records() == QUILL  # two articles still state it
        assert graph.query(HALE_COPIES).records() == [{"n": 3}]
        assert default_graph_drift(graph.store) == set()


def test_a_store_written_before_the_merged_default_graph_is_upgraded_when_opened_for_writing(tmp_path):
    store = tmp_path / "s"
    with KnowledgeGraph(store, create=True) as graph:
        graph.build([RESTATED])
        graph.store._update(f"DROP DEFAULT ; DROP GRAPH {default_graph_marker().n3()}")  # as an older kg left it
    with KnowledgeGraph(store) as reader:  # a reader cannot upgrade it: it reads the union of the graphs, as before
        assert not reader.store.merged
        assert reader.query(HALE_FILMS).records() == [{"n": 9}]
    with KnowledgeGraph(store, writable=True):  # kg build, kg remove, kg serve --allow-update
        pass
    with KnowledgeGraph(store) as reader:
        assert reader.store.merged
        assert reader.query(HALE_FILMS).records() == [{"n": 3}]
        assert reader.query(EMPLOYERS).records() == QUILL
        assert default_graph_drift(reader.store) == set()


def test_exports_write_the_articles_graphs_and_their_merge(restated_store):
    import pyoxigraph as ox

    with KnowledgeGraph(restated_store) as graph:
        quads, triples = io.BytesIO(), io.BytesIO()
        graph.export("nquads", quads)
        graph.export("ntriples", triples)
    parsed = list(ox.parse(quads.getvalue(), ox.RdfFormat.N_QUADS))
    graphs = {quad.graph_name for quad in parsed}
    assert all(isinstance(g, ox.NamedNode) for g in graphs)  # the default graph is their merge: not written
    assert ox.NamedNode(str(default_graph_marker())) not in graphs
    label = (ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"), ox.Literal("Jonathan Hale"))
    assert sum((quad.predicate, quad.object) == label for quad in parsed) == 3  # in each article's graph
    merged = ox.parse(triples.getvalue(), ox.RdfFormat.N_TRIPLES)
    assert sum((triple.predicate, triple.object) == label for triple in merged) == 1  # once


def test_a_url_with_a_bare_percent_is_stored_encoded(tmp_path):
    """"100%-sure" holds a "%" that starts no escape, which an IRI may not: it is stored as %25, an escape as it is."""
    corpus = tmp_path / "news.jsonl"
    corpus.write_text(json.dumps({"url": "https://news.example.org/100%-sure?q=%41", "title": "Sure",
                                  "text": "Robert Rodriguez directed \"Sin City\"."}) + "\n", encoding="utf-8")
    with KnowledgeGraph(tmp_path / "s", create=True) as graph:
        summary = graph.build([corpus])
        rows = graph.query("SELECT ?u WHERE { ?d schema:url ?u }").records()
    assert summary.added == 1 and rows == [{"u": "https://news.example.org/100%25-sure?q=%41"}]
