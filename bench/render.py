"""How fast the explorer page is written and how soon it answers in a real browser, at 1,000 to 30,000 entities.

Usage: python bench/render.py [--runs 5] [--sizes 1000:3000,10000:30000,30000:90000] [--store-articles 3000]
For each size (entities:relations) a graph shaped like kg's projection (bench/synthetic.py ``entity_graph``:
films, people and studios with hubs, one sentence of evidence per fact) is written by ``kg.render.render_html``
(the path ``kg viz`` takes after the store is read), then opened from file:// in headless Debian chromium:

- ready: milliseconds from navigation start until the first picture is drawn and physics is off (the page's
  ``data-ready-ms``); the targets are 1 s at 1,000 entities and 5 s at 10,000 entities / 30,000 relations;
- search: from submitting the search for the busiest entity to the panel filled and the view drawn round it,
  measured in the page;
- redraw: one full frame after zooming in by half, measured in the page;
- click: from the mouse going down where that entity is drawn (at zoom 1 or more) to the panel of the entity on
  top there filled and the selection drawn, measured in the page;
- the page must log no console error and request nothing.

Sizes above ``--max-nodes`` (default: kg's own) are cut to the most connected entities, as ``kg viz`` does.
Also times ``graph_stats`` (degree, PageRank, sampled betweenness, Louvain) at each size, and the whole of
``kg viz`` (store read, projection, page) on an on-disk store of ``--store-articles`` synthetic articles.
Medians of ``--runs`` runs; prints and writes bench/results/render.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.synthetic import entity_graph, populate  # noqa: E402
from kg.api import KnowledgeGraph  # noqa: E402
from kg.graph import graph_stats  # noqa: E402
from kg.ontology import load_ontology  # noqa: E402
from kg.render import MAX_NODES, positions, render_html  # noqa: E402
from kg.store import KnowledgeStore  # noqa: E402
from tests.browser import Watch, chromium, chromium_binary, point  # noqa: E402

_REDRAW = """() => new Promise((done) => {
    const network = window.kgExplorer.network, start = performance.now();
    network.once("afterDrawing", () => done(performance.now() - start));
    network.moveTo({scale: network.getScale() * 1.5, animation: false});
})"""


_SEARCH = """(label) => new Promise((done) => {
    const network = window.kgExplorer.network, start = performance.now();
    document.getElementById("search").requestSubmit();
    network.once("afterDrawing", () => done(document.querySelector("#panel").getAttribute("data-node") === label
                                            ? performance.now() - start : -1));
    network.redraw();
})"""
_UNSELECT = """() => {  // as a user who has zoomed to the entity: the view stays, the panel is cleared
    const panel = document.querySelector("#panel"), network = window.kgExplorer.network;
    panel.removeAttribute("data-node");
    panel.replaceChildren();
    network.unselectAll();
    const click = window.__click = {};
    document.querySelector("#graph canvas").addEventListener("pointerdown", (e) => { click.down = e.timeStamp; },
                                                               {once: true, capture: true});
    network.once("click", () => network.once("afterDrawing", () => { click.drawn = performance.now(); }));
}"""


def _median(values: list[float]) -> float:
    return round(statistics.median(values), 1)


def bench_size(browser, nodes: int, edges: int, runs: int, max_nodes: int, workdir: Path) -> dict[str, object]:
    graph = entity_graph(nodes, edges)
    page_path = workdir / f"graph-{nodes}.html"
    written, layout = [], []
    for _ in range(runs):
        start = time.perf_counter()
        render_html(graph, page_path, max_nodes=max_nodes)
        written.append((time.perf_counter() - start) * 1000)
    if nodes <= max_nodes:
        ids = {node: i for i, node in enumerate(sorted(graph))}
        for _ in range(runs):
            start = time.perf_counter()
            positions(graph, ids)
            layout.append((time.perf_counter() - start) * 1000)
    start = time.perf_counter()
    graph_stats(graph)
    stats_ms = (time.perf_counter() - start) * 1000

    ready, search, redraw, click = [], [], [], []
    watch = Watch()
    drawn = left_out = None
    for _ in range(runs):
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        watch.attach(page)
        page.goto(page_path.as_uri())
        page.wait_for_selector("body[data-stabilized=true]", timeout=120_000)
        ready.append(float(page.get_attribute("body", "data-ready-ms")))
        data = json.loads(page.text_content("#kg-data"))
        drawn = (len(data["nodes"]), len(data["edges"]))
        left_out = page.get_attribute("#left-out", "data-left-out-nodes") if page.query_selector("#left-out") else None
        degree = Counter(e["from"] for e in data["edges"]) + Counter(e["to"] for e in data["edges"])
        hub = data["details"][str(degree.most_common(1)[0][0])]["label"]  # the busiest panel
        page.fill("#search-box", hub)
        search.append(page.evaluate(_SEARCH, hub))
        redraw.append(page.evaluate(_REDRAW))
        page.evaluate(_UNSELECT)
        page.mouse.click(*point(page, hub))
        page.wait_for_function("() => window.__click && window.__click.drawn")
        click.append(page.evaluate("() => window.__click.drawn - window.__click.down"))
        page.close()
    return {
        "entities": nodes, "relations": edges, "drawn_entities": drawn[0], "drawn_relations": drawn[1],
        "left_out_entities": int(left_out) if left_out else 0,
        "page_mb": round(page_path.stat().st_size / 1e6, 1),
        "write_ms": _median(written), "layout_ms": _median(layout) if layout else None,
        "ready_ms": _median(ready), "ready_ms_runs": ready, "search_ms": _median(search), "redraw_ms": _median(redraw), "click_ms": _median(click),
        "stats_ms": round(stats_ms), "console_errors": len(watch.errors), "requests": len(watch.requests),
    }


def bench_store(articles: int, runs: int, workdir: Path) -> dict[str, object]:
    """The whole of ``kg viz`` on an on-disk store of synthetic film news (bench/synthetic.py ``populate``):
    reading the facts with their evidence, the networkx projection and the page."""
    location = workdir / "store"
    with KnowledgeStore(location, create=True) as store:
        populate(store, load_ontology(), articles)
    times, read = [], []
    with KnowledgeGraph(location) as graph:
        for _ in range(runs):
            start = time.perf_counter()
            drawn = graph.to_networkx()
            read.append((time.perf_counter() - start) * 1000)
            start = time.perf_counter()
            graph.render_html(workdir / "store.html")
            times.append((time.perf_counter() - start) * 1000)
    return {"articles": articles, "entities": drawn.number_of_nodes(), "relations": drawn.number_of_edges(),
            "values": sum(len(d["values"]) for _, d in drawn.nodes(data=True)),
            "read_ms": _median(read), "viz_ms": _median(times)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sizes", default="1000:3000,10000:30000,30000:90000")
    parser.add_argument("--max-nodes", type=int, default=MAX_NODES)
    parser.add_argument("--store-articles", type=int, default=3000, help="articles in the store for the kg viz timing (0: skip)")
    args = parser.parse_args()
    if chromium_binary() is None:
        sys.exit("bench/render.py: Debian's chromium is not installed (apt-get install chromium)")
    version = subprocess.run([chromium_binary(), "--version"], capture_output=True, text=True).stdout.strip()
    sizes = [tuple(int(n) for n in size.split(":")) for size in args.sizes.split(",") if size]
    run = {"date": date.today().isoformat(), "command": "python " + " ".join(sys.argv)}
    results: dict[str, object] = {**run, "chromium": version, "cpus": os.cpu_count(), "python": platform.python_version(),
                                  "runs": args.runs, "max_nodes": args.max_nodes, "sizes": []} if sizes else {}
    with tempfile.TemporaryDirectory() as tmp, chromium() as browser:
        for nodes, edges in sizes:
            row = bench_size(browser, nodes, edges, args.runs, args.max_nodes, Path(tmp))
            print(json.dumps(row), flush=True)
            results["sizes"].append(row)
        if args.store_articles:
            results["kg_viz"] = {**run, **bench_store(args.store_articles, min(args.runs, 3), Path(tmp))}
            print(json.dumps(results["kg_viz"]), flush=True)
    out = ROOT / "bench" / "results" / "render.json"
    previous = json.loads(out.read_text()) if out.exists() else {}
    out.write_text(json.dumps({**previous, **results}, indent=2) + "\n")  # --sizes "" keeps the page numbers
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
