"""Training the relation classifier from gold facts: ``kg train`` and ``bench/news.py`` use this module.

In: articles (files kg reads) and gold facts in the news gold format of ``../shared/eval/news/GUIDELINES.md``,
one JSON object per line::

    {"doc": "006.txt", "p": "P161", "s": ["Vera Drake"], "o": ["Imelda Staunton", "Staunton"], "kind": "entity"}

``p`` is a property's local name in the ontology ("castMember") or a Wikidata id its ``owl:equivalentProperty``
names ("P161"); ``doc`` is the article's file name. Out: a :class:`~kg.extract.classifier.RelationModel`.

Every ordered pair of mentions in a sentence of a gold article is one example. Its label is the property of a
gold fact whose subject names match one mention and object names the other (``"castMember>"`` when the first
mention is the subject, ``"castMember<"`` when the second is), else no relation. Names match as a reader would
count them: case, accents and punctuation aside, a leading "the" dropped, and a name of two words or more may
stand inside the other ("Alexander Payne" / "Payne" does not, "best director" / "Academy Award for Best Director"
does). Only entity-to-entity facts train the model; money and dates are read by the value rules.

Training is a multinomial logistic regression (scikit-learn, ``pip install -e '.[train]'`` in the checkout) over
the features of :func:`~kg.extract.classifier.pair_features` seen in at least ``min_count`` examples. It is
deterministic: the same articles, gold and options give the same model.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .documents import read_documents
from .errors import InputError
from .extract.classifier import NO_RELATION, RelationModel, sentence_pairs
from .extract.coref import find_entities
from .extract.mentions import ArgMention, sentence_mentions
from .limits import DEFAULT_DOC_TIMEOUT
from .names import name_key
from .nlp import load_nlp, parse
from .ontology import Ontology

__all__ = ["GoldFact", "Example", "read_gold", "name_key", "names_match", "article_examples", "docred_examples", "fit",
           "train_model", "MODEL_VERSION"]

# The version of the packaged model, bumped when the features, mentions or training data change.
MODEL_VERSION = "news-4"


@dataclass(frozen=True)
class GoldFact:
    """One gold fact: the article's file name, a property of the ontology and the acceptable names of each side."""

    doc: str
    prop: str
    subjects: tuple[str, ...]
    objects: tuple[str, ...]
    kind: str = "entity"


@dataclass(frozen=True)
class Example:
    """One mention pair of an article: its features and its label (``""``: no relation)."""

    doc: str
    features: tuple[str, ...]
    label: str


def read_gold(path: str | Path, onto: Ontology) -> list[GoldFact]:
    """Gold facts of a JSONL file, their properties mapped to the ontology's local names.

    Raises :class:`~kg.errors.InputError` naming the file and line for a malformed line or an unknown property.
    """
    by_wikidata = {pid: name for name, pid in onto.wikidata_ids.items()}
    facts = []
    try:
        lines = Path(path).read_text(encoding="utf-8").split("\n")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(str(path), f"cannot read the gold file ({exc.__class__.__name__})") from exc
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            record = json.loads(line)
            doc, prop, subjects, objects = record["doc"], record["p"], record["s"], record["o"]
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise InputError(where, f"not a gold fact (needs doc, p, s and o): {exc}") from exc
        name = prop if prop in onto.properties else by_wikidata.get(prop)
        if name is None:
            raise InputError(where, f"property {prop!r} is not in the ontology nor equivalent to one of its properties")
        if not (isinstance(subjects, list) and isinstance(objects, list)):
            raise InputError(where, "s and o must be lists of names")
        facts.append(GoldFact(doc=str(doc), prop=name, subjects=tuple(map(str, subjects)),
                              objects=tuple(map(str, objects)), kind=str(record.get("kind", "entity"))))
    return facts


def names_match(names: Iterable[str], gold: Iterable[str]) -> bool:
    """True when one of ``names`` is one of ``gold`` by :func:`name_key`, or stands inside one (two words or more)."""
    wanted = [k for k in map(name_key, gold) if k]
    for got in map(name_key, names):
        if not got:
            continue
        for want in wanted:
            if got == want:
                return True
            short, long_ = sorted((got, want), key=len)
            if len(short.split()) >= 2 and re.search(rf"(^| ){re.escape(short)}( |$)", long_):
                return True
    return False


def _names(mention: ArgMention) -> list[str]:
    names = [mention.name]
    if mention.entity is not None:
        names += [mention.entity.label, *mention.entity.aliases]
    return names


def _label(a: ArgMention, b: ArgMention, gold: Sequence[GoldFact]) -> str:
    for fact in gold:
        if fact.kind != "entity":
            continue
        if names_match(_names(a), fact.subjects) and names_match(_names(b), fact.objects):
            return fact.prop + ">"
        if names_match(_names(b), fact.subjects) and names_match(_names(a), fact.objects):
            return fact.prop + "<"
    return NO_RELATION


def article_examples(paths: Sequence[str | Path], gold: Sequence[GoldFact], onto: Ontology,
                     model: str | None = None) -> dict[str, list[Example]]:
    """The labelled mention pairs of each article (by file name) that has gold facts."""
    by_doc: dict[str, list[GoldFact]] = defaultdict(list)
    for fact in gold:
        by_doc[fact.doc].append(fact)
    nlp = load_nlp(model)
    documents = [d for d in read_documents(list(paths), doc_timeout=DEFAULT_DOC_TIMEOUT)
                 if Path(d.source).name in by_doc]
    out: dict[str, list[Example]] = {}
    for doc, document in parse(nlp, ((d.text, d) for d in documents)):
        name = Path(document.source).name
        year = int(document.published[:4]) if document.published and document.published[:4].isdigit() else None
        ents = find_entities(doc, onto, year)
        out[name] = [Example(doc=name, features=tuple(features), label=_label(a, b, by_doc[name]))
                     for sent in doc.sents for a, b, features in sentence_pairs(sent, sentence_mentions(sent, ents))]
    return out


