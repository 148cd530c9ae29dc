"""E9102: automatic rotation on a key that cannot rotate."""

from __future__ import annotations

import keyforge_lint._base as base
from keyforge_kms_key.keyspecs import SYMMETRIC_KEY_SPEC, Origin


class KeyRotation(base.RegistryRule):
    id = "E9102"
    description = (
        "EnableKeyRotation true or RotationPeriodInDays on a key that is not a "
        f"{SYMMETRIC_KEY_SPEC} key with Origin {Origin.AWS_KMS}, and RotationPeriodInDays "
        "without EnableKeyRotation true."
    )
