"""Mention detection for the relation classifier: every name in a sentence that a fact could join.

In: one parsed sentence (entities merged into single tokens by :mod:`kg.nlp`) and the document's
:class:`~kg.extract.coref.DocEntities`. Out: :class:`ArgMention` spans in sentence order, each with a coarse type:

- ``PERSON``, ``ORG``, ``GPE``, ``WORK``, ``EVENT`` …: spaCy's entities and kg's quoted titles, with the entity
  coreference gave them (so "Cameron" carries "James Cameron", "the film" carries its title);
- ``AWARD``: an award as news names it, with its category: "best actress", "the Oscar for best director",
  "best British male", "two Grammys", "the Booker Prize" (:func:`award_mentions`);
- ``TITLE``: a run of capitalised words joined by small words that the model split or missed: BBC style writes
  titles unquoted ("the Colombian drama Maria Full of Grace").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from spacy.tokens import Span, Token

from ..model import Entity
from ..nlp import JOB_WORDS

if TYPE_CHECKING:
    from ..ontology import Ontology
    from .coref import DocEntities

__all__ = ["ArgMention", "sentence_mentions", "award_mentions", "title_runs", "names_award", "is_soft_category",
           "is_work", "work_slot", "AWARD_NAMES", "CATEGORY_WORDS", "LIST_GLUE"]

# the words between the names of a list: "A, B and C", "A & B"
LIST_GLUE = frozenset({",", "and", ", and", "&"})
_WORK_KINDS = {"WORK", "TITLE"}

# Names of awards and their ceremonies as news writes them; a word of these in an entity makes it an award.
AWARD_NAMES = re.compile(
    r"\b(awards?|prizes?|oscars?|academy awards?|baftas?|golden globes?|grammys?|grammy awards?|emmys?|brits?|"
    r"brit awards?|booker|mobos?|ivor novello|oliviers?|olivier awards?|tonys?|c[eé]sars?|golden bears?|"
    r"golden lions?|palme d'or|razzies?|peabody|pulitzer)\b", re.IGNORECASE)
_AWARD_NOUNS = {"award", "awards", "prize", "prizes", "gong", "gongs", "trophy", "trophies", "statuette", "honour",
                "title", "category", "accolade"}
_CATEGORY_STARTS = {"best", "outstanding", "top"}
# words that start a category only in an article about a ceremony ("Shrek 2 was voted top animated movie",
# "favourite male movie star"): award extraction drops these where the article names no ceremony
_SOFT_STARTS = {"top", "favourite", "favorite", "sexiest", "breakthrough", "most"}
_NOT_CATEGORY = {"spot", "place", "position", "slot", "billing", "seller", "sellers", "job", "post", "ten", "five",
                 "three", "of", "earning", "grossing", "selling", "popular", "likely", "successful", "recent",
                 "famous", "expensive", "important", "watched", "viewed", "played", "talked"}
# a category an award mention names ("best actress", "top new drama"): news names award categories this way
CATEGORY_WORDS = re.compile(r"\b(?:best|outstanding|top|favou?rite|sexiest|breakthrough|most promising)\b", re.IGNORECASE)
_CATEGORY_STOP_POS = {"ADP", "VERB", "AUX", "PUNCT", "CCONJ", "SCONJ", "PRON", "DET", "PART", "NUM"}
_SMALL = {"of", "in", "the", "a", "and", "to", "for", "from", "on", "with", "at", "&"}
SMALL_WORDS = frozenset(_SMALL)  # small words a title keeps lower-case ("Shaun of the Dead")
_NAME_LABELS = {"PERSON": "PERSON", "ORG": "ORG", "GPE": "GPE", "LOC": "GPE", "FAC": "GPE", "NORP": "NORP",
                "WORK_OF_ART": "WORK", "EVENT": "EVENT", "PRODUCT": "WORK", "LAW": "NAME"}
_MAX_CATEGORY_WORDS = 6
_AWARD_RUN_WORDS = {"Award", "Awards", "Prize", "Prizes", "Trophy"}
_CATEGORY_ENDS = {"winner", "winners", "nominee", "nominees", "nomination", "nominations", "category", "categories"}
_TITLE_INNER = {"of", "the", "in", "a"}  # words inside titles that never join two names of people
_APART = {"PERSON", "GPE", "NORP", "FAC", "LOC"}
_NOT_TITLE = {"DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY"}


@dataclass(frozen=True)
class ArgMention:
    """A span of one sentence that can be an argument of a fact.

    ``start``/``end``: token indices into the document (end exclusive); ``head``: the token the parse hangs it on;
    ``kind``: PERSON | ORG | GPE | NORP | WORK | EVENT | AWARD | TITLE | NAME (capitalised words of unknown type); ``entity``: the document entity it
    refers to when coreference knows one; ``name``: the name a fact uses for it.
    """

    start: int
    end: int
    head: int
    kind: str
    name: str
    entity: Entity | None = None

    @property
    def label(self) -> str:
        """The name a new entity for the mention takes: its coreferent entity's, else its own."""
        return self.entity.label if self.entity is not None else self.name


