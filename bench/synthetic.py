"""Synthetic stores for the store benchmarks: film-news documents written through kg's own store path.

Names recur across documents as they do in news (a pool of people and films), every fact has its evidence and
every document its provenance, exactly as ``kg build`` writes them; only the parsing is skipped, so a store of
10,000 articles takes a minute rather than an hour of spaCy.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from kg.dedup import fingerprint
from kg.model import Document, Entity, Evidence, Fact, Value

FIRST = ["Ana", "Bruno", "Chen", "Dana", "Emil", "Farah", "Goran", "Hana", "Ivo", "Jun", "Kira", "Luis", "Mira", "Nils",
         "Olga", "Pablo", "Quinn", "Rosa", "Sven", "Tara", "Umar", "Vera", "Wei", "Xena", "Yusuf", "Zoe"]
LAST = ["Abbott", "Brandt", "Castillo", "Dorsey", "Eriksen", "Fonseca", "Grady", "Halloran", "Ishii", "Jovanovic",
        "Kowalski", "Lindqvist", "Moreau", "Nakamura", "Okafor", "Petrov", "Quintero", "Rahman", "Schulz", "Takeda"]
WORDS = ["Quiet", "Harbour", "Iron", "Garden", "Last", "Winter", "Glass", "River", "Hollow", "Crown", "Distant", "Shore",
         "Silver", "Engine", "Paper", "Moon", "Broken", "Signal", "Northern", "Lights", "Salt", "Empire", "Wild", "Orchard"]


def _slug(name: str) -> str:
    return name.lower().replace(" ", "-")


def documents(count: int, seed: int = 1, people: int = 20_000, films: int = 10_000) -> Iterator[tuple[Document, list[Fact]]]:
    """``count`` documents, each about two films with their director, producer, two cast members, box office and
    release year (12 facts)."""
    rng = random.Random(seed)
    person_names = [f"{rng.choice(FIRST)} {rng.choice(LAST)} {n}" for n in range(people)]
    film_names = [f"The {rng.choice(WORDS)} {rng.choice(WORDS)} {n}" for n in range(films)]
    for n in range(count):
        doc_id = f"https://w3id.org/kgnews/id/doc/synthetic-{seed}-{n}"
        sentences, facts = [], []
        for _ in range(2):
            film_name = rng.choice(film_names)
            film = Entity(f"creativework/{_slug(film_name)}", film_name, "Film")
            crew = [Entity(f"person/{_slug(p)}", p, "Person") for p in rng.sample(person_names, 4)]
            gross = rng.randrange(1, 3000) * 1_000_000
            year = str(rng.randrange(1970, 2026))
            sentence = (f'{crew[0].label} directed "{film_name}" ({year}), produced by {crew[1].label} and starring '
                        f"{crew[2].label} and {crew[3].label}; it grossed ${gross // 1_000_000} million.")
            start = sum(len(s) + 1 for s in sentences)
            evidence = Evidence(doc_id, sentence, start, start + len(sentence), "synthetic", 0.9)
            facts += [Fact(film, "director", crew[0], evidence), Fact(film, "producer", crew[1], evidence),
                      Fact(film, "castMember", crew[2], evidence), Fact(film, "castMember", crew[3], evidence),
                      Fact(film, "boxOffice", Value(str(gross), "decimal", "USD"), evidence),
                      Fact(film, "releaseDate", Value(year, "gYear"), evidence)]
            sentences.append(sentence)
        text = " ".join(sentences)
        yield Document(id=doc_id, text=text, title=f"Film news {n}", uri=f"urn:synthetic:{seed}:{n}",
                       published=f"20{rng.randrange(10, 26)}-0{rng.randrange(1, 10)}-1{rng.randrange(0, 10)}"), facts


def populate(store, onto, count: int, seed: int = 1) -> None:
    """Write ``count`` synthetic documents into a :class:`~kg.store.KnowledgeStore`, as ``kg build`` would."""
    store.ensure_ontology(onto)
    for document, facts in documents(count, seed):
        store.write_document(document, facts, onto, fingerprint=fingerprint(document.text, document.title), previous=None)


# The recurring cast of the growth benchmark: the people of examples/alita-sequel-talks.txt and others, whom
# spaCy's small English model recognises as people in the sentences of :func:`news_article`.
CAST = ("James Cameron", "Jon Landau", "Robert Rodriguez", "Laeta Kalogridis", "Maria Jensen", "Daniel Brooks",
        "Sarah Mitchell", "David Chen", "Laura Bennett", "Michael Torres", "Emily Carter", "Thomas Wright",
        "Anna Fischer", "Peter Hughes", "Rachel Green", "Mark Sullivan", "Julia Roberts", "Kevin Walsh",
        "Claire Dubois", "Steven Park", "Helen Morris", "Paul Anderson", "Karen Lopez", "George Hall",
        "Linda Evans", "Brian Cooper", "Susan Reed", "Richard Kelly", "Nancy Ward", "Frank Miller", "Diane Foster",
        "Jason Price", "Megan Ross", "Eric Howard", "Amy Collins", "Scott Bailey", "Lisa Murphy", "Adam Rivera",
        "Hannah Scott", "Greg Palmer", "Nina Patel", "Victor Hale", "Olivia Grant", "Henry Ford", "Tina Brooks",
        "Carlos Mendez", "Paula Stone", "Ryan Fisher", "Irene Kim", "Walter Young")
STUDIOS = ("Lightstorm Entertainment", "Northgate Pictures", "Silver Engine Films", "Harbour Studios", "Crown Pictures")


@dataclass(frozen=True)
class NewsArticle:
    """One short film-news article about a film, its director and two producers, written like examples/."""

    n: int
    film: str
    director: str
    producers: tuple[str, str]
    writer: str  # a producer who co-wrote the screenplay, named in the text by surname only
    cowriter: str
    studio: str
    year: int
    gross: int  # USD
    budget: int  # USD

    @property
    def title(self) -> str:
        return f'Producers weigh a return to "{self.film}"'

    @property
    def text(self) -> str:
        """The article as a ``.txt`` file holds it: the headline, then its paragraphs."""
        first, second = self.producers
        return "\n\n".join([
            self.title,
            f'Talks about a second "{self.film}" film have picked up again, according to people close to the project.',
            f'{self.director} directed "{self.film}", which reached cinemas in {self.year}.',
            f"{first} produced the film with {second}, a partner at {self.studio}.",
            f"{self.writer.split()[-1]} wrote the screenplay together with {self.cowriter}.",
            f'"{self.film}" grossed ${self.gross // 1_000_000} million worldwide against a budget of about '
            f"${self.budget // 1_000_000} million.",
        ]) + "\n"


def news_articles(count: int, seed: int = 1, cast: tuple[str, ...] = CAST, films: int = 5_000) -> Iterator[NewsArticle]:
    """``count`` articles in which the same ``cast`` recur: every person is named in about ``3 * count / len(cast)``
    of them."""
    rng = random.Random(seed)
    film_names = [f"The {rng.choice(WORDS)} {rng.choice(WORDS)} {n}" for n in range(films)]
    for n in range(count):
        director, first, second, cowriter = rng.sample(cast, 4)
        writer = rng.choice((first, second))
        yield NewsArticle(n, rng.choice(film_names), director, (first, second), writer, cowriter, rng.choice(STUDIOS),
                          rng.randrange(1990, 2026), rng.randrange(10, 3000) * 1_000_000, rng.randrange(5, 300) * 1_000_000)


def news_facts(article: NewsArticle, doc_id: str) -> list[Fact]:
    """The facts ``kg build`` stores for a :class:`NewsArticle` (the writer keeps his surname as an alias)."""
    text = article.text
    film = Entity(f"creativework/{_slug(article.film)}", article.film, "Film")

    def person(name: str) -> Entity:
        aliases = (name.split()[-1],) if name == article.writer else ()
        return Entity(f"person/{_slug(name)}", name, "Person", aliases)

    def evidence(needle: str) -> Evidence:
        start = text.index(needle)
        end = text.index("\n", start) if "\n" in text[start:] else len(text)
        return Evidence(doc_id, text[start:end], start, end, "synthetic", 0.9)

    directed = evidence(f"{article.director} directed")
    produced = evidence(f"{article.producers[0]} produced")
    money = evidence(f'"{article.film}" grossed')
    return [Fact(film, "director", person(article.director), directed),
            *(Fact(film, "producer", person(p), produced) for p in article.producers),
            Fact(film, "boxOffice", Value(str(article.gross), "decimal", "USD"), money),
            Fact(film, "budget", Value(str(article.budget), "decimal", "USD"), money)]


def populate_recurring(store, onto, count: int, seed: int = 1, start: int = 0) -> None:
    """Write articles ``start`` to ``count`` of :func:`news_articles` into a store, as ``kg build`` would."""
    store.ensure_ontology(onto)
    for article in news_articles(count, seed):
        if article.n < start:
            continue
        doc_id = f"https://w3id.org/kgnews/id/doc/recurring-{seed}-{article.n}"
        document = Document(id=doc_id, text=article.text, title=article.title, uri=f"urn:recurring:{seed}:{article.n}")
        store.write_document(document, news_facts(article, doc_id), onto,
                             fingerprint=fingerprint(document.text, document.title), previous=None)


def write_news(directory: Path, count: int, seed: int = 1) -> list[Path]:
    """Write :func:`news_articles` as ``.txt`` files for ``kg build``; returns their paths in order."""
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for article in news_articles(count, seed):
        path = directory / f"news-{article.n:05d}.txt"
        path.write_text(article.text, encoding="utf-8")
        paths.append(path)
    return paths


def entity_graph(nodes: int, edges: int, seed: int = 1):
    """A ``networkx.MultiDiGraph`` shaped exactly like :func:`kg.graph.to_networkx` output, with ``nodes`` entities
    and ``edges`` facts between them: films, people and studios, hubs as in news (a few people in many films),
    one supporting sentence per fact with its article's title, date and address, and box office and release year
    values on every film."""
    import networkx as nx

    rng = random.Random(seed)
    graph = nx.MultiDiGraph()
    kinds = [("Film", 0.3), ("Person", 0.62), ("Organization", 0.08)]
    by_class: dict[str, list[str]] = {cls: [] for cls, _ in kinds}
    for n in range(nodes):
        cls = rng.choices([c for c, _ in kinds], [w for _, w in kinds])[0]
        if cls == "Person":
            label = f"{rng.choice(FIRST)} {rng.choice(LAST)} {n}"
        elif cls == "Film":
            label = f"The {rng.choice(WORDS)} {rng.choice(WORDS)} {n}"
        else:
            label = f"{rng.choice(WORDS)} {rng.choice(['Pictures', 'Studios', 'Films'])} {n}"
        iri = f"https://w3id.org/kgnews/id/{cls.lower()}/{_slug(label)}"
        graph.add_node(iri, label=label, cls=cls, aliases=[label.rsplit(' ', 1)[0]] if cls == "Person" else [], values=[])
        by_class[cls].append(iri)

    def evidence(n: int, sentence: str) -> dict[str, object]:
        return {"sentence": sentence, "title": f"Film news {n}", "source": f"urn:synthetic:{seed}:{n}",
                "doc": f"https://w3id.org/kgnews/id/doc/synthetic-{seed}-{n}", "date": f"2024-0{1 + n % 9}-1{n % 10}",
                "url": f"https://news.example.org/{seed}/{n}", "confidence": 0.9, "rule": "synthetic"}

    for film in by_class["Film"]:
        label = graph.nodes[film]["label"]
        gross, year = rng.randrange(1, 3000), rng.randrange(1970, 2026)
        sentence = f'"{label}" ({year}) grossed ${gross} million worldwide, according to the studio.'
        graph.nodes[film]["values"] += [
            {"property": "box office", "value": f"{gross * 1_000_000} USD", **evidence(rng.randrange(max(edges // 8, 1)), sentence)},
            {"property": "release date", "value": str(year), **evidence(rng.randrange(max(edges // 8, 1)), sentence)}]
    hubs: dict[str, list[str]] = {cls: [] for cls, _ in kinds}  # chosen targets go back in: the rich get richer
    relations = [("director", "directed by", "Film", "Person"), ("producer", "producer", "Film", "Person"),
                 ("castMember", "cast member", "Film", "Person"), ("worksFor", "works for", "Person", "Organization"),
                 ("distributor", "distributor", "Film", "Organization")]
    drawn = 0
    first = [(rng.choice(by_class["Film"]), n) for n in by_class["Person"] + by_class["Organization"]]
    while drawn < edges:  # every person and studio comes from some fact, as in a store; then hubs grow
        if first:
            source, target = first.pop()
            key, label, source_cls, target_cls = relations[2] if graph.nodes[target]["cls"] == "Person" else relations[4]
        else:
            key, label, source_cls, target_cls = rng.choices(relations, [3, 3, 6, 2, 1])[0]
            source = rng.choice(by_class[source_cls])
            pool = hubs[target_cls] if hubs[target_cls] and rng.random() < 0.5 else by_class[target_cls]
            target = rng.choice(pool)
        if source == target or graph.has_edge(source, target, key):
            continue
        n = rng.randrange(max(edges // 8, 1))  # an article supports about eight facts
        sentence = (f'{graph.nodes[source]["label"]} lists {graph.nodes[target]["label"]} as its {label}, the '
                    f"trade press reported on Tuesday after a long week of announcements.")
        graph.add_edge(source, target, key=key, label=label, evidence=[evidence(n, sentence)])
        hubs[target_cls].append(target)
        drawn += 1
    return graph
