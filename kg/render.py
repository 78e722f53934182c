"""The HTML explorer: a networkx graph in, one self-contained HTML file out.

networkx -> pyvis (nodes, edges, physics options) -> kg's own Jinja template, which inlines vis-network's
script and style from the pyvis package, so the page opens from ``file://`` with no network at all. pyvis's own
``cdn_resources="in_line"`` still links bootstrap and tom-select from CDNs; this template links nothing.

Safety: article text reaches the page only as JSON inside a ``<script type="application/json">`` block with
``<``, ``>``, ``&`` and line separators escaped, and the page's script puts it into the document with
``textContent`` only. Tooltips are plain strings, which vis-network shows as text. No article can run script.

>>> import networkx as nx
>>> g = nx.MultiDiGraph()
>>> g.add_node("urn:a", label="<b>A</b>", cls="Person", aliases=[], values=[])
>>> html = render_html_string(g, title="t")
>>> "<b>A</b>" in html, "://" in html
(False, False)
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from functools import lru_cache
from pathlib import Path

import networkx as nx
import pyvis
from jinja2 import Environment, PackageLoader, select_autoescape
from pyvis.network import Network

__all__ = ["render_html", "render_html_string", "CLASS_COLOURS"]

# Colour-blind-safe palette (Okabe-Ito), one per class, stable across runs.
CLASS_COLOURS = {
    "Person": "#E69F00", "Organization": "#56B4E9", "Place": "#009E73", "Event": "#F0E442",
    "CreativeWork": "#0072B2", "Film": "#D55E00", "Book": "#CC79A7", "Character": "#999999",
    "Franchise": "#8C564B", "Agent": "#BCBD22",
}
_FALLBACK = "#7F7F7F"
_SHAPES = {"Person": "dot", "Organization": "square", "Place": "triangle", "Character": "diamond", "Franchise": "hexagon"}
_VIS_DIR = Path(pyvis.__file__).parent / "lib" / "vis-9.1.2"


def _offline(asset: str) -> str:
    """An inlined asset with no URL in it and nothing that could end its element early.

    "://" becomes ":\\/\\/", which reads the same inside JS strings, regular expressions and comments;
    "</script" and "</style" become "<\\/script" and "<\\/style" for the same reason.
    """
    asset = asset.replace("://", ":\\/\\/")
    return re.sub(r"</(script|style)", r"<\\/\1", asset, flags=re.IGNORECASE)


@lru_cache(maxsize=1)
def _assets() -> tuple[str, str, str]:
    script = (_VIS_DIR / "vis-network.min.js").read_text(encoding="utf-8")
    style = (_VIS_DIR / "vis-network.css").read_text(encoding="utf-8")
    app = (Path(__file__).parent / "templates" / "graph.js").read_text(encoding="utf-8")
    return _offline(script), _offline(style), _offline(app)


def _csp_hash(script: str) -> str:
    """A Content-Security-Policy source that allows exactly this inline script and nothing else."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode() + "'"


def _json_for_script(data: object) -> str:
    """JSON that is safe inside a <script> element whatever the strings in it contain.

    "/" is written "\\/" (a JSON escape), so IRIs in the data never read as URLs in the page source.
    """
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    for raw, escaped in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e"), ("\u2028", "\\u2028"),
                         ("\u2029", "\\u2029"), ("/", "\\/")):
        text = text.replace(raw, escaped)
    return text


def _tooltip(lines: list[str]) -> str:
    return "\n".join(line for line in lines if line)


def _node_tooltip(data: dict) -> str:
    lines = [data["label"], f"({data['cls']})"]
    if data["aliases"]:
        lines.append("also: " + ", ".join(data["aliases"]))
    for value in data["values"][:8]:
        lines.append(f"{value['property']}: {value['value']} — “{value['sentence'][:200]}” ({value['title'] or value['source']})")
    return _tooltip(lines)


def _edge_tooltip(data: dict) -> str:
    lines = [data["label"]]
    for ev in data["evidence"][:5]:
        lines.append(f"“{ev['sentence'][:300]}”")
        lines.append(f"— {ev['title'] or ev['source']}")
    return _tooltip(lines)


def _network(graph: nx.MultiDiGraph) -> Network:
    """The pyvis network for a graph: deterministic ids, colours, sizes and a seeded layout."""
    net = Network(height="100%", width="100%", directed=True, cdn_resources="in_line")
    ids = {node: i for i, node in enumerate(sorted(graph.nodes))}
    degree = dict(graph.degree())
    for node in sorted(graph.nodes):
        data = graph.nodes[node]
        net.add_node(
            ids[node], label=data["label"], title=_node_tooltip(data),
            color=CLASS_COLOURS.get(data["cls"], _FALLBACK), shape=_SHAPES.get(data["cls"], "dot"),
            size=12 + 4 * min(degree[node], 10),
        )
    for source, target, key, data in sorted(graph.edges(keys=True, data=True), key=lambda e: (ids[e[0]], ids[e[1]], e[2])):
        net.add_edge(ids[source], ids[target], label=data["label"], title=_edge_tooltip(data), arrows="to")
    net.set_options(json.dumps({
        "layout": {"randomSeed": 7, "improvedLayout": graph.number_of_nodes() <= 500},
        "physics": {"solver": "forceAtlas2Based", "stabilization": {"iterations": 300, "fit": True},
                    "forceAtlas2Based": {"gravitationalConstant": -60, "springLength": 140}},
        "edges": {"font": {"size": 10, "align": "middle"}, "smooth": {"type": "continuous"}, "color": {"color": "#9aa5b1"}},
        "nodes": {"font": {"size": 14}},
        "interaction": {"hover": True, "tooltipDelay": 150, "navigationButtons": False},
    }))
    return net


@lru_cache(maxsize=1)
def _template():
    env = Environment(loader=PackageLoader("kg", "templates"), autoescape=select_autoescape(["html"]))
    return env.get_template("graph.html")


def render_html_string(graph: nx.MultiDiGraph, *, title: str = "kg knowledge graph", note: str = "") -> str:
    """The explorer page for a graph, as a string."""
    net = _network(graph)
    nodes, edges, _, _, _, options = net.get_network_data()
    details = {
        str(i): {"label": graph.nodes[n]["label"], "cls": graph.nodes[n]["cls"], "aliases": graph.nodes[n]["aliases"],
                 "values": graph.nodes[n]["values"]}
        for i, n in enumerate(sorted(graph.nodes))
    }
    legend = sorted({d["cls"] for _, d in graph.nodes(data=True)})
    script, style, app = _assets()
    return _template().render(
        app_script=app,
        script_hashes=" ".join(_csp_hash(s) for s in (script, app)),
        title=title,
        note=note,
        legend=[(cls, CLASS_COLOURS.get(cls, _FALLBACK)) for cls in legend],
        counts={"nodes": graph.number_of_nodes(), "edges": graph.number_of_edges()},
        properties=sorted({d["label"] for _, _, d in graph.edges(data=True)}),
        data=_json_for_script({"nodes": nodes, "edges": edges, "options": json.loads(options), "details": details}),
        vis_script=script,
        vis_style=style,
    )


def render_html(graph: nx.MultiDiGraph, path: str | Path, *, title: str = "kg knowledge graph", note: str = "") -> Path:
    """Write the explorer page for a graph to ``path`` and return it."""
    path = Path(path)
    html = render_html_string(graph, title=title, note=note)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(html, encoding="utf-8")
    tmp.replace(path)
    return path
