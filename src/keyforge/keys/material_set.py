"""Imported key material across the keys of a multi-Region key: where it is, and what comes next.

KMS does not copy imported key material from a primary key to its replica keys, so each key
of the set takes the same material by its own import (KMS developer guide, "Importing key
material into multi-Region keys"). New key material and rotation follow the KMS API
reference, which is newer than that page: ImportKeyMaterial (new key material, ImportType
NEW_KEY_MATERIAL, into the primary Region key only, then the same material into every replica
Region key before RotateKeyOnDemand on the primary), RotateKeyOnDemand (a set of related
multi-Region keys rotates on its primary Region key) and RotationsListEntry (KeyMaterialState
PENDING_MULTI_REGION_IMPORT_AND_ROTATION until every replica holds the new material, then
PENDING_ROTATION); DescribeKey's CurrentKeyMaterialId names the current material of each key.

``survey`` asks each Region's KMS (DescribeKey, and ListKeyRotations for symmetric keys);
``next_steps`` and the sentences below are pure. Keys pending deletion take no import and
are left out.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from keyforge.keys.material import (
    ALL_KEY_MATERIAL,
    CURRENT,
    NON_CURRENT,
    PENDING_STATES,
)
from keyforge.kms_client import kms_client, kms_errors
from keyforge_kms_key.keyspecs import (
    PENDING_DELETION_STATES,
    SYMMETRIC_KEY_SPEC,
    KeyState,
    Origin,
)

PRIMARY, REPLICA = "PRIMARY", "REPLICA"
IMPORTED = "IMPORTED"

Regional = Callable[[str], Any]
"""A KMS client for a Region, with the credentials and endpoint of the command's own."""


@dataclass(frozen=True)
class HeldMaterial:
    """One key material as one key of the set lists it (ListKeyRotations)."""

    material_id: str
    state: str
    imported: bool

    @property
    def permanent(self) -> bool:
        return self.state in (CURRENT, NON_CURRENT)


@dataclass(frozen=True)
class RegionalKey:
    """One key of the set: its Region, whether it is the primary, its state and materials."""

    region: str
    primary: bool
    state: str
    materials: tuple[HeldMaterial, ...] = ()

    @property
    def role(self) -> str:
        return "primary" if self.primary else "replica"

    @property
    def name(self) -> str:
        """The Region with the key's role, as the guidance names it: "eu-west-1 (replica)"."""
        return f"{self.region} ({self.role})"

    @property
    def live(self) -> bool:
        return self.state not in PENDING_DELETION_STATES

    def holds(self, material_id: str) -> bool:
        return any(m.material_id == material_id and m.imported for m in self.materials)


@dataclass(frozen=True)
class KeySet:
    """Every key of a multi-Region key with imported key material, the primary first."""

    key_id: str
    symmetric: bool
    keys: tuple[RegionalKey, ...]

    @property
    def primary(self) -> RegionalKey:
        return self.keys[0]

    @property
    def replicas(self) -> tuple[RegionalKey, ...]:
        return tuple(key for key in self.keys[1:] if key.live)

    def in_region(self, region: str) -> RegionalKey | None:
        return next((key for key in self.keys if key.region == region), None)

    @property
    def pending(self) -> HeldMaterial | None:
        """New key material of the primary key waiting for the replicas or for the rotation."""
        return next((m for m in self.primary.materials if m.state in PENDING_STATES), None)

    def lacking(self, material_id: str) -> tuple[RegionalKey, ...]:
        """The replica keys that do not hold this key material yet."""
        return tuple(key for key in self.replicas if not key.holds(material_id))


class Action(StrEnum):
    FIRST_IMPORT = "the first key material, into the primary"
    IMPORT = "the same key material, into a key that lacks it"
    IMPORT_NEW_INTO_PRIMARY = "new key material, into the primary"
    IMPORT_NEW = "the same new key material, into a replica"
    ROTATE = "the rotation on demand, on the primary"


@dataclass(frozen=True)
class Step:
    """One thing to do in one Region."""

    action: Action
    key: RegionalKey


def is_multi_region_import(metadata: Mapping[str, Any]) -> bool:
    """A multi-Region key with Origin EXTERNAL: its keys take the key material one by one."""
    return bool(metadata.get("MultiRegion")) and metadata.get("Origin") == Origin.EXTERNAL


def regions_of(metadata: Mapping[str, Any]) -> tuple[str, list[str]]:
    """(primary Region, replica Regions) of DescribeKey's MultiRegionConfiguration."""
    configuration = metadata.get("MultiRegionConfiguration") or {}
    primary = str((configuration.get("PrimaryKey") or {}).get("Region", ""))
    replicas = [str(r["Region"]) for r in configuration.get("ReplicaKeys") or []]
    return primary, replicas


def is_replica(metadata: Mapping[str, Any]) -> bool:
    configuration = metadata.get("MultiRegionConfiguration") or {}
    return bool(metadata.get("MultiRegion")) and configuration.get("MultiRegionKeyType") == REPLICA


# --- What each Region's KMS says (I/O) -----------------------------------------------------------


