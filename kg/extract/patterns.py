"""Relation patterns learned from example sentences with their gold triples, and applied to new sentences.

A pattern is what connects two mentions in a parse: the dependency path between them at five levels of detail
(``full``: every word on the path; ``edges``: the edge labels with the word next to the object; ``local``: the
object's end of the path up to its first content word; ``trigger``: only that end's words; ``shape``: only its
edges), with the kinds of the two mentions (spaCy's entity label, ``TOPIC`` for the name a sentence is about,
``NAME`` for a run of capitalised words, ``NOUN`` for a noun phrase, ``MOD`` for the modifiers of a noun:
"comedy horror" in "a comedy horror film"; ``*`` for any object).
``learn`` counts, for each pattern and relation, how often the pattern joins a gold pair (hits) and how often it
fires at all in sentences that state the relation (fires). ``PatternSet.extract`` keeps a pair when its best
pattern is precise enough.

Learned patterns are a TSV file, one record per line, that reads and diffs well::

    pattern  director  local  TOPIC  *  direct >agent by >pobj  41  44
    format   publication date  date-dmy
    alias    country of origin  Japanese  Japan

>>> nlp = __import__("kg.nlp", fromlist=["load_nlp"]).load_nlp()
>>> examples = [("Heat is a 1995 film directed by Michael Mann.", [("Heat", "director", "Michael Mann")]),
...             ("Ronin is a 1998 film directed by John Frankenheimer.", [("Ronin", "director", "John Frankenheimer")])]
>>> patterns = learn(nlp, examples)
>>> patterns.extract(nlp("Thief is a 1981 film directed by Michael Mann."))[0].triple
('Thief', 'director', 'Michael Mann')
"""

from __future__ import annotations

import re
import weakref
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

from spacy.attrs import DEP, ENT_TYPE, HEAD, LEMMA, POS
from spacy.language import Language
from spacy.tokens import Doc, Span

from ..errors import InputError
from ..nlp import parse_texts, title_like
from .literals import parse_date, parse_number

__all__ = ["Candidate", "Match", "PatternSet", "PatternStats", "candidates", "learn", "learn_from_docs", "load_patterns", "render_value"]

LEVELS = ("full", "edges", "local", "trigger", "shape")
_HEADER = "# kg relation patterns v1: record<TAB>fields; see kg/extract/patterns.py"
_DETERMINERS = {"a", "an", "the", "this", "that", "these", "those", "its", "his", "her", "their"}
_PRONOUNS = {"it", "he", "she", "they", "this", "that", "which", "who", "film", "movie", "the film", "the movie"}
_LEADING_DETERMINER = re.compile(r"^(?:the|a|an)\s+(?=\S)")
_NON_ALNUM = re.compile(r"[\W_]+")
_DISAMBIGUATOR = re.compile(r"_?\([^)]*\)$")


@dataclass(frozen=True)
class Candidate:
    """A mention that may be the subject or the object of a relation."""

    text: str
    root: int  # index of the token the dependency path starts from
    kind: str  # spaCy entity label, or TOPIC / NAME / NOUN / MOD
    start: int
    end: int


@dataclass(frozen=True)
class Match:
    """A relation between two mentions found by a pattern; ``value`` is the object as the dataset writes it."""

    subject: Candidate
    relation: str
    object: Candidate
    value: str
    confidence: float
    pattern: str
    sentence: Span

    @property
    def triple(self) -> tuple[str, str, str]:
        return (self.subject.text, self.relation, self.value)


@dataclass
class PatternStats:
    """How often a pattern joined a gold pair for a relation (hits), and how often it fired (fires)."""

    hits: int = 0
    fires: int = 0

    def precision(self, prior: float = 1.0) -> float:
        """Hits over fires, with ``prior`` extra misses so that one lucky hit is not a sure pattern."""
        return self.hits / (self.fires + prior) if self.fires else 0.0


