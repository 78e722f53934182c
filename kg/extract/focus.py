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


@dataclass
class Focus:
    """Who a pronoun most likely points at: of the people (for "he", "she", "his", "her") or people, bands and
    companies ("they", "their") the text made subjects, the one it has named most often so far. Call
    :meth:`owner` for a pronoun of a sentence, then :meth:`update` with that sentence's mentions."""

    counts: Counter = field(default_factory=Counter)
    person: ArgMention | None = None
    agent: ArgMention | None = None

    def _key(self, m: ArgMention) -> str:
        return m.entity.key if m.entity is not None else m.name

    def _best(self, candidates: list[ArgMention]) -> ArgMention | None:
        return max(candidates, key=lambda m: self.counts[self._key(m)], default=None)

    def update(self, sent: Span, mentions: list[ArgMention]) -> None:
        doc = sent.doc
        agents = [m for m in mentions if is_agent(m)]
        self.counts.update(self._key(m) for m in agents)
        subjects = [m for m in agents if doc[m.head].dep_ in {"nsubj", "nsubjpass"}]
        self.person = self._best([m for m in subjects if is_person(m)]) or self.person
        self.agent = self._best(subjects) or self.agent

    def owner(self, pronoun: Token, mentions: list[ArgMention]) -> ArgMention | None:
        """The antecedent of ``pronoun``: the most named subject before it in its own sentence, else the focus."""
        doc = pronoun.doc
        person_only = pronoun.lower_ in {"his", "her", "he", "she", "him"}
        before = [m for m in mentions if m.end <= pronoun.i and (is_person(m) if person_only else is_agent(m))]
        subjects = [m for m in before if doc[m.head].dep_ in {"nsubj", "nsubjpass"}]
        if not subjects and pronoun.i - pronoun.sent.start < 6 and doc[pronoun.sent.start].dep_ == "prep":
            # "With their self-titled debut, Franz Ferdinand have ...": a fronted phrase points ahead
            subjects = [m for m in mentions if m.start > pronoun.i and doc[m.head].dep_ in {"nsubj", "nsubjpass"}
                        and (is_person(m) if person_only else is_agent(m))][:1]
        return self._best(subjects) or (self.person if person_only else self.agent)

