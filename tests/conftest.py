"""What every test module shares: stable test ids for byte strings."""

from __future__ import annotations

from typing import Any


def pytest_make_parametrize_id(config: Any, val: object, argname: str) -> str | None:
    """Byte strings (often key material drawn afresh at collection) are named by the argument.

    Parallel workers each collect the suite and must find the same test ids; pytest numbers
    ids that would repeat.
    """
    if isinstance(val, bytes):
        return argname
    return None
