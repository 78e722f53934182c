"""Award wins and nominations: who or what won or was nominated for which award, as news states it.

In: the sentences of a parsed document, in order, and its :class:`~kg.extract.coref.DocEntities`. Out:
``awardReceived`` / ``nominatedFor`` :class:`~kg.extract.relations.Candidate` facts whose award entity is named
with its ceremony when the text gives one ("Independent Spirit Award for best director").

The shapes read, each through the parse, so lists and coordination come for free:

- a verb of winning or nominating and its subjects: "X won best director and best screenplay", "X and Y took
  the prize for best newcomer", "X, who won best actress", "X was nominated for best film", "X is up for three
  Grammys", "X was named best British group";
- an award as the subject of "go to": "The best film award went to X";
- adjectives: "Oscar-nominated X", "Bafta-winning X";
- a colon list: "best actor: X"; results tables, one category per line (:mod:`kg.extract.award_lists`).

A pronoun subject is the person ("he", "she") or agent ("they") in focus (:class:`~kg.extract.focus.Focus`), or
the most recent work ("it"). Negated,
modal and hoped-for clauses are skipped, as everywhere in extraction.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator

from spacy.tokens import Span, Token

from ..model import Entity, Qualifiers
from ..ontology import Ontology
from .award_lists import award_list_facts, category_credit
from .coref import DocEntities, named_entity
from .focus import Focus, is_person
from .mentions import AWARD_NAMES, CATEGORY_WORDS, LIST_GLUE, ArgMention, is_soft_category, work_slot
from .relations import Candidate, is_irrealis

__all__ = ["award_facts"]

_WIN = {"win", "take", "scoop", "collect", "receive", "land", "claim", "grab", "bag", "pick", "earn", "clinch",
        "secure", "scoop", "carry", "triumph", "award", "name", "vote", "crown", "honour", "honor"}
_NOMINATE = {"nominate", "shortlist", "short-list", "up"}
_NOMINEE_KINDS = {"PERSON", "ORG", "WORK", "TITLE", "GPE", "REF", "NAME"}
_CLIMB = {"nsubj", "nsubjpass", "dobj", "pobj", "prep", "conj", "attr", "oprd", "appos", "npadvmod", "compound", "dative", "acomp", "amod", "nmod"}
_PRONOUNS = {"he": "PERSON", "she": "PERSON", "they": "ANY", "it": "WORK"}
_CONFIDENCE = 0.8


# Awards by the name Wikidata gives them, from the names news uses ("the Oscars", "a Bafta", "two Grammys").
_CANONICAL = {"oscar": "Academy Award", "academy award": "Academy Award", "bafta": "BAFTA Award",
              "brit": "Brit Award", "grammy": "Grammy Award", "emmy": "Emmy Award",
              "golden globe": "Golden Globe Award", "olivier": "Olivier Award", "mobo": "MOBO Award",
              "tony": "Tony Award", "razzie": "Golden Raspberry Award", "booker": "Booker Prize",
              "cesar": "César Award", "césar": "César Award"}
_PLURALS = {"awards", "prizes", "oscars", "baftas", "grammys", "emmys", "brits", "globes", "oliviers", "mobos", "tonys",
            "razzies"}
_LEADING = re.compile(r"^(?:the|a|an|his|her|their|its|two|three|four|five|six|seven|eight|nine|ten)\s+", re.IGNORECASE)


def _ceremony(text: str) -> str:
    """The award a ceremony name stands for: "the Brit Awards" -> "Brit Award", "Oscars" -> "Academy Award"."""
    words = _LEADING.sub("", text.strip()).split()
    if words and words[-1].lower() in _PLURALS:
        words[-1] = words[-1][:-1]
    name = " ".join(words)
    key = name.lower()
    bare = key[: -len(" award")] if key.endswith(" award") and key != "academy award" else key
    return _CANONICAL.get(bare, name)


_PRIZE_FOR = re.compile(r"^(?:the |a |an )?(?:top |main |big |special )?(?:prize|award|honour|gong|trophy) for ", re.IGNORECASE)
_PRIZE_AFTER = re.compile(r"\s+(?:award|prize|gong|trophy|statuette|title|category)s?$", re.IGNORECASE)


def _named_ceremony(mention: ArgMention) -> str | None:
    """The ceremony a category mention names before "for": "Screen Actors Guild Awards for best male" -> its
    award; None for a bare category."""
    before, sep, _ = mention.name.partition(" for ")
    if sep and AWARD_NAMES.search(before) and re.search(r"[A-Z]", before) and not CATEGORY_WORDS.search(before):
        return _ceremony(before)
    return None


def _award_entity(onto: Ontology, mention: ArgMention, ceremony: str | None) -> Entity:
    """The award a mention names, with the ceremony where it gives only a category: "the top prize for best cast
    performance" at the SAG awards -> "Screen Actors Guild Award for best cast performance"."""
    name = _PRIZE_FOR.sub("", mention.name)
    if CATEGORY_WORDS.search(name) and not AWARD_NAMES.search(_PRIZE_AFTER.sub("", name)):
        name = _PRIZE_AFTER.sub("", name)  # "the best supporting actor award"
    has_category = bool(CATEGORY_WORDS.search(name))
    named = AWARD_NAMES.search(name) and re.search(r"[A-Z]", name)
    if has_category and not named and ceremony:
        name = f"{ceremony} for {name}"
    elif has_category and named:  # "the Oscar for best director", "best actress Oscar"
        before, _, category = name.partition(" for ")
        if category:
            name = f"{_ceremony(before)} for {category}"
        else:
            found = AWARD_NAMES.search(name)
            category = (name[:found.start()] + name[found.end():]).strip(" -") if found else name
            name = f"{_ceremony(found.group(0))} for {category}" if found and category else name
    else:
        name = _ceremony(name)
    return named_entity(onto, name, "Award")


