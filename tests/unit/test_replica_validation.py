"""ReplicaRegions: what ReplicateKey would refuse, found before any KMS call."""

from __future__ import annotations

from typing import Any

import pytest

from keyforge_kms_key.keyspecs import KEY_SPECS
from keyforge_kms_key.validation import replica_problems, validate

MRK: dict[str, Any] = {"MultiRegion": True}


def messages(properties: dict[str, Any], region: str | None = "us-east-1") -> list[str]:
    return [problem.message for problem in replica_problems(properties, region)]


def test_every_key_spec_may_be_multi_region() -> None:
    assert all(info.multi_region for info in KEY_SPECS.values())


@pytest.mark.parametrize("multi_region", [None, False])
def test_needs_multi_region_true(multi_region: bool | None) -> None:
    properties: dict[str, Any] = {"ReplicaRegions": ["eu-west-1"]}
    if multi_region is not None:
        properties["MultiRegion"] = multi_region
    assert messages(properties) == [
        "ReplicaRegions needs MultiRegion true: only a multi-Region key can be replicated. "
        "Set MultiRegion to true when the key is created (it cannot change later), or remove "
        "ReplicaRegions."
    ]


def test_valid_replicas_and_an_empty_list() -> None:
    assert messages({**MRK, "ReplicaRegions": ["eu-west-1", "ap-southeast-2"]}) == []
    assert messages({"ReplicaRegions": []}) == []
    assert validate({**MRK, "ReplicaRegions": ["eu-west-1"]}, "us-east-1") == []


def test_own_region_duplicates_and_other_partition() -> None:
    regions = ["us-east-1", "eu-west-1", "eu-west-1", "cn-north-1", "us-gov-west-1"]
    problems = replica_problems({**MRK, "ReplicaRegions": regions}, "us-east-1")
    assert [problem.path for problem in problems] == [
        ("ReplicaRegions", 0),
        ("ReplicaRegions", 2),
        ("ReplicaRegions", 3),
        ("ReplicaRegions", 4),
    ]
    assert "the stack's own Region" in problems[0].message
    assert "twice" in problems[1].message
    assert "partition aws-cn" in problems[2].message
    assert "partition aws-us-gov" in problems[3].message


def test_partitions_mixed_without_a_stack_region() -> None:
    assert messages({**MRK, "ReplicaRegions": ["eu-west-1", "cn-north-1"]}, None) == [
        "ReplicaRegions mixes partitions (aws, aws-cn): the replicas of a key are all in its "
        "partition."
    ]


def test_key_spec_must_exist_in_the_replica_region() -> None:
    sm2 = {**MRK, "KeySpec": "SM2", "KeyUsage": "SIGN_VERIFY", "ReplicaRegions": ["eu-west-1"]}
    assert messages(sm2, None) == [
        "Replica Region eu-west-1: KeySpec SM2 is not available in eu-west-1: SM2 keys exist "
        "only in the China Regions (cn-north-1, cn-northwest-1)."
    ]
    assert messages({**sm2, "ReplicaRegions": ["cn-northwest-1"]}, "cn-north-1") == []
    kem = {
        **MRK,
        "KeySpec": "ML_KEM_768",
        "KeyUsage": "ENCAPSULATE_DECAPSULATE",
        "ReplicaRegions": ["cn-northwest-1"],
    }
    assert messages(kem, None) == [
        "Replica Region cn-northwest-1: KeySpec ML_KEM_768 is not available in cn-northwest-1: "
        "ML_KEM_768 keys exist in every Region but the China Regions."
    ]


def test_imported_material_must_be_importable_in_the_replica_region() -> None:
    rsa = {
        **MRK,
        "KeySpec": "RSA_2048",
        "KeyUsage": "SIGN_VERIFY",
        "Origin": "EXTERNAL",
        "ReplicaRegions": ["cn-northwest-1"],
    }
    assert messages(rsa, None) == [
        "Replica Region cn-northwest-1: Origin EXTERNAL is not allowed for KeySpec RSA_2048: in "
        "cn-northwest-1 only symmetric (SYMMETRIC_DEFAULT) key material can be imported; use "
        "Origin AWS_KMS."
    ]


def test_intrinsics_are_skipped() -> None:
    assert messages({"MultiRegion": {"Ref": "Multi"}, "ReplicaRegions": ["eu-west-1"]}) == []
    assert messages({**MRK, "ReplicaRegions": {"Ref": "Regions"}}) == []
    assert messages({**MRK, "ReplicaRegions": [{"Ref": "AWS::Region"}, "eu-west-1"]}) == []
