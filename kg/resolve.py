"""Entity canonicalisation and IRI minting.

Within a document, :mod:`kg.extract.coref` has already grouped mentions into entities. Here each entity gets
its IRI: the store's base, the entity's coarse kind and a slug of its canonical name. The same name of the same
kind is the same IRI in every article, and things of different kinds never share one ("Alita" the film is
``creativework/alita-battle-angel``, the character ``character/alita``). Slugs are ASCII letters, digits and
hyphens only, so no article text can break out of an IRI.

>>> from kg.model import Entity
>>> str(entity_iri(Entity("person/james-cameron", "James Cameron", "Person")))
'https://w3id.org/kgnews/id/person/james-cameron'
"""

from __future__ import annotations

import hashlib

from rdflib import URIRef

from .documents import DEFAULT_BASE
from .model import Entity

__all__ = ["entity_iri", "statement_iri", "DEFAULT_BASE"]


def entity_iri(entity: Entity, base: str = DEFAULT_BASE) -> URIRef:
    """The IRI of an entity: ``<base><kind>/<slug>``."""
    return URIRef(base + entity.key)


def statement_iri(graph: str, subject: str, predicate: str, obj: str, base: str = DEFAULT_BASE) -> URIRef:
    """A stable IRI for the reified statement of one fact in one document graph."""
    digest = hashlib.sha256("\x1f".join((graph, subject, predicate, obj)).encode()).hexdigest()[:24]
    return URIRef(f"{base}statement/{digest}")
