"""A refused UPDATE changes nothing: refused before any write, or put back when KMS refuses."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.embedded import ACCOUNT, Provider, make_principals

APP = f"arn:aws:iam::{ACCOUNT}:role/App"
MISSING = f"arn:aws:iam::{ACCOUNT}:role/never-created"
MADE = {
    "Description": "before",
    "AliasName": "alias/before",
    "EnableKeyRotation": True,
    "Tags": [{"Key": "team", "Value": "platform"}],
    "KeyUsers": [APP],
}
WANTED = {
    "Description": "after",
    "AliasName": "alias/after",
    "EnableKeyRotation": False,
    "Tags": [{"Key": "team", "Value": "data"}, {"Key": "cost", "Value": "42"}],
    "KeyUsers": [APP],
}


def wanted(model: dict[str, Any], **changes: Any) -> dict[str, Any]:
    """WANTED over the model CREATE answered (rotation off: no rotation period)."""
    desired = {**model, **WANTED, **changes}
    desired.pop("RotationPeriodInDays", None)
    return desired


def state(kms: Any, key_id: str) -> dict[str, Any]:
    """The key as KMS has it: what an UPDATE could change."""
    metadata = kms.describe_key(KeyId=key_id)["KeyMetadata"]
    tags = kms.list_resource_tags(KeyId=key_id)["Tags"]
    return {
        "description": metadata["Description"],
        "enabled": metadata["Enabled"],
        "aliases": sorted(a["AliasName"] for a in kms.list_aliases(KeyId=key_id)["Aliases"]),
        "rotation": kms.get_key_rotation_status(KeyId=key_id)["KeyRotationEnabled"],
        "policy": kms.get_key_policy(KeyId=key_id, PolicyName="default")["Policy"],
        "tags": sorted((t["TagKey"], t["TagValue"]) for t in tags),
    }


def test_an_update_naming_a_missing_role_changes_nothing(provider: Provider, kms: Any) -> None:
    make_principals(APP)
    model = provider.create(MADE)
    before = state(kms, model["KeyId"])
    answer = provider.run("UPDATE", wanted(model, KeyUsers=[APP, MISSING]), previous=model)
    assert answer["status"] == "FAILED"
    assert "never-created" in answer["message"]
    assert state(kms, model["KeyId"]) == before


def test_kms_refusing_a_later_write_puts_back_every_earlier_one(
    provider: Provider, kms: Any, inject: Callable[..., None]
) -> None:
    make_principals(APP)
    model = provider.create(MADE)
    before = state(kms, model["KeyId"])
    inject("TagResource", "LimitExceededException", message="Too many tags.")
    answer = provider.run("UPDATE", wanted(model), previous=model)
    assert answer["status"] == "FAILED"
    assert answer["errorCode"] == "ServiceLimitExceeded"
    assert "Too many tags." in answer["message"]
    restored = answer["message"].partition("Restored what this update had changed: ")[2]
    assert restored == "rotation, description, alias alias/after (removed)."
    assert state(kms, model["KeyId"]) == before


def test_a_change_of_policy_refused_by_kms_is_the_first_write(
    provider: Provider, kms: Any, inject: Callable[..., None], operations: Callable[[], list[str]]
) -> None:
    make_principals(APP)
    model = provider.create(MADE)
    before = state(kms, model["KeyId"])
    inject(
        "PutKeyPolicy",
        "MalformedPolicyDocumentException",
        message="The new key policy will not allow you to update the key policy in the future.",
    )
    operations()
    answer = provider.run("UPDATE", wanted(model, KeyUsers=[]), previous=model)
    assert answer["status"] == "FAILED"
    assert "Restored" not in answer["message"]
    # The refused PutKeyPolicy (injected) never reached KMS, and nothing was written before it.
    writes = [op for op in operations() if not op.startswith(("Describe", "Get", "List"))]
    assert writes == []
    assert state(kms, model["KeyId"]) == before


def test_a_restore_kms_refuses_too_is_named(
    provider: Provider, kms: Any, inject: Callable[..., None]
) -> None:
    make_principals(APP)
    model = provider.create(MADE)
    inject("TagResource", "AccessDeniedException", message="Not allowed.")
    inject("EnableKeyRotation", "AccessDeniedException", message="Not this either.")
    answer = provider.run("UPDATE", wanted(model), previous=model)
    assert answer["status"] == "FAILED"
    assert answer["errorCode"] == "AccessDenied"
    assert answer["message"].endswith(
        "Restored what this update had changed: description, alias alias/after (removed)."
        " Could not restore: rotation."
    )
    assert kms.describe_key(KeyId=model["KeyId"])["KeyMetadata"]["Description"] == "before"
