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
from spacy.tokens import Span, Token

from ..model import Entity, Value
from ..ontology import Ontology
from .award_lists import category_credit
from .careers import career_credits, cast_lists
from .cast import clause_credits
from .companies import company_credits, is_broadcaster
from .coref import named_entity
from .focus import Focus, is_person
from .literals import work_year
from .mentions import LIST_GLUE, ArgMention, is_work, work_slot
from .relations import Candidate, is_irrealis

__all__ = ["credit_facts", "work_entity"]

_CONFIDENCE = 0.75
# words between a work and a person -> property ("Titanic director James Cameron")
_ROLE_AFTER_WORK = {
    "director": "director", "'s director": "director", "film-maker": "director", "filmmaker": "director",
    "star": "castMember", "'s star": "castMember", "actor": "castMember", "actress": "castMember",
    "co-star": "castMember", "writer": "screenwriter", "screenwriter": "screenwriter", "producer": "producer",
    "'s writer": "screenwriter", "'s screenwriter": "screenwriter", "'s producer": "producer",
    "executive producer": "producer", "'s executive producer": "producer",
    "author": "author", "novelist": "author", "creator": "creator", "host": "presenter", "presenter": "presenter",
    "singer": "performer", "composer": "composer",
}
# "<work>, starring", "<work>, a historical epic starring", "<work>, which stars", "the biopic <work>, which features"
_KIND_APPOSITION = (r"(?:(?:a|an|the) (?:[\w-]+ ){0,3}(?:film|movie|comedy|drama|thriller|epic|biopic|musical|documentary|"
                    r"series|sitcom|soap|show|play|romance|adventure|western|satire|feature|sequel|remake|adaptation) )?")
_STARRING = re.compile(r"^[!?]? ?,? ?" + _KIND_APPOSITION + r"(?:(?:also )?(?:starring|co-starring|featuring)|"
                       r",? ?(?:which|that) (?:also )?(?:stars|starred|co-stars|features|featured))$")
_STARRING_DESCRIBED = re.compile(r"^[!?]? ?,? ?" + _KIND_APPOSITION + r"(?:also )?(?:starring|co-starring|featuring) "
                                  r"(?:former |fellow |veteran |ex- ?)?[\w'!&. -]{1,40} (?:actor|actress|star|comedian|"
                                  r"singer|presenter|comic|veteran)$")
# "<show> actor <person>" where the recogniser took the show for a company; never a company's own name
_CAST_NOUNS = {"actor", "actress", "star", "co-star"}
_NOT_SHOWS = {"records", "pictures", "studios", "films", "productions", "entertainment", "media", "inc", "ltd", "plc",
              "corp", "bbc", "itv", "hollywood", "bollywood", "disney", "netflix", "hbo", "nbc", "cbs", "abc", "fox",
              "channel", "mgm", "universal", "paramount", "warner", "sony", "club", "united", "city", "fc"}
# "<person> won <award> for playing a gym manager in <work>", "... for her role as a smuggler in <work>"
_FOR_PLAYING = re.compile(r"^(?:.{0,80} )?for (?:playing|portraying|(?:his|her|their) (?:[\w-]+ )?(?:role|performance|"
                          r"turn|portrayal)(?: (?:as|of))?)(?: [\w' -]{1,50})? in$")
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
# "<organisation> <role> <person>": "Ladbrokes spokesman Warren Lush", "The Times' music critic Paul Connolly"
_JOB_WORDS = {"spokesman", "spokeswoman", "spokesperson", "editor", "critic", "dj", "lawyer", "organiser", "organizer",
              "chief", "executive", "boss", "chairman", "chairwoman", "co-chairman", "head", "president", "controller",
              "correspondent", "reporter", "columnist", "analyst", "general", "director-general", "manager", "owner"}
_BAND_WORDS = {"frontman", "frontwoman", "singer", "guitarist", "drummer", "bassist", "keyboardist", "vocalist", "rapper",
               "bass player", "keyboard player"}
# jobs that name the employer before them even when the recogniser took it for a person ("William Hill spokesman")
_STAFF_WORDS = {"spokesman", "spokeswoman", "spokesperson", "dj", "chief executive", "boss", "chairman", "chairwoman"}
_BAND_MATES = {"colleague", "colleagues", "bandmate", "bandmates", "band-mate", "band-mates", "partner", "co-founder"}
# "<person>, <role> of <organisation>", "<person> of <organisation>": the organisation employs the person
_EMPLOYED_AT = re.compile(r"^(?:, (?:the |a |its |their )?(?:former |then |now |current |acting |interim )?(?:[\w-]+ ){0,3}?"
                          r"(?:spokesman|spokeswoman|spokesperson|editor|critic|dj|lawyer|organiser|chief|executive|ceo|"
                          r"boss|chairman|chairwoman|co-chairman|head|president|controller|correspondent|reporter|"
                          r"columnist|analyst|director|director-general|manager|owner|founder|co-founder|host|presenter|"
                          r"producer|publisher|secretary|spokesperson|member)(?: of [\w ]{1,30}?)? (?:of|at|for)|"
                          r"of)(?: the)?(?: [a-z-]+){0,3}$")
