"""No input hangs or crashes a build: parse walks that end, bounded reads and parses, time limits per document,
and bad input that skips only itself. Each input here is written by the test."""

from __future__ import annotations

import json
import os
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import kg.nlp
from kg.api import KnowledgeGraph, extract
from kg.cli import main
from kg.documents import read_documents
from kg.errors import InputError, KGError
from kg.extract import extract_facts
from kg.limits import DocumentTimeout, budget, call_with_limit
from kg.model import Document
from kg.nlp import BoundedTokenizer, parse
from kg.ontology import OntClass, Ontology

from .conftest import EXAMPLES

# Sentences that once sent a parse walk round for ever (a spaCy Token is a new object on every access).
HUNG = [
    "Film money\n\nA budget of $50 million.\n",
    '"Titanic" grossed $1.8 billion worldwide against a budget of about $200 million.',
    "$4 00(0i budget",
]


def run(*args, input=None):
    return CliRunner().invoke(main, [str(a) for a in args], input=input)


def _labels(store: Path) -> list[str]:
    result = run("query", "SELECT DISTINCT ?l WHERE { ?s kg:director ?d . ?d rdfs:label ?l } ORDER BY ?l", "--store",
                 store, "--format", "csv")
    return result.output.splitlines()[1:]


@pytest.mark.parametrize("text", HUNG)
def test_sentences_that_hung_finish(tmp_path, text):
    path = tmp_path / "a.txt"
    path.write_text(text)
    def work():
        records = list(extract([path], doc_timeout=None))
        with KnowledgeGraph("memory", create=True) as graph:
            return records, graph.build([path], doc_timeout=None)

    records, summary = call_with_limit(20, "test", "to run", work)
    assert summary.added == 1 and len(records) == summary.facts


def test_long_runs_of_symbols_tokenize_in_linear_time(nlp):
    started = time.perf_counter()
    for symbol in "$%£(!'*":
        text = "Before " + symbol * 8_000 + " after."
        doc = nlp.make_doc(text)
        assert doc.text == text and doc[0].text == "Before" and doc[-1].text == "."
    assert time.perf_counter() - started < 10  # quadratic: over 60 s


def test_bounded_tokenizer_keeps_ordinary_words(nlp):
    text = 'Robert Rodriguez directed "Alita: Battle Angel" (2019), at https://example.org/a-short-link.'
    assert isinstance(nlp.tokenizer, BoundedTokenizer)
    assert [t.text for t in nlp.make_doc(text)] == [t.text for t in nlp.tokenizer.tokenizer(text)]


# ---------------------------------------------------------------- property-based: news fragments

FRAGMENTS = [
    "$50 million", "$4 00(0i", "£30m", "$1.8 billion", "₹75 crore", "40 million euros", "$22.7m", "%", "$$$",
    "in 1998", "in spring 2020", "late 2019", "on 3 May 2019", "last year", "premiered", "grossed", "budget",
    '"Alita: Battle Angel"', '"Titanic"', "Get Out", "Don't Look Up", "“Iron Garden”", "'The Salt Road'",
    "James Cameron", "Mara Velden", "Mr Reyk", "Jonathan R. Hale", "20th Century Studios", "Northgate Pictures'",
    "directed", "was written and directed by", "stars", "produced", "which", "and", ",", ".", "?", "(", ")", ":",
    "the film", "its sequel", "whose films include", "neither", "nor", "no longer", "director", "actress", "\n",
]
_WORDS = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12)
SENTENCES = st.lists(st.one_of(st.sampled_from(FRAGMENTS), _WORDS), min_size=1, max_size=40).map(" ".join)
LONG = st.tuples(st.sampled_from(FRAGMENTS), st.integers(200, 1500)).map(lambda p: " ".join([p[0]] * p[1]))


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(text=st.one_of(SENTENCES, LONG, st.sampled_from(FRAGMENTS)))
def test_extraction_of_any_news_fragments_finishes(nlp, onto, text):
    if not text.strip():
        return
    def work():
        try:
            extract_facts(Document(id="urn:kg:test", text=text), nlp(text), onto)
        except KGError:
            pass

    call_with_limit(20, "property test", "to run", work)


