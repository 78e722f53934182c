"""Entity canonicalisation across articles, IRI minting, and why two names were taken for one entity.

In: one document's facts, whose entities :mod:`kg.extract.coref` has already grouped within the article, and the
entities already in the store. Out: the same facts with each entity pointing at its one node in the store, and a
:class:`Merge` for every name that was taken to mean an entity stored before.

IRIs are the store's base, the entity's coarse kind and a slug of its canonical name. The same name of the same
kind is the same IRI in every article, and things of different kinds never share one ("Alita" the film is
``creativework/alita-battle-angel``, the character ``character/alita``). Slugs are ASCII letters, digits and
hyphens only, so no article text can break out of an IRI.

A different name joins a stored entity when all of these hold:

1. Same kind and compatible classes (one is the other or a subclass of it): a studio never joins a person.
2. A name rule links them: the name is a stored alias ("Cameron" was an alias of James Cameron in an earlier
   article), a person's surname or first name ("Cameron"), a variant of the first name with the same surname
   ("Jim Cameron"), the name without its middle initials ("Jonathan Hale" for "Jonathan R. Hale"), or the part of
   a title before or after its colon ("Alita").
3. The context agrees: the two share at least one neighbour (both directed "Avatar", both are linked to Jon
   Landau), and no date-valued fact of one contradicts the other's year. A bare surname needs this even to
   join a stored entity of the very same name: a second "Cameron" who directed "Hamlet" gets a node of its own
   (``person/cameron-<hash of the article>``).
4. Exactly one stored entity is the best fit (most shared neighbours); a tie merges nothing.

The fuller name becomes the canonical one: when "James Cameron" arrives after articles that only said "Cameron",
the stored node is renamed to ``person/james-cameron`` and "Cameron" kept as an alias. A name without its middle
initial is more canonical than one with it, and a stored entity has one label: another spelling of the same name
("NORTHGATE PICTURES") is an alias, and replaces the label only when the stored one was all capitals.

>>> from kg.model import Entity
>>> str(entity_iri(Entity("person/james-cameron", "James Cameron", "Person")))
'https://w3id.org/kgnews/id/person/james-cameron'
>>> name_rule(Entity("person/cameron", "Cameron", "Person"), StoredEntity("person/james-cameron", "James Cameron", ("Person",)))
'surname'
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from rdflib import Literal, URIRef
from spacy.lang.en.stop_words import STOP_WORDS

from .documents import DEFAULT_BASE
from .model import Entity, Fact, Value
from .names import without_middle_initials
from .ontology import Ontology, local_name

if TYPE_CHECKING:
    from .store import KnowledgeStore

__all__ = [
    "entity_iri", "index_graph", "statement_iri", "DEFAULT_BASE", "Merge", "Rename", "StoredEntity", "EntityIndex", "name_rule", "name_index", "name_keys", "name_words",
    "index_lookup", "Explanation", "explain",
]

# Given-name variants that English-language news uses for the same person.
_NICKNAMES = (
    ("james", "jim", "jimmy", "jamie"), ("robert", "rob", "bob", "bobby"), ("william", "bill", "will", "billy"),
    ("richard", "rick", "dick", "rich"), ("thomas", "tom", "tommy"), ("michael", "mike", "mick"),
    ("christopher", "chris"), ("joseph", "joe", "joey"), ("daniel", "dan", "danny"), ("david", "dave"),
    ("steven", "steve"), ("stephen", "steve"), ("edward", "ed", "eddie", "ted"), ("anthony", "tony"),
    ("benjamin", "ben"), ("jonathan", "jon"), ("nicholas", "nick"), ("samuel", "sam"), ("peter", "pete"),
    ("matthew", "matt"), ("andrew", "andy", "drew"), ("alexander", "alex"), ("charles", "charlie", "chuck"),
    ("elizabeth", "liz", "beth", "betty"), ("katherine", "kate", "kathy", "katie"), ("catherine", "cathy", "kate"),
    ("margaret", "maggie", "meg", "peggy"), ("jennifer", "jen", "jenny"), ("patricia", "pat", "patty"),
    ("rebecca", "becky"), ("susan", "sue", "susie"), ("deborah", "debbie", "deb"), ("victoria", "vicky"),
    ("kimberly", "kim"), ("jacqueline", "jackie"), ("gregory", "greg"), ("lawrence", "larry"),
    ("timothy", "tim"), ("kenneth", "ken", "kenny"), ("ronald", "ron"), ("donald", "don"), ("gerald", "jerry"),
)
_VARIANTS = {name: set(group) for group in _NICKNAMES for name in group}
# Words too common in names to find an entity by (a title sharing only "the" with another is no candidate).
_STOP_WORDS = frozenset({"the", "a", "an", "of", "and", "&", "in", "on", "at", "to", "for", "de", "la", "le", "el", "-"})
_MAX_CACHED = 200_000  # entities kept between lookups in one build
_SEPARATOR = "\x1f"  # between the names of one entity in an index lookup's row (a character names do not hold)


def entity_iri(entity: Entity, base: str = DEFAULT_BASE) -> URIRef:
    """The IRI of an entity: ``<base><kind>/<slug>``."""
    return URIRef(base + entity.key)


def index_graph(base: str = DEFAULT_BASE) -> URIRef:
    """The IRI of the store's entity index graph, where each entity is described once (see :mod:`kg.rdf`).

    >>> str(index_graph())
    'https://w3id.org/kgnews/id/index/entities'
    """
    return URIRef(base + "index/entities")


def statement_iri(graph: str, subject: str, predicate: str, obj: str, base: str = DEFAULT_BASE) -> URIRef:
    """A stable IRI for the reified statement of one fact in one document graph."""
    digest = hashlib.sha256("\x1f".join((graph, subject, predicate, obj)).encode()).hexdigest()[:24]
    return URIRef(f"{base}statement/{digest}")


def _norm(name: str) -> str:
    return " ".join(name.replace("’", "'").split()).strip("\"'“”‘ ").casefold()


def name_keys(name: str) -> set[str]:
    """The keys a name is found by exactly: the name folded (case, quotes and runs of spaces do not count) and, for
    a title with a colon, each of its parts (the title-part rule).

    >>> sorted(name_keys(" “Alita:  Battle Angel” "))
    ['alita', 'alita: battle angel', 'battle angel']
    """
    folded = _norm(name)
    return {folded, *(part.strip() for part in folded.split(":", 1) if part.strip())} if ":" in folded else {folded}


def name_index(entity_key: str, name: str) -> tuple[set[str], set[str]]:
    """What the store's name index holds for one name of an entity: its name keys, and its words for a person.

    >>> [sorted(terms) for terms in name_index("person/james-cameron", "James Cameron")]
    [['james cameron'], ['cameron', 'james']]
    """
    return name_keys(name), name_words(name) if entity_key.startswith("person/") else set()


def name_words(name: str) -> set[str]:
    """The words a person's name is found by in the store's name index: folded, without "the", "of" and the like
    unless the name has no other words. The person-name rules link names that share one of these.

    >>> sorted(name_words("The Lord of the Rings: The Two Towers")), sorted(name_words("It"))
    (['lord', 'rings', 'towers', 'two'], ['it'])
    """
    words = set(_norm(name).replace(":", " ").split())
    return words - _STOP_WORDS or words


@dataclass(frozen=True)
class StoredEntity:
    """An entity as the store knows it: key, canonical label, classes and every alias any article gave it."""

    key: str
    label: str
    classes: tuple[str, ...]
    aliases: tuple[str, ...] = ()

    @property
    def kind(self) -> str:
        return self.key.split("/", 1)[0]

    @property
    def names(self) -> set[str]:
        return {_norm(self.label), *(_norm(a) for a in self.aliases)}


@dataclass(frozen=True)
class Merge:
    """One name of a document taken to mean an entity already in the store, and why."""

    name: str  # the name as the article gave it
    entity: str  # key of the entity it now points at
    label: str  # that entity's canonical label
    rule: str  # "alias" | "surname" | "first name" | "name variant" | "middle initial" | "title part"
    shared: tuple[str, ...]  # labels of the neighbours both have

    @property
    def reason(self) -> str:
        """The merge in one sentence."""
        return f'"{self.name}" is the {self.rule} of {self.label}; both are linked to {", ".join(self.shared)}'


@dataclass(frozen=True)
class Rename:
    """A stored entity that a fuller name replaces: every graph's ``old`` becomes ``new`` labelled ``label``."""

    old: str
    new: str
    label: str


