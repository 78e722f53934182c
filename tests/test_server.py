"""``kg serve``: a real server process on 127.0.0.1, queried with a plain HTTP client and with rdflib's SPARQLStore."""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.plugins.stores.sparqlstore import SPARQLStore

from kg.api import KnowledgeGraph

from .conftest import RESTATED, default_graph_drift

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
        status, _, text = _request(url, update=f"LOAD <{url}?query=ASK%7B%7D> INTO GRAPH <urn:y>")
        assert status == 400 and "--allow-service" in text  # the server would fetch the address
        hidden = f"PREFIX e: <http://e/> INSERT DATA {{ e:a e:b e:c\\# }} ; LOAD <{url}?query=ASK%7B%7D>"
        status, _, text = _request(url, update=hidden)  # an escaped "#" is no comment: the LOAD is seen
        assert status == 400 and "--allow-service" in text
        labels = [b["label"]["value"] for b in json.loads(_request(url, query=FILMS)[2])["results"]["bindings"]]
        assert labels == ["Alita: Battle Angel", "Avatar: The Way of Water", "Zardoz"]
    finally:
        _stop(process)


def test_a_fact_three_articles_state_counts_once_over_http(tmp_path):
    from .test_store import EMPLOYERS, HALE_COPIES, HALE_FILMS

    process, url = _start(_built(tmp_path / "restated", RESTATED))
    try:
        assert _request(url, query=HALE_FILMS, accept="text/csv")[2] == "n\r\n3\r\n"  # not 9
        assert _request(url, query=EMPLOYERS, accept="text/csv")[2] == "person,org\r\nMarta Quill,Corvane Studios\r\n"
        assert _request(url, query=HALE_COPIES, accept="text/csv")[2] == "n\r\n3\r\n"  # GRAPH sees each article's copy
        count = json.loads(_request(url, query=HALE_FILMS)[2])["results"]["bindings"]
        assert count == [{"n": {"type": "literal", "value": "3", "datatype": "http://www.w3.org/2001/XMLSchema#integer"}}]
    finally:
        _stop(process)


def test_an_update_through_the_server_keeps_the_default_graph_the_merge(tmp_path):
    from .test_store import EMPLOYERS, HALE_FILMS

    store = _built(tmp_path / "restated", RESTATED)
    process, url = _start(store, "--allow-update")
    try:
        graphs = json.loads(_request(url, query="SELECT ?g WHERE { GRAPH ?g { ?p kg:worksFor ?o } } ORDER BY ?g")[2])
        first, *others = [b["g"]["value"] for b in graphs["results"]["bindings"]]
        assert _request(url, update=f"DELETE WHERE {{ GRAPH <{first}> {{ ?p kg:worksFor ?o }} }}")[0] == 204
        assert _request(url, query=EMPLOYERS, accept="text/csv")[2].count("\n") == 2  # two articles still state it
        assert _request(url, update="DELETE WHERE { GRAPH ?g { ?p kg:worksFor ?o } }")[0] == 204
        assert _request(url, query=EMPLOYERS, accept="text/csv")[2] == "person,org\r\n"  # no article states it now
        assert _request(url, update="DELETE WHERE { ?x ")[0] == 400  # nothing applied; the default graph stays current
        assert _request(url, query=HALE_FILMS, accept="text/csv")[2] == "n\r\n3\r\n"  # the merge (the union: 9)
    finally:
        _stop(process)
    assert len(others) == 2
    with KnowledgeGraph(store) as graph:
        assert graph.store.merged and default_graph_drift(graph.store) == set()


def test_a_store_from_before_the_merged_default_graph_is_served_as_before(tmp_path):
    from kg.rdf import default_graph_marker

    from .test_store import HALE_FILMS

    store = tmp_path / "older"
    with KnowledgeGraph(store, create=True) as graph:
        graph.build([RESTATED])
        graph.store._update(f"DROP DEFAULT ; DROP GRAPH {default_graph_marker().n3()}")  # as an older kg left it
    process, url = _start(store)  # read-only: it cannot upgrade the store, so it reads the union of the graphs
    try:
        assert _request(url, query=HALE_FILMS, accept="text/csv")[2] == "n\r\n9\r\n"
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


