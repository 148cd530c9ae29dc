"""W9111: a key that can rotate its key material automatically, with rotation off."""

from __future__ import annotations

from collections.abc import Iterator

import keyforge_lint._base as base
from keyforge_kms_key.keyspecs import (
    DEFAULT_ORIGIN,
    SYMMETRIC_KEY_SPEC,
    Limits,
    Origin,
    effective_key_spec,
    rotates_automatically,
)
from keyforge_kms_key.policy_grammar import is_literal
from keyforge_kms_key.validation import Problem, describe
from keyforge_lint._resolve import Variant


class RotationAdvice(base.VariantRule):
    id = "W9111"
    shortdesc = "Keys that can rotate automatically have rotation on"
    description = (
        "Warns on an AWS::KMS::Key or Keyforge::KMS::Key that KMS can rotate automatically "
        f"(KeySpec {SYMMETRIC_KEY_SPEC}, Origin {Origin.AWS_KMS}) without EnableKeyRotation "
        "true. Never on HMAC or asymmetric keys, imported key material or keys in a custom "
        "key store, which cannot rotate automatically, nor when KeySpec, Origin or "
        "EnableKeyRotation comes from a value lint cannot resolve."
    )
    source_url = "https://docs.aws.amazon.com/kms/latest/developerguide/rotate-keys.html"

    def problems(self, variant: Variant, resource_type: str) -> Iterator[Problem]:
        properties = variant.properties
        spec_value = properties.get("KeySpec")
        origin_value = properties.get("Origin")
        rotation = properties.get("EnableKeyRotation")
        if not all(is_literal(value) for value in (spec_value, origin_value, rotation)):
            return
        if rotation is True or str(rotation).lower() == "true":
            return
        spec = effective_key_spec(spec_value)
        origin = origin_value if origin_value is not None else DEFAULT_ORIGIN.value
        if not (isinstance(spec, str) and isinstance(origin, str)):
            return
        if not rotates_automatically(spec, origin):
            return
        setting = "is not set" if rotation is None else f"is {describe(rotation)}"
        period = Limits.ROTATION_PERIOD_DAYS
        yield Problem(
            ("EnableKeyRotation",) if rotation is not None else (),
            rotation,
            f"EnableKeyRotation {setting} on a key KMS can rotate automatically (KeySpec "
            f"{spec}, Origin {origin}): set EnableKeyRotation to true, and KMS makes new key "
            f"material every {Limits.DEFAULT_ROTATION_PERIOD_DAYS} days (or every "
            f"RotationPeriodInDays, {period}), keeping the old material to decrypt what it "
            "encrypted.",
        )
