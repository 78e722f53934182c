"""Build throughput: bare spaCy ``nlp.pipe`` against ``kg build --workers 1`` and ``--workers 2``, side by side.

Usage: python bench/throughput.py [--articles 1000] [--runs 3] [--workers 1 2] [--dask]
       python bench/throughput.py --memory 1000 10000 [--workers 2]

The corpus is the 200 BBC development articles in ../shared (eval/news/bbc-dev) repeated to ``--articles``, one
JSONL line each with a distinct id; builds run with ``--keep-duplicates`` so every copy is parsed, extracted and
stored (copy detection would otherwise store the repeats as pointers). Each measurement is a whole process, model
loading included: bare spaCy (the same model kg loads, ``nlp.pipe``, batch 64, one process); spaCy as kg runs it
(the same model with kg's tables and BLAS ops, ``kg.nlp_tables`` and ``kg.nlp_ops``, without kg's components: the
ratio against it is kg's own overhead); then ``kg build`` into a fresh store with each worker count. The commands
run in turns, round after round, so that a busy machine slows each alike; the figures are medians over ``--runs``
rounds. Peak RSS is the sum over the process and its children, sampled every 0.1 s (pages the forked workers share
with the writer count once per process). CPU seconds are user plus system time of the process and its workers: on a
shared machine their ratio is the steadier measure of one-process overhead. ``--dask`` adds ``kg build --dask
local`` (a LocalCluster of one single-threaded worker process per core). Prints a table and writes
bench/results/throughput.json.

``--memory A B`` measures instead whether a build's memory stays flat in the corpus size: one ``kg build`` of A
articles and one of B (the first ``--workers`` count), each into a fresh store, and their peak RSS; writes
bench/results/throughput-memory.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BBC = ROOT.parent / "shared" / "eval" / "news" / "bbc-dev"
RESULTS = ROOT / "bench" / "results" / "throughput.json"
MEMORY_RESULTS = ROOT / "bench" / "results" / "throughput-memory.json"

_BARE = """
import json, sys
import spacy
from kg.nlp import resolve_model_name
nlp = spacy.load(resolve_model_name())
texts = (json.loads(line)["text"] for line in open(sys.argv[1], encoding="utf-8"))
tokens = sum(len(doc) for doc in nlp.pipe(texts, batch_size=64))
print(tokens, file=sys.stderr)
"""
# The same model as kg runs it (its attribute ruler and lemmatizer as tables, its matrix products on numpy's BLAS,
# one BLAS thread), without kg's own components: against it, a build's ratio is kg's own overhead.
_KG_SPACY = """
import json, sys
import spacy
from kg.nlp import resolve_model_name
from kg.nlp_ops import one_blas_thread, use_blas_ops
from kg.nlp_tables import use_tables
nlp = spacy.load(resolve_model_name())
use_tables(nlp)
use_blas_ops(nlp)
texts = (json.loads(line)["text"] for line in open(sys.argv[1], encoding="utf-8"))
with one_blas_thread():
    tokens = sum(len(doc) for doc in nlp.pipe(texts, batch_size=16))
print(tokens, file=sys.stderr)
"""


def write_corpus(path: Path, articles: int) -> int:
    """The BBC articles repeated to ``articles`` JSONL lines with distinct ids; returns the number of words."""
    files = sorted(BBC.glob("*.txt"))
    if not files:
        sys.exit(f"no articles in {BBC}: the benchmark needs ../shared beside the checkout")
    words = 0
    with path.open("w", encoding="utf-8") as out:
        for n in range(articles):
            source = files[n % len(files)]
            text = source.read_text(encoding="utf-8")
            words += len(text.split())
            out.write(json.dumps({"id": f"copy{n // len(files)}-{source.stem}", "text": text}) + "\n")
    return words


def _tree_rss(pid: int) -> int:
    """Resident set size in bytes of a process and all its descendants (0 once it is gone)."""
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            total += next(int(line.split()[1]) * 1024 for line in status.splitlines() if line.startswith("VmRSS:"))
            for task in Path(f"/proc/{current}/task").iterdir():
                stack += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, StopIteration, ValueError):
            continue
    return total


def run(command: list[str]) -> tuple[float, int, float]:
    """Wall seconds, peak tree RSS (bytes) and CPU seconds (user + system, the process and the children it waited
    for) of one command; exits when it fails."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    peak = 0
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            break
        peak = max(peak, _tree_rss(process.pid))
        time.sleep(0.1)
    seconds = time.perf_counter() - started
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        sys.exit(f"failed ({code}): {' '.join(command)}\n{process.stderr.read()[-2000:]}")
    return seconds, peak, usage.ru_utime + usage.ru_stime


def _build(corpus: Path, store: Path, *options: str) -> list[str]:
    """The ``kg build`` command the benchmark times: every copy stored, an article's time limit generous."""
    return [sys.executable, "-m", "kg", "build", str(corpus), "--store", str(store), "--keep-duplicates",
            "--doc-timeout", "60", *options]


