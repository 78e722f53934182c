"""Store benchmarks, side by side in one run: load and query at 1M triples, incremental builds, the HTTP endpoint.

Usage: python bench/store.py [--triples 1000000] [--articles 10000] [--seconds 30] [--clients 8] [--runs 5]
                             [--mix-timeout 2] [--parts load,incremental,http,mix,growth,merge] [--store DIR] [--baseline DIR]
                             [--growth-sizes 500,2000,10000] [--growth-runs 15] [--growth-build 10000] [--growth-slice 1000]

- load: the same synthetic film facts (bench/synthetic.py) as about ``--triples`` plain triples, loaded and
  queried (a GROUP BY count and a numeric FILTER + ORDER BY, through rdflib's query API) in (a) Oxigraph, kg's
  embedded default, (b) rdflib's in-memory store and (c) kg's own store path, where every fact also has its
  reified evidence and every document its named graph and provenance. Each runs in a process of its own, so
  its peak memory is its own.
- incremental: one real article (examples/alita-sequel-talks.txt) built into an empty store and into a store of
  ``--articles`` articles (kg build's whole path after the model is loaded; the article is removed between runs).
- http: ``kg serve`` on that store (``--articles`` articles; built without the incremental timings when that part
  is not run) under ``--clients`` concurrent keep-alive clients for ``--seconds``: lookups of a film's facts by
  name, and every tenth request the top ten directors (a GROUP BY over the whole store). Counts errors.
  With ``--baseline DIR`` (another version's ``kg`` package, e.g. ``git archive REV kg | tar -x -C DIR``) it
  runs that version's server and this one in turn, twice each, on the same store (``--store`` to reuse one).
- mix: the same load on ``kg serve --timeout MIX_TIMEOUT``, plus one runaway query (a cartesian product that never
  ends) sent every second; each must get 503 at its timeout, its worker killed and replaced, and every other
  request must be answered within the timeout (latency p50, p95 and max of the others).
- growth: the same 50 people in every article, as in news. (a) One real article naming some of them
  (examples/alita-sequel-talks.txt: James Cameron, Jon Landau, Robert Rodriguez) added to stores of each of
  ``--growth-sizes`` articles in which those 50 people recur (bench/synthetic.py ``news_articles``, written through
  the store as ``kg build`` stores them): kg build's whole path after the model is loaded,
  removed between runs; each of ``--growth-runs`` runs adds it to an empty store and then to the big one, in
  turns, and each size reports both medians (wall clock and CPU time) and their ratio. (b) ``kg build`` of
  ``--growth-build`` such articles as .txt files into an empty store, with the rate (files/s) and the CPU time per
  article of every ``--growth-slice`` of them (0: skip).

- merge: the merged default graph (each triple once) of a store of ``--articles`` articles (not in the default
  parts): writing them, then making the default graph the merge of the named graphs again in one pass, which is
  what upgrading a store written by an older kg costs once and what ``kg serve --allow-update`` costs per update,
  and the nquads export (the named graphs without the default graph). Medians of ``--runs``.

Prints and writes bench/results/store.json. Medians of ``--runs`` runs (the machine is shared and noisy).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.synthetic import documents, populate, populate_recurring, write_news  # noqa: E402

QUERIES = {
    "group_by_count": "SELECT ?d (COUNT(DISTINCT ?f) AS ?n) WHERE { ?f kg:director ?d } GROUP BY ?d ORDER BY DESC(?n) ?d LIMIT 10",
    "filter_order_by": "SELECT DISTINCT ?f ?g WHERE { ?f kg:boxOffice ?g FILTER(?g > 2900000000) } ORDER BY DESC(?g) ?f LIMIT 100",
}
PREFIX = "PREFIX kg: <https://w3id.org/kgnews/ontology#>\n"
# The endpoint's heavy request: the same aggregate without the tie-break on the IRI, which makes the load answers
# comparable but costs Oxigraph most of the time (ordering by an IRI decodes its string for every comparison).
TOP_DIRECTORS = "SELECT ?d (COUNT(DISTINCT ?f) AS ?n) WHERE { ?f kg:director ?d } GROUP BY ?d ORDER BY DESC(?n) LIMIT 10"


# ---------------------------------------------------------------- load and query

def _plain_triples(path: Path, target: int) -> int:
    """Write the synthetic facts as N-Triples (facts, types, labels; no evidence) until ``target`` triples;
    return how many documents that took."""
    from kg.ontology import load_ontology
    from kg.rdf import value_literal
    from kg.rdf import entity_iri
    from rdflib import RDF, RDFS, Literal

    onto = load_ontology()
    seen: set[str] = set()
    count = 0
    with path.open("w", encoding="utf-8") as out:
        for count, (_, facts) in enumerate(documents(10**9), 1):
            for fact in facts:
                lines = []
                subject = entity_iri(fact.subject)
                for entity in (fact.subject, getattr(fact.object, "key", None) and fact.object):
                    if entity:
                        iri = entity_iri(entity).n3()
                        lines += [f"{iri} {RDF.type.n3()} {onto.iri(entity.cls).n3()} .",
                                  f"{iri} {RDFS.label.n3()} {Literal(entity.label).n3()} ."]
                obj = entity_iri(fact.object) if hasattr(fact.object, "key") else value_literal(fact.object)
                lines.append(f"{subject.n3()} {onto.iri(fact.predicate).n3()} {obj.n3()} .")
                for line in lines:
                    if line not in seen:
                        seen.add(line)
                        out.write(line + "\n")
            if len(seen) >= target:
                return count
    return count


def _timed_queries(run, runs: int) -> dict[str, object]:
    out: dict[str, object] = {}
    for name, query in QUERIES.items():
        answer = run(PREFIX + query)  # warm-up, and the answer every variant must give
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            run(PREFIX + query)
            times.append(time.perf_counter() - start)
        out[name] = {"ms": round(1000 * statistics.median(times), 1), "rows": len(answer), "answer": answer[:3]}
    return out


def _load_variant(variant: str, data: Path, docs: int, runs: int) -> dict[str, object]:
    """Load and query in this process; its peak RSS is the variant's."""
    from rdflib import Graph
    from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

    workdir = Path(tempfile.mkdtemp(prefix=f"kg-bench-{variant}-"))
    start = time.perf_counter()
    if variant == "oxigraph":
        import pyoxigraph as ox
        from oxrdflib import OxigraphStore

        native = ox.Store(str(workdir / "ox"))
        native.bulk_load(path=str(data), format=ox.RdfFormat.N_TRIPLES)
        graph = Graph(store=OxigraphStore(store=native), identifier=DATASET_DEFAULT_GRAPH_ID)
        size = len(native)
    elif variant == "rdflib_memory":
        graph = Graph()
        graph.parse(str(data), format="nt")
        size = len(graph)
    else:
        from kg.ontology import load_ontology
        from kg.store import KnowledgeStore

        store = KnowledgeStore(workdir / "kg", create=True)
        populate(store, load_ontology(), docs)
        graph = store.dataset
        size = len(store.native)
    load = time.perf_counter() - start

    def run(query: str) -> list[list[str]]:
        return [[str(term) for term in row] for row in graph.query(query)]

    queries = _timed_queries(run, runs)
    shutil.rmtree(workdir, ignore_errors=True)
    return {"load_s": round(load, 1), "quads": size, "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
            "queries": queries}