def name_rule(entity: Entity, stored: StoredEntity) -> str | None:
    """Which name rule links a document's entity to a stored one, or None.

    >>> name_rule(Entity("person/jim-cameron", "Jim Cameron", "Person"), StoredEntity("person/james-cameron", "James Cameron", ("Person",)))
    'name variant'
    >>> name_rule(Entity("creativework/alita", "Alita", "Film"), StoredEntity("creativework/alita-battle-angel", "Alita: Battle Angel", ("Film",)))
    'title part'
    """
    mine = {_norm(entity.label), *(_norm(a) for a in entity.aliases)}
    theirs = stored.names
    if mine & theirs:
        return "alias"
    short, full = sorted((_norm(entity.label), _norm(stored.label)), key=lambda n: (len(n.split()), len(n)))
    if stored.kind == "person":
        return _person_rule(short, full)
    if ":" in full and short in (p.strip() for p in full.split(":", 1)):
        return "title part"
    return None


def _person_rule(short: str, full: str) -> str | None:
    short_words, full_words = short.split(), full.split()
    if len(full_words) < 2:
        return None
    if len(short_words) == 1:
        if short == full_words[-1]:
            return "surname"
        return "first name" if short == full_words[0] else None
    if len(full_words) > len(short_words) and without_middle_initials(full) == short:
        return "middle initial"
    first, last = short_words[0].rstrip("."), short_words[-1]
    if last != full_words[-1] or first == full_words[0]:
        return None
    if first in _VARIANTS.get(full_words[0], ()) or (len(first) == 1 and full_words[0].startswith(first)):
        return "name variant"
    return None


