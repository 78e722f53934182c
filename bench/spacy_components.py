"""CPU time of each spaCy component: the model's own, with kg's tables, and with kg's tables and BLAS ops.

Usage: python bench/spacy_components.py [--articles ../shared/eval/news/bbc-dev] [--runs 3]

The three pipelines load the same model, freshly in each run. ``tables`` has its attribute ruler and lemmatizer
replaced by kg's lookup tables (``kg.nlp_tables.use_tables``), whose caches are then empty, as in a new build;
``tables+blas`` also multiplies matrices on numpy's BLAS (``kg.nlp_ops.use_blas_ops``), which is the model as
``kg.nlp.load_nlp`` runs it, before kg's own components. Each run parses the articles component by component over
the whole corpus (``pipe`` with batches of 16, BLAS held to one thread), timing each with the process's CPU clock.
Prints each component's least CPU time over the runs, and the number of tokens whose tag, part of speech,
morphology, lemma, dependency, head or entity differ from the model's own (0 is the point). First it times one
matrix product of the token-to-vector layers' shape (6,000 rows of 288 or 384 by 288) both ways, thinc's BLIS
``gemm`` and ``numpy.matmul`` on one BLAS thread, in GFLOP/s of CPU time. Writes bench/results/spacy_components.json.
"""

from __future__ import annotations

import argparse
import json
import platform
import time
from datetime import date
from pathlib import Path

import numpy
import spacy
from thinc.api import NumpyOps

from kg.nlp import resolve_model_name
from kg.nlp_ops import one_blas_thread, use_blas_ops
from kg.nlp_tables import use_tables

ROOT = Path(__file__).resolve().parent.parent


def _timed(nlp: spacy.Language, texts: list[str]) -> tuple[dict[str, float], list]:
    docs = [nlp.make_doc(text) for text in texts]
    seconds = {}
    for name, component in nlp.pipeline:
        started = time.process_time()
        docs = list(component.pipe(docs, batch_size=16)) if hasattr(component, "pipe") else [component(d) for d in docs]
        seconds[name] = time.process_time() - started
    return seconds, docs


def gemm_speed(rows: int = 6000, inner: int = 288, columns: int = 288, repeats: int = 20) -> dict[str, float]:
    """GFLOP/s (per CPU second) of ``x @ w.T`` for float32 ``x`` (rows, inner) and ``w`` (columns, inner): thinc's
    BLIS ``NumpyOps.gemm`` against ``numpy.matmul``, one BLAS thread; the least time of ``repeats``."""
    rng = numpy.random.default_rng(0)
    x = rng.standard_normal((rows, inner), dtype=numpy.float32)
    w = rng.standard_normal((columns, inner), dtype=numpy.float32)
    speeds = {}
    with one_blas_thread():
        for name, product in (("blis", lambda: NumpyOps().gemm(x, w, trans2=True)), ("numpy", lambda: x @ w.T)):
            product()
            best = float("inf")
            for _ in range(repeats):
                started = time.process_time()
                product()
                best = min(best, time.process_time() - started)
            speeds[name] = round(2 * rows * inner * columns / max(best, 1e-9) / 1e9, 1)
    return speeds


def _annotations(doc) -> list[tuple[str, ...]]:
    return [(t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_, t.head.i, t.ent_iob_, t.ent_type_) for t in doc]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=Path, default=ROOT.parent / "shared" / "eval" / "news" / "bbc-dev")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "spacy_components.json")
    args = parser.parse_args()
    texts = [p.read_text(encoding="utf-8") for p in sorted(args.articles.glob("*.txt"))]
    if not texts:
        raise SystemExit(f"bench/spacy_components.py: no .txt articles in {args.articles} (pass --articles)")
    gemm = {f"6000x{inner}x288": gemm_speed(inner=inner) for inner in (288, 384)}
    for shape, speeds in gemm.items():
        print(f"matrix product {shape}: BLIS {speeds['blis']} GFLOP/s, numpy {speeds['numpy']} GFLOP/s")
    best: dict[str, dict[str, float]] = {"model": {}, "tables": {}, "tables+blas": {}}
    differing: dict[str, int] = {}
    tokens = 0
    for _ in range(args.runs):
        pipelines = {label: spacy.load(resolve_model_name()) for label in best}
        use_tables(pipelines["tables"])
        use_tables(pipelines["tables+blas"])
        use_blas_ops(pipelines["tables+blas"])
        annotations = {}
        for label, nlp in pipelines.items():
            with one_blas_thread():
                seconds, docs = _timed(nlp, texts)
            for name, value in seconds.items():
                best[label][name] = min(value, best[label].get(name, value))
            annotations[label] = [_annotations(doc) for doc in docs]
        differing = {label: sum(a != b for doc_a, doc_b in zip(annotations["model"], annotations[label], strict=True)
                                for a, b in zip(doc_a, doc_b, strict=True)) for label in best if label != "model"}
        tokens = sum(map(len, annotations["model"]))
    result = {"date": date.today().isoformat(), "machine": platform.platform(), "articles": len(texts),
              "tokens": tokens, "differing_tokens": differing, "gemm_gflops": gemm,
              "cpu_seconds": {label: {k: round(v, 3) for k, v in parts.items()} for label, parts in best.items()},
              "total": {label: round(sum(parts.values()), 3) for label, parts in best.items()}}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    for label, parts in best.items():
        print(f"{label:11s} " + ", ".join(f"{name} {value:.2f}" for name, value in parts.items())
              + f"; total {sum(parts.values()):.2f} s CPU")
    print(f"{len(texts)} articles, {tokens} tokens; annotated differently from the model's own: "
          + ", ".join(f"{label} {count}" for label, count in differing.items()))


if __name__ == "__main__":
    main()
