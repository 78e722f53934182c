"""A relation classifier for any ontology, learned from its example sentences: which relation joins two mentions.

In: parsed sentences, the ontology's relation labels and, to learn, each sentence's gold triples
``(subject, relation, object)`` as the examples write them. Out: triples ``(subject text, relation, object
value)`` with a probability.

The model is the news classifier's (:class:`~kg.extract.classifier.RelationModel`, trained as
:func:`kg.train.fit` trains it, by :func:`fit_pairs`): every pair of mentions of a sentence (``a`` before ``b``) is one example, labelled
``"<relation>>"`` when ``a`` is the subject, ``"<relation><"`` when ``b`` is, ``""`` otherwise. Mentions are
the pattern learner's (:func:`~kg.extract.patterns.candidates`: the sentence's topic, entities, name runs, noun
phrases, modifiers) plus each whole entity span, so an object keeps its whole name. Features carry across
entities: :func:`~kg.extract.classifier.pair_features` (mention kinds, dependency path, lemmas between and
around), the pattern learner's path signatures seen from each side, and the ontology's own words: ``lw:<relation>``
when a word of the relation's label ("director", "cast member", "musicComposer") is on the path or between the
mentions, ``ln:`` when it is next to one of them, ``ls:`` when it is elsewhere in the sentence.

Decoding keeps, per relation, the pairs within ``margin`` of the sentence's best that reach ``threshold``;
objects are written the way the examples write them (dates "01 January 1995", numbers "98.0", learned aliases).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
from spacy.tokens import Doc, Span

from .classifier import NO_RELATION, RelationModel, pair_features
from .mentions import ArgMention
from .patterns import (Candidate, _matches, _noun_chunks, _norm, _Parse, _signatures, _strip, candidates, chunk_bounds,
                       per_doc, render_value, sentence_candidates)

__all__ = ["OntologyClassifier", "PairRow", "label_words", "lexicon", "sentence_rows", "text_rows", "pair_labels", "fit_pairs", "learn_classifier"]

Triple = tuple[str, str, str]
_MAX_TOKENS = 40  # pairs further apart than this are not considered
_STOP = {"of", "in", "the", "by", "for", "on", "to", "a", "an", "at", "from", "with", "or", "and", "is", "has", "its", "name",
         "number", "date", "type", "id"}
_SIG_LEVELS = ("local", "trigger", "shape")


def label_words(relation: str) -> tuple[str, ...]:
    """The words of a relation label that may be written in a sentence: "musicComposer" -> ("music", "composer").

    >>> label_words("cast member"), label_words("numberOfPages"), label_words("spacecraft docking/undocking date")
    (('cast', 'member'), ('pages',), ('spacecraft', 'docking', 'undocking'))
    """
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", relation)
    return tuple(w for w in (w.lower() for w in re.findall(r"[A-Za-z]+", spaced)) if w not in _STOP and len(w) > 2)


def _word_match(lemma: str, word: str) -> bool:
    """A sentence lemma writes a label word: the same, the same Porter stem ("star", "starring"; "broadcast",
    "broadcasted"), or sharing a stem of five letters ("direct", "director").

    >>> _word_match("star", "starring"), _word_match("direct", "director"), _word_match("star", "state")
    (True, True, False)
    """
    if lemma == word or _stem(lemma) == _stem(word):
        return True
    short, long_ = sorted((lemma, word), key=len)
    return len(short) >= 5 and long_.startswith(short[: max(5, len(short) - 2)])


@lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    return _stemmer().stem(word)


@lru_cache(maxsize=1)
def _stemmer():
    from nltk.stem import PorterStemmer

    return PorterStemmer()


@dataclass(frozen=True)
class PairRow:
    """A mention pair of a sentence (``a`` before ``b``) with its features."""

    a: Candidate
    b: Candidate
    features: tuple[str, ...]


_GENERIC_HEADS = {"film", "movie", "series", "novel", "book", "game", "album", "song", "show", "programme", "program",
                  "episode", "single", "band", "company", "language", "genre", "style"}
_LEAD_STOPS = {"be", "("}


def _lead(doc: Doc) -> tuple[int, int] | None:
    """The words a text opens with before its first "is"/"was" or bracket: the thing it is about, even when the
    parser cut the name at a colon or an exclamation mark."""
    for t in doc[:16]:
        if t.lemma_ in _LEAD_STOPS or t.text in _LEAD_STOPS or (t.text == "," and t.i + 1 < len(doc) and doc[t.i + 1].text[:1].islower()):
            start, end = _strip(doc, 0, t.i)
            if end > start and (doc[start].text[:1].isupper() or doc[start].like_num):
                return start, end
            return None
    return None


def lexicon(triples: Sequence[Triple], formats: dict[str, str]) -> frozenset[str]:
    """The objects the examples name, folded (case, punctuation and a disambiguator aside): a text that writes
    one ("killed in action", "Aluf") is a mention even where the parse makes no phrase of it. Dates and numbers
    (relations with a value format) are left to the value readers."""
    return frozenset(key for _, rel, obj in triples if not formats.get(rel)
                     for key in [_norm(obj)] if len(key) >= 3 and len(obj.split()) <= 6)


def _spans_folded(doc: Doc) -> list[tuple[int, int, str]]:
    """(start, end, folded text) of every run of up to six words that does not open with punctuation, in text
    order; worked out once per document."""

    def make() -> list[tuple[int, int, str]]:
        out = []
        for start in range(len(doc)):
            if doc[start].is_punct:
                continue
            for end in range(start + 1, min(len(doc), start + 6) + 1):
                out.append((start, end, _norm(doc[start:end].text)))
        return out

    return per_doc(doc, "spans_folded", make)


def _lexicon_spans(doc: Doc, known: frozenset[str]) -> Iterator[tuple[int, int]]:
    for start, end, key in _spans_folded(doc):
        if key in known:
            yield start, end


def mentions(doc: Doc, chunks: Sequence[Span], known: frozenset[str] = frozenset()) -> list[Candidate]:
    """The pattern learner's mentions of each sentence, each whole entity span, the text's opening name, and the
    parts of a mention a name may hide in: after a possessive ("Tolkien's The Hobbit"), without a leading number
    or nationality ("2007 comedy horror"), without a generic head ("comedy horror film"), two names joined by a comma ("Austin, Texas"), a
    name and the number after it ("Apollo 12", where the parser tags "Apollo" and "12" apart); and every run of
    words that spells a ``known`` object (:func:`lexicon`). Text order."""
    # the mentions that depend on no examples are worked out once per document and set of chunks
    base, taken_base = per_doc(doc, ("mentions", tuple((c.start, c.end) for c in chunks)), lambda: _named_mentions(doc, chunks))
    found, taken = list(base), set(taken_base)
    add = _adder(doc, found, taken)
    for start, end in _lexicon_spans(doc, known) if known else ():
        add(start, end, "LEX")
    for chunk in chunks:  # "a 1983 American black comedy horror film": the genre is some of its modifiers
        mods = [t.i for t in doc[chunk.start:chunk.root.i]
                if t.dep_ in ("compound", "amod", "nmod") and not t.like_num and t.ent_type_ not in ("DATE", "CARDINAL", "NORP")]
        if len(mods) < 2:
            continue
        for length in (1, 2, 3):
            for n in range(len(mods) - length + 1):
                if mods[n + length - 1] - mods[n] == length - 1:
                    add(mods[n], mods[n] + length, "SUB")
    return sorted(found, key=lambda c: (c.start, -c.end))


def _adder(doc: Doc, found: list[Candidate], taken: set[tuple[int, int]]) -> Callable[[int, int, str], None]:
    """A function that adds the mention ``doc[start:end]`` of a kind to ``found`` unless ``taken`` has it."""

    def add(start: int, end: int, kind: str) -> None:
        start, end = _strip(doc, start, end)
        if end > start and (start, end) not in taken and any(ch.isalnum() for ch in doc[start:end].text):
            taken.add((start, end))
            found.append(Candidate(re.sub(r"^(?:the|a|an)\s+(?=\S)", "", doc[start:end].text), doc[start:end].root.i,
                                   kind, start, end))

    return add


def _named_mentions(doc: Doc, chunks: Sequence[Span]) -> tuple[list[Candidate], set[tuple[int, int]]]:
    """The mentions of :func:`mentions` that depend on no examples and come before those spelling a known object:
    the pattern learner's, the text's opening name, whole entities, parts and joined names; with their spans."""
    found: list[Candidate] = []
    usual = [(c.start, c.end) for c in chunks] == [(start, end) for start, end, _ in chunk_bounds(doc)]
    for sent in doc.sents:
        found += sentence_candidates(sent) if usual else candidates(sent, chunks)
    taken = {(c.start, c.end) for c in found}
    add = _adder(doc, found, taken)
    lead = _lead(doc)
    if lead is not None:
        add(*lead, "LEAD")
    for ent in doc.ents:
        add(ent.start, ent.end, ent.label_)
    for c in list(found):
        if c.end - c.start < 2:
            continue
        for t in doc[c.start:c.end - 1]:
            if t.tag_ == "POS":
                add(t.i + 1, c.end, "PART")
                add(c.start, t.i, "PART")
        start = c.start
        while start < c.end - 1 and (doc[start].like_num or doc[start].ent_type_ in ("DATE", "NORP", "CARDINAL")):
            start += 1
        end = c.end
        if doc[end - 1].lower_ in _GENERIC_HEADS and end - start > 1:
            end -= 1
        if (start, end) != (c.start, c.end):
            add(start, end, "PART")
    for c in list(found):  # "Apollo 12", "Shenzhou 10": a name and the number after it, tagged apart
        after = c.end
        if (after < len(doc) and doc[after].text.isdigit() and doc[after].ent_type_ in ("", "CARDINAL")
                and doc[after - 1].text[:1].isupper() and not (after + 1 < len(doc) and doc[after + 1].like_num)):
            add(c.start, after + 1, "JOIN")
    named = sorted({(c.start, c.end) for c in found if doc[c.start].text[:1].isupper()})
    ends = {}
    for start, end in named:
        ends.setdefault(start, []).append(end)
    for start, end in named:  # "Cuyahoga County, Ohio", "Austin, Texas": a place named with the place it is in
        if end < len(doc) and doc[end].text == ",":
            for after in ends.get(end + 1, ()):
                add(start, after, "JOIN")
    return found, taken


def _arg(c: Candidate) -> ArgMention:
    return ArgMention(c.start, c.end, c.root, c.kind, c.text)


def text_rows(doc: Doc, words: dict[str, tuple[str, ...]], known: frozenset[str] = frozenset(),
              base: list[PairRow] | None = None) -> list[PairRow]:
    """:func:`sentence_rows` without the examples' objects, plus the pairs with a mention that spells one of
    ``known``; ``base``: the first part, when the caller has it already (it depends on no examples)."""
    base = sentence_rows(doc, words) if base is None else base
    return base + sentence_rows(doc, words, known, lexicon_only=True) if known else list(base)


def sentence_rows(doc: Doc, words: dict[str, tuple[str, ...]], known: frozenset[str] = frozenset(),
                  lexicon_only: bool = False) -> list[PairRow]:
    """Every pair of non-overlapping mentions of a text at most 40 tokens apart, with features (a benchmark
    "sentence" may be two: pairs cross the parser's sentence breaks).

    ``words``: relation -> :func:`label_words`; ``known``: the examples' objects (:func:`lexicon`), with
    ``lexicon_only`` only the pairs one of whose mentions spells one.
    """
    cands = mentions(doc, _noun_chunks(doc), known)
    if lexicon_only and not any(c.kind == "LEX" for c in cands):
        return []
    words_key = tuple(words.items())
    context = per_doc(doc, ("row_context", words_key), lambda: _RowContext.of(doc, words))
    seen: dict[tuple, tuple[str, ...]] = per_doc(doc, ("pair_features", words_key), dict)
    first = min((c.start for c in cands), default=0)
    rows = []
    for i, a in enumerate(cands):
        for n, b in enumerate(cands[i + 1:], i + 1):
            if b.start < a.end:
                continue
            if b.start - a.end > _MAX_TOKENS:
                break
            if lexicon_only and a.kind != "LEX" and b.kind != "LEX":
                continue
            between = sum(1 for c in cands[i + 1:n] if c.start >= a.end and c.end <= b.start)
            key = (a, b, between, first)
            feats = seen.get(key)
            if feats is None:
                feats = seen[key] = _row_features(doc, context, a, b, between, first)
            rows.append(PairRow(a, b, feats))
    return rows


@dataclass(frozen=True)
class _RowContext:
    """What the features of every pair of a text share: its parse, lemmas, and the relations each lemma writes a
    word of (``writes``; ``in_text``: all of them)."""

    parse: _Parse
    lemmas: list[str]
    writes: dict[str, frozenset[str]]
    in_text: frozenset[str]

    @classmethod
    def of(cls, doc: Doc, words: dict[str, tuple[str, ...]]) -> _RowContext:
        lemmas = [t.lemma_.lower() for t in doc]
        writes = {lem: frozenset(rel for rel, ws in words.items() if any(_word_match(lem, w) for w in ws)) for lem in set(lemmas)}
        return cls(_Parse.cached(doc), lemmas, writes, frozenset().union(*writes.values()))


def _row_features(doc: Doc, context: _RowContext, a: Candidate, b: Candidate, between: int, first: int) -> tuple[str, ...]:
    """The features of the pair (``a`` before ``b``) with ``between`` mentions between them, in a text whose first
    mention starts at ``first``."""
    lemmas, writes = context.lemmas, context.writes
    feats = pair_features(doc, _arg(a), _arg(b), between)
    full = ""
    for side, (x, y) in (("f", (a, b)), ("r", (b, a))):
        sigs = _signatures(context.parse, x.root, y.root)
        full = full or sigs.get("full", "")
        feats += [f"{side}{level}:{x.kind}|{sigs[level]}" for level in _SIG_LEVELS if level in sigs]
    near = {lemmas[j] for j in (*range(max(0, a.start - 3), a.start), *range(b.end, min(len(doc), b.end + 3)))}
    near |= set(lemmas[a.start:a.end]) | set(lemmas[b.start:b.end])
    on_path = set(lemmas[a.end:b.start]) | set(full.split())
    path_rels = frozenset().union(*(writes.get(lem, ()) for lem in on_path))
    near_rels = frozenset().union(*(writes[lem] for lem in near)) - path_rels
    feats += [f"lw:{rel}" for rel in sorted(path_rels)]
    feats += [f"ln:{rel}" for rel in sorted(near_rels)]
    feats += [f"ls:{rel}" for rel in sorted(context.in_text - path_rels - near_rels)]
    feats.append(f"len:{min(a.end - a.start, 4)}|{min(b.end - b.start, 4)}")
    feats.append(f"first:{a.start == first}|{a.kind}")
    feats.append(f"sents:{doc[a.start].sent.start == doc[b.start].sent.start}")
    return tuple(feats)


def pair_labels(row: PairRow, triples: Sequence[Triple], formats: dict[str, str],
                aliases: dict[tuple[str, str], str]) -> list[str]:
    """The labels of a pair under a sentence's gold triples (``[""]`` when it states none)."""
    labels = []
    for s, rel, o in triples:
        style = formats.get(rel)
        for x, y, mark in ((row.a, row.b, ">"), (row.b, row.a, "<")):
            if _matches(x, s, None) and (_matches(y, o, style) or aliases.get((rel, y.text.lower())) == o):
                labels.append(rel + mark)
    return sorted(set(labels)) or [NO_RELATION]


@dataclass
class OntologyClassifier:
    """A learned relation model with how its objects are written and the thresholds it is applied with."""

    model: RelationModel
    formats: dict[str, str] = field(default_factory=dict)
    aliases: dict[tuple[str, str], str] = field(default_factory=dict)
    threshold: float = 0.3
    margin: float = 0.2
    known: frozenset[str] = frozenset()
    setup: dict = field(default_factory=dict)  # how the caller applies it beside patterns (kg.learn), kept in the file

    def render(self, rel: str, obj: Candidate) -> str | None:
        """The object as the examples write it: an alias, a date or number in their format, else its text."""
        alias = self.aliases.get((rel, obj.text.lower()))
        if alias:
            return alias
        style = self.formats.get(rel)
        return render_value(obj.text, style) if style else obj.text

    def scored(self, rows: Sequence[PairRow]) -> list[tuple[float, Triple]]:
        """Every (probability, triple) the model gives any relation for the pairs of one sentence, best first;
        one subject per (relation, object)."""
        if not rows:
            return []
        probs = self.model.probabilities([list(r.features) for r in rows])
        best: dict[tuple[str, str], tuple[float, Triple]] = {}
        for row, p in zip(rows, probs):
            for k in np.flatnonzero(p >= 0.02):
                label = self.model.labels[k]
                if not label:
                    continue
                rel, forward = label[:-1], label[-1] == ">"
                sub, obj = (row.a, row.b) if forward else (row.b, row.a)
                value = self.render(rel, obj)
                if value is None:
                    continue
                key = (rel, value.lower())
                if key not in best or best[key][0] < p[k]:
                    best[key] = (float(p[k]), (sub.text, rel, value))
        return sorted(best.values(), key=lambda x: (-x[0], x[1]))

    def decode(self, scored: Sequence[tuple[float, Triple]], threshold: float | None = None,
               margin: float | None = None) -> list[Triple]:
        """The triples of :meth:`scored` that reach the threshold and are within ``margin`` of their relation's best."""
        threshold = self.threshold if threshold is None else threshold
        margin = self.margin if margin is None else margin
        top: dict[str, float] = {}
        out = []
        for p, triple in scored:
            rel = triple[1]
            top.setdefault(rel, p)
            if p >= threshold and p >= top[rel] - margin:
                out.append(triple)
        return out

    def extract(self, doc: Doc, words: dict[str, tuple[str, ...]]) -> list[Triple]:
        """The triples of one parsed text."""
        return self.decode(self.scored(text_rows(doc, words, self.known)))

    def save(self, path: str | Path) -> None:
        """Write the classifier as a ``.npz`` (see :meth:`RelationModel.save`); formats, aliases and settings go in its meta."""
        meta = dict(self.model.meta, formats=self.formats, margin=self.margin, lexicon=sorted(self.known), setup=self.setup,
                    aliases=[[r, t, label] for (r, t), label in sorted(self.aliases.items())])
        RelationModel(self.model.labels, self.model.vocabulary, self.model.weights, self.model.bias,
                      self.threshold, meta).save(path)

    @classmethod
    def load(cls, path: str | Path) -> OntologyClassifier:
        """Read a classifier :meth:`save` wrote; RelationModelError when the file is missing or foreign."""
        model = RelationModel.load(path)
        aliases = {(r, t): label for r, t, label in model.meta.get("aliases", [])}
        return cls(model, dict(model.meta.get("formats", {})), aliases, model.threshold, float(model.meta.get("margin", 0.2)),
                   frozenset(model.meta.get("lexicon", ())), dict(model.meta.get("setup", {})))


def training_examples(rows_by_sentence: Sequence[Sequence[PairRow]], triples_by_sentence: Sequence[Sequence[Triple]],
                      formats: dict[str, str], aliases: dict[tuple[str, str], str],
                      negatives: float = 1.0, seed: int = 0) -> Iterator[tuple[int, tuple[str, ...], str]]:
    """(sentence number, features, label) of every labelled pair; a pair with two relations gives two examples.

    ``negatives``: the share of pairs with no relation kept, drawn with ``seed`` (the same share and seed keep
    the same pairs)."""
    rng = np.random.default_rng(seed)
    for n, (rows, triples) in enumerate(zip(rows_by_sentence, triples_by_sentence)):
        draws = rng.random(len(rows))
        for row, draw in zip(rows, draws):
            labels = pair_labels(row, triples, formats, aliases)
            if labels == [NO_RELATION] and draw >= negatives:
                continue
            for label in labels:
                yield n, row.features, label


def fit_pairs(examples: Sequence[tuple[tuple[str, ...], str]], *, c: float = 0.3, min_count: int = 2,
              tol: float = 1e-3, meta: dict | None = None) -> RelationModel:
    """A :class:`RelationModel` from (features, label) examples: the same multinomial logistic regression as
    :func:`kg.train.fit` (which trains the news model), to a looser tolerance, since an ontology's model is fitted
    once per fold while its thresholds are chosen. Deterministic, and the same on any number of cores: BLAS runs
    on one thread (the problem is small; several threads only contend, and split the sums differently).
    ValueError when only one label occurs."""
    from scipy.sparse import csr_matrix
    from sklearn.linear_model import LogisticRegression
    from threadpoolctl import threadpool_limits  # a dependency of scikit-learn

    counts: dict[str, int] = {}
    for features, _ in examples:
        for f in set(features):
            counts[f] = counts.get(f, 0) + 1
    vocabulary = {f: i for i, f in enumerate(sorted(f for f, n in counts.items() if n >= min_count))}
    labels = sorted({label for _, label in examples} | {NO_RELATION})
    if len(labels) < 2:
        raise ValueError("no example states a relation")
    label_index = {label: i for i, label in enumerate(labels)}
    rows, cols = [], []
    for r, (features, _) in enumerate(examples):
        for f in sorted({vocabulary[f] for f in features if f in vocabulary}):
            rows.append(r)
            cols.append(f)
    x = csr_matrix((np.ones(len(rows), dtype=np.float32), (rows, cols)), shape=(len(examples), len(vocabulary)))
    y = np.array([label_index[label] for _, label in examples])
    with threadpool_limits(limits=1, user_api="blas"):
        classifier = LogisticRegression(C=c, max_iter=500, tol=tol).fit(x, y)
    weights = np.zeros((len(vocabulary), len(labels)), dtype=np.float32)
    bias = np.zeros(len(labels), dtype=np.float32)
    if len(classifier.classes_) > 2:
        for k, label_id in enumerate(classifier.classes_):
            weights[:, label_id], bias[label_id] = classifier.coef_[k], classifier.intercept_[k]
    else:  # one relation: the binary model's one weight vector, split between the two labels
        weights[:, 1], bias[1] = classifier.coef_[0] / 2, classifier.intercept_[0] / 2
        weights[:, 0], bias[0] = -classifier.coef_[0] / 2, -classifier.intercept_[0] / 2
    info = dict(meta or {}, examples=len(examples), positives=sum(1 for _, label in examples if label),
                features=len(vocabulary), c=c, min_count=min_count)
    return RelationModel(tuple(labels), vocabulary, weights, bias, 0.3, info)


def learn_classifier(rows_by_sentence: Sequence[Sequence[PairRow]], triples_by_sentence: Sequence[Sequence[Triple]],
                     formats: dict[str, str], aliases: dict[tuple[str, str], str], *, c: float = 0.3,
                     min_count: int = 2, negatives: float = 0.25, seed: int = 0, meta: dict | None = None,
                     known: frozenset[str] = frozenset()) -> OntologyClassifier:
    """Fit a classifier on the pairs of each sentence (``rows_by_sentence``, from :func:`text_rows`) and its
    gold triples, keeping a ``negatives`` share of the pairs with no relation. Deterministic: the same rows,
    options and seed give the same weights. ValueError when no pair states a relation."""
    examples = [(features, label) for _, features, label
                in training_examples(rows_by_sentence, triples_by_sentence, formats, aliases, negatives, seed)]
    model = fit_pairs(examples, c=c, min_count=min_count,
                      meta=dict(meta or {}, kind="ontology", negatives=negatives, seed=seed))
    return OntologyClassifier(model, dict(formats), dict(aliases), known=known)