_ROLE_PHRASE = re.compile(r"^(?:'s? )?(?:[\w-]+ ){0,2}([\w-]+)$")
# "Lemar and Jamelia performed Addicted To Love", "Usher's single Confessions", "the Chaka Khan hit Ain't Nobody"
_PERFORMED = re.compile(r"^(?:also |then |later )?(?:performed|sang|sings|sung|duetted on|recorded|released|covered)"
                        r"(?: (?:his|her|their|the) (?:[\w-]+ )?(?:hit|single|song|track))?$")
_MUSIC_WORK = re.compile(r"^'s? (?:[\w-]+ ){0,3}?(album|single|song|hit|track|lp|ep|record)$")
_CLASS_FOR = {"director": "Film", "performer": "MusicalWork", "author": "Book"}




# capitalised words before "star" or "actor" that describe the person rather than name a show ("Late R&B star X")
_DESCRIBING = {"late", "former", "veteran", "legendary", "fellow", "young", "r&b", "pop", "rock", "soul", "jazz",
               "hip-hop", "rap", "country", "folk", "punk", "reggae", "indie", "disco", "hollywood", "bollywood"}


def _describes(name: str) -> bool:
    return any(word in _DESCRIBING for word in name.lower().split())


def work_entity(onto: Ontology, m: ArgMention) -> Entity:
    """The work a mention names: its entity when coreference typed it a work, else a new creative work."""
    return _entity(onto, m, "CreativeWork")


def _entity(onto: Ontology, m: ArgMention, cls: str) -> Entity:
    if m.entity is not None and (onto.is_a(m.entity.cls, cls) or onto.is_a(cls, m.entity.cls) and m.entity.cls != cls
                                 and onto.kind(cls) == onto.kind(m.entity.cls)):
        if onto.is_a(cls, m.entity.cls) and cls != m.entity.cls:
            return Entity(key=m.entity.key, label=m.entity.label, cls=cls, aliases=m.entity.aliases)
        return m.entity
    return named_entity(onto, m.label, cls)


def _year_after(m: ArgMention, doc, sent: Span) -> str | None:
    """The year in parentheses right after a mention: "Airport (1968)" -> "1968", "May to December (1989 – 94)"
    -> "1989"."""
    if m.end + 2 >= sent.end or doc[m.end].text != "(":
        return None
    close = next((i for i in range(m.end + 1, min(sent.end, m.end + 6)) if doc[i].text == ")"), None)
    return work_year(doc[m.end + 1:close].text) if close is not None else None


_OTHER_WORK_NOUNS = {"sequel", "prequel", "remake", "follow-up", "version", "adaptation", "spin-off", "reboot"}


def _other_work(m: ArgMention, doc) -> bool:
    """True for a work named as what another work follows or remakes ("X is the sequel to Y, also starring A"):
    the cast after it is the other work's."""
    head = doc[m.head]
    return head.dep_ == "pobj" and head.head.head.lemma_.lower() in _OTHER_WORK_NOUNS


def _describes_work(m: ArgMention, sent: Span, onto: Ontology) -> bool:
    """True for a name that is not a work and describes the title after it: "in BBC mini-series The Cazalets", "in
    ITV's King of Fridges" (the channel, not the show)."""
    doc = sent.doc
    return not is_work(m, onto) and m.end < sent.end and (
        doc[m.end].text in {"'s", "’s"} or doc[m.end].is_lower and doc[m.end].pos_ in {"NOUN", "ADJ"})


