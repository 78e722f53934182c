"""Time limits for the work one document costs: no article may hold a build for ever.

A limit is a budget in seconds, ``max(floor, per_1000_words * words / 1000)``: parsing and extraction grow with
the text, so a long article gets more time than a short one. :func:`call_with_limit` enforces a budget with the
process's interval timer (``SIGALRM``): when it fires, the running code is interrupted at its next Python-level
step (or its next signal check inside C code, as the ``re`` module makes) and :class:`DocumentTimeout` is
raised. The timer exists only in the main thread of a POSIX process; elsewhere (a notebook's worker thread,
Windows) the work runs without a limit.

>>> budget("word " * 2_000, per_1000_words=3.0)
6.0
>>> budget("short", per_1000_words=3.0)
3.0
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable
from typing import TypeVar

from .errors import InputError

__all__ = ["DocumentTimeout", "budget", "call_with_limit", "DEFAULT_DOC_TIMEOUT", "MAX_DOC_TIMEOUT"]

T = TypeVar("T")

DEFAULT_DOC_TIMEOUT = 5.0  # seconds per 1,000 words; a 1,000-word article parses and extracts in about 0.2 s
MAX_DOC_TIMEOUT = 3600.0  # seconds per 1,000 words a user may ask for
_MAX_TIMER = 10_000_000.0  # seconds (115 days): the interval timer refuses far larger values


class DocumentTimeout(InputError):
    """A document that could not be parsed and extracted within its time limit."""


class _Expired(BaseException):
    """Raised by the timer inside the block; a BaseException, so no ``except Exception`` in between swallows it."""


def budget(text: str, per_1000_words: float) -> float:
    """Seconds allowed for one text: ``per_1000_words`` per 1,000 words (or per 8,000 characters, when that is
    more), and never less than ``per_1000_words``."""
    words = max(len(text.split()), len(text) // 8)  # a text written without spaces still counts by its length
    return max(per_1000_words, per_1000_words * words / 1000)


def _can_time() -> bool:
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


def call_with_limit(seconds: float | None, where: str, what: str, function: Callable[[], T]) -> T:
    """``function()``, or :class:`DocumentTimeout` naming ``where`` when it runs longer than ``seconds``.

    ``None`` (or a thread that cannot use the timer) runs it without a limit. A function rather than a context
    manager: the timer's exception can then only arise inside the ``try`` that turns it into DocumentTimeout (a
    ``with`` block leaves a few bytecodes between arming the timer and entering the block, where it would escape).
    Limits do not nest: an inner call would cancel the outer one's timer, so callers time disjoint steps.
    """
    if seconds is None or not _can_time():
        return function()
    if not 0 < seconds < float("inf"):
        raise ValueError(f"a time limit is a positive number of seconds, not {seconds!r}")
    seconds = min(seconds, _MAX_TIMER)

    def expire(signum, frame) -> None:
        raise _Expired

    previous = signal.signal(signal.SIGALRM, expire)
    try:
        try:
            signal.setitimer(signal.ITIMER_REAL, seconds)
            return function()
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
    except _Expired:
        raise DocumentTimeout(where, f"took longer than {seconds:.3g} s {what} (the limit for its length); raise "
                                     "--doc-timeout or split the article") from None
    finally:
        signal.signal(signal.SIGALRM, previous)
