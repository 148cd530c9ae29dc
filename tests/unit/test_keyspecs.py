"""The key-spec catalogue, pinned row by row against the KMS reference (kms-key-specs.md).

The expected table (tests/reference.py) is written out from the reference document, not
derived from the catalogue, so a wrong row in the catalogue fails here.
"""

from __future__ import annotations

import re
from typing import Any

import boto3
import botocore.session
import pytest

from keyforge_kms_key import keyspecs
from keyforge_kms_key.keyspecs import KEY_SPECS, KEY_USAGES, Limits
from tests.reference import AGREE, ALL_USAGES, CHINA_ONLY, ENC, KEM, MAC, OUTSIDE_CHINA, SIGN
from tests.reference import CHINA_REGIONS as CHINA
from tests.reference import KEY_SPECS as EXPECTED

# The KeyMetadata / GetPublicKey field that carries the algorithms of each usage.
FIELD = {
    ENC: "EncryptionAlgorithms",
    SIGN: "SigningAlgorithms",
    MAC: "MacAlgorithms",
    AGREE: "KeyAgreementAlgorithms",
    KEM: "EncapsulationAlgorithms",
}

SPECS = sorted(EXPECTED)

NOT_CHINA = ("us-east-1", "eu-west-1", "ap-southeast-2", "us-gov-west-1", "eusc-de-east-1")


def _kms_model() -> Any:
    return botocore.session.get_session().get_service_model("kms")


# ---------------------------------------------------------------------------
# The catalogue against botocore's KMS service model


def test_the_expected_table_has_20_specs() -> None:
    assert len(EXPECTED) == 20


def test_catalogue_has_exactly_the_key_specs_of_the_kms_api() -> None:
    api_specs = _kms_model().shape_for("KeySpec").enum
    assert len(api_specs) == 20
    assert sorted(KEY_SPECS) == sorted(api_specs) == SPECS
    assert all(name == info.name for name, info in KEY_SPECS.items())


def test_catalogue_has_exactly_the_key_usages_of_the_kms_api() -> None:
    api_usages = _kms_model().shape_for("KeyUsageType").enum
    assert len(api_usages) == 5
    assert len(KEY_USAGES) == 5
    assert sorted(KEY_USAGES) == sorted(api_usages) == sorted(ALL_USAGES)
    assert sorted(u.value for u in keyspecs.KeyUsage) == sorted(ALL_USAGES)


def test_origins_are_the_two_that_aws_kms_key_offers() -> None:
    api_origins = set(_kms_model().shape_for("OriginType").enum)
    assert {o.value for o in keyspecs.Origin} == {"AWS_KMS", "EXTERNAL"}
    assert {o.value for o in keyspecs.Origin} <= api_origins


@pytest.mark.parametrize("usage", ALL_USAGES)
def test_algorithm_field_is_a_key_metadata_member_holding_the_right_enum(usage: str) -> None:
    assert keyspecs.ALGORITHM_FIELD[keyspecs.KeyUsage(usage)] == FIELD[usage]
    member = _kms_model().shape_for("KeyMetadata").members[FIELD[usage]]
    api_algorithms = set(member.member.enum)
    for spec, row in EXPECTED.items():
        if usage in row.algorithms:
            assert row.algorithms[usage] <= api_algorithms, spec
            assert set(KEY_SPECS[spec].algorithms[keyspecs.KeyUsage(usage)]) <= api_algorithms


def test_algorithm_fields_lists_the_five_fields() -> None:
    assert sorted(keyspecs.ALGORITHM_FIELDS) == sorted(FIELD.values())


# ---------------------------------------------------------------------------
# Each row of the reference table


@pytest.mark.parametrize("spec", SPECS)
def test_allowed_usages(spec: str) -> None:
    info = keyspecs.key_spec(spec)
    assert info is not None
    assert {str(u) for u in info.usages} == EXPECTED[spec].usages
    assert len(info.usages) == len(set(info.usages))


@pytest.mark.parametrize("spec", SPECS)
def test_algorithms_per_usage_and_their_field(spec: str) -> None:
    for usage, expected in EXPECTED[spec].algorithms.items():
        found = keyspecs.algorithms(spec, usage)
        assert set(found) == {FIELD[usage]}
        assert set(found[FIELD[usage]]) == expected
        assert len(found[FIELD[usage]]) == len(expected), "no algorithm listed twice"


@pytest.mark.parametrize("spec", SPECS)
def test_public_key(spec: str) -> None:
    assert KEY_SPECS[spec].has_public_key is EXPECTED[spec].public_key


@pytest.mark.parametrize("spec", SPECS)
def test_kind(spec: str) -> None:
    assert KEY_SPECS[spec].kind.value == EXPECTED[spec].kind


@pytest.mark.parametrize("spec", SPECS)
def test_rotation_eligibility(spec: str) -> None:
    assert KEY_SPECS[spec].can_rotate is EXPECTED[spec].rotation