def credit_facts(sentences: Iterable[Span], per_sentence: Iterable[list[ArgMention]],
                 onto: Ontology, main_work: Entity | None = None) -> Iterator[Candidate]:
    """Credit facts read from the words between the mentions of each sentence (``per_sentence``: its mentions);
    ``main_work``: the work the article is about, which a role stated without one belongs to."""
    props = onto.properties
    released = props.get("releaseDate")
    focus = Focus()
    surnames: set[str] = set()  # last names of the people named so far: "Scorsese's" wherever NER put it
    actors: dict[str, bool] = {}  # last name -> the article called the person an actor (True) or a film-maker
    medium: str | None = None  # what the article is about (film, stage, music, books), read when first needed
    # the main work as a mention, for the readers of roles a sentence states without naming the work
    main_mention = ArgMention(start=-1, end=-1, head=-1, kind="WORK", name=main_work.label, entity=main_work) \
        if main_work is not None else None
    for sent, mentions in zip(sentences, per_sentence):
        doc = sent.doc
        yield from _pronoun_possessives(sent, mentions, focus, onto)
        for name, work, person, rule in [*clause_credits(sent, mentions, focus, onto),
                                         *career_credits(sent, mentions, focus, onto),
                                         *cast_lists(sent, mentions, focus, onto, main_mention),
                                         *company_credits(sent, mentions, focus, onto)]:
            if (candidate := _credit(name, work, person, rule, sent, onto)) is not None:
                yield candidate
        if main_work is not None:
            yield from _main_work_roles(sent, mentions, main_work, onto)
        for m in mentions:
            if is_person(m) and (job := _profession(m, doc)) is not None:
                actors[m.label.split()[-1]] = job in _ACTING_JOBS
        for name, work, person, rule in [*_unlabelled_bands(sent, mentions),
                                         *_possessive_makers(sent, mentions, surnames, focus, onto),
                                         *_filmography(sent, mentions, focus, onto)]:
            if name == "director" and actors.get(person.label.split()[-1]):
                name = "castMember"  # "the actor Marlon Brando" ... "Brando's previous film X"
            if (candidate := _credit(name, work, person, rule, sent, onto)) is not None:
                yield candidate
        surnames.update(m.label.split()[-1] for m in mentions if is_person(m) and " " in m.label)
        focus.update(sent, mentions)
        for m in mentions:
            year = _year_after(m, doc, sent) if released is not None else None
            work = work_slot(m, doc, onto) if year else None
            if work is not None:  # "Airport (1968)", "Wheels (1971) followed"
                yield Candidate(prop=released, subject=_entity(onto, work, "CreativeWork"),
                                object=Value(lexical=year, datatype="gYear", text=f"({year})"), sentence=sent,
                                rule="credit:year", confidence=_CONFIDENCE)
        for n, (a, b) in enumerate(zip(mentions, mentions[1:])):
            between = " ".join(t.lower_ for t in doc[a.end:b.start]).replace(" 's", "'s").replace(" ' ", "' ").replace(" - ", "-")
            found: list[tuple[str, ArgMention, ArgMention, str]] = []  # property, work, person, rule
            starring = is_person(b) and _STARRING.match(between) and not _other_work(a, doc)
            if starring and (slot := work_slot(a, doc, onto)) is not None:
                # "Airplane!, starring Leslie Nielsen": the words make the name before them a work
                found.append(("castMember", slot, b, "credit:starring"))
                found += [("castMember", slot, m, "credit:starring") for m in _listed(doc, mentions[n + 2:], b)]
            elif is_work(a, onto) and is_person(b):
                role = _ROLE_AFTER_WORK.get(between)
                if role is None and between in {"'s", "'"}:
                    # "Festen's Rufus Norris was named best director": the prize the sentence gives says the credit
                    credits = {c.name for m in mentions if m.kind == "AWARD" and (c := category_credit(m.name, onto))}
                    role = credits.pop() if len(credits) == 1 else None
                if role:
                    found.append((role, a, b, "credit:role"))
            elif is_person(b) and between in _CAST_NOUNS and a.kind in {"ORG", "NAME"} and (
                    a.entity is None or a.entity.cls not in {"Broadcaster", "Person"}) and (
                    a.name.split()[-1].lower() not in _NOT_SHOWS) and not _describes(a.name) and (
                    slot := work_slot(a, doc, onto)) is not None:
                found.append(("castMember", slot, b, "credit:role"))  # "former Friends actor Matt LeBlanc"
            elif is_person(a) and (_STARS_IN.match(between) or _PERFORMANCE_IN.match(between)):
                # "the rockers X played in Glasgow": a place one plays in is a venue, not a work
                place = b.kind in {"GPE", "FAC"} and not is_work(b, onto) and not re.search(r"\b(?:star|appear)", between)
                work = work_slot(b, doc, onto) if not place and not _describes_work(b, sent, onto) else None
                if work is not None:
                    found.append(("castMember", work, a, "credit:stars-in"))
                    also = between.rsplit(" ", 1)[-1]
                    if " and " in between and also in _ALSO_MADE:  # "who stars in and co-wrote X"
                        found.append((_ALSO_MADE[also], work, a, "credit:stars-in"))
            elif is_person(a) and is_work(b, onto) and (kind := _POSSESSIVE_WORK.match(between)):
                found.append((_POSSESSIVE_PROPERTY[kind.group(1)], b, a, "credit:possessive"))
            elif is_person(a) and between in {"'s", "'"} and (b.kind in {"WORK", "TITLE", "NAME"} or is_work(b, onto)) and (
                    maker := _maker(b, medium if medium is not None else (medium := _medium(doc)), onto)):
                found.append((maker, b, a, "credit:possessive"))  # "Martin Scorsese's The Aviator"
            if not found and n + 2 < len(mentions) and is_person(mentions[n + 2]) and b.kind in {"ORG", "WORK", "TITLE", "NAME"}:
                # "Joey, starring former Friends actor Matt LeBlanc": a name inside the person's description
                c = mentions[n + 2]
                gap = " ".join(t.lower_ for t in doc[a.end:c.start])
                slot = work_slot(a, doc, onto) if _STARRING_DESCRIBED.match(gap) else None
                if slot is not None:
                    found.append(("castMember", slot, c, "credit:starring"))
            if not found and is_person(a) and n + 2 < len(mentions) and mentions[n + 2].start - a.end <= 24:
                # "Foxx's portrayal of Ray Charles in Ray", "Freeman, playing Frankie Dunn in Million Dollar Baby",
                # "Freeman took the best supporting actor award for playing a gym manager in Million Dollar Baby"
                c = mentions[n + 2]
                gap = " ".join(t.lower_ for t in doc[a.end:c.start]).replace(" 's", "'s")
                work = work_slot(c, doc, onto) if not _describes_work(c, sent, onto) else None
                if work is not None and (b.kind in {"PERSON", "GPE", "ORG"} and c.start - a.end <= 14 and (
                        _STARS_IN.match(gap) or _PERFORMANCE_IN.match(gap)) or b.kind == "AWARD" and _FOR_PLAYING.match(gap)):
                    found.append(("castMember", work, a, "credit:stars-in"))
            if not found and is_person(a) and b.kind not in {"PERSON", "AWARD"} and _FOR_PLAYING.match(between) and (
                    work := work_slot(b, doc, onto)) is not None:
                found.append(("castMember", work, a, "credit:stars-in"))  # "X won praise for her role in Y"
            if not found and a.kind == "PERSON" and is_person(b) and between in _BAND_WORDS and _whole_band(a, doc):
                found.append(("memberOf", b, a, "credit:band"))  # "Keane frontman Tom Chaplin": bands read as people
            elif not found and a.kind == "PERSON" and is_person(b) and between in _STAFF_WORDS:
                found.append(("worksFor", b, a, "credit:job"))  # "William Hill spokesman Rupert Adams"
            elif not found and (a.kind in {"ORG", "NAME", "EVENT"} or a.entity is not None and a.entity.cls == "Organization") \
                    and is_person(b) and not is_work(a, onto):
                role = _ROLE_PHRASE.match(between)
                word = role.group(1) if role else ""
                # "National Theatre artistic director Nicholas Hytner": a company's director works there
                company = a.entity is not None and a.entity.cls == "Organization" or a.kind == "EVENT"
                if (word in _JOB_WORDS or company and word == "director") and (a.entity is None or a.entity.cls != "Person"):
                    found.append(("worksFor", b, a, "credit:job"))
                elif (word in _BAND_WORDS or between in _BAND_WORDS or between in _BAND_MATES) and _whole_band(a, doc):
                    found.append(("memberOf", b, a, "credit:band"))  # "former Take That colleagues X and Y"
                    if between in _BAND_MATES:
                        found += [("memberOf", m, a, "credit:band") for m in _listed(doc, mentions[n + 2:], b)]
                elif between in {"'s", "'"} and a.kind == "ORG" and (a.entity is None or a.entity.cls != "Person"):
                    # "the Observer's Philip French", "Coldplay's Chris Martin": a band's member in music news
                    band = (medium if medium is not None else (medium := _medium(doc))) == "music" and not (
                        a.name.split()[-1].lower() in _NOT_SHOWS or a.entity is not None and a.entity.cls == "Broadcaster")
                    found.append(("memberOf" if band else "worksFor", b, a, "credit:job"))
            elif not found and is_person(a) and b.kind in {"ORG", "NAME"} and (
                    a.entity is None or b.entity is None or b.entity.cls != "Person") and _EMPLOYED_AT.match(between):
                # "Tim Dams, news editor of trade weekly Screen International", "Jamie Graham of Total Film"
                found.append(("worksFor", a, b, "credit:job"))
            if not found and is_person(a):
                music = _MUSIC_WORK.match(between)
                strong = music is not None or _PERFORMED.match(between) or (
                    between in {"hit", "track", "song", "single", "album"} and a.start > sent.start
                    and doc[a.start - 1].lower_ == "the")
                work = work_slot(b, doc, onto) if strong else None
                if work is not None:
                    found.append(("performer", work, a, "credit:music"))
                    if _PERFORMED.match(between):  # "Lemar and Jamelia performed X": both
                        before = [m for m in reversed(mentions[:n]) if is_person(m)]
                        if before and " ".join(t.lower_ for t in doc[before[0].end:a.start]) in LIST_GLUE:
                            found.append(("performer", work, before[0], "credit:music"))
            for name, work, person, rule in found:
                span = doc[min(work.start, person.start):max(work.end, person.end)]
                if any(t.pos_ in {"VERB", "AUX"} and is_irrealis(t, sent) for t in span) or any(
                        t.lower_ == "neither" for t in doc[sent.start:span.end]):
                    continue  # "Neither A nor B stars in X" (however it parses), "A no longer plays in X"
                if rule == "credit:possessive" and name == "director" and actors.get(person.label.split()[-1]):
                    name = "castMember"
                candidate = _credit(name, work, person, rule, sent, onto)
                if candidate is not None:
                    yield candidate


