"""Alias, key administrators / users / other accounts, as the console's key wizard offers them."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from tests.embedded import ACCOUNT, Provider, make_principals

ADMIN = f"arn:aws:iam::{ACCOUNT}:role/KeyAdmin"
USER = f"arn:aws:iam::{ACCOUNT}:role/App"
OTHER = "444455556666"


@pytest.fixture(autouse=True)
def roles(kms: Any) -> None:
    make_principals(ADMIN, USER)


def aliases(provider: Provider) -> dict[str, str]:
    listed = provider.kms.list_aliases()["Aliases"]
    return {
        a["AliasName"]: a["TargetKeyId"]
        for a in listed
        if "TargetKeyId" in a and not a["AliasName"].startswith("alias/aws/")
    }


def test_alias_is_created_with_the_key_and_read_back(provider: Provider) -> None:
    model = provider.create({"AliasName": "alias/app/orders"})
    assert model["AliasName"] == "alias/app/orders"
    assert aliases(provider)["alias/app/orders"] == model["KeyId"]
    assert provider.read(model["KeyId"])["resourceModel"]["AliasName"] == "alias/app/orders"


def test_renaming_the_alias_creates_the_new_one_and_deletes_the_old(provider: Provider) -> None:
    model = provider.create({"AliasName": "alias/old"})
    answer = provider.run("UPDATE", {**model, "AliasName": "alias/new"}, previous=model)
    assert answer["status"] == "SUCCESS", answer
    assert answer["resourceModel"]["AliasName"] == "alias/new"
    assert aliases(provider) == {"alias/new": model["KeyId"]}


def test_removing_the_alias_deletes_it(provider: Provider) -> None:
    model = provider.create({"AliasName": "alias/going"})
    desired = {k: v for k, v in model.items() if k != "AliasName"}
    answer = provider.run("UPDATE", desired, previous=model)
    assert answer["status"] == "SUCCESS"
    assert "AliasName" not in answer["resourceModel"]
    assert aliases(provider) == {}


def test_alias_of_another_key_is_already_exists_and_the_key_stays_as_it_was(
    provider: Provider, operations: Callable[[], list[str]]
) -> None:
    other = provider.create({"AliasName": "alias/busy"})
    model = provider.create({"AliasName": "alias/mine", "Description": "before"})
    operations()
    answer = provider.run(
        "UPDATE",
        {**model, "AliasName": "alias/busy", "Description": "after"},
        previous=model,
    )
    assert (answer["status"], answer["errorCode"]) == ("FAILED", "AlreadyExists")
    assert "alias/busy" in answer["message"]
    assert aliases(provider) == {"alias/busy": other["KeyId"], "alias/mine": model["KeyId"]}
    metadata = provider.kms.describe_key(KeyId=model["KeyId"])["KeyMetadata"]
    assert metadata["Description"] == "before"
    assert "UpdateKeyDescription" not in operations()


def test_delete_removes_the_alias_so_the_name_can_be_used_again(provider: Provider) -> None:
    model = provider.create({"AliasName": "alias/reused"})
    assert provider.run("DELETE", model)["status"] == "SUCCESS"
    assert aliases(provider) == {}
    again = provider.create({"AliasName": "alias/reused"})
    assert aliases(provider) == {"alias/reused": again["KeyId"]}


def test_create_resumed_after_its_alias_was_made_does_not_fail_on_its_own_alias(
    provider: Provider, inject: Callable[..., None]
) -> None:
    inject("EnableKeyRotation", "ThrottlingException")
    made = provider.made({"AliasName": "alias/resume", "EnableKeyRotation": True})
    first = provider.invoke(
        "CREATE", made["resourceModel"], callback_context=made["callbackContext"]
    )
    assert first["status"] == "IN_PROGRESS"
    assert first["message"].endswith("ThrottlingException")
    context = dict(first["callbackContext"])
    context["done"] = {}  # as if the alias step had not been recorded
    second = provider.invoke("CREATE", first["resourceModel"], callback_context=context)
    assert second["status"] == "SUCCESS", second
    assert aliases(provider) == {"alias/resume": first["resourceModel"]["KeyId"]}


BUILDER_CASES: list[tuple[str, str, dict[str, Any]]] = [
    (
        "SYMMETRIC_DEFAULT",
        "ENCRYPT_DECRYPT",
        {"KeyAdministrators": [ADMIN], "KeyUsers": [USER], "ExternalAccounts": [OTHER]},
    ),
    ("HMAC_256", "GENERATE_VERIFY_MAC", {"KeyUsers": [USER]}),
    ("RSA_2048", "ENCRYPT_DECRYPT", {"KeyAdministrators": [ADMIN], "KeyUsers": [USER]}),
    (
        "ECC_NIST_P256",
        "SIGN_VERIFY",
        {"KeyAdministrators": [ADMIN], "AllowKeyAdministratorsToDelete": False},
    ),
    ("ECC_NIST_P384", "KEY_AGREEMENT", {"ExternalAccounts": [OTHER]}),
    ("ML_KEM_768", "ENCAPSULATE_DECAPSULATE", {"KeyUsers": [USER]}),
]


@pytest.mark.parametrize(("spec", "usage", "builder"), BUILDER_CASES)
def test_builder_properties_round_trip_through_the_key_policy(
    provider: Provider, spec: str, usage: str, builder: dict[str, Any]
) -> None:
    desired = {"KeySpec": spec, "KeyUsage": usage, **builder}
    model = provider.create(desired)
    read = provider.read(model["KeyId"])["resourceModel"]
    for name, value in desired.items():
        assert read[name] == value, name
    assert "KeyPolicy" not in read
    policy = json.loads(
        provider.kms.get_key_policy(KeyId=model["KeyId"], PolicyName="default")["Policy"]
    )
    assert policy["Statement"][0]["Principal"] == {"AWS": f"arn:aws:iam::{ACCOUNT}:root"}


def test_unchanged_builder_model_makes_no_policy_call_and_a_change_makes_one(
    provider: Provider, operations: Callable[[], list[str]]
) -> None:
    model = provider.create({"KeyAdministrators": [ADMIN], "KeyUsers": [USER]})
    operations()
    provider.run("UPDATE", {**model, "Description": "new"}, previous=model)
    assert "PutKeyPolicy" not in operations()
    answer = provider.run("UPDATE", {**model, "KeyUsers": [USER, ADMIN]}, previous=model)
    assert operations().count("PutKeyPolicy") == 1
    assert answer["resourceModel"]["KeyUsers"] == sorted([USER, ADMIN])


def test_hand_written_policy_is_returned_as_key_policy(provider: Provider) -> None:
    policy = {
        "Version": "2012-10-17",
        "Id": "mine",
        "Statement": [
            {
                "Sid": "Root",
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
                "Action": "kms:*",
                "Resource": "*",
            }
        ],
    }
    model = provider.create({"KeyPolicy": policy})
    assert provider.read(model["KeyId"])["resourceModel"]["KeyPolicy"] == policy
    assert "KeyUsers" not in model


def test_policy_given_as_a_json_string_is_stored_as_that_document(provider: Provider) -> None:
    root = {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"}}
    text = json.dumps({"Statement": [{**root, "Action": "kms:*", "Resource": "*"}]})
    model = provider.create({"KeyPolicy": text})
    assert model["KeyPolicy"] == json.loads(text)


def test_neither_policy_nor_builder_gives_kms_default_and_removing_the_builder_restores_it(
    provider: Provider,
) -> None:
    model = provider.create({"KeyUsers": [USER]})
    desired = {
        k: v
        for k, v in model.items()
        if k
        not in (
            "KeyAdministrators",
            "KeyUsers",
            "ExternalAccounts",
            "AllowKeyAdministratorsToDelete",
        )
    }
    answer = provider.run("UPDATE", desired, previous=model)
    policy = answer["resourceModel"]["KeyPolicy"]
    assert [s["Sid"] for s in policy["Statement"]] == ["Enable IAM User Permissions"]
