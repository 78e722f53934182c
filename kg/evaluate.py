"""Score extracted triples the way the Text2KGBench benchmark does, and run kg on its sentences.

The metrics follow the benchmark's official scorer (``src/evaluation/run_eval.py`` in cenguix/Text2KGBench):

- per sentence, system triples whose relation (spaces written "_") is not among the sentence's gold relations are
  dropped; subject, relation and object are lower-cased with spaces and "_" removed; P/R/F1 compare the two sets
  (precision 0 when nothing is left);
- ontology conformance is the share of all system triples whose relation is an ontology relation label (spaces as
  "_"); relation hallucination is its complement; a sentence with no triples is fully conformant;
- a subject (object) is hallucinated when its Porter-stemmed, space-free form is not a substring of the stemmed
  sentence with the ontology's concept labels appended; "01 January" (a year-only date) is ignored;
- all seven are macro-averaged over the gold sentences; a sentence the system has no entry for adds 0 to every one.

Tokenisation uses NLTK's Treebank tokenizer, the tokenizer under ``word_tokenize`` without its Punkt sentence
splitter (Punkt's data is a download, and kg runs offline).

>>> gold = [GoldSentence("s1", "Alita is a film directed by Robert Rodriguez.", (("Alita", "director", "Robert Rodriguez"),))]
>>> onto = BenchmarkOntology("o", ("film", "human"), ("director", "cast member"))
>>> report = score(onto, gold, {"s1": [("Alita", "director", "Robert_Rodriguez"), ("Alita", "cast_member", "Zoe")]})
>>> report.macro.f1, report.macro.onto_conf, report.macro.obj_halluc
(1.0, 1.0, 0.5)
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, fields
from functools import cached_property, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from .documents import iter_json_objects, read_json_object
from .errors import InputError, OntologyError
from .extract.patterns import PatternSet
from .ontology_json import DATATYPE_RANGES, parse_benchmark

if TYPE_CHECKING:
    from spacy.tokens import Doc

__all__ = [
    "BenchmarkOntology",
    "GoldSentence",
    "Scores",
    "SentenceScore",
    "Report",
    "load_benchmark_ontology",
    "read_gold",
    "read_predictions",
    "score",
    "Triple",
    "Settings",
    "predict",
    "write_predictions",
    "prediction_lines",
    "learn_patterns",
    "run_text2kgbench",
    "evaluate_facts",
    "evaluate_redocred",
]

Triple = tuple[str, str, str]
_SPACE_OR_UNDERSCORE = re.compile(r"(_|\s+)")
_NON_WORD = re.compile(r"[\W_]+")


@dataclass(frozen=True)
class BenchmarkOntology:
    """A Text2KGBench ontology: its concept labels and its relation labels (as written in the JSON)."""

    id: str
    concepts: tuple[str, ...]
    relations: tuple[str, ...]
    title: str = ""
    unknown_concepts: tuple[str, ...] = ()  # domains and ranges that name no concept (nor a datatype)
    signatures: tuple[tuple[str, str, str], ...] = ()  # (relation, domain label, range label), "" where not given

    def concept_report(self, source: str) -> tuple[str, ...]:
        """One line naming the domains and ranges that are not among the concepts (none when all are)."""
        if not self.unknown_concepts:
            return ()
        n = len(self.unknown_concepts)
        return (f"{source}: {n} concept{'s' * (n != 1)} named as a domain or range but not listed, each kept as a "
                f"class of its own: {', '.join(self.unknown_concepts)}",)

    @cached_property
    def relation_names(self) -> frozenset[str]:
        """Relation labels as the benchmark's output writes them: spaces turned to "_"."""
        return frozenset(r.replace(" ", "_") for r in self.relations)


@dataclass(frozen=True)
class GoldSentence:
    """One benchmark sentence with its gold triples."""

    id: str
    sent: str
    triples: tuple[Triple, ...] = ()