def _nominee(onto: Ontology, mention: ArgMention) -> Entity:
    if mention.entity is not None and mention.entity.cls in onto.classes and onto.is_a(mention.entity.cls, "Nominee"):
        return mention.entity
    return named_entity(onto, mention.label, {"PERSON": "Person", "ORG": "Organization"}.get(mention.kind, "CreativeWork"))


def _governing_verb(token: Token) -> Token | None:
    current = token
    for _ in range(8):
        if current.pos_ in {"VERB", "AUX"} or current.lemma_.lower() in _NOMINATE:
            return current
        if current.dep_ not in _CLIMB or current.head.i == current.i:
            return None
        current = current.head
    return None


def _work_for(head: Token, verb: Token | None, at: dict[int, ArgMention], onto: Ontology) -> ArgMention | None:
    """The work after "for" on the award or its verb: "won best actress for Vera Drake"."""
    for owner in (head, verb):
        if owner is None:
            continue
        for prep in owner.children:
            if prep.dep_ == "prep" and prep.lower_ == "for":
                for obj in prep.children:
                    m = at.get(obj.i)
                    if obj.dep_ == "pobj" and m is not None and m.kind != "AWARD":
                        # "best actress for Paper Harbour": what an award is for is a work, whatever its type
                        return work_slot(m, head.doc, onto)
    return None


def _work_entity(onto: Ontology, m: ArgMention) -> Entity:
    if m.entity is not None and onto.is_a(m.entity.cls, "CreativeWork"):
        return m.entity
    return named_entity(onto, m.label, "CreativeWork")


def _is_ceremony(sent: Span, mention: ArgMention) -> bool:
    """True for an award name that names the ceremony the sentence speaks of: "at the Brit Awards", "the Oscars"."""
    if mention.kind != "AWARD" or CATEGORY_WORDS.search(mention.name):
        return False
    if not re.search(r"[A-Z]", mention.name):
        return False
    head = sent.doc[mention.head]
    plural = mention.name.split()[-1].lower() in _PLURALS
    return plural or head.dep_ == "pobj" and head.head.lower_ in {"at", "during"}


_BEAT = {"beat", "pip", "defeat", "edge", "outshine", "trump", "overcome"}
_LOSE = {"lose"}


def _contest(verb: Token, award_mention: ArgMention, award: Entity, sent: Span, onto: Ontology, won, nominated,
             nominee_at) -> Iterator[Candidate]:
    """Facts of a contest for an award: "X beat A, B and C to the best British female prize" (X won; A, B and C were
    nominated), "A lost out in the best supporting role category to X", "A lost the prize to X"."""
    lemma = verb.lemma_.lower()
    to_objects = [t for prep in verb.children if prep.dep_ == "prep" and prep.lower_ == "to"
                  for t in prep.children if t.dep_ == "pobj"]
    if lemma in _BEAT:
        award_via_to = any(award_mention.start <= t.i < award_mention.end for t in to_objects)
        if not award_via_to:
            return
        winners = [x for t in _subjects(verb) if (x := nominee_at(t)) is not None]
        losers = _between(verb, min(t.i for t in to_objects), nominee_at)
    elif lemma in _LOSE:
        winners = [x for t in to_objects for c in _conjuncts(t) if (x := nominee_at(c)) is not None]
        losers = [x for t in _subjects(verb) if (x := nominee_at(t)) is not None]
        if not winners and not losers:
            return
    else:
        return
    rule = f"award:{lemma}"
    for prop, people in ((won, winners), (nominated, losers)):
        if prop is None:
            continue
        for nominee in people:
            if nominee.kind != "AWARD" and not award_mention.start <= nominee.start < award_mention.end:
                yield Candidate(prop=prop, subject=_nominee(onto, nominee), object=award, sentence=sent, rule=rule,
                                confidence=_CONFIDENCE)


def _between(verb: Token, end: int, nominee_at) -> list[ArgMention]:
    """The nominees named between a verb and token ``end``: the list the small parser often breaks ("beat A, B, C
    and D to ..."); places are left out ("A Passage to India" is not India)."""
    found: list[ArgMention] = []
    for token in verb.doc[verb.i + 1:end]:
        m = nominee_at(token)
        if m is not None and m.kind != "GPE" and m not in found and token.dep_ != "poss":
            found.append(m)
    return found


_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")


def qualifiers_for(award: Entity, work: Entity | None = None, year: str | None = None) -> Qualifiers | None:
    """The qualifiers of an award statement: the category the award's name gives ("Academy Award for best actress"
    -> "best actress"), the work it was for and the ceremony's year."""
    _, sep, category = award.label.partition(" for ")
    if not sep and CATEGORY_WORDS.search(award.label):
        category = award.label
    found = Qualifiers(for_work=work, year=year, category=category or None)
    return found if found else None


