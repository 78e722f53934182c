"""Facts from real news: the BBC development gold, scored by ../shared/eval/news/score_news.py.

Usage: python bench/news.py [--shared ../shared] [--folds 5] [--thresholds 0.3,0.4,0.5,0.6,0.7]

Cross-validation over articles (Re-DocRED's development documents, Wikipedia, are added to every fold's training
data unless --no-docred): the 39 articles with gold facts are split into folds (articles that share a gold
fact are kept in one fold, so near-copies never sit on both sides); for each fold a relation model is trained
on the other folds' articles (kg.train) and ``kg extract``'s full pipeline (rules, value parser and that model)
runs on the fold's articles. The held-out facts of all folds are scored together by the collection's own
scorer, at each threshold on the model's probability. No article is ever scored by a model trained on it.

Then the packaged model (trained on all gold articles by ``kg train``) runs on all 200 development articles
for the number of facts per article; 161 of them have no gold and were never trained on.

Writes bench/results/news.json and prints a table.
"""

from __future__ import annotations

import argparse
import json
import platform
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from datetime import date
from pathlib import Path

from kg.api import extract
from kg.extract import PACKAGED
from kg.ontology import load_ontology
from kg.train import article_examples, docred_examples, fit, name_key, read_gold

ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY = ROOT / "ontology" / "kg.ttl"


def folds_by_article(gold, n_folds: int) -> list[list[str]]:
    """Articles in ``n_folds`` groups; articles sharing a gold fact (by names and property) stay together."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            x = parent[x]
        return x

    owner: dict[tuple, str] = {}
    for g in gold:
        find(g.doc)
        key = (g.prop, name_key(g.subjects[0]), name_key(g.objects[0]))
        if key in owner:
            parent[find(g.doc)] = find(owner[key])
        else:
            owner[key] = g.doc
    groups: dict[str, list[str]] = defaultdict(list)
    for doc in sorted(parent):
        groups[find(doc)].append(doc)
    folds: list[list[str]] = [[] for _ in range(n_folds)]
    for group in sorted(groups.values(), key=lambda g: (-len(g), g)):
        min(folds, key=len).extend(group)
    return folds


def score(scorer: Path, gold: Path, facts: Path) -> dict[str, float]:
    out = subprocess.run([sys.executable, str(scorer), str(gold), str(facts), str(ONTOLOGY)], capture_output=True,
                         text=True, check=True).stdout
    last = out.strip().splitlines()[-1]
    return {k: float(v) for k, v in (part.split("=") for part in last.split())}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", default=str(ROOT.parent / "shared"))
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--thresholds", default="0.3,0.4,0.5,0.6,0.7,0.8")
    parser.add_argument("--c", type=float, default=5.0)
    parser.add_argument("--news-weight", type=int, default=2)
    parser.add_argument("--min-count", type=int, default=3)
    parser.add_argument("--no-docred", action="store_true", help="Train on the news gold alone.")
    args = parser.parse_args()
    news = Path(args.shared) / "eval" / "news"
    gold_path, scorer, articles = news / "gold_dev.jsonl", news / "score_news.py", news / "bbc-dev"
    onto = load_ontology(ONTOLOGY)
    gold = read_gold(gold_path, onto)
    started = time.perf_counter()
    paths = sorted(articles.glob("*.txt"))
    examples = article_examples(paths, gold, onto)
    docred_file = Path(args.shared) / "eval" / "redocred" / "dev_revised.json"
    extra = [] if args.no_docred else [e for rows in docred_examples(docred_file, onto).values() for e in rows]
    folds = folds_by_article(gold, args.folds)
    thresholds = [float(t) for t in args.thresholds.split(",")]
    held_out: list[dict] = []
    for fold in folds:
        train = [e for doc, rows in sorted(examples.items()) if doc not in fold for e in rows] * args.news_weight + extra
        model = fit(train, c=args.c, min_count=args.min_count, threshold=min(thresholds))
        held_out += extract([articles / doc for doc in fold], ontology=onto, relation_model=model)
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for threshold in thresholds:
            kept = [f for f in held_out if not str(f.get("rule", "")).startswith("model:") or f["confidence"] >= threshold]
            out = Path(tmp) / f"facts-{threshold}.jsonl"
            out.write_text("".join(json.dumps(f) + "\n" for f in kept), encoding="utf-8")
            results[threshold] = score(scorer, gold_path, out)
        rules_only = Path(tmp) / "rules.jsonl"
        rules_only.write_text("".join(json.dumps(f) + "\n" for f in held_out if not str(f.get("rule", "")).startswith("model:")),
                              encoding="utf-8")
        results["rules only"] = score(scorer, gold_path, rules_only)
    cv_seconds = time.perf_counter() - started
    started = time.perf_counter()
    per_article = defaultdict(int)
    for fact in extract(paths, ontology=onto, relation_model=PACKAGED):
        per_article[Path(str(fact["doc"])).name] += 1
    all_seconds = time.perf_counter() - started
    facts_per_article = sum(per_article.values()) / len(paths)
    print(f"{'threshold':>10} {'emitted':>8} {'P':>6} {'R':>6} {'F1':>6} {'macroR':>7}")
    for threshold, r in results.items():
        print(f"{threshold!s:>10} {int(r['emitted']):>8} {r['P']:>6.3f} {r['R']:>6.3f} {r['F1']:>6.3f} {r['macroR']:>7.3f}")
    print(f"cross-validation: {len(folds)} folds over {len(examples)} gold articles, {cv_seconds:.0f} s")
    print(f"packaged model on {len(paths)} dev articles: {facts_per_article:.2f} facts per article, "
          f"{sum(1 for p in paths if per_article[p.name]) } articles with facts, {all_seconds:.0f} s")
    record = {"date": date.today().isoformat(), "machine": platform.platform(), "folds": [sorted(f) for f in folds],
              "c": args.c, "news_weight": args.news_weight, "min_count": args.min_count, "docred": not args.no_docred,
              "cross_validation": {str(k): v for k, v in results.items()},
              "facts_per_article": round(facts_per_article, 2), "articles": len(paths),
              "command": "python bench/news.py " + " ".join(sys.argv[1:])}
    out = ROOT / "bench" / "results" / "news.json"
    out.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    print(f"saved {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