def _award_name_token(token: Token) -> bool:
    if token.ent_type_ == "PERSON" and " " in token.text.strip():
        # "Tony Robinson", "Oscar Isaac": a first name, not a prize; "Peter Sellers Award" names one after it
        return bool(AWARD_NAMES.search(token.text.strip().split(None, 1)[1]))
    return bool(token.ent_type_) and bool(AWARD_NAMES.search(token.text)) or token.lower_ in {"oscar", "oscars", "bafta", "baftas", "grammy", "grammys", "emmy", "emmys", "brit", "brits", "globe", "globes"}


def _starts_category(doc, i: int, end: int) -> bool:
    """True where a category starts at token ``i``: "best ...", "outstanding ...", "top prize", and the softer
    starts ("top new drama", "favourite leading lady", "most promising newcomer") before an adjective or noun."""
    word = doc[i].lower_
    following = doc[i + 1] if i + 1 < end else None
    if word in {"best", "outstanding"}:
        return True
    if word not in _SOFT_STARTS or following is None or following.lower_ in _NOT_CATEGORY:
        return False
    if word == "top" and following.lower_ in _AWARD_NOUNS:
        return True
    if word == "most":
        return following.lower_ == "promising"
    # "top new drama", "favourite leading lady", "top animated movie"
    return (following.pos_ in {"ADJ", "NOUN", "PROPN"} or following.tag_ in {"VBG", "VBN"} and following.dep_ == "amod") \
        and not following.ent_type_


def is_soft_category(name: str) -> bool:
    """True for a category that names an award only in a ceremony's context: "top new drama"."""
    first = name.split()[0].lower() if name.split() else ""
    return first in _SOFT_STARTS and not CATEGORY_WORDS.search(" ".join(name.split()[1:])) and not AWARD_NAMES.search(name)