def _ceremony_year(sent: Span, award: ArgMention, verb: Token | None,
                   ceremonies: tuple[ArgMention, ...] = ()) -> str | None:
    """The year the sentence gives the award's ceremony: in the award's or the ceremony's name ("the 2005 Golden
    Globes"), right before it, or a date on its verb ("won best video in 2000")."""
    doc = sent.doc
    for named in (award, *ceremonies):
        before = doc[named.start - 1] if named.start > sent.start else None
        for token in (*doc[named.start:named.end], before):
            if token is not None and token.ent_type_ == "DATE" and (found := _YEAR.search(token.text)):
                return found.group(1)
    if verb is not None:
        for prep in verb.children:
            if prep.dep_ == "prep" and prep.lower_ in {"in", "during"}:
                for obj in prep.children:
                    if obj.ent_type_ == "DATE" and (found := _YEAR.fullmatch(obj.text.strip())):
                        return found.group(1)
    return None


def _given_at(head: Token) -> bool:
    """True where a ceremony name is where the prizes were given: "at/during the Baftas", "the Baftas' ...", or
    the subject of its sentence."""
    return (head.dep_ == "pobj" and head.head.lower_ in {"at", "during"}) or head.dep_ in {"poss", "nsubj", "compound"}


def _conjuncts(token: Token) -> list[Token]:
    return [token, *[c for c in token.conjuncts if c.i != token.i]]


def _conjunct_clause_subject(verb: Token, nominee_at) -> ArgMention | None:
    """The subject of a coordinated clause the parse left without one: in "A was named X and B, starring C, was Y"
    the small parser hangs B on X as a conjunct; the nearest nominee before the verb that is a conjunct (not an
    object of a participle or a preposition) is the second clause's subject."""
    if verb.dep_ != "conj" or any(c.dep_ in {"nsubj", "nsubjpass"} for c in verb.children):
        return None
    for token in reversed(verb.doc[verb.head.i + 1:verb.i]):
        if token.dep_ == "conj" and token.head.i > verb.head.i and token.pos_ == "PROPN":
            return nominee_at(token)
        if token.dep_ in {"nsubj", "nsubjpass"}:
            return None
    return None


def _subjects(verb: Token) -> list[Token]:
    """The verb's subjects (of the verb it is coordinated with when it has none), conjuncts included."""
    current = verb
    for _ in range(4):
        found = [c for c in current.children if c.dep_ in {"nsubj", "nsubjpass"}]
        if found and current.dep_ == "relcl" and all(c.lower_ in {"who", "that", "which"} for c in found):
            return _conjuncts(current.head)  # "Ray Charles, who has won a string of Grammy Awards"
        if found:
            return [t for s in found for t in _conjuncts(s)]
        if current.dep_ == "pcomp" and current.head.lower_ in {"by", "after"} and current.head.head.i != current.i:
            current = current.head.head  # "X beat Y by taking the prize": X
            continue
        if current.dep_ == "relcl":
            return _conjuncts(current.head)
        if current.dep_ in {"conj", "xcomp", "advcl"} and current.head.i != current.i:
            current = current.head
            continue
        if current.dep_ == "acl":  # "the film, nominated for ...": the noun it modifies
            return _conjuncts(current.head)
        break
    return []


