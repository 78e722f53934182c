"""The model's layers on numpy's BLAS give the model's own annotations, token for token."""

from __future__ import annotations

import threading

import numpy
import pytest
import spacy
from spacy.tokens import Doc
from thinc.api import NumpyOps, Ops
from spacy.language import Language
from threadpoolctl import threadpool_info, threadpool_limits

from kg.nlp import parse, resolve_model_name
from kg.nlp_ops import BlasOps, one_blas_thread, use_blas_ops

from .conftest import BBC_DEV, assert_annotated_alike, bbc_dev_texts, example_texts


@pytest.fixture(scope="module")
def model_and_blas():
    model = spacy.load(resolve_model_name())
    blas = spacy.load(resolve_model_name())
    assert use_blas_ops(blas) == ["tok2vec", "tagger", "parser", "senter", "ner"]  # senter too, though disabled
    return model, blas


def test_every_layer_of_the_changed_components_runs_on_blas_ops(model_and_blas):
    model, blas = model_and_blas
    for name in ("tok2vec", "tagger", "parser", "ner"):
        assert {type(layer.ops) for layer in blas.get_pipe(name).model.walk()} == {BlasOps}
        assert {type(layer.ops) for layer in model.get_pipe(name).model.walk()} == {NumpyOps}


def test_blas_ops_annotate_as_the_model_does(model_and_blas):
    assert_annotated_alike(*model_and_blas, example_texts())


@pytest.mark.skipif(not BBC_DEV.is_dir(), reason="../shared/eval/news/bbc-dev is not beside the checkout")
def test_blas_ops_annotate_real_news_as_the_model_does(model_and_blas):
    assert_annotated_alike(*model_and_blas, bbc_dev_texts(40))


@pytest.mark.parametrize("trans1", [False, True])
@pytest.mark.parametrize("trans2", [False, True])
def test_gemm_multiplies_as_thinc_does(trans1, trans2):
    rng = numpy.random.default_rng(7)
    x = rng.standard_normal((40, 30) if not trans1 else (30, 40)).astype("float32")
    y = rng.standard_normal((30, 20) if not trans2 else (20, 30)).astype("float32")
    expected = NumpyOps().gemm(x, y, trans1=trans1, trans2=trans2)
    got = BlasOps().gemm(x, y, trans1=trans1, trans2=trans2)
    assert got.shape == (40, 20) and got.dtype == numpy.float32
    numpy.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-4)
    out = numpy.zeros((40, 20), dtype="float32")
    assert BlasOps().gemm(x, y, out=out, trans1=trans1, trans2=trans2) is out
    numpy.testing.assert_allclose(out, expected, rtol=1e-5, atol=1e-4)


def test_gemm_refuses_what_thinc_refuses():
    with pytest.raises(ValueError, match="float32"):
        BlasOps().gemm(numpy.ones((2, 2)), numpy.ones((2, 2)))
    with pytest.raises(ValueError, match="2-dimensional"):
        BlasOps().gemm(numpy.ones(2, dtype="float32"), numpy.ones((2, 2), dtype="float32"))


def test_components_on_other_ops_are_left_alone():
    class OtherOps(NumpyOps):
        name = "other"

    nlp = spacy.load(resolve_model_name())
    for layer in nlp.get_pipe("ner").model.walk():
        layer.ops = OtherOps()
    nlp.get_pipe("tagger").model.ops = Ops()  # one layer of the tagger on thinc's pure-numpy base ops
    assert use_blas_ops(nlp) == ["tok2vec", "parser", "senter"]
    assert {type(layer.ops) for layer in nlp.get_pipe("ner").model.walk()} == {OtherOps}
    assert NumpyOps in {type(layer.ops) for layer in nlp.get_pipe("tagger").model.walk()}


def test_numpy_built_against_an_untuned_blas_keeps_blis(monkeypatch):
    import kg.nlp_ops

    assert kg.nlp_ops.numpy_blas_is_tuned()  # numpy's wheels ship OpenBLAS
    reference = {"Build Dependencies": {"blas": {"name": "blas", "found": True}}}
    monkeypatch.setattr(numpy, "show_config", lambda mode="stdout": reference)
    assert not kg.nlp_ops.numpy_blas_is_tuned()
    nlp = spacy.load(resolve_model_name())
    assert use_blas_ops(nlp) == []
    assert {type(layer.ops) for layer in nlp.get_pipe("tok2vec").model.walk()} == {NumpyOps}


def _blas_threads() -> set[int]:
    return {lib["num_threads"] for lib in threadpool_info() if lib["user_api"] == "blas"}


@pytest.fixture
def two_blas_threads():
    """BLAS at two threads for the test, whatever the machine's default, so that one thread is told apart."""
    assert _blas_threads(), "numpy's BLAS is not loaded"
    with threadpool_limits(2, user_api="blas"):
        assert _blas_threads() == {2}
        yield


def test_one_blas_thread_holds_blas_to_one_thread_then_restores_it(two_blas_threads):
    with one_blas_thread():
        assert _blas_threads() == {1}
    assert _blas_threads() == {2}


def test_overlapping_blocks_keep_one_thread_until_the_last_is_left(two_blas_threads):
    first, second = one_blas_thread(), one_blas_thread()
    first.__enter__()
    second.__enter__()
    first.__exit__(None, None, None)  # left before the second: the second still computes on one thread
    assert _blas_threads() == {1}
    second.__exit__(None, None, None)
    assert _blas_threads() == {2}


def test_a_block_left_in_another_thread_keeps_the_limit_for_this_one(two_blas_threads):
    with one_blas_thread():
        def other() -> None:
            with one_blas_thread():
                pass

        thread = threading.Thread(target=other)
        thread.start()
        thread.join(10)
        assert _blas_threads() == {1}  # the other thread's block is over; this one still computes on one thread
    assert _blas_threads() == {2}


def test_parse_holds_blas_to_one_thread_only_while_spacy_computes(two_blas_threads):
    nlp = spacy.blank("en")
    during: list[set[int]] = []

    @Language.component("kg_test_blas_threads")
    def record(doc: Doc) -> Doc:
        during.append(_blas_threads())
        return doc

    nlp.add_pipe("kg_test_blas_threads")
    between = []
    for doc, n in parse(nlp, ((f"text {n}", n) for n in range(5)), batch_size=2):
        between.append(_blas_threads())  # the caller's code between two docs
    assert during == [{1}] * 5 and between == [{2}] * 5
    assert _blas_threads() == {2}
