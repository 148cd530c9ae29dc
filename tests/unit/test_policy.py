"""The console's default key policy, pinned statement by statement for each key type."""

from __future__ import annotations

import json
from typing import Any

import pytest

from keyforge_kms_key.policy import (
    KeyFacts,
    PolicyBuilder,
    default_policy,
    policy_document,
    policy_properties,
    recognise,
)

ADMIN = "arn:aws:iam::111122223333:role/KeyAdmin"
ADMIN_2 = "arn:aws:iam::111122223333:user/alice"
USER = "arn:aws:iam::111122223333:role/App"
OTHER_ACCOUNT = "444455556666"
ROOT_STATEMENT = {
    "Sid": "Enable IAM User Permissions",
    "Effect": "Allow",
    "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
    "Action": "kms:*",
    "Resource": "*",
}
ADMIN_ACTIONS = [
    "kms:Create*",
    "kms:Describe*",
    "kms:Enable*",
    "kms:List*",
    "kms:Put*",
    "kms:Update*",
    "kms:Revoke*",
    "kms:Disable*",
    "kms:Get*",
    "kms:Delete*",
    "kms:TagResource",
    "kms:UntagResource",
]


def facts(spec: str, usage: str, origin: str = "AWS_KMS", multi_region: bool = False) -> KeyFacts:
    return KeyFacts(spec, usage, origin, multi_region, "aws", "111122223333")


def build(properties: dict[str, Any], key: KeyFacts) -> dict[str, Any]:
    text = policy_document(properties, key)
    assert text is not None
    document: dict[str, Any] = json.loads(text)
    return document


def statement(document: dict[str, Any], sid: str) -> dict[str, Any] | None:
    return next((s for s in document["Statement"] if s["Sid"] == sid), None)


CONSOLE = {"KeyAdministrators": [ADMIN], "KeyUsers": [USER], "ExternalAccounts": [OTHER_ACCOUNT]}
USERS = [USER, f"arn:aws:iam::{OTHER_ACCOUNT}:root"]


def test_symmetric_key_policy_is_the_consoles() -> None:
    document = build(CONSOLE, facts("SYMMETRIC_DEFAULT", "ENCRYPT_DECRYPT"))
    assert document == {
        "Version": "2012-10-17",
        "Id": "keyforge-console-default-policy",
        "Statement": [
            ROOT_STATEMENT,
            {
                "Sid": "Allow access for Key Administrators",
                "Effect": "Allow",
                "Principal": {"AWS": [ADMIN]},
                "Action": [*ADMIN_ACTIONS, "kms:ScheduleKeyDeletion", "kms:CancelKeyDeletion"],
                "Resource": "*",
            },
            {
                "Sid": "Allow use of the key",
                "Effect": "Allow",
                "Principal": {"AWS": USERS},
                "Action": [
                    "kms:Encrypt",
                    "kms:Decrypt",
                    "kms:ReEncrypt*",
                    "kms:GenerateDataKey*",
                    "kms:DescribeKey",
                ],
                "Resource": "*",
            },
            {
                "Sid": "Allow attachment of persistent resources",
                "Effect": "Allow",
                "Principal": {"AWS": USERS},
                "Action": ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"],
                "Resource": "*",
                "Condition": {"Bool": {"kms:GrantIsForAWSResource": True}},
            },
        ],
    }


@pytest.mark.parametrize(
    ("spec", "usage", "actions"),
    [
        (
            "HMAC_256",
            "GENERATE_VERIFY_MAC",
            ["kms:DescribeKey", "kms:GenerateMac", "kms:VerifyMac"],
        ),
        (
            "RSA_4096",
            "ENCRYPT_DECRYPT",
            ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:DescribeKey", "kms:GetPublicKey"],
        ),
        (
            "ECC_NIST_P521",
            "SIGN_VERIFY",
            ["kms:DescribeKey", "kms:GetPublicKey", "kms:Sign", "kms:Verify"],
        ),
        (
            "ML_DSA_65",
            "SIGN_VERIFY",
            ["kms:DescribeKey", "kms:GetPublicKey", "kms:Sign", "kms:Verify"],
        ),
        (
            "ECC_NIST_P256",
            "KEY_AGREEMENT",
            ["kms:DescribeKey", "kms:GetPublicKey", "kms:DeriveSharedSecret"],
        ),
        (
            "ML_KEM_768",
            "ENCAPSULATE_DECAPSULATE",
            ["kms:DescribeKey", "kms:GetPublicKey", "kms:Encapsulate", "kms:Decapsulate"],
        ),
    ],
)
def test_key_users_get_the_operations_of_the_key_type_and_no_grants(
    spec: str, usage: str, actions: list[str]
) -> None:
    document = build(CONSOLE, facts(spec, usage))
    users = statement(document, "Allow use of the key")
    assert users is not None
    assert users["Action"] == actions
    assert users["Principal"] == {"AWS": USERS}
    assert statement(document, "Allow attachment of persistent resources") is None
    assert document["Statement"][0]["Sid"] == "Enable IAM User Permissions"