def award_facts(sentences: Iterable[Span], per_sentence: Iterable[list[ArgMention]], ents: DocEntities,
                onto: Ontology) -> Iterator[Candidate]:
    """Award facts of a document's sentences (in document order; ``per_sentence``: each sentence's mentions)."""
    if "awardReceived" not in onto.properties or "Award" not in onto.classes:
        return
    won, nominated = onto.properties["awardReceived"], onto.properties.get("nominatedFor")
    sentences, per_sentence = list(sentences), list(per_sentence)
    ceremonies: Counter = Counter()
    first_ceremony = None
    for sent, mentions in zip(sentences, per_sentence):
        for m in mentions:
            named = _ceremony(m.name) if _is_ceremony(sent, m) else _named_ceremony(m) if m.kind == "AWARD" else None
            if named:
                ceremonies[named] += 1
                first_ceremony = first_ceremony or named
    # the ceremony an article is about is the first it names as one ("at the X Awards", "the X Awards"), else the
    # prize it names most, at least twice ("the shortlist for the Booker Prize ... the main Booker Prize")
    named_prizes = Counter(_ceremony(m.name) for mentions in per_sentence for m in mentions
                           if m.kind == "AWARD" and not CATEGORY_WORDS.search(m.name) and re.search(r"[A-Z]", m.name))
    main_ceremony = first_ceremony or (ceremonies.most_common(1)[0][0] if ceremonies else None) or next(
        (name for name, count in named_prizes.most_common(1) if count >= 2), None)
    yield from award_list_facts(sentences, ents, onto, main_ceremony)
    if main_ceremony and nominated is not None:
        yield from _shortlist_lines(sentences, ents, onto, nominated, named_entity(onto, main_ceremony, "Award"))
    last: dict[str, ArgMention] = {}
    focus = Focus()
    for sent, mentions in zip(sentences, per_sentence):
        doc = sent.doc
        at = {i: m for m in mentions for i in range(m.start, m.end)}
        # the sentence's own ceremony where it says the prizes were given there ("at the Baftas", "the Baftas'
        # best film"), not one it only mentions ("in the run-up to the Oscars")
        ceremony_mentions = tuple(m for m in mentions if _is_ceremony(sent, m))
        in_sentence = [m.name for m in ceremony_mentions if (
            main_ceremony is None or _ceremony(m.name) == main_ceremony or _given_at(doc[m.head]))]
        ceremony = _ceremony(in_sentence[0]) if in_sentence else main_ceremony

        def nominee_at(token: Token, mentions=mentions) -> ArgMention | None:
            m = at.get(token.i)
            if m is not None:
                return m if m.kind in _NOMINEE_KINDS else None
            wanted = _PRONOUNS.get(token.lower_)
            if wanted is None:
                return None
            if wanted == "WORK":
                return last.get("WORK")
            return focus.owner(token, mentions) or (last.get("WORK") if wanted == "ANY" else None)

        for m in mentions:
            if m.kind != "AWARD" or is_soft_category(m.name) and not ceremony:
                continue
            award = _award_entity(onto, m, ceremony)
            head = doc[m.head]
            if head.dep_ == "pobj" and head.head.lower_ in {"at", "during", "before", "after", "ahead", "until", "since",
                                                            "than"}:
                continue  # "won best director at the Northgate Film Awards" (the ceremony, named in the category),
                # "a month before the Oscars" (a ceremony that only places the sentence in time)
            verb = _governing_verb(head)
            nominees: list[ArgMention] = []
            prop = None
            if verb is not None and not is_irrealis(verb, sent):
                lemma = verb.lemma_.lower()
                if lemma in _NOMINATE or verb.lower_ in {"nominated", "shortlisted"}:
                    prop = nominated
                elif lemma == "go" and any(c.dep_ == "nsubj" and c.i in range(m.start, m.end) for c in verb.children):
                    prop = won
                    for prep in (c for c in verb.children if c.dep_ == "prep" and c.lower_ == "to"):
                        nominees += [x for t in prep.children if t.dep_ == "pobj" for c in _conjuncts(t)
                                     if (x := nominee_at(c)) is not None]
                elif lemma in _WIN or lemma == "be" and head.dep_ == "attr" and CATEGORY_WORDS.search(m.name):
                    prop = won  # "X won best director", "X was best actress"
                    if verb.dep_ in {"xcomp", "advcl"} and verb.head.lemma_.lower() in _BEAT:
                        # "X beat A to win best actor": A was nominated
                        for loser in _between(verb.head, verb.i, nominee_at):
                            yield Candidate(prop=nominated, subject=_nominee(onto, loser), object=award, sentence=sent,
                                            rule="award:beat", confidence=_CONFIDENCE)
                    if head.dep_ == "nsubjpass":  # "the prize was won by X"
                        nominees += [x for agent in verb.children if agent.dep_ == "agent" for t in agent.children
                                     if t.dep_ == "pobj" for c in _conjuncts(t) if (x := nominee_at(c)) is not None]
                if prop is not None and not nominees:
                    nominees = [x for t in _subjects(verb) if (x := nominee_at(t)) is not None]
                    left = _conjunct_clause_subject(verb, nominee_at)
                    if left is not None:  # "A was named X and B, starring C, was Y": B, not A
                        nominees = [left]
            if prop is None and verb is not None and not is_irrealis(verb, sent):
                # "X beat A and B to best picture": X won, A and B were nominated; "A lost out to X": the reverse
                yield from _contest(verb, m, award, sent, onto, won, nominated, nominee_at)
            if prop is None:
                continue
            work = _work_for(head, verb, at, onto)
            credit = category_credit(m.name, onto)
            year = _ceremony_year(sent, m, verb, ceremony_mentions)
            for nominee in nominees:
                if nominee.start in range(m.start, m.end):
                    continue
                subject = _nominee(onto, nominee)
                for_work = _work_entity(onto, work) if work is not None and work is not nominee else None
                yield Candidate(prop=prop, subject=subject, object=award, sentence=sent,
                                rule=f"award:{verb.lemma_.lower() if verb is not None else 'list'}", confidence=_CONFIDENCE,
                                qualifiers=qualifiers_for(award, for_work, year))
                # "X won best actress for Y": X is in Y's cast ("best director for Y": Y's director)
                # "Green Day took best rock video for American Idiot": a band performs
                performs = credit is not None and credit.name == "performer" and subject.cls == "MusicalGroup"
                if work is not None and credit is not None and (subject.cls == "Person" or performs) and work is not nominee:
                    yield Candidate(prop=credit, subject=_work_entity(onto, work), object=subject, sentence=sent,
                                    rule="award:for-work", confidence=_CONFIDENCE)
        if main_ceremony and nominated is not None:
            yield from _bare_nominations(sent, at, onto, nominated, named_entity(onto, ceremony or main_ceremony, "Award"),
                                         nominee_at)
        yield from _winners_such_as(sent, at, onto, won, main_ceremony)
        yield from _surface(sent, mentions, onto, won, nominated, ceremony, ceremony_mentions)
        if nominated is not None:
            yield from _contention(sent, mentions, onto, nominated, ceremony, ceremony_mentions)
        yield from _adjectival(sent, mentions, ents, onto, won, nominated)
        yield from _role_nouns(sent, mentions, at, onto, won, nominated, main_ceremony, ceremony)
        focus.update(sent, mentions)
        for m in mentions:
            if m.kind in {"WORK", "TITLE", "REF"} and not is_person(m):
                last["WORK"] = m


