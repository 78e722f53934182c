"""Relation extractors: generator functions over one parsed sentence that yield candidate facts.

In: a sentence ``Span``, the document's :class:`~kg.extract.coref.DocEntities` and the ontology. Out:
:class:`Candidate` facts whose subject and object fit the property's domain and range.

Each extractor reads its cues from the ontology (``kg:verbCue``, ``kg:nounCue``, ``kg:modifierCue``):

- :func:`verb_frames`   "Rodriguez directed Alita", "the film made $404 million", "Alita was released in 2019"
- :func:`role_nouns`    "director Robert Rodriguez", "Titanic director James Cameron", "the film's screenwriter, X"
- :func:`value_nouns`   "an estimated $170 million budget", "a worldwide gross of over $2.3 billion"
- :func:`modifiers`     "2019's Alita", "the 2019 film", "Yukito Kishiro's manga Gunnm", "the novel Gunnm by Kishiro"
- :func:`parenthetical_roles` "Alita (Rosa Salazar)": a character and the actor who plays her
- :func:`title_prefixes` "Avatar: The Way of Water" belongs to the "Avatar" franchise named in the text

Which argument becomes the subject is decided by domain and range: "X directed Y" and "Y was directed by X"
give the same fact. Statements the text does not assert are skipped: negated, modal ("may"), hoped-for
("hoped to direct"), conditional or asked as a question.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from spacy.tokens import Span, Token

from ..model import Entity, Qualifiers, Value
from ..ontology import Ontology, OntProperty
from .coref import DocEntities

__all__ = [
    "Candidate", "RoleHint", "verb_frames", "role_nouns", "value_nouns", "modifiers", "parenthetical_roles",
    "title_prefixes", "attach_roles", "fits",
]

_SUBJ_DEPS = {"nsubj", "csubj"}
_PASSIVE_SUBJ_DEPS = {"nsubjpass", "csubjpass"}
_OBJ_DEPS = {"dobj", "obj"}
_OBLIQUE_PREPS = {"in", "on", "for", "at", "from", "as", "during", "to", "into", "of"}
_HOLDER_DEPS = {"compound", "appos", "amod", "nmod"}
_VALUE_DEPS = {"compound", "nummod", "amod", "quantmod", "det", "appos", "npadvmod", "nmod"}
_MODIFIER_DEPS = {"poss", "nummod", "amod", "compound", "nmod"}
_NO_ONE = {"neither", "nobody", "none", "no-one", "noone"}
_RELATIVE_PRONOUNS = {"which", "that", "who"}
_MODALS = {"may", "might", "could", "would", "should", "'d", "must", "can"}
_IRREALIS_HEADS = {
    "hope", "want", "plan", "try", "aim", "intend", "expect", "seek", "wish", "love", "like", "consider",
    "propose", "refuse", "fail", "decline", "threaten", "promise", "offer", "rumor", "rumour", "deny",
}
# Word forms as well as lemmas: the small model lemmatises "hoped" as "hop".
_IRREALIS_FORMS = _IRREALIS_HEADS | {
    form for w in _IRREALIS_HEADS for form in (w + "s", w + "d", w + "ed", w + "ing", w.rstrip("e") + "ing", w + "es")
}
_CONDITIONAL_MARKS = {"if", "whether", "unless"}
_SYMMETRIC_ROLE_WORDS = {"partner", "partners", "collaborator", "collaborators"}
# Walks up a chain of coordinated or complement clauses stop after this many steps: no sentence a person writes
# chains more, and a run-on list of verbs would otherwise cost the square of its length.
_MAX_CLAUSE_HOPS = 30
WINDOW_PREPS = {"in", "on", "over", "during", "across", "for"}
WINDOW_WORDS = {"weekend", "weekends", "week", "weeks", "day", "days", "night", "nights", "opening", "debut", "month",
                 "months", "fortnight"}
# Verbs of change: "the budget rose from $90m to $120m" states the budget it reached
_CHANGE_VERBS = {"rise", "grow", "increase", "climb", "jump", "soar", "swell", "balloon", "fall", "drop", "decline",
                 "shrink", "reach", "go", "top"}

Arg = Entity | Value


@dataclass(frozen=True)
class Candidate:
    """A fact found in one sentence, before deduplication."""

    prop: OntProperty
    subject: Entity
    object: Arg
    sentence: Span
    rule: str
    confidence: float
    qualifiers: Qualifiers | None = None


@dataclass(frozen=True)
class RoleHint:
    """A person named by a role noun ("director Robert Rodriguez") with no work in reach of the noun."""

    holder: Entity
    prop: OntProperty
    sentence: Span
    cue: str


# ---------------------------------------------------------------- shared helpers


def arg(token: Token, ents: DocEntities) -> Arg | None:
    """The entity or value a token stands for: a name, "the film", or "the manga series Gunnm"."""
    if token.i in ents.value_of:
        return ents.value_of[token.i]
    if token.i in ents.entity_of:
        return ents.entity_of[token.i]
    if token.pos_ in {"NOUN", "PROPN"}:
        for child in token.children:
            if child.dep_ in {"appos", "compound", "nmod"} and child.i in ents.entity_of:
                return ents.entity_of[child.i]
    return None


def _with_conjuncts(token: Token) -> list[Token]:
    out, todo = [], [token]
    while todo:
        current = todo.pop()
        out.append(current)
        todo.extend(c for c in current.children if c.dep_ == "conj")
    return sorted(out, key=lambda t: t.i)


def listed(token: Token) -> list[Token]:
    """A token and the others of the list it opens, in order: its conjuncts and the names the small parser hangs on
    it as appositions after a comma ("A, B and C" parsed as A -appos-> B -conj-> C)."""
    out, todo = [], [token]
    while todo:
        current = todo.pop()
        out.append(current)
        todo.extend(c for c in current.children if c.dep_ == "conj" or c.dep_ == "appos" and c.i > 0
                    and c.doc[c.i - 1].text == "," and c.ent_type_ == current.ent_type_ != "")
    return sorted(out, key=lambda t: t.i)


def fits(onto: Ontology, prop: OntProperty, subject: Arg, obj: Arg) -> bool:
    """True when the subject and object have the types (classes, value kinds) the property's domain and range ask."""
    if not isinstance(subject, Entity) or not onto.is_a(subject.cls, prop.domain):
        return False
    if prop.is_datatype:
        return isinstance(obj, Value) and _value_kind(obj) == (prop.value_kind or "number")
    return isinstance(obj, Entity) and obj.key != subject.key and onto.is_a(obj.cls, prop.range)


