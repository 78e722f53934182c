"""Copies of stored articles: exact and near duplicates are stored once, different stories on one subject are not."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from kg.api import KnowledgeGraph
from kg.cli import main
from kg.dedup import fingerprint, similarity

from .conftest import ROOT

COPIES = ROOT / "tests" / "data" / "copies"
STATEMENTS = "SELECT (COUNT(?st) AS ?n) WHERE { ?st a kg:Statement }"
POINTERS = """SELECT ?copyTitle ?originalTitle ?similarity WHERE { GRAPH ?c { ?c kg:duplicateOf ?o ; kg:similarity ?similarity ;
              dcterms:title ?copyTitle } GRAPH ?o { ?o dcterms:title ?originalTitle } } ORDER BY ?copyTitle"""


def _statements(graph: KnowledgeGraph) -> int:
    return graph.query(STATEMENTS).records()[0]["n"]


def test_a_retitled_copy_and_a_mirrored_line_are_stored_once(tmp_path):
    with KnowledgeGraph(tmp_path / "s", create=True) as alone:
        alone.build([COPIES / "wire-original.txt", COPIES / "syndicated.jsonl"])
        with_copies_left_out = _statements(alone)
    with KnowledgeGraph("memory") as graph:
        first = graph.build([COPIES / "wire-original.txt", COPIES / "wire-copy.txt", COPIES / "syndicated.jsonl"])
        assert (first.added, first.duplicates) == (2, 2)
        assert _statements(graph) == with_copies_left_out > 0
        rows = graph.query(POINTERS).records()
        assert [(r["copyTitle"], r["originalTitle"]) for r in rows] == [
            ("Sequel talk (mirror)", "Sequel talk"),
            ('Universal plans a "Mortal Engines" sequel, studio says', 'Studio confirms second "Mortal Engines" film'),
        ]
        assert rows[0]["similarity"] == 1 and 0.8 <= rows[1]["similarity"] < 1
        again = graph.build([COPIES])
        assert (again.unchanged, again.added, again.duplicates) == (4, 1, 0)  # rewrite.txt is a story of its own


def test_a_copy_that_arrives_first_keeps_the_facts(tmp_path):
    with KnowledgeGraph("memory") as graph:
        summary = graph.build([COPIES / "wire-copy.txt", COPIES / "wire-original.txt"])
        title = graph.query("SELECT ?t WHERE { ?g kg:minhash ?m ; dcterms:title ?t }").records()
    assert (summary.added, summary.duplicates) == (1, 1)
    assert title == [{"t": 'Universal plans a "Mortal Engines" sequel, studio says'}]


def test_another_story_on_the_same_subject_is_not_a_copy():
    with KnowledgeGraph("memory") as graph:
        summary = graph.build([COPIES / "wire-original.txt", COPIES / "rewrite.txt"])
    assert (summary.added, summary.duplicates) == (2, 0)


def test_keep_duplicates_and_an_exact_only_threshold(tmp_path):
    runner = CliRunner()
    kept = runner.invoke(main, ["build", str(COPIES), "--store", str(tmp_path / "all"), "--keep-duplicates"])
    assert kept.exit_code == 0 and kept.output.startswith("5 documents (5 added, 0 replaced, 0 unchanged)")
    exact = runner.invoke(main, ["build", str(COPIES), "--store", str(tmp_path / "exact"), "--duplicate-threshold", "1"])
    assert exact.output.startswith("5 documents (4 added, 0 replaced, 0 unchanged, 1 copies of stored articles)")


@pytest.mark.parametrize("added, jaccard", [(0, 1.0), (5, 196 / 201), (50, 196 / 250), (200, 196 / 400)])
def test_similarity_estimates_the_jaccard_of_word_shingles(added, jaccard):
    text = " ".join(f"word{i}" for i in range(200))
    more = " ".join(f"other{i}" for i in range(added))
    assert similarity(fingerprint(text), fingerprint(f"{text} {more}")) == pytest.approx(jaccard, abs=0.12)


def test_short_texts_are_only_compared_exactly():
    assert fingerprint("Cameron directed Avatar.").bands == ()
    assert len(fingerprint(" ".join(["word"] * 30)).bands) == 16
