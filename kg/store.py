"""The store: an rdflib ``Dataset`` with one named graph per document, on disk by default.

Backends are chosen by name through rdflib's plugin registry: ``"Oxigraph"`` (oxrdflib) for the embedded store
on disk and for ``memory``. Every document is written with one SPARQL Update (``DROP GRAPH`` then
``INSERT DATA``), which Oxigraph applies as a single transaction: a document is stored whole or not at all, and
re-ingesting it replaces exactly its graph. An unchanged document (same content hash) is not written again.

>>> from kg.store import KnowledgeStore
>>> with KnowledgeStore("memory") as store:
...     store.count_documents()
0
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from rdflib import RDFS, SKOS, Dataset, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.query import Result

from .errors import QueryError, StoreError
from .model import Document, Fact
from .ontology import Ontology
from .rdf import KG, PREFIXES, document_graph
from .resolve import DEFAULT_BASE, Merge, Rename

__all__ = ["KnowledgeStore", "WriteResult", "EXPORT_FORMATS", "DEFAULT_STORE"]

DEFAULT_STORE = "kg-store"
MEMORY = "memory"
# kg's format names -> rdflib serializer plugins (Oxigraph's own writers stream from the store)
EXPORT_FORMATS = {"turtle": "ox-turtle", "trig": "ox-trig", "nquads": "ox-nquads", "jsonld": "ox-json-ld", "ntriples": "ox-ntriples"}
_QUADS_FORMATS = {"trig", "nquads", "jsonld"}


@dataclass(frozen=True)
class WriteResult:
    """What writing one document did: ``added``, ``replaced`` or ``unchanged``."""

    doc_id: str
    status: str
    facts: int
    entities: int


def content_hash(document: Document) -> str:
    """sha256 of what decides a document's facts: its text, title and date."""
    material = "\x1f".join((document.text, document.title, document.published or ""))
    return hashlib.sha256(material.encode()).hexdigest()


