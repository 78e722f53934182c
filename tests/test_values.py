"""Typed values as news writes them: money with its currency, dates at their precision."""

from __future__ import annotations

import os

import pytest

from kg.extract import extract_facts
from kg.extract.literals import parse_date, parse_money
from kg.model import Document, Value

AMOUNTS = [
    ("$1.2bn", "1200000000", "USD"),
    ("£30m", "30000000", "GBP"),
    ("$90m", "90000000", "USD"),
    ("$12,345,678", "12345678", "USD"),
    ("40 million euros", "40000000", "EUR"),
    ("USD 20 million", "20000000", "USD"),
    ("Rs 100 crore", "1000000000", "INR"),
    ("₹75 crore", "750000000", "INR"),
    ("₹250 crore", "2500000000", "INR"),
    ("$22.7m", "22700000", "USD"),
    ("2.5 lakh rupees", "250000", "INR"),
    ("US$5m", "5000000", "USD"),
]


@pytest.mark.parametrize("text, lexical, unit", AMOUNTS)
def test_money_as_news_writes_it(text, lexical, unit):
    value = parse_money(text)
    assert (value.lexical, value.datatype, value.unit) == (lexical, "decimal", unit)


@pytest.mark.parametrize("text, lexical, unit", AMOUNTS)
def test_the_recogniser_span_takes_the_currency_and_scale(nlp, onto, text, lexical, unit):
    sentence = f'The film "Glass Harbor" had a budget of {text}.'
    [fact] = extract_facts(Document(id="urn:kg:test", text=sentence), nlp(sentence), onto)
    assert (fact.subject.label, fact.predicate) == ("Glass Harbor", "budget")
    assert (fact.object.lexical, fact.object.unit) == (lexical, unit)


@pytest.mark.parametrize("sentence, lexical", [
    ('"Glass Harbor" grossed £30m worldwide.', "30000000"),
    ('"Glass Harbor" grossed $22.7m worldwide.', "22700000"),
    ('"Glass Harbor" grossed $5m last weekend.', "5000000"),
])
def test_an_amount_hung_on_the_verb_is_its_object(nlp, onto, sentence, lexical):
    [fact] = extract_facts(Document(id="urn:kg:test", text=sentence), nlp(sentence), onto)
    assert (fact.predicate, fact.object.lexical) == ("boxOffice", lexical)


def test_a_plain_count_stays_a_number(nlp):
    doc = nlp("The show had 40 million viewers and 3 sequels.")
    assert [(e.text, e.label_) for e in doc.ents] == [("40 million", "CARDINAL"), ("3", "CARDINAL")]


@pytest.mark.parametrize("text, year, expected", [
    ("March 28, 2023", None, Value("2023-03-28", "date", text="March 28, 2023")),
    ("December 2022", None, Value("2022-12", "gYearMonth", text="December 2022")),
    ("2019", None, Value("2019", "gYear", text="2019")),
    ("March 28", 2021, Value("2021-03-28", "date", text="March 28")),
    ("March 28", None, None),
])
def test_dates_at_their_precision(text, year, expected):
    assert parse_date(text, year) == expected


@pytest.mark.parametrize("text, lexical", [
    ("in spring 2020", "2020"), ("late 2019", "2019"), ("the summer of 2021", "2021"), ("mid-2018", "2018"),
    ("early 2005", "2005"),
])
def test_a_part_of_a_year_is_its_year(text, lexical):
    assert parse_date(text) == Value(lexical, "gYear", text=text)


def test_a_year_named_relative_to_the_article_needs_its_date():
    assert parse_date("last year", 2005) == Value("2004", "gYear", text="last year")
    assert parse_date("next year", 2005).lexical == "2006" and parse_date("this year", 2005).lexical == "2005"
    assert parse_date("last year") is None and parse_date("last week", 2005) is None