def bench_load(triples: int, runs: int) -> dict[str, object]:
    workdir = Path(tempfile.mkdtemp(prefix="kg-bench-load-"))
    data = workdir / "facts.nt"
    docs = _plain_triples(data, triples)
    results: dict[str, object] = {"plain_triples": sum(1 for _ in data.open()), "documents": docs}
    for variant in ("oxigraph", "rdflib_memory", "kg_store"):
        print(f"load: {variant} ...", file=sys.stderr, flush=True)
        child = subprocess.run([sys.executable, __file__, "--variant", variant, "--data", str(data), "--docs", str(docs),
                                "--runs", str(runs)], capture_output=True, text=True, check=True)
        results[variant] = json.loads(child.stdout)
    shutil.rmtree(workdir, ignore_errors=True)
    for name in QUERIES:
        answers = {v: results[v]["queries"][name]["answer"] for v in ("oxigraph", "rdflib_memory", "kg_store")}
        assert len({json.dumps(a) for a in answers.values()}) == 1, f"{name}: the variants disagree: {answers}"
        ox_ms = results["oxigraph"]["queries"][name]["ms"]
        results[f"{name}_kg_store_over_oxigraph"] = round(results["kg_store"]["queries"][name]["ms"] / ox_ms, 2)
        results[f"{name}_rdflib_memory_over_oxigraph"] = round(results["rdflib_memory"]["queries"][name]["ms"] / ox_ms, 1)
    return results


