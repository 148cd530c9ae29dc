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

from tests.lint.conftest import TEMPLATES, lint_path

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


@pytest.mark.parametrize("template", AWS_DOCS, ids=lambda p: p.stem)
def test_aws_documentation_example_gives_no_finding(template: Path) -> None:
    assert lint_path(template) == []
