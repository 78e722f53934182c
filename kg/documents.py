"""Ingest: paths, directories and stdin in, :class:`~kg.model.Document` objects out, one at a time.

Formats: ``.txt`` (first line is the title when it reads like a headline), ``.md`` (rendered with markdown-it,
first heading is the title), ``.html``/``.htm`` (article text, title, canonical URL and publication date read with
selectolax) and ``.jsonl`` (one JSON object per line with ``text`` and optional ``title``, ``url``, ``published``).

Every problem is an :class:`~kg.errors.InputError` naming the file (and line) and what is wrong.

>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "a.txt"
>>> _ = path.write_text("Big news\\n\\nSomething happened.")
>>> [d.title for d in read_documents([path])]
['Big news']
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import re
import stat
import sys
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from urllib.parse import quote


from .errors import InputError, KGError
from .limits import DocumentTimeout
from .markup import MarkupParser, MarkupTimeout
from .model import Document

__all__ = ["read_documents", "iter_paths", "safe_url", "safe_iri", "SUFFIXES", "DEFAULT_MAX_BYTES", "MAX_BYTES_LIMIT", "size_text", "document_iri", "DEFAULT_BASE"]

SUFFIXES = {".txt", ".md", ".markdown", ".html", ".htm", ".jsonl"}
DEFAULT_MAX_BYTES = 20 * 1024 * 1024
MAX_BAD_LINES_IN_A_ROW = 1_000
MAX_BYTES_LIMIT = 1 << 30  # the largest --max-bytes: one article of 1 GiB is already far past any news text
DEFAULT_BASE = "https://w3id.org/kgnews/id/"


def safe_url(url: object) -> str | None:
    """An http(s) URL with every character that is not allowed in an IRI percent-encoded; None otherwise.

    >>> safe_url('https://example.org/a b>"c'), safe_url("javascript:alert(1)")
    ('https://example.org/a%20b%3E%22c', None)
    """
    if not isinstance(url, str):
        return None
    url = url.strip()
    if not url.lower().startswith(("http://", "https://")) or len(url) > 2000:
        return None
    return safe_iri(url)


def safe_iri(text: str) -> str:
    """``text`` with every character that may not appear in an IRI percent-encoded, so it cannot end an ``<IRI>``.

    A ``%`` that does not start an escape (two hex digits) is encoded too: IRIs allow no other.

    >>> safe_iri("urn:x> } DROP ALL { <y"), safe_iri("https://e.org/100%-sure?a=%41")
    ('urn:x%3E%20%7D%20DROP%20ALL%20%7B%20%3Cy', 'https://e.org/100%25-sure?a=%41')
    """
    return _BARE_PERCENT.sub("%25", quote(text, safe=":/?#[]@!$&'()*+,;=%~-._"))


_BARE_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")


def document_iri(source_id: str, base: str = DEFAULT_BASE) -> str:
    """The named-graph IRI of a document, minted from its URL or source so that it is safe and stable."""
    return f"{base}doc/{hashlib.sha256(source_id.encode()).hexdigest()[:20]}"


def iter_paths(paths: Iterable[str | Path]) -> Iterator[Path | str]:
    """Expand directories (recursively, sorted) into the article files they hold; ``-`` stays as stdin."""
    for raw in paths:
        if str(raw) == "-":
            yield "-"
            continue
        path = Path(raw)
        if not path.exists():
            raise InputError(str(path), "no such file or directory")
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES and not p.name.startswith("."))
            if not found:
                raise InputError(str(path), f"no readable articles in this directory (looked for {', '.join(sorted(SUFFIXES))})")
            yield from found
        else:
            yield path


def read_documents(
    paths: Iterable[str | Path], *, max_bytes: int = DEFAULT_MAX_BYTES, base: str = DEFAULT_BASE,
    on_error: Callable[[InputError], None] | None = None, on_warning: Callable[[InputError], None] | None = None,
    doc_timeout: float | None = None,
) -> Iterator[Document]:
    """Read every article under ``paths``, lazily, in order.

    Each file, and each line of a JSONL file, is read on its own: with ``on_error``, a bad one is reported to it
    and skipped and the rest are still read; without, the first bad one raises :class:`~kg.errors.InputError`.
    ``on_warning`` hears of what is dropped from an article that is still read (a ``published`` value that is not
    a date); without it, those are dropped silently. No read takes more than ``max_bytes + 1`` bytes, whatever
    the input (``/dev/zero``, a FIFO, a pipe). HTML and Markdown over 256 KiB are parsed in a child process
    (:class:`kg.markup.MarkupParser`) that is killed past ``doc_timeout`` seconds (``--doc-timeout``) for each
    megabyte of markup: a :class:`~kg.limits.DocumentTimeout`. None parses them without a limit.
    """
    markup = MarkupParser()
    try:
        yield from _read_all(paths, max_bytes, base, on_error, on_warning, markup, doc_timeout)
    finally:
        markup.close()


def _read_all(paths, max_bytes: int, base: str, on_error, on_warning, markup: MarkupParser,
              doc_timeout: float | None) -> Iterator[Document]:
    for path in _paths(paths, on_error):
        try:
            if path == "-":
                if sys.stdin is None or sys.stdin.closed:
                    raise InputError("<stdin>", "is closed; pipe an article in, or name a file")
                yield _from_text(_decode(_read_stream(sys.stdin.buffer, max_bytes), "<stdin>", max_bytes), "<stdin>", None, base)
                continue
            assert isinstance(path, Path)
            suffix = path.suffix.lower()
            if suffix == ".jsonl":
                yield from _read_jsonl(path, max_bytes, base, on_error, on_warning)
                continue
            text = _decode(_read_bytes(path, max_bytes), str(path), max_bytes)
            if suffix in {".html", ".htm"}:
                yield _from_html(text, str(path), base, on_warning, markup, doc_timeout)
            elif suffix in {".md", ".markdown"}:
                yield _from_markdown(text, str(path), base, markup, doc_timeout)
            else:
                yield _from_text(text, str(path), path, base)
        except InputError as error:
            if on_error is None:
                raise
            on_error(error)


def _paths(paths: Iterable[str | Path], on_error: Callable[[InputError], None] | None) -> Iterator[Path | str]:
    """:func:`iter_paths` of each path on its own, so that with ``on_error`` a missing one does not stop the rest."""
    for raw in paths:
        try:
            yield from iter_paths([raw])
        except InputError as error:
            if on_error is None:
                raise
            on_error(error)


def _read_stream(stream, max_bytes: int) -> bytes:
    """At most ``max_bytes + 1`` bytes of a binary stream, read a megabyte at a time (never reserved up front)."""
    chunks, size = [], 0
    while size <= max_bytes:
        chunk = stream.read(min(1 << 20, max_bytes + 1 - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


def _open_bounded(path: Path):
    """A binary file object for a file, a device or a FIFO, opened without waiting for a FIFO's writer."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise InputError(str(path), f"cannot be read: {exc.strerror or exc}") from exc
    os.set_blocking(fd, True)
    return os.fdopen(fd, "rb")


