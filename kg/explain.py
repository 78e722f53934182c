"""Why the store holds an entity as it does: its names, the sentences that mention it, the names merged into it.

In: a store and a name. Out: one :class:`Explanation` per stored entity of that label or alias (``kg explain``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rdflib import Literal, URIRef

from .ontology import local_name

if TYPE_CHECKING:
    from .store import KnowledgeStore

__all__ = ["Explanation", "Sighting", "explain"]



@dataclass(frozen=True)
class Sighting:
    """A sentence of an article that states facts about the entity; ``facts``: each as "subject –property→ object
    (rule, confidence)", the rule or model that found it and its score."""

    source: str
    title: str
    sentence: str
    facts: tuple[str, ...] = ()


@dataclass(frozen=True)
class Explanation:
    """What the store knows of one entity: its names, where it is mentioned and why names were merged."""

    iri: str
    label: str
    classes: tuple[str, ...]
    aliases: tuple[str, ...]
    mentions: tuple[Sighting, ...]
    merges: tuple[tuple[str, str], ...]  # (source, reason)

    def lines(self) -> list[str]:
        """The explanation as ``kg explain`` prints it."""
        out = [f"{self.label} ({', '.join(self.classes)})  <{self.iri}>",
               "  aliases: " + (", ".join(self.aliases) or "none")]
        sources = sorted({m.source for m in self.mentions})
        out.append(f"  mentioned in {len(sources)} article{'s' if len(sources) != 1 else ''}:")
        for mention in self.mentions:
            out.append(f"    {mention.source}: {mention.sentence}")
            out += [f"      {fact}" for fact in mention.facts]
        out.append("  merged names:" if self.merges else "  merged names: none")
        for source, reason in self.merges:
            out.append(f"    {source}: {reason}")
        return out


def explain(store: KnowledgeStore, name: str) -> list[Explanation]:
    """Every stored entity whose label or alias is ``name`` (ignoring case), explained.

    "Alita" may answer with two entities, the film and the character: they are kept apart.
    """
    wanted = Literal(name.strip().casefold()).n3()
    rows = store.query("SELECT DISTINCT ?e WHERE { ?e rdfs:label|skos:altLabel ?l ; rdfs:label ?any "
                       f"FILTER(LCASE(STR(?l)) = {wanted}) }} ORDER BY ?e")
    return [_explain_one(store, row["e"]) for row in rows]


def _explain_one(store: KnowledgeStore, iri: URIRef) -> Explanation:
    e = iri.n3()
    labels = sorted({str(r["l"]) for r in store.query(f"SELECT ?l WHERE {{ {e} rdfs:label ?l }}")}, key=lambda n: (-len(n), n))
    classes = tuple(sorted({local_name(str(r["t"])) for r in store.query(f"SELECT ?t WHERE {{ {e} a ?t }}")}))
    aliases = {str(r["a"]) for r in store.query(f"SELECT ?a WHERE {{ {e} skos:altLabel ?a }}")} | set(labels[1:])
    sightings: dict[tuple[str, str, str, int], list[str]] = {}
    for r in store.query(
            "SELECT ?g ?source ?title ?sentence ?start ?sl ?p ?o ?ol ?rule ?confidence WHERE { GRAPH ?g { "
            "?st a kg:Statement ; kg:sentence ?sentence ; kg:charStart ?start ; rdf:subject ?s ; rdf:predicate ?p ; "
            f"rdf:object ?o ; kg:rule ?rule ; kg:confidence ?confidence FILTER(?s = {e} || ?o = {e}) "
            "OPTIONAL { ?g prov:wasDerivedFrom ?source } OPTIONAL { ?g dcterms:title ?title } } "
            "OPTIONAL { ?s rdfs:label ?sl } OPTIONAL { ?o rdfs:label ?ol } } "
            "ORDER BY ?source ?start ?p ?o"):
        key = (str(r["source"] or r["g"]), str(r["title"] or ""), str(r["sentence"]), int(r["start"]))
        subject = str(r["sl"]) if r["sl"] is not None else labels[0] if labels else ""
        obj = str(r["ol"]) if r["ol"] is not None else str(r["o"])
        fact = f"{subject} –{local_name(str(r['p']))}→ {obj}  ({r['rule']}, {float(r['confidence']):g})"
        facts = sightings.setdefault(key, [])
        if fact not in facts:
            facts.append(fact)
    mentions = tuple(Sighting(source, title, sentence, tuple(facts))
                     for (source, title, sentence, _), facts in sightings.items())
    merges = tuple(
        (str(r["source"] or r["g"]), str(r["reason"]))
        for r in store.query(
            f"SELECT ?g ?source ?reason WHERE {{ GRAPH ?g {{ ?r a kg:Resolution ; kg:resolvedEntity {e} ; kg:reason ?reason . "
            "OPTIONAL { ?g prov:wasDerivedFrom ?source } } } ORDER BY ?source ?reason")
    )
    return Explanation(str(iri), labels[0] if labels else local_name(iri), classes,
                       tuple(sorted(aliases - {labels[0] if labels else ""})), mentions, merges)
