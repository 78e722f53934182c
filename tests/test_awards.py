"""Award wins and nominations, and the relation classifier, on small fictional articles.

Each sentence shape is written for the tests (fictional names); the expected facts are exact: what the sentence
states and nothing else. Facts are (subject, property, object) with labels.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.errors import RelationModelError
from kg.extract import extract_facts
from kg.extract.awards import _ceremony
from kg.extract.classifier import RelationModel, packaged_model
from kg.model import Document

from .conftest import SHARED, stored_rows


def _facts(nlp, onto, text, relation_model=None):
    doc = Document(id="urn:test", text=text)
    return {(f.subject.label, f.predicate, str(f.object)) for f in extract_facts(doc, nlp(text), onto, relation_model=relation_model)}


def _awards(nlp, onto, text):
    return {f for f in _facts(nlp, onto, text) if f[1] in {"awardReceived", "nominatedFor"}}


@pytest.mark.parametrize("text, expected", [
    ("Mara Velden won best director at the Northgate Film Awards.",
     {("Mara Velden", "awardReceived", "Northgate Film Award for best director")}),
    ("Tomas Reyk and Dana Fonseca won best screenplay.",
     {("Tomas Reyk", "awardReceived", "best screenplay"), ("Dana Fonseca", "awardReceived", "best screenplay")}),
    ("Ada Ferrante took the Oscar for best actress.",
     {("Ada Ferrante", "awardReceived", "Academy Award for best actress")}),
    ("Jonathan Hale was nominated for best actor at the Baftas.",
     {("Jonathan Hale", "nominatedFor", "BAFTA Award for best actor")}),
    ("The best newcomer award went to Lena Marsh.",
     {("Lena Marsh", "awardReceived", "best newcomer")}),
])
def test_award_shapes(nlp, onto, text, expected):
    assert _awards(nlp, onto, text) == expected


@pytest.mark.parametrize("text", [
    "Mara Velden did not win best director.",
    "Mara Velden hopes to win best director.",
    "Mara Velden could win best director.",
    "Will Mara Velden win best director?",
])
def test_awards_not_stated_are_not_facts(nlp, onto, text):
    assert _awards(nlp, onto, text) == set()


@pytest.mark.parametrize("text, expected", [
    ("Awards night\n\nHarbor Lights won best film at the Northgate Film Awards. Lena Marsh, who played the lead, "
     "was named best actress.",
     {("Harbor Lights", "awardReceived", "Northgate Film Award for best film"),
      ("Lena Marsh", "awardReceived", "Northgate Film Award for best actress")}),
    ("Tomas Reyk took the best supporting actor award.", {("Tomas Reyk", "awardReceived", "best supporting actor")}),
    ("Harbor Lights leads the field at this year's Northgate Awards, while other nominees include The Quiet Hours.",
     {("The Quiet Hours", "nominatedFor", "Northgate Award")}),
    ("Dana Fonseca's three nominations include best female album and best new artist.",
     {("Dana Fonseca", "nominatedFor", "best female album"), ("Dana Fonseca", "nominatedFor", "best new artist")}),
])
def test_wins_and_nominations_read_from_the_words_between(nlp, onto, text, expected):
    assert _awards(nlp, onto, text) == expected


def test_an_acting_or_directing_award_for_a_work_credits_the_winner(nlp, onto):
    facts = _facts(nlp, onto, "Tomas Reyk won best director for Maria Full of Grace.")
    assert facts == {("Tomas Reyk", "awardReceived", "best director"), ("Maria Full of Grace", "director", "Tomas Reyk")}


def test_an_award_facts_do_not_depend_on_the_headline(nlp, onto):
    sentence = "Ada Ferrante took the Oscar for best actress."
    alone = _awards(nlp, onto, sentence)
    for headline in ("Ferrante triumphs", "Night of surprises in Hollywood", "Awards season"):
        assert _awards(nlp, onto, f"{headline}\n\n{sentence}") == alone


@pytest.mark.parametrize("text, canonical", [
    ("the Oscars", "Academy Award"), ("a Bafta", "BAFTA Award"), ("two Grammys", "Grammy Award"),
    ("the Brit Awards", "Brit Award"), ("Golden Globes", "Golden Globe Award"), ("Northgate Film Awards", "Northgate Film Award"),
])
def test_ceremonies_are_named_as_wikidata_names_them(text, canonical):
    assert _ceremony(text) == canonical


def test_the_packaged_model_ships_and_reads_without_pickle():
    model = packaged_model()
    assert model is not None and model.version == "news-4"
    assert "" in model.labels and "castMember>" in model.labels and "awardReceived>" in model.labels
    assert model.weights.shape == (len(model.vocabulary), len(model.labels))
    probs = model.probabilities([["k:PERSON|AWARD"], []])
    assert probs.shape == (2, len(model.labels)) and np.allclose(probs.sum(axis=1), 1.0)


def test_a_model_saves_and_loads_the_same(tmp_path):
    model = RelationModel(labels=("", "director>"), vocabulary={"k:WORK|PERSON": 0, "lca:direct": 1},
                          weights=np.array([[0.0, 1.0], [0.0, 2.0]], dtype=np.float32),
                          bias=np.array([0.5, -1.0], dtype=np.float32), threshold=0.4, meta={"version": "t-1"})
    model.save(tmp_path / "m.npz")
    again = RelationModel.load(tmp_path / "m.npz")
    assert (again.labels, again.vocabulary, again.threshold, again.version) == (model.labels, model.vocabulary, 0.4, "t-1")
    row = again.probabilities([["k:WORK|PERSON", "lca:direct"]])[0]
    assert row[1] == pytest.approx(np.exp(2.0) / (np.exp(2.0) + np.exp(0.5)), rel=1e-3)


def test_each_row_scores_its_own_known_features_once():
    """Rows are scored together: each adds the weights of its own features, each once, unknown ones ignored;
    a row with no known feature keeps the bias."""
    model = RelationModel(labels=("", "director>", "director<"), vocabulary={"a": 0, "b": 1, "c": 2},
                          weights=np.array([[0, 1, 0], [0, 0, 2], [1, 1, 1]], dtype=np.float32),
                          bias=np.array([0.5, 0, 0], dtype=np.float32))
    probs = model.probabilities([["a", "a", "zz"], [], ["b", "c"], ["zz"], ["a", "b", "c"]])

    def softmax(scores):
        e = np.exp(np.array(scores) - max(scores))
        return e / e.sum()

    expected = [softmax([0.5, 1, 0]), softmax([0.5, 0, 0]), softmax([1.5, 1, 3]), softmax([0.5, 0, 0]),
                softmax([1.5, 2, 3])]
    assert np.allclose(probs, expected)


@pytest.mark.parametrize("content, problem", [(b"", "not a kg relation model"), (b"PK\x03\x04junk", "not a kg relation model")])
def test_a_bad_model_file_is_one_line(tmp_path, content, problem):
    bad = tmp_path / "bad.npz"
    bad.write_bytes(content)
    with pytest.raises(RelationModelError, match=problem):
        RelationModel.load(bad)
    result = CliRunner().invoke(main, ["extract", str(tmp_path / "missing.npz"), "--relation-model", str(bad)])
    assert result.exit_code == 2


def test_relation_model_none_gives_the_rules_alone(nlp, onto):
    text = "The comedy Harbor Lights won best film. Mara Velden directed \"Harbor Lights\"."
    rules = _facts(nlp, onto, text, relation_model=None)
    assert ("Harbor Lights", "director", "Mara Velden") in rules


def test_kg_train_writes_a_model_that_kg_extract_uses(tmp_path):
    articles = tmp_path / "articles"
    articles.mkdir()
    lines = []
    names = [("Mara Velden", "Glass Harbor"), ("Tomas Reyk", "Iron Garden"), ("Dana Fonseca", "Salt Road"),
             ("Lena Marsh", "Quiet Hours"), ("Jonathan Hale", "Paper Moon")]
    for n, (person, film) in enumerate(names):
        (articles / f"{n}.txt").write_text(f"Headline {n}\n\n{person} stars in \"{film}\". {person} lives in Paris.\n", encoding="utf-8")
        lines.append(json.dumps({"doc": f"{n}.txt", "p": "P161", "s": [film], "o": [person], "kind": "entity"}))
    gold = tmp_path / "gold.jsonl"
    gold.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "m.npz"
    result = CliRunner().invoke(main, ["train", "--gold", str(gold), "--articles", str(articles), "-o", str(out), "--c", "10"])
    assert result.exit_code == 0, result.output
    model = RelationModel.load(out)
    assert model.meta["articles"] == [f"{n}.txt" for n in range(5)] and model.meta["positives"] == 10
    story = tmp_path / "story.txt"
    story.write_text("News\n\nAda Ferrante stars in \"Open Water\".\n", encoding="utf-8")
    facts = CliRunner().invoke(main, ["extract", str(story), "--relation-model", str(out)]).output
    found = {(f["subject"], f["predicate"], f["object"], f["rule"]) for f in map(json.loads, facts.splitlines())}
    assert found == {("Open Water", "cast member", "Ada Ferrante", "model:m")}


def test_kg_train_refuses_gold_for_other_articles(tmp_path):
    (tmp_path / "a.txt").write_text("Mara Velden stars in \"Glass Harbor\".\n", encoding="utf-8")
    gold = tmp_path / "gold" / "gold.jsonl"
    gold.parent.mkdir()
    gold.write_text(json.dumps({"doc": "zzz.txt", "p": "P161", "s": ["X"], "o": ["Y"]}) + "\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["train", "--gold", str(gold), "--articles", str(tmp_path / "a.txt"), "-o", str(tmp_path / "m.npz")])
    assert result.exit_code == 2 and "no gold fact names one of the articles read" in result.output
    gold.write_text('{"doc": "a.txt", "p": "P9999", "s": ["X"], "o": ["Y"]}\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["train", "--gold", str(gold), "--articles", str(tmp_path / "a.txt"), "-o", str(tmp_path / "m.npz")])
    assert result.exit_code == 2 and "gold.jsonl:1: property 'P9999' is not in the ontology" in result.output


def test_the_bbc_dev_articles_give_award_facts_with_their_sentences():
    dev = SHARED / "eval" / "news" / "bbc-dev"
    if not dev.is_dir():
        pytest.skip(f"the BBC development articles are not here ({dev}); they live in ../shared beside a checkout")
    from kg.api import extract

    facts = list(extract(sorted(dev.glob("3*.txt"))))
    awards = [f for f in facts if f["predicate"] in {"award received", "nominated for"}]
    assert len(awards) >= 10
    assert all(f["sentence"] and f["object_type"] == "Award" for f in awards)


_RESULTS = """Harbour Lights sweeps the Northgate Theatre Awards

