"""Extraction: a parsed document in, facts with their evidence out.

The stage runs :func:`~kg.extract.coref.find_entities` once per document, then every relation extractor over
every sentence (:mod:`kg.extract.relations`) and, when given, the learned patterns (:mod:`kg.extract.learned`),
and keeps one fact per (subject, predicate, object) with its best-supported evidence.

>>> from kg.nlp import load_nlp
>>> from kg.ontology import load_ontology
>>> from kg.model import Document
>>> text = 'Robert Rodriguez directed "Alita: Battle Angel". The film grossed $404 million.'
>>> doc = Document(id="urn:example", text=text)
>>> [(f.subject.label, f.predicate, str(f.object)) for f in extract_facts(doc, load_nlp()(text), load_ontology())]
[('Alita: Battle Angel', 'director', 'Robert Rodriguez'), ('Alita: Battle Angel', 'boxOffice', '404000000 USD')]
"""

from __future__ import annotations

import re
from dataclasses import replace

from spacy.tokens import Doc

from ..model import Document, Evidence, Fact, Qualifiers
from ..ontology import Ontology
from . import relations
from .awards import award_facts
from .credits import credit_facts
from .classifier import RelationModel, classifier_facts, packaged_model
from .coref import DocEntities, KnownClass, find_entities
from .learned import LearnedPatterns, pattern_facts
from .mentions import sentence_mentions
from .takings import takings_facts

__all__ = ["extract_facts", "extract_with_entities", "LearnedPatterns", "RelationModel", "PACKAGED"]

# ``relation_model=PACKAGED``: the classifier kg ships (when the ontology has its properties); None: rules only.
PACKAGED = "packaged"

_AWARD_PROPERTIES = {"awardReceived", "nominatedFor"}
_SENTENCE_EXTRACTORS = (relations.verb_frames, relations.value_nouns, relations.modifiers, relations.parenthetical_roles,
                        relations.clause_years)


def _published_year(document: Document) -> int | None:
    if document.published and document.published[:4].isdigit():
        return int(document.published[:4])
    return None


def extract_with_entities(document: Document, doc: Doc, onto: Ontology, learned: LearnedPatterns | None = None,
                          known: KnownClass | None = None,
                          relation_model: RelationModel | str | None = PACKAGED) -> tuple[list[Fact], DocEntities]:
    """Facts of one document and the entities it mentions (``known``: classes the store gives names).

    ``relation_model``: the trained relation classifier to run besides the rules (:data:`PACKAGED` for kg's own,
    None for rules only).
    """
    ents = find_entities(doc, onto, _published_year(document), known)
    sentences = list(doc.sents)
    hints: list[relations.RoleHint] = []
    candidates = []
    for sent in sentences:
        for extractor in _SENTENCE_EXTRACTORS:
            candidates.extend(extractor(sent, ents, onto))
        candidates.extend(relations.role_nouns(sent, ents, onto, hints))
    candidates.extend(relations.title_prefixes(sentences, ents, onto))
    candidates.extend(relations.attach_roles(hints, ents, onto))
    mentions = [sentence_mentions(sent, ents) for sent in sentences]  # awards, credits and the classifier share them
    candidates.extend(award_facts(sentences, mentions, ents, onto))
    candidates.extend(credit_facts(sentences, mentions, onto, ents.main_work))
    candidates.extend(takings_facts(sentences, mentions, ents, onto))
    if learned is not None:
        candidates.extend(pattern_facts(doc, ents, onto, learned, _published_year(document), sentences))
    model = packaged_model() if relation_model == PACKAGED else relation_model
    if isinstance(model, RelationModel):
        # the rules are the precise layer: where they join two entities of a sentence, the model adds nothing
        ruled = {(c.sentence.start, frozenset((c.subject.key, getattr(c.object, "key", str(c.object))))) for c in candidates}
        # an award the rules read in a sentence is named with its ceremony; the model's reading of the same award
        # is the bare category ("best actress") and would state it twice
        awarded = {(c.sentence.start, c.subject.key, c.prop.name) for c in candidates if c.prop.name in _AWARD_PROPERTIES}
        candidates.extend(c for c in classifier_facts(sentences, mentions, onto, model)
                          if (c.sentence.start, frozenset((c.subject.key, c.object.key))) not in ruled
                          and (c.sentence.start, c.subject.key, c.prop.name) not in awarded)

    # "produced by Northgate Pictures": a company that produces is the production company, not also a producer
    companies = {(c.sentence.start, c.subject.key, getattr(c.object, "key", None)) for c in candidates
                 if c.prop.name == "productionCompany"}
    candidates = [c for c in candidates if not (c.prop.name == "producer" and (
        c.sentence.start, c.subject.key, getattr(c.object, "key", None)) in companies)]
    best: dict[tuple[str, str, str], Fact] = {}
    text = doc.text  # Doc.text joins every token on each access
    for cand in candidates:
        start, end = _stripped_bounds(text, cand.sentence.start_char, cand.sentence.end_char)
        evidence = Evidence(
            doc_id=document.id,
            sentence=text[start:end],
            char_start=start,
            char_end=end,
            rule=cand.rule,
            confidence=cand.confidence,
        )
        qualifiers = cand.qualifiers
        if cand.prop.name in _TENURES and _ended(text[start:end], cand.subject.label, getattr(cand.object, "label", "")):
            qualifiers = replace(qualifiers or Qualifiers(), ended=True)
        fact = Fact(cand.subject, cand.prop.name, cand.object, evidence, qualifiers or None)
        kept = best.get(fact.key)
        if kept is None or (evidence.confidence, -evidence.char_start) > (kept.evidence.confidence, -kept.evidence.char_start):
            if kept is not None and kept.qualifiers and not fact.qualifiers:
                fact = replace(fact, qualifiers=kept.qualifiers)  # what another sentence added to the statement
            best[fact.key] = fact
        elif fact.qualifiers and not kept.qualifiers:
            best[fact.key] = replace(kept, qualifiers=fact.qualifiers)
    facts = sorted(best.values(), key=lambda f: (f.evidence.char_start, f.subject.label, f.predicate, str(f.object)))
    return facts, ents


def extract_facts(document: Document, doc: Doc, onto: Ontology, learned: LearnedPatterns | None = None,
                  known: KnownClass | None = None, relation_model: RelationModel | str | None = PACKAGED) -> list[Fact]:
    """Facts of one document, ordered by where their evidence starts."""
    return extract_with_entities(document, doc, onto, learned, known, relation_model)[0]


_TENURES = {"worksFor", "memberOf"}
_FORMER = re.compile(r"\b(?:former|ex-|one-time|erstwhile|then-)\s*(?:[\w-]+\s+){0,3}?(?:chief|executive|head|"
                     r"chairman|chairwoman|co-chairman|president|director|editor|boss|manager|spokesman|spokeswoman|"
                     r"member|singer|drummer|guitarist|bassist|frontman|frontwoman|presenter|host|owner|controller|"
                     r"critic|correspondent|lawyer|ceo)\b", re.IGNORECASE)


def _ended(sentence: str, subject: str, organisation: str) -> bool:
    """True when the words that tie a person to a company or band say the tie is over: "X, the former chief
    executive of Y", "former Y frontman X" (a "former" between or just before the two names)."""
    at = [sentence.find(name) for name in (subject, organisation) if name and name in sentence]
    if len(at) < 2:
        return False
    start, end = min(at), max(at)
    return any(start - 40 <= m.start() <= end for m in _FORMER.finditer(sentence))


def _stripped_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