@dataclass(frozen=True)
class Scores:
    """The seven benchmark metrics."""

    precision: float = 0.0
    recall: float = 0.0
    f1: float = 0.0
    onto_conf: float = 0.0
    rel_halluc: float = 0.0
    sub_halluc: float = 0.0
    obj_halluc: float = 0.0

    def rounded(self, digits: int = 6) -> dict[str, float]:
        """The metrics as a dict, rounded."""
        return {k: round(v, digits) for k, v in asdict(self).items()}


@dataclass(frozen=True)
class SentenceScore:
    """The metrics of one gold sentence (all zero when the system has no entry for it)."""

    id: str
    scores: Scores
    answered: bool


@dataclass(frozen=True)
class Report:
    """Macro-averaged metrics and the per-sentence ones they average."""

    macro: Scores
    per_sentence: tuple[SentenceScore, ...]

    def to_dict(self) -> dict:
        """JSON-ready: {"macro": {...}, "per_sentence": [{"id", ...metrics} or {"id", "missing": true}]}."""
        return {
            "macro": self.macro.rounded(),
            "per_sentence": [
                {"id": s.id, **s.scores.rounded()} if s.answered else {"id": s.id, "missing": True}
                for s in self.per_sentence
            ],
        }


# --------------------------------------------------------------------------------------------------- reading


def load_benchmark_ontology(path: str | Path) -> BenchmarkOntology:
    """Read a Text2KGBench ontology JSON: ``{"id", "title", "concepts": [{"label"}], "relations": [{"label"}]}``.

    Raises
    ------
    OntologyError
        When the file is missing, is not JSON, or has no relations.
    """
    spec = parse_benchmark(read_json_object(path, OntologyError), str(path))
    known = {qid for qid, _ in spec.concepts} | {label for _, label in spec.concepts}
    unknown = sorted({side for _, _, domain, range_ in spec.relations for side in (domain, range_)
                      if side and side not in known and side.lower() not in DATATYPE_RANGES})
    label_of = dict(spec.concepts)
    signatures = tuple((label, label_of.get(domain, domain), label_of.get(range_, range_))
                       for _, label, domain, range_ in spec.relations)
    return BenchmarkOntology(spec.id or Path(path).stem, tuple(label for _, label in spec.concepts),
                             tuple(label for _, label, _, _ in spec.relations), spec.title, tuple(unknown), signatures)


def iter_jsonl(path: str | Path) -> Iterator[tuple[int, dict]]:
    """(line number, object) for each non-blank line of a JSONL file; InputError names the first bad line."""
    path = Path(path)
    if not path.is_file():
        raise InputError(str(path), "no such file")
    for _, number, row in iter_json_objects(path):
        yield number, row


def read_gold(path: str | Path) -> list[GoldSentence]:
    """Read benchmark sentences with their gold triples.

    Two layouts are accepted: one sentence per line with ``"triples": [{"sub", "rel", "obj"}]`` (the benchmark's
    ground truth), or one triple per line with ``"sent", "sub_label", "rel_label", "obj_label"`` (its train and
    validation files), which is grouped by sentence under the id of the sentence's first line. Lines with only
    ``"id"`` and ``"sent"`` (the test layout) give sentences without gold.
    """
    by_id: dict[str, GoldSentence] = {}
    first_id_of_sentence: dict[str, str] = {}
    for number, row in iter_jsonl(path):
        where = f"{path}:{number}"
        if "sent" not in row or "id" not in row:
            raise InputError(where, 'expected "id" and "sent"')
        sid, sent = str(row["id"]), str(row["sent"])
        if "rel_label" in row:
            triple = (str(row.get("sub_label", "")), str(row["rel_label"]), str(row.get("obj_label", "")))
            sid = first_id_of_sentence.setdefault(sent, sid)
            known = by_id.get(sid, GoldSentence(sid, sent))
            if triple not in known.triples:
                known = GoldSentence(sid, sent, known.triples + (triple,))
            by_id[sid] = known
            continue
        try:
            triples = tuple((str(t["sub"]), str(t["rel"]), str(t["obj"])) for t in row.get("triples", []))
        except (KeyError, TypeError) as exc:
            raise InputError(where, f'each triple needs "sub", "rel" and "obj" (missing {exc})') from exc
        by_id[sid] = GoldSentence(sid, sent, triples)  # a repeated id keeps the last line, as the scorer does
    if not by_id:
        raise InputError(str(path), "no sentences")
    return list(by_id.values())


