"""Extraction throughput against the spaCy pipeline's own, on the same text in one run.

Usage: python bench/extract_speed.py [--copies 40] [--runs 5]
Prints words per second for (a) the bare spaCy model, (b) kg's pipeline + extraction, and their ratio;
writes bench/results/extract_speed.json. Medians of several runs (the machine is shared and noisy).
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

from kg.documents import read_documents
from kg.extract import extract_facts
from kg.nlp import load_nlp, resolve_model_name
from kg.ontology import load_ontology

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=40, help="times the corpus is repeated")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    paths = [ROOT / "examples"]
    seed = ROOT.parent / "shared" / "corpus" / "seed" / "alita-sequel.txt"
    if seed.exists():
        paths.append(seed)
    docs = list(read_documents(paths)) * args.copies
    words = sum(len(d.text.split()) for d in docs)
    bare = spacy.load(resolve_model_name())
    nlp, onto = load_nlp(), load_ontology()

    def spacy_only() -> None:
        for _ in bare.pipe((d.text for d in docs), batch_size=16):
            pass

    def kg_extract() -> None:
        for parsed, doc in nlp.pipe(((d.text, d) for d in docs), as_tuples=True, batch_size=16):
            extract_facts(doc, parsed, onto)

    spacy_only(), kg_extract()  # warm up
    times = {"spacy": [], "kg": []}
    for _ in range(args.runs):
        for name, fn in (("spacy", spacy_only), ("kg", kg_extract)):
            start = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - start)
    median = {k: statistics.median(v) for k, v in times.items()}
    result = {
        "date": date.today().isoformat(), "machine": f"{platform.machine()} {platform.python_version()}",
        "documents": len(docs), "words": words, "runs": args.runs,
        "spacy_words_per_s": round(words / median["spacy"]), "kg_words_per_s": round(words / median["kg"]),
        "kg_over_spacy_time": round(median["kg"] / median["spacy"], 3),
        "ms_per_document_kg": round(1000 * median["kg"] / len(docs), 2),
    }
    print(json.dumps(result, indent=2))
    out = ROOT / "bench" / "results" / "extract_speed.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
