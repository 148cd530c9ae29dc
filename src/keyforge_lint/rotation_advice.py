"""W9111: a key that can rotate its key material automatically, with rotation off."""

from __future__ import annotations

import keyforge_lint._base as base
from keyforge_kms_key.keyspecs import SYMMETRIC_KEY_SPEC, Origin


class RotationAdvice(base.RegistryRule):
    id = "W9111"
    description = (
        "Warns on an AWS::KMS::Key or Keyforge::KMS::Key that KMS can rotate automatically "
        f"(KeySpec {SYMMETRIC_KEY_SPEC}, Origin {Origin.AWS_KMS}) without EnableKeyRotation "
        "true. Never on HMAC or asymmetric keys, imported key material or keys in a custom "
        "key store, which cannot rotate automatically, nor when KeySpec, Origin or "
        "EnableKeyRotation comes from a value lint cannot resolve."
    )
