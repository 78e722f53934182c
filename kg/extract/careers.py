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
from .relations import is_irrealis, listed

__all__ = ["career_credits", "cast_lists", "listed_titles", "title_list"]

# words that say the person acted in what follows "in" or "on"
_ROLE_VERBS = {"appear", "star", "co-star", "guest-star", "act", "feature", "cameo", "voice", "portray"}
_ROLE_NOUNS = {"role", "appearance", "part", "cameo", "turn", "debut"}
_SCREEN_DEBUTS = {"acting", "film", "screen", "television", "tv", "feature", "movie", "big-screen", "cinema"}
_LIST_OPENERS = {"including", "include", "includes", "included", "like"}
_SEPARATORS = {",", "and", "&", "or"}
_SMALL = {"of", "the", "a", "an", "to", "in", "on", "for", "from", "with", "at", "de", "la", "le", "el", "del"}
# nouns a role word's list may pass on its way ("roles in an extensive film and television career including")
_ON_THE_WAY = {"career", "role", "part", "television", "tv", "series", "reality", "documentary", "cinema", "theatre", "theater", "stage", "screen",
               "genre", "lead", "star", "guest", "cameo", "number", "variety", "host", "production", "work"}
# a kind noun a list item may carry after its title ("the Koker trilogy")
_DESCRIBING_NOUNS = {"trilogy", "series", "film", "movie", "franchise", "saga", "show", "sitcom", "album", "single",
                     "song", "sequel", "documentary", "episode"}
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
    glued_by = ""  # the words that led to the current item: "," or "and"
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
        if items and glued_by == "," and end < limit and not _ends_item(doc[end]):
            break  # "a cameo in X, Bening's breakthrough role came": a comma, then the next clause's subject
        items.append((i, end))
        i = end
        if i < limit and doc[i].lower_ in _DESCRIBING_NOUNS:  # "the Koker trilogy (1987 – 94), Close-Up ..."
            i += 1
        if i < limit and doc[i].text == "(":  # "(2008)", "(uncredited)"
            close = next((j for j in range(i + 1, min(limit, i + 8)) if doc[j].text == ")"), None)
            if close is None:
                break
            i = close + 1
        if i < limit and doc[i].text in {"–", "—"}:  # "Taste of Cherry (1997) – which won the Palme d'Or – and X"
            close = next((j for j in range(i + 1, min(limit, i + 30)) if doc[j].text in {"–", "—"}), None)
            if close is None:
                break
            i = close + 1
        glue = i
        while glue < limit and glue - i < 3 and doc[glue].lower_ in _SEPARATORS:
            glue += 1
        if glue == i or glue >= limit:
            break
        glued_by = doc[i:glue].text.strip()
        i = glue
    return items


def _ends_item(token: Token) -> bool:
    """True for what may follow a list item: a separator, a parenthesis, a dash, a kind noun or the sentence end."""
    return token.lower_ in _SEPARATORS or token.lower_ in _DESCRIBING_NOUNS or token.text in {"(", "–", "—", ".", ";", ":"} \
        or token.is_sent_end


