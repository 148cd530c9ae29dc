"""LIST pages through ListKeys with bounded calls per page and leaves out deleted keys."""

from __future__ import annotations

from collections.abc import Callable

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
