"""Load an ontology and answer the questions extraction asks of it.

In: an OWL/RDFS Turtle file (the default is ``ontology/kg.ttl``). Out: an :class:`Ontology` with classes,
properties, their domains and ranges, and the lexical cues that express each property in text.

>>> onto = load_ontology()
>>> onto.properties["director"].domain, onto.properties["director"].range
('CreativeWork', 'Person')
>>> onto.is_a("Film", "CreativeWork")
True
"""

from __future__ import annotations

import re

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from rdflib import OWL, RDF, RDFS, SKOS, XSD, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection

from .documents import read_json_object
from .errors import OntologyError
from .ontology_json import benchmark_graph

__all__ = ["OntClass", "OntProperty", "Ontology", "load_ontology", "ontology_from_graph", "local_name", "DEFAULT_ONTOLOGY", "KG_NS"]

KG_NS = Namespace("https://w3id.org/kgnews/ontology#")
DEFAULT_ONTOLOGY = Path(__file__).resolve().parent.parent / "ontology" / "kg.ttl"
_PACKAGED_ONTOLOGY = Path(__file__).resolve().parent / "data" / "kg.ttl"
_SKIP_CLASSES = {"Statement", "Resolution"}
_WIKIDATA_PROPERTY = "http://www.wikidata.org/prop/direct/"  # provenance, not things articles speak of


@dataclass(frozen=True)
class OntClass:
    """An ontology class with the cues that map text to it."""

    name: str
    iri: str
    label: str
    parents: tuple[str, ...] = ()
    ner_labels: tuple[str, ...] = ()
    context_nouns: tuple[str, ...] = ()
    context_verbs: tuple[str, ...] = ()
    union_of: tuple[str, ...] = ()  # owl:unionOf members: "Nominee" is a person, an organization or a work


@dataclass(frozen=True)
class OntProperty:
    """An ontology property with its domain, range and lexical cues."""

    name: str
    iri: str
    label: str
    domain: str
    range: str  # a class name, or an XSD local name for datatype properties
    is_datatype: bool = False
    alt_labels: tuple[str, ...] = ()
    value_kind: str | None = None  # "money" | "date" | "number"
    verb_cues: tuple[str, ...] = ()
    noun_cues: tuple[str, ...] = ()
    modifier_cue: bool = False
    cue_holder: str | None = None  # "subject" | "object": the side a noun cue names when types cannot tell
    equivalents: tuple[str, ...] = ()


@dataclass
class Ontology:
    """Classes and properties by local name, plus the RDF graph they were read from."""

    namespace: str
    classes: dict[str, OntClass]
    properties: dict[str, OntProperty]
    graph: Graph = field(repr=False)
    source: str = ""

    def is_a(self, cls: str, ancestor: str) -> bool:
        """True when ``cls`` is ``ancestor`` or one of its subclasses, or of a member of ``ancestor``'s union."""
        above = self.ancestors(cls)
        if ancestor in above:
            return True
        union = self.classes[ancestor].union_of if ancestor in self.classes else ()
        return any(member in above for member in union)

    def ancestors(self, cls: str) -> set[str]:
        """``cls`` and every class above it."""
        seen: set[str] = set()
        todo = [cls]
        while todo:
            name = todo.pop()
            if name in seen:
                continue
            seen.add(name)
            if name in self.classes:
                todo.extend(self.classes[name].parents)
        return seen

    @cached_property
    def ner_classes(self) -> dict[str, str]:
        """spaCy entity label -> class name."""
        return {ner: c.name for c in self.classes.values() for ner in c.ner_labels}

    @cached_property
    def context_classes(self) -> dict[str, str]:
        """Context noun ("film", "franchise") -> class name."""
        return {noun: c.name for c in self.classes.values() for noun in c.context_nouns}

    @cached_property
    def context_verb_classes(self) -> dict[str, str]:
        """Verb lemma ("play") -> the class of its bare-name object ("Character")."""
        return {verb: c.name for c in self.classes.values() for verb in c.context_verbs}

    def kind(self, cls: str) -> str:
        """The coarse kind that keeps different things apart in IRIs: Film -> "creativework", Person -> "person".

        It is the highest ancestor that spaCy labels map to, or the root class when none does.
        """
        known = self._kinds.get(cls)
        return known if known is not None else self._kind(cls)

    @cached_property
    def _kinds(self) -> dict[str, str]:
        return {name: self._kind(name) for name in self.classes}

    def _kind(self, cls: str) -> str:
        chain = [cls]
        while chain[-1] in self.classes and self.classes[chain[-1]].parents:
            parent = self.classes[chain[-1]].parents[0]
            if parent in chain:  # a subclass cycle in a user's ontology: the walk stops where it closes
                break
            chain.append(parent)
        labelled = [c for c in chain if c in self.classes and self.classes[c].ner_labels]
        return (labelled[-1] if labelled else chain[-1]).lower()

    @cached_property
    def verb_index(self) -> dict[str, tuple[OntProperty, ...]]:
        """Verb lemma -> the properties it may express."""
        return _index(self.properties.values(), lambda p: p.verb_cues)

    @cached_property
    def verb_form_index(self) -> dict[str, tuple[OntProperty, ...]]:
        """Inflected verb form ("premiered", "stars", "starring") -> the properties its cue may express: for verbs
        the lemmatiser gets wrong ("premiered" -> "premier")."""
        return _index(self.properties.values(), lambda p: [f for cue in p.verb_cues for f in _inflections(cue)])

    @cached_property
    def noun_index(self) -> dict[str, tuple[OntProperty, ...]]:
        """Noun cue (lower-case, may be two words) -> the properties it may express."""
        return _index(self.properties.values(), lambda p: p.noun_cues)

    @cached_property
    def entity_noun_index(self) -> dict[str, tuple[OntProperty, ...]]:
        """:attr:`noun_index` for the properties between entities ("director" -> director)."""
        return {cue: props for cue, props in ((c, tuple(p for p in ps if not p.is_datatype))
                                              for c, ps in self.noun_index.items()) if props}

    @cached_property
    def value_noun_index(self) -> dict[str, tuple[OntProperty, ...]]:
        """:attr:`noun_index` for the properties whose object is a value ("budget" -> budget)."""
        return {cue: props for cue, props in ((c, tuple(p for p in ps if p.is_datatype))
                                              for c, ps in self.noun_index.items()) if props}

    @cached_property
    def wikidata_ids(self) -> dict[str, str]:
        """Property local name -> the Wikidata property id its ``owl:equivalentProperty`` names ("director" -> "P57")."""
        return {p.name: e[len(_WIKIDATA_PROPERTY):] for p in self.properties.values() for e in p.equivalents
                if e.startswith(_WIKIDATA_PROPERTY)}

    @cached_property
    def modifier_properties(self) -> tuple[OntProperty, ...]:
        """Properties expressed by a possessive or a modifier of a work ("2019's Alita")."""
        return tuple(p for p in self.properties.values() if p.modifier_cue)

    def iri(self, name: str) -> URIRef:
        """The IRI of a class or property given its local name."""
        item = self.classes.get(name) or self.properties.get(name)
        if item is None:
            raise KeyError(name)
        return URIRef(item.iri)


