"""The HTML explorer: self-contained, escapes hostile article text, works in a real browser."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser

from click.testing import CliRunner

from kg.api import KnowledgeGraph
from kg.cli import main
from kg.render import marks, render_html, render_html_string

from .browser import Watch, chromium, point, require_chromium
from .conftest import ROOT

HOSTILE = (
    '<script>window.__pwned = 1</script> producer Jon "<img src=x onerror=window.__pwned=2>" Landau said '
    'that Robert Rodriguez directed "Alita: Battle Angel", which grossed $404 million. '
    'The "</script><script>window.__pwned=3</script>" affair and <a href="javascript:window.__pwned=4">X</a> followed.'
)


HOSTILE_HTML = """<!DOCTYPE html><html><head><title>Studio "news" &lt;b&gt;</title>
<meta property="article:published_time" content="2024-05-06T10:00:00Z">
<link rel="canonical" href="https://news.example.org/landau?q=%22x%22&amp;r=%3Cy%3E"></head>
<body><article><p>Jon Landau, the chief executive of Lightstorm Entertainment, said the sequel was moving.</p>
<p>Read <a href="javascript:window.__pwned=5">more</a>.</p></article></body></html>"""


@pytest.fixture(scope="module")
def hostile_page(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("hostile")
    article = tmp / "hostile.txt"
    article.write_text('Headline with <b>tags</b> & "quotes"\n\n' + HOSTILE, encoding="utf-8")
    (tmp / "landau.html").write_text(HOSTILE_HTML, encoding="utf-8")
    with KnowledgeGraph(tmp / "store", create=True) as graph:
        graph.build([article, tmp / "landau.html"])
        assert graph.facts(), "the hostile article must still yield facts to render"
        return graph.render_html(tmp / "graph.html")


def test_page_has_no_external_reference(hostile_page):
    html = hostile_page.read_text(encoding="utf-8")
    assert not re.search(r"https?://", html)
    assert not re.search(r"""(src|href)\s*=\s*["']?(?!data:)[a-z]+:""", html, re.IGNORECASE)


def test_article_text_never_appears_as_markup(hostile_page):
    html = hostile_page.read_text(encoding="utf-8")
    assert "<img src=x" not in html and "onerror=window" not in html.replace("\\u003c", "<").split("kg-data")[0]
    scripts = LexborHTMLParser(html).css("script")
    assert len(scripts) == 3  # the data block, vis-network and the explorer: nothing from the article
    assert scripts[0].attributes["type"] == "application/json"
    assert "window.__pwned" not in html.split('id="kg-data">', 1)[0]


@pytest.mark.browser
def test_page_in_a_real_browser(hostile_page):
    require_chromium()
    watch = Watch()
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        watch.attach(page)
        page.goto(hostile_page.as_uri())
        details = json.loads(page.text_content("#kg-data"))["details"]
        page.wait_for_selector("body[data-stabilized=true]", timeout=20000)
        assert page.evaluate("window.__pwned") is None
        page.fill("#search-box", "ÁLITA")  # case and accents do not count
        page.press("#search-box", "Enter")
        page.wait_for_selector("#panel[data-node]")
        panel = page.inner_text("#panel")
        assert "Alita: Battle Angel" in panel and "director → Robert Rodriguez" in panel
        assert '<b>tags</b> & "quotes"' in panel  # shown as text, never parsed as markup
        assert page.evaluate("window.__pwned") is None

        page.mouse.click(*point(page, "Jon Landau"))  # a click on the canvas opens the entity's facts with their evidence
        page.wait_for_selector("#panel[data-node='Jon Landau']")
        marked = page.eval_on_selector_all("#panel blockquote mark", "ms => ms.map(m => m.textContent)")
        assert marked and set(marked) >= {"Jon Landau", "Lightstorm Entertainment"}
        link = page.eval_on_selector("#panel .src a", "a => [a.href, a.textContent, a.rel]")
        assert link == ["https://news.example.org/landau?q=%22x%22&r=%3Cy%3E", 'Studio "news" <b>',
                        "noopener noreferrer"]
        assert "2024-05-06" in page.inner_text("#panel .src")
        assert not page.query_selector("#panel a[href^=javascript]")
        page.mouse.click(*point(page, "Alita: Battle Angel", edge_to="Robert Rodriguez"))  # and on a relation, its evidence
        page.wait_for_selector("#panel[data-edge=director]")
        assert page.eval_on_selector_all("#panel mark", "ms => ms.map(m => m.textContent)") == [
            "Robert Rodriguez", "Alita: Battle Angel"]
        # which rule or model found the fact, and its score
        assert " · verb:direct, confidence 0.9" in page.inner_text("#panel .src")

        page.uncheck("input.class-filter[value=Person]")  # the filters hide what is unticked, and only that
        page.wait_for_selector("body[data-hidden-nodes]")
        people = sum(1 for d in details.values() if d["cls"] == "Person")
        assert people and page.get_attribute("body", "data-hidden-nodes") == str(people)
        page.click("details.filters summary")
        page.uncheck("input.property-filter[value=director]")
        assert page.get_attribute("body", "data-hidden-edges") == "1"
        page.check("input.class-filter[value=Person]")
        assert page.get_attribute("body", "data-hidden-nodes") == "0"
        shot = hostile_page.with_suffix(".png")
        page.screenshot(path=str(shot))
        assert page.evaluate("window.__pwned") is None
    assert watch.errors == [] and watch.requests == []
    assert shot.stat().st_size > 10_000


