"""The relation classifier: which property, if any, joins two mentions of one sentence.

In: a parsed sentence, its :class:`~kg.extract.mentions.ArgMention` list and a :class:`RelationModel`. Out:
:class:`~kg.extract.relations.Candidate` facts, each with the model's probability as its confidence and the rule
``model:<version>``.

Every ordered pair of mentions (first, second) in a sentence is described by sparse string features that carry
across names: the two mention kinds, the dependency path between their heads (with its lowest common ancestor's
lemma), the lemmas between and around them, their distance and the mentions between them
(:func:`pair_features`). A multinomial logistic regression, trained by :mod:`kg.train` from gold facts, scores
each label ``<property>>`` (the first mention is the subject), ``<property><`` (the second is) or no relation.

Which side is the subject is decided by the ontology's domain and range when the types tell, by the model's
direction otherwise. A mention whose named-entity type does not fit (the small model reads many unquoted titles
as places or organisations: "Sideways", "Garden State") takes the class the property asks for, within the
sentence's fact only; the store's typing of the name is left alone.

The model file is a NumPy ``.npz`` (no pickle): ``weights`` (features × labels, float32), ``bias``, ``labels``,
``features`` and ``meta`` (JSON: version, threshold, training data).
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
from spacy.tokens import Doc, Span, Token

from ..errors import RelationModelError
from ..model import Entity
from ..ontology import Ontology, OntProperty
from .coref import named_entity
from .mentions import ArgMention
from .relations import Candidate, fits, is_irrealis

__all__ = ["RelationModel", "pair_features", "sentence_pairs", "classifier_facts",
           "packaged_model", "PACKAGED_MODEL"]

PACKAGED_MODEL = Path(__file__).resolve().parent.parent / "models" / "news-relations.npz"
NO_RELATION = ""
_MAX_PATH = 6
_MAX_BETWEEN = 12
_MAX_PAIR_GAP = 8  # mentions between the two of a pair, at most 7
_MAX_PAIR_TOKENS = 40
# The class a mention of each kind takes when nothing more specific is known.
_KIND_CLASS = {"PERSON": "Person", "ORG": "Organization", "GPE": "Place", "NORP": "Place", "WORK": "CreativeWork",
               "TITLE": "CreativeWork", "EVENT": "Event", "AWARD": "Award", "REF": "CreativeWork",
               "NAME": "CreativeWork"}
# Kinds whose named-entity type is weak evidence: a fact's property may give them another class.
_RETYPABLE = {"GPE", "ORG", "PERSON", "TITLE", "NORP", "EVENT", "NAME"}


@dataclass(frozen=True)
class RelationModel:
    """A trained relation classifier: label scores are ``features @ weights + bias``, softmax-normalised.

    ``labels``: ``""`` (no relation) and ``"<property>>"`` / ``"<property><"``; ``threshold``: the least
    probability at which a fact is kept; ``meta``: version, training documents and the options it was trained with.
    """

    labels: tuple[str, ...]
    vocabulary: dict[str, int]
    weights: np.ndarray = field(repr=False)
    bias: np.ndarray = field(repr=False)
    threshold: float = 0.5
    meta: dict = field(default_factory=dict)

    @property
    def version(self) -> str:
        return str(self.meta.get("version", "unversioned"))

    def probabilities(self, rows: list[list[str]]) -> np.ndarray:
        """One row of label probabilities (shape ``len(rows) × len(labels)``) per feature list."""
        scores = np.tile(self.bias, (len(rows), 1)).astype(np.float64)
        vocabulary = self.vocabulary
        index: list[int] = []  # the known features' rows of the weights, row after row
        starts: list[int] = []  # where each row with a known feature starts in ``index``
        scored: list[int] = []  # those rows
        for r, features in enumerate(rows):
            known = [i for i in map(vocabulary.get, set(features)) if i is not None]
            if known:
                starts.append(len(index))
                scored.append(r)
                index += known
        if index:
            scores[scored] += np.add.reduceat(self.weights[index], starts, axis=0)
        scores -= scores.max(axis=1, keepdims=True)
        exp = np.exp(scores)
        return exp / exp.sum(axis=1, keepdims=True)

    def save(self, path: str | Path) -> None:
        """Write the model as a compressed ``.npz`` that :meth:`load` reads without pickle."""
        features = sorted(self.vocabulary, key=self.vocabulary.__getitem__)
        meta = dict(self.meta, threshold=self.threshold)
        np.savez_compressed(path, weights=self.weights.astype(np.float16), bias=self.bias.astype(np.float32),
                            labels=np.array(self.labels, dtype=str), features=np.array(features, dtype=str),
                            meta=np.array(json.dumps(meta, sort_keys=True)))

    @classmethod
    def load(cls, path: str | Path) -> RelationModel:
        """Read a model :meth:`save` wrote. Raises :class:`RelationModelError` when the file is missing or foreign."""
        try:
            with np.load(path, allow_pickle=False) as data:
                meta = json.loads(str(data["meta"]))
                features = [str(f) for f in data["features"]]
                return cls(labels=tuple(str(x) for x in data["labels"]),
                           vocabulary={f: i for i, f in enumerate(features)},
                           # float64: a row's few weights (stored as float16) then add up exactly, in any order
                           weights=data["weights"].astype(np.float64), bias=data["bias"].astype(np.float32),
                           threshold=float(meta.get("threshold", 0.5)), meta=meta)
        except FileNotFoundError as exc:
            raise RelationModelError(str(path), "no such relation model file") from exc
        except (OSError, KeyError, ValueError, EOFError, zipfile.BadZipFile) as exc:
            raise RelationModelError(str(path), f"not a kg relation model ({exc})") from exc


@lru_cache(maxsize=1)
def packaged_model() -> RelationModel | None:
    """The relation model kg ships (trained on the BBC development gold), or None when it is not installed."""
    return RelationModel.load(PACKAGED_MODEL) if PACKAGED_MODEL.is_file() else None


def _ancestors(token: Token) -> list[Token]:
    chain = [token]
    while chain[-1].head.i != chain[-1].i and len(chain) < 60:
        chain.append(chain[-1].head)
    return chain


def _path(a: Token, b: Token) -> tuple[list[Token], Token | None, list[Token]]:
    """Tokens from ``a`` up to the lowest common ancestor, the ancestor, and from it down to ``b``."""
    up = _ancestors(a)
    down = _ancestors(b)
    up_index = {t.i: n for n, t in enumerate(up)}
    for n, t in enumerate(down):
        if t.i in up_index:
            return up[:up_index[t.i]], t, list(reversed(down[:n]))
    return up, None, list(reversed(down))


def _bucket(n: int) -> str:
    return str(n) if n < 3 else "3-5" if n <= 5 else "6-10" if n <= 10 else "11+"


def pair_features(doc: Doc, a: ArgMention, b: ArgMention, between_mentions: int, sent: Span | None = None) -> list[str]:
    """Sparse features of an ordered mention pair (``a`` before ``b`` in one sentence, ``sent`` when the caller has
    it: spaCy finds a token's sentence by walking to its ends)."""
    kinds = f"{a.kind}|{b.kind}"
    feats = [f"k:{kinds}"]
    up, lca, down = _path(doc[a.head], doc[b.head])
    lca_lemma = lca.lemma_.lower() if lca is not None else "<none>"
    if lca is not None and lca.i in range(a.start, a.end):
        lca_lemma = "<a>"
    elif lca is not None and lca.i in range(b.start, b.end):
        lca_lemma = "<b>"
    feats += [f"lca:{lca_lemma}", f"lcak:{kinds}|{lca_lemma}"]
    if len(up) + len(down) <= _MAX_PATH:
        deps_up = "^".join(t.dep_ for t in up)
        deps_down = "v".join(t.dep_ for t in down)
        feats.append(f"path:{deps_up}|{lca_lemma}|{deps_down}")
        feats.append(f"pathk:{kinds}|{deps_up}|{lca_lemma}|{deps_down}")
        feats.append(f"deps:{deps_up}|{deps_down}")
    else:
        feats.append("path:long")
    for t in up[1:] + down[:-1]:
        if t.i not in range(a.start, a.end) and t.i not in range(b.start, b.end):
            feats.append(f"pl:{t.lemma_.lower()}")
    between = [t for t in doc[a.end:b.start]]
    if len(between) <= _MAX_BETWEEN:
        lemmas = [t.lemma_.lower() for t in between]
        feats += [f"bw:{w}" for w in lemmas] or ["bw:<none>"]
        if len(lemmas) <= 4:
            feats.append(f"bws:{' '.join(lemmas)}")
            feats.append(f"bwsk:{kinds}|{' '.join(lemmas)}")
    else:
        feats.append("bw:<far>")
    feats.append(f"dist:{_bucket(len(between))}")
    feats.append(f"mid:{_bucket(between_mentions)}")
    sent = sent if sent is not None else doc[a.start].sent
    for offset in (1, 2):
        if a.start - offset >= sent.start:
            feats.append(f"b{offset}:{doc[a.start - offset].lemma_.lower()}")
        if b.end - 1 + offset < sent.end:
            feats.append(f"a{offset}:{doc[b.end - 1 + offset].lemma_.lower()}")
    for name, m in (("a", a), ("b", b)):
        head = doc[m.head]
        feats.append(f"d{name}:{head.dep_}")
        feats.append(f"h{name}:{head.head.lemma_.lower()}")
        feats.append(f"dh{name}:{head.dep_}|{head.head.lemma_.lower()}")
    if any(t.dep_ == "neg" for t in (lca.children if lca is not None else ())):
        feats.append("neg")
    return feats


def sentence_pairs(sent: Span, mentions: list[ArgMention]) -> Iterator[tuple[ArgMention, ArgMention, list[str]]]:
    """Every ordered pair of distinct mentions of a sentence (``mentions``: its
    :func:`~kg.extract.mentions.sentence_mentions`) with its features."""
    doc = sent.doc
    for i, a in enumerate(mentions):
        # pairs within _MAX_PAIR_GAP mentions and _MAX_PAIR_TOKENS tokens: linear in a sentence's length, so a
        # sentence that lists thousands of names costs no more than its list
        for j in range(i + 1, min(len(mentions), i + 1 + _MAX_PAIR_GAP)):
            b = mentions[j]
            if b.start - a.end > _MAX_PAIR_TOKENS:
                break
            if a.entity is not None and b.entity is not None and a.entity.key == b.entity.key:
                continue
            yield a, b, pair_features(doc, a, b, j - i - 1, sent)


def _entity(onto: Ontology, mention: ArgMention, cls: str | None = None) -> Entity:
    if cls is None and mention.entity is not None:
        return mention.entity
    aliases = mention.entity.aliases if mention.entity is not None else ()
    return named_entity(onto, mention.label, cls or _KIND_CLASS.get(mention.kind, "CreativeWork"), aliases)


def _side_class(onto: Ontology, wanted: str, mention: ArgMention) -> str | None:
    """The class a mention may take to fill a side of ``wanted`` type, or None when its kind rules it out."""
    if mention.kind not in _RETYPABLE or wanted not in onto.classes:
        return None
    known = mention.entity.cls if mention.entity is not None else _KIND_CLASS.get(mention.kind)
    if mention.entity is not None and known not in set(onto.ner_classes.values()):
        return None  # typed by its context ("the film X", "the band Y"): a property does not overrule the text
    members = onto.classes[wanted].union_of or (wanted,)
    work = "CreativeWork" if "CreativeWork" in onto.classes else None
    if mention.kind == "NAME":  # unknown type: what the property asks
        choice = members[0]
    elif mention.kind in {"GPE", "TITLE", "WORK", "NORP", "EVENT"}:
        choice = next((m for m in members if work and onto.is_a(m, work)), None)
    elif mention.kind == "PERSON":
        choice = next((m for m in members if m == "Person" or onto.is_a(m, "Organization")), None)
    else:  # ORG
        choice = next((m for m in members if onto.is_a(m, "Organization") or onto.is_a("Organization", m)), None)
        choice = choice or next((m for m in members if work and onto.is_a(m, work)), None)
    if choice == "Agent":
        choice = "Organization" if mention.kind == "ORG" else "Person"
    if choice is not None and known is not None and onto.kind(known) == onto.kind(choice):
        return None  # "Avatar" is a work: whether a film or a book is the text's to say, not a property's
    return choice


def _orient(onto: Ontology, prop: OntProperty, a: ArgMention, b: ArgMention,
            forward: float, backward: float) -> tuple[Entity, Entity] | None:
    """(subject, object) for a pair, by types first and the model's direction when types allow both."""
    ea, eb = _entity(onto, a), _entity(onto, b)
    options = []
    for subj, obj, sm, om, p in ((ea, eb, a, b, forward), (eb, ea, b, a, backward)):
        if fits(onto, prop, subj, obj):
            options.append((2, p, subj, obj))
            continue
        s_cls = subj.cls if onto.is_a(subj.cls, prop.domain) else _side_class(onto, prop.domain, sm)
        o_cls = obj.cls if onto.is_a(obj.cls, prop.range) else _side_class(onto, prop.range, om)
        if s_cls and o_cls:
            s_ent = subj if s_cls == subj.cls else _entity(onto, sm, s_cls)
            o_ent = obj if o_cls == obj.cls else _entity(onto, om, o_cls)
            if fits(onto, prop, s_ent, o_ent):
                options.append((1, p, s_ent, o_ent))
    if not options:
        return None
    _, _, subj, obj = max(options, key=lambda o: (o[0], o[1]))
    return subj, obj


def classifier_facts(sentences: Iterable[Span], mentions: Iterable[list[ArgMention]], onto: Ontology,
                     model: RelationModel) -> Iterator[Candidate]:
    """Candidates the model finds in the sentences (``mentions``: each sentence's), each at least
    ``model.threshold`` probable."""
    props = onto.properties
    rule = f"model:{model.version}"
    names = list(dict.fromkeys(label[:-1] for label in model.labels if label and label[:-1] in props))
    if not names:
        return
    # 0/1 matrices from the labels' probabilities to each property's, one way and the other
    to_forward = np.zeros((len(model.labels), len(names)))
    to_backward = np.zeros((len(model.labels), len(names)))
    for column, label in enumerate(model.labels):
        if label and label[:-1] in props:
            (to_forward if label[-1] == ">" else to_backward)[column, names.index(label[:-1])] = 1.0
    for sent, in_sentence in zip(sentences, mentions):
        pairs = list(sentence_pairs(sent, in_sentence))
        if not pairs:
            continue
        probs = model.probabilities([f for _, _, f in pairs])
        # each property's probability one way (">": the pair's first mention is the subject) and the other
        forward, backward = probs @ to_forward, probs @ to_backward
        totals = forward + backward
        best = totals.argmax(axis=1)  # the first of equals, in the labels' order
        for r in np.flatnonzero(totals[np.arange(len(pairs)), best] >= model.threshold):
            (a, b, _), k = pairs[r], best[r]
            confidence = float(totals[r, k])
            prop = props[names[k]]
            oriented = _orient(onto, prop, a, b, float(forward[r, k]), float(backward[r, k]))
            if oriented is None:
                continue
            _, verb, _ = _path(sent.doc[a.head], sent.doc[b.head])
            if verb is not None and verb.pos_ in {"VERB", "AUX"} and is_irrealis(verb, sent):
                continue
            yield Candidate(prop=prop, subject=oriented[0], object=oriented[1], sentence=sent, rule=rule,
                            confidence=round(confidence, 3))