def _value_kind(value: Value) -> str:
    if value.unit:
        return "money"
    return "date" if value.datatype in {"date", "gYear", "gYearMonth"} else "number"


def _orient(onto: Ontology, prop: OntProperty, first: Arg, second: Arg, first_is: str) -> tuple[Entity, Arg] | None:
    """(subject, object) for two arguments, ``first`` being the agent or the role holder.

    Types decide; when both orders fit, ``prop.cue_holder`` (or ``first_is``) says which side ``first`` is.
    """
    forward = fits(onto, prop, first, second)
    backward = fits(onto, prop, second, first)
    if forward and backward:
        side = prop.cue_holder or first_is
        return (first, second) if side == "subject" else (second, first)  # type: ignore[return-value]
    if forward:
        return first, second  # type: ignore[return-value]
    if backward:
        return second, first  # type: ignore[return-value]
    return None


def is_irrealis(verb: Token, sent: Span | None = None) -> bool:
    """True when the clause does not assert its event: negated, modal, wished for, conditional or a question.

    ``sent`` is the verb's sentence when the caller has it (``Token.sent`` scans the document for it).
    """
    current = verb
    for _ in range(_MAX_CLAUSE_HOPS):
        children = list(current.children)
        if any(c.dep_ == "neg" for c in children):
            return True
        # "Neither A nor B directed X", "Nobody directed X", "A no longer directs X"
        if any(c.dep_ in {"nsubj", "nsubjpass"} and (c.lower_ in _NO_ONE or any(
                p.dep_ == "preconj" and p.lower_ == "neither" for p in c.children)) for c in children):
            return True
        if any(c.lower_ == "longer" and any(n.lower_ == "no" for n in c.children) for c in children):
            return True
        if any(c.dep_ == "aux" and c.lower_ in _MODALS for c in children):
            return True
        if any(c.dep_ == "mark" and c.lower_ in _CONDITIONAL_MARKS for c in children):
            return True
        head = current.head
        if current.dep_ in {"xcomp", "ccomp"} and (head.lemma_.lower() in _IRREALIS_HEADS or head.lower_ in _IRREALIS_FORMS):
            return True
        if current.dep_ not in {"xcomp", "conj", "ccomp"} or head.i == current.i:
            break
        current = head
    sent = sent if sent is not None else verb.sent
    ending = sent.doc[max(sent.start, sent.end - 6):sent.end].text  # the last few tokens: a long sentence's text is costly
    return ending.rstrip().rstrip("\"'”’").endswith("?")