@pytest.mark.parametrize("sentence, published, lexical", [
    ('The film "Glass Harbor" premiered in 1998.', None, "1998"),
    ('"Glass Harbor" premiered in spring 2020.', None, "2020"),
    ('The film "Glass Harbor" was released late 2019.', None, "2019"),
    ('The film "Glass Harbor" was released last year.', "2005-03-01", "2004"),
])
def test_release_dates_as_news_writes_them(nlp, onto, sentence, published, lexical):
    document = Document(id="urn:kg:test", text=sentence, published=published)
    [fact] = extract_facts(document, nlp(sentence), onto)
    assert (fact.subject.label, fact.predicate, fact.object.lexical, fact.object.datatype) == (
        "Glass Harbor", "releaseDate", lexical, "gYear")


def test_last_year_without_an_article_date_is_left_out(nlp, onto):
    sentence = 'The film "Glass Harbor" was released last year.'
    assert extract_facts(Document(id="urn:kg:test", text=sentence), nlp(sentence), onto) == []


@pytest.mark.parametrize("name, text, issued", [
    ("dated.txt", "Harbor opens\nPublished: 14 March 2005, 10:32 GMT\n\nThe film opened.\n", "2005-03-14"),
    ("dated.md", "# Harbor opens\n\nMonday, March 14, 2005\n\nThe film opened.\n", "2005-03-14"),
    ("iso.txt", "Harbor opens\n2019-05-03\n\nThe film opened.\n", "2019-05-03"),
    ("undated.txt", "Harbor opens\n\nOn 3 May 2019 the film opened.\n", None),
    ("impossible.txt", "Harbor opens\nUpdated: 2019-02-30\n\nThe film opened.\n", None),
])
def test_a_text_article_takes_its_date_line_and_never_the_files_time(tmp_path, name, text, issued):
    from kg.documents import read_documents

    path = tmp_path / name
    path.write_text(text)
    [document] = read_documents([path])
    assert document.published == issued


@pytest.mark.parametrize("sentence, predicate, lexicals", [
    ('"Glass Harbor" took $12 million in its opening weekend and $85 million worldwide.', "boxOffice", ["85000000"]),
    ('"Glass Harbor" made $12m on its opening weekend.', "boxOffice", []),
    ('The film "Glass Harbor" took £750,000 in its first three days on release.', "boxOffice", []),
    ('The budget of "Glass Harbor" rose from $90 million to $120 million.', "budget", ["120000000"]),
    ('The budget of "Glass Harbor" rose to $120 million.', "budget", ["120000000"]),
])
def test_two_amounts_in_one_sentence(nlp, onto, sentence, predicate, lexicals):
    facts = extract_facts(Document(id="urn:kg:test", text=sentence), nlp(sentence), onto)
    assert [f.object.lexical for f in facts if f.predicate == predicate] == lexicals
    assert all(f.predicate == predicate for f in facts)


@pytest.mark.parametrize("sentence", ['"花样年华" grossed $9 million.', 'The film "花样年华" grossed $9 million.',
                                      '"Любовь" grossed $9 million.'])
def test_a_title_in_a_script_without_capitals_gives_its_fact(nlp, onto, sentence):
    [fact] = extract_facts(Document(id="urn:kg:test", text=sentence), nlp(sentence), onto)
    assert (fact.subject.label, fact.predicate, fact.object.lexical, fact.object.unit) == (
        sentence.split('"')[1], "boxOffice", "9000000", "USD")


@pytest.mark.parametrize("head, lexical", [
    ("Harbor news\nPublished: 3 March 2021\n\n", ["2020"]),
    ("Harbor news\n2021-03-03\n\n", ["2020"]),
    ("Harbor news\n\n", []),  # no date line: "last year" is left out, whatever the file's time says
])
def test_a_text_article_dates_last_year_by_its_date_line(nlp, onto, tmp_path, head, lexical):
    from kg.documents import read_documents

    path = tmp_path / "harbor.txt"
    path.write_text(head + 'The film "Glass Harbor" was released last year.\n')
    os.utime(path, (1_600_000_000, 1_600_000_000))  # 2020-09-13: a file time that must not count
    [document] = read_documents([path])
    facts = extract_facts(document, nlp(document.text), onto)
    assert [f.object.lexical for f in facts if f.predicate == "releaseDate"] == lexical
