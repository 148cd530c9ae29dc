"""A key's properties as KMS reports them: the model that READ answers. Pure."""

from __future__ import annotations

import base64
import textwrap
from collections.abc import Mapping
from typing import Any, NamedTuple

from .keyspecs import (
    ALGORITHM_FIELDS,
    DEFAULT_KEY_SPEC,
    DEFAULT_KEY_USAGE,
    DEFAULT_ORIGIN,
    KEY_SPECS,
    KeyKind,
    KeyState,
    Limits,
    rotates_automatically,
)
from .plan import without_creation_token
from .policy import KeyFacts, policy_properties


class ObservedKey(NamedTuple):
    """Everything READ asked KMS about one key."""

    metadata: Mapping[str, Any]
    policy: str
    rotation: tuple[bool, int | None] | None
    tags: list[dict[str, str]]
    aliases: list[str]
    public_key: bytes | None
    # The live replicas of a multi-Region primary key: {"Region", "Arn"} each.
    replicas: list[dict[str, str]] | None = None


def key_facts(metadata: Mapping[str, Any]) -> KeyFacts:
    """The facts a key policy depends on, partition and account taken from the key's ARN."""
    _, partition, _, _, account, _ = str(metadata["Arn"]).split(":", 5)
    return KeyFacts(
        key_spec=str(metadata.get("KeySpec", DEFAULT_KEY_SPEC)),
        key_usage=str(metadata.get("KeyUsage", DEFAULT_KEY_USAGE.value)),
        origin=str(metadata.get("Origin", DEFAULT_ORIGIN.value)),
        multi_region=bool(metadata.get("MultiRegion", False)),
        partition=partition,
        account=account,
    )


def related_keys(metadata: Mapping[str, Any]) -> list[dict[str, str]]:
    """The other keys of a multi-Region key's set, whichever Region holds the primary: the
    replicas a primary lists, or for a replica its primary and the other replicas
    (DescribeKey's MultiRegionConfiguration, whose ReplicaKeys lists every replica, the key
    itself included when it is one). Those pending deletion are included; none for a
    single-Region key."""
    config = metadata.get("MultiRegionConfiguration") or {}
    own = own_region(metadata)
    members = [config.get("PrimaryKey") or {}, *(config.get("ReplicaKeys") or [])]
    found = {
        str(member["Region"]): str(member["Arn"])
        for member in members
        if member.get("Region") and member.get("Arn") and member["Region"] != own
    }
    return [{"Region": region, "Arn": arn} for region, arn in found.items()]


def primary_region(metadata: Mapping[str, Any]) -> str:
    """The Region of the set's primary key (the key's own for a single-Region key)."""
    config = metadata.get("MultiRegionConfiguration") or {}
    return str((config.get("PrimaryKey") or {}).get("Region") or own_region(metadata))


def own_region(metadata: Mapping[str, Any]) -> str:
    """The Region of the key DescribeKey described, from its ARN."""
    arn = str(metadata.get("Arn") or "")
    return arn.split(":")[3] if arn.count(":") >= 5 else ""


def replica_properties(
    replicas: list[dict[str, str]] | None, known: Mapping[str, Any]
) -> dict[str, Any]:
    """ReplicaRegions and ReplicaArns, in the order the model lists the Regions.

    Reported when the key has replicas, or when the model names ReplicaRegions (then an empty
    list shows that the replicas are gone)."""
    if not replicas:
        return {"ReplicaRegions": []} if known.get("ReplicaRegions") is not None else {}
    listed = [str(region) for region in known.get("ReplicaRegions") or []]
    by_region = {replica["Region"]: replica["Arn"] for replica in replicas}
    order = [region for region in dict.fromkeys(listed) if region in by_region]
    order += sorted(region for region in by_region if region not in order)
    return {
        "ReplicaRegions": order,
        "ReplicaArns": [by_region[region] for region in order],
    }


def can_rotate(metadata: Mapping[str, Any]) -> bool:
    """Whether the key rotates automatically, so that GetKeyRotationStatus answers for it."""
    origin = metadata.get("Origin", DEFAULT_ORIGIN.value)
    return rotates_automatically(str(metadata.get("KeySpec")), origin)