@dataclass
class EntityIndex:
    """The store's entities by kind and name: the cache of the store's own name index, filled as names come up.

    Every entity is stored with a ``kg:nameKey`` for each of its names (and title parts: :func:`name_keys`), and
    a person with a ``kg:nameWord`` for each word of its names (:func:`name_words`), so finding the stored
    entities a name could mean is one indexed SPARQL lookup, whatever the size of the store. The lookup reads
    the store's entity index graph (:func:`index_graph`), where each entity is described once, not the
    union of the article graphs, where each article that mentions it describes it again (a join over the union
    grows as the product of those restatements). Each key is looked up once per build and kept current as
    documents are written; the cache is dropped when it grows past :data:`_MAX_CACHED` entities, so memory does
    not grow with the corpus.
    """

    store: KnowledgeStore
    onto: Ontology
    entities: dict[str, StoredEntity] = field(default_factory=dict)
    by_word: dict[str, set[str]] = field(default_factory=dict)
    by_name: dict[str, set[str]] = field(default_factory=dict)
    loaded: set[tuple[str, str]] = field(default_factory=set)  # ("w", word) / ("n", name key) fully in the cache

    @classmethod
    def from_store(cls, store: KnowledgeStore, onto: Ontology) -> EntityIndex:
        """An index over the store's entities (nothing is read until a name is looked up)."""
        return cls(store, onto)

    def load(self, words: Iterable[str] = (), names: Iterable[str] = ()) -> None:
        """Bring into the cache every stored entity with one of ``words`` in a name, or one of ``names`` (folded) as
        a name; one query for everything not looked up before."""
        missing = sorted({("w", w) for w in words} | {("n", n) for n in names} - self.loaded)
        if not missing:
            return
        if len(self.entities) > _MAX_CACHED:
            self.entities, self.by_word, self.by_name, self.loaded = {}, {}, {}, set()
        base = self.store.base
        for iri, labels, types, aliases in self.store.select_values(index_lookup(missing, base)):
            names = set(labels.split(_SEPARATOR))
            label = max(names, key=lambda n: (len(n), n))
            alts = set(aliases.split(_SEPARATOR)) - {""} if aliases else set()
            classes = tuple(sorted({local_name(t) for t in types.split(_SEPARATOR)}))
            self.add(StoredEntity(iri[len(base):], label, classes, tuple(sorted(alts | names - {label}))))
        self.loaded.update(missing)

    def add(self, entity: StoredEntity) -> None:
        """Index an entity under its name keys and a person under the words of its names (replacing what was
        known of its key)."""
        known = self.entities.get(entity.key)
        if known is not None:
            entity = StoredEntity(entity.key, entity.label, tuple(sorted(set(known.classes) | set(entity.classes))),
                                  tuple(sorted((set(known.aliases) | set(entity.aliases) | {known.label}) - {entity.label})))
        self.entities[entity.key] = entity
        for name in entity.names:
            keys, words = name_index(entity.key, name)
            for key in keys:
                self.by_name.setdefault(key, set()).add(entity.key)
            for word in words:
                self.by_word.setdefault(word, set()).add(entity.key)

    def remove(self, key: str) -> None:
        """Forget an entity (it was renamed)."""
        self.entities.pop(key, None)

    def known_class(self, name: str, ner_class: str | None) -> str | None:
        """The class the store gives ``name``, when it should replace the class NER gave it (None: keep NER's).

        The store answers only for a name it knows exactly (a label or an alias) as one class of thing. Its class
        wins when NER gave none, when NER gave another kind ("Cameron" as an organization, "Avatar" as a company),
        or when it is a subclass of NER's ("Wellington" a City, not just a Place).
        """
        norm = _norm(name)
        self.load(names=[norm])
        named = [self.entities[k] for k in self.by_name.get(norm, ()) if k in self.entities]
        classes = {self._most_specific(e.classes) for e in named if norm in e.names}
        if len(classes) != 1 or None in classes:
            return None
        [cls] = classes
        if self._not_a_title(name, cls, ner_class):
            return None
        if ner_class is None:
            return cls
        if self.onto.kind(cls) != self.onto.kind(ner_class) or (cls != ner_class and self.onto.is_a(cls, ner_class)):
            return cls
        return None

    def _not_a_title(self, name: str, cls: str, ner_class: str | None) -> bool:
        """True when the store's class is a work and ``name`` is a place ("the US" that one article took for a
        film), a common word ("Up", "It") or an acronym ("UK", "U.S."): such a name takes a work class only from
        its own context ("the film Up", a quoted title), never from the store alone, so one mistake cannot
        spread to every article that mentions the country."""
        onto = self.onto
        if "CreativeWork" not in onto.classes or onto.kind(cls) != onto.kind("CreativeWork"):
            return False
        place = ner_class is not None and "Place" in onto.classes and onto.kind(ner_class) == onto.kind("Place")
        return place or _norm(name) in STOP_WORDS or re.fullmatch(r"(?:[A-Z]\.?){2,3}", name.strip()) is not None

    def _most_specific(self, classes: Iterable[str]) -> str | None:
        known = [c for c in classes if c in self.onto.classes]
        found = [c for c in known if all(self.onto.is_a(c, other) for other in known)]
        return found[0] if found else None

    def resolve(self, facts: list[Fact]) -> tuple[list[Fact], list[Merge], list[Rename]]:
        """Point a document's entities at the stored entities they mean.

        Returns the rewritten facts, the merges made and the stored entities to rename to a fuller name.
        Call :meth:`record` once the document is written.
        """
        lookups = [_lookups(entity) for entity in _entities(facts)]
        self.load(words=[w for words, _ in lookups for w in words], names=[n for _, names in lookups for n in names])
        merges: dict[str, tuple[StoredEntity, Merge]] = {}
        for _ in range(2):  # a second pass lets neighbours resolved in the first count as shared
            mapping = {key: stored.key for key, (stored, _) in merges.items()}
            for entity in _entities(facts):
                if (entity.key in self.entities and not _weak(entity)) or entity.key in merges:
                    continue
                found = self._best(entity, _neighbours(facts, entity.key, mapping), _years(facts, entity.key))
                if found is not None:
                    merges[entity.key] = found
        renames = []
        targets: dict[str, Entity] = {}
        mapping = {key: stored.key for key, (stored, _) in merges.items()}
        for entity in _entities(facts):
            if entity.key not in merges:
                if entity.key in self.entities:
                    targets[entity.key], rename = self._same_key(entity, facts, mapping)
                    renames += [rename] if rename is not None else []
                continue
            stored, merge = merges[entity.key]
            if stored.key == entity.key:
                del merges[entity.key]  # the same bare name in the same context: nothing was merged
                continue
            if _fuller(entity.label, stored.label) or _initial_dropped(entity.label, stored.label):
                renames.append(Rename(stored.key, entity.key, entity.label))
                merge = replace(merge, name=stored.label, entity=entity.key, label=entity.label)
                targets[entity.key] = replace(entity, aliases=tuple(sorted(set(entity.aliases) | {stored.label})))
            else:
                names = (set(entity.aliases) | {entity.label}) - {stored.label}
                targets[entity.key] = Entity(stored.key, stored.label, entity.cls, tuple(sorted(names)))
            merges[entity.key] = (stored, merge)
        rewritten = [_rewrite(f, targets) for f in facts]
        return rewritten, [m for _, m in merges.values()], renames

    def record(self, facts: list[Fact], renames: Iterable[Rename]) -> None:
        """Update the index with a written document's entities."""
        for rename in renames:
            old = self.entities.get(rename.old)
            self.remove(rename.old)
            if old is not None:
                self.add(StoredEntity(rename.new, rename.label, old.classes, (*old.aliases, old.label)))
        for entity in _entities(facts):
            self.add(StoredEntity(entity.key, entity.label, (entity.cls,), entity.aliases))

    # ------------------------------------------------------------ matching

    def _candidates(self, entity: Entity) -> list[tuple[StoredEntity, str]]:
        words, names = _lookups(entity)
        keys = set().union(*(self.by_word.get(w, set()) for w in words), *(self.by_name.get(n, set()) for n in names))
        kind = entity.key.split("/", 1)[0]
        found = []
        for key in sorted(keys):
            stored = self.entities.get(key)
            if stored is None or stored.kind != kind or not self._compatible(entity.cls, stored.classes):
                continue
            rule = name_rule(entity, stored)
            if rule is not None:
                found.append((stored, rule))
        return found

    def _compatible(self, cls: str, classes: Iterable[str]) -> bool:
        return all(self.onto.is_a(cls, c) or self.onto.is_a(c, cls) for c in classes)

    def _best(self, entity: Entity, neighbours: dict[str, str], years: dict[str, set[str]]) -> tuple[StoredEntity, Merge] | None:
        scored = []
        for stored, rule in self._candidates(entity):
            their_neighbours, their_years = self._context(stored.key)
            if any(years[p] and their_years.get(p) and not years[p] & their_years[p] for p in years):
                continue  # "Avatar" (2009) is not "Avatar: The Way of Water" (2022)
            shared = sorted(neighbours[k] for k in set(neighbours) & their_neighbours)
            if shared:
                scored.append((len(shared), stored, Merge(entity.label, stored.key, stored.label, rule, tuple(shared))))
        scored.sort(key=lambda s: (-s[0], s[1].key != entity.key))  # on a tie, the same name wins
        if not scored or (len(scored) > 1 and scored[0][0] == scored[1][0] and scored[0][1].key != entity.key):
            return None
        return scored[0][1], scored[0][2]

    def _same_key(self, entity: Entity, facts: list[Fact], mapping: dict[str, str]) -> tuple[Entity, Rename | None]:
        """A document's entity whose key the store already holds, as it is to be written, and the rename of the stored
        one's label when the document spells it better (:func:`_one_spelling`)."""
        if _weak(entity):  # a bare surname the context does not tie to the "Cameron" stored
            return replace(entity, key=f"{entity.key}-{_digest(facts[0].evidence.doc_id)}"), None
        own = self._namesake_key(entity, facts, mapping)
        if own is not None:
            return replace(entity, key=own), None
        return _one_spelling(entity, self.entities[entity.key])

    def _namesake_key(self, entity: Entity, facts: list[Fact], mapping: dict[str, str]) -> str | None:
        """The key of the node a document's entity takes when the stored entity of its very key is another thing of
        the same name, else None (it is that entity).

        Another thing: a class that cannot be the stored one's (the novel "Glass Harbor" beside the film), or a
        year that contradicts the stored one's (the 2021 remake beside the 1998 film). Its key adds the class or the
        year ("creativework/glass-harbor-book", "creativework/glass-harbor-2021"), so a third article about the
        same remake finds that node; an article that gives no year joins the namesake it shares more neighbours
        with (the remake's director), the first one on a tie.
        """
        key = self._by_context(entity, facts, mapping)
        for _ in range(3):  # the node of the class, then the node of the year within it
            stored = self.entities.get(key)
            if stored is None:
                return key if key != entity.key else None
            if not any(self._compatible(entity.cls, (c,)) for c in stored.classes):  # not one class it could have
                key = f"{key}-{re.sub(r'[^a-z0-9]+', '-', entity.cls.lower()).strip('-')}"
                continue
            years = _years(facts, entity.key)
            if years:
                their_years = self._context(stored.key)[1]
                clash = [p for p in years if their_years.get(p) and not years[p] & their_years[p]]
                if clash:
                    key = f"{key}-{min(years[clash[0]])}"
                    continue
            return key if key != entity.key else None
        return key

    def _by_context(self, entity: Entity, facts: list[Fact], mapping: dict[str, str]) -> str:
        """Of the stored namesakes of an entity's key ("glass-harbor", "glass-harbor-2021"), the one that shares the
        most neighbours with the document's entity; its own key on a tie."""
        siblings = [k for k in self.by_name.get(_norm(entity.label), ()) if k.startswith(entity.key + "-")
                    and k in self.entities and any(self._compatible(entity.cls, (c,)) for c in self.entities[k].classes)]
        if not siblings:
            return entity.key
        neighbours = set(_neighbours(facts, entity.key, mapping))
        shared = {k: len(neighbours & self._context(k)[0]) for k in [entity.key, *sorted(siblings)]}
        best = max(shared.values())
        return entity.key if shared[entity.key] == best else next(k for k, n in shared.items() if n == best)

    def _context(self, key: str) -> tuple[set[str], dict[str, set[str]]]:
        """A stored entity's neighbours (keys) and the years of its date-valued facts by property."""
        iri = URIRef(self.store.base + key).n3()
        props = " ".join(URIRef(p.iri).n3() for p in self.onto.properties.values())
        rows = self.store.select_values(f"SELECT DISTINCT ?p ?o (isIRI(?o) AS ?entity) WHERE {{ VALUES ?p {{ {props} }} "
                                        f"{{ {iri} ?p ?o }} UNION {{ ?o ?p {iri} }} }}")
        base = self.store.base
        neighbours: set[str] = set()
        years: dict[str, set[str]] = {}
        date_props = {p.iri: p.name for p in self.onto.properties.values() if p.value_kind == "date"}
        for predicate, obj, is_iri in rows:
            if is_iri == "true" and obj.startswith(base):
                neighbours.add(obj[len(base):])
            elif predicate in date_props:
                years.setdefault(date_props[predicate], set()).add(obj[:4])
        return neighbours, years