def award_mentions(sent: Span) -> list[ArgMention]:
    """Award mentions of a sentence: a category ("best ...") with the award names around it, or an award name.

    "the best actress Oscar", "Oscar for best director", "best British male at the Brit Awards" (the ceremony
    after "at" is not folded in: it is a separate award name mention), "two Grammys", "the Booker Prize".
    """
    doc = sent.doc
    out: list[ArgMention] = []
    i = sent.start
    while i < sent.end:
        token = doc[i]
        start = end = None
        if _starts_category(doc, i, sent.end):
            end = i + 1
            while (end < sent.end and end - i <= _MAX_CATEGORY_WORDS
                   and (doc[end].pos_ not in _CATEGORY_STOP_POS or doc[end].tag_ in {"VBG", "VBN"} and doc[end].dep_ == "amod"
                        or doc[end].text in {"-", "/"} and not doc[end - 1].whitespace_ and end + 1 < sent.end
                        and doc[end + 1].pos_ in {"NOUN", "ADJ", "PROPN"})
                   and not _award_name_token(doc[end]) and doc[end].lower_ not in _AWARD_NOUNS | _CATEGORY_ENDS
                   and doc[end].ent_type_ not in {"PERSON", "ORG", "GPE", "WORK_OF_ART", "FAC", "EVENT"}):
                end += 1
            if end - i < 2 and not (end < sent.end and doc[end].lower_ in _AWARD_NOUNS):
                i += 1
                continue
            start = i
            # "the Oscar for best director": the award name before "for" belongs to the category
            if start - 2 >= sent.start and doc[start - 1].lower_ == "for" and _award_name_token(doc[start - 2]):
                start -= 2
            elif (start - 2 >= sent.start and doc[start - 1].lower_ == "for" and out and out[-1].end == start - 1
                  and doc[start - 2].lower_ in _AWARD_NOUNS):
                start = out.pop().start  # "the top prize for best cast performance": one award
            elif start - 1 >= sent.start and _award_name_token(doc[start - 1]):
                start -= 1
            # "best actress Oscar", "best film award"
            while end < sent.end and end - start <= _MAX_CATEGORY_WORDS + 2 and (
                    _award_name_token(doc[end]) or doc[end].lower_ in _AWARD_NOUNS):
                end += 1
        elif _award_name_token(token) and not (token.ent_type_ == "PERSON" and not AWARD_NAMES.search(token.text)):
            if i + 2 < sent.end and doc[i + 1].lower_ == "for" and doc[i + 2].lower_ in _CATEGORY_STARTS:
                i += 1  # "the Oscar for best director": the category below takes the name in
                continue
            start, end = i, i + 1
            while end < sent.end and (doc[end].lower_ in _AWARD_NOUNS or _award_name_token(doc[end])):
                end += 1
        if start is None or end is None:
            i += 1
            continue
        span = doc[start:end]
        out.append(ArgMention(start=start, end=end, head=span.root.i, kind="AWARD", name=_clean(span.text)))
        i = end
    return out


def _clean(text: str) -> str:
    text = " ".join(text.split())
    text = re.sub(r" [-–—] [a-z].*$", "", text)  # "Brit Awards - performed": the recogniser ran past a dash
    return re.sub(r"^(?:the|a|an)\s+", "", text, flags=re.IGNORECASE).strip(" '\"‘’“”")


def title_runs(sent: Span) -> list[tuple[int, int]]:
    """(start, end) token spans of capitalised runs joined by small words: "Maria Full of Grace", "Shaun of the
    Dead", "Lost In Translation", "Metallica: Some Kind Of Monster". A run needs three words or more and a small
    word or colon inside; it never starts a sentence unless its first word is a named entity."""
    doc = sent.doc
    out = []
    i = sent.start
    while i < sent.end:
        first = doc[i]
        opens = first.text in {"The", "A", "An"} and i + 1 < sent.end and _capitalised(doc[i + 1])
        if not (_capitalised(first) or opens) or i == sent.start and not first.ent_type_:
            at_start = i == sent.start and first.pos_ == "PROPN"
            i += 1
            while at_start and i < sent.end and _capitalised(doc[i]):
                i += 1  # "Iron Garden and Paper Harbour took ...": no run starts inside the sentence's first name
            continue
        end = i + 1
        while end < sent.end:
            if _capitalised(doc[end]):
                end += 1
                continue
            if doc[end].lower_ in {"and", "&"} and end - i > 1:
                break  # "Shaun of the Dead and Bridget Jones": two titles; "Will and Grace" is one
            # up to two small words ("of the") between capitalised words
            gap = 1 if end + 1 < sent.end and _joins(doc[end - 1], doc[end:end + 1], doc[end + 1]) else \
                2 if end + 2 < sent.end and _joins(doc[end - 1], doc[end:end + 2], doc[end + 2]) else 0
            if not gap:
                break
            end += gap + 1
        words = list(doc[i:end])
        if end - i >= 3 and any(t.lower_ in _SMALL or t.text == ":" for t in words):
            out.append((i, end))
        i = end
    return out


