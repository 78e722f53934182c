"""How many busy worker cores one writer can serve: CPU per article of the writer against that of the workers.

Usage: python bench/writer_load.py [--articles 400] [--workers 2]

A ``kg build`` of the BBC development articles of ../shared (eval/news/bbc-dev), repeated to ``--articles`` JSONL
lines with distinct ids and built with every copy kept (as ``bench/throughput.py`` does), runs in this process with
``--workers`` worker processes into a fresh directory store. The writer's CPU is this process's user plus system
time around ``KnowledgeGraph.build`` (loading the model before the workers fork included; reading, copy detection,
the writer's check of the workers' guesses, resolution and writing); the workers' is that of the child processes
the build waited for. A build is parallel until the writer is busy all the time: it can serve about
``workers' CPU per article / writer's CPU per article`` busy worker cores. Prints both and writes
bench/results/writer_load.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import sys
import tempfile
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from throughput import write_corpus  # noqa: E402  (bench/ is not a package)

from kg.api import KnowledgeGraph  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def _cpu(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=400)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "writer_load.json")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kg-writer-") as work:
        corpus = Path(work) / "corpus.jsonl"
        write_corpus(corpus, args.articles)
        with KnowledgeGraph(Path(work) / "store", create=True) as graph:
            writer, workers = _cpu(resource.RUSAGE_SELF), _cpu(resource.RUSAGE_CHILDREN)
            summary = graph.build([corpus], workers=args.workers, duplicate_threshold=None)
            writer, workers = _cpu(resource.RUSAGE_SELF) - writer, _cpu(resource.RUSAGE_CHILDREN) - workers
    writer_ms, workers_ms = 1000 * writer / args.articles, 1000 * workers / args.articles
    result = {"date": date.today().isoformat(), "machine": f"{platform.machine()}, {os.cpu_count()} cores (shared)",
              "command": "python bench/writer_load.py " + " ".join(sys.argv[1:]), "articles": args.articles,
              "workers": args.workers, "stored": summary.added, "facts": summary.facts,
              "writer_cpu_seconds": round(writer, 2), "workers_cpu_seconds": round(workers, 2),
              "writer_ms_per_article": round(writer_ms, 1), "workers_ms_per_article": round(workers_ms, 1),
              "worker_cores_one_writer_serves": round(workers_ms / writer_ms, 1)}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"{args.articles} articles, --workers {args.workers}: writer {writer:.1f} s CPU ({writer_ms:.1f} ms an "
          f"article), workers {workers:.1f} s CPU ({workers_ms:.1f} ms an article): one writer serves about "
          f"{workers_ms / writer_ms:.1f} busy worker cores")


if __name__ == "__main__":
    main()