@pytest.fixture(scope="module")
def memory_graph():
    with KnowledgeGraph("memory", create=True) as graph:
        yield graph


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(text=st.one_of(SENTENCES, LONG))
def test_a_build_of_any_news_fragments_finishes(memory_graph, tmp_path_factory, text):
    path = tmp_path_factory.mktemp("fragments") / "a.txt"
    path.write_text(f"Headline\n\n{text}\n", encoding="utf-8")
    errors: list[KGError] = []
    summary = call_with_limit(30, "property test", "to run",
                              lambda: memory_graph.build([path], on_error=errors.append, doc_timeout=None))
    assert summary.documents + summary.skipped == 1 and all(isinstance(e, InputError) for e in errors)


# ---------------------------------------------------------------- time limits


def test_time_limit_stops_a_busy_loop():
    started = time.perf_counter()
    def spin():
        while True:
            pass

    with pytest.raises(DocumentTimeout, match=r"^spin.txt: took longer than 0.2 s to parse"):
        call_with_limit(0.2, "spin.txt", "to parse", spin)
    assert time.perf_counter() - started < 5


def test_time_limit_is_off_outside_the_main_thread():
    finished = []

    def work():
        call_with_limit(0.01, "x", "to run", lambda: time.sleep(0.05))
        finished.append(True)

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    assert finished == [True]


def test_budget_grows_with_the_text():
    assert budget("word " * 3_000, 2.0) == 6.0 and budget("x" * 80_000, 2.0) == 20.0 and budget("Hi.", 2.0) == 2.0


def test_documents_past_their_limit_are_reported_and_nothing_is_stored(tmp_path):
    store = tmp_path / "store"
    result = run("build", EXAMPLES, "--store", store, "--skip-bad", "--doc-timeout", "0.00001")
    lines = result.output.strip().splitlines()
    assert result.exit_code == 2
    assert [line for line in lines if "took longer than" in line and "raise --doc-timeout" in line] == lines[:-1]
    assert len(lines) == 4 and lines[-1].startswith("0 documents (0 added") and "3 skipped" in lines[-1]
    assert _labels(store) == []
    stopped = run("build", EXAMPLES, "--store", store, "--doc-timeout", "0.00001")
    assert stopped.exit_code == 2 and len(stopped.output.strip().splitlines()) == 1 and "took longer than" in stopped.output
    assert _labels(store) == []
    assert run("build", EXAMPLES, "--store", store).exit_code == 0 and "Robert Rodriguez" in _labels(store)


# ---------------------------------------------------------------- bad input skips only itself


def test_skip_bad_in_a_directory_keeps_the_good_files_after_it(tmp_path):
    news = tmp_path / "news"
    news.mkdir()
    (news / "a.txt").write_bytes("Café news\n\nNot UTF-8 at all.".encode("latin-1"))
    (news / "b.txt").write_text('One\n\nRobert Rodriguez directed "Alita: Battle Angel".\n')
    (news / "c.txt").write_text('Two\n\nKathryn Bigelow directed "Detroit".\n')
    result = run("build", news, "--store", tmp_path / "s", "--skip-bad")
    lines = result.output.strip().splitlines()
    assert result.exit_code == 2 and len(lines) == 2
    assert lines[0].startswith("kg: error: ") and "a.txt: is not UTF-8 text" in lines[0]
    assert lines[1].startswith("2 documents (2 added, 0 replaced, 0 unchanged, 1 skipped)")
    assert _labels(tmp_path / "s") == ["Kathryn Bigelow", "Robert Rodriguez"]


def test_skip_bad_in_jsonl_skips_only_the_bad_lines(tmp_path):
    lines = [
        json.dumps({"text": 'Robert Rodriguez directed "Alita: Battle Angel".'}),
        json.dumps({"text": 'Greta Gerwig directed "Barbie".'}),
        '{"text": "broken',
        json.dumps({"text": 'Kathryn Bigelow directed "Detroit".'}),
        '{"text": "Jon Landau directed \\"Avatar\\".", "title": "\\ud800"}',
        '{"text": "Ava DuVernay directed \\"Selma\\".", "id": ' + "9" * 5_000 + "}",
        '{"text": "x", "meta": ' + "[" * 100_000 + "]" * 100_000 + "}",
    ]
    path = tmp_path / "news.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run("build", path, "--store", tmp_path / "s", "--skip-bad")
    out = result.output.strip().splitlines()
    assert result.exit_code == 2
    assert [line.split(": ")[2].split(":")[1] for line in out[:-1]] == ["3", "5", "6", "7"]
    assert "news.jsonl:3: not valid JSON" in out[0] and "lone surrogate" in out[1]
    assert "integer of more than 4,300 digits" in out[2] and "nested too deep" in out[3]
    assert out[-1].startswith("3 documents (3 added, 0 replaced, 0 unchanged, 4 skipped)")
    assert _labels(tmp_path / "s") == ["Greta Gerwig", "Kathryn Bigelow", "Robert Rodriguez"]


