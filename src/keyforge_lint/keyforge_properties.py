"""E9108: Keyforge::KMS::Key properties that its schema or its handler refuses."""

from __future__ import annotations

from collections.abc import Iterator

import keyforge_lint._base as base
from keyforge_kms_key.keyspecs import RESOURCE_TYPE
from keyforge_kms_key.refused_principals import refusal
from keyforge_kms_key.validation import (
    Problem,
    policy_problems,
    principal_problems,
    replica_problems,
    schema_problems,
    tag_problems,
)
from keyforge_lint._resolve import Variant
from keyforge_lint.refused_principal import PRINCIPAL_LISTS


class KeyforgeProperties(base.VariantRule):
    id = "E9108"
    shortdesc = "Keyforge::KMS::Key properties match its schema"
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
    source_url = "https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateKey.html"
    resource_types = (RESOURCE_TYPE,)

    def problems(self, variant: Variant, resource_type: str) -> Iterator[Problem]:
        properties = variant.properties
        # A principal KMS refuses (an IAM group, a wildcard in an ARN) is E9114's, which says why.
        yield from (p for p in schema_problems(properties) if not _refused_principal(p))
        yield from policy_problems(properties)
        yield from principal_problems(properties)
        yield from tag_problems(properties)
        for region in variant.regions:
            yield from replica_problems(properties, region)


def _refused_principal(problem: Problem) -> bool:
    in_list = len(problem.path) == 2 and problem.path[0] in PRINCIPAL_LISTS
    return in_list and isinstance(problem.value, str) and refusal(problem.value) is not None
