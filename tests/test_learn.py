"""Learned relation patterns: kg learn, kg eval text2kgbench and kg eval facts on sentences written for the tests."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.errors import InputError
from kg.extract.patterns import load_patterns, render_value

BENCH = Path(__file__).parent / "data" / "bench"


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture(scope="module")
def patterns_file(tmp_path_factory):
    out = tmp_path_factory.mktemp("patterns") / "film.tsv"
    result = run("learn", "--ontology", BENCH / "ontology.json", "--examples", BENCH / "train.jsonl", "-o", out, "--folds", "0")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("wrote ") and "for 4 relations" in result.output
    return out


def test_pattern_file_is_readable_and_round_trips(patterns_file, tmp_path):
    text = patterns_file.read_text(encoding="utf-8")
    assert "pattern\tdirector\tlocal\tTOPIC\t*\tdirect >agent by >pobj\t8\t8" in text.splitlines()
    assert "format\tpublication date\tdate-dmy" in text.splitlines()
    again = tmp_path / "again.tsv"
    load_patterns(patterns_file).save(again, source="train.jsonl (8 sentences)")
    assert again.read_text(encoding="utf-8") == text


def test_eval_writes_official_layout_and_scores(patterns_file, tmp_path):
    out = tmp_path / "predictions.jsonl"
    result = run("eval", "text2kgbench", "--ontology", BENCH / "ontology.json", "--patterns", patterns_file,
                 "--test", BENCH / "test.jsonl", "--gold", BENCH / "test.jsonl", "--out", out)
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert rows[1] == {"id": "test_2", "triples": [
        ["Avatar", "publication_date", "01 January 2009"], ["Avatar", "director", "James Cameron"],
        ["Avatar", "production_company", "Lightstorm Entertainment"]]}
    assert rows[2] == {"id": "test_3", "triples": []}  # "The film" is not a name: nothing is invented
    assert ["Thief", "cast_member", "James Caan"] in rows[0]["triples"]
    assert "│ f1         │ 0.6667 │" in result.output and "│ onto_conf  │ 1.0000 │" in result.output


def test_eval_facts_reports_misses():
    result = run("eval", "facts", "--gold", BENCH / "facts.jsonl")
    assert result.exit_code == 0, result.output
    first, *rest = result.output.splitlines()
    assert first == "precision 1.000  recall 0.667  F1 0.800  (2 correct of 2 found, 3 in the gold)"
    assert rest == ["missed\tfact_1\tAlita: Battle Angel\tproducer\tJames Cameron"]


def test_bad_inputs_are_one_line_errors(tmp_path):
    bad = tmp_path / "bad.tsv"
    bad.write_text("pattern\tdirector\tnowhere\tTOPIC\n", encoding="utf-8")
    with pytest.raises(InputError, match="bad.tsv:1: not a pattern record"):
        load_patterns(bad)
    result = run("eval", "text2kgbench", "--ontology", BENCH / "ontology.json", "--test", BENCH / "test.jsonl")
    assert result.exit_code == 2 and "give exactly one of --patterns" in result.output
    wrong_rel = tmp_path / "train.jsonl"
    wrong_rel.write_text(json.dumps({"id": "a", "sent": "X is a film.", "triples": [{"sub": "X", "rel": "budget", "obj": "1"}]}) + "\n")
    result = run("learn", "--ontology", BENCH / "ontology.json", "--examples", wrong_rel, "-o", tmp_path / "p.tsv")
    assert result.exit_code == 2
    assert result.output == (f"kg: error: {wrong_rel}: no sentence with a triple of the ontology's relations to learn from "
                             "(skipped 1 example of 1 relation not in the ontology: budget)\n")
    assert not (tmp_path / "p.tsv").exists()


def test_values_are_written_the_way_the_dataset_writes_them():
    assert render_value("in 1983", "date-dmy") == "01 January 1983"
    assert render_value("28 July 1944", "date-iso") == "1944-07-28"
    assert render_value("89 minutes", "number-float") == "89.0"
    assert render_value("the crew", "number-float") is None


def _facts(output: str) -> list[tuple[str, str, str, str | None, str | None]]:
    records = [json.loads(line) for line in output.splitlines()]
    return [(r["subject"], r["predicate"], r["object"], r["subject_type"], r["object_type"] or r["object_datatype"].split("#")[1])
            for r in records]


def test_benchmark_json_is_an_ontology():
    from kg.ontology import load_ontology

    onto = load_ontology(BENCH / "ontology.json")
    assert sorted(onto.classes) == ["Film", "FilmProductionCompany", "Human"]
    director = onto.properties["director"]
    assert (director.domain, director.range, director.equivalents) == ("Film", "Human", ("http://www.wikidata.org/prop/direct/P57",))
    date = onto.properties["publicationDate"]
    assert (date.is_datatype, date.range, date.value_kind) == (True, "date", "date")
    assert onto.classes["FilmProductionCompany"].ner_labels == ("ORG",)
    assert onto.context_classes["film"] == "Film"


def test_extract_and_build_with_learned_patterns_under_the_benchmark_ontology(patterns_file, tmp_path):
    result = run("extract", BENCH / "story.txt", "--ontology", BENCH / "ontology.json", "--patterns", patterns_file)
    assert result.exit_code == 0, result.output
    assert _facts(result.output) == [
        ("Collateral", "cast member", "Tom Cruise", "Film", "Human"),
        ("Collateral", "director", "Michael Mann", "Film", "Human"),
        ("Collateral", "publication date", "2004", "Film", "gYear"),
        ("Thief", "production company", "United Artists", "Film", "FilmProductionCompany"),
        ("Thief", "publication date", "1981", "Film", "gYear"),
    ]
    store = tmp_path / "store"
    assert run("build", BENCH / "story.txt", "--store", store, "--ontology", BENCH / "ontology.json", "--patterns", patterns_file).exit_code == 0
    query = ("PREFIX bench: <https://w3id.org/kgnews/benchmark/kg_test_film#> "
             "SELECT ?film ?p ?who WHERE { ?f ?prop ?o . ?prop rdfs:label ?p . ?f a bench:Film ; rdfs:label ?film . "
             "?o a bench:Human ; rdfs:label ?who } ORDER BY ?film ?p")
    answer = run("query", query, "--store", store, "--format", "csv")
    assert answer.output.splitlines() == ["film,p,who", "Collateral,cast member,Tom Cruise", "Collateral,director,Michael Mann"]


def test_learned_patterns_bind_to_the_default_ontology_by_label(patterns_file):
    result = run("extract", BENCH / "story.txt", "--patterns", patterns_file)
    assert result.exit_code == 0, result.output
    # "Collateral is a 2004 crime film ... starring Tom Cruise": the cast the classifier reads types it a film
    assert ("Collateral", "release date", "2004", "Film", "gYear") in _facts(result.output)
    # "Thief is a 1981 crime film": the definition types it a film and dates it
    assert ("Thief", "production company", "United Artists", "Film", "Organization") in _facts(result.output)
    assert ("Thief", "release date", "1981", "Film", "gYear") in _facts(result.output)


def test_patterns_that_fit_no_property_are_refused(tmp_path):
    other = tmp_path / "other.tsv"
    other.write_text("pattern\tsibling\tlocal\tPERSON\tPERSON\tmarry >dobj\t3\t3\n", encoding="utf-8")
    result = run("extract", BENCH / "story.txt", "--patterns", other)
    assert result.exit_code == 2
    assert "none of its relations (sibling ...) is a property of" in result.output


@pytest.mark.parametrize(("content", "problem"), [
    ("{", "not valid JSON"),
    ('{"concepts": []}', "not a Text2KGBench ontology: missing 'relations'"),
    ('{"relations": []}', "the ontology defines no relations"),
    ("[1, 2]", "expected a JSON object"),
])
def test_bad_benchmark_ontologies_are_one_line_errors(tmp_path, content, problem):
    bad = tmp_path / "bad.json"
    bad.write_text(content, encoding="utf-8")
    result = run("extract", BENCH / "story.txt", "--ontology", bad)
    assert result.exit_code == 2
    assert problem in result.output and str(bad) in result.output


FIRMS = Path(__file__).parent / "data" / "firms"


def test_any_ontology_and_examples_are_taken_as_they_come(tmp_path):
    out = tmp_path / "firms.tsv"
    result = CliRunner().invoke(main, ["learn", "--ontology", str(FIRMS / "ontology.json"), "--examples",
                                       str(FIRMS / "train.jsonl"), "-o", str(out), "--folds", "0"])
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [
        f"{FIRMS / 'train.jsonl'}: skipped 1 example of 1 relation not in the ontology: chief executive",
        f'{FIRMS / "train.jsonl"}: skipped 2 malformed lines (not a JSON object with "id", "sent" and whole triples): 5, 9',
        f"{FIRMS / 'ontology.json'}: 1 concept named as a domain or range but not listed, each kept as a class of its own: Q2221906",
    ]
    assert result.stdout.splitlines()[0] == f"wrote {out}: 29 patterns for 2 relations"


def test_the_ontology_classifier_learns_a_relation_and_finds_it_in_a_new_sentence():
    from kg.evaluate import load_benchmark_ontology
    from kg.extract.ontology_classifier import label_words, learn_classifier
    from kg.learn import parse_sentences, read_examples
    from kg.nlp import load_nlp

    onto = load_benchmark_ontology(FIRMS / "ontology.json")
    examples = read_examples(FIRMS / "train.jsonl", onto)
    nlp = load_nlp()
    data = parse_sentences(examples.sentences, onto, nlp)
    classifier = learn_classifier(data.rows, [s.triples for s in examples.sentences], {}, {}, negatives=1.0)
    words = {rel: label_words(rel) for rel in onto.relations}
    assert classifier.extract(nlp("Brasko is a candle maker founded by Tilda Venn."), words) == [("Brasko", "founded by", "Tilda Venn")]
    assert classifier.extract(nlp("Tilda Venn sells candles."), words) == []


def test_learn_writes_a_classifier_that_eval_applies_beside_the_patterns(tmp_path):
    patterns, classifier, out = tmp_path / "firms.tsv", tmp_path / "firms.npz", tmp_path / "p.jsonl"
    result = run("learn", "--ontology", FIRMS / "ontology.json", "--examples", FIRMS / "train.jsonl", "-o", patterns,
                 "--classifier", classifier)
    assert result.exit_code == 0, result.output
    # eight examples are too few to choose thresholds by cross-validation: the defaults apply
    assert result.stdout.splitlines()[1] == f"wrote {classifier}: a classifier of 2 relations, threshold 0.1"
    result = run("eval", "text2kgbench", "--ontology", FIRMS / "ontology.json", "--patterns", patterns, "--classifier",
                 classifier, "--test", FIRMS / "test.jsonl", "--gold", FIRMS / "test.jsonl", "--out", out)
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert ["Brasko", "founded_by", "Tilda Venn"] in rows[0]["triples"]
    assert ["Brasko", "headquarters_location", "Ossory"] in rows[0]["triples"]
    assert ["Kelvane", "founded_by", "Ruta Maelis"] in rows[1]["triples"]
    assert "│ recall     │ 1.0000 │" in result.stdout and "│ onto_conf  │ 1.0000 │" in result.stdout


def test_names_and_objects_are_spelled_the_way_the_examples_spell_them():
    from kg.spelling import learn_spelling

    spelling = learn_spelling([
        ("Orvel_(comicsCharacter)", "creator", "Pim_Tallow"), ("Orvel_(comicsCharacter)", "alias", '"Grey Finch"'),
        ("Quarn", "alias", '"Sable"'), ("Quarn", "creator", "Pim_Tallow"), ("Quarn", "debut", '"1971-04-02"'),
    ], {"debut": "quoted-date-iso"})
    assert spelling.name("Orvel") == "Orvel (comicsCharacter)"  # spaces: the scorer finds the name's words in the text
    assert spelling.name("the Orvel which") == "Orvel (comicsCharacter)"
    assert spelling.name("Orvel and Pim Tallow") == "Orvel and Pim Tallow"  # two names: not trimmed to one
    assert spelling.value("alias", "Grey Finch") == '"Grey Finch"'
    assert spelling.value("alias", "Moth") == '"Moth"'  # the relation's objects are quoted
    assert spelling.value("creator", "Ida Brell") == "Ida Brell"
    assert (spelling.plausible("creator", "1971"), spelling.plausible("debut", "1971"), spelling.plausible("other", "7")) == (False, True, True)
    assert render_value("2 April 1971", "quoted-date-iso") == '"1971-04-02"'


def test_a_subject_mention_is_trimmed_to_the_name_it_is_about():
    from kg.spelling import subject_core

    assert subject_core("Ida Brell's long-term goal") == "Ida Brell"
    assert subject_core("the designer of Marrow Hall") == "Marrow Hall"
    assert subject_core("Marrow Hall which") == "Marrow Hall"
    assert subject_core("The Journal of Quiet Rivers") == "The Journal of Quiet Rivers"
    assert subject_core("Tony Vell, Baron Vell of Ashby") == "Tony Vell, Baron Vell of Ashby"


def test_relations_with_one_object_per_subject_and_implausible_objects_are_learned():
    from kg.evaluate import GoldSentence
    from kg.learn import _add, _plausible, single_valued
    from kg.spelling import learn_spelling

    sentences = [GoldSentence("a", "A.", (("Orvel", "creator", "Pim"), ("Orvel", "creator", "Ida"), ("Orvel", "home", "Lusk"))),
                 GoldSentence("b", "B.", (("Quarn", "home", "Brell"),))]
    assert single_valued(sentences) == frozenset({"home"})
    found = [("Orvel", "creator", "Pim")]
    _add(found, [("Orvel", "home", "Lusk"), ("Orvel", "home", "Brell"), ("Orvel", "alias", "Pim"), ("Orvel", "alias", "Ada")],
         frozenset({"creator", "home", "alias"}), single_valued(sentences), one_per_pair=True)
    assert found == [("Orvel", "creator", "Pim"), ("Orvel", "home", "Lusk"), ("Orvel", "alias", "Ada")]
    spelling = learn_spelling([t for s in sentences for t in s.triples])
    words = {"home": ("home",), "creator": ("creator",)}
    assert _plausible([("Orvel", "home", "1990"), ("Orvel", "home", "home"), ("Orvel", "creator", "Orvel"),
                       ("Orvel", "home", "Lusk")], words, spelling) == [("Orvel", "home", "Lusk")]


def test_a_place_named_with_the_place_it_is_in_is_one_mention(nlp):
    from kg.extract.ontology_classifier import mentions
    from kg.extract.patterns import _noun_chunks

    doc = nlp("Marrow Hall is in Lusk County, Ohio, near Bram.")
    assert [(c.text, c.kind) for c in mentions(doc, _noun_chunks(doc))] == [
        ("Marrow Hall", "TOPIC"), ("Lusk County, Ohio", "JOIN"), ("Lusk County", "GPE"), ("Ohio", "GPE"), ("Bram", "GPE")]


def test_a_name_and_the_number_after_it_are_one_mention(nlp):
    from kg.extract.ontology_classifier import mentions
    from kg.extract.patterns import _noun_chunks

    doc = nlp("Ida Brell flew on the Tolm 12 flight.")
    assert [(c.text, c.kind) for c in mentions(doc, _noun_chunks(doc))] == [
        ("Ida Brell", "TOPIC"), ("Tolm 12 flight", "NOUN"), ("Tolm 12", "JOIN"), ("Tolm", "PERSON"), ("12", "CARDINAL")]


def test_a_relation_whose_examples_give_years_and_dates_keeps_the_precision_the_text_gives():
    from kg.extract.patterns import value_formats

    formats = value_formats([[("Marrow Hall", "completed", "1862"), ("Marrow Hall", "started", '"1700"')],
                             [("Lusk Tower", "completed", "2009-06-01"), ("Lusk Tower", "started", '"30 March 2007"')],
                             [("Bram Court", "completed", "2011-02-03"), ("Bram Court", "born", "1950-01-02")]])
    assert formats == {"completed": "yearly-date-iso", "started": "quoted-yearly-date-dmy", "born": "date-iso"}
    assert render_value("in 1976", formats["completed"]) == "1976"
    assert render_value("June 1st, 2009", formats["completed"]) == "2009-06-01"
    assert render_value("the 1st of June 2009", formats["started"]) == '"01 June 2009"'
    assert render_value("in 1700", formats["started"]) == '"1700"'
    assert render_value("in 1950", formats["born"]) == "1950-01-01"


def test_minutes_and_seconds_are_written_minutes_point_seconds():
    assert render_value("a running time of 54:56", "number-float") == "54.56"
    assert render_value("it lasts 230:05 minutes", "number-float") == "230.05"
    assert render_value("35 minutes and 10 seconds", "number-float") == "35.1"
    assert render_value("5 minutes 3 seconds", "number-float") == "5.03"
    assert render_value("89 minutes", "number-float") == "89.0"


def test_units_longer_names_and_the_few_objects_of_a_relation_are_learned():
    from kg.extract.patterns import value_style
    from kg.spelling import learn_spelling

    assert value_style("52.5 (square kilometres)") == "unit-square kilometres"
    assert render_value("it covers 1,200.50 square km", "unit-square kilometres") == "1200.5 (square kilometres)"
    towns = ["Lusk", "Bram", "Orvel", "Quarn", "Tolm", "Vesk"]
    spelling = learn_spelling([(town, "language", "Brellish_language") for town in towns]
                              + [(town, "timeZone", "Pale_Time_Zone") for town in towns] + [("Lusk", "leader", "Ida_Brell")])
    assert spelling.value("language", "Brellish") == "Brellish language"
    assert spelling.value("leader", "Ada") == "Ada"
    assert (spelling.plausible("timeZone", "Pale Time"), spelling.plausible("timeZone", "Lusk County"),
            spelling.plausible("leader", "Lusk County")) == (True, False, True)


FIRM_ONTO_SIGNATURES = (("founded by", "business", "human"), ("chief executive", "business", "human"),
                        ("headquarters location", "business", "city"))
FIRM_EXAMPLES = [
    ("Plimco is a toy maker founded by Zorba Quell in Varn.", [("Plimco", "founded by", "Zorba Quell"), ("Plimco", "headquarters location", "Varn")]),
    ("Tessaline is a shipping firm founded by Maro Dukic.", [("Tessaline", "founded by", "Maro Dukic")]),
    ("Orvex is a software company founded by Ilse Brandt in Kolby.", [("Orvex", "founded by", "Ilse Brandt"), ("Orvex", "headquarters location", "Kolby")]),
    ("Quintar is a bakery chain founded by Pell Arno.", [("Quintar", "founded by", "Pell Arno")]),
    ("Vintrel, whose headquarters are in Dorn, was founded by Osric Lume.", [("Vintrel", "founded by", "Osric Lume"), ("Vintrel", "headquarters location", "Dorn")]),
    ("Harrowgate Mills is a textile firm founded by Nadia Sorrel, with headquarters in Lusk.",
     [("Harrowgate Mills", "founded by", "Nadia Sorrel"), ("Harrowgate Mills", "headquarters location", "Lusk")]),
]


@pytest.fixture(scope="module")
def firm_model():
    from kg.evaluate import BenchmarkOntology, GoldSentence
    from kg.learn import fit_model, parse_sentences
    from kg.nlp import load_nlp

    onto = BenchmarkOntology("firms", ("business", "human", "city"), tuple(r for r, _, _ in FIRM_ONTO_SIGNATURES),
                             signatures=FIRM_ONTO_SIGNATURES)
    data = parse_sentences([GoldSentence(f"t{n}", s, tuple(t)) for n, (s, t) in enumerate(FIRM_EXAMPLES)], onto, load_nlp())
    return onto, fit_model(data)


def test_the_label_model_reads_a_relation_it_saw_no_example_of(firm_model):
    from kg.evaluate import GoldSentence
    from kg.learn import parse_sentences
    from kg.nlp import load_nlp

    onto, model = firm_model
    assert "chief executive" not in model.examples
    test = parse_sentences([GoldSentence("x", "Brasko is a candle maker whose chief executive is Tilda Venn.", ())], onto, load_nlp())
    ranked = model.label_scored(test)[0]
    assert ranked[0][1] == ("Brasko", "chief executive", "Tilda Venn")
    assert ranked[0][0] > 2 * ranked[1][0]  # the next best ("chief") is far behind


def test_the_label_model_and_its_choice_are_kept_in_the_classifier_file(firm_model, tmp_path):
    from dataclasses import replace

    from kg.evaluate import GoldSentence, Settings
    from kg.extract.ontology_classifier import OntologyClassifier
    from kg.learn import Choice, model_from, parse_sentences, save_setup
    from kg.nlp import load_nlp

    onto, model = firm_model
    model = replace(model, choice=Choice(Settings(0.2, 1, 0.1), 0.05, 3, label_threshold=0.03))
    save_setup(model)
    model.classifier.save(tmp_path / "c.npz")
    again = model_from(model.patterns, OntologyClassifier.load(tmp_path / "c.npz"))
    assert again.choice.label_threshold == 0.03
    test = parse_sentences([GoldSentence("x", "Brasko is a candle maker whose chief executive is Tilda Venn.", ())], onto, load_nlp())
    assert [t for _, t in again.label_scored(test)[0]] == [t for _, t in model.label_scored(test)[0]]


def test_ranges_say_what_a_relation_without_examples_holds_and_how_it_is_written():
    from kg.extract.label_model import RelationSignature, infer_formats, value_class

    assert [value_class(c) for c in ("Date", "Year", "number", "string", "Person", "City", "Language", "Timezone", "")] == [
        "date", "year", "number", "string", "PERSON", "GPE", "LANGUAGE", "other", "thing"]
    signatures = [RelationSignature("birthDate", "Person", "Date"), RelationSignature("deathDate", "Person", "Date"),
                  RelationSignature("founded", "Company", "Year"), RelationSignature("height", "Person", "number"),
                  RelationSignature("spouse", "Person", "Person")]
    assert infer_formats(signatures, {"birthDate": "quoted-date-iso"}) == {
        "birthDate": "quoted-date-iso", "deathDate": "quoted-date-iso", "founded": "number-int", "height": "number-float"}


def test_names_the_examples_write_with_their_place_get_it_from_the_sentence():
    from kg.extract.patterns import Candidate, _matches
    from kg.spelling import learn_spelling

    spelling = learn_spelling([("Lusk,_Ohio", "isPartOf", "Bram_County,_Ohio"), ("Orvel,_Iowa", "isPartOf", "Iowa"),
                               ("Quarn,_Ohio", "isPartOf", "Ohio"), ("Ohio", "country", "United_States")])
    assert spelling.qualify("Tolm", "isPartOf", "s", "Tolm lies in Vesk County, Ohio.") == "Tolm, Ohio"
    assert spelling.qualify("Tolm", "isPartOf", "s", "Tolm, Oregon is small.") == "Tolm, Oregon"  # the text writes the place
    assert spelling.qualify("Tolm", "isPartOf", "s", "Tolm is small.") == "Tolm"  # no place in the sentence
    assert spelling.qualify("Tolm", "country", "s", "Tolm lies in Ohio.") == "Tolm"  # the examples write no place here
    assert spelling.qualify("Ohio", "isPartOf", "s", "Ohio lies in Ohio.") == "Ohio"  # a place is not qualified by itself
    assert _matches(Candidate("Lusk", 0, "GPE", 0, 1), "Lusk,_Ohio", None)  # learning reads "Lusk" as Lusk,_Ohio
    assert not _matches(Candidate("Lusk", 0, "GPE", 0, 1), "Lusk_Ohio", None)


def test_a_prior_learns_from_other_ontologies_but_never_from_a_sentence_sharing_a_triple():
    from kg.evaluate import GoldSentence
    from kg.learn import PriorSource, prior_pool

    stated = (("pos:lw", "fit:yes"), True)
    other = (("pos:none", "fit:no"), False)
    sources = {
        "a": PriorSource(("A one.",), (frozenset({"xry"}),), ((stated, other),), {}),
        "b": PriorSource(("B one.", "B two."), (frozenset({"zrw"}), frozenset({"vrq"})), ((stated, other), (other, other)),
                         {"death": frozenset({"die"})}),
    }
    pool = prior_pool(sources, negatives=1.0)
    prior = pool.prior_for("a", [GoldSentence("s", "A one.", (("X", "r", "Y"),))])
    assert prior is not None and prior.weights["pos:lw"] > 0 and prior.links == {"death": frozenset({"die"})}
    # "B one." states z r w, as a sentence of "a" does: nothing stated is left to learn from
    assert pool.prior_for("a", [GoldSentence("s", "A one.", (("X", "r", "Y"), ("z", "r", "w")))]) is None


def test_a_benchmark_ontology_keeps_each_relation_domain_and_range():
    from kg.evaluate import load_benchmark_ontology

    onto = load_benchmark_ontology(FIRMS / "ontology.json")
    assert onto.signatures == (("founded by", "business", "human"), ("headquarters location", "business", "Q2221906"))


TOWN_EXAMPLES = [  # the "towns" ontology's own examples: no "country" among them
    ("Velmora's mayor is Idris Kalt.", [("Velmora", "mayor", "Idris_Kalt")]),
    ("Idris Kalt is the mayor of Velmora.", [("Velmora", "mayor", "Idris_Kalt")]),
    ("The mayor of Tarnfield is Oona Pell.", [("Tarnfield", "mayor", "Oona_Pell")]),
]
LAKE_EXAMPLES = [  # another ontology's: "country" (which "towns" has too) and "depth" (which it has not)
    ("Lake Orvis lies in Ostrania and is 40 metres deep.", [("Lake_Orvis", "country", "Ostrania"), ("Lake_Orvis", "depth", "40")]),
    ("Lake Semble lies in Dravia.", [("Lake_Semble", "country", "Dravia")]),
    ("Lake Pardo lies in Ostrania.", [("Lake_Pardo", "country", "Ostrania")]),
    ("Lake Imber lies in Calvany.", [("Lake_Imber", "country", "Calvany")]),
    ("Lake Wend is 12 metres deep.", [("Lake_Wend", "depth", "12")]),
    ("Oona Pell swims in Tarnfield's lake.", [("Tarnfield", "mayor", "Oona_Pell")]),  # a triple of the towns' own
]


def test_an_ontology_learns_from_other_ontologies_examples_of_its_relations():
    from kg.evaluate import BenchmarkOntology, GoldSentence
    from kg.learn import borrow, learn, parse_sentences, predict_parsed
    from kg.nlp import load_nlp

    nlp = load_nlp()
    towns = BenchmarkOntology("towns", ("town", "person", "country"), ("mayor", "country"),
                              signatures=(("mayor", "town", "person"), ("country", "town", "country")))
    lakes = BenchmarkOntology("lakes", ("lake", "country"), ("country", "depth", "mayor"))
    own = parse_sentences([GoldSentence(f"t{n}", s, tuple(t)) for n, (s, t) in enumerate(TOWN_EXAMPLES)], towns, nlp)
    other = parse_sentences([GoldSentence(f"l{n}", s, tuple(t)) for n, (s, t) in enumerate(LAKE_EXAMPLES)], lakes, nlp)

    borrowed = borrow(own, [other], per_relation=2)
    # only the towns' relations, at most 2 sentences each, none sharing a triple with a towns sentence
    assert len(borrowed.sentences) == 2
    assert all(s.triples == ((s.triples[0][0], "country", s.triples[0][2]),) for s in borrowed.sentences)
    assert borrowed.words == own.words and len(borrowed.rows) == 2
    assert len(borrow(own, [other]).sentences) == 4

    test = parse_sentences([GoldSentence("x", "Brenholt lies in Dravia.", ())], towns, nlp)
    alone, _ = learn(own, towns, folds=0)
    assert "country" not in alone.examples
    assert ("Brenholt", "country", "Dravia") not in predict_parsed(alone, towns, test)["x"]
    helped, _ = learn(own, towns, folds=0, borrowed=borrow(own, [other]))
    assert helped.examples["country"] == 4 and "depth" not in helped.examples
    assert ("Brenholt", "country", "Dravia") in predict_parsed(helped, towns, test)["x"]
