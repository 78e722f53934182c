"""Who is who within one document: typed mentions, aliases, nominal anaphors and the article's main work.

In: a parsed spaCy ``Doc`` (one token per entity, see :mod:`kg.nlp`) and the ontology. Out: a
:class:`DocEntities` that maps every token naming an entity to its :class:`~kg.model.Entity` and every money or
date token to its :class:`~kg.model.Value`.

Rules, in the order they apply:

1. A mention's class comes from its context first ("the film X", "the X franchise", "X (Rosa Salazar)" for a
   character, the bare-name object of "plays"), then from a quoted title (a creative work, which the store may
   only make more specific), then from what the store already knows of that exact name (``known``: "Cameron"
   stored as an alias of a Person, "Avatar" as a Film), then from its NER label. The store also names a lone
   proper noun NER missed. A name that is part of a longer name in the same article is left to the article's
   own mentions ("Fox" beside "Megan Fox").
2. Full names and titles make entities; a title whose context gives a class the first mention's cannot be is a
   second entity ("the novel X" beside "the film X", keyed ``creativework/x-book``). A shorter mention joins one when exactly one entity fits: a person's
   surname or first name ("Cameron" -> James Cameron, even when NER called it an organization), a title's part
   before or after a colon ("Alita" -> "Alita: Battle Angel", "The Way of Water" -> "Avatar: The Way of Water").
   A mention whose context gives another kind ("the Alita character") never joins: different things stay apart.
3. "the film", "the 2019 film", "the sci-fi epic" refer to a creative work of a compatible class mentioned in the
   last few sentences: the one mentioned most so far, the most recent on a tie. A title in parentheses (a credit:
   "Laeta Kalogridis ("Shutter Island")") is never the antecedent.
4. The main work is the creative work mentioned most, when one clearly leads.

>>> from kg.nlp import load_nlp
>>> from kg.ontology import load_ontology
>>> doc = load_nlp()('James Cameron wrote "Avatar". Cameron also produced the film.')
>>> ents = find_entities(doc, load_ontology())
>>> sorted({e.label for e in ents.entity_of.values()})
['Avatar', 'James Cameron']
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from spacy.tokens import Doc, Token

from ..model import Entity, Value
from ..names import without_middle_initials
from ..ontology import Ontology
from .literals import parse_date, parse_money, work_year

__all__ = ["DocEntities", "KnownClass", "askable_names", "find_entities", "named_entity", "slugify"]

# What the store knows of a name: (name, class NER gave it or None) -> the class to use instead, or None.
KnownClass = Callable[[str, str | None], str | None]

_ENTITY_LABELS = {"PERSON", "ORG", "GPE", "LOC", "FAC", "WORK_OF_ART", "EVENT"}
_CONTEXT_DEPS = {"compound", "nmod", "appos", "amod"}
_MAKER_LABELS = {"PERSON", "ORG"}
_DEFINITE = {"the", "this", "that"}
# Nouns that type a work but, used alone, name a different work than the last one mentioned.
_NOT_ANAPHORIC = {"sequel", "prequel", "remake", "follow-up", "series", "franchise", "trilogy", "feature"}
_ANAPHOR_WINDOW = 4  # sentences back that "the film" may reach


def slugify(text: str) -> str:
    """A safe IRI path segment for a name: ASCII letters, digits and hyphens.

    >>> slugify("Alita: Battle Angel"), slugify("Pokémon <script>")
    ('alita-battle-angel', 'pokemon-script')
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:80].strip("-")
    return slug or "x" + hashlib.sha1(text.encode()).hexdigest()[:12]


def named_entity(onto: Ontology, label: str, cls: str, aliases: tuple[str, ...] = ()) -> Entity:
    """An entity of class ``cls`` called ``label``, keyed by its kind and name ("person/james-cameron")."""
    return Entity(key=f"{onto.kind(cls)}/{slugify(label)}", label=label, cls=cls, aliases=aliases)


def _norm(text: str) -> str:
    return " ".join(text.replace("’", "'").split()).strip("\"'“”‘ ").lower()


@dataclass
class _Cluster:
    kind: str
    cls: str
    names: list[str] = field(default_factory=list)
    tokens: list[int] = field(default_factory=list)

    @property
    def label(self) -> str:
        return max(self.names, key=lambda n: (len(n), n)) if self.names else ""


@dataclass
class DocEntities:
    """Entities and values of one document, by token index."""

    entity_of: dict[int, Entity]
    value_of: dict[int, Value]
    main_work: Entity | None
    mention_count: Counter = field(default_factory=Counter)

    def entities(self) -> list[Entity]:
        """Each entity once, in order of first mention."""
        seen: dict[str, Entity] = {}
        for _, entity in sorted(self.entity_of.items()):
            seen.setdefault(entity.key, entity)
        return list(seen.values())


