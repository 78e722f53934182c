"""Facts over time: every reported value is kept with its article's date; shipped queries give the latest and the history."""

from __future__ import annotations

import pytest

from kg.api import KnowledgeGraph

from .conftest import ROOT

HISTORY = ROOT / "tests" / "data" / "history" / "mortal-engines.jsonl"
QUERIES = ROOT / "ontology" / "queries"


@pytest.fixture(scope="module")
def graph():
    with KnowledgeGraph("memory") as graph:
        graph.build([HISTORY])
        yield graph


def _rows(graph, name: str, *keys: str) -> list[tuple]:
    return [tuple(r[k] for k in keys) for r in graph.query((QUERIES / name).read_text()).records()]


def test_the_latest_value_comes_from_the_latest_article(graph):
    assert _rows(graph, "latest-values.rq", "entity", "property", "value", "currency", "reported", "source") == [
        ("Mortal Engines", "box office", 83000000, "USD", "2019-02-20", "https://news.example.org/2019/02/engines-total"),
        ("Mortal Engines", "budget", 110000000, "USD", "2019-02-20", "https://news.example.org/2019/02/engines-total"),
    ]


def test_the_history_keeps_every_reported_value_oldest_first(graph):
    assert _rows(graph, "value-history.rq", "property", "value", "reported") == [
        ("box office", 42000000, "2018-12-17"),
        ("box office", 83000000, "2019-02-20"),
        ("box office", 80000000, None),  # the undated blog post
        ("budget", 100000000, "2018-12-17"),
        ("budget", 110000000, "2019-02-20"),
    ]


def test_an_undated_value_is_the_latest_only_when_nothing_dated_reports_it(tmp_path):
    undated = tmp_path / "undated.jsonl"
    undated.write_text(HISTORY.read_text().splitlines()[2] + "\n", encoding="utf-8")
    with KnowledgeGraph("memory") as graph:
        graph.build([undated])
        assert _rows(graph, "latest-values.rq", "property", "value", "reported") == [("box office", 80000000, None)]


def test_an_updated_article_replaces_only_its_own_value(tmp_path):
    corrected = tmp_path / "corrected.jsonl"
    corrected.write_text(HISTORY.read_text().splitlines()[1].replace("$83 million", "$84 million") + "\n", encoding="utf-8")
    with KnowledgeGraph("memory") as fresh:
        fresh.build([HISTORY])
        assert fresh.build([corrected]).replaced == 1  # the same URL: the same document, a new version
        assert _rows(fresh, "value-history.rq", "property", "value") == [
            ("box office", 42000000), ("box office", 84000000), ("box office", 80000000),
            ("budget", 100000000), ("budget", 110000000),
        ]
