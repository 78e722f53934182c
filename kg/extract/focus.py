"""Focus: who a pronoun most likely points at, for the extractors that read "his album", "they won".

The person (for "he", "she", "his", "her") or agent (people, bands, companies: "they", "their") the text made a
subject, preferring the one it has named most often so far: in "If A was the king of swing, then B was its
prince. His album ..." the article's subject, not the name in passing. A light, order-based stand-in for full
coreference, cheap enough to run on every sentence.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from spacy.tokens import Span, Token

from .mentions import ArgMention

__all__ = ["Focus", "is_person", "is_agent"]


def is_person(m: ArgMention) -> bool:
    """True for a mention of a person (by its entity's class, else the recogniser's label)."""
    return m.kind == "PERSON" and (m.entity is None or m.entity.cls == "Person") or (
        m.entity is not None and m.entity.cls == "Person")


def is_agent(m: ArgMention) -> bool:
    """True for a mention of a person, band or company."""
    if m.entity is not None:
        return m.entity.cls in {"Person", "MusicalGroup", "Organization"}
    return m.kind in {"PERSON", "ORG"}


_FEMALE_PRONOUNS = {"she", "her", "hers", "herself"}
_MALE_PRONOUNS = {"he", "his", "him", "himself"}
# words right before a name that say whether the person is a woman or a man ("Ms Kite", "actress X", "Sir Alan")
_FEMALE_WORDS = {"ms", "mrs", "miss", "dame", "lady", "actress", "spokeswoman", "chairwoman", "businesswoman",
                 "queen", "princess", "sister", "mother", "daughter", "wife", "girlfriend", "frontwoman"}
_MALE_WORDS = {"mr", "sir", "lord", "actor", "spokesman", "chairman", "businessman", "king", "prince", "brother",
               "father", "son", "husband", "boyfriend", "frontman"}


def pronoun_gender(token: Token) -> str | None:
    """"f" for she/her, "m" for he/his/him, None for any other word."""
    word = token.lower_
    return "f" if word in _FEMALE_PRONOUNS else "m" if word in _MALE_PRONOUNS else None


@dataclass
class Focus:
    """Who a pronoun most likely points at: of the people (for "he", "she", "his", "her") or people, bands and
    companies ("they", "their") the text made subjects, the one it has named most often so far. Call
    :meth:`owner` for a pronoun of a sentence, then :meth:`update` with that sentence's mentions.

    A person's gender, when the article shows it ("Ms Kite", "actress X", or "she" opening the sentence after X
    was the subject), keeps "her" from landing on a man: "Aaliyah ... Blackground Records' lawyer Frank Penski
    said ... her single X" is Aaliyah's.
    """

    counts: Counter = field(default_factory=Counter)
    person: ArgMention | None = None
    agent: ArgMention | None = None
    group: ArgMention | None = None  # the band or company in focus, for "they" and "their"
    gender: dict[str, str] = field(default_factory=dict)  # person key -> "f" | "m"
    people: dict[str, ArgMention] = field(default_factory=dict)  # person key -> latest subject mention

    def _key(self, m: ArgMention) -> str:
        return m.entity.key if m.entity is not None else m.name

    def _best(self, candidates: list[ArgMention]) -> ArgMention | None:
        return max(candidates, key=lambda m: self.counts[self._key(m)], default=None)

    def update(self, sent: Span, mentions: list[ArgMention]) -> None:
        doc = sent.doc
        agents = [m for m in mentions if is_agent(m)]
        self.counts.update(self._key(m) for m in agents)
        for m in mentions:
            if is_person(m):
                words = {doc[m.start - 1].lower_.rstrip(".")} if m.start > 0 else set()
                words.add(m.label.split()[0].lower().rstrip("."))
                found = "f" if words & _FEMALE_WORDS else "m" if words & _MALE_WORDS else None
                if found:
                    self.gender.setdefault(self._key(m), found)
        # "X won. She said ...": a pronoun before any name of its sentence is the person in focus
        pronoun = next((t for t in sent if pronoun_gender(t)), None)
        if pronoun is not None and self.person is not None and all(pronoun.i < m.start for m in mentions):
            self.gender.setdefault(self._key(self.person), pronoun_gender(pronoun))
        # a name opening the sentence is its subject however the parser hangs it ("X (born 1994) is an actress")
        subjects = [m for m in agents if doc[m.head].dep_ in {"nsubj", "nsubjpass"} or m.start == sent.start]
        for m in subjects:
            if is_person(m):
                self.people[self._key(m)] = m
        self.person = self._best([m for m in subjects if is_person(m)]) or self.person
        self.agent = self._best(subjects) or self.agent
        self.group = self._best([m for m in subjects if not is_person(m)]) or self.group

    def _fits(self, m: ArgMention, gender: str | None) -> bool:
        return gender is None or self.gender.get(self._key(m), gender) == gender

    def owner(self, pronoun: Token, mentions: list[ArgMention]) -> ArgMention | None:
        """The antecedent of ``pronoun``: the most named subject before it in its own sentence, else the focus;
        for "he"/"she" never a person the article showed to be of the other gender."""
        doc = pronoun.doc
        person_only = pronoun.lower_ in {"his", "her", "he", "she", "him"}
        gender = pronoun_gender(pronoun)
        before = [m for m in mentions if m.end <= pronoun.i and (is_person(m) and self._fits(m, gender)
                                                                if person_only else is_agent(m))]
        subjects = [m for m in before if doc[m.head].dep_ in {"nsubj", "nsubjpass"}]
        if not subjects and pronoun.i - pronoun.sent.start < 6 and doc[pronoun.sent.start].dep_ == "prep":
            # "With their self-titled debut, Franz Ferdinand have ...": a fronted phrase points ahead
            subjects = [m for m in mentions if m.start > pronoun.i and doc[m.head].dep_ in {"nsubj", "nsubjpass"}
                        and (is_person(m) if person_only else is_agent(m))][:1]
        found = self._best(subjects)
        if found is not None or not person_only:
            # "they signed with Domino": a band or company in focus before any one person
            return found or (self.group if pronoun.lower_ in {"they", "their", "them"} and self.group else self.agent)
        if self.person is not None and self._fits(self.person, gender):
            return self.person
        # the person in focus is of the other gender: the most named person of this one
        known = [m for key, m in self.people.items() if gender is not None and self.gender.get(key) == gender]
        return self._best(known)
