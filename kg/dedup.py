"""Exact and near-duplicate articles: a syndicated copy is stored once, as a pointer to the article it copies.

In: a :class:`~kg.model.Document`. Out: its :class:`Fingerprint`, and the stored (or about to be stored) document
it duplicates, if any.

- Exact copies share the sha256 of their text with whitespace and case folded (``kg:textHash``).
- Near copies (the same wire story with another headline, a byline, a trailing paragraph) are found with MinHash
  over word 5-shingles (datasketch, 128 permutations) and locality-sensitive hashing: the signature is cut into
  16 bands of 8 values, and each band's hash is stored in the document's graph (``kg:minhashBand``), so the store
  itself is the LSH index and memory does not grow with the corpus. A candidate sharing a band is a copy when the
  signatures agree on at least ``threshold`` of their values (the estimated Jaccard similarity of the shingles).
  With 16 bands of 8 a pair at similarity 0.8 is a candidate with probability 0.95; at 0.9, 0.9996; at 0.5, 0.06.
- Texts under :data:`MIN_WORDS` words are only checked for exact copies: a few shared words say little.

>>> a = fingerprint("The studio said on Monday that the sequel would start shooting in Austin next spring, "
...                 "with the original cast returning and a budget close to that of the first film.")
>>> b = fingerprint("The studio said on Monday that the sequel would start shooting in Austin next spring, "
...                 "with the original cast returning and a budget close to that of the first film. (AP)")
>>> a.text_hash == b.text_hash, similarity(a, b) > 0.8
(False, True)
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from rdflib import Literal, URIRef

from .model import Document

__all__ = ["Fingerprint", "Duplicate", "DuplicateFinder", "fingerprint", "similarity", "DEFAULT_THRESHOLD", "MIN_WORDS"]

DEFAULT_THRESHOLD = 0.8
MIN_WORDS = 25
_PERMUTATIONS = 128
_BANDS = 16
_ROWS = _PERMUTATIONS // _BANDS
_SHINGLE = 5


@dataclass(frozen=True)
class Fingerprint:
    """What identifies a text up to copying: its folded hash, MinHash signature and LSH band keys."""

    text_hash: str
    signature: bytes  # 128 little-endian uint32 MinHash values
    bands: tuple[str, ...]  # "<band>:<hash>", empty for texts too short to compare loosely

    @property
    def signature_hex(self) -> str:
        return self.signature.hex()


@dataclass(frozen=True)
class Duplicate:
    """A document found to copy another: the original's graph IRI and how alike they are (1.0: the same text)."""

    original: str
    similarity: float


def fingerprint(text: str, title: str = "") -> Fingerprint:
    """The fingerprint of an article's text; a headline that opens the text is left out (copies retitle)."""
    body = text.lstrip()
    if title and body.startswith(title):
        body = body[len(title):]
    words = body.casefold().split()
    text_hash = hashlib.sha256(" ".join(words).encode()).hexdigest()
    shingles = [" ".join(words[i:i + _SHINGLE]).encode() for i in range(max(1, len(words) - _SHINGLE + 1))]
    from datasketch import MinHash  # here: datasketch loads SciPy (half a second), which builds that keep copies skip

    minhash = MinHash(num_perm=_PERMUTATIONS)
    minhash.update_batch(shingles)
    values = minhash.hashvalues.astype("<u4")
    bands: tuple[str, ...] = ()
    if len(words) >= MIN_WORDS:
        bands = tuple(f"{b}:{hashlib.sha1(values[b * _ROWS:(b + 1) * _ROWS].tobytes()).hexdigest()[:16]}"
                      for b in range(_BANDS))
    return Fingerprint(text_hash, values.tobytes(), bands)


def similarity(a: Fingerprint, b: Fingerprint) -> float:
    """Estimated Jaccard similarity of two texts' word 5-shingles (1.0 for the same folded text)."""
    if a.text_hash == b.text_hash:
        return 1.0
    return float(np.mean(np.frombuffer(a.signature, "<u4") == np.frombuffer(b.signature, "<u4")))


class DuplicateFinder:
    """Finds the document an incoming one copies, in the store or among those read but not yet stored.

    ``select`` runs a SPARQL SELECT over the store and returns its rows as strings
    (:meth:`kg.store.KnowledgeStore.select_values`).
    """

    def __init__(self, select, threshold: float = DEFAULT_THRESHOLD) -> None:
        self.select = select
        self.threshold = threshold
        self._pending: dict[str, Fingerprint] = {}  # documents on their way to the store (in the parser's batch)

    def find(self, document: Document, fp: Fingerprint) -> Duplicate | None:
        """The best original of ``document`` at or over the threshold, or None."""
        best: Duplicate | None = None
        for original, other in self._candidates(document.id, fp):
            score = similarity(fp, other)
            if score >= self.threshold and (best is None or score > best.similarity):
                best = Duplicate(original, score)
        return best

    def hold(self, doc_id: str, fp: Fingerprint) -> None:
        """Remember a document that will be stored, so copies of it later in the same run are found."""
        self._pending[doc_id] = fp

    def forget(self, doc_id: str) -> None:
        """The document is in the store now (the store answers for it from here on), or will never be."""
        self._pending.pop(doc_id, None)

    def _candidates(self, doc_id: str, fp: Fingerprint) -> Iterable[tuple[str, Fingerprint]]:
        for other_id, other in self._pending.items():
            if other_id != doc_id and (other.text_hash == fp.text_hash or set(other.bands) & set(fp.bands)):
                yield other_id, other
        keys = " ".join(Literal(band).n3() for band in fp.bands)
        rows = self.select(f"""
            SELECT DISTINCT ?g ?h ?sig WHERE {{
              {{ GRAPH ?g {{ ?g kg:textHash {Literal(fp.text_hash).n3()} }} }}
              {"UNION { VALUES ?band { " + keys + " } GRAPH ?g { ?g kg:minhashBand ?band } }" if keys else ""}
              GRAPH ?g {{ ?g kg:textHash ?h ; kg:minhash ?sig }}
              FILTER(?g != {URIRef(doc_id).n3()})
            }}""")
        for graph, text_hash, signature in rows:
            yield graph, Fingerprint(text_hash, bytes.fromhex(signature), ())
