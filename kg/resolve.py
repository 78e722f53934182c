"""Entity canonicalisation across articles: which stored entity each name of an article means.

In: one document's facts, whose entities :mod:`kg.extract.coref` has already grouped within the article, and the
entities already in the store, asked through :class:`kg.lookup.EntityLookup` (the store implements it; this
module knows no SPARQL). Out: the same facts with each entity pointing at its one node in the store, a
:class:`Merge` for every name that was taken to mean an entity stored before, and a :class:`Rename` for each
stored entity that takes a fuller name. :mod:`kg.rdf` turns them into triples and :mod:`kg.store` writes them.

Entity keys are the entity's coarse kind and a slug of its canonical name (IRIs: :func:`kg.rdf.entity_iri`). The same name of the same
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
>>> name_rule(Entity("person/cameron", "Cameron", "Person"), StoredEntity("person/james-cameron", "James Cameron", ("Person",)))
'surname'
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from spacy.lang.en.stop_words import STOP_WORDS

from .lookup import EntityLookup, Link, Merge, Rename, StoredEntity
from .model import Entity, Fact, Value
from .names import fold as _norm
from .names import name_index, name_keys, name_words, without_middle_initials
from .ontology import Ontology

__all__ = ["Merge", "Rename", "StoredEntity", "EntityIndex", "Change", "name_rule", "name_index", "name_keys", "name_words"]

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
_MAX_CACHED = 20_000  # entities kept between lookups in one build (about 1 KB each)
# One change to an EntityIndex's cache, in its journal: an entity added or merged (as the cache now holds it), the
# key of an entity forgotten (renamed), or None: the whole cache dropped.
Change = StoredEntity | str | None


class _NoStore:
    """The lookup of a replica index (:meth:`EntityIndex.replica_of`): it knows no stored entity."""

    base = ""

    def entities_named(self, words: Iterable[str] = (), names: Iterable[str] = ()) -> list[StoredEntity]:
        return []

    def entity_links(self, key: str, properties: Iterable[str]) -> list[Link]:
        return []


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
    the store's entity index graph (:func:`kg.rdf.index_graph`), where each entity is described once, not the
    union of the article graphs, where each article that mentions it describes it again (a join over the union
    grows as the product of those restatements). Each key is looked up once per build and kept current as
    documents are written; the cache is dropped when it grows past :data:`_MAX_CACHED` entities, so memory does
    not grow with the corpus.

    With ``journal`` a list, every change to the cache is appended to it (:data:`Change`), so that a replica in
    another process can follow the cache by :meth:`replay` (:func:`kg.pipeline.extract_in_workers` gives its
    workers one, to guess what the store will answer). A replica (``replica=True``) asks no store and drops its
    cache only when the journal says the original did.
    """

    lookup: EntityLookup
    onto: Ontology
    entities: dict[str, StoredEntity] = field(default_factory=dict)
    by_word: dict[str, set[str]] = field(default_factory=dict)
    by_name: dict[str, set[str]] = field(default_factory=dict)
    loaded: set[tuple[str, str]] = field(default_factory=set)  # ("w", word) / ("n", name key) fully in the cache
    journal: list[Change] | None = None
    replica: bool = False

    @classmethod
    def from_store(cls, store: EntityLookup, onto: Ontology, *, journal: bool = False) -> EntityIndex:
        """An index over the store's entities (nothing is read until a name is looked up); ``journal``: keep the
        journal of its changes (see the class)."""
        return cls(store, onto, journal=[] if journal else None)

    @classmethod
    def replica_of(cls, onto: Ontology) -> EntityIndex:
        """An empty replica: it learns entities only from :meth:`replay`."""
        return cls(_NoStore(), onto, replica=True)

    def take_journal(self) -> list[Change]:
        """The changes since the last call (and the journal emptied); [] without a journal."""
        changes = self.journal or []
        if self.journal is not None:
            self.journal = []
        return changes

    def replay(self, changes: Iterable[Change]) -> None:
        """Apply another index's journal: this cache then holds what that one held after those changes."""
        for change in changes:
            if change is None:
                self._drop_cache()
            elif isinstance(change, str):
                self.remove(change)
            else:
                self.add(change)

    def _drop_cache(self) -> None:
        self.entities, self.by_word, self.by_name, self.loaded = {}, {}, {}, set()
        if self.journal is not None:
            self.journal.append(None)

    def load(self, words: Iterable[str] = (), names: Iterable[str] = ()) -> None:
        """Bring into the cache every stored entity with one of ``words`` in a name, or one of ``names`` (folded) as
        a name; one query for everything not looked up before."""
        missing = sorted({("w", w) for w in words} | {("n", n) for n in names} - self.loaded)
        if not missing:
            return
        if len(self.entities) > _MAX_CACHED and not self.replica:
            self._drop_cache()
        for entity in self.lookup.entities_named(words=[v for k, v in missing if k == "w"],
                                                 names=[v for k, v in missing if k == "n"]):
            self.add(entity)
        self.loaded.update(missing)

    def add(self, entity: StoredEntity) -> None:
        """Index an entity under its name keys and a person under the words of its names (replacing what was
        known of its key)."""
        known = self.entities.get(entity.key)
        if known is not None:
            entity = StoredEntity(entity.key, entity.label, tuple(sorted(set(known.classes) | set(entity.classes))),
                                  tuple(sorted((set(known.aliases) | set(entity.aliases) | {known.label}) - {entity.label})))
            if entity == known:
                return  # nothing new: its names are indexed already
        self.entities[entity.key] = entity
        if self.journal is not None:
            self.journal.append(entity)
        for name in entity.names:
            keys, words = name_index(entity.key, name)
            for key in keys:
                self.by_name.setdefault(key, set()).add(entity.key)
            for word in words:
                self.by_word.setdefault(word, set()).add(entity.key)

    def remove(self, key: str) -> None:
        """Forget an entity (it was renamed)."""
        if self.entities.pop(key, None) is not None and self.journal is not None:
            self.journal.append(key)

    def prefetch(self, names: Iterable[str]) -> None:
        """Bring every stored entity called one of ``names`` into the cache in one query, before
        :meth:`known_class` is asked about them one by one."""
        self.load(names=[_norm(name) for name in names])

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
        links = self.lookup.entity_links(key, [p.iri for p in self.onto.properties.values()])
        base = self.lookup.base
        neighbours: set[str] = set()
        years: dict[str, set[str]] = {}
        date_props = {p.iri: p.name for p in self.onto.properties.values() if p.value_kind == "date"}
        for link in links:
            if link.is_entity and link.other.startswith(base):
                neighbours.add(link.other[len(base):])
            elif link.predicate in date_props:
                years.setdefault(date_props[link.predicate], set()).add(link.other[:4])
        return neighbours, years


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