def index_lookup(lookups: Iterable[tuple[str, str]], base: str = DEFAULT_BASE) -> str:
    """The SPARQL SELECT that finds in the entity index every entity with one of the given names, one row each.

    ``lookups`` are ``("w", word)`` (a word of a person's name, ``kg:nameWord``) and ``("n", key)`` (a folded
    name or title part, ``kg:nameKey``). Each row is the entity's IRI, then its labels, its class IRIs and its
    aliases, each joined by ``\\x1f`` (aliases empty when it has none).

    >>> print(index_lookup([("n", "cameron")]))  # doctest: +ELLIPSIS
    SELECT ?e (GROUP_CONCAT(DISTINCT ?label; separator="\\u001f") AS ?labels) ... WHERE { GRAPH <https://w3id.org/kgnews/id/index/entities> { { VALUES ?v { "cameron" } ?e kg:nameKey ?v } ...
    """
    parts = []
    for kind, predicate in (("w", "kg:nameWord"), ("n", "kg:nameKey")):
        values = " ".join(Literal(v).n3() for k, v in sorted(lookups) if k == kind)
        if values:
            parts.append(f"{{ VALUES ?v {{ {values} }} ?e {predicate} ?v }}")
    joined = f'separator="\\u{ord(_SEPARATOR):04x}"'
    return (f"SELECT ?e (GROUP_CONCAT(DISTINCT ?label; {joined}) AS ?labels) (GROUP_CONCAT(DISTINCT STR(?type); {joined}) "
            f"AS ?types) (GROUP_CONCAT(DISTINCT ?alt; {joined}) AS ?aliases) WHERE {{ GRAPH {index_graph(base).n3()} {{ "
            f"{' UNION '.join(parts)} ?e kg:indexLabel ?label ; kg:indexClass ?type . OPTIONAL {{ ?e kg:indexAlias ?alt }} }} }} GROUP BY ?e")


