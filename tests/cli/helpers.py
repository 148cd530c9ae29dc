"""What the command tests share: the installed command, an AWS environment that reaches no
account, and shortcuts to the public-key command and to KMS at an endpoint."""

from __future__ import annotations

import sys
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


def run_public_key(
    capsys: pytest.CaptureFixture[str], url: str, *args: str
) -> tuple[int, str, list[str]]:
    code = main(["public-key", *args, "--endpoint-url", url])
    captured = capsys.readouterr()
    return code, captured.out, captured.err.splitlines()