def _drawn(built_store, **options) -> tuple[set[str], set[str]]:
    with KnowledgeGraph(built_store) as graph:
        drawn = graph.to_networkx(**options)
    return ({d["label"] for _, d in drawn.nodes(data=True)}, {k for _, _, k in drawn.edges(keys=True)})


@pytest.mark.parametrize("options, nodes, properties", [
    ({"classes": ["Person"]}, {"James Cameron", "Jon Landau", "Robert Rodriguez", "Yukito Kishiro", "Rosa Salazar",
                               "Christoph Waltz", "Laeta Kalogridis", "Sam Worthington", "Zoe Saldaña"}, set()),
    ({"classes": ["CreativeWork"]}, {"Alita: Battle Angel", "Avatar: The Way of Water", "Gunnm"}, {"basedOn"}),
    ({"properties": ["director"]}, {"Alita: Battle Angel", "Robert Rodriguez", "Avatar: The Way of Water", "James Cameron"},
     {"director"}),
    ({"properties": ["Based On"], "min_degree": 1}, {"Alita: Battle Angel", "Gunnm"}, {"basedOn"}),
    # Lightstorm (founder, its officer Jon Landau, the film it produced) and Landau (Alita's producer) have two or more
    ({"min_degree": 2}, {"Alita: Battle Angel", "Avatar: The Way of Water", "James Cameron", "Gunnm",
                         "Lightstorm Entertainment", "Jon Landau"},
     {"producer", "director", "basedOn", "screenwriter", "foundedBy", "worksFor", "productionCompany"}),
    ({"focus": "Gunnm", "hops": 1, "properties": ["basedOn", "producer"]}, {"Alita: Battle Angel", "Gunnm"}, {"basedOn"}),
    ({"query": (ROOT / "ontology" / "queries" / "crew.rq").read_text()},
     {"Alita: Battle Angel", "Avatar: The Way of Water", "James Cameron", "Jon Landau", "Robert Rodriguez",
      "Rosa Salazar", "Christoph Waltz", "Laeta Kalogridis", "Sam Worthington", "Zoe Saldaña"},
     {"director", "producer", "screenwriter", "castMember"}),
    ({"query": "SELECT ?s ?p ?o WHERE { ?s ?p ?o FILTER(?p = kg:distributor) }"},
     {"Avatar: The Way of Water", "20th Century Studios"}, {"distributor"}),
])
def test_viz_options_pick_the_subgraph(built_store, options, nodes, properties):
    assert _drawn(built_store, **options) == (nodes, properties)


@pytest.mark.parametrize("args, message", [
    (["--class", "Flim"], "no class 'Flim' in the ontology; choose from Agent, Album, Award, Book"),
    (["--query", "ROOT/bad.rq"], "--query: must be a CONSTRUCT or a SELECT of ?s ?p ?o"),
])
def test_viz_option_errors_are_one_line(built_store, tmp_path, args, message):
    (tmp_path / "bad.rq").write_text("SELECT ?film WHERE { ?film a kg:Film }", encoding="utf-8")
    args = [a.replace("ROOT", str(tmp_path)) for a in args]
    result = CliRunner().invoke(main, ["viz", "--store", str(built_store), "-o", str(tmp_path / "g.html"), *args])
    assert result.exit_code == 2 and message in result.output and result.output.count("\n") == 1


def _big_graph(core: int = 350, leaves: int = 50):
    """A ring of ``core`` entities each also joined to the next but one (4 relations each) and ``leaves`` entities
    hanging off it by one relation: above the size the browser lays out, and cut to the core by max_nodes=core."""
    import networkx as nx

    graph = nx.MultiDiGraph()
    ev = {"sentence": "s", "title": "t", "source": "urn:s", "doc": "urn:d", "date": "", "url": "", "confidence": 0.9, "rule": "r"}
    for i in range(core + leaves):
        graph.add_node(f"urn:n{i:04d}", label=f"Entity {i}", cls="Person" if i % 2 else "Film", aliases=[], values=[])
    for i in range(core):
        for step in (1, 2):
            graph.add_edge(f"urn:n{i:04d}", f"urn:n{(i + step) % core:04d}", key="director", label="director", evidence=[ev])
    for j in range(leaves):
        graph.add_edge(f"urn:n{core + j:04d}", f"urn:n{j:04d}", key="producer", label="producer", evidence=[ev])
    return graph


def _page_data(html: str) -> dict:
    return json.loads(LexborHTMLParser(html).css_first("#kg-data").text())


