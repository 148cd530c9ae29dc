"""Key policy principals KMS cannot see: refused at once when IAM says they do not exist,
waited for while IAM may still be propagating them, and never a key left behind."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from botocore.exceptions import ClientError

from keyforge_kms_key import handlers
from keyforge_kms_key.iam import IamGateway
from keyforge_kms_key.principals import PROPAGATION_WAITS, parse
from tests.embedded import ACCOUNT, Provider, make_principals

ROLE = f"arn:aws:iam::{ACCOUNT}:role/KeyAdmin"
USER = f"arn:aws:iam::{ACCOUNT}:user/alice"
OTHER_ACCOUNT_ROLE = "arn:aws:iam::444455556666:role/Partner"
REFUSAL = "Policy contains a statement with one or more invalid principals."
LIKELY_CAUSES = ("misspelt", "not created yet", "DependsOn", "propagating")


@pytest.fixture
def pauses(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The seconds CREATE waits between CreateKey attempts, recorded instead of slept."""
    waited: list[int] = []
    monkeypatch.setattr(handlers, "pause", waited.append)
    return waited


def live_keys(provider: Provider) -> list[str]:
    keys = [k["KeyId"] for k in provider.kms.list_keys()["Keys"]]
    return [
        key
        for key in keys
        if provider.kms.describe_key(KeyId=key)["KeyMetadata"]["KeyState"] != "PendingDeletion"
    ]


def test_a_missing_role_fails_create_at_once_by_name_and_leaves_no_key(
    provider: Provider, pauses: list[int]
) -> None:
    answer = provider.run("CREATE", {"KeyAdministrators": [ROLE]})
    assert answer["status"] == "FAILED"
    assert answer["errorCode"] == "InvalidRequest"
    assert f"role {ROLE} does not exist in account {ACCOUNT}" in answer["message"]
    assert "!GetAtt" in answer["message"] and "DependsOn" in answer["message"]
    assert pauses == []
    assert provider.kms.list_keys()["Keys"] == []


def test_every_missing_principal_is_named_and_existing_ones_are_not(
    provider: Provider, pauses: list[int]
) -> None:
    make_principals(ROLE)
    answer = provider.run("CREATE", {"KeyAdministrators": [ROLE], "KeyUsers": [USER]})
    assert answer["errorCode"] == "InvalidRequest"
    assert f"user {USER} does not exist" in answer["message"]
    assert ROLE not in answer["message"]


def test_a_role_named_without_its_path_is_missing(provider: Provider) -> None:
    make_principals(f"arn:aws:iam::{ACCOUNT}:role/service/Batch")
    answer = provider.run("CREATE", {"KeyUsers": [f"arn:aws:iam::{ACCOUNT}:role/Batch"]})
    assert "role arn:aws:iam::123456789012:role/Batch does not exist" in answer["message"]
    assert "path" in answer["message"]


def test_an_existing_role_works(provider: Provider, pauses: list[int]) -> None:
    make_principals(ROLE, USER)
    model = provider.create({"KeyAdministrators": [ROLE], "KeyUsers": [USER]})
    assert model["KeyAdministrators"] == [ROLE]
    assert model["KeyUsers"] == [USER]
    assert pauses == []


def test_a_key_policy_given_whole_is_checked_too(provider: Provider) -> None:
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
                "Action": "kms:*",
                "Resource": "*",
            },
            {
                "Effect": "Allow",
                "Principal": {"AWS": [ROLE]},
                "Action": "kms:Decrypt",
                "Resource": "*",
            },
        ],
    }
    answer = provider.run("CREATE", {"KeyPolicy": policy})
    assert f"role {ROLE} does not exist" in answer["message"]
    make_principals(policy)
    assert provider.create({"KeyPolicy": policy})["KeyId"]


def test_a_refusal_that_stops_after_a_few_attempts_converges_to_success(
    provider: Provider, inject: Callable[..., None], pauses: list[int], operations: Any
) -> None:
    """IAM says the role exists, KMS does not see it yet: CREATE waits in its invocation."""
    make_principals(ROLE)
    inject("CreateKey", "MalformedPolicyDocumentException", times=3, message=REFUSAL)
    operations()
    model = provider.create({"KeyAdministrators": [ROLE], "AliasName": "alias/propagated"})
    assert model["KeyAdministrators"] == [ROLE]
    assert pauses == list(PROPAGATION_WAITS[:3])
    assert operations().count("CreateKey") == 1  # the three refused never reached KMS
    assert live_keys(provider) == [model["KeyId"]]


