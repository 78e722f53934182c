"""Credits as news words them around unquoted titles, read from the words between two mentions.

The small parser often misreads headline-style credits ("Simon Pegg stars in Shaun of the Dead" parses "stars" as
a noun), so these shapes are read from the mentions of :func:`~kg.extract.mentions.sentence_mentions` and the
words between them, not from the parse:

- "<work> director <person>" (and star, actor, writer, producer, author, creator, host): "Fahrenheit 9/11
  director Michael Moore", "Scrubs star Zach Braff";
- "<work>, starring <person>, <person> and <person>";
- "<person> stars in <work>", "<person>, who starred in <work>", "<person> plays <character> in <work>",
  "<person>'s performance in <work>";
- "<person>'s <kind> <work>": a film or drama (director), an album, single or song (performer), a novel or book
  (author), a play (author): "Mike Leigh's 1950s drama Vera Drake", "Usher's album Confessions".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from spacy.tokens import Span

from ..model import Entity, Value
from ..ontology import Ontology
from .coref import named_entity
from .mentions import ArgMention
from .relations import Candidate

__all__ = ["credit_facts"]

_CONFIDENCE = 0.75
_WORK_KINDS = {"WORK", "TITLE"}
# words between a work and a person -> property ("Titanic director James Cameron")
_ROLE_AFTER_WORK = {
    "director": "director", "'s director": "director", "film-maker": "director", "filmmaker": "director",
    "star": "castMember", "'s star": "castMember", "actor": "castMember", "actress": "castMember",
    "co-star": "castMember", "writer": "screenwriter", "screenwriter": "screenwriter", "producer": "producer",
    "author": "author", "novelist": "author", "creator": "creator", "host": "presenter", "presenter": "presenter",
    "singer": "performer", "composer": "composer",
}
_STARRING = re.compile(r"^,? ?(?:also |which (?:also )?stars? |that (?:also )?stars? )?(?:starring|co-starring|featuring)$")
_STARS_IN = re.compile(r"^(?:, who |, )?(?:[\w-]+ (?:for|after|by) )?(?:also |has |had |is |was )?(?:stars?|starred|starring|"
                       r"co-stars?|co-starred|appears?|appeared|acts?|acted|plays?|played|playing|portrays?|portrayed|"
                       r"portraying)(?: [\w' -]{1,40})? in(?: and (?:co-wrote|wrote|directed|co-directed|produced))?$")
_ALSO_MADE = {"co-wrote": "screenwriter", "wrote": "screenwriter", "directed": "director", "co-directed": "director",
              "produced": "producer"}
_PERFORMANCE_IN = re.compile(r"^'s? (?:[\w-]+ ){0,2}(?:performance|role|turn|portrayal)(?: (?:as|of) [\w' -]{1,40})? in$")
_POSSESSIVE_WORK = re.compile(r"^'s? (?:[\w-]+ ){0,3}?(film|movie|drama|comedy|thriller|documentary|epic|biopic|musical|"
                              r"album|single|song|hit|record|novel|book|play)$")
_POSSESSIVE_PROPERTY = {"film": "director", "movie": "director", "drama": "director", "comedy": "director",
                        "thriller": "director", "documentary": "director", "epic": "director", "biopic": "director",
                        "album": "performer", "single": "performer", "song": "performer", "hit": "performer",
                        "record": "performer", "novel": "author", "book": "author", "play": "author",
                        "musical": "composer"}
_LIST_GLUE = {",", "and", ", and", "&"}
# "<organisation> <role> <person>": "Ladbrokes spokesman Warren Lush", "The Times' music critic Paul Connolly"
_JOB_WORDS = {"spokesman", "spokeswoman", "spokesperson", "editor", "critic", "dj", "lawyer", "organiser", "organizer",
              "chief", "executive", "boss", "chairman", "chairwoman", "co-chairman", "head", "president", "controller",
              "correspondent", "reporter", "columnist", "analyst", "general", "director-general", "manager", "owner"}
_BAND_WORDS = {"frontman", "frontwoman", "singer", "guitarist", "drummer", "bassist", "keyboardist", "vocalist", "rapper",
               "bass player", "keyboard player"}
_ROLE_PHRASE = re.compile(r"^(?:'s? )?(?:[\w-]+ ){0,2}([\w-]+)$")
# "Lemar and Jamelia performed Addicted To Love", "Usher's single Confessions", "the Chaka Khan hit Ain't Nobody"
_PERFORMED = re.compile(r"^(?:also |then |later )?(?:performed|sang|sings|sung|duetted on|recorded|released|covered)"
                        r"(?: (?:his|her|their|the) (?:[\w-]+ )?(?:hit|single|song|track))?$")
_MUSIC_WORK = re.compile(r"^'s? (?:[\w-]+ ){0,3}?(album|single|song|hit|track|lp|ep|record)$")
_CLASS_FOR = {"director": "Film", "performer": "MusicalWork", "author": "Book"}


def _is_person(m: ArgMention) -> bool:
    return m.kind == "PERSON" and (m.entity is None or m.entity.cls == "Person") or (
        m.entity is not None and m.entity.cls == "Person")


def _is_work(m: ArgMention, onto: Ontology) -> bool:
    if m.entity is not None and "CreativeWork" in onto.classes:
        return onto.is_a(m.entity.cls, "CreativeWork")
    return m.kind in _WORK_KINDS


def _work_slot(m: ArgMention, doc, onto: Ontology) -> ArgMention | None:
    """The mention as a work where the words leave no other reading ("stars in X", "'s performance in X"): a work,
    or a name the recogniser typed otherwise ("Ray", "My Summer of Love"), named as the text writes it; never a
    person's full name."""
    if _is_work(m, onto):
        return m
    surface = " ".join(doc[m.start:m.end].text.split())
    if m.kind in {"EVENT", "ORG", "GPE", "PRODUCT", "NAME"} or m.kind == "PERSON" and len(surface.split()) == 1:
        return ArgMention(start=m.start, end=m.end, head=m.head, kind="TITLE", name=surface)
    return None


