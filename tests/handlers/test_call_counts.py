"""The exact KMS calls each handler makes: no waits, no call that the model does not need."""

from __future__ import annotations

from collections.abc import Callable

from .conftest import ACCOUNT, Provider

CREATE_KEY = ["CreateKey"]
READ_ASYMMETRIC = ["DescribeKey", "GetKeyPolicy", "ListResourceTags", "ListAliases", "GetPublicKey"]
READ_SYMMETRIC = [
    "DescribeKey",
    "GetKeyPolicy",
    "GetKeyRotationStatus",
    "ListResourceTags",
    "ListAliases",
]


def test_rsa_4096_with_defaults(provider: Provider, operations: Callable[[], list[str]]) -> None:
    model = provider.create({"KeySpec": "RSA_4096", "KeyUsage": "ENCRYPT_DECRYPT"})
    assert operations() == [*CREATE_KEY, *READ_ASYMMETRIC]
    provider.read(model["KeyId"])
    assert operations() == READ_ASYMMETRIC
    provider.run("UPDATE", {**model, "Description": "new"}, previous=model)
    assert operations() == [
        "DescribeKey",
        "ListAliases",
        "UpdateKeyDescription",
        "GetKeyPolicy",
        "ListResourceTags",
        *READ_ASYMMETRIC,
    ]
    provider.run("DELETE", model)
    assert operations() == ["DescribeKey", "ScheduleKeyDeletion"]


def test_symmetric_with_rotation_tags_and_policy(
    provider: Provider, operations: Callable[[], list[str]]
) -> None:
    model = provider.create(
        {
            "EnableKeyRotation": True,
            "RotationPeriodInDays": 180,
            "Tags": [{"Key": "team", "Value": "platform"}],
            "KeyUsers": [f"arn:aws:iam::{ACCOUNT}:role/App"],
            "AliasName": "alias/counted",
        }
    )
    assert operations() == [*CREATE_KEY, "CreateAlias", "EnableKeyRotation", *READ_SYMMETRIC]
    provider.run("UPDATE", {**model, "Tags": [{"Key": "team", "Value": "data"}]}, previous=model)
    assert operations() == [
        "DescribeKey",
        "ListAliases",
        "GetKeyRotationStatus",
        "GetKeyPolicy",
        "ListResourceTags",
        "TagResource",
        *READ_SYMMETRIC,
    ]
    provider.run("DELETE", model)
    assert operations() == ["DescribeKey", "ListAliases", "DeleteAlias", "ScheduleKeyDeletion"]