def _index(props, cues_of) -> dict[str, tuple[OntProperty, ...]]:
    index: dict[str, list[OntProperty]] = {}
    for prop in props:
        for cue in cues_of(prop):
            index.setdefault(cue.lower(), []).append(prop)
    return {cue: tuple(ps) for cue, ps in index.items()}


def _inflections(verb: str) -> set[str]:
    """Regular English forms of a one-word verb cue: "premiere" -> premieres, premiered, premiering; "star" ->
    stars, starred, starring (never "stared"); "direct" -> directs, directed, directing.

    >>> sorted(_inflections("star")), sorted(_inflections("premiere"))
    (['starred', 'starring', 'stars'], ['premiered', 'premieres', 'premiering'])
    """
    if not verb.isalpha() or len(verb) < 3:
        return set()
    vowels = "aeiou"
    third = verb + "es" if verb.endswith(("s", "sh", "ch", "x", "z", "o")) else verb + "s"
    if verb.endswith("e"):
        return {third, verb + "d", (verb if verb.endswith("ee") else verb[:-1]) + "ing"}
    if verb.endswith("y") and verb[-2] not in vowels:
        return {verb[:-1] + "ies", verb[:-1] + "ied", verb + "ing"}
    stems = {verb}
    if verb[-1] in "bdgklmnprt" and verb[-2] in vowels and verb[-3] not in vowels:
        doubled = verb + verb[-1]
        one_syllable = len(re.findall(f"[{vowels}]+", verb)) == 1
        stems = {doubled} if one_syllable else {verb, doubled}  # "star" -> starred; "edit" -> edited (or editted)
    return {third} | {stem + "ed" for stem in stems} | {stem + "ing" for stem in stems}


def _union_members(graph: Graph, cls: URIRef) -> tuple[str, ...]:
    """The named classes of ``cls``'s ``owl:unionOf`` list (empty when it has none)."""
    head = graph.value(cls, OWL.unionOf)
    if head is None:
        return ()
    return tuple(local_name(m) for m in Collection(graph, head) if isinstance(m, URIRef))


def local_name(iri: URIRef | str) -> str:
    """The local part of an IRI: what follows "#", else the last path segment."""
    text = str(iri)
    return text.rsplit("#", 1)[-1] if "#" in text else text.rstrip("/").rsplit("/", 1)[-1]


def _strings(graph: Graph, subject: URIRef, predicate: URIRef) -> tuple[str, ...]:
    return tuple(sorted(str(o) for o in graph.objects(subject, predicate) if isinstance(o, Literal)))