def _context_class(token: Token, onto: Ontology) -> str | None:
    """The class the words around a mention give it, if any."""
    nouns = onto.context_classes
    candidates = []
    # "the Disney film", "this 20th Century Fox feature": a person or company before a work noun made the work
    maker = token.dep_ in {"compound", "nmod"} and token.ent_type_ in _MAKER_LABELS
    # "the US band", "British film": a country or nationality before a kind noun says where, it is not the name
    where = token.ent_type_ in {"GPE", "NORP"} and token.dep_ in {"compound", "amod", "nmod"}
    if token.dep_ in _CONTEXT_DEPS and not (maker and _names_work(token.head, onto)) and not where:
        candidates.append(token.head)
    candidates += [c for c in token.children if c.dep_ in {"appos", "attr"} and c.pos_ == "NOUN"]
    # "the film Airport", "Usher's album Confessions": a kind noun compounded onto the name
    candidates += [c for c in token.children if c.dep_ == "compound" and (c.pos_ == "NOUN" or c.pos_ == "PROPN"
                   and c.text.islower()) and c.i == token.i - 1]  # "biopic" the tagger took for a name
    if token.dep_ == "nsubj" and token.head.lemma_ == "be":
        candidates += [c for c in token.head.children if c.dep_ == "attr" and c.pos_ == "NOUN"]
    for noun in candidates:
        if noun.ent_type_:
            continue
        modifiers = [c.lower_ for c in noun.children if c.dep_ in {"compound", "amod", "nmod"}]
        doc = noun.doc
        if noun.i >= 2 and doc[noun.i - 1].text == "-" and f"{doc[noun.i - 2].lower_}-{noun.lower_}" in nouns:
            return nouns[f"{doc[noun.i - 2].lower_}-{noun.lower_}"]  # "mini-series", which the tokenizer splits
        for modifier in modifiers:
            if f"{modifier} {noun.lower_}" in nouns:
                return nouns[f"{modifier} {noun.lower_}"]
        if noun.lower_ in nouns or noun.lemma_.lower() in nouns:
            return nouns.get(noun.lower_) or nouns[noun.lemma_.lower()]
    doc = token.doc
    if token.i >= 2 and "CreativeWork" in onto.classes and (
            doc[token.i - 1].lower_ == "of" and doc[token.i - 2].lemma_.lower() in _VERSION_NOUNS
            or doc[token.i - 1].lower_ == "to" and doc[token.i - 2].lemma_.lower() in {"sequel", "prequel"}):
        return "CreativeWork"  # "the film adaptation of X", "the sequel to X": X is a work, whatever else it names
    if _parenthetical_person(token) is not None and "Character" in onto.classes:
        return "Character"
    if "CreativeWork" in onto.classes and _dated(token) is not None:
        return "CreativeWork"  # "Lotus (2012)", "Eldorado (1992 – 93)": a name dated the way works are
    if token.dep_ == "dobj" and token.head.lemma_.lower() in _RELEASE_VERBS and token.ent_type_ != "PERSON" \
            and "CreativeWork" in onto.classes:
        return "CreativeWork"  # "Epic released Renegades in December 2000": what a label releases is a work
    if token.dep_ == "dobj" and not _is_quoted(token):
        return onto.context_verb_classes.get(token.head.lemma_.lower())
    if token.ent_type_ in {"ORG", "GPE"} and "Person" in onto.classes and _among_people(token):
        return "Person"  # "starring A, B and Dominique Delpierre": a list of people, whatever one name looked like
    if token.dep_ == "pobj" and token.head.dep_ == "agent" and token.head.head.lemma_.lower() in _PERSON_AGENT_VERBS \
            and "Person" in onto.classes and token.ent_type_ in {"ORG", "GPE"} \
            and token.text.split()[-1].lower().strip(".") not in _COMPANY_WORDS and len(token.text.split()) >= 2:
        return "Person"  # "directed by Tomomi Mochizuki": a director is a person, whatever the recogniser said
    return None


def _among_people(token: Token) -> bool:
    """True for a two- or three-word name, not a company's, listed with two people or more ("A, B and C")."""
    words = token.text.split()
    if not 2 <= len(words) <= 3 or words[-1].lower().strip(".") in _COMPANY_WORDS:
        return False
    listed = [t for t in token.conjuncts if t.i != token.i]
    return len(listed) >= 2 and sum(t.ent_type_ == "PERSON" for t in listed) >= len(listed) - 1 >= 1 \
        and sum(t.ent_type_ == "PERSON" for t in listed) >= 2


_RELEASE_VERBS = {"release", "re-release", "reissue"}
_PERSON_AGENT_VERBS = {"direct", "co-direct", "write", "co-write", "script", "star", "narrate", "compose", "choreograph"}


_VERSION_NOUNS = {"adaptation", "version", "remake", "production", "staging", "revival", "sequel", "prequel",
                  "spin-off", "reboot"}


def _names_work(noun: Token, onto: Ontology) -> bool:
    cls = onto.context_classes.get(noun.lower_) or onto.context_classes.get(noun.lemma_.lower())
    return cls is not None and any("WORK_OF_ART" in onto.classes[c].ner_labels for c in onto.ancestors(cls) if c in onto.classes)


def _is_quoted(token: Token) -> bool:
    doc = token.doc
    before = doc[token.i - 1].text if token.i > 0 else ""
    return before in {'"', "“", "'", "‘"}


def _parenthetical_person(token: Token) -> Token | None:
    """The person in "Alita (Rosa Salazar)": a name right after the mention, in parentheses."""
    doc, i = token.doc, token.i
    if i + 3 >= len(doc) or doc[i + 1].text != "(" or doc[i + 2].ent_type_ != "PERSON" or doc[i + 3].text != ")":
        return None
    # "Tom Cruise (Ethan Hunt)" puts the actor first; a one-word name before an actor is the character.
    return doc[i + 2] if token.ent_type_ != "PERSON" or len(token.text.split()) == 1 else None


# last words that make a name a company's, whatever the recogniser says ("Kestrel Records was founded ...")
_COMPANY_WORDS = {"records", "pictures", "studios", "films", "productions", "entertainment", "media", "inc", "ltd",
                  "plc", "corp", "corporation", "llc", "publishing", "publishers", "broadcasting", "networks"}


