"""The Text2KGBench scorer: its rules on small cases, and every number the official scorer gives the shared predictions."""

from __future__ import annotations

import json

import pytest

from kg.errors import InputError, OntologyError
from kg.evaluate import BenchmarkOntology, GoldSentence, load_benchmark_ontology, read_gold, read_predictions, score

from .conftest import SHARED

T2K = SHARED / "eval" / "text2kgbench"
CONFORMANCE = T2K / "conformance"
ONTO = BenchmarkOntology("t", ("film", "human"), ("director", "cast member", "genre"))
SENT = GoldSentence(
    "s1",
    "Alita: Battle Angel is a 2019 film directed by Robert Rodriguez and starring Rosa Salazar.",
    (("Alita: Battle Angel", "director", "Robert Rodriguez"), ("Alita: Battle Angel", "cast member", "Rosa Salazar")),
)


def test_relations_outside_the_sentence_gold_are_ignored_for_f1_but_count_for_conformance():
    system = {"s1": [("Alita:_Battle_Angel", "director", "robert rodriguez"), ("Alita: Battle Angel", "genre", "film"), ("Alita: Battle Angel", "sequel", "Avatar")]}
    m = score(ONTO, [SENT], system).macro
    assert (m.precision, m.recall) == (1.0, 0.5)
    assert m.f1 == pytest.approx(2 / 3)
    assert m.onto_conf == pytest.approx(2 / 3) and m.rel_halluc == pytest.approx(1 / 3)
    assert m.obj_halluc == pytest.approx(1 / 3)  # "Avatar" is not in the sentence


def test_relation_labels_with_spaces_do_not_match():
    m = score(ONTO, [SENT], {"s1": [("Alita: Battle Angel", "cast member", "Rosa Salazar")]}).macro
    assert (m.f1, m.onto_conf) == (0.0, 0.0)


def test_missing_and_empty_answers():
    other = GoldSentence("s2", "Rosa Salazar plays Alita.", (("Alita", "cast member", "Rosa Salazar"),))
    report = score(ONTO, [SENT, other], {"s2": []})
    assert report.macro.onto_conf == 0.5  # an empty answer is conformant; a missing one adds 0
    assert report.to_dict()["per_sentence"][0] == {"id": "s1", "missing": True}


def test_year_dates_are_not_hallucinated():
    gold = GoldSentence("d", "Heat is a 1995 crime film.", (("Heat", "publication date", "01 January 1995"),))
    onto = BenchmarkOntology("t", (), ("publication date",))
    m = score(onto, [gold], {"d": [("Heat", "publication_date", "01 January 1995")]}).macro
    assert (m.f1, m.sub_halluc, m.obj_halluc) == (1.0, 0.0, 0.0)


def test_bad_inputs_name_the_file_and_line(tmp_path):
    bad = tmp_path / "gold.jsonl"
    bad.write_text('{"id": "a", "sent": "x", "triples": []}\n{"id": \n', encoding="utf-8")
    with pytest.raises(InputError, match=r"gold.jsonl:2: not valid JSON"):
        read_gold(bad)
    onto = tmp_path / "o.json"
    onto.write_text(json.dumps({"concepts": [], "relations": []}), encoding="utf-8")
    with pytest.raises(OntologyError, match="no relations"):
        load_benchmark_ontology(onto)
    preds = tmp_path / "p.jsonl"
    preds.write_text('{"id": "a", "triples": [["only two", "parts"]]}\n', encoding="utf-8")
    with pytest.raises(InputError, match="p.jsonl:1"):
        read_predictions(preds)


def _conformance_cases():
    if not (CONFORMANCE / "expected.json").exists():
        return [pytest.param(None, marks=pytest.mark.skip(reason=f"no Text2KGBench conformance data at {CONFORMANCE}"))]
    return sorted(json.loads((CONFORMANCE / "expected.json").read_text()).items())


@pytest.mark.parametrize("case", _conformance_cases(), ids=lambda c: c[0] if c else "absent")
def test_reproduces_the_official_scorer(case):
    name, expected = case
    onto = load_benchmark_ontology(T2K / expected["ontology"])
    report = score(onto, read_gold(CONFORMANCE / expected["gold"]), read_predictions(CONFORMANCE / expected["predictions"]))
    got = report.to_dict()
    assert got["macro"] == pytest.approx(expected["macro"], abs=1e-6)
    assert len(got["per_sentence"]) == len(expected["per_sentence"])
    for mine, theirs in zip(got["per_sentence"], expected["per_sentence"]):
        assert mine == pytest.approx(theirs, abs=1e-6), mine["id"]