def _label(graph: Graph, subject: URIRef) -> str:
    labels = [o for o in graph.objects(subject, RDFS.label) if isinstance(o, Literal)]
    english = [str(o) for o in labels if o.language in (None, "en")]
    return (english or [str(o) for o in labels] or [local_name(subject)])[0]


def default_ontology_path() -> Path:
    """The default ontology: the checkout's ``ontology/kg.ttl``, else the copy installed with the package."""
    return DEFAULT_ONTOLOGY if DEFAULT_ONTOLOGY.exists() else _PACKAGED_ONTOLOGY


def load_ontology(path: str | Path | None = None) -> Ontology:
    """Read an OWL/RDFS ontology in Turtle, or a Text2KGBench ontology JSON (a ``.json`` file).

    Parameters
    ----------
    path : the ontology file; the default ontology when omitted.

    Raises
    ------
    OntologyError
        When the file is missing, is not valid Turtle or JSON, or defines no property with a domain and a range.
    """
    path = Path(path) if path else default_ontology_path()
    if not path.is_file():
        raise OntologyError(str(path), "no such ontology file")
    if path.suffix.lower() == ".json":
        return ontology_from_graph(benchmark_graph(read_json_object(path, OntologyError), str(path)), str(path))
    graph = Graph()
    try:
        graph.parse(path, format="turtle")
    except Exception as exc:  # rdflib raises several parser-specific types; all mean the same to a user
        detail = " ".join(str(exc).split())[:300]
        raise OntologyError(str(path), f"not valid Turtle: {detail}") from exc
    return ontology_from_graph(graph, str(path))


def ontology_from_graph(graph: Graph, source: str) -> Ontology:
    """The :class:`Ontology` an OWL/RDFS graph defines (``source`` names it in errors)."""
    classes: dict[str, OntClass] = {}
    for iri in sorted(set(graph.subjects(RDF.type, OWL.Class)) | set(graph.subjects(RDF.type, RDFS.Class))):
        if not isinstance(iri, URIRef) or local_name(iri) in _SKIP_CLASSES:
            continue
        name = local_name(iri)
        classes[name] = OntClass(
            name=name,
            iri=str(iri),
            label=_label(graph, iri),
            parents=tuple(sorted(local_name(p) for p in graph.objects(iri, RDFS.subClassOf) if isinstance(p, URIRef))),
            ner_labels=_strings(graph, iri, KG_NS.nerLabel),
            context_nouns=tuple(n.lower() for n in _strings(graph, iri, KG_NS.contextNoun)),
            context_verbs=tuple(v.lower() for v in _strings(graph, iri, KG_NS.contextVerb)),
            union_of=_union_members(graph, iri),
        )
    properties: dict[str, OntProperty] = {}
    kinds = {OWL.ObjectProperty: False, OWL.DatatypeProperty: True, RDF.Property: False}
    for kind, is_datatype in kinds.items():
        for iri in sorted(graph.subjects(RDF.type, kind)):
            domain = graph.value(iri, RDFS.domain)
            range_ = graph.value(iri, RDFS.range)
            name = local_name(iri)
            if domain is None or range_ is None or name in properties or local_name(domain) in _SKIP_CLASSES:
                continue
            range_is_xsd = str(range_).startswith(str(XSD))
            properties[name] = OntProperty(
                name=name,
                iri=str(iri),
                label=_label(graph, iri),
                domain=local_name(domain),
                range=local_name(range_),
                is_datatype=is_datatype or range_is_xsd,
                alt_labels=_strings(graph, iri, SKOS.altLabel),
                value_kind=(graph.value(iri, KG_NS.valueKind) or None) and str(graph.value(iri, KG_NS.valueKind)),
                verb_cues=tuple(c.lower() for c in _strings(graph, iri, KG_NS.verbCue)),
                noun_cues=tuple(c.lower() for c in _strings(graph, iri, KG_NS.nounCue)),
                modifier_cue=bool(graph.value(iri, KG_NS.modifierCue)),
                cue_holder=(graph.value(iri, KG_NS.cueHolder) or None) and str(graph.value(iri, KG_NS.cueHolder)),
                equivalents=tuple(sorted(str(e) for e in graph.objects(iri, OWL.equivalentProperty))),
            )
    if not properties:
        raise OntologyError(source, "defines no property with both rdfs:domain and rdfs:range")
    for prop in properties.values():
        for side in (prop.domain, prop.range if not prop.is_datatype else prop.domain):
            if side not in classes:
                raise OntologyError(source, f"property {prop.name} uses class {side}, which the ontology does not define")
    onto_iri = next(iter(graph.subjects(RDF.type, OWL.Ontology)), None)
    namespace = str(KG_NS) if (onto_iri is None or str(KG_NS).startswith(str(onto_iri))) else str(onto_iri) + "#"
    return Ontology(namespace=namespace, classes=classes, properties=properties, graph=graph, source=source)
