"""The exact KMS calls each handler makes: no waits, no call that the model does not need.

Targets: READ and CREATE of a key with defaults at most 6 calls, an UPDATE of one property at
most 6, DELETE at most 3, without giving up anything READ reports.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.embedded import ACCOUNT, Provider, make_principals

BENCH = Path(__file__).resolve().parents[2] / "bench"
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
    assert operations() == ["CreateKey", "DescribeKey", "GetPublicKey"]
    assert provider.read(model["KeyId"])["resourceModel"] == model
    assert operations() == READ_ASYMMETRIC
    updated = provider.run("UPDATE", {**model, "Description": "new"}, previous=model)
    assert operations() == [
        "DescribeKey",
        "GetKeyPolicy",
        "ListAliases",
        "UpdateKeyDescription",
        "ListResourceTags",
        "GetPublicKey",
    ]
    assert provider.read(model["KeyId"])["resourceModel"] == updated["resourceModel"]
    operations()
    provider.run("DELETE", model)
    assert operations() == ["DescribeKey", "ScheduleKeyDeletion"]


def test_symmetric_with_rotation_tags_and_policy(
    provider: Provider, operations: Callable[[], list[str]]
) -> None:
    make_principals(f"arn:aws:iam::{ACCOUNT}:role/App")
    model = provider.create(
        {
            "EnableKeyRotation": True,
            "RotationPeriodInDays": 180,
            "Tags": [{"Key": "team", "Value": "platform"}],
            "KeyUsers": [f"arn:aws:iam::{ACCOUNT}:role/App"],
            "AliasName": "alias/counted",
        }
    )
    assert operations() == ["CreateKey", "CreateAlias", "EnableKeyRotation", "DescribeKey"]
    assert provider.read(model["KeyId"])["resourceModel"] == model
    operations()
    tagged = {**model, "Tags": [{"Key": "team", "Value": "data"}]}
    updated = provider.run("UPDATE", tagged, previous=model)
    assert operations() == [
        "DescribeKey",
        "GetKeyPolicy",
        "ListAliases",
        "GetKeyRotationStatus",
        "ListResourceTags",
        "TagResource",
    ]
    assert provider.read(model["KeyId"])["resourceModel"] == updated["resourceModel"]
    operations()
    provider.run("DELETE", model)
    assert operations() == ["DescribeKey", "DeleteAlias", "ScheduleKeyDeletion"]


def test_the_benchmark_counts_these_calls(monkeypatch: pytest.MonkeyPatch) -> None:
    """`make bench` prints its call counts from its own run; it must still run, and agree."""
    monkeypatch.syspath_prepend(str(BENCH))
    spec = importlib.util.spec_from_file_location("bench_figures", BENCH / "figures.py")
    assert spec is not None and spec.loader is not None
    figures = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(figures)

    counts = figures.calls_per_operation(figures.SYMMETRIC)

    assert counts == {"CREATE": 4, "READ": 5, "UPDATE": 6, "DELETE": 3}