@dataclass
class PatternSet:
    """Learned patterns with the value formats and aliases of each relation."""

    patterns: dict[tuple[str, str, str, str], dict[str, PatternStats]] = field(default_factory=dict)
    formats: dict[str, str] = field(default_factory=dict)  # relation -> "date-dmy" | "date-iso" | "number-float" ...
    aliases: dict[tuple[str, str], str] = field(default_factory=dict)  # (relation, text) -> label
    min_precision: float = 0.5
    min_hits: int = 2
    margin: float = 0.1  # objects of one relation within this confidence of the sentence's best are all kept
    _lookups: dict[tuple[float, int], _Lookup] = field(default_factory=dict, init=False, repr=False, compare=False)

    @property
    def relations(self) -> set[str]:
        return {rel for by_rel in self.patterns.values() for rel in by_rel}

    def extract(self, doc: Doc | Span, sentences: Sequence[Span] | None = None) -> list[Match]:
        """Every pair of mentions a precise enough pattern joins, one subject per relation and object.

        ``sentences``: the document's sentences, when the caller has them already.
        """
        out: dict[tuple[str, str], Match] = {}
        sents = [doc] if isinstance(doc, Span) else sentences if sentences is not None else list(doc.sents)
        lookup = self._lookup()
        # the answers of one lookup are its own: a parse read again starts with none
        parse = replace(_Parse.cached(sents[0].doc), answers={}) if sents else None
        for sent in sents:
            cands = sentence_candidates(sent)
            for sub, obj in _pairs([c for c in cands if c.kind in lookup.subject_kinds], cands):
                for rel, confidence, key in lookup.best(parse, sub, obj):
                    value = self._render(rel, obj)
                    if value is None:
                        continue
                    match = Match(sub, rel, obj, value, confidence, key, sent)
                    kept = out.get((rel, value))
                    # the most confident subject; the sentence's topic on a tie
                    if kept is None or (kept.confidence, kept.subject.kind == "TOPIC") < (confidence, sub.kind == "TOPIC"):
                        out[(rel, value)] = match
        top: dict[str, float] = {}
        for match in out.values():
            top[match.relation] = max(top.get(match.relation, 0.0), match.confidence)
        # a sentence seldom states one relation many times: keep the objects near its best pattern for the relation
        return [m for m in out.values() if m.confidence >= top[m.relation] - self.margin]

    def _lookup(self) -> _Lookup:
        """The patterns that pass the thresholds, ready to look pairs up; built once per setting (a pattern set is
        complete once learned or loaded)."""
        setting = (self.min_precision, self.min_hits)
        if setting not in self._lookups:
            usable = {}
            for key, by_rel in self.patterns.items():
                kept = tuple((rel, p) for rel, stats in by_rel.items()
                             if stats.hits >= self.min_hits and (p := stats.precision()) >= self.min_precision)
                if kept:
                    usable[key] = kept
            self._lookups[setting] = _Lookup.of(usable, self.patterns)
        return self._lookups[setting]

    def _render(self, rel: str, obj: Candidate) -> str | None:
        alias = self.aliases.get((rel, obj.text.lower()))
        if alias:
            return alias
        style = self.formats.get(rel)
        if style:
            return render_value(obj.text, style)
        return obj.text

    def save(self, path: str | Path, source: str = "") -> None:
        """Write the patterns as TSV (sorted, so that relearning the same data gives the same file)."""
        lines = [_HEADER]
        if source:
            lines.append(f"# learned from {source}")
        lines.append(f"setting\tmin_precision\t{self.min_precision}")
        lines.append(f"setting\tmin_hits\t{self.min_hits}")
        lines.append(f"setting\tmargin\t{self.margin}")
        for rel, style in sorted(self.formats.items()):
            lines.append(f"format\t{rel}\t{style}")
        for (rel, text), label in sorted(self.aliases.items()):
            lines.append(f"alias\t{rel}\t{text}\t{label}")
        rows = []
        for (level, sk, ok, signature), by_rel in self.patterns.items():
            for rel, stats in by_rel.items():
                if stats.hits:
                    rows.append((rel, LEVELS.index(level), level, sk, ok, signature, stats.hits, stats.fires))
        for rel, _, level, sk, ok, signature, hits, fires in sorted(rows, key=lambda r: (r[0], r[1], -r[6], r[5], r[3], r[4])):
            lines.append(f"pattern\t{rel}\t{level}\t{sk}\t{ok}\t{signature}\t{hits}\t{fires}")
        Path(path).write_text("\n".join(lines) + "\n", encoding="utf-8")


_Table = dict[str, tuple[tuple[str, float], ...]]  # signature -> (relation, precision) of its usable patterns
_END_LEVELS = ("local", "trigger", "shape")  # the levels read off the object's end of a path (see _object_end)
_STAR_LEVELS = _END_LEVELS[:2]  # the levels that also back off to any object kind ("*"), see pattern_keys


@dataclass(frozen=True)
class _Plan:
    """How pairs of one (subject kind, object kind) are looked up: the tables of the levels some usable pattern
    has, and what a path must have for its ``full`` or ``edges`` signature to be worth building."""

    full: _Table | None
    edges: _Table | None
    ends: tuple[tuple[str, str, int, _Table], ...]  # (level, object kind or "*", index in _END_LEVELS, table)
    lengths: frozenset[int]  # edge counts of the learned paths between these kinds
    learned_edges: frozenset[str]  # every learned edges signature between these kinds


