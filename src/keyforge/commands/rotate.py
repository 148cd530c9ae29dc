"""keyforge rotate: rotate a symmetric encryption KMS key's key material now (RotateKeyOnDemand).

KMS rotates symmetric encryption keys (SYMMETRIC_DEFAULT) on demand, at most 25
times a key, whether or not automatic rotation is on; ciphertexts made before
still decrypt. A key with imported key material (Origin EXTERNAL) rotates to new
material imported first with `keyforge import-key-material KEY --material FILE
--new-material`. Asymmetric and HMAC keys never rotate. `keyforge rotations KEY`
lists the rotations.

A multi-Region key rotates on its primary key, and the rotation reaches every replica; a
replica is refused with the primary's Region. One with imported key material rotates once
the new material, imported into the primary, is in every replica too (KMS API reference,
RotateKeyOnDemand; ListKeyRotations shows it PENDING_MULTI_REGION_IMPORT_AND_ROTATION until
then): the command asks each Region's KMS and, until then, names the Regions that still need
the material; after the rotation it names where the material is current.

Credentials and Region come from the usual AWS environment and profile;
--endpoint-url (or AWS_ENDPOINT_URL) points at a local KMS. Exit status 2 for an
unknown key, or one that cannot rotate now; 1 when KMS cannot be reached or refuses.
"""

from __future__ import annotations

import argparse
from typing import Any

from keyforge.command import EXIT_OK, CommandError
from keyforge.keys import material_set
from keyforge.keys.material import (
    ALL_KEY_MATERIAL,
    CURRENT,
    PENDING_STATES,
    ROTATIONS_ONLY,
)
from keyforge.kms_client import (
    add_aws_arguments,
    add_key_argument,
    describe,
    kms_client,
    kms_errors,
)
from keyforge_kms_key.keyspecs import (
    KEY_SPECS,
    SYMMETRIC_KEY_SPEC,
    KeyState,
    Origin,
    rotates_on_demand,
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_key_argument(parser)
    add_aws_arguments(parser)


def symmetric_key(client: Any, key: str) -> dict[str, Any]:
    """DescribeKey's metadata of a key that rotates; CommandError for one that never does."""
    metadata = describe(client, key)
    spec = str(metadata["KeySpec"])
    if not rotates_on_demand(spec):
        info = KEY_SPECS.get(spec)
        kind = f" ({info.kind.value})" if info else ""
        raise CommandError(
            f"{key} is a {spec} key{kind}: only symmetric encryption keys "
            f"({SYMMETRIC_KEY_SPEC}) rotate"
        )
    return metadata


def rotations(client: Any, key: str, all_material: bool = False) -> list[dict[str, Any]]:
    """Every entry of ListKeyRotations, oldest first."""
    include = ALL_KEY_MATERIAL if all_material else ROTATIONS_ONLY
    with kms_errors(key):
        pages = client.get_paginator("list_key_rotations").paginate(
            KeyId=key, IncludeKeyMaterial=include
        )
        return [entry for page in pages for entry in page.get("Rotations", [])]


def check_set_rotation(key: str, keys: material_set.KeySet) -> None:
    """Refuse a rotation of a multi-Region key with imported material that KMS would refuse."""
    primary = keys.primary
    pending = keys.pending
    if pending is None:
        step = material_set.Step(material_set.Action.IMPORT_NEW_INTO_PRIMARY, primary)
        raise CommandError(
            f"{key} has imported key material: {material_set.step_sentence(keys, step)}, then "
            "the same key material into each replica"
        )
    lacking = keys.lacking(pending.material_id)
    if lacking:
        step = material_set.Step(material_set.Action.IMPORT_NEW, lacking[0])
        sentence = material_set.step_sentence(keys, step, material_set.names(lacking))
        raise CommandError(
            f"{key}: new key material {pending.material_id} is not in every key yet: "
            f"{sentence}, then rotate on demand in {primary.name}"
        )


def _current_everywhere(key: str, keys: material_set.KeySet) -> list[str]:
    """Where each key's current material is, once a multi-Region key has rotated."""
    current = next((m for m in keys.primary.materials if m.state == CURRENT), None)
    if current is None:
        return []
    holding = tuple(k for k in (keys.primary, *keys.replicas) if k.holds(current.material_id))
    lines = [
        f"{key}: key material {current.material_id} is current in {material_set.names(holding)}"
    ]
    steps = material_set.next_steps(keys)
    return lines + [f"{key}: {material_set.step_sentence(keys, step)}" for step in steps]


def rotate(client: Any, key: str, regional: material_set.Regional | None = None) -> list[str]:
    """RotateKeyOnDemand, checked first; the lines that report it.

    ``regional`` gives a KMS client for each other Region of a multi-Region key (by default,
    the default AWS session's).
    """
    metadata = symmetric_key(client, key)
    if material_set.is_replica(metadata):
        region, _ = material_set.regions_of(metadata)
        here = client.meta.region_name
        command = material_set.rotate_command(str(metadata["KeyId"]), region)
        raise CommandError(
            f"{key}: {here} (replica) does not rotate: a multi-Region key rotates on demand in "
            f"{region} (primary), and the rotation reaches every replica ({command})"
        )
    if metadata.get("KeyState") == KeyState.PENDING_IMPORT:
        raise CommandError(
            f"{key} is PendingImport: import its key material first "
            f"(keyforge import-key-material {key} --material FILE)"
        )
    keys = None
    if material_set.is_multi_region_import(metadata):
        regional = regional or material_set.default_clients(client)
        keys = material_set.survey(metadata, regional, key)
        check_set_rotation(key, keys)
    elif metadata.get("Origin") == Origin.EXTERNAL:
        pending = [
            entry
            for entry in rotations(client, key, all_material=True)
            if entry.get("KeyMaterialState") in PENDING_STATES
        ]
        if not pending:
            raise CommandError(
                f"{key} has imported key material: import the new key material first "
                f"(keyforge import-key-material {key} --material FILE --new-material)"
            )
    before = metadata.get("CurrentKeyMaterialId")
    with kms_errors(key):
        client.rotate_key_on_demand(KeyId=key)
    after = describe(client, key).get("CurrentKeyMaterialId")
    if after is None or after == before:
        # KMS rotates in the background: the rotation is started, not yet seen.
        return [f"{key}: on-demand rotation started; 'keyforge rotations {key}' shows it when done"]
    count = len(rotations(client, key))
    lines = [
        f"{key}: rotated on demand; key material {after} is current "
        f"({count} rotation{'s' if count != 1 else ''} so far)"
    ]
    if keys is not None and regional is not None:
        lines += _current_everywhere(key, material_set.survey(metadata, regional, key))
    return lines


def run(args: argparse.Namespace) -> int:
    client = kms_client(args)
    for line in rotate(client, args.key, material_set.command_clients(args, client)):
        print(line)
    return EXIT_OK
