"""What `keyforge import-key-material` asks KMS for, decided before any call."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime, timedelta, timezone

import pytest

from keyforge.command import CommandError
from keyforge.commands.import_key_material import (
    ImportOptions,
    check_options,
    choose_wrapping,
    import_request,
    valid_to_argument,
)

NOW = datetime(2027, 1, 1, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2027-03-01", datetime(2027, 3, 1, tzinfo=UTC)),
        ("2027-03-01T12:30:00", datetime(2027, 3, 1, 12, 30, tzinfo=UTC)),
        ("2027-03-01T12:30:00Z", datetime(2027, 3, 1, 12, 30, tzinfo=UTC)),
        (
            "2027-03-01T12:30:00+02:00",
            datetime(2027, 3, 1, 12, 30, tzinfo=timezone(timedelta(hours=2))),
        ),
    ],
)
def test_valid_to_is_a_date_or_an_iso_time_in_utc_unless_it_says(
    text: str, expected: datetime
) -> None:
    assert valid_to_argument(text) == expected


@pytest.mark.parametrize("text", ["tomorrow", "2027-13-01", "01/03/2027"])
def test_anything_else_is_a_usage_error(text: str) -> None:
    with pytest.raises(argparse.ArgumentTypeError, match="is not a date"):
        valid_to_argument(text)


@pytest.mark.parametrize(
    ("spec", "region", "options", "expected"),
    [
        ("SYMMETRIC_DEFAULT", "us-east-1", ImportOptions(), ("RSAES_OAEP_SHA_256", "RSA_4096")),
        ("ECC_NIST_P521", None, ImportOptions(), ("RSA_AES_KEY_WRAP_SHA_256", "RSA_4096")),
        (
            "ECC_NIST_P256",
            None,
            ImportOptions(wrapping_algorithm="RSAES_OAEP_SHA_1"),
            ("RSAES_OAEP_SHA_1", "RSA_4096"),
        ),
        (
            "RSA_3072",
            None,
            ImportOptions(wrapping_key_spec="RSA_2048"),
            ("RSA_AES_KEY_WRAP_SHA_256", "RSA_2048"),
        ),
    ],
)
def test_the_wrapping_is_the_options_over_the_defaults(
    spec: str, region: str | None, options: ImportOptions, expected: tuple[str, str]
) -> None:
    assert choose_wrapping(spec, region, options) == expected


@pytest.mark.parametrize(
    "options",
    [ImportOptions(wrapping_algorithm="SM2PKE"), ImportOptions(wrapping_key_spec="SM2")],
)
def test_sm2pke_goes_with_an_sm2_wrapping_key_and_is_not_available(
    options: ImportOptions,
) -> None:
    with pytest.raises(CommandError, match="cryptography has no SM2 encryption"):
        choose_wrapping("SYMMETRIC_DEFAULT", "cn-north-1", options)


def test_options_only_symmetric_keys_take() -> None:
    check_options("SYMMETRIC_DEFAULT", ImportOptions(new_material=True, description="x"), NOW)
    for options in (ImportOptions(new_material=True), ImportOptions(description="x")):
        with pytest.raises(CommandError, match="RSA_2048 keys take one key material for life"):
            check_options("RSA_2048", options, NOW)


def test_the_request_says_whether_and_when_the_material_expires() -> None:
    never = import_request(ImportOptions(), b"token", b"wrapped")
    assert never == {
        "ImportToken": b"token",
        "EncryptedKeyMaterial": b"wrapped",
        "ExpirationModel": "KEY_MATERIAL_DOES_NOT_EXPIRE",
    }
    when = NOW + timedelta(days=30)
    options = ImportOptions(valid_to=when, new_material=True, description="2027")
    assert import_request(options, b"t", b"w") == {
        "ImportToken": b"t",
        "EncryptedKeyMaterial": b"w",
        "ExpirationModel": "KEY_MATERIAL_EXPIRES",
        "ValidTo": when,
        "ImportType": "NEW_KEY_MATERIAL",
        "KeyMaterialDescription": "2027",
    }
