"""Which relation of an ontology a mention pair states, read off the relations' labels, domains and ranges: a model
that carries to relations with few or no examples.

In: the mention pairs of parsed sentences (:class:`~kg.extract.ontology_classifier.PairRow`, whose features say
where a word of each relation's label is: ``lw:`` between or on the path, ``ln:`` next to a mention, ``ls:``
elsewhere), each relation's domain and range (:class:`RelationSignature`) and, to learn, each sentence's gold
triples. Out: triples ``(subject text, relation, object value)`` with a probability.

The relation classifier (:mod:`kg.extract.ontology_classifier`) learns one weight per feature and relation, so it
knows nothing of a relation it saw no example of. This model scores a (pair, relation) candidate by features that
name no relation: where the relation's label words are, whether the subject and object fit its domain and range
(a ``Date`` range and a date, a ``Person`` range and a PERSON entity, a ``City`` range and a place), whether a word
that the examples wrote for a label word is on the path ("die" for "death", learned from ``deathDate`` examples,
then read for ``deathPlace``), the path and the words between, and whether the subject is the text's first
mention. What it learns from one relation's examples it applies to every other.

>>> value_class("Date"), value_class("Person"), value_class("Timezone"), value_class("")
('date', 'PERSON', 'other', 'thing')
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from .ontology_classifier import PairRow, pair_labels
from .patterns import Candidate, render_value

__all__ = ["RelationSignature", "LabelModel", "value_class", "infer_formats", "training_candidates", "design_matrix", "fit_matrix", "fit_logistic",
           "learn_label_model", "learn_prior", "word_links", "top_triples"]

Triple = tuple[str, str, str]

# The head word of a class label -> the spaCy entity label its instances usually carry.
_NER_BY_HEAD = {
    "human": "PERSON", "person": "PERSON", "people": "PERSON", "artist": "PERSON", "actor": "PERSON",
    "writer": "PERSON", "author": "PERSON", "musician": "PERSON", "politician": "PERSON", "athlete": "PERSON",
    "scientist": "PERSON", "astronaut": "PERSON", "leader": "PERSON", "character": "PERSON",
    "organisation": "ORG", "organization": "ORG", "company": "ORG", "club": "ORG", "band": "ORG", "team": "ORG",
    "university": "ORG", "school": "ORG", "publisher": "ORG", "party": "ORG", "airline": "ORG",
    "city": "GPE", "country": "GPE", "state": "GPE", "municipality": "GPE", "place": "GPE", "location": "GPE",
    "settlement": "GPE", "region": "GPE", "language": "LANGUAGE", "demonym": "NORP", "ethnicgroup": "NORP",
    "nationality": "NORP", "religion": "NORP", "film": "WORK_OF_ART", "work": "WORK_OF_ART", "book": "WORK_OF_ART",
    "album": "WORK_OF_ART", "song": "WORK_OF_ART", "series": "WORK_OF_ART", "writtenwork": "WORK_OF_ART",
    "award": "WORK_OF_ART", "event": "EVENT",
}
_NUMBER_RANGES = {"number", "double", "float", "integer", "nonnegativeinteger", "decimal", "quantity"}
_VALUE_STYLES = {"date": "date-iso", "year": "number-int", "number": "number-float"}  # when no example shows one
_OPEN_CLASSES = {"other", "thing", "string"}  # ranges no kind of mention is sure to fit or not
_MAX_CANDIDATES = 60  # relations looked at per pair (the ontology's value relations and those its words point at)


@lru_cache(maxsize=4096)
def value_class(label: str) -> str:
    """What a domain or range holds, in terms a mention can be checked against: "date", "year", "number",
    "string", a spaCy entity label ("PERSON", "GPE" ...), "other" for a class spaCy does not name, "thing" for none."""
    words = [w.lower() for w in re.findall(r"[A-Za-z]+", re.sub(r"(?<=[a-z])(?=[A-Z])", " ", label))]
    if not words:
        return "thing"
    low = label.lower()
    if words[-1] in ("date", "time") and len(words) <= 2:
        return "date"
    if words[-1] == "year":
        return "year"
    if low in _NUMBER_RANGES:
        return "number"
    if low == "string":
        return "string"
    return _NER_BY_HEAD.get(low.replace(" ", ""), _NER_BY_HEAD.get(words[-1], "other"))


@dataclass(frozen=True)
class RelationSignature:
    """A relation with the labels of its domain and range (empty when the ontology gives none)."""

    relation: str
    domain: str = ""
    range: str = ""

    @property
    def domain_class(self) -> str:
        return value_class(self.domain)

    @property
    def range_class(self) -> str:
        return value_class(self.range)


def infer_formats(signatures: Sequence[RelationSignature], formats: Mapping[str, str]) -> dict[str, str]:
    """``formats`` (relation -> value style the examples showed) with a style for every relation whose range is a
    date, a year or a number: the style of most relations with the same range, else of the same kind of range,
    else the plain one ("date-iso", "number-int", "number-float")."""
    by_range: dict[str, Counter] = defaultdict(Counter)
    by_class: dict[str, Counter] = defaultdict(Counter)
    for sig in signatures:
        style = formats.get(sig.relation)
        if style:
            by_range[sig.range][style] += 1
            by_class[sig.range_class][style] += 1
    out = dict(formats)
    for sig in signatures:
        if sig.relation in out or sig.range_class not in _VALUE_STYLES:
            continue
        votes = by_range.get(sig.range) or by_class.get(sig.range_class)
        out[sig.relation] = votes.most_common(1)[0][0] if votes else _VALUE_STYLES[sig.range_class]
    return out


@lru_cache(maxsize=65536)
def _row_summary(features: tuple[str, ...]) -> tuple[dict[str, str], frozenset[str], tuple[str, ...]]:
    """A pair's label positions (:func:`_label_positions`), the words on its path or between its mentions, and
    its features that describe the pair itself; worked out once per pair (cross-validation reads pairs again)."""
    on_path = frozenset(f.split(":", 1)[1] for f in features if f.startswith(_PATH_WORDS))
    return _label_positions(features), on_path, tuple(f for f in features if f.startswith(_PAIR_PREFIXES))


def _label_positions(features: Sequence[str]) -> dict[str, str]:
    """relation -> where a word of its label is, for one pair: "lw" (between or on the path), "ln" (next to a
    mention), "ls" (elsewhere in the text)."""
    out: dict[str, str] = {}
    for f in features:
        kind, _, rel = f.partition(":")
        if kind in ("lw", "ln", "ls"):
            out[rel] = kind
    return out


_PAIR_PREFIXES = ("k:", "lca:", "dist:", "mid:", "bws:", "path:", "first:", "sents:", "len:")
_PATH_WORDS = ("pl:", "bw:", "lca:")


def word_links(rows_by_sentence: Sequence[Sequence[PairRow]], triples_by_sentence: Sequence[Sequence[Triple]],
               words: Mapping[str, tuple[str, ...]], formats: Mapping[str, str], aliases: Mapping[tuple[str, str], str],
               min_count: int = 2) -> dict[str, frozenset[str]]:
    """Label word -> the words the examples write on the path or between the mentions of its relations' gold
    pairs ("death" -> {"die"} from "died on" in ``deathDate`` examples), kept when seen at least ``min_count`` times
    and at least as often with gold pairs as without."""
    gold: Counter[tuple[str, str]] = Counter()
    seen: Counter[str] = Counter()
    for rows, triples in zip(rows_by_sentence, triples_by_sentence):
        for row in rows:
            lemmas = {f.split(":", 1)[1] for f in row.features if f.startswith(_PATH_WORDS)}
            seen.update(lemmas)
            for label in pair_labels(row, triples, dict(formats), dict(aliases)):
                for word in words.get(label[:-1], ()) if label else ():
                    gold.update((word, lemma) for lemma in lemmas)
    links: dict[str, set[str]] = defaultdict(set)
    for (word, lemma), n in gold.items():
        if n >= min_count and 2 * n >= seen[lemma] and lemma.isalpha() and len(lemma) > 2:
            links[word].add(lemma)
    return {word: frozenset(lemmas) for word, lemmas in links.items()}


@dataclass
class LabelModel:
    """A relation-blind logistic model over (pair, relation, direction) candidates (see the module docstring).

    ``weights``: feature -> weight; ``bias``; ``signatures``: relation -> its domain and range; ``formats``:
    relation -> value style; ``links``: label word -> the words the examples write for it; ``prior``: a model
    learned from other ontologies' examples (:func:`learn_prior`), whose logit counts ``prior_weight`` times."""

    weights: dict[str, float]
    bias: float
    signatures: dict[str, RelationSignature] = field(default_factory=dict)
    words: dict[str, tuple[str, ...]] = field(default_factory=dict)
    formats: dict[str, str] = field(default_factory=dict)
    aliases: dict[tuple[str, str], str] = field(default_factory=dict)
    links: dict[str, frozenset[str]] = field(default_factory=dict)
    prior: LabelModel | None = None
    prior_weight: float = 0.0

    def logit(self, features: Sequence[str]) -> float:
        """The log-odds that a candidate with these features is a triple the text states."""
        z = self.bias + sum(self.weights.get(f, 0.0) for f in features)
        if self.prior is not None and self.prior_weight:
            z += self.prior_weight * self.prior.logit(features)
        return z

    def scored(self, rows: Sequence[PairRow]) -> list[tuple[float, Triple]]:
        """Every (probability, triple) of one text's pairs, best first; one subject per (relation, object)."""
        best: dict[tuple[str, str], tuple[float, Triple]] = {}
        for row in rows:
            for sub, rel, obj, feats in candidates(row, self.signatures, self.words, self.formats, self.links):
                value = _render(obj, rel, self.formats, self.aliases)
                if value is None:
                    continue
                p = _sigmoid(self.logit(feats))
                key = (rel, value.lower())
                if key not in best or best[key][0] < p:
                    best[key] = (p, (sub.text, rel, value))
        return sorted(best.values(), key=lambda x: (-x[0], x[1]))

    def to_dict(self) -> dict:
        """A JSON-ready form (see :meth:`from_dict`)."""
        return {"weights": dict(sorted(self.weights.items())), "bias": self.bias,
                "signatures": [[s.relation, s.domain, s.range] for s in self.signatures.values()],
                "words": {rel: list(ws) for rel, ws in self.words.items()}, "formats": dict(self.formats),
                "aliases": [[r, t, v] for (r, t), v in sorted(self.aliases.items())],
                "links": {w: sorted(ls) for w, ls in sorted(self.links.items())},
                "prior": self.prior.to_dict() if self.prior is not None else None, "prior_weight": self.prior_weight}

    @classmethod
    def from_dict(cls, data: Mapping) -> LabelModel:
        """The model :meth:`to_dict` wrote."""
        prior = data.get("prior")
        return cls(dict(data["weights"]), float(data["bias"]),
                   {r: RelationSignature(r, d, g) for r, d, g in data.get("signatures", [])},
                   {rel: tuple(ws) for rel, ws in data.get("words", {}).items()}, dict(data.get("formats", {})),
                   {(r, t): v for r, t, v in data.get("aliases", [])},
                   {w: frozenset(ls) for w, ls in data.get("links", {}).items()},
                   cls.from_dict(prior) if prior else None, float(data.get("prior_weight", 0.0)))


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def _render(obj: Candidate, rel: str, formats: Mapping[str, str], aliases: Mapping[tuple[str, str], str]) -> str | None:
    alias = aliases.get((rel, obj.text.lower()))
    if alias:
        return alias
    style = formats.get(rel)
    return render_value(obj.text, style) if style else obj.text


