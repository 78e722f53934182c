"""Careers: the works a biography lists after a role, and the credits it gives the person for them.

Encyclopedic leads and profiles list a person's work rather than narrate it: "He has had roles in films including
A, B, C and D", "she guest starred on such shows as A and B", "he went on to leading roles in the 2004 film, A and
2006 film B", "best known for his appearances in British war films such as A (1950)". Two steps read them:

- :func:`listed_titles` (run by :func:`kg.extract.coref.find_entities`) finds such a list after a plural work noun
  with "including" or "such as" ("films including", "such shows as"), or after a role word ("roles in", "appeared
  in") when it names two works or more, and makes each item a title of the class the noun gives, whatever the
  recogniser typed it ("Natural Born Killers" is not a person there);
- :func:`career_credits` gives the person the role word is about (its subject, or the person "he"/"his" points at)
  a cast credit for every work of the list.

In: a parsed sentence, its mentions (:func:`~kg.extract.mentions.sentence_mentions`) and the pronoun
:class:`~kg.extract.focus.Focus`. Out: credits as (property name, work mention, person mention, rule), the rule
``career:role``; :func:`kg.extract.credits.credit_facts` makes them facts. Nothing is read from a negated, modal or
conditional clause.
"""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Doc, Span, Token

from ..ontology import Ontology
from .focus import Focus, is_person
from .mentions import ArgMention, is_work
from .relations import is_irrealis

__all__ = ["career_credits", "listed_titles", "title_list"]

# words that say the person acted in what follows "in" or "on"
_ROLE_VERBS = {"appear", "star", "co-star", "guest-star", "act", "feature", "cameo"}
_ROLE_NOUNS = {"role", "appearance", "part", "cameo", "turn"}
_LIST_OPENERS = {"including", "include", "includes", "included", "like"}
_SEPARATORS = {",", "and", "&", "or"}
_SMALL = {"of", "the", "a", "an", "to", "in", "on", "for", "from", "with", "at", "de", "la", "le", "el", "del"}
# nouns a role word's list may pass on its way ("roles in an extensive film and television career including")
_ON_THE_WAY = {"career", "role", "part", "television", "tv", "cinema", "theatre", "theater", "stage", "screen",
               "genre", "lead", "star", "guest", "cameo", "number", "variety", "host", "production", "work"}
_MAX_ITEMS = 30
_MAX_PREFIX = 10  # words between the role word and the list ("in British war films of the 1950s such as")
_MAX_ITEM_WORDS = 8

Credit = tuple[str, ArgMention, ArgMention, str]


def _starts_item(token: Token) -> bool:
    return (token.text[:1].isupper() or token.text[:1].isdigit() and token.ent_type_ != "DATE") \
        and token.pos_ not in {"PRON", "VERB", "AUX", "ADP", "CCONJ", "SCONJ"} and token.text not in {"I"}


def _item_end(doc: Doc, start: int, limit: int, roles: bool = False) -> int:
    """The end of the title that starts at ``start``: capitalised words and numbers, joined by hyphens, colons and
    small words that lead to another capitalised word ("3000 Miles to Graceland", "Spider-Man 2"). In a list of
    roles (``roles``), "in" never joins: it leads from a character to the work."""
    end = start + 1
    while end < limit and end - start < _MAX_ITEM_WORDS:
        token = doc[end]
        if token.text[:1].isupper() or token.text[:1].isdigit() and not token.ent_type_ == "DATE":
            end += 1
        elif token.text in {"-", "–", ":", "!", "?"} and end + 1 < limit and _starts_item(doc[end + 1]):
            end += 2
        elif token.lower_ in _SMALL and end + 1 < limit and doc[end + 1].text[:1].isupper() \
                and not _in_work(doc, end) and not (roles and token.lower_ == "in"):
            end += 2
        else:
            break
    return end


def _in_work(doc: Doc, i: int) -> bool:
    """True when the "in" at ``i`` says where a role was ("Merle Jackson in Coronation Street") or where a show
    ran ("Shomi in Canada"), rather than joining one title ("Lost in Translation")."""
    return doc[i].lower_ in {"in", "on", "at"} and (doc[i - 1].ent_type_ == "PERSON" or doc[i + 1].ent_type_ in {"GPE", "LOC"})


