"""create -> read -> update -> read -> delete -> read, for one key of every kind."""

from __future__ import annotations

from typing import Any

import pytest

from keyforge_kms_key.keyspecs import ALGORITHM_FIELD, KEY_SPECS, KeyKind, KeyUsage
from tests.embedded import Provider

from .conftest import assert_deletion_in_days

CHINA_ONLY = {"SM2"}
EVERY_KIND = [
    (spec, usage.value)
    for spec, info in KEY_SPECS.items()
    if spec not in CHINA_ONLY
    for usage in info.usages
]


def test_every_kind_outside_china_is_covered() -> None:
    assert len(EVERY_KIND) == 25
    assert ("ML_KEM_512", "ENCAPSULATE_DECAPSULATE") in EVERY_KIND
    assert ("ECC_NIST_P256", "KEY_AGREEMENT") in EVERY_KIND


@pytest.mark.parametrize(("spec", "usage"), EVERY_KIND)
def test_full_lifecycle(provider: Provider, kms: Any, spec: str, usage: str) -> None:
    desired = {
        "KeySpec": spec,
        "KeyUsage": usage,
        "Description": "first",
        "Tags": [{"Key": "team", "Value": "platform"}, {"Key": "tier", "Value": "1"}],
    }
    model = provider.create(desired)
    key_id = model["KeyId"]
    assert model["KeySpec"] == spec and model["KeyUsage"] == usage
    assert kms.describe_key(KeyId=key_id)["KeyMetadata"]["KeySpec"] == spec

    read = provider.read(key_id)
    assert read["status"] == "SUCCESS"
    for name, value in desired.items():
        if name == "Tags":
            assert sorted(read["resourceModel"]["Tags"], key=str) == sorted(value, key=str)
        else:
            assert read["resourceModel"][name] == value
    assert sorted(read["resourceModel"][ALGORITHM_FIELD[KeyUsage(usage)]]) == sorted(
        KEY_SPECS[spec].algorithms[KeyUsage(usage)]
    )
    public = KEY_SPECS[spec].kind is KeyKind.ASYMMETRIC
    assert ("PublicKey" in read["resourceModel"]) is public
    assert ("PublicKeyPem" in read["resourceModel"]) is public

    updated = {
        **model,
        "Description": "second",
        "Tags": [{"Key": "team", "Value": "security"}, {"Key": "new", "Value": "x"}],
    }
    answer = provider.run("UPDATE", updated, previous=model)
    assert answer["status"] == "SUCCESS", answer
    after = provider.read(key_id)["resourceModel"]
    assert after["Description"] == "second"
    assert {t["Key"]: t["Value"] for t in after["Tags"]} == {"team": "security", "new": "x"}

    deleted = provider.run("DELETE", after)
    assert deleted["status"] == "SUCCESS"
    assert "resourceModel" not in deleted
    assert kms.describe_key(KeyId=key_id)["KeyMetadata"]["KeyState"] == "PendingDeletion"
    gone = provider.read(key_id)
    assert (gone["status"], gone["errorCode"]) == ("FAILED", "NotFound")


def test_sm2_lifecycle_in_a_china_region(provider: Provider) -> None:
    china = provider.in_region("cn-north-1")
    answer = china.run("CREATE", {"KeySpec": "SM2", "KeyUsage": "SIGN_VERIFY"})
    assert answer["status"] == "SUCCESS", answer
    assert answer["resourceModel"]["SigningAlgorithms"] == ["SM2DSA"]


def test_defaults_make_a_symmetric_encryption_key(provider: Provider) -> None:
    model = provider.create({})
    assert (model["KeySpec"], model["KeyUsage"], model["Origin"]) == (
        "SYMMETRIC_DEFAULT",
        "ENCRYPT_DECRYPT",
        "AWS_KMS",
    )
    assert model["MultiRegion"] is False
    assert model["Enabled"] is True
    assert model["EnableKeyRotation"] is False
    assert "PublicKey" not in model


def test_rotation_and_period_are_set_and_read_back(provider: Provider) -> None:
    model = provider.create({"EnableKeyRotation": True, "RotationPeriodInDays": 180})
    assert (model["EnableKeyRotation"], model["RotationPeriodInDays"]) == (True, 180)
    answer = provider.run("UPDATE", {**model, "RotationPeriodInDays": 400}, previous=model)
    assert answer["resourceModel"]["RotationPeriodInDays"] == 400
    answer = provider.run(
        "UPDATE",
        {k: v for k, v in model.items() if k not in ("EnableKeyRotation", "RotationPeriodInDays")},
        previous=answer["resourceModel"],
    )
    assert answer["resourceModel"]["EnableKeyRotation"] is False
    assert "RotationPeriodInDays" not in answer["resourceModel"]