def _credit(name: str, work: ArgMention, person: ArgMention, rule: str, sent: Span, onto: Ontology) -> Candidate | None:
    """A credit as a fact: (work, property, person), or (person, worksFor/memberOf, organisation) with the person
    first; None for a property the ontology lacks or a fact about one thing."""
    prop = onto.properties.get(name)
    if prop is None:
        return None
    if name in {"worksFor", "memberOf"}:  # (person, organisation)
        group = "MusicalGroup" if name == "memberOf" and "MusicalGroup" in onto.classes else "Organization"
        subject, obj = _entity(onto, work, "Person"), _agent(onto, person, group)
    elif name == "recordLabel":  # (artist, label): "work" is the band or singer
        subject = _agent(onto, work, "MusicalGroup" if "MusicalGroup" in onto.classes else "Organization")
        obj = _agent(onto, person, "Organization")
    elif prop.range in onto.classes and onto.kind(prop.range) == onto.kind("Organization"):
        # a broadcaster or production company: "person" is the company
        company = "Broadcaster" if name == "originalBroadcaster" and "Broadcaster" in onto.classes else prop.range
        subject, obj = _entity(onto, work, "CreativeWork"), _agent(onto, person, company)
    else:
        work_cls = prop.domain if prop.domain in onto.classes and not onto.classes[prop.domain].union_of else "CreativeWork"
        work_cls = _CLASS_FOR.get(name, work_cls) if work_cls == "CreativeWork" else work_cls
        if work_cls not in onto.classes:
            work_cls = "CreativeWork"
        subject = _entity(onto, work, work_cls)
        obj = _entity(onto, person, "Person") if name != "performer" else _agent(onto, person, "Person")
        if name == "castMember" and any(c in onto.classes and onto.is_a(subject.cls, c) for c in _UNCAST):
            return None  # "the book was adapted into a film, starring X": the film's cast, not the book's
    if subject.key == obj.key:
        return None
    return Candidate(prop=prop, subject=subject, object=obj, sentence=sent, rule=rule, confidence=_CONFIDENCE)


