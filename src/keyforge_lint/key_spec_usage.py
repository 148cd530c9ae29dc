"""E9101: a KeyUsage the KeySpec does not allow."""

from __future__ import annotations

from collections.abc import Iterable

import keyforge_lint._base as base
from keyforge_kms_key.keyspecs import DEFAULT_KEY_SPEC, DEFAULT_KEY_USAGE
from keyforge_kms_key.validation import Problem, key_spec_problems
from keyforge_lint._resolve import Variant


class KeySpecUsage(base.VariantRule):
    id = "E9101"
    shortdesc = "KeyUsage is valid for the KeySpec"
    description = (
        "Checks the (KeySpec, KeyUsage) pair of AWS::KMS::Key and Keyforge::KMS::Key "
        f"against what KMS allows, with KMS's defaults ({DEFAULT_KEY_SPEC}, {DEFAULT_KEY_USAGE}) "
        "for what is not set; KMS refuses any other pair at deploy time."
    )
    source_url = (
        "https://docs.aws.amazon.com/kms/latest/developerguide/symm-asymm-choose-key-spec.html"
    )

    def problems(self, variant: Variant, resource_type: str) -> Iterable[Problem]:
        return key_spec_problems(variant.properties)
