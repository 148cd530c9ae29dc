"""What the command tests share: the installed command, an AWS environment that reaches no
account, and shortcuts to the public-key command and to KMS at an endpoint."""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import pytest

from keyforge.cli import main

KEYFORGE = Path(sys.executable).parent / "keyforge"
CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
}
MESSAGE = b"keyforge public key"


def kms_client(url: str, region: str = "us-east-1") -> Any:
    return boto3.client("kms", region_name=region, endpoint_url=url)


def create(url: str, key_spec: str, key_usage: str, region: str = "us-east-1") -> dict[str, Any]:
    metadata: dict[str, Any] = kms_client(url, region).create_key(
        KeySpec=key_spec, KeyUsage=key_usage
    )["KeyMetadata"]
    return metadata


@dataclass(frozen=True)
class Completed:
    returncode: int
    stdout: str
    stderr: str


Run = Callable[..., Completed]


def run_keyforge(capsys: pytest.CaptureFixture[str], *args: str) -> Completed:
    """The keyforge command line run in this process: what it exits with and prints.

    For what the installed script shares with it; test_cli runs the script itself.
    """
    code = main(list(args))
    captured = capsys.readouterr()
    return Completed(code, captured.out, captured.err)


def run_public_key(
    capsys: pytest.CaptureFixture[str], url: str, *args: str
) -> tuple[int, str, list[str]]:
    completed = run_keyforge(capsys, "public-key", *args, "--endpoint-url", url)
    return completed.returncode, completed.stdout, completed.stderr.splitlines()