def _base_class(token: Token, onto: Ontology) -> str | None:
    if token.ent_type_ == "PERSON" and token.text.split()[-1].lower().strip(".") in _COMPANY_WORDS \
            and "Organization" in onto.classes:
        return "Organization"
    return onto.ner_classes.get(token.ent_type_)


def _title_parts(label: str) -> list[str]:
    """The shorter names a colon title goes by: "Alita: Battle Angel" -> ["alita", "battle angel"]."""
    if ":" not in label:
        return []
    head, _, tail = label.partition(":")
    return [p for p in (_norm(head), _norm(tail)) if p]


def askable_names(doc: Doc) -> set[str]:
    """The names :func:`find_entities` may ask ``known`` about: each named entity's and each proper noun's text
    (a superset, so that a caller can look them all up at once)."""
    return {token.text for token in doc
            if (token.ent_type_ in _ENTITY_LABELS or token.pos_ == "PROPN") and any(ch.isalpha() for ch in token.text)}


def find_entities(doc: Doc, onto: Ontology, published_year: int | None = None,
                  known: KnownClass | None = None) -> DocEntities:
    """Type, cluster and name every entity mention of a document; read its money and date values."""
    values: dict[int, Value] = {}
    mentions: list[tuple[Token, str, bool]] = []  # token, class, class came from context (or the store)
    longer = _longer_name_parts(doc) if known is not None else set()
    company_heads = _company_heads(doc)
    work_kind = onto.kind("CreativeWork") if "CreativeWork" in onto.classes else None
    runs = []
    if "CreativeWork" in onto.classes:
        from .careers import listed_titles  # careers reads mentions, which read DocEntities from this module

        # a list splits what a title run would join ("shows such as Entourage, Heroes and Lost")
        runs = listed_titles(doc, set(), onto)
    listed = {i for start, end, _ in runs for i in range(start, end)}
    runs += [r for r in _unquoted_titles(doc, onto) if not listed & set(range(r[0], r[1]))]
    runs += _year_titles(doc, {i for start, end, _ in runs for i in range(start, end)}, onto)
    runs += _defined_titles(doc, {i for start, end, _ in runs for i in range(start, end)}, onto)
    in_run = {i for start, end, _ in runs for i in range(start, end)}
    for token in doc:
        if token.i in in_run:
            continue
        label = token.ent_type_
        if label == "MONEY":
            value = parse_money(token.text)
        elif label == "DATE":
            value = parse_date(token.text, published_year)
        else:
            value = None
        if value is not None:
            values[token.i] = value
            continue
        if label in _ENTITY_LABELS and token.text.strip() and any(ch.isalpha() for ch in token.text):
            context = _context_class(token, onto)
            cls = context or _base_class(token, onto)
        elif _lone_proper_noun(token):
            # "hit comedy Blackadder": a work noun names the proper noun the recogniser left unlabelled
            context = cls = _context_class(token, onto)
            if cls is not None and onto.kind(cls) != work_kind:
                context = cls = None
            if cls is None and token.lower_ in company_heads and "Organization" in onto.classes:
                cls = "Organization"  # "Lightstorm produced X" after "Lightstorm Entertainment"
            if cls is None and known is None:
                continue
        else:
            continue
        if context is None and known is not None and _norm(token.text) not in longer:
            stored = known(token.text, cls)
            # a quoted title is a work whatever else the name means; the store may only make it more specific
            if stored is not None and not (_is_quoted(token) and cls and onto.kind(stored) != onto.kind(cls)):
                context = cls = stored
        if cls is not None:
            mentions.append((token, cls, context is not None))
    mentions = _one_sense(mentions, doc, runs, onto)

    clusters: list[_Cluster] = []
    by_name: dict[tuple[str, str], _Cluster] = {}
    typed: dict[tuple[str, str, str], _Cluster] = {}  # a second thing of the same name, by the class its context gives
    pending: list[tuple[Token, str, bool]] = []
    for token, cls, from_context in mentions:
        kind = onto.kind(cls)
        name = _person_key(_norm(token.text)) if kind == "person" else _norm(token.text)
        # "Sir Alan", "Mr Reyk": a title and one name is a short name, like "Reyk"
        is_full = (kind == "person" and len(_untitled(name).split()) > 1) or kind != "person"
        if (kind, name, cls) in typed:
            _join(typed[(kind, name, cls)], token, cls, onto)
        elif (kind, name) in by_name and not (from_context and _other_thing(by_name[(kind, name)], cls, onto)):
            _join(by_name[(kind, name)], token, cls, onto)
        elif (kind, name) in by_name:  # 'the film "Glass Harbor" is based on the novel "Glass Harbor"': two works
            typed[(kind, name, cls)] = cluster = _Cluster(kind=kind, cls=cls)
            clusters.append(cluster)
            _join(cluster, token, cls, onto)
        elif is_full and not (kind in {"organization", "place"} and not from_context and len(name.split()) == 1):
            cluster = _Cluster(kind=kind, cls=cls)
            clusters.append(cluster)
            by_name[(kind, name)] = cluster
            _join(cluster, token, cls, onto)
        else:
            pending.append((token, cls, from_context))

    interior: set[int] = set()  # tokens of a multi-word title after its first: one mention, not several
    for start, end, cls in runs:
        kind = onto.kind(cls)
        name = _norm(re.sub(r"^(?:the|a|an)\s+", "", doc[start:end].text, flags=re.IGNORECASE))
        cluster = by_name.get((kind, name))
        if cluster is None:
            cluster = _Cluster(kind=kind, cls=cls)
            clusters.append(cluster)
            by_name[(kind, name)] = cluster
        cluster.tokens.extend(range(start, end))
        interior.update(range(start + 1, end))
        text = " ".join(doc[start:end].text.split())
        if text not in cluster.names:
            cluster.names.append(text)

    persons = [c for c in clusters if c.kind == "person"]
    works = [c for c in clusters if c.kind == onto.kind("CreativeWork")] if "CreativeWork" in onto.classes else []
    for token, cls, from_context in pending:
        kind = onto.kind(cls)
        name = _norm(token.text)
        target = None
        if not from_context or kind == "person":
            target = _single(c for c in persons if _is_name_part(_untitled(name), c))
        if target is None and kind == onto.kind("Organization") and name in company_heads:
            target = _single(c for c in clusters if c.kind == kind and _norm(c.label).split()[0] == name
                             and len(c.label.split()) > 1)
        if target is None:
            cluster = by_name.get((kind, name))
            if cluster is None:
                cluster = _Cluster(kind=kind, cls=cls)
                clusters.append(cluster)
                by_name[(kind, name)] = cluster
            target = cluster
        _join(target, token, cls, onto)

    # Title parts: "Alita" joins "Alita: Battle Angel" unless the text typed it as another kind, or names both in
    # one sentence ('"Avatar: The Way of Water", the sequel to "Avatar"'): then they are two works.
    for cluster in [c for c in clusters if c in works and ":" not in c.label]:
        name = _norm(cluster.label)
        owner = _single(w for w in works if w is not cluster and name in _title_parts(w.label))
        if owner is not None and not {doc[i].sent.start for i in cluster.tokens} & {doc[i].sent.start for i in owner.tokens}:
            for i in cluster.tokens:
                _join(owner, doc[i], cluster.cls, onto)
            clusters.remove(cluster)
            works.remove(cluster)

    token_cluster: dict[int, _Cluster] = {i: c for c in clusters for i in c.tokens}
    sentence_of = [n for n, sent in enumerate(doc.sents) for _ in range(len(sent))]  # token index -> sentence number
    _resolve_anaphors(doc, onto, token_cluster, works, sentence_of)
    if "Organization" in onto.classes:
        _resolve_anaphors(doc, onto, token_cluster, [c for c in clusters if c.kind == onto.kind("Organization")],
                          sentence_of)
    _resolve_subject_pronouns(doc, token_cluster, persons, sentence_of)

    to_entity = _entities(clusters)
    entity_of = {i: to_entity[id(c)] for i, c in token_cluster.items()}
    counts = Counter(entity_of[i].key for i in entity_of if i not in interior)
    ranked = [c for c in works if to_entity[id(c)].cls != "Franchise"]
    ranked.sort(key=lambda c: -counts[to_entity[id(c)].key])
    main = None
    # The main work: named in the headline or the lead, mentioned three times or more and at least twice as often as
    # any other work (a round-up of awards or a chart names many works; none of them is the article's subject).
    lead_end = _lead_end(doc)
    if ranked and counts[to_entity[id(ranked[0])].key] >= 3 and min(ranked[0].tokens) < lead_end:
        if len(ranked) == 1 or counts[to_entity[id(ranked[0])].key] >= 2 * counts[to_entity[id(ranked[1])].key]:
            main = to_entity[id(ranked[0])]
    if main is None:  # "X is a 1994 American spy thriller film ...": a text that opens by defining a work is about it
        main = _topic(doc, token_cluster, works, to_entity)
    return DocEntities(entity_of=entity_of, value_of=values, main_work=main, mention_count=counts)


