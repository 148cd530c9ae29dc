"""Real botocore clients against the embedded KMS, in process (the `kms` fixtures are shared)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from tests.embedded import NO_RETRIES, client


@pytest.fixture
def unvalidated_kms(kms: Any) -> Any:
    """A client that sends what botocore would refuse, to reach the server's own checks."""
    return client("kms", config=NO_RETRIES.merge(Config(parameter_validation=False)))


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