def _list_start(doc: Doc, cue: Token, limit: int, onto: Ontology) -> tuple[int, str | None] | None:
    """Where the list after a role word's "in"/"on" (or a work noun's "including") opens, and the work class a noun
    on the way gives ("films" -> Film); None when something else comes first."""
    nouns = onto.context_classes
    cls = None
    i = cue.i + 1
    while i < limit and i - cue.i <= _MAX_PREFIX:
        token = doc[i]
        if _starts_item(token) and not (token.lower_ in nouns and token.text[:1].isupper()):
            end = _item_end(doc, i, limit)
            after = doc[end] if end < limit else None
            if after is None or not after.is_lower or not (after.lower_ in nouns or after.lower_ in _ON_THE_WAY):
                return i, cls
            i = end  # "in the NBC television drama X": a maker or channel describing the work, not the work
            continue
        if token.text in {".", ";", "(", ")"} or token.pos_ in {"VERB", "AUX", "SCONJ"} and token.lower_ not in _LIST_OPENERS:
            return None
        if token.pos_ == "ADP" and token.lower_ != "of" and not (token.lower_ == "as" and "such" in
                                                                 {t.lower_ for t in doc[cue.i + 1:i]}):
            return None  # "appear on the show again next week as the next Presley re-release": another phrase
        word = nouns.get(f"{doc[i - 1].lower_} {token.lower_}") or nouns.get(token.lower_) or nouns.get(token.lemma_.lower())
        if word is not None and onto.kind(word) == onto.kind("CreativeWork"):
            cls = word  # "television drama": a show
        elif token.pos_ == "NOUN" and token.lemma_.lower() not in _ON_THE_WAY and not token.ent_type_:
            return None  # "appeared in several men's magazines such as ...": a list of something else
        i += 1
    return None


def _cues(sent: Span) -> Iterator[tuple[Token, Token]]:
    """(role word, its "in"/"on") of a sentence, and (work noun, its "including"/"such as") pairs."""
    for token in sent:
        lemma = token.lemma_.lower()
        if lemma == "debut" and token.pos_ == "NOUN" and not {c.lower_ for c in token.children} & _SCREEN_DEBUTS:
            continue  # "his directorial debut", "her singing debut": not a role
        if lemma in _ROLE_VERBS and token.pos_ == "VERB" or lemma in _ROLE_NOUNS and token.pos_ == "NOUN":
            preps = [c for c in token.children if c.dep_ == "prep" and c.lower_ in {"in", "on"}]
            # "his role as Jason Street in the drama X": the work after the character
            preps += [p for c in token.children if c.dep_ == "prep" and c.lower_ == "as" for o in c.children
                      if o.dep_ == "pobj" for p in o.children if p.dep_ == "prep" and p.lower_ in {"in", "on"}]
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
                if _is_list(doc, items) or items and opened[1] is not None:  # "in the NBC drama X": one, named so
                    found.append((items, opened[1] or "CreativeWork"))
        for items, cls in found:
            for start, end in items:
                if not any(i in taken for i in range(start, end)):
                    out.append((start, end, cls))
                    taken.update(range(start, end))
    return out


def _is_list(doc: Doc, items: list[tuple[int, int]]) -> bool:
    """True when the items are a list of titles, not one title with "and" inside: three or more, or two parted by
    more than an "and" ("roles in Parks and Recreation" is one show)."""
    if len(items) >= 3:
        return True
    return len(items) == 2 and doc[items[0][1]:items[1][0]].text.strip() not in {"and", "&"}


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
            people = [p for p in mentions if p.end <= owner.i and is_person(p)]
            if m is None and len(people) == 1:  # "X (born 1994) is an actress known for her roles in ..."
                m = people[0]
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
    """Cast credits of one sentence that lists works after a role word, and director credits of one that lists
    them after "directing" (see the module's docstring)."""
    if "CreativeWork" not in onto.classes or "castMember" not in onto.properties:
        return
    doc = sent.doc
    at = {i: m for m in mentions for i in range(m.start, m.end)}
    for verb in sent:
        # "acclaim for directing the Koker trilogy (1987 – 94), Close-Up (1990) and Taste of Cherry (1997)"
        if verb.lemma_.lower() not in {"direct", "co-direct"} or verb.pos_ != "VERB" or is_irrealis(verb, sent):
            continue
        for obj in (c for c in verb.children if c.dep_ == "dobj"):
            start = obj.left_edge.i
            items = title_list(doc, start + 1 if doc[start].text == "the" else start, sent.end)
            works = [at[s] for s, _ in items if s in at and is_work(at[s], onto)]
            person = _person(verb, at, mentions, focus) if len(works) >= 2 else None
            for work in works if person is not None else []:
                yield "director", work, person, "career:directing"
    for cue, prep in _cues(sent):
        if cue.pos_ == "VERB" and is_irrealis(cue, sent) or cue.pos_ == "NOUN" and is_irrealis(cue.head, sent):
            continue
        opened = _list_start(doc, prep, sent.end, onto)
        if opened is None:
            continue
        items = title_list(doc, opened[0], sent.end)
        if len(items) == 2 and not _is_list(doc, items):
            items = [(items[0][0], items[1][1])]  # "Parks and Recreation"
        works = [at[start] for start, _ in items if start in at and is_work(at[start], onto)]
        if not works:
            continue
        person = _person(cue, at, mentions, focus)
        if person is None:
            continue
        for work in works:
            yield "castMember", work, person, "career:role"