def _lead_end(doc: Doc, sentences: int = 3) -> int:
    """The token index where the headline and lead (the first ``sentences`` sentences) end."""
    for n, sent in enumerate(doc.sents):
        if n + 1 == sentences:
            return sent.end
    return len(doc)


def _unquoted_titles(doc: Doc, onto: Ontology) -> list[tuple[int, int, str]]:
    """(start, end, class) of the titles news writes unquoted, as capitalised runs with small words inside ("Maria
    Full of Grace", "Shaun of the Dead"; :func:`~kg.extract.mentions.title_runs`), typed as works, or as the work
    class a noun before them gives ("the drama Maria Full of Grace"). Runs that name an award are left out."""
    if "CreativeWork" not in onto.classes:
        return []
    from .mentions import names_award, title_runs  # mentions reads DocEntities from this module

    work_kind = onto.kind("CreativeWork")
    out = []
    for sent in doc.sents:
        for start, end in title_runs(sent):
            span = doc[start:end]
            if names_award(span):
                continue
            before = doc[start - 1] if start > sent.start else None
            cls = "CreativeWork"
            if before is not None:
                noun = onto.context_classes.get(before.lower_) or onto.context_classes.get(before.lemma_.lower())
                if noun is not None and onto.kind(noun) == work_kind:
                    cls = noun
            out.append((start, end, cls))
    return out


_YEAR = re.compile(r"(?:1[89]|20)\d\d")


