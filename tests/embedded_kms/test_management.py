"""Rotation, paging, key states, key policies and aliases behave as in KMS."""

from __future__ import annotations

import json
from typing import Any

import pytest

from .conftest import error_of, new_key


def test_rotation_only_for_symmetric_aws_kms_keys(kms: Any) -> None:
    for key_id in (
        new_key(kms, "RSA_2048", "SIGN_VERIFY"),
        new_key(kms, "HMAC_256", "GENERATE_VERIFY_MAC"),
        new_key(kms, Origin="EXTERNAL"),
    ):
        code, _ = error_of(kms.enable_key_rotation, KeyId=key_id)
        assert code == "UnsupportedOperationException"
        assert kms.get_key_rotation_status(KeyId=key_id)["KeyRotationEnabled"] is False


def test_rotation_period_is_validated_stored_and_read_back(kms: Any, unvalidated_kms: Any) -> None:
    key_id = new_key(kms)
    for period in (89, 2561):
        code, _ = error_of(
            unvalidated_kms.enable_key_rotation, KeyId=key_id, RotationPeriodInDays=period
        )
        assert code == "ValidationException"
    arn = kms.describe_key(KeyId=key_id)["KeyMetadata"]["Arn"]
    kms.enable_key_rotation(KeyId=arn, RotationPeriodInDays=180)
    status = kms.get_key_rotation_status(KeyId=key_id)
    assert (status["KeyRotationEnabled"], status["RotationPeriodInDays"]) == (True, 180)
    kms.enable_key_rotation(KeyId=key_id)
    assert kms.get_key_rotation_status(KeyId=key_id)["RotationPeriodInDays"] == 365
    kms.disable_key_rotation(KeyId=key_id)
    status = kms.get_key_rotation_status(KeyId=key_id)
    assert status["KeyRotationEnabled"] is False and "RotationPeriodInDays" not in status


def test_list_keys_pages_with_limit_and_marker(kms: Any) -> None:
    made = [new_key(kms) for _ in range(5)]
    first = kms.list_keys(Limit=2)
    assert first["Truncated"] is True and len(first["Keys"]) == 2
    seen = [key["KeyId"] for key in first["Keys"]]
    marker = first["NextMarker"]
    while marker:
        page = kms.list_keys(Limit=2, Marker=marker)
        seen += [key["KeyId"] for key in page["Keys"]]
        marker = page.get("NextMarker") if page["Truncated"] else None
    assert seen == made
    paginated = [
        key["KeyId"]
        for page in kms.get_paginator("list_keys").paginate(PaginationConfig={"PageSize": 3})
        for key in page["Keys"]
    ]
    assert paginated == made
    assert error_of(kms.list_keys, Marker="not a marker")[0] == "InvalidMarkerException"


def test_list_aliases_pages_with_limit_and_marker(kms: Any) -> None:
    key_id = new_key(kms)
    for n in range(3):
        kms.create_alias(AliasName=f"alias/page-{n}", TargetKeyId=key_id)
    everything = kms.list_aliases()["Aliases"]
    assert len(everything) > 3
    pages = list(kms.get_paginator("list_aliases").paginate(PaginationConfig={"PageSize": 2}))
    assert len(pages) == (len(everything) + 1) // 2
    assert all(page["Truncated"] for page in pages[:-1]) and not pages[-1]["Truncated"]
    assert [alias for page in pages for alias in page["Aliases"]] == everything
    mine = kms.list_aliases(KeyId=key_id, Limit=1)
    assert mine["Truncated"] is True and mine["Aliases"][0]["TargetKeyId"] == key_id


def test_disabled_keys_refuse_cryptography(kms: Any) -> None:
    key_id = new_key(kms)
    blob = kms.encrypt(KeyId=key_id, Plaintext=b"x")["CiphertextBlob"]
    kms.disable_key(KeyId=key_id)
    assert error_of(kms.encrypt, KeyId=key_id, Plaintext=b"x")[0] == "DisabledException"
    assert error_of(kms.decrypt, CiphertextBlob=blob)[0] == "DisabledException"
    assert error_of(kms.generate_data_key, KeyId=key_id, KeySpec="AES_256")[0] == (
        "DisabledException"
    )
    signer = new_key(kms, "ECC_NIST_P256", "SIGN_VERIFY")
    kms.disable_key(KeyId=signer)
    code, _ = error_of(kms.sign, KeyId=signer, Message=b"x", SigningAlgorithm="ECDSA_SHA_256")
    assert code == "DisabledException"
    kms.enable_key(KeyId=key_id)
    assert kms.decrypt(CiphertextBlob=blob)["Plaintext"] == b"x"


def test_pending_deletion_keys_refuse_cryptography_and_state_changes(kms: Any) -> None:
    key_id = new_key(kms, "ECC_NIST_P256", "SIGN_VERIFY")
    arn = kms.describe_key(KeyId=key_id)["KeyMetadata"]["Arn"]
    answer = kms.schedule_key_deletion(KeyId=arn, PendingWindowInDays=7)
    assert (answer["KeyState"], answer["PendingWindowInDays"], answer["KeyId"]) == (
        "PendingDeletion",
        7,
        arn,
    )
    code, _ = error_of(kms.sign, KeyId=key_id, Message=b"x", SigningAlgorithm="ECDSA_SHA_256")
    assert code == "KMSInvalidStateException"
    for call in (kms.enable_key, kms.disable_key, kms.schedule_key_deletion):
        assert error_of(call, KeyId=key_id)[0] == "KMSInvalidStateException"
    assert kms.describe_key(KeyId=key_id)["KeyMetadata"]["KeyState"] == "PendingDeletion"
    kms.cancel_key_deletion(KeyId=arn)
    assert kms.describe_key(KeyId=key_id)["KeyMetadata"]["KeyState"] == "Disabled"
    assert error_of(kms.cancel_key_deletion, KeyId=key_id)[0] == "KMSInvalidStateException"


