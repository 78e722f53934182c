"""Extraction: golden facts for the example articles and the seed article, and rule-level cases."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.api import extract
from kg.documents import read_documents
from kg.extract import extract_facts

from .conftest import EXAMPLES

GOLDEN = Path(__file__).parent / "golden"


def _triples(records) -> set[tuple[str, str, str]]:
    out = set()
    for r in records:
        obj = f"{r['object']} {r['unit']}" if r["unit"] else str(r["object"])
        out.add((r["subject"], r["predicate"], obj))
    return out


def _golden(name: str) -> set[tuple[str, str, str]]:
    lines = (GOLDEN / f"{name}.tsv").read_text(encoding="utf-8").splitlines()
    return {tuple(line.split("\t")) for line in lines if line.strip()}


@pytest.mark.parametrize("article, golden", [
    ("alita-sequel-talks.txt", "alita-sequel-talks"),
    ("avatar-way-of-water.md", "avatar-way-of-water"),
    ("lightstorm-studio.html", "lightstorm-studio"),
])
def test_example_articles_give_exactly_their_golden_facts(article, golden):
    assert _triples(extract([EXAMPLES / article])) == _golden(golden)


def test_seed_article_gives_its_stated_facts_and_nothing_else(seed_path):
    found = _triples(extract([seed_path]))
    assert ("Alita: Battle Angel", "producer", "James Cameron") in found
    assert ("Alita: Battle Angel", "box office", "404000000 USD") in found
    assert found == _golden("alita-seed")


def test_every_fact_carries_its_sentence_and_offsets(seed_path):
    text = seed_path.read_text(encoding="utf-8")
    for record in extract([seed_path]):
        assert text[record["char_start"]:record["char_end"]] == record["sentence"]
        assert 0 < record["confidence"] <= 1


@pytest.mark.parametrize("text, expected", [
    ('Robert Rodriguez directed "Alita: Battle Angel".', {("Alita: Battle Angel", "director", "Robert Rodriguez")}),
    ('"Alita: Battle Angel" was directed by Robert Rodriguez.', {("Alita: Battle Angel", "director", "Robert Rodriguez")}),
    # wished for, negated or modal statements are not facts
    ('James Cameron had hoped to direct "Titanic 2" himself.', set()),
    ('Steven Spielberg did not direct "Jaws 2".', set()),
    ('Christopher Nolan may direct "Tenet 2".', set()),
    # money keeps its currency and scale; the qualifier stays on the statement
    ('"The Matrix" grossed over $460 million.', {("The Matrix", "box office", "460000000 USD")}),
    ('"Amelie" earned €33 million in France.', {("Amelie", "box office", "33000000 EUR")}),
])
def test_rules(nlp, onto, text, expected):
    from kg.model import Document

    facts = extract_facts(Document(id="urn:test", text=text), nlp(text), onto)
    assert {(f.subject.label, onto.properties[f.predicate].label, str(f.object)) for f in facts} == expected


def test_surname_and_title_aliases_are_one_entity(nlp, onto):
    from kg.extract.coref import find_entities

    text = ('James Cameron produced "Alita: Battle Angel". Cameron said "Alita" was his passion project. '
            "The Alita character is a cyborg.")
    ents = find_entities(nlp(text), onto)
    by_label = {e.label: e for e in ents.entities()}
    assert by_label["James Cameron"].aliases == ("Cameron",)
    assert by_label["Alita: Battle Angel"].aliases == ("Alita",)
    assert by_label["Alita"].cls == "Character"  # the character is not merged into the film
    assert by_label["Alita"].key != by_label["Alita: Battle Angel"].key


def test_a_short_title_in_the_same_sentence_as_the_long_one_is_another_work(nlp, onto):
    from kg.extract.coref import find_entities

    text = ('Jane Doe directed "Avatar: The Way of Water", the sequel to "Avatar". Later "Avatar: The Way of Water" '
            'opened in Paris. Critics said "Avatar" had aged well.')
    by_label = {e.label: e for e in find_entities(nlp(text), onto).entities()}
    assert by_label["Avatar: The Way of Water"].aliases == ()
    assert by_label["Avatar"].key != by_label["Avatar: The Way of Water"].key


@pytest.mark.parametrize("text, span, kept", [
    # a headline's preposition is not part of the name the body writes without it
    ("Inside Lightstorm Entertainment, the studio behind Avatar\n\nLightstorm Entertainment was founded in 1990.",
     (0, 3), "Lightstorm Entertainment"),
    # a name that always carries its first word keeps it
    ("Under Armour raised its forecast. Analysts said Under Armour had a good year.", (0, 2), "Under Armour"),
])
def test_leading_preposition_of_a_name(nlp, text, span, kept):
    from spacy.tokens import Span

    from kg.nlp import _without_preposition

    with nlp.select_pipes(disable=["kg_titles", "merge_entities"]):  # the tokens as the component sees them
        doc = nlp(text)
    assert doc[span[0]].tag_ == "IN"
    assert _without_preposition(Span(doc, *span, label="ORG")).text == kept


def test_the_body_repeat_of_a_headline_name_is_labelled(nlp):
    text = "Inside Lightstorm Entertainment, the studio behind Avatar\n\nLightstorm Entertainment was founded in 1990."
    assert [e.text for e in nlp(text).ents if e.label_ == "ORG"] == ["Lightstorm Entertainment", "Lightstorm Entertainment"]


def test_html_article_is_read_without_scripts_or_navigation():
    doc = next(read_documents([EXAMPLES / "lightstorm-studio.html"]))
    assert "tracking" not in doc.text and "Home" not in doc.text
    assert doc.url == "https://news.example.org/lightstorm-profile"
    assert doc.published == "2023-02-10"
    assert doc.title.startswith("Inside Lightstorm")


def test_noun_cues_are_indexed_by_what_they_name(onto):
    """Role nouns ("director") name a relation between entities, value nouns ("budget") a value: the two indexes
    split the ontology's noun cues between them, each cue with exactly its properties of that kind."""
    assert [p.name for p in onto.entity_noun_index["director"]] == ["director"]
    assert [p.name for p in onto.value_noun_index["budget"]] == ["budget"]
    assert "budget" not in onto.entity_noun_index and "director" not in onto.value_noun_index
    for cue, props in onto.noun_index.items():
        entity, value = onto.entity_noun_index.get(cue, ()), onto.value_noun_index.get(cue, ())
        assert sorted(p.name for p in entity + value) == sorted(p.name for p in props)
        assert not any(p.is_datatype for p in entity) and all(p.is_datatype for p in value)
