"""What every test directory shares: stable test ids, KMS clients made afresh, and an embedded
KMS of each test's own.

Every fixture here that gives a KMS gives it as new: no keys, roles or users, no operations
recorded, and the embedded KMS's clock at the real time (put back after the test too).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from keyforge import embedded_kms
from keyforge.embedded_kms import EmbeddedKmsServer, clock
from keyforge_kms_key.kms import forget_clients
from tests.embedded import ACCOUNT, REGION, Provider, kms_client
from tests.permissions_audit import pytest_configure, pytest_sessionfinish

__all__ = ["pytest_configure", "pytest_sessionfinish"]


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


@contextmanager
def _nothing_recorded_and_the_clock_at_now() -> Iterator[None]:
    embedded_kms.clear_recorded_operations()
    clock.reset()
    try:
        yield
    finally:
        clock.reset()


@pytest.fixture
def kms_in() -> Iterator[Callable[[str], Any]]:
    """KMS clients by Region, of an embedded KMS in this process made for this test alone."""
    with embedded_kms.mock_kms(), _nothing_recorded_and_the_clock_at_now():
        yield functools.cache(kms_client)


@pytest.fixture
def kms(kms_in: Callable[[str], Any]) -> Any:
    """A KMS client of the test's embedded KMS, in us-east-1."""
    return kms_in(REGION)


@pytest.fixture
def provider(kms: Any) -> Provider:
    """The handlers, invoked as CloudFormation invokes them, on the test's embedded KMS."""
    return Provider(region=REGION, account=ACCOUNT, kms=kms, sleep=lambda _: None)


@pytest.fixture(scope="session")
def running_kms_server() -> Iterator[EmbeddedKmsServer]:
    """One embedded KMS server a test process: starting one takes time; `kms_server` empties it."""
    with EmbeddedKmsServer() as server:
        yield server


@pytest.fixture
def kms_server(running_kms_server: EmbeddedKmsServer) -> Iterator[EmbeddedKmsServer]:
    """The embedded KMS over HTTP on 127.0.0.1, emptied for this test."""
    running_kms_server.reset()
    with _nothing_recorded_and_the_clock_at_now():
        yield running_kms_server


@pytest.fixture
def served_kms(kms_server: EmbeddedKmsServer) -> Any:
    """A KMS client of `kms_server`, over HTTP."""
    return kms_server.client("kms")
