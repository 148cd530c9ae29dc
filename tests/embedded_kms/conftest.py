"""Real boto3 clients against the embedded KMS, in process."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError
from moto.kms.models import kms_backends

from keyforge import embedded_kms

REGION = "us-east-1"


NO_RETRIES = Config(retries={"max_attempts": 1, "mode": "standard"})


@pytest.fixture(scope="module")
def clients() -> Iterator[dict[str, Any]]:
    """One mock a module (starting moto is slow), and one client a Region."""
    with embedded_kms.mock_kms():
        yield {}


@pytest.fixture
def kms_in(clients: dict[str, Any]) -> Callable[[str], Any]:
    """A client factory for any Region; every test starts with no keys and no record."""
    kms_backends.reset()
    embedded_kms.clear_recorded_operations()

    def client(region: str) -> Any:
        if region not in clients:
            clients[region] = boto3.client("kms", region_name=region, config=NO_RETRIES)
        return clients[region]

    return client


@pytest.fixture
def kms(kms_in: Callable[[str], Any]) -> Any:
    return kms_in(REGION)


@pytest.fixture
def unvalidated_kms(kms: Any, clients: dict[str, Any]) -> Any:
    """A client that sends what botocore would refuse, to reach the server's own checks."""
    if "unvalidated" not in clients:
        clients["unvalidated"] = boto3.client(
            "kms", region_name=REGION, config=NO_RETRIES.merge(Config(parameter_validation=False))
        )
    return clients["unvalidated"]


def error_of(call: Callable[..., Any], **params: Any) -> tuple[str, str]:
    """The (Code, Message) KMS answers; fails the test when the call succeeds."""
    with pytest.raises(ClientError) as raised:
        call(**params)
    error = raised.value.response["Error"]
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    return error["Code"], error.get("Message", "")


def new_key(
    kms: Any, spec: str = "SYMMETRIC_DEFAULT", usage: str | None = None, **extra: Any
) -> str:
    params: dict[str, Any] = {"KeySpec": spec, **extra}
    if usage is not None:
        params["KeyUsage"] = usage
    key_id: str = kms.create_key(**params)["KeyMetadata"]["KeyId"]
    return key_id