@pytest.mark.parametrize("line, message", [
    ('{"text": "A b.", "title": "\\ud800"}', 'news.jsonl:1: "title" holds a lone surrogate'),
    ('{"text": "A b.", "id": ' + "7" * 4_400 + "}", "news.jsonl:1: holds an integer of more than 4,300 digits"),
    ('{"text": "A b.", "x": ' + "[" * 100_000 + "]" * 100_000 + "}", "news.jsonl:1: holds JSON nested too deep"),
])
def test_hostile_jsonl_is_one_line(tmp_path, line, message):
    path = tmp_path / "news.jsonl"
    path.write_text(line + "\n")
    result = run("build", path, "--store", tmp_path / "s")
    assert result.exit_code == 2 and result.output.strip().splitlines() == [f"kg: error: {path.parent}/{message}" + result.output.split(message, 1)[1].rstrip()]


def test_a_bad_published_value_is_reported_and_no_date_is_stored(tmp_path):
    path = tmp_path / "news.jsonl"
    path.write_text(json.dumps({"text": 'Greta Gerwig directed "Barbie".', "published": "2023-02-30"}) + "\n"
                    + json.dumps({"text": 'Kathryn Bigelow directed "Detroit".', "published": "2017-07-28T10:00:00Z"}) + "\n")
    result = run("build", path, "--store", tmp_path / "s")
    lines = result.output.strip().splitlines()
    assert result.exit_code == 0
    assert lines[0] == (f"kg: warning: {path}:1: published value '2023-02-30' is not a date (YYYY-MM-DD); the article "
                        "is stored without one")
    dates = run("query", "SELECT ?d WHERE { GRAPH ?g { ?g dcterms:issued ?d } }", "--store", tmp_path / "s", "--format", "csv")
    assert dates.output.splitlines() == ["d", "2017-07-28"]


def test_an_article_of_a_million_characters_is_parsed_in_pieces(tmp_path):
    text = "Big\n\n" + "\n" * 1_000_000 + 'Robert Rodriguez directed "Alita: Battle Angel".\n'
    path = tmp_path / "big.txt"
    path.write_text(text)
    records = list(extract([path]))
    assert [(r["subject"], r["predicate"], r["object"]) for r in records] == [("Alita: Battle Angel", "director", "Robert Rodriguez")]
    assert text[records[0]["char_start"]:records[0]["char_end"]] == records[0]["sentence"]


def test_pieces_join_into_one_doc_with_the_facts_of_each(nlp, onto, monkeypatch):
    monkeypatch.setattr(kg.nlp, "MAX_PIECE_CHARS", 2_000)
    monkeypatch.setattr(nlp, "max_length", 5_000)  # spaCy itself would refuse the whole text
    filler = "The weather was mild and the crowds were large. " * 8
    text = ('Robert Rodriguez directed "Alita: Battle Angel".\n\n' + (filler + "\n\n") * 40
            + 'Kathryn Bigelow directed "Detroit".\n')
    [(doc, context)] = list(parse(nlp, [(text, "ctx")]))
    assert context == "ctx" and doc.text == text and len(text) > 15_000
    facts = extract_facts(Document(id="urn:kg:test", text=text), doc, onto)
    assert sorted((f.subject.label, f.object.label) for f in facts) == [("Alita: Battle Angel", "Robert Rodriguez"),
                                                                        ("Detroit", "Kathryn Bigelow")]
    assert all(text[f.evidence.char_start:f.evidence.char_end] == f.evidence.sentence for f in facts)


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_an_endless_device_is_read_up_to_the_limit(tmp_path):
    result = run("build", "/dev/zero", "--store", tmp_path / "s", "--max-bytes", "100000")
    assert result.exit_code == 2 and result.output.strip() == ("kg: error: /dev/zero: is over the 97.7 KiB limit for one "
                                                               "article (raise it with --max-bytes)")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_without_a_writer_does_not_hang(tmp_path):
    fifo = tmp_path / "feed.txt"
    os.mkfifo(fifo)
    result = call_with_limit(20, "test", "to run", lambda: run("build", fifo, "--store", tmp_path / "s"))
    assert result.exit_code == 2 and result.output.strip() == f"kg: error: {fifo}: is empty: there is no text to read"