def test_validation_file_groups_into_the_benchmark_sentences():
    validation = T2K / "data" / "wikidata_tekgen" / "validation" / "ont_1_movie_validation.jsonl"
    if not validation.exists():
        pytest.skip(f"no Text2KGBench validation data at {validation}")
    grouped = {g.sent: set(g.triples) for g in read_gold(validation)}
    reference = {g.sent: set(g.triples) for g in read_gold(CONFORMANCE / "movie_gold.jsonl")}
    assert grouped == reference


def _sentence(sid: str, *triples: tuple[str, str, str]) -> GoldSentence:
    return GoldSentence(sid, f"Sentence {sid}.", triples)


def test_folds_keep_a_triple_set_together_and_train_never_shares_a_triple_with_held_out():
    from kg.learn import grouped_folds

    a, b, c, d = ("Brasko", "founded by", "Tilda Venn"), ("Brasko", "location", "Varn"), ("Orvex", "founded by", "Ilse Brandt"), ("Quintar", "founded by", "Pell Arno")
    sentences = [_sentence("s0", a, b), _sentence("s1", c), _sentence("s2", a, b), _sentence("s3", d),
                 _sentence("s4", a), _sentence("s5", ("orvex", "founded_by", "ilse brandt")), _sentence("s6", d)]
    folds = grouped_folds(sentences, 3)
    assert [held for _, held in folds] == [[0, 2, 4], [1, 5], [3, 6]]
    assert [train for train, _ in folds] == [[1, 3, 5, 6], [0, 2, 3, 4, 6], [0, 1, 2, 4, 5]]
    # a chain of shared triples too long for one fold is cut; the sentence across the cut trains neither side
    e, f = ("Orvex", "location", "Kolby"), ("Vintrel", "founded by", "Osric Lume")
    chain = [_sentence("t0", a, b), _sentence("t1", b, c), _sentence("t2", c, e), _sentence("t3", e, f)]
    assert grouped_folds(chain, 2) == [([3], [0, 1]), ([0], [2, 3])]
    assert grouped_folds(chain, 2, purge=False) == [([2, 3], [0, 1]), ([0, 1], [2, 3])]


def test_redocred_scoring_counts_each_gold_label_once_per_relation(tmp_path):
    """A Re-DocRED-format document written for the test: tokenized sentences, entities with their mentions, and
    document-level labels; kg's facts are matched to the labels by their names."""
    from kg.evaluate import FILM_RELATIONS, evaluate_redocred

    doc = {"title": "Harbor of Glass", "sents": [
        "Harbor of Glass is a 1994 American spy film directed by Tomas Reyk .".split(),
        "It stars Lena Marsh and Ada Finch .".split(),
        "The film was produced by Northgate Pictures .".split()],
        "vertexSet": [[{"name": "Harbor of Glass", "sent_id": 0}], [{"name": "1994", "sent_id": 0}],
                      [{"name": "Tomas Reyk", "sent_id": 0}], [{"name": "Lena Marsh", "sent_id": 1}],
                      [{"name": "Ada Finch", "sent_id": 1}], [{"name": "Mara Velden", "sent_id": 1}],
                      [{"name": "Northgate Pictures", "sent_id": 2}]],
        # the production company is labelled with another relation, so the fact kg reads is counted wrong
        "labels": [{"r": "P577", "h": 0, "t": 1}, {"r": "P57", "h": 0, "t": 2}, {"r": "P161", "h": 0, "t": 3},
                   {"r": "P161", "h": 0, "t": 4}, {"r": "P162", "h": 0, "t": 5}, {"r": "P17", "h": 0, "t": 6}]}
    path = tmp_path / "film.json"
    path.write_text(json.dumps([doc]), encoding="utf-8")
    result = evaluate_redocred(path, relations=FILM_RELATIONS)
    assert (result["facts"], result["correct"], result["precision"], result["recall"]) == (5, 4, 0.8, 0.8)
    assert result["per_relation"]["P161"] == {"facts": 2, "correct": 2, "gold": 2, "found": 2}
    assert result["per_relation"]["P162"] == {"facts": 0, "correct": 0, "gold": 1, "found": 0}
    assert result["wrong"] == [{"doc": "Harbor of Glass", "fact": ["Harbor of Glass", "production company", "Northgate Pictures"]}]
