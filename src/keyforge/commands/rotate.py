"""keyforge rotate: rotate a symmetric encryption KMS key's key material now (RotateKeyOnDemand).

KMS rotates symmetric encryption keys (SYMMETRIC_DEFAULT) on demand, at most 25
times a key, whether or not automatic rotation is on; ciphertexts made before
still decrypt. A key with imported key material (Origin EXTERNAL) rotates to new
material imported first with `keyforge import-key-material KEY --material FILE
--new-material`. Asymmetric and HMAC keys never rotate. `keyforge rotations KEY`
lists the rotations.

Credentials and Region come from the usual AWS environment and profile;
--endpoint-url (or AWS_ENDPOINT_URL) points at a local KMS. Exit status 2 for an
unknown key, or one that cannot rotate now; 1 when KMS cannot be reached or refuses.
"""

from __future__ import annotations

import argparse
from typing import Any

from keyforge.command import EXIT_OK, CommandError
from keyforge.keys.material import ALL_KEY_MATERIAL, PENDING_ROTATION, ROTATIONS_ONLY
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


def rotate(client: Any, key: str) -> list[str]:
    """RotateKeyOnDemand, checked first; the lines that report it."""
    metadata = symmetric_key(client, key)
    if metadata.get("KeyState") == KeyState.PENDING_IMPORT:
        raise CommandError(
            f"{key} is PendingImport: import its key material first "
            f"(keyforge import-key-material {key} --material FILE)"
        )
    if metadata.get("Origin") == Origin.EXTERNAL:
        pending = [
            entry
            for entry in rotations(client, key, all_material=True)
            if entry.get("KeyMaterialState") == PENDING_ROTATION
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
    return [
        f"{key}: rotated on demand; key material {after} is current "
        f"({count} rotation{'s' if count != 1 else ''} so far)"
    ]


def run(args: argparse.Namespace) -> int:
    for line in rotate(kms_client(args), args.key):
        print(line)
    return EXIT_OK
