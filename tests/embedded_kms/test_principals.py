"""Key policy principals are checked against moto's IAM at CreateKey, PutKeyPolicy, ReplicateKey."""

from __future__ import annotations

import json
from typing import Any

import pytest

from keyforge import embedded_kms
from keyforge.embedded_kms import EmbeddedKmsServer
from keyforge.embedded_kms.principals import INVALID_PRINCIPALS
from tests.embedded import ACCOUNT, client

from .conftest import error_of, new_key

ROLE = f"arn:aws:iam::{ACCOUNT}:role/KeyAdmin"
PATH_ROLE = f"arn:aws:iam::{ACCOUNT}:role/service/Batch"
USER = f"arn:aws:iam::{ACCOUNT}:user/alice"
ROOT = f"arn:aws:iam::{ACCOUNT}:root"


def policy(*principals: Any, service: str | None = None) -> str:
    """The account root's statement, and one more for these principals (or a service)."""
    statements: list[dict[str, Any]] = [
        {"Effect": "Allow", "Principal": {"AWS": ROOT}, "Action": "kms:*", "Resource": "*"}
    ]
    if principals:
        who = principals[0] if len(principals) == 1 else list(principals)
        statements.append(
            {"Effect": "Allow", "Principal": {"AWS": who}, "Action": "kms:Decrypt", "Resource": "*"}
        )
    if service:
        statements.append(
            {
                "Effect": "Allow",
                "Principal": {"Service": service},
                "Action": "kms:Decrypt",
                "Resource": "*",
            }
        )
    return json.dumps({"Version": "2012-10-17", "Statement": statements})


@pytest.fixture
def iam(kms: Any) -> Any:
    """An IAM client of the account, beside the test's embedded KMS: no role or user yet."""
    return client("iam")


def test_a_missing_role_or_user_is_refused_as_kms_refuses_it(kms: Any, iam: Any) -> None:
    for missing in (ROLE, USER, PATH_ROLE):
        assert error_of(kms.create_key, Policy=policy(missing)) == (
            "MalformedPolicyDocumentException",
            INVALID_PRINCIPALS,
        )
    assert kms.list_keys()["Keys"] == []


def test_roles_and_users_that_exist_are_accepted(kms: Any, iam: Any) -> None:
    created = embedded_kms.create_principals(iam, [ROLE, USER, PATH_ROLE], ACCOUNT)
    assert created == [ROLE, USER, PATH_ROLE]
    assert iam.get_role(RoleName="Batch")["Role"]["Path"] == "/service/"
    assert embedded_kms.create_principals(iam, {"again": [ROLE]}, ACCOUNT) == []
    key_id = new_key(kms, Policy=policy(ROLE, USER, PATH_ROLE))
    assert ROLE in kms.get_key_policy(KeyId=key_id)["Policy"]


def test_a_role_is_its_exact_arn_path_included(kms: Any, iam: Any) -> None:
    embedded_kms.create_principals(iam, PATH_ROLE, ACCOUNT)
    without_path = f"arn:aws:iam::{ACCOUNT}:role/Batch"
    assert error_of(kms.create_key, Policy=policy(without_path))[1] == INVALID_PRINCIPALS


@pytest.mark.parametrize(
    "principal",
    [
        "*",
        ACCOUNT,
        ROOT,
        "444455556666",
        "arn:aws:iam::444455556666:root",
        "arn:aws:iam::444455556666:role/NotOurs",  # another account's IAM is not ours to ask
        f"arn:aws:sts::{ACCOUNT}:assumed-role/KeyAdmin/session-1",
        f"arn:aws:sts::{ACCOUNT}:federated-user/bob",
    ],
)
def test_principals_that_are_always_accepted(kms: Any, iam: Any, principal: str) -> None:
    new_key(kms, Policy=policy(principal))


def test_service_principals_are_not_checked(kms: Any, iam: Any) -> None:
    new_key(kms, Policy=policy(service="logs.us-east-1.amazonaws.com"))


@pytest.mark.parametrize(
    "principal",
    [
        f"arn:aws:iam::{ACCOUNT}:role/*",
        f"arn:aws:iam::{ACCOUNT}:role/Key*",
        "arn:aws:iam::*:root",
        f"arn:aws:sts::{ACCOUNT}:assumed-role/KeyAdmin/*",
        f"arn:aws:iam::{ACCOUNT}:group/Admins",
        f"arn:aws-cn:iam::{ACCOUNT}:root",
        "KeyAdmin",
        "AROAEXAMPLEEXAMPLE123",
        "",
    ],
)
def test_invalid_principals_are_refused(kms: Any, iam: Any, principal: str) -> None:
    assert error_of(kms.create_key, Policy=policy(principal))[1] == INVALID_PRINCIPALS


def test_the_unique_id_of_an_existing_role_is_accepted(kms: Any, iam: Any) -> None:
    embedded_kms.create_principals(iam, ROLE, ACCOUNT)
    role_id = iam.get_role(RoleName="KeyAdmin")["Role"]["RoleId"]
    new_key(kms, Policy=policy(role_id))


def test_put_key_policy_checks_principals_and_keeps_the_old_policy(kms: Any, iam: Any) -> None:
    key_id = new_key(kms)
    before = kms.get_key_policy(KeyId=key_id)["Policy"]
    assert error_of(kms.put_key_policy, KeyId=key_id, Policy=policy(USER))[1] == INVALID_PRINCIPALS
    assert kms.get_key_policy(KeyId=key_id)["Policy"] == before
    embedded_kms.create_principals(iam, USER, ACCOUNT)
    kms.put_key_policy(KeyId=key_id, Policy=policy(USER))


def test_replicate_key_checks_the_replica_policy(kms: Any, iam: Any) -> None:
    key_id = new_key(kms, MultiRegion=True)
    code, message = error_of(
        kms.replicate_key, KeyId=key_id, ReplicaRegion="eu-west-1", Policy=policy(ROLE)
    )
    assert (code, message) == ("MalformedPolicyDocumentException", INVALID_PRINCIPALS)
    embedded_kms.create_principals(iam, ROLE, ACCOUNT)
    kms.replicate_key(KeyId=key_id, ReplicaRegion="eu-west-1", Policy=policy(ROLE))


def test_server_mode_checks_principals_against_the_servers_iam(
    kms_server: EmbeddedKmsServer,
) -> None:
    kms, iam = kms_server.client("kms"), kms_server.client("iam")
    assert error_of(kms.create_key, Policy=policy(ROLE))[1] == INVALID_PRINCIPALS
    assert embedded_kms.create_principals(iam, ROLE, ACCOUNT) == [ROLE]
    kms.create_key(Policy=policy(ROLE))
