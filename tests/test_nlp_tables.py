"""The attribute ruler and lemmatizer tables give the model's own annotations, token for token."""

from __future__ import annotations


import pytest
import spacy
from spacy.tokens import Doc, Token

from kg.nlp import resolve_model_name
from kg.nlp_tables import AttributeTable, LemmaTable, use_tables

from .conftest import BBC_DEV, assert_annotated_alike, bbc_dev_texts, example_texts, token_annotations

# Shapes the model's multi-token and dependency patterns are written for, in sentences of the project's own.
TRICKY = [
    "Y'all gonna see it, and ain't nobody gotta pay: let's go, c'mon.",
    "There's a studio in Wellington and there are two sequels; there were more.",
    "I'd say he'd rather not.  Two spaces,\n\na paragraph, and a tab\there.",
    "He doesn't know; she can't; we won't. It's his, not hers or theirs.",
    "",
]



@pytest.fixture(scope="module")
def model_and_tables():
    model = spacy.load(resolve_model_name())
    tables = spacy.load(resolve_model_name())
    assert use_tables(tables) == ["attribute_ruler", "lemmatizer"]
    return model, tables


def test_tables_replace_the_ruler_and_lemmatizer(model_and_tables):
    _, tables = model_and_tables
    assert tables.pipe_names == ["tok2vec", "tagger", "parser", "kg_attribute_table", "kg_lemma_table", "ner"]


def test_tables_annotate_as_the_model_does(model_and_tables):
    assert_annotated_alike(*model_and_tables, TRICKY + example_texts())


@pytest.mark.skipif(not BBC_DEV.is_dir(), reason="../shared/eval/news/bbc-dev is not beside the checkout")
def test_tables_annotate_real_news_as_the_model_does(model_and_tables):
    assert_annotated_alike(*model_and_tables, bbc_dev_texts(40))


def _ruler_pipeline(patterns: list[dict]) -> spacy.Language:
    nlp = spacy.blank("en")
    nlp.add_pipe("attribute_ruler").add_patterns(patterns)
    return nlp


def _tagged(nlp: spacy.Language, words: list[str], tags: list[str]) -> Doc:
    return Doc(nlp.vocab, words=words, tags=tags)


def test_a_later_rule_wins_and_sequences_set_the_indexed_token():
    patterns = [
        {"patterns": [[{"TAG": "NN"}]], "attrs": {"POS": "NOUN", "MORPH": "Number=Sing"}},
        {"patterns": [[{"TAG": "NN", "LOWER": {"IN": ["ship", "boat"]}}]], "attrs": {"POS": "PROPN"}},
        {"patterns": [[{"LOWER": {"REGEX": "^sh"}}, {"TAG": {"NOT_IN": ["DT"]}}]], "attrs": {"LEMMA": "x"}, "index": -1},
        {"patterns": [[{"LOWER": "the"}, {"LOWER": "ship"}]], "attrs": {"MORPH": "Definite=Def"}, "index": 1},
    ]
    nlp = _ruler_pipeline(patterns)
    table = AttributeTable.compile(nlp.get_pipe("attribute_ruler"))
    assert table is not None
    words, tags = ["the", "ship", "sails", "a", "boat"], ["DT", "NN", "VBZ", "DT", "NN"]
    expected = nlp.get_pipe("attribute_ruler")(_tagged(nlp, words, tags))
    got = table(_tagged(nlp, words, tags))
    assert token_annotations(got) == token_annotations(expected)
    assert [(t.pos_, str(t.morph), t.lemma_) for t in got] == [
        ("", "", ""), ("PROPN", "Definite=Def", ""), ("", "", "x"), ("", "", ""), ("PROPN", "Number=Sing", ""),
    ]


@pytest.mark.parametrize("pattern_set", [
    {"patterns": [[{"LOWER": "very", "OP": "+"}]], "attrs": {"POS": "ADV"}},  # an operator
    {"patterns": [[{"LOWER": {"REGEX": {"IN": ["ship"]}}}]], "attrs": {"POS": "NOUN"}},  # a predicate on a regex
    {"patterns": [[{"LOWER": {"IN": [1234]}}]], "attrs": {"POS": "NOUN"}},  # a value given as a hash
    {"patterns": [[{"IS_SPACE": {"REGEX": "F"}}]], "attrs": {"POS": "NOUN"}},  # a regex on a flag
    {"patterns": [[{"SHAPE": "xxxx"}]], "attrs": {"POS": "NOUN"}},  # another attribute
    {"patterns": [[{"LOWER": "ship"}]], "attrs": {"_": {"kg_test_seen": True}}},  # extension attributes
])
def test_a_ruler_the_table_cannot_reproduce_is_left_to_spacy(pattern_set):
    Token.set_extension("kg_test_seen", default=None, force=True)
    nlp = _ruler_pipeline([pattern_set])
    assert AttributeTable.compile(nlp.get_pipe("attribute_ruler")) is None
    assert use_tables(nlp) == []
    assert nlp.pipe_names == ["attribute_ruler"]


def test_the_tables_annotate_as_the_model_does_when_their_caches_start_again(monkeypatch):
    monkeypatch.setattr("kg.nlp_tables._MAX_CACHED", 7)
    model = spacy.load(resolve_model_name())
    tables = spacy.load(resolve_model_name())
    use_tables(tables)
    assert_annotated_alike(model, tables, TRICKY + example_texts())
    assert len(tables.get_pipe("kg_attribute_table")._tokens) <= 7
    assert len(tables.get_pipe("kg_lemma_table")._lemmas) <= 7


def test_the_table_caches_stay_bounded(monkeypatch, model_and_tables):
    monkeypatch.setattr("kg.nlp_tables._MAX_CACHED", 50)
    model, _ = model_and_tables
    table = AttributeTable.compile(model.get_pipe("attribute_ruler"))
    words = [f"word{n}" for n in range(400)]
    table(_tagged(model, words, ["NN"] * len(words)))
    assert len(table._tokens) <= 50 and all(len(cache) <= 50 for cache in table._values)


def test_the_lemma_table_asks_the_lemmatizer_once_per_word_form(model_and_tables):
    model, _ = model_and_tables
    with model.select_pipes(disable=["lemmatizer"]):
        docs = list(model.pipe(["The studios were filming.", "The studios were filming again."]))
    table = LemmaTable(model.get_pipe("lemmatizer"))
    lemmatizer = table._lemmatizer
    asked = []
    original = lemmatizer.lemmatize
    lemmatizer.lemmatize = lambda token: asked.append(token.text) or original(token)
    try:
        lemmas = [[t.lemma_ for t in table(doc)] for doc in docs]
    finally:
        lemmatizer.lemmatize = original
    assert lemmas == [["the", "studio", "be", "film", "."], ["the", "studio", "be", "film", "again", "."]]
    assert asked == ["The", "studios", "filming", ".", "again"]  # "were" has its lemma from the ruler
