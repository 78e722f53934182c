"""The query shape limits (kg/query.py): counted outside strings, IRIs and comments, refused in one line."""

from __future__ import annotations

import pytest

from kg.errors import QueryError
from kg.query import MAX_DEPTH, check_query_shape, measure_query


@pytest.mark.parametrize("text, depth, run, operators, service", [
    ("SELECT ?f WHERE { ?f a kg:Film ; kg:box-office ?g FILTER(?g > -1 && !BOUND(?x)) }", 3, 1, 3, False),
    ('ASK { ?s rdfs:label "{{{ ((( !!! SERVICE" }', 1, 0, 0, False),
    ("ASK { ?s ?p '''a { long\n(string''' }  # { ( SERVICE\n", 1, 0, 0, False),
    ("ASK { <http://example.org/a{b> ?p ?o }", 2, 0, 5, False),  # not an IRI ({ is not allowed in one): counted
    ("SELECT * { ?s ?p ?o } ", 1, 0, 1, False),  # SELECT * is an operator here: an overcount, harmless
    ("SELECT * { Service <http://127.0.0.1:1/sparql> { ?s ?p ?o } }", 2, 0, 1, True),
    ('ASK { ?s ?p "1"^^xsd:int ; ex:SERVICE ?service }', 1, 2, 0, False),
])
def test_shape_counts_only_what_the_parser_nests(text, depth, run, operators, service):
    shape = measure_query(text)
    assert (shape.depth, shape.unary_run, shape.operators, shape.service) == (depth, run, operators, service)


@pytest.mark.parametrize("text, message", [
    ("SELECT * WHERE " + "{" * (MAX_DEPTH + 1) + "}" * (MAX_DEPTH + 1), "brackets nest 201 deep, more than 200"),
    ("ASK { FILTER(" + "! " * 51 + "true) }", "51 unary operators (! + - ^) in a row, more than 50"),
    ("ASK { FILTER(" + " || ".join(["true"] * 2002) + ") }", "2,001 operators"),
    ("ASK { VALUES ?x { " + "1 " * 50_000 + "} }", "the query is 100,021 characters long, more than 100,000"),
])
def test_past_a_limit_is_one_line_naming_it(text, message):
    with pytest.raises(QueryError) as refused:
        check_query_shape(text, "deep.rq")
    assert str(refused.value).startswith("deep.rq: " + message) and "\n" not in str(refused.value)


def test_updates_may_be_long_but_not_deep():
    data = "INSERT DATA { " + "<urn:a> <urn:p> 'x (y' . " * 10_000 + "}"
    assert check_query_shape(data, "update", update=True).depth == 1
    with pytest.raises(QueryError, match="brackets nest"):
        check_query_shape("INSERT DATA { " + "[ <urn:p> " * 300 + "]" * 300 + " }", "update", update=True)


def test_a_query_within_the_limits_runs(built_store):
    from kg.api import KnowledgeGraph

    nested = "SELECT ?l WHERE " + "{" * 150 + " ?f a kg:Film ; rdfs:label ?l " + "}" * 150 + " ORDER BY ?l"
    with KnowledgeGraph(built_store) as graph:
        assert [r["l"] for r in graph.query(nested).records()] == ["Alita: Battle Angel", "Avatar: The Way of Water"]