def _year_titles(doc: Doc, taken: set[int], onto: Ontology) -> list[tuple[int, int, str]]:
    """(start, end, "CreativeWork") of capitalised words the recogniser left unlabelled followed by a year in
    parentheses, the way news dates a work: "Airport (1968) remains his best-loved work", "Wheels (1971)"."""
    if "CreativeWork" not in onto.classes:
        return []
    out = []
    for token in doc[:-3]:
        i = token.i
        if _dated(token) is None:
            continue
        if token.ent_type_ or not token.text[:1].isupper() or token.pos_ not in {"PROPN", "NOUN"} or i in taken:
            continue
        start, sent_start = i, token.sent.start
        while start - 1 >= sent_start and start - 1 not in taken and not doc[start - 1].ent_type_ and i - start < 7:
            before = doc[start - 1]
            if before.text[:1].isupper() and before.pos_ in {"PROPN", "NOUN", "DET", "VERB", "AUX", "ADJ", "PRON"} \
                    and start - 1 > sent_start:
                start -= 1  # "The Wind Will Carry Us (1999)"
            elif before.text[:1].isupper() and before.pos_ in {"PROPN", "NOUN", "DET"}:
                start -= 1
            elif before.text in {"-", "–"} and start - 2 >= sent_start and doc[start - 2].text[:1].isupper():
                start -= 1  # "Close-Up (1990)"
            else:
                break
        out.append((start, i + 1, "CreativeWork"))
    return out


_DEFINED_MAX = 10  # words in a title a definition names


def _defined_titles(doc: Doc, taken: set[int], onto: Ontology) -> list[tuple[int, int, str]]:
    """(start, end, class) of titles a sentence defines, the way an encyclopedia's or a review's lead does: "Clear
    and Present Danger is a 1994 American spy thriller film", "Between Five and Seven is the sixth studio album by
    John Gorka". The subject of "is/was a <work noun>" is a work of the class the noun gives, whether or not the
    recogniser saw a name there; a subject with lower-case words other than small ones ("The show is a hit") or a
    pronoun is not a title. Names the recogniser already typed are left to :func:`_context_class`."""
    if "CreativeWork" not in onto.classes:
        return []
    from .mentions import SMALL_WORDS  # mentions reads DocEntities from this module

    work_kind = onto.kind("CreativeWork")
    out = []
    for sent in doc.sents:
        root = sent.root
        if root.lemma_ != "be":
            continue
        subject = next((c for c in root.children if c.dep_ == "nsubj"), None)
        attr = next((c for c in root.children if c.dep_ == "attr" and c.pos_ in {"NOUN", "PROPN"}), None)
        if subject is None or attr is None or subject.pos_ == "PRON" or attr.i < subject.i:
            continue
        cls = _work_noun_class(attr, onto)
        if cls is None or onto.kind(cls) != work_kind:
            continue
        start, end = subject.left_edge.i, subject.right_edge.i + 1
        cut = next((t.i for t in doc[start:end] if t.text in {"(", ",", "[", ";"}), end)
        while start < cut and doc[start].text in {'"', "“", "'", "‘"}:
            start += 1
        end = cut
        while end > start and doc[end - 1].text in {'"', "”", "'", "’"}:
            end -= 1
        words = doc[start:end]
        if not words or len(words) > _DEFINED_MAX or any(i in taken for i in range(start, end)):
            continue
        if not words[0].text[:1].isupper() or words[0].text[:1] in {'"', "“"}:
            continue
        if any(not (t.text[:1].isupper() or t.is_digit or t.lower_ in SMALL_WORDS or t.is_punct) for t in words):
            continue
        if len(words) == 1 and words[0].ent_type_:
            continue  # a name the recogniser saw: its context class types it
        out.append((start, end, cls))
    return out


def _work_noun_class(noun: Token, onto: Ontology) -> str | None:
    """The work class a noun and its modifiers give ("television series", "studio album", "film"), if any."""
    nouns = onto.context_classes
    for c in noun.children:
        if c.dep_ in {"compound", "amod", "nmod"} and f"{c.lower_} {noun.lower_}" in nouns:
            return nouns[f"{c.lower_} {noun.lower_}"]
    return nouns.get(noun.lower_) or nouns.get(noun.lemma_.lower())


def _topic(doc: Doc, token_cluster: dict[int, _Cluster], works: list[_Cluster],
           to_entity: dict[int, Entity]) -> Entity | None:
    """The work the text's first sentence defines ("X is a 1930 Indian silent film ..."), if it does."""
    first = next(iter(doc.sents), None)
    if first is None or first.root.lemma_ != "be":
        return None
    subject = next((c for c in first.root.children if c.dep_ == "nsubj"), None)
    if subject is None:
        return None
    cluster = next((token_cluster[i] for i in range(subject.left_edge.i, subject.i + 1) if i in token_cluster), None)
    if cluster is None or cluster not in works:
        return None
    return to_entity[id(cluster)]


def _dated(token: Token) -> str | None:
    """The year in the parentheses right after a name, when they hold a work's year or run ("(1968)", "(1989 –
    94)"), not a lifespan."""
    doc = token.doc
    if token.i + 2 >= len(doc) or doc[token.i + 1].text != "(":
        return None
    close = next((i for i in range(token.i + 2, min(len(doc), token.i + 7)) if doc[i].text == ")"), None)
    return work_year(doc[token.i + 2:close].text) if close is not None else None


def _title_key(text: str) -> str:
    return _norm(re.sub(r"^(?:the|a|an)\s+", "", text.strip("\"'“”‘’ "), flags=re.IGNORECASE))


