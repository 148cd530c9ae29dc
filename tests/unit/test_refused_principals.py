"""The principals KMS refuses whatever the account holds, and the reasons given."""

from __future__ import annotations

import json

import pytest

from keyforge_kms_key.refused_principals import (
    Refusal,
    aws_principal_entries,
    is_account_root,
    policy_refusals,
    refusal,
)

ACCOUNT = "111122223333"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"arn:aws:iam::{ACCOUNT}:group/Developers", Refusal.GROUP),
        (f"arn:aws:iam::{ACCOUNT}:group/team/Developers", Refusal.GROUP),
        (f"arn:aws-cn:iam::{ACCOUNT}:group/Developers", Refusal.GROUP),
        (f"arn:aws:iam::{ACCOUNT}:role/*", Refusal.WILDCARD),
        (f"arn:aws:iam::{ACCOUNT}:role/app-*", Refusal.WILDCARD),
        (f"arn:aws:iam::{ACCOUNT}:user/alic?", Refusal.WILDCARD),
        ("arn:aws:iam::*:root", Refusal.WILDCARD),
        ("arn:aws:iam::*:role/app", Refusal.WILDCARD),
        (f"arn:aws-cn:iam::{ACCOUNT}:role/app", Refusal.PARTITION),
        (f"arn:aws-us-gov:iam::{ACCOUNT}:root", Refusal.PARTITION),
    ],
)
def test_refused_in_a_stack_of_the_aws_partition(text: str, expected: Refusal) -> None:
    refused = refusal(text, "aws")
    assert refused is not None and refused.refusal is expected
    assert refused.text == text
    assert refused.message.startswith(f"{text}: ")


@pytest.mark.parametrize(
    "text",
    [
        "*",
        ACCOUNT,
        f"arn:aws:iam::{ACCOUNT}:root",
        f"arn:aws:iam::{ACCOUNT}:role/app",
        f"arn:aws:iam::{ACCOUNT}:role/service-role/app",
        f"arn:aws:iam::{ACCOUNT}:user/alice",
        f"arn:aws:sts::{ACCOUNT}:assumed-role/app/session",
        "AROA1234567890EXAMPLE",
        # Not certainly refused: a typo or an unresolved reference may be anything.
        f"arn:${{Partition}}:iam::{ACCOUNT}:role/app",
        f"arn:000000000000:iam::{ACCOUNT}:role/app",
        "app-role",
    ],
)
def test_accepted_or_not_certainly_refused(text: str) -> None:
    assert refusal(text, "aws") is None


def test_the_partition_is_checked_only_when_given() -> None:
    china = f"arn:aws-cn:iam::{ACCOUNT}:role/app"
    assert refusal(china) is None
    assert refusal(china, "aws-cn") is None
    refused = refusal(china, "aws")
    assert refused is not None
    assert "partition aws-cn and the stack's partition is aws" in refused.reason


def test_the_reasons_say_why() -> None:
    group = refusal(f"arn:aws:iam::{ACCOUNT}:group/Developers")
    wildcard = refusal(f"arn:aws:iam::{ACCOUNT}:role/*")
    assert group is not None and wildcard is not None
    assert group.reason.startswith("KMS does not accept IAM groups as principals")
    assert "MalformedPolicyDocumentException" in group.reason
    assert wildcard.reason.startswith("KMS does not accept a wildcard inside a principal's ARN")


def test_a_policy_document_or_its_text_gives_each_refused_entry_with_its_path() -> None:
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
                "Principal": {
                    "AWS": [
                        f"arn:aws:iam::{ACCOUNT}:role/app",
                        f"arn:aws:iam::{ACCOUNT}:group/Developers",
                    ],
                    "Service": "logs.amazonaws.com",
                },
                "Action": "kms:Decrypt",
                "Resource": "*",
            },
        ],
    }
    for document in (policy, json.dumps(policy)):
        found = policy_refusals(document, "aws")
        assert [(path, r.refusal) for path, r in found] == [
            (("Statement", 1, "Principal", "AWS", 1), Refusal.GROUP)
        ]
    single = {"Statement": {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::*:root"}}}
    assert [path for path, _ in policy_refusals(single)] == [("Statement", "Principal", "AWS")]


def test_entries_that_are_not_text_and_documents_that_are_not_policies_are_skipped() -> None:
    policy = {"Statement": [{"Principal": {"AWS": [{"Ref": "Role"}, "*"]}}, "text"]}
    assert list(aws_principal_entries(policy)) == [(("Statement", 0, "Principal", "AWS", 1), "*")]
    assert policy_refusals("{not json") == []
    assert policy_refusals(None) == []
    assert policy_refusals('["a list"]') == []


@pytest.mark.parametrize(
    ("text", "root"),
    [
        (ACCOUNT, True),
        (f"arn:aws:iam::{ACCOUNT}:root", True),
        (f"arn:aws-cn:iam::{ACCOUNT}:root", True),
        (f"arn:aws:iam::{ACCOUNT}:role/app", False),
        ("*", False),
    ],
)
def test_account_root(text: str, root: bool) -> None:
    assert is_account_root(text) is root
