"""One end-to-end suite for every backend: in memory, a directory, and a real Oxigraph server over HTTP.

Each builds examples/, then checks exact SPARQL answers, the facts, the networkx projection, the HTML, every export
format and a second build that changes nothing; the three backends must store exactly the same quads.
"""

from __future__ import annotations

import io
import json

import pytest
from click.testing import CliRunner
from rdflib import Dataset
from rdflib.compare import to_canonical_graph

from kg.api import KnowledgeGraph
from kg.cli import main
from kg.errors import StoreError

from .conftest import EXAMPLES, RESTATED, ROOT
from .servers import oxigraph_binary, oxigraph_server

QUERIES = ROOT / "ontology" / "queries"
BACKENDS = ["memory", "directory", "endpoint"]
WHO_MADE_WHAT = [
    ("Alita: Battle Angel", "cast member", "Christoph Waltz"),
    ("Alita: Battle Angel", "cast member", "Rosa Salazar"),
    ("Alita: Battle Angel", "director", "Robert Rodriguez"),
    ("Alita: Battle Angel", "producer", "James Cameron"),
    ("Alita: Battle Angel", "producer", "Jon Landau"),
    ("Alita: Battle Angel", "screenwriter", "James Cameron"),
    ("Alita: Battle Angel", "screenwriter", "Laeta Kalogridis"),
    ("Avatar: The Way of Water", "cast member", "Sam Worthington"),
    ("Avatar: The Way of Water", "cast member", "Zoe Saldaña"),
    ("Avatar: The Way of Water", "director", "James Cameron"),
    ("Avatar: The Way of Water", "distributor", "20th Century Studios"),
    ("Avatar: The Way of Water", "production company", "Lightstorm Entertainment"),
    ("Gunnm", "author", "Yukito Kishiro"),
]


def _needs_oxigraph() -> None:
    if oxigraph_binary() is None:
        pytest.skip("the oxigraph server is not installed (pip install -e '.[test]' brings it)")


@pytest.fixture(params=BACKENDS)
def location(request, tmp_path):
    """A store location of each kind; the endpoint is a real `oxigraph serve` process on 127.0.0.1."""
    if request.param == "memory":
        yield "memory"
    elif request.param == "directory":
        yield str(tmp_path / "store")
    else:
        _needs_oxigraph()
        with oxigraph_server(tmp_path / "oxigraph") as base:
            yield base + "/query"


def _quads(graph: KnowledgeGraph) -> set[str]:
    """The stored quads, blank nodes canonically relabelled (the ontology's owl:unionOf lists are blank nodes)."""
    out = io.BytesIO()
    graph.export("nquads", out)
    dataset = Dataset()
    dataset.parse(data=out.getvalue(), format="nquads")
    lines = set()
    for named in dataset.graphs():
        canonical = to_canonical_graph(named)
        lines |= {f"{s.n3()} {p.n3()} {o.n3()} <{named.identifier}> ." for s, p, o in canonical}
    return lines


def test_every_backend_builds_queries_draws_and_exports_the_same_graph(location, tmp_path):
    with KnowledgeGraph(location, create=True) as graph:
        first = graph.build([EXAMPLES])
        again = graph.build([EXAMPLES])
        rows = graph.query((QUERIES / "who-made-what.rq").read_text()).records()
        money = graph.query((QUERIES / "box-office.rq").read_text()).records()
        facts = graph.facts()
        nx_graph = graph.to_networkx()
        page = graph.render_html(tmp_path / "graph.html", focus="James Cameron").read_text()
        stats = graph.stats()
        quads = _quads(graph)
        exports = {}
        for fmt in ("turtle", "trig", "jsonld", "ntriples"):
            out = io.BytesIO()
            graph.export(fmt, out)
            exports[fmt] = out.getvalue()
    assert (first.added, again.unchanged, again.added + again.replaced) == (3, 3, 0)
    assert [(r["work"], r["role"], r["maker"]) for r in rows] == WHO_MADE_WHAT
    assert money == [{"work": "Avatar: The Way of Water", "box_office": 2300000000, "currency": "USD"},
                     {"work": "Alita: Battle Angel", "box_office": 404000000, "currency": "USD"}]
    assert len(facts) == first.facts and all(f["sentence"] for f in facts)
    assert nx_graph.number_of_nodes() == stats["entities"] and "James Cameron" in page
    assert stats["documents"] == 3
    trig = Dataset()
    trig.parse(data=exports["trig"], format="trig")
    assert {str(g.identifier) for g in trig.graphs() if len(g)} == {line.rsplit(" ", 2)[-2].strip("<>") for line in quads}
    assert len(quads) > 100
    json.loads(exports["jsonld"])


