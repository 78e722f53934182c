"""Extraction quality on public benchmarks, scored as the benchmarks' official scorers do, and its speed.

Usage: python bench/quality.py [--shared ../shared] [--runs 3]

- Text2KGBench Wikidata-TekGen movie: patterns learned from the train split (thresholds chosen by 5-fold
  cross-validation on train), scored on the validation split.
- Text2KGBench DBpedia-WebNLG film: there is no validation split, so 5-fold cross-validation on train; each fold's
  thresholds are chosen by an inner 4-fold cross-validation on that fold's training part. The held-out predictions
  of all folds are scored together.
- Speed, on the movie validation sentences, in one run (medians of --runs): the spaCy pipeline alone; kg's
  pipeline plus the learned patterns (the benchmark path); and the product path of ``kg extract --patterns``
  (entities, built-in rules and learned patterns typed by the ontology). Patterns are the movie ones, with the
  thresholds cross-validation chose.

Writes bench/results/quality.json and prints a summary. The test splits are not used.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import time
from datetime import date
from pathlib import Path

import spacy

from kg.evaluate import (
    cross_validate,
    learn_patterns,
    load_benchmark_ontology,
    predict,
    read_gold,
    score,
    split_folds,
)
from kg.extract import LearnedPatterns, extract_facts
from kg.extract.patterns import PatternSet, learn_from_docs
from kg.model import Document
from kg.nlp import load_nlp, resolve_model_name
from kg.ontology import load_ontology

ROOT = Path(__file__).resolve().parent.parent


def movie(t2k: Path) -> dict:
    base = t2k / "data" / "wikidata_tekgen"
    onto_path = base / "ontologies" / "1_movie_ontology.json"
    learned = learn_patterns(base / "train" / "ont_1_movie_train.jsonl", onto_path)
    validation = read_gold(base / "validation" / "ont_1_movie_validation.jsonl")
    nlp = load_nlp()
    onto = load_benchmark_ontology(onto_path)
    system = dict(predict(learned.patterns, onto, nlp.pipe(s.sent for s in validation), validation))
    return {
        "split": "validation",
        "sentences": len(validation),
        "settings": vars(learned.settings),
        "patterns": learned.patterns,
        "train_cv_f1": round(learned.cv.f1, 4),
        "scores": score(onto, validation, system).macro.rounded(4),
    }


def film(t2k: Path, folds: int = 5) -> dict:
    base = t2k / "data" / "dbpedia_webnlg"
    onto = load_benchmark_ontology(base / "ontologies" / "19_film_ontology.json")
    sentences = read_gold(base / "train" / "ont_19_film_train.jsonl")
    nlp = load_nlp()
    docs = list(nlp.pipe(s.sent for s in sentences))
    system, chosen = {}, []
    for train, held in split_folds(len(sentences), folds):
        settings, _ = cross_validate([docs[i] for i in train], [sentences[i] for i in train], folds=folds - 1)[0]
        patterns = learn_from_docs([docs[i] for i in train], [(sentences[i].sent, sentences[i].triples) for i in train])
        settings.apply(patterns)
        chosen.append(vars(settings))
        system.update(predict(patterns, onto, [docs[i] for i in held], [sentences[i] for i in held]))
    gold_itself = score(onto, sentences, {s.id: list(s.triples) for s in sentences}).macro
    return {
        "split": f"train, {folds}-fold cross-validation",
        "sentences": len(sentences),
        "settings_per_fold": chosen,
        "scores": score(onto, sentences, system).macro.rounded(4),
        "gold_triples_scored_as_predictions": {"sub_halluc": round(gold_itself.sub_halluc, 4), "obj_halluc": round(gold_itself.obj_halluc, 4)},
    }


def speed(t2k: Path, runs: int, patterns: PatternSet) -> dict:
    """Throughput of the bare spaCy pipeline, of the benchmark path (kg's pipeline + learned patterns) and of the
    product path (``kg extract --patterns``: entities, built-in rules and learned patterns, typed by the ontology),
    measured in turns in one run; medians of ``runs``."""
    base = t2k / "data" / "wikidata_tekgen"
    onto = load_ontology(base / "ontologies" / "1_movie_ontology.json")
    bound = LearnedPatterns.for_ontology(patterns, onto)
    texts = [s.sent for s in read_gold(base / "validation" / "ont_1_movie_validation.jsonl")] * 2
    words = sum(len(t.split()) for t in texts)
    bare = spacy.load(resolve_model_name())
    nlp = load_nlp()

    def bare_pass() -> None:
        for _ in bare.pipe(texts, batch_size=64):
            pass

    def pattern_pass() -> None:
        for doc in nlp.pipe(texts, batch_size=64):
            patterns.extract(doc)

    def product_pass() -> None:
        for n, doc in enumerate(nlp.pipe(texts, batch_size=64)):
            extract_facts(Document(id=f"urn:speed:{n}", text=texts[n]), doc, onto, bound)

    times: dict[str, list[float]] = {"spacy": [], "patterns": [], "product": []}
    for _ in range(runs):
        for name, run in (("spacy", bare_pass), ("patterns", pattern_pass), ("product", product_pass)):
            start = time.perf_counter()
            run()
            times[name].append(time.perf_counter() - start)
    median = {name: statistics.median(t) for name, t in times.items()}
    return {
        "sentences": len(texts),
        "words": words,
        "spacy_words_per_s": round(words / median["spacy"]),
        "kg_words_per_s": round(words / median["patterns"]),
        "time_ratio": round(median["patterns"] / median["spacy"], 3),
        "product_words_per_s": round(words / median["product"]),
        "product_time_ratio": round(median["product"] / median["spacy"], 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    t2k = args.shared / "eval" / "text2kgbench"
    if not t2k.exists():
        raise SystemExit(f"bench/quality.py: no Text2KGBench data at {t2k} (pass --shared)")
    results = {
        "date": date.today().isoformat(),
        "machine": platform.platform(),
        "model": resolve_model_name(),
        "text2kgbench_movie": movie(t2k),
        "text2kgbench_film": film(t2k),
    }
    results["speed"] = speed(t2k, args.runs, results["text2kgbench_movie"].pop("patterns"))
    redocred = args.shared / "eval" / "redocred" / "dev_revised_film.json"
    if redocred.exists():
        from kg.evaluate import evaluate_redocred

        results["redocred_film_dev"] = evaluate_redocred(redocred)
    out = ROOT / "bench" / "results" / "quality.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