# ---------------------------------------------------------------- verbs


def _clause_subjects(verb: Token) -> list[Token]:
    """The subjects of a verb, or of the verb it is coordinated with or complements ("wrote and directed")."""
    for hop in range(_MAX_CLAUSE_HOPS):
        deps = _SUBJ_DEPS | _PASSIVE_SUBJ_DEPS if hop else _SUBJ_DEPS  # "X was produced by A and stars B": X
        subjects = [t for c in verb.children if c.dep_ in deps for t in _with_conjuncts(c)]
        if verb.dep_ == "relcl" and any(t.lower_ in _RELATIVE_PRONOUNS for t in subjects):
            # "X, which grossed $2.3 billion": the relative pronoun stands for the noun the clause hangs on
            subjects = [t for t in subjects if t.lower_ not in _RELATIVE_PRONOUNS] + [verb.head]
        if subjects or verb.dep_ not in {"conj", "xcomp"} or verb.head.pos_ not in {"VERB", "AUX"} or verb.head.i == verb.i:
            return subjects
        verb = verb.head
    return []


def _arguments(verb: Token) -> tuple[list[Token], list[Token], list[tuple[str, Token]]]:
    """Agents, patients and (preposition, object) obliques of a verb."""
    children = list(verb.children)
    passive = any(c.dep_ in _PASSIVE_SUBJ_DEPS or c.dep_ == "auxpass" for c in children)
    # "X is a film directed by A and written by B": the parser joins the second participle to "is"
    # "It was written by A and directed by B": the second participle shares the first one's passive subject
    passive = passive or verb.tag_ == "VBN" and verb.dep_ == "conj" and any(c.dep_ == "agent" for c in children) and (
        verb.head.lemma_ == "be" or any(c.dep_ in _PASSIVE_SUBJ_DEPS or c.dep_ == "auxpass" for c in verb.head.children))
    stray: list[Token] = []
    if not any(c.dep_ in _SUBJ_DEPS | _PASSIVE_SUBJ_DEPS for c in children):
        # A quoted title opening the sentence is often left unattached ("dep"); before the verb it is the subject.
        stray = [c for c in children if c.dep_ == "dep" and c.i < verb.i and c.ent_type_]
    agents: list[Token] = []
    patients: list[Token] = []
    if passive:
        patients = [t for c in children if c.dep_ in _PASSIVE_SUBJ_DEPS for t in _with_conjuncts(c)]
        if verb.dep_ == "relcl" and any(p.lower_ in {"that", "which"} for p in patients):
            # "X is a series that is produced by Y": what the relative pronoun stands for
            patients = [p for p in patients if p.lower_ not in {"that", "which"}] + _described(verb)
        patients += stray
        if not patients and verb.dep_ == "conj":  # "was released in 2022 and was distributed by Fox"
            patients = [t for c in verb.head.children if c.dep_ in _PASSIVE_SUBJ_DEPS | _SUBJ_DEPS for t in _with_conjuncts(c)]
        agents = [t for c in children if c.dep_ == "agent" for p in c.children if p.dep_ == "pobj" for t in _with_conjuncts(p)]
    else:
        agents = _clause_subjects(verb) + stray
        patients = [t for c in children if c.dep_ in _OBJ_DEPS for t in _with_conjuncts(c)]
        if not patients and verb.dep_ != "conj" and not any(c.dep_ == "agent" for c in children):
            # "wrote and directed the film": the object is shared by the coordinated verbs (not "a film directed
            # by A and starring B", whose participles are passive and active)
            for conj in (c for c in children if c.dep_ == "conj" and c.pos_ == "VERB"):
                patients = [t for c in conj.children if c.dep_ in _OBJ_DEPS for t in _with_conjuncts(c)]
                if patients:
                    break
        if not patients and verb.dep_ == "conj":
            patients = [t for c in verb.head.children if c.dep_ in _OBJ_DEPS for t in _with_conjuncts(c)]
    if not agents and not patients and verb.tag_ == "VBN":
        first = verb  # "produced, written, and directed by X": the chain of participles starts at the clause
        while first.dep_ == "conj" and first.head.tag_ == "VBN" and first.head.i != first.i:
            first = first.head
        if first.dep_ == "acl":  # "the film (written and) directed by X"
            patients = _described(first)
        elif first.dep_ == "conj" and first.head.lemma_ == "be":  # "X is a film directed by A and written by B"
            patients = [t for c in first.head.children if c.dep_ in _SUBJ_DEPS for t in _with_conjuncts(c)]
        elif verb.dep_ in {"advcl", "prep"}:  # "Based on the manga, the film ..."
            patients = [t for c in verb.head.children if c.dep_ in _SUBJ_DEPS for t in _with_conjuncts(c)]
        agents = [t for c in children if c.dep_ == "agent" for p in c.children if p.dep_ == "pobj" for t in _with_conjuncts(p)]
        if not agents and patients:  # "written and directed by X": the agent hangs on the last verb of the chain
            later = [c for c in children if c.dep_ == "conj" and c.tag_ == "VBN"]
            while later and not agents:
                conj = later.pop(0)
                agents = [t for c in conj.children if c.dep_ == "agent" for p in c.children if p.dep_ == "pobj"
                          for t in _with_conjuncts(p)]
                later += [c for c in conj.children if c.dep_ == "conj" and c.tag_ == "VBN"]
    obliques = []
    for prep in (c for c in children if c.dep_ == "prep"):
        for pobj in (p for p in prep.children if p.dep_ == "pobj"):
            obliques += [(prep.lower_, t) for t in _with_conjuncts(pobj)]
    # "wrote the screenplay with Rodriguez": co-agents hang off the verb or its object
    for holder in [verb, *patients]:
        for prep in (c for c in holder.children if c.dep_ == "prep" and c.lower_ == "with"):
            agents += [t for p in prep.children if p.dep_ == "pobj" for t in _with_conjuncts(p)]
    return agents, patients, obliques


