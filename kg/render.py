"""The HTML explorer: a networkx graph in, one self-contained HTML file out.

networkx -> pyvis (nodes, edges, physics options) -> kg's own Jinja template, which inlines vis-network's
script and style from the pyvis package, so the page opens from ``file://`` with no network at all. pyvis's own
``cdn_resources="in_line"`` still links bootstrap and tom-select from CDNs; this template links nothing.

The page carries, besides vis-network's nodes and edges, a ``details`` entry per node (label, class, aliases,
values) and an ``edgeDetails`` entry per edge (its evidence), each evidence item with the ``marks`` of the
entities' names in its sentence and the index of its article in ``articles`` (title, date, address: written
once however many facts cite them).

Size: up to ``BROWSER_LAYOUT_MAX`` nodes the browser runs the physics once and stops; above, :func:`positions`
computes the layout here and the page opens with physics off; above ``max_nodes`` only the most connected
entities are drawn (:func:`kg.graph.most_connected`) and the page says what was left out.

Safety: article text reaches the page only as JSON inside a ``<script type="application/json">`` block with
``<``, ``>``, ``&`` and line separators escaped, and the page's script puts it into the document with
``textContent`` only; only http(s) addresses become links. Tooltips are plain strings, which vis-network shows
as text. No article can run script.

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
import math
import random
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import networkx as nx

from .graph import VALUE_CLASS, most_connected

if TYPE_CHECKING:
    from pyvis.network import Network

# igraph, pyvis and Jinja are imported where a page is drawn: a build, which draws none, need not load them

__all__ = ["render_html", "render_html_string", "marks", "positions", "node_sizes", "CLASS_COLOURS", "SIZE_BY",
           "MAX_NODES", "BROWSER_LAYOUT_MAX"]

SIZE_BY = ("degree", "pagerank")
MAX_NODES = 10_000  # the most entities a page draws; a 10,000-node page is ready in about 2 s (bench/render.py)
_SPACING = 70.0  # pixels per entity, each way, in a computed layout
BROWSER_LAYOUT_MAX = 300  # up to this many nodes the browser settles the layout; above, it is computed here

# Colour-blind-safe palette (Okabe-Ito), one per class, stable across runs.
CLASS_COLOURS = {
    "Person": "#E69F00", "Organization": "#56B4E9", "Place": "#009E73", "Event": "#F0E442",
    "CreativeWork": "#0072B2", "Film": "#D55E00", "Book": "#CC79A7", "Character": "#999999",
    "Franchise": "#8C564B", "Agent": "#BCBD22", VALUE_CLASS: "#CBD2D9",
}
_FALLBACK = "#7F7F7F"
_SHAPES = {"Person": "dot", "Organization": "square", "Place": "triangle", "Character": "diamond", "Franchise": "hexagon",
           VALUE_CLASS: "box"}


def _offline(asset: str) -> str:
    """An inlined asset with no URL in it and nothing that could end its element early.

    "://" becomes ":\\/\\/", which reads the same inside JS strings, regular expressions and comments;
    "</script" and "</style" become "<\\/script" and "<\\/style" for the same reason.
    """
    asset = asset.replace("://", ":\\/\\/")
    return re.sub(r"</(script|style)", r"<\\/\1", asset, flags=re.IGNORECASE)


@lru_cache(maxsize=1)
def _assets() -> tuple[str, str, str]:
    import pyvis

    vis = Path(pyvis.__file__).parent / "lib" / "vis-9.1.2"
    script = (vis / "vis-network.min.js").read_text(encoding="utf-8")
    style = (vis / "vis-network.css").read_text(encoding="utf-8")
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
        lines.append("also: " + ", ".join(data["aliases"][:5]))
    lines.extend(f"{value['property']}: {value['value']}" for value in data["values"][:5])
    return _tooltip(lines)


def _edge_tooltip(data: dict) -> str:
    first = data["evidence"][0]
    more = len(data["evidence"]) - 1
    return _tooltip([data["label"], f"“{first['sentence'][:200]}”", f"— {first['title'] or first['source']}",
                     f"and {more} more" if more else ""])


def _utf16(text: str, index: int) -> int:
    """A Python string index as the JavaScript (UTF-16) index of the same character."""
    return len(text[:index].encode("utf-16-le")) // 2


def _word_char(char: str) -> bool:
    return char.isalnum() or char == "_"


def marks(sentence: str, names: list[str]) -> list[list[int]]:
    """Where the names occur in the sentence as whole words, ignoring case: sorted, non-overlapping
    ``[start, end]`` pairs in JavaScript (UTF-16) string offsets, for the page to highlight.

    >>> marks("Cameron's Avatar, by James Cameron.", ["James Cameron", "Cameron"])
    [[0, 7], [21, 34]]
    """
    folded = sentence.lower()
    if len(folded) != len(sentence):  # lower() changed a length (e.g. "İ"): search as written instead
        folded = sentence
    taken: list[tuple[int, int]] = []
    for name in sorted({n for n in names if n.strip()}, key=len, reverse=True):
        wanted = name.lower() if folded is not sentence else name
        at = folded.find(wanted)
        while at != -1:
            end = at + len(wanted)
            whole = (at == 0 or not _word_char(sentence[at - 1])) and (end == len(sentence) or not _word_char(sentence[end]))
            if whole and all(end <= a or at >= b for a, b in taken):
                taken.append((at, end))
            at = folded.find(wanted, at + 1)
    if sentence.isascii():
        return [[a, b] for a, b in sorted(taken)]
    return [[_utf16(sentence, a), _utf16(sentence, b)] for a, b in sorted(taken)]


def _names(data: dict) -> list[str]:
    return [data["label"], *data["aliases"]]


class _Articles:
    """The page's table of articles: each evidence item names its article by position, so a title, date and
    address are written once however many facts cite them."""

    def __init__(self) -> None:
        self.rows: list[dict[str, str]] = []
        self._index: dict[tuple[str, str, str, str], int] = {}

    def evidence(self, ev: dict, names: list[str]) -> dict:
        """One evidence item as the page reads it: the sentence, the entities' names marked in it, its article."""
        key = (ev.get("doc", ""), ev["title"], ev.get("date", ""), ev.get("url", ""))
        if key not in self._index:
            self._index[key] = len(self.rows)
            self.rows.append({"title": ev["title"] or ev["source"], "date": key[2], "url": key[3]})
        item = {"sentence": ev["sentence"], "article": self._index[key], "confidence": ev["confidence"],
                "rule": ev.get("rule", ""), "marks": marks(ev["sentence"], names)}
        if "property" in ev:
            item.update(property=ev["property"], value=ev["value"])
        return item


