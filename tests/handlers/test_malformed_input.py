"""Malformed requests: one plain sentence per problem, before any KMS call, nothing changed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.embedded import Provider

SECRET = "s3cr3t-value"
MALFORMED: list[tuple[str, Any, str]] = [
    ("null", {"Description": None}, "Description must be of type string, not null."),
    ("list", ["Description", SECRET], "The properties must be a JSON object, not array."),
    ("string", SECRET, "The properties must be a JSON object, not string."),
    ("number", 42, "The properties must be a JSON object, not number."),
    ("unknown", {"Colour": SECRET}, "Colour is not a property of Keyforge::KMS::Key"),
    ("tag-without-value", {"Tags": [{"Key": SECRET}]}, "Tags[0] needs Value."),
    ("tag-not-object", {"Tags": [SECRET]}, "Tags[0] must be of type object, not string."),
    ("tag-null-value", {"Tags": [{"Key": "k", "Value": None}]}, "Tags[0].Value must be of"),
    ("tag-number-key", {"Tags": [{"Key": 7, "Value": SECRET}]}, "Tags[0].Key must be of type"),
    (
        "fraction",
        {"EnableKeyRotation": True, "RotationPeriodInDays": 365.9},
        "RotationPeriodInDays must be of type integer, not number.",
    ),
    ("fraction-string", {"PendingWindowInDays": "7.5"}, "must be of type integer, not string"),
    ("number-as-boolean", {"Enabled": 2}, "Enabled must be of type boolean, not number."),
    ("word-as-boolean", {"Enabled": "yes"}, "Enabled must be of type boolean, not string."),
    ("out-of-range", {"PendingWindowInDays": "3"}, "PendingWindowInDays 3 is out of range"),
    ("huge", {"RotationPeriodInDays": 10**30}, "RotationPeriodInDays 1000000000000000000000"),
    ("policy-array", {"KeyPolicy": [SECRET]}, "KeyPolicy must be of type object or string"),
    ("admins-string", {"KeyAdministrators": SECRET}, "KeyAdministrators must be of type array"),
    ("users-null", {"KeyUsers": [None]}, "KeyUsers[0] must be of type string, not null."),
    ("deep", {"Tags": [[[[SECRET]]]]}, "Tags[0] must be of type object, not array."),
]
NAMES = [case[0] for case in MALFORMED]
ACCEPTED_STRINGS = {
    "Enabled": "false",
    "EnableKeyRotation": "true",
    "RotationPeriodInDays": "180",
    "PendingWindowInDays": "7",
    "MultiRegion": "false",
}


@pytest.mark.parametrize(
    ("properties", "message"), [c[1:] for c in MALFORMED], ids=[c[0] for c in MALFORMED]
)
def test_create_refuses_before_any_kms_call(
    provider: Provider,
    operations: Callable[[], list[str]],
    caplog: pytest.LogCaptureFixture,
    properties: Any,
    message: str,
) -> None:
    caplog.set_level("DEBUG")
    answer = provider.invoke("CREATE", properties)
    assert (answer["status"], answer["errorCode"]) == ("FAILED", "InvalidRequest"), answer
    assert message in answer["message"]
    assert SECRET not in answer["message"]
    assert operations() == []
    assert provider.kms.list_keys()["Keys"] == []
    assert all(SECRET not in record.getMessage() for record in caplog.records)


@pytest.mark.parametrize(
    ("properties", "message"), [c[1:] for c in MALFORMED], ids=[c[0] for c in MALFORMED]
)
def test_update_refuses_and_leaves_the_key_as_it_was(
    provider: Provider, operations: Callable[[], list[str]], properties: Any, message: str
) -> None:
    model = provider.create({"Description": "kept", "Tags": [{"Key": "team", "Value": "a"}]})
    before = provider.read(model["KeyId"])["resourceModel"]
    operations()
    desired = (
        {**properties, "KeyId": model["KeyId"]} if isinstance(properties, dict) else properties
    )
    answer = provider.invoke("UPDATE", desired, previous=model)
    assert (answer["status"], answer["errorCode"]) == ("FAILED", "InvalidRequest"), answer
    assert message in answer["message"]
    assert operations() == []
    assert provider.read(model["KeyId"])["resourceModel"] == before


def test_a_malformed_previous_model_is_named_as_such(provider: Provider) -> None:
    model = provider.create({})
    answer = provider.invoke("UPDATE", model, previous={**model, "Enabled": 2})
    assert answer["errorCode"] == "InvalidRequest"
    assert answer["message"] == (
        "In the previous properties: Enabled must be of type boolean, not number."
    )


def test_every_problem_is_named_once(provider: Provider) -> None:
    answer = provider.invoke(
        "CREATE", {"Enabled": 2, "Tags": [{"Key": "a"}, {"Value": "b"}], "Colour": "red"}
    )
    message = answer["message"]
    assert message.count("Colour is not a property of Keyforge::KMS::Key: allowed are ") == 1
    for part in ("Enabled must be of type boolean", "Tags[0] needs Value.", "Tags[1] needs Key."):
        assert message.count(part) == 1, message


def test_cloudformation_strings_for_booleans_and_numbers_are_accepted(provider: Provider) -> None:
    answer = provider.run("CREATE", ACCEPTED_STRINGS)
    assert answer["status"] == "SUCCESS", answer
    model = answer["resourceModel"]
    assert (model["Enabled"], model["EnableKeyRotation"], model["RotationPeriodInDays"]) == (
        False,
        True,
        180,
    )
    assert model["MultiRegion"] is False
