"""Reading the principals out of key policies, and the messages that name them."""

from __future__ import annotations

import json

import pytest

from keyforge_kms_key.principals import (
    PROPAGATION_WAITS,
    PrincipalKind,
    aws_principals,
    iam_entities_in,
    missing_message,
    parse,
    principals_named_in,
    unseen_message,
)

ROLE = "arn:aws:iam::111122223333:role/KeyAdmin"
PATH_ROLE = "arn:aws:iam::111122223333:role/service/team/Batch"
USER = "arn:aws:iam::111122223333:user/alice"


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("*", PrincipalKind.ANYONE),
        ("111122223333", PrincipalKind.ACCOUNT),
        ("arn:aws:iam::111122223333:root", PrincipalKind.ACCOUNT),
        ("arn:aws-cn:iam::111122223333:root", PrincipalKind.ACCOUNT),
        (ROLE, PrincipalKind.ROLE),
        (PATH_ROLE, PrincipalKind.ROLE),
        (USER, PrincipalKind.USER),
        ("arn:aws:sts::111122223333:assumed-role/KeyAdmin/s-1", PrincipalKind.ROLE_SESSION),
        ("arn:aws:sts::111122223333:federated-user/bob", PrincipalKind.FEDERATED_USER),
        ("AROA1234567890EXAMPLE", PrincipalKind.UNIQUE_ID),
        ("AIDACKCEVSQ6C2EXAMPLE", PrincipalKind.UNIQUE_ID),
        ("arn:aws:iam::111122223333:role/*", PrincipalKind.INVALID),
        ("arn:aws:iam::111122223333:role/Key?", PrincipalKind.INVALID),
        ("arn:aws:iam::*:root", PrincipalKind.INVALID),
        ("arn:aws:iam::111122223333:group/Admins", PrincipalKind.INVALID),
        ("arn:aws:sts::111122223333:assumed-role/KeyAdmin", PrincipalKind.INVALID),
        ("arn:aws:iam::11112222333:role/Short", PrincipalKind.INVALID),
        ("arn:aws:iam::111122223333:role/", PrincipalKind.INVALID),
        ("arn:aws:s3:::bucket", PrincipalKind.INVALID),
        ("KeyAdmin", PrincipalKind.INVALID),
    ],
)
def test_parse_tells_the_kind(text: str, kind: PrincipalKind) -> None:
    assert parse(text).kind is kind


def test_parse_splits_a_role_into_account_path_and_name() -> None:
    role = parse(PATH_ROLE)
    assert (role.partition, role.account, role.path, role.name) == (
        "aws",
        "111122223333",
        "/service/team/",
        "Batch",
    )
    assert parse(ROLE).path == "/"
    assert role.described == f"role {PATH_ROLE}"


def test_aws_principals_of_every_statement_once_in_order() -> None:
    policy = {
        "Statement": [
            {"Principal": {"AWS": "arn:aws:iam::111122223333:root"}},
            {"Principal": {"AWS": [ROLE, USER], "Service": "logs.amazonaws.com"}},
            {"NotPrincipal": {"AWS": ROLE}},
            {"Principal": "*"},
            {"Principal": {"Federated": "cognito-identity.amazonaws.com"}},
            "not a statement",
        ]
    }
    expected = ["arn:aws:iam::111122223333:root", ROLE, USER, "*"]
    assert aws_principals(policy) == expected
    assert aws_principals(json.dumps(policy)) == expected
    assert aws_principals({"Statement": {"Principal": {"AWS": USER}}}) == [USER]


@pytest.mark.parametrize("policy", [None, "not json", "[]", {"Statement": "x"}, {}])
def test_aws_principals_of_what_is_no_policy_is_nothing(policy: object) -> None:
    assert aws_principals(policy) == []  # type: ignore[arg-type]


def test_iam_entities_are_the_roles_and_users_of_the_account() -> None:
    found = iam_entities_in(
        [ROLE, "arn:aws:iam::444455556666:role/Other", "*", USER, "111122223333"],
        "111122223333",
    )
    assert [principal.text for principal in found] == [ROLE, USER]


def test_principals_named_anywhere_in_a_value() -> None:
    policy = json.dumps({"Statement": [{"Principal": {"AWS": [PATH_ROLE]}}]})
    value = {
        "KeyAdministrators": [ROLE, ROLE],
        "KeyPolicy": policy,
        "Nested": [{"deep": USER}],
        "Other": ["arn:aws:iam::111122223333:root", 7, None],
    }
    assert principals_named_in(value) == [ROLE, PATH_ROLE, USER]


def test_missing_message_names_each_principal_and_the_fix() -> None:
    message = missing_message([parse(ROLE), parse(USER)], "111122223333")
    assert f"role {ROLE}, user {USER} do not exist in account 111122223333" in message
    assert "!GetAtt" in message and "DependsOn" in message
    assert "does not exist" in missing_message([parse(ROLE)], "111122223333")


def test_unseen_message_names_the_principals_and_the_likely_causes() -> None:
    message = unseen_message([ROLE, USER], sum(PROPAGATION_WAITS))
    assert f"{ROLE}, {USER}" in message
    for cause in ("misspelt", "not created yet", "!GetAtt", "DependsOn", "propagating"):
        assert cause in message
    assert f"after {sum(PROPAGATION_WAITS)} seconds" in message
