"""A multi-Region key with its replicas, through the entrypoint: create, read, update (a Region
swapped for another, the replicas kept in step), delete; refusals with no KMS write; faults
during replication; a failed create leaving no replica behind."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from cloudformation_cli_python_lib.interface import HandlerErrorCode

from keyforge_kms_key.kms import KmsError, KmsGateway
from tests.embedded import ACCOUNT, REGION, Provider, kms_client, make_principals

from .conftest import WRITE_OPERATIONS

FIRST, SECOND, THIRD = "eu-west-1", "ap-southeast-2", "us-west-2"
WRITES = WRITE_OPERATIONS | {"ReplicateKey", "CancelKeyDeletion"}


@pytest.fixture(autouse=True)
def key_user(kms: Any) -> None:
    """The role the key policy names exists: KMS refuses principals that do not."""
    make_principals(desired(), f"arn:aws:iam::{ACCOUNT}:role/Other")


def desired(**extra: Any) -> dict[str, Any]:
    return {
        "MultiRegion": True,
        "Description": "global data",
        "AliasName": "alias/global",
        "Tags": [{"Key": "team", "Value": "data"}],
        "KeyUsers": [f"arn:aws:iam::{ACCOUNT}:role/App"],
        "ReplicaRegions": [FIRST, SECOND],
        **extra,
    }


def state(region: str, key_id: str) -> str:
    return str(kms_client(region).describe_key(KeyId=key_id)["KeyMetadata"]["KeyState"])


def replica_view(region: str, key_id: str) -> dict[str, Any]:
    kms = kms_client(region)
    metadata = kms.describe_key(KeyId=key_id)["KeyMetadata"]
    tags = {t["TagKey"]: t["TagValue"] for t in kms.list_resource_tags(KeyId=key_id)["Tags"]}
    tags.pop("keyforge:creation-token", None)
    return {
        "type": metadata["MultiRegionConfiguration"]["MultiRegionKeyType"],
        "description": metadata["Description"],
        "tags": tags,
        "aliases": [a["AliasName"] for a in kms.list_aliases(KeyId=key_id)["Aliases"]],
        "policy": json.loads(kms.get_key_policy(KeyId=key_id, PolicyName="default")["Policy"]),
    }


def assert_replicas_follow(
    key_id: str, regions: tuple[str, ...], description: str, team: str, alias: str
) -> None:
    """Each replica has the primary's description, tags, alias and policy."""
    policy = kms_client(REGION).get_key_policy(KeyId=key_id, PolicyName="default")["Policy"]
    for region in regions:
        assert replica_view(region, key_id) == {
            "type": "REPLICA",
            "description": description,
            "tags": {"team": team},
            "aliases": [alias],
            "policy": json.loads(policy),
        }


def test_create_read_update_delete(provider: Provider, kms: Any) -> None:
    model = provider.create(desired())
    key_id = model["KeyId"]
    assert key_id.startswith("mrk-")
    assert model["ReplicaRegions"] == [FIRST, SECOND]
    assert model["ReplicaArns"] == [
        f"arn:aws:kms:{region}:{ACCOUNT}:key/{key_id}" for region in (FIRST, SECOND)
    ]
    assert_replicas_follow(key_id, (FIRST, SECOND), "global data", "data", "alias/global")
    assert provider.read(key_id, ReplicaRegions=[FIRST, SECOND])["resourceModel"] == model

    blob = kms.encrypt(KeyId=key_id, Plaintext=b"anywhere")["CiphertextBlob"]
    assert kms_client(SECOND).decrypt(CiphertextBlob=blob)["Plaintext"] == b"anywhere"

    changed = {
        **model,
        "ReplicaRegions": [FIRST, THIRD],
        "Description": "global data, v2",
        "Tags": [{"Key": "team", "Value": "platform"}],
        "AliasName": "alias/global-v2",
        "KeyUsers": [f"arn:aws:iam::{ACCOUNT}:role/Other"],
    }
    updated = provider.run("UPDATE", changed, previous=model)
    assert updated["status"] == "SUCCESS", updated
    after = updated["resourceModel"]
    assert after["ReplicaRegions"] == [FIRST, THIRD]
    assert (
        provider.read(key_id, **{k: after[k] for k in ("ReplicaRegions", "AliasName", "Tags")})[
            "resourceModel"
        ]
        == after
    )
    assert state(SECOND, key_id) == "PendingDeletion"
    assert kms_client(SECOND).list_aliases(KeyId=key_id)["Aliases"] == []
    assert_replicas_follow(key_id, (FIRST, THIRD), "global data, v2", "platform", "alias/global-v2")

    assert provider.run("DELETE", after)["status"] == "SUCCESS"
    assert state(REGION, key_id) == "PendingReplicaDeletion"
    for region in (FIRST, SECOND, THIRD):
        assert state(region, key_id) == "PendingDeletion"
        assert kms_client(region).list_aliases(KeyId=key_id)["Aliases"] == []
    assert provider.read(key_id)["errorCode"] == "NotFound"