def _described(participle: Token, hops: int = 3) -> list[Token]:
    """What a participle clause ("directed by X") describes: the noun it hangs on, or the subject that noun is
    said of ("X is a 1995 film directed by Y", "X, a 1995 film directed by Y"); in a chain the parser hangs on the
    previous agent ("directed by A, produced by B"), what the first participle describes."""
    noun = participle.head
    if noun.dep_ == "pobj" and noun.head.dep_ == "agent" and noun.head.head.dep_ == "acl" and hops > 0:
        return _described(noun.head.head, hops - 1)
    if noun.dep_ == "pobj" and noun.head.dep_ == "agent":  # "X was produced by A, directed by B": X
        return [t for c in noun.head.head.children if c.dep_ in _PASSIVE_SUBJ_DEPS for t in _with_conjuncts(c)] or [noun]
    if noun.dep_ == "attr" and noun.head.lemma_ == "be":
        return [t for c in noun.head.children if c.dep_ in _SUBJ_DEPS for t in _with_conjuncts(c)] or [noun]
    if noun.dep_ == "appos":
        return [noun.head]
    return [noun]


def _noun_hop(token: Token, ents: DocEntities, onto: Ontology) -> tuple[Token, set[str]] | None:
    """"the film's screenplay" -> (film token, properties cued by "screenplay")."""
    if token.i in ents.entity_of or token.i in ents.value_of or token.pos_ != "NOUN":
        return None
    props = onto.noun_index.get(token.lower_) or onto.noun_index.get(token.lemma_.lower())
    if not props:
        return None
    for child in token.children:
        if child.dep_ in {"poss", "compound"} and arg(child, ents) is not None:
            return child, {p.name for p in props}
        if child.dep_ == "prep" and child.lower_ in {"of", "for"}:
            for pobj in child.children:
                if pobj.dep_ == "pobj" and arg(pobj, ents) is not None:
                    return pobj, {p.name for p in props}
    return None