def test_the_three_backends_store_exactly_the_same_quads(tmp_path):
    _needs_oxigraph()
    stored = {}
    with oxigraph_server(tmp_path / "oxigraph") as base:
        for name, where in (("memory", "memory"), ("directory", str(tmp_path / "s")), ("endpoint", base + "/query")):
            with KnowledgeGraph(where, create=True) as graph:
                graph.build([EXAMPLES])
                stored[name] = _quads(graph)
    assert stored["memory"] == stored["directory"] == stored["endpoint"]


@pytest.mark.parametrize("backend", ["directory", "endpoint"])
def test_the_cli_works_the_same_on_a_directory_and_an_endpoint(backend, tmp_path):
    def run(*args):
        result = CliRunner().invoke(main, [str(a) for a in args])
        assert result.exit_code == 0, result.output
        return result.output

    def check(store: str) -> None:
        assert run("build", EXAMPLES, "--store", store).startswith("3 documents (3 added")
        csv = run("query", QUERIES / "box-office.rq", "--store", store, "--format", "csv")
        assert csv.splitlines() == ["work,box_office,currency", "Avatar: The Way of Water,2300000000,USD",
                                    "Alita: Battle Angel,404000000,USD"]
        run("viz", "--store", store, "-o", tmp_path / "g.html", "--focus", "Alita: Battle Angel")
        assert "Robert Rodriguez" in (tmp_path / "g.html").read_text()
        assert json.loads(run("stats", "--store", store, "--json"))["documents"] == 3
        run("export", "--store", store, "--format", "trig", "-o", tmp_path / "g.trig")
        assert (tmp_path / "g.trig").stat().st_size > 1000

    if backend == "directory":
        check(str(tmp_path / "store"))
    else:
        _needs_oxigraph()
        with oxigraph_server(tmp_path / "oxigraph") as base:
            check(base + "/query")


def test_an_endpoint_gets_one_update_request_per_article(tmp_path):
    _needs_oxigraph()
    with oxigraph_server(tmp_path / "o") as base, KnowledgeGraph(base + "/query", create=True) as graph:
        summary = graph.build([EXAMPLES])
        assert graph.store.dataset.store._updates == 1 + summary.added  # the ontology graph, then one per article


def test_an_endpoint_that_is_down_is_one_clear_error(tmp_path):
    from .servers import free_port

    result = CliRunner().invoke(main, ["query", "ASK {}", "--store", f"http://127.0.0.1:{free_port()}/sparql"])
    assert result.exit_code == 2
    assert "cannot reach the SPARQL endpoint" in result.output and "is the server running?" in result.output


@pytest.mark.parametrize("location, problem", [
    ("ftp://example.org/kg", "neither a directory nor an http(s) SPARQL endpoint URL"),
    ("http://a b c", "give one endpoint URL, or a query URL and an update URL"),
    ("http:///sparql", "is not an http(s) URL of a SPARQL endpoint"),
])
def test_a_store_that_is_no_store_is_refused(location, problem, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["build", str(EXAMPLES), "--store", location])
    assert result.exit_code == 2 and problem in result.output and not any(tmp_path.iterdir())


def test_an_endpoint_without_a_union_default_graph_is_refused(tmp_path):
    _needs_oxigraph()
    with oxigraph_server(tmp_path / "plain", union=False) as base:
        with pytest.raises(StoreError, match="not the union of its named graphs"):
            KnowledgeGraph(base + "/query", create=True).build([EXAMPLES / "alita-sequel-talks.txt"])


def test_an_endpoint_store_answers_over_the_endpoints_own_union(tmp_path):
    """kg keeps no merged default graph on an endpoint: Oxigraph server's union default graph counts a triple once per
    graph that states it (docs/usage.md, Stores), so there a query counts with DISTINCT."""
    from .test_store import EMPLOYERS, HALE_FILMS

    _needs_oxigraph()
    with oxigraph_server(tmp_path / "oxigraph") as base, KnowledgeGraph(base + "/query", create=True) as graph:
        graph.build([RESTATED])
        assert not graph.store.merged
        assert graph.query(HALE_FILMS).records() == [{"n": 9}]
        assert graph.query(HALE_FILMS.replace("COUNT(?f)", "COUNT(DISTINCT ?f)")).records() == [{"n": 3}]
        assert len(graph.query(EMPLOYERS).records()) == 27
        assert len(graph.query(EMPLOYERS.replace("SELECT", "SELECT DISTINCT")).records()) == 1


def test_a_malformed_query_carries_the_endpoint_message(tmp_path):
    _needs_oxigraph()
    with oxigraph_server(tmp_path / "o") as base:
        result = CliRunner().invoke(main, ["query", "SELECT ?x WHERE { ?x", "--store", base + "/query"])
    assert result.exit_code == 2 and "SPARQL syntax error" in result.output and "\n" not in result.output.strip()