def _kind(c: Candidate) -> str:
    return c.kind if c.kind.isupper() else "X"


def candidates(row: PairRow, signatures: Mapping[str, RelationSignature], words: Mapping[str, tuple[str, ...]],
               formats: Mapping[str, str], links: Mapping[str, frozenset[str]]) -> Iterator[tuple[Candidate, str, Candidate, list[str]]]:
    """(subject, relation, object, features) of the relations a pair may state, both ways round: those a word of
    whose label is between the two mentions, on the path or next to one of them, or a word the examples write
    for one is; a relation whose range is a value only when the object renders as one."""
    positions, on_path, pair = _row_summary(row.features)
    linked = {rel for rel, ws in words.items() if any(on_path & links.get(w, frozenset()) for w in ws)} if on_path and links else set()
    looked = 0
    near = [rel for rel, at in positions.items() if at in ("lw", "ln")]
    for rel in near + sorted(linked.difference(near)):
        sig = signatures.get(rel)
        if sig is None:
            continue
        position = positions.get(rel, "none")
        style = formats.get(rel)
        looked += 1
        if looked > _MAX_CANDIDATES:
            return
        for mark, sub, obj in ((">", row.a, row.b), ("<", row.b, row.a)):
            if style and render_value(obj.text, style) is None:
                continue
            yield sub, rel, obj, _features(mark, sub, obj, sig, position, rel in linked, bool(style), pair)


