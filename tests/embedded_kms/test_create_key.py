"""CreateKey refuses what KMS refuses and describes keys as KMS does."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from keyforge_kms_key.keyspecs import KEY_SPECS, KEY_USAGES, algorithms, is_valid_pair

from .conftest import error_of, new_key

INVALID_PAIRS = [
    (spec, usage)
    for spec in KEY_SPECS
    if spec != "SM2"
    for usage in KEY_USAGES
    if not is_valid_pair(spec, usage)
]
# Every valid pair but the slow RSA sizes (RSA_2048 stands for them) and SM2 (China only).
CHEAP_VALID_PAIRS = [
    (spec, usage)
    for spec, info in KEY_SPECS.items()
    if spec not in ("RSA_3072", "RSA_4096", "SM2")
    for usage in info.usages
]


@pytest.mark.parametrize(("spec", "usage"), INVALID_PAIRS)
def test_an_invalid_pair_is_refused(kms: Any, spec: str, usage: str) -> None:
    code, message = error_of(kms.create_key, KeySpec=spec, KeyUsage=usage)
    assert code == "ValidationException"
    assert spec in message and usage in message
    assert kms.list_keys()["Keys"] == []


def test_defaults_apply_before_the_pair_is_checked(kms: Any) -> None:
    assert error_of(kms.create_key, KeySpec="ECC_NIST_P256")[0] == "ValidationException"
    assert error_of(kms.create_key, KeyUsage="SIGN_VERIFY")[0] == "ValidationException"
    metadata = kms.create_key()["KeyMetadata"]
    assert (metadata["KeySpec"], metadata["KeyUsage"]) == ("SYMMETRIC_DEFAULT", "ENCRYPT_DECRYPT")


def test_unknown_key_usage_and_spec_are_refused(kms: Any) -> None:
    code, message = error_of(kms.create_key, KeyUsage="FOO")
    assert code == "ValidationException" and "FOO" in message
    assert error_of(kms.create_key, KeySpec="RSA_1024")[0] == "ValidationException"


@pytest.mark.parametrize(("spec", "usage"), CHEAP_VALID_PAIRS)
def test_a_valid_pair_makes_a_key_listing_its_algorithms(kms: Any, spec: str, usage: str) -> None:
    metadata = kms.create_key(KeySpec=spec, KeyUsage=usage)["KeyMetadata"]
    assert (metadata["KeySpec"], metadata["KeyUsage"]) == (spec, usage)
    assert metadata["MultiRegion"] is False
    listed = {field: metadata[field] for field in metadata if field.endswith("Algorithms")}
    assert listed == {field: list(names) for field, names in algorithms(spec, usage).items()}


def test_metadata_always_carries_key_usage_and_multi_region(kms: Any) -> None:
    key_id = kms.create_key(KeySpec="HMAC_256", KeyUsage="GENERATE_VERIFY_MAC")["KeyMetadata"][
        "KeyId"
    ]
    described = kms.describe_key(KeyId=key_id)["KeyMetadata"]
    assert described["KeyUsage"] == "GENERATE_VERIFY_MAC"
    assert described["MultiRegion"] is False


def test_multi_region_key_ids_start_with_mrk(kms: Any) -> None:
    metadata = kms.create_key(MultiRegion=True)["KeyMetadata"]
    assert metadata["KeyId"].startswith("mrk-")
    assert metadata["MultiRegion"] is True
    assert not new_key(kms).startswith("mrk-")


def test_sm2_exists_only_in_china_regions(kms_in: Callable[[str], Any]) -> None:
    code, message = error_of(kms_in("us-east-1").create_key, KeySpec="SM2", KeyUsage="SIGN_VERIFY")
    assert code == "ValidationException" and "SM2" in message
    metadata = kms_in("cn-north-1").create_key(KeySpec="SM2", KeyUsage="SIGN_VERIFY")["KeyMetadata"]
    assert metadata["SigningAlgorithms"] == ["SM2DSA"]
    assert metadata["Arn"].startswith("arn:aws-cn:kms:cn-north-1:")


def test_ml_kem_does_not_exist_in_china_regions(kms_in: Callable[[str], Any]) -> None:
    for region in ("cn-north-1", "cn-northwest-1"):
        code, _ = error_of(
            kms_in(region).create_key, KeySpec="ML_KEM_768", KeyUsage="ENCAPSULATE_DECAPSULATE"
        )
        assert code == "ValidationException"


def test_imported_key_material_is_refused_for_ml_dsa(kms: Any) -> None:
    for spec in ("ML_DSA_44", "ML_DSA_65", "ML_DSA_87"):
        code, _ = error_of(kms.create_key, KeySpec=spec, KeyUsage="SIGN_VERIFY", Origin="EXTERNAL")
        assert code == "UnsupportedOperationException"
    metadata = kms.create_key(Origin="EXTERNAL")["KeyMetadata"]
    assert (metadata["Origin"], metadata["KeyState"], metadata["Enabled"]) == (
        "EXTERNAL",
        "PendingImport",
        False,
    )


def test_a_key_pending_import_cannot_be_used_or_enabled(kms: Any) -> None:
    key_id = new_key(kms, "ECC_NIST_P256", "SIGN_VERIFY", Origin="EXTERNAL")
    assert error_of(kms.get_public_key, KeyId=key_id)[0] == "KMSInvalidStateException"
    assert error_of(kms.enable_key, KeyId=key_id)[0] == "KMSInvalidStateException"
    kms.schedule_key_deletion(KeyId=key_id, PendingWindowInDays=7)
    assert kms.describe_key(KeyId=key_id)["KeyMetadata"]["KeyState"] == "PendingDeletion"


def test_only_symmetric_keys_are_imported_in_china(kms_in: Callable[[str], Any]) -> None:
    china = kms_in("cn-north-1")
    code, _ = error_of(
        china.create_key, KeySpec="ECC_NIST_P256", KeyUsage="SIGN_VERIFY", Origin="EXTERNAL"
    )
    assert code == "UnsupportedOperationException"
    assert china.create_key(Origin="EXTERNAL")["KeyMetadata"]["KeySpec"] == "SYMMETRIC_DEFAULT"


def test_create_key_refuses_a_policy_that_is_not_a_json_object(kms: Any) -> None:
    assert error_of(kms.create_key, Policy="not json")[0] == "MalformedPolicyDocumentException"
    assert error_of(kms.create_key, Policy="[]")[0] == "MalformedPolicyDocumentException"
    big = '{"Statement": [], "Padding": "' + "x" * 32768 + '"}'
    assert error_of(kms.create_key, Policy=big)[0] == "LimitExceededException"
    assert kms.list_keys()["Keys"] == []


def test_create_key_refuses_reserved_tags(kms: Any) -> None:
    code, _ = error_of(kms.create_key, Tags=[{"TagKey": "aws:owner", "TagValue": "x"}])
    assert code == "TagException"