_CAST_VERBS = {"include", "feature", "comprise", "boast", "have", "consist", "be"}


def _people_in(token: Token, at: dict[int, ArgMention]) -> list[ArgMention]:
    """The people a noun phrase lists: the token and its conjuncts ("A, B and C")."""
    out = []
    for t in listed(token):
        m = at.get(t.i)
        if m is not None and is_person(m) and m not in out:
            out.append(m)
    return out


def cast_lists(sent: Span, mentions: list[ArgMention], focus: Focus, onto: Ontology,
               main_work: ArgMention | None = None) -> Iterator[Credit]:
    """Cast credits a sentence gives through the noun "cast": "The cast included A, B and C" (the cast of the work
    the text is about, ``main_work``), "X, which featured the ensemble cast of A, B and C", "the film's cast
    includes A", and "she appeared as one of the main cast members of the series X"."""
    if "CreativeWork" not in onto.classes or "castMember" not in onto.properties:
        return
    at = {i: m for m in mentions for i in range(m.start, m.end)}
    for noun in sent:
        if noun.lemma_.lower() != "cast" or noun.pos_ != "NOUN":
            continue
        verb = noun.head
        if is_irrealis(verb, sent):
            continue
        if noun.dep_ == "compound" and noun.head.lemma_.lower() == "member":
            # "one of the main cast members of X": the person is the subject of the clause
            member = noun.head
            works = [at[t.i] for p in member.children if p.dep_ == "prep" and p.lower_ == "of"
                     for o in p.children if o.dep_ == "pobj" for t in _near(o) if t.i in at and is_work(at[t.i], onto)]
            person = _person(member, at, mentions, focus)
            if works and person is not None:
                yield "castMember", works[0], person, "career:cast"
            continue
        owner = _cast_owner(noun, at, onto)
        if noun.dep_ == "nsubj" and verb.lemma_.lower() in _CAST_VERBS:
            people = [m for c in verb.children if c.dep_ in {"dobj", "attr"} for m in _people_in(c, at)]
            work = owner or main_work
        elif noun.dep_ == "dobj" and verb.lemma_.lower() in _CAST_VERBS:
            people = [m for p in noun.children if p.dep_ == "prep" and p.lower_ == "of"
                      for o in p.children if o.dep_ == "pobj" for m in _people_in(o, at)]
            subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
            if subject is not None and subject.lower_ in {"which", "that"} and verb.dep_ == "relcl":
                subject = verb.head
            work = owner or (at.get(subject.i) if subject is not None else None)
        else:
            continue
        if work is None or not is_work(work, onto):
            continue
        for person in people:
            yield "castMember", work, person, "career:cast"


def _near(token: Token) -> list[Token]:
    """The token and its appositions ("the series Total Divas")."""
    return [token, *(c for c in token.children if c.dep_ in {"appos", "compound"})]


def _cast_owner(noun: Token, at: dict[int, ArgMention], onto: Ontology) -> ArgMention | None:
    """The work a "cast" belongs to: "the film's cast", "the X cast"."""
    for c in noun.children:
        if c.dep_ in {"poss", "compound"} and is_work(at.get(c.i), onto):
            return at[c.i]
    return None