@dataclass
class _Box:
    """One connected part's layout, in pixels, before it is packed."""

    nodes: list[str]
    xs: list[float]
    ys: list[float]
    left: float
    top: float
    width: float
    height: float


def _fruchterman_reingold(graph: nx.MultiDiGraph, nodes: list[str]) -> list[tuple[float, float]]:
    """igraph's Fruchterman-Reingold (grid approximation) for one connected part, seeded for a stable picture."""
    if len(nodes) < 3:
        return [(float(i), 0.0) for i in range(len(nodes))]
    import igraph

    index = {node: i for i, node in enumerate(nodes)}
    part = igraph.Graph(n=len(nodes), edges=[(index[a], index[b]) for a, b in graph.subgraph(nodes).edges() if a != b])
    igraph.set_random_number_generator(random.Random(7))
    try:
        return [tuple(xy) for xy in part.layout_fruchterman_reingold(grid=True).coords]
    finally:
        igraph.set_random_number_generator(random)


def positions(graph: nx.MultiDiGraph, ids: dict[str, int]) -> dict[str, tuple[float, float]]:
    """A force-directed layout computed here rather than in the browser, for graphs too big to settle there
    (about 1 s at 10,000 nodes and 30,000 edges).

    Each connected part is laid out on its own and the parts are packed in rows, the largest first, so that
    small parts and lone entities neither drift far away nor shrink the main part to a dot. Coordinates are
    scaled so that the main part has about 70 x 70 pixels per entity: readable when zoomed in, and small enough
    when fitted that vis-network skips drawing labels.
    """
    parts = sorted((sorted(part, key=ids.__getitem__) for part in nx.weakly_connected_components(graph)),
                   key=lambda part: (-len(part), ids[part[0]]))
    laid = [(part, _fruchterman_reingold(graph, part)) for part in parts]
    main_xy = laid[0][1] if laid else [(0.0, 0.0)]
    span = max(max(xy[k] for xy in main_xy) - min(xy[k] for xy in main_xy) for k in (0, 1))
    scale = _SPACING * math.sqrt(len(main_xy)) / span if span > 0 else _SPACING
    boxes = []
    for part, xy in laid:
        factor = scale if len(part) >= 3 else _SPACING  # one or two entities: side by side, one spacing apart
        xs, ys = [x * factor for x, _ in xy], [y * factor for _, y in xy]
        boxes.append(_Box(part, xs, ys, min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys)))
    gap = 60.0
    row_width = max(boxes[0].width, math.sqrt(sum((b.width + gap) * (b.height + gap) for b in boxes))) if boxes else 0.0
    placed: dict[str, tuple[float, float]] = {}
    x = y = row_height = 0.0
    for box in boxes:  # shelves: left to right, a new row when the next part would pass the row's width
        if x > 0 and x + box.width > row_width:
            x, y, row_height = 0.0, y + row_height + gap, 0.0
        for node, px, py in zip(box.nodes, box.xs, box.ys):
            placed[node] = (round(x + px - box.left, 1), round(y + py - box.top, 1))
        x += box.width + gap
        row_height = max(row_height, box.height)
    return placed


