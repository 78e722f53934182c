"""Text2KGBench ontology JSON in, the same RDF an OWL ontology file gives out.

A Text2KGBench ontology lists concepts (``{"qid", "label"}``) and relations (``{"pid", "label", "domain",
"range"}``). :func:`benchmark_graph` writes them as OWL in the namespace ``https://w3id.org/kgnews/benchmark/<id>#``:

- each concept becomes a class named by its label in CamelCase ("film genre" -> ``FilmGenre``), aligned with
  ``owl:equivalentClass`` to its Wikidata item (``wd:Q201658``) or DBpedia class (``dbo:Film``);
- the words of its label become context nouns ("the film X", "the city of X"), and a label whose head word
  spaCy's recogniser names (human, company, city, film ...) gets that entity label;
- each relation becomes a property with its domain and range, aligned to ``wdt:P57`` or ``dbo:director``;
  a range that is a datatype ("Date", "number", "string") or empty makes a datatype property when the label
  says what kind of value it holds ("publication date", "cost"), else the range is the open class ``Thing``.

>>> graph = benchmark_graph({"id": "demo", "concepts": [{"qid": "Q11424", "label": "film"}, {"qid": "Q5", "label": "human"}],
...                          "relations": [{"pid": "P57", "label": "director", "domain": "Q11424", "range": "Q5"}]}, "demo.json")
>>> from kg.ontology import ontology_from_graph
>>> onto = ontology_from_graph(graph, "demo.json")
>>> onto.properties["director"].domain, onto.properties["director"].range, onto.classes["Human"].ner_labels
('Film', 'Human', ('PERSON',))
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rdflib import OWL, RDF, RDFS, XSD, Graph, Literal, Namespace, URIRef

from .errors import OntologyError

__all__ = ["benchmark_graph", "parse_benchmark", "BenchmarkSpec", "BENCHMARK_BASE", "DATATYPE_RANGES"]

BENCHMARK_BASE = "https://w3id.org/kgnews/benchmark/"
_KG = Namespace("https://w3id.org/kgnews/ontology#")
_WD, _WDT = Namespace("http://www.wikidata.org/entity/"), Namespace("http://www.wikidata.org/prop/direct/")
_DBO = Namespace("http://dbpedia.org/ontology/")

# The head word of a class label -> the spaCy entity labels that name its instances.
_NER_BY_HEAD = {
    "human": "PERSON", "person": "PERSON", "people": "PERSON", "artist": "PERSON", "actor": "PERSON",
    "actress": "PERSON", "writer": "PERSON", "author": "PERSON", "musician": "PERSON", "politician": "PERSON",
    "athlete": "PERSON", "director": "PERSON", "organisation": "ORG", "organization": "ORG", "company": "ORG",
    "channel": "ORG", "station": "ORG", "broadcaster": "ORG", "club": "ORG", "band": "ORG", "publisher": "ORG",
    "studio": "ORG", "network": "ORG", "city": "GPE", "country": "GPE", "state": "GPE", "place": "GPE LOC FAC",
    "location": "GPE LOC FAC", "settlement": "GPE", "region": "GPE LOC", "film": "WORK_OF_ART",
    "movie": "WORK_OF_ART", "work": "WORK_OF_ART", "book": "WORK_OF_ART", "novel": "WORK_OF_ART",
    "album": "WORK_OF_ART", "song": "WORK_OF_ART", "series": "WORK_OF_ART", "language": "LANGUAGE",
    "event": "EVENT", "festival": "EVENT",
}
# Datatype ranges as the benchmarks write them -> XSD.
_XSD_RANGES = {"date": XSD.date, "year": XSD.gYear, "string": XSD.string, "number": XSD.decimal,
               "double": XSD.decimal, "float": XSD.decimal, "integer": XSD.integer, "nonnegativeinteger": XSD.integer}
DATATYPE_RANGES = frozenset(_XSD_RANGES)  # range names (lower-cased) that are datatypes, not concepts
# Words of a relation label that say its value is a literal, when the range is empty.
_DATE_WORDS = {"date", "year", "time"}
_NUMBER_WORDS = {"cost", "budget", "gross", "revenue", "runtime", "duration", "population", "number", "height", "area"}
_MONEY_WORDS = {"cost", "budget", "gross", "revenue"}
_NOT_NOUNS = {"on", "for", "by", "of", "in", "at", "to", "received", "from", "with"}


def _words(label: str) -> list[str]:
    """"musicComposer" -> ["music", "composer"]; "film genre" -> ["film", "genre"]."""
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", label)
    return [w.lower() for w in re.findall(r"[A-Za-z0-9]+", spaced)]


def _camel(label: str, upper: bool) -> str:
    words = _words(label) or ["x"]
    name = words[0] + "".join(w.capitalize() for w in words[1:])
    name = name[0].upper() + name[1:] if upper else name
    return name if name[0].isalpha() else "_" + name


def _aligned(ident: str, is_class: bool) -> URIRef | None:
    if re.fullmatch(r"[QP]\d+", ident):
        return (_WD if is_class else _WDT)[ident]
    return _DBO[ident] if re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", ident) else None


@dataclass(frozen=True)
class BenchmarkSpec:
    """A Text2KGBench ontology as its JSON gives it: concepts as (qid, label), relations as (pid, label, domain, range)."""

    id: str
    title: str
    concepts: tuple[tuple[str, str], ...]
    relations: tuple[tuple[str, str, str, str], ...]


def parse_benchmark(data: dict, source: str) -> BenchmarkSpec:
    """Check and read a Text2KGBench ontology; OntologyError names what is missing.

    Only labels are required: a concept without ``qid`` is known by its label, a relation without ``pid`` by its.
    """
    try:
        concepts = tuple((str(c.get("qid") or c["label"]), str(c["label"])) for c in data.get("concepts", []))
        relations = tuple((str(r.get("pid") or r["label"]), str(r["label"]), str(r.get("domain") or ""), str(r.get("range") or ""))
                          for r in data["relations"])
    except (KeyError, TypeError, AttributeError) as exc:
        raise OntologyError(source, f"not a Text2KGBench ontology: missing {exc}") from exc
    if not relations:
        raise OntologyError(source, "the ontology defines no relations")
    return BenchmarkSpec(str(data.get("id") or ""), str(data.get("title") or ""), concepts, relations)


def benchmark_graph(data: dict, source: str) -> Graph:
    """The OWL graph of a Text2KGBench ontology; OntologyError names what is missing."""
    spec = parse_benchmark(data, source)
    ident = re.sub(r"[^A-Za-z0-9_-]+", "-", spec.id or "ontology")
    ns = Namespace(f"{BENCHMARK_BASE}{ident}#")
    graph = Graph()
    graph.bind("kg", _KG)
    graph.bind("bench", ns)
    onto = URIRef(str(ns).rstrip("#"))
    graph.add((onto, RDF.type, OWL.Ontology))
    graph.add((onto, RDFS.label, Literal(spec.title or ident, lang="en")))
    class_of = {qid: _add_class(graph, ns, qid, label) for qid, label in spec.concepts}
    for pid, label, domain, range_ in spec.relations:
        _add_property(graph, ns, class_of, pid, label, domain, range_)
    return graph


def _add_class(graph: Graph, ns: Namespace, qid: str, label: str) -> URIRef:
    iri = ns[_camel(label, upper=True)]
    graph.add((iri, RDF.type, OWL.Class))
    graph.add((iri, RDFS.label, Literal(label, lang="en")))
    aligned = _aligned(qid, is_class=True)
    if aligned is not None:
        graph.add((iri, OWL.equivalentClass, aligned))
    words = _words(label)
    graph.add((iri, _KG.contextNoun, Literal(" ".join(words))))
    for ner in _NER_BY_HEAD.get(words[-1], "").split() if words else ():
        graph.add((iri, _KG.nerLabel, Literal(ner)))
    return iri


def _add_property(graph: Graph, ns: Namespace, class_of: dict[str, URIRef], pid: str, label: str,
                  domain: str, range_: str) -> None:
    words = _words(label)
    iri = ns[_camel(label, upper=False)]
    xsd = None if range_ in class_of else _XSD_RANGES.get(range_.lower())
    if xsd is None and not range_:
        xsd = XSD.date if _DATE_WORDS & set(words) else XSD.decimal if _NUMBER_WORDS & set(words) else None
    if xsd is not None:
        graph.add((iri, RDF.type, OWL.DatatypeProperty))
        kind = "date" if xsd in (XSD.date, XSD.gYear) else "money" if _MONEY_WORDS & set(words) else "number"
        if xsd != XSD.string:
            graph.add((iri, _KG.valueKind, Literal(kind)))
        range_iri = xsd
    else:
        graph.add((iri, RDF.type, OWL.ObjectProperty))
        range_iri = _class_for(graph, ns, class_of, range_)
    graph.add((iri, RDFS.label, Literal(" ".join(words), lang="en")))
    graph.add((iri, RDFS.domain, _class_for(graph, ns, class_of, domain)))
    graph.add((iri, RDFS.range, range_iri))
    aligned = _aligned(pid, is_class=False)
    if aligned is not None:
        graph.add((iri, OWL.equivalentProperty, aligned))
    if len(words) <= 2 and words[-1] not in _NOT_NOUNS:
        graph.add((iri, _KG.nounCue, Literal(" ".join(words))))


def _class_for(graph: Graph, ns: Namespace, class_of: dict[str, URIRef], ident: str) -> URIRef:
    """The class a relation names as domain or range: a concept, one the concepts forgot, or ``Thing``."""
    if ident not in class_of:
        class_of[ident] = _add_class(graph, ns, ident, ident) if ident else _thing(graph, ns)
    return class_of[ident]


def _thing(graph: Graph, ns: Namespace) -> URIRef:
    iri = ns["Thing"]
    graph.add((iri, RDF.type, OWL.Class))
    graph.add((iri, RDFS.label, Literal("thing", lang="en")))
    return iri
