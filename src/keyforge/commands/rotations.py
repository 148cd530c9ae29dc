"""keyforge rotations: list a symmetric encryption KMS key's rotations (ListKeyRotations).

One line a rotation, oldest first: when, how (AUTOMATIC or ON_DEMAND), the key
material's state (CURRENT, NON_CURRENT) and id; for imported key material also
whether it is imported and when it expires. --all adds the key's first key
material and imported material waiting for `keyforge rotate` (PENDING_ROTATION,
or PENDING_MULTI_REGION_IMPORT_AND_ROTATION while a replica of a multi-Region
key still lacks it). --json prints what KMS answered.

Credentials and Region come from the usual AWS environment and profile;
--endpoint-url (or AWS_ENDPOINT_URL) points at a local KMS. Exit status 2 for an
unknown key or one that never rotates (asymmetric, HMAC); 1 when KMS cannot be
reached or refuses.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from keyforge.command import EXIT_OK
from keyforge.commands.rotate import rotations, symmetric_key
from keyforge.keys.material import DOES_NOT_EXPIRE
from keyforge.kms_client import add_aws_arguments, add_key_argument, kms_client


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_key_argument(parser)
    parser.add_argument(
        "--all", action="store_true", help="every key material, not only those of rotations"
    )
    parser.add_argument("--json", action="store_true", help="print KMS's entries as JSON")
    add_aws_arguments(parser)


def _when(value: Any) -> str:
    return value.isoformat(timespec="seconds") if isinstance(value, datetime) else "-"


def line(entry: Mapping[str, Any]) -> str:
    """One rotation or key material, for people."""
    parts = [
        _when(entry.get("RotationDate")),
        str(entry.get("RotationType", "-")),
        str(entry.get("KeyMaterialState", "-")),
        str(entry.get("KeyMaterialId", "-")),
    ]
    if "ImportState" in entry:
        parts.append(str(entry["ImportState"]))
        if entry.get("ValidTo") is not None:
            parts.append(f"expires {_when(entry['ValidTo'])}")
        elif entry.get("ExpirationModel") == DOES_NOT_EXPIRE:
            parts.append("does not expire")
    if entry.get("KeyMaterialDescription"):
        parts.append(repr(entry["KeyMaterialDescription"]))
    return "  ".join(parts)


def run(args: argparse.Namespace) -> int:
    client = kms_client(args)
    symmetric_key(client, args.key)
    entries = rotations(client, args.key, all_material=args.all)
    if args.json:
        print(json.dumps(entries, indent=2, default=_when))
    elif not entries:
        print(f"{args.key}: no rotations" + ("" if args.all else " yet"))
    else:
        for entry in entries:
            print(line(entry))
    return EXIT_OK