def node_sizes(graph: nx.MultiDiGraph, size_by: str) -> dict[str, float]:
    """What a node's size stands for: its number of facts (``degree``) or its ``pagerank``."""
    if size_by == "degree":
        return {node: float(degree) for node, degree in graph.degree()}
    if size_by == "pagerank":
        return nx.pagerank(nx.DiGraph(graph)) if graph.number_of_nodes() else {}
    raise ValueError(f"size_by must be one of {', '.join(SIZE_BY)}, not {size_by!r}")


def _edges(graph: nx.MultiDiGraph, ids: dict[str, int]) -> list[tuple[str, str, dict]]:
    """The edges in page order; an edge's position is its id on the page."""
    ordered = sorted(graph.edges(keys=True, data=True), key=lambda e: (ids[e[0]], ids[e[1]], e[2]))
    return [(source, target, data) for source, target, _key, data in ordered]


class _NodeIds(list):
    """pyvis keeps node ids in a list and scans it on every node and edge added (quadratic at 10,000 nodes);
    this list answers ``in`` from a set."""

    def __init__(self) -> None:
        super().__init__()
        self._members: set = set()

    def append(self, item) -> None:
        super().append(item)
        self._members.add(item)

    def __contains__(self, item) -> bool:
        return item in self._members


def _network(graph: nx.MultiDiGraph, ids: dict[str, int], edges: list[tuple[str, str, dict]], size_by: str) -> Network:
    """The pyvis network for a graph: deterministic ids, colours, sizes and either a seeded physics layout that
    the browser runs once (small graphs) or fixed positions computed here (large ones)."""
    from pyvis.network import Network

    net = Network(height="100%", width="100%", directed=True, cdn_resources="in_line")
    net.node_ids = _NodeIds()
    fixed = positions(graph, ids) if graph.number_of_nodes() > BROWSER_LAYOUT_MAX else {}
    sizes = node_sizes(graph, size_by)
    for node, i in ids.items():
        data = graph.nodes[node]
        at = dict(zip("xy", fixed[node])) if fixed else {}
        net.add_node(i, label=data["label"], title=_node_tooltip(data), color=CLASS_COLOURS.get(data["cls"], _FALLBACK),
                     shape=_SHAPES.get(data["cls"], "dot"), value=sizes[node], **at)
    for j, (source, target, data) in enumerate(edges):
        tooltip = {} if fixed else {"title": _edge_tooltip(data)}  # large pages: the panel alone, half the bytes
        net.add_edge(ids[source], ids[target], id=j, label=data["label"], **tooltip)
    options: dict = {
        "layout": {"randomSeed": 7, "improvedLayout": graph.number_of_nodes() <= 200},
        "physics": {"solver": "forceAtlas2Based", "stabilization": {"iterations": 300, "fit": True},
                    "forceAtlas2Based": {"gravitationalConstant": -60, "springLength": 140}},
        "edges": {"arrows": "to", "font": {"size": 10, "align": "middle"}, "smooth": {"type": "continuous"}, "color": {"color": "#9aa5b1"}},
        "nodes": {"font": {"size": 14}, "scaling": {"min": 10, "max": 40}},
        "interaction": {"hover": True, "tooltipDelay": 150, "navigationButtons": False},
    }
    if fixed:  # drawn where computed; physics stays off until the user turns it on
        options["physics"] = {"enabled": False, "solver": "barnesHut", "stabilization": False}
        options["edges"]["smooth"] = False
        options["interaction"].update({"hover": False, "hideEdgesOnDrag": True, "hideEdgesOnZoom": True})
        # 30,000 edge labels cost 1.7 s a frame when zoomed in (vis-network draws every edge); the page paints
        # the labels of the selected entity's relations only (graph.js)
        options["edges"]["font"]["size"] = 0
    net.set_options(json.dumps(options))
    return net