def _read_bytes(path: Path, max_bytes: int) -> bytes:
    """At most ``max_bytes + 1`` bytes of a file, a device or a FIFO (opened without waiting for a writer)."""
    with _open_bounded(path) as handle:
        try:
            info = os.fstat(handle.fileno())
            if stat.S_ISREG(info.st_mode) and info.st_size > max_bytes:
                raise _over_limit(str(path), max_bytes, f"is {size_text(info.st_size)}, over")
            return _read_stream(handle, max_bytes)
        except OSError as exc:
            raise InputError(str(path), f"cannot be read: {exc.strerror or exc}") from exc


_WIDE_BOMS = ((b"\xff\xfe\x00\x00", "UTF-32"), (b"\x00\x00\xfe\xff", "UTF-32"), (b"\xff\xfe", "UTF-16"),
              (b"\xfe\xff", "UTF-16"))


def size_text(size: int) -> str:
    """A byte count as people read it: '20 MiB', '1.5 KiB', '999 bytes'.

    >>> size_text(20 * 1024 * 1024), size_text(1536), size_text(1)
    ('20 MiB', '1.5 KiB', '1 byte')
    """
    for unit, scale in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if size >= scale:
            return f"{size / scale:.1f}".removesuffix(".0") + f" {unit}"
    return f"{size:,} byte" + ("s" if size != 1 else "")


