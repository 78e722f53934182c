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
    # the list after a role word ends at the next phrase ("as the next Kestrel re-release" is no show)
    ("Tomas Reyk appeared on the show again last week as the next Kestrel re-release climbed the chart.", set()),
    # after a comma, a name that opens the next clause is not one more title ("Marsh's breakthrough role came")
    ("Lena Marsh is an actress. Following a cameo in Paper Lanterns, Marsh's breakthrough role came in 1990.", set()),
    # the channel before a show is not the show; "In recent years" is not where she appeared
    ("Lena Marsh was an actress. In recent years she appeared in BBC mini-series Salt Roads and played Mrs Finch "
     "in the stage version of Iron Garden.",
     {("Salt Roads", "castMember", "Lena Marsh"), ("Lena Marsh", "portrays", "Finch")}),
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
    # the cast, read through the noun "cast"
    ("Harbor of Salt is a 1930 Indian silent film. The cast included Tomas Reyk, Lena Marsh and Ada Finch.",
     {("Harbor of Salt", "releaseDate", "1930"), ("Harbor of Salt", "castMember", "Tomas Reyk"),
      ("Harbor of Salt", "castMember", "Lena Marsh"), ("Harbor of Salt", "castMember", "Ada Finch")}),
    ("Mara Velden directed the 2012 film Paper Lanterns, which featured the ensemble cast of Tomas Reyk, Lena Marsh "
     "and Ada Finch.",
     {("Paper Lanterns", "director", "Mara Velden"), ("Paper Lanterns", "releaseDate", "2012"),
      ("Paper Lanterns", "castMember", "Tomas Reyk"), ("Paper Lanterns", "castMember", "Lena Marsh"),
      ("Paper Lanterns", "castMember", "Ada Finch")}),
    # a chain of participles on a definition, and a second participle the parser joins to "is"
    ("Iron Garden is a 2008 period drama film produced, written, and directed by Mara Velden.",
     {("Iron Garden", "releaseDate", "2008"), ("Iron Garden", "producer", "Mara Velden"),
      ("Iron Garden", "screenwriter", "Mara Velden"), ("Iron Garden", "director", "Mara Velden")}),
    ("Iron Garden is a 1970 American drama film directed by Mara Velden and written by Lena Marsh and Ada Finch.",
     {("Iron Garden", "releaseDate", "1970"), ("Iron Garden", "director", "Mara Velden"),
      ("Iron Garden", "screenwriter", "Lena Marsh"), ("Iron Garden", "screenwriter", "Ada Finch")}),
    # an episode: "it" and "the episode" go on with it; both participles of a passive are read
    ('"Salt Roads" is the seventh episode of the ninth season of Harbor Lights. It was written by Lena Marsh and '
     'directed by Tomas Reyk.',
     {("Salt Roads", "screenwriter", "Lena Marsh"), ("Salt Roads", "director", "Tomas Reyk")}),
    # "this ... feature" is the work just defined; the cast hangs on the passive's subject
    ("Paper Lanterns is a 1952 American film. This 20th Century Fox feature was produced by Lena Marsh, directed by "
     "Tomas Reyk, and stars Ada Finch and Mara Velden.",
     {("Paper Lanterns", "releaseDate", "1952"), ("Paper Lanterns", "producer", "Lena Marsh"),
      ("Paper Lanterns", "director", "Tomas Reyk"), ("Paper Lanterns", "castMember", "Ada Finch"),
      ("Paper Lanterns", "castMember", "Mara Velden")}),
    # "The film stars A, B and C", which the parser reads as a noun
    ("Iron Garden is a 1970 American drama film. The film stars Tomas Reyk, Lena Marsh, Ada Finch and Mara Velden.",
     {("Iron Garden", "releaseDate", "1970"), ("Iron Garden", "castMember", "Tomas Reyk"),
      ("Iron Garden", "castMember", "Lena Marsh"), ("Iron Garden", "castMember", "Ada Finch"),
      ("Iron Garden", "castMember", "Mara Velden")}),
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


def test_a_knight_named_by_first_name_is_the_same_person(nlp, onto):
    from kg.extract.coref import find_entities

    text = "Director Sir Tomas Reyk was honoured in Paris. Sir Tomas received the medal on Wednesday."
    doc = nlp(text)
    ents = find_entities(doc, onto)
    assert {e.label for e in ents.entities() if e.cls == "Person"} == {"Sir Tomas Reyk"}


def test_the_cast_after_a_sequels_original_is_the_sequels(nlp, onto):
    text = "Iron Garden 2 is the sequel to Lena Marsh comedy Iron Garden, also starring Tomas Reyk and Ada Finch."
    assert {f for f in _facts(nlp, onto, text) if f[1] == "castMember"} == {
        ("Iron Garden 2", "castMember", "Tomas Reyk"), ("Iron Garden 2", "castMember", "Ada Finch")}
