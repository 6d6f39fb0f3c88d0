"""Which BLAS runs the matrix products of kg's spaCy models: numpy's, on one thread, when it is
an optimised one.

thinc runs its layers' matrix products on the BLIS it bundles, whose kernel is picked for the
processor when it starts; on a processor it does not know, it falls back to its generic C
kernel. On this project's machines (AMD EPYC, family 25) that kernel was ~38% of the whole
parse. numpy's own BLAS (OpenBLAS in numpy's wheels, or MKL) knows them: the same parse then
takes ~40% less CPU and gives the same annotations (tested). On one thread, because kg parses
one stream per core (worker processes), and OpenBLAS's threads doubled the CPU time of a parse
for about the same wall time.
"""
from __future__ import annotations

import contextlib
import functools
from collections.abc import Iterator

OPTIMISED = ("openblas", "mkl")  # numpy BLAS builds known to pick kernels for the processor


@functools.cache
def numpy_blas() -> str | None:
    """The optimised BLAS numpy calls ("openblas" or "mkl"), or None if numpy has another."""
    import numpy

    try:
        name = str(numpy.show_config(mode="dicts")["Build Dependencies"]["blas"]["name"]).lower()
    except (KeyError, TypeError, ValueError):  # a numpy that does not say
        return None
    return next((known for known in OPTIMISED if known in name), None)


@contextlib.contextmanager
def model_ops() -> Iterator[None]:
    """Around `spacy.load`: its models' layers then multiply on numpy's BLAS, when optimised."""
    if numpy_blas() is None:
        yield
        return
    from thinc.api import use_ops

    with use_ops("numpy", use_blis=False):
        yield


@contextlib.contextmanager
def one_thread() -> Iterator[None]:
    """Around parsing: numpy's BLAS on one thread, put back as it was afterwards."""
    if numpy_blas() is None:
        yield
        return
    with _blas_libraries().limit(limits=1, user_api="blas"):
        yield


@functools.cache
def _blas_libraries():
    """threadpoolctl's view of the BLAS libraries loaded (numpy's among them), made once: making
    it walks every library of the process (1.4 ms, against 0.01 ms for a limit set with it)."""
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()