def read_predictions(path: str | Path) -> dict[str, list[Triple]]:
    """Read system output ``{"id", "triples": [[s, r, o], ...]}``; a repeated id keeps its last line."""
    out: dict[str, list[Triple]] = {}
    for number, row in iter_jsonl(path):
        try:
            out[str(row["id"])] = [(str(s), str(r), str(o)) for s, r, o in row.get("triples", [])]
        except (KeyError, TypeError, ValueError) as exc:
            raise InputError(f"{path}:{number}", 'expected {"id", "triples": [[s, r, o], ...]}') from exc
    return out


def prediction_lines(predictions: Iterable[tuple[str, Sequence[Triple]]]) -> Iterator[str]:
    """System output in the benchmark's layout, one JSON line per sentence (without the newline)."""
    for sid, triples in predictions:
        yield json.dumps({"id": sid, "triples": [list(t) for t in triples]}, ensure_ascii=False)


def write_predictions(path: str | Path, predictions: Iterable[tuple[str, Sequence[Triple]]]) -> None:
    """Write system output in the benchmark's layout, one sentence per line."""
    with Path(path).open("w", encoding="utf-8") as handle:
        for line in prediction_lines(predictions):
            handle.write(line + "\n")


# --------------------------------------------------------------------------------------------------- scoring


def _normalise(text: str) -> str:
    return _SPACE_OR_UNDERSCORE.sub("", text).lower()


def _triple_key(triple: Triple) -> str:
    return "".join(_normalise(part) for part in triple)


@lru_cache(maxsize=1)
def _nltk():
    from nltk.stem import PorterStemmer
    from nltk.tokenize import TreebankWordTokenizer

    return TreebankWordTokenizer(), PorterStemmer()


@lru_cache(maxsize=65536)
def _stemmed(text: str) -> str:
    tokenizer, stemmer = _nltk()
    return _normalise("".join(stemmer.stem(word) for word in tokenizer.tokenize(text)))


def _entity_form(text: str) -> str:
    return _stemmed(text).replace("01januari", "")


def _prf(gold: set[str], system: set[str]) -> tuple[float, float, float]:
    if not system:
        return 0.0, 0.0, 0.0
    hits = len(gold & system)
    p, r = hits / len(system), hits / len(gold)
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def score_sentence(onto: BenchmarkOntology, gold: GoldSentence, system: Sequence[Triple]) -> Scores:
    """The seven metrics of one sentence."""
    gold_relations = {rel.replace(" ", "_") for _, rel, _ in gold.triples}
    kept = {_triple_key(t) for t in system if t[1] in gold_relations}
    p, r, f1 = _prf({_triple_key(t) for t in gold.triples}, kept)
    if not system:
        return Scores(p, r, f1, 1.0, 0.0, 0.0, 0.0)
    names = onto.relation_names
    conformant = sum(1 for t in system if t[1] in names) / len(system)
    context = _stemmed(gold.sent + " ".join(onto.concepts))
    sub_miss = sum(1 for s, _, _ in system if _entity_form(s) not in context)
    obj_miss = sum(1 for _, _, o in system if _entity_form(o) not in context)
    return Scores(p, r, f1, conformant, 1.0 - conformant, sub_miss / len(system), obj_miss / len(system))


def score(onto: BenchmarkOntology, gold: Sequence[GoldSentence], system: Mapping[str, Sequence[Triple]]) -> Report:
    """Score system triples against gold sentences; see the module docstring for the exact rules."""
    per_sentence = tuple(
        SentenceScore(g.id, score_sentence(onto, g, system[g.id]), True) if g.id in system else SentenceScore(g.id, Scores(), False)
        for g in gold
    )
    n = len(per_sentence) or 1
    macro = Scores(*(sum(getattr(s.scores, f.name) for s in per_sentence) / n for f in fields(Scores)))
    return Report(macro, per_sentence)