def _refuse_wide_encoding(head: bytes, where: str) -> None:
    """InputError when bytes open with a UTF-16 or UTF-32 byte order mark (they read as binary otherwise)."""
    for bom, encoding in _WIDE_BOMS:
        if head.startswith(bom):
            raise InputError(where, f"is {encoding} text; convert it to UTF-8 first, e.g. iconv -f {encoding} -t UTF-8")


def _over_limit(where: str, max_bytes: int, what: str = "is over") -> InputError:
    return InputError(where, f"{what} the {size_text(max_bytes)} limit for one article (raise it with --max-bytes)")


def _decode(data: bytes, where: str, max_bytes: int) -> str:
    if len(data) > max_bytes:
        raise _over_limit(where, max_bytes)
    _refuse_wide_encoding(data, where)
    if b"\x00" in data:
        raise InputError(where, "looks like a binary file (it contains NUL bytes), not a text article")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            where,
            f"is not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}); convert it first, e.g. iconv -f latin1 -t utf-8",
        ) from exc
    if not any(ch.isalnum() for ch in text):
        raise InputError(where, "is empty: there is no text to read" if not text.strip() else "has no words to read")
    return _normalized(text)


def _normalized(text: str) -> str:
    """Unix line ends and Unicode NFC (the W3C's form for text on the web): "Renée" typed with a combining accent
    (NFD) is then the same name, with the same facts, as "Renée" typed precomposed."""
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))


def _source_uri(path: Path | None, text: str) -> str:
    if path is not None:
        return path.resolve().as_uri()
    return "urn:sha256:" + hashlib.sha256(text.encode()).hexdigest()


def _headline(text: str) -> str:
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    return first if len(first) <= 200 and not first.endswith((".", "?", "!")) else ""


def _from_text(text: str, where: str, path: Path | None, base: str) -> Document:
    uri = _source_uri(path, text)
    return Document(id=document_iri(uri, base), text=text, title=_headline(text), source=where, uri=uri,
                    published=date_line(text))


_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_DATE_LINE = re.compile(
    r"^(?:(?:first\s+)?(?:published|updated|posted|last\s+updated|dated?)(?:\s+on)?\s*:?\s*)?"
    r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?"
    rf"(?P<date>\d{{4}}-\d{{2}}-\d{{2}}|{_DAY}\s+(?:of\s+)?{_MONTH},?\s+\d{{4}}|{_MONTH}\s+{_DAY},?\s+\d{{4}})"
    r"(?:[,\s]+(?:at\s+)?\d{1,2}[:.]\d{2}(?:\s*[ap]\.?m\.?)?(?:\s+[a-z]{2,4})?)?\s*$",
    re.IGNORECASE)


def date_line(text: str, lines: int = 5) -> str | None:
    """The date (``YYYY-MM-DD``) of a line among the first ``lines`` non-blank lines that says only when the
    article was published ("Published: 14 March 2005", "Monday, March 14, 2005 10:32 GMT", "2005-03-14"); None
    when there is none. The file's own metadata (its modification time) is never taken for the article's date.

    >>> date_line("Film news\\nPublished: 14 March 2005, 10:32 GMT\\n\\nThe film opened."), date_line("A\\nOn 3 May 2019 it opened.")
    ('2005-03-14', None)
    """
    from .extract.literals import parse_date  # the value parser is pure; imported here to keep ingest light

    seen = 0
    for line in text.splitlines():
        if not line.strip():
            continue
        seen += 1
        if seen > lines:
            break
        match = _DATE_LINE.match(line.strip())
        if match:
            value = parse_date(match.group("date"))
            if value is not None and value.datatype == "date":
                return value.lexical
    return None


_MAX_TITLE_CHARS = 1_000  # a longer <title> is no headline: it would double the text it opens


def _markup_parts(markup: MarkupParser, kind: str, text: str, where: str, doc_timeout: float | None) -> dict:
    """The parts of an HTML or Markdown text (:mod:`kg.markup`), within a time limit for its size: ``doc_timeout``
    seconds for each megabyte of markup, and never less."""
    seconds = None if doc_timeout is None else doc_timeout * (1 + len(text) / (1 << 20))
    try:
        parts = markup.parts(kind, text, seconds)
    except MarkupTimeout:
        raise DocumentTimeout(where, f"took longer than {seconds:.3g} s to read its {'HTML' if kind == 'html' else 'Markdown'} "
                                     "(the limit for its size); raise --doc-timeout or fix the markup") from None
    if parts.get("problem"):
        raise InputError(where, parts["problem"])
    return parts


