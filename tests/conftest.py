"""What every test module shares: stable test ids for byte strings, KMS clients made afresh."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from keyforge_kms_key.kms import forget_clients


def pytest_make_parametrize_id(config: Any, val: object, argname: str) -> str | None:
    """Byte strings (often key material drawn afresh at collection) are named by the argument.

    Parallel workers each collect the suite and must find the same test ids; pytest numbers
    ids that would repeat.
    """
    if isinstance(val, bytes):
        return argname
    return None


@pytest.fixture(autouse=True)
def _fresh_kms_clients() -> Iterator[None]:
    """The handlers keep KMS clients between requests; a test's event handlers stay in its test."""
    forget_clients()
    yield
    forget_clients()
