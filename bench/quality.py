"""Extraction quality on all 29 Text2KGBench ontologies, scored as the benchmark's official scorer does, in one run.

Usage: python bench/quality.py [--shared ../shared] [--only NAME ...] [--no-purge] [--speed] [--redocred]

For each ontology, patterns and the ontology's relation classifier (kg/extract/ontology_classifier.py) are learned
from its examples, with the pattern thresholds and the classifier's threshold chosen by 3-fold cross-validation
grouped by triple (kg/learn.py: sentences with the same triple set are held out together, and no training side
holds a sentence that shares a triple with its held-out side):

- Wikidata-TekGen (10): learned on the train split, scored on the validation split.
- DBpedia-WebNLG (19): no validation split, so 5-fold cross-validation on train grouped the same way; each
  fold's thresholds are chosen by the inner grouped cross-validation on that fold's training part only. The
  held-out predictions of all folds are scored together. Each ontology's label model (kg/extract/label_model.py)
  also gets a prior learned from the other 18 ontologies' examples, and each fold's model also learns from about
  30 of the other 18 ontologies' example sentences per relation it shares with them (kg.learn.borrow), in both
  cases without any sentence that is one of its own or shares a triple with one (kg.learn.PriorPool).

Train examples whose relation the ontology lacks are skipped and counted (6_computer has some). Prints a table
per ontology (P, R, F1, conformance, subject/relation/object hallucination), the two means and the time; writes
bench/results/quality.json. The test splits are never used.

``--no-purge`` keeps in each WebNLG training side the sentences that share a triple with its held-out side (the
folds are the same; writes bench/results/quality-not-purged.json). ``--speed`` adds the throughput of the movie patterns against bare spaCy; ``--redocred`` the precision of kg's own
facts on the Re-DocRED film documents.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import time
from dataclasses import asdict
from datetime import date
from pathlib import Path

import spacy

from kg.evaluate import BenchmarkOntology, load_benchmark_ontology, read_gold, score
from kg.extract import LearnedPatterns, extract_facts
from kg.extract.patterns import PatternSet
from kg.learn import Parsed, PriorPool, borrow, grouped_folds, learn, parse_sentences, predict_parsed, prior_pool, prior_source, read_examples
from kg.model import Document
from kg.nlp import load_nlp, resolve_model_name
from kg.ontology import load_ontology

ROOT = Path(__file__).resolve().parent.parent
BORROWED = 30  # examples borrowed per relation from the other WebNLG ontologies
METRICS = ("precision", "recall", "f1", "onto_conf", "sub_halluc", "rel_halluc", "obj_halluc")


def ontologies(t2k: Path) -> list[tuple[str, str, Path]]:
    """(dataset, name, ontology file) of every ontology, TekGen first, in their numbering."""
    out = []
    for dataset in ("wikidata_tekgen", "dbpedia_webnlg"):
        files = (t2k / "data" / dataset / "ontologies").glob("*_ontology.json")
        for path in sorted(files, key=lambda p: int(p.name.split("_")[0])):
            out.append((dataset, path.name.removesuffix("_ontology.json"), path))
    return out


def _info(onto: BenchmarkOntology, train_path: Path, sentences: int, skipped: list[str]) -> dict:
    return {"relations": len(onto.relations), "train_file": train_path.name, "train_sentences": sentences, "skipped": skipped}


def tekgen(base: Path, name: str, onto: BenchmarkOntology, nlp) -> dict:
    train_path = base / "train" / f"ont_{name}_train.jsonl"
    examples = read_examples(train_path, onto)
    model, cv = learn(parse_sentences(examples.sentences, onto, nlp), onto, folds=3)
    validation = read_gold(base / "validation" / f"ont_{name}_validation.jsonl")
    held = parse_sentences(validation, onto, nlp)
    report = score(onto, validation, predict_parsed(model, onto, held))
    return {**_info(onto, train_path, len(examples.sentences), examples.report()), "split": "validation",
            "scored_sentences": len(validation), "choice": _choice(model.choice), "train_cv_f1": round(cv.f1, 4) if cv else None,
            "scores": report.macro.rounded(4)}


def webnlg(base: Path, name: str, onto: BenchmarkOntology, nlp, folds: int = 5, purge: bool = True,
           pool: PriorPool | None = None, parsed: dict[str, Parsed] | None = None) -> dict:
    train_path = base / "train" / f"ont_{name}_train.jsonl"
    examples = read_examples(train_path, onto)
    parsed = parsed or {}
    data = parsed.get(name) or parse_sentences(examples.sentences, onto, nlp)
    # the label model's prior and the borrowed examples: the other ontologies' examples, none of which is or shares
    # a triple with one of these
    prior = pool.prior_for(name, data.sentences) if pool is not None else None
    borrowed = borrow(data, [other for n, other in parsed.items() if n != name], BORROWED) if parsed else None
    system, choices, train_sizes = {}, [], []
    for train, held in grouped_folds(data.sentences, folds, purge=purge):
        model, _ = learn(data.subset(train), onto, folds=3, prior=prior, borrowed=borrowed)
        choices.append(_choice(model.choice))
        train_sizes.append(len(train))
        system.update(predict_parsed(model, onto, data.subset(held)))
    report = score(onto, data.sentences, system)
    return {**_info(onto, train_path, len(examples.sentences), examples.report()),
            "split": f"train, {folds}-fold cross-validation grouped by triple" + ("" if purge else " (not purged)"),
            "scored_sentences": len(data.sentences), "borrowed_sentences": len(borrowed.sentences) if borrowed else 0,
            "train_sentences_per_fold": train_sizes, "choice_per_fold": choices, "scores": report.macro.rounded(4)}


def _choice(choice) -> dict | None:
    return None if choice is None else {**asdict(choice.settings), "classifier_threshold": choice.threshold,
                                        "label_words_below": choice.few, "label_model_threshold": choice.label_threshold}


def prior_sources(t2k: Path, nlp) -> tuple[PriorPool, dict[str, Parsed]]:
    """The WebNLG ontologies' train examples, from which each one's label model gets a prior learned from the
    others (:func:`kg.learn.prior_pool`) and borrows the others' examples of its relations (:func:`kg.learn.borrow`);
    each parsed once for both and for its own run."""
    sources, parsed = {}, {}
    for dataset, name, path in ontologies(t2k):
        if dataset == "dbpedia_webnlg":
            onto = load_benchmark_ontology(path)
            examples = read_examples(t2k / "data" / dataset / "train" / f"ont_{name}_train.jsonl", onto)
            data = parse_sentences(examples.sentences, onto, nlp)
            sources[name] = prior_source(data)
            parsed[name] = data
    return prior_pool(sources), parsed


def quality(t2k: Path, only: list[str], purge: bool = True) -> dict:
    nlp = load_nlp()
    results: dict[str, dict] = {}
    pool: PriorPool | None = None
    parsed: dict[str, Parsed] = {}
    for dataset, name, path in ontologies(t2k):
        if only and name not in only:
            continue
        start = time.perf_counter()
        onto = load_benchmark_ontology(path)
        base = t2k / "data" / dataset
        if dataset == "dbpedia_webnlg" and pool is None:
            pool, parsed = prior_sources(t2k, nlp)
            print(f"label-model priors from {len(pool.names)} WebNLG ontologies: {time.perf_counter() - start:.0f} s", flush=True)
            start = time.perf_counter()
        row = tekgen(base, name, onto, nlp) if dataset == "wikidata_tekgen" else webnlg(base, name, onto, nlp, purge=purge, pool=pool, parsed=parsed)
        row["seconds"] = round(time.perf_counter() - start, 1)
        results[f"{dataset}/{name}"] = row
        s = row["scores"]
        print(f"{dataset[:8]:8} {name:26} " + " ".join(f"{s[m]:.3f}" for m in METRICS) + f"  {row['seconds']:6.1f}s", flush=True)
    return results


def means(results: dict) -> dict:
    out = {}
    for dataset in ("wikidata_tekgen", "dbpedia_webnlg"):
        rows = [r["scores"] for key, r in results.items() if key.startswith(dataset)]
        if rows:
            out[dataset] = {"ontologies": len(rows), **{m: round(statistics.mean(r[m] for r in rows), 4) for m in METRICS}}
    return out


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
    parser.add_argument("--only", nargs="*", default=[], help="ontology names (1_movie, 19_film ...); default all 29")
    parser.add_argument("--speed", action="store_true", help="also measure the movie patterns' speed against spaCy")
    parser.add_argument("--redocred", action="store_true", help="also score kg's own facts on Re-DocRED film documents")
    parser.add_argument("--no-purge", action="store_true",
                        help="WebNLG folds keep sentences that share a triple with the held-out side in training")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    t2k = args.shared / "eval" / "text2kgbench"
    if not t2k.exists():
        raise SystemExit(f"bench/quality.py: no Text2KGBench data at {t2k} (pass --shared)")
    start = time.perf_counter()
    print(f"{'dataset':8} {'ontology':26} " + " ".join(f"{m[:5]:>5}" for m in METRICS) + "  time")
    per_ontology = quality(t2k, args.only, purge=not args.no_purge)
    results = {
        "date": date.today().isoformat(),
        "machine": platform.platform(),
        "model": resolve_model_name(),
        "means": means(per_ontology),
        "seconds": round(time.perf_counter() - start, 1),
        "cpu_seconds": round(time.process_time(), 1),  # the wall time grows with what else the machine runs
        "ontologies": per_ontology,
    }
    for dataset, row in results["means"].items():
        print(f"mean {dataset} ({row['ontologies']}): " + " ".join(f"{m} {row[m]:.3f}" for m in METRICS))
    print(f"learning and prediction for {len(per_ontology)} ontologies: {results['seconds']:.0f} s "
          f"({results['cpu_seconds']:.0f} s of CPU, model loading included)")
    if args.speed:
        from kg.evaluate import learn_patterns

        base = t2k / "data" / "wikidata_tekgen"
        learned = learn_patterns(base / "train" / "ont_1_movie_train.jsonl", base / "ontologies" / "1_movie_ontology.json")
        results["speed"] = speed(t2k, args.runs, learned.patterns)
    redocred = args.shared / "eval" / "redocred" / "dev_revised_film.json"
    if args.redocred and redocred.exists():
        from kg.evaluate import evaluate_redocred

        results["redocred_film_dev"] = evaluate_redocred(redocred)
    name = "quality-partial.json" if args.only and not args.no_purge else "quality-not-purged.json" if args.no_purge else "quality.json"
    out = ROOT / "bench" / "results" / name
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