# ---------------------------------------------------------------- incremental

def bench_incremental(articles: int, runs: int, workdir: Path) -> dict[str, object]:
    from kg.api import KnowledgeGraph
    from kg.ontology import load_ontology
    from kg.store import KnowledgeStore

    onto = load_ontology()
    big, empty = workdir / "big", workdir / "empty"
    start = time.perf_counter()
    with KnowledgeStore(big, create=True) as store:
        populate(store, onto, articles)
    populate_s = time.perf_counter() - start
    with KnowledgeStore(empty, create=True) as store:
        store.ensure_ontology(onto)
    article = ROOT / "examples" / "alita-sequel-talks.txt"
    with KnowledgeGraph("memory") as warm:
        warm.build([article])  # loads the spaCy model once for the process
    times: dict[str, list[float]] = {"empty": [], "big": []}
    for _ in range(runs):
        for name, where in (("empty", empty), ("big", big)):
            with KnowledgeGraph(where, writable=True) as graph:
                start = time.perf_counter()
                summary = graph.build([article])
                times[name].append(time.perf_counter() - start)
                assert summary.added == 1
                graph.remove(str(article))
    median = {k: statistics.median(v) for k, v in times.items()}
    return {"articles": articles, "populate_s": round(populate_s, 1), "add_one_ms_empty": round(1000 * median["empty"], 1),
            "add_one_ms_big": round(1000 * median["big"], 1), "big_over_empty": round(median["big"] / median["empty"], 2)}


# ---------------------------------------------------------------- growth

def _add_one(where: Path, article: Path) -> tuple[float, float]:
    """Seconds to build ``article`` into the store at ``where`` (removed again afterwards): wall clock and this
    process's CPU time (which other work on the shared machine disturbs less)."""
    from kg.api import KnowledgeGraph

    with KnowledgeGraph(where, writable=True) as graph:
        start, cpu = time.perf_counter(), time.process_time()
        summary = graph.build([article])
        elapsed = time.perf_counter() - start, time.process_time() - cpu
        assert summary.added == 1, summary
        graph.remove(str(article))
    return elapsed


