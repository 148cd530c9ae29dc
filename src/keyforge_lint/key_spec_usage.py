"""E9101: a KeyUsage the KeySpec does not allow."""

from __future__ import annotations

import keyforge_lint._base as base
from keyforge_kms_key.keyspecs import DEFAULT_KEY_SPEC, DEFAULT_KEY_USAGE


class KeySpecUsage(base.RegistryRule):
    id = "E9101"
    description = (
        "Checks the (KeySpec, KeyUsage) pair of AWS::KMS::Key and Keyforge::KMS::Key "
        f"against what KMS allows, with KMS's defaults ({DEFAULT_KEY_SPEC}, {DEFAULT_KEY_USAGE}) "
        "for what is not set; KMS refuses any other pair at deploy time."
    )