class KnowledgeStore:
    """A knowledge graph store on disk (a directory) or in memory (``"memory"``).

    Parameters
    ----------
    location : a directory path, or ``"memory"``.
    create : make the directory when it does not exist (``kg build``); reading commands leave this off so
        that a mistyped path is an error, not a new empty store.
    base : the namespace entity, statement and document IRIs are minted in.
    """

    def __init__(self, location: str | Path = DEFAULT_STORE, *, create: bool = False, base: str = DEFAULT_BASE) -> None:
        self.location = str(location)
        self.base = base
        self.dataset = Dataset(store="Oxigraph", default_union=True)
        if self.location.startswith(("http://", "https://")):
            raise StoreError(self.location, "remote SPARQL endpoints are not supported as stores yet; use a directory or 'memory'")
        if self.location != MEMORY:
            path = Path(self.location)
            if path.exists() and not path.is_dir():
                raise StoreError(self.location, "is a file, not a store directory")
            if not path.exists() and not create:
                raise StoreError(self.location, "no store here; build one first with: kg build ARTICLES --store " + self.location)
            try:
                path.mkdir(parents=True, exist_ok=True)
                self.dataset.open(str(path), create=False)
            except OSError as exc:
                message = str(exc)
                if "lock" in message.lower():
                    raise StoreError(self.location, "is in use by another kg process; wait for it to finish or use another --store") from exc
                raise StoreError(self.location, f"cannot be opened: {message.splitlines()[0]}") from exc
        for prefix, namespace in PREFIXES(base).items():
            self.dataset.bind(prefix, namespace)

    # ------------------------------------------------------------ lifecycle

    def close(self) -> None:
        """Release the store (and its lock on disk)."""
        try:
            self.dataset.close()
        except Exception:  # closing twice, or a store that failed half-way through opening
            pass

    def __enter__(self) -> KnowledgeStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------ writing

    def stored_hash(self, doc_id: str) -> str | None:
        """The content hash recorded for a document graph, or None when it is not stored."""
        g = URIRef(doc_id).n3()
        rows = list(self.dataset.query(f"SELECT ?h WHERE {{ GRAPH {g} {{ {g} kg:contentHash ?h }} }}", initNs={"kg": KG}))
        return str(rows[0][0]) if rows else None

    def is_unchanged(self, document: Document) -> bool:
        """True when the store holds this very version of the document."""
        return self.stored_hash(document.id) == content_hash(document)

    def write_document(self, document: Document, facts: list[Fact], onto: Ontology, *,
                       merges: Iterable[Merge] = (), renames: Iterable[Rename] = ()) -> WriteResult:
        """Store one document's facts in its graph, replacing what an earlier version stored.

        ``renames`` (from :meth:`kg.resolve.EntityIndex.resolve`) move stored entities to a fuller name in every
        graph, in the same transaction as the document.
        """
        digest = content_hash(document)
        previous = self.stored_hash(document.id)
        entities = {f.subject.key for f in facts} | {f.object.key for f in facts if hasattr(f.object, "key")}
        if previous == digest:
            return WriteResult(document.id, "unchanged", len(facts), len(entities))
        graph = document_graph(document, facts, onto, digest, self.base, merges)
        body = graph.serialize(format="nt")
        steps = [f"DROP SILENT GRAPH <{document.id}>", f"INSERT DATA {{ GRAPH <{document.id}> {{\n{body}\n}} }}"]
        steps += [step for rename in renames for step in _rename_steps(rename, self.base)]
        self._update(" ;\n".join(steps))
        return WriteResult(document.id, "replaced" if previous else "added", len(facts), len(entities))

    def ensure_ontology(self, onto: Ontology) -> None:
        """Keep the ontology in its own graph so queries can follow rdfs:subClassOf and read labels."""
        graph_iri = URIRef(str(KG).rstrip("#"))
        body = onto.graph.serialize(format="nt")
        digest = hashlib.sha256(body.encode()).hexdigest()
        g = graph_iri.n3()
        if self.dataset.query(f"ASK {{ GRAPH {g} {{ {g} kg:contentHash {Literal(digest).n3()} }} }}", initNs={"kg": KG}).askAnswer:
            return
        marker = f"<{graph_iri}> <{KG.contentHash}> {Literal(digest).n3()} ."
        self._update(f"DROP SILENT GRAPH <{graph_iri}> ;\nINSERT DATA {{ GRAPH <{graph_iri}> {{\n{body}\n{marker}\n}} }}")

    def remove_document(self, doc_id: str) -> bool:
        """Drop a document's graph; True when there was one."""
        existed = self.stored_hash(doc_id) is not None
        self._update(f"DROP SILENT GRAPH <{URIRef(doc_id)}>")
        return existed

    def _update(self, update: str) -> None:
        # Straight to the Oxigraph store: rdflib's Dataset.update would evaluate a union-graph dataset's update
        # in Python, operation by operation, instead of as one native transaction.
        try:
            self.dataset.store.update(update, initNs={}, initBindings={}, queryGraph=DATASET_DEFAULT_GRAPH_ID)
        except OSError as exc:
            raise StoreError(self.location, f"write failed: {exc}") from exc

    # ------------------------------------------------------------ reading

    def query(self, sparql: str, *, where: str = "query") -> Result:
        """Run a SPARQL 1.1 query over the union of all graphs; kg's prefixes are predeclared.

        Raises
        ------
        QueryError
            When the query does not parse or fails to evaluate; the message is the parser's.
        """
        try:
            result = self.dataset.query(sparql, initNs=PREFIXES(self.base))
            if result.type == "SELECT":
                result.bindings = list(result.bindings)  # evaluate now, so errors surface here
            return result
        except SPARQL_ERRORS as exc:
            raise QueryError(where, sparql_error(exc)) from exc

    def count_documents(self) -> int:
        """How many documents the store holds."""
        rows = self.query("SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?g kg:contentHash ?h ; a prov:Entity } }")
        return int(next(iter(rows))[0])

    def export(self, fmt: str, out: IO[bytes]) -> None:
        """Write the whole store in an RDF format: trig, nquads and jsonld keep the document graphs."""
        if fmt not in EXPORT_FORMATS:
            raise StoreError(self.location, f"unknown export format {fmt!r}; choose one of {', '.join(EXPORT_FORMATS)}")
        if fmt in _QUADS_FORMATS:
            self.dataset.serialize(out, format=EXPORT_FORMATS[fmt])
            return
        union = self.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }").graph
        for prefix, namespace in PREFIXES(self.base).items():
            union.bind(prefix, namespace)
        union.serialize(out, format=EXPORT_FORMATS[fmt])


SPARQL_ERRORS = (SyntaxError, ValueError, NotImplementedError, OSError)  # what Oxigraph raises for a bad query


def sparql_error(exc: BaseException) -> str:
    """One line for a query that does not parse or cannot run: the parser's own message, whitespace folded.

    >>> sparql_error(SyntaxError("error at 1:8:   expected WHERE"))
    'SPARQL syntax error: error at 1:8: expected WHERE'
    """
    detail = " ".join(str(exc).split())
    return f"SPARQL syntax error: {detail}" if isinstance(exc, SyntaxError) else f"cannot run: {detail}"


def _rename_steps(rename: Rename, base: str) -> list[str]:
    """SPARQL Update steps that move an entity to a new IRI in every graph and relabel it there."""
    old, new = URIRef(base + rename.old).n3(), URIRef(base + rename.new).n3()
    label, rdfs, skos = Literal(rename.label).n3(), RDFS.label.n3(), SKOS.altLabel.n3()
    return [
        f"DELETE {{ GRAPH ?g {{ {old} ?p ?o }} }} INSERT {{ GRAPH ?g {{ {new} ?p ?o }} }} WHERE {{ GRAPH ?g {{ {old} ?p ?o }} }}",
        f"DELETE {{ GRAPH ?g {{ ?s ?p {old} }} }} INSERT {{ GRAPH ?g {{ ?s ?p {new} }} }} WHERE {{ GRAPH ?g {{ ?s ?p {old} }} }}",
        f"DELETE {{ GRAPH ?g {{ {new} {rdfs} ?l }} }} INSERT {{ GRAPH ?g {{ {new} {rdfs} {label} . {new} {skos} ?l }} }} "
        f"WHERE {{ GRAPH ?g {{ {new} {rdfs} ?l }} FILTER(?l != {label}) }}",
    ]