_UNCAST = ("Book", "MusicalWork")  # works that have no cast
_ACTING_JOBS = {"actor", "actress", "star", "co-star", "comedian"}
_FILM_JOBS = _ACTING_JOBS | {"director", "film-maker", "filmmaker", "writer-director"}


def _profession(m: ArgMention, doc) -> str | None:
    """The film job the words right before a person's name give them: "Hollywood actor Marlon Brando",
    "veteran director X", "the actress X"."""
    for token in reversed(doc[max(0, m.start - 2):m.start]):
        if token.lower_ in _FILM_JOBS:
            return token.lower_
    return None


# "Sir Alan's films include Fame, Midnight Express and The Commitments", "the band, whose hits include X and Y"
_OEUVRE = {"films": "director", "movies": "director", "hits": "performer", "albums": "performer",
           "songs": "performer", "singles": "performer", "novels": "author", "books": "author", "plays": "author"}


def _filmography(sent: Span, mentions: list[ArgMention], focus: Focus,
                 onto: Ontology) -> Iterator[tuple[str, ArgMention, ArgMention, str]]:
    """"<person>'s films include A, B and C": each listed work is the person's, by the noun (films: director,
    hits and albums: performer, novels and plays: author). The owner is the possessor, the person a "whose"
    clause hangs on, or the person "his"/"her" points at."""
    doc = sent.doc
    at = {i: m for m in mentions for i in range(m.start, m.end)}
    for noun in sent:
        name = _OEUVRE.get(noun.lower_)
        if name is None or noun.dep_ != "nsubj" or noun.head.lemma_.lower() != "include" or is_irrealis(noun.head, sent):
            continue
        possessors = [c for c in noun.children if c.dep_ == "poss"]
        if not possessors:
            continue
        owner_token = possessors[0]
        if owner_token.lower_ == "whose" and noun.head.dep_ == "relcl":
            owner = at.get(noun.head.head.i)
        elif owner_token.lower_ in _POSSESSIVE_PRONOUNS:
            owner = focus.owner(owner_token, mentions)
        else:
            owner = at.get(owner_token.i)
        if owner is None or not (is_person(owner) or name == "performer" and owner.kind in {"ORG", "PERSON"}):
            continue
        listed = [t for c in noun.head.children if c.dep_ == "dobj" for t in (c, *c.conjuncts)]
        for token in listed:
            work = at.get(token.i)
            if work is None:  # "Fame", "The Commitments": a capitalised name the recogniser left alone
                if not token.text[:1].isupper() or token.pos_ != "PROPN":
                    continue
                start = min([token.i, *(c.i for c in token.children if c.dep_ in {"compound", "det"} and c.i < token.i)])
                work = ArgMention(start=start, end=token.i + 1, head=token.i, kind="TITLE",
                                  name=" ".join(doc[start:token.i + 1].text.split()))
            elif work.kind == "AWARD" or is_person(work):
                continue
            yield name, work, owner, "credit:oeuvre"


def _whole_band(m: ArgMention, doc) -> bool:
    """False for a name that cannot be a band's whole name: a channel ("BBC Radio 2 singer"), one run across a
    sentence end ("Jay-Z. Soul"), or the end of a longer name ("No Doubt", "Blazin' Squad")."""
    before = doc[m.start - 1] if m.start > 0 else None
    cut = before is not None and (before.text in {"'", "’", "No"} or before.text[:1].isupper() and before.pos_ == "PROPN")
    runs_on = m.end + 1 < len(doc) and doc[m.end].text in {"'", "’"} and doc[m.end + 1].text[:1].isupper()
    return not (is_broadcaster(m) or ". " in doc[m.start:m.end].text or cut or runs_on)


_ROLE_MODIFIERS = {"lead", "backing", "guest", "session", "new", "bass", "rhythm", "lead-singer"}