def _from_html(html: str, where: str, base: str, on_warning: Callable[[InputError], None] | None = None,
               markup: MarkupParser | None = None, doc_timeout: float | None = None) -> Document:
    parts = _markup_parts(markup or MarkupParser(), "html", html, where, doc_timeout)
    title = parts["title"] if len(parts["title"]) <= _MAX_TITLE_CHARS else ""
    url = safe_url(parts["url"])
    published = publication_date(parts["published"], where, on_warning)
    text = parts["text"]
    if not text.strip():
        raise InputError(where, "has no article text (no paragraphs found in the HTML)")
    if title and not text.startswith(title):
        text = f"{title}\n\n{text}"
    uri = url or Path(where).resolve().as_uri()
    return Document(id=document_iri(uri, base), text=text, title=" ".join(title.split()), url=url,
                    published=published, source=where, uri=uri)


def publication_date(value: object, where: str, on_warning: Callable[[InputError], None] | None = None) -> str | None:
    """The calendar date (``YYYY-MM-DD``) that a ``published`` value starts with, or None.

    A value that is not a date is reported to ``on_warning`` (the article is stored without a date).

    >>> publication_date("2019-02-14T09:30:00Z", "a.html"), publication_date("", "a.html")
    ('2019-02-14', None)
    >>> publication_date("next Tuesday", "a.jsonl:3", print)
    a.jsonl:3: published value 'next Tuesday' is not a date (YYYY-MM-DD); the article is stored without one
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    text = str(value).strip() if isinstance(value, (str, int)) and not isinstance(value, bool) else None
    try:
        if text is not None and re.fullmatch(r"\d{4}-\d{2}-\d{2}", text[:10]):
            return datetime.date.fromisoformat(text[:10]).isoformat()
    except ValueError:
        pass
    if on_warning is not None:
        shown = repr(text[:40]) if text is not None else f"of type {type(value).__name__}"
        on_warning(InputError(where, f"published value {shown} is not a date (YYYY-MM-DD); the article is stored without one"))
    return None


def _from_markdown(markdown: str, where: str, base: str, markup: MarkupParser | None = None,
                   doc_timeout: float | None = None) -> Document:
    parts = _markup_parts(markup or MarkupParser(), "markdown", markdown, where, doc_timeout)
    title = parts["heading"] or _headline(markdown)
    text = parts["text"]
    if not text.strip():
        raise InputError(where, "has no text once the Markdown is rendered")
    uri = Path(where).resolve().as_uri()
    return Document(id=document_iri(uri, base), text=text, title=title, source=where, uri=uri, published=date_line(text))


def _loads(text: str, where: str, error: type[KGError], invalid: Callable[[json.JSONDecodeError], str]) -> object:
    """``json.loads`` whose failures are one ``error`` naming ``where``; ``invalid`` words a syntax error."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise error(where, invalid(exc)) from exc
    except ValueError:  # Python refuses to read an integer of more than 4,300 digits
        raise error(where, "holds an integer of more than 4,300 digits; write it as a string") from None
    except RecursionError:
        raise error(where, "holds JSON nested too deep to read") from None


def read_json_object(path: str | Path, error: type[KGError] = InputError) -> dict:
    """The JSON object a whole file holds; ``error`` (InputError, OntologyError ...) names the file and problem."""
    path = Path(path)
    if not path.is_file():
        raise error(str(path), "no such file")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise error(str(path), f"not UTF-8 text (byte {exc.start})") from exc
    data = _loads(text, str(path), error, lambda exc: f"not valid JSON: {exc.msg} at line {exc.lineno}")
    if not isinstance(data, dict):
        raise error(str(path), "expected a JSON object")
    return data


