"""SPARQL execution and result formatting: a query in, a table, CSV or SPARQL JSON out.

>>> from kg.store import KnowledgeStore
>>> with KnowledgeStore("memory") as store:
...     result = run_query(store, "ASK { ?s ?p ?o }")
>>> result.boolean
False
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef

from .errors import QueryError
from .store import KnowledgeStore

__all__ = ["QueryResult", "QueryShape", "run_query", "read_query", "measure_query", "check_query_shape", "FORMATS",
           "MAX_DEPTH", "MAX_UNARY_RUN", "MAX_OPERATORS", "MAX_QUERY_CHARS"]

FORMATS = ("table", "csv", "json")

# Oxigraph parses and evaluates recursively: past about 2,000 nested brackets, 5,000 ``!`` in a row or 7,000
# operators in one chain a query overflows the stack and kills the process (measured with pyoxigraph 0.5).
# The limits sit well below those and far above real queries.
MAX_DEPTH = 200  # brackets ( { [ open at once
MAX_UNARY_RUN = 50  # ! + - ^ in a row
MAX_OPERATORS = 2_000  # binary operators and UNIONs in the whole text
MAX_QUERY_CHARS = 100_000  # characters of a query (not of an update: the request size bounds those)

# What matters for the limits is outside string literals, IRIs and comments; words are skipped whole, so a hyphen
# inside a prefixed name is not an operator.
_TOKENS = re.compile(r'''
    (?P<skip> """(?:[^"\\]|\\.|"(?!""))*"""              # long strings
            | \'\'\'(?:[^'\\]|\\.|'(?!''))*\'\'\'
            | "(?:[^"\\\n]|\\.)*"                       # strings
            | '(?:[^'\\\n]|\\.)*'
            | <[^<>"{}|^`\\\x00-\x20]*>                # IRIs
            | \#[^\n]* )                               # comments
  | (?P<number> \d+(?:\.\d*)?(?:[eE][+-]?\d+)? | \.\d+(?:[eE][+-]?\d+)? )  # numbers: "2-2-2" is a chain of minus
  | (?P<word> [?$]\w+ | [^\W\d](?:[\w.:%-]|\\.)* | :(?:[\w.:%-]|\\.)* )  # variables, keywords, prefixed names
                                                       # (with escapes: e:p\# is one name, its # no comment)
  | (?P<escape> \\. )                                   # a stray escape: the character after it is not syntax
  | (?P<open> [{(\[] )
  | (?P<close> [})\]] )
  | (?P<op> && | \|\| | [!<>]= | [-+*/|=<>!^] )
''', re.VERBOSE)
_UNARY = frozenset("!+-^")
_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


@dataclass(frozen=True)
class QueryShape:
    """How long and how deep a query's text is; everything but ``chars`` counted outside strings, IRIs, comments."""

    chars: int
    depth: int  # most brackets open at once
    unary_run: int  # most of ! + - ^ in a row
    operators: int  # binary operators and UNION keywords
    service: bool  # uses the SERVICE keyword: a federated query, evaluated by calling another endpoint
    load: bool = False  # an update using LOAD, which fetches the document at an address


def measure_query(text: str) -> QueryShape:
    """The shape of a SPARQL query or update, measured without parsing it (one regular-expression pass).

    >>> measure_query('SELECT * WHERE { ?s ?p "{{{" FILTER(!!true) } # {')
    QueryShape(chars=49, depth=2, unary_run=2, operators=1, service=False, load=False)
    >>> measure_query("SELECT * { service <http://x/sparql> { ?s ?p 'SERVICE' } }").service
    True
    """
    depth = most = run = longest = operators = 0
    service = load = False
    for token in _TOKENS.finditer(text):
        kind = token.lastgroup
        value = token.group()
        if kind == "skip" and value.startswith("<"):
            # An IRI to this scanner may be a less-than and a greater-than to the parser ("1<((1))>0"): what such
            # text nests, and its runs of unary operators, count as if it were not an IRI.
            inner = measure_query(value[1:-1]) if _maybe_not_an_iri(value) else None
            if inner is not None:
                most = max(most, depth + inner.depth)
                longest = max(longest, inner.unary_run)
                operators += inner.operators
            run = 0
            continue
        if kind in ("skip", "escape"):
            continue
        if kind == "op" and value in _UNARY:
            run += 1
            longest = max(longest, run)
        else:
            run = 0
        if kind == "open":
            depth += 1
            most = max(most, depth)
        elif kind == "close":
            depth = max(0, depth - 1)
        elif kind == "op" and value not in ("!", "^"):
            operators += 1
        elif kind == "word":
            keyword = value.upper()
            operators += keyword == "UNION"
            service = service or keyword == "SERVICE"
            load = load or keyword == "LOAD"
    return QueryShape(len(text), most, longest, operators, service, load)


def _codepoint(match: re.Match) -> str:
    number = int(match.group(1) or match.group(2), 16)
    return chr(number) if number <= 0x10FFFF else "\ufffd"


def _maybe_not_an_iri(text: str) -> bool:
    """True for ``<…>`` text that may be operators and operands to the parser, not an IRI: it holds brackets or
    operator characters an address rarely has, or is very long, or has a run of hyphens."""
    return any(c in text for c in "()[]!+*|^") or len(text) > 4_000 or text.count("-") > 100


def check_query_shape(text: str, where: str = "query", *, update: bool = False) -> QueryShape:
    """Refuse a query that would overflow Oxigraph's parser, or come near it, before any parser sees the text.

    Parameters
    ----------
    text : the SPARQL query (or update, with ``update=True``: no length limit).
    where : how errors name the query (a file's path, or ``"query"``).

    Returns
    -------
    The query's :class:`QueryShape` when it is within :data:`MAX_QUERY_CHARS`, :data:`MAX_DEPTH`,
    :data:`MAX_UNARY_RUN` and :data:`MAX_OPERATORS`.

    Raises
    ------
    QueryError
        One line naming the limit and what to do.

    >>> check_query_shape("SELECT * WHERE " + "{" * 300 + "}" * 300)
    Traceback (most recent call last):
    ...
    kg.errors.QueryError: query: brackets nest 300 deep, more than 200; flatten the query (fewer nested groups or parentheses)
    """
    if not update and len(text) > MAX_QUERY_CHARS:
        raise QueryError(where, f"the query is {len(text):,} characters long, more than {MAX_QUERY_CHARS:,}; "
                                "shorten it (fewer VALUES or UNION branches, or several queries)")
    shape = measure_query(text)
    if "\\u" in text or "\\U" in text:  # SPARQL allows \u escapes anywhere in a query: a parser that reads them
        decoded = measure_query(_CODEPOINT.sub(_codepoint, text))  # sees this
        shape = QueryShape(shape.chars, max(shape.depth, decoded.depth), max(shape.unary_run, decoded.unary_run),
                           max(shape.operators, decoded.operators), shape.service or decoded.service,
                           shape.load or decoded.load)
    if shape.depth > MAX_DEPTH:
        raise QueryError(where, f"brackets nest {shape.depth:,} deep, more than {MAX_DEPTH}; flatten the query "
                                "(fewer nested groups or parentheses)")
    if shape.unary_run > MAX_UNARY_RUN:
        raise QueryError(where, f"{shape.unary_run:,} unary operators (! + - ^) in a row, more than {MAX_UNARY_RUN}; "
                                "remove the repeated ones")
    if shape.operators > MAX_OPERATORS:
        raise QueryError(where, f"{shape.operators:,} operators (+ - * / && || | = < > UNION ...), more than "
                                f"{MAX_OPERATORS:,}; split the query, or use VALUES or IN instead of long chains")
    return shape


@dataclass
class QueryResult:
    """A query's answer: rows of a SELECT, the boolean of an ASK, or the graph of a CONSTRUCT/DESCRIBE."""

    kind: str
    variables: list[str] = field(default_factory=list)
    rows: list[list[object]] = field(default_factory=list)  # rdflib terms or None (unbound)
    boolean: bool | None = None
    graph: Graph | None = None

    def records(self) -> list[dict[str, object]]:
        """Rows as dicts of Python values: numbers as numbers, IRIs and strings as str, unbound as None."""
        return [{v: _python(t) for v, t in zip(self.variables, row)} for row in self.rows]

    def to_csv(self) -> str:
        """SELECT rows as CSV with a header; ASK as one cell."""
        if self.kind == "ASK":
            return f"boolean\r\n{str(self.boolean).lower()}\r\n"
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(self.variables)
        for row in self.rows:
            writer.writerow(["" if t is None else str(t) for t in row])
        return buffer.getvalue()

    def to_json(self) -> str:
        """The SPARQL 1.1 Query Results JSON Format."""
        if self.kind == "ASK":
            return json.dumps({"head": {}, "boolean": self.boolean})
        bindings = [{v: _json_term(t) for v, t in zip(self.variables, row) if t is not None} for row in self.rows]
        return json.dumps({"head": {"vars": self.variables}, "results": {"bindings": bindings}}, ensure_ascii=False)


def _python(term: object) -> object:
    if term is None:
        return None
    if isinstance(term, Literal):
        value = term.toPython()
        if isinstance(value, (bool, int, float)):
            return value
        if isinstance(value, Decimal):
            return int(value) if value == value.to_integral_value() else float(value)
    return str(term)


def _json_term(term: object) -> dict[str, str]:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    assert isinstance(term, Literal)
    out = {"type": "literal", "value": str(term)}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype and str(term.datatype) != "http://www.w3.org/2001/XMLSchema#string":
        out["datatype"] = str(term.datatype)
    return out


def read_query(query_or_file: str) -> tuple[str, str]:
    """The query text and how to name it in errors: a ``.rq``/``.sparql`` file's path, else ``"query"``."""
    path = Path(query_or_file)
    if path.suffix.lower() in {".rq", ".sparql", ".txt"} or (len(query_or_file) < 300 and path.is_file()):
        if not path.is_file():
            raise QueryError(str(path), "no such query file")
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise QueryError(str(path), f"cannot be read as UTF-8 text: {exc}") from exc
        if not text.strip():
            raise QueryError(str(path), "the query file is empty")
        return text, str(path)
    if not query_or_file.strip():
        raise QueryError("query", "the query is empty")
    return query_or_file, "query"


def run_query(store: KnowledgeStore, sparql: str, *, where: str = "query") -> QueryResult:
    """Run SPARQL 1.1 (SELECT, ASK, CONSTRUCT, DESCRIBE) over the whole store.

    Raises QueryError for a query that does not parse or fails, and, before any parser sees it, for one past the
    limits of :func:`check_query_shape`.
    """
    check_query_shape(sparql, where)
    result = store.query(sparql, where=where)
    if result.type == "ASK":
        return QueryResult("ASK", boolean=bool(result.askAnswer))
    if result.type in {"CONSTRUCT", "DESCRIBE"}:
        return QueryResult(result.type, graph=result.graph)
    variables = [str(v) for v in result.vars or []]
    rows = [[binding.get(v) for v in result.vars] for binding in result.bindings]
    return QueryResult("SELECT", variables=variables, rows=rows)
