"""What to ask KMS for: CreateKey parameters and the differences an update must apply. Pure."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any, NamedTuple

from .keyspecs import (
    CREATION_TOKEN_TAG,
    DEFAULT_ORIGIN,
    Limits,
    effective_key_spec,
    effective_key_usage,
)
from .policy import KeyFacts, default_policy, policy_document


def facts_for(properties: Mapping[str, Any], partition: str, account: str) -> KeyFacts:
    return KeyFacts(
        key_spec=effective_key_spec(properties.get("KeySpec")),
        key_usage=effective_key_usage(properties.get("KeyUsage")),
        origin=properties.get("Origin") or DEFAULT_ORIGIN.value,
        multi_region=properties.get("MultiRegion") is True,
        partition=partition,
        account=account,
    )


def create_key_request(
    properties: Mapping[str, Any],
    facts: KeyFacts,
    creation_token: str,
    stack_tags: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """CreateKey's parameters: everything KMS takes when a key is made, and the creation token."""
    request: dict[str, Any] = {
        "KeySpec": facts.key_spec,
        "KeyUsage": facts.key_usage,
        "Origin": facts.origin,
        "MultiRegion": facts.multi_region,
    }
    if properties.get("Description") is not None:
        request["Description"] = properties["Description"]
    policy = policy_document(properties, facts)
    if policy is not None:
        request["Policy"] = policy
    if properties.get("BypassPolicyLockoutSafetyCheck") is True:
        request["BypassPolicyLockoutSafetyCheck"] = True
    tags = {**desired_tags(properties, stack_tags), CREATION_TOKEN_TAG: creation_token}
    request["Tags"] = [{"TagKey": key, "TagValue": value} for key, value in tags.items()]
    return request


# CreateKey's parameters that ReplicateKey takes too; a replica has the rest from its primary.
REPLICA_PARAMETERS = ("Description", "Policy", "BypassPolicyLockoutSafetyCheck", "Tags")


def replica_key_request(create_request: Mapping[str, Any]) -> dict[str, Any]:
    """ReplicateKey's parameters for a key made with `create_request`: the same description,
    policy and tags, creation token included."""
    return {name: create_request[name] for name in REPLICA_PARAMETERS if name in create_request}


def replica_regions(properties: Mapping[str, Any]) -> list[str]:
    """The Regions the model wants replicas in, each once, in the model's order."""
    return list(dict.fromkeys(str(region) for region in properties.get("ReplicaRegions") or []))


def desired_tags(
    properties: Mapping[str, Any], stack_tags: Mapping[str, str] | None = None
) -> dict[str, str]:
    """The key's tags: the stack's (CloudFormation's stack-level tags), then the resource's,
    which win when both name the same key."""
    resource_tags = {str(t["Key"]): str(t.get("Value", "")) for t in properties.get("Tags") or []}
    return {**(stack_tags or {}), **resource_tags}


class TagChanges(NamedTuple):
    to_set: dict[str, str]
    to_remove: list[str]


def tag_changes(
    current: list[dict[str, str]], desired: Mapping[str, str], managed: Collection[str]
) -> TagChanges:
    """What to tag and untag; the creation token stays as it is.

    Only a `managed` tag (one the stack set before: the previous model's or the previous stack
    tags) is removed when the desired tags leave it out. Tags others put on the key (backup and
    cost tools, attribute-based access control) stay, as AWS::KMS::Key leaves them.
    """
    now = {tag["Key"]: tag["Value"] for tag in without_creation_token(current)}
    return TagChanges(
        to_set={key: value for key, value in desired.items() if now.get(key) != value},
        to_remove=sorted(key for key in now if key not in desired and key in managed),
    )


def desired_policy(properties: Mapping[str, Any], facts: KeyFacts) -> str:
    """The policy the key should have; KMS's default when the model asks for none."""
    return policy_document(properties, facts) or default_policy(facts)


def desired_rotation(properties: Mapping[str, Any]) -> tuple[bool, int]:
    period = properties.get("RotationPeriodInDays") or Limits.DEFAULT_ROTATION_PERIOD_DAYS
    return properties.get("EnableKeyRotation") is True, int(period)


def without_creation_token(tags: list[dict[str, str]]) -> list[dict[str, str]]:
    return [tag for tag in tags if tag["Key"] != CREATION_TOKEN_TAG]
