"""KMS errors become the right handler error codes; a created key is never orphaned."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.embedded import Provider

from .conftest import assert_deletion_in_days, network_error

ERROR_CODES = [
    ("ThrottlingException", "Throttling"),
    ("LimitExceededException", "ServiceLimitExceeded"),
    ("NotFoundException", "NotFound"),
    ("AccessDeniedException", "AccessDenied"),
    ("KMSInternalException", "ServiceInternalError"),
    ("DependencyTimeoutException", "ServiceInternalError"),
    ("ValidationException", "InvalidRequest"),
    ("KMSInvalidStateException", "InvalidRequest"),
    ("MalformedPolicyDocumentException", "InvalidRequest"),
    ("UnsupportedOperationException", "InvalidRequest"),
    ("TagException", "InvalidRequest"),
    ("DisabledException", "InvalidRequest"),
    ("SomethingNewException", "GeneralServiceException"),
]


@pytest.mark.parametrize(("kms_code", "handler_code"), ERROR_CODES)
def test_kms_error_maps_to_handler_error_code(
    provider: Provider, inject: Callable[..., None], kms_code: str, handler_code: str
) -> None:
    inject("CreateKey", kms_code, times=10, message="details from KMS")
    answer = provider.run("CREATE", {})
    assert (answer["status"], answer["errorCode"]) == ("FAILED", handler_code)
    assert kms_code in answer["message"] and "details from KMS" in answer["message"]
    assert provider.kms.list_keys()["Keys"] == [], "a CreateKey that failed made no key"


@pytest.mark.parametrize(("kms_code", "handler_code"), ERROR_CODES)
def test_read_maps_errors_too(
    provider: Provider, inject: Callable[..., None], kms_code: str, handler_code: str
) -> None:
    model = provider.create({})
    inject("GetKeyPolicy", kms_code)
    answer = provider.invoke("READ", {"KeyId": model["KeyId"]})
    assert (answer["status"], answer["errorCode"]) == ("FAILED", handler_code)


def test_network_failure(provider: Provider, inject: Callable[..., None]) -> None:
    inject("CreateKey", network_error(), times=10)
    answer = provider.run("CREATE", {})
    assert (answer["status"], answer["errorCode"]) == ("FAILED", "NetworkFailure")


def test_unexpected_exception_is_answered_not_raised(
    provider: Provider, inject: Callable[..., None]
) -> None:
    inject("DescribeKey", RuntimeError("boom"))
    answer = provider.invoke("READ", {"KeyId": "anything"})
    assert (answer["status"], answer["errorCode"]) == ("FAILED", "InternalFailure")


@pytest.mark.parametrize(
    "failure", ["ThrottlingException", "KMSInternalException", "NotFoundException", "network"]
)
def test_transient_failure_after_create_resumes_without_a_second_key(
    provider: Provider,
    inject: Callable[..., None],
    operations: Callable[[], list[str]],
    failure: str,
) -> None:
    inject("CreateAlias", network_error() if failure == "network" else failure)
    made = provider.made({"AliasName": "alias/resumed"})
    first = provider.invoke(
        "CREATE", made["resourceModel"], callback_context=made["callbackContext"]
    )
    assert first["status"] == "IN_PROGRESS"
    key_id = first["resourceModel"]["KeyId"]
    assert first["callbackContext"]["KeyId"] == key_id
    assert made["callbackDelaySeconds"] == 0, "the new key's id goes to CloudFormation at once"
    assert 0 < first["callbackDelaySeconds"] <= 10

    second = provider.invoke(
        "CREATE", first["resourceModel"], callback_context=first["callbackContext"]
    )
    assert second["status"] == "SUCCESS", second
    assert second["resourceModel"]["KeyId"] == key_id
    assert second["resourceModel"]["AliasName"] == "alias/resumed"
    assert operations().count("CreateKey") == 1
    assert len(provider.kms.list_keys()["Keys"]) == 1


def test_retries_are_bounded_then_the_key_is_scheduled_for_deletion(
    provider: Provider, inject: Callable[..., None]
) -> None:
    inject("EnableKeyRotation", "ThrottlingException", times=20)
    answer = provider.run("CREATE", {"EnableKeyRotation": True})
    assert (answer["status"], answer["errorCode"]) == ("FAILED", "Throttling")
    (key,) = provider.kms.list_keys()["Keys"]
    metadata = provider.kms.describe_key(KeyId=key["KeyId"])["KeyMetadata"]
    assert metadata["KeyState"] == "PendingDeletion"
    assert_deletion_in_days(metadata, 7)


def test_terminal_failure_after_create_leaves_no_key_or_alias(
    provider: Provider, inject: Callable[..., None]
) -> None:
    inject("EnableKeyRotation", "AccessDeniedException")
    answer = provider.run("CREATE", {"EnableKeyRotation": True, "AliasName": "alias/doomed"})
    assert (answer["status"], answer["errorCode"]) == ("FAILED", "AccessDenied")
    (key,) = provider.kms.list_keys()["Keys"]
    state = provider.kms.describe_key(KeyId=key["KeyId"])["KeyMetadata"]["KeyState"]
    assert state == "PendingDeletion"
    assert "alias/doomed" not in [a["AliasName"] for a in provider.kms.list_aliases()["Aliases"]]


def test_alias_taken_by_another_key_fails_create_and_abandons_the_new_key(
    provider: Provider,
) -> None:
    other = provider.create({"AliasName": "alias/taken"})
    answer = provider.run("CREATE", {"AliasName": "alias/taken"})
    assert (answer["status"], answer["errorCode"]) == ("FAILED", "AlreadyExists")
    assert "alias/taken" in answer["message"]
    states = {
        k["KeyId"]: provider.kms.describe_key(KeyId=k["KeyId"])["KeyMetadata"]["KeyState"]
        for k in provider.kms.list_keys()["Keys"]
    }
    assert states.pop(other["KeyId"]) == "Enabled"
    assert list(states.values()) == ["PendingDeletion"]
    owner = provider.read(other["KeyId"])["resourceModel"]
    assert owner["AliasName"] == "alias/taken"


def test_handlers_never_log_descriptions_tags_or_policies(
    provider: Provider, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("DEBUG")
    secret = "top-secret-value"
    model = provider.create(
        {
            "Description": secret,
            "Tags": [{"Key": "k", "Value": secret}],
            "KeyPolicy": {
                "Version": "2012-10-17",
                "Id": secret,
                "Statement": [
                    {
                        "Sid": secret,
                        "Effect": "Allow",
                        "Principal": {"AWS": "arn:aws:iam::123456789012:root"},
                        "Action": "kms:*",
                        "Resource": "*",
                    }
                ],
            },
        }
    )
    provider.read(model["KeyId"])
    provider.run("UPDATE", {**model, "Description": secret + "2"}, previous=model)
    ours = [r for r in caplog.records if not r.name.startswith(("botocore", "urllib3", "moto"))]
    assert ours, "the handlers log what they do"
    assert all(secret not in record.getMessage() for record in ours)


def test_retry_mode_is_botocore_standard_with_a_small_bound() -> None:
    from keyforge_kms_key.kms import CLIENT_CONFIG

    retries: dict[str, Any] = CLIENT_CONFIG.retries  # type: ignore[assignment]
    assert retries == {"mode": "standard", "total_max_attempts": 3}