def test_read_shows_a_replica_removed_behind_the_stack(provider: Provider) -> None:
    model = provider.create(desired())
    kms_client(SECOND).schedule_key_deletion(KeyId=model["KeyId"], PendingWindowInDays=7)
    read = provider.read(model["KeyId"], ReplicaRegions=[FIRST, SECOND])["resourceModel"]
    assert read["ReplicaRegions"] == [FIRST]


def test_a_region_added_back_cancels_its_replicas_deletion(provider: Provider) -> None:
    model = provider.create(desired())
    fewer = provider.run("UPDATE", {**model, "ReplicaRegions": [FIRST]}, previous=model)
    back = provider.run("UPDATE", model, previous=fewer["resourceModel"])
    assert back["status"] == "SUCCESS", back
    assert state(SECOND, model["KeyId"]) == "Enabled"
    assert back["resourceModel"]["ReplicaRegions"] == [FIRST, SECOND]


@pytest.mark.parametrize(
    ("properties", "words"),
    [
        ({**desired(), "MultiRegion": False}, "needs MultiRegion true"),
        ({**desired(), "ReplicaRegions": [REGION]}, "the stack's own Region"),
        ({**desired(), "ReplicaRegions": [FIRST, FIRST]}, "twice"),
        ({**desired(), "ReplicaRegions": ["cn-north-1"]}, "partition aws-cn"),
        ({**desired(), "ReplicaRegions": ["Ireland"]}, "does not match the pattern"),
    ],
)
def test_refused_before_any_kms_write(
    provider: Provider, operations: Callable[[], list[str]], properties: dict[str, Any], words: str
) -> None:
    answer = provider.run("CREATE", properties)
    assert answer["status"] == "FAILED"
    assert answer["errorCode"] == "InvalidRequest"
    assert words in answer["message"]
    assert not WRITES & set(operations())


def test_throttled_replication_calls_back_and_finishes(
    provider: Provider, inject: Callable[..., None]
) -> None:
    inject("ReplicateKey", "ThrottlingException", times=4)
    events = list(provider.progress("CREATE", desired()))
    assert [e["status"] for e in events][-1] == "SUCCESS", events[-1]
    assert all(e["resourceModel"].get("KeyId") for e in events[1:])
    key_id = events[-1]["resourceModel"]["KeyId"]
    assert state(FIRST, key_id) == state(SECOND, key_id) == "Enabled"