def title_list(doc: Doc, start: int, limit: int) -> list[tuple[int, int]]:
    """(start, end) of each title of a list that opens at ``start`` and ends before ``limit``: items separated by
    commas and "and", each maybe followed by a parenthesis ("Somtum (2008)", "Ong Bak 2 (uncredited)") or opened by
    "the"; empty when no title opens there."""
    items: list[tuple[int, int]] = []
    roles = False  # the list names characters, each "in" its work
    i = start
    while i < limit and len(items) < _MAX_ITEMS:
        if doc[i].text == "the" and i + 1 < limit and _starts_item(doc[i + 1]):
            i += 1
        if not _starts_item(doc[i]):
            break
        end = _item_end(doc, i, limit, roles)
        if end + 1 < limit and doc[end].text in {"'s", "’s"} and _starts_item(doc[end + 1]):
            i = end + 1  # "Nonzee Nimibutr's Queen of Langkasuka": the maker, then the title
            end = _item_end(doc, i, limit, roles)
        if end + 1 < limit and (_in_work(doc, end) or roles and doc[end].lower_ == "in") and _starts_item(doc[end + 1]):
            i, roles = end + 1, True  # "roles including Merle Jackson in Coronation Street": the character, then the work
            end = _item_end(doc, i, limit, roles)
        items.append((i, end))
        i = end
        if i < limit and doc[i].text == "(":  # "(2008)", "(uncredited)"
            close = next((j for j in range(i + 1, min(limit, i + 8)) if doc[j].text == ")"), None)
            if close is None:
                break
            i = close + 1
        glue = i
        while glue < limit and glue - i < 3 and doc[glue].lower_ in _SEPARATORS:
            glue += 1
        if glue == i or glue >= limit:
            break
        i = glue
    return items


def _list_start(doc: Doc, cue: Token, limit: int, onto: Ontology) -> tuple[int, str | None] | None:
    """Where the list after a role word's "in"/"on" (or a work noun's "including") opens, and the work class a noun
    on the way gives ("films" -> Film); None when something else comes first."""
    nouns = onto.context_classes
    cls = None
    i = cue.i + 1
    while i < limit and i - cue.i <= _MAX_PREFIX:
        token = doc[i]
        if _starts_item(token) and not (token.lower_ in nouns and token.text[:1].isupper()):
            return i, cls
        if token.text in {".", ";", "(", ")"} or token.pos_ in {"VERB", "AUX", "SCONJ"} and token.lower_ not in _LIST_OPENERS:
            return None
        word = nouns.get(token.lower_) or nouns.get(token.lemma_.lower())
        if word is not None and onto.kind(word) == onto.kind("CreativeWork"):
            cls = word
        elif token.pos_ == "NOUN" and token.lemma_.lower() not in _ON_THE_WAY and not token.ent_type_:
            return None  # "appeared in several men's magazines such as ...": a list of something else
        i += 1
    return None


def _cues(sent: Span) -> Iterator[tuple[Token, Token]]:
    """(role word, its "in"/"on") of a sentence, and (work noun, its "including"/"such as") pairs."""
    for token in sent:
        lemma = token.lemma_.lower()
        if lemma in _ROLE_VERBS and token.pos_ == "VERB" or lemma in _ROLE_NOUNS and token.pos_ == "NOUN":
            preps = [c for c in token.children if c.dep_ == "prep" and c.lower_ in {"in", "on"}]
            if not preps and token.pos_ == "NOUN":  # "he has had roles in films": the parser hangs "in" on "had"
                preps = [c for c in token.head.children if c.dep_ == "prep" and c.lower_ in {"in", "on"}
                         and 0 < c.i - token.i <= 2]
            for prep in preps:
                yield token, prep


