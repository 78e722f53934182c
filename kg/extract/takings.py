"""Box-office takings as chart stories word them around unquoted titles.

In: the sentences of a parsed document, each sentence's :class:`~kg.extract.mentions.ArgMention` list, and the
document's values (:class:`~kg.extract.coref.DocEntities`). Out: ``boxOffice``
:class:`~kg.extract.relations.Candidate` facts whose object is the amount (a money :class:`~kg.model.Value`).

The verb reader (:func:`kg.extract.relations.verb_frames`) needs the work to be an entity the recogniser found;
box-office charts name films in title case the recogniser mostly misses ("The Aviator took $9.4m"). This reader
takes the work from the mention right before an amount and the words between them:

- "<work> took/grossed/made/earned/has taken $X" (with "about", "an estimated" ...);
- "<work> was second with $X", "<work> fell two places to fourth with $X", "<work> took sixth place with $X";
- "<work>'s total takings of $X", "<work>, which has taken $X".

An amount limited to a stretch of the run ("$19.1m on Christmas Day alone", "over three days", "in its opening
weekend") is a part of the takings, not the gross, and gives no fact.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from spacy.tokens import Span

from ..ontology import Ontology
from .coref import DocEntities
from .credits import work_entity
from .mentions import ArgMention, work_slot
from . import relations
from .relations import Candidate, is_irrealis

__all__ = ["takings_facts"]

_CONFIDENCE = 0.75
_ROUGHLY = r"(?: (?:a further|another|an estimated|estimated|about|around|almost|nearly|more than|over|some|just over|" \
           r"just under|a total of|a record|a massive|a healthy|a disappointing|roughly))?"
_TOOK = re.compile(r"^(?:, (?:which|that) )?(?:(?:has|had|have|also|then|eventually|now|already|so far|since) )*"
                   r"(?:took|takes|taken|taking|grossed|grosses|grossing|made|makes|earned|earns|earning|collected|"
                   r"raked in|hauled in|pulled in|brought in|amassed|took in|taken in)" + _ROUGHLY + "$")
_ORDINAL = r"(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|top|no 1|number one|number \w+|\d+(?:st|nd|rd|th))"
_PLACED = re.compile(r"^(?:was|is|came|comes|went|rose|climbed|fell|dropped|slipped|slid|moved|stayed|remained|held|"
                     r"took|takes|entered|debuted|opened)(?: [\w-]+){0,4}? " + _ORDINAL +
                     r"(?: place| position| spot| slot)?(?:,)? with" + _ROUGHLY + r"(?: takings of| a gross of)?$")
_TOTAL = re.compile(r"^(?:'s? )?(?:total |overall |worldwide |global |us |uk )?(?:takings|gross|haul|box office)"
                    r"(?: (?:of|to|at|reached|reach|stands at|now stands at|has reached|have reached))?" + _ROUGHLY + "$")
# the verb reader's words for a stretch of a run, and the ones chart stories add ("on Sunday", "... alone",
# "between 24 and 26 December", "from Friday to Sunday")
_WINDOW_WORDS = relations.WINDOW_WORDS | {"friday", "saturday", "sunday", "alone"}
_WINDOW_PREPS = relations.WINDOW_PREPS | {"between", "from"}


def _limited(sent: Span, money_end: int) -> bool:
    """True when the words after an amount limit it to a stretch of the run: "on Christmas Day alone", "over three
    days", "between 24 and 26 December", "in its opening weekend"."""
    doc = sent.doc
    after = [t for t in doc[money_end:min(sent.end, money_end + 8)]]
    clause: list = []
    for t in after:
        if t.text in {",", ";", "."} or t.lower_ in {"and", "but", "while", "making", "bringing", "taking"} or t.is_space:
            break
        clause.append(t)
    first = clause[0].lower_.split()[0] if clause else ""  # "between 24 and 26 December" may be one token
    if clause and first in _WINDOW_PREPS and (
            first == "between" or any(t.lower_ in _WINDOW_WORDS or t.ent_type_ in {"DATE", "TIME"} and
                                                  t.lower_ not in {"year", "this year", "last year"}
                                                  for t in clause[1:])):
        return True
    return any(t.lower_ == "alone" for t in clause)


def _taker(doc, before: list[ArgMention], money: int) -> tuple[ArgMention, str] | None:
    """The mention the words before an amount say took it, with those words; a clause set off by commas may come
    between ("The Aviator, starring X as Y, took $9.4m"). A coordinated subject ("A and B took $X") is left out:
    which of them took it is not said."""
    for n, m in enumerate(reversed(before)):
        words = [t.lower_ for t in doc[m.end:money]]
        between = " ".join(words).replace(" 's", "'s").replace(" ,", ",")
        inserted = re.match(r"^, [^,]{1,80}, (.*)$", between)
        rest = inserted.group(1) if inserted and n > 0 else between
        if n > 0 and not inserted:
            continue
        if _TOOK.match(rest) or _PLACED.match(rest) or _TOTAL.match(rest):
            if m.start > 0 and doc[m.start - 1].lower_ in {"and", "&"}:
                return None
            return m, rest
    return None


def takings_facts(sentences: Iterable[Span], per_sentence: Iterable[list[ArgMention]], ents: DocEntities,
                  onto: Ontology) -> Iterator[Candidate]:
    """``boxOffice`` facts: the mention right before each amount of money, where the words between them say it took
    that amount."""
    prop = onto.properties.get("boxOffice")
    if prop is None:
        return
    for sent, mentions in zip(sentences, per_sentence):
        doc = sent.doc
        for token in sent:
            value = ents.value_of.get(token.i)
            if value is None or value.unit is None:
                continue
            found = _taker(doc, [m for m in mentions if m.end <= token.i][-4:], token.i)
            if found is None:
                continue
            m, between = found
            verbs = [t for t in doc[m.end:token.i] if t.pos_ in {"VERB", "AUX"}]
            if any(is_irrealis(v, sent) for v in verbs) or _limited(sent, token.i + 1):
                continue
            work = work_slot(m, doc, onto)
            if work is None:
                continue
            yield Candidate(prop=prop, subject=work_entity(onto, work), object=value, sentence=sent,
                            rule="takings:words", confidence=_CONFIDENCE)