def bench_growth(sizes: list[int], build: int, slice_: int, runs: int, workdir: Path) -> dict[str, object]:
    """Adding one article as the store of recurring people grows, and the rate of a long build."""
    from kg.api import KnowledgeGraph
    from kg.ontology import load_ontology
    from kg.store import KnowledgeStore

    onto = load_ontology()
    article = ROOT / "examples" / "alita-sequel-talks.txt"
    with KnowledgeGraph("memory") as warm:
        warm.build([article])  # loads the spaCy model once for the process
    empty, big, written, populate_s = workdir / "growth-empty", workdir / "growth", 0, 0.0
    for where in (empty, big):
        with KnowledgeStore(where, create=True) as opened:
            opened.ensure_ontology(onto)
    add_one: list[dict[str, object]] = []
    for size in sorted(sizes):
        print(f"growth: {size} articles ...", file=sys.stderr, flush=True)
        start = time.perf_counter()
        with KnowledgeStore(big, writable=True) as opened:
            populate_recurring(opened, onto, size, start=written)
        populate_s += time.perf_counter() - start
        written = size
        times: dict[Path, list[tuple[float, float]]] = {empty: [], big: []}
        for _ in range(runs):  # in turns, so that both see the same noise of the shared machine
            for where in (empty, big):
                times[where].append(_add_one(where, article))
        (ms_empty, cpu_empty), (ms_big, cpu_big) = ([1000 * statistics.median(t[k] for t in times[where]) for k in (0, 1)]
                                                   for where in (empty, big))
        add_one.append({"articles": size, "ms_empty": round(ms_empty, 1), "ms": round(ms_big, 1),
                        "over_empty": round(ms_big / ms_empty, 2), "cpu_ms_empty": round(cpu_empty, 1),
                        "cpu_ms": round(cpu_big, 1), "cpu_over_empty": round(cpu_big / cpu_empty, 2)})
    result: dict[str, object] = {"runs": runs, "populate_s": round(populate_s, 1), "add_one": add_one}
    if build:
        print(f"growth: kg build of {build} articles ...", file=sys.stderr, flush=True)
        paths = write_news(workdir / "news", build, seed=2)
        stamps: list[tuple[float, float]] = []
        with KnowledgeGraph(workdir / "built", create=True) as graph:
            stamps.append((time.perf_counter(), time.process_time()))
            summary = graph.build(paths, progress=lambda _: stamps.append((time.perf_counter(), time.process_time())))
        cuts = range(0, len(stamps) - slice_, slice_)
        rates = [round(slice_ / (stamps[n + slice_][0] - stamps[n][0]), 1) for n in cuts]
        cpu = [round(1000 * (stamps[n + slice_][1] - stamps[n][1]) / slice_, 1) for n in cuts]
        result["build"] = {"articles": build, "slice": slice_, "seconds": round(summary.seconds, 1), "added": summary.added,
                           "copies": summary.duplicates, "facts": summary.facts, "files_per_s_by_slice": rates,
                           "last_over_first": round(rates[-1] / rates[0], 2) if rates else None,
                           "cpu_ms_per_article_by_slice": cpu}
    return result


# ---------------------------------------------------------------- the merged default graph

def bench_merge(articles: int, runs: int, workdir: Path) -> dict[str, object]:
    import io

    import pyoxigraph as ox

    from kg.ontology import load_ontology
    from kg.store import KnowledgeStore

    with KnowledgeStore(workdir / "merge", create=True) as store:
        start = time.perf_counter()
        populate(store, load_ontology(), articles)
        write_s = time.perf_counter() - start
        merged = sum(1 for _ in store.native.quads_for_pattern(None, None, None, ox.DefaultGraph()))
        quads = len(store.native) - merged  # in the named graphs
        remerge, export = [], []
        for _ in range(runs):
            start = time.perf_counter()
            store.update("DELETE DATA { GRAPH <urn:bench> { <urn:a> <urn:b> <urn:c> } }")  # changes nothing: the pass
            remerge.append(time.perf_counter() - start)
            start = time.perf_counter()
            store.export("nquads", io.BytesIO())
            export.append(time.perf_counter() - start)
    return {"articles": articles, "named_graph_quads": quads, "default_graph_triples": merged, "write_s": round(write_s, 1),
            "articles_per_s": round(articles / write_s, 1), "remerge_s": round(statistics.median(remerge), 2),
            "nquads_export_s": round(statistics.median(export), 2)}


# ---------------------------------------------------------------- HTTP endpoint

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"  # never ends on a real store


