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
    # the graph is a tree of 14 nodes (78 pairs of other nodes). The bridge between the two films' sides: removing
    # James Cameron leaves parts of 8, 4 and 1 nodes, so 8*4 + 8*1 + 4*1 = 44 pairs pass through him
    assert by_label["James Cameron"]["betweenness"] == 0.5641
    # Alita's parts: five people of one node each, Gunnm and its author (2) and Cameron's side (6): of the 78 pairs,
    # all but those inside the last two parts (1 + 15) pass through it, 62
    assert by_label["Alita: Battle Angel"]["betweenness"] == 0.7949
    assert by_label["Jon Landau"]["betweenness"] == 0
    assert stats["communities"] == [
        {"size": 6, "members": ["Alita: Battle Angel", "Christoph Waltz", "Jon Landau", "Laeta Kalogridis", "Robert Rodriguez"]},
        {"size": 4, "members": ["Avatar: The Way of Water", "20th Century Studios", "Sam Worthington", "Zoe Saldaña"]},
        {"size": 2, "members": ["Gunnm", "Yukito Kishiro"]},
        {"size": 2, "members": ["James Cameron", "Lightstorm Entertainment"]},
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