def _unlabelled_bands(sent: Span, mentions: list[ArgMention]) -> Iterator[tuple[str, ArgMention, ArgMention, str]]:
    """"Oasis singer Liam Gallagher" where the recogniser left the band's name unlabelled: capitalised words right
    before a band role ("singer", "drummer", "frontman") and a person's name."""
    doc = sent.doc
    covered = {i for m in mentions for i in range(m.start, m.end)}
    for m in mentions:
        if not is_person(m) or m.start - 2 < sent.start or doc[m.start - 1].lower_ not in _BAND_WORDS:
            continue
        end = m.start - 1
        start = end
        while start - 1 >= sent.start and start - 1 not in covered and doc[start - 1].pos_ in {"PROPN", "NOUN"} \
                and doc[start - 1].text[:1].isupper() and not doc[start - 1].ent_type_ and end - start < 4 \
                and doc[start - 1].lower_ not in _DESCRIBING | _ROLE_MODIFIERS:
            start -= 1
        before = doc[start - 1] if start > sent.start else None
        if start == end or before is not None and (before.text[:1].isupper() or before.text in {"'", "’"}) \
                or any("." in t.text or t.text[:1].isdigit() for t in doc[start:end]):
            continue  # part of a longer name ("No Doubt", "Blazin' Squad") or not a name at all
        band = ArgMention(start=start, end=end, head=end - 1, kind="ORG", name=" ".join(doc[start:end].text.split()))
        yield "memberOf", m, band, "credit:band"


_POSSESSIVE_REACH = 8  # tokens from "'s" to the kind noun: "Martin Scorsese's Howard Hughes biopic The Aviator"


def _possessive_makers(sent: Span, mentions: list[ArgMention], surnames: set[str], focus: Focus,
                       onto: Ontology) -> Iterator[tuple[str, ArgMention, ArgMention, str]]:
    """"<person>'s <description> <kind> <title>": "Martin Scorsese's Howard Hughes biopic The Aviator", "Michael
    Moore's anti-Bush documentary Fahrenheit 9/11", "Eastwood's boxing drama Million Dollar Baby", "the
    director's 2003 film The Life of David Gale" (the person the article is about). The kind noun says the credit
    (director, performer, author); the name right after it is the work, whatever the recogniser typed it. The
    possessor is a person, a name the article has used as a person's last name, or "the director"."""
    doc = sent.doc
    starts = {m.start: m for m in mentions}
    owners: list[tuple[int, ArgMention, bool]] = []  # (index of the "'s", the person, called an actor)
    for m in mentions:
        if m.end < sent.end and doc[m.end].text in {"'s", "'"} and (
                is_person(m) or m.kind in {"ORG", "NORP", "GPE"} and m.label.split()[-1] in surnames):
            owners.append((m.end, m, False))
    for token in sent:
        if token.lower_ in _PERSON_NOUNS and token.i + 1 < sent.end and doc[token.i + 1].text in {"'s", "'"} \
                and token.i > sent.start and doc[token.i - 1].lower_ == "the" and focus.person is not None:
            owners.append((token.i + 1, focus.person, token.lower_ in _ACTING_JOBS))
    for possessive, owner, acting in owners:
        for token in doc[possessive + 1:min(sent.end - 1, possessive + 1 + _POSSESSIVE_REACH)]:
            if token.pos_ in {"VERB", "AUX", "ADP", "CCONJ", "PRON"} or token.text in {",", ";", "(", ")"} \
                    or token.is_sent_end:
                break
            kind = token.lower_
            if kind in _POSSESSIVE_PROPERTY and token.pos_ == "NOUN" and token.i > possessive + 1:
                after = token.i + 1 + (doc[token.i + 1].text == ",")
                work = starts.get(after)
                if work is not None and not (work.entity is not None and work.entity.key == getattr(owner.entity, "key", None)):
                    slot = work if is_work(work, onto) else ArgMention(
                        start=work.start, end=work.end, head=work.head, kind="TITLE",
                        name=" ".join(doc[work.start:work.end].text.split()))
                    credit = _POSSESSIVE_PROPERTY[kind]
                    yield "castMember" if acting and credit == "director" else credit, slot, owner, "credit:possessive"
                break


_PERSON_NOUNS = {"director", "film-maker", "filmmaker", "actor", "actress", "singer", "author", "novelist", "writer",
                 "star", "playwright"}


# Words that say what an article is about, for "<person>'s <title>": a film's director, a play's or a book's author,
# a record's performer
_MEDIUM_WORDS = {
    "film": {"film", "films", "movie", "movies", "cinema", "cinemas", "director", "film-maker", "hollywood", "oscar",
             "oscars", "screen", "box"},
    "stage": {"play", "plays", "theatre", "stage", "musical", "broadway", "playwright", "olivier", "production"},
    "music": {"album", "albums", "single", "singles", "song", "songs", "chart", "band", "singer", "grammy", "grammys",
              "track", "gig", "tour"},
    "book": {"novel", "novels", "book", "books", "author", "booker", "publisher", "writer", "novelist", "fiction"},
}
_MEDIUM_PROPERTY = {"film": "director", "stage": "author", "music": "performer", "book": "author"}
_CLASS_MEDIUM = {"Film": "film", "StageWork": "stage", "Book": "book", "MusicalWork": "music", "Album": "music",
                 "Song": "music"}


