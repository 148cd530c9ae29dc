"""The rules on templates nobody here wrote: the AWS documentation's AWS::KMS::Key examples.

The examples are kept as published. Their YAML writes ``Version: 2012-10-17``
unquoted, which the YAML decoder reads as a date; the rules must read it as the
text CloudFormation reads, and find nothing wrong in these valid keys.
"""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from cfnlint.decode import decode

from tests.lint.conftest import TEMPLATES, Finding, lint_path, lint_text_by_line
from tests.messages import LOCK_OUT

AWS_DOCS = sorted((TEMPLATES / "aws-docs").glob("*.yaml"))


def test_the_five_examples_are_here() -> None:
    assert [p.stem for p in AWS_DOCS] == [
        "asymmetric-key",
        "hmac-key",
        "multi-region-primary-key",
        "symmetric-key-with-tag",
        "symmetric-key",
    ]


@pytest.mark.parametrize("template", AWS_DOCS, ids=lambda p: p.stem)
def test_an_unquoted_policy_version_is_a_date_to_the_decoder(template: Path) -> None:
    decoded, errors = decode(str(template))
    assert not errors
    keys = [r for r in decoded["Resources"].values() if r["Type"] == "AWS::KMS::Key"]
    assert keys
    for key in keys:
        assert key["Properties"]["KeyPolicy"]["Version"] == datetime.date(2012, 10, 17)


@pytest.mark.parametrize(
    "template", [p for p in AWS_DOCS if p.stem != "symmetric-key-with-tag"], ids=lambda p: p.stem
)
def test_aws_documentation_example_gives_no_finding(template: Path) -> None:
    assert lint_path(template) == []


def test_the_example_without_rotation_gets_the_rotation_advice_only() -> None:
    # The guide's symmetric key with a tag leaves EnableKeyRotation out: a key KMS could
    # rotate, as checkov, KICS, cfn_nag and Control Tower also say.
    template = TEMPLATES / "aws-docs" / "symmetric-key-with-tag.yaml"
    assert [(f.rule, f.line) for f in lint_path(template)] == [("W9111", 9)]


# The same examples, each with one mistake made in place (line numbers unchanged): the
# findings, and the lines they point at, on real templates.
SYMMETRIC = (TEMPLATES / "aws-docs" / "symmetric-key.yaml").read_text()
ROOT_ACTION = "            Action: 'kms:*'\n"
BOB = "AWS: 'arn:aws:iam::111122223333:user/Bob'"


def _lint_changed(text: str, old: str, new: str, count: int = 1) -> list[Finding]:
    assert text.count(old) >= count, old
    return lint_text_by_line(text.replace(old, new, count))


def test_administrators_with_kms_put_keep_the_policy_changeable() -> None:
    assert _lint_changed(SYMMETRIC, ROOT_ACTION, "            Action: 'kms:Decrypt'\n") == []


def test_no_one_left_to_change_the_policy() -> None:
    text = SYMMETRIC.replace(ROOT_ACTION, "            Action: 'kms:Decrypt'\n")
    findings = _lint_changed(text, "- 'kms:Put*'", "- 'kms:Tag*'")
    assert findings == [Finding("E9109", 16, LOCK_OUT)]


def test_the_key_arn_as_resource() -> None:
    findings = _lint_changed(
        SYMMETRIC,
        "'kms:GenerateDataKeyWithoutPlaintext'\n            Resource: '*'",
        "'kms:GenerateDataKeyWithoutPlaintext'\n            Resource: !GetAtt myKey.Arn",
    )
    assert findings == [
        Finding(
            "E9109",
            52,
            "KeyPolicy statement 'Allow use of the key' has Resource "
            '{"Fn::GetAtt": ["myKey", "Arn"]}: in a key policy the only Resource KMS accepts '
            'is "*" (the key itself); KMS refuses such a key policy '
            '(MalformedPolicyDocumentException). Write Resource: "*".',
        )
    ]


def test_the_key_users_opened_to_anyone() -> None:
    findings = _lint_changed(SYMMETRIC, BOB, "AWS: '*'")
    assert findings == [
        Finding(
            "W9107",
            44,
            "KeyPolicy statement 'Allow use of the key' allows Principal \"*\" without a "
            "Condition: any principal of any AWS account may use the key (kms:Encrypt, "
            "kms:Decrypt, kms:ReEncrypt*, kms:GenerateDataKey, "
            "kms:GenerateDataKeyWithoutPlaintext) and read the key's metadata "
            "(kms:DescribeKey). Name the principals, or add a Condition such as "
            "kms:CallerAccount or aws:PrincipalOrgID.",
        )
    ]


def test_the_hmac_key_given_to_a_queue() -> None:
    text = (TEMPLATES / "aws-docs" / "hmac-key.yaml").read_text()
    queue = (
        "  Queue:\n"
        "    Type: AWS::SQS::Queue\n"
        "    Properties:\n"
        "      KmsMasterKeyId: !Ref HMACExampleKey\n"
    )
    findings = lint_text_by_line(text + queue)
    line = len(text.splitlines()) + 4
    assert findings == [
        Finding(
            "E9105",
            line,
            "KmsMasterKeyId refers to HMACExampleKey, an HMAC key (KeySpec HMAC_384): AWS "
            "services accept only symmetric encryption keys (KeySpec SYMMETRIC_DEFAULT, "
            "KeyUsage ENCRYPT_DECRYPT).",
        )
    ]
