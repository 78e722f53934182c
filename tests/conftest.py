"""Shared fixtures: one spaCy pipeline and ontology per session, paths to examples and ../shared."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.nlp import load_nlp
from kg.ontology import load_ontology

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
SHARED = ROOT.parent / "shared"
SEED = SHARED / "corpus" / "seed" / "alita-sequel.txt"


@pytest.fixture(scope="session")
def nlp():
    return load_nlp()


@pytest.fixture(scope="session")
def onto():
    return load_ontology()


@pytest.fixture(scope="session")
def seed_path() -> Path:
    if not SEED.exists():
        pytest.skip(f"the seed article is not here ({SEED}); it lives in ../shared beside a checkout")
    return SEED


@pytest.fixture(scope="session")
def built_store(tmp_path_factory):
    """A store built once from examples/ for the read-only tests."""
    from kg.api import KnowledgeGraph

    path = tmp_path_factory.mktemp("store") / "kg-store"
    with KnowledgeGraph(path, create=True) as graph:
        graph.build([EXAMPLES])
    return path
