"""The store as a networkx graph, and the analytics that read it.

In: a :class:`~kg.store.KnowledgeStore`. Out: a ``networkx.MultiDiGraph`` whose nodes are entities (``label``,
``cls``, ``aliases``, literal ``values`` such as box office) and whose edges are facts between entities
(``key`` = property name, ``label``, ``evidence`` = the supporting sentences with their articles).

>>> from kg.store import KnowledgeStore
>>> with KnowledgeStore("memory") as store:
...     graph = to_networkx(store)
>>> graph.number_of_nodes()
0
"""

from __future__ import annotations

import unicodedata

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import networkx as nx
from rdflib import RDF, XSD

from .analyze import betweenness, communities
from .ontology import local_name
from .store import KnowledgeStore

__all__ = ["FactRow", "fact_rows", "to_networkx", "find_node", "neighbourhood", "select", "with_value_nodes",
           "most_connected", "graph_stats", "VALUE_CLASS"]

_PLAIN = {"", str(XSD.string), str(RDF.langString)}  # a literal without a datatype of its own
VALUE_CLASS = "Value"  # the class of literal values drawn as nodes (with_value_nodes)

_FACTS_QUERY = """
SELECT ?s ?sLabel ?sType ?p ?pLabel ?o ?oLabel ?oType ?g ?title ?source ?sentence ?start ?end ?rule ?confidence ?currency
       ?issued ?url (isLiteral(?o) AS ?literal) (IF(isLiteral(?o), DATATYPE(?o), "") AS ?datatype)
WHERE {
  GRAPH ?g {
    ?st a kg:Statement ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ;
        kg:sentence ?sentence ; kg:charStart ?start ; kg:charEnd ?end ; kg:rule ?rule ; kg:confidence ?confidence .
    OPTIONAL { ?st kg:currency ?currency }
    ?s rdfs:label ?sLabel ; a ?sType .
    OPTIONAL { ?o rdfs:label ?oLabel ; a ?oType }
    OPTIONAL { ?g dcterms:title ?title }
    OPTIONAL { ?g prov:wasDerivedFrom ?source }
    OPTIONAL { ?g dcterms:issued ?issued }
    OPTIONAL { ?g schema:url ?url }
  }
  OPTIONAL { GRAPH ?og { ?p rdfs:label ?pLabel } }
}
ORDER BY ?g ?start ?s ?p ?o
"""


@dataclass(frozen=True)
class FactRow:
    """One stored fact with its evidence, as read back from the store."""

    subject: str
    subject_label: str
    subject_type: str
    predicate: str
    predicate_label: str
    object: str  # an IRI, or the lexical form of a literal
    object_label: str
    object_type: str | None  # class local name for entities; None for literals
    object_datatype: str | None  # XSD datatype IRI for literals
    unit: str | None
    doc: str
    title: str
    source: str
    published: str  # the article's date (ISO 8601), or ""
    url: str  # the article's web address, or ""
    sentence: str
    char_start: int
    char_end: int
    rule: str
    confidence: float


def fact_rows(store: KnowledgeStore) -> list[FactRow]:
    """Every stored fact with its evidence, ordered by document and position.

    Read as plain values (Oxigraph's own evaluation on a local store), which halves the time of going through
    rdflib's terms: 36,000 facts in about 5 s.
    """
    rows = []
    for (s, s_label, s_type, p, p_label, o, o_label, o_type, g, title, source, sentence, start, end, rule, confidence,
         currency, issued, url, literal, datatype) in store.select_values(_FACTS_QUERY):
        is_literal = literal == "true"
        rows.append(FactRow(
            subject=s, subject_label=s_label, subject_type=local_name(s_type),
            predicate=p, predicate_label=p_label or local_name(p),
            object=o, object_label=o_label or o,
            object_type=None if is_literal else local_name(o_type or "") or None,
            object_datatype=datatype if is_literal and datatype not in _PLAIN else None,
            unit=currency or None, doc=g, title=title or "", source=source or "", published=issued or "",
            url=url or "", sentence=sentence, char_start=int(start), char_end=int(end), rule=rule,
            confidence=float(confidence),
        ))
    return rows


