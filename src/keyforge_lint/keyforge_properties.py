"""E9108: Keyforge::KMS::Key properties that its schema or its handler refuses."""

from __future__ import annotations

import keyforge_lint._base as base


class KeyforgeProperties(base.RegistryRule):
    """A principal KMS refuses (an IAM group, a wildcard in an ARN) in KeyAdministrators or
    KeyUsers is left to E9114, which says why (the registry rule keeps it out)."""

    id = "E9108"
    description = (
        "Checks Keyforge::KMS::Key properties against schema.json (unknown property, "
        "wrong type, value out of range), which cfn-lint no longer does for third-party "
        "types, and what the handler refuses besides: KeyPolicy together with the "
        "builder properties, a principal listed twice, more than 50 tags, a tag key "
        "twice or under aws:, a KeyPolicy over 32768 bytes or not a JSON object, "
        "what KMS refuses in a key policy (as E9109), and ReplicaRegions that ReplicateKey "
        "refuses (a key that is not multi-Region, the stack's own Region, a Region twice, "
        "in another partition, or where the key spec does not exist)."
    )
