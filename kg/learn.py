"""Learning any ontology's relations from example sentences: ``kg learn``, ``kg eval text2kgbench --train`` and
``bench/quality.py`` use this module.

In: a Text2KGBench-style ontology (:class:`~kg.evaluate.BenchmarkOntology`) and a train file, one sentence per
line (``{"id", "sent", "triples": [{"sub", "rel", "obj"}]}``) or one triple per line (``{"id", "sent",
"sub_label", "rel_label", "obj_label"}``). Out: :class:`Examples`, the usable sentences with what was skipped,
and train/held-out splits that never put two sentences sharing a triple on both sides.

A user's file is taken as it comes: a triple whose relation the ontology does not define, and a line that is not
a JSON object with ``id`` and ``sent`` (or whose triples lack a part), are skipped and reported on one line each
(:meth:`Examples.report`); only a file with nothing usable left is an error.

What is learned (:class:`Model`, by :func:`learn`): patterns (:mod:`kg.extract.patterns`, the precise layer), the
ontology's relation classifier (:mod:`kg.extract.ontology_classifier`) for the relations the patterns find none
of in a sentence, and, for relations with few examples, the triple the label's words point at; every triple is
written as the examples write theirs and dropped when they make it implausible (:mod:`kg.spelling`). How the
three are applied (:class:`Choice`) is chosen by cross-validation grouped by triple (:func:`grouped_folds`,
:func:`choose`).

An ontology whose relations other ontologies share (DBpedia's ``country``, ``birthPlace``, ``starring``) can also
learn from their examples (:func:`borrow`): only the triples of its own relations are kept, and no sentence that
is one of its own or shares a triple with one.

>>> from kg.evaluate import BenchmarkOntology, GoldSentence
>>> sentences = [GoldSentence("a", "A.", (("X", "r", "Y"),)), GoldSentence("b", "B.", (("Z", "r", "W"),)),
...              GoldSentence("c", "C.", (("X", "r", "Y"),))]
>>> [held for _, held in grouped_folds(sentences, 2)]
[[0, 2], [1]]
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from functools import lru_cache
from itertools import product
from pathlib import Path
from typing import TYPE_CHECKING

from .documents import iter_json_objects
from .errors import InputError
from .evaluate import BenchmarkOntology, GoldSentence, Scores, Settings, Triple, _triple_key, predict, score
from .extract.label_model import (LabelModel, RelationSignature, design_matrix, infer_formats, learn_label_model, learn_prior,
                                  top_triples, training_candidates, word_links)
from .extract.ontology_classifier import (OntologyClassifier, PairRow, label_words, learn_classifier, lexicon,
                                         sentence_rows, text_rows)
from .extract.patterns import PatternSet, learn_from_docs, render_value, value_formats
from .nlp import parse_texts
from .spelling import Spelling, fold, learn_spelling, subject_core

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

__all__ = ["Examples", "read_examples", "grouped_folds", "Choice", "Parsed", "Model",
           "parse_sentences", "signatures_of", "borrow", "PriorSource", "prior_source", "PriorPool", "prior_pool", "fit_model", "single_valued", "pattern_triples", "add_classified", "add_label_read", "predict_parsed", "save_setup", "model_from", "choose", "learn"]


@dataclass(frozen=True)
class Examples:
    """The usable sentences of a train file and what was skipped.

    ``unknown_relations``: relation label -> triples skipped for it; ``malformed``: line numbers skipped.
    """

    source: str
    sentences: tuple[GoldSentence, ...]
    unknown_relations: dict[str, int] = field(default_factory=dict)
    malformed: tuple[int, ...] = ()

    def report(self) -> list[str]:
        """One line per kind of problem (none when the file was clean)."""
        lines = []
        if self.unknown_relations:
            names = sorted(self.unknown_relations)
            count = sum(self.unknown_relations.values())
            lines.append(f"{self.source}: skipped {count} example{'s' * (count != 1)} of {len(names)} "
                         f"relation{'s' * (len(names) != 1)} not in the ontology: {', '.join(names)}")
        if self.malformed:
            n = len(self.malformed)
            lines.append(f"{self.source}: skipped {n} malformed line{'s' * (n != 1)} "
                         f"(not a JSON object with \"id\", \"sent\" and whole triples): {', '.join(map(str, self.malformed))}")
        return lines


def _triples(row: dict) -> tuple[Triple, ...] | None:
    """The gold triples of a line in either layout; None when a triple lacks a part."""
    if "rel_label" in row:
        parts = (row.get("sub_label"), row.get("rel_label"), row.get("obj_label"))
        return (tuple(str(p) for p in parts),) if all(isinstance(p, str) and p for p in parts) else None
    triples = row.get("triples", [])
    if not isinstance(triples, list):
        return None
    out = []
    for t in triples:
        if not isinstance(t, dict) or not all(isinstance(t.get(k), str) and t.get(k) for k in ("sub", "rel", "obj")):
            return None
        out.append((t["sub"], t["rel"], t["obj"]))
    return tuple(out)


def read_examples(path: str | Path, onto: BenchmarkOntology | None = None) -> Examples:
    """Read a train file leniently (see the module docstring); sentences repeated over lines are merged in order.

    Raises :class:`~kg.errors.InputError` when the file is missing or has no usable sentence with a triple.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(str(path), "no such file")
    malformed: list[int] = []
    unknown: Counter[str] = Counter()
    known = set(onto.relations) if onto is not None else None
    by_sentence: dict[str, tuple[str, list[Triple]]] = {}

    def bad(error: InputError) -> None:
        malformed.append(int(error.where.rsplit(":", 1)[1]))

    for _, number, row in iter_json_objects(path, on_error=bad):
        triples = _triples(row)
        if not isinstance(row.get("sent"), str) or "id" not in row or triples is None:
            malformed.append(number)
            continue
        sid, kept = by_sentence.setdefault(row["sent"], (str(row["id"]), []))
        for triple in triples:
            if known is not None and triple[1] not in known:
                unknown[triple[1]] += 1
            elif triple not in kept:
                kept.append(triple)
    sentences = tuple(GoldSentence(sid, sent, tuple(triples)) for sent, (sid, triples) in by_sentence.items() if triples)
    read = Examples(str(path), sentences, dict(sorted(unknown.items())), tuple(sorted(malformed)))
    if not sentences:
        why = "; ".join(line.removeprefix(f"{path}: ") for line in read.report())
        raise InputError(str(path), "no sentence with a triple of the ontology's relations to learn from" + (f" ({why})" if why else ""))
    return read