def _features(mark: str, sub: Candidate, obj: Candidate, sig: RelationSignature, position: str, linked: bool,
              valued: bool, pair: Sequence[str]) -> list[str]:
    rc, dc = sig.range_class, sig.domain_class
    sk, ok = _kind(sub), _kind(obj)
    fit = "value" if valued else "yes" if rc == ok else "open" if rc in _OPEN_CLASSES else "no"
    feats = [f"pos:{position}", f"pos:{position}|{mark}", f"pos:{position}|{fit}", f"rng:{rc}|{ok}", f"dom:{dc}|{sk}",
             f"fit:{fit}", f"fit:{fit}|{mark}", f"link:{linked}|{position}", f"rel:{sig.relation}",
             f"rel:{sig.relation}|{position}", f"rel:{sig.relation}|{mark}"]
    feats += [f"{mark}{f}" for f in pair]
    feats += [f"{position}|{mark}{f}" for f in pair if f.startswith(("k:", "dist:", "first:"))]
    return feats


def training_candidates(rows_by_sentence: Sequence[Sequence[PairRow]], triples_by_sentence: Sequence[Sequence[Triple]],
                        signatures: Mapping[str, RelationSignature], words: Mapping[str, tuple[str, ...]],
                        formats: Mapping[str, str], aliases: Mapping[tuple[str, str], str],
                        links: Mapping[str, frozenset[str]]) -> list[list[tuple[tuple[str, ...], bool]]]:
    """Per sentence, (features, whether the examples state it) of every candidate of every pair."""
    out = []
    for rows, triples in zip(rows_by_sentence, triples_by_sentence):
        found = []
        for row in rows:
            labels = set(pair_labels(row, triples, dict(formats), dict(aliases)))
            for sub, rel, obj, feats in candidates(row, signatures, words, formats, links):
                mark = ">" if sub is row.a else "<"
                found.append((tuple(feats), f"{rel}{mark}" in labels))
        out.append(found)
    return out