@pytest.mark.parametrize("spec", SPECS)
def test_origin_external_outside_china(spec: str) -> None:
    info = KEY_SPECS[spec]
    assert info.importable is EXPECTED[spec].external
    assert info.importable_in(None) is EXPECTED[spec].external
    for region in NOT_CHINA:
        assert info.importable_in(region) is EXPECTED[spec].external, region


@pytest.mark.parametrize("spec", SPECS)
def test_origin_external_in_china_only_for_symmetric_keys(spec: str) -> None:
    for region in CHINA:
        assert KEY_SPECS[spec].importable_in(region) is EXPECTED[spec].external_in_china, region


@pytest.mark.parametrize("spec", SPECS)
def test_regions(spec: str) -> None:
    scope = EXPECTED[spec].regions
    info = KEY_SPECS[spec]
    for region in CHINA:
        assert info.exists_in(region) is (scope != OUTSIDE_CHINA), region
    for region in NOT_CHINA:
        assert info.exists_in(region) is (scope != CHINA_ONLY), region


@pytest.mark.parametrize("spec", SPECS)
def test_multi_region(spec: str) -> None:
    assert KEY_SPECS[spec].multi_region is EXPECTED[spec].multi_region


def test_only_sm2_is_china_only_and_only_ml_kem_is_outside_china() -> None:
    china_only = {n for n, i in KEY_SPECS.items() if i.regions is keyspecs.RegionScope.CHINA_ONLY}
    outside = {n for n, i in KEY_SPECS.items() if i.regions is keyspecs.RegionScope.OUTSIDE_CHINA}
    assert china_only == {"SM2"}
    assert outside == {"ML_KEM_512", "ML_KEM_768", "ML_KEM_1024"}


# ---------------------------------------------------------------------------
# All 20 x 5 (KeySpec, KeyUsage) pairs


PAIRS = [(spec, usage) for spec in SPECS for usage in ALL_USAGES]


def test_pair_count() -> None:
    assert len(PAIRS) == 100
    valid = [pair for pair in PAIRS if pair[1] in EXPECTED[pair[0]].usages]
    # 1 + 3*2 + 3*2 + 1 + 1 + 3 + 3 + 4 + 3 (SM2)
    assert len(valid) == 28


@pytest.mark.parametrize(("spec", "usage"), PAIRS)
def test_pair(spec: str, usage: str) -> None:
    valid = usage in EXPECTED[spec].usages
    assert keyspecs.is_valid_pair(spec, usage) is valid
    if valid:
        assert keyspecs.algorithms(spec, usage) == {
            FIELD[usage]: keyspecs.algorithms(spec, usage)[FIELD[usage]]
        }
        assert (
            set(keyspecs.algorithms(spec, usage)[FIELD[usage]])
            == (EXPECTED[spec].algorithms[usage])
        )
    else:
        assert keyspecs.algorithms(spec, usage) == {}


def test_elliptic_curve_keys_never_encrypt() -> None:
    for spec in SPECS:
        if spec.startswith("ECC_"):
            assert not keyspecs.is_valid_pair(spec, ENC), spec


@pytest.mark.parametrize(
    ("spec", "usage"),
    [
        ("RSA_1024", SIGN),
        ("SYMMETRIC_DEFAULTX", ENC),
        ("symmetric_default", ENC),
        ("SYMMETRIC_DEFAULT", "encrypt_decrypt"),
        ("RSA_2048", "SIGN"),
        ("", ""),
    ],
)
def test_unknown_names_are_not_valid_pairs(spec: str, usage: str) -> None:
    assert keyspecs.is_valid_pair(spec, usage) is False
    assert keyspecs.algorithms(spec, usage) == {}


def test_unknown_key_spec_has_no_entry() -> None:
    assert keyspecs.key_spec("RSA_1024") is None
    assert keyspecs.key_spec("SYMMETRIC_DEFAULT") is KEY_SPECS["SYMMETRIC_DEFAULT"]


# ---------------------------------------------------------------------------
# Defaults


def test_defaults() -> None:
    assert keyspecs.DEFAULT_KEY_SPEC == "SYMMETRIC_DEFAULT"
    assert keyspecs.DEFAULT_KEY_USAGE == "ENCRYPT_DECRYPT"
    assert keyspecs.DEFAULT_ORIGIN == "AWS_KMS"
    assert keyspecs.effective_key_spec(None) == "SYMMETRIC_DEFAULT"
    assert keyspecs.effective_key_usage(None) == "ENCRYPT_DECRYPT"
    assert keyspecs.effective_key_spec("HMAC_256") == "HMAC_256"
    assert keyspecs.effective_key_usage("SIGN_VERIFY") == "SIGN_VERIFY"


def test_default_pair_is_valid() -> None:
    spec = keyspecs.effective_key_spec(None)
    usage = keyspecs.effective_key_usage(None)
    assert keyspecs.is_valid_pair(spec, usage)
    assert keyspecs.algorithms(spec, usage) == {"EncryptionAlgorithms": ("SYMMETRIC_DEFAULT",)}


