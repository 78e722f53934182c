"""``kg serve``: a real server process on 127.0.0.1, queried with a plain HTTP client and with rdflib's SPARQLStore."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.plugins.stores.sparqlstore import SPARQLStore

from kg.api import KnowledgeGraph

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
FILMS = "SELECT ?label WHERE { ?f a kg:Film ; rdfs:label ?label } ORDER BY ?label"


def _start(store: Path, *options: str) -> tuple[subprocess.Popen, str]:
    process = subprocess.Popen([sys.executable, "-m", "kg", "serve", "--store", str(store), "--port", "0", *options],
                               stderr=subprocess.PIPE, text=True)
    line = process.stderr.readline()
    match = re.search(r"(http://127\.0\.0\.1:\d+/sparql)", line)
    if match is None:
        process.kill()
        pytest.fail(f"kg serve did not start: {line}{process.stderr.read()}")
    return process, match.group(1)


def _stop(process: subprocess.Popen) -> None:
    os.kill(process.pid, signal.SIGINT)
    assert process.wait(timeout=10) == 0


def _request(url: str, *, query: str | None = None, update: str | None = None, accept: str | None = None,
             method: str = "POST", body: tuple[str, str] | None = None) -> tuple[int, str, str]:
    """(status, content type, text) of one request."""
    headers = {"Accept": accept} if accept else {}
    data = None
    params = {k: v for k, v in (("query", query), ("update", update)) if v is not None}
    if method == "GET":
        url = f"{url}?{urllib.parse.urlencode(params)}"
    elif body is not None:
        headers["Content-Type"], data = body[0], body[1].encode()
    else:
        data = urllib.parse.urlencode(params).encode()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    request = urllib.request.Request(url, data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers["Content-Type"], response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers["Content-Type"], error.read().decode()


def _built(location: Path, articles: Path = EXAMPLES) -> Path:
    with KnowledgeGraph(location, create=True) as graph:
        graph.build([articles])
    return location


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    return _built(tmp_path_factory.mktemp("served") / "store")


@pytest.fixture(scope="module")
def endpoint(store):
    process, url = _start(store)
    yield url
    _stop(process)


def test_select_in_every_results_format(endpoint):
    status, media, text = _request(endpoint, query=FILMS)
    assert (status, media) == (200, "application/sparql-results+json")
    assert [b["label"]["value"] for b in json.loads(text)["results"]["bindings"]] == ["Alita: Battle Angel", "Avatar: The Way of Water"]
    assert _request(endpoint, query=FILMS, accept="text/csv") == (
        200, "text/csv; charset=utf-8", "label\r\nAlita: Battle Angel\r\nAvatar: The Way of Water\r\n")
    assert _request(endpoint, query=FILMS, accept="text/tab-separated-values", method="GET") == (
        200, "text/tab-separated-values; charset=utf-8", '?label\n"Alita: Battle Angel"\n"Avatar: The Way of Water"\n')
    status, media, text = _request(endpoint, query=FILMS, accept="application/sparql-results+xml;q=0.9, text/csv;q=0.1")
    assert (status, media) == (200, "application/sparql-results+xml")
    assert text.count("<literal>") == 2 and "Avatar: The Way of Water" in text


def test_ask_construct_and_a_query_body(endpoint):
    assert _request(endpoint, query="ASK { ?f a kg:Film }", method="GET")[2] == '{"head":{},"boolean":true}'
    status, media, text = _request(endpoint, body=("application/sparql-query", "CONSTRUCT { ?f a kg:Film } WHERE { ?f a kg:Film }"),
                                   accept="application/n-triples")
    assert (status, media) == (200, "application/n-triples")
    assert sorted(text.splitlines()) == [
        f"<https://w3id.org/kgnews/id/creativework/{film}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
        "<https://w3id.org/kgnews/ontology#Film> ." for film in ("alita-battle-angel", "avatar-the-way-of-water")
    ]


def test_bad_requests_get_one_line_and_the_right_status(endpoint):
    status, media, text = _request(endpoint, query="SELECT ?x WHERE { ?x ")
    assert (status, media) == (400, "text/plain; charset=utf-8")
    assert text.startswith("SPARQL syntax error: error at 1:") and text.count("\n") == 1
    assert _request(endpoint, update="CLEAR ALL")[:2] == (403, "text/plain; charset=utf-8")
    assert _request(endpoint, query=FILMS, accept="image/png")[0] == 406
    assert _request(endpoint)[0] == 400
    assert _request(endpoint.replace("/sparql", "/nothing"), query=FILMS, method="GET")[0] == 404
    assert _request(endpoint, body=("text/plain", FILMS))[0] == 415
    # nothing was changed by the refused update
    assert json.loads(_request(endpoint, query=FILMS)[2])["results"]["bindings"]


def test_the_explorer_is_served_at_the_root(endpoint):
    status, media, text = _request(endpoint.replace("/sparql", "/"), method="GET")
    assert (status, media) == (200, "text/html; charset=utf-8")
    assert "Avatar: The Way of Water" in text and "http://" not in text.split("<body", 1)[0].replace("http://www.w3.org", "")


def test_rdflib_sparqlstore_as_a_client(endpoint, store):
    remote = Graph(store=SPARQLStore(endpoint, returnFormat="json"))
    rows = [str(r[0]) for r in remote.query(FILMS)]  # kg's prefixes are predeclared by the endpoint
    assert rows == ["Alita: Battle Angel", "Avatar: The Way of Water"]


def test_updates_only_when_allowed(tmp_path):
    process, url = _start(_built(tmp_path / "rw"), "--allow-update")
    try:
        assert _request(url, update="INSERT DATA { GRAPH <urn:x> { <urn:a> a kg:Film ; rdfs:label 'Zardoz' } }")[0] == 204
        labels = [b["label"]["value"] for b in json.loads(_request(url, query=FILMS)[2])["results"]["bindings"]]
        assert labels == ["Alita: Battle Angel", "Avatar: The Way of Water", "Zardoz"]
    finally:
        _stop(process)


def test_results_over_the_cap_are_refused(tmp_path):
    process, url = _start(_built(tmp_path / "capped"), "--max-result-bytes", "200")
    try:
        status, _, text = _request(url, query="SELECT * WHERE { ?s ?p ?o }")
        assert status == 413 and "add LIMIT" in text
        assert _request(url, query="ASK { ?s ?p ?o }")[0] == 200
    finally:
        _stop(process)


def test_a_query_past_its_time_gets_503_and_the_server_stays_up(tmp_path):
    process, url = _start(_built(tmp_path / "slow"), "--timeout", "0.5")
    try:
        slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
        status, _, text = _request(url, query=slow)
        assert status == 503 and "longer than 0.5 s" in text
        assert _request(url, query="ASK { ?s ?p ?o }")[0] == 200
    finally:
        _stop(process)


def test_a_read_only_server_answers_from_a_fresh_snapshot_after_a_build(tmp_path):
    store = _built(tmp_path / "live", EXAMPLES / "alita-sequel-talks.txt")
    process, url = _start(store)
    try:
        assert [b["label"]["value"] for b in json.loads(_request(url, query=FILMS)[2])["results"]["bindings"]] == [
            "Alita: Battle Angel"]
        root = url.replace("/sparql", "/")
        assert "Avatar: The Way of Water" not in _request(root, method="GET")[2]
        with KnowledgeGraph(store, writable=True) as graph:  # the server holds no lock: the build goes ahead
            graph.build([EXAMPLES])
        assert "Avatar: The Way of Water" in _request(root, method="GET")[2]  # the page is drawn again
        labels = [b["label"]["value"] for b in json.loads(_request(url, query=FILMS)[2])["results"]["bindings"]]
        assert labels == ["Alita: Battle Angel", "Avatar: The Way of Water"]
    finally:
        _stop(process)


def test_the_served_explorer_follows_the_store(tmp_path):
    process, url = _start(_built(tmp_path / "live", EXAMPLES / "alita-sequel-talks.txt"), "--allow-update")
    root = url.replace("/sparql", "/")
    try:
        assert "Avatar: The Way of Water" not in _request(root, method="GET")[2]
        with KnowledgeGraph(url, create=True) as remote:  # through the server's own update endpoint
            remote.build([EXAMPLES / "avatar-way-of-water.md"])
        assert "Avatar: The Way of Water" in _request(root, method="GET")[2]
    finally:
        _stop(process)


def test_kg_builds_into_its_own_server_as_a_remote_store(tmp_path):
    process, url = _start(_built(tmp_path / "served"), "--allow-update")
    try:
        with KnowledgeGraph(url, create=True) as remote:
            summary = remote.build([EXAMPLES, Path(__file__).parent / "data" / "history" / "mortal-engines.jsonl"])
            rows = remote.query("SELECT ?t WHERE { ?f kg:budget ?b ; rdfs:label ?t } ORDER BY ?t").records()
        assert (summary.unchanged, summary.added) == (3, 3)
        assert sorted({r["t"] for r in rows}) == ["Alita: Battle Angel", "Mortal Engines"]
    finally:
        _stop(process)
