"""The Lambda hook's function, invoked with the payload AWS::CloudFormation::LambdaHook sends."""

from __future__ import annotations

from typing import Any

import pytest

from keyforge_kms_key.lambda_hook import handler

STACK = (
    "arn:aws:cloudformation:us-east-1:123456789012:stack/keys/6b1d2c50-0000-0000-0000-0a1b2c3d4e5f"
)
TOKEN = "4b90a7e4-b790-456b-a937-0cfdfa211dfe"


def event(
    target: str,
    properties: Any,
    *,
    previous: Any = None,
    point: str = "CREATE_PRE_PROVISION",
    stack: str = STACK,
) -> dict[str, Any]:
    model: dict[str, Any] = {"resourceProperties": properties}
    if point == "UPDATE_PRE_PROVISION":
        model["previousResourceProperties"] = previous
    return {
        "clientRequestToken": TOKEN,
        "awsAccountId": "123456789012",
        "stackId": stack,
        "changeSetId": None,
        "hookTypeName": "Keyforge::KMS::KeyRulesLambda",
        "hookTypeVersion": "00000001",
        "hookModel": {"LambdaFunction": "arn:aws:lambda:us-east-1:123456789012:function:rules"},
        "actionInvocationPoint": point,
        "requestData": {
            "targetName": target,
            "targetType": target,
            "targetLogicalId": "Key",
            "targetModel": model,
        },
        "requestContext": {"invocation": 1, "callbackContext": None},
    }


@pytest.mark.parametrize("target", ["AWS::KMS::Key", "Keyforge::KMS::Key"])
@pytest.mark.parametrize("point", ["CREATE_PRE_PROVISION", "UPDATE_PRE_PROVISION"])
def test_an_invalid_pair_fails_non_compliant_with_lints_sentence(target: str, point: str) -> None:
    properties = {"KeySpec": "HMAC_256", "KeyUsage": "SIGN_VERIFY"}
    answer = handler(event(target, properties, previous=properties, point=point), None)

    assert answer["hookStatus"] == "FAILED"
    assert answer["errorCode"] == "NonCompliant"
    assert answer["clientRequestToken"] == TOKEN
    assert answer["message"] == (
        f"{target} Key breaks 1 Keyforge rule: E9101 KeyUsage SIGN_VERIFY is not valid for "
        "KeySpec HMAC_256: HMAC_256 keys allow only GENERATE_VERIFY_MAC."
    )
    statuses = {a["annotationName"]: a["status"] for a in answer["annotations"]}
    assert statuses["E9101"] == "FAILED"


def test_a_valid_key_succeeds_without_an_error_code() -> None:
    properties = {"KeySpec": "SYMMETRIC_DEFAULT", "EnableKeyRotation": "true"}
    answer = handler(event("AWS::KMS::Key", properties), None)

    assert answer["hookStatus"] == "SUCCESS"
    assert "errorCode" not in answer
    assert answer["message"] == "AWS::KMS::Key Key keeps the Keyforge rules."


def test_the_settings_come_from_the_functions_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    properties = {"KeySpec": "SYMMETRIC_DEFAULT"}
    assert handler(event("AWS::KMS::Key", properties), None)["hookStatus"] == "SUCCESS"

    monkeypatch.setenv("FAIL_ON", "WARNING")
    answer = handler(event("AWS::KMS::Key", properties), None)
    assert answer["hookStatus"] == "FAILED"
    assert "W9111 EnableKeyRotation is not set on a key KMS can rotate" in answer["message"]

    monkeypatch.setenv("DISABLED_RULES", "W9111")
    assert handler(event("AWS::KMS::Key", properties), None)["hookStatus"] == "SUCCESS"


def test_the_region_is_the_stacks_else_the_functions(monkeypatch: pytest.MonkeyPatch) -> None:
    sm2 = {"KeySpec": "SM2", "KeyUsage": "SIGN_VERIFY"}
    china = "arn:aws-cn:cloudformation:cn-north-1:123456789012:stack/keys/6b1d"
    assert handler(event("AWS::KMS::Key", sm2, stack=china), None)["hookStatus"] == "SUCCESS"
    assert handler(event("AWS::KMS::Key", sm2), None)["hookStatus"] == "FAILED"

    monkeypatch.setenv("AWS_REGION", "cn-northwest-1")
    assert handler(event("AWS::KMS::Key", sm2, stack="not-an-arn"), None)["hookStatus"] == (
        "SUCCESS"
    )
    monkeypatch.delenv("AWS_REGION")
    unknown = handler(event("AWS::KMS::Key", sm2, stack="not-an-arn"), None)
    assert unknown["hookStatus"] == "SUCCESS"
    assert "the stack's Region is unknown" in unknown["message"]


def test_a_delete_has_nothing_to_check() -> None:
    answer = handler(event("AWS::KMS::Key", None, point="DELETE_PRE_PROVISION"), None)
    assert answer == {
        "hookStatus": "SUCCESS",
        "message": "Nothing to check before a delete.",
        "clientRequestToken": TOKEN,
    }


@pytest.mark.parametrize(
    "payload",
    [
        None,
        "text",
        [],
        {},
        {"actionInvocationPoint": "CREATE_PRE_PROVISION"},
        {"actionInvocationPoint": "CREATE_PRE_PROVISION", "requestData": "x"},
        {"actionInvocationPoint": "CREATE_PRE_PROVISION", "requestData": {"targetModel": 5}},
        event("AWS::S3::Bucket", {"BucketName": "b"}),
        event("AWS::KMS::Key", "not an object"),
        event("AWS::KMS::Key", {"KeySpec": {"Fn::GetAtt": ["X", "Y"]}}),
    ],
)
def test_malformed_or_foreign_invocations_succeed_with_a_sentence(payload: Any) -> None:
    answer = handler(payload, None)

    assert answer["hookStatus"] == "SUCCESS"
    assert answer["message"]
    assert "errorCode" not in answer