_HONORIFICS = {"Mr", "Ms", "Mrs", "Miss", "Dr", "Sir", "Dame", "Lord", "Lady"}
# nouns right before a name that make it a person's, wherever else the recogniser typed it
_PERSON_NOUNS = {"actor", "actress", "singer", "star", "rapper", "frontman", "frontwoman", "presenter", "comedian",
                 "novelist", "author", "director", "film-maker", "filmmaker", "songwriter", "guitarist", "drummer",
                 "dj", "playwright", "screenwriter", "producer", "spokesman", "spokeswoman", "lawyer"}


_GENERIC_CLASSES = {"Organization", "Place", "Event", "Agent"}  # too broad to re-type a name the recogniser read


def _one_sense(mentions: list[tuple[Token, str, bool]], doc: Doc, runs: list[tuple[int, int, str]],
               onto: Ontology) -> list[tuple[Token, str, bool]]:
    """One sense per article for titles and people: a name the text itself calls a work somewhere ("the wine comedy
    Sideways", a quoted "Sideways", a title run) is that work wherever else the recogniser typed it a person,
    place or company ("Sideways's Alexander Payne", "Martin Scorsese's The Aviator").

    A name a person noun stands before somewhere ("Late R&B star Aaliyah") is that person wherever the recogniser
    typed it a place or company, unless the article's words also call it something else.
    Only from the article's own words: a name with context classes of two kinds
    (a film and a person both called "Ray") keeps each mention's own reading.
    In: the mentions as (token, class, class came from context); out: the same list, re-typed.
    """
    if "CreativeWork" not in onto.classes:
        return mentions
    work_kind = onto.kind("CreativeWork")
    said: dict[str, set[str]] = {}  # title key -> classes the article's own words give it
    for token, cls, from_context in mentions:
        if from_context or _is_quoted(token):
            said.setdefault(_title_key(token.text), set()).add(cls)
    for start, end, cls in runs:
        said.setdefault(_title_key(doc[start:end].text), set()).add(cls)
    person_kind = onto.kind("Person") if "Person" in onto.classes else None
    doc_people = {_title_key(token.text) for token, cls, from_context in mentions
                  if person_kind is not None and token.i > 0 and doc[token.i - 1].lower_ in _PERSON_NOUNS
                  and doc[token.i - 1].pos_ == "NOUN"}  # "Late R&B star Aaliyah", "rapper Lil Jon"
    # "Mr French", "Ms Errigo": a last name a title stands before is a person's, and so is every full name ending
    # with it ("the Observer's Philip French", which the recogniser took for a company)
    titled = {token.text.split()[-1].lower() for token in doc if len(token.text.split()) > 1
              and token.text.split()[0].rstrip(".") in _HONORIFICS}
    titled |= {token.lower_ for token in doc if token.i > 0 and doc[token.i - 1].text.rstrip(".") in _HONORIFICS
               and token.pos_ == "PROPN"}
    # one reading per name: the class the recogniser gives a name most often, at least twice, is its class throughout
    votes: dict[str, Counter] = {}
    for token, cls, from_context in mentions:
        if not from_context:
            votes.setdefault(_title_key(token.text), Counter())[cls] += 1
    out = []
    for token, cls, from_context in mentions:
        key = _title_key(token.text)
        classes = said.get(key, set())
        kinds = {onto.kind(c) for c in classes}
        words = token.text.split()
        ranked = votes.get(key, Counter()).most_common(2)
        personal = key in doc_people or len(words) > 1 and (words[-1].lower() in titled
                                                            or words[0].rstrip(".") in _HONORIFICS)
        if not from_context and not classes and personal and person_kind is not None and onto.kind(cls) != person_kind:
            cls, from_context = "Person", True
        elif not from_context and not personal and not classes and ranked and ranked[0][1] >= 2 and (
                len(ranked) == 1 or ranked[0][1] > ranked[1][1]) and onto.kind(ranked[0][0]) != onto.kind(cls):
            cls = ranked[0][0]
        elif not from_context and kinds == {work_kind} and onto.kind(cls) != work_kind:
            specific = [c for c in classes if not any(o != c and onto.is_a(o, c) for o in classes)]
            cls = specific[0] if len(specific) == 1 else "CreativeWork"
            from_context = True
        elif not from_context and len(kinds) == 1 and kinds != {person_kind} and onto.kind(cls) not in kinds:
            # "Scottish rock band Franz Ferdinand" ... "Franz Ferdinand have won": the band wherever the recogniser
            # took the name for a person's
            specific = [c for c in classes if not any(o != c and onto.is_a(o, c) for o in classes)]
            if len(specific) == 1 and specific[0] not in _GENERIC_CLASSES:
                cls, from_context = specific[0], True
        out.append((token, cls, from_context))
    return out


def _person_key(name: str) -> str:
    """A person's folded name without middle initials: "jonathan r. hale" and "jonathan hale" are one person.

    >>> _person_key("jonathan r. hale"), _person_key("j. k. rowling")
    ('jonathan hale', 'j. k. rowling')
    """
    return without_middle_initials(name)


def _longer_name_parts(doc: Doc) -> set[str]:
    """Words and title parts of the document's multi-word names: shorter names the article itself explains."""
    parts: set[str] = set()
    for token in doc:
        name = _norm(token.text)
        if token.ent_type_ in _ENTITY_LABELS and len(name.split()) > 1:
            parts.update(name.replace(":", " ").split())
            parts.update(_title_parts(token.text))
    return parts


