"""Bad input gets a clear error and changes nothing: no KMS call at all for an invalid model."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from keyforge_kms_key.refusal import handler_rules
from keyforge_kms_key.validation import validate
from tests.embedded import Provider
from tests.enforcers import judging_always

from .conftest import WRITE_OPERATIONS

ROLE = "arn:aws:iam::123456789012:role/app"
KEY_ARN = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
POLICY: dict[str, Any] = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {"AWS": "arn:aws:iam::123456789012:root"},
            "Action": "kms:*",
            "Resource": "*",
        }
    ],
}

INVALID_MODELS: list[tuple[str, dict[str, Any], str]] = [
    (
        "ecc-encrypt",
        {"KeySpec": "ECC_NIST_P256", "KeyUsage": "ENCRYPT_DECRYPT"},
        "KeyUsage ENCRYPT_DECRYPT is not valid for KeySpec ECC_NIST_P256: "
        "ECC_NIST_P256 keys allow SIGN_VERIFY or KEY_AGREEMENT.",
    ),
    (
        "ecc-default-usage",
        {"KeySpec": "ECC_NIST_P384"},
        "KeyUsage (not set, so ENCRYPT_DECRYPT) is not valid for KeySpec ECC_NIST_P384",
    ),
    (
        "hmac-sign",
        {"KeySpec": "HMAC_256", "KeyUsage": "SIGN_VERIFY"},
        "HMAC_256 keys allow only GENERATE_VERIFY_MAC.",
    ),
    (
        "secg-agreement",
        {"KeySpec": "ECC_SECG_P256K1", "KeyUsage": "KEY_AGREEMENT"},
        "ECC_SECG_P256K1 keys allow only SIGN_VERIFY.",
    ),
    (
        "unknown-usage",
        {"KeyUsage": "FOO"},
        "KeyUsage FOO is not a KMS key usage",
    ),
    (
        "rotation-rsa",
        {"KeySpec": "RSA_2048", "KeyUsage": "SIGN_VERIFY", "EnableKeyRotation": True},
        "EnableKeyRotation true is not allowed for KeySpec RSA_2048",
    ),
    (
        "rotation-external",
        {"Origin": "EXTERNAL", "EnableKeyRotation": True},
        "EnableKeyRotation true is not allowed for Origin EXTERNAL",
    ),
    (
        "period-without-rotation",
        {"RotationPeriodInDays": 120},
        "RotationPeriodInDays 120 needs EnableKeyRotation true",
    ),
    (
        "sm2-outside-china",
        {"KeySpec": "SM2", "KeyUsage": "SIGN_VERIFY"},
        "KeySpec SM2 is not available in us-east-1",
    ),
    (
        "ml-dsa-external",
        {"KeySpec": "ML_DSA_65", "KeyUsage": "SIGN_VERIFY", "Origin": "EXTERNAL"},
        "Origin EXTERNAL is not allowed for KeySpec ML_DSA_65",
    ),
    ("policy-not-json", {"KeyPolicy": "{not json"}, "KeyPolicy is not valid JSON"),
    ("policy-not-object", {"KeyPolicy": "[]"}, "KeyPolicy is a JSON list"),
    (
        "policy-too-big",
        {"KeyPolicy": {**POLICY, "Id": "x" * 33000}},
        "KMS allows at most 32768",
    ),
    (
        "policy-and-builder",
        {"KeyPolicy": POLICY, "KeyUsers": [ROLE]},
        "KeyPolicy cannot be combined with KeyUsers",
    ),
    (
        "policy-statement-without-action",
        {"KeyPolicy": {"Statement": [*POLICY["Statement"], {"Effect": "Allow", "Resource": "*"}]}},
        "KeyPolicy statement 1 has neither Action nor NotAction",
    ),
    (
        "policy-resource-not-star",
        {"KeyPolicy": {"Statement": [{**POLICY["Statement"][0], "Resource": KEY_ARN}]}},
        f"KeyPolicy statement 0 has Resource {KEY_ARN[:57]}...: in a key policy the only "
        'Resource KMS accepts is "*"',
    ),
    (
        "policy-lock-out",
        {"KeyPolicy": {"Statement": [{**POLICY["Statement"][0], "Action": "kms:Decrypt"}]}},
        "KeyPolicy lets no principal change it: no Allow statement grants kms:PutKeyPolicy",
    ),
    (
        "too-many-tags",
        {"Tags": [{"Key": f"k{i}", "Value": "v"} for i in range(50)]},
        "Tags has 50 tags: KMS allows at most 50 per key, and Keyforge keeps one of them for "
        "the tag keyforge:creation-token.",
    ),
    (
        "duplicate-tag",
        {"Tags": [{"Key": "a", "Value": "1"}, {"Key": "a", "Value": "2"}]},
        "Tags[1].Key a is also the key of Tags[0]",
    ),
    (
        "reserved-tag",
        {"Tags": [{"Key": "aws:owner", "Value": "1"}]},
        "Tags[0].Key aws:owner begins with aws:",
    ),
    ("reserved-alias", {"AliasName": "alias/aws/mine"}, "begins with alias/aws/"),
    ("bad-alias", {"AliasName": "my-key"}, "AliasName my-key is not a valid alias name"),
    ("out-of-range", {"PendingWindowInDays": 3}, "PendingWindowInDays 3 is out of range"),
]


@pytest.mark.parametrize(
    ("properties", "message"),
    [case[1:] for case in INVALID_MODELS],
    ids=[case[0] for case in INVALID_MODELS],
)
def test_invalid_model_is_refused_without_any_kms_call(
    provider: Provider,
    operations: Callable[[], list[str]],
    properties: dict[str, Any],
    message: str,
) -> None:
    answer = provider.invoke("CREATE", properties)
    assert (answer["status"], answer["errorCode"]) == ("FAILED", "InvalidRequest")
    assert message in answer["message"]
    assert operations() == []
    assert provider.kms.list_keys()["Keys"] == []


@pytest.mark.parametrize(
    ("properties", "message"),
    [case[1:] for case in INVALID_MODELS],
    ids=[case[0] for case in INVALID_MODELS],
)
def test_the_handler_refuses_exactly_what_validation_finds(
    properties: dict[str, Any], message: str
) -> None:
    problems = validate(properties, "us-east-1")
    assert any(message in problem.message for problem in problems)


def test_unknown_property_is_refused_before_the_handler_runs(
    provider: Provider, operations: Callable[[], list[str]]
) -> None:
    # CloudFormation validates against the schema first; the runtime library refuses the rest.
    answer = provider.invoke("CREATE", {"Colour": "blue"})
    assert (answer["status"], answer["errorCode"]) == ("FAILED", "InvalidRequest")
    assert "Colour" in answer["message"]
    assert operations() == []
    problems = validate({"Colour": "blue"}, "us-east-1")
    assert problems[0].message.startswith("Colour is not a property of Keyforge::KMS::Key")


def test_description_is_never_echoed(provider: Provider) -> None:
    secret = "s3cr3t-" * 1200
    answer = provider.invoke("CREATE", {"Description": secret})
    assert answer["errorCode"] == "InvalidRequest"
    assert "s3cr3t" not in answer["message"]
    assert "is 8400 characters long" in answer["message"]


IMMUTABLE_CHANGES = [
    ("KeySpec", {"KeySpec": "RSA_2048", "KeyUsage": "SIGN_VERIFY"}, "RSA_3072"),
    ("KeyUsage", {"KeySpec": "RSA_2048", "KeyUsage": "SIGN_VERIFY"}, "ENCRYPT_DECRYPT"),
    ("Origin", {}, "EXTERNAL"),
    ("MultiRegion", {}, True),
]


@pytest.mark.parametrize(("name", "created", "new_value"), IMMUTABLE_CHANGES)
def test_immutable_change_is_not_updatable_and_writes_nothing(
    provider: Provider,
    operations: Callable[[], list[str]],
    name: str,
    created: dict[str, Any],
    new_value: Any,
) -> None:
    model = provider.create({**created, "Description": "before"})
    before = provider.kms.describe_key(KeyId=model["KeyId"])["KeyMetadata"]
    operations()
    answer = provider.invoke(
        "UPDATE", {**model, name: new_value, "Description": "after"}, previous=model
    )
    assert (answer["status"], answer["errorCode"]) == ("FAILED", "NotUpdatable")
    assert answer["message"].startswith(f"{name} cannot change from ")
    assert "new logical id" in answer["message"]
    made = operations()
    assert not WRITE_OPERATIONS & set(made), made
    after = provider.kms.describe_key(KeyId=model["KeyId"])["KeyMetadata"]
    assert after == before


@pytest.mark.parametrize("rule_id", [rule.id for rule in handler_rules() if rule.update_only])
def test_the_update_handler_refuses_what_a_registry_rule_judged_on_updates_finds(
    provider: Provider,
    operations: Callable[[], list[str]],
    monkeypatch: pytest.MonkeyPatch,
    rule_id: str,
) -> None:
    model = provider.create({})
    operations()
    judging_always(monkeypatch, rule_id)
    answer = provider.invoke("UPDATE", {**model, "Description": "after"}, previous=model)
    assert (answer["status"], answer["errorCode"]) == ("FAILED", "NotUpdatable")
    assert answer["message"] == f"{rule_id} judged"
    assert not WRITE_OPERATIONS & set(operations())


def test_omitted_immutable_equal_to_its_default_is_no_change(provider: Provider) -> None:
    model = provider.create({"KeySpec": "SYMMETRIC_DEFAULT", "MultiRegion": False})
    desired = {k: v for k, v in model.items() if k not in ("KeySpec", "KeyUsage", "MultiRegion")}
    answer = provider.run("UPDATE", {**desired, "Description": "x"}, previous=model)
    assert answer["status"] == "SUCCESS", answer


def test_invalid_update_is_refused_before_any_write(
    provider: Provider, operations: Callable[[], list[str]]
) -> None:
    model = provider.create({})
    operations()
    answer = provider.invoke(
        "UPDATE", {**model, "Tags": [{"Key": "aws:x", "Value": "1"}]}, previous=model
    )
    assert answer["errorCode"] == "InvalidRequest"
    assert not WRITE_OPERATIONS & set(operations())