def _medium(doc) -> str:
    """The medium an article is about: the one its words name most, at least three times and twice as often as any
    other; "" when none stands out."""
    counts = {medium: 0 for medium in _MEDIUM_WORDS}
    for token in doc:
        for medium, words in _MEDIUM_WORDS.items():
            if token.lower_ in words:
                counts[medium] += 1
    ranked = sorted(counts.items(), key=lambda kv: -kv[1])
    (best, top), (_, second) = ranked[0], ranked[1]
    return best if top >= 3 and top >= 2 * second else ""


def _maker(work: ArgMention, medium: str, onto: Ontology) -> str | None:
    """The property that makes a person the maker of a work named after their possessive: by the work's class when
    coreference typed it, else by the article's medium."""
    if work.entity is not None and work.entity.cls in _CLASS_MEDIUM:
        medium = _CLASS_MEDIUM[work.entity.cls]
    name = _MEDIUM_PROPERTY.get(medium)
    return name if name in onto.properties else None


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
        if glue not in LIST_GLUE or not is_person(m):
            break
        out.append(m)
        previous = m
    return out


# "her single More Than A Woman", "their debut single, Unconditional", "his 1993 album My World", "whose album X":
# a possessive pronoun before a kind noun and the title after it
_PRONOUN_KINDS = {"album": "performer", "single": "performer", "song": "performer", "hit": "performer",
                  "track": "performer", "lp": "performer", "ep": "performer", "record": "performer",
                  "duet": "performer", "ballad": "performer", "anthem": "performer", "novel": "author",
                  "book": "author", "memoir": "author", "autobiography": "author", "play": "author"}
_POSSESSIVE_PRONOUNS = {"his", "her", "their", "whose"}
_TITLE_GLUE = {"of", "the", "a", "an", "in", "on", "to", "for", "and", "with", "from", "at", "by", "n't", "'s", "'ve",
               "'ll", "'m", "'re", "'d", "is", "be", "me", "you"}


def _pronoun_possessives(sent: Span, mentions: list[ArgMention], focus: Focus, onto: Ontology) -> Iterator[Candidate]:
    doc = sent.doc
    starts = {m.start: m for m in mentions}
    for pronoun in sent:
        if pronoun.lower_ not in _POSSESSIVE_PRONOUNS or pronoun.tag_ not in {"PRP$", "WP$"} and pronoun.dep_ != "poss":
            continue
        noun = _kind_noun(doc, pronoun.i + 1, sent.end)
        if noun is None:
            continue
        props_name = _PRONOUN_KINDS.get(noun.lower_, "performer")  # "their debut": an album
        j = noun.i + 1
        if j < sent.end and doc[j].text == ",":
            j += 1
        work = starts.get(j)
        if work is None or work.kind == "AWARD":
            work = _title_after(doc, j, sent.end)
        elif work.kind == "PERSON" and work.entity is not None and work.entity.cls == "Person" and len(work.name.split()) > 1:
            work = ArgMention(start=work.start, end=work.end, head=work.head, kind="TITLE", name=work.name)
        else:
            work = work_slot(work, doc, onto) or work
        self_titled = any(t.lower_ in {"self-titled", "eponymous"} for t in doc[pronoun.i + 1:noun.i]) or (
            noun.i - pronoun.i > 3 and doc[pronoun.i + 1].lower_ == "self" and doc[pronoun.i + 3].lower_ == "titled")
        if work is None and not self_titled:
            continue
        if pronoun.lower_ == "whose":  # "The singer, whose album X ...": the noun the clause is about
            clause = next((t for t in pronoun.ancestors if t.dep_ == "relcl"), None)
            owner = next((m for m in mentions if clause is not None and m.start <= clause.head.i < m.end), None)
            if owner is None and clause is not None and clause.head.lower_ in _PERSON_NOUNS:
                owner = focus.person  # "The singer, whose album Confessions ...": the person the article is about
        else:
            owner = focus.owner(pronoun, mentions)
        prop = onto.properties.get(props_name)
        if owner is None or prop is None:
            continue
        if self_titled:  # "their self-titled debut album": the album takes the band's name
            work = ArgMention(start=owner.start, end=owner.end, head=owner.head, kind="TITLE", name=owner.label)
        elif owner.start <= work.start < owner.end:
            continue
        cls = _CLASS_FOR.get(props_name, "CreativeWork")
        if noun.lower_ in {"album", "lp", "ep"} and "Album" in onto.classes:
            cls = "Album"
        elif noun.lower_ in {"single", "song", "track", "duet", "ballad", "anthem", "hit"} and "Song" in onto.classes:
            cls = "Song"
        subject = _entity(onto, work, cls if cls in onto.classes else "CreativeWork")
        obj = _agent(onto, owner, "Person") if props_name == "performer" else _entity(onto, owner, "Person")
        if subject.key != obj.key or self_titled:
            yield Candidate(prop=prop, subject=subject, object=obj, sentence=sent, rule="credit:pronoun",
                            confidence=_CONFIDENCE)


