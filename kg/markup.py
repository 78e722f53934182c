"""Markup to plain parts: HTML (lexbor, through selectolax) and Markdown (markdown-it) in, title, links and text out.

:func:`html_parts` and :func:`markdown_parts` are plain functions; :mod:`kg.documents` turns their parts into a
:class:`~kg.model.Document`. Both parsers are libraries that no timer signal interrupts mid-parse, so a large page
is parsed by :class:`MarkupParser` in a child process that is killed when it runs past its time limit. The child
is this file run as a script: it imports only the standard library, selectolax and markdown-it, so it starts in a
fraction of a second and never imports the rest of kg.

Frames on the child's pipes: a 4-byte big-endian length, then a pickle of plain values: ``(kind, text)`` in,
``("ok", parts)`` or ``("error", message)`` out.
"""

from __future__ import annotations

import os
import pickle
import re
import select
import struct
import subprocess
import sys
import time

from markdown_it import MarkdownIt
from selectolax.lexbor import LexborHTMLParser as HTMLParser

__all__ = ["html_parts", "markdown_parts", "nesting_problem", "MarkupParser", "MarkupTimeout", "IN_PROCESS_CHARS",
           "MAX_HTML_DEPTH", "MAX_HTML_ATTRIBUTES"]

_BLOCKS = "p, h1, h2, h3, h4, h5, h6, li, blockquote, figcaption, pre, td"
_DROP = "script, style, noscript, nav, footer, header, aside, form, iframe, svg, template"
_HEADER = struct.Struct(">I")
IN_PROCESS_CHARS = 256 * 1024  # markup this long or shorter is parsed in-process (bounded by the nesting scan)


# An HTML parser spends the square of some shapes of markup: elements left open inside each other (each start tag
# looks down the stack of open elements: 200,000 unclosed <blockquote> or <span> take minutes) and one tag with
# very many attributes (each is checked against the ones before it). No article page needs either, so a page is
# scanned for them first, in one linear pass, and refused when it has them.
MAX_HTML_DEPTH = 2_000
MAX_HTML_ATTRIBUTES = 1_000
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr",
         "basefont", "bgsound", "frame", "keygen", "image", "isindex"}
# closed by the next sibling of their kind without an end tag: they do not deepen the stack
_SELF_CLOSING = {"p", "li", "dt", "dd", "td", "th", "tr", "thead", "tbody", "tfoot", "colgroup", "caption", "option",
                 "optgroup", "rt", "rp", "rb", "rtc", "html", "head", "body"}
