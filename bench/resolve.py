"""Cost and decisions of cross-article entity resolution on real sentences.

Usage: python bench/resolve.py [--shared ../shared]
Learns patterns from the Text2KGBench movie train split, then builds every validation sentence as an article of
its own (786 one-sentence articles about films, with their people named in many ways) into a fresh on-disk store
with ``--ontology`` the movie JSON and ``--patterns``: the path ``kg build --patterns`` takes. Prints the time
spent resolving against the store next to the whole build, and every merge with its reason.
Writes bench/results/resolve.json.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from collections import Counter
from datetime import date
from pathlib import Path

from kg.api import KnowledgeGraph
from kg.evaluate import learn_patterns, read_gold
from kg.resolve import EntityIndex

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    args = parser.parse_args()
    base = args.shared / "eval" / "text2kgbench" / "data" / "wikidata_tekgen"
    ontology = base / "ontologies" / "1_movie_ontology.json"
    patterns = learn_patterns(base / "train" / "ont_1_movie_train.jsonl", ontology).patterns
    sentences = read_gold(base / "validation" / "ont_1_movie_validation.jsonl")
    spent = {"resolve": 0.0}
    merges: list[dict[str, str]] = []
    original = EntityIndex.resolve

    def timed(self, facts):
        started = time.perf_counter()
        result = original(self, facts)
        spent["resolve"] += time.perf_counter() - started
        merges.extend({"name": m.name, "entity": m.label, "rule": m.rule, "reason": m.reason} for m in result[1])
        return result

    EntityIndex.resolve = timed
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "films.jsonl"
        with corpus.open("w", encoding="utf-8") as out:
            for sentence in sentences:
                out.write(json.dumps({"id": sentence.id, "text": sentence.sent}) + "\n")
        with KnowledgeGraph(Path(tmp) / "store", create=True, ontology=ontology, patterns=patterns) as graph:
            summary = graph.build([corpus])
            entities = int(graph.query("SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e a ?c ; rdfs:label ?l "
                                       "FILTER(STRSTARTS(STR(?e), 'https://w3id.org/kgnews/id/')) }").rows[0][0])
    documents = len(sentences)
    results = {
        "date": date.today().isoformat(),
        "command": "python bench/resolve.py",
        "documents": documents,
        "facts": summary.facts,
        "entities_in_store": entities,
        "build_seconds": round(summary.seconds, 2),
        "resolve_seconds": round(spent["resolve"], 3),
        "resolve_ms_per_document": round(1000 * spent["resolve"] / documents, 2),
        "resolve_share_of_build": round(spent["resolve"] / summary.seconds, 4),
        "merges": len(merges),
        "merges_by_rule": dict(Counter(m["rule"] for m in merges)),
        "merge_reasons": sorted({m["reason"] for m in merges}),
    }
    out = ROOT / "bench" / "results" / "resolve.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps(results, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