# ---------------------------------------------------------------- what the server refuses, and that it survives

CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"  # never finishes


@pytest.fixture(scope="module")
def guarded(store):
    """A server with short limits, shared by the tests that push them; each test ends with a normal query."""
    process, url = _start(store, "--timeout", "2", "--workers", "2", "--idle-timeout", "1.5", "--max-connections", "210",
                          "--allow-service")
    yield url
    _stop(process)


def _raw(url: str, data: bytes, *, timeout: float = 10) -> http.client.HTTPResponse:
    """Send bytes as they are on a new connection; the response, read whole."""
    parts = urllib.parse.urlsplit(url)
    sock = socket.create_connection((parts.hostname, parts.port), timeout=timeout)
    sock.sendall(data)
    response = http.client.HTTPResponse(sock)
    response.begin()
    response.body = response.read()
    sock.close()
    return response


def _films(url: str) -> list[str]:
    status, _, text = _request(url, query=FILMS)
    assert status == 200, text
    return [b["label"]["value"] for b in json.loads(text)["results"]["bindings"]]


@pytest.mark.slow
def test_runaway_queries_are_stopped_and_their_workers_replaced(guarded):
    with ThreadPoolExecutor(4) as pool:  # twice as many runaway queries as workers
        answers = list(pool.map(lambda _: _request(guarded, query=CARTESIAN), range(4)))
    assert [status for status, _, _ in answers] == [503] * 4
    assert any("longer than 2 s and was stopped" in text for _, _, text in answers)
    started = time.monotonic()
    assert _films(guarded) == ["Alita: Battle Angel", "Avatar: The Way of Water"]
    assert time.monotonic() - started < 2


def test_service_is_refused_unless_allowed(endpoint, guarded):
    remote = f"SELECT ?l WHERE {{ SERVICE <{endpoint}> {{ ?f a kg:Film ; rdfs:label ?l }} }} ORDER BY ?l"
    status, media, text = _request(endpoint, query=remote)
    assert (status, media) == (400, "text/plain; charset=utf-8") and "--allow-service" in text
    assert _request(endpoint, query="ASK { ?s rdfs:label 'SERVICE <http://127.0.0.1:1/>' }")[0] == 200  # a string
    status, _, text = _request(guarded, query=remote)  # --allow-service; the other endpoint is on 127.0.0.1 too
    assert status == 200
    assert [b["l"]["value"] for b in json.loads(text)["results"]["bindings"]] == [
        "Alita: Battle Angel", "Avatar: The Way of Water"]


def test_service_hidden_from_the_check_is_still_refused(endpoint):
    with socket.create_server(("127.0.0.1", 0)) as listener:  # what the server would call
        listener.settimeout(1.5)
        address = f"http://127.0.0.1:{listener.getsockname()[1]}/sparql"
        hidden = [  # an escaped "#" in a name is no comment; the SERVICE after it is real
            f"PREFIX e: <http://e/> SELECT * {{ BIND(e:x\\# AS ?z) SERVICE <{address}> {{ ?s ?p ?o }} }}",
            f"PREFIX e: <http://e/> SELECT * {{ ?s e:p\\' ?o . SERVICE <{address}> {{ ?a ?b ?c }} }}",
        ]
        for query in hidden:
            status, _, text = _request(endpoint, body=("application/sparql-query", query))
            assert status == 400 and "--allow-service" in text
        with pytest.raises(socket.timeout):
            listener.accept()
    assert _films(endpoint) == ["Alita: Battle Angel", "Avatar: The Way of Water"]


def test_graph_names_must_be_iris_and_text_types_are_negotiated(endpoint):
    url = endpoint + "?" + urllib.parse.urlencode({"query": "ASK {}", "default-graph-uri": "not an iri"})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(url, timeout=30)
    assert (refused.value.code, refused.value.headers["Content-Type"]) == (400, "text/plain; charset=utf-8")
    assert "'not an iri' is not an absolute IRI" in refused.value.read().decode()
    status, media, text = _request(endpoint, query=FILMS, accept="text/*")
    assert (status, media) == (200, "text/csv; charset=utf-8") and text.splitlines()[0] == "label"