@pytest.mark.parametrize("name", ["page.html", "page.md"])  # Markdown carries raw HTML through
def test_html_of_unclosed_blocks_is_refused_quickly(tmp_path, name):
    page = tmp_path / name
    page.write_text("<html><body><p>Robert Rodriguez directed the film.</p>" + "<blockquote>word " * 200_000)
    started = time.perf_counter()
    result = run("build", page, "--store", tmp_path / "s")
    assert time.perf_counter() - started < 20  # parsing it took over 300 s
    assert len(result.output.strip().splitlines()) == 1
    assert result.exit_code == 2 and "leaves elements (div, span, b ...) open more than 2,000 deep" in result.output
    normal = tmp_path / "ok.html"
    normal.write_text("<html><body>" + "<div>" * 50 + "<p>Robert Rodriguez directed the film.</p>" + "</div>" * 50 + "<blockquote>x")
    assert run("build", normal, "--store", tmp_path / "s").exit_code == 0


def test_a_subclass_cycle_in_an_ontology_ends(onto):
    cyclic = Ontology(onto.namespace, {"A": OntClass("A", "urn:a", "a", parents=("B",)),
                                       "B": OntClass("B", "urn:b", "b", parents=("A",))}, {}, onto.graph)
    assert cyclic.kind("A") in {"a", "b"} and cyclic.ancestors("A") == {"A", "B"}


# ---------------------------------------------------------------- found by trying to break the above


def test_a_jsonl_fifo_without_a_writer_does_not_hang(tmp_path):
    fifo = tmp_path / "feed.jsonl"
    os.mkfifo(fifo)
    result = call_with_limit(20, "test", "to run", lambda: run("build", fifo, "--store", tmp_path / "s", "--skip-bad"))
    assert result.exit_code == 2 and result.output.splitlines()[0] == f"kg: error: {fifo}: is empty: no JSON lines with article text"


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_an_endless_jsonl_line_is_read_up_to_the_limit(tmp_path):
    zero = tmp_path / "zero.jsonl"
    zero.symlink_to("/dev/zero")
    result = call_with_limit(20, "test", "to run", lambda: run("extract", zero, "--skip-bad", "--max-bytes", "1000"))
    assert result.exit_code == 2 and result.output.strip() == (
        f"kg: error: {zero}:1: is a line over the 1,000 bytes limit for one article (raise it with --max-bytes)")


@pytest.mark.parametrize("name, markup, refused", [
    ("comments.html", "<!--" * 60_000, None),
    ("script.html", "<script>" * 40_000, None),
    ("open-tag.html", "<div " * 100_000, "tag with more than 1,000 attributes"),
    ("tables.html", "<table><tr><td>" * 40_000, "open more than 2,000 deep"),
    ("spans.html", "<span>" * 60_000 + "<li>x" * 60_000, "open more than 2,000 deep"),
    ("attributes.html", "<p " + " ".join(f"a{i}=1" for i in range(100_000)) + ">x</p>", "more than 1,000 attributes"),
    ("quoted.html", '<p x=">" ' + " ".join(f"a{i}" for i in range(100_000)) + ">x</p>", "more than 1,000 attributes"),
    ("comments.md", "<!--" * 60_000, None),
])
def test_markup_an_html_parser_spends_the_square_of_is_refused_fast(tmp_path, name, markup, refused):
    page = tmp_path / name
    page.write_text(("# Hello\n\n" if name.endswith(".md") else "") + "<p>Robert Rodriguez directed the film.</p>" + markup)
    started = time.perf_counter()
    result = run("build", page, "--store", tmp_path / "s")
    assert time.perf_counter() - started < 20  # each took a minute or more
    if refused:
        assert result.exit_code == 2 and len(result.output.strip().splitlines()) == 1 and refused in result.output
    else:
        assert result.exit_code == 0, result.output


