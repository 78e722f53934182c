"""The model's attribute ruler and lemmatizer run as lookup tables: the same annotations at a fraction of the cost.

In: a spaCy ``Doc`` tagged and parsed by the model. Out: the same ``Doc`` with the part-of-speech, morphology and
lemma that the model's own ``attribute_ruler`` and ``lemmatizer`` components would have set, token for token.

spaCy's ``AttributeRuler`` runs a ``Matcher`` over every token and applies each match in Python, and its rule
lemmatizer visits every token in Python; on news the two take about a fifth of the whole pipeline's time. Most
ruler patterns look at one token's own attributes (its tag, lower-case form, dependency label), so their result
is a function of those attributes: :class:`AttributeTable` works it out once per distinct combination and writes
the doc's attributes as arrays. Patterns over several tokens (eight in English, none with an operator) are
checked where their first token's tests pass. The rule lemmatizer caches its answer by (word, part of speech,
morphology) itself; :class:`LemmaTable` looks the same key up for the whole doc at once and asks the
lemmatizer only for keys it has not seen.

A ruler with patterns this module cannot evaluate token by token (an operator, an attribute other than ``TAG``,
``LOWER``, ``DEP`` and ``IS_SPACE``, a predicate other than ``IN``, ``NOT_IN`` or a string ``REGEX``, a value
given as a hash, a rule that sets extension attributes) is left as it is, and so is a lemmatizer of another kind
than spaCy's own (English or language-neutral) one: :func:`use_tables` replaces only what it can reproduce.

A pipeline with the tables is for parsing, not for saving: the tables are built from the components they
replace, so ``nlp.to_disk`` then ``spacy.load`` cannot rebuild them, and they have no scorer for
``nlp.evaluate``. kg loads the model afresh in each process (:func:`kg.nlp.load_nlp`).

Sources: spaCy's ``spacy/pipeline/attributeruler.py`` (matches sorted by rule, later rules win) and
``spacy/pipeline/lemmatizer.py`` (the cache key of ``rule_lemmatize``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy
from spacy.attrs import DEP, IDS, LEMMA, LOWER, MORPH, ORTH, POS, TAG
from spacy.language import Language
from spacy.lang.en.lemmatizer import EnglishLemmatizer
from spacy.lookups import Lookups
from spacy.pipeline import AttributeRuler, Lemmatizer
from spacy.tokens import Doc
from spacy.tokens._retokenize import set_token_attrs

__all__ = ["AttributeTable", "LemmaTable", "use_tables"]

IS_SPACE = IDS["IS_SPACE"]
# The token attributes a one-token pattern may test for the table to evaluate it, in the order of the key.
_KEY_ATTRS = ("TAG", "LOWER", "DEP", "IS_SPACE")
_KEY_IDS = [TAG, LOWER, DEP, IS_SPACE]
# Attributes written as whole arrays; any other one a rule sets (DEP, TAG …) is set token by token as spaCy does.
_ARRAY_ATTRS = (POS, MORPH, LEMMA)
# Distinct token keys remembered; past this the cache starts again, so memory does not grow with the corpus.
_MAX_CACHED = 50_000
_NO_TESTS: frozenset[int] = frozenset()  # what most words pass, shared


@dataclass(frozen=True)
class _TokenRules:
    """For one (tag, lower, dep, is_space): the tests it passes, its one-token rules in order, and the patterns
    over several tokens that may start at it (rule, tests per token)."""

    signature: frozenset[int]
    rules: tuple[int, ...]
    starts: tuple[tuple[int, tuple[frozenset[int], ...]], ...]


@dataclass(frozen=True)
class _Assigned:
    """What a list of rules sets: POS, MORPH and LEMMA values with a mask of those it sets, and any other attribute."""

    values: tuple[int, int, int]
    mask: tuple[bool, bool, bool]
    others: tuple[tuple[int, int], ...]  # (attribute id, value): DEP or TAG, set token by token


def _test(value: str, wanted: dict) -> bool:
    """Whether a token attribute's value passes a ``NOT_IN`` or ``REGEX`` test of a Matcher pattern (tests of a
    value or ``IN`` a list are looked up by value: :class:`AttributeTable`)."""
    (predicate, argument), = wanted.items()
    if predicate == "NOT_IN":
        return value not in argument
    return re.search(argument, value) is not None


def _evaluable(token: dict) -> bool:
    """Whether a pattern token only tests the attributes of a key, each as the table evaluates it: ``TAG``,
    ``LOWER`` and ``DEP`` against a string, a list of strings (``IN``, ``NOT_IN``) or a regular expression
    (``REGEX``); ``IS_SPACE`` against True or False."""
    for name, wanted in token.items():
        if name == "IS_SPACE":
            if not isinstance(wanted, bool):
                return False
        elif name not in _KEY_ATTRS:
            return False
        elif isinstance(wanted, dict):
            if len(wanted) != 1:
                return False
            (predicate, argument), = wanted.items()
            if predicate == "REGEX":
                if not isinstance(argument, str):
                    return False  # {"REGEX": {"IN": ...}} and the like
            elif predicate not in {"IN", "NOT_IN"} or not isinstance(argument, (list, tuple)) \
                    or not all(isinstance(item, str) for item in argument):
                return False
        elif not isinstance(wanted, str):
            return False  # a value given as a string's hash
    return True


class AttributeTable:
    """The model's ``AttributeRuler``, with each token's rules found from a signature of its attributes.

    Every test any pattern makes (``TAG`` is ``NN``, ``LOWER`` matches ``^n'?t$`` …) is numbered. A token's
    signature is the set of tests its (tag, lower, dep, is_space) pass; it and the one-token rules it satisfies
    are worked out once per distinct (tag, lower, dep, is_space), and the attributes a list of rules sets once per
    list. Patterns over several tokens (without operators) are checked at the positions whose token passes their
    first token's tests. Build with :meth:`compile`, which returns ``None`` for a ruler it cannot reproduce.

    The caches by key and by attribute value hold at most :data:`_MAX_CACHED` entries each; those by signature
    and by list of rules are bounded by the ruler (a few hundred entries for English).
    """

    def __init__(self, ruler: AttributeRuler, patterns: list[tuple[int, tuple[frozenset[int], ...]]],
                 tests: list[tuple[str, object]]) -> None:
        self.ruler = ruler
        self.vocab = ruler.vocab
        self.tests = tests
        self.single = [(rule, needs[0]) for rule, needs in patterns if len(needs) == 1]
        self.sequences = [(rule, needs) for rule, needs in patterns if len(needs) > 1]
        # per attribute of the key: value -> the tests that value passes by equality or IN; the NOT_IN and REGEX
        # tests, evaluated by _test
        self._equal: list[dict[object, set[int]]] = [{} for _ in _KEY_ATTRS]
        self._other: list[list[int]] = [[] for _ in _KEY_ATTRS]
        for number, (name, wanted) in enumerate(tests):
            column = _KEY_ATTRS.index(name)
            if not isinstance(wanted, dict):
                self._equal[column].setdefault(wanted, set()).add(number)
            elif "IN" in wanted:
                for item in wanted["IN"]:
                    self._equal[column].setdefault(item, set()).add(number)
            else:
                self._other[column].append(number)
        self._tokens: dict[tuple[int, ...], _TokenRules] = {}
        self._values: list[dict[int, frozenset[int]]] = [{} for _ in _KEY_ATTRS]
        self._by_signature: dict[frozenset[int], _TokenRules] = {}
        self._assigned_by_rules: dict[tuple[int, ...], _Assigned] = {}

    @classmethod
    def compile(cls, ruler: AttributeRuler) -> AttributeTable | None:
        """The table for ``ruler`` (a spaCy ``AttributeRuler``), or None when a pattern uses an operator or tests
        an attribute or predicate the table does not evaluate."""
        numbers: dict[tuple[str, str], int] = {}
        tests: list[tuple[str, object]] = []
        patterns: list[tuple[int, tuple[frozenset[int], ...]]] = []
        for rule, pattern_set in enumerate(ruler.patterns):
            if "_" in pattern_set["attrs"]:
                return None  # extension attributes: spaCy sets each match's in turn, merged key by key
            for pattern in pattern_set["patterns"]:
                if not pattern or not all(_evaluable(token) for token in pattern):
                    return None
                if not -len(pattern) <= ruler.indices[rule] < len(pattern):
                    return None  # spaCy raises on such a match; leave it to the ruler
                needs = []
                for token in pattern:
                    wanted_tests = set()
                    for name, wanted in token.items():
                        number = numbers.setdefault((name, repr(wanted)), len(tests))
                        if number == len(tests):
                            tests.append((name, wanted))
                        wanted_tests.add(number)
                    needs.append(frozenset(wanted_tests))
                patterns.append((rule, tuple(needs)))
        return cls(ruler, patterns, tests)

    def __call__(self, doc: Doc) -> Doc:
        """Set the part of speech, morphology, lemma (and any other attribute a rule sets) of every token, as the
        ruler would; returns ``doc``."""
        if not len(doc):
            return doc
        tokens = [self._token(tuple(key)) for key in doc.to_array(_KEY_IDS).tolist()]
        rules = [token.rules for token in tokens]
        for i, token in enumerate(tokens):
            for rule, needs in token.starts:
                if i + len(needs) <= len(tokens) and all(need <= tokens[i + k].signature for k, need in enumerate(needs)):
                    index = self.ruler.indices[rule]
                    position = i + index if index >= 0 else i + len(needs) + index
                    rules[position] = tuple(sorted((*rules[position], rule)))
        assigned = [self._assigned(token_rules) for token_rules in rules]
        values = doc.to_array(list(_ARRAY_ATTRS))
        mask = numpy.array([a.mask for a in assigned], dtype=bool)
        values = numpy.where(mask, numpy.array([a.values for a in assigned], dtype=values.dtype), values)
        for i, a in enumerate(assigned):
            if a.others:
                set_token_attrs(doc[i], dict(a.others))
        doc.from_array(list(_ARRAY_ATTRS), values)
        return doc

    def _token(self, key: tuple[int, ...]) -> _TokenRules:
        """What the ruler does with a token whose (tag, lower, dep, is_space) values are ``key``."""
        token = self._tokens.get(key)
        if token is None:
            if len(self._tokens) >= _MAX_CACHED:
                self._tokens.clear()  # memory stays flat on a corpus of any size
            signature = frozenset().union(*(self._passed(column, value) for column, value in enumerate(key)))
            token = self._by_signature.get(signature)
            if token is None:
                token = _TokenRules(
                    signature,
                    tuple(sorted({rule for rule, need in self.single if need <= signature})),
                    tuple((rule, needs) for rule, needs in self.sequences if needs[0] <= signature),
                )
                self._by_signature[signature] = token
            self._tokens[key] = token
        return token

    def _passed(self, column: int, value: int) -> frozenset[int]:
        """The tests on the key's ``column``-th attribute that the attribute's ``value`` (a string id) passes."""
        cache = self._values[column]
        passed = cache.get(value)
        if passed is None:
            if len(cache) >= _MAX_CACHED:
                cache.clear()
            name = _KEY_ATTRS[column]
            text = bool(value) if name == "IS_SPACE" else (self.vocab.strings[value] if value else "")
            passed = frozenset(self._equal[column].get(text, set()).union(
                n for n in self._other[column] if _test(text, self.tests[n][1]))) or _NO_TESTS
            cache[value] = passed
        return passed

    def _assigned(self, rules: tuple[int, ...]) -> _Assigned:
        """The attributes a token gets from these rules applied in order: a later rule's value wins."""
        assigned = self._assigned_by_rules.get(rules)
        if assigned is None:
            attrs: dict[int, int] = {}
            for rule in rules:
                attrs.update(self.ruler.attrs[rule])
            assigned = _Assigned(
                tuple(attrs.get(attr, 0) for attr in _ARRAY_ATTRS),
                tuple(attr in attrs for attr in _ARRAY_ATTRS),
                tuple((attr, value) for attr, value in attrs.items() if attr not in _ARRAY_ATTRS),
            )
            self._assigned_by_rules[rules] = assigned
        return assigned


class LemmaTable:
    """The model's lemmatizer with its answers looked up for a whole doc by (orth, pos, morph).

    A key not seen before is lemmatized by a copy of the model's lemmatizer whose word lists (the ``lemma_index``
    table, lists in the model's data) are sets: the same answers, without a scan of the list for every candidate
    form.
    """

    def __init__(self, lemmatizer: Lemmatizer) -> None:
        self.lemmatizer = lemmatizer
        self.vocab = lemmatizer.vocab
        self._lemmatizer = _with_word_sets(lemmatizer)
        self._lemmas: dict[tuple[int, int, int], int] = {}

    def __call__(self, doc: Doc) -> Doc:
        """Set the lemma of every token that has none (of every token, for a lemmatizer that overwrites), as the
        lemmatizer would; returns ``doc``."""
        if not len(doc):
            return doc
        rows = doc.to_array([ORTH, POS, MORPH, LEMMA])
        lemmas = rows[:, 3].copy()
        overwrite = self.lemmatizer.overwrite
        for i, (orth, pos, morph, lemma) in enumerate(rows.tolist()):
            if lemma and not overwrite:
                continue
            key = (orth, pos, morph)
            found = self._lemmas.get(key)
            if found is None:
                if len(self._lemmas) >= _MAX_CACHED:
                    self._lemmas.clear()  # memory stays flat on a corpus of any size
                found = self.vocab.strings.add(self._lemmatizer.lemmatize(doc[i])[0])
                self._lemmatizer.cache.clear()  # the answer is kept here
                self._lemmas[key] = found
            lemmas[i] = found
        doc.from_array([LEMMA], lemmas.astype(numpy.uint64).reshape(-1, 1))
        return doc


def _with_word_sets(lemmatizer: Lemmatizer) -> Lemmatizer:
    """A rule lemmatizer like ``lemmatizer`` whose ``lemma_index`` word lists are frozensets (``lemmatizer`` itself
    when it is not a rule lemmatizer of spaCy's kind)."""
    lookups = getattr(lemmatizer, "lookups", None)
    if getattr(lemmatizer, "mode", None) != "rule" or lookups is None or not lookups.has_table("lemma_index"):
        return lemmatizer
    copy = type(lemmatizer)(lemmatizer.vocab, lemmatizer.model, lemmatizer.name, mode="rule",
                            overwrite=lemmatizer.overwrite)
    copy.lookups = Lookups()
    for name in lookups.tables:
        table = copy.lookups.add_table(name)
        for key, value in lookups.get_table(name).items():
            table[key] = frozenset(value) if name == "lemma_index" and isinstance(value, list) else value
    copy._validated = True
    return copy


@Language.factory("kg_attribute_table")
def _attribute_table(nlp: Language, name: str) -> AttributeTable:
    table = AttributeTable.compile(nlp.get_pipe("attribute_ruler"))
    if table is None:
        raise ValueError("the attribute ruler has patterns the table cannot evaluate")
    return table


@Language.factory("kg_lemma_table")
def _lemma_table(nlp: Language, name: str) -> LemmaTable:
    return LemmaTable(nlp.get_pipe("lemmatizer"))


def use_tables(nlp: Language) -> list[str]:
    """Replace the model's ``attribute_ruler`` and rule ``lemmatizer`` by their tables, where they can be.

    Returns the names of the components replaced: not a ruler with patterns its table cannot evaluate, nor a
    lemmatizer of another class than spaCy's ``Lemmatizer`` or ``EnglishLemmatizer`` (another language's may read
    more of a token than its word, part of speech and morphology).
    """
    replaced = []
    if "attribute_ruler" in nlp.pipe_names and AttributeTable.compile(nlp.get_pipe("attribute_ruler")) is not None:
        nlp.add_pipe("kg_attribute_table", after="attribute_ruler")
        nlp.remove_pipe("attribute_ruler")
        replaced.append("attribute_ruler")
    lemmatizer = nlp.get_pipe("lemmatizer") if "lemmatizer" in nlp.pipe_names else None
    # another lemmatizer may read more of a token than (orth, pos, morph): Spanish's reads sentence starts
    if type(lemmatizer) in (Lemmatizer, EnglishLemmatizer) and lemmatizer.mode in {"rule", "lookup"}:
        nlp.add_pipe("kg_lemma_table", after="lemmatizer")
        nlp.remove_pipe("lemmatizer")
        replaced.append("lemmatizer")
    return replaced