def _company_heads(doc: Doc) -> set[str]:
    """First words of the document's company names whose other words say "company" ("lightstorm" for "Lightstorm
    Entertainment"): the short name the text may use next."""
    out = set()
    for ent in doc.ents:
        words = ent.text.split()
        if ent.label_ == "ORG" and len(words) >= 2 and all(w.lower().strip(".") in _COMPANY_WORDS for w in words[1:]):
            out.add(words[0].lower())
    return out


def _lone_proper_noun(token: Token) -> bool:
    """A capitalised proper noun standing alone ("Cameron directed ..."), not a piece of an unrecognised name."""
    doc = token.doc
    if token.pos_ != "PROPN" or token.ent_type_ or not token.text[:1].isupper() or not token.is_alpha:
        return False
    return all(doc[j].pos_ != "PROPN" for j in (token.i - 1, token.i + 1) if 0 <= j < len(doc))


def _single(items):
    found = list(items)
    return found[0] if len(found) == 1 else None


def _untitled(name: str) -> str:
    """A folded person name without the honorific before it: "sir alan" -> "alan"."""
    words = name.split()
    while len(words) > 1 and words[0].rstrip(".").capitalize() in _HONORIFICS:
        words = words[1:]
    return " ".join(words)


def _is_name_part(name: str, person: _Cluster) -> bool:
    words = _untitled(_norm(person.label)).split()
    return len(name.split()) == 1 and len(words) > 1 and name in (words[0], words[-1])


def _join(cluster: _Cluster, token: Token, cls: str, onto: Ontology) -> None:
    cluster.tokens.append(token.i)
    text = " ".join(token.text.split()).strip("\"'“”‘’ ")
    if text not in cluster.names:
        cluster.names.append(text)
    if onto.kind(cls) == cluster.kind and cls != cluster.cls and onto.is_a(cls, cluster.cls):
        cluster.cls = cls  # a more specific class: CreativeWork -> Film


def _in_parentheses(token: Token) -> bool:
    doc, i = token.doc, token.i
    left = next((doc[j].text for j in range(i - 1, max(-1, i - 4), -1) if doc[j].text in {"(", ")"}), "")
    right = next((doc[j].text for j in range(i + 1, min(len(doc), i + 4)) if doc[j].text in {"(", ")"}), "")
    return left == "(" and right == ")"


def _resolve_anaphors(doc: Doc, onto: Ontology, token_cluster: dict[int, _Cluster], works: list[_Cluster],
                      sentence_of: list[int]) -> None:
    """Point "the film", "the 2019 film", "the film's" at the most recent work mentioned before them (``works``: the
    work clusters), or "the company", "the studio's", "the band" at an organisation (``works``: those clusters).

    One pass over the document: each work mention (a resolved anaphor included) counts toward its work's salience
    and recency as the pass goes by, so the cost is linear in the document's length.
    """
    if not works:
        return
    work_kind = works[0].kind
    work_ids = {id(c) for c in works}
    nouns = {noun: cls for noun, cls in onto.context_classes.items() if onto.kind(cls) == work_kind}
    salience: Counter = Counter()
    last_sentence: dict[int, int] = {}  # id(work) -> the sentence of its latest mention so far
    last_token: dict[int, int] = {}
    subject_work: dict[int, _Cluster] = {}  # sentence number -> the work that is its subject
    named_modifier = work_kind != (onto.kind("CreativeWork") if "CreativeWork" in onto.classes else None)
    for token in doc:
        cluster = token_cluster.get(token.i)
        if cluster is None and token.lower_ not in nouns and token.lower_ != "it":
            continue  # most words: neither a mention nor an anaphor
        if cluster is None and _is_anaphor(token, nouns) and not (named_modifier and any(
                c.ent_type_ for c in token.children if c.dep_ in {"compound", "amod", "nmod"})):
            # "the company", "the band"; not "the US band", which a name describes rather than points back
            cluster = _antecedent(token, onto, nouns[token.lower_], works, salience, last_sentence, last_token, sentence_of,
                                  specific=named_modifier)
            if cluster is not None:
                token_cluster[token.i] = cluster
        elif cluster is None and token.lower_ == "it" and _is_clause_subject(token):
            # "X is a 1930 silent film. It was produced by Y.": "it" opening a clause goes on with the work the
            # sentence before was about
            cluster = subject_work.get(sentence_of[token.i] - 1)
            if cluster is not None:
                token_cluster[token.i] = cluster
        if cluster is not None and id(cluster) in work_ids and _is_clause_subject(token):
            subject_work.setdefault(sentence_of[token.i], cluster)
        if cluster is not None and id(cluster) in work_ids and not _in_parentheses(token):
            salience[id(cluster)] += 1
            last_sentence[id(cluster)] = sentence_of[token.i]
            last_token[id(cluster)] = token.i


_SUBJECT_PRONOUNS = {"he": "m", "she": "f"}
_GENDERED = {"m": {"mr", "sir", "lord", "actor", "king", "prince", "father", "son", "husband", "brother"},
             "f": {"ms", "mrs", "miss", "dame", "lady", "actress", "queen", "princess", "mother", "daughter", "wife",
                   "sister"}}


