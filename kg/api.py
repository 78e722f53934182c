"""The Python API: build a knowledge graph from articles, query it, project it, draw it.

>>> import kg
>>> graph = kg.build(["examples/"], store="memory")           # doctest: +SKIP
>>> graph.query("SELECT ?film ?gross WHERE { ?film kg:boxOffice ?gross }").records()  # doctest: +SKIP
>>> graph.render_html("graph.html", focus="James Cameron")     # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING

import networkx as nx

from .analyze import NETWORK_FORMATS, Step, fact_paths, write_network
from . import pipeline
from .dedup import DEFAULT_THRESHOLD
from .documents import DEFAULT_MAX_BYTES, read_documents
from .errors import KGError, OntologyError, QueryError, StoreError
from .explain import Explanation, explain
from .extract import PACKAGED, LearnedPatterns, RelationModel, extract_facts
from .extract.patterns import PatternSet, load_patterns
from .graph import FactRow, fact_rows, find_node, graph_stats, neighbourhood, select, to_networkx, with_value_nodes
from .model import Document, Entity, Fact
from .limits import DEFAULT_DOC_TIMEOUT
from .nlp import load_nlp, parse_texts
from .ontology import Ontology, load_ontology
from .pipeline import BuildSummary, ExtractSettings, Extractor, Job, default_workers
from .pipeline import extract as pipeline_extract
from .query import QueryResult, run_query
from .rdf import entity_iri
from .render import MAX_NODES, SIZE_BY, render_html, render_html_string
from .store import DEFAULT_STORE, KnowledgeStore, RemoveResult

if TYPE_CHECKING:
    from .server import ServerConfig, SparqlServer

__all__ = ["KnowledgeGraph", "BuildSummary", "build", "open_graph", "extract", "fact_record"]

def fact_record(fact: Fact, document: Document, onto: Ontology, base: str | None = None) -> dict[str, object]:
    """A fact in the JSONL contract of ``kg extract`` (the keys are stable; scripts depend on them)."""
    prop = onto.properties[fact.predicate]
    obj = fact.object
    base_kw = {"base": base} if base else {}
    is_entity = isinstance(obj, Entity)
    return {
        "subject": fact.subject.label,
        "predicate": prop.label,
        "object": obj.label if is_entity else obj.lexical,
        "subject_iri": str(entity_iri(fact.subject, **base_kw)),
        "predicate_iri": prop.iri,
        "object_iri": str(entity_iri(obj, **base_kw)) if is_entity else None,
        "object_datatype": None if is_entity else f"http://www.w3.org/2001/XMLSchema#{obj.datatype}",
        "doc": document.source or document.uri,
        "sentence": fact.evidence.sentence,
        "char_start": fact.evidence.char_start,
        "char_end": fact.evidence.char_end,
        "confidence": fact.evidence.confidence,
        "subject_type": fact.subject.cls,
        "object_type": obj.cls if is_entity else None,
        "unit": None if is_entity else obj.unit,
        "rule": fact.evidence.rule,
        "doc_iri": document.id,
    }


def _row_record(row: FactRow) -> dict[str, object]:
    return {
        "subject": row.subject_label, "predicate": row.predicate_label, "object": row.object_label,
        "subject_iri": row.subject, "predicate_iri": row.predicate,
        "object_iri": None if row.object_type is None else row.object, "object_datatype": row.object_datatype,
        "doc": row.source, "sentence": row.sentence, "char_start": row.char_start, "char_end": row.char_end,
        "confidence": row.confidence, "subject_type": row.subject_type, "object_type": row.object_type,
        "unit": row.unit, "rule": row.rule, "doc_iri": row.doc,
    }


def learned_patterns(patterns: str | Path | PatternSet | None, onto: Ontology) -> LearnedPatterns | None:
    """A pattern file (``kg learn``) bound to an ontology; OntologyError when none of its relations fits it."""
    if patterns is None:
        return None
    source = str(patterns) if not isinstance(patterns, PatternSet) else "patterns"
    learned = LearnedPatterns.for_ontology(patterns if isinstance(patterns, PatternSet) else load_patterns(patterns), onto)
    if not learned.bound:
        raise OntologyError(source, f"none of its relations ({', '.join(learned.unbound[:5])} ...) is a property of "
                                    f"{onto.source or 'the ontology'}; use the ontology the patterns were learned with")
    return learned


def relation_model_from(model: RelationModel | str | Path | None) -> RelationModel | str | None:
    """A loaded relation model, :data:`~kg.extract.PACKAGED` or None; a path is read (RelationModelError if bad)."""
    if model is None or isinstance(model, RelationModel) or model == PACKAGED:
        return model
    return RelationModel.load(model)


def extract(
    paths: Iterable[str | Path], *, ontology: str | Path | Ontology | None = None, model: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES, patterns: str | Path | PatternSet | None = None,
    doc_timeout: float | None = DEFAULT_DOC_TIMEOUT, on_error: Callable[[KGError], None] | None = None,
    relation_model: RelationModel | str | Path | None = PACKAGED, min_confidence: float = 0.0,
) -> Iterator[dict[str, object]]:
    """Facts of articles as JSONL-contract dicts, without storing anything.

    ``relation_model``: the relation classifier (a loaded model, a model file, :data:`~kg.extract.PACKAGED` for
    kg's own, or None for the rules alone). ``min_confidence``: leave out facts scored below it (0 to 1; a rule's
    fixed score, or the classifier's probability).

    ``doc_timeout`` is the time limit in seconds per 1,000 words of an article (None: no limit). With
    ``on_error``, an unreadable article or one past its limit is reported there and the rest go on; without,
    the first raises :class:`~kg.errors.InputError`.
    """
    onto = ontology if isinstance(ontology, Ontology) else load_ontology(ontology)
    extractor = Extractor(ExtractSettings(onto, model, learned_patterns(patterns, onto), relation_model_from(relation_model),
                                          min_confidence, doc_timeout))
    documents = read_documents(list(paths), max_bytes=max_bytes, on_error=on_error, doc_timeout=doc_timeout)
    for item in pipeline_extract((Job(document) for document in documents), extractor, None):
        if item.error is not None:
            if on_error is None:
                raise item.error
            on_error(item.error)
            continue
        for fact in item.facts or []:
            yield fact_record(fact, item.job.document, onto)


class KnowledgeGraph:
    """A knowledge graph in a store: build into it, query it, project and draw it.

    Parameters
    ----------
    store : a directory (created on build), ``"memory"``, or a SPARQL endpoint URL (see :mod:`kg.backends`).
    ontology : an ontology file, a loaded :class:`~kg.ontology.Ontology`, or None for the default.
    model : an installed spaCy pipeline name, or None for the default English one.
    patterns : a pattern file from ``kg learn`` (or a loaded PatternSet) to extract with, besides the built-in rules.
    relation_model : the relation classifier: a ``kg train`` model file, a loaded model, ``"packaged"`` (kg's own,
        the default) or None (rules only).
    min_confidence : facts scored below it (0 to 1) are not stored.
    create : make the store directory when there is none (implies ``writable``).
    writable : open to build into or remove from: a directory store is then locked against other writers.
    """

    def __init__(self, store: str | Path = DEFAULT_STORE, *, ontology: str | Path | Ontology | None = None,
                 model: str | None = None, create: bool = False, writable: bool = False,
                 patterns: str | Path | PatternSet | None = None,
                 relation_model: RelationModel | str | Path | None = PACKAGED, min_confidence: float = 0.0) -> None:
        self.ontology = ontology if isinstance(ontology, Ontology) else load_ontology(ontology)
        self.min_confidence = min_confidence
        self.learned = learned_patterns(patterns, self.ontology)
        self.relation_model = relation_model_from(relation_model)
        self.model = model
        self.store = KnowledgeStore(store, create=create, writable=writable)

    def close(self) -> None:
        """Release the store."""
        self.store.close()

    def __enter__(self) -> KnowledgeGraph:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def build(
        self, paths: Iterable[str | Path], *, progress: Callable[[Document], None] | None = None,
        on_error: Callable[[KGError], None] | None = None, max_bytes: int = DEFAULT_MAX_BYTES,
        duplicate_threshold: float | None = DEFAULT_THRESHOLD, doc_timeout: float | None = DEFAULT_DOC_TIMEOUT,
        on_warning: Callable[[KGError], None] | None = None, workers: int | None = 1, dask: str | None = None,
    ) -> BuildSummary:
        """Ingest articles: read, parse, extract and store each one (one transaction per document); the stages are
        :mod:`kg.pipeline`'s.

        ``workers`` processes parse and extract (None: one per core); this process resolves and writes, in input
        order, so the store holds the same whatever the number of workers. ``dask``: a Dask scheduler address (or
        ``"local"`` for a LocalCluster on this machine) to parse and extract on instead (:mod:`kg.cluster`).

        With ``on_error``, a bad input (an unreadable file or JSONL line, or an article that cannot be parsed and
        extracted within ``doc_timeout`` seconds per 1,000 words; None for no limit) is reported to it and skipped,
        and only it; without, the first one raises and every document stored before it stays stored whole.
        ``on_warning`` hears of what is left out of an article that is stored (a ``published`` value that is not a
        date). An article whose text is a copy of a stored one (estimated
        similarity at or over ``duplicate_threshold``; 1.0 for exact copies only, None to keep every copy) is
        stored as a pointer to it, without facts of its own (see :mod:`kg.dedup`).
        """
        self._require_writable("build")
        settings = ExtractSettings(self.ontology, self.model, self.learned, self.relation_model, self.min_confidence,
                                   doc_timeout)
        return pipeline.build(paths, self.store, settings, workers=workers or default_workers(), dask=dask,
                              progress=progress,
                              on_error=on_error, on_warning=on_warning, max_bytes=max_bytes,
                              duplicate_threshold=duplicate_threshold)

    def _require_writable(self, action: str) -> None:
        if not self.store.writable:
            raise StoreError(self.store.location, f"is open read-only; open it with KnowledgeGraph(..., writable=True) to {action}")

    def remove(self, reference: str) -> list[RemoveResult]:
        """Retract the stored documents ``reference`` names (graph IRI, article URL, file path, or a JSONL file
        for its articles without URLs), each in one transaction, with the entities no other document mentions.
        StoreError when it names none."""
        self._require_writable("remove")
        found = self.store.find_documents(reference)
        if not found:
            raise StoreError(self.store.location, f"holds no document {reference!r}; list them with: kg query "
                                                  "'SELECT ?doc ?title WHERE { ?doc a prov:Entity ; dcterms:title ?title }'")
        return [self.store.remove_document(doc_id) for doc_id in found]

    def query(self, sparql: str, *, where: str = "query") -> QueryResult:
        """Run SPARQL 1.1 over the store (kg's prefixes predeclared)."""
        return run_query(self.store, sparql, where=where)

    def facts(self) -> list[dict[str, object]]:
        """Every stored fact as a JSONL-contract dict, with its evidence."""
        return [_row_record(row) for row in fact_rows(self.store)]

    def to_networkx(self, *, focus: str | None = None, hops: int = 2, classes: Iterable[str] = (),
                    properties: Iterable[str] = (), min_degree: int = 0, query: str | None = None,
                    values_as_nodes: bool = False) -> nx.MultiDiGraph:
        """The graph of entities and facts, or the part of it the options pick (all must hold).

        Parameters
        ----------
        focus, hops : only what lies within ``hops`` facts of the entity named ``focus``.
        classes : only entities of these ontology classes (or their subclasses).
        properties : only facts of these properties (name or label) and the entities they join.
        min_degree : only entities with at least this many facts drawn.
        query : SPARQL, a CONSTRUCT or a SELECT of ?s ?p ?o, whose entity-to-entity facts are the ones drawn.
        values_as_nodes : the literal values (money, dates) of the entities picked become nodes of class ``Value``
            instead of staying in their entity's ``values``.
        """
        graph = to_networkx(self.store)
        classes = tuple(classes)
        for cls in classes:
            if cls not in self.ontology.classes:
                raise KGError(f"no class {cls!r} in the ontology; choose from {', '.join(sorted(self.ontology.classes))}")
        accept = (lambda c: any(self.ontology.is_a(c, wanted) for wanted in classes)) if classes else None
        triples = self._query_triples(query) if query is not None else None
        if accept or properties or triples is not None:
            graph = select(graph, classes=accept, properties=properties, triples=triples)
        if focus is not None:
            graph = neighbourhood(graph, _node(graph, focus, "in the drawn graph"), hops)
        if min_degree:
            graph = select(graph, min_degree=min_degree)
        return with_value_nodes(graph) if values_as_nodes else graph

    def _query_triples(self, sparql: str) -> list[tuple[str, str, str]]:
        result = self.query(sparql, where="--query")
        if result.kind == "CONSTRUCT":
            return [(str(s), str(p), str(o)) for s, p, o in result.graph]
        if result.kind == "SELECT" and {"s", "p", "o"} <= set(result.variables):
            i, j, k = (result.variables.index(v) for v in ("s", "p", "o"))
            return [(str(row[i]), str(row[j]), str(row[k])) for row in result.rows if None not in (row[i], row[j], row[k])]
        raise QueryError("--query", "must be a CONSTRUCT or a SELECT of ?s ?p ?o (the facts to draw)")

    def render_html(self, path: str | Path, *, focus: str | None = None, hops: int = 2, title: str | None = None,
                    classes: Iterable[str] = (), properties: Iterable[str] = (), min_degree: int = 0,
                    query: str | None = None, values_as_nodes: bool = False, size_by: str = "degree",
                    max_nodes: int = MAX_NODES) -> Path:
        """Write the interactive explorer page of the whole graph or the part the options pick (see
        :meth:`to_networkx`) and return its path.

        ``size_by`` is ``degree`` or ``pagerank``; above ``max_nodes`` entities only the most connected are drawn
        and the page says how many were left out.
        """
        if size_by not in SIZE_BY:
            raise KGError(f"cannot size nodes by {size_by!r}; choose from {', '.join(SIZE_BY)}")
        classes, properties = tuple(classes), tuple(properties)
        graph = self.to_networkx(focus=focus, hops=hops, classes=classes, properties=properties,
                                 min_degree=min_degree, query=query, values_as_nodes=values_as_nodes)
        parts = [f"within {hops} hops of {focus}" if focus else "", f"classes {', '.join(classes)}" if classes else "",
                 f"properties {', '.join(properties)}" if properties else "",
                 f"at least {min_degree} facts each" if min_degree else "", "the facts a query picked" if query else ""]
        return render_html(graph, path, title=title or "kg knowledge graph", note="; ".join(p for p in parts if p),
                           size_by=size_by, max_nodes=max_nodes)

    def server(self, config: ServerConfig | None = None) -> SparqlServer:
        """An HTTP server for this store (SPARQL 1.1 Protocol at /sparql, the explorer at /); call serve_forever().

        Raises KGError when the address cannot be bound.
        """
        from .server import ServerConfig, SparqlServer

        config = config or ServerConfig()
        try:
            return SparqlServer(self.store, config, lambda: render_html_string(self.to_networkx(), title="kg knowledge graph"))
        except OSError as exc:
            raise KGError(f"cannot listen on {config.host}:{config.port}: {exc.strerror or exc}") from exc

    def explain(self, name: str) -> list[Explanation]:
        """Every entity named ``name`` (label or alias): its aliases, the sentences that mention it, why names merged."""
        return explain(self.store, name)

    def stats(self, top: int = 10) -> dict[str, object]:
        """Counts by class and property and the most connected entities."""
        summary = graph_stats(to_networkx(self.store), top=top)
        summary["documents"] = self.store.count_documents()
        return summary

    def export(self, fmt: str, out: IO[bytes]) -> None:
        """Write the store as RDF (turtle, trig, nquads, jsonld, ntriples) or its graph of entities as graphml or
        gexf (for Gephi and Cytoscape)."""
        if fmt in NETWORK_FORMATS:
            write_network(self.to_networkx(), fmt, out)
        else:
            self.store.export(fmt, out)

    def paths(self, source: str, target: str, *, limit: int = 5) -> list[list[Step]]:
        """The shortest chains of facts between two entities named by label or alias, each fact with its evidence.

        Raises KGError when either name is unknown or no chain joins them.
        """
        graph = to_networkx(self.store)
        ends = [_node(graph, name, "in the store") for name in (source, target)]
        try:
            return fact_paths(graph, *ends, limit=limit)
        except nx.NetworkXNoPath:
            raise KGError(f"no chain of facts joins {source!r} and {target!r} in the store") from None


def _node(graph: nx.MultiDiGraph, name: str, where: str) -> str:
    """The node named ``name`` (label or alias); KGError saying how to list names when there is none."""
    node = find_node(graph, name)
    if node is None:
        raise KGError(f"no entity named {name!r} {where}; try kg query with rdfs:label to list names")
    return node


def build(paths: Iterable[str | Path], *, store: str | Path = "memory", ontology=None, model: str | None = None,
          patterns=None, **options) -> KnowledgeGraph:
    """Build a knowledge graph from articles and return it open (in memory unless ``store`` is a directory)."""
    graph = KnowledgeGraph(store, ontology=ontology, model=model, create=True, patterns=patterns)
    graph.build(paths, **options)
    return graph


def open_graph(store: str | Path = DEFAULT_STORE, **options) -> KnowledgeGraph:
    """Open an existing store for querying and drawing."""
    return KnowledgeGraph(store, **options)


def extract_sentence_facts(
    texts: Iterable[str], ontology: str | Path | Ontology | None = None, *, model: str | None = None,
    relation_model: RelationModel | str | Path | None = PACKAGED,
) -> Iterator[list[tuple[str, str, str]]]:
    """(subject label, property label, object) of each text's facts, one list per text, in order
    (``relation_model`` as for :func:`extract`).

    >>> next(extract_sentence_facts(['Robert Rodriguez directed "Alita: Battle Angel".']))
    [('Alita: Battle Angel', 'director', 'Robert Rodriguez')]
    """
    onto = ontology if isinstance(ontology, Ontology) else load_ontology(ontology)
    nlp = load_nlp(model)
    classifier = relation_model_from(relation_model)
    texts = list(texts)
    for n, parsed in enumerate(parse_texts(nlp, texts, batch_size=64)):
        document = Document(id=f"urn:kg:sentence:{n}", text=texts[n])
        yield [
            (f.subject.label, onto.properties[f.predicate].label, f.object.label if isinstance(f.object, Entity) else f.object.lexical)
            for f in extract_facts(document, parsed, onto, relation_model=classifier)
        ]