def _lookups(entity: Entity) -> tuple[set[str], set[str]]:
    """The person-name words and the name keys to look up for the stored entities a name rule could link to
    ``entity`` (see :func:`name_keys`).

    Name keys find aliases and title parts. A multi-word person name also needs its surname's word (surname, name
    variant) and its first name as a key (a stored bare first name); a one-word person name, every person with
    that word in a name. Common first names so never pull every namesake of the store into a build.

    >>> [sorted(found) for found in _lookups(Entity("person/rosa-salazar", "Rosa Salazar", "Person"))]
    [['salazar'], ['rosa', 'rosa salazar']]
    >>> [sorted(found) for found in _lookups(Entity("creativework/alita", "Alita: Battle Angel", "Film"))]
    [[], ['alita', 'alita: battle angel', 'battle angel']]
    """
    names = {_norm(name) for name in (entity.label, *entity.aliases)}
    keys = {key for name in names for key in name_keys(name)}
    words: set[str] = set()
    if entity.key.startswith("person/"):
        for name in names:
            parts = name.split()
            if len(parts) > 1:
                words.add(parts[-1])
                keys.add(parts[0].rstrip("."))
            else:
                words |= name_words(name)
    return words, keys


def _entities(facts: list[Fact]) -> list[Entity]:
    seen: dict[str, Entity] = {}
    for fact in facts:
        for side in (fact.subject, fact.object):
            if isinstance(side, Entity):
                seen.setdefault(side.key, side)
    return list(seen.values())