def _resolve_subject_pronouns(doc: Doc, token_cluster: dict[int, _Cluster], persons: list[_Cluster],
                              sentence_of: list[int]) -> None:
    """Point "he" and "she" as subjects at the person who was last the subject of a clause: "Louis Lombardi is
    an American actor. He also wrote and directed the film Dough Boys." A person the text showed to be of the other
    gender ("actress X", "Mr X", "X ... her") is passed over."""
    if not persons:
        return
    person_ids = {id(c) for c in persons}
    gender: dict[int, str] = {}
    last: list[_Cluster] = []  # clause subjects so far, the latest last
    for token in doc:
        cluster = token_cluster.get(token.i)
        if cluster is not None and id(cluster) in person_ids:
            before = doc[token.i - 1].lower_.rstrip(".") if token.i > 0 else ""
            for g, words in _GENDERED.items():
                if before in words:
                    gender.setdefault(id(cluster), g)
            opens = token.i == 0 or sentence_of[token.i - 1] != sentence_of[token.i]
            if _is_clause_subject(token) or opens:  # "X (born 1994) is ...": a misparsed lead
                last.append(cluster)
            continue
        g = _SUBJECT_PRONOUNS.get(token.lower_)
        if g is None or cluster is not None or token.dep_ not in {"nsubj", "nsubjpass"}:
            continue
        found = next((c for c in reversed(last) if gender.get(id(c), g) == g), None)
        if found is not None:
            token_cluster[token.i] = found
            gender.setdefault(id(found), g)
            last.append(found)


def _is_clause_subject(token: Token) -> bool:
    """True for the subject of its sentence's main clause (or of a clause joined to it by "and")."""
    if token.dep_ not in {"nsubj", "nsubjpass"}:
        return False
    head = token.head
    return head.dep_ == "ROOT" or head.dep_ == "conj" and head.head.dep_ == "ROOT"


def _is_anaphor(token: Token, nouns: dict[str, str]) -> bool:
    """"the film", "this 2019 drama": a definite work noun that refers back rather than describes."""
    noun = token.lower_
    if token.pos_ != "NOUN" or token.ent_type_ or noun not in nouns:
        return False
    if token.dep_ in {"attr", "appos", "compound"} or any(c.dep_ in {"appos"} for c in token.children):
        return False
    # "This 20th Century Fox feature": the recogniser may fold the determiner into a date; a possessor is a pronoun
    # ("its label"), never a name ("The Streets' record label" is another company's)
    determiners = {c.lower_.split()[0] for c in token.children
                   if (c.dep_ == "det" or c.dep_ == "poss" and c.pos_ == "PRON") and c.lower_.strip()}
    if not determiners & _DEFINITE:
        return False
    if noun in _NOT_ANAPHORIC and not determiners & {"this", "that"}:
        return False  # "the sequel" is another work; "this 20th Century Fox feature" is the one just named
    # "the third highest-grossing film of all time" describes, it does not refer
    return not any(c.dep_ == "prep" and c.lower_ == "of" for c in token.children)


_SCREEN = {"Film", "TVSeries"}
_MAIN_SALIENCE = 3  # mentions that make a work the article's subject


def _antecedent(token: Token, onto: Ontology, cls: str, works: list[_Cluster], salience: Counter,
                last_sentence: dict[int, int], last_token: dict[int, int], sentence_of: list[int],
                specific: bool = False) -> _Cluster | None:
    """The work (or organisation) an anaphor means: of those of a compatible class mentioned in the last few
    sentences, the one mentioned most so far, the most recent on a tie. ``specific``: the antecedent's class must be
    the noun's or below it ("the band" is never a company the text did not call a band)."""
    here = sentence_of[token.i]

    def fits(c: _Cluster) -> bool:
        # "comedy" and "drama" type a name a film; "the show" may mean it all the same
        return onto.is_a(c.cls, cls) or not specific and (onto.is_a(cls, c.cls) or {cls, c.cls} <= _SCREEN)

    candidates = [c for c in works if id(c) in last_sentence and here - last_sentence[id(c)] <= _ANAPHOR_WINDOW
                  and fits(c)]
    if not candidates:  # far from any work: the one the article is about, when it has one
        candidates = [c for c in works if salience[id(c)] >= _MAIN_SALIENCE and id(c) in last_sentence and fits(c)]
        if len(candidates) != 1:
            return None
    cluster = max(candidates, key=lambda c: (salience[id(c)], last_token[id(c)]))
    if onto.is_a(cls, cluster.cls) and cls != cluster.cls:
        cluster.cls = cls
    return cluster


def _other_thing(cluster: _Cluster, cls: str, onto: Ontology) -> bool:
    """True when a class the context gives a mention cannot be the cluster's (a novel is not a film)."""
    return not (onto.is_a(cls, cluster.cls) or onto.is_a(cluster.cls, cls))


def _entities(clusters: list[_Cluster]) -> dict[int, Entity]:
    """The entity of each cluster (by id); two things of one name get the class in the second one's key
    ("creativework/glass-harbor", "creativework/glass-harbor-book")."""
    out: dict[int, Entity] = {}
    keys: set[str] = set()
    for cluster in clusters:
        entity = _entity(cluster)
        if entity.key in keys:
            entity = Entity(f"{entity.key}-{slugify(entity.cls)}", entity.label, entity.cls, entity.aliases)
        keys.add(entity.key)
        out[id(cluster)] = entity
    return out


def _entity(cluster: _Cluster) -> Entity:
    label = cluster.label
    if cluster.kind == "person":  # "Jonathan Hale" beside "Jonathan R. Hale": the name without the initial
        label = max((n for n in cluster.names if _norm(n) == _person_key(_norm(label))), key=len, default=label)
    aliases = tuple(sorted(n for n in cluster.names if n != label))
    return Entity(key=f"{cluster.kind}/{slugify(label)}", label=label, cls=cluster.cls, aliases=aliases)