def verb_frames(sent: Span, ents: DocEntities, onto: Ontology) -> Iterator[Candidate]:
    """Facts stated by a cue verb and its arguments."""
    for verb in sent:
        props = onto.verb_index.get(verb.lemma_.lower()) or onto.verb_form_index.get(verb.lower_)
        if not props or verb.pos_ not in {"VERB", "AUX"} or is_irrealis(verb, sent):
            continue
        agents, patients, obliques = _arguments(verb)
        if not agents and not patients:
            agents, patients = _amount_as_head(verb, ents)
        # "grossed £30m worldwide", "was released late 2019": the parser often hangs an amount or a date on the verb
        # as a bare noun-phrase adverbial; it is read like "in late 2019"
        obliques += [("in", c) for c in verb.children if c.dep_ == "npadvmod" and c.i in ents.value_of]
        # "took $12m in its opening weekend and $85m worldwide": the amount of a first weekend (day, week) is a part
        # of the takings, not the gross; the gapped second amount hangs on the verb as a conjunct
        if _in_a_window(verb):
            patients = [p for p in patients if not _is_money(p, ents)]
            obliques = [(prep, o) for prep, o in obliques if not _is_money(o, ents)]
        patients += [c for c in verb.children if c.dep_ == "conj" and _is_money(c, ents) and not _in_a_window(c)]
        restrict: set[str] | None = None
        hopped = []
        for patient in patients:
            hop = _noun_hop(patient, ents, onto)
            if hop is not None:
                hopped.append(hop[0])
                restrict = hop[1] if restrict is None else restrict | hop[1]
            else:
                hopped.append(patient)
        allowed = [p for p in props if restrict is None or p.name in restrict]
        pairs = [(a, p, "subject") for a in agents for p in hopped]
        pairs += [(a, o, "subject") for a in agents for prep, o in obliques if prep in _OBLIQUE_PREPS]
        if verb.lemma_.lower() not in onto.context_verb_classes:
            # "X played the guest Mr. Hutchinson in Y": what one plays is a character, not a member of the cast
            pairs += [(p, o, "subject") for p in hopped for prep, o in obliques if prep in _OBLIQUE_PREPS]
        yield from _emit(onto, allowed, pairs, ents, sent, f"verb:{verb.lemma_.lower()}", 0.9)


def _amount_as_head(verb: Token, ents: DocEntities) -> tuple[list[Token], list[Token]]:
    """(agents, patients) of a verb the parser hung on an amount: given a title whose words it does not know
    ('"花样年华" grossed $9 million'), it makes the amount the head of the sentence and the title and the verb its
    modifiers. The names before the verb on that amount are the agents, the amount the patient."""
    head = verb.head
    if verb.dep_ != "amod" or head.i not in ents.value_of:
        return [], []
    agents = [c for c in head.children if c.i < verb.i and c.i in ents.entity_of]
    return agents, [head] if agents else []


def _reached(verb: Token, ents: DocEntities) -> list[Token]:
    """The value a verb of change ends at: "rose to $120m", "rose from $90m to $120m" (which the parser reads as
    one range under "from", headed by its last amount)."""
    reached = []
    for prep in (c for c in verb.children if c.dep_ == "prep" and c.lower_ in {"to", "from"}):
        for pobj in (p for p in prep.children if p.dep_ == "pobj" and p.i in ents.value_of):
            ranged = any(q.dep_ == "quantmod" and q.i in ents.value_of for q in pobj.children)
            if prep.lower_ == "to" or ranged:
                reached.append(pobj)
    return reached


def _is_money(token: Token, ents: DocEntities) -> bool:
    value = ents.value_of.get(token.i)
    return value is not None and value.unit is not None


def _in_a_window(head: Token) -> bool:
    """True when a verb or an amount is limited to a stretch of a run: "in its opening weekend", "on its first day"."""
    for prep in head.children:
        if prep.dep_ == "prep" and prep.lower_ in WINDOW_PREPS:
            for pobj in prep.children:
                if pobj.dep_ == "pobj" and any(w in WINDOW_WORDS for t in pobj.subtree for w in t.lower_.split()):
                    return True
    return False


def _emit(onto, props, pairs, ents, sent, rule, confidence) -> Iterator[Candidate]:
    """Candidates for the token pairs whose arguments fit exactly one reading per property."""
    for first_token, second_token, first_is in pairs:
        first, second = arg(first_token, ents), arg(second_token, ents)
        if first is None or second is None:
            continue
        for prop in props:
            oriented = _orient(onto, prop, first, second, first_is)
            if oriented is not None:
                yield Candidate(prop, oriented[0], oriented[1], sent, rule, confidence)


# ---------------------------------------------------------------- nouns


def _noun_cue(noun: Token, index: dict[str, tuple[OntProperty, ...]]) -> str | None:
    """The cue a noun carries, two-word cues first ("box office", "producing partner", "production company")."""
    for child in noun.children:
        if child.dep_ in {"compound", "amod"} and child.i < noun.i:
            for head_word in (noun.lower_, noun.lemma_.lower()):
                pair = f"{child.lower_} {head_word}"
                if pair in index:
                    return pair
    for word in (noun.lower_, noun.lemma_.lower()):
        if word in index:
            return word
    return None