def _neighbours(facts: list[Fact], key: str, mapping: dict[str, str]) -> dict[str, str]:
    """Keys (as resolved so far) and labels of the entities a document links to ``key``."""
    found = {}
    for fact in facts:
        if not isinstance(fact.object, Entity):
            continue
        for me, other in ((fact.subject, fact.object), (fact.object, fact.subject)):
            if me.key == key and other.key != key:
                found[mapping.get(other.key, other.key)] = other.label
    return found


def _years(facts: list[Fact], key: str) -> dict[str, set[str]]:
    years: dict[str, set[str]] = {}
    for fact in facts:
        if fact.subject.key == key and isinstance(fact.object, Value) and fact.object.datatype in {"date", "gYear", "gYearMonth"}:
            years.setdefault(fact.predicate, set()).add(fact.object.lexical[:4])
    return years


def _weak(entity: Entity) -> bool:
    """A bare surname or first name: many people share it, so even the same name must agree in context."""
    return entity.key.startswith("person/") and len(entity.label.split()) == 1


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:8]


def _fuller(name: str, other: str) -> bool:
    """True when ``name`` says more than ``other``: more words, or the same words plus a subtitle."""
    return len(name.split()) > len(other.split()) and _norm(other) in _norm(name).replace(":", " ").split() + [_norm(name).split(":")[0].strip()]