The winners of the Northgate Theatre Awards were named on Sunday.

- Best new play - Harbour Lights by Ada Ferrante at the Kestrel
 - Best actor - Tomas Reyk for Harbour Lights at the Kestrel
 - Best lighting design - Salt Road designed by Lena Marsh at the Orchard
 - Outstanding achievement in dance - Velden Dance Company for their season at the Orchard
 - Special award - Jonathan Hale for his outstanding contribution to theatre
"""


def test_award_results_list_one_category_per_line(nlp, onto):
    """A results table: winner, the work it was for (cast by the category), the author of a winning play."""
    facts = _facts(nlp, onto, _RESULTS)
    assert {f for f in facts if f[1] in {"awardReceived", "nominatedFor", "castMember", "author"}} == {
        ("Harbour Lights", "awardReceived", "Northgate Theatre Award for best new play"),
        ("Harbour Lights", "author", "Ada Ferrante"),
        ("Tomas Reyk", "awardReceived", "Northgate Theatre Award for best actor"),
        ("Harbour Lights", "castMember", "Tomas Reyk"),
        ("Lena Marsh", "awardReceived", "Northgate Theatre Award for best lighting design"),
        ("Velden Dance Company", "awardReceived", "Northgate Theatre Award for outstanding achievement in dance"),
        ("Jonathan Hale", "awardReceived", "Northgate Theatre special award"),
    }


def test_award_list_under_a_nominations_header_gives_nominations(nlp, onto):
    text = ("Harbour Lights leads Northgate Theatre Awards race\n\nThe nominees at the Northgate Theatre Awards are:\n\n"
            "- Best actor - Tomas Reyk for Harbour Lights\n - Best actress - Lena Marsh for Salt Road\n")
    assert _awards(nlp, onto, text) == {
        ("Tomas Reyk", "nominatedFor", "Northgate Theatre Award for best actor"),
        ("Lena Marsh", "nominatedFor", "Northgate Theatre Award for best actress"),
    }


def test_predictions_list_is_not_a_result(nlp, onto):
    text = ("Critics pick their Northgate winners\n\nThe Northgate Film Awards are on Sunday.\n\n"
            "- Ada Ferrante, The Courier: Film - Salt Road; director - Mara Velden; actor - Tomas Reyk.\n")
    assert _awards(nlp, onto, text) == set()


@pytest.mark.parametrize("text, expected", [
    # soft categories name an award in an article about a ceremony
    ("Salt Road wins at Northgate Film Awards\n\nSalt Road was voted top animated movie at the Northgate Film Awards. "
     "Lena Marsh was favourite leading lady.",
     {("Salt Road", "awardReceived", "Northgate Film Award for top animated movie"),
      ("Lena Marsh", "awardReceived", "Northgate Film Award for favourite leading lady")}),
    # ... and nothing where no ceremony is named
    ("Salt Road was voted top animated movie by readers of the Courier.", set()),
    # "the top prize for <category>" is one award, with the ceremony a category mention names before "for"
    ("Tomas Reyk and Lena Marsh have won the Northgate Film Awards for best screenplay. "
     "Salt Road beat Harbour Lights by taking the top prize for best cast performance.",
     {("Tomas Reyk", "awardReceived", "Northgate Film Award for best screenplay"),
      ("Lena Marsh", "awardReceived", "Northgate Film Award for best screenplay"),
      ("Salt Road", "awardReceived", "Northgate Film Award for best cast performance")}),
    # a ceremony only mentioned is not where the prize was given
    ("Salt Road wins at Northgate Film Awards\n\nAt the Northgate Film Awards, Tomas Reyk won best director, a month "
     "before the Oscars.",
     {("Tomas Reyk", "awardReceived", "Northgate Film Award for best director")}),
])
def test_categories_in_a_ceremony_context(nlp, onto, text, expected):
    assert _awards(nlp, onto, text) == expected


@pytest.mark.parametrize("text, expected", [
    ("Salt Road wins at Northgate Film Awards\n\nAt the Northgate Film Awards, Lena Marsh beat Ada Ferrante, "
     "Dana Fonseca and Mara Velden to the best actress prize.",
     {("Lena Marsh", "awardReceived", "Northgate Film Award for best actress"),
      ("Ada Ferrante", "nominatedFor", "Northgate Film Award for best actress"),
      ("Dana Fonseca", "nominatedFor", "Northgate Film Award for best actress"),
      ("Mara Velden", "nominatedFor", "Northgate Film Award for best actress")}),
    ("Salt Road wins at Northgate Film Awards\n\nAt the Northgate Film Awards, Tomas Reyk beat Jonathan Hale to win "
     "best actor.",
     {("Tomas Reyk", "awardReceived", "Northgate Film Award for best actor"),
      ("Jonathan Hale", "nominatedFor", "Northgate Film Award for best actor")}),
    ("Salt Road wins at Northgate Film Awards\n\nAt the Northgate Film Awards, Ada Ferrante lost out in the best "
     "supporting role category to Lena Marsh.",
     {("Lena Marsh", "awardReceived", "Northgate Film Award for best supporting role"),
      ("Ada Ferrante", "nominatedFor", "Northgate Film Award for best supporting role")}),
])
def test_contests_give_the_winner_and_the_beaten(nlp, onto, text, expected):
    assert _awards(nlp, onto, text) == expected


def test_they_is_the_band_in_focus(nlp, onto):
    text = ("Kestrel Union are a band from Leeds. Kestrel Union were formed by Tomas Reyk in 2001. "
            "They have been nominated for three Grammy awards.")
    assert _awards(nlp, onto, text) == {("Kestrel Union", "nominatedFor", "Grammy Award")}


def test_award_statement_keeps_its_work_year_and_category(nlp, onto):
    text = ("Iron Garden wins at Northgate Film Awards\n\n"
            "At the 2005 Northgate Film Awards, Lena Marsh won best actress for Iron Garden.")
    facts = {(f.subject.label, f.predicate): f for f in extract_facts(Document(id="urn:test", text=text), nlp(text), onto,
                                                                     relation_model=None)}
    won = facts[("Lena Marsh", "awardReceived")]
    assert str(won.object) == "Northgate Film Award for best actress"
    assert (won.qualifiers.for_work.label, won.qualifiers.year, won.qualifiers.category) == (
        "Iron Garden", "2005", "best actress")
    assert ("Iron Garden", "castMember") in facts


def test_award_qualifiers_are_stored_on_the_statement(tmp_path):
    rows = stored_rows(tmp_path, "Iron Garden wins at Northgate Film Awards\n\n"
                       "At the 2005 Northgate Film Awards, Lena Marsh won best actress for Iron Garden.\n",
                       "SELECT ?work ?year ?category WHERE { ?s a kg:Statement ; rdf:predicate kg:awardReceived ; "
                       "kg:forWork ?w ; kg:pointInTime ?year ; kg:awardCategory ?category . ?w rdfs:label ?work }")
    assert [(str(w), str(y), str(c)) for w, y, c in rows] == [("Iron Garden", "2005", "best actress")]


def test_the_classifier_never_restates_an_award_the_rules_read(nlp, onto):
    text = ("Iron Garden wins at Northgate Film Awards\n\n"
            "At the 2005 Northgate Film Awards, Lena Marsh won best actress for Iron Garden.")
    facts = _facts(nlp, onto, text, relation_model=packaged_model())
    assert {f for f in facts if f[0] == "Lena Marsh"} == {
        ("Lena Marsh", "awardReceived", "Northgate Film Award for best actress")}


_SHORTLIST = (
    "Ferrante heads Northgate Prize shortlist\n\n"
    "Ada Ferrante is among three authors on the shortlist for the Northgate Prize.\n\n"
    "Tomas Reyk and Lena Marsh have also been nominated. Past winners of the Northgate Prize, such as Mara Velden "
    "and Jonathan Hale, were not eligible.\n\n"
    "Ada Ferrante (Italy) Tomas Reyk (Canada) Lena Marsh (Ireland) Dana Fonseca (Portugal)\n")


def test_shortlist_shapes(nlp, onto):
    assert _awards(nlp, onto, _SHORTLIST) == {
        ("Tomas Reyk", "nominatedFor", "Northgate Prize"), ("Lena Marsh", "nominatedFor", "Northgate Prize"),
        ("Ada Ferrante", "nominatedFor", "Northgate Prize"), ("Dana Fonseca", "nominatedFor", "Northgate Prize"),
        ("Mara Velden", "awardReceived", "Northgate Prize"), ("Jonathan Hale", "awardReceived", "Northgate Prize"),
    }


def test_bracketed_names_outside_a_shortlist_article_are_not_nominees(nlp, onto):
    text = ("Festival line-up announced\n\nThe Northgate Prize was founded in 1990. The Northgate Prize is large.\n\n"
            "Ada Ferrante (Italy) Tomas Reyk (Canada) Lena Marsh (Ireland)\n")
    assert _awards(nlp, onto, text) == set()


@pytest.mark.parametrize("text, expected", [
    ("Tomas Reyk is leading the field at this year's Oscars with 11 nominations.",
     {("Tomas Reyk", "nominatedFor", "Academy Award")}),
    ("Lena Marsh missed out on best British live act at the Brit Awards.",
     {("Lena Marsh", "nominatedFor", "Brit Award for best British live act")}),
    ("Lena Marsh - in the running for best British female and best pop act at the Brit Awards - performed.",
     {("Lena Marsh", "nominatedFor", "Brit Award for best British female"),
      ("Lena Marsh", "nominatedFor", "Brit Award for best pop act")}),
    ("The show triumphed in the battle for best new musical at the Olivier Awards, where it was up against Mary "
     "Poppins and Andrew Lloyd Webber's The Woman in White.",
     {("Mary Poppins", "nominatedFor", "Olivier Award for best new musical"),
      ("The Woman in White", "nominatedFor", "Olivier Award for best new musical")}),
    ("Iron Garden won best picture at the Oscars. The other films nominated are wine comedy Sideways, factual drama "
     "Finding Neverland, and Ray Charles biopic Ray.",
     {("Sideways", "nominatedFor", "Academy Award"), ("Finding Neverland", "nominatedFor", "Academy Award"),
      ("Ray", "nominatedFor", "Academy Award")}),
    # no ceremony anywhere: a count of nominations names no prize
    ("Tomas Reyk has 11 nominations.", set()),
])
def test_nominations_worded_as_a_contest(nlp, onto, text, expected):
    assert {f for f in _facts(nlp, onto, text) if f[1] == "nominatedFor"} == expected


@pytest.mark.parametrize("text, expected", [
    ("Lena Marsh and Tomas Reyk were among the winners at the Brit Awards.",
     {("Lena Marsh", "awardReceived", "Brit Award"), ("Tomas Reyk", "awardReceived", "Brit Award")}),
    ("Ray Quay, who has won a string of Grammy Awards, died on Thursday.",
     {("Ray Quay", "awardReceived", "Grammy Award")}),
])
def test_winners_in_a_relative_clause_or_among_the_winners(nlp, onto, text, expected):
    assert _awards(nlp, onto, text) == expected
