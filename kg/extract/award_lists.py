"""Award lists: one category per line, as results tables in news print them.

In: the sentences of a parsed document, its :class:`~kg.extract.coref.DocEntities`, and the ceremony the article
is about. Out: ``awardReceived`` (or ``nominatedFor``) :class:`~kg.extract.relations.Candidate` facts, plus the
credit a line states ("for <work>": cast or director by the category; "<work> by <person>": author).

A line reads ``[- ]<category> - <winners>[ for <work>| designed by <people>| by <author>][ at <venue>]``, with a
dash or a colon after the category, which starts with a category word ("Best actor - Richard Griffiths for The
History Boys at the Lyttelton", "Outstanding musical production: Grand Hotel"). The list holds winners unless the
line that introduces it names nominations ("The nominees are:", "Shortlist:").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from spacy.tokens import Span

from ..model import Entity, Qualifiers
from ..names import name_key
from ..ontology import Ontology, OntProperty
from .coref import DocEntities, named_entity
from .relations import Candidate

__all__ = ["award_list_facts", "category_credit"]

_CONFIDENCE = 0.8
_LINE = re.compile(
    r"^[ \t]*(?:[-*\u2022\u2013][ \t]+)?(?P<category>(?:best|outstanding|most|special|lifetime)\b[^\n:;]{0,90}?)"
    r"[ \t]+(?:-|\u2013|:)[ \t]+(?P<rest>[^\n]{2,300}?)[ \t.]*$", re.IGNORECASE | re.MULTILINE)
_VENUE = re.compile(r"\s+at\s+(?:the\s+)?[A-Z].*$")
_CREDITED_BY = re.compile(r"^(?P<work>.+?)\s+(?:designed|directed|choreographed|lit|written|composed)\s+by\s+(?P<people>.+)$")
_BY = re.compile(r"^(?P<work>.+?)\s+by\s+(?P<author>.+)$")
_FOR = re.compile(r"^(?P<winners>.+?)\s+for\s+(?P<work>.+)$")
_NOT_A_WORK = re.compile(r"^(?:his|her|their|its|the world premiere of|services to|outstanding|lifetime)\b", re.IGNORECASE)
_PREMIERE = re.compile(r"^the (?:world |uk |london )?premiere of\s+", re.IGNORECASE)
_SPLIT = re.compile(r"\s*(?:,\s*and\s+|,\s*|\s+and\s+|\s*&\s*)")
_NOMINATION_HEADER = re.compile(r"\b(?:nominat\w*|nominees?|shortlist\w*|short-list\w*|contenders?|in the running)\b",
                                re.IGNORECASE)
# categories that name a work's credit for the winner: "best actor - X for <work>" puts X in the work's cast
_CATEGORY_CREDITS = (("actor", "castMember"), ("actress", "castMember"), ("performance", "castMember"),
                     ("performer", "castMember"), ("role", "castMember"), ("director", "director"),
                     ("screenplay", "screenwriter"), ("single", "performer"), ("song", "performer"),
                     ("video", "performer"), ("album", "performer"), ("record", "performer"), ("track", "performer"))
_PERSON_CATEGORY = re.compile(r"\b(?:actor|actress|performer|performance|role|director|designer|design|choreograph\w*|"
                              r"writer|playwright|screenplay|newcomer|singer|artist|male|female|composer|comedian|"
                              r"presenter|host)\b", re.IGNORECASE)
_WORK_CATEGORY = re.compile(r"\b(?:play|musical|opera|revival|production|film|picture|movie|album|single|song|"
                            r"comedy|drama|series|show|programme|documentary|sitcom|soap|video|record)\b", re.IGNORECASE)

_ORGANISATION = re.compile(r"\b(?:company|ballet|theatre|house|orchestra|opera|band|group|ltd|records)\b", re.IGNORECASE)


def _names(text: str) -> list[str]:
    return [n.strip(" .'\"") for n in _SPLIT.split(text) if n.strip(" .'\"")]


def _is_nomination_list(text: str, start: int) -> bool:
    """True when the line just before the list (its header) speaks of nominations."""
    before = text[:start].rstrip()
    header = before[before.rfind("\n") + 1:]
    return header.endswith(":") and bool(_NOMINATION_HEADER.search(header))


def award_list_facts(sentences: Iterable[Span], ents: DocEntities, onto: Ontology,
                     ceremony: str | None) -> Iterator[Candidate]:
    """Facts of a document's award-list lines; ``ceremony``: the award the article is about ("Olivier Award"),
    without which a bare category names nothing and the line gives no fact."""
    won, nominated = onto.properties.get("awardReceived"), onto.properties.get("nominatedFor")
    if won is None or "Award" not in onto.classes or not ceremony:
        return
    sentences = list(sentences)
    if not sentences:
        return
    doc = sentences[0].doc
    text = doc.text
    lines = list(_LINE.finditer(text))
    if not lines:  # most articles: no results table, and no name index to build
        return
    known: dict[str, Entity] = {}
    for entity in ents.entities():
        for name in (entity.label, *entity.aliases):
            known.setdefault(name_key(name), entity)
    list_prop = None
    previous_end = -2
    for line in lines:
        if text.count("\n", previous_end, line.start()) > 2 or list_prop is None:  # a new list: read its header
            list_prop = nominated if _is_nomination_list(text, line.start()) and nominated is not None else won
        previous_end = line.end()
        sent = doc.char_span(line.start("category"), line.end("rest"), alignment_mode="expand")
        if sent is None:
            continue
        category = " ".join(line.group("category").split())
        award = named_entity(onto, _award_name(ceremony, category), "Award")
        yield from _line_facts(onto, sent, category, line.group("rest"), award, list_prop, known)


def category_credit(category: str, onto: Ontology) -> OntProperty | None:
    """The credit an award category implies for the work it was given for: "best actress" -> castMember,
    "best director" -> director; None for a category that names none."""
    words = category.lower().split()
    return next((onto.properties[name] for word, name in _CATEGORY_CREDITS
                 if word in words and name in onto.properties), None)


def _award_name(ceremony: str, category: str) -> str:
    """"Olivier Award" + "Best actor" -> "Olivier Award for best actor"; "Special award" -> "Olivier special award"."""
    category = category[0].lower() + category[1:]
    if category.split()[-1].lower() in {"award", "prize"}:
        stem = re.sub(r"\s+(?:award|prize)$", "", ceremony, flags=re.IGNORECASE)
        return f"{stem} {category}"
    return f"{ceremony} for {category}"


def _line_facts(onto: Ontology, sent: Span, category: str, rest: str, award: Entity, prop,
                known: dict[str, Entity]) -> Iterator[Candidate]:
    rest = _VENUE.sub("", rest.strip())
    work_name = author = None
    winners_text = rest
    if (m := _CREDITED_BY.match(rest)) is not None:  # "His Dark Materials designed by Paule Constable"
        work_name, winners_text = m.group("work"), m.group("people")
    elif (m := _FOR.match(rest)) is not None:  # "Richard Griffiths for The History Boys"
        winners_text, work_name = m.group("winners"), m.group("work")
        if _NOT_A_WORK.match(work_name) and not _PREMIERE.match(work_name):
            work_name = None
        elif work_name is not None:
            work_name = _PREMIERE.sub("", work_name)
    elif (m := _BY.match(rest)) is not None and _WORK_CATEGORY.search(category):  # "The History Boys by Alan Bennett"
        winners_text, author = m.group("work"), m.group("author")
    prior = _winner_prior(category)
    winners = []
    for name in _names(winners_text):
        owner, _, owned = name.partition("'s ")
        if owned and prior == "CreativeWork":  # "Rambert Dance Company's Swamp"
            name = owned
        winners.append(_winner(onto, name, prior, known, _entity_label(sent, name)))
    work = _entity(onto, work_name, "CreativeWork", known) if work_name else None
    rule = "award:list"
    winners = [w for w in winners if w.cls in onto.classes]
    for winner in winners:
        for_work = work if work is not None and work.key != winner.key else None
        yield Candidate(prop=prop, subject=winner, object=award, sentence=sent, rule=rule, confidence=_CONFIDENCE,
                        qualifiers=Qualifiers(for_work=for_work, category=category))
    credit = category_credit(category, onto)
    if work is not None and credit is not None and prop is onto.properties.get("awardReceived"):
        for winner in winners:
            if winner.cls == "Person" or credit.name == "performer" and winner.cls == "MusicalGroup":
                yield Candidate(prop=credit, subject=work, object=winner, sentence=sent, rule=rule, confidence=_CONFIDENCE)
    if author is not None and "author" in onto.properties and winners:
        person = _entity(onto, author, "Person", known)
        yield Candidate(prop=onto.properties["author"], subject=winners[0], object=person, sentence=sent, rule=rule,
                        confidence=_CONFIDENCE)


def _entity_label(sent: Span, name: str) -> str | None:
    """The recogniser's label for a name where it labelled the name's first word in the line (PERSON, ORG ...)."""
    at = sent.text.find(name)
    if at < 0:
        return None
    span = sent.doc.char_span(sent.start_char + at, sent.start_char + at + len(name), alignment_mode="expand")
    return span[0].ent_type_ or None if span is not None and len(span) else None


def _winner_prior(category: str) -> str | None:
    """What a category is given to: "CreativeWork" (best new play), "Person" (best actor), None (either:
    outstanding achievement in opera)."""
    person, work = _PERSON_CATEGORY.search(category), _WORK_CATEGORY.search(category)
    if re.search(r"\b(?:achievement|contribution|special|lifetime)\b", category, re.IGNORECASE) or person and work:
        return None
    return "CreativeWork" if work else "Person" if person else None


def _winner(onto: Ontology, name: str, prior: str | None, known: dict[str, Entity], labelled: str | None) -> Entity:
    """A winner's entity: a work where the category is given to works; otherwise the document's entity of that
    name, else a person or organisation as the recogniser (or the name: "Royal Opera House") says."""
    if prior == "CreativeWork":
        return _entity(onto, name, "CreativeWork", known)
    entity = known.get(name_key(name))
    if entity is not None and entity.cls in onto.classes and onto.is_a(entity.cls, "Agent") and (
            prior is None or onto.is_a(entity.cls, "Person") or _ORGANISATION.search(name)):
        return entity
    if _ORGANISATION.search(name) or prior is None and labelled == "ORG":
        return named_entity(onto, name, "Organization")
    return named_entity(onto, name, "Person")


def _entity(onto: Ontology, name: str, cls: str, known: dict[str, Entity]) -> Entity:
    """The document's entity of that name where it is a ``cls``, else a new one."""
    entity = known.get(name_key(name))
    if entity is not None and entity.cls in onto.classes and onto.is_a(entity.cls, cls):
        return entity
    return named_entity(onto, name, cls)