def to_networkx(store: KnowledgeStore, rows: list[FactRow] | None = None) -> nx.MultiDiGraph:
    """Project the store onto a MultiDiGraph: entities as nodes, entity-to-entity facts as edges.

    Literal facts (money, dates) become the ``values`` list of their subject node, not nodes of their own.
    """
    graph = nx.MultiDiGraph()
    aliases: dict[str, set[str]] = {}
    for entity, alias in store.select_values("SELECT ?e ?alt WHERE { ?e skos:altLabel ?alt }"):
        aliases.setdefault(entity, set()).add(alias)
    for row in rows if rows is not None else fact_rows(store):
        _add_node(graph, row.subject, row.subject_label, row.subject_type, aliases)
        evidence = {"sentence": row.sentence, "title": row.title, "source": row.source, "doc": row.doc,
                    "date": row.published, "url": row.url, "confidence": row.confidence, "rule": row.rule}
        if row.object_type is None:
            value = f"{row.object} {row.unit}" if row.unit else row.object
            graph.nodes[row.subject]["values"].append({"property": row.predicate_label, "key": local_name(row.predicate),
                                                       "value": value, **evidence})
            continue
        _add_node(graph, row.object, row.object_label, row.object_type, aliases)
        key = local_name(row.predicate)
        if graph.has_edge(row.subject, row.object, key):
            graph.edges[row.subject, row.object, key]["evidence"].append(evidence)
        else:
            graph.add_edge(row.subject, row.object, key=key, label=row.predicate_label, evidence=[evidence])
    return graph


def _add_node(graph: nx.MultiDiGraph, iri: str, label: str, cls: str, aliases: dict[str, set[str]]) -> None:
    if iri not in graph:
        graph.add_node(iri, label=label, cls=cls, aliases=sorted(aliases.get(iri, ())), values=[])


def fold(name: str) -> str:
    """A name as searches compare it: case and accents do not count, nor runs of spaces.

    >>> fold("  Renée   LEFÈVRE "), fold("Rene\u0301e Lefevre")
    ('renee lefevre', 'renee lefevre')
    """
    decomposed = unicodedata.normalize("NFKD", name)
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).casefold().split())


def find_node(graph: nx.MultiDiGraph, name: str) -> str | None:
    """The node whose label (or, failing that, an alias) is ``name``, ignoring case and accents; the best connected
    wins."""
    wanted = fold(name)
    for field_name in ("label", "aliases"):
        hits = [n for n, d in graph.nodes(data=True)
                if (fold(d[field_name]) == wanted if field_name == "label" else wanted in {fold(a) for a in d[field_name]})]
        if hits:
            return max(hits, key=lambda n: (graph.degree(n), n))
    return None


def neighbourhood(graph: nx.MultiDiGraph, node: str, hops: int = 2) -> nx.MultiDiGraph:
    """The subgraph within ``hops`` facts of ``node``, following edges in either direction."""
    near = nx.single_source_shortest_path_length(graph.to_undirected(as_view=True), node, cutoff=hops)
    return graph.subgraph(near).copy()


def select(graph: nx.MultiDiGraph, *, classes: Callable[[str], bool] | None = None, properties: Iterable[str] = (),
           min_degree: int = 0, triples: Iterable[tuple[str, str, str]] | None = None) -> nx.MultiDiGraph:
    """The part of the graph a user asked to draw; every filter given must hold.

    Parameters
    ----------
    classes : keep the entities whose class it accepts.
    properties : keep only facts of these properties (local name or label, any case) and the entities they join.
    min_degree : then keep the entities with at least this many facts left.
    triples : keep only these (subject IRI, property IRI, object IRI) facts, e.g. from a SPARQL query.
    """
    keep = graph.copy()
    if classes is not None:
        keep.remove_nodes_from([n for n, d in graph.nodes(data=True) if not classes(d["cls"])])
    wanted = {p.casefold() for p in properties}
    chosen = {(s, local_name(p), o) for s, p, o in triples} if triples is not None else None
    if wanted or chosen is not None:
        drop = [(a, b, k) for a, b, k, d in keep.edges(keys=True, data=True)
                if (wanted and k.casefold() not in wanted and d["label"].casefold() not in wanted)
                or (chosen is not None and (a, k, b) not in chosen)]
        keep.remove_edges_from(drop)
        keep.remove_nodes_from([n for n in list(keep) if keep.degree(n) == 0])
    if min_degree:
        keep.remove_nodes_from([n for n, degree in dict(keep.degree()).items() if degree < min_degree])
    return keep