def test_a_title_that_is_not_a_headline_does_not_double_the_text(tmp_path):
    page = tmp_path / "page.html"
    page.write_text("<title>" + "Big title " * 1_000 + "</title><p>Robert Rodriguez directed the film.</p>")
    [document] = read_documents([page])
    assert document.title == "" and document.text == "Robert Rodriguez directed the film."


@pytest.mark.parametrize("option, value", [
    ("--doc-timeout", "nan"), ("--doc-timeout", "inf"), ("--doc-timeout", "1e10"), ("--doc-timeout", "-1"),
    ("--max-bytes", "99999999999999999999999"), ("--max-bytes", "0"),
])
def test_out_of_range_limits_are_a_usage_error(tmp_path, option, value):
    result = run("extract", EXAMPLES / "alita-sequel-talks.txt", option, value)
    assert result.exit_code == 2 and "Invalid value for" in result.output and "Traceback" not in result.output


def test_stdin_is_read_in_pieces_and_a_closed_stdin_is_one_line(tmp_path, monkeypatch):
    result = run("extract", "-", "--max-bytes", str(1 << 30), input='Robert Rodriguez directed "Alita: Battle Angel".')
    assert result.exit_code == 0 and json.loads(result.output.splitlines()[0])["object"] == "Robert Rodriguez"
    monkeypatch.setattr("sys.stdin", None)
    with pytest.raises(InputError, match=r"^<stdin>: is closed"):
        list(read_documents(["-"]))