def test_administrators_without_deletion() -> None:
    document = build(
        {"KeyAdministrators": [ADMIN], "AllowKeyAdministratorsToDelete": False},
        facts("SYMMETRIC_DEFAULT", "ENCRYPT_DECRYPT"),
    )
    admins = statement(document, "Allow access for Key Administrators")
    assert admins is not None and admins["Action"] == ADMIN_ACTIONS


def test_imported_and_multi_region_keys_give_administrators_more() -> None:
    admins = statement(
        build(
            {"KeyAdministrators": [ADMIN]},
            facts("SYMMETRIC_DEFAULT", "ENCRYPT_DECRYPT", origin="EXTERNAL", multi_region=True),
        ),
        "Allow access for Key Administrators",
    )
    assert admins is not None
    assert admins["Action"][-5:] == [
        "kms:ScheduleKeyDeletion",
        "kms:CancelKeyDeletion",
        "kms:ImportKeyMaterial",
        "kms:ReplicateKey",
        "kms:UpdatePrimaryRegion",
    ]


def test_partition_and_account_come_from_the_key() -> None:
    china = KeyFacts("SYMMETRIC_DEFAULT", "ENCRYPT_DECRYPT", "AWS_KMS", False, "aws-cn", "999")
    document = build({"ExternalAccounts": ["123456789012"]}, china)
    assert document["Statement"][0]["Principal"] == {"AWS": "arn:aws-cn:iam::999:root"}
    users = statement(document, "Allow use of the key")
    assert users is not None
    assert users["Principal"] == {"AWS": ["arn:aws-cn:iam::123456789012:root"]}


def test_output_is_deterministic_whatever_the_input_order() -> None:
    key = facts("SYMMETRIC_DEFAULT", "ENCRYPT_DECRYPT")
    one = policy_document({"KeyAdministrators": [ADMIN, ADMIN_2], "KeyUsers": [USER]}, key)
    two = policy_document({"KeyAdministrators": [ADMIN_2, ADMIN], "KeyUsers": [USER]}, key)
    assert one == two


def test_no_policy_properties_means_kms_default() -> None:
    key = facts("SYMMETRIC_DEFAULT", "ENCRYPT_DECRYPT")
    assert policy_document({}, key) is None
    assert json.loads(default_policy(key))["Statement"] == [ROOT_STATEMENT]


def test_hand_written_policy_is_sent_as_is() -> None:
    key = facts("SYMMETRIC_DEFAULT", "ENCRYPT_DECRYPT")
    assert policy_document({"KeyPolicy": '{"Statement": []}'}, key) == '{"Statement": []}'
    assert json.loads(policy_document({"KeyPolicy": {"Statement": []}}, key) or "") == {
        "Statement": []
    }


@pytest.mark.parametrize(
    "properties",
    [
        CONSOLE,
        {"KeyUsers": [USER]},
        {"KeyAdministrators": [ADMIN, ADMIN_2], "AllowKeyAdministratorsToDelete": False},
        {"ExternalAccounts": [OTHER_ACCOUNT, "777788889999"]},
        {"AllowKeyAdministratorsToDelete": True},
    ],
)
@pytest.mark.parametrize(
    ("spec", "usage"),
    [
        ("SYMMETRIC_DEFAULT", "ENCRYPT_DECRYPT"),
        ("HMAC_384", "GENERATE_VERIFY_MAC"),
        ("RSA_2048", "SIGN_VERIFY"),
    ],
)
def test_read_recognises_what_the_builder_made(
    properties: dict[str, Any], spec: str, usage: str
) -> None:
    key = facts(spec, usage)
    text = policy_document(properties, key)
    assert text is not None
    read = policy_properties(text, key)
    expected = PolicyBuilder.from_properties(properties)
    assert expected is not None
    assert read == expected.to_properties()
    for name, value in properties.items():
        assert read[name] == (sorted(value) if isinstance(value, list) else value)


def test_a_changed_builder_policy_reads_back_as_key_policy() -> None:
    key = facts("SYMMETRIC_DEFAULT", "ENCRYPT_DECRYPT")
    document = build(CONSOLE, key)
    document["Statement"][1]["Action"].append("kms:Sign")
    assert recognise(document, key) is None
    assert policy_properties(json.dumps(document), key) == {"KeyPolicy": document}


def test_other_policies_read_back_as_key_policy() -> None:
    key = facts("SYMMETRIC_DEFAULT", "ENCRYPT_DECRYPT")
    kms_default = default_policy(key)
    assert policy_properties(kms_default, key) == {"KeyPolicy": json.loads(kms_default)}
