"""Bare spaCy on a folder of articles: the speed kg's extraction is compared with (bench/news.py, docs/benchmarks.md).

Usage: python bench/bare_spacy.py DIR   (parses every .txt file with the same model kg loads, nlp.pipe, one process)
"""

from __future__ import annotations

import sys
from pathlib import Path

import spacy

from kg.nlp import resolve_model_name

texts = [p.read_text(encoding="utf-8") for p in sorted(Path(sys.argv[1]).glob("*.txt"))]
nlp = spacy.load(resolve_model_name())
words = sum(len(doc) for doc in nlp.pipe(texts, batch_size=64))
print(f"{len(texts)} articles, {words} tokens", file=sys.stderr)