def design_matrix(examples: Sequence[tuple[Sequence[str], bool]], offsets: Sequence[float] | None = None,
                  min_count: int = 2, vocabulary: Mapping[str, int] | None = None):
    """(x, y, vocabulary): a sparse 0/1 matrix of the features seen at least ``min_count`` times (or of
    ``vocabulary``), one row per example, with ``offsets`` as one last column when given; y the labels."""
    import numpy as np
    from scipy.sparse import csr_matrix

    if vocabulary is None:
        counts = Counter(f for features, _ in examples for f in set(features))
        vocabulary = {f: i for i, f in enumerate(sorted(f for f, n in counts.items() if n >= min_count))}
    width = len(vocabulary) + (offsets is not None)
    indptr, cols, vals = [0], [], []
    for r, (features, _) in enumerate(examples):
        found = sorted({vocabulary[f] for f in features if f in vocabulary})
        cols.extend(found)
        vals.extend([1.0] * len(found))
        if offsets is not None:
            cols.append(len(vocabulary))
            vals.append(float(offsets[r]))
        indptr.append(len(cols))
    x = csr_matrix((np.array(vals, dtype=np.float64), np.array(cols, dtype=np.int32), np.array(indptr, dtype=np.int64)),
                   shape=(len(examples), width))
    return x, np.array([bool(label) for _, label in examples]), dict(vocabulary)


