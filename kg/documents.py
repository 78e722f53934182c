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

import hashlib
import json
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from urllib.parse import quote

from markdown_it import MarkdownIt
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from .errors import InputError, KGError
from .model import Document

__all__ = ["read_documents", "iter_paths", "safe_url", "safe_iri", "SUFFIXES", "DEFAULT_MAX_BYTES", "document_iri", "DEFAULT_BASE"]

SUFFIXES = {".txt", ".md", ".markdown", ".html", ".htm", ".jsonl"}
DEFAULT_MAX_BYTES = 20 * 1024 * 1024
DEFAULT_BASE = "https://w3id.org/kgnews/id/"
_BLOCKS = "p, h1, h2, h3, h4, h5, h6, li, blockquote, figcaption, pre, td"
_DROP = "script, style, noscript, nav, footer, header, aside, form, iframe, svg, template"


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

    >>> safe_iri("urn:x> } DROP ALL { <y")
    'urn:x%3E%20%7D%20DROP%20ALL%20%7B%20%3Cy'
    """
    return quote(text, safe=":/?#[]@!$&'()*+,;=%~-._")


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


def read_documents(paths: Iterable[str | Path], *, max_bytes: int = DEFAULT_MAX_BYTES, base: str = DEFAULT_BASE) -> Iterator[Document]:
    """Read every article under ``paths``, lazily, in order."""
    for path in iter_paths(paths):
        if path == "-":
            data = sys.stdin.buffer.read(max_bytes + 1)
            yield _from_text(_decode(data, "<stdin>", max_bytes), "<stdin>", None, base)
            continue
        assert isinstance(path, Path)
        suffix = path.suffix.lower()
        if suffix == ".jsonl":
            yield from _read_jsonl(path, max_bytes, base)
            continue
        try:
            size = path.stat().st_size
            if size > max_bytes:
                raise InputError(str(path), f"is {size / 1e6:.1f} MB, over the {max_bytes / 1e6:.0f} MB limit for one article (raise it with --max-bytes)")
            data = path.read_bytes()
        except OSError as exc:
            raise InputError(str(path), f"cannot be read: {exc.strerror or exc}") from exc
        text = _decode(data, str(path), max_bytes)
        if suffix in {".html", ".htm"}:
            yield _from_html(text, str(path), base)
        elif suffix in {".md", ".markdown"}:
            yield _from_markdown(text, str(path), base)
        else:
            yield _from_text(text, str(path), path, base)


def _decode(data: bytes, where: str, max_bytes: int) -> str:
    if len(data) > max_bytes:
        raise InputError(where, f"is over the {max_bytes / 1e6:.0f} MB limit for one article (raise it with --max-bytes)")
    if b"\x00" in data[:8192]:
        raise InputError(where, "looks like a binary file (it contains NUL bytes), not a text article")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            where,
            f"is not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}); convert it first, e.g. iconv -f latin1 -t utf-8",
        ) from exc
    if not text.strip():
        raise InputError(where, "is empty: there is no text to read")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _source_uri(path: Path | None, text: str) -> str:
    if path is not None:
        return path.resolve().as_uri()
    return "urn:sha256:" + hashlib.sha256(text.encode()).hexdigest()


def _headline(text: str) -> str:
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    return first if len(first) <= 200 and not first.endswith((".", "?", "!")) else ""


def _from_text(text: str, where: str, path: Path | None, base: str) -> Document:
    uri = _source_uri(path, text)
    return Document(id=document_iri(uri, base), text=text, title=_headline(text), source=where, uri=uri)


def _html_text(tree: HTMLParser) -> str:
    for node in tree.css(_DROP):
        node.decompose()
    root = tree.css_first("article") or tree.css_first("main") or tree.body or tree.root
    if root is None:
        return ""
    blocks = [" ".join(node.text(separator=" ").split()) for node in root.css(_BLOCKS)]
    blocks = [b for b in blocks if b]
    return "\n\n".join(blocks) if blocks else " ".join(root.text(separator=" ").split())


def _meta(tree: HTMLParser, *selectors: str) -> str | None:
    for selector in selectors:
        node = tree.css_first(selector)
        if node is None:
            continue
        value = node.attributes.get("content") or node.attributes.get("href") or node.attributes.get("datetime") or node.text()
        if value and value.strip():
            return value.strip()
    return None


def _from_html(html: str, where: str, base: str) -> Document:
    tree = HTMLParser(html)
    title = _meta(tree, 'meta[property="og:title"]', "title", "h1") or ""
    url = safe_url(_meta(tree, 'link[rel="canonical"]', 'meta[property="og:url"]'))
    published = _meta(tree, 'meta[property="article:published_time"]', 'meta[name="date"]', "time[datetime]")
    text = _html_text(tree)
    if not text.strip():
        raise InputError(where, "has no article text (no paragraphs found in the HTML)")
    if title and not text.startswith(title):
        text = f"{title}\n\n{text}"
    uri = url or Path(where).resolve().as_uri()
    return Document(id=document_iri(uri, base), text=text, title=" ".join(title.split()), url=url,
                    published=(published or "")[:10] or None, source=where, uri=uri)


def _from_markdown(markdown: str, where: str, base: str) -> Document:
    tree = HTMLParser(MarkdownIt().render(markdown))
    heading = tree.css_first("h1, h2")
    title = " ".join(heading.text().split()) if heading else _headline(markdown)
    text = _html_text(tree)
    if not text.strip():
        raise InputError(where, "has no text once the Markdown is rendered")
    uri = Path(where).resolve().as_uri()
    return Document(id=document_iri(uri, base), text=text, title=title, source=where, uri=uri)


def read_json_object(path: str | Path, error: type[KGError] = InputError) -> dict:
    """The JSON object a whole file holds; ``error`` (InputError, OntologyError ...) names the file and problem."""
    path = Path(path)
    if not path.is_file():
        raise error(str(path), "no such file")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        raise error(str(path), f"not UTF-8 text (byte {exc.start})") from exc
    except json.JSONDecodeError as exc:
        raise error(str(path), f"not valid JSON: {exc.msg} at line {exc.lineno}") from exc
    if not isinstance(data, dict):
        raise error(str(path), "expected a JSON object")
    return data


def iter_json_objects(path: Path, max_bytes: int = DEFAULT_MAX_BYTES, what: str = "a JSON object") -> Iterator[tuple[str, int, dict]]:
    """("path:line", line number, object) for each non-blank line of a JSONL file.

    A line that is not UTF-8, not JSON or not an object raises InputError naming the file and line; ``what``
    says what each line should be.
    """
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise InputError(str(path), f"cannot be read: {exc.strerror or exc}") from exc
    with handle:
        for number, raw in enumerate(handle, 1):
            where = f"{path}:{number}"
            if not raw.strip():
                continue
            line = _decode(raw, where, max_bytes)
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError(where, f"not valid JSON ({exc.msg} at column {exc.colno})") from exc
            if not isinstance(record, dict):
                raise InputError(where, f"each line must be {what}")
            yield where, number, record


def _read_jsonl(path: Path, max_bytes: int, base: str) -> Iterator[Document]:
    seen_any = False
    for where, number, record in iter_json_objects(path, max_bytes, 'a JSON object with a "text" field'):
        text = record.get("text") or record.get("content") or record.get("body")
        if not isinstance(text, str) or not text.strip():
            raise InputError(where, "has no \"text\" field with article text")
        seen_any = True
        url = safe_url(record.get("url"))
        title = str(record.get("title") or "") or _headline(text)
        published = record.get("published") or record.get("date")
        anchor = f"#{quote(str(record['id']), safe='')}" if record.get("id") is not None else f"#L{number}"
        uri = url or path.resolve().as_uri() + anchor
        yield Document(id=document_iri(uri, base), text=text.replace("\r\n", "\n"), title=title, url=url,
                       published=str(published)[:10] if published else None, source=where, uri=uri)
    if not seen_any:
        raise InputError(str(path), "is empty: no JSON lines with article text")