def _kind_noun(doc, start: int, end: int) -> Token | None:
    """The kind noun a possessive pronoun at ``start - 1`` governs, past up to three modifiers: "her 2000 album",
    "their self-titled debut album", "their self-titled debut" (the last kind noun of the run)."""
    found = None
    for token in doc[start:min(start + 5, end)]:
        if token.lower_ in _PRONOUN_KINDS or token.lower_ == "debut" and token.pos_ == "NOUN":
            found = token
        elif token.pos_ not in {"ADJ", "NUM", "NOUN", "PROPN", "VERB"} and token.text != "-" or (
                token.text[:1].isupper() and token.ent_type_ not in {"ORG", "NORP", "DATE"}):  # "his 1962 ABC album"
            break
    if found is not None and found.lower_ == "debut":
        return found if found.i + 1 >= end or doc[found.i + 1].pos_ != "NOUN" else None
    return found


def _title_after(doc, start: int, end: int) -> ArgMention | None:
    """The capitalised run at ``start`` the recogniser left unlabelled ("If I Ain't Got You"), as a title."""
    stop = start
    last_cap = None
    while stop < end and stop - start < 10 and (doc[stop].text[:1].isupper() or doc[stop].lower_ in _TITLE_GLUE
                                                 or doc[stop].text in {"!", "?"} and not doc[stop - 1].whitespace_):
        if doc[stop].text[:1].isupper() or doc[stop].text in {"!", "?"}:
            last_cap = stop
        stop += 1
    if last_cap is None or not doc[start].text[:1].isupper():
        return None
    span = doc[start:last_cap + 1]
    if any(t.ent_type_ in {"PERSON", "GPE", "DATE"} for t in span):
        return None
    return ArgMention(start=start, end=last_cap + 1, head=span.root.i, kind="TITLE", name=" ".join(span.text.split()))


# A role stated with no work in the sentence, in an article about one work: "Rosa Salazar stars as the cyborg
# Alita", "Sam Worthington and Zoe Saldaña return in the lead roles", "Cameron wrote the screenplay with Laeta
# Kalogridis"
_PLAYS_ROLE = re.compile(r"^(?:also |now |again )?(?:stars?|starred|plays?|played|portrays?|portrayed|voices?|voiced|"
                         r"returns?|returned|reprises?|reprised)(?: (?:as|in the (?:lead|title|starring|main) roles?|"
                         r"(?:his|her|their) roles? as|the (?:lead|title) roles?)\b| (?:his|her|their|the) [\w' -]{1,30})")
_WROTE_SCRIPT = re.compile(r"^(?:also )?(?:co-)?(?:wrote|writes|penned|pens|adapted)(?: the)? (?:screenplay|script)"
                           r"(?: (?:together |jointly )?with)?$")
_MAIN_WORK_CONFIDENCE = 0.6


def _main_work_roles(sent: Span, mentions: list[ArgMention], main_work: Entity, onto: Ontology) -> Iterator[Candidate]:
    """Cast and screenwriters of the article's main work where the sentence names no work of its own."""
    doc = sent.doc
    if any(is_work(m, onto) or m.kind in {"WORK", "TITLE"} for m in mentions):
        return
    people = [m for m in mentions if is_person(m)]
    for n, m in enumerate(people):
        group = [m]
        for other in people[n + 1:]:  # "A and B return in the lead roles"
            if " ".join(t.lower_ for t in doc[group[-1].end:other.start]) in LIST_GLUE:
                group.append(other)
            else:
                break
        if n and " ".join(t.lower_ for t in doc[people[n - 1].end:m.start]) in LIST_GLUE:
            continue  # read with the list it ends
        rest = " ".join(t.lower_ for t in doc[group[-1].end:min(sent.end, group[-1].end + 8)])
        verbs = [t for t in doc[group[-1].end:min(sent.end, group[-1].end + 3)] if t.pos_ in {"VERB", "AUX", "NOUN"}]
        if any(is_irrealis(v, sent) for v in verbs if v.pos_ != "NOUN"):
            continue
        name = None
        if _PLAYS_ROLE.match(rest):
            name = "castMember"
        writer_to = next((o for o in people if o.start > group[-1].end), None)
        if name is None and writer_to is not None:
            between = " ".join(t.lower_ for t in doc[group[-1].end:writer_to.start])
            if _WROTE_SCRIPT.match(between):  # "Cameron wrote the screenplay together with Laeta Kalogridis"
                group, name = [*group, writer_to], "screenwriter"
        elif name is None and re.match(r"^(?:also )?(?:co-)?(?:wrote|penned) the (?:screenplay|script)\b", rest):
            name = "screenwriter"
        prop = onto.properties.get(name) if name else None
        if prop is None or not onto.is_a(main_work.cls, prop.domain if prop.domain in onto.classes else "CreativeWork"):
            continue
        for person in group:
            yield Candidate(prop=prop, subject=main_work, object=_entity(onto, person, "Person"), sentence=sent,
                            rule=f"main-work:{name}", confidence=_MAIN_WORK_CONFIDENCE)