def _title_runs(sent: Span) -> list[ArgMention]:
    out = []
    for start, end in title_runs(sent):
        span = sent.doc[start:end]
        # "Peter Sellers Award For Comedy": a capitalised run that names an award is one
        kind = "AWARD" if names_award(span) else "TITLE"
        name = _clean(span.text) if kind == "AWARD" else " ".join(span.text.split()).strip(" '\"‘’“”")  # "The Sea Inside"
        out.append(ArgMention(start=start, end=end, head=span.root.i, kind=kind, name=name))
    return out


def names_award(span: Span) -> bool:
    """True when a capitalised run names an award: "Peter Sellers Award For Comedy"."""
    return any(t.text in _AWARD_RUN_WORDS for t in span)


def _joins(before: Token, words: Span, after: Token) -> bool:
    """True when ``words`` (one or two small words) join two capitalised words into one title."""
    if not (_capitalised(after) or after.text in {"The", "A", "An", "Some"}):
        return False
    lowered = [w.lower_ for w in words]
    if len(lowered) == 2 and not (lowered[0] in _TITLE_INNER | {"and", "for", "to", "on", "with", "at"}
                                  and lowered[1] in {"the", "a", "an"}):
        return False
    if any(w not in _SMALL and w != ":" for w in lowered):
        return False
    if after.ent_type_ in _NOT_TITLE or before.ent_type_ in _NOT_TITLE:
        return False  # "the Savoy on Sunday night"
    if (lowered[0] == "for" or lowered[0] == "at" and (lowered[-1] == "the" or after.lower_.startswith("the "))) \
            and after.ent_type_ in {"ORG", "FAC", "GPE", "LAW"}:
        return False  # "Othello for the Royal Shakespeare Company", "... at the National Theatre": who and where
    if lowered[0] == "of" and before.ent_type_ == "PERSON" and " " in before.text.strip():
        return False  # "Ada Ferrante of Northgate Nights": a person's full name, then where they work
    if lowered == ["in", "the"] and after.ent_type_ in {"GPE", "LOC"}:
        return False  # "on ABC in the United States": where, not a title
    if lowered[0] in {":", "of"}:
        return True
    # "Thomas Haden Church and Virginia Madsen", "Tom Hanks in Apollo 13": a person's name ends at the small word
    if before.ent_type_ in _APART:
        return False
    return lowered[0] in _TITLE_INNER or after.ent_type_ not in _APART


def _capitalised(token: Token) -> bool:
    return token.text[:1].isupper() and token.pos_ in {"PROPN", "NOUN", "ADJ", "VERB", "NUM", "X"} or bool(token.ent_type_) and token.ent_type_ in _NAME_LABELS


def is_work(m: ArgMention | None, onto: Ontology) -> bool:
    """True for a mention of a work: by its entity's class when coreference knows one, else by its kind (a quoted
    or unquoted title); False for no mention."""
    if m is None:
        return False
    if m.entity is not None and "CreativeWork" in onto.classes:
        return onto.is_a(m.entity.cls, "CreativeWork")
    return m.kind in _WORK_KINDS


def work_slot(m: ArgMention, doc, onto: Ontology) -> ArgMention | None:
    """The mention as a work where the words leave no other reading ("stars in X", "'s performance in X"): a work,
    or a name the recogniser typed otherwise ("Ray", "My Summer of Love"), named as the text writes it; never a
    person's full name."""
    if is_work(m, onto):
        return m
    surface = " ".join(doc[m.start:m.end].text.split())
    if m.kind in {"EVENT", "ORG", "GPE", "PRODUCT", "NAME"} or m.kind == "PERSON" and len(surface.split()) == 1:
        return ArgMention(start=m.start, end=m.end, head=m.head, kind="TITLE", name=surface)
    return None


