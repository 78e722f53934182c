"""The model's matrix products on numpy's BLAS: the same annotations, a third less parsing time on news.

In: a loaded spaCy ``Language``. Out: the same pipeline whose thinc layers multiply matrices with ``numpy.matmul``
instead of BLIS (thinc's ``NumpyOps.gemm``); nothing else about the model changes.

thinc runs a CPU model's matrix products through BLIS. On the machine kg's benchmarks run on (an AMD EPYC with
AVX-512), BLIS multiplies the token-to-vector layers' matrices (thousands of rows by 288 or 384 columns) at about
30 GFLOP/s on one core, and the OpenBLAS that numpy ships at about 90: ``python bench/spacy_components.py`` times
one such product and the whole model both ways, and counts the tokens annotated differently (none of 79,724 on
200 BBC articles). The two
libraries sum in a different order, so a product may differ in its last bits (about one part in a million); a
decision the model takes is unchanged unless two of its scores tie to that precision.

The parser's own loop over transition states calls BLIS from compiled code (spaCy's ``parser_model.pyx``) and is
left as it is. Layers whose ops are not thinc's plain ``NumpyOps`` (a GPU, Apple's Accelerate) are left alone, and
so is every layer when numpy was built against a BLAS not known to be tuned (:func:`numpy_blas_is_tuned`: the
reference BLAS of some Linux packages multiplies several times slower than BLIS).

numpy's BLAS may use several threads for one product; kg parses in one thread per process and gets its parallelism
from worker processes (``kg build --workers``), so :func:`one_blas_thread` holds BLAS to one thread while a batch is
parsed (:func:`kg.nlp.parse`), and only then: two workers on two cores would otherwise each start a second thread
and wait on each other.

Sources: thinc's ``thinc/backends/numpy_ops.pyx`` (``gemm``: ``trans1``, ``trans2``, ``out``) and
``thinc/model.py`` (``Model.walk``, ``Model.ops``); threadpoolctl's ``ThreadpoolController.limit``.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache

import numpy
from spacy.language import Language
from thinc.api import NumpyOps
from threadpoolctl import ThreadpoolController

__all__ = ["BlasOps", "use_blas_ops", "one_blas_thread", "numpy_blas_is_tuned"]

# numpy's BLAS as numpy.show_config names it; its pip wheels ship "scipy-openblas".
_TUNED_BLAS = ("openblas", "mkl", "accelerate", "blis")


class BlasOps(NumpyOps):
    """thinc's CPU ops with ``gemm`` on ``numpy.matmul`` (numpy's BLAS) for 2-D float32 arrays.

    >>> import numpy
    >>> x = numpy.arange(6, dtype="float32").reshape(2, 3)
    >>> BlasOps().gemm(x, x, trans2=True).tolist()
    [[5.0, 14.0], [14.0, 50.0]]
    """

    name = "numpy"  # the same kind of ops to thinc and spaCy: CPU arrays, BLIS for the compiled parser

    def gemm(self, x, y, *, out=None, trans1=False, trans2=False):
        """``x @ y`` (each transposed first when asked), written into ``out`` when given; shapes as thinc's."""
        if not (isinstance(x, numpy.ndarray) and isinstance(y, numpy.ndarray)) or x.ndim != 2 or y.ndim != 2 \
                or x.dtype != numpy.float32 or y.dtype != numpy.float32:
            return super().gemm(x, y, out=out, trans1=trans1, trans2=trans2)  # thinc's errors for bad input
        return numpy.matmul(x.T if trans1 else x, y.T if trans2 else y, out=out)


def numpy_blas_is_tuned() -> bool:
    """Whether numpy was built against OpenBLAS, MKL, Accelerate or BLIS (by ``numpy.show_config``); False when
    numpy does not say."""
    try:
        name = numpy.show_config(mode="dicts")["Build Dependencies"]["blas"]["name"]
    except (KeyError, TypeError, ValueError):
        return False
    return any(tuned in str(name).lower() for tuned in _TUNED_BLAS)


def use_blas_ops(nlp: Language) -> list[str]:
    """Give every thinc layer of ``nlp``'s components (disabled ones too) :class:`BlasOps`, where all of a
    component's layers run on thinc's plain ``NumpyOps``, and numpy's BLAS is a tuned one. Returns the names of the
    components changed, in pipeline order (none when numpy's BLAS is not known to be tuned)."""
    if not numpy_blas_is_tuned():
        return []
    ops = BlasOps()
    changed = []
    for name, component in nlp.components:
        model = getattr(component, "model", None)
        if model is None or not hasattr(model, "walk"):
            continue
        layers = list(model.walk())
        if layers and all(type(layer.ops) is NumpyOps for layer in layers):
            for layer in layers:
                layer.ops = ops
            changed.append(name)
    return changed


@lru_cache(maxsize=1)
def _controller() -> ThreadpoolController:
    return ThreadpoolController()  # finds the BLAS libraries loaded in this process, once


_held = threading.Lock()
_holders = 0  # blocks inside one_blas_thread, in any thread: the limit is the process's
_limiter = None  # threadpoolctl's limiter, restoring the limits found on entering the first block


@contextmanager
def one_blas_thread() -> Iterator[None]:
    """Within the block, BLAS libraries loaded in this process use one thread; once the last block open in the
    process (in any thread, or nested) is left, they use what they used before the first."""
    global _holders, _limiter
    with _held:
        if _holders == 0:
            _limiter = _controller().limit(limits=1, user_api="blas")
        _holders += 1
    try:
        yield
    finally:
        with _held:
            _holders -= 1
            if _holders == 0 and _limiter is not None:
                _limiter.restore_original_limits()
                _limiter = None
