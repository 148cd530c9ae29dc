"""Stack-level tags go on the key, follow the stack, and stay out of the model's Tags."""

from __future__ import annotations

from typing import Any

from tests.embedded import Provider


def key_tags(provider: Provider, key_id: str) -> dict[str, str]:
    tags = provider.kms.list_resource_tags(KeyId=key_id)["Tags"]
    return {t["TagKey"]: t["TagValue"] for t in tags if not t["TagKey"].startswith("keyforge:")}


def test_create_puts_the_stack_tags_on_the_key_and_a_resource_tag_wins(
    provider: Provider,
) -> None:
    provider.stack_tags = {"cost-center": "42", "team": "stack"}
    model = provider.create({"Tags": [{"Key": "team", "Value": "resource"}]})
    assert key_tags(provider, model["KeyId"]) == {"cost-center": "42", "team": "resource"}
    assert model["Tags"] == [{"Key": "team", "Value": "resource"}]
    assert provider.read(model["KeyId"], Tags=model["Tags"])["resourceModel"]["Tags"] == [
        {"Key": "team", "Value": "resource"}
    ]


def test_update_follows_a_change_of_the_stack_tags(provider: Provider) -> None:
    provider.stack_tags = {"cost-center": "42", "env": "dev"}
    model = provider.create({"Tags": [{"Key": "app", "Value": "a"}]})
    provider.previous_stack_tags, provider.stack_tags = (
        provider.stack_tags,
        {
            "cost-center": "43",
            "owner": "platform",
        },
    )
    answer = provider.run("UPDATE", model, previous=model)
    assert answer["status"] == "SUCCESS", answer
    assert key_tags(provider, model["KeyId"]) == {
        "app": "a",
        "cost-center": "43",
        "owner": "platform",
    }
    assert answer["resourceModel"]["Tags"] == [{"Key": "app", "Value": "a"}]


def test_too_many_tags_with_the_stacks_are_refused_before_any_kms_call(
    provider: Provider, operations: Any
) -> None:
    provider.stack_tags = {f"stack-{i}": "v" for i in range(30)}
    tags = [{"Key": f"own-{i}", "Value": "v"} for i in range(20)]
    answer = provider.invoke("CREATE", {"Tags": tags})
    assert (answer["status"], answer["errorCode"]) == ("FAILED", "InvalidRequest")
    assert answer["message"].startswith("The stack's tags and Tags make 50 tags on the key")
    assert operations() == []