def test_spec_without_usage_gets_encrypt_decrypt() -> None:
    # KeySpec ECC_NIST_P256 with no KeyUsage is an invalid pair.
    assert not keyspecs.is_valid_pair("ECC_NIST_P256", keyspecs.effective_key_usage(None))
    # RSA_2048 with no KeyUsage is an RSA encryption key.
    assert keyspecs.is_valid_pair("RSA_2048", keyspecs.effective_key_usage(None))


def test_usage_without_spec_gets_symmetric_default() -> None:
    # KeyUsage SIGN_VERIFY with no KeySpec is an invalid pair.
    assert not keyspecs.is_valid_pair(keyspecs.effective_key_spec(None), SIGN)
    assert keyspecs.is_valid_pair(keyspecs.effective_key_spec(None), ENC)


# ---------------------------------------------------------------------------
# Limits


def test_rotation_limits() -> None:
    assert (Limits.ROTATION_PERIOD_DAYS.minimum, Limits.ROTATION_PERIOD_DAYS.maximum) == (90, 2560)
    assert Limits.DEFAULT_ROTATION_PERIOD_DAYS == 365
    assert 90 in Limits.ROTATION_PERIOD_DAYS
    assert 2560 in Limits.ROTATION_PERIOD_DAYS
    assert 89 not in Limits.ROTATION_PERIOD_DAYS
    assert 2561 not in Limits.ROTATION_PERIOD_DAYS
    assert Limits.DEFAULT_ROTATION_PERIOD_DAYS in Limits.ROTATION_PERIOD_DAYS


def test_pending_window_limits() -> None:
    assert (Limits.PENDING_WINDOW_DAYS.minimum, Limits.PENDING_WINDOW_DAYS.maximum) == (7, 30)
    assert Limits.DEFAULT_PENDING_WINDOW_DAYS == 30
    assert 6 not in Limits.PENDING_WINDOW_DAYS
    assert 31 not in Limits.PENDING_WINDOW_DAYS


def test_range_refuses_what_is_not_an_integer() -> None:
    assert "30" not in Limits.PENDING_WINDOW_DAYS
    assert None not in Limits.PENDING_WINDOW_DAYS
    assert str(Limits.PENDING_WINDOW_DAYS) == "7 to 30"


def test_tag_limits() -> None:
    assert Limits.MAX_TAGS == 50
    assert (Limits.TAG_KEY_LENGTH.minimum, Limits.TAG_KEY_LENGTH.maximum) == (1, 128)
    assert (Limits.TAG_VALUE_LENGTH.minimum, Limits.TAG_VALUE_LENGTH.maximum) == (0, 256)
    assert Limits.RESERVED_TAG_PREFIX == "aws:"


def test_policy_and_description_limits() -> None:
    assert Limits.POLICY_MAX_BYTES == 32768
    assert Limits.DESCRIPTION_MAX_LENGTH == 8192


def test_alias_limits() -> None:
    assert Limits.ALIAS_PREFIX == "alias/"
    assert Limits.RESERVED_ALIAS_PREFIX == "alias/aws/"
    assert Limits.ALIAS_MAX_LENGTH == 256


@pytest.mark.parametrize(
    "name", ["alias/my-app", "alias/my-app/signing_key-1", "alias/A", "alias/aws/ebs", "alias/a/"]
)
def test_alias_pattern_accepts(name: str) -> None:
    assert re.fullmatch(Limits.ALIAS_PATTERN, name)


@pytest.mark.parametrize(
    "name",
    ["alias/", "my-app", "Alias/my-app", "alias/my app", "alias/my.app", "alias/my:app", ""],
)
def test_alias_pattern_refuses(name: str) -> None:
    assert not re.fullmatch(Limits.ALIAS_PATTERN, name)


# ---------------------------------------------------------------------------
# Regions and partitions


def test_china_regions() -> None:
    assert sorted(keyspecs.CHINA_REGIONS) == list(CHINA)
    for region in CHINA:
        assert keyspecs.is_china_region(region)
    for region in NOT_CHINA:
        assert not keyspecs.is_china_region(region)


@pytest.mark.parametrize(
    ("region", "partition"),
    [
        ("us-east-1", "aws"),
        ("eu-central-1", "aws"),
        ("ap-southeast-2", "aws"),
        ("cn-north-1", "aws-cn"),
        ("cn-northwest-1", "aws-cn"),
        ("us-gov-west-1", "aws-us-gov"),
        ("us-gov-east-1", "aws-us-gov"),
        ("us-iso-east-1", "aws-iso"),
        ("us-isob-east-1", "aws-iso-b"),
        ("eu-isoe-west-1", "aws-iso-e"),
        ("us-isof-south-1", "aws-iso-f"),
        ("eusc-de-east-1", "aws-eusc"),
    ],
)
def test_partition_of(region: str, partition: str) -> None:
    assert keyspecs.partition_of(region) == partition


def test_partition_of_agrees_with_botocore_for_every_kms_region() -> None:
    session = boto3.session.Session()
    checked = 0
    for partition in session.get_available_partitions():
        for region in session.get_available_regions("kms", partition_name=partition):
            assert keyspecs.partition_of(region) == partition, region
            checked += 1
    assert checked > 30