# --------------------------------------------------------------------------------------------------- running kg


def predict(
    patterns: PatternSet,
    onto: BenchmarkOntology,
    docs: Iterable[Doc],
    sentences: Sequence[GoldSentence],
) -> list[tuple[str, list[Triple]]]:
    """kg's triples for each benchmark sentence, relations written as the benchmark's output does ("cast_member").

    Only relations the ontology defines are emitted, so conformance is 1.0 by construction.
    """
    allowed = onto.relation_names
    out = []
    for sentence, doc in zip(sentences, docs):
        triples = []
        for match in patterns.extract(doc):
            rel = match.relation.replace(" ", "_")
            if rel in allowed and (match.subject.text, rel, match.value) not in triples:
                triples.append((match.subject.text, rel, match.value))
        out.append((sentence.id, triples))
    return out


@dataclass(frozen=True)
class Settings:
    """The thresholds a pattern set is applied with."""

    min_precision: float
    min_hits: int
    margin: float

    def apply(self, patterns: PatternSet) -> None:
        """Make ``patterns`` use these thresholds."""
        patterns.min_precision, patterns.min_hits, patterns.margin = self.min_precision, self.min_hits, self.margin


# --------------------------------------------------------------------------------------------------- tasks


@dataclass(frozen=True)
class Learned:
    """The result of ``learn_patterns``: the patterns, the settings chosen and the cross-validated scores, the
    ontology's relation classifier with the threshold chosen for it (None: patterns only), and the lines that
    report what the examples file had that could not be used."""

    patterns: PatternSet
    settings: Settings | None
    cv: Scores | None
    sentences: int
    classifier: object | None = None  # kg.extract.ontology_classifier.OntologyClassifier
    report: tuple[str, ...] = ()


def learn_patterns(examples: str | Path, ontology: str | Path | None = None, *, model: str | None = None,
                   folds: int = 3) -> Learned:
    """Learn patterns and a relation classifier from a Text2KGBench-style training file; choose their thresholds by
    ``folds``-fold cross-validation grouped by triple (``folds`` < 2 keeps the defaults).

    Examples whose relation is not in ``ontology`` (a Text2KGBench JSON) and malformed lines are skipped and
    reported (``Learned.report``); InputError when nothing usable is left.
    """
    from .learn import learn, parse_sentences, read_examples, save_setup
    from .nlp import load_nlp

    onto = load_benchmark_ontology(ontology) if ontology is not None else None
    read = read_examples(examples, onto)
    report = tuple(read.report()) + (onto.concept_report(str(ontology)) if onto is not None else ())
    if onto is None:
        onto = BenchmarkOntology("examples", (), tuple(sorted({r for s in read.sentences for _, r, _ in s.triples})))
    data = parse_sentences(read.sentences, onto, load_nlp(model))
    learned, cv = learn(data, onto, folds=folds)
    settings = learned.choice.settings if learned.choice is not None else None
    if settings is not None:
        settings.apply(learned.patterns)
    save_setup(learned)
    return Learned(learned.patterns, settings, cv, len(read.sentences), learned.classifier, report)


def run_text2kgbench(ontology: str | Path, test: str | Path, patterns: PatternSet, *, model: str | None = None,
                     gold: str | Path | None = None, classifier=None) -> tuple[list[tuple[str, list[Triple]]], Report | None]:
    """Predict triples for a benchmark test file and, when ``gold`` is given, score them.

    ``classifier`` (an :class:`~kg.extract.ontology_classifier.OntologyClassifier`) adds, at its threshold, triples
    of the relations the patterns gave none of in a sentence.
    """
    from .nlp import load_nlp

    onto = load_benchmark_ontology(ontology)
    sentences = read_gold(test)
    nlp = load_nlp(model)
    if classifier is None:
        from .nlp import parse_texts

        predictions = predict(patterns, onto, parse_texts(nlp, (s.sent for s in sentences), batch_size=64), sentences)
    else:
        from .learn import model_from, parse_sentences, predict_parsed

        system = predict_parsed(model_from(patterns, classifier), onto, parse_sentences(sentences, onto, nlp))
        predictions = [(s.id, system[s.id]) for s in sentences]
    report = score(onto, read_gold(gold), dict(predictions)) if gold else None
    return predictions, report