def bench_http(store: Path, seconds: float, clients: int, *, timeout: float | None = None,
               runaway_every: float | None = None, kg_path: str | None = None) -> dict[str, object]:
    """``clients`` keep-alive clients on ``kg serve`` for ``seconds``; with ``runaway_every``, one runaway query
    that often as well (on its own connection), on a server started with ``--timeout timeout``. ``kg_path``: the
    directory holding the ``kg`` package the server runs (another checkout, for a side-by-side run)."""
    from kg.store import KnowledgeStore
    from rdflib import Literal

    with KnowledgeStore(store) as reader:
        films = [str(r[0]) for r in reader.query("SELECT DISTINCT ?l WHERE { ?f a kg:Film ; rdfs:label ?l } LIMIT 2000")]
    options = ["--timeout", str(timeout)] if timeout else []
    env = {**os.environ, "PYTHONPATH": kg_path or str(ROOT)}
    server = subprocess.Popen([sys.executable, "-m", "kg", "serve", "--store", str(store), "--port", "0", *options],
                              stderr=subprocess.PIPE, text=True, env=env)
    url = urlsplit(re.search(r"(http://\S+/sparql)", server.stderr.readline()).group(1))
    threading.Thread(target=server.stderr.read, daemon=True).start()  # never let the pipe fill
    _wait_for_workers(url)
    latencies: list[float] = []
    errors: list[str] = []
    runaways: list[tuple[int, float]] = []
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def client(seed: int) -> None:
        rng = random.Random(seed)
        connection = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
        n = 0
        while time.monotonic() < stop:
            n += 1
            if n % 10 == 0:
                query = TOP_DIRECTORS
            else:
                query = f"SELECT ?p ?o WHERE {{ ?f rdfs:label {Literal(rng.choice(films)).n3()} ; ?p ?o }}"
            start = time.perf_counter()
            try:
                status, data = _post(connection, url.path, query)
                ok = status == 200 and b'"bindings"' in data
            except (OSError, http.client.HTTPException) as exc:
                ok, data = False, str(exc).encode()
                connection = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
            elapsed = time.perf_counter() - start
            with lock:
                (latencies.append(elapsed) if ok else errors.append(data[:200].decode(errors="replace")))

    def runaway() -> None:
        connection = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
        start = time.perf_counter()
        try:
            status, _ = _post(connection, url.path, RUNAWAY)
        except (OSError, http.client.HTTPException):
            status = 0
        with lock:
            runaways.append((status, time.perf_counter() - start))

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    while runaway_every and time.monotonic() < stop - 0.5:
        threads.append(threading.Thread(target=runaway))
        threads[-1].start()
        time.sleep(runaway_every)
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - began
    server_rss = _peak_rss_mb(server.pid)
    server.terminate()
    server.wait(timeout=20)
    latencies.sort()
    result = {"clients": clients, "seconds": round(wall, 1), "requests": len(latencies) + len(errors),
              "errors": len(errors), "first_errors": errors[:3], "requests_per_s": round(len(latencies) / wall, 1),
              "p50_ms": round(1000 * latencies[len(latencies) // 2], 1),
              "p95_ms": round(1000 * latencies[int(len(latencies) * 0.95)], 1),
              "p99_ms": round(1000 * latencies[int(len(latencies) * 0.99)], 1),
              "max_ms": round(1000 * latencies[-1], 1), "server_peak_rss_mb": server_rss}
    if runaway_every:
        result.update({"timeout_s": timeout, "runaway_queries": len(runaways),
                       "runaway_statuses": sorted({status for status, _ in runaways}),
                       "runaway_answered_after_s_max": round(max(t for _, t in runaways), 2),
                       "others_all_within_timeout": not errors and latencies[-1] < timeout})
    return result


def _post(connection: http.client.HTTPConnection, path: str, query: str) -> tuple[int, bytes]:
    connection.request("POST", path, urlencode({"query": query}), {"Content-Type": "application/x-www-form-urlencoded",
                                                                   "Accept": "application/sparql-results+json"})
    response = connection.getresponse()
    return response.status, response.read()


def _wait_for_workers(url, seconds: float = 60) -> None:
    """Until the server answers a query (its worker processes have started)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if _post(http.client.HTTPConnection(url.hostname, url.port, timeout=10), url.path, "ASK {}")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise RuntimeError("kg serve did not answer")


def _peak_rss_mb(pid: int) -> int | None:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    match = re.search(r"VmHWM:\s+(\d+) kB", status)
    return int(match.group(1)) // 1024 if match else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--mix-timeout", type=float, default=2.0)
    parser.add_argument("--store", help="an existing store for the http and mix parts (not populated again)")
    parser.add_argument("--baseline", metavar="DIR", help="a directory holding another version's kg package: the "
                        "http part then runs it and this one in turn, twice each, under the same load")
    parser.add_argument("--parts", default="load,incremental,http,mix,growth")
    parser.add_argument("--growth-sizes", default="500,2000,10000", help="store sizes (articles) to add one article to")
    parser.add_argument("--growth-runs", type=int, default=15, help="runs of adding one article, per store size")
    parser.add_argument("--growth-build", type=int, default=10_000, help="articles in the long kg build (0: none)")
    parser.add_argument("--growth-slice", type=int, default=1_000, help="articles per slice of the build's rate")
    parser.add_argument("--variant", help=argparse.SUPPRESS)  # a load variant, in a child process
    parser.add_argument("--data", help=argparse.SUPPRESS)
    parser.add_argument("--docs", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.variant:
        print(json.dumps(_load_variant(args.variant, Path(args.data), args.docs, args.runs)))
        return
    parts = set(args.parts.split(","))
    result: dict[str, object] = {"date": date.today().isoformat(), "machine": f"{platform.machine()} {platform.python_version()}",
                                 "cpus": os.cpu_count(), "command": " ".join(["python bench/store.py", *sys.argv[1:]])}
    if "load" in parts:
        result["load"] = bench_load(args.triples, args.runs)
    workdir = Path(tempfile.mkdtemp(prefix="kg-bench-store-"))
    if "incremental" in parts:
        print("incremental ...", file=sys.stderr, flush=True)
        result["incremental"] = bench_incremental(args.articles, args.runs, workdir)
    elif parts & {"http", "mix"} and not args.store:
        from kg.ontology import load_ontology
        from kg.store import KnowledgeStore

        print(f"populating {args.articles} articles ...", file=sys.stderr, flush=True)
        with KnowledgeStore(workdir / "big", create=True) as store:
            populate(store, load_ontology(), args.articles)
    served = Path(args.store) if args.store else workdir / "big"
    if "http" in parts and args.baseline:
        runs: dict[str, list[dict[str, object]]] = {"baseline": [], "this": []}
        for _ in range(2):
            for name, path in (("baseline", args.baseline), ("this", None)):
                print(f"http ({name}) ...", file=sys.stderr, flush=True)
                runs[name].append(bench_http(served, args.seconds, args.clients, kg_path=path))
        keys = ("requests", "errors", "requests_per_s", "p50_ms", "p95_ms", "p99_ms", "max_ms")
        result["http_side_by_side"] = {"baseline": args.baseline, "store": str(served),
                                       **{name: [{k: r[k] for k in keys} for r in rs] for name, rs in runs.items()}}
    elif "http" in parts:
        print("http ...", file=sys.stderr, flush=True)
        result["http"] = {"articles": args.articles, **bench_http(served, args.seconds, args.clients)}
    if "mix" in parts:
        print("mix ...", file=sys.stderr, flush=True)
        result["mix"] = {"articles": args.articles, **bench_http(served, args.seconds, args.clients,
                                                                  timeout=args.mix_timeout, runaway_every=1.0)}
    if "merge" in parts:
        print("merge ...", file=sys.stderr, flush=True)
        result["merge"] = bench_merge(args.articles, args.runs, workdir)
    if "growth" in parts:
        sizes = [int(n) for n in args.growth_sizes.split(",") if n]
        result["growth"] = bench_growth(sizes, args.growth_build, args.growth_slice, args.growth_runs, workdir)
    for part in ("load", "incremental", "http", "mix", "http_side_by_side", "growth", "merge"):
        if part in result:
            result[part] = {"date": result["date"], "command": result["command"], **result[part]}
    print(json.dumps(result, indent=2))
    out = ROOT / "bench" / "results" / "store.json"
    previous = json.loads(out.read_text()) if out.exists() else {}
    out.write_text(json.dumps({**previous, **result}, indent=2) + "\n")  # a run of some --parts keeps the others
    shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