def fit_matrix(x, y, vocabulary: Mapping[str, int], *, c: float = 0.3) -> tuple[dict[str, float], float, float]:
    """(feature -> weight, bias, weight of the last column when it is an offset, else 0) of a binary logistic
    regression on a :func:`design_matrix`. Deterministic; BLAS on one thread. ValueError when ``y`` holds one
    class only."""
    from sklearn.linear_model import LogisticRegression
    from threadpoolctl import threadpool_limits

    if y.all() or not y.any():
        raise ValueError("the examples hold one class only")
    with threadpool_limits(limits=1, user_api="blas"):
        fitted = LogisticRegression(C=c, max_iter=500, tol=1e-3).fit(x, y)
    coef = fitted.coef_[0]
    weights = {f: float(coef[i]) for f, i in vocabulary.items() if abs(coef[i]) > 1e-6}
    return weights, float(fitted.intercept_[0]), float(coef[len(vocabulary)]) if x.shape[1] > len(vocabulary) else 0.0


def fit_logistic(examples: Sequence[tuple[Sequence[str], bool]], offsets: Sequence[float] | None = None, *,
                 c: float = 0.3, min_count: int = 2) -> tuple[dict[str, float], float, float]:
    """(feature -> weight, bias, weight of the offset) of a binary logistic regression over features seen at
    least ``min_count`` times, with ``offsets`` (a prior's logit per example) as one more input when given.
    ValueError when the examples hold one class only."""
    x, y, vocabulary = design_matrix(examples, offsets, min_count)
    return fit_matrix(x, y, vocabulary, c=c)


def learn_label_model(rows_by_sentence: Sequence[Sequence[PairRow]], triples_by_sentence: Sequence[Sequence[Triple]],
                      signatures: Sequence[RelationSignature], words: Mapping[str, tuple[str, ...]],
                      formats: Mapping[str, str], aliases: Mapping[tuple[str, str], str], *, c: float = 0.3,
                      prior: LabelModel | None = None) -> LabelModel:
    """Fit the model on the pairs of each sentence and its gold triples (``formats``: the styles the examples
    showed; the other value relations get one by :func:`infer_formats`), on top of ``prior`` when given (its
    logit is one more input, and its word links are added to those of the examples). Deterministic. ValueError
    when no candidate is a gold triple."""
    formats = infer_formats(signatures, formats)
    by_rel = {s.relation: s for s in signatures}
    links = word_links(rows_by_sentence, triples_by_sentence, words, formats, aliases)
    if prior is not None:
        links = {w: links.get(w, frozenset()) | prior.links.get(w, frozenset()) for w in set(links) | set(prior.links)}
    examples = [e for found in training_candidates(rows_by_sentence, triples_by_sentence, by_rel, words, formats,
                                                   aliases, links) for e in found]
    offsets = [prior.logit(features) for features, _ in examples] if prior is not None else None
    weights, bias, prior_weight = fit_logistic(examples, offsets, c=c)
    return LabelModel(weights, bias, by_rel, dict(words), formats, dict(aliases), links, prior,
                      prior_weight if prior is not None else 0.0)


def learn_prior(x, y, vocabulary: Mapping[str, int], links: Mapping[str, frozenset[str]], *, c: float = 0.3) -> LabelModel:
    """A model of the features alone, to be the ``prior`` of each ontology's own: learned from other
    ontologies' candidates (a :func:`design_matrix` of :func:`training_candidates`, each under its own ontology)
    and their word links."""
    weights, bias, _ = fit_matrix(x, y, vocabulary, c=c)
    return LabelModel(weights, bias, links=dict(links))


def top_triples(scored: Sequence[tuple[float, Triple]], threshold: float, share: float = 0.8) -> list[Triple]:
    """The triples of :meth:`LabelModel.scored` that reach ``threshold`` and at least ``share`` of their
    relation's best probability (a relative bound: the model's probabilities are low where its relations are rare).

    >>> top_triples([(0.9, ("A", "r", "B")), (0.8, ("A", "r", "C")), (0.5, ("A", "r", "D")), (0.3, ("A", "s", "E"))], 0.4)
    [('A', 'r', 'B'), ('A', 'r', 'C')]
    """
    top: dict[str, float] = {}
    out = []
    for p, triple in scored:
        top.setdefault(triple[1], p)
        if p >= threshold and p >= share * top[triple[1]]:
            out.append(triple)
    return out
