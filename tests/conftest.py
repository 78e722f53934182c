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
BBC_DEV = SHARED / "eval" / "news" / "bbc-dev"
# Three fictional articles that each say Jonathan Hale directed a film (three films) and restate that Marta Quill
# is the chief executive of Corvane Studios.
RESTATED = Path(__file__).resolve().parent / "data" / "restated"


def token_annotations(doc) -> list[tuple[object, ...]]:
    """Each token's text, tag, part of speech, morphology, lemma, dependency, head, entity and sentence start."""
    return [(t.text, t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_, t.head.i, t.ent_iob_, t.ent_type_,
             t.is_sent_start) for t in doc]


def assert_annotated_alike(expected, got, texts: list[str]) -> None:
    """Pipeline ``got`` annotates every text as pipeline ``expected`` does, token for token."""
    for want, have in zip(expected.pipe(texts), got.pipe(texts), strict=True):
        assert token_annotations(have) == token_annotations(want)


def example_texts() -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted(EXAMPLES.iterdir())]


def bbc_dev_texts(count: int) -> list[str]:
    """The first ``count`` BBC development articles of ../shared."""
    return [p.read_text(encoding="utf-8") for p in sorted(BBC_DEV.glob("*.txt"))[:count]]


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


def default_graph_drift(store) -> set:
    """Triples the default graph of an Oxigraph store holds and no article or ontology graph states, and the other
    way round: empty when the default graph is exactly the merge of the named graphs."""
    import pyoxigraph as ox

    from kg.rdf import default_graph_marker, index_graph

    derived = {ox.NamedNode(str(index_graph())), ox.NamedNode(str(default_graph_marker()))}
    held = {quad.triple for quad in store.native.quads_for_pattern(None, None, None, ox.DefaultGraph())}
    stated = {quad.triple for quad in store.native if isinstance(quad.graph_name, ox.NamedNode) and quad.graph_name not in derived}
    return held ^ stated


def stored_rows(tmp_path: Path, text: str, sparql: str) -> list[tuple]:
    """The rows of ``sparql`` over an in-memory graph built from one article of ``text``."""
    from kg.api import build

    article = tmp_path / "article.txt"
    article.write_text(text, encoding="utf-8")
    with build([article]) as graph:
        return graph.query(sparql).rows
