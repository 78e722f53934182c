"""The command line: the JSONL contract, one-line errors for bad input, nothing lost on failure."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from kg.cli import main

from .conftest import EXAMPLES

CONTRACT = {"subject", "predicate", "object", "subject_iri", "predicate_iri", "object_iri", "object_datatype",
            "doc", "sentence", "char_start", "char_end", "confidence"}


def run(*args, input=None):
    return CliRunner().invoke(main, [str(a) for a in args], input=input)


def test_extract_jsonl_contract():
    result = run("extract", EXAMPLES / "alita-sequel-talks.txt")
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.output.splitlines()]
    assert records and all(CONTRACT <= r.keys() for r in records)
    money = next(r for r in records if r["predicate"] == "box office")
    assert money["object"] == "404000000" and money["object_iri"] is None
    assert money["object_datatype"] == "http://www.w3.org/2001/XMLSchema#decimal" and money["unit"] == "USD"
    person = next(r for r in records if r["predicate"] == "director")
    assert person["object_iri"].endswith("/person/robert-rodriguez") and person["object_datatype"] is None


def test_build_query_viz_stats_export(tmp_path):
    store = tmp_path / "store"
    built = run("build", EXAMPLES, "--store", store)
    assert built.exit_code == 0 and built.output.startswith("3 documents (3 added")
    queried = run("query", "SELECT ?n WHERE { ?p kg:distributor ?d . ?d rdfs:label ?n }", "--store", store, "--format", "csv")
    assert queried.output.splitlines() == ["n", "20th Century Studios"]
    assert run("query", "ASK { ?f kg:boxOffice ?g FILTER(?g > 1000000000) }", "--store", store).output == "true\n"
    assert run("viz", "--store", store, "-o", tmp_path / "g.html", "--focus", "James Cameron").exit_code == 0
    assert json.loads(run("stats", "--store", store, "--json").output)["documents"] == 3
    assert run("export", "--store", store, "--format", "turtle", "-o", tmp_path / "g.ttl").exit_code == 0


def _write(path, data: bytes):
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("name, data, message", [
    ("empty.txt", b"   \n", "is empty"),
    ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00", "binary"),
    ("latin1.txt", "Pokémon grossed £5 million.".encode("latin-1"), "not UTF-8"),
    ("bad.jsonl", b'{"text": "ok"}\n{"text": \n', "bad.jsonl:2: not valid JSON"),
    ("notext.jsonl", b'{"title": "x"}\n', "no \"text\" field"),
])
def test_bad_input_is_one_line_and_exit_2(tmp_path, name, data, message):
    path = _write(tmp_path / name, data)
    result = run("build", path, "--store", tmp_path / "store")
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and name in lines[0] and message in lines[0]


def test_missing_path_and_empty_directory(tmp_path):
    assert "no such file or directory" in run("build", tmp_path / "nope.txt", "--store", tmp_path / "s").output
    (tmp_path / "empty").mkdir()
    result = run("build", tmp_path / "empty", "--store", tmp_path / "s")
    assert result.exit_code == 2 and "no readable articles" in result.output


def test_broken_ontology_malformed_query_unknown_model(tmp_path):
    broken = _write(tmp_path / "broken.ttl", b"@prefix kg: <urn:x#> .\nkg:a kg:b ")
    result = run("build", EXAMPLES, "--store", tmp_path / "s", "--ontology", broken)
    assert result.exit_code == 2 and "broken.ttl: not valid Turtle" in result.output
    run("build", EXAMPLES / "avatar-way-of-water.md", "--store", tmp_path / "s")
    bad_query = run("query", "SELECT ?x WHERE {", "--store", tmp_path / "s")
    assert bad_query.exit_code == 2 and "query: SPARQL syntax error" in bad_query.output
    model = run("build", EXAMPLES, "--store", tmp_path / "s2", "--model", "xx_no_such_model")
    assert model.exit_code == 2 and "xx_no_such_model" in model.output and "not installed" in model.output


def test_a_bad_file_leaves_what_is_stored_intact(tmp_path):
    store = tmp_path / "store"
    run("build", EXAMPLES, "--store", store)
    before = run("export", "--store", store, "--format", "nquads").output
    _write(tmp_path / "bad.txt", b"\x00\x01")
    assert run("build", tmp_path / "bad.txt", "--store", store).exit_code == 2
    assert run("export", "--store", store, "--format", "nquads").output == before


def test_skip_bad_goes_on_with_the_rest(tmp_path):
    _write(tmp_path / "bad.txt", b"\x00")
    result = run("build", tmp_path / "bad.txt", EXAMPLES / "avatar-way-of-water.md", "--store", tmp_path / "s", "--skip-bad")
    assert result.exit_code == 2 and "1 documents (1 added" in result.output and "bad.txt" in result.output


def test_every_command_has_help_with_examples():
    for command in main.commands:
        assert "Examples:" in run(command, "--help").output, command


def test_help_examples_name_files_that_exist():
    import re

    import click

    from .conftest import ROOT

    def helps(group, prefix=()):
        for name, command in group.commands.items():
            yield (*prefix, name), run(*prefix, name, "--help").output
            if isinstance(command, click.Group):
                yield from helps(command, (*prefix, name))

    named = [(cmd, path) for cmd, text in helps(main)
             for path in re.findall(r"(?<![\w/.-])((?:examples|tests|ontology)/[\w./-]*\w)", text)]
    assert named and [(cmd, p) for cmd, p in named if not (ROOT / p).exists()] == []


def test_the_model_named_in_help_is_accepted():
    result = run("extract", EXAMPLES / "alita-sequel-talks.txt", "--model", "en_core_web_sm")
    assert result.exit_code == 0 and json.loads(result.output.splitlines()[0])["predicate"] == "director"


def test_min_confidence_leaves_out_the_less_sure_facts(tmp_path):
    article = tmp_path / "a.txt"
    article.write_text('Mara Velden directed "Iron Garden". At the Northgate Film Awards, Lena Marsh won best actress.\n',
                       encoding="utf-8")
    runner = CliRunner()

    def facts(*options):
        result = runner.invoke(main, ["extract", str(article), "--relation-model", "none", *options])
        assert result.exit_code == 0, result.output
        return sorted((r["subject"], r["predicate"], r["object"], r["confidence"])
                      for r in map(json.loads, result.output.splitlines()))

    everything = facts()
    assert ("Iron Garden", "director", "Mara Velden", 0.9) in everything
    assert ("Lena Marsh", "award received", "Northgate Film Award for best actress", 0.8) in everything
    assert facts("--min-confidence", "0.85") == [f for f in everything if f[3] >= 0.85]
    store = tmp_path / "store"
    result = runner.invoke(main, ["build", str(article), "--store", str(store), "--relation-model", "none",
                                  "--min-confidence", "0.85"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(main, ["query", "SELECT ?p WHERE { ?s ?p ?o FILTER(?p IN (kg:director, kg:awardReceived)) }",
                                  "--store", str(store), "--format", "csv"])
    assert result.output.split() == ["p", "https://w3id.org/kgnews/ontology#director"]