def _materials(client: Any, key_id: str) -> tuple[HeldMaterial, ...]:
    pages = client.get_paginator("list_key_rotations").paginate(
        KeyId=key_id, IncludeKeyMaterial=ALL_KEY_MATERIAL
    )
    return tuple(
        HeldMaterial(
            str(entry["KeyMaterialId"]),
            str(entry.get("KeyMaterialState", "")),
            entry.get("ImportState") == IMPORTED,
        )
        for page in pages
        for entry in page.get("Rotations", [])
    )


def survey(metadata: Mapping[str, Any], regional: Regional, key: str) -> KeySet:
    """Every key of the set as its Region's KMS describes it; ``key`` names it in errors."""
    key_id = str(metadata["KeyId"])
    symmetric = metadata.get("KeySpec", SYMMETRIC_KEY_SPEC) == SYMMETRIC_KEY_SPEC
    primary, replicas = regions_of(metadata)
    found = []
    for region in [primary, *replicas]:
        client = regional(region)
        with kms_errors(f"{key} in {region}"):
            state = str(client.describe_key(KeyId=key_id)["KeyMetadata"]["KeyState"])
            held = _materials(client, key_id) if symmetric else ()
        found.append(RegionalKey(region, region == primary, state, held))
    return KeySet(key_id, symmetric, tuple(found))


# --- What comes next (pure) ----------------------------------------------------------------------


def _lacks_material(keys: KeySet, key: RegionalKey) -> bool:
    """Whether a key lacks key material permanently associated with the set."""
    if not keys.symmetric:
        return key.state == KeyState.PENDING_IMPORT
    wanted = [m for m in keys.primary.materials if m.permanent]
    return any(not key.holds(m.material_id) for m in wanted)


def next_steps(keys: KeySet) -> list[Step]:
    """What each Region needs next, in order: the primary's first material, the same material
    into each replica, new material into each replica, then the rotation on the primary."""
    primary = keys.primary
    if not primary.live:
        return []
    if keys.symmetric and not primary.materials:
        return [Step(Action.FIRST_IMPORT, primary)]
    steps = [
        Step(Action.IMPORT, key)
        for key in (primary, *keys.replicas)
        if key.live and _lacks_material(keys, key)
    ]
    pending = keys.pending
    if pending is not None:
        lacking = keys.lacking(pending.material_id)
        steps += [Step(Action.IMPORT_NEW, key) for key in lacking]
        if not lacking:
            steps.append(Step(Action.ROTATE, primary))
    return steps


def _import_command(key_id: str, region: str, new: bool = False) -> str:
    option = " --new-material" if new else ""
    return f"keyforge import-key-material {key_id} --material FILE{option} --region {region}"


def rotate_command(key_id: str, region: str) -> str:
    return f"keyforge rotate {key_id} --region {region}"


def step_sentence(keys: KeySet, step: Step, where: str | None = None) -> str:
    """One step, in words, with the command that does it (in ``step.key``'s Region; ``where``
    names more Regions that need the same)."""
    where = where or step.key.name
    if step.action is Action.FIRST_IMPORT:
        command = _import_command(keys.key_id, step.key.region)
        return f"import key material into {where} first ({command})"
    if step.action is Action.IMPORT_NEW_INTO_PRIMARY:
        command = _import_command(keys.key_id, step.key.region, new=True)
        return f"import new key material into {where} first ({command})"
    if step.action is Action.ROTATE:
        return f"now rotate on demand in {where} ({rotate_command(keys.key_id, step.key.region)})"
    what = "the same key material"
    if step.action is Action.IMPORT_NEW and keys.pending is not None:
        what = f"the same new key material ({keys.pending.material_id})"
    elif step.key.primary:
        what = "its key material"
    return f"import {what} into {where} next ({_import_command(keys.key_id, step.key.region)})"


def guidance(key: str, keys: KeySet) -> list[str]:
    """The lines that tell what each Region needs next, or that nothing does."""
    steps = next_steps(keys)
    if not steps:
        names = ", ".join(k.name for k in (keys.primary, *keys.replicas))
        return [f"{key}: every key of the multi-Region key holds its key material: {names}"]
    return [f"{key}: {step_sentence(keys, step)}" for step in steps]


def names(keys: tuple[RegionalKey, ...]) -> str:
    """ "eu-west-1 (replica)", or "eu-west-1 (replica) and ap-southeast-2 (replica)"."""
    listed = [key.name for key in keys]
    return listed[0] if len(listed) == 1 else ", ".join(listed[:-1]) + " and " + listed[-1]


def regional_clients(first: Any, make: Regional) -> Regional:
    """``make``'s clients, one a Region, with ``first`` for its own Region."""
    made: dict[str, Any] = {str(first.meta.region_name): first}

    def client_in(region: str) -> Any:
        if region not in made:
            made[region] = make(region)
        return made[region]

    return client_in


def default_clients(first: Any) -> Regional:
    """Clients of the default AWS session in the other Regions (the command passes its own)."""

    def make(region: str) -> Any:
        import boto3

        return boto3.session.Session().client("kms", region_name=region)

    return regional_clients(first, make)


def command_clients(args: argparse.Namespace, first: Any) -> Regional:
    """The clients of a keyforge command in each Region: its profile and endpoint, that Region."""
    return regional_clients(
        first, lambda region: kms_client(argparse.Namespace(**{**vars(args), "region": region}))
    )