def with_value_nodes(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy of the graph in which every literal value (money, a date, a number) is a node of class ``Value``.

    Equal values are one node, as they are one RDF term: two films that grossed "404000000 USD" share it.

    >>> g = nx.MultiDiGraph()
    >>> ev = {"sentence": "It grossed $404 million.", "title": "", "source": "a.txt"}
    >>> value = {"property": "box office", "key": "boxOffice", "value": "404000000 USD", **ev}
    >>> g.add_node("urn:f", label="F", cls="Film", aliases=[], values=[value])
    >>> drawn = with_value_nodes(g)
    >>> sorted(d["label"] for _, d in drawn.nodes(data=True)), list(drawn.edges(keys=True))
    (['404000000 USD', 'F'], [('urn:f', 'value:404000000 USD', 'boxOffice')])
    """
    drawn = graph.copy()
    for node, data in graph.nodes(data=True):
        drawn.nodes[node]["values"] = []
        for value in data["values"]:
            value_node = "value:" + value["value"]
            if value_node not in drawn:
                drawn.add_node(value_node, label=value["value"], cls=VALUE_CLASS, aliases=[], values=[])
            evidence = {k: v for k, v in value.items() if k not in {"property", "key", "value"}}
            key = value.get("key", value["property"])
            if drawn.has_edge(node, value_node, key):
                drawn.edges[node, value_node, key]["evidence"].append(evidence)
            else:
                drawn.add_edge(node, value_node, key=key, label=value["property"], evidence=[evidence])
    return drawn


@dataclass(frozen=True)
class Trimmed:
    """What :func:`most_connected` left out of a graph too large to draw."""

    nodes: int
    edges: int

    def note(self, kept: int) -> str:
        """The sentence the page shows, e.g. "the 10,000 most connected of 12,500 entities are drawn; ..."."""
        return (f"the {kept:,} most connected of {kept + self.nodes:,} entities are drawn; {self.nodes:,} entities and "
                f"{self.edges:,} relations are left out (narrow the graph with --focus, --class, --property or "
                f"--min-degree, or raise --max-nodes)")


def most_connected(graph: nx.MultiDiGraph, limit: int) -> tuple[nx.MultiDiGraph, Trimmed | None]:
    """The ``limit`` entities with the most facts and the facts among them; ``None`` when nothing is left out.

    Ties go to the entity with more literal values, then to the smaller IRI, so the cut is the same every time.

    >>> g = nx.MultiDiGraph([("a", "b"), ("a", "c"), ("d", "e")])
    >>> kept, trimmed = most_connected(g, 3)
    >>> sorted(kept), trimmed
    (['a', 'b', 'c'], Trimmed(nodes=2, edges=1))
    """
    if graph.number_of_nodes() <= limit:
        return graph, None
    degree = dict(graph.degree())
    ranked = sorted(graph.nodes, key=lambda n: (-degree[n], -len(graph.nodes[n].get("values", ())), n))
    kept = graph.subgraph(ranked[:limit]).copy()
    return kept, Trimmed(nodes=graph.number_of_nodes() - limit, edges=graph.number_of_edges() - kept.number_of_edges())


def graph_stats(graph: nx.MultiDiGraph, top: int = 10) -> dict[str, object]:
    """Counts by class and property, the most connected entities (degree, PageRank, betweenness) and the largest
    communities (:mod:`kg.analyze`)."""
    classes = Counter(d["cls"] for _, d in graph.nodes(data=True))
    properties = Counter(d["label"] for _, _, d in graph.edges(data=True))
    for _, d in graph.nodes(data=True):
        properties.update(v["property"] for v in d["values"])
    simple = nx.DiGraph(graph)
    pagerank = nx.pagerank(simple) if simple.number_of_nodes() else {}
    degree = dict(graph.degree())
    between = betweenness(graph) if graph.number_of_nodes() else {}
    most = sorted(graph.nodes, key=lambda n: (-degree[n], -pagerank.get(n, 0), graph.nodes[n]["label"]))[:top]
    return {
        "entities": graph.number_of_nodes(),
        "relations": graph.number_of_edges(),
        "values": sum(len(d["values"]) for _, d in graph.nodes(data=True)),
        "classes": dict(classes.most_common()),
        "properties": dict(properties.most_common()),
        "most_connected": [
            {"label": graph.nodes[n]["label"], "class": graph.nodes[n]["cls"], "degree": degree[n],
             "pagerank": round(pagerank.get(n, 0.0), 4), "betweenness": round(between.get(n, 0.0), 4)}
            for n in most
        ],
        "communities": communities(graph),
    }