def memory(sizes: list[int], workers: int, out: Path) -> None:
    """One build of each corpus size with ``workers`` workers; prints and saves each one's peak RSS and time."""
    rows = []
    for articles in sizes:
        work = Path(tempfile.mkdtemp(prefix="kg-memory-"))
        try:
            corpus = work / "corpus.jsonl"
            words = write_corpus(corpus, articles)
            seconds, peak, cpu = run(_build(corpus, work / "store", "--workers", str(workers)))
        finally:
            shutil.rmtree(work, ignore_errors=True)
        rows.append({"articles": articles, "words": words, "seconds": round(seconds, 1), "cpu_seconds": round(cpu, 1),
                     "peak_rss_mib": round(peak / 2**20)})
        print(f"{articles} articles, --workers {workers}: {seconds:.1f} s, peak RSS {peak / 2**20:.0f} MiB", file=sys.stderr)
    growth = rows[-1]["peak_rss_mib"] / rows[0]["peak_rss_mib"] - 1
    result = {"date": date.today().isoformat(), "machine": f"{platform.machine()}, {os.cpu_count()} cores (shared)",
              "python": platform.python_version(), "command": "python bench/throughput.py " + " ".join(sys.argv[1:]),
              "workers": workers, "builds": rows, "peak_growth": round(growth, 3)}
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(f"peak RSS {rows[0]['peak_rss_mib']} MiB at {rows[0]['articles']} articles, {rows[-1]['peak_rss_mib']} MiB at "
          f"{rows[-1]['articles']}: {growth:+.1%}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--dask", action="store_true", help="also kg build --dask local")
    parser.add_argument("--memory", type=int, nargs=2, metavar=("A", "B"),
                        help="peak RSS of a build of A articles against one of B, instead of the throughput table")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    if args.memory:
        return memory(args.memory, args.workers[0], args.out or MEMORY_RESULTS)
    args.out = args.out or RESULTS
    work = Path(tempfile.mkdtemp(prefix="kg-throughput-"))
    try:
        corpus = work / "corpus.jsonl"
        words = write_corpus(corpus, args.articles)
        commands = {"bare spaCy": [sys.executable, "-c", _BARE, str(corpus)],
                    "spaCy as kg runs it": [sys.executable, "-c", _KG_SPACY, str(corpus)]}
        for n in args.workers:
            commands[f"kg build --workers {n}"] = _build(corpus, work / "store", "--workers", str(n))
        if args.dask:
            commands["kg build --dask local"] = _build(corpus, work / "store", "--dask", "local")
        measured: dict[str, list[tuple[float, int, float]]] = {name: [] for name in commands}
        for round_ in range(args.runs):
            names = list(commands)
            names = names[round_ % len(names):] + names[:round_ % len(names)]  # each goes first in turn
            for name in names:
                shutil.rmtree(work / "store", ignore_errors=True)
                measured[name].append(run(commands[name]))
                seconds, peak, cpu = measured[name][-1]
                print(f"round {round_ + 1}: {name}: {seconds:.1f} s, {cpu:.1f} s CPU, peak RSS {peak / 2**20:.0f} MiB",
                      file=sys.stderr)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    bare_runs, fast_runs = measured["bare spaCy"], measured["spaCy as kg runs it"]
    bare, fast = (statistics.median(s for s, _, _ in runs) for runs in (bare_runs, fast_runs))
    rows = {}
    for name, runs in measured.items():
        seconds = statistics.median(s for s, _, _ in runs)
        rows[name] = {
            "seconds": [round(s, 2) for s, _, _ in runs], "median_seconds": round(seconds, 2),
            "cpu_seconds": [round(c, 2) for _, _, c in runs],
            "articles_per_second": round(args.articles / seconds, 2), "words_per_second": round(words / seconds),
            "peak_rss_mib": round(statistics.median(p for _, p, _ in runs) / 2**20),
            "throughput_vs_bare_spacy": round(bare / seconds, 3),
            # each round's own ratio: the two ran minutes apart, so a change in the machine's load cancels out more
            "throughput_vs_bare_spacy_by_round": [round(b[0] / r[0], 3) for b, r in zip(bare_runs, runs)],
            "cpu_vs_bare_spacy_by_round": [round(b[2] / r[2], 3) for b, r in zip(bare_runs, runs)],
            "throughput_vs_spacy_as_kg_runs_it": round(fast / seconds, 3),
            "throughput_vs_spacy_as_kg_runs_it_by_round": [round(f[0] / r[0], 3) for f, r in zip(fast_runs, runs)],
        }
    result = {
        "date": date.today().isoformat(), "machine": f"{platform.machine()}, {os.cpu_count()} cores (shared)",
        "python": platform.python_version(),
        "command": "python bench/throughput.py " + " ".join(sys.argv[1:]), "articles": args.articles, "words": words,
        "runs": args.runs, "results": rows,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    print(f"{'':26} {'median s':>9} {'articles/s':>11} {'words/s':>9} {'peak MiB':>9} {'vs spaCy':>9} {'vs as kg':>9}")
    for name, row in rows.items():
        print(f"{name:26} {row['median_seconds']:9.1f} {row['articles_per_second']:11.2f} {row['words_per_second']:9d} "
              f"{row['peak_rss_mib']:9d} {row['throughput_vs_bare_spacy']:9.2f} "
              f"{row['throughput_vs_spacy_as_kg_runs_it']:9.2f}")


if __name__ == "__main__":
    main()