@dataclass
class _Lookup:
    """The usable patterns of a set, arranged so that the pair loop builds no key and no path string in vain.

    Most pairs need no ``full`` or ``edges`` signature: those are built only when the path's length is one a
    learned path had, and a ``full`` path only when its ``edges`` signature is a learned one (learning records
    every level of a gold pair, and a full path fixes its edges signature). The rest is read off the object's end
    of the path, worked out once per meeting token and object.
    """

    tables: dict[tuple[str, str, str], _Table]  # (level, subject kind, object kind or "*") -> table
    lengths: dict[tuple[str, str], frozenset[int]]
    learned_edges: dict[tuple[str, str], frozenset[str]]
    subject_kinds: set[str]
    plans: dict[tuple[str, str], _Plan | None] = field(default_factory=dict)

    @classmethod
    def of(cls, usable: dict, learned: dict) -> _Lookup:
        tables: dict[tuple[str, str, str], _Table] = defaultdict(dict)
        for (level, sk, ok, sig), rels in usable.items():
            tables[(level, sk, ok)][sig] = rels
        lengths: dict[tuple[str, str], set[int]] = defaultdict(set)
        edges: dict[tuple[str, str], set[str]] = defaultdict(set)
        for level, sk, ok, sig in learned:
            if level == "edges":
                edges[(sk, ok)].add(sig)
                lengths[(sk, ok)].add(sum(part[0] in "<>" for part in sig.split()))
        return cls(dict(tables), {k: frozenset(v) for k, v in lengths.items()}, {k: frozenset(v) for k, v in edges.items()},
                   {sk for _, sk, _ in tables})

    def plan(self, sk: str, ok: str) -> _Plan | None:
        """The plan for a pair of kinds (None: no usable pattern joins them), made on first use."""
        if (sk, ok) not in self.plans:
            ends = tuple((level, o, n, self.tables[(level, sk, o)])
                         for o, levels in ((ok, _END_LEVELS), ("*", _STAR_LEVELS))
                         for n, level in enumerate(levels) if (level, sk, o) in self.tables)
            full, edges = self.tables.get(("full", sk, ok)), self.tables.get(("edges", sk, ok))
            self.plans[(sk, ok)] = _Plan(full, edges, ends, self.lengths.get((sk, ok), frozenset()),
                                         self.learned_edges.get((sk, ok), frozenset())) if ends or full or edges else None
        return self.plans[(sk, ok)]

    def best(self, parse: _Parse, sub: Candidate, obj: Candidate) -> list[tuple[str, float, str]]:
        """(relation, precision, pattern) of the most precise pattern per relation that joins the pair; on a tie
        the more specific pattern (the order of :func:`pattern_keys`) names it."""
        plan = self.plan(sub.kind, obj.kind)
        path = _path(parse, sub.root, obj.root) if plan is not None else None
        if path is None:
            return []
        ups, downs = path
        whole = (plan.full is not None or plan.edges is not None) and len(ups) - 1 + len(downs) in plan.lengths
        if not whole:  # only the object's end of the path counts: subjects meeting it at the same token share the answer
            end_key = (sub.kind, obj.kind, _end_key(ups, downs))
            cached = parse.answers.get(end_key)
            if cached is not None:
                return cached
        found = []
        if whole:
            edges, words = _edge_parts(parse, ups, downs)
            signature = _edges(edges, words)
            if plan.full is not None and signature in plan.learned_edges:
                full = _full(edges, words)
                if full in plan.full:
                    found.append(("full", obj.kind, full, plan.full[full]))
            if plan.edges is not None and signature in plan.edges:
                found.append(("edges", obj.kind, signature, plan.edges[signature]))
        end = _object_end(parse, ups, downs)
        for level, o, n, table in plan.ends:
            rels = table.get(end[n])
            if rels is not None:
                found.append((level, o, end[n], rels))
        best: dict[str, tuple[float, str]] = {}
        for level, o, sig, rels in found:
            for rel, p in rels:
                if rel not in best or p > best[rel][0]:
                    best[rel] = (p, "\t".join((level, sub.kind, o, sig)))
        answer = [(rel, p, key) for rel, (p, key) in best.items()]
        if not whole:
            parse.answers[end_key] = answer
        return answer


def load_patterns(path: str | Path) -> PatternSet:
    """Read a pattern file written by ``PatternSet.save`` (``kg learn``); InputError names a bad line."""
    path = Path(path)
    if not path.is_file():
        raise InputError(str(path), "no such pattern file")
    patterns = PatternSet()
    try:
        lines = [line.rstrip("\r") for line in path.read_text(encoding="utf-8").split("\n")]
    except UnicodeDecodeError as exc:
        raise InputError(str(path), f"not UTF-8 text (byte {exc.start})") from exc
    for number, line in enumerate(lines, 1):
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        try:
            if cols[0] == "pattern" and len(cols) == 8 and cols[2] in LEVELS:
                key = (cols[2], cols[3], cols[4], cols[5])
                patterns.patterns.setdefault(key, {})[cols[1]] = PatternStats(int(cols[6]), int(cols[7]))
            elif cols[0] == "format" and len(cols) == 3:
                patterns.formats[cols[1]] = cols[2]
            elif cols[0] == "alias" and len(cols) == 4:
                patterns.aliases[(cols[1], cols[2])] = cols[3]
            elif cols[0] == "setting" and len(cols) == 3 and cols[1] in ("min_precision", "min_hits", "margin"):
                setattr(patterns, cols[1], type(getattr(patterns, cols[1]))(cols[2]))
            else:
                raise ValueError(cols[0])
        except ValueError as exc:
            raise InputError(f"{path}:{number}", f"not a pattern record ({exc})") from exc
    if not patterns.patterns:
        raise InputError(str(path), "no patterns in the file")
    return patterns


# ------------------------------------------------------------------------------------------------ candidates


_T = TypeVar("_T")
_PER_DOC: weakref.WeakKeyDictionary[Doc, dict[Any, Any]] = weakref.WeakKeyDictionary()


def per_doc(doc: Doc, key: Any, make: Callable[[], _T]) -> _T:
    """What ``make`` works out from ``doc`` alone, worked out once per document for as long as the document lives
    (cross-validation reads the same parsed sentences for every fold and setting). ``key`` names the result and
    must fix everything ``make`` depends on besides the document; the result must not refer to the document (no
    Span or Token), or the document would never be freed."""
    cache = _PER_DOC.get(doc)
    if cache is None:
        cache = _PER_DOC[doc] = {}
    if key not in cache:
        cache[key] = make()
    return cache[key]


