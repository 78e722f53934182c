"""What entity resolution asks of the store, and what it tells the store to write.

Resolution (:mod:`kg.resolve`) needs two answers from the store: the stored entities that go by some names, and
an entity's links to others. It asks them through :class:`EntityLookup`, which :class:`kg.store.KnowledgeStore`
implements; the store knows nothing of resolution's rules, and resolution nothing of SPARQL. What resolution
decides comes back as plain data the store writes: a :class:`Merge` (a name of an article taken to mean a
stored entity, written as a ``kg:Resolution``) and a :class:`Rename` (a stored entity that takes a fuller name).

>>> StoredEntity("person/james-cameron", "James Cameron", ("Person",), ("Cameron",)).names == {"james cameron", "cameron"}
True
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from .names import fold

__all__ = ["EntityLookup", "Link", "StoredEntity", "Merge", "Rename"]


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
        return {fold(self.label), *(fold(a) for a in self.aliases)}


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



@dataclass(frozen=True)
class Link:
    """One fact that joins a stored entity to something: the property's IRI, the other end (an IRI, or a literal's
    lexical form) and whether that end is an entity."""

    predicate: str
    other: str
    is_entity: bool


class EntityLookup(Protocol):
    """The store as entity resolution sees it (:class:`kg.store.KnowledgeStore` is one).

    ``base`` is the namespace entity IRIs are minted in: a key ``person/james-cameron`` is the IRI
    ``base + key``.
    """

    base: str

    def entities_named(self, words: Iterable[str] = (), names: Iterable[str] = ()) -> list[StoredEntity]:
        """Every stored entity with one of ``words`` in a person's name (:func:`kg.names.name_words`) or one of
        ``names`` as a name key (:func:`kg.names.name_keys`), one each, with all its names and classes."""
        ...

    def entity_links(self, key: str, properties: Iterable[str]) -> list[Link]:
        """The stored facts of the ``properties`` (IRIs) with the entity ``key`` at either end, each once."""
        ...
