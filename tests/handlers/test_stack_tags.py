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


def test_tags_others_put_on_the_key_and_its_replicas_survive_an_update(
    provider: Provider, kms_in: Any
) -> None:
    """Only a tag the stack set before (the previous model's or the previous stack tags) is
    removed when the new model leaves it out; backup, cost and access-control tags stay."""
    replica_region = "eu-west-1"
    provider.stack_tags = {"env": "dev"}
    model = provider.create(
        {
            "MultiRegion": True,
            "ReplicaRegions": [replica_region],
            "Tags": [{"Key": "app", "Value": "a"}, {"Key": "old", "Value": "o"}],
        }
    )
    key_id = model["KeyId"]
    foreign = [{"TagKey": "backup-plan", "TagValue": "daily"}]
    for region in ("us-east-1", replica_region):
        kms_in(region).tag_resource(KeyId=key_id, Tags=foreign)
    provider.previous_stack_tags, provider.stack_tags = provider.stack_tags, {}
    desired = {**model, "Tags": [{"Key": "app", "Value": "b"}]}
    assert provider.run("UPDATE", desired, previous=model)["status"] == "SUCCESS"
    for region in ("us-east-1", replica_region):
        tags = kms_in(region).list_resource_tags(KeyId=key_id)["Tags"]
        kept = {t["TagKey"]: t["TagValue"] for t in tags if not t["TagKey"].startswith("keyforge:")}
        assert kept == {"app": "b", "backup-plan": "daily"}, region
    # READ reports every tag of the key, so drift detection shows the foreign one.
    read = provider.read(key_id, Tags=desired["Tags"])["resourceModel"]
    assert {"Key": "backup-plan", "Value": "daily"} in read["Tags"]