@dataclass(frozen=True)
class FactScores:
    """Micro-averaged precision, recall and F1 of kg's facts against a user's annotated sentences."""

    precision: float
    recall: float
    f1: float
    system: int
    gold: int
    correct: int
    misses: tuple[tuple[str, Triple], ...]  # (sentence id, gold triple kg did not find)
    wrong: tuple[tuple[str, Triple], ...]  # (sentence id, kg triple not in the gold)


def evaluate_facts(gold: str | Path, ontology: str | Path | None = None, *, model: str | None = None) -> FactScores:
    """Run kg's extraction on each annotated sentence and compare with its triples.

    The gold file is JSONL ``{"id", "sent", "triples": [{"sub", "rel", "obj"}]}``; ``rel`` is a property's label
    or local name ("director", "box office" or "boxOffice"); objects are entity labels or value lexical forms
    ("404000000", "2019-02-14"). Matching ignores case, spaces and "_". The annotation is taken as complete, so
    every extra fact counts against precision.
    """
    from .api import extract_sentence_facts

    sentences = read_gold(gold)
    system_total = correct = 0
    misses, wrong = [], []
    gold_total = 0
    for sentence, found in zip(sentences, extract_sentence_facts([s.sent for s in sentences], ontology, model=model)):
        expected = {_triple_key(t): t for t in sentence.triples}
        got = {_triple_key(t): t for t in found}
        gold_total += len(expected)
        system_total += len(got)
        correct += len(expected.keys() & got.keys())
        misses += [(sentence.id, t) for k, t in expected.items() if k not in got]
        wrong += [(sentence.id, t) for k, t in got.items() if k not in expected]
    p = correct / system_total if system_total else 0.0
    r = correct / gold_total if gold_total else 0.0
    return FactScores(p, r, 2 * p * r / (p + r) if p + r else 0.0, system_total, gold_total, correct, tuple(misses), tuple(wrong))


# --------------------------------------------------------------------------------------------------- Re-DocRED

_QUOTED = re.compile(r'" ([^"]*?) "')
_LEADING_ARTICLE = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)
_SPACED_HYPHEN = re.compile(r"(?<=\w) - (?=\w)")


def detokenize(tokens: Sequence[str]) -> str:
    """One tokenized sentence (Re-DocRED's ``sents`` entries) as running text: no space before punctuation or
    clitics ("Clancy's", "can't"), hyphenated words joined ("co-directed"), quotes around what they quote.

    >>> print(detokenize(['"', 'Ca', "n't", 'Stop', '"', 'was', 'co', '-', 'written', 'by', 'Bob', '(', '1967', ')', '.']))
    "Can't Stop" was co-written by Bob (1967).
    """
    from nltk.tokenize.treebank import TreebankWordDetokenizer

    text = TreebankWordDetokenizer().detokenize(list(tokens))
    return _SPACED_HYPHEN.sub("-", _QUOTED.sub(r'"\1"', text))


# The six film relations the news-extraction issue scores Re-DocRED on: director, screenwriter, cast member,
# producer, production company, publication date.
FILM_RELATIONS = ("P57", "P58", "P161", "P162", "P272", "P577")


