"""Broadcasters, presenters, record labels and production companies, as news names them beside a work.

- broadcaster: "hit BBC comedy The Office", "ITV1's This Morning", "the Channel 4 show" (the show the article
  means), "it was screened on BSkyB";
- presenter: "Carson, who hosted the Tonight Show", "Ross presents Film 2005"; creator: "Chris Morris, who
  created controversial TV show Brass Eye";
- record label: "they signed with independent label Domino", "Domino, home of Smog, Sebadoh and Four Tet";
- production company: "Big Brother producer Endemol", "the production company behind A, B and C".

A broadcaster is a company the ontology types one, or a name news gives channels (BBC, ITV, Channel 4, Sky ...
and names with Radio, TV or Television in them): without it "Coldplay's X" or "Disney's X" would read as a
broadcast. In: a sentence, its mentions (:func:`~kg.extract.mentions.sentence_mentions`) and the pronoun
:class:`~kg.extract.focus.Focus`; out: credits as (property name, work or artist mention, company or person
mention, rule) for :func:`kg.extract.credits.credit_facts` to make facts.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from spacy.tokens import Span

from ..ontology import Ontology
from .focus import Focus, is_agent, is_person
from .mentions import LIST_GLUE, ArgMention, work_slot
from .relations import is_irrealis

__all__ = ["company_credits", "is_broadcaster"]

Credit = tuple[str, ArgMention, ArgMention, str]

_CHANNEL = re.compile(r"^(?:the )?(?:BBC\d?|ITV\d?|Channel [45]|Sky|BSkyB|MTV|CBS|NBC|ABC|HBO|Fox|E4|More4|Five|CNN|VH1|"
                      r"Nickelodeon|S4C|UKTV|PBS|Showtime|Bravo|Comedy Central)\b|\b(?:Radio|TV|Television|"
                      r"Broadcasting)\b")
# words between a broadcaster and its show: "BBC comedy", "ITV1's", "the Channel 4 drama series"
_SHOW_WORDS = r"(?:show|series|comedy|drama|sitcom|soap|soap opera|programme|documentary|quiz|chat show|serial|" \
              r"talent show|reality show|drama series|comedy series|music show)"
_BROADCAST_BETWEEN = re.compile(rf"^(?:'s?|(?:'s? )?(?:hit |new |long-running |popular |flagship |classic )?{_SHOW_WORDS})$")
_PRODUCER_BETWEEN = re.compile(r"^(?:'s )?(?:producer|producers|production company|makers?)$")
_BEHIND = re.compile(r"^,? ?(?:the )?(?:[\w-]+ )?(?:production company|company|studio|producers?) (?:behind|that made|which made)$")
_SIGNED = re.compile(r"^(?:have |has |had )?(?:also )?(?:signed|signed up) (?:with|to) (?:the )?(?:[\w-]+ ){0,2}(?:record )?label$")
_HOST_VERBS = {"host", "present", "front", "create", "devise", "co-create"}
_SHOWN_VERBS = {"show", "screen", "broadcast", "air"}


def is_broadcaster(m: ArgMention) -> bool:
    """True for a mention of a broadcaster: typed one, or named the way channels are."""
    if m.entity is not None and m.entity.cls == "Broadcaster":
        return True
    return m.kind in {"ORG", "NAME", "PERSON", "GPE"} and not is_person(m) and bool(_CHANNEL.search(m.name))


def company_credits(sent: Span, mentions: list[ArgMention], focus: Focus, onto: Ontology) -> Iterator[Credit]:
    """Broadcasters, presenters, labels and production companies one sentence states (see the module's
    docstring)."""
    doc = sent.doc
    for n, (a, b) in enumerate(zip(mentions, mentions[1:])):
        between = " ".join(t.lower_ for t in doc[a.end:b.start]).replace(" 's", "'s")
        if is_broadcaster(a) and not is_person(b) and b.kind != "AWARD" and _BROADCAST_BETWEEN.match(between):
            if (work := work_slot(b, doc, onto)) is not None:
                yield "originalBroadcaster", work, a, "company:broadcaster"
        elif (b.kind in {"ORG", "NAME"} or b.kind == "PERSON" and " " not in b.name) and not is_broadcaster(b) \
                and _PRODUCER_BETWEEN.match(between) and (
                work := work_slot(a, doc, onto)) is not None and a.kind != "PERSON":
            yield "productionCompany", work, b, "company:producer"  # "Big Brother producer Endemol"
        elif a.kind in {"ORG", "NAME"} and not is_person(a) and _BEHIND.match(between):
            for listed in _list_from(doc, mentions[n + 1:]):
                if (work := work_slot(listed, doc, onto)) is not None:
                    yield "productionCompany", work, a, "company:behind"
        elif b.kind in {"ORG", "NAME", "PERSON"} and not is_person(b) and _SIGNED.match(between) and is_agent(a):
            yield "recordLabel", a, b, "company:label"
    starts = {m.start: m for m in mentions}
    at = {i: m for m in mentions for i in range(m.start, m.end)}  # the mention at each token
    for token in sent:
        # "ITV1's This Morning": a channel the recogniser left unlabelled, its show after the possessive
        if token.i not in at and _CHANNEL.search(token.text) and token.i + 2 < sent.end \
                and doc[token.i + 1].text in {"'s", "'"}:
            show = starts.get(token.i + 2) or _capitalised_run(doc, token.i + 2, sent.end)
            cut = show is not None and show.end + 1 < sent.end and doc[show.end].text in {"'s", "'"} \
                and doc[show.end + 1].text[:1].isupper()  # "ITV1's Hell's Kitchen": the name runs on
            if show is not None and not is_person(show) and not cut:
                channel = ArgMention(start=token.i, end=token.i + 1, head=token.i, kind="ORG", name=token.text)
                if (work := work_slot(show, doc, onto)) is not None:
                    yield "originalBroadcaster", work, channel, "company:broadcaster"
        # "They signed with independent label Domino, home of Smog, Sebadoh and Four Tet"
        if token.lower_ == "label" and token.i + 1 < sent.end and token.i + 1 in starts:
            label = starts[token.i + 1]
            verb = next((t for t in token.ancestors if t.pos_ == "VERB"), None)
            if verb is not None and verb.lemma_.lower() == "sign" and not is_irrealis(verb, sent) and not is_person(label):
                for subject in (c for c in verb.children if c.dep_ == "nsubj"):
                    artist = starts.get(subject.i) if subject.i in starts else (
                        focus.owner(subject, mentions) if subject.pos_ == "PRON" else None)
                    plural = subject.lower_ in {"they", "we"}  # a band, not one of its members
                    if artist is not None and is_agent(artist) and not (plural and is_person(artist)):
                        yield "recordLabel", artist, label, "company:label"
            if label.end + 3 < sent.end and doc[label.end].text == "," and doc[label.end + 1].lower_ == "home" \
                    and doc[label.end + 2].lower_ in {"of", "to"}:
                for artist in _capitalised_list(doc, label.end + 3, sent.end):
                    yield "recordLabel", artist, label, "company:label"
    for token in sent:
        lemma = token.lemma_.lower()
        if token.pos_ != "VERB" or lemma not in _HOST_VERBS | _SHOWN_VERBS or is_irrealis(token, sent):
            continue
        if lemma in _SHOWN_VERBS:  # "it was screened on BSkyB", "The series was shown on Channel 4"
            channels = [at[c.i] for p in token.children if p.dep_ == "prep" and p.lower_ == "on"
                        for c in p.children if c.dep_ == "pobj" and c.i in at and is_broadcaster(at[c.i])]
            works = [at[c.i] for c in token.children if c.dep_ == "nsubjpass" and c.i in at]
            for channel in channels:
                for work in works:
                    if (slot := work_slot(work, doc, onto)) is not None and slot is not channel:
                        yield "originalBroadcaster", slot, channel, "company:shown-on"
        elif lemma in _HOST_VERBS:  # "Carson, who hosted the Tonight Show for 30 years"
            shows = [at[c.i] for c in token.children if c.dep_ == "dobj" and c.i in at]
            hosts = []
            for subject in (c for c in token.children if c.dep_ == "nsubj"):
                if subject.lower_ in {"who", "that"} and token.dep_ == "relcl" and token.head.i in at:
                    hosts.append(at[token.head.i])
                elif subject.lower_ in {"he", "she"}:
                    owner = focus.owner(subject, mentions)
                    hosts += [owner] if owner is not None else []
                elif subject.i in at:
                    hosts.append(at[subject.i])
            name = "presenter" if lemma in {"host", "present", "front"} else "creator"
            for show in shows:
                # "who created controversial TV show Brass Eye": what one creates is a work only with a work noun
                if name == "creator" and not (show.kind in {"WORK", "TITLE"} or show.entity is not None
                                              and onto.is_a(show.entity.cls, "CreativeWork")):
                    continue
                slot = work_slot(show, doc, onto) if not is_person(show) and show.kind != "AWARD" else None
                for host in (h for h in hosts if is_person(h)):
                    if slot is not None:
                        yield name, slot, host, f"company:{lemma}"


def _capitalised_run(doc, start: int, end: int) -> ArgMention | None:
    """The capitalised words from ``start`` ("This Morning"), as a name of unknown type."""
    stop = start
    # a date is no title ("ITV1's Saturday morning show"), unless every word is capitalised ("This Morning")
    while stop < end and doc[stop].text[:1].isupper() and doc[stop].pos_ in {"PROPN", "NOUN", "DET", "ADJ", "NUM"} \
            and (doc[stop].ent_type_ not in {"DATE", "TIME"} or len(doc[stop].text.split()) > 1
                 and doc[stop].text.istitle()):
        stop += 1
    if stop == start:
        return None
    return ArgMention(start=start, end=stop, head=stop - 1, kind="NAME", name=" ".join(doc[start:stop].text.split()))


def _capitalised_list(doc, start: int, end: int) -> list[ArgMention]:
    """The names listed from ``start``: "Smog, Sebadoh and Four Tet" (capitalised runs joined by commas or "and")."""
    out: list[ArgMention] = []
    i = start
    while i < end:
        run = _capitalised_run(doc, i, end)
        if run is None:
            break
        out.append(run)
        i = run.end
        if i < end and doc[i].text == ",":
            i += 1
        if i < end and doc[i].lower_ == "and":
            i += 1
        elif out and (i >= end or not doc[i].text[:1].isupper()):
            break
    return out


def _list_from(doc, rest: list[ArgMention]) -> list[ArgMention]:
    """The mentions listed at the start of ``rest``: "A, B and C"."""
    out: list[ArgMention] = []
    for m in rest:
        if out and " ".join(t.lower_ for t in doc[out[-1].end:m.start]) not in LIST_GLUE:
            break
        out.append(m)
    return out
