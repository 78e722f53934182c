"""Cast and crew read from the parse of a clause, where the work and the people are not side by side.

:mod:`kg.extract.credits` reads credits from the words between two neighbouring mentions. These shapes put
other words between them, so they are read from the dependency parse instead:

- a participle: "Strong Medicine was turned into a film in 1986, starring A, B and C", "the book was adapted
  into a hit film, starring A as the manager and B as a pilot, alongside C and D": the people in the
  participle's phrase (not the characters after "as") are the cast of the work its clause is about;
- a cast verb with its work after "in": "A, B and C are co-starring in the film" (the film the article means),
  "Freeman, who starred in hit BBC comedy The Office", "the film The Long Road, in which Kevin Spacey played a
  man";
- a relative clause of credits: "Garden State, which he wrote, directed and starred in".

In: one sentence, its mentions (:func:`~kg.extract.mentions.sentence_mentions`, anaphors such as "the film"
already resolved to their work) and the pronoun :class:`~kg.extract.focus.Focus`. Out: credits as (property
name, work mention, person mention, rule), the rule ``cast:participle``, ``cast:verb`` or ``cast:relative``;
:func:`kg.extract.credits.credit_facts` makes them facts. Nothing is read from a negated, modal or conditional
clause.
"""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Span, Token

from ..ontology import Ontology
from .focus import Focus, is_person
from .mentions import ArgMention, is_work, work_slot
from .relations import is_irrealis, listed

__all__ = ["clause_credits"]

_PARTICIPLES = {"starring", "co-starring", "featuring"}
_CAST_VERBS = {"star", "co-star", "appear", "act", "play", "feature"}
# verbs of a relative clause on a work -> the credit they give its subject ("which he wrote, directed and starred in")
_RELATIVE_CREDITS = {"direct": "director", "co-direct": "director", "write": "screenwriter", "co-write": "screenwriter",
                     "produce": "producer", "star": "castMember", "co-star": "castMember", "appear": "castMember"}
_RELATIVES = {"which", "that"}
_PERSON_PRONOUNS = {"he", "she"}
_MAX_HOPS = 3
_MAX_CHAIN = 7  # participle, agent's person, "by", participle, noun, copula ...


Credit = tuple[str, ArgMention, ArgMention, str]  # property name, work, person, rule