@pytest.mark.parametrize("query, limit", [
    ("PREFIX e: <http://e/> SELECT * { ?s e:p\\# ?o . " + "{" * 5000 + "}" * 5000 + "\n}", "nest 5,001 deep"),
    ("ASK { FILTER(1<" + "(" * 5000 + "1" + ")" * 5000 + ">0) }", "nest 5,002 deep"),
    ("ASK { FILTER(1 < 2" + "-2" * 30_000 + ") }", "30,001 operators"),
    ("SELECT * WHERE " + "{" * 5000 + " ?s ?p ?o " + "}" * 5000, "nest 5,000 deep"),
    ("SELECT * WHERE { ?s ?p ?o FILTER(" + "!" * 50_000 + "true) }", "50,000 unary operators"),
    ("SELECT * WHERE { ?s ?p ?o FILTER(" + "+".join(["1"] * 7000) + " > 0) }", "7,001 operators"),
    ("SELECT * WHERE { VALUES ?x { " + "1 " * 60_000 + "} }", "characters long"),
])
def test_deep_or_long_queries_get_400_and_the_server_lives_on(endpoint, query, limit):
    status, media, text = _request(endpoint, body=("application/sparql-query", query))
    assert (status, media) == (400, "text/plain; charset=utf-8")
    assert limit in text and text.count("\n") == 1
    assert _films(endpoint) == ["Alita: Battle Angel", "Avatar: The Way of Water"]


@pytest.mark.parametrize("deep, limit", [
    ("SELECT * WHERE " + "{" * 5000 + " ?s ?p ?o " + "}" * 5000, "brackets nest 5,000 deep"),
    ("PREFIX e: <http://e/> SELECT * { ?s e:p\\# ?o . " + "{" * 5000 + "}" * 5000 + "\n}", "brackets nest 5,001 deep"),
    ("ASK { FILTER(1<" + "!" * 20_000 + "true>0) }", "20,000 unary operators"),
])
def test_kg_query_refuses_a_deep_query_in_one_line(store, deep, limit):
    result = subprocess.run([sys.executable, "-m", "kg", "query", deep, "--store", str(store)],
                            capture_output=True, text=True, timeout=60)
    assert (result.returncode, result.stdout) == (2, "")  # not 139: the parser never sees it
    assert result.stderr.startswith(f"kg: error: query: {limit}") and result.stderr.count("\n") == 1


