"""Advice on keys KMS accepts: what is allowed but worth changing. Pure.

Unlike validation, nothing here makes KMS refuse a key; each function returns problems in
the same shape (`validation.Problem`), for the warnings of the rule registry
(`keyforge_kms_key.rules`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .keyspecs import (
    DEFAULT_ORIGIN,
    Limits,
    effective_key_spec,
    rotates_automatically,
)
from .policy_grammar import is_literal
from .validation import Problem, describe


def rotation_advice_problems(properties: Mapping[str, Any]) -> list[Problem]:
    """A key KMS can rotate automatically (symmetric, Origin AWS_KMS) with rotation off.

    Never HMAC or asymmetric keys or imported key material, which cannot rotate automatically,
    nor a key whose KeySpec, Origin or EnableKeyRotation is not written out (an intrinsic
    function). The sentence is lint's W9111.
    """
    spec_value = properties.get("KeySpec")
    origin_value = properties.get("Origin")
    rotation = properties.get("EnableKeyRotation")
    if not all(is_literal(value) for value in (spec_value, origin_value, rotation)):
        return []
    if rotation is True or str(rotation).lower() == "true":
        return []
    spec = effective_key_spec(spec_value)
    origin = origin_value if origin_value is not None else DEFAULT_ORIGIN.value
    if not (isinstance(spec, str) and isinstance(origin, str)):
        return []
    if not rotates_automatically(spec, origin):
        return []
    setting = "is not set" if rotation is None else f"is {describe(rotation)}"
    period = Limits.ROTATION_PERIOD_DAYS
    return [
        Problem(
            ("EnableKeyRotation",) if rotation is not None else (),
            rotation,
            f"EnableKeyRotation {setting} on a key KMS can rotate automatically (KeySpec "
            f"{spec}, Origin {origin}): set EnableKeyRotation to true, and KMS makes new key "
            f"material every {Limits.DEFAULT_ROTATION_PERIOD_DAYS} days (or every "
            f"RotationPeriodInDays, {period}), keeping the old material to decrypt what it "
            "encrypted.",
        )
    ]