def _components(sentences: Sequence[GoldSentence]) -> tuple[list[list[int]], list[set[str]]]:
    """Sentences joined when they share a triple (transitively), each component in breadth-first order from its
    first sentence; and each sentence's triple keys (compared as the scorer does: case, spaces and "_" aside)."""
    keys = [{_triple_key(t) for t in s.triples} for s in sentences]
    holders: dict[str, list[int]] = {}
    for i, ks in enumerate(keys):
        for k in sorted(ks):
            holders.setdefault(k, []).append(i)
    seen: set[int] = set()
    components = []
    for i in range(len(sentences)):
        if i in seen:
            continue
        seen.add(i)
        queue = [i]
        for j in queue:
            for k in sorted(keys[j]):
                for other in holders[k]:
                    if other not in seen:
                        seen.add(other)
                        queue.append(other)
        components.append(queue)
    return components, keys


def grouped_folds(sentences: Sequence[GoldSentence], folds: int, purge: bool = True) -> list[tuple[list[int], list[int]]]:
    """(train indices, held-out indices) for each of ``folds`` splits, every sentence held out once.

    Sentences with the same gold triple set are always held out together; sentences that share any triple are
    kept together when their component fits in a fold (else filled in breadth-first order, so neighbours stay
    together), and with ``purge`` a train side never holds a sentence that shares a triple with its held-out side.
    """
    components, keys = _components(sentences)
    by_set: dict[frozenset[str], list[int]] = {}
    for i, ks in enumerate(keys):
        by_set.setdefault(frozenset(ks), []).append(i)
    capacity = -(-len(sentences) // folds)
    sizes = [0] * folds
    fold_of = [0] * len(sentences)
    for component in sorted(components, key=lambda c: (-len(c), c[0])):
        units = list(dict.fromkeys(frozenset(keys[i]) for i in component))
        k = min(range(folds), key=lambda f: (sizes[f], f))
        for unit in units:
            members = by_set[unit]
            if sizes[k] + len(members) > capacity and len(component) > capacity - sizes[k]:
                k = min(range(folds), key=lambda f: (sizes[f], f))
            for i in members:
                fold_of[i] = k
            sizes[k] += len(members)
    out = []
    for k in range(folds):
        held = [i for i in range(len(sentences)) if fold_of[i] == k]
        held_keys = set().union(*(keys[i] for i in held)) if held else set()
        out.append(([i for i in range(len(sentences)) if fold_of[i] != k and not (purge and keys[i] & held_keys)], held))
    return out


# --------------------------------------------------------------------------------------------------- learning


@dataclass(frozen=True)
class Choice:
    """How learned patterns and the classifier are applied: the pattern thresholds, the least probability at
    which the classifier adds a triple of a relation the patterns gave none of (None: patterns only), and below
    how many examples a relation is also read off its label's words in the text (0: never)."""

    settings: Settings
    threshold: float | None
    few: int = 0
    one_per_pair: bool = False  # the classifier and the label words join no pair of names a relation joins already
    label_threshold: float | None = None  # the least probability at which the label model adds a triple (None: never)


PATTERN_GRID = (Settings(0.1, 1, 0.1), Settings(0.2, 2, 0.1), Settings(0.3, 1, 0.0), Settings(0.5, 2, 0.1))
THRESHOLD_GRID = (None, 0.01, 0.05, 0.2)
FEW_GRID = (0, 3, 10)
LABEL_GRID = (None, 0.01)
DEFAULT_CHOICE = Choice(Settings(0.2, 1, 0.1), 0.1, 3)
MIN_TUNING = 20  # fewer examples than this are too few to tell one setting from another: the defaults apply


@dataclass
class Parsed:
    """Sentences parsed once, with their mention pairs that depend on no examples (``rows``: per sentence, see
    :func:`~kg.extract.ontology_classifier.sentence_rows`) and the ontology's relation words."""

    sentences: list[GoldSentence]
    docs: list[Doc]
    rows: list[list[PairRow]]
    words: dict[str, tuple[str, ...]]
    signatures: tuple[RelationSignature, ...] = ()
    _cues: list | None = field(default=None, repr=False)

    def subset(self, indices: Sequence[int]) -> Parsed:
        cues = self.label_cues()
        return Parsed([self.sentences[i] for i in indices], [self.docs[i] for i in indices],
                      [self.rows[i] for i in indices], self.words, self.signatures, [cues[i] for i in indices])

    def label_cues(self) -> list[list[tuple[str, tuple[int, int], str, str]]]:
        """Per sentence, (relation, rank, subject, object) of each pair from the text's first mention whose
        features place a word of the relation's label next to the object (rank 0) or between (1), then by
        distance. Worked out once."""
        if self._cues is None:
            self._cues = []
            for rows in self.rows:
                first = min((r.a.start for r in rows), default=None)
                cues = []
                for row in rows:
                    if row.a.start != first:
                        continue
                    for feature in row.features:
                        kind, _, rel = feature.partition(":")
                        if kind in ("ln", "lw"):
                            cues.append((rel, (0 if kind == "ln" else 1, row.b.start - row.a.end), row.a.text, row.b.text))
                self._cues.append(cues)
        return self._cues

    def plus(self, other: Parsed | None) -> Parsed:
        """These sentences followed by ``other``'s (parsed under the same relation words), or these alone."""
        if other is None or not other.sentences:
            return self
        return Parsed(self.sentences + other.sentences, self.docs + other.docs, self.rows + other.rows, self.words,
                      self.signatures, self.label_cues() + other.label_cues())

    def rows_with(self, known: frozenset[str]) -> list[list[PairRow]]:
        """Each sentence's pairs, with those of the mentions that spell a ``known`` object."""
        return [text_rows(doc, self.words, known, rows) for doc, rows in zip(self.docs, self.rows)]


def parse_sentences(sentences: Sequence[GoldSentence], onto: BenchmarkOntology, nlp: Language) -> Parsed:
    """Parse sentences and find their mention pairs under the ontology's relation words."""
    words = {rel: label_words(rel) for rel in onto.relations}
    docs = list(parse_texts(nlp, (s.sent for s in sentences), batch_size=64))
    return Parsed(list(sentences), docs, [sentence_rows(doc, words) for doc in docs], words, signatures_of(onto))


def signatures_of(onto: BenchmarkOntology) -> tuple[RelationSignature, ...]:
    """Each relation of the ontology with its domain and range (empty ones when the ontology gives none)."""
    given = {rel: (domain, range_) for rel, domain, range_ in onto.signatures}
    return tuple(RelationSignature(rel, *given.get(rel, ("", ""))) for rel in onto.relations)


@dataclass
class Model:
    """What is learned from one ontology's examples: patterns (the precise layer), a classifier (or None when
    the examples give it no pair to learn from) and how the examples spell names and objects."""

    patterns: PatternSet
    classifier: OntologyClassifier | None
    choice: Choice | None = None
    examples: dict[str, int] = field(default_factory=dict)  # relation -> gold triples it was learned from
    strip_the: bool = False  # the examples' names do not start with "The": "The Accademia ..." names "Accademia ..."
    spelling: Spelling = field(default_factory=Spelling)
    single: frozenset[str] = frozenset()  # relations (as output: "cast_member") the examples give a subject one object of
    labeller: LabelModel | None = None

    def _plain(self, text: str) -> str:
        return text[4:] if self.strip_the and text[:4] in ("The ", "the ") and len(text) > 4 else text

    def name(self, text: str) -> str:
        """A subject as the examples write names: their spelling of a name they use, else the text (without
        "The" when they never start a name with it)."""
        return self.spelling.known(text) or self._plain(subject_core(text))

    def value(self, relation: str, text: str) -> str:
        """An object of ``relation`` as the examples write it; a date or number is already in their format."""
        if self.patterns.formats.get(relation):
            return text
        return self.spelling.value(relation, self._plain(text))

    def triple(self, subject: str, relation: str, obj: str, sentence: str = "") -> Triple:
        """A found triple as the examples write it, the relation as the benchmark does ("cast_member"); names
        get the place the examples write after such names when the ``sentence`` names one ("Abilene, Texas")."""
        name, value = self.name(subject), self.value(relation, obj)
        if sentence and self.spelling.qualified:
            name = self.spelling.qualify(name, relation, "s", sentence)
            if not self.patterns.formats.get(relation) and not value.startswith('"'):
                value = self.spelling.qualify(value, relation, "o", sentence)
        return name, relation.replace(" ", "_"), value

    def scored(self, data: Parsed) -> list | None:
        """The classifier's ranked triples per sentence of ``data`` (None without a classifier)."""
        if self.classifier is None:
            return None
        return [self.classifier.scored(rows) for rows in data.rows_with(self.classifier.known)]

    def label_scored(self, data: Parsed) -> list | None:
        """The label model's ranked triples per sentence of ``data`` (None without one)."""
        if self.labeller is None:
            return None
        known = self.classifier.known if self.classifier is not None else frozenset()
        return [self.labeller.scored(rows) for rows in data.rows_with(known)]


def fit_model(train: Parsed, seed: int = 0, prior: LabelModel | None = None) -> Model:
    """Patterns, classifier, label model (on top of ``prior``, when given) and spelling from parsed examples
    (deterministic for the same examples, seed and prior)."""
    patterns = learn_from_docs(train.docs, [(s.sent, s.triples) for s in train.sentences])
    triples = [t for s in train.sentences for t in s.triples]
    known = lexicon(triples, patterns.formats)
    names = [s for s, _, _ in triples] + [o for _, r, o in triples if not patterns.formats.get(r)]
    with_the = sum(1 for n in names if n[:4].lower() in ("the ", "the_"))
    try:
        classifier = learn_classifier(train.rows_with(known), [s.triples for s in train.sentences], patterns.formats,
                                      patterns.aliases, seed=seed, known=known)
    except ValueError:  # no pair of the examples states a relation: one class to learn
        classifier = None
    examples = Counter(r for _, r, _ in triples)
    return Model(patterns, classifier, examples=dict(examples),
                 strip_the=with_the < 0.02 * len(names), spelling=learn_spelling(triples, patterns.formats),
                 single=single_valued(train.sentences), labeller=_label_model(train, known, examples, patterns, prior))


RARE = 50  # relations with fewer examples than this are read by the label model
LABEL_SENTENCES = 120  # the label model learns from at most this many examples, spread over the file


def _label_model(train: Parsed, known: frozenset[str], examples: Counter, patterns: PatternSet,
                 prior: LabelModel | None) -> LabelModel | None:
    """The label model for the relations with fewer than :data:`RARE` examples (None when there are none),
    learned from the pairs of every relation (of at most :data:`LABEL_SENTENCES` sentences)."""
    rare = {s.relation for s in train.signatures if examples.get(s.relation, 0) < RARE}
    if not rare:
        return None
    step = max(1, -(-len(train.sentences) // LABEL_SENTENCES))
    part = train.subset(range(0, len(train.sentences), step)) if step > 1 else train
    try:
        model = learn_label_model(part.rows_with(known), [s.triples for s in part.sentences], part.signatures, part.words,
                                  patterns.formats, patterns.aliases, prior=prior)
    except ValueError:  # no candidate of the examples is a gold triple
        return None
    model.signatures = {rel: sig for rel, sig in model.signatures.items() if rel in rare}
    return model


def single_valued(sentences: Sequence[GoldSentence], share: float = 0.9) -> frozenset[str]:
    """The relations (written as output: "cast_member") for which at least ``share`` of the examples' subjects
    have one object in their sentence.

    >>> single_valued([GoldSentence("a", "A.", (("X", "genre", "Y"), ("X", "genre", "Z"), ("X", "cast member", "W")))])
    frozenset({'cast_member'})
    """
    objects: Counter[tuple[int, str, str]] = Counter()
    for n, sentence in enumerate(sentences):
        for s, rel, _ in sentence.triples:
            objects[(n, fold(s), rel.replace(" ", "_"))] += 1
    groups: dict[str, list[int]] = {}
    for (_, _, rel), count in objects.items():
        groups.setdefault(rel, []).append(count)
    return frozenset(rel for rel, counts in groups.items() if sum(c == 1 for c in counts) >= share * len(counts))


def pattern_triples(model: Model, onto: BenchmarkOntology, data: Parsed, settings: Settings) -> dict[str, list[Triple]]:
    """The patterns' triples per sentence id, applied with ``settings``."""
    settings.apply(model.patterns)
    texts = {s.id: s.sent for s in data.sentences}
    return {sid: _plausible([model.triple(*t, texts[sid]) for t in triples], data.words, model.spelling)
            for sid, triples in predict(model.patterns, onto, data.docs, data.sentences)}


def add_classified(base: dict[str, list[Triple]], model: Model, onto: BenchmarkOntology, data: Parsed,
                   threshold: float | None, scored: list | None = None, one_per_pair: bool = False) -> dict[str, list[Triple]]:
    """``base`` (sentence id -> triples) with the classifier's triples, at ``threshold``, of the relations a
    sentence has none of (a new dict; ``scored``: :meth:`OntologyClassifier.scored` per sentence, when known)."""
    out = {sid: list(triples) for sid, triples in base.items()}
    if threshold is None or model.classifier is None:
        return out
    allowed = onto.relation_names
    if scored is None:
        scored = model.scored(data)
    for sentence, ranked in zip(data.sentences, scored):
        _add(out[sentence.id], _plausible([model.triple(*t, sentence.sent) for t in model.classifier.decode(ranked, threshold)],
                                          data.words, model.spelling), allowed, model.single, one_per_pair)
    return out


def _label_forms(words: dict[str, tuple[str, ...]]) -> frozenset[str]:
    """The relation labels' words and whole labels, folded ("category", "key person")."""
    return _forms(tuple(words.values()))


@lru_cache(maxsize=64)
def _forms(labels: tuple[tuple[str, ...], ...]) -> frozenset[str]:
    return frozenset({w for ws in labels for w in ws} | {" ".join(ws) for ws in labels})


def _plausible(triples: list[Triple], words: dict[str, tuple[str, ...]], spelling: Spelling) -> list[Triple]:
    """``triples`` without those whose object is the subject itself, only a word of a relation's label
    ("falls under the category of ..." gives no object "category"), or has a digit where the relation's example
    objects have none."""
    labels = _label_forms(words)
    return [t for t in triples if fold(t[2]) != fold(t[0]) and fold(t[2]) not in labels and spelling.plausible(t[1], t[2])]


def _add(triples: list[Triple], new: Sequence[Triple], allowed: frozenset[str], single: frozenset[str] = frozenset(),
         one_per_pair: bool = False) -> None:
    """Append to ``triples`` those of ``new`` (best first) of relations it has none of, giving a subject only its
    first object of a ``single`` relation and, with ``one_per_pair``, joining a pair of names it joins by no
    relation yet."""
    given = {r for _, r, _ in triples}
    pairs = {frozenset((fold(s), fold(o))) for s, _, o in triples}
    subjects: set[tuple[str, str]] = set()
    for triple in new:
        s, rel, o = triple
        pair, subject = frozenset((fold(s), fold(o))), (fold(s), rel)
        if rel in allowed and rel not in given and not (one_per_pair and pair in pairs) and not (rel in single and subject in subjects):
            triples.append(triple)
            pairs.add(pair)
            subjects.add(subject)


def add_label_read(base: dict[str, list[Triple]], model: Model, onto: BenchmarkOntology, data: Parsed,
                   few: int, one_per_pair: bool = False) -> dict[str, list[Triple]]:
    """``base`` with, for each relation learned from fewer than ``few`` examples that a sentence has no triple
    of, the triple its label's words point at: the text's first mention as subject, and as object the mention
    next to a word of the label ("has 600 students"), else the nearest mention with a word of it in between."""
    out = {sid: list(triples) for sid, triples in base.items()}
    if few <= 0:
        return out
    rare = {rel for rel in onto.relations if model.examples.get(rel, 0) < few}
    formats = model.patterns.formats
    labels = _label_forms(data.words)
    for sentence, cues in zip(data.sentences, data.label_cues()):
        best: dict[str, tuple[tuple[int, int], Triple]] = {}
        for rel, rank, subject, obj in cues:
            if rel not in rare or (rel in best and best[rel][0] <= rank) or fold(obj) in labels:
                continue
            value = render_value(obj, formats[rel]) if formats.get(rel) else obj
            if value is not None:
                best[rel] = (rank, model.triple(subject, rel, value, sentence.sent))
        _add(out[sentence.id], _plausible([triple for _, triple in sorted(best.values())], data.words, model.spelling),
             onto.relation_names, model.single, one_per_pair)
    return out


def add_label_model(base: dict[str, list[Triple]], model: Model, onto: BenchmarkOntology, data: Parsed,
                    threshold: float | None, one_per_pair: bool = False, scored: list | None = None) -> dict[str, list[Triple]]:
    """``base`` with, for each relation a sentence has no triple of, the label model's triples at ``threshold``
    (None: none; ``scored``: :meth:`Model.label_scored`, when known)."""
    out = {sid: list(triples) for sid, triples in base.items()}
    if threshold is None or model.labeller is None:
        return out
    if scored is None:
        scored = model.label_scored(data)
    for sentence, ranked in zip(data.sentences, scored):
        picked = [model.triple(*t, sentence.sent) for t in top_triples(ranked, threshold)]
        _add(out[sentence.id], _plausible(picked, data.words, model.spelling), onto.relation_names, model.single,
             one_per_pair)
    return out


def save_setup(model: Model) -> None:
    """Keep in the classifier (and so in its file) what applying it needs besides the patterns."""
    if model.classifier is not None:
        choice = model.choice or DEFAULT_CHOICE
        model.classifier.threshold = 1.01 if choice.threshold is None else choice.threshold
        model.classifier.setup = {"few": choice.few, "one_per_pair": choice.one_per_pair, "strip_the": model.strip_the, "examples": model.examples,
                                  "spelling": model.spelling.to_dict(), "single": sorted(model.single),
                                  "label_threshold": choice.label_threshold,
                                  "label_model": model.labeller.to_dict() if model.labeller is not None else None}


def model_from(patterns: PatternSet, classifier: OntologyClassifier | None) -> Model:
    """A model from a pattern file and a classifier file (:func:`save_setup`), applied with the patterns' own
    thresholds."""
    setup = classifier.setup if classifier is not None else {}
    threshold = classifier.threshold if classifier is not None and classifier.threshold <= 1 else None
    label = setup.get("label_threshold")
    choice = Choice(Settings(patterns.min_precision, patterns.min_hits, patterns.margin), threshold, int(setup.get("few", 0)),
                    bool(setup.get("one_per_pair", False)), None if label is None else float(label))
    labeller = LabelModel.from_dict(setup["label_model"]) if setup.get("label_model") else None
    return Model(patterns, classifier, choice, dict(setup.get("examples", {})), bool(setup.get("strip_the", False)),
                 Spelling.from_dict(setup.get("spelling", {})), frozenset(setup.get("single", ())), labeller)


def predict_parsed(model: Model, onto: BenchmarkOntology, data: Parsed, choice: Choice | None = None) -> dict[str, list[Triple]]:
    """Triples per sentence id: the patterns', then for relations they gave none of the classifier's, then those
    read off the labels of rarely seen relations."""
    choice = choice or model.choice or DEFAULT_CHOICE
    found = add_classified(pattern_triples(model, onto, data, choice.settings), model, onto, data, choice.threshold,
                           one_per_pair=choice.one_per_pair)
    found = add_label_read(found, model, onto, data, choice.few, choice.one_per_pair)
    return add_label_model(found, model, onto, data, choice.label_threshold, choice.one_per_pair)


def choose(data: Parsed, onto: BenchmarkOntology, folds: int = 3, seed: int = 0,
           prior: LabelModel | None = None) -> tuple[Choice, Scores]:
    """The pattern settings and classifier threshold with the best mean F1 over grouped folds of ``data``."""
    totals: dict[Choice, list[float]] = {}
    scores: dict[Choice, list[Scores]] = {}
    for train, held in grouped_folds(data.sentences, folds):
        if not train or not held:
            continue
        model = fit_model(data.subset(train), seed, prior)
        part = data.subset(held)
        scored, label_scored = model.scored(part), model.label_scored(part)
        for settings in PATTERN_GRID:
            base = pattern_triples(model, onto, part, settings)
            for threshold, one_per_pair in product(THRESHOLD_GRID, (False, True)):
                found = add_classified(base, model, onto, part, threshold, scored, one_per_pair)
                for few in FEW_GRID:
                    read = add_label_read(found, model, onto, part, few, one_per_pair)
                    for label_threshold in LABEL_GRID if model.labeller is not None else (None,):
                        choice = Choice(settings, threshold, few, one_per_pair, label_threshold)
                        found_all = add_label_model(read, model, onto, part, label_threshold, one_per_pair, label_scored)
                        macro = score(onto, part.sentences, found_all).macro
                        totals.setdefault(choice, []).append(macro.f1)
                        scores.setdefault(choice, []).append(macro)
    if not totals:
        return DEFAULT_CHOICE, Scores()
    best = max(totals, key=lambda c: (sum(totals[c]), -PATTERN_GRID.index(c.settings), c.threshold is not None, -c.few,
                                      -c.one_per_pair, c.label_threshold is None))
    runs = scores[best]
    return best, Scores(*(sum(getattr(s, f.name) for s in runs) / len(runs) for f in fields(Scores)))


def learn(data: Parsed, onto: BenchmarkOntology, folds: int = 3, seed: int = 0,
          prior: LabelModel | None = None, borrowed: Parsed | None = None) -> tuple[Model, Scores | None]:
    """A model from all of ``data``, applied with the choice grouped cross-validation on ``data`` made
    (``folds`` < 2: the defaults); ``prior``: a label model learned from other ontologies (:meth:`PriorPool.prior_for`);
    ``borrowed``: other ontologies' examples of this one's relations (:func:`borrow`), which the model learns from
    beside ``data`` (the choice is made without them: it is a choice of how much to trust the model's layers,
    and the cross-validation stays four fits per fold)."""
    tune = folds >= 2 and len(data.sentences) >= max(folds, MIN_TUNING)
    choice, cv = choose(data, onto, folds, seed, prior) if tune else (None, None)
    model = fit_model(data.plus(borrowed), seed, prior)
    model.choice = choice
    return model, cv


# --------------------------------------------------------------------------------------------------- priors


def borrow(target: Parsed, sources: Sequence[Parsed], per_relation: int = 30, seed: int = 0) -> Parsed:
    """Other ontologies' example sentences that state relations of ``target``'s ontology (the same name: a
    dataset's ontologies share their vocabulary, as DBpedia's do), with only those triples, parsed under the
    target's relation words, drawn with ``seed``: a sentence is taken while one of its relations has fewer than
    ``per_relation`` borrowed sentences, and counts for each of its relations (so a relation that comes with
    others may pass the cap). A sentence that is one of ``target``'s or shares a triple with one is never borrowed.
    """
    import numpy as np

    keys = {_triple_key(t) for s in target.sentences for t in s.triples}
    texts = {s.sent for s in target.sentences}
    pool = [(s, doc) for src in sources for s, doc in zip(src.sentences, src.docs)]
    order = np.random.default_rng(seed).permutation(len(pool))
    taken: Counter[str] = Counter()
    sentences, docs = [], []
    for i in order:
        sentence, doc = pool[i]
        triples = tuple(t for t in sentence.triples if t[1] in target.words)
        if (not triples or sentence.sent in texts or any(_triple_key(t) in keys for t in sentence.triples)
                or all(taken[t[1]] >= per_relation for t in triples)):
            continue
        taken.update({t[1] for t in triples})
        sentences.append(GoldSentence(sentence.id, sentence.sent, triples))
        docs.append(doc)
    return Parsed(sentences, docs, [sentence_rows(doc, target.words) for doc in docs], target.words, target.signatures)


@dataclass(frozen=True)
class PriorSource:
    """What one ontology's examples give a prior (:func:`prior_pool`): per sentence its text, its triple keys and
    the (features, stated) of its candidates under its own ontology; and the word links of its examples."""

    texts: tuple[str, ...]
    keys: tuple[frozenset[str], ...]
    candidates: tuple[tuple[tuple[tuple[str, ...], bool], ...], ...]
    links: dict[str, frozenset[str]]


def prior_source(data: Parsed) -> PriorSource:
    """The candidates of all of ``data``'s sentences, labelled by their gold triples."""
    triples = [s.triples for s in data.sentences]
    formats = infer_formats(data.signatures, value_formats(triples))
    rows = data.rows_with(lexicon([t for ts in triples for t in ts], formats))
    links = word_links(rows, triples, data.words, formats, {})
    found = training_candidates(rows, triples, {s.relation: s for s in data.signatures}, data.words, formats, {}, links)
    return PriorSource(tuple(s.sent for s in data.sentences), tuple(frozenset(map(_triple_key, s.triples)) for s in data.sentences),
                       tuple(tuple(f) for f in found), links)


@dataclass
class PriorPool:
    """The candidates of several ontologies' examples in one matrix (:func:`prior_pool`), from which a prior is
    learned for each ontology without its own sentences (:meth:`prior_for`).

    ``owner`` and ``sentence``: per row, the source it came from and the index of its sentence in ``texts`` and
    ``keys`` (all sources' sentences in turn)."""

    names: list[str]
    x: object  # scipy.sparse.csr_matrix, one row per kept candidate
    y: object  # numpy bool array
    owner: object  # numpy int array
    sentence: object  # numpy int array
    vocabulary: dict[str, int]
    texts: list[str]
    keys: list[frozenset[str]]
    links: list[dict[str, frozenset[str]]]

    def prior_for(self, name: str, exclude: Sequence[GoldSentence] = ()) -> LabelModel | None:
        """A prior from every source but ``name``, without any sentence that is one of ``exclude`` or shares a
        triple with one (so a prior never saw a sentence it is scored on, nor one of its triples). None when
        nothing is left to learn from."""
        import numpy as np

        keys = {_triple_key(t) for s in exclude for t in s.triples}
        texts = {s.sent for s in exclude}
        banned = np.array([text in texts or bool(ks & keys) for text, ks in zip(self.texts, self.keys)], dtype=bool)
        own = self.names.index(name) if name in self.names else -1
        rows = np.flatnonzero((self.owner != own) & ~banned[self.sentence])
        links: dict[str, set[str]] = {}
        for n, source_links in enumerate(self.links):
            if n != own:
                for word, lemmas in source_links.items():
                    links.setdefault(word, set()).update(lemmas)
        try:
            return learn_prior(self.x[rows], self.y[rows], self.vocabulary, {w: frozenset(ls) for w, ls in links.items()})
        except ValueError:
            return None


def prior_pool(sources: dict[str, PriorSource], negatives: float = 0.2, seed: int = 0) -> PriorPool:
    """One matrix of the ``sources``' candidates: every stated one and a ``negatives`` share of the others, drawn
    with ``seed`` (a prior only ranks; the ontology's own model calibrates it)."""
    import numpy as np

    rng = np.random.default_rng(seed)
    examples, owner, sentence, texts, keys = [], [], [], [], []
    for n, src in enumerate(sources.values()):
        for text, ks, found in zip(src.texts, src.keys, src.candidates):
            draws = rng.random(len(found))
            for (features, stated), draw in zip(found, draws):
                if stated or draw < negatives:
                    examples.append((features, stated))
                    owner.append(n)
                    sentence.append(len(texts))
            texts.append(text)
            keys.append(ks)
    x, y, vocabulary = design_matrix(examples)
    return PriorPool(list(sources), x, y, np.array(owner), np.array(sentence), vocabulary, texts, keys,
                     [src.links for src in sources.values()])