def test_a_refusal_that_never_stops_fails_with_the_principals_and_the_causes(
    provider: Provider, inject: Callable[..., None], pauses: list[int]
) -> None:
    make_principals(ROLE)
    inject("CreateKey", "MalformedPolicyDocumentException", times=20, message=REFUSAL)
    answer = provider.run(
        "CREATE", {"KeyAdministrators": [ROLE], "ExternalAccounts": ["444455556666"]}
    )
    assert answer["status"] == "FAILED"
    assert answer["errorCode"] == "InvalidRequest"
    message = answer["message"]
    assert f"still after {sum(PROPAGATION_WAITS)} seconds" in message
    for principal in (f"arn:aws:iam::{ACCOUNT}:root", ROLE, "arn:aws:iam::444455556666:root"):
        assert principal in message
    assert all(cause in message for cause in LIKELY_CAUSES), message
    assert pauses == list(PROPAGATION_WAITS)
    assert sum(pauses) < 60  # well inside the handler's time
    assert provider.kms.list_keys()["Keys"] == []


def test_principals_of_other_accounts_cannot_be_checked_and_are_waited_for(
    provider: Provider, inject: Callable[..., None], pauses: list[int]
) -> None:
    inject("CreateKey", "MalformedPolicyDocumentException", times=1, message=REFUSAL)
    model = provider.create({"KeyUsers": [OTHER_ACCOUNT_ROLE]})
    assert model["KeyUsers"] == [OTHER_ACCOUNT_ROLE]
    assert pauses == [PROPAGATION_WAITS[0]]


def test_other_malformed_policies_are_not_waited_for(
    provider: Provider, inject: Callable[..., None], pauses: list[int]
) -> None:
    inject("CreateKey", "MalformedPolicyDocumentException", message="The policy is not JSON.")
    answer = provider.run("CREATE", {"Description": "x"})
    assert answer["errorCode"] == "InvalidRequest"
    assert "not JSON" in answer["message"]
    assert pauses == []


def test_update_to_a_missing_user_fails_at_once_and_keeps_the_policy(
    provider: Provider,
) -> None:
    make_principals(ROLE)
    model = provider.create({"KeyAdministrators": [ROLE]})
    before = provider.kms.get_key_policy(KeyId=model["KeyId"])["Policy"]
    events = list(provider.progress("UPDATE", {**model, "KeyUsers": [USER]}, previous=model))
    assert [event["status"] for event in events] == ["FAILED"]
    assert f"user {USER} does not exist" in events[-1]["message"]
    assert provider.kms.get_key_policy(KeyId=model["KeyId"])["Policy"] == before


def update_adding_a_user(
    provider: Provider, inject: Callable[..., None], refusals: int
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """A key with an administrator, then an UPDATE adding a user KMS refuses `refusals` times."""
    make_principals(ROLE, USER)
    model = provider.create({"KeyAdministrators": [ROLE]})
    inject("PutKeyPolicy", "MalformedPolicyDocumentException", times=refusals, message=REFUSAL)
    return model, list(provider.progress("UPDATE", {**model, "KeyUsers": [USER]}, previous=model))


def test_update_calls_back_while_kms_does_not_see_the_principals_yet(
    provider: Provider, inject: Callable[..., None]
) -> None:
    model, events = update_adding_a_user(provider, inject, refusals=2)
    assert [event["status"] for event in events] == ["IN_PROGRESS", "IN_PROGRESS", "SUCCESS"]
    assert [e["callbackDelaySeconds"] for e in events[:2]] == list(PROPAGATION_WAITS[:2])
    assert all(e["resourceModel"]["KeyId"] == model["KeyId"] for e in events[:2])
    policy = json.loads(provider.kms.get_key_policy(KeyId=model["KeyId"])["Policy"])
    assert USER in json.dumps(policy)


def test_update_gives_up_after_the_same_waits(
    provider: Provider, inject: Callable[..., None]
) -> None:
    _, events = update_adding_a_user(provider, inject, refusals=20)
    delays = [e["callbackDelaySeconds"] for e in events if e["status"] == "IN_PROGRESS"]
    assert delays == list(PROPAGATION_WAITS)
    assert events[-1]["errorCode"] == "InvalidRequest"
    assert USER in events[-1]["message"] and "propagating" in events[-1]["message"]


class _Refusing:
    """An IAM client that may not be asked (no iam:GetRole permission)."""

    def get_role(self, **_: Any) -> Any:
        raise ClientError({"Error": {"Code": "AccessDenied", "Message": "no"}}, "GetRole")


def test_iam_that_cannot_say_is_no_reason_to_give_up(kms: Any) -> None:
    role = parse(ROLE)
    assert IamGateway(_Refusing()).exists(role) is None
    assert IamGateway(_Refusing()).missing([role]) == []