def _initial_dropped(name: str, other: str) -> bool:
    """True when ``name`` is ``other`` without its middle initials: the plain name is the canonical one.

    >>> _initial_dropped("Jonathan Hale", "Jonathan R. Hale"), _initial_dropped("Jonathan R. Hale", "Jonathan Hale")
    (True, False)
    """
    return _norm(name) == without_middle_initials(_norm(other)) != _norm(other)


def _one_spelling(entity: Entity, stored: StoredEntity) -> tuple[Entity, Rename | None]:
    """A document's entity under the one label its stored namesake has ("Northgate Pictures" and "NORTHGATE
    PICTURES" are one label and one alias), and the rename when the document spells it better: the store keeps
    its first spelling unless that was all capitals (a headline's) and this one is not.

    >>> _one_spelling(Entity("organization/northgate", "NORTHGATE", "Organization"), StoredEntity("organization/northgate", "Northgate", ("Organization",)))
    (Entity(key='organization/northgate', label='Northgate', cls='Organization', aliases=('NORTHGATE',)), None)
    """
    if entity.label == stored.label or _norm(entity.label) != _norm(stored.label):
        return entity, None
    if stored.label.isupper() and not entity.label.isupper():
        return replace(entity, aliases=tuple(sorted(set(entity.aliases) | {stored.label}))), Rename(stored.key, stored.key, entity.label)
    return replace(entity, label=stored.label, aliases=tuple(sorted((set(entity.aliases) | {entity.label}) - {stored.label}))), None


def _rewrite(fact: Fact, targets: dict[str, Entity]) -> Fact:
    subject = targets.get(fact.subject.key, fact.subject)
    obj = targets.get(fact.object.key, fact.object) if isinstance(fact.object, Entity) else fact.object
    return Fact(subject, fact.predicate, obj, fact.evidence) if (subject, obj) != (fact.subject, fact.object) else fact


# ---------------------------------------------------------------- explanations


@dataclass(frozen=True)
class Sighting:
    """A sentence of an article that states facts about the entity; ``facts``: each as "subject –property→ object
    (rule, confidence)", the rule or model that found it and its score."""

    source: str
    title: str
    sentence: str
    facts: tuple[str, ...] = ()