def _owners(noun: Token, ents: DocEntities) -> list[Token]:
    """The tokens that a role or value noun belongs to: "the film's budget", "budget for Alita"."""
    owners = [c for c in noun.children if c.dep_ == "poss"]
    owners += [c for c in noun.children if c.dep_ == "compound" and c.i in ents.entity_of]
    for prep in (c for c in noun.children if c.dep_ == "prep" and c.lower_ in {"of", "for", "on", "to", "behind"}):
        owners += [t for p in prep.children if p.dep_ == "pobj" for t in _with_conjuncts(p) if arg(t, ents) is not None]
    return owners


def role_nouns(sent: Span, ents: DocEntities, onto: Ontology, hints: list[RoleHint] | None = None) -> Iterator[Candidate]:
    """Facts stated by a role noun next to a name: "director Robert Rodriguez", "X, the author of Y".

    Role nouns whose holder has no work in reach are appended to ``hints`` for :func:`attach_roles`.
    """
    index = onto.entity_noun_index
    for noun in sent:
        if noun.pos_ not in {"NOUN", "PROPN"} or noun.i in ents.entity_of:
            continue
        cue = _noun_cue(noun, index)
        if cue is None:
            continue
        holders: list[Token] = []
        if noun.dep_ in _HOLDER_DEPS and isinstance(arg(noun.head, ents), Entity):
            holders.append(noun.head)
        holders += [c for c in noun.children if c.dep_ == "appos" and isinstance(arg(c, ents), Entity)]
        if noun.dep_ == "attr":
            holders += [c for c in noun.head.children if c.dep_ in _SUBJ_DEPS and isinstance(arg(c, ents), Entity)]
        if not holders:
            continue
        owners = _owners(noun, ents)
        if noun.lower_ in _SYMMETRIC_ROLE_WORDS:  # "Cameron's producing partner, Jon Landau": both produce
            holders += [o for o in owners if isinstance(arg(o, ents), Entity) and arg(o, ents).cls == arg(holders[0], ents).cls]
            owners = [o for o in owners if o not in holders]
        pairs = [(h, o, "object") for h in holders for o in owners]
        found = list(_emit(onto, index[cue], pairs, ents, sent, f"noun:{cue}", 0.85))
        yield from found
        # "country star Hank Williams Jr.", "pop star X": a genre says the star sings, not that they are in the work
        described = any(c.dep_ in {"compound", "amod"} and c.lower_ in _GENRES for c in noun.children)
        if hints is not None and not found and not owners and not described:
            for holder in holders:
                entity = arg(holder, ents)
                for prop in index[cue]:
                    if isinstance(entity, Entity) and onto.is_a(entity.cls, prop.range):
                        hints.append(RoleHint(entity, prop, sent, cue))


def _governing_subjects(noun: Token) -> list[Token]:
    """The subject of the clause a noun sits in: "With a gross of $2.3 billion, *Avatar* is ..."."""
    # spaCy makes a new Token object on every access, so a walk up the tree compares positions, never identity
    current = noun
    while current.pos_ not in {"VERB", "AUX"} and current.head.i != current.i:
        current = current.head
    if current.pos_ not in {"VERB", "AUX"}:
        return []
    return [t for c in current.children if c.dep_ in _SUBJ_DEPS | _PASSIVE_SUBJ_DEPS for t in _with_conjuncts(c)]


def value_nouns(sent: Span, ents: DocEntities, onto: Ontology) -> Iterator[Candidate]:
    """Values named by a noun cue: "an estimated $170 million budget", "a budget of $50 million"."""
    index = onto.value_noun_index
    for noun in sent:
        if noun.pos_ not in {"NOUN", "PROPN"} or noun.i in ents.entity_of or noun.i in ents.value_of:
            continue
        cue = _noun_cue(noun, index)
        if cue is None:
            continue
        values = [c for c in noun.children if c.dep_ in _VALUE_DEPS and c.i in ents.value_of]
        for prep in (c for c in noun.children if c.dep_ == "prep" and c.lower_ in {"of", "at"}):
            values += [p for p in prep.children if p.dep_ == "pobj" and p.i in ents.value_of]
        if noun.dep_ in _SUBJ_DEPS and noun.head.lemma_ == "be":
            values += [c for c in noun.head.children if c.dep_ in {"attr", "acomp"} and c.i in ents.value_of]
        if noun.dep_ in _SUBJ_DEPS and noun.head.lemma_.lower() in _CHANGE_VERBS:
            values += _reached(noun.head, ents)
        if not values:
            continue
        owners = [o for o in _owners(noun, ents) if o.i not in ents.value_of] or _governing_subjects(noun)
        pairs = [(o, v, "subject") for o in owners for v in values]
        yield from _emit(onto, index[cue], pairs, ents, sent, f"noun:{cue}", 0.85)