@pytest.mark.slow
def test_idle_and_slow_connections_are_closed_and_the_number_is_bounded(guarded):
    url = guarded
    parts = urllib.parse.urlsplit(url)

    def connect() -> socket.socket:
        return socket.create_connection((parts.hostname, parts.port), timeout=10)

    idle = [connect() for _ in range(200)]
    slow: list[socket.socket] = []
    try:
        started = time.monotonic()
        assert _films(url) == ["Alita: Battle Angel", "Avatar: The Way of Water"]  # the 201st connection
        assert time.monotonic() - started < 2
        slow = [connect() for _ in range(5)]
        for sock in slow:  # a request head that never ends: one more header every 0.3 s
            sock.sendall(b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        idle += [connect() for _ in range(6)]
        time.sleep(0.2)
        assert _request(url, query=FILMS)[0] == 503  # 212 open connections, over the limit of 210
        for _ in range(12):
            for sock in slow:
                try:
                    sock.sendall(b"X-Slow: 1\r\n")
                except OSError:
                    pass
            time.sleep(0.3)
        dropped = 0
        for sock in slow + idle:  # the server closed every one: end of stream, no answer
            try:
                dropped += sock.recv(1) == b""
            except ConnectionResetError:
                dropped += 1
        assert dropped == len(slow) + len(idle)
        assert _films(url) == ["Alita: Battle Angel", "Avatar: The Way of Water"]
    finally:
        for sock in slow + idle:
            sock.close()


@pytest.mark.slow
def test_a_client_that_stops_reading_its_answer_is_dropped(guarded):
    url = guarded
    parts = urllib.parse.urlsplit(url)
    query = urllib.parse.quote("SELECT ?a WHERE { ?a ?b ?c . ?d ?e ?f } LIMIT 150000")  # 12 MB of JSON
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    try:
        sock.connect((parts.hostname, parts.port))
        sock.sendall(f"GET {parts.path}?query={query} HTTP/1.1\r\nHost: {parts.netloc}\r\n\r\n".encode())
        time.sleep(6)  # reads nothing while the server evaluates (under a second) and starts sending
        sock.settimeout(5)
        head = sock.recv(4096)
        assert head.startswith(b"HTTP/1.1 200 ")
        received = len(head)
        try:
            while chunk := sock.recv(1 << 20):
                received += len(chunk)
        except ConnectionResetError:
            pass
        assert received < 8_000_000  # cut off (at most the kernel's buffers): the answer was not kept for the client
        assert _films(url) == ["Alita: Battle Angel", "Avatar: The Way of Water"]
    finally:
        sock.close()


def test_bad_bodies_and_request_lines(endpoint):
    parts = urllib.parse.urlsplit(endpoint)
    head = f"POST {parts.path} HTTP/1.1\r\nHost: {parts.netloc}\r\nContent-Type: application/sparql-query\r\n"
    started = time.monotonic()
    negative = _raw(endpoint, (head + "Content-Length: -1\r\n\r\n").encode())
    assert (negative.status, negative.headers["Content-Type"]) == (400, "text/plain; charset=utf-8")
    huge = _raw(endpoint, (head + "Content-Length: 100000000\r\n\r\n").encode())  # announced, never sent
    assert huge.status == 413 and b"over 1,000,000 bytes" in huge.body
    assert time.monotonic() - started < 2  # answered without waiting for a body
    chunks = [FILMS[:20], FILMS[20:]]
    chunked = (head + "Transfer-Encoding: chunked\r\nAccept: text/csv\r\n\r\n"
               + "".join(f"{len(c):x}\r\n{c}\r\n" for c in chunks) + "0\r\n\r\n")
    answer = _raw(endpoint, chunked.encode())
    assert (answer.status, answer.body) == (200, b"label\r\nAlita: Battle Angel\r\nAvatar: The Way of Water\r\n")
    big = "SELECT * WHERE { ?s ?p ?o } # " + "x" * 1_100_000
    try:
        over = _raw(endpoint, (head + "Transfer-Encoding: chunked\r\n\r\n" + f"{len(big):x}\r\n{big}\r\n0\r\n\r\n").encode())
        assert over.status == 413
    except (ConnectionResetError, BrokenPipeError):
        pass  # the server answered 413 and closed before the client finished sending: also a refusal
    for garbage in (b"GARBAGE\r\n\r\n", b"GET /sparql HTTP/9.9 extra\r\n\r\n", b"GET /\x00 HTTP/1.1\r\n\r\n"):
        refused = _raw(endpoint, garbage)
        assert (refused.status, refused.headers["Content-Type"]) == (400, "text/plain; charset=utf-8")
        assert b"<html" not in refused.body.lower() and refused.body.count(b"\n") == 1
    assert _films(endpoint) == ["Alita: Battle Angel", "Avatar: The Way of Water"]


def test_codepoint_escapes_cannot_hide_service_or_nesting():
    from kg.errors import QueryError
    from kg.query import check_query_shape

    assert check_query_shape(r"SELECT * { \u0053ERVICE <http://127.0.0.1:1/> { ?s ?p ?o } }").service
    assert not check_query_shape(r'SELECT * { ?s ?p "caf\u00e9 \UFFFFFFFF" }').service
    with pytest.raises(QueryError, match="brackets nest 300 deep"):
        check_query_shape("SELECT * " + r"\u007B" * 300 + r"\u007D" * 300)


def test_a_writable_server_on_a_new_directory_takes_a_build_at_query_as_oxigraph_names_it(tmp_path):
    process, url = _start(tmp_path / "new-store", "--allow-update")  # the directory does not exist yet
    base = url.removesuffix("/sparql")
    try:
        with KnowledgeGraph(base + "/query", create=True) as graph:  # updates go to /update, its sibling
            assert graph.build([RESTATED]).added == 3
        from .test_store import HALE_FILMS

        assert _request(base + "/query", query=HALE_FILMS, accept="text/csv")[2] == "n\r\n3\r\n"
        assert _request(base + "/nowhere", query=FILMS)[:3:2] == (404, "not found; the SPARQL endpoint is /sparql (or /query and /update)\n")
    finally:
        _stop(process)