def test_a_big_graph_keeps_its_most_connected_part_and_says_what_was_left_out():
    html = render_html_string(_big_graph(), max_nodes=350)
    note = LexborHTMLParser(html).css_first("#left-out")
    assert (note.attributes["data-left-out-nodes"], note.attributes["data-left-out-edges"]) == ("50", "50")
    assert "the 350 most connected of 400 entities are drawn; 50 entities and 50 relations are left out" in note.text()
    data = _page_data(html)
    assert sorted(d["label"] for d in data["details"].values()) == sorted(f"Entity {i}" for i in range(350))
    assert len(data["edges"]) == 700 and data["options"]["physics"]["enabled"] is False
    points = {(n["x"], n["y"]) for n in data["nodes"]}
    assert len(points) == 350  # every entity placed, none on top of another
    assert _page_data(render_html_string(_big_graph(), max_nodes=350)) == data  # the same picture every time
    assert LexborHTMLParser(render_html_string(_big_graph())).css_first("#left-out") is None


def test_node_size_follows_degree_or_pagerank(built_store):
    with KnowledgeGraph(built_store) as graph:
        drawn = graph.to_networkx()
    for size_by, biggest in (("degree", "Alita: Battle Angel"), ("pagerank", "James Cameron")):
        data = _page_data(render_html_string(drawn, size_by=size_by))
        top = max(data["nodes"], key=lambda n: n["value"])
        assert data["details"][str(top["id"])]["label"] == biggest, size_by
    with pytest.raises(ValueError, match="size_by must be one of degree, pagerank"):
        render_html_string(drawn, size_by="height")


def test_values_drawn_as_nodes_on_request(built_store, tmp_path):
    with KnowledgeGraph(built_store) as graph:
        drawn = graph.to_networkx(values_as_nodes=True)
    values = sorted((drawn.nodes[a]["label"], k, drawn.nodes[b]["label"]) for a, b, k in drawn.edges(keys=True)
                    if drawn.nodes[b]["cls"] == "Value")
    assert values == [("Alita: Battle Angel", "boxOffice", "404000000 USD"), ("Alita: Battle Angel", "budget", "170000000 USD"),
                      ("Avatar: The Way of Water", "boxOffice", "2300000000 USD"),
                      ("Avatar: The Way of Water", "releaseDate", "2022-12")]
    assert all(not d["values"] for _, d in drawn.nodes(data=True))
    result = CliRunner().invoke(main, ["viz", "--store", str(built_store), "-o", str(tmp_path / "v.html"),
                                       "--values-as-nodes", "--size-by", "pagerank"])
    assert result.exit_code == 0, result.output
    data = _page_data((tmp_path / "v.html").read_text(encoding="utf-8"))
    assert sum(1 for d in data["details"].values() if d["cls"] == "Value") == 4


@pytest.mark.parametrize("sentence, names, expected", [
    ("Rosa Salazar 🎬 met Rosa Salazar.", ["Rosa Salazar"], ["Rosa Salazar", "Rosa Salazar"]),  # UTF-16 offsets
    ("İstanbul hosted Jon Landau.", ["Jon Landau"], ["Jon Landau"]),  # lower() changes the length
    ("Landauer is not Landau.", ["Landau"], ["Landau"]),  # whole words only
    ("C++ (film) [sic] by a.b", ["C++ (film)", "a.b"], ["C++ (film)", "a.b"]),  # names are text, not patterns
])
def test_marks_are_javascript_offsets_of_whole_names(sentence, names, expected):
    units = sentence.encode("utf-16-le")
    assert [units[2 * a:2 * b].decode("utf-16-le") for a, b in marks(sentence, names)] == expected


@pytest.mark.browser
def test_a_big_page_opens_with_its_layout_and_note(tmp_path):
    require_chromium()
    page_path = render_html(_big_graph(), tmp_path / "big.html", max_nodes=350)
    watch = Watch()
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1200, "height": 800})
        watch.attach(page)
        page.goto(page_path.as_uri())
        page.wait_for_selector("body[data-stabilized=true]", timeout=20000)
        assert "50 entities and 50 relations are left out" in page.inner_text("#left-out")
        assert page.evaluate("window.kgExplorer.network.physics.physicsEnabled") is False
        page.fill("#search-box", "Entity 349")
        page.press("#search-box", "Enter")
        page.wait_for_selector("#panel[data-node='Entity 349']")
        assert page.inner_text("#panel").count("director") == 4
        assert page.get_attribute("body", "data-labelled-edges") == "4"  # a large page labels the selection's only
    assert watch.errors == [] and watch.requests == []


def test_an_empty_graph_says_so(tmp_path):
    import networkx as nx

    page = LexborHTMLParser(render_html_string(nx.MultiDiGraph()))
    assert page.css_first("#empty").text().startswith("Nothing to draw: the store has no facts between entities.")
    page = LexborHTMLParser(render_html_string(nx.MultiDiGraph(), note="classes Book"))
    assert "that these options pick" in page.css_first("#empty").text()