def modifiers(sent: Span, ents: DocEntities, onto: Ontology) -> Iterator[Candidate]:
    """Facts carried by a possessive or a modifier of a work: "2019's Alita", "Kishiro's manga Gunnm"."""
    props = onto.modifier_properties
    if not props:
        return
    for token in sent:
        head = arg(token, ents)
        if not isinstance(head, Entity):
            continue
        pairs = [(token, c, "subject") for c in token.children if c.dep_ in _MODIFIER_DEPS]
        # "the 2012 film Paper Lanterns": a date on the kind noun compounded onto the name
        pairs += [(token, d, "subject") for c in token.children if c.dep_ == "compound" and c.i not in ents.entity_of
                  for d in c.children if d.dep_ in _MODIFIER_DEPS and d.i in ents.value_of]
        yield from _emit(onto, props, pairs, ents, sent, "modifier", 0.8)
        if token.dep_ == "nsubj" and token.head.lemma_ == "be":
            # "X is a 1930 Indian silent film", "a 2008 period drama film": the modifiers of what the copula says X
            # is, down its compound nouns, are X's
            defined = [(token, c, "subject") for attr in token.head.children if attr.dep_ == "attr"
                       for c in _noun_modifiers(attr) if c.i in ents.value_of]
            yield from _emit(onto, props, defined, ents, sent, "definition", 0.8)
        # 'the novel "Glass Harbor" by Ada Ferrante': a byline says what a modifier says ("Ada Ferrante's novel")
        bylines = [(token, p, "subject") for c in token.children if c.dep_ == "prep" and c.lower_ == "by"
                   for p in c.children if p.dep_ == "pobj"]
        yield from _emit(onto, props, bylines, ents, sent, "byline", 0.8)


def _noun_modifiers(noun: Token) -> list[Token]:
    """The modifiers of a noun and of the nouns compounded onto it, left of it ("a 2008 period drama film")."""
    out = []
    for c in noun.children:
        if c.dep_ in _MODIFIER_DEPS and c.i < noun.i:
            out.append(c)
            if c.dep_ == "compound":
                out += _noun_modifiers(c)
    return out


# verbs of making, showing or acting in a work; a year on such a clause is the year the work came out
_MAKING_VERBS = {"direct", "co-direct", "write", "co-write", "script", "produce", "co-produce", "star", "co-star",
                 "appear", "release", "premiere", "debut", "make", "shoot", "record", "publish", "issue", "launch", "play",
                 "air", "broadcast", "screen"}
_YEAR_PRECISIONS = {"gYear", "gYearMonth", "date"}


def clause_years(sent: Span, ents: DocEntities, onto: Ontology) -> Iterator[Candidate]:
    """The release year a dated clause about one work gives it: "He scripted and directed the film Thira in 2013",
    "In 1997 she starred in X", "the film Dough Boys, released in 2008". The clause's verb makes, shows or stars
    in the work (:data:`_MAKING_VERBS`), it names exactly one work, and the date hangs on the verb or opens the
    sentence; a decade or a season is no release date."""
    prop = onto.properties.get("releaseDate")
    if prop is None or "CreativeWork" not in onto.classes:
        return
    opening = [t for t in sent[:4] if t.i in ents.value_of and "ROOT" in {t.head.dep_, t.head.head.dep_}]  # "In 2013, ..."
    for verb in sent:
        if verb.pos_ != "VERB" or verb.lemma_.lower() not in _MAKING_VERBS or is_irrealis(verb, sent):
            continue
        if verb.tag_ == "VBG" or verb.dep_ == "xcomp":
            continue  # "began writing the book in 1982", "while filming X in 2003": not when it came out
        heads = [verb, *([verb.head] if verb.dep_ == "conj" else [])]
        dates = [d for h in heads for c in h.children
                 for d in ([c] if c.dep_ == "npadvmod" else [p for p in c.children if p.dep_ == "pobj"]
                           if c.dep_ == "prep" and c.lower_ in {"in", "on", "during"} else [])
                 if d.i in ents.value_of]
        if not dates and (verb.dep_ == "ROOT" or verb.dep_ == "conj" and verb.head.dep_ == "ROOT"):
            dates = opening
        values = {ents.value_of[d.i] for d in dates if ents.value_of[d.i].datatype in _YEAR_PRECISIONS}
        if len(values) != 1:
            continue
        slots = [c for c in verb.children if c.dep_ in _OBJ_DEPS | _PASSIVE_SUBJ_DEPS]
        slots += [p for c in verb.children if c.dep_ == "prep" and c.lower_ == "in" for p in c.children if p.dep_ == "pobj"]
        if verb.dep_ in {"acl", "advcl"} and verb.tag_ == "VBN":  # "(directed) the film Dough Boys, released in 2008"
            slots += [verb.head, *(c for c in verb.head.children if c.dep_ in _OBJ_DEPS)]
        works = {w.key: w for t in slots for w in [arg(t, ents)] if isinstance(w, Entity) and onto.is_a(w.cls, "CreativeWork")}
        if len(works) == 1:
            yield Candidate(prop, next(iter(works.values())), next(iter(values)), sent, "clause-year", 0.6)


