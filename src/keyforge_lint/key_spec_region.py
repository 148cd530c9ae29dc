"""E9103: a key spec the Region does not have, or key material KMS cannot import."""

from __future__ import annotations

from collections.abc import Iterator

import keyforge_lint._base as base
from keyforge_kms_key.validation import Problem, origin_problems, region_problems
from keyforge_lint._resolve import Variant


class KeySpecRegion(base.VariantRule):
    id = "E9103"
    shortdesc = "KeySpec exists in the Region and Origin suits the KeySpec"
    description = (
        "SM2 keys in a template linted for a Region outside China, ML-KEM keys in one "
        "linted for a China Region (the Regions are cfn-lint's --regions), and Origin "
        "EXTERNAL for a key spec whose key material KMS cannot import (ML-DSA; in the "
        "China Regions anything but symmetric encryption keys)."
    )
    source_url = (
        "https://docs.aws.amazon.com/kms/latest/developerguide/symm-asymm-choose-key-spec.html"
    )

    def problems(self, variant: Variant, resource_type: str) -> Iterator[Problem]:
        for region in variant.regions:
            yield from region_problems(variant.properties, region)
            yield from origin_problems(variant.properties, region)
