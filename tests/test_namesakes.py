"""Never two things in one: a film and the novel it is based on, or a film and its remake, share a title and stay
two entities, within an article and across the articles of a store."""

from __future__ import annotations

from kg.api import KnowledgeGraph
from kg.extract import extract_facts
from kg.model import Document, Entity

BASE = "https://w3id.org/kgnews/id/"
STATEMENTS = """SELECT ?s ?c ?p ?o WHERE { ?st a kg:Statement ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o .
  ?s a ?c FILTER(?c != kg:Nominee) }"""


def _keyed(fact):
    obj = fact.object
    return (fact.subject.key, fact.subject.cls, fact.predicate,
            (obj.key, obj.cls) if isinstance(obj, Entity) else obj.lexical)


def test_a_film_and_the_novel_of_its_title_are_two_works(nlp, onto):
    text = 'The film "Glass Harbor" is based on the novel "Glass Harbor" by Ada Ferrante.'
    facts = extract_facts(Document(id="urn:kg:test", text=text), nlp(text), onto)
    assert sorted(map(_keyed, facts)) == [
        ("creativework/glass-harbor", "Film", "basedOn", ("creativework/glass-harbor-book", "Book")),
        ("creativework/glass-harbor-book", "Book", "author", ("person/ada-ferrante", "Person")),
    ]


def test_a_byline_names_a_books_author(nlp, onto):
    text = 'The novel "Glass Harbor" by Ada Ferrante sold a million copies.'
    facts = extract_facts(Document(id="urn:kg:test", text=text), nlp(text), onto)
    assert [_keyed(f) for f in facts] == [("creativework/glass-harbor", "Book", "author", ("person/ada-ferrante", "Person"))]


def _store(tmp_path, articles: dict[str, str]) -> list[tuple[str, str, str, str]]:
    with KnowledgeGraph("memory", create=True) as graph:
        for name, text in articles.items():  # one build per article, in this order
            path = tmp_path / name
            path.write_text(text)
            graph.build([path])
        rows = graph.query(STATEMENTS).records()
    return sorted({(r["s"].removeprefix(BASE), r["c"].rsplit("#", 1)[1], r["p"].rsplit("#", 1)[1],
                    str(r["o"]).removeprefix(BASE)) for r in rows})


def test_a_film_and_its_remake_of_one_title_stay_two_films(tmp_path):
    assert _store(tmp_path, {
        "original.txt": 'Harbor original\n\nThe 1998 film "Glass Harbor" was directed by Tomas Reyk.\n',
        "remake.txt": 'Harbor remake\n\nThe 2021 remake "Glass Harbor" was directed by Mara Velden.\n',
        # no year here: the remake's director ties it to the remake
        "takings.txt": 'Harbor takings\n\nCritics liked it. Mara Velden directed "Glass Harbor", and the film grossed $40m.\n',
        "again.txt": 'Harbor again\n\nViewers still talk about the 2021 film "Glass Harbor", which was made by Mara Velden.\n',
    }) == [
        ("creativework/glass-harbor", "Film", "director", "person/tomas-reyk"),
        ("creativework/glass-harbor", "Film", "releaseDate", "1998"),
        ("creativework/glass-harbor-2021", "Film", "boxOffice", "40000000"),
        ("creativework/glass-harbor-2021", "Film", "director", "person/mara-velden"),
        ("creativework/glass-harbor-2021", "Film", "releaseDate", "2021"),
    ]


def test_a_film_and_a_novel_of_one_title_stay_two_works_across_articles(tmp_path):
    assert _store(tmp_path, {
        "film.txt": 'Harbor film\n\nTomas Reyk directed the film "Glass Harbor".\n',
        "novel.txt": 'Ferrante news\n\nThe novel "Glass Harbor" by Ada Ferrante sold a million copies.\n',
        "both.txt": 'Harbor source\n\nThe film "Glass Harbor" is based on the novel "Glass Harbor" by Ada Ferrante.\n',
    }) == [
        ("creativework/glass-harbor", "Film", "basedOn", "creativework/glass-harbor-book"),
        ("creativework/glass-harbor", "Film", "director", "person/tomas-reyk"),
        ("creativework/glass-harbor-book", "Book", "author", "person/ada-ferrante"),
    ]
