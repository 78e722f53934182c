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
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef

from .errors import QueryError
from .store import KnowledgeStore

__all__ = ["QueryResult", "run_query", "read_query", "FORMATS"]

FORMATS = ("table", "csv", "json")


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
    """Run SPARQL 1.1 (SELECT, ASK, CONSTRUCT, DESCRIBE) over the whole store."""
    result = store.query(sparql, where=where)
    if result.type == "ASK":
        return QueryResult("ASK", boolean=bool(result.askAnswer))
    if result.type in {"CONSTRUCT", "DESCRIBE"}:
        return QueryResult(result.type, graph=result.graph)
    variables = [str(v) for v in result.vars or []]
    rows = [[binding.get(v) for v in result.vars] for binding in result.bindings]
    return QueryResult("SELECT", variables=variables, rows=rows)
