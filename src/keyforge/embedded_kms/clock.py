"""The embedded KMS's clock: the time it expires import tokens and imported key material by.

It is the system clock, moved forward by ``advance`` so that a test can see what
happens a day or a year later (``reset`` puts it back). One clock per process,
shared by every client and server of the embedded KMS. No I/O.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

_lock = threading.Lock()
_offset = timedelta()


def now() -> datetime:
    with _lock:
        return datetime.now(UTC) + _offset


def advance(delta: timedelta) -> None:
    """Move the clock forward (or back, with a negative delta)."""
    global _offset
    with _lock:
        _offset += delta


def reset() -> None:
    global _offset
    with _lock:
        _offset = timedelta()
