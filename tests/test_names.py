"""One node per person within an article: titles and roles are not part of a name, middle initials are aliases,
accents typed either way are one name, and searches ignore accents."""

from __future__ import annotations

import unicodedata

import pytest

from kg.api import KnowledgeGraph
from kg.documents import read_documents
from kg.extract import extract_facts
from kg.graph import find_node, fold, to_networkx
from kg.model import Document


def _facts(nlp, onto, text):
    return [(f.subject.label, f.predicate, f.object.label) for f in
            extract_facts(Document(id="urn:kg:test", text=text), nlp(text), onto)]


@pytest.mark.parametrize("text, expected", [
    ('Mara Velden directed "Glass Harbor". Ms Velden later produced "Iron Garden".',
     [("Glass Harbor", "director", "Mara Velden"), ("Iron Garden", "producer", "Mara Velden")]),
    ('Tomas Reyk directed "Glass Harbor". Mr Reyk later produced "Iron Garden".',
     [("Glass Harbor", "director", "Tomas Reyk"), ("Iron Garden", "producer", "Tomas Reyk")]),
    ('Director Mara Velden produced "Glass Harbor". Velden also directed "Iron Garden".',
     [("Glass Harbor", "producer", "Mara Velden"), ("Iron Garden", "director", "Mara Velden")]),
    ('Jonathan R. Hale directed "Glass Harbor". Jonathan Hale also directed "Iron Garden".',
     [("Glass Harbor", "director", "Jonathan R. Hale"), ("Iron Garden", "director", "Jonathan R. Hale")]),
])
def test_one_person_however_the_article_names_them(nlp, onto, text, expected):
    assert _facts(nlp, onto, text) == expected


def test_the_middle_initial_is_an_alias(nlp, onto):
    text = 'Jonathan R. Hale directed "Glass Harbor". Jonathan Hale also directed "Iron Garden".'
    [person] = {f.object for f in extract_facts(Document(id="urn:kg:test", text=text), nlp(text), onto)}
    assert (person.key, person.label, person.aliases) == ("person/jonathan-r-hale", "Jonathan R. Hale", ("Jonathan Hale",))


def test_decomposed_accents_give_the_same_facts(tmp_path):
    text = 'Lefèvre story\n\nRenée Lefèvre directed "Glass Harbor".\n'
    (tmp_path / "nfc.txt").write_text(unicodedata.normalize("NFC", text), encoding="utf-8")
    (tmp_path / "nfd.txt").write_text(unicodedata.normalize("NFD", text), encoding="utf-8")
    composed, decomposed = read_documents([tmp_path / "nfc.txt", tmp_path / "nfd.txt"])
    assert composed.text == decomposed.text and composed.title == decomposed.title
    with KnowledgeGraph("memory", create=True) as graph:
        graph.build([tmp_path / "nfd.txt"])
        assert [(f["subject"], f["predicate"], f["object"]) for f in graph.facts()] == [
            ("Glass Harbor", "director", "Renée Lefèvre")]
        network = to_networkx(graph.store)
        assert find_node(network, "Renee Lefevre") == find_node(network, "RENÉE LEFÈVRE") is not None
        assert str(graph.paths("Renee Lefevre", "glass harbor")[0][0]) == "Glass Harbor –director→ Renée Lefèvre"


def test_fold_ignores_case_accents_and_spaces():
    assert fold(" Renée\tLEFÈVRE ") == fold("Rene\u0301e Lefevre") == "renee lefevre"