def _split_run(m: ArgMention, doc, ents: DocEntities) -> bool:
    """True when coreference read a title run as other names: two entities ("shows such as Heroes and Lost"), or
    an entity and capitalised words outside it ("roles including Mand in Grease Monkeys")."""
    if m.kind != "TITLE":
        return False
    keys = {ents.entity_of[i].key for i in range(m.start, m.end) if i in ents.entity_of}
    return len(keys) >= 2 or bool(keys) and any(i not in ents.entity_of and doc[i].text[:1].isupper()
                                                for i in range(m.start, m.end))


def sentence_mentions(sent: Span, ents: DocEntities) -> list[ArgMention]:
    """Every argument mention of one sentence, in order, none overlapping (awards and title runs win)."""
    doc = sent.doc
    awards = award_mentions(sent)
    covered = {i for m in awards for i in range(m.start, m.end)}
    titles = [m for m in _title_runs(sent) if not covered & set(range(m.start, m.end)) and not _split_run(m, doc, ents)]
    covered |= {i for m in titles for i in range(m.start, m.end)}
    out = awards + titles
    # Capitalised words the recogniser left unlabelled ("Harbor Lights won ..."): a name of unknown type
    i = sent.start
    while i < sent.end:
        end = i
        # "for Your Game", "My Boo": a capitalised pronoun or determiner mid-sentence opens a title
        if i > sent.start and i + 1 < sent.end and doc[i].pos_ in {"PRON", "DET"} and doc[i].text[:1].isupper() \
                and doc[i].text not in {"I", "The", "A", "An"} and i not in covered and not doc[i].ent_type_ \
                and doc[i + 1].pos_ in {"PROPN", "NOUN"} and doc[i + 1].text[:1].isupper() and not doc[i + 1].ent_type_:
            end = i + 1
        while end < sent.end and end not in covered and doc[end].pos_ in {"PROPN", "NOUN", "NUM", "ADJ"} \
                and not doc[end].ent_type_ and doc[end].text[:1].isupper() and end not in ents.entity_of \
                and doc[end].lower_ not in JOB_WORDS:  # "Kestrel Radio DJ Tomas Reyk": the name ends at the job
            end += 1
        if end > i and i > sent.start and doc[i - 1].text == "The" and i - 1 not in covered \
                and doc[i].pos_ == "PROPN":
            i -= 1  # "Martin Scorsese's The Aviator", "The Aviator, starring ...": a capitalised article opens the name
        if end - i >= 2 and any(t.pos_ == "PROPN" for t in doc[i:end]) and not (
                i == sent.start and doc[i].pos_ != "PROPN" and doc[i].text != "The"):
            span = doc[i:end]
            kind = "AWARD" if span[-1].text in {"Award", "Awards", "Prize", "Prizes"} else "NAME"
            name = _clean(span.text) if kind == "AWARD" else " ".join(span.text.split())  # "The Aviator" keeps "The"
            out.append(ArgMention(start=i, end=end, head=span.root.i, kind=kind, name=name))
            covered |= set(range(i, end))
        i = max(end, i + 1)
    for token in sent:
        if token.i in covered:
            continue
        entity = ents.entity_of.get(token.i)
        kind = _NAME_LABELS.get(token.ent_type_)
        if entity is None and kind is None:
            continue
        if kind is None:  # "the film", "the drama": an anaphor coreference resolved
            kind = "WORK" if entity is not None and entity.key.startswith(("creativework/", "work/")) else "REF"
        name = entity.label if entity is not None else _clean(token.text)
        if not any(ch.isalpha() for ch in name):
            continue
        out.append(ArgMention(start=token.i, end=token.i + 1, head=token.i, kind=kind, name=name, entity=entity))
    return sorted(out, key=lambda m: m.start)