def _entity(onto: Ontology, m: ArgMention, cls: str) -> Entity:
    if m.entity is not None and (onto.is_a(m.entity.cls, cls) or onto.is_a(cls, m.entity.cls) and m.entity.cls != cls
                                 and onto.kind(cls) == onto.kind(m.entity.cls)):
        if onto.is_a(cls, m.entity.cls) and cls != m.entity.cls:
            return Entity(key=m.entity.key, label=m.entity.label, cls=cls, aliases=m.entity.aliases)
        return m.entity
    return named_entity(onto, m.label, cls)


def _year_after(m: ArgMention, doc, sent: Span) -> str | None:
    """The year in parentheses right after a mention: "Airport (1968)" -> "1968"."""
    if m.end + 2 >= sent.end or doc[m.end].text != "(" or doc[m.end + 2].text != ")":
        return None
    year = doc[m.end + 1].text
    return year if re.fullmatch(r"(?:1[89]|20)\d\d", year) else None


def credit_facts(sentences: Iterable[Span], per_sentence: Iterable[list[ArgMention]],
                 onto: Ontology) -> Iterator[Candidate]:
    """Credit facts read from the words between the mentions of each sentence (``per_sentence``: its mentions)."""
    props = onto.properties
    released = props.get("releaseDate")
    for sent, mentions in zip(sentences, per_sentence):
        doc = sent.doc
        for m in mentions:
            year = _year_after(m, doc, sent) if released is not None else None
            work = _work_slot(m, doc, onto) if year else None
            if work is not None:  # "Airport (1968)", "Wheels (1971) followed"
                yield Candidate(prop=released, subject=_entity(onto, work, "CreativeWork"),
                                object=Value(lexical=year, datatype="gYear", text=f"({year})"), sentence=sent,
                                rule="credit:year", confidence=_CONFIDENCE)
        for n, (a, b) in enumerate(zip(mentions, mentions[1:])):
            between = " ".join(t.lower_ for t in doc[a.end:b.start]).replace(" 's", "'s").replace(" ' ", "' ").replace(" - ", "-")
            found: list[tuple[str, ArgMention, ArgMention, str]] = []  # property, work, person, rule
            if _is_work(a, onto) and _is_person(b):
                role = _ROLE_AFTER_WORK.get(between)
                if role:
                    found.append((role, a, b, "credit:role"))
                elif _STARRING.match(between):
                    found.append(("castMember", a, b, "credit:starring"))
                    found += [("castMember", a, m, "credit:starring") for m in _listed(doc, mentions[n + 2:], b)]
            elif _is_person(a) and (_STARS_IN.match(between) or _PERFORMANCE_IN.match(between)):
                work = _work_slot(b, doc, onto)
                if work is not None:
                    found.append(("castMember", work, a, "credit:stars-in"))
                    also = between.rsplit(" ", 1)[-1]
                    if " and " in between and also in _ALSO_MADE:  # "who stars in and co-wrote X"
                        found.append((_ALSO_MADE[also], work, a, "credit:stars-in"))
            elif _is_person(a) and _is_work(b, onto):
                kind = _POSSESSIVE_WORK.match(between)
                if kind:
                    found.append((_POSSESSIVE_PROPERTY[kind.group(1)], b, a, "credit:possessive"))
            if not found and _is_person(a) and n + 2 < len(mentions) and mentions[n + 2].start - a.end <= 14:
                # "Foxx's portrayal of Ray Charles in Ray", "Freeman, playing Frankie Dunn in Million Dollar Baby"
                c = mentions[n + 2]
                gap = " ".join(t.lower_ for t in doc[a.end:c.start]).replace(" 's", "'s")
                work = _work_slot(c, doc, onto)
                if b.kind in {"PERSON", "GPE", "ORG"} and work is not None and (
                        _STARS_IN.match(gap) or _PERFORMANCE_IN.match(gap)):
                    found.append(("castMember", work, a, "credit:stars-in"))
            if not found and a.kind == "PERSON" and _is_person(b) and between in _BAND_WORDS:
                found.append(("memberOf", b, a, "credit:band"))  # "Keane frontman Tom Chaplin": bands read as people
            elif not found and a.kind in {"ORG", "NAME"} and _is_person(b):
                role = _ROLE_PHRASE.match(between)
                word = role.group(1) if role else ""
                if word in _JOB_WORDS and (a.entity is None or a.entity.cls != "Person"):
                    found.append(("worksFor", b, a, "credit:job"))
                elif word in _BAND_WORDS or between in _BAND_WORDS:
                    found.append(("memberOf", b, a, "credit:band"))
            if not found and _is_person(a):
                music = _MUSIC_WORK.match(between)
                strong = music is not None or _PERFORMED.match(between) or (
                    between in {"hit", "track", "song", "single", "album"} and a.start > sent.start
                    and doc[a.start - 1].lower_ == "the")
                work = _work_slot(b, doc, onto) if strong else None
                if work is not None:
                    found.append(("performer", work, a, "credit:music"))
                    if _PERFORMED.match(between):  # "Lemar and Jamelia performed X": both
                        before = [m for m in reversed(mentions[:n]) if _is_person(m)]
                        if before and " ".join(t.lower_ for t in doc[before[0].end:a.start]) in _LIST_GLUE:
                            found.append(("performer", work, before[0], "credit:music"))
            for name, work, person, rule in found:
                prop = props.get(name)
                if prop is None:
                    continue
                if name in {"worksFor", "memberOf"}:  # (person, organisation)
                    group = "MusicalGroup" if name == "memberOf" and "MusicalGroup" in onto.classes else "Organization"
                    subject, obj = _entity(onto, work, "Person"), _agent(onto, person, group)
                else:
                    work_cls = prop.domain if prop.domain in onto.classes and not onto.classes[prop.domain].union_of else "CreativeWork"
                    work_cls = _CLASS_FOR.get(name, work_cls) if work_cls == "CreativeWork" else work_cls
                    if work_cls not in onto.classes:
                        work_cls = "CreativeWork"
                    subject = _entity(onto, work, work_cls)
                    obj = _entity(onto, person, "Person") if name != "performer" else _agent(onto, person, "Person")
                if subject.key == obj.key:
                    continue
                yield Candidate(prop=prop, subject=subject, object=obj, sentence=sent, rule=rule, confidence=_CONFIDENCE)


def _agent(onto: Ontology, m: ArgMention, cls: str) -> Entity:
    """An organisation or person as the mention's entity when it is one, else as ``cls``."""
    if m.entity is not None and onto.kind(m.entity.cls) in {onto.kind("Organization"), onto.kind("Person")}:
        if cls == "MusicalGroup" and m.entity.cls == "Organization":
            return Entity(key=m.entity.key, label=m.entity.label, cls=cls, aliases=m.entity.aliases)
        return m.entity
    return named_entity(onto, m.label, cls)


def _listed(doc, rest: list[ArgMention], previous: ArgMention) -> list[ArgMention]:
    """The people listed after ``previous``: ", B, C and D"."""
    out = []
    for m in rest:
        glue = " ".join(t.lower_ for t in doc[previous.end:m.start])
        if glue not in _LIST_GLUE or not _is_person(m):
            break
        out.append(m)
        previous = m
    return out
