"""LIST pages through ListKeys with bounded calls per page and leaves out deleted keys."""

from __future__ import annotations

import json
from collections.abc import Callable

from keyforge.local.scoping import handler_role_name
from keyforge_kms_key.kms import LIST_PAGE_SIZE
from tests.embedded import Provider


def test_list_pages_with_next_token_and_skips_keys_pending_deletion(
    provider: Provider, operations: Callable[[], list[str]]
) -> None:
    key_ids = [provider.kms.create_key()["KeyMetadata"]["KeyId"] for _ in range(LIST_PAGE_SIZE + 5)]
    deleted = key_ids[3]
    provider.kms.schedule_key_deletion(KeyId=deleted, PendingWindowInDays=7)
    operations()

    listed: list[str] = []
    token = None
    pages = 0
    while True:
        answer = provider.invoke("LIST", {}, next_token=token)
        assert answer["status"] == "SUCCESS"
        made = operations()
        assert made.count("ListKeys") == 1
        assert made.count("DescribeKey") <= LIST_PAGE_SIZE
        listed += [model["KeyId"] for model in answer["resourceModels"]]
        pages += 1
        token = answer.get("nextToken")
        if not token:
            break
    assert pages == 2
    assert sorted(listed) == sorted(k for k in key_ids if k != deleted)
    assert len(listed) == len(set(listed))


def test_a_key_that_refuses_describe_key_is_listed_by_its_id_and_the_rest_as_usual(
    provider: Provider,
) -> None:
    kms = provider.kms
    readable = [kms.create_key(Description=f"key {n}")["KeyMetadata"]["KeyId"] for n in range(3)]
    # The LIST handler's own role is denied DescribeKey by this key's policy.
    list_role = f"arn:aws:iam::{provider.account}:role/{handler_role_name('LIST')}"
    provider.invoke("LIST", {})  # makes the LIST handler's role, which the policy names
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{provider.account}:root"},
                "Action": "kms:*",
                "Resource": "*",
            },
            {
                "Effect": "Deny",
                "Principal": {"AWS": list_role},
                "Action": "kms:DescribeKey",
                "Resource": "*",
            },
        ],
    }
    hidden = kms.create_key(Policy=json.dumps(policy))["KeyMetadata"]["KeyId"]

    answer = provider.invoke("LIST", {})
    assert answer["status"] == "SUCCESS", answer
    models = {model["KeyId"]: model for model in answer["resourceModels"]}
    assert set(models) == {*readable, hidden}
    assert models[hidden] == {"KeyId": hidden}
    assert all(models[key_id]["Description"].startswith("key ") for key_id in readable)
    # Root, which the policy does not name, still reads the key.
    assert kms.describe_key(KeyId=hidden)["KeyMetadata"]["KeyState"] == "Enabled"