@lru_cache(maxsize=1)
def _template():
    from jinja2 import Environment, PackageLoader, select_autoescape

    env = Environment(loader=PackageLoader("kg", "templates"), autoescape=select_autoescape(["html"]))
    return env.get_template("graph.html")


def render_html_string(graph: nx.MultiDiGraph, *, title: str = "kg knowledge graph", note: str = "",
                       size_by: str = "degree", max_nodes: int = MAX_NODES) -> str:
    """The explorer page for a graph, as a string.

    Parameters
    ----------
    size_by : what a node's size stands for, ``degree`` (facts) or ``pagerank``.
    max_nodes : above this many entities only the most connected are drawn, and the page says what was left out.
    """
    if max_nodes < 1:
        raise ValueError("max_nodes must be at least 1")
    graph, trimmed = most_connected(graph, max_nodes)
    ids = {node: i for i, node in enumerate(sorted(graph.nodes))}
    edges = _edges(graph, ids)
    net = _network(graph, ids, edges, size_by)
    nodes, drawn_edges, _, _, _, options = net.get_network_data()
    articles = _Articles()
    details = {
        str(i): {"label": graph.nodes[n]["label"], "cls": graph.nodes[n]["cls"], "aliases": graph.nodes[n]["aliases"],
                 "values": [articles.evidence(v, _names(graph.nodes[n])) for v in graph.nodes[n]["values"]]}
        for n, i in ids.items()
    }
    edge_details = {
        str(j): [articles.evidence(ev, _names(graph.nodes[a]) + _names(graph.nodes[b])) for ev in data["evidence"]]
        for j, (a, b, data) in enumerate(edges)
    }
    legend = sorted({d["cls"] for _, d in graph.nodes(data=True)})
    script, style, app = _assets()
    return _template().render(
        app_script=app,
        script_hashes=" ".join(_csp_hash(s) for s in (script, app)),
        title=title,
        note=note,
        left_out=trimmed.note(graph.number_of_nodes()) if trimmed else "",
        trimmed=trimmed,
        legend=[(cls, CLASS_COLOURS.get(cls, _FALLBACK), _SHAPES.get(cls, "dot")) for cls in legend],
        counts={"nodes": graph.number_of_nodes(), "edges": graph.number_of_edges()},
        properties=sorted({d["label"] for _, _, d in graph.edges(data=True)}),
        data=_json_for_script({"nodes": nodes, "edges": drawn_edges, "options": json.loads(options), "details": details,
                               "edgeDetails": edge_details, "articles": articles.rows}),
        vis_script=script,
        vis_style=style,
    )


def render_html(graph: nx.MultiDiGraph, path: str | Path, *, title: str = "kg knowledge graph", note: str = "",
                size_by: str = "degree", max_nodes: int = MAX_NODES) -> Path:
    """Write the explorer page for a graph to ``path`` (see :func:`render_html_string`) and return it."""
    path = Path(path)
    html = render_html_string(graph, title=title, note=note, size_by=size_by, max_nodes=max_nodes)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(html, encoding="utf-8")
    tmp.replace(path)
    return path