def chunk_bounds(doc: Doc) -> tuple[tuple[int, int, int], ...]:
    """(start, end, label) of the document's noun chunks, found once per document."""
    return per_doc(doc, "noun_chunks", lambda: tuple((c.start, c.end, c.label) for c in doc.noun_chunks)
                   if doc.has_annotation("DEP") else ())


def _noun_chunks(doc: Doc) -> list[Span]:
    """The document's noun chunks (``Span.noun_chunks`` finds the whole document's every time: found once)."""
    return [Span(doc, start, end, label=label) for start, end, label in chunk_bounds(doc)]


def sentence_candidates(sent: Span) -> list[Candidate]:
    """:func:`candidates` of a sentence of a document, worked out once per sentence (a new list each call)."""
    return list(per_doc(sent.doc, ("candidates", sent.start, sent.end), lambda: candidates(sent, _noun_chunks(sent.doc))))


def candidates(sent: Span, noun_chunks: Sequence[Span] | None = None) -> list[Candidate]:
    """Mentions in a sentence: its topic (the named thing it opens with or is about), entities, noun phrases, modifiers.

    ``noun_chunks``: the document's noun chunks (:func:`_noun_chunks`), when the caller reads many of its sentences.
    """
    doc = sent.doc
    found: list[Candidate] = []
    taken: set[tuple[int, int]] = set()

    def add(start: int, end: int, root: int, kind: str) -> None:
        start, end = _strip(doc, start, end)
        if end <= start or (start, end) in taken:
            return
        text = _LEADING_DETERMINER.sub("", doc[start:end].text)
        if text.lower() in _PRONOUNS or not any(ch.isalnum() for ch in text):
            return
        taken.add((start, end))
        found.append(Candidate(text, root, kind, start, end))

    topic = _lead_title(sent) or _named_subject(sent)
    if topic is not None:
        start, end = _strip(doc, topic.start, topic.end)
        add(topic.start, topic.end, doc[start:end].root.i if end > start else topic.root.i, "TOPIC")
    for token in sent:
        if token.ent_type_:
            add(token.i, token.i + 1, token.i, token.ent_type_)
    for run in _name_runs(sent):
        add(run.start, run.end, run.root.i, "NAME")
    chunks = _noun_chunks(doc) if noun_chunks is None else noun_chunks
    for chunk in (c for c in chunks if sent.start <= c.start and c.end <= sent.end):
        root = chunk.root  # Span.root walks the span: ask once
        if root.ent_type_:
            continue
        add(chunk.start, chunk.end, root.i, "NOUN")
        mods = [t for t in doc[chunk.start : root.i] if t.dep_ in ("compound", "amod") and not t.ent_type_ and not t.like_num]
        if mods and mods[-1].i == root.i - 1:
            run = [mods[-1]]
            for t in reversed(mods[:-1]):
                if t.i != run[0].i - 1:
                    break
                run.insert(0, t)
            add(run[0].i, run[-1].i + 1, run[-1].i, "MOD")
    return found


_CONNECTORS = {"of", "for", "the", "on", "in", "de", "d'", "la", "le", "to", "a", "an", "at", "'s", "&", "-", ":"}


def _name_runs(sent: Span) -> list[Span]:
    """Runs of capitalised words and names joined by small words: "Academy Award for Best Animated Short Film"."""
    runs, start = [], None
    tokens = list(sent)
    for n, t in enumerate(tokens + [None]):
        capital = t is not None and (t.ent_type_ not in ("", "DATE", "CARDINAL", "ORDINAL") or (t.text[:1].isupper() and t.is_alpha)) and t.i > sent.start
        joiner = t is not None and t.lower_ in _CONNECTORS and start is not None
        if capital or joiner:
            start = t.i if start is None else start
            continue
        if start is not None:
            end = (t.i if t is not None else sent.end)
            while end > start and sent.doc[end - 1].lower_ in _CONNECTORS:
                end -= 1
            span = sent.doc[start:end]
            if len(span) > 1 and sum(1 for x in span if x.lower_ not in _CONNECTORS) > 1:
                runs.append(span)
            start = None
    return runs


