"""Entity resolution across articles: the articles in tests/data/resolve name the same people and films in
different ways ("James Cameron", "Cameron", "Jim Cameron"; "Alita: Battle Angel", "Alita") and different things
by the same name (a second "Cameron", "Alita" the character, "Fox" the studio and Megan Fox)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.api import KnowledgeGraph
from kg.cli import main
from kg.model import Entity
from kg.resolve import StoredEntity, name_rule

from .conftest import default_graph_drift

ARTICLES = Path(__file__).resolve().parent / "data" / "resolve"
BASE = "https://w3id.org/kgnews/id/"

PEOPLE_BY_FILM = """
SELECT ?film ?role ?person WHERE {
  ?f ?p ?e . ?f rdfs:label ?film . ?e rdfs:label ?person . ?p rdfs:label ?role .
  FILTER(?p IN (kg:director, kg:producer, kg:distributor, kg:castMember, kg:portrays))
} ORDER BY ?film ?role ?person
"""


@pytest.mark.parametrize(("name", "cls", "stored", "classes", "rule"), [
    ("Cameron", "Person", "James Cameron", ("Person",), "surname"),
    ("James", "Person", "James Cameron", ("Person",), "first name"),
    ("Jim Cameron", "Person", "James Cameron", ("Person",), "name variant"),
    ("J. Cameron", "Person", "James Cameron", ("Person",), "name variant"),
    ("James Cameron", "Person", "Cameron", ("Person",), "surname"),
    ("Jim Carrey", "Person", "James Cameron", ("Person",), None),
    ("Megan Cameron", "Person", "James Cameron", ("Person",), None),
    ("Alita", "Film", "Alita: Battle Angel", ("Film",), "title part"),
    ("Battle Angel", "Film", "Alita: Battle Angel", ("Film",), "title part"),
    ("Alita 2", "Film", "Alita: Battle Angel", ("Film",), None),
])
def test_name_rules(name, cls, stored, classes, rule):
    kind = "person" if cls == "Person" else "creativework"
    entity = Entity(f"{kind}/x", name, cls)
    assert name_rule(entity, StoredEntity(f"{kind}/y", stored, classes)) == rule


def _build(names: list[str]) -> KnowledgeGraph:
    graph = KnowledgeGraph("memory", create=True)
    graph.build([ARTICLES / n for n in names])
    return graph


def _people(graph: KnowledgeGraph) -> list[tuple[str, str, str]]:
    return sorted({(r["film"], r["role"], r["person"]) for r in graph.query(PEOPLE_BY_FILM).records()})


def _iris(graph: KnowledgeGraph, label: str) -> list[str]:
    rows = graph.query(f'SELECT DISTINCT ?e WHERE {{ ?e rdfs:label "{label}" }} ORDER BY ?e').records()
    return [r["e"].removeprefix(BASE) for r in rows]


@pytest.fixture(scope="module")
def resolved():
    graph = _build(sorted(p.name for p in ARTICLES.glob("*.txt")))
    yield graph
    graph.close()


def test_one_node_per_person_across_articles(resolved):
    assert _people(resolved) == [
        ("Alita: Battle Angel", "director", "Robert Rodriguez"),
        ("Avatar", "director", "James Cameron"),
        ("Avatar", "distributor", "20th Century Fox"),
        ("Avatar", "producer", "James Cameron"),
        ("Avatar", "producer", "Jon Landau"),
        ("Hamlet", "director", "Cameron"),
        ("Rosa Salazar", "portrays", "Alita"),
        ("Transformers", "cast member", "Megan Fox"),
    ]
    assert _iris(resolved, "James Cameron") == ["person/james-cameron"]
    rows = resolved.query("SELECT ?a WHERE { ?e rdfs:label 'James Cameron' ; skos:altLabel ?a } ORDER BY ?a").records()
    assert sorted({r["a"] for r in rows}) == ["Cameron", "Jim Cameron"]


def test_different_things_with_one_name_stay_apart(resolved):
    # the Cameron who staged "Hamlet" shares no context with James Cameron
    assert _iris(resolved, "Cameron") == ["person/cameron"]
    # the character and the film
    assert _iris(resolved, "Alita") == ["character/alita"]
    assert _iris(resolved, "Alita: Battle Angel") == ["creativework/alita-battle-angel"]
    # the studio, the actress, and no node for the animal
    assert _iris(resolved, "20th Century Fox") == ["organization/20th-century-fox"]
    assert _iris(resolved, "Megan Fox") == ["person/megan-fox"]
    assert resolved.query("ASK { ?e rdfs:label|skos:altLabel ?l FILTER(LCASE(STR(?l)) = 'fox') }").boolean is False


def test_explain_gives_aliases_mentions_and_reasons(resolved):
    [cameron] = resolved.explain("jim cameron")
    lines = [re.sub(r"file://\S+/", "", line) for line in cameron.lines()]
    assert lines == [
        f"James Cameron (Person)  <{BASE}person/james-cameron>",
        "  aliases: Cameron, Jim Cameron",
        "  mentioned in 4 articles:",
        '    01-avatar-premiere.txt: James Cameron directed "Avatar", which 20th Century Fox released in 2009.',
        "      Avatar –director→ James Cameron  (verb:direct, 0.9)",  # each fact with the rule that found it, its score
        '    02-landau-interview.txt: Producer Jon Landau said Cameron directed "Avatar" in 2009 with a crew of hundreds.',
        "      Avatar –director→ James Cameron  (verb:direct, 0.9)",
        '    03-jim-cameron.txt: Jim Cameron produced "Avatar" with Jon Landau.',
        "      Avatar –producer→ James Cameron  (verb:produce, 0.9)",
        "    08-pandora-return.txt: Cameron directed Avatar in 2009.",
        "      Avatar –director→ James Cameron  (verb:direct, 0.9)",
        "  merged names:",
        '    02-landau-interview.txt: "Cameron" is the surname of James Cameron; both are linked to Avatar',
        '    03-jim-cameron.txt: "Jim Cameron" is the name variant of James Cameron; both are linked to Avatar',
        '    08-pandora-return.txt: "Cameron" is the alias of James Cameron; both are linked to Avatar',
    ]
    film, = [e for e in resolved.explain("Alita") if "Film" in e.classes]
    assert film.merges[0][1] == '"Alita" is the title part of Alita: Battle Angel; both are linked to Robert Rodriguez'
    assert [e.iri.removeprefix(BASE) for e in resolved.explain("Alita")] == ["character/alita", "creativework/alita-battle-angel"]


def test_a_fuller_name_arriving_later_renames_the_stored_node():
    # "Cameron" and the "Hamlet" Cameron come first; "James Cameron" then takes over the node of the right one
    with _build(["02-landau-interview.txt", "04-another-cameron.txt", "01-avatar-premiere.txt", "03-jim-cameron.txt"]) as graph:
        assert _people(graph) == [
            ("Avatar", "director", "James Cameron"),
            ("Avatar", "producer", "James Cameron"),
            ("Avatar", "producer", "Jon Landau"),
            ("Hamlet", "director", "Cameron"),
        ]
        assert _iris(graph, "James Cameron") == ["person/james-cameron"]
        assert len(_iris(graph, "Cameron")) == 1 and _iris(graph, "Cameron")[0].startswith("person/cameron-")
        labels = graph.query(f"SELECT DISTINCT ?l WHERE {{ <{BASE}person/james-cameron> rdfs:label ?l }}").records()
        assert [r["l"] for r in labels] == ["James Cameron"]
        assert graph.query(f"ASK {{ <{BASE}person/cameron> ?p ?o }}").boolean is False
        reasons = [reason for _, reason in graph.explain("James Cameron")[0].merges]
        assert reasons == ['"Cameron" is the surname of James Cameron; both are linked to Avatar',
                           '"Jim Cameron" is the name variant of James Cameron; both are linked to Avatar']
        assert _index_drift(graph.store) == set()  # the renames moved the index's entries too
        assert default_graph_drift(graph.store) == set()  # and the default graph's triples


def test_the_store_types_names_the_recogniser_gets_wrong():
    # In 08, NER misses "Cameron" and calls "Avatar" an organization: read alone, the article yields no fact ...
    with _build(["08-pandora-return.txt"]) as alone:
        assert _people(alone) == []
    # ... read after articles that stored Avatar as a film and "Cameron" as James Cameron's alias, it does.
    with _build(["01-avatar-premiere.txt", "02-landau-interview.txt", "08-pandora-return.txt"]) as graph:
        found = [(f["subject"], f["predicate"], f["object"]) for f in graph.facts() if f["sentence"] == "Cameron directed Avatar in 2009."]
        assert sorted(found) == [("Avatar", "director", "James Cameron"), ("Avatar", "release date", "2009")]


@pytest.mark.parametrize(("name", "ner", "expected"), [
    ("Cameron", "Organization", "Person"),  # a stored alias of a person: NER's kind is wrong
    ("Cameron", None, "Person"),  # NER missed the name
    ("Avatar", "CreativeWork", "Film"),  # the store knows the subclass
    ("Avatar", "Film", None),  # nothing to add
    ("James", "Organization", None),  # a first name is no stored name: typing needs the exact name
    ("Alita", "Person", None),  # a film's alias and a character's name: the store cannot tell which
    ("Titanic", None, None),  # unknown
])
def test_known_class(name, ner, expected):
    from kg.resolve import EntityIndex
    with KnowledgeGraph("memory", create=True) as graph:
        index = EntityIndex(graph.store, graph.ontology)
        index.add(StoredEntity("person/james-cameron", "James Cameron", ("Person",), ("Cameron",)))
        index.add(StoredEntity("creativework/avatar", "Avatar", ("CreativeWork", "Film")))
        index.add(StoredEntity("creativework/alita-battle-angel", "Alita: Battle Angel", ("Film",), ("Alita",)))
        index.add(StoredEntity("character/alita", "Alita", ("Character",)))
        assert index.known_class(name, ner) == expected


def test_a_replica_that_replays_the_journal_holds_what_the_index_holds():
    from kg.resolve import EntityIndex, Rename
    with KnowledgeGraph("memory", create=True) as graph:
        index = EntityIndex.from_store(graph.store, graph.ontology, journal=True)
        replica = EntityIndex.replica_of(graph.ontology)
        index.add(StoredEntity("person/cameron", "Cameron", ("Person",)))
        index.add(StoredEntity("person/cameron", "Cameron", ("Person",)))  # nothing new: no change to journal
        index.record([], [Rename("person/cameron", "person/james-cameron", "James Cameron")])
        changes = index.take_journal()
        assert changes == [StoredEntity("person/cameron", "Cameron", ("Person",)), "person/cameron",
                           StoredEntity("person/james-cameron", "James Cameron", ("Person",), ("Cameron",))]
        assert index.take_journal() == []
        replica.replay(changes)
        assert replica.entities == index.entities
        assert replica.known_class("Cameron", "Organization") == index.known_class("Cameron", "Organization") == "Person"
        replica.replay([None])  # the index dropped its cache
        assert replica.entities == {} and replica.known_class("Cameron", "Organization") is None


def test_kg_explain_command(tmp_path):
    store = tmp_path / "store"
    runner = CliRunner()
    assert runner.invoke(main, ["build", str(ARTICLES), "--store", str(store)]).exit_code == 0
    result = runner.invoke(main, ["explain", "Alita", "--store", str(store)])
    assert result.exit_code == 0, result.output
    assert result.output.count("mentioned in") == 2
    assert "Alita (Character)" in result.output and "Alita: Battle Angel (CreativeWork, Film)" in result.output
    missing = runner.invoke(main, ["explain", "Nobody", "--store", str(store)])
    assert missing.exit_code == 2
    assert "no entity named 'Nobody'" in missing.output


# ---------------------------------------------------------------- the entity index


def _write(store, onto, n: int, people: list[Entity], version: int = 1) -> str:
    """Store article ``n``: a film of its own directed or produced by ``people``; returns its graph IRI."""
    from kg.model import Document, Evidence, Fact

    doc_id = f"{BASE}doc/index-test-{n}"
    document = Document(id=doc_id, text=f"Article {n}, version {version}.", title=f"Article {n}", uri=f"urn:index-test:{n}")
    film = Entity(f"creativework/film-{n}", f"Film {n}", "Film")
    evidence = Evidence(doc_id, f"Article {n}.", 0, 11, "test", 1.0)
    facts = [Fact(film, "director" if k == 0 else "producer", person, evidence) for k, person in enumerate(people)]
    store.write_document(document, facts, onto)
    return doc_id


def _looked_up(store, onto, words=(), names=()) -> dict[str, StoredEntity]:
    from kg.resolve import EntityIndex

    index = EntityIndex(store, onto)  # a fresh cache: everything comes from the store
    index.load(words=words, names=names)
    return index.entities


def _index_drift(store) -> set[tuple[str | None, ...]]:
    """What the entity index holds and the article graphs do not state, or the other way round (empty: exact)."""
    from kg.rdf import INDEXED
    from kg.rdf import index_graph

    pairs = " ".join(f"({p.n3()} {i.n3()})" for p, i in INDEXED.items())
    held = store.select_values(f"SELECT ?s ?p ?o WHERE {{ GRAPH {index_graph().n3()} {{ ?s ?p ?o }} FILTER(?p != kg:indexVersion) }}")
    stated = store.select_values(f"SELECT DISTINCT ?s ?p ?o WHERE {{ VALUES (?q ?p) {{ {pairs} }} "
                                 "GRAPH ?g { ?g a prov:Entity . ?s rdfs:label ?l ; ?q ?o } }")
    return set(held) ^ set(stated)


def test_an_index_lookup_reads_one_row_per_entity_however_many_articles_restate_it(onto):
    from kg.store import index_lookup
    from kg.store import KnowledgeStore

    james = [Entity("person/james-cameron", "James Cameron", "Person", (alias,)) for alias in ("Cameron", "Jim Cameron")]
    kate = Entity("person/kate-cameron", "Kate Cameron", "Person")
    with KnowledgeStore("memory") as store:
        for n in range(30):  # every article restates James Cameron's label, class, an alias and his name keys
            _write(store, onto, n, [james[n % 2], kate] if n < 3 else [james[n % 2]])
        rows = store.select_values(index_lookup([("w", "cameron"), ("n", "cameron"), ("n", "jim cameron")]))
        assert sorted(row[0].removeprefix(BASE) for row in rows) == ["person/james-cameron", "person/kate-cameron"]
        found = _looked_up(store, onto, words=["cameron"])
        assert found["person/james-cameron"] == StoredEntity("person/james-cameron", "James Cameron", ("Person",),
                                                             ("Cameron", "Jim Cameron"))
        assert found["person/kate-cameron"] == StoredEntity("person/kate-cameron", "Kate Cameron", ("Person",))
        assert _index_drift(store) == set()


def test_removing_or_replacing_an_article_leaves_the_index_exact(onto):
    from kg.store import KnowledgeStore

    with KnowledgeStore("memory") as store:
        first = _write(store, onto, 1, [Entity("person/james-cameron", "James Cameron", "Person", ("Cameron",))])
        second = _write(store, onto, 2, [Entity("person/james-cameron", "James Cameron", "Person", ("Jim Cameron",)),
                                         Entity("person/jon-landau", "Jon Landau", "Person")])
        assert set(_looked_up(store, onto, words=["landau"], names=["jim cameron"])) == {"person/jon-landau", "person/james-cameron"}

        store.remove_document(second)
        assert _looked_up(store, onto, words=["landau"], names=["jim cameron"]) == {}  # only the removed article named them
        assert _looked_up(store, onto, words=["cameron"]) == {
            "person/james-cameron": StoredEntity("person/james-cameron", "James Cameron", ("Person",), ("Cameron",))}
        assert _index_drift(store) == set()

        changed = _write(store, onto, 1, [Entity("person/jon-landau", "Jon Landau", "Person")], version=2)  # no Cameron now
        assert changed == first and store.count_documents() == 1
        assert _looked_up(store, onto, words=["cameron"]) == {}
        assert set(_looked_up(store, onto, words=["landau"])) == {"person/jon-landau"}
        assert _index_drift(store) == set()
        assert default_graph_drift(store) == set()


def test_a_store_written_before_the_index_gets_one_on_the_next_build():
    from kg.rdf import index_graph

    with _build(["01-avatar-premiere.txt"]) as graph:
        graph.store._update(f"DROP GRAPH {index_graph().n3()}")  # as the store was before it had an index
        graph.build([ARTICLES / "02-landau-interview.txt"])
        assert _iris(graph, "James Cameron") == ["person/james-cameron"] and _iris(graph, "Cameron") == []
        assert _index_drift(graph.store) == set()


def _statements(graph: KnowledgeGraph) -> list[tuple[str, str, str]]:
    rows = graph.query("SELECT ?s ?p ?o WHERE { ?st a kg:Statement ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o }").records()
    return sorted((r["s"].removeprefix(BASE), r["p"].rsplit("#", 1)[-1], str(r["o"]).removeprefix(BASE)) for r in rows)


def test_a_wrong_work_class_learnt_once_does_not_spread(tmp_path):
    # One article makes "US" and "Up" films (quoted titles); the next ones name the country and the common word.
    first, later = tmp_path / "first", tmp_path / "later"
    first.mkdir(), later.mkdir()
    (first / "us.txt").write_text('Us news\n\nThe film "US" was directed by Tomas Reyk.\n')
    (first / "up.txt").write_text('Up news\n\nThe film "Up" was directed by Mara Velden.\n')
    (later / "gross.txt").write_text("Harbor takings\n\nThe UK gross was $5m and the US gross was $9m.\n")
    (later / "us-again.txt").write_text("Harbor abroad\n\nThe U.S. gross was $7m. Up went the takings: Up grossed $2m.\n")
    with KnowledgeGraph("memory", create=True) as graph:
        graph.build([first])
        graph.build([later])
        assert _statements(graph) == [("creativework/up", "director", "person/mara-velden"),
                                      ("creativework/us", "director", "person/tomas-reyk")]
