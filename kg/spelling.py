"""How a dataset spells the names and values of its triples, learned from its examples (used by :mod:`kg.learn`).

In: the gold triples ``(subject, relation, object)`` of example sentences, as the dataset writes them
(DBpedia-style resource names: ``Airman_(comicsCharacter)``, ``Adams_County,_Pennsylvania``; literals in quotes:
``"Drake Stevens"``). Out: :class:`Spelling`, which writes a mention found in a new sentence the way the examples
write the same name ("Airman" -> ``Airman (comicsCharacter)``, spaces for underscores), quotes the objects of a relation whose examples
quote them, and trims a mention that holds one known name plus only lower-case words around it
("the 11th Mississippi Infantry Monument which" -> ``11th Mississippi Infantry Monument``), and tells an object
with a digit of a relation whose objects never have one.

Only the examples' own triples are read: a name never seen in them is written as the text has it.

>>> spelling = learn_spelling([("Airman_(comicsCharacter)", "creator", "Harry_Sahle"),
...                            ("Airman_(comicsCharacter)", "alternativeName", '"Drake Stevens"'),
...                            ("Ballistic_(comicsCharacter)", "alternativeName", '"Kelvin Mao"')])
>>> spelling.name("Airman"), spelling.name("the Airman which"), spelling.value("alternativeName", "Ace")
('Airman (comicsCharacter)', 'Airman (comicsCharacter)', '"Ace"')
>>> spelling.plausible("creator", "1938"), spelling.plausible("alternativeName", "Ace")
(False, True)
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from .names import name_key

__all__ = ["Spelling", "learn_spelling", "fold", "subject_core"]

Triple = tuple[str, str, str]
_DISAMBIGUATOR = re.compile(r"_?\([^)]*\)$")
_TOKEN = re.compile(r"'s\b|[^\s,;:()]+|[,;:()]")
_SKIPPABLE = {"the", "a", "an", "'s"}
_MAX_TOKENS = 12  # longer mentions are not searched for a known name inside them


@lru_cache(maxsize=262144)
def fold(text: str) -> str:
    """A name folded for matching: quotes, a disambiguator, accents, case, punctuation and a leading "the" aside.

    >>> fold('Squeeze_(The_Velvet_Underground_album)'), fold('"René Goscinny"'), fold("The BBC")
    ('squeeze', 'rene goscinny', 'bbc')
    """
    return name_key(_DISAMBIGUATOR.sub("", text.strip().strip('"')))


_RELATIVE = re.compile(r"\s+(?:which|who|whom|whose|that|where)\b.*$")
_POSSESSIVE = re.compile(r"^(.*?\b[A-Z][^\s]*?)'s?\s+[a-z].*$")
_HEAD_OF = re.compile(r"^(?:(?:[Tt]he|[Aa]n?)\s+)?(?:[a-z][\w-]*\s+){1,3}of\s+(?=[A-Z0-9])")


def subject_core(text: str) -> str:
    """The name a subject mention is about, without what the parse attached to it: a relative clause ("the
    Monument which ..."), the thing a name owns ("Little Richard's performances"), or a noun it is "of"
    ("the brutality of Emmett Till", "architect of Alan Hall").

    >>> subject_core("Little Richard's performances during this period"), subject_core("11th Monument which")
    ('Little Richard', '11th Monument')
    >>> subject_core("The brutality of Emmett Till's murder"), subject_core("The Journal of Health Care")
    ('Emmett Till', 'The Journal of Health Care')
    """
    core = _RELATIVE.sub("", text) or text
    possessor = _POSSESSIVE.match(core)
    if possessor:
        core = possessor.group(1)
    head = _HEAD_OF.match(core)
    if head:
        core = core[head.end():]
    return core


def _spaced(text: str) -> str:
    """A resource name with spaces for underscores: the scorer compares triples with both removed, and looks
    for a name's words in the sentence, where "103_Colmore_Row" is not found but "103 Colmore Row" is."""
    return text.replace("_", " ")


def _quoted(text: str) -> bool:
    return len(text) > 1 and text[0] == text[-1] == '"'


def _skippable(token: str) -> bool:
    """A word that may surround a name without being part of it: lower-case words, articles and punctuation."""
    return token.lower() in _SKIPPABLE or token[:1].islower() or not any(ch.isalnum() for ch in token)


@dataclass(frozen=True)
class Spelling:
    """Names and objects as the examples write them.

    ``names``: folded name -> the examples' commonest spelling without quotes; ``objects``: (relation, folded
    object) -> the examples' spelling with its quotes; ``quoted``: the relations most of whose objects the
    examples quote.
    """

    names: Mapping[str, str] = field(default_factory=dict)
    objects: Mapping[tuple[str, str], str] = field(default_factory=dict)
    quoted: frozenset[str] = frozenset()
    wordy: frozenset[str] = frozenset()  # relations none of whose example objects holds a digit
    closed: Mapping[str, frozenset[str]] = field(default_factory=dict)  # relation -> the words of its few objects
    qualifiers: Mapping[str, str] = field(default_factory=dict)  # folded place -> its spelling, as after "Name,_"
    qualified: frozenset[tuple[str, str]] = frozenset()  # (relation, "s" or "o"): names mostly written "Name,_Place"

    def plausible(self, relation: str, obj: str) -> bool:
        """False for an object with a digit of a relation whose examples' objects never have one (a year is
        no "location"), and for an object sharing no word with the few objects the examples give a relation
        that they give again and again (a "time zone" of "Central Time Zone", "Mountain Time Zone")."""
        relation = relation if relation in self.wordy or relation in self.closed else relation.replace("_", " ")
        if relation in self.wordy and any(ch.isdigit() for ch in obj):
            return False
        return relation not in self.closed or not self.closed[relation].isdisjoint(fold(obj).split())

    _memo: dict = field(default_factory=dict, init=False, repr=False, compare=False)  # (method, arguments) -> result

    def known(self, text: str) -> str | None:
        """The examples' spelling of the name ``text`` writes, or of the one known name it holds with only
        lower-case words, articles and punctuation around it (the longest); None when it holds none."""
        if ("known", text) not in self._memo:
            self._memo[("known", text)] = self._known(text)
        return self._memo[("known", text)]

    def _known(self, text: str) -> str | None:
        key = fold(text)
        if key in self.names:
            return self.names[key]
        tokens = _TOKEN.findall(text)
        if len(tokens) > _MAX_TOKENS:
            return None
        for length in range(len(tokens) - 1, 0, -1):
            for start in range(len(tokens) - length + 1):
                inner = " ".join(tokens[start:start + length])
                if fold(inner) in self.names and all(_skippable(t) for t in tokens[:start] + tokens[start + length:]):
                    return self.names[fold(inner)]
        return None

    def name(self, text: str) -> str:
        """A subject as the examples write it (``text`` itself when they never name it)."""
        return self.known(text) or text

    def value(self, relation: str, text: str) -> str:
        """An object of ``relation`` as the examples write it: their spelling for this relation, else the name's,
        in quotes when the relation's objects are quoted."""
        exact = self.objects.get((relation, fold(text)))
        if exact is not None:
            return exact
        if ("longer", relation, text) not in self._memo:
            start = fold(text) + " "
            self._memo[("longer", relation, text)] = [name for (rel, key), name in self.objects.items()
                                                      if rel == relation and key.startswith(start)]
        longer = self._memo[("longer", relation, text)]
        if len(longer) == 1 and fold(text):  # "English" for the only language the examples write "English_language"
            return longer[0]
        if _quoted(text):
            return text
        name = self.known(text) or text
        return f'"{name}"' if relation in self.quoted else name

    def qualify(self, name: str, relation: str, side: str, sentence: str) -> str:
        """``name`` with the place the examples write after such names ("Abilene" -> "Abilene, Texas"), when
        the examples write most names of this relation's ``side`` ("s" or "o") so, the name has no place yet nor
        a known spelling, and the sentence names one of the examples' places: the first after the name, else
        the last before it. ``name`` itself otherwise.

        >>> spelling = learn_spelling([("Abilene,_Texas", "isPartOf", "Jones_County,_Texas"), ("Texas", "country", "United_States"),
        ...                            ("Akron,_Ohio", "isPartOf", "Summit_County,_Ohio"), ("Alpharetta,_Georgia", "isPartOf", "Georgia")])
        >>> spelling.qualify("Anson", "isPartOf", "s", "Anson is part of Jones County, Texas.")
        'Anson, Texas'
        >>> spelling.qualify("Texas", "isPartOf", "s", "Texas is big."), spelling.qualify("Anson", "country", "s", "Anson, Texas")
        ('Texas', 'Anson')
        >>> spelling.qualify("Ames", "isPartOf", "s", "Ames is in Story County, Iowa.")  # a place the text writes so
        'Ames, Iowa'

        """
        if (relation, side) not in self.qualified or "," in name or fold(name) in self.qualifiers or fold(name) in self.names:
            return name
        at = sentence.find(name)
        found = [(m.start(), place) for key, place in self.qualifiers.items()
                 for m in re.finditer(r"\b" + re.escape(place) + r"\b", sentence) if key != fold(name)]
        found += [(m.start(1), m.group(1)) for m in _TEXT_QUALIFIER.finditer(sentence) if fold(m.group(1)) != fold(name)]
        after = [(start, place) for start, place in found if start > at + len(name) - 1] if at >= 0 else []
        before = [(start, place) for start, place in found if at >= 0 and start + len(place) <= at]
        pick = min(after) if after else max(before) if before else None
        return f"{name}, {pick[1]}" if pick else name

    def to_dict(self) -> dict:
        """A JSON-ready form (see :meth:`from_dict`)."""
        return {"names": dict(sorted(self.names.items())), "quoted": sorted(self.quoted), "wordy": sorted(self.wordy),
                "closed": {rel: sorted(words) for rel, words in sorted(self.closed.items())},
                "objects": [[rel, key, text] for (rel, key), text in sorted(self.objects.items())],
                "qualifiers": dict(sorted(self.qualifiers.items())), "qualified": sorted(map(list, self.qualified))}

    @classmethod
    def from_dict(cls, data: Mapping) -> Spelling:
        """The spelling :meth:`to_dict` wrote."""
        return cls(dict(data.get("names", {})), {(r, k): t for r, k, t in data.get("objects", [])},
                   frozenset(data.get("quoted", ())), frozenset(data.get("wordy", ())),
                   {rel: frozenset(words) for rel, words in data.get("closed", {}).items()},
                   dict(data.get("qualifiers", {})), frozenset((r, side) for r, side in data.get("qualified", ())))


def learn_spelling(triples: Iterable[Triple], formats: Mapping[str, str] | None = None) -> Spelling:
    """The spelling of the examples' ``triples``; objects of relations with a value format (dates, numbers:
    ``formats``) are left to it."""
    formats = formats or {}
    triples_seen = list(triples)
    triples = triples_seen
    spellings: dict[str, Counter] = defaultdict(Counter)
    objects: dict[tuple[str, str], Counter] = defaultdict(Counter)
    quotes: dict[str, Counter] = defaultdict(Counter)
    digits: dict[str, bool] = {}
    subjects: dict[str, set[str]] = defaultdict(set)
    for subject, rel, obj in triples:
        spellings[fold(subject)][_spaced(subject.strip('"'))] += 1
        if formats.get(rel):
            continue
        spellings[fold(obj)][_spaced(obj.strip('"'))] += 1
        objects[(rel, fold(obj))][_spaced(obj)] += 1
        quotes[rel][_quoted(obj)] += 1
        digits[rel] = digits.get(rel, False) or any(ch.isdigit() for ch in obj)
        subjects[rel].add(fold(subject))
    names = {key: counts.most_common(1)[0][0] for key, counts in sorted(spellings.items()) if key}
    qualifiers, qualified = _qualifiers(triples_seen, formats)
    return Spelling(names, {key: counts.most_common(1)[0][0] for key, counts in sorted(objects.items()) if key[1]},
                    frozenset(rel for rel, counts in quotes.items() if counts[True] * 2 > sum(counts.values())),
                    frozenset(rel for rel, has in digits.items() if not has), _closed(objects, subjects),
                    qualifiers, qualified)


_QUALIFIED = re.compile(r"^(.+?),[_ ](.+)$")
# a place the text itself writes after a name and a comma: "Jones County, Texas", "Anaheim, California has"
_TEXT_QUALIFIER = re.compile(r"\b[A-Z][\w.'-]*(?: [A-Z][\w.'-]*)*, ((?:[A-Z][a-z]+)(?: [A-Z][a-z]+)?)\b(?! [A-Z])")


def _qualifiers(triples: Iterable[Triple], formats: Mapping[str, str]) -> tuple[dict[str, str], frozenset[tuple[str, str]]]:
    """The places the examples write after a name ("Abilene,_Texas": "Texas", folded -> spelled), and the
    (relation, side) whose names they write so at least half the time, among at least 3 names."""
    places: dict[str, Counter] = defaultdict(Counter)
    roles: dict[tuple[str, str], Counter] = defaultdict(Counter)
    for subject, rel, obj in triples:
        for side, name in (("s", subject), ("o", None if formats.get(rel) else obj)):
            if name is None or _quoted(name):
                continue
            match = _QUALIFIED.match(name)
            roles[(rel, side)][match is not None] += 1
            if match:
                places[fold(match.group(2))][_spaced(match.group(2))] += 1
    qualified = frozenset(role for role, counts in roles.items() if sum(counts.values()) >= 3 and 2 * counts[True] >= sum(counts.values()))
    return {key: counts.most_common(1)[0][0] for key, counts in sorted(places.items()) if key}, qualified


def _closed(objects: Mapping[tuple[str, str], Counter], subjects: Mapping[str, set[str]]) -> dict[str, frozenset[str]]:
    """The relations the examples give at least 6 different subjects of, with at most a third as many different
    objects (WebNLG states one triple in many sentences: subjects are counted, not sentences), and the words of
    those objects."""
    keys: dict[str, list[str]] = defaultdict(list)
    for rel, key in objects:
        keys[rel].append(key)
    return {rel: frozenset(w for key in keys[rel] for w in key.split()) for rel, names in subjects.items()
            if len(names) >= 6 and 3 * len(keys[rel]) <= len(names)}
