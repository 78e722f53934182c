"""Analytics over the entity graph: chains of facts with evidence, centrality, communities, GraphML and GEXF."""

from __future__ import annotations

import io

import networkx as nx
import pytest
from click.testing import CliRunner

from kg.api import KnowledgeGraph
from kg.cli import main
from kg.errors import KGError

from .conftest import EXAMPLES
from .test_history import HISTORY


def test_the_shortest_chain_of_facts_between_two_people(built_store):
    with KnowledgeGraph(built_store) as graph:
        chains = graph.paths("Robert Rodriguez", "20th Century Studios")
    assert [[str(step) for step in chain] for chain in chains] == [[
        "Alita: Battle Angel –director→ Robert Rodriguez",
        "Alita: Battle Angel –producer→ James Cameron",
        "Avatar: The Way of Water –director→ James Cameron",
        "Avatar: The Way of Water –distributor→ 20th Century Studios",
    ]]
    assert chains[0][1].evidence[0]["sentence"].startswith("James Cameron produced the film with Jon Landau")


def test_kg_path_prints_each_fact_with_its_sentence(built_store):
    result = CliRunner().invoke(main, ["path", "Jon Landau", "Robert Rodriguez", "--store", str(built_store)])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[:3] == [
        "1. 2 facts",
        "   Alita: Battle Angel –producer→ Jon Landau",
        "      “James Cameron produced the film with Jon Landau, his partner at Lightstorm Entertainment.” "
        '(Producers weigh a return to "Alita: Battle Angel")',
    ]


def test_no_chain_and_no_such_entity_are_clear_errors():
    with KnowledgeGraph("memory") as graph:
        graph.build([EXAMPLES, HISTORY])
        with pytest.raises(KGError, match="no chain of facts joins 'Peter Jackson' and 'James Cameron'"):
            graph.paths("Peter Jackson", "James Cameron")
        with pytest.raises(KGError, match="no entity named 'Nobody'"):
            graph.paths("Nobody", "James Cameron")


def test_stats_give_betweenness_and_communities(built_store):
    with KnowledgeGraph(built_store) as graph:
        stats = graph.stats()
    by_label = {row["label"]: row for row in stats["most_connected"]}
    # 15 nodes, so 91 pairs of other nodes for each. Alita's side (Alita, four people, Gunnm and its author: 7
    # nodes) reaches the studio Lightstorm through Cameron or through Jon Landau (two shortest paths each), and
    # Avatar's side (4 nodes) only through Cameron (Alita-Landau-Lightstorm-Avatar is one step longer). Cameron: the
    # 7*4 = 28 pairs across the films, plus half of the 7 pairs to Lightstorm and of the 7 to Manhattan Beach: 35
    assert by_label["James Cameron"]["betweenness"] == round(35 / 91, 4)
    # Alita: the 14 pairs between its own branches, the 6*8 pairs from them to the rest, and half of Landau-Cameron
    assert by_label["Alita: Battle Angel"]["betweenness"] == round(62.5 / 91, 4)
    # Jon Landau: the other half of Alita's side to Lightstorm and to Manhattan Beach
    assert by_label["Jon Landau"]["betweenness"] == round(7 / 91, 4)
    assert by_label["Manhattan Beach"]["betweenness"] == 0
    assert stats["communities"] == [
        {"size": 5, "members": ["Alita: Battle Angel", "Christoph Waltz", "Laeta Kalogridis", "Robert Rodriguez", "Rosa Salazar"]},
        {"size": 4, "members": ["Avatar: The Way of Water", "20th Century Studios", "Sam Worthington", "Zoe Saldaña"]},
        {"size": 4, "members": ["Lightstorm Entertainment", "James Cameron", "Jon Landau", "Manhattan Beach"]},
        {"size": 2, "members": ["Gunnm", "Yukito Kishiro"]},
    ]


@pytest.mark.parametrize("fmt, read", [("graphml", nx.read_graphml), ("gexf", nx.read_gexf)])
def test_graphml_and_gexf_read_back_in_networkx(built_store, fmt, read):
    with KnowledgeGraph(built_store) as graph:
        out = io.BytesIO()
        graph.export(fmt, out)
        expected = graph.to_networkx()
    back = read(io.BytesIO(out.getvalue()))
    assert back.number_of_nodes() == expected.number_of_nodes() and back.number_of_edges() == expected.number_of_edges()
    labels = {data["label"] for _, data in back.nodes(data=True)}
    assert {"James Cameron", "Alita: Battle Angel", "20th Century Studios"} <= labels
    alita = next(data for _, data in back.nodes(data=True) if data["label"] == "Alita: Battle Angel")
    assert "box office: 404000000 USD" in alita["values"]
