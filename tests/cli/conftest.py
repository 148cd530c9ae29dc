"""Fixtures of the command tests."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass

import pytest

from keyforge.cli import main
from keyforge.embedded_kms import EmbeddedKmsServer
from tests.cli.helpers import CREDENTIALS


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


@dataclass(frozen=True)
class Completed:
    returncode: int
    stdout: str
    stderr: str


Run = Callable[..., Completed]


@pytest.fixture
def keyforge(capsys: pytest.CaptureFixture[str]) -> Run:
    """The keyforge command line run in this process: what it exits with and prints.

    For what the installed script shares with it; test_cli runs the script itself.
    """

    def run(*args: str) -> Completed:
        code = main(list(args))
        captured = capsys.readouterr()
        return Completed(code, captured.out, captured.err)

    return run