def clause_credits(sent: Span, mentions: list[ArgMention], focus: Focus, onto: Ontology) -> Iterator[Credit]:
    """Credits of one sentence read from its clauses (see the module's docstring for the shapes)."""
    if "CreativeWork" not in onto.classes:
        return
    at: dict[int, ArgMention] = {i: m for m in mentions for i in range(m.start, m.end)}
    for token in sent:
        participle = None
        if token.lower_ in _PARTICIPLES and token.pos_ == "VERB" and not is_irrealis(token, sent):
            participle = _clause_work(token, at, onto)
            # "her song Bout featuring Rah Digga": a record's featured artist, not a cast
            if participle is not None and not (participle.entity is not None and "MusicalWork" in onto.classes
                                               and onto.is_a(participle.entity.cls, "MusicalWork")):
                for person in _participle_people(token, mentions, onto):
                    yield "castMember", participle, person, "cast:participle"
        if participle is None and token.pos_ == "VERB" and token.lemma_.lower() in _CAST_VERBS \
                and not is_irrealis(token, sent):
            works = _works_after_in(token, at, onto)
            if works:
                for person in _subjects(token, at, mentions, focus):
                    for work in works:
                        yield "castMember", work, person, "cast:verb"
        if token.lower_ in {"stars", "co-stars"} and token.pos_ == "NOUN" and not is_irrealis(token, sent):
            # "The film stars A, B and C": the parser reads "stars" as a noun with the cast in apposition; "X was
            # produced by A and stars B and C": a noun joined to the verb whose subject it shares
            subject = next((c for c in token.children if c.dep_ == "nsubj"), None)
            if subject is None and token.dep_ == "conj":
                subject = next((c for c in token.head.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
            work = at.get(subject.i) if subject is not None else None
            if is_work(work, onto):
                for first in (c for c in token.children if c.dep_ in {"appos", "dobj", "attr"}):
                    for t in listed(first):
                        if (person := at.get(t.i)) is not None and is_person(person):
                            yield "castMember", work, person, "cast:verb"
        if token.dep_ == "relcl" and token.pos_ == "VERB" and not is_irrealis(token, sent):
            yield from _relative_credits(token, sent, at, mentions, focus, onto)


def _clause_work(participle: Token, at: dict[int, ArgMention], onto: Ontology) -> ArgMention | None:
    """The work a participle's clause is about: the work it hangs on, or its verb's subject. The walk passes
    through a chain of participles the parser hangs on each other's agents ("a film directed by A, produced by B
    and starring C")."""
    head = participle
    for _ in range(_MAX_CHAIN):
        if head.head.i == head.i:
            return None
        head = head.head
        if is_work(at.get(head.i), onto):
            return at[head.i]
        if head.pos_ in {"VERB", "AUX"}:
            subjects = [at.get(t.i) for c in head.children if c.dep_ in {"nsubj", "nsubjpass"}
                        for t in (c, *(a for a in c.children if a.dep_ == "appos"))]  # "the film Glass Harbor"
            works = [m for m in subjects if is_work(m, onto)]
            if works or subjects or head.dep_ not in {"acl", "conj"}:
                return works[0] if works else None
    return None


def _participle_people(participle: Token, mentions: list[ArgMention], onto: Ontology) -> list[ArgMention]:
    """The people in a participle's phrase, not the characters named after "as"."""
    doc = participle.doc
    inside = {t.i for t in participle.subtree}
    people = []
    for m in (m for m in mentions if m.start > participle.i and m.head in inside):
        if not is_person(m):
            if is_work(m, onto):
                break  # "starring Bill Murray, and the biopic Kinsey, which features X": X is Kinsey's
            continue
        if not (m.start > 0 and doc[m.start - 1].lower_ == "as"):
            people.append(m)
    return people


def _works_after_in(verb: Token, at: dict[int, ArgMention], onto: Ontology) -> list[ArgMention]:
    """The works after a cast verb's "in": named there ("starred in A and B"), an anaphor resolved to one, or the
    work a "which" stands for. Only the name and the words that describe it count, not a clause or a place
    hanging on it ("in Mad Dogs, a series available on Amazon in the US")."""
    out: list[ArgMention] = []
    for prep in verb.children:  # "In recent years she appeared in X": every "in"
        if prep.dep_ != "prep" or prep.lower_ != "in":
            continue
        for obj in prep.children:  # the parser may hang a split name's parts on "in" one by one ("mini", "X")
            if obj.dep_ != "pobj":
                continue
            if obj.lower_ in _RELATIVES and verb.dep_ == "relcl":  # "The Long Road, in which X played a man"
                return [at[verb.head.i]] if is_work(at.get(verb.head.i), onto) else []
            for item in (obj, *obj.conjuncts):
                inside = sorted({at[i].start: at[i] for i in _named_by(item) if i in at}.values(), key=lambda m: m.start)
                works = [m for m in inside if is_work(m, onto)]
                if works and works[-1] not in out:  # "hit BBC comedy The Office": the work, not the broadcaster
                    out.append(works[-1])
    return out


_NAMING_DEPS = {"compound", "amod", "nmod", "det", "poss", "nummod", "appos", "punct"}


def _named_by(token: Token) -> list[int]:
    """Token indices of a noun phrase's name and description: the token, its modifiers and appositions, without
    the clauses, prepositions and conjuncts hanging on it."""
    out = [token.i]
    for child in token.children:
        if child.dep_ in _NAMING_DEPS:
            out += _named_by(child)
    return out


def _subjects(verb: Token, at: dict[int, ArgMention], mentions: list[ArgMention], focus: Focus) -> list[ArgMention]:
    """The people a verb's subject names: a list ("A, B and C are co-starring"), the person a "who" clause hangs
    on, or the person a "he"/"she" points at."""
    out: list[ArgMention] = []
    subjects = [c for c in verb.children if c.dep_ == "nsubj"]
    head = verb
    for _ in range(_MAX_HOPS):  # "A and B are co-starring in the film": the subject of "are"
        if subjects or head.dep_ not in {"acomp", "xcomp", "conj", "attr"} or head.head.i == head.i:
            break
        head = head.head
        subjects = [c for c in head.children if c.dep_ == "nsubj"]
    for subject in subjects:
        if subject.lower_ in {"who", "that"} and verb.dep_ == "relcl":
            m = at.get(verb.head.i)
            out += [m] if m is not None and is_person(m) else []
        elif subject.lower_ in _PERSON_PRONOUNS:
            owner = focus.owner(subject, mentions)
            out += [owner] if owner is not None and is_person(owner) else []
        else:
            inside = {t.i for t in subject.subtree}
            out += [m for m in mentions if m.head in inside and is_person(m)]
    return out


def _relative_credits(verb: Token, sent: Span, at: dict[int, ArgMention], mentions: list[ArgMention], focus: Focus,
                      onto: Ontology) -> Iterator[Credit]:
    """"<work>, which he wrote, directed and starred in": each verb's credit for the clause's subject."""
    named = at.get(verb.head.i)
    relative = any(c.lower_ in _RELATIVES and c.dep_ in {"dobj", "pobj", "nsubj"} for c in verb.subtree
                   if c.i < verb.i)
    # the small parser hangs "directed and starred in" on "wrote" as a clause of its own
    verbs = [verb, *[t for c in verb.children if c.dep_ in {"conj", "advcl"} and c.pos_ == "VERB"
                     for t in (c, *c.conjuncts) if t.i > verb.i]]
    credited = [v for v in verbs if v.lemma_.lower() in _RELATIVE_CREDITS]
    # one verb: the verb readers have it ("which Mara Velden directed"); several credits make the name a work
    # whatever the recogniser typed it ("Garden State, which he wrote, directed and starred in")
    if named is None or not relative or len(credited) < 2:
        return
    work = work_slot(named, verb.doc, onto)
    if work is None:
        return
    people = [m for m in _subjects(verb, at, mentions, focus) if m.entity is None or m.entity != named.entity]
    for clause_verb in credited:
        name = _RELATIVE_CREDITS[clause_verb.lemma_.lower()]
        for person in people:
            yield name, work, person, "cast:relative"