def evaluate_redocred(path: str | Path, ontology: str | Path | None = None, *, model: str | None = None,
                      relation_model=None, relations: Sequence[str] | None = None) -> dict:
    """Precision and recall of kg's own facts on Re-DocRED documents, for the relations kg's ontology maps to
    Wikidata (``relations``: only these Wikidata ids, e.g. :data:`FILM_RELATIONS`).

    ``relation_model``: None (the default) for the rules alone, since kg's packaged classifier learned from
    Re-DocRED's development documents; a model file or ``"packaged"`` otherwise.

    Returns ``{"documents", "relations", "facts", "correct", "precision", "recall", "per_relation": {pid: {"facts",
    "correct", "gold", "found"}}, "wrong": [{"doc", "fact"}]}``; recall counts the gold labels some fact matched.

    A document's text is its tokens put back together as written (:func:`detokenize`: "Tom Clancy's novel", not
    "Tom Clancy 's novel"), sentence after sentence. A fact is correct when the gold labels of the document relate
    an entity one of whose mentions is the fact's subject to one whose mention is the object (names compared
    without case, spaces, punctuation or a leading article; dates by their value at the fact's precision). Re-DocRED's labels are
    document-level, so any mention counts, as in the dataset.
    """
    from .api import extract_sentence_facts
    from .extract.literals import parse_date
    from .ontology import load_ontology

    raw = Path(path)
    try:
        data = json.loads(raw.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise InputError(str(raw), f"not a Re-DocRED JSON file: {exc}") from exc
    onto = load_ontology(ontology)
    pid_of = {onto.properties[name].label: pid for name, pid in onto.wikidata_ids.items()}
    rel_info_path = raw.parent / "rel_info.json"
    known_pids = set(json.loads(rel_info_path.read_text(encoding="utf-8"))) if rel_info_path.exists() else set(pid_of.values())
    supported = {label: pid for label, pid in pid_of.items() if pid in known_pids and (relations is None or pid in relations)}

    def key(name: str) -> str:  # "The Power of Few" and "Power of Few" name one film
        return _NON_WORD.sub("", _LEADING_ARTICLE.sub("", name)).lower()

    def names(vertex: list[dict]) -> set[str]:
        out = set()
        for mention in vertex:
            out.add(key(mention["name"]))
            value = parse_date(detokenize(mention["name"].split()))  # "October 5 , 2008"
            if value is not None:
                out.add("date:" + value.lexical)
        return out

    texts = [" ".join(detokenize(sent) for sent in doc["sents"]) for doc in data]
    emitted = correct = 0
    per_relation: dict[str, list[int]] = {}
    found_gold: set[tuple[int, str, int, int]] = set()
    wrong = []
    for n, (doc, facts) in enumerate(zip(data, extract_sentence_facts(texts, onto, model=model, relation_model=relation_model))):
        vertex_names = [names(v) for v in doc["vertexSet"]]
        labels = [(lab["r"], lab["h"], lab["t"]) for lab in doc["labels"]]
        for subject, relation, obj in facts:
            pid = supported.get(relation)
            if pid is None:
                continue
            s_key = key(subject)
            o_keys = {key(obj), "date:" + obj}
            hits = [(r, h, t) for r, h, t in labels if r == pid and s_key in vertex_names[h] and o_keys & vertex_names[t]]
            emitted += 1
            correct += bool(hits)
            per_relation.setdefault(pid, [0, 0])
            per_relation[pid][0] += 1
            per_relation[pid][1] += bool(hits)
            found_gold.update((n, r, h, t) for r, h, t in hits)
            if not hits:
                wrong.append({"doc": doc["title"], "fact": [subject, relation, obj]})
    scored = set(supported.values())
    gold_of: dict[str, int] = {}
    for doc in data:
        for lab in doc["labels"]:
            if lab["r"] in scored:
                gold_of[lab["r"]] = gold_of.get(lab["r"], 0) + 1
    found_of: dict[str, int] = {}
    for _, r, _, _ in found_gold:
        found_of[r] = found_of.get(r, 0) + 1
    gold_total = sum(gold_of.values())
    return {
        "documents": len(data),
        "relations": sorted(set(supported.values())),
        "facts": emitted,
        "correct": correct,
        "precision": round(correct / emitted, 4) if emitted else None,
        "recall": round(len(found_gold) / gold_total, 4) if gold_total else None,
        "per_relation": {pid: {"facts": per_relation.get(pid, [0, 0])[0], "correct": per_relation.get(pid, [0, 0])[1],
                               "gold": gold_of.get(pid, 0), "found": found_of.get(pid, 0)}
                         for pid in sorted(scored | set(per_relation))},
        "wrong": wrong,
    }
