"""Multi-Region keys as KMS keeps them: replicas in other Regions, and the primary's view of them.

moto's ReplicateKey copies the key object shallowly, so the replica shares the primary's
multi-Region configuration (and never says REPLICA), and it ignores the replica's description,
policy and tags. Here each key's configuration is worked out from the keys that exist in the
account's Regions, and a replica is a key of its own with the primary's key id and key material.
"""

from __future__ import annotations

import copy
from datetime import datetime, timedelta
from typing import Any

from moto.kms.models import Key, kms_backends

from keyforge_kms_key.keyspecs import KeyState, MultiRegion

from . import importing
from .keys import NoMaterial

PRIMARY = "PRIMARY"
REPLICA = "REPLICA"


def primary_region(key: Key) -> str:
    return str(key.__dict__.get("primary_region") or key.region)


def key_type(key: Key) -> str:
    return PRIMARY if primary_region(key) == key.region else REPLICA


def _arn(key: Key, region: str) -> str:
    _, partition, _ = key.arn.split(":", 2)
    return f"arn:{partition}:kms:{region}:{key.account_id}:key/{key.id}"


def related(key: Key) -> dict[str, Key]:
    """Every key of this multi-Region key, by Region: the primary and its replicas."""
    found: dict[str, Key] = {}
    backends = kms_backends[key.account_id]
    home = primary_region(key)
    for region in sorted(dict.keys(backends)):
        other = dict.__getitem__(backends, region).keys.get(key.id)
        if other is not None and primary_region(other) == home:
            found[region] = other
    return found


def replicas_of(key: Key) -> list[Key]:
    return [other for region, other in related(key).items() if region != primary_region(key)]


def key_set(key: Key) -> importing.KeySet:
    """The key with, for a multi-Region key, its primary key and every replica key."""
    if not key.multi_region:
        return importing.KeySet.single(key)
    found = related(key)
    primary = found.get(primary_region(key), key)
    others = tuple(other for other in found.values() if other is not primary)
    return importing.KeySet(key, primary, others)


def configuration(key: Key) -> dict[str, Any]:
    """DescribeKey's MultiRegionConfiguration: the primary, and every replica that exists."""
    home = primary_region(key)
    return {
        "MultiRegionKeyType": key_type(key),
        "PrimaryKey": {"Arn": _arn(key, home), "Region": home},
        "ReplicaKeys": [{"Arn": other.arn, "Region": other.region} for other in replicas_of(key)],
    }


def make_replica(primary: Key, region: str, description: str, policy: str | None) -> Key:
    """A replica of `primary` in `region`: same key id, key spec, usage, origin and material.

    Imported key material is not copied (KMS does not copy it either): a replica of an
    EXTERNAL key lists the primary's materials and waits for its own import of the same material.
    """
    importing.materials(primary)  # made now, so the replica shares them (rotations are synced)
    replica: Key = copy.copy(primary)
    replica.region = region
    replica.arn = _arn(primary, region)
    replica.__dict__["primary_region"] = primary_region(primary)
    replica.description = description
    replica.policy = policy or replica.generate_default_policy()
    replica.grants = {}
    replica.aliases = {}
    replica.deletion_date = None
    replica.key_state = KeyState.ENABLED.value
    replica.enabled = True
    if importing.is_external(primary):
        replica.__dict__["materials"] = []
        replica.key_material = b""
        replica.private_key = NoMaterial(primary.key_spec)
        replica.key_state = KeyState.PENDING_IMPORT.value
        replica.enabled = False
        importing.sync_replica(primary, replica)
    # moto reads this (its DescribeKey compares the ARNs); answers use configuration().
    replica.multi_region_configuration = {
        "MultiRegionKeyType": REPLICA,
        "PrimaryKey": {
            "Arn": _arn(primary, primary_region(primary)),
            "Region": primary_region(primary),
        },
        "ReplicaKeys": [],
    }
    kms_backends[primary.account_id][region].keys[replica.id] = replica
    return replica


def deletion_state(key: Key) -> str:
    """The state ScheduleKeyDeletion puts a key in: a primary waits for its replicas."""
    if key.multi_region and key_type(key) == PRIMARY and replicas_of(key):
        return MultiRegion.PRIMARY_WAITING_STATE
    return KeyState.PENDING_DELETION.value


# How long both keys stay Updating after UpdatePrimaryRegion: "a few more seconds" (KMS developer
# guide, "Change the primary key in a set of multi-Region keys"), by the embedded KMS's clock.
UPDATING_FOR = timedelta(seconds=2)


def move_primary(primary: Key, new_home: Key, now: datetime) -> None:
    """UpdatePrimaryRegion: `new_home` (a replica) becomes the primary of every related key,
    `primary` a replica; both are Updating until UPDATING_FOR has passed."""
    region = new_home.region
    for key in related(primary).values():
        key.__dict__["primary_region"] = region
    for key in (primary, new_home):
        key.__dict__["updating_until"] = now + UPDATING_FOR
        key.key_state = KeyState.UPDATING.value
    primary.multi_region_configuration = {**primary.multi_region_configuration}
    new_home.multi_region_configuration = {**new_home.multi_region_configuration}


def settle_update(key: Key, now: datetime) -> None:
    """A key whose Updating time has passed is Enabled again (both keys were Enabled before)."""
    until = key.__dict__.get("updating_until")
    if until is not None and now >= until:
        del key.__dict__["updating_until"]
        if key.key_state == KeyState.UPDATING:
            key.key_state = KeyState.ENABLED.value