def test_skipped_jsonl_lines_are_counted_once_each(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text("nope\n[1]\n")
    result = run("build", path, "--store", tmp_path / "s", "--skip-bad")
    lines = result.output.strip().splitlines()
    assert result.exit_code == 2 and len(lines) == 3 and "2 skipped" in lines[-1]
    assert lines[0].endswith("bad.jsonl:1: not valid JSON (Expecting value at column 1)")
    assert lines[1].endswith("bad.jsonl:2: each line must be a JSON object with a \"text\" field")


@pytest.mark.parametrize("encoding", ["utf-16", "utf-32"])
def test_wide_encodings_are_named(tmp_path, encoding):
    for name in ("a.jsonl", "a.txt"):
        path = tmp_path / name
        path.write_bytes(("\n".join(json.dumps({"text": f"x{i}"}) for i in range(5)) + "\n").encode(encoding))
        result = run("build", path, "--store", tmp_path / "s", "--skip-bad")
        lines = result.output.strip().splitlines()
        assert len(lines) == 2 and f"is {encoding.upper()} text; convert it to UTF-8 first" in lines[0], lines


def test_a_file_name_cannot_forge_an_error_line(tmp_path):
    news = tmp_path / "news"
    news.mkdir()
    (news / "evil\nkg: error: good.txt: forged.txt").write_bytes(b"\xff")
    (news / "good.txt").write_text('One\n\nRobert Rodriguez directed "Alita: Battle Angel".\n')
    result = run("build", news, "--store", tmp_path / "s", "--skip-bad")
    lines = result.output.strip().splitlines()
    assert len(lines) == 2 and "evil\\nkg: error: good.txt: forged.txt: is not UTF-8" in lines[0]
    assert lines[1].startswith("1 documents (1 added")


def test_two_lines_with_one_id_are_not_one_article_silently(tmp_path):
    path = tmp_path / "dup.jsonl"
    path.write_text(json.dumps({"id": "a", "text": 'Greta Gerwig directed "Barbie".'}) + "\n"
                    + json.dumps({"id": "a", "text": 'Kathryn Bigelow directed "Detroit".'}) + "\n")
    result = run("build", path, "--store", tmp_path / "s", "--skip-bad")
    lines = result.output.strip().splitlines()
    assert result.exit_code == 2 and "dup.jsonl:2: names the same article as line 1" in lines[0]
    assert lines[1].startswith("1 documents (1 added") and "1 skipped" in lines[1]
    assert _labels(tmp_path / "s") == ["Greta Gerwig"]


@pytest.mark.parametrize("name, data, message", [
    ("late-nul.txt", b"Some text. " * 1_000 + b"\x00", "binary file"),
    ("zero-width.txt", "  \u200b \n".encode(), "has no words to read"),
    ("control.jsonl", json.dumps({"text": "\u0001\u0002"}).encode() + b"\n", 'no "text" field'),
])
def test_text_without_words_is_refused(tmp_path, name, data, message):
    path = tmp_path / name
    path.write_bytes(data)
    result = run("build", path, "--store", tmp_path / "s")
    assert result.exit_code == 2 and message in result.output and len(result.output.strip().splitlines()) == 1


@pytest.mark.parametrize("name, markup", [
    ("formatting.html", "<b>" * 150_000 + "<li>" * 150_000),  # formatting elements stay open too
    ("empty-comment.html", "<!-->" + "<span>" * 150_000 + "<li>" * 150_000 + "-->"),  # <!--> is a whole comment
    ("bang-comment.html", "<!-- --!>" + "<span>" * 150_000),
    ("bogus-comment.html", "<!x <!-- >" + "<span>" * 150_000 + "-->"),
    ("instruction.html", "<?x <!-- >" + "<span>" * 150_000 + "-->"),
    ("svg-script.html", "<svg><script>" + "<span>" * 150_000),  # not raw text inside <svg>
    ("unmatched-ends.html", "<span></x>" * 150_000),  # an end tag that matches nothing closes nothing
    ("empty-comment.md", "<!-->" + "<span>" * 150_000 + "<li>" * 150_000 + "-->"),
])
def test_markup_that_hides_its_depth_is_still_refused_fast(tmp_path, name, markup):
    page = tmp_path / name
    page.write_text(("Hello\n\n" if name.endswith(".md") else "") + "<p>Robert Rodriguez directed the film.</p>" + markup)
    started = time.perf_counter()
    result = run("build", page, "--store", tmp_path / "s")
    assert time.perf_counter() - started < 20  # each ran past 150 s
    assert result.exit_code == 2 and "open more than 2,000 deep" in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_sloppy_pages_are_not_refused(tmp_path):
    page = tmp_path / "sloppy.html"
    page.write_text("<html><body>" + "<div><span>Robert Rodriguez directed the film.</div>" * 5_000
                    + "<ul>" + "<li>item" * 3_000 + "</ul><svg><title>t</title></svg></body></html>")
    assert run("build", page, "--store", tmp_path / "s").exit_code == 0


@pytest.mark.skipif(not Path("/dev/urandom").exists(), reason="needs /dev/urandom")
def test_an_endless_stream_of_bad_jsonl_lines_ends(tmp_path):
    noise = tmp_path / "noise.jsonl"
    noise.symlink_to("/dev/urandom")
    result = call_with_limit(60, "test", "to run", lambda: run("build", noise, "--store", tmp_path / "s", "--skip-bad"))
    lines = result.output.strip().splitlines()
    assert result.exit_code == 2 and "1,000 lines in a row are not JSON objects; it is not a JSONL file" in lines[-2]
    assert lines[-1].startswith("0 documents") and "1001 skipped" in lines[-1]


def _big_page() -> str:
    return ("<html><head><title>Big page</title></head><body>"
            + '<div><p>Robert Rodriguez directed "Alita: Battle Angel".</p></div>' * 6_000 + "</body></html>")


def test_large_markup_is_parsed_in_a_child_process_to_the_same_document(tmp_path):
    from kg.documents import _from_html
    from kg.markup import IN_PROCESS_CHARS, MarkupParser

    page = _big_page()
    assert len(page) > IN_PROCESS_CHARS
    parser = MarkupParser()
    try:
        in_child = _from_html(page, "big.html", "https://example.org/", None, parser, 5.0)
        assert parser._child is not None and parser._child.poll() is None  # it ran in the child, which serves on
    finally:
        parser.close()
    assert in_child == _from_html(page, "big.html", "https://example.org/", None, MarkupParser(), None)


def test_large_markup_past_its_limit_is_reported_and_the_build_goes_on(tmp_path):
    news = tmp_path / "news"
    news.mkdir()
    (news / "a-big.html").write_text(_big_page())
    (news / "b.txt").write_text('One\n\nKathryn Bigelow directed "Detroit".\n')
    result = run("build", news, "--store", tmp_path / "s", "--skip-bad", "--doc-timeout", "0.000001")
    lines = result.output.strip().splitlines()
    assert result.exit_code == 2 and "a-big.html: took longer than" in lines[0] and "to read its HTML" in lines[0]
    assert "b.txt" in lines[1] and lines[2].startswith("0 documents") and "2 skipped" in lines[2]
