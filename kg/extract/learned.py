"""Facts from learned patterns: a pattern file's relations bound to the ontology, each match typed and checked.

In: a parsed document, its :class:`~kg.extract.coref.DocEntities`, the ontology and a
:class:`~kg.extract.patterns.PatternSet` (``kg learn``). Out: :class:`~kg.extract.relations.Candidate` facts that
go through the same deduplication and evidence as the hand-written extractors.

- A learned relation binds to the ontology property whose name, label or alternative label it spells
  (ignoring case, spaces and underscores: "cast member", "cast_member", "castMember"), or whose
  ``owl:equivalentProperty`` ends with it. Relations with no property are left out, never invented.
- A mention the recogniser named keeps its entity (and its in-article aliases); it must fit the property's
  domain or range, else the match is dropped. A mention it did not name ("science fiction", "Academy Award")
  becomes an entity of the class the property expects when it is a capitalised name (the sentence's topic,
  a name run), or when the class is one spaCy's labels do not cover (genre, award): the property's domain and
  range type what the recogniser cannot.
- Literal objects are read by the property's value kind: dates at their precision, money with its currency,
  numbers as numbers, anything else as a string.

>>> from kg.extract.patterns import PatternSet
>>> from kg.ontology import load_ontology
>>> bound = bind_relations(PatternSet(formats={"cast_member": "plain", "publication date": "date-dmy"}), load_ontology())
>>> sorted((rel, prop.name) for rel, prop in bound.items())
[('cast_member', 'castMember'), ('publication date', 'releaseDate')]
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace

from spacy.tokens import Doc, Span

from ..model import Entity, Value
from ..ontology import Ontology, OntProperty, local_name
from .coref import DocEntities, named_entity
from .literals import parse_date, parse_money, parse_quantity
from .patterns import Candidate as Mention
from .patterns import PatternSet
from .relations import Candidate, fits

__all__ = ["LearnedPatterns", "bind_relations", "pattern_facts"]


_NAMES = {"TOPIC", "NAME"}  # mention kinds that are capitalised names (see kg.extract.patterns.candidates)


def _key(name: str) -> str:
    return re.sub(r"[\s_]+", "", name).casefold()


def bind_relations(patterns: PatternSet, onto: Ontology) -> dict[str, OntProperty]:
    """Learned relation label -> the ontology property it names."""
    by_name: dict[str, OntProperty] = {}
    for prop in onto.properties.values():
        for name in (prop.name, prop.label, *prop.alt_labels, *(local_name(e) for e in prop.equivalents)):
            by_name.setdefault(_key(name), prop)
    relations = patterns.relations | set(patterns.formats)
    return {rel: by_name[_key(rel)] for rel in sorted(relations) if _key(rel) in by_name}


@dataclass(frozen=True)
class LearnedPatterns:
    """A pattern set with its relations bound to one ontology: what extraction needs."""

    patterns: PatternSet
    bound: dict[str, OntProperty]

    @classmethod
    def for_ontology(cls, patterns: PatternSet, onto: Ontology) -> LearnedPatterns:
        return cls(patterns, bind_relations(patterns, onto))

    @property
    def unbound(self) -> list[str]:
        """Learned relations the ontology has no property for."""
        return sorted(self.patterns.relations - set(self.bound))


def pattern_facts(doc: Doc, ents: DocEntities, onto: Ontology, learned: LearnedPatterns,
                  published_year: int | None = None, sentences: Sequence[Span] | None = None) -> Iterator[Candidate]:
    """Facts the learned patterns find in a document (whose ``sentences`` the caller may pass), typed by the ontology."""
    for match in learned.patterns.extract(doc, sentences):
        prop = learned.bound.get(match.relation)
        if prop is None:
            continue
        subject = _entity(match.subject, doc, ents, onto, prop.domain)
        if prop.is_datatype:
            obj: Entity | Value | None = _value(match.object.text, prop, published_year)
        else:
            obj = _entity(match.object, doc, ents, onto, prop.range)
        if subject is None or obj is None or not fits(onto, prop, subject, obj):
            continue
        yield Candidate(prop, subject, obj, match.sentence, "pattern " + match.pattern.replace("\t", " "), round(match.confidence, 3))


def _entity(mention: Mention, doc: Doc, ents: DocEntities, onto: Ontology, cls: str) -> Entity | None:
    """The entity a mention names, as an instance of ``cls`` (or None when it cannot be one)."""
    known = ents.entity_of.get(mention.root)
    if known is None:
        named = [ents.entity_of[i] for i in range(mention.start, mention.end) if i in ents.entity_of]
        known = named[0] if len(named) == 1 and len(doc[mention.start:mention.end]) <= 3 else None
    if known is not None:
        if onto.is_a(known.cls, cls):
            return known
        if onto.is_a(cls, known.cls) and onto.kind(cls) == onto.kind(known.cls):
            return replace(known, cls=cls)  # "Avatar", a creative work, is the film the property needs
        return None
    if cls not in onto.classes or not any(ch.isalpha() for ch in mention.text):
        return None
    if onto.classes[cls].ner_labels and mention.kind not in _NAMES:
        return None  # a common noun phrase is not a person, a company or a film; a name the recogniser missed may be
    return named_entity(onto, mention.text, cls)


def _value(text: str, prop: OntProperty, published_year: int | None) -> Value | None:
    kind = prop.value_kind
    if kind == "date":
        return parse_date(text, published_year)
    if kind == "money":
        return parse_money(text)  # an amount without a currency is not money
    if kind == "number":
        return parse_quantity(text)
    return Value(text, "string", text=text) if text.strip() else None