def test_disabled_key_is_created_disabled_and_can_be_enabled(provider: Provider, kms: Any) -> None:
    model = provider.create({"Enabled": False})
    assert kms.describe_key(KeyId=model["KeyId"])["KeyMetadata"]["KeyState"] == "Disabled"
    answer = provider.run("UPDATE", {**model, "Enabled": True}, previous=model)
    assert answer["resourceModel"]["Enabled"] is True
    assert kms.describe_key(KeyId=model["KeyId"])["KeyMetadata"]["KeyState"] == "Enabled"


def test_multi_region_key(provider: Provider) -> None:
    model = provider.create({"MultiRegion": True})
    assert model["KeyId"].startswith("mrk-")
    assert model["MultiRegion"] is True


def test_external_origin_key_waits_for_its_material(provider: Provider) -> None:
    model = provider.create(
        {"Origin": "EXTERNAL", "KeySpec": "RSA_2048", "KeyUsage": "SIGN_VERIFY"}
    )
    assert model["Origin"] == "EXTERNAL"
    assert model["Enabled"] is False
    assert "PublicKey" not in model


def test_pending_window_is_passed_to_kms(provider: Provider, kms: Any) -> None:
    model = provider.create({})
    answer = provider.run("DELETE", {**model, "PendingWindowInDays": 7})
    assert answer["status"] == "SUCCESS"
    metadata = kms.describe_key(KeyId=model["KeyId"])["KeyMetadata"]
    assert metadata["KeyState"] == "PendingDeletion"
    assert_deletion_in_days(metadata, 7)


def test_deleting_twice_is_not_found(provider: Provider) -> None:
    model = provider.create({})
    assert provider.run("DELETE", model)["status"] == "SUCCESS"
    again = provider.run("DELETE", model)
    assert (again["status"], again["errorCode"]) == ("FAILED", "NotFound")


def test_update_of_a_missing_key_is_not_found(provider: Provider) -> None:
    missing = {"KeyId": "11111111-2222-3333-4444-555555555555", "Description": "x"}
    answer = provider.run("UPDATE", missing, previous=missing)
    assert (answer["status"], answer["errorCode"]) == ("FAILED", "NotFound")


def test_update_of_a_key_pending_deletion_is_not_found(provider: Provider) -> None:
    model = provider.create({})
    provider.run("DELETE", model)
    answer = provider.run("UPDATE", {**model, "Description": "x"}, previous=model)
    assert (answer["status"], answer["errorCode"]) == ("FAILED", "NotFound")


def test_no_write_only_property_in_any_answer(provider: Provider) -> None:
    model = provider.create({"PendingWindowInDays": 7, "BypassPolicyLockoutSafetyCheck": True})
    assert "PendingWindowInDays" not in model
    assert "BypassPolicyLockoutSafetyCheck" not in model
    read = provider.read(model["KeyId"], PendingWindowInDays=7)["resourceModel"]
    assert "PendingWindowInDays" not in read


def test_disabling_a_key_while_changing_its_rotation(provider: Provider, kms: Any) -> None:
    model = provider.create({"EnableKeyRotation": True})
    answer = provider.run(
        "UPDATE",
        {**model, "Enabled": False, "RotationPeriodInDays": 200, "Description": "off"},
        previous=model,
    )
    assert answer["status"] == "SUCCESS", answer
    assert answer["resourceModel"]["Enabled"] is False
    assert answer["resourceModel"]["RotationPeriodInDays"] == 200
    disabled = answer["resourceModel"]
    desired = {k: v for k, v in disabled.items() if k != "RotationPeriodInDays"}
    again = provider.run(
        "UPDATE", {**desired, "Enabled": True, "EnableKeyRotation": False}, previous=disabled
    )
    assert again["status"] == "SUCCESS", again
    assert again["resourceModel"]["EnableKeyRotation"] is False
    assert kms.describe_key(KeyId=model["KeyId"])["KeyMetadata"]["KeyState"] == "Enabled"


def test_disabled_asymmetric_key_reads_without_its_public_key(provider: Provider) -> None:
    model = provider.create({"KeySpec": "ECC_NIST_P256", "KeyUsage": "SIGN_VERIFY"})
    answer = provider.run("UPDATE", {**model, "Enabled": False}, previous=model)
    assert answer["status"] == "SUCCESS", answer
    assert "PublicKey" not in answer["resourceModel"]
    assert answer["resourceModel"]["SigningAlgorithms"] == ["ECDSA_SHA_256"]
    enabled = provider.run("UPDATE", {**model, "Enabled": True}, previous=answer["resourceModel"])
    assert enabled["resourceModel"]["PublicKey"] == model["PublicKey"]


def test_rotation_of_a_key_that_stays_disabled_changes_and_the_key_stays_disabled(
    provider: Provider, kms: Any
) -> None:
    model = provider.create({"Enabled": False, "EnableKeyRotation": True})
    answer = provider.run("UPDATE", {**model, "RotationPeriodInDays": 300}, previous=model)
    assert answer["status"] == "SUCCESS", answer
    assert answer["resourceModel"]["RotationPeriodInDays"] == 300
    assert kms.describe_key(KeyId=model["KeyId"])["KeyMetadata"]["KeyState"] == "Disabled"
