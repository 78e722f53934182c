"""The store: an rdflib ``Dataset`` with one named graph per document, on disk by default.

The backend (:mod:`kg.backends`) is Oxigraph on disk or in memory, or any SPARQL 1.1 endpoint; everything here
works the same on each. Every document is written with one SPARQL Update (``DROP GRAPH`` then ``INSERT DATA``),
which Oxigraph (or the endpoint) applies as a single transaction: a document is stored whole or not at all, and
re-ingesting it replaces exactly its graph. An unchanged document (same content hash) is not written again.

The same transaction keeps the entity index graph (:func:`kg.rdf.index_graph`) exact: it adds the document's
entity descriptions, and before a document's graph is dropped it retracts from the index what no other document
graph states. Entity resolution reads entities from the index alone, one description each, so its lookups cost
the same however many articles describe an entity.

Queries without ``GRAPH`` (``kg query``, :meth:`KnowledgeStore.query`, ``kg serve``) read the store's default
graph, which the same transaction keeps equal to the RDF merge of the document graphs and the ontology: each
triple once however many articles state it, so that counts and joins are those of one graph. Each article's graph
keeps its own copy with its evidence, and ``GRAPH ?g { … }`` sees those. Writing a document adds its triples to
the default graph; before a document graph is dropped, the default graph loses what no other graph states. A store
written before the merged default graph gets it from its named graphs when it is first opened for writing; until
then readers see the union of the named graphs, as before (:meth:`KnowledgeStore.ensure_default_graph`). An
endpoint store keeps no merged default graph: there the endpoint's own union default graph answers.

>>> from kg.store import KnowledgeStore
>>> with KnowledgeStore("memory") as store:
...     store.count_documents()
0
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import pyoxigraph as ox
from rdflib import RDFS, SKOS, Dataset, Graph, Literal, URIRef
from rdflib.compare import to_canonical_graph
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import PROV
from rdflib.query import Result

from .backends import is_remote, open_backend
from .dedup import Duplicate, Fingerprint
from .documents import DEFAULT_BASE, safe_iri
from .errors import QueryError, StoreError
from .lookup import Link, Merge, Rename, StoredEntity
from .model import Document, Fact
from .names import name_index
from .ontology import Ontology, local_name
from .rdf import (DEFAULT_GRAPH_VERSION, INDEX_VERSION, INDEXED, KG, PREFIXES, default_graph_marker, document_lines,
                  duplicate_lines, index_graph, index_lines)

__all__ = ["DEFAULT_STORE", "EXPORT_FORMATS", "KnowledgeStore", "RemoveResult", "WriteResult", "index_lookup"]

DEFAULT_STORE = "kg-store"
# kg's format names -> rdflib serializer plugins (Oxigraph's own writers stream from the store)
EXPORT_FORMATS = {"turtle": "ox-turtle", "trig": "ox-trig", "nquads": "ox-nquads", "jsonld": "ox-json-ld", "ntriples": "ox-ntriples"}
_QUADS_FORMATS = {"trig": ox.RdfFormat.TRIG, "nquads": ox.RdfFormat.N_QUADS, "jsonld": ox.RdfFormat.JSON_LD}


_LOOK_UP = object()  # write_document's "ask the store for the previous hash"
_SEPARATOR = "\x1f"  # between the names of one entity in an index lookup's row (a character names do not hold)


@dataclass(frozen=True)
class WriteResult:
    """What writing one document did: ``added``, ``replaced``, ``unchanged`` or ``duplicate``."""

    doc_id: str
    status: str
    facts: int
    entities: int


@dataclass(frozen=True)
class RemoveResult:
    """What removing one document retracted: its facts, the entities no other document mentions, its copies."""

    doc_id: str
    facts: int
    entities: int
    copies: tuple[str, ...]


def content_hash(document: Document) -> str:
    """sha256 of what decides a document's facts: its text, title and date."""
    material = "\x1f".join((document.text, document.title, document.published or ""))
    return hashlib.sha256(material.encode()).hexdigest()