_RAW_TEXT = {"script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "plaintext"}
_FOREIGN = {"svg", "math"}  # inside them, <script> or <title> is an ordinary element, not raw text
_TAG_NAME = re.compile(r"</?([A-Za-z][^\s/>]*)")
_ATTRIBUTE = re.compile(r"""[\s/]*(?:([^\s"'>/=][^\s"'>/=]*)(?:\s*=\s*(?:"[^"]*"?|'[^']*'?|[^\s>]*))?)?""")
_COMMENT_END = re.compile(r"--!?>")


def nesting_problem(html: str) -> str | None:
    """What makes a page too costly to parse, or None: elements left open more than :data:`MAX_HTML_DEPTH` deep,
    or a tag with more than :data:`MAX_HTML_ATTRIBUTES` attributes. One pass, linear in the page's length, that reads comments, bogus
    comments (``<!x>``, ``<?x>``), raw text (``<script>``, ``<style>`` ..., but not inside ``<svg>``) and end tags
    the way an HTML parser does: an end tag closes what is open above its element, and one that matches nothing
    open closes nothing."""
    stack: list[str] = []
    open_count: dict[str, int] = {}
    foreign, at, size = 0, 0, len(html)
    while True:
        at = html.find("<", at)
        if at < 0 or at + 1 >= size:
            return None
        if html.startswith("<!--", at):
            if html.startswith(">", at + 4) or html.startswith("->", at + 4):  # <!--> and <!---> are whole comments
                at += 5
                continue
            close = _COMMENT_END.search(html, at + 4)
            if close is None:
                return None
            at = close.end()
            continue
        if html[at + 1] in "!?":  # <!DOCTYPE ...>, <![CDATA[ ...]]> outside foreign content, <?x ...>: up to ">"
            close = html.find(">", at + 2)
            if close < 0:
                return None
            at = close + 1
            continue
        tag = _TAG_NAME.match(html, at)
        if tag is None:
            at += 1
            continue
        name, closing = tag.group(1).lower(), html[at + 1] == "/"
        at, attributes = tag.end(), 0
        while at < size and html[at] != ">":  # the attributes, quoted values skipped whole
            attribute = _ATTRIBUTE.match(html, at)
            if attribute.end() == at:
                at += 1
                continue
            attributes += attribute.group(1) is not None
            at = attribute.end()
        if attributes > MAX_HTML_ATTRIBUTES:
            return (f"has a <{name[:20]}> tag with more than {MAX_HTML_ATTRIBUTES:,} attributes; it is not an article "
                    "page kg can read")
        if name in _VOID or name in _SELF_CLOSING:
            continue
        if closing:
            if open_count.get(name):
                while stack:  # the end tag closes its element and everything left open inside it
                    popped = stack.pop()
                    open_count[popped] -= 1
                    foreign -= popped in _FOREIGN
                    if popped == name:
                        break
            continue
        if name in _RAW_TEXT and not foreign:
            end = re.compile(rf"</{re.escape(name)}[\s/>]", re.IGNORECASE).search(html, at)
            if end is None:
                return None
            at = end.start()
            continue
        stack.append(name)
        open_count[name] = open_count.get(name, 0) + 1
        foreign += name in _FOREIGN
        if len(stack) > MAX_HTML_DEPTH:
            return (f"leaves elements (div, span, b ...) open more than {MAX_HTML_DEPTH:,} deep; it is not an article "
                    "page kg can read")


class MarkupTimeout(Exception):
    """The child process ran past its time limit and was killed."""


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


def html_parts(html: str) -> dict[str, str | None]:
    """``title``, ``url`` and ``published`` as the page gives them (not yet checked) and the article ``text``."""
    tree = HTMLParser(html)
    return {
        "title": _meta(tree, 'meta[property="og:title"]', "title", "h1") or "",
        "url": _meta(tree, 'link[rel="canonical"]', 'meta[property="og:url"]'),
        "published": _meta(tree, 'meta[property="article:published_time"]', 'meta[name="date"]', "time[datetime]"),
        "text": _html_text(tree),
    }


def markdown_html(markdown: str) -> str:
    """Markdown rendered to HTML (CommonMark; raw HTML is kept)."""
    return MarkdownIt().render(markdown)


def markdown_parts(html: str) -> dict[str, str | None]:
    """``heading`` (the first h1 or h2) and ``text`` of rendered Markdown."""
    tree = HTMLParser(html)
    heading = tree.css_first("h1, h2")
    return {"heading": " ".join(heading.text().split()) if heading else None, "text": _html_text(tree)}


def _parts(kind: str, text: str) -> dict[str, str | None]:
    """The parts of an HTML page or a Markdown text (rendered first), or ``{"problem": ...}`` when the HTML is too
    costly to parse (:func:`nesting_problem`; Markdown may carry raw HTML)."""
    html = text if kind == "html" else markdown_html(text)
    problem = nesting_problem(html)
    if problem is not None:
        return {"problem": problem}
    return html_parts(html) if kind == "html" else markdown_parts(html)


class MarkupParser:
    """Parses markup, a long text in a child process that is killed past ``seconds`` (:class:`MarkupTimeout`).

    The child starts on the first long text and serves the rest of the build; :meth:`close` stops it.
    """

    def __init__(self) -> None:
        self._child: subprocess.Popen | None = None

    def parts(self, kind: str, text: str, seconds: float | None) -> dict[str, str | None]:
        """:func:`html_parts` (``kind="html"``) or :func:`markdown_parts` (``"markdown"``, of rendered HTML)."""
        if seconds is None or len(text) <= IN_PROCESS_CHARS:
            return _parts(kind, text)
        child = self._start()
        deadline = time.monotonic() + seconds
        try:
            _write(child.stdin, (kind, text))
            status, value = _read(child.stdout.fileno(), deadline)
        except (MarkupTimeout, OSError, EOFError, pickle.UnpicklingError) as error:
            self.close()
            if isinstance(error, MarkupTimeout):
                raise
            return _parts(kind, text)  # the child died: parse here, as a small text would be
        if status != "ok":
            raise ValueError(value)
        return value

    def _start(self) -> subprocess.Popen:
        if self._child is None or self._child.poll() is not None:
            self._child = subprocess.Popen([sys.executable, os.path.abspath(__file__)], stdin=subprocess.PIPE,
                                           stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        return self._child

    def close(self) -> None:
        """Stop the child process, if one was started."""
        if self._child is not None:
            self._child.kill()
            self._child.wait()
            for pipe in (self._child.stdin, self._child.stdout):
                pipe.close()
            self._child = None


def _write(pipe, value: object) -> None:
    data = pickle.dumps(value)
    pipe.write(_HEADER.pack(len(data)) + data)
    pipe.flush()


def _read(fd: int, deadline: float | None) -> object:
    """One frame from a pipe; MarkupTimeout when it has not all come by ``deadline`` (None: wait)."""
    def exactly(size: int) -> bytes:
        chunks, got = [], 0
        while got < size:
            if deadline is not None:
                left = deadline - time.monotonic()
                if left <= 0 or not select.select([fd], [], [], left)[0]:
                    raise MarkupTimeout
            chunk = os.read(fd, size - got)
            if not chunk:
                raise EOFError
            chunks.append(chunk)
            got += len(chunk)
        return b"".join(chunks)

    (size,) = _HEADER.unpack(exactly(_HEADER.size))
    return pickle.loads(exactly(size))


def _serve() -> None:
    """The child's loop: parse each text it is sent until its input closes."""
    stdin = sys.stdin.buffer.fileno()
    stdout = sys.stdout.buffer
    while True:
        try:
            kind, text = _read(stdin, None)
        except EOFError:
            return
        try:
            reply = ("ok", _parts(kind, text))
        except Exception as exc:  # noqa: BLE001 - handed to the parent, which decides
            reply = ("error", f"{type(exc).__name__}: {exc}")
        _write(stdout, reply)


if __name__ == "__main__":
    _serve()
