"""Facts to RDF: the triples one document contributes to its named graph.

Each document graph holds, and only it holds:

- the document's own description (PROV-O and Dublin Core: source, title, publication date, content hash,
  extractor version), with the graph IRI as subject;
- every entity its facts mention: ``rdf:type`` (the most specific ontology class), ``rdfs:label`` (the canonical
  name) and ``skos:altLabel`` (the other names the article uses);
- the facts as plain triples (``kgr:creativework/alita-battle-angel kg:director kgr:person/robert-rodriguez``),
  money and dates as typed literals (``"404000000"^^xsd:decimal``, ``"2019"^^xsd:gYear``);
- one reified ``kg:Statement`` per fact with its evidence: sentence, character offsets, rule, confidence,
  and for money ``kg:currency``;
- one ``kg:Resolution`` per name of the article that was taken to mean an entity stored before it, with the
  rule and the reason (see :mod:`kg.resolve`).

Replacing or removing a document is therefore replacing or dropping exactly one graph, and updating the entity
index: one more graph (:func:`index_graph`) that holds each entity's description once, the set union of what the
document graphs say of it, so that entity resolution reads one description per entity however many articles
restate it. The index states classes, labels and aliases with its own properties (``kg:indexClass``,
``kg:indexLabel``, ``kg:indexAlias``; :data:`INDEXED`), so that queries over every graph (``GRAPH ?g``) see each
entity's ``rdf:type`` and ``rdfs:label`` exactly as the articles state them; the default graph leaves it out. The store keeps the index exact in
the same transaction as each document (:mod:`kg.store`).

Queries without ``GRAPH`` read the store's default graph, which holds the RDF merge of the document graphs and
the ontology graph: each triple once, however many articles state it (a triple stated by three articles would
otherwise count three times in every join and ``COUNT``). The store keeps it exact in each document's transaction
too; the graph :func:`default_graph_marker` records its version (:data:`DEFAULT_GRAPH_VERSION`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from decimal import Decimal

from rdflib import RDF, RDFS, SKOS, XSD, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, PROV

from . import __version__
from .dedup import Duplicate, Fingerprint
from .model import Document, Entity, Fact, Qualifiers, Value
from .ontology import KG_NS, Ontology
from .documents import DEFAULT_BASE
from .lookup import Merge
from .names import name_index

__all__ = ["document_graph", "duplicate_graph", "value_literal", "entity_iri", "statement_iri", "index_graph", "index_lines", "default_graph_marker",
           "INDEXED", "INDEX_VERSION", "DEFAULT_GRAPH_VERSION", "PREFIXES", "KG", "SCHEMA"]

KG = KG_NS
SCHEMA = Namespace("https://schema.org/")
# What a document graph says of an entity that the entity index keeps (the set union over all documents), and the
# property the index says it with.
INDEXED = {RDF.type: KG.indexClass, RDFS.label: KG.indexLabel, SKOS.altLabel: KG.indexAlias,
           KG.nameKey: KG.nameKey, KG.nameWord: KG.nameWord}
_INDEXED_NT = {p.n3(): i.n3() for p, i in INDEXED.items()}
_LABEL = RDFS.label.n3()
INDEX_VERSION = "1"  # kg:indexVersion of the index graph; a store with documents and without it predates the index
# kg:indexVersion of the default graph marker: the default graph holds the merge of the named graphs (set semantics);
# a store without it predates that, and its default graph is empty or holds only what updates put there
DEFAULT_GRAPH_VERSION = "1"


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


def default_graph_marker(base: str = DEFAULT_BASE) -> URIRef:
    """The IRI of the graph whose one triple records the version of the store's merged default graph.

    >>> str(default_graph_marker())
    'https://w3id.org/kgnews/id/index/default-graph'
    """
    return URIRef(base + "index/default-graph")


def index_lines(ntriples: str) -> list[str]:
    """The N-Triples lines the entity index holds for a document graph given as N-Triples: the descriptions of its
    entities (the subjects with an ``rdfs:label``; statements, resolutions and the document itself have none),
    each in the index's own property. Read from the serialised graph, which the store writes anyway: building
    a second rdflib graph would cost more than the write itself.

    >>> index_lines('<https://w3id.org/kgnews/id/person/x> <http://www.w3.org/2000/01/rdf-schema#label> "X" .\\n'
    ...             '<https://w3id.org/kgnews/id/statement/1> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://w3id.org/kgnews/ontology#Statement> .')
    ['<https://w3id.org/kgnews/id/person/x> <https://w3id.org/kgnews/ontology#indexLabel> "X" .']
    """
    triples = [line.split(" ", 2) for line in ntriples.splitlines() if line.strip()]
    entities = {subject for subject, predicate, _ in triples if predicate == _LABEL}
    return [f"{subject} {_INDEXED_NT[predicate]} {rest}" for subject, predicate, rest in triples
            if subject in entities and predicate in _INDEXED_NT]


def PREFIXES(base: str = DEFAULT_BASE) -> dict[str, str]:  # noqa: N802 - reads like the constant it stands for
    """The prefixes kg binds in exports and offers to every query."""
    return {
        "kg": str(KG), "kgr": base, "schema": str(SCHEMA), "prov": str(PROV), "dcterms": str(DCTERMS),
        "skos": str(SKOS), "rdfs": str(RDFS), "rdf": str(RDF), "xsd": str(XSD),
        "owl": "http://www.w3.org/2002/07/owl#", "wd": "http://www.wikidata.org/entity/",
        "wdt": "http://www.wikidata.org/prop/direct/",
    }


def value_literal(value: Value) -> Literal:
    """The typed literal of a value: ``Value("2019", "gYear")`` -> ``"2019"^^xsd:gYear``."""
    return Literal(value.lexical, datatype=XSD[value.datatype])


def _add_entity(graph: Graph, entity: Entity, onto: Ontology, base: str) -> URIRef:
    iri = entity_iri(entity, base)
    graph.add((iri, RDF.type, onto.iri(entity.cls)))
    graph.add((iri, RDFS.label, Literal(entity.label)))
    for alias in entity.aliases:
        graph.add((iri, SKOS.altLabel, Literal(alias)))
    for name in (entity.label, *entity.aliases):  # the store's own name index (kg.names, kg.resolve.EntityIndex)
        keys, words = name_index(entity.key, name)
        graph.addN((iri, KG.nameKey, Literal(key), graph) for key in keys)
        graph.addN((iri, KG.nameWord, Literal(word), graph) for word in words)
    return iri


def _document_node(document: Document, content_hash: str) -> tuple[Graph, URIRef]:
    """A document's graph holding only the document's own description (PROV-O, Dublin Core, schema.org)."""
    g = URIRef(document.id)
    graph = Graph(identifier=g)
    graph.add((g, RDF.type, PROV.Entity))
    graph.add((g, RDF.type, SCHEMA.NewsArticle))
    graph.add((g, PROV.wasDerivedFrom, URIRef(document.uri)))
    if document.title:
        graph.add((g, DCTERMS.title, Literal(document.title)))
    if document.url:
        graph.add((g, SCHEMA.url, URIRef(document.url)))
    if document.published:
        graph.add((g, DCTERMS.issued, Literal(document.published, datatype=XSD.date)))
    graph.add((g, KG.contentHash, Literal(content_hash)))
    graph.add((g, KG.extractorVersion, Literal(f"kg {__version__}")))
    return graph, g


def duplicate_graph(document: Document, content_hash: str, duplicate: Duplicate) -> Graph:
    """The graph of a copy of a stored article: its own description and what it copies, no facts of its own."""
    graph, g = _document_node(document, content_hash)
    graph.add((g, KG.duplicateOf, URIRef(duplicate.original)))
    graph.add((g, KG.similarity, Literal(Decimal(f"{duplicate.similarity:.3f}"))))
    return graph


def document_graph(document: Document, facts: list[Fact], onto: Ontology, content_hash: str, base: str = DEFAULT_BASE,
                   merges: Iterable[Merge] = (), fingerprint: Fingerprint | None = None) -> Graph:
    """The named graph of one document: its metadata, entities, facts, their evidence and its merge decisions.

    ``fingerprint`` (:mod:`kg.dedup`) is stored with the document so that later copies of it are recognised.
    """
    graph, g = _document_node(document, content_hash)
    if fingerprint is not None:
        graph.add((g, KG.textHash, Literal(fingerprint.text_hash)))
        graph.add((g, KG.minhash, Literal(fingerprint.signature_hex)))
        for band in fingerprint.bands:
            graph.add((g, KG.minhashBand, Literal(band)))
    for fact in facts:
        subject = _add_entity(graph, fact.subject, onto, base)
        predicate = onto.iri(fact.predicate)
        if isinstance(fact.object, Entity):
            obj = _add_entity(graph, fact.object, onto, base)
        else:
            obj = value_literal(fact.object)
        graph.add((subject, predicate, obj))
        stmt = statement_iri(str(g), str(subject), str(predicate), obj.n3(), base)
        ev = fact.evidence
        graph.add((stmt, RDF.type, KG.Statement))
        graph.add((stmt, RDF.subject, subject))
        graph.add((stmt, RDF.predicate, predicate))
        graph.add((stmt, RDF.object, obj))
        graph.add((stmt, KG.sentence, Literal(ev.sentence)))
        graph.add((stmt, KG.charStart, Literal(ev.char_start)))
        graph.add((stmt, KG.charEnd, Literal(ev.char_end)))
        graph.add((stmt, KG.rule, Literal(ev.rule)))
        graph.add((stmt, KG.confidence, Literal(Decimal(str(ev.confidence)))))
        graph.add((stmt, PROV.wasDerivedFrom, g))
        if fact.qualifiers:
            _add_qualifiers(graph, stmt, fact.qualifiers, onto, base)
        if isinstance(fact.object, Value):
            if fact.object.unit:
                graph.add((stmt, KG.currency, Literal(fact.object.unit)))
            if fact.object.qualifier:
                graph.add((stmt, KG.qualifier, Literal(fact.object.qualifier)))
    for merge in merges:
        _add_merge(graph, g, merge, base)
    return graph


def _add_qualifiers(graph: Graph, stmt: URIRef, qualifiers: Qualifiers, onto: Ontology, base: str) -> None:
    """An award statement's work (kg:forWork, Wikidata P1686), year (kg:pointInTime, P585) and category; a job or
    membership that is over (kg:ended true)."""
    if qualifiers.for_work is not None:
        graph.add((stmt, KG.forWork, _add_entity(graph, qualifiers.for_work, onto, base)))
    if qualifiers.year is not None:
        graph.add((stmt, KG.pointInTime, Literal(qualifiers.year, datatype=XSD.gYear)))
    if qualifiers.category is not None:
        graph.add((stmt, KG.awardCategory, Literal(qualifiers.category)))
    if qualifiers.ended:
        graph.add((stmt, KG.ended, Literal(True)))


def _add_merge(graph: Graph, g: URIRef, merge: Merge, base: str) -> None:
    node = URIRef(base + "resolution/" + hashlib.sha256("\x1f".join((str(g), merge.name, merge.entity)).encode()).hexdigest()[:24])
    graph.add((node, RDF.type, KG.Resolution))
    graph.add((node, KG.resolvedEntity, URIRef(base + merge.entity)))
    graph.add((node, KG.mentionName, Literal(merge.name)))
    graph.add((node, KG.resolutionRule, Literal(merge.rule)))
    graph.add((node, KG.reason, Literal(merge.reason)))
    for label in merge.shared:
        graph.add((node, KG.sharedNeighbour, Literal(label)))
    graph.add((node, PROV.wasDerivedFrom, g))