def test_lost_answer_to_replicate_key_counts_as_done(
    provider: Provider, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = KmsGateway.replicate_key
    lost = {"count": 0}

    def replicate_then_lose(self: KmsGateway, key_id: str, region: str, **params: Any) -> Any:
        answer = original(self, key_id, region, **params)
        if lost["count"] == 0:
            lost["count"] += 1
            raise KmsError(HandlerErrorCode.NetworkFailure, "lost", outcome_unknown=True)
        return answer

    monkeypatch.setattr(KmsGateway, "replicate_key", replicate_then_lose)
    model = provider.create(desired())
    assert lost["count"] == 1
    assert model["ReplicaRegions"] == [FIRST, SECOND]
    assert state(FIRST, model["KeyId"]) == "Enabled"


def test_failed_create_removes_the_replicas_it_made(
    provider: Provider, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = KmsGateway.replicate_key

    def refuse_second(self: KmsGateway, key_id: str, region: str, **params: Any) -> Any:
        if region == SECOND:
            raise KmsError(HandlerErrorCode.ServiceLimitExceeded, "too many keys")
        return original(self, key_id, region, **params)

    monkeypatch.setattr(KmsGateway, "replicate_key", refuse_second)
    events = list(provider.progress("CREATE", desired()))
    assert events[-1]["status"] == "FAILED"
    assert events[-1]["errorCode"] == "ServiceLimitExceeded"
    key_id = events[0]["resourceModel"]["KeyId"]
    assert state(FIRST, key_id) == "PendingDeletion"
    assert kms_client(FIRST).list_aliases(KeyId=key_id)["Aliases"] == []
    assert state(REGION, key_id) == "PendingReplicaDeletion"
    assert kms_client(REGION).list_aliases(KeyId=key_id)["Aliases"] == []


def test_list_in_a_replica_region_leaves_replicas_out(provider: Provider) -> None:
    model = provider.create(desired())
    listed = provider.in_region(FIRST).run("LIST", None)
    assert listed["status"] == "SUCCESS"
    assert model["KeyId"] not in [m["KeyId"] for m in listed.get("resourceModels") or []]
    listed = provider.run("LIST", None)
    assert model["KeyId"] in [m["KeyId"] for m in listed["resourceModels"]]


def test_update_changes_only_what_differs_on_each_replica(
    provider: Provider, operations: Callable[[], list[str]]
) -> None:
    model = provider.create(desired())
    operations()
    updated = provider.run("UPDATE", {**model, "Description": "renamed"}, previous=model)
    assert updated["status"] == "SUCCESS", updated
    made = operations()
    assert made.count("UpdateKeyDescription") == 3
    assert not {"TagResource", "UntagResource", "PutKeyPolicy", "CreateAlias"} & set(made)
    assert "ReplicateKey" not in made


INVALID_PRINCIPALS = "Policy contains a statement with one or more invalid principals."
APP = f"arn:aws:iam::{ACCOUNT}:role/App"
OTHER = FIRST


def test_a_principal_still_propagating_in_a_replica_region_is_waited_for(
    provider: Provider, kms_in: Any, inject: Callable[..., None]
) -> None:
    make_principals(APP)
    inject("ReplicateKey", "MalformedPolicyDocumentException", times=2, message=INVALID_PRINCIPALS)
    answer = provider.run(
        "CREATE", {"MultiRegion": True, "ReplicaRegions": [OTHER], "KeyUsers": [APP]}
    )
    assert answer["status"] == "SUCCESS", answer
    replica = kms_in(OTHER).describe_key(KeyId=answer["resourceModel"]["KeyId"])["KeyMetadata"]
    assert replica["KeyState"] == "Enabled"


def test_a_principal_never_seen_in_a_replica_region_fails_naming_it_and_leaves_no_key(
    provider: Provider, kms_in: Any, inject: Callable[..., None]
) -> None:
    make_principals(APP)
    provider.max_invocations = 30
    inject("ReplicateKey", "MalformedPolicyDocumentException", times=40, message=INVALID_PRINCIPALS)
    answer = provider.run(
        "CREATE", {"MultiRegion": True, "ReplicaRegions": [OTHER], "KeyUsers": [APP]}
    )
    assert (answer["status"], answer["errorCode"]) == ("FAILED", "InvalidRequest")
    assert APP in answer["message"]
    for region in (REGION, OTHER):
        for key in kms_in(region).list_keys()["Keys"]:
            state = kms_in(region).describe_key(KeyId=key["KeyId"])["KeyMetadata"]["KeyState"]
            assert state in ("PendingDeletion", "PendingReplicaDeletion"), (region, state)
