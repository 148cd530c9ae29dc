"""E9102: automatic rotation on a key that cannot rotate."""

from __future__ import annotations

from collections.abc import Iterable

import keyforge_lint._base as base
from keyforge_kms_key.keyspecs import SYMMETRIC_KEY_SPEC, Origin
from keyforge_kms_key.validation import Problem, rotation_problems
from keyforge_lint._resolve import Variant


class KeyRotation(base.VariantRule):
    id = "E9102"
    shortdesc = "Rotation only on keys that can rotate"
    description = (
        "EnableKeyRotation true or RotationPeriodInDays on a key that is not a "
        f"{SYMMETRIC_KEY_SPEC} key with Origin {Origin.AWS_KMS}, and RotationPeriodInDays "
        "without EnableKeyRotation true."
    )
    source_url = "https://docs.aws.amazon.com/kms/latest/developerguide/rotate-keys.html"

    def problems(self, variant: Variant, resource_type: str) -> Iterable[Problem]:
        return rotation_problems(variant.properties)