# The words between a nominee and an award that state a win or a nomination, whatever the parse made of them:
# "Staunton, who played the title role, was named best actress", "Freeman took the best supporting actor award".
_RELATIVE = r"(?:,? (?:who|which) [^,]{1,80},? )?(?:- [^-]{1,60} - )?(?:also |has also |have also |had also )?"
_WON_BETWEEN = re.compile(
    rf"^{_RELATIVE}(?:was |were |has been |have been |is |are |had been )?(?:jointly |also )?"
    r"(?:named|crowned|voted|won|wins|took|takes|picked up|picks up|collected|scooped|received|landed|claimed|"
    r"triumphed as|was|were|earned|bagged|clinched|secured)(?: the| a| an| this year's| last year's)?$")
_NOMINATED_BETWEEN = re.compile(
    rf"^{_RELATIVE}(?:was |were |has been |have been |is |are |had been )?(?:also )?"
    r"(?:nominated for|shortlisted for|up for|in the running for|in contention for|nominated in|"
    r"received a nomination for|earned a nomination for|got a nomination for|picked up a nomination for)"
    r"(?: the| a| an| this year's)?$")
_WENT_TO = re.compile(r"^(?:went|goes|has gone|was given|was presented|was awarded) to$")


def _surface(sent: Span, mentions: list[ArgMention], onto: Ontology, won, nominated,
             ceremony: str | None, ceremony_mentions: tuple[ArgMention, ...]) -> Iterator[Candidate]:
    """Wins and nominations read from the words between a nominee and an award (or an award and a nominee);
    ``ceremony``: the one the sentence, else the article, names; ``ceremony_mentions``: the sentence's mentions of
    ceremonies."""
    doc = sent.doc
    for a, b in zip(mentions, mentions[1:]):
        between = " ".join(t.text for t in doc[a.end:b.start]).lower()
        if a.kind in _NOMINEE_KINDS - {"GPE"} and b.kind == "AWARD":
            nominee, award = a, b
            prop = won if _WON_BETWEEN.match(between) else nominated if _NOMINATED_BETWEEN.match(between) else None
        elif a.kind == "AWARD" and b.kind in _NOMINEE_KINDS - {"GPE"} and _WENT_TO.match(between):
            nominee, award, prop = b, a, won
        else:
            continue
        if prop is None or _is_ceremony(sent, award) and prop is won and between.endswith(("was", "were")) or (
                is_soft_category(award.name) and not ceremony):
            continue
        verbs = [t for t in doc[a.end:b.start] if t.pos_ in {"VERB", "AUX"}]
        if any(is_irrealis(v, sent) for v in verbs):
            continue
        award_entity = _award_entity(onto, award, ceremony)
        work = _work_after(sent, mentions, award, onto) if award is b else None
        subject = _nominee(onto, nominee)
        yield Candidate(prop=prop, subject=subject, object=award_entity, sentence=sent,
                        rule="award:words", confidence=_CONFIDENCE,
                        qualifiers=qualifiers_for(award_entity, _work_entity(onto, work) if work is not None else None,
                                                  _ceremony_year(sent, award, None, ceremony_mentions)))
        credit = category_credit(award.name, onto)
        if work is not None and credit is not None and (
                subject.cls == "Person" or credit.name == "performer" and subject.cls == "MusicalGroup"):
            # "Will Young won the best single prize for Your Game": the category says what the winner did
            yield Candidate(prop=credit, subject=_work_entity(onto, work), object=subject, sentence=sent,
                            rule="award:for-work", confidence=_CONFIDENCE)


_FOR_WORK = re.compile(r"^(?:(?:prize|award|crown|gong|trophy|title) )?for(?: (?:the|his|her|their|its) (?:[\w-]+ )?"
                       r"(?:song|single|album|video|track|film|movie|play|book|novel|show|series))?$")


def _work_after(sent: Span, mentions: list[ArgMention], award: ArgMention, onto: Ontology) -> ArgMention | None:
    """The work an award was for when the words after it say so: "the best single prize for Your Game"."""
    doc = sent.doc
    later = [m for m in mentions if m.start >= award.end]
    if not later:
        return None
    between = " ".join(t.lower_ for t in doc[award.end:later[0].start])
    return work_slot(later[0], doc, onto) if _FOR_WORK.match(between) else None


_IN_CONTENTION = re.compile(r"^(?:[,-] )?(?:who |which )?(?:was |were |is |are |has |have |had |had been |has been )?"
                            r"(?:also |both |all )?(?:missed out on|lost out on|in the running for|up for|vying for|"
                            r"competing for|contending for|in contention for)(?: the| a| an| this year's)?$")
_LIST_GLUE = LIST_GLUE | {"as well as", ", as well as", "plus"}
_OTHER_NOMINEES = re.compile(r"^other (?:films|movies|nominees|contenders|albums|acts|artists|books|novels|plays|"
                             r"shows|singles|songs|bands|finalists)(?: nominated| shortlisted| in the running)?$")


