"""Time limits for the work one document costs: no article may hold a build for ever.

A limit is a budget in seconds, ``max(floor, per_1000_words * words / 1000)``: parsing and extraction grow with
the text, so a long article gets more time than a short one. :func:`time_limit` enforces a budget with the
process's interval timer (``SIGALRM``): when it fires, the running code is interrupted at its next Python-level
step (or its next signal check inside C code, as the ``re`` module makes) and :class:`DocumentTimeout` is
raised. The timer exists only in the main thread of a POSIX process; elsewhere (a notebook's worker thread,
Windows) the block runs without a limit.

>>> budget("word " * 2_000, per_1000_words=3.0)
6.0
>>> budget("short", per_1000_words=3.0)
3.0
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from .errors import InputError

__all__ = ["DocumentTimeout", "budget", "time_limit", "DEFAULT_DOC_TIMEOUT"]

DEFAULT_DOC_TIMEOUT = 5.0  # seconds per 1,000 words; a 1,000-word article parses and extracts in about 0.2 s


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


@contextmanager
def time_limit(seconds: float | None, where: str, what: str = "to parse and extract") -> Iterator[None]:
    """Raise :class:`DocumentTimeout` naming ``where`` when the block runs longer than ``seconds``.

    ``None`` (or a thread that cannot use the timer) runs the block without a limit. Limits do not nest: an inner
    block would cancel the outer one's timer, so callers time disjoint steps.
    """
    if seconds is None or not _can_time():
        yield
        return

    def expire(signum, frame) -> None:
        raise _Expired

    previous = signal.signal(signal.SIGALRM, expire)
    try:
        try:
            signal.setitimer(signal.ITIMER_REAL, seconds)
            yield
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
    except _Expired:
        raise DocumentTimeout(where, f"took longer than {seconds:.0f} s {what} (the limit for its length); raise "
                                     "--doc-timeout or split the article") from None
    finally:
        signal.signal(signal.SIGALRM, previous)
