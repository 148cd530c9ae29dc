"""Malformed requests: one plain sentence per problem, before any KMS call, nothing changed."""

from __future__ import annotations

import builtins
import re
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from keyforge.local.invoker import handler_request
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


PYTHON_WORDS = re.compile(
    r"Traceback|\b("
    + "|".join(name for name in dir(builtins) if name.endswith(("Error", "Exception")))
    + r")\b"
)
event_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=6),
    lambda inner: (
        st.lists(inner, max_size=2) | st.dictionaries(st.text(max_size=4), inner, max_size=2)
    ),
    max_leaves=4,
)
EVENT_FIELDS = (
    "action",
    "callbackContext",
    "requestData",
    "region",
    "awsAccountId",
    "bearerToken",
    "nextToken",
    "stackId",
    "resourceType",
)
REQUEST_FIELDS = (
    "callerCredentials",
    "resourceProperties",
    "previousResourceProperties",
    "stackTags",
    "logicalResourceId",
)


@settings(
    max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    action=st.sampled_from(["CREATE", "READ", "UPDATE", "DELETE", "LIST", "create", "PATCH", ""]),
    event_changes=st.dictionaries(st.sampled_from(EVENT_FIELDS), event_values, max_size=3),
    request_changes=st.dictionaries(st.sampled_from(REQUEST_FIELDS), event_values, max_size=3),
    dropped=st.sets(st.sampled_from(EVENT_FIELDS), max_size=2),
)
def test_no_event_gets_an_answer_in_python_words(
    provider: Provider,
    action: str,
    event_changes: dict[str, Any],
    request_changes: dict[str, Any],
    dropped: set[str],
) -> None:
    event = handler_request(action, {"Description": "d"}, previous={"Description": "d"})
    event["requestData"].update(request_changes)
    event.update(event_changes)
    for name in dropped:
        event.pop(name, None)
    answer = provider.entrypoint(event, None)
    assert isinstance(answer, dict) and answer.get("status") in ("SUCCESS", "FAILED", "IN_PROGRESS")
    assert not PYTHON_WORDS.search(str(answer.get("message") or "")), answer
    assert answer.get("errorCode") != "InternalFailure", answer


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"action": "PATCH"}, "The request is malformed: unknown action 'PATCH' (one of"),
        ({"callbackContext": [1]}, "The request is malformed: callbackContext is not an object."),
        ({"requestData": 5}, "The request is malformed: it is not an event CloudFormation sends."),
    ],
)
def test_a_malformed_event_is_named_in_plain_words(
    provider: Provider, changes: dict[str, Any], message: str
) -> None:
    event = {**handler_request("READ", {"KeyId": "k"}), **changes}
    answer = provider.entrypoint(event, None)
    assert (answer["status"], answer["errorCode"]) == ("FAILED", "InvalidRequest")
    assert (
        answer["message"] == message
        if message.endswith(".")
        else answer["message"].startswith(message)
    )