def _contention(sent: Span, mentions: list[ArgMention], onto: Ontology, nominated, ceremony: str | None,
                ceremony_mentions: tuple[ArgMention, ...]) -> Iterator[Candidate]:
    """Nominations news words as a contest still open or lost:

    - "A and B missed out on / are in the running for / are up for <award> (and <award>)";
    - "<award>, where it was up against A and B";
    - "the other films nominated (for <award>) are A, B and C";
    - "A is leading the field at the Oscars with 11 nominations", "A, B and C received two nominations each".
    """
    doc = sent.doc
    nominees = [m for m in mentions if m.kind in _NOMINEE_KINDS - {"GPE"} or m.kind == "GPE" and m.entity is not None
                and onto.is_a(m.entity.cls, "CreativeWork")]
    awards = [m for m in mentions if m.kind == "AWARD"]
    found: list[tuple[ArgMention, ArgMention | None]] = []  # (nominee, award mention or None for the ceremony)
    work_kind = onto.kind("CreativeWork") if "CreativeWork" in onto.classes else None
    work_nouns = {noun for noun, cls in onto.context_classes.items() if onto.kind(cls) == work_kind}

    def listed_before(m: ArgMention) -> list[ArgMention]:
        group = [m]
        for other in reversed([n for n in nominees if n.end <= group[0].start]):
            if " ".join(t.lower_ for t in doc[other.end:group[0].start]) in _LIST_GLUE:
                group.insert(0, other)
            else:
                break
        return group

    def listed_after(start: int) -> list[ArgMention]:
        group: list[ArgMention] = []
        previous, carried = start, None
        for m in (n for n in nominees if n.start >= start):
            glue = carried if carried is not None else " ".join(t.lower_ for t in doc[previous:m.start])
            if m.end < sent.end and (doc[m.end].text in {"'s", "'"} or doc[m.end].lower_ in work_nouns):
                # "Andrew Lloyd Webber's The Woman in White", "Ray Charles biopic Ray": the work after it
                carried, previous = glue, m.end + 1
                continue
            if carried is not None and doc[previous:m.start].text.strip():
                glue = f"{carried} {doc[previous:m.start].text.lower()}"
            carried = None
            # the first may follow a description ("wine comedy Sideways"); the rest follow list glue
            if group and glue not in _LIST_GLUE and not re.fullmatch(r"(?:,|, and|and) (?:[a-z-]+ ){1,3}", glue + " "):
                break
            if not group and len(glue.split()) > 3:
                break
            group.append(m)
            previous = m.end
        return group

    # "A and B missed out on X (and Y)"
    for award in awards:
        before = [m for m in nominees if m.end <= award.start]
        if not before:
            continue
        between = " ".join(t.lower_ for t in doc[before[-1].end:award.start]).replace(" - ", " ")
        if _IN_CONTENTION.match(between.strip()):
            more = [award] + [a for a in awards if a.start > award.end and " ".join(
                t.lower_ for t in doc[award.end:a.start]) in _LIST_GLUE]
            found += [(n, a) for n in listed_before(before[-1]) for a in more]
    for token in sent:
        # "<award>, where it was up against A and B"
        if token.lower_ == "against" and token.i > sent.start and doc[token.i - 1].lower_ == "up":
            award = next((a for a in reversed(awards) if a.end <= token.i and CATEGORY_WORDS.search(a.name)), None)
            if award is not None:
                found += [(n, award) for n in listed_after(token.i + 1)]
        # "the other films nominated for best picture are A, B and C"
        if token.lemma_ in {"be", "include"} and token.i > sent.start:
            subject = " ".join(t.lower_ for t in doc[sent.start:token.i] if t.lower_ not in {"the", "this", "year", "'s"})
            named = [a for a in awards if a.end <= token.i]
            named = [a for a in named if CATEGORY_WORDS.search(a.name)] or named  # the category, not its ceremony
            head = re.sub(r" (?:for|in) .*$", "", subject)
            if _OTHER_NOMINEES.match(head):
                found += [(n, named[-1] if named else None) for n in listed_after(token.i + 1)]
        # "A is leading the field at the Oscars with 11 nominations", "A and B received two nominations each"
        if token.lower_ in {"nominations", "nods"} and token.i > sent.start and (
                doc[token.i - 1].like_num or doc[token.i - 1].ent_type_ == "CARDINAL"):
            verb = next((t for t in token.ancestors if t.pos_ in {"VERB", "AUX"}), None)
            if verb is None or is_irrealis(verb, sent):
                continue
            subjects = [t for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"} for t in _conjuncts(c)]
            at = {i: m for m in nominees for i in range(m.start, m.end)}
            for subject in subjects:
                if subject.i in at:
                    found += [(n, None) for n in listed_before(at[subject.i])]
                    found += [(n, None) for n in listed_after(at[subject.i].end) if n.end <= verb.i]
    seen = set()
    for nominee, award_mention in found:
        if award_mention is None and not ceremony:
            continue
        award = _award_entity(onto, award_mention, ceremony) if award_mention is not None else named_entity(
            onto, ceremony, "Award")
        subject = _nominee(onto, nominee)
        if (subject.key, award.key) in seen or subject.key == award.key:
            continue
        seen.add((subject.key, award.key))
        yield Candidate(prop=nominated, subject=subject, object=award, sentence=sent, rule="award:contention",
                        confidence=_CONFIDENCE, qualifiers=qualifiers_for(award))


_ROLE_NOUNS = {"nominee": "nominated", "nominees": "nominated", "winner": "won", "winners": "won",
               "nomination": "nominated", "nominations": "nominated", "nod": "nominated", "nods": "nominated"}


def _role_nouns(sent: Span, mentions: list[ArgMention], at: dict[int, ArgMention], onto: Ontology, won, nominated,
                main_ceremony: str | None, ceremony: str | None) -> Iterator[Candidate]:
    """"Oscar nominee Imelda Staunton", "nominees include X and Y", "X leads with five nominations".

    ``at``: the mention at each token; ``ceremony``: the one the sentence, else the article, names."""
    for noun in sent:
        role = _ROLE_NOUNS.get(noun.lower_)
        if role is None or noun.pos_ not in {"NOUN", "PROPN"}:
            continue
        prop = nominated if role == "nominated" else won
        owner = next((at[c.i] for c in noun.children if c.dep_ == "poss" and c.i in at and at[c.i].kind in _NOMINEE_KINDS), None)
        if owner is not None and noun.dep_ == "nsubj" and noun.head.lemma_ == "include":
            # "Ciara's four nominations include best female album and best new artist": each category is one
            listed = [at[t.i] for t in noun.head.subtree if t.i in at and at[t.i].kind == "AWARD" and t.i > noun.head.i]
            for award in dict.fromkeys(listed):
                yield Candidate(prop=prop, subject=_nominee(onto, owner), object=_award_entity(onto, award, main_ceremony),
                                sentence=sent, rule=f"award:{noun.lower_}", confidence=_CONFIDENCE)
            continue
        award_mention = next((at[c.i] for c in noun.children if c.dep_ in {"compound", "amod", "nmod"} and c.i in at
                              and at[c.i].kind == "AWARD"), None)
        if award_mention is None:
            # "nominee for best actress", "winner of best single at the Mobos", "among the winners at the Brits"
            award_mention = next((at[t.i] for word in ("for", "of", "at") for p in noun.children if p.dep_ == "prep"
                                  and p.lower_ == word for t in p.children
                                  if t.dep_ == "pobj" and t.i in at and at[t.i].kind == "AWARD"), None)
        if award_mention is not None:
            award_name = _award_entity(onto, award_mention, main_ceremony)
        elif main_ceremony and (noun.lower_.startswith(("nomination", "nod")) and any(c.like_num for c in noun.children)
                                or noun.dep_ == "nsubj" and noun.head.lemma_ == "include"):
            # "X has four nominations", "other nominees include X and Y": the ceremony the sentence or article names
            award_name = named_entity(onto, ceremony, "Award")
        else:
            continue
        targets: list[Token] = []
        if noun.dep_ == "compound" and noun.head.i in at:  # "Oscar nominee Imelda Staunton"
            targets = _conjuncts(noun.head)
        targets += [c for c in noun.children if c.dep_ == "appos" for c in _conjuncts(c)]
        if noun.dep_ == "appos" and noun.head.i in at:  # "Staunton, an Oscar nominee"
            targets += _conjuncts(noun.head)
        if noun.dep_ == "nsubj" and noun.head.lemma_ in {"include", "be"}:  # "nominees include X and Y"
            targets += [t for c in noun.head.children if c.dep_ in {"dobj", "attr"} for t in _conjuncts(c)]
        if noun.dep_ == "attr" and noun.head.lemma_ == "be":  # "X is an Oscar nominee"
            targets += [t for c in noun.head.children if c.dep_ == "nsubj" for t in _conjuncts(c)]
        if noun.dep_ == "dobj" and noun.head.lemma_ in {"have", "receive", "earn", "get", "gain", "garner", "land", "pick", "scoop", "secure"}:
            targets += _subjects(noun.head)  # "X has four nominations"
        if noun.dep_ == "pobj" and noun.head.lower_ == "among" and noun.head.head.pos_ in {"VERB", "AUX"}:
            targets += _subjects(noun.head.head)  # "A and B were among the winners at the Brit Awards"
        if noun.dep_ == "pobj" and noun.head.lower_ == "with" and noun.head.head.pos_ == "VERB":
            targets += _subjects(noun.head.head)  # "X leads with five nominations"
        verb = noun.head if noun.head.pos_ in {"VERB", "AUX"} else None
        if verb is not None and is_irrealis(verb, sent):
            continue
        for token in targets:
            mention = at.get(token.i)
            if mention is None or mention.kind not in _NOMINEE_KINDS or (award_mention and mention is award_mention):
                continue
            yield Candidate(prop=prop, subject=_nominee(onto, mention), object=award_name, sentence=sent,
                            rule=f"award:{noun.lower_}", confidence=_CONFIDENCE)


def _adjectival(sent: Span, mentions: list[ArgMention], ents: DocEntities, onto: Ontology, won,
                nominated) -> Iterator[Candidate]:
    """"Oscar-nominated X", "Bafta-winning X": an award name joined by a hyphen to a participle before a name."""
    doc = sent.doc
    for i in range(sent.start, sent.end - 2):
        first, hyphen, participle = doc[i], doc[i + 1], doc[i + 2]
        if hyphen.text != "-" or not AWARD_NAMES.fullmatch(first.text.lower()):
            continue
        prop = nominated if participle.lower_ in {"nominated", "shortlisted"} else won if participle.lower_ in {"winning", "awarded"} else None
        if prop is None:
            continue
        target = participle.head
        for j in range(i + 3, min(sent.end, i + 8)):
            entity = ents.entity_of.get(j)
            if entity is not None or doc[j].ent_type_:
                target = doc[j]
                break
        mention = next((m for m in mentions if m.start <= target.i < m.end), None)
        if mention is None or mention.kind not in _NOMINEE_KINDS:
            continue
        award = named_entity(onto, _ceremony(first.text), "Award")
        yield Candidate(prop=prop, subject=_nominee(onto, mention), object=award, sentence=sent,
                        rule=f"award:{participle.lower_}", confidence=_CONFIDENCE)


def _bare_nominations(sent: Span, at: dict[int, ArgMention], onto: Ontology, nominated, award: Entity,
                      nominee_at) -> Iterator[Candidate]:
    """"Doris Lessing and Ian McEwan have also been nominated": a nomination that names no award is for the
    ceremony the sentence, else the article, is about (only where the article names one)."""
    for verb in sent:
        if verb.lower_ not in {"nominated", "shortlisted", "short-listed"} or verb.dep_ not in {"ROOT", "conj"}:
            continue
        if any(c.dep_ in {"prep", "dobj", "agent"} for c in verb.children) or is_irrealis(verb, sent):
            continue  # "nominated for <award>" is read with the award; "nominated by" is not a nomination's subject
        for token in (t for c in verb.children if c.dep_ == "nsubjpass" for t in _conjuncts(c)):
            nominee = nominee_at(token)
            if nominee is not None and nominee.kind != "AWARD":
                yield Candidate(prop=nominated, subject=_nominee(onto, nominee), object=award, sentence=sent,
                                rule="award:nominated", confidence=_CONFIDENCE)


def _winners_such_as(sent: Span, at: dict[int, ArgMention], onto: Ontology, won,
                     main_ceremony: str | None) -> Iterator[Candidate]:
    """"past winners of the Booker Prize, such as A, B and C": each listed name won it."""
    for noun in sent:
        if noun.lower_ not in {"winners", "winner", "recipients", "laureates"}:
            continue
        award = next((at[t.i] for p in noun.children if p.dep_ == "prep" and p.lower_ == "of" for t in p.children
                      if t.dep_ == "pobj" and t.i in at and at[t.i].kind == "AWARD"), None)
        if award is None:
            continue
        listed = [t for holder in (noun, sent.doc[award.head]) for p in holder.children
                  if p.dep_ == "prep" and p.lower_ == "as" and any(c.lower_ == "such" for c in p.children)
                  for pobj in p.children if pobj.dep_ == "pobj" for t in _conjuncts(pobj)]
        for token in listed:
            m = at.get(token.i)
            if m is not None and m.kind in _NOMINEE_KINDS - {"GPE"}:
                yield Candidate(prop=won, subject=_nominee(onto, m), object=_award_entity(onto, award, main_ceremony),
                                sentence=sent, rule="award:winners", confidence=_CONFIDENCE)


_BRACKETED = re.compile(r"([A-Z][\w'.-]+(?: [A-Z][\w'.-]+){1,3}) \(([A-Z][\w .-]{1,30})\)")
_SHORTLIST_WORDS = re.compile(r"\b(?:shortlist|short-list|shortlisted|nominees|nominations|nominated|longlist|"
                              r"contenders|list)\b", re.IGNORECASE)


def _shortlist_lines(sentences: list[Span], ents: DocEntities, onto: Ontology, nominated,
                     award: Entity) -> Iterator[Candidate]:
    """A shortlist printed as names each with a country in brackets, "Margaret Atwood (Canada) Saul Bellow (Canada)
    ...", three or more on a line, in an article about a shortlist or nominations: each name is a nominee."""
    if not sentences:
        return
    doc = sentences[0].doc
    if not _SHORTLIST_WORDS.search(doc[:sentences[min(2, len(sentences) - 1)].end].text):  # the headline and lead
        return
    text = doc.text  # Doc.text joins every token: read only for an article about a shortlist
    offset = 0
    for line in text.splitlines(keepends=True):
        found = list(_BRACKETED.finditer(line))
        if len(found) >= 3 and sum(m.end() - m.start() for m in found) >= 0.6 * len(line.strip()):
            for m in found:
                span = doc.char_span(offset + m.start(1), offset + m.end(1), alignment_mode="expand")
                if span is None or not len(span) or any(t.ent_type_ == "DATE" for t in span):
                    continue
                person = ents.entity_of.get(span[0].i)
                subject = person if person is not None and person.cls == "Person" and person.label == m.group(1) \
                    else named_entity(onto, m.group(1), "Person")
                yield Candidate(prop=nominated, subject=subject, object=award, sentence=span.sent,
                                rule="award:shortlist", confidence=_CONFIDENCE)
        offset += len(line)