def listed_titles(doc: Doc, taken: set[int], onto: Ontology) -> list[tuple[int, int, str]]:
    """(start, end, class) of the titles a list after a plural work noun ("films including A, B and C", "such shows
    as A and B") or after a role word ("roles in A, B and C") names; a role word's list needs two titles or more
    ("appeared in London" is no list of works). Items overlapping ``taken`` are left out."""
    if "CreativeWork" not in onto.classes:
        return []
    work_kind = onto.kind("CreativeWork")
    nouns = onto.context_classes
    out: list[tuple[int, int, str]] = []
    for sent in doc.sents:
        found: list[tuple[list[tuple[int, int]], str]] = []
        for token in sent:
            cls = nouns.get(token.lemma_.lower())
            if cls is None or onto.kind(cls) != work_kind or token.tag_ not in {"NNS", "NNPS"}:
                continue
            after = token.i + 1
            if after + 1 < sent.end and doc[after].lower_ == "such" and doc[after + 1].lower_ == "as":
                after += 2  # "films such as"
            elif after < sent.end and doc[after].lower_ in _LIST_OPENERS:
                after += 1
            elif token.i > sent.start and doc[token.i - 1].lower_ == "such" and after < sent.end \
                    and doc[after].lower_ == "as":
                after += 1  # "such shows as"
            else:
                continue
            items = title_list(doc, after, sent.end)
            if items:
                found.append((items, cls))
        for cue, prep in _cues(sent):
            opened = _list_start(doc, prep, sent.end, onto)
            if opened is not None:
                items = title_list(doc, opened[0], sent.end)
                if len(items) >= 2:
                    found.append((items, opened[1] or "CreativeWork"))
        for items, cls in found:
            for start, end in items:
                if not any(i in taken for i in range(start, end)):
                    out.append((start, end, cls))
                    taken.update(range(start, end))
    return out


def _person(cue: Token, at: dict[int, ArgMention], mentions: list[ArgMention], focus: Focus) -> ArgMention | None:
    """Whom a role word is about: the owner of "his roles", else the subject of the verb it hangs on (the person
    "he" points at, or the person a "who" clause is about)."""
    owner = next((c for c in cue.children if c.dep_ == "poss"), None)
    if owner is not None:
        if owner.pos_ == "PRON":
            # "The actor was nominated for his role in X": "his" is the sentence's subject, which no name states
            subject = next((c for c in cue.sent.root.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
            if subject is not None and subject.pos_ != "PRON" and subject.i not in at:
                return None
            m = focus.owner(owner, mentions)
        else:
            m = at.get(owner.i)
        return m if m is not None and is_person(m) else None
    head = cue
    for _ in range(4):
        subject = next((c for c in head.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
        if subject is not None:
            if subject.lower_ in {"who", "that"} and head.dep_ == "relcl":
                m = at.get(head.head.i)
            elif subject.pos_ == "PRON":
                m = focus.owner(subject, mentions)
            else:
                m = next((at[t.i] for t in subject.subtree if t.i in at and is_person(at[t.i])), None)
            return m if m is not None and is_person(m) else None
        if head.head.i == head.i:
            break
        head = head.head
    # "Tomas Reyk guest starred on ...": the parser made the name a modifier of "guest"
    before = cue.i - 1 if cue.i > 0 and cue.doc[cue.i - 1].lower_ == "guest" else cue.i
    m = at.get(before - 1)
    return m if m is not None and is_person(m) else None


def career_credits(sent: Span, mentions: list[ArgMention], focus: Focus, onto: Ontology) -> Iterator[Credit]:
    """Cast credits of one sentence that lists works after a role word (see the module's docstring)."""
    if "CreativeWork" not in onto.classes or "castMember" not in onto.properties:
        return
    doc = sent.doc
    at = {i: m for m in mentions for i in range(m.start, m.end)}
    for cue, prep in _cues(sent):
        if cue.pos_ == "VERB" and is_irrealis(cue, sent) or cue.pos_ == "NOUN" and is_irrealis(cue.head, sent):
            continue
        opened = _list_start(doc, prep, sent.end, onto)
        if opened is None:
            continue
        items = title_list(doc, opened[0], sent.end)
        works = [at[start] for start, _ in items if start in at and is_work(at[start], onto)]
        if len(items) < 2 and not works:
            continue
        person = _person(cue, at, mentions, focus)
        if person is None:
            continue
        for work in works:
            yield "castMember", work, person, "career:role"