def iter_json_objects(
    path: Path, max_bytes: int = DEFAULT_MAX_BYTES, what: str = "a JSON object",
    on_error: Callable[[InputError], None] | None = None,
) -> Iterator[tuple[str, int, dict]]:
    """("path:line", line number, object) for each non-blank line of a JSONL file, read one line at a time.

    A line that is not UTF-8, not JSON, nested too deep, or not an object raises InputError naming the file and
    line (``what`` says what each line should be); with ``on_error`` it is reported there and the next line read.
    """
    with _open_bounded(path) as handle:
        _refuse_wide_encoding(handle.peek(4)[:4], str(path))
        number = bad_in_a_row = 0
        while True:
            raw = handle.readline(max_bytes + 1)
            if not raw:
                break
            number += 1
            where = f"{path}:{number}"
            if len(raw) > max_bytes and not raw.endswith(b"\n"):
                # the next line starts who knows where (a device may never end a line): the rest is not read
                raise _over_limit(where, max_bytes, "is a line over")
            try:
                if not raw.strip():
                    continue
                record = _json_line(raw, where, max_bytes, what)
                bad_in_a_row = 0
                yield where, number, record
            except InputError as error:
                if on_error is None:
                    raise
                on_error(error)
                bad_in_a_row += 1
                if bad_in_a_row >= MAX_BAD_LINES_IN_A_ROW:  # random bytes, or not JSONL at all: an endless stream of errors
                    raise InputError(str(path), f"{bad_in_a_row:,} lines in a row are not JSON objects; it is not a "
                                                "JSONL file, and the rest of it is not read") from None


def _json_line(raw: bytes, where: str, max_bytes: int, what: str) -> dict:
    record = _loads(_decode(raw, where, max_bytes).strip(), where, InputError,
                    lambda exc: f"not valid JSON ({exc.msg} at column {exc.colno})")
    if not isinstance(record, dict):
        raise InputError(where, f"each line must be {what}")
    return record


def _field(record: dict, key: str, where: str) -> str | None:
    """A string field of a JSONL record as text that can be stored (None when absent or empty)."""
    value = record.get(key)
    if value is None or isinstance(value, (dict, list)):
        return None
    text = str(value) if not isinstance(value, int) or abs(value) < 10**100 else None
    if text is None:
        raise InputError(where, f'"{key}" is a number of more than 100 digits; give it as a string')
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise InputError(where, f'"{key}" holds a lone surrogate ({text[exc.start]!r} at {exc.start}), which is not '
                                "text; fix the \\u escape that wrote it") from None
    return text or None


def _read_jsonl(path: Path, max_bytes: int, base: str, on_error: Callable[[InputError], None] | None = None,
                on_warning: Callable[[InputError], None] | None = None) -> Iterator[Document]:
    reported = 0

    def report(error: InputError) -> None:
        nonlocal reported
        reported += 1
        on_error(error)  # type: ignore[misc]

    lines: dict[str, int] = {}  # document IRI -> the line that gave it
    for where, number, record in iter_json_objects(path, max_bytes, 'a JSON object with a "text" field',
                                                   report if on_error else None):
        try:
            document = _jsonl_document(path, where, number, record, base, on_warning)
            if document.id in lines:
                raise InputError(where, f"names the same article as line {lines[document.id]} (the same \"id\" or "
                                        "\"url\"); ids must be unique within a file")
            lines[document.id] = number
            yield document
        except InputError as error:
            if on_error is None:
                raise
            report(error)
    if not lines and not reported:
        raise InputError(str(path), "is empty: no JSON lines with article text")


def _jsonl_document(path: Path, where: str, number: int, record: dict, base: str,
                    on_warning: Callable[[InputError], None] | None) -> Document:
    key = next((k for k in ("text", "content", "body")
                if isinstance(record.get(k), str) and any(ch.isalnum() for ch in record[k])), None)
    if key is None:
        raise InputError(where, "has no \"text\" field with article text")
    text = _field(record, key, where) or ""
    url = safe_url(_field(record, "url", where))
    title = _field(record, "title", where) or _headline(text)
    published = publication_date(record.get("published") or record.get("date"), where, on_warning)
    record_id = _field(record, "id", where)
    anchor = f"#{quote(record_id, safe='')}" if record_id is not None else f"#L{number}"
    uri = url or path.resolve().as_uri() + anchor
    return Document(id=document_iri(uri, base), text=_normalized(text), title=unicodedata.normalize("NFC", title), url=url,
                    published=published, source=where, uri=uri)
