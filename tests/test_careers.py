"""Encyclopedic leads and biographies (fictional names): definitions, "it" and "he" going on with the subject,
filmographies listed after a role, dated titles and dated clauses. Each text gives exactly the facts listed."""

from __future__ import annotations

import pytest

from kg.evaluate import detokenize
from kg.extract import extract_facts
from kg.extract.careers import title_list
from kg.extract.literals import work_year
from kg.model import Document


def _facts(nlp, onto, text):
    doc = Document(id="urn:test", text=text)
    return {(f.subject.label, f.predicate, str(f.object))
            for f in extract_facts(doc, nlp(text), onto, relation_model=None)}


@pytest.mark.parametrize("text, expected", [
    # a definition types the title NER missed, dates it, and makes it what "it" means next
    ("Harbor of Glass and Salt is a 1994 American spy thriller film directed by Tomas Reyk. "
     "It was produced by Northgate Pictures.",
     {("Harbor of Glass and Salt", "director", "Tomas Reyk"), ("Harbor of Glass and Salt", "releaseDate", "1994"),
      ("Harbor of Glass and Salt", "productionCompany", "Northgate Pictures")}),
    # "he" goes on with the person the lead is about
    ("Tomas Reyk is an American actor. He also wrote and directed the film Paper Lanterns, released in 2008.",
     {("Paper Lanterns", "director", "Tomas Reyk"), ("Paper Lanterns", "screenwriter", "Tomas Reyk"),
      ("Paper Lanterns", "releaseDate", "2008")}),
    # a filmography after a role word: every listed title, whatever NER typed it
    ("Lena Marsh is an actress. She has had roles in films including Iron Garden, The Usual Harbor, "
     "Natural Born Sailors and Paper Lanterns.",
     {("Iron Garden", "castMember", "Lena Marsh"), ("The Usual Harbor", "castMember", "Lena Marsh"),
      ("Natural Born Sailors", "castMember", "Lena Marsh"), ("Paper Lanterns", "castMember", "Lena Marsh")}),
    # "such shows as A, B and C": three shows, not one title "B and C"
    ("On television, Tomas Reyk guest starred on such shows as Kestrel Bay, Heroes and Lost.",
     {("Kestrel Bay", "castMember", "Tomas Reyk"), ("Heroes", "castMember", "Tomas Reyk"),
      ("Lost", "castMember", "Tomas Reyk")}),
    # characters before "in" are not works
    ("Lena Marsh is known for roles in a long television career including Mara Cole in Iron Garden and Ada Finch "
     "in Paper Lanterns.",
     {("Iron Garden", "castMember", "Lena Marsh"), ("Paper Lanterns", "castMember", "Lena Marsh")}),
    # a list of something other than works gives nothing
    ("Lena Marsh appeared in several magazines such as Harbor Monthly and Salt Weekly.", set()),
    # a title dated the way works are, a series by the year it began
    ("Northgate Films made two sitcoms, Iron Garden (1989 – 94) and Paper Lanterns (1992).",
     {("Iron Garden", "releaseDate", "1989"), ("Paper Lanterns", "releaseDate", "1992")}),
    # a dated clause about one work; not the year someone began writing it
    ("In 2010, Tomas Reyk starred in the drama series Harbor Lights.",
     {("Harbor Lights", "castMember", "Tomas Reyk"), ("Harbor Lights", "releaseDate", "2010")}),
    ("Ada Finch began writing the novel Salt Roads in 1982.", set()),
    # the actor of "his role" is the sentence's subject, which no name states: nobody is credited
    ("Tomas Reyk wrote it. The actor was nominated for his role in Paper Lanterns.", set()),
    # a book adapted into a film: the cast is the film's, not the book's
    ("The novel Salt Roads was adapted into a hit film in 1970, starring Tomas Reyk.", set()),
])
def test_career_and_definition_shapes(nlp, onto, text, expected):
    assert _facts(nlp, onto, text) == expected


def test_a_list_reads_each_title_with_its_year_and_maker_left_out(nlp):
    doc = nlp("He appeared in Mara Velden's Queen of Salt (2008), Somtum (2008), Iron Garden 2 (uncredited) and Lanterns.")
    start = next(t.i for t in doc if t.text == "in") + 1
    assert [doc[s:e].text for s, e in title_list(doc, start, len(doc))] == [
        "Queen of Salt", "Somtum", "Iron Garden 2", "Lanterns"]


@pytest.mark.parametrize("text, year", [
    ("1968", "1968"), ("1989 – 94", "1989"), ("2001-present", "2001"), ("1920 – 2001", None), ("born 1965", None),
    ("1994 – 1990", None),
])
def test_work_years(text, year):
    assert work_year(text) == year


def test_detokenized_redocred_sentences_read_as_written():
    tokens = ["He", "co", "-", "wrote", '"', "Ca", "n't", "Stop", '"', "with", "Tom", "Clancy", "'s", "son", "."]
    assert detokenize(tokens) == "He co-wrote \"Can't Stop\" with Tom Clancy's son."