@dataclass(frozen=True)
class Explanation:
    """What the store knows of one entity: its names, where it is mentioned and why names were merged."""

    iri: str
    label: str
    classes: tuple[str, ...]
    aliases: tuple[str, ...]
    mentions: tuple[Sighting, ...]
    merges: tuple[tuple[str, str], ...]  # (source, reason)

    def lines(self) -> list[str]:
        """The explanation as ``kg explain`` prints it."""
        out = [f"{self.label} ({', '.join(self.classes)})  <{self.iri}>",
               "  aliases: " + (", ".join(self.aliases) or "none")]
        sources = sorted({m.source for m in self.mentions})
        out.append(f"  mentioned in {len(sources)} article{'s' if len(sources) != 1 else ''}:")
        for mention in self.mentions:
            out.append(f"    {mention.source}: {mention.sentence}")
            out += [f"      {fact}" for fact in mention.facts]
        out.append("  merged names:" if self.merges else "  merged names: none")
        for source, reason in self.merges:
            out.append(f"    {source}: {reason}")
        return out


def explain(store: KnowledgeStore, name: str) -> list[Explanation]:
    """Every stored entity whose label or alias is ``name`` (ignoring case), explained.

    "Alita" may answer with two entities, the film and the character: they are kept apart.
    """
    wanted = Literal(name.strip().casefold()).n3()
    rows = store.query("SELECT DISTINCT ?e WHERE { ?e rdfs:label|skos:altLabel ?l ; rdfs:label ?any "
                       f"FILTER(LCASE(STR(?l)) = {wanted}) }} ORDER BY ?e")
    return [_explain_one(store, row["e"]) for row in rows]


def _explain_one(store: KnowledgeStore, iri: URIRef) -> Explanation:
    e = iri.n3()
    labels = sorted({str(r["l"]) for r in store.query(f"SELECT ?l WHERE {{ {e} rdfs:label ?l }}")}, key=lambda n: (-len(n), n))
    classes = tuple(sorted({local_name(str(r["t"])) for r in store.query(f"SELECT ?t WHERE {{ {e} a ?t }}")}))
    aliases = {str(r["a"]) for r in store.query(f"SELECT ?a WHERE {{ {e} skos:altLabel ?a }}")} | set(labels[1:])
    sightings: dict[tuple[str, str, str, int], list[str]] = {}
    for r in store.query(
            "SELECT ?g ?source ?title ?sentence ?start ?sl ?p ?o ?ol ?rule ?confidence WHERE { GRAPH ?g { "
            "?st a kg:Statement ; kg:sentence ?sentence ; kg:charStart ?start ; rdf:subject ?s ; rdf:predicate ?p ; "
            f"rdf:object ?o ; kg:rule ?rule ; kg:confidence ?confidence FILTER(?s = {e} || ?o = {e}) "
            "OPTIONAL { ?g prov:wasDerivedFrom ?source } OPTIONAL { ?g dcterms:title ?title } } "
            "OPTIONAL { ?s rdfs:label ?sl } OPTIONAL { ?o rdfs:label ?ol } } "
            "ORDER BY ?source ?start ?p ?o"):
        key = (str(r["source"] or r["g"]), str(r["title"] or ""), str(r["sentence"]), int(r["start"]))
        subject = str(r["sl"]) if r["sl"] is not None else labels[0] if labels else ""
        obj = str(r["ol"]) if r["ol"] is not None else str(r["o"])
        fact = f"{subject} –{local_name(str(r['p']))}→ {obj}  ({r['rule']}, {float(r['confidence']):g})"
        facts = sightings.setdefault(key, [])
        if fact not in facts:
            facts.append(fact)
    mentions = tuple(Sighting(source, title, sentence, tuple(facts))
                     for (source, title, sentence, _), facts in sightings.items())
    merges = tuple(
        (str(r["source"] or r["g"]), str(r["reason"]))
        for r in store.query(
            f"SELECT ?g ?source ?reason WHERE {{ GRAPH ?g {{ ?r a kg:Resolution ; kg:resolvedEntity {e} ; kg:reason ?reason . "
            "OPTIONAL { ?g prov:wasDerivedFrom ?source } } } ORDER BY ?source ?reason")
    )
    return Explanation(str(iri), labels[0] if labels else local_name(iri), classes,
                       tuple(sorted(aliases - {labels[0] if labels else ""})), mentions, merges)