class KnowledgeStore:
    """A knowledge graph store: a directory, ``"memory"`` or a SPARQL endpoint URL (see :mod:`kg.backends`).

    Parameters
    ----------
    location : a directory path, ``"memory"`` or ``http(s)://`` endpoint URL(s).
    create : make the directory when it does not exist (``kg build``); reading commands leave this off so
        that a mistyped path is an error, not a new empty store.
    writable : open for writing: take the directory's writer lock (``create`` implies it). Readers get a
        read-only snapshot and never wait for a writer.
    base : the namespace entity, statement and document IRIs are minted in.
    """

    def __init__(self, location: str | Path = DEFAULT_STORE, *, create: bool = False, writable: bool = False,
                 base: str = DEFAULT_BASE) -> None:
        self.location = str(location)
        self.base = base
        self.backend = open_backend(self.location, create=create, writable=writable or create)
        self._prefixes = {prefix: str(namespace) for prefix, namespace in PREFIXES(base).items()}
        self.merged = False  # the default graph is the merge kg keeps (else queries read the union of the graphs)
        self._queried: Graph = self.dataset
        if is_remote(self.location):
            self._check_union()
        elif self.writable:
            self.ensure_default_graph()
        self._read_default_graph()

    @property
    def dataset(self) -> Dataset:
        """The rdflib Dataset over the backend; its default graph is the merge of the document graphs (each triple
        once), or on an endpoint store or a store from before kg kept the merge, the union of the named graphs."""
        return self.backend.dataset

    @property
    def native(self):
        """The Oxigraph store for native evaluation, or None for a remote endpoint."""
        return self.backend.native

    @property
    def writable(self) -> bool:
        return self.backend.writable

    # ------------------------------------------------------------ lifecycle

    def close(self) -> None:
        """Release the store (and a writer's lock)."""
        self.backend.close()

    def refresh(self) -> bool:
        """Take a fresh snapshot when another process wrote to the store since it was opened; True if it did."""
        if not self.backend.changed():
            return False
        fresh = self.backend.reopen()
        self.backend.close()
        self.backend = fresh
        self._read_default_graph()
        return True

    def reopen_after_flush(self) -> None:
        """Open an on-disk store again when it was flushed since it was last opened, which empties RocksDB's
        caches (:meth:`kg.backends.EmbeddedBackend.reopen_after_flush`). Only while no query result of this store
        is being read: ``kg build`` calls it between documents."""
        if self.backend.reopen_after_flush():
            self._read_default_graph()

    def __enter__(self) -> KnowledgeStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _read_default_graph(self) -> None:
        """Query the merged default graph when the store keeps it, else the union of the named graphs."""
        for prefix, namespace in PREFIXES(self.base).items():
            self.dataset.bind(prefix, namespace)
        self.merged = not is_remote(self.location) and self._default_graph_version() == DEFAULT_GRAPH_VERSION
        self.dataset.default_union = not self.merged
        # rdflib's Dataset reads its default graph through a deprecated attribute: a Graph on it reads it plainly
        self._queried = Graph(store=self.dataset.store, identifier=DATASET_DEFAULT_GRAPH_ID) if self.merged else self.dataset

    def _check_union(self) -> None:
        """A remote store must answer queries without GRAPH over all its named graphs, as kg's queries assume."""
        named = self.query("ASK { GRAPH ?g { ?g kg:contentHash ?h } }").askAnswer
        if named and not self.query("ASK { ?g kg:contentHash ?h }").askAnswer:
            raise StoreError(self.location, "the endpoint's default graph is not the union of its named graphs; start it "
                                            "so that it is (oxigraph serve --union-default-graph, Fuseki unionDefaultGraph)")

    # ------------------------------------------------------------ the entity lookup (kg.lookup.EntityLookup)

    def entities_named(self, words: Iterable[str] = (), names: Iterable[str] = ()) -> list[StoredEntity]:
        """Every stored entity with one of ``words`` in a person's name or one of ``names`` (folded) as a name key,
        read from the entity index graph in one query, one each: its longest label is its label, the rest of its
        names its aliases."""
        lookups = [("w", w) for w in words] + [("n", n) for n in names]
        if not lookups:
            return []
        found = []
        for iri, labels, types, aliases in self.select_values(index_lookup(lookups, self.base)):
            named = set(labels.split(_SEPARATOR))
            label = max(named, key=lambda n: (len(n), n))
            alts = set(aliases.split(_SEPARATOR)) - {""} if aliases else set()
            classes = tuple(sorted({local_name(t) for t in types.split(_SEPARATOR)}))
            found.append(StoredEntity(iri[len(self.base):], label, classes, tuple(sorted(alts | named - {label}))))
        return found

    def entity_links(self, key: str, properties: Iterable[str]) -> list[Link]:
        """The stored facts of ``properties`` (IRIs) that have the entity ``key`` as subject or object, each once."""
        iri = URIRef(self.base + key).n3()
        props = " ".join(URIRef(p).n3() for p in properties)
        rows = self.select_values(f"SELECT DISTINCT ?p ?o (isIRI(?o) AS ?entity) WHERE {{ VALUES ?p {{ {props} }} "
                                  f"{{ {iri} ?p ?o }} UNION {{ ?o ?p {iri} }} }}")
        return [Link(predicate, other, is_iri == "true") for predicate, other, is_iri in rows]

    # ------------------------------------------------------------ writing

    def stored_hash(self, doc_id: str) -> str | None:
        """The content hash recorded for a document graph, or None when it is not stored."""
        g = URIRef(doc_id).n3()
        rows = self.select_values(f"SELECT ?h WHERE {{ GRAPH {g} {{ {g} kg:contentHash ?h }} }}")
        return rows[0][0] if rows else None

    def is_unchanged(self, document: Document) -> bool:
        """True when the store holds this very version of the document."""
        return self.stored_hash(document.id) == content_hash(document)

    def write_document(self, document: Document, facts: list[Fact], onto: Ontology, *,
                       merges: Iterable[Merge] = (), renames: Iterable[Rename] = (),
                       fingerprint: Fingerprint | None = None, previous: str | None | object = _LOOK_UP) -> WriteResult:
        """Store one document's facts in its graph, replacing what an earlier version stored.

        ``renames`` (from :meth:`kg.resolve.EntityIndex.resolve`) move stored entities to a fuller name in every
        graph, in the same transaction as the document. ``previous`` is the stored content hash when the caller
        has looked it up already (None: not stored).
        """
        digest = content_hash(document)
        if previous is _LOOK_UP:
            previous = self.stored_hash(document.id)
        entities = {f.subject.key for f in facts} | {f.object.key for f in facts if hasattr(f.object, "key")}
        if previous == digest:
            return WriteResult(document.id, "unchanged", len(facts), len(entities))
        lines = document_lines(document, facts, onto, digest, self.base, merges, fingerprint)
        steps = [step for rename in renames for step in _rename_steps(rename, self.base, default_graph=self.merged)]
        self._replace_graph(document.id, lines, steps)
        return WriteResult(document.id, "replaced" if previous else "added", len(facts), len(entities))

    def write_duplicate(self, document: Document, duplicate: Duplicate) -> WriteResult:
        """Store a copy of a stored article as its description and a pointer to the original (no facts)."""
        self._replace_graph(document.id, duplicate_lines(document, content_hash(document), duplicate))
        return WriteResult(document.id, "duplicate", 0, 0)

    def _replace_graph(self, graph_iri: str, lines: list[str], more: Iterable[str] = ()) -> None:
        """Drop a named graph and insert its new triples (N-Triples ``lines``), its entities into the index (and
        ``more`` update steps) in one transaction."""
        index = index_lines(lines)
        more = list(more)
        if not more and self._is_new_graph(graph_iri):
            self.backend.load_quads(self._insert_quads(graph_iri, lines, index))
            return
        body = "\n".join(lines)
        steps = [self._unindex_step(graph_iri), *self._replace_steps(graph_iri, body)]
        if index:
            idx = index_graph(self.base).n3()
            marker = _index_marker(idx)
            steps.append(f"INSERT DATA {{ GRAPH {idx} {{\n{chr(10).join(index)}\n{marker}\n}} }}")
        self._update(" ;\n".join([*steps, *more]))

    def _is_new_graph(self, graph_iri: str) -> bool:
        """True when the store is Oxigraph here, keeps the merged default graph, and holds no graph ``graph_iri``:
        writing it is then only inserting quads, which Oxigraph loads faster than it runs the update that replaces
        a graph (the same quads, one transaction)."""
        return self.native is not None and self.merged and not self.native.contains_named_graph(ox.NamedNode(graph_iri))

    def _insert_quads(self, graph_iri: str, lines: list[str], index: list[str]) -> str:
        """The N-Quads that :meth:`_replace_graph`'s update inserts for a graph the store does not hold: the triples
        in their named graph and in the merged default graph, the entity descriptions in the index graph."""
        g, idx = URIRef(graph_iri).n3(), index_graph(self.base).n3()
        quads = [f"{line[:-1]}{g} ." for line in lines]
        quads += lines
        if index:
            quads += [f"{line[:-1]}{idx} ." for line in index]
            quads.append(f"{_index_marker(idx)[:-1]}{idx} .")
        return "\n".join(quads)

    def _replace_steps(self, graph_iri: str, body: str | None) -> list[str]:
        """The update steps that replace a named graph by ``body`` (N-Triples; None: drop it) and keep the merged
        default graph exact: it loses what the old graph alone stated and gains what the new one states."""
        g = URIRef(graph_iri).n3()
        steps = [self._unmerge_step(graph_iri)] if self.merged else []
        steps.append(f"DROP SILENT GRAPH {g}")
        if body is not None:
            steps.append(f"INSERT DATA {{ GRAPH {g} {{\n{body}\n}} }}")
            if self.merged:
                steps.append(f"INSERT {{ ?s ?p ?o }} WHERE {{ GRAPH {g} {{ ?s ?p ?o }} }}")
        return steps

    def _unmerge_step(self, graph_iri: str) -> str:
        """The update step, run before a named graph is dropped, that takes out of the default graph what that graph
        alone states (another document's or the ontology's statement of the same triple keeps it)."""
        g = URIRef(graph_iri).n3()
        return (f"DELETE {{ ?s ?p ?o }} WHERE {{ GRAPH {g} {{ ?s ?p ?o }} FILTER NOT EXISTS {{ GRAPH ?other {{ ?s ?p ?o }} "
                f"FILTER(?other != {g} && {self._not_derived('?other')}) }} }}")

    def _not_derived(self, var: str) -> str:
        """A filter that keeps the graph ``var`` when it is not one the store derives from the others (the entity
        index, the default graph's marker): the graphs whose merge the default graph holds."""
        return f"{var} != {index_graph(self.base).n3()} && {var} != {default_graph_marker(self.base).n3()}"

    def _unindex_step(self, graph_iri: str) -> str:
        """The update step, run before a document graph is dropped, that takes out of the entity index what that
        graph alone states (another graph's statement of the same triple keeps it)."""
        g, idx = URIRef(graph_iri).n3(), index_graph(self.base).n3()
        return (f"DELETE {{ GRAPH {idx} {{ ?s ?indexed ?o }} }} WHERE {{ {_INDEXED_VALUES} GRAPH {g} {{ ?s ?p ?o }} "
                f"FILTER NOT EXISTS {{ GRAPH ?other {{ ?s ?p ?o }} FILTER(?other != {g} && ?other != {idx}) }} }}")

    def ensure_index(self) -> None:
        """Give a store written before the entity index (or with an index of another version) its index, built
        from the document graphs in one transaction. Nothing happens on a current or an empty store."""
        idx = index_graph(self.base).n3()
        rows = self.select_values(f"SELECT ?v WHERE {{ GRAPH {idx} {{ {idx} kg:indexVersion ?v }} }}")
        if [row[0] for row in rows] == [INDEX_VERSION] or not self.count_documents():
            return
        marker = _index_marker(idx)
        self._update(f"DROP SILENT GRAPH {idx} ;\n"
                     f"INSERT {{ GRAPH {idx} {{ ?s ?indexed ?o }} }} WHERE {{ {_INDEXED_VALUES} "
                     f"GRAPH ?g {{ ?g a {PROV.Entity.n3()} . ?s {RDFS.label.n3()} ?l ; ?p ?o }} }} ;\n"
                     f"INSERT DATA {{ GRAPH {idx} {{ {marker} }} }}")

    def ensure_default_graph(self) -> None:
        """Give a store written before the merged default graph (or with one of another version, or one an update
        left unfinished) its default graph, the merge of its named graphs, in one transaction. Nothing happens on a
        current store; an empty one only gets the version marker."""
        if self._default_graph_version() != DEFAULT_GRAPH_VERSION:
            self._update(self._remerge_steps())

    def _remerge_steps(self) -> str:
        """The update that makes the default graph the merge of the named graphs, whatever it held (a pass over
        the whole store), and marks it current."""
        derived = self._not_derived("?g")
        return (f"DELETE {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o FILTER NOT EXISTS {{ GRAPH ?g {{ ?s ?p ?o }} FILTER({derived}) }} }} ;\n"
                f"INSERT {{ ?s ?p ?o }} WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER({derived}) FILTER NOT EXISTS {{ ?s ?p ?o }} }} ;\n"
                f"{self._mark_merged_step()}")

    def _mark_merged_step(self) -> str:
        marker = default_graph_marker(self.base).n3()
        return (f"DROP SILENT GRAPH {marker} ;\n"
                f"INSERT DATA {{ GRAPH {marker} {{ {marker} {KG.indexVersion.n3()} {Literal(DEFAULT_GRAPH_VERSION).n3()} }} }}")

    def update(self, sparql_update: str, prefixes: dict[str, str] | None = None) -> None:
        """Apply a SPARQL Update that kg did not write (``kg serve --allow-update``), then make the default graph the
        merge of the named graphs again: what the update put into the named graphs, queries without ``GRAPH`` see;
        what it wrote to the default graph alone is not kept. The second step is a pass over the whole store.

        The default graph is marked out of date before the update, so that a process killed before the merge is
        done leaves readers on the union of the named graphs and the next writer merges again; an update that does
        not parse or run changes nothing and marks it current again. The entity index is left as it was (see
        docs/usage.md, Known limits).
        """
        if not self.merged:
            self.backend.update(sparql_update, prefixes)
            return
        self._update(f"DROP SILENT GRAPH {default_graph_marker(self.base).n3()}")
        try:
            self.backend.update(sparql_update, prefixes)
        except SPARQL_ERRORS:
            self._update(self._mark_merged_step())
            raise
        self._update(self._remerge_steps())

    def _default_graph_version(self) -> str | None:
        marker = default_graph_marker(self.base).n3()
        rows = self.select_values(f"SELECT ?v WHERE {{ GRAPH {marker} {{ {marker} kg:indexVersion ?v }} }}")
        return rows[0][0] if rows else None

    def merged_query(self) -> str:
        """An ASK query (full IRIs, no prefixes) that is true when the store keeps the merged default graph of this
        version, for processes that open the store with Oxigraph alone (:mod:`kg.workers`)."""
        marker = default_graph_marker(self.base).n3()
        return f"ASK {{ GRAPH {marker} {{ {marker} {KG.indexVersion.n3()} {Literal(DEFAULT_GRAPH_VERSION).n3()} }} }}"

    def find_documents(self, reference: str) -> list[str]:
        """The graph IRIs of the stored documents ``reference`` names: a graph IRI, an article's URL, a file path,
        or a JSONL file (every article read from it that had no URL of its own)."""
        has_scheme = re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", reference) and not Path(reference).exists()
        name = safe_iri(reference) if has_scheme else Path(reference).resolve().as_uri()
        iri, lines = URIRef(name).n3(), Literal(name + "#").n3()  # lines: the articles of a JSONL file
        rows = self.query(f"""
            SELECT DISTINCT ?g WHERE {{
              GRAPH ?g {{ ?g kg:contentHash ?h ; a prov:Entity .
                         OPTIONAL {{ ?g prov:wasDerivedFrom ?src }} OPTIONAL {{ ?g schema:url ?url }} }}
              FILTER(?g = {iri} || ?src = {iri} || ?url = {iri} || STRSTARTS(STR(?src), {lines}))
            }} ORDER BY ?g""")
        return [str(row["g"]) for row in rows]

    def remove_document(self, doc_id: str) -> RemoveResult:
        """Retract a document: its graph, the graphs of its stored copies, and the entities left with no facts.

        Entities are described in the graph of every document that states a fact about them, so an entity no
        other document mentions goes with the graph; one that other documents mention stays, with their facts.
        The entity index and the default graph lose, in the same transaction, what only this document said (an
        alias only it gave, a fact no other article states).
        """
        g = URIRef(doc_id).n3()
        counts = next(iter(self.query(f"""
            SELECT (COUNT(DISTINCT ?st) AS ?facts) (COUNT(DISTINCT ?e) AS ?entities) WHERE {{
              GRAPH {g} {{ {{ ?st a kg:Statement }} UNION {{ ?e rdfs:label ?l
                FILTER NOT EXISTS {{ GRAPH ?other {{ ?e rdfs:label ?l2 }} FILTER(?other != {g}) }} }} }}
            }}""")))
        copies = [str(r["c"]) for r in self.query(f"SELECT ?c WHERE {{ GRAPH ?c {{ ?c kg:duplicateOf {g} }} }}")]
        drops = [step for iri in [doc_id, *copies] for step in self._replace_steps(iri, None)]
        self._update(" ;\n".join([self._unindex_step(doc_id), *drops]))
        return RemoveResult(doc_id, int(counts["facts"]), int(counts["entities"]), tuple(copies))

    def ensure_ontology(self, onto: Ontology) -> None:
        """Keep the ontology in its own graph so queries can follow rdfs:subClassOf and read labels."""
        graph_iri = URIRef(str(KG).rstrip("#"))
        # Blank nodes (owl:unionOf lists) get canonical labels, then skolem IRIs, so that the same ontology is stored
        # and hashed the same in every process and backend.
        canonical = to_canonical_graph(onto.graph).skolemize(authority="https://w3id.org", basepath="/kgnews/.well-known/genid/")
        body = "\n".join(sorted(line for line in canonical.serialize(format="nt").split("\n") if line))  # labels may hold U+2028
        digest = hashlib.sha256(body.encode()).hexdigest()
        g = graph_iri.n3()
        if self.query(f"ASK {{ GRAPH {g} {{ {g} kg:contentHash {Literal(digest).n3()} }} }}").askAnswer:
            return
        marker = f"<{graph_iri}> <{KG.contentHash}> {Literal(digest).n3()} ."
        self._update(" ;\n".join(self._replace_steps(str(graph_iri), f"{body}\n{marker}")))
        if is_remote(self.location):
            self._check_union()

    def _update(self, update: str) -> None:
        # Straight to the backend: rdflib's Dataset.update would evaluate a union-graph dataset's update in Python,
        # operation by operation, instead of as one native transaction (or one request to an endpoint).
        self.backend.update(update)

    # ------------------------------------------------------------ reading

    def query(self, sparql: str, *, where: str = "query") -> Result:
        """Run a SPARQL 1.1 query over the store's default graph, the merge of all document graphs (each triple
        once), with every named graph for ``GRAPH``; kg's prefixes are predeclared.

        Raises
        ------
        QueryError
            When the query does not parse or fails to evaluate; the message is the parser's.
        """
        try:
            result = self._queried.query(sparql, initNs=PREFIXES(self.base))
            if result.type == "SELECT":
                result.bindings = list(result.bindings)  # evaluate now, so errors surface here
            return result
        except SPARQL_ERRORS as exc:
            raise QueryError(where, sparql_error(exc)) from exc

    def select_values(self, sparql: str, *, where: str = "query") -> list[tuple[str | None, ...]]:
        """A SELECT's rows as the plain string values of its terms (None when unbound): the fast path for the
        lookups kg runs while building, evaluated natively when the store is Oxigraph.

        >>> with KnowledgeStore("memory") as store:
        ...     store.select_values("SELECT ?x WHERE { VALUES ?x { 1 'a' } }")
        [('1',), ('a',)]
        """
        if self.native is None:
            return [tuple(None if term is None else str(term) for term in row) for row in self.query(sparql, where=where)]
        try:
            solutions = self.native.query(sparql, prefixes=self._prefixes, use_default_graph_as_union=not self.merged)
            return [tuple(None if term is None else term.value for term in solution) for solution in solutions]
        except SPARQL_ERRORS as exc:
            raise QueryError(where, sparql_error(exc)) from exc

    def count_documents(self) -> int:
        """How many documents the store holds."""
        rows = self.query("SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?g kg:contentHash ?h ; a prov:Entity } }")
        return int(next(iter(rows))[0])

    def export(self, fmt: str, out: IO[bytes]) -> None:
        """Write the whole store in an RDF format: trig, nquads and jsonld keep the named graphs (the documents, the
        ontology, the entity index); turtle and ntriples write the default graph, their merge."""
        if fmt not in EXPORT_FORMATS:
            raise StoreError(self.location, f"unknown export format {fmt!r}; choose one of {', '.join(EXPORT_FORMATS)}")
        if fmt in _QUADS_FORMATS:
            marker = default_graph_marker(self.base)
            quads = (quad for quad in self.backend.quads_store()  # the named graphs: the default graph is their merge
                     if isinstance(quad.graph_name, ox.NamedNode) and quad.graph_name.value != str(marker))
            ox.serialize(quads, out, _QUADS_FORMATS[fmt], prefixes=self._prefixes)
            return
        union = self.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }").graph
        for prefix, namespace in PREFIXES(self.base).items():
            union.bind(prefix, namespace)
        union.serialize(out, format=EXPORT_FORMATS[fmt])


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


