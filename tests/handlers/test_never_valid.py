"""What can never work is refused at once, before any KMS call, saying why: principals KMS
refuses whatever the account holds, and Regions KMS does not have."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.embedded import ACCOUNT, Provider


@pytest.mark.parametrize(
    ("properties", "sentence"),
    [
        (
            {"KeyUsers": [f"arn:aws:iam::{ACCOUNT}:group/developers"]},
            "KeyUsers[0] names arn:aws:iam::123456789012:group/developers: KMS does not accept IAM "
            "groups as principals",
        ),
        (
            {"KeyAdministrators": [f"arn:aws:iam::{ACCOUNT}:role/admin-*"]},
            "KeyAdministrators[0] names arn:aws:iam::123456789012:role/admin-*: KMS does not "
            "accept a wildcard inside a principal's ARN",
        ),
        (
            {"KeyUsers": [f"arn:aws-cn:iam::{ACCOUNT}:role/app"]},
            "it is a principal of partition aws-cn and the stack's partition is aws",
        ),
        (
            {
                "KeyPolicy": {
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
                            "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:group/ops"},
                            "Action": "kms:Decrypt",
                            "Resource": "*",
                        },
                    ],
                }
            },
            "KeyPolicy names arn:aws:iam::123456789012:group/ops: KMS does not accept IAM groups",
        ),
        (
            {"MultiRegion": True, "ReplicaRegions": ["xx-nowhere-9"]},
            "ReplicaRegions lists xx-nowhere-9, which is not a Region KMS has",
        ),
    ],
)
def test_refused_at_once_with_no_key_and_no_kms_call(
    provider: Provider,
    operations: Callable[[], list[str]],
    kms: Any,
    properties: dict[str, Any],
    sentence: str,
) -> None:
    answer = provider.invoke("CREATE", properties)
    assert (answer["status"], answer["errorCode"]) == ("FAILED", "InvalidRequest")
    assert sentence in answer["message"]
    assert operations() == []
    assert kms.list_keys()["Keys"] == []

    model = provider.create({"MultiRegion": True} if "MultiRegion" in properties else {})
    operations()
    builder = "KeyPolicy" not in properties
    current = {k: v for k, v in model.items() if not (builder and k == "KeyPolicy")}
    answer = provider.invoke("UPDATE", {**current, **properties}, previous=model)
    assert (answer["status"], answer["errorCode"]) == ("FAILED", "InvalidRequest")
    assert sentence in answer["message"]
    assert [op for op in operations() if op != "DescribeKey"] == []


def test_a_region_of_every_partition_fits_the_schema(provider: Provider) -> None:
    answer = provider.invoke("CREATE", {"MultiRegion": True, "ReplicaRegions": ["eusc-de-east-1"]})
    assert "pattern" not in answer.get("message", "")
    assert "partition aws-eusc" in answer["message"]