def has_public_key(metadata: Mapping[str, Any]) -> bool:
    """Whether GetPublicKey can answer: asymmetric keys, while enabled.

    KMS refuses GetPublicKey for a disabled key (DisabledException) and for one
    still waiting for its imported material (KMSInvalidStateException).
    """
    info = KEY_SPECS.get(str(metadata.get("KeySpec")))
    return (
        info is not None
        and info.kind is KeyKind.ASYMMETRIC
        and metadata.get("KeyState") == KeyState.ENABLED
    )


PUBLIC_KEY_PEM_LABEL = "PUBLIC KEY"


def der_to_pem(der: bytes) -> str:
    """PEM ("BEGIN PUBLIC KEY", 64-character lines, final newline) of a DER SubjectPublicKeyInfo."""
    body = "\n".join(textwrap.wrap(base64.b64encode(der).decode(), 64))
    label = PUBLIC_KEY_PEM_LABEL
    return f"-----BEGIN {label}-----\n{body}\n-----END {label}-----\n"


def managed_alias(aliases: list[str], preferred: str | None) -> str | None:
    """The alias this resource manages: the one the model names, else the key's first alias."""
    own = sorted(name for name in aliases if not name.startswith(Limits.RESERVED_ALIAS_PREFIX))
    if preferred in own:
        return preferred
    return own[0] if own else None


def observed_properties(
    key: ObservedKey, known: Mapping[str, Any], stack_tags: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """The resource model's properties, without write-only ones, as KMS reports them.

    `known` is the model CloudFormation holds: the alias it names is preferred, and a stack
    tag is left out of Tags (drift detection compares what the template says) unless the
    model's own Tags name it.
    """
    preferred_alias = known.get("AliasName")
    metadata = key.metadata
    properties: dict[str, Any] = {
        "KeyId": metadata["KeyId"],
        "Arn": metadata["Arn"],
        "Description": metadata.get("Description", ""),
        "Enabled": bool(metadata.get("Enabled")),
        "KeySpec": metadata.get("KeySpec"),
        "KeyUsage": metadata.get("KeyUsage"),
        "Origin": metadata.get("Origin"),
        "MultiRegion": bool(metadata.get("MultiRegion", False)),
        "Tags": resource_tags(key.tags, known, stack_tags or {}),
    }
    properties.update(policy_properties(key.policy, key_facts(metadata)))
    if key.rotation is not None:
        enabled, period = key.rotation
        properties["EnableKeyRotation"] = enabled
        if enabled and period is not None:
            properties["RotationPeriodInDays"] = period
    alias = managed_alias(key.aliases, preferred_alias)
    if alias is not None:
        properties["AliasName"] = alias
    for field in ALGORITHM_FIELDS:
        if metadata.get(field):
            properties[field] = list(metadata[field])
    if key.public_key is not None:
        properties["PublicKey"] = base64.b64encode(key.public_key).decode()
        properties["PublicKeyPem"] = der_to_pem(key.public_key)
    properties.update(replica_properties(key.replicas, known))
    return properties


def resource_tags(
    tags: list[dict[str, str]], known: Mapping[str, Any], stack_tags: Mapping[str, str]
) -> list[dict[str, str]]:
    declared = {tag.get("Key") for tag in known.get("Tags") or [] if isinstance(tag, Mapping)}
    return [
        tag
        for tag in without_creation_token(tags)
        if tag["Key"] in declared or stack_tags.get(tag["Key"]) != tag["Value"]
    ]


def listed_properties(metadata: Mapping[str, Any]) -> dict[str, Any]:
    """What LIST reports per key: the identifier and what DescribeKey alone tells."""
    properties = {
        name: metadata[name]
        for name in ("KeyId", "Arn", "Description", "KeySpec", "KeyUsage", "Origin")
        if name in metadata
    }
    properties["Enabled"] = bool(metadata.get("Enabled"))
    properties["MultiRegion"] = bool(metadata.get("MultiRegion", False))
    return properties
