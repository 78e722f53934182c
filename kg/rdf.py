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
from functools import lru_cache

from rdflib import RDF, RDFS, SKOS, XSD, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, PROV

from . import __version__
from .dedup import Duplicate, Fingerprint
from .model import Document, Entity, Fact, Qualifiers, Value
from .ontology import KG_NS, Ontology
from .documents import DEFAULT_BASE
from .lookup import Merge
from .names import name_index

__all__ = ["document_lines", "duplicate_lines", "value_literal", "entity_iri", "statement_iri", "index_graph", "index_lines", "default_graph_marker",
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


def index_lines(ntriples: str | list[str]) -> list[str]:
    """The N-Triples lines the entity index holds for a document graph given as N-Triples: the descriptions of its
    entities (the subjects with an ``rdfs:label``; statements, resolutions and the document itself have none),
    each in the index's own property. Read from the serialised graph, which the store writes anyway: building
    a second rdflib graph would cost more than the write itself.

    >>> index_lines('<https://w3id.org/kgnews/id/person/x> <http://www.w3.org/2000/01/rdf-schema#label> "X" .\\n'
    ...             '<https://w3id.org/kgnews/id/statement/1> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://w3id.org/kgnews/ontology#Statement> .')
    ['<https://w3id.org/kgnews/id/person/x> <https://w3id.org/kgnews/ontology#indexLabel> "X" .']
    """
    lines = ntriples.split("\n") if isinstance(ntriples, str) else ntriples  # not splitlines: a literal may hold U+2028
    triples = [line.split(" ", 2) for line in lines if line.strip()]
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


class _Lines:
    """The N-Triples lines of one graph, each triple once (a graph is a set), in the order first added."""

    def __init__(self, onto: Ontology | None = None) -> None:
        self.lines: dict[str, None] = {}
        self._onto = onto
        self._terms: dict[str, str] = {}  # ontology names -> their IRIs in N-Triples

    def add(self, subject: str, predicate: str, obj: str) -> None:
        """One triple, each term in N-Triples (``<iri>``, ``"literal"^^<datatype>``)."""
        self.lines[f"{subject} {predicate} {obj} ."] = None

    def term(self, name: str) -> str:
        """The IRI of an ontology class or property in N-Triples (rdflib checks it is one once per graph)."""
        found = self._terms.get(name)
        if found is None:
            assert self._onto is not None, "a graph without an ontology names no class or property"
            found = self._terms[name] = self._onto.iri(name).n3()
        return found


def _text(value: str) -> str:
    """A plain string literal in N-Triples: only the quote, the backslash and line ends need escaping."""
    if '"' in value or "\\" in value or "\n" in value or "\r" in value:
        value = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{value}"'


def _typed(literal: Literal) -> str:
    """A typed literal in N-Triples, its lexical form as rdflib normalises it (``Literal("1e3", xsd:decimal)`` is
    ``"1000"``)."""
    return f"{_text(str(literal))}^^<{literal.datatype}>"


@lru_cache(maxsize=4096)
def _confidence(value: float) -> str:
    return _typed(Literal(Decimal(str(value))))


@lru_cache(maxsize=4096)
def _value(value: Value) -> tuple[str, str]:
    """A value's literal in N-Triples, and its N3 form (which statement IRIs hash, :func:`statement_iri`)."""
    literal = value_literal(value)
    return _typed(literal), literal.n3()


def _integer(value: int) -> str:
    return f'"{int(value)}"^^<{_XSD_INTEGER}>'


_XSD_INTEGER = str(XSD.integer)
_TRUE = Literal(True).n3()
_TYPE, _LABEL_NT, _ALT, _NAME_KEY, _NAME_WORD = (t.n3() for t in (RDF.type, RDFS.label, SKOS.altLabel, KG.nameKey, KG.nameWord))
_SUBJECT, _PREDICATE, _OBJECT = RDF.subject.n3(), RDF.predicate.n3(), RDF.object.n3()
_DERIVED = PROV.wasDerivedFrom.n3()


def _add_entity(out: _Lines, entity: Entity, base: str) -> str:
    iri = URIRef(base + entity.key).n3()  # rdflib refuses what cannot be an IRI
    out.add(iri, _TYPE, out.term(entity.cls))
    out.add(iri, _LABEL_NT, _text(entity.label))
    for alias in entity.aliases:
        out.add(iri, _ALT, _text(alias))
    for name in (entity.label, *entity.aliases):  # the store's own name index (kg.names, kg.resolve.EntityIndex)
        keys, words = name_index(entity.key, name)
        for key in keys:
            out.add(iri, _NAME_KEY, _text(key))
        for word in words:
            out.add(iri, _NAME_WORD, _text(word))
    return iri


def _document_node(out: _Lines, document: Document, content_hash: str) -> str:
    """A document's own description (PROV-O, Dublin Core, schema.org), with the graph IRI as subject; returns it."""
    g = URIRef(document.id).n3()  # rdflib refuses what cannot be an IRI
    out.add(g, _TYPE, PROV.Entity.n3())
    out.add(g, _TYPE, SCHEMA.NewsArticle.n3())
    out.add(g, _DERIVED, URIRef(document.uri).n3())
    if document.title:
        out.add(g, DCTERMS.title.n3(), _text(document.title))
    if document.url:
        out.add(g, SCHEMA.url.n3(), URIRef(document.url).n3())
    if document.published:
        out.add(g, DCTERMS.issued.n3(), _typed(Literal(document.published, datatype=XSD.date)))
    out.add(g, KG.contentHash.n3(), _text(content_hash))
    out.add(g, KG.extractorVersion.n3(), _text(f"kg {__version__}"))
    return g


def duplicate_lines(document: Document, content_hash: str, duplicate: Duplicate) -> list[str]:
    """The graph of a copy of a stored article as N-Triples lines: its own description and what it copies, no facts
    of its own."""
    out = _Lines()
    g = _document_node(out, document, content_hash)
    out.add(g, KG.duplicateOf.n3(), URIRef(duplicate.original).n3())
    out.add(g, KG.similarity.n3(), _typed(Literal(Decimal(f"{duplicate.similarity:.3f}"))))
    return list(out.lines)


def document_lines(document: Document, facts: list[Fact], onto: Ontology, content_hash: str, base: str = DEFAULT_BASE,
                   merges: Iterable[Merge] = (), fingerprint: Fingerprint | None = None) -> list[str]:
    """The named graph of one document as N-Triples lines, each triple once: its metadata, entities, facts, their
    evidence and its merge decisions (see the module's docstring).

    ``fingerprint`` (:mod:`kg.dedup`) is stored with the document so that later copies of it are recognised.
    Written as text, not through an rdflib graph: the store sends text to Oxigraph or an endpoint anyway, and a
    graph of terms would cost more than the write itself.

    >>> from kg.ontology import load_ontology
    >>> lines = document_lines(Document(id="urn:x", text="", uri="urn:x"), [], load_ontology(), "abc")
    >>> lines[0]
    '<urn:x> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://www.w3.org/ns/prov#Entity> .'
    """
    out = _Lines(onto)
    g = _document_node(out, document, content_hash)
    graph_iri = g[1:-1]
    if fingerprint is not None:
        out.add(g, KG.textHash.n3(), _text(fingerprint.text_hash))
        out.add(g, KG.minhash.n3(), _text(fingerprint.signature_hex))
        for band in fingerprint.bands:
            out.add(g, KG.minhashBand.n3(), _text(band))
    described: dict[Entity, str] = {}  # an entity's description is written once, however many facts name it

    def entity(e: Entity) -> str:
        iri = described.get(e)
        if iri is None:
            iri = described[e] = _add_entity(out, e, base)
        return iri

    for fact in facts:
        subject = entity(fact.subject)
        predicate = out.term(fact.predicate)
        if isinstance(fact.object, Entity):
            obj = obj_n3 = entity(fact.object)
        else:
            obj, obj_n3 = _value(fact.object)
        out.add(subject, predicate, obj)
        stmt = f"<{statement_iri(graph_iri, subject[1:-1], predicate[1:-1], obj_n3, base)}>"
        ev = fact.evidence
        out.add(stmt, _TYPE, _STATEMENT)
        out.add(stmt, _SUBJECT, subject)
        out.add(stmt, _PREDICATE, predicate)
        out.add(stmt, _OBJECT, obj)
        out.add(stmt, _SENTENCE, _text(ev.sentence))
        out.add(stmt, _CHAR_START, _integer(ev.char_start))
        out.add(stmt, _CHAR_END, _integer(ev.char_end))
        out.add(stmt, _RULE, _text(ev.rule))
        out.add(stmt, _CONFIDENCE, _confidence(ev.confidence))
        out.add(stmt, _DERIVED, g)
        if fact.qualifiers:
            _add_qualifiers(out, stmt, fact.qualifiers, entity)
        if isinstance(fact.object, Value):
            if fact.object.unit:
                out.add(stmt, KG.currency.n3(), _text(fact.object.unit))
            if fact.object.qualifier:
                out.add(stmt, KG.qualifier.n3(), _text(fact.object.qualifier))
    for merge in merges:
        _add_merge(out, g, merge, base)
    return list(out.lines)


_STATEMENT, _SENTENCE, _CHAR_START, _CHAR_END, _RULE, _CONFIDENCE = (
    t.n3() for t in (KG.Statement, KG.sentence, KG.charStart, KG.charEnd, KG.rule, KG.confidence))


def _add_qualifiers(out: _Lines, stmt: str, qualifiers: Qualifiers, entity) -> None:
    """An award statement's work (kg:forWork, Wikidata P1686), year (kg:pointInTime, P585) and category; a job or
    membership that is over (kg:ended true)."""
    if qualifiers.for_work is not None:
        out.add(stmt, KG.forWork.n3(), entity(qualifiers.for_work))
    if qualifiers.year is not None:
        out.add(stmt, KG.pointInTime.n3(), _typed(Literal(qualifiers.year, datatype=XSD.gYear)))
    if qualifiers.category is not None:
        out.add(stmt, KG.awardCategory.n3(), _text(qualifiers.category))
    if qualifiers.ended:
        out.add(stmt, KG.ended.n3(), _TRUE)


def _add_merge(out: _Lines, g: str, merge: Merge, base: str) -> None:
    digest = hashlib.sha256("\x1f".join((g[1:-1], merge.name, merge.entity)).encode()).hexdigest()[:24]
    node = URIRef(base + "resolution/" + digest).n3()
    out.add(node, _TYPE, KG.Resolution.n3())
    out.add(node, KG.resolvedEntity.n3(), URIRef(base + merge.entity).n3())
    out.add(node, KG.mentionName.n3(), _text(merge.name))
    out.add(node, KG.resolutionRule.n3(), _text(merge.rule))
    out.add(node, KG.reason.n3(), _text(merge.reason))
    for label in merge.shared:
        out.add(node, KG.sharedNeighbour.n3(), _text(label))
    out.add(node, _DERIVED, g)