def docred_examples(path: str | Path, onto: Ontology, model: str | None = None) -> dict[str, list[Example]]:
    """Labelled mention pairs of DocRED-format documents (Re-DocRED: ``{title, sents, vertexSet, labels}``).

    Each document's sentences are joined one per line and parsed by kg's pipeline; a relation between two
    entities (any of their names) labels the pairs of kg's mentions that name them in one sentence. Relations are
    Wikidata ids mapped through the ontology's ``owl:equivalentProperty``; the others are left out. Document keys
    are ``docred:<n>`` in file order.
    """
    by_wikidata = {pid: name for name, pid in onto.wikidata_ids.items()}
    try:
        records = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(str(path), f"not a DocRED JSON file ({exc.__class__.__name__})") from exc
    texts, golds = [], []
    for n, record in enumerate(records):
        key = f"docred:{n}"
        names = [tuple(dict.fromkeys(m["name"] for m in vertex)) for vertex in record["vertexSet"]]
        gold = [GoldFact(doc=key, prop=by_wikidata[label["r"]], subjects=names[label["h"]], objects=names[label["t"]])
                for label in record["labels"] if label["r"] in by_wikidata]
        texts.append(("\n".join(" ".join(tokens) for tokens in record["sents"]), key))
        golds.append(gold)
    nlp = load_nlp(model)
    out: dict[str, list[Example]] = {}
    for (doc, key), gold in zip(parse(nlp, texts), golds):
        ents = find_entities(doc, onto)
        out[key] = [Example(doc=key, features=tuple(features), label=_label(a, b, gold))
                    for sent in doc.sents for a, b, features in sentence_pairs(sent, sentence_mentions(sent, ents))]
    return out


def fit(examples: Sequence[Example], *, c: float = 5.0, min_count: int = 3, threshold: float = 0.5,
        meta: dict | None = None) -> RelationModel:
    """A :class:`RelationModel` trained on ``examples`` (deterministic for the same input and options).

    ``c``: inverse L2 regularisation strength; ``min_count``: least number of examples a feature must occur in.
    Raises ImportError naming the ``train`` extra when scikit-learn is not installed.
    """
    try:
        from scipy.sparse import csr_matrix
        from sklearn.linear_model import LogisticRegression
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError("training needs scikit-learn: pip install -e '.[train]' in kg's checkout, "
                          "or pip install 'scikit-learn>=1.4,<2'") from exc
    counts = Counter(f for e in examples for f in set(e.features))
    features = sorted(f for f, n in counts.items() if n >= min_count)
    vocabulary = {f: i for i, f in enumerate(features)}
    labels = sorted({e.label for e in examples} | {NO_RELATION})
    label_index = {label: i for i, label in enumerate(labels)}
    rows, cols = [], []
    for r, example in enumerate(examples):
        for f in sorted({vocabulary[f] for f in example.features if f in vocabulary}):
            rows.append(r)
            cols.append(f)
    x = csr_matrix((np.ones(len(rows), dtype=np.float32), (rows, cols)), shape=(len(examples), len(features)))
    y = np.array([label_index[e.label] for e in examples])
    classifier = LogisticRegression(C=c, max_iter=3000, tol=1e-5)
    classifier.fit(x, y)
    weights = np.zeros((len(features), len(labels)), dtype=np.float32)
    bias = np.zeros(len(labels), dtype=np.float32)
    for k, label_id in enumerate(classifier.classes_):
        weights[:, label_id] = classifier.coef_[k] if len(classifier.classes_) > 2 else (classifier.coef_[0] if k else -classifier.coef_[0]) / 2
        bias[label_id] = classifier.intercept_[k] if len(classifier.classes_) > 2 else (classifier.intercept_[0] if k else -classifier.intercept_[0]) / 2
    info = dict(meta or {}, examples=len(examples), positives=int(sum(1 for e in examples if e.label)),
                features=len(features), c=c, min_count=min_count)
    return RelationModel(labels=tuple(labels), vocabulary=vocabulary, weights=weights, bias=bias,
                         threshold=threshold, meta=info)


def train_model(articles: Sequence[str | Path], gold: str | Path, onto: Ontology, *, docred: Sequence[str | Path] = (),
                news_weight: int = 2, c: float = 5.0, threshold: float = 0.5, version: str = MODEL_VERSION,
                model: str | None = None) -> RelationModel:
    """Train a relation model on gold facts for ``articles`` (repeated ``news_weight`` times) and DocRED files.

    Raises :class:`~kg.errors.InputError` for an unreadable gold or DocRED file and ValueError when no gold fact
    names an article that was read.
    """
    facts = read_gold(gold, onto)
    examples = article_examples(articles, facts, onto, model)
    if not examples:
        raise ValueError(f"{gold}: no gold fact names one of the articles read (match the 'doc' field to file names)")
    rows = [e for doc in sorted(examples) for e in examples[doc]] * news_weight
    for path in docred:
        extra = docred_examples(path, onto, model)
        rows += [e for key in sorted(extra, key=lambda k: int(k.split(":")[1])) for e in extra[key]]
    meta = {"version": version, "gold": Path(gold).name, "articles": sorted(examples),
            "docred": [Path(p).name for p in docred], "news_weight": news_weight}
    return fit(rows, c=c, threshold=threshold, meta=meta)