def _strip(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """A mention's span without the articles and punctuation around it; a name after a number in brackets
    takes it in ("(29075) 1950 DA", as minor planets are named)."""
    while start < end and (doc[start].lower_ in _DETERMINERS and doc[start].text.islower() or doc[start].is_punct):
        if _numbered(doc, start + 3) and end > start + 3:
            break
        start += 1
    if _numbered(doc, start) and end > start:
        start -= 3
    while end > start and (doc[end - 1].is_punct or doc[end - 1].tag_ == "POS"):
        end -= 1
    return start, end


def _numbered(doc: Doc, start: int) -> bool:
    """Whether the token at ``start`` follows a number in brackets: "(29075) 1950 DA"."""
    return start >= 3 and doc[start - 3].text == "(" and doc[start - 2].like_num and doc[start - 1].text == ")" \
        and start < len(doc) and not doc[start].is_punct


def _named_subject(sent: Span) -> Span | None:
    """The subject of the main verb when it is a name ("The Boys of Paul Street (...) is a 1969 film")."""
    root = sent.root
    subj = next((c for c in root.children if c.dep_ in ("nsubj", "nsubjpass") and c.i < root.i), None)
    if subj is None:
        return None
    tokens = list(subj.subtree)
    start = tokens[0].i
    span = sent.doc[start:_name_end(sent.doc, start, tokens[-1].i + 1, ("(", "["))]
    if not len(span) or not (span[0].text[:1].isupper() or span[0].like_num):
        return None
    return span if _has_name(span) else None


def _lead_title(sent: Span) -> Span | None:
    """The words before the sentence's first "is"/"was" (and before any parenthesis), when they look like a name.

    Encyclopedic and news sentences open with the thing they describe: "Urusei Yatsura 2 (Japanese: ...) is a
    1984 film". The parser often splits such names; the copula does not move.
    """
    doc = sent.doc
    be = next((t for t in sent if t.lemma_ == "be" and t.i > sent.start), None)
    if be is None:
        return None
    end = _name_end(doc, sent.start, be.i, ("(", "[", ";"))
    start = sent.start
    for t in doc[sent.start:end]:  # "The studio's first film, Chicken Run was ...": the name follows the comma
        if t.text == "," and not title_like(doc[start:t.i].text):
            start = t.i + 1
    span = doc[start:end]
    if not 0 < len(span) <= 12 or not (span[0].text[:1].isupper() or span[0].like_num):
        return None
    if any(t.pos_ in ("VERB", "AUX") and t.text.islower() for t in span):
        return None
    if span.text.lower() in _PRONOUNS or span[0].lower_ in ("it", "he", "she", "they", "this", "these", "in", "on", "at"):
        return None
    return span if _has_name(span) or title_like(span.text) else None


def _name_end(doc: Doc, start: int, end: int, stops: tuple[str, ...]) -> int:
    """Where a name that may run to ``end`` stops: at a bracket (or ``stops``), or a comma before a lower-case word."""
    for i in range(start, end):
        if doc[i].text in stops or (doc[i].text == "," and i + 1 < len(doc) and doc[i + 1].text[:1].islower()):
            return i
    return end


def _has_name(span: Span) -> bool:
    return any(t.pos_ == "PROPN" or t.ent_type_ or t.like_num for t in span)


def _overlap(a: Candidate, b: Candidate) -> bool:
    return a.start < b.end and b.start < a.end


def _pairs(subjects: Sequence[Candidate], objects: Sequence[Candidate]) -> Iterator[tuple[Candidate, Candidate]]:
    """Every (subject, object) pair of distinct, non-overlapping mentions."""
    for sub in subjects:
        for obj in objects:
            if sub is not obj and not _overlap(sub, obj):
                yield sub, obj


# ------------------------------------------------------------------------------------------------ paths


@dataclass(frozen=True)
class _Parse:
    """The parse as plain arrays: paths are walked for every pair of mentions, and spaCy tokens are slow to make.

    ``chains[i]`` runs from token ``i`` up to its root; ``depth[i]`` maps each token of that chain to its position.
    """

    dep: tuple[str, ...]
    word: tuple[str, ...]
    pos: tuple[str, ...]
    chains: tuple[tuple[int, ...], ...]
    depth: tuple[dict[int, int], ...]
    up_edge: tuple[str, ...]  # "<nsubj": the edge from a token up to its head
    down_edge: tuple[str, ...]  # ">pobj": the edge from a head down to the token
    ends: dict[tuple[int, int, int], tuple[str, str, str]] = field(default_factory=dict, compare=False)  # see _object_end
    answers: dict[tuple, list] = field(default_factory=dict, compare=False)  # see _Lookup.best

    @classmethod
    def cached(cls, doc: Doc) -> _Parse:
        """The document's parse, made once; its ``answers`` are shared by every caller (see :meth:`_Lookup.best`)."""
        return per_doc(doc, "parse", lambda: cls.of(doc))

    @classmethod
    def of(cls, doc: Doc) -> _Parse:
        rows = doc.to_array([HEAD, DEP, ENT_TYPE, LEMMA, POS]).tolist()  # one C call; Token objects are slow to make
        text: dict[int, str] = {0: ""}

        def string(n: int) -> str:
            if n not in text:
                text[n] = doc.vocab.strings[n]
            return text[n]

        head = tuple(i + (h if h < 1 << 63 else h - (1 << 64)) for i, (h, *_) in enumerate(rows))  # HEAD is relative, unsigned
        dep = tuple(string(r[1]) for r in rows)
        chains = []
        for i in range(len(head)):
            chain = [i]
            while head[chain[-1]] != chain[-1] and len(chain) <= len(head):
                chain.append(head[chain[-1]])
            chains.append(tuple(chain))
        return cls(
            dep, tuple(string(r[2]) or string(r[3]).lower() for r in rows), tuple(string(r[4]) for r in rows),
            tuple(chains), tuple({t: n for n, t in enumerate(c)} for c in chains),
            tuple("<" + d for d in dep), tuple(">" + d for d in dep),
        )


def signatures(doc: Doc, a: int, b: int) -> dict[str, str]:
    """The dependency path from token ``a`` to token ``b`` at each level of detail (see the module docstring).

    >>> nlp = __import__("kg.nlp", fromlist=["load_nlp"]).load_nlp()
    >>> doc = nlp("Heat is a film directed by Michael Mann.")
    >>> signatures(doc, 0, 6)["local"]
    'direct >agent by >pobj'
    """
    return _signatures(_Parse.of(doc), a, b)


def _signatures(parse: _Parse, a: int, b: int) -> dict[str, str]:
    path = _path(parse, a, b)
    if path is None:
        return {}
    ups, downs = path
    edges, words = _edge_parts(parse, ups, downs)
    local, trigger, shape = _object_end(parse, ups, downs)
    return {"full": _full(edges, words), "edges": _edges(edges, words), "local": local, "trigger": trigger, "shape": shape}


def _path(parse: _Parse, a: int, b: int) -> tuple[tuple[int, ...], tuple[int, ...]] | None:
    """The tokens from ``a`` up to where its chain meets ``b``'s (inclusive), and from there down to ``b``."""
    up, down_index = parse.chains[a], parse.depth[b]
    for meet, top in enumerate(up):
        if top in down_index:
            break
    else:
        return None
    below = down_index[top]
    return up[: meet + 1], (parse.chains[b][below - 1 :: -1] if below else ())  # downs: top to bottom


def _edge_parts(parse: _Parse, ups: tuple[int, ...], downs: tuple[int, ...]) -> tuple[list[str], list[str]]:
    """The path's edges and the words strictly between its ends (one fewer)."""
    edges = [parse.up_edge[t] for t in ups[:-1]]
    edges.extend(parse.down_edge[t] for t in downs)
    between = ups[1:] + downs[:-1] if downs else ups[1:-1]
    return edges, [parse.word[t] for t in between]


def _full(edges: list[str], words: list[str]) -> str:
    return " ".join([part for pair in zip(edges, words) for part in pair] + edges[-1:])


def _edges(edges: list[str], words: list[str]) -> str:
    return " ".join(edges) + (" @" + words[-1] if words else "")


def _end_key(ups: tuple[int, ...], downs: tuple[int, ...]) -> tuple[int, int, int]:
    """What the object's end of a path depends on: the meeting token and the object, or, when the object governs
    the subject, the meeting token and the token just below it."""
    return (ups[-1], downs[-1], -1) if downs else (ups[-1], -1, ups[-2])


def _object_end(parse: _Parse, ups: tuple[int, ...], downs: tuple[int, ...]) -> tuple[str, str, str]:
    """The local, trigger and shape signatures; they depend only on the meeting token and the object's side, so
    they are worked out once per parse for every subject that meets the object there."""
    key = _end_key(ups, downs)
    found = parse.ends.get(key)
    if found is None:
        local = _local(parse, list(ups), list(downs))
        parts = local.split()
        trigger = " ".join(p for p in parts if not p.startswith(">")) or local
        shape = " ".join(p for p in parts if p.startswith(">") or p.startswith("<")) or local
        found = parse.ends[key] = (local, trigger, shape)
    return found


def pattern_keys(sub_kind: str, obj_kind: str, sigs: dict[str, str]) -> list[tuple[str, str, str, str]]:
    """The keys a pair is looked up under, most specific first; the local and trigger paths also back off to any
    object kind ("*")."""
    keys = [(level, sub_kind, obj_kind, sigs[level]) for level in LEVELS if level in sigs]
    keys += [(level, sub_kind, "*", sigs[level]) for level in _STAR_LEVELS if level in sigs]
    return keys


def _local(parse: _Parse, ups: list[int], downs: list[int]) -> str:
    """The object's end of the path: edges up from the object to the first content word ("direct >agent by >pobj")."""
    if not downs:  # the object governs the subject
        return " ".join([f"<{parse.dep[t]}" for t in ups[:-1][-1:]] + ["@object"])
    parts: list[str] = []
    chain = [ups[-1]] + downs  # from the meeting token down to the object
    n = len(chain) - 1
    while n > 0 and parse.dep[chain[n]] in ("conj", "appos"):  # "starring A, B and C": C is starred like A
        n -= 1
    for n in range(n, 0, -1):
        parts.insert(0, f">{parse.dep[chain[n]]}")
        head = chain[n - 1]
        parts.insert(0, parse.word[head])
        if parse.pos[head] not in ("ADP", "PART", "CCONJ", "PUNCT", "AUX"):
            break
    return " ".join(parts) or ">" + parse.dep[chain[-1]]


# ------------------------------------------------------------------------------------------------ values


def value_style(label: str) -> str | None:
    """How a dataset writes a value: "date-dmy" (01 January 1983), "date-iso", "number-float" (98.0); in quotes
    ('"1983-10-03"'), the style with "quoted-" before it.

    >>> value_style('"1983-10-03"'), value_style("98.0"), value_style('"STV"'), value_style("490.9 (square kilometres)")
    ('quoted-date-iso', 'number-float', None, 'unit-square kilometres')
    """
    if len(label) > 2 and label[0] == label[-1] == '"':
        inner = value_style(label[1:-1])
        return inner and f"quoted-{inner}"
    if re.fullmatch(r"\d{2} [A-Z][a-z]+ \d{4}", label):
        return "date-dmy"
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", label):
        return "date-iso"
    if re.fullmatch(r"-?\d+\.\d+", label):
        return "number-float"
    if re.fullmatch(r"-?\d+", label):
        return "number-int"
    unit = re.fullmatch(r"-?\d[\d,]*(?:\.\d+)? \(([a-z ]+)\)", label)
    if unit:
        return f"unit-{unit.group(1)}"
    return None


def render_value(text: str, style: str) -> str | None:
    """Write a date or number the way a dataset does; None when ``text`` holds no such value. A "yearly-" style
    writes a year alone as the year and any other date in the style after it.

    >>> render_value("1983", "date-dmy"), render_value("March 5, 1999", "date-iso"), render_value("89 minutes", "number-float")
    ('01 January 1983', '1999-03-05', '89.0')
    >>> render_value("54.56 minutes", "number-float"), render_value("3 October 1983", "quoted-date-iso")
    ('54.56', '"1983-10-03"')
    >>> render_value("an area of 1,200 square metres", "unit-square metres")
    '1200 (square metres)'
    >>> render_value("a running time of 54:56", "number-float"), render_value("35 minutes and 10 seconds", "number-float")
    ('54.56', '35.1')

    """
    if style.startswith("quoted-"):
        inner = render_value(text, style.removeprefix("quoted-"))
        return inner and f'"{inner}"'
    if style.startswith("yearly-"):  # "2009" where the text gives a year alone, else the whole date
        year = re.fullmatch(r"(?:in\s+)?(\d{4})", text.strip())
        value = parse_date(text)
        if year or (value is not None and value.datatype == "gYear"):
            return year.group(1) if year else value.lexical
        return render_value(text, style.removeprefix("yearly-"))
    if style.startswith("date"):
        value = parse_date(text)
        if value is None:
            return None
        parts = [int(p) for p in value.lexical.split("-")] + [1, 1]
        day = date(parts[0], parts[1], parts[2])
        return day.strftime("%d %B %Y") if style == "date-dmy" else day.isoformat()
    if style.startswith("either-"):  # the unit when the text gives one, else the plain number
        unit = style.removeprefix("either-")
        return render_value(text, f"unit-{unit}" if re.search(r"[A-Za-z]", text) else "number-float")
    number = parse_number(_DURATION.sub(lambda m: f"{m.group(1)}.{int(m.group(2)):02d}", text))  # "54:56": 54.56
    if number is None:
        return None
    if style.startswith("unit-"):  # "490.9 (square kilometres)": the number as written, the relation's unit
        return f"{number.normalize():f} ({style.removeprefix('unit-')})"
    if style != "number-float":
        return str(int(number))
    return f"{float(number):.1f}" if float(number) == int(number) else str(float(number))  # "89.0", "54.56"


# ------------------------------------------------------------------------------------------------ learning


_LEADING_THE = re.compile(r"^the[\s_]+(?=\S)", re.IGNORECASE)


@lru_cache(maxsize=262144)
def _norm(label: str) -> str:
    """A label folded for matching a mention: disambiguator, punctuation, case and a leading "the" aside (mentions
    drop their article: "The_Velvet_Underground" is the mention "Velvet Underground")."""
    return _NON_ALNUM.sub("", _LEADING_THE.sub("", _DISAMBIGUATOR.sub("", label.strip().strip('"')))).lower()


_QUALIFIED = re.compile(r"^(.+?),[_ ]\S")


def _matches(cand: Candidate, label: str, style: str | None) -> bool:
    """Whether a mention writes a gold name or value: the same name folded, or the name a label qualifies with a
    place ("Abilene" for ``Abilene,_Texas``: the place is written after the name by the dataset, not always by
    the text); a value written in the relation's ``style``."""
    if style:
        return render_value(cand.text, style) == label
    key = _norm(cand.text)
    if key == _norm(label) != "":
        return True
    qualified = _QUALIFIED.match(label)
    return qualified is not None and key == _norm(qualified.group(1)) != ""


def learn(
    nlp: Language,
    examples: Iterable[tuple[str, Sequence[tuple[str, str, str]]]],
    min_precision: float = 0.5,
    min_hits: int = 2,
    batch_size: int = 64,
) -> PatternSet:
    """Learn patterns from (sentence, gold triples) pairs. Relation labels are kept as the examples write them."""
    examples = list(examples)
    docs = list(parse_texts(nlp, (t for t, _ in examples), batch_size=batch_size))
    return learn_from_docs(docs, examples, min_precision, min_hits)


_YEAR = re.compile(r"1\d{3}|20\d{2}")
# minutes and seconds, which DBpedia writes as minutes point seconds ("54:56" is 54.56)
_DURATION = re.compile(r"\b(\d{1,3})(?::| minutes?,? (?:and )?)([0-5]\d|\d(?= seconds?))\b(?: seconds?)?")


def value_formats(triples_by_sentence: Iterable[Sequence[tuple[str, str, str]]]) -> dict[str, str]:
    """Relation -> the value style (:func:`value_style`) most of its example objects are written in, for the
    relations whose objects are mostly dates or numbers.

    >>> value_formats([[("A", "born", "1950-01-02"), ("A", "name", "Ann")], [("B", "born", "1960-03-04")]])
    {'born': 'date-iso'}
    >>> style = value_formats([[("A", "period", "36.2 (days)"), ("B", "period", "39447000.0")]] * 2)["period"]
    >>> style, render_value("36.2 days", style), render_value("39447000", style)
    ('either-days', '36.2 (days)', '39447000.0')
    >>> style = value_formats([[("A", "completed", "1862"), ("B", "completed", "2009-06-01")]])["completed"]
    >>> style, render_value("1862", style), render_value("June 1st, 2009", style)
    ('yearly-date-iso', '1862', '2009-06-01')
    """
    styles: dict[str, Counter] = defaultdict(Counter)
    years: Counter[tuple[str, bool]] = Counter()  # (relation, quoted): objects that are a year alone
    for triples in triples_by_sentence:
        for _, rel, obj in triples:
            styles[rel][value_style(obj)] += 1
            if _YEAR.fullmatch(obj.strip('"')):
                years[(rel, obj.startswith('"'))] += 1
    out = {}
    for rel, counts in styles.items():
        dates = [(n, style) for style, n in counts.items() if style and "date-" in style]
        if dates:  # "1862" where the text gives a year alone, "2009-06-01" where it gives a day
            n, style = max(dates)
            quoted = style.startswith("quoted-")
            alone = years[(rel, quoted)]
            if alone and n + alone > sum(counts.values()) / 2:
                out[rel] = ("quoted-" if quoted else "") + "yearly-" + style.removeprefix("quoted-")
                continue
        units = [(n, style) for style, n in counts.items() if style and style.startswith("unit-")]
        plain, total = counts["number-float"], sum(counts.values())
        if units and plain and min(plain, max(units)[0]) >= max(2, 0.2 * total) and plain + max(units)[0] > total / 2:
            out[rel] = "either-" + max(units)[1].removeprefix("unit-")  # "360.29 (days)" and "39447000.0" alike
            continue
        style, n = counts.most_common(1)[0]
        if style and n * 2 > total:
            out[rel] = style
    return out


def learn_from_docs(
    docs: Sequence[Doc],
    examples: Sequence[tuple[str, Sequence[tuple[str, str, str]]]],
    min_precision: float = 0.5,
    min_hits: int = 2,
) -> PatternSet:
    """``learn`` over sentences already parsed (cross-validation parses once)."""
    formats = value_formats(triples for _, triples in examples)

    mentions = [[sentence_candidates(sent) for sent in doc.sents] for doc in docs]  # per document, per sentence
    aliases = _learn_aliases(mentions, examples, formats)
    parsed = []  # per sentence: its gold relations and, per candidate pair, signatures and the gold relations they hold
    for (_, triples), doc in zip(examples, docs):
        pairs = []
        for sub, obj, keys in _pair_keys(doc):
            holds = {
                rel for s, rel, o in triples
                if _matches(sub, s, None) and (_matches(obj, o, formats.get(rel)) or aliases.get((rel, obj.text.lower())) == o)
            }
            pairs.append((keys, holds))
        parsed.append(({rel for _, rel, _ in triples}, pairs))

    patterns = PatternSet(formats=formats, min_precision=min_precision, min_hits=min_hits)
    for _, pairs in parsed:
        for keys, holds in pairs:
            for rel in holds:
                for key in keys:
                    patterns.patterns.setdefault(key, {}).setdefault(rel, PatternStats())
    for gold_rels, pairs in parsed:
        for keys, holds in pairs:
            for key in keys:
                by_rel = patterns.patterns.get(key)
                if not by_rel:
                    continue
                for rel, stats in by_rel.items():
                    if rel in gold_rels:
                        stats.fires += 1
                        stats.hits += rel in holds
    patterns.aliases = aliases
    return patterns


def _pair_keys(doc: Doc) -> list[tuple[Candidate, Candidate, list[tuple[str, str, str, str]]]]:
    """(subject, object, pattern keys) of every pair of mentions of each sentence of a document, in the order
    learning reads them; they depend on no examples, so they are worked out once per document."""

    def make() -> list[tuple[Candidate, Candidate, list[tuple[str, str, str, str]]]]:
        parse = _Parse.cached(doc)
        out = []
        for sent in doc.sents:
            cands = sentence_candidates(sent)
            for sub, obj in _pairs(cands, cands):
                out.append((sub, obj, pattern_keys(sub.kind, obj.kind, _signatures(parse, sub.root, obj.root))))
        return out

    return per_doc(doc, "pair_keys", make)


def _learn_aliases(
    mentions: Sequence[list[list[Candidate]]], examples: Sequence, formats: dict[str, str],
) -> dict[tuple[str, str], str]:
    """Fixed renderings a dataset uses for a word in the text: the country "Japan" for "Japanese".

    Learned when a gold object is not in its sentence but a nationality or place word sharing its first four
    letters is, and the subject is found.
    """
    votes: dict[tuple[str, str], Counter] = defaultdict(Counter)
    for (_, triples), by_sentence in zip(examples, mentions):
        cands = [c for sent_cands in by_sentence for c in sent_cands]
        for s, rel, o in triples:
            if formats.get(rel) or any(_matches(c, o, None) for c in cands) or not any(_matches(c, s, None) for c in cands):
                continue
            for c in cands:
                if c.kind in ("NORP", "GPE", "LANGUAGE") and _norm(c.text)[:4] == _norm(o)[:4]:
                    votes[(rel, c.text.lower())][o] += 1
    return {key: counter.most_common(1)[0][0] for key, counter in votes.items()}
