"""Fixtures of the command tests."""

from __future__ import annotations

import os

import pytest

from keyforge.embedded_kms import EmbeddedKmsServer
from tests.cli.helpers import CREDENTIALS, Completed, Run, run_keyforge


@pytest.fixture
def aws_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fake credentials and a Region from the environment; no profile, no config file."""
    for name in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_KMS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in CREDENTIALS.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("AWS_CONFIG_FILE", os.devnull)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", os.devnull)


@pytest.fixture
def embedded_url(kms_server: EmbeddedKmsServer) -> str:
    """The endpoint URL of the embedded KMS server, emptied for the test."""
    return kms_server.endpoint_url


@pytest.fixture
def keyforge(capsys: pytest.CaptureFixture[str]) -> Run:
    """`run_keyforge` with this test's captured output."""

    def run(*args: str) -> Completed:
        return run_keyforge(capsys, *args)

    return run
