"""CPU time of extraction alone (no parsing, no store) on the BBC development articles, and a digest of its facts.

Usage: python bench/extract_cpu.py [--runs 3] [--articles ../shared/eval/news/bbc-dev]

The articles are parsed once with kg's pipeline; then the rules, coreference and the packaged relation classifier
run over the parses ``--runs`` times, and the least CPU time of a run is printed with the number of facts and a
digest of them (subject, property, object and evidence of every fact, in order). Two versions of kg compared this
way (``PYTHONPATH=<checkout>``) should print the same digest when a change is meant to keep the facts. Writes
bench/results/extract_cpu.json.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import platform
import time
from datetime import date
from pathlib import Path

from kg.documents import read_documents
from kg.ontology import load_ontology
from kg.pipeline import Extractor, ExtractSettings, Job

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--articles", type=Path, default=ROOT.parent / "shared" / "eval" / "news" / "bbc-dev")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "extract_cpu.json")
    args = parser.parse_args()
    if not args.articles.exists():
        raise SystemExit(f"bench/extract_cpu.py: no articles at {args.articles} (pass --articles)")
    extractor = Extractor(ExtractSettings(load_ontology()))
    documents = list(read_documents([args.articles]))
    parsed = [doc for _, doc in extractor.parsed([Job(d) for d in documents])]
    times = []
    for _ in range(args.runs):
        started = time.process_time()
        facts = [extractor.facts(Job(d), doc, None) for d, doc in zip(documents, parsed)]
        times.append(time.process_time() - started)
    digest = hashlib.sha256(repr([[(f.subject, f.predicate, f.object, f.evidence) for f in fs] for fs in facts])
                            .encode()).hexdigest()[:16]
    result = {"date": date.today().isoformat(), "machine": platform.platform(), "articles": len(documents),
              "cpu_seconds": [round(t, 3) for t in times], "best_cpu_seconds": round(min(times), 3),
              "facts": sum(map(len, facts)), "digest": digest}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"{len(documents)} articles: extraction {min(times):.2f} s CPU (least of {args.runs}), "
          f"{result['facts']} facts, digest {digest}")


if __name__ == "__main__":
    main()