def _index_marker(idx: str) -> str:
    """The triple (N-Triples) that says which version of the entity index the graph ``idx`` (an N3 IRI) holds."""
    return f"{idx} {KG.indexVersion.n3()} {Literal(INDEX_VERSION).n3()} ."


# Each property a document graph describes an entity with, beside the one the entity index says it with.
_INDEXED_VALUES = "VALUES (?p ?indexed) { " + " ".join(f"({p.n3()} {i.n3()})" for p, i in INDEXED.items()) + " }"
SPARQL_ERRORS = (SyntaxError, ValueError, NotImplementedError, OSError)  # what Oxigraph raises for a bad query


def sparql_error(exc: BaseException) -> str:
    """One line for a query that does not parse or cannot run: the parser's own message, whitespace folded.

    >>> sparql_error(SyntaxError("error at 1:8:   expected WHERE"))
    'SPARQL syntax error: error at 1:8: expected WHERE'
    """
    detail = " ".join(str(exc).split())
    return f"SPARQL syntax error: {detail}" if isinstance(exc, SyntaxError) else f"cannot run: {detail}"


def _rename_steps(rename: Rename, base: str, *, default_graph: bool = False) -> list[str]:
    """SPARQL Update steps that move an entity to a new IRI in every graph and relabel it there.

    The entity index graph takes the same steps in its own properties, so it stays the union of what the
    document graphs say of the entity. With ``default_graph``, the merged default graph takes the steps the named
    graphs take: each rewrites triples one at a time (or adds the same triples wherever the new label is), so the
    merge of the renamed graphs is the renamed merge.
    """
    old, new = URIRef(base + rename.old).n3(), URIRef(base + rename.new).n3()
    label, rdfs, skos = Literal(rename.label).n3(), RDFS.label.n3(), SKOS.altLabel.n3()
    idx, index_label, index_alias = index_graph(base).n3(), KG.indexLabel.n3(), KG.indexAlias.n3()
    keys, words = name_index(rename.new, rename.label)
    index = [f"{new} {KG.nameKey.n3()} {Literal(key).n3()} ." for key in sorted(keys)]
    index += [f"{new} {KG.nameWord.n3()} {Literal(word).n3()} ." for word in sorted(words)]
    steps = []
    for scope in ("GRAPH ?g {{ {} }}", "{}") if default_graph else ("GRAPH ?g {{ {} }}",):  # named graphs, default graph
        move_subject, move_object = f"{old} ?p ?o", f"?s ?p {old}"
        labelled, relabelled = f"{new} {rdfs} ?l", f"{new} {rdfs} {label} . {new} {skos} ?l"
        steps += [
            (f"DELETE {{ {scope.format(move_subject)} }} INSERT {{ {scope.format(f'{new} ?p ?o')} }} "
             f"WHERE {{ {scope.format(move_subject)} }}"),
            (f"DELETE {{ {scope.format(move_object)} }} INSERT {{ {scope.format(f'?s ?p {new}')} }} "
             f"WHERE {{ {scope.format(move_object)} }}"),
            (f"DELETE {{ {scope.format(labelled)} }} INSERT {{ {scope.format(relabelled)} }} "
             f"WHERE {{ {scope.format(labelled)} FILTER(?l != {label}) }}"),
            f"INSERT {{ {scope.format(' '.join(index))} }} WHERE {{ {scope.format(f'{new} {rdfs} {label}')} }}",  # found by its new name
        ]
    return [
        *steps,
        f"DELETE {{ GRAPH {idx} {{ {new} {index_label} ?l }} }} INSERT {{ GRAPH {idx} {{ {new} {index_label} {label} . "
        f"{new} {index_alias} ?l }} }} WHERE {{ GRAPH {idx} {{ {new} {index_label} ?l }} FILTER(?l != {label}) }}",
        f"INSERT {{ GRAPH {idx} {{ {' '.join(index)} }} }} WHERE {{ GRAPH {idx} {{ {new} {index_label} {label} }} }}",
    ]