@pytest.mark.parametrize("days", [6, 31])
def test_pending_window_outside_7_to_30_is_refused(
    kms: Any, unvalidated_kms: Any, days: int
) -> None:
    key_id = new_key(kms)
    code, _ = error_of(
        unvalidated_kms.schedule_key_deletion, KeyId=key_id, PendingWindowInDays=days
    )
    assert code == "ValidationException"
    assert kms.describe_key(KeyId=key_id)["KeyMetadata"]["KeyState"] == "Enabled"


def test_state_changes_accept_a_key_arn(kms: Any) -> None:
    arn = kms.create_key()["KeyMetadata"]["Arn"]
    kms.disable_key(KeyId=arn)
    assert kms.describe_key(KeyId=arn)["KeyMetadata"]["KeyState"] == "Disabled"
    kms.enable_key(KeyId=arn)
    assert kms.describe_key(KeyId=arn)["KeyMetadata"]["Enabled"] is True


def test_key_policy_name_defaults_and_bad_policies_are_refused(kms: Any) -> None:
    key_id = new_key(kms)
    policy = json.loads(kms.get_key_policy(KeyId=key_id)["Policy"])
    assert policy["Statement"][0]["Action"] == "kms:*"
    assert error_of(kms.get_key_policy, KeyId=key_id, PolicyName="other")[0] == (
        "NotFoundException"
    )
    code, _ = error_of(kms.put_key_policy, KeyId=key_id, Policy="{not json")
    assert code == "MalformedPolicyDocumentException"
    code, _ = error_of(kms.put_key_policy, KeyId=key_id, Policy='"a string"')
    assert code == "MalformedPolicyDocumentException"
    big = json.dumps({"Version": "2012-10-17", "Statement": [], "Id": "x" * 32768})
    assert error_of(kms.put_key_policy, KeyId=key_id, Policy=big)[0] == "LimitExceededException"
    new = json.dumps({"Version": "2012-10-17", "Id": "mine", "Statement": policy["Statement"]})
    kms.put_key_policy(KeyId=key_id, Policy=new)
    assert kms.get_key_policy(KeyId=key_id)["Policy"] == new


ROOT = {
    "Effect": "Allow",
    "Principal": {"AWS": "arn:aws:iam::123456789012:root"},
    "Action": "kms:*",
    "Resource": "*",
}
# Key policies KMS refuses since 18 August 2025, and the one its lock-out check refuses.
REFUSED_POLICIES = {
    "no-action": {"Statement": [ROOT, {"Effect": "Allow", "Principal": "*", "Resource": "*"}]},
    "key-arn-as-resource": {"Statement": [{**ROOT, "Resource": "arn:aws:kms:*:*:key/*"}]},
    "lock-out": {"Statement": [{**ROOT, "Action": ["kms:Encrypt", "kms:Decrypt"]}]},
}


@pytest.mark.parametrize("name", REFUSED_POLICIES)
def test_create_key_and_put_key_policy_refuse_what_kms_refuses(kms: Any, name: str) -> None:
    policy = json.dumps(REFUSED_POLICIES[name])
    code, message = error_of(kms.create_key, Policy=policy)
    assert code == "MalformedPolicyDocumentException", message
    key_id = new_key(kms)
    before = kms.get_key_policy(KeyId=key_id)["Policy"]
    assert error_of(kms.put_key_policy, KeyId=key_id, Policy=policy)[0] == code
    assert kms.get_key_policy(KeyId=key_id)["Policy"] == before
    assert len(kms.list_keys()["Keys"]) == 1


def test_the_lock_out_check_can_be_bypassed_as_in_kms(kms: Any) -> None:
    policy = json.dumps(REFUSED_POLICIES["lock-out"])
    key_id = kms.create_key(Policy=policy, BypassPolicyLockoutSafetyCheck=True)["KeyMetadata"][
        "KeyId"
    ]
    assert kms.get_key_policy(KeyId=key_id)["Policy"] == policy
    other = new_key(kms)
    kms.put_key_policy(KeyId=other, Policy=policy, BypassPolicyLockoutSafetyCheck=True)
    # The bypass skips only the lock-out check.
    malformed = json.dumps(REFUSED_POLICIES["no-action"])
    code, _ = error_of(
        kms.put_key_policy, KeyId=other, Policy=malformed, BypassPolicyLockoutSafetyCheck=True
    )
    assert code == "MalformedPolicyDocumentException"


@pytest.mark.parametrize("name", ["alias/aws/custom", "alias/aws/s3", "alias/aws/x/y"])
def test_aliases_under_alias_aws_are_reserved(kms: Any, name: str) -> None:
    code, _ = error_of(kms.create_alias, AliasName=name, TargetKeyId=new_key(kms))
    assert code == "NotAuthorizedException"


def test_an_alias_name_in_use_is_refused(kms: Any) -> None:
    kms.create_alias(AliasName="alias/taken", TargetKeyId=new_key(kms))
    code, _ = error_of(kms.create_alias, AliasName="alias/taken", TargetKeyId=new_key(kms))
    assert code == "AlreadyExistsException"
