"""The plain data that flows between stages: documents, mentions, values, entities and facts.

>>> doc = Document(id="urn:x", text="Hi.")
>>> doc.title
''
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["Document", "Mention", "Value", "Entity", "Evidence", "Fact"]


@dataclass(frozen=True)
class Document:
    """One article as read from a file, a JSONL line or stdin.

    ``id`` is the IRI of the document's named graph, minted from ``uri``: its URL when it has one, else the
    file's URI (plus ``#id`` or ``#L<line>`` inside a JSONL file), else a hash of the text (stdin).
    """

    id: str
    text: str
    title: str = ""
    url: str | None = None
    published: str | None = None  # ISO date as given by the source, if any
    source: str = ""  # where it was read from, as the user named it: a path, "path:line" or "<stdin>"
    uri: str = ""  # the source as an IRI: URL, file URI or urn:sha256


@dataclass(frozen=True)
class Mention:
    """A span of a document that names an entity."""

    text: str
    start: int  # character offsets into Document.text
    end: int
    label: str  # spaCy entity label or "TITLE" for a quoted title


@dataclass(frozen=True)
class Value:
    """A typed literal read from text: money, a date or a number.

    ``lexical`` is the XSD lexical form (``"404000000"``, ``"2019"``, ``"2023-03-28"``); ``datatype`` is the XSD
    local name (``"decimal"``, ``"gYear"``, ``"date"``); ``unit`` is an ISO 4217 currency code for money.
    """

    lexical: str
    datatype: str
    unit: str | None = None
    qualifier: str | None = None  # "over", "about", "estimated" ... as the text bounds the value
    text: str = ""  # the words in the article

    def __str__(self) -> str:
        return f"{self.lexical} {self.unit}" if self.unit else self.lexical


@dataclass(frozen=True)
class Entity:
    """A real-world thing as known within one document (and, once resolved, in the store)."""

    key: str  # "person/james-cameron": the coarse kind and name slug that make its IRI
    label: str  # canonical name
    cls: str  # ontology class local name: "Person", "Film" ...
    aliases: tuple[str, ...] = ()

    def __str__(self) -> str:
        return self.label


@dataclass(frozen=True)
class Evidence:
    """Where a fact comes from: the document, the sentence and how it was found."""

    doc_id: str
    sentence: str
    char_start: int  # offsets of the sentence in Document.text
    char_end: int
    rule: str
    confidence: float


@dataclass(frozen=True)
class Qualifiers:
    """What a statement says beyond its three parts (Wikidata's qualifiers), for an award won or a nomination:
    ``for_work`` the work it was for (Wikidata P1686), ``year`` the year of the ceremony as a gYear lexical
    ("2005", P585), ``category`` the category as the text names it ("best actress"); for a job or a band,
    ``ended`` when the text says it is over ("the former chief executive of Z"; Wikidata would give an end time,
    P582, which the text does not)."""

    for_work: Entity | None = None
    year: str | None = None
    category: str | None = None
    ended: bool = False

    def __bool__(self) -> bool:
        return self.for_work is not None or self.year is not None or self.category is not None or self.ended


@dataclass(frozen=True)
class Fact:
    """One subject–predicate–object statement with its evidence. ``object`` is an Entity or a Value;
    ``qualifiers`` what the sentence adds to the statement (an award's work, year and category)."""

    subject: Entity
    predicate: str  # ontology property local name: "director", "boxOffice"
    object: Entity | Value
    evidence: Evidence = field(compare=False)
    qualifiers: Qualifiers | None = field(default=None, compare=False)

    @property
    def key(self) -> tuple[str, str, str]:
        """What makes two facts the same statement, whatever their evidence."""
        obj = self.object.key if isinstance(self.object, Entity) else f"{self.object.lexical}^{self.object.datatype}^{self.object.unit}"
        return (self.subject.key, self.predicate, obj)
