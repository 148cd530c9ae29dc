"""The KMS operations the double has answered, in order, whichever client or server asked."""

from __future__ import annotations

import threading

_lock = threading.Lock()
_operations: list[str] = []


def record(operation: str) -> None:
    with _lock:
        _operations.append(operation)


def recorded_operations() -> list[str]:
    """The operation names (``"CreateKey"``, ...) received since the last clear, oldest first."""
    with _lock:
        return list(_operations)


def clear_recorded_operations() -> None:
    with _lock:
        _operations.clear()