# ---------------------------------------------------------------- structural patterns


def _property(onto: Ontology, domain: str, range_: str, cue: str | None = None) -> OntProperty | None:
    """The property between two classes (optionally one carrying a given cue), when the ontology has one."""
    for prop in onto.properties.values():
        if prop.domain == domain and prop.range == range_ and (cue is None or cue in prop.verb_cues + prop.noun_cues):
            return prop
    return None


def parenthetical_roles(sent: Span, ents: DocEntities, onto: Ontology) -> Iterator[Candidate]:
    """"Alita (Rosa Salazar)": the actor portrays the character, and is in the work the clause is about."""
    for token in sent:
        character = ents.entity_of.get(token.i)
        if character is None or character.cls != "Character" or token.i + 3 >= len(token.doc):
            continue
        doc = token.doc
        if doc[token.i + 1].text != "(" or doc[token.i + 3].text != ")":
            continue
        actor = ents.entity_of.get(token.i + 2)
        if actor is None or actor.cls != "Person":
            continue
        portrays = _property(onto, "Person", "Character")
        if portrays is not None:
            yield Candidate(portrays, actor, character, sent, "parenthetical", 0.8)
        works = [w for w in map(lambda t: arg(t, ents), _governing_subjects(token)) if isinstance(w, Entity)]
        works = [w for w in works if onto.is_a(w.cls, "CreativeWork")] or ([ents.main_work] if ents.main_work else [])
        for work in works:
            for prop in (_property(onto, "CreativeWork", "Person", "star"), _property(onto, "CreativeWork", "Character")):
                if prop is not None:
                    other = actor if prop.range == "Person" else character
                    yield Candidate(prop, work, other, sent, "parenthetical", 0.75)


def title_prefixes(doc_sents: list[Span], ents: DocEntities, onto: Ontology) -> Iterator[Candidate]:
    """A work titled "<Franchise>: <subtitle>" is part of that franchise when the text names the franchise."""
    prop = _property(onto, "CreativeWork", "Franchise")
    if prop is None:
        return
    franchises = {}
    for i, entity in ents.entity_of.items():
        if entity.cls == "Franchise":
            franchises.setdefault(entity.key, (entity, i))
    works = {e.key: e for e in ents.entity_of.values() if onto.is_a(e.cls, "CreativeWork")}
    for franchise, i in franchises.values():
        sentence = ents_sentence(doc_sents, i)
        for work in works.values():
            if work.label.lower().startswith(franchise.label.lower() + ":"):
                yield Candidate(prop, work, franchise, sentence, "title-prefix", 0.7)


def ents_sentence(doc_sents: list[Span], token_index: int) -> Span:
    """The sentence that holds a token."""
    return next(s for s in doc_sents if s.start <= token_index < s.end)


_GENRES = {"country", "pop", "rock", "soul", "jazz", "r&b", "rap", "hip-hop", "folk", "punk", "reggae", "indie",
           "disco", "blues", "gospel", "opera", "dance", "music", "tennis", "football", "sports", "reality", "porn"}


def attach_roles(hints: list[RoleHint], ents: DocEntities, onto: Ontology) -> Iterator[Candidate]:
    """Give role nouns with no work in reach to the article's main work ("producer Jon Landau" in a piece on Alita).

    Lower confidence than a stated link: the article is about that work, but the sentence does not say so.
    """
    main = ents.main_work
    if main is None:
        return
    for hint in hints:
        if onto.is_a(main.cls, hint.prop.domain) and hint.holder.key != main.key:
            yield Candidate(hint.prop, main, hint.holder, hint.sentence, f"main-work:{hint.cue}", 0.6)
