"""The Lambda Invoke stand-in, called the way `cfn test` calls it: boto3, unsigned, over http."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore import UNSIGNED
from botocore.config import Config
from botocore.exceptions import ClientError

from keyforge.local.lambda_endpoint import InvocationContext, LambdaEndpoint

EVENT = {"action": "READ", "requestData": {"resourceProperties": {"KeyId": "k-1"}}}


def lambda_client(url: str) -> Any:
    return boto3.client(
        "lambda",
        endpoint_url=url,
        region_name="us-east-1",
        config=Config(signature_version=UNSIGNED, retries={"max_attempts": 0}),
    )


def echo(event: Any, context: Any) -> dict[str, Any]:
    assert isinstance(context, InvocationContext)
    return {"status": "SUCCESS", "seen": event, "remaining": context.get_remaining_time_in_millis()}


def explode(event: Any, context: Any) -> dict[str, Any]:
    raise RuntimeError("the handler broke")


@pytest.fixture
def endpoint() -> Iterator[LambdaEndpoint]:
    with LambdaEndpoint(echo, timeout_seconds=60) as served:
        yield served


def test_the_answer_is_the_entrypoints_json(endpoint: LambdaEndpoint) -> None:
    answer = lambda_client(endpoint.url).invoke(
        FunctionName="TypeFunction", Payload=json.dumps(EVENT).encode()
    )

    assert answer["StatusCode"] == 200
    assert "FunctionError" not in answer
    payload = json.load(answer["Payload"])
    assert payload["status"] == "SUCCESS"
    assert payload["seen"] == EVENT
    assert 0 < payload["remaining"] <= 60_000
    assert endpoint.invocations == 1


def test_an_exception_is_an_unhandled_function_error() -> None:
    with LambdaEndpoint(explode) as served:
        answer = lambda_client(served.url).invoke(
            FunctionName="TypeFunction", Payload=json.dumps(EVENT).encode()
        )

    assert answer["StatusCode"] == 200
    assert answer["FunctionError"] == "Unhandled"
    payload = json.load(answer["Payload"])
    assert payload["errorType"] == "RuntimeError"
    assert payload["errorMessage"] == "the handler broke"
    assert any("explode" in line for line in payload["stackTrace"])


def test_another_function_name_is_not_found(endpoint: LambdaEndpoint) -> None:
    with pytest.raises(ClientError) as raised:
        lambda_client(endpoint.url).invoke(FunctionName="OtherFunction", Payload=b"{}")

    assert raised.value.response["Error"]["Code"] == "ResourceNotFoundException"
    assert endpoint.invocations == 0


def test_each_endpoint_takes_its_own_free_port() -> None:
    with LambdaEndpoint(echo) as first, LambdaEndpoint(echo) as second:
        assert first.url.startswith("http://127.0.0.1:")
        assert first.url != second.url
