"""What a key spec allows: its usages, rotation, the Regions it exists in, imported material."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..keyspecs import (
    CHINA_REGIONS,
    DEFAULT_ORIGIN,
    KEY_SPECS,
    KEY_USAGES,
    SYMMETRIC_KEY_SPEC,
    Origin,
    RegionScope,
    effective_key_spec,
    effective_key_usage,
    rotates_automatically,
)
from ..policy_grammar import is_literal
from .problems import Problem
from .values import describe, literal_value, or_list


def key_spec_problems(properties: Mapping[str, Any]) -> list[Problem]:
    """The (KeySpec, KeyUsage) pair, with KMS's defaults applied to what is not given."""
    spec_value = properties.get("KeySpec")
    usage_value = properties.get("KeyUsage")
    if not (is_literal(spec_value) and is_literal(usage_value)):
        return []
    problems: list[Problem] = []
    if spec_value is not None and (not isinstance(spec_value, str) or spec_value not in KEY_SPECS):
        problems.append(
            Problem(
                ("KeySpec",),
                spec_value,
                f"KeySpec {describe(spec_value)} is not a KMS key spec: "
                f"allowed are {', '.join(KEY_SPECS)}.",
            )
        )
    if usage_value is not None and usage_value not in KEY_USAGES:
        problems.append(
            Problem(
                ("KeyUsage",),
                usage_value,
                f"KeyUsage {describe(usage_value)} is not a KMS key usage: "
                f"allowed are {', '.join(KEY_USAGES)}.",
            )
        )
    if problems:
        return problems
    spec = effective_key_spec(spec_value)
    usage = effective_key_usage(usage_value)
    info = KEY_SPECS[spec]
    if usage in info.algorithms:
        return []
    usage_text = usage if usage_value is not None else f"(not set, so {usage})"
    spec_text = spec if spec_value is not None else f"(not set, so {spec})"
    allowed = [str(u) for u in info.usages]
    allowed_text = f"only {allowed[0]}" if len(allowed) == 1 else or_list(allowed)
    return [
        Problem(
            ("KeyUsage",) if usage_value is not None else ("KeySpec",),
            usage_value if usage_value is not None else spec_value,
            f"KeyUsage {usage_text} is not valid for KeySpec {spec_text}: "
            f"{spec} keys allow {allowed_text}.",
        )
    ]


# ---------------------------------------------------------------------------
# Rotation


def rotation_problems(properties: Mapping[str, Any]) -> list[Problem]:
    """Automatic rotation exists only for SYMMETRIC_DEFAULT keys with Origin AWS_KMS."""
    rotation = properties.get("EnableKeyRotation")
    if rotation == "true":  # CloudFormation reads the text "true" as the boolean
        rotation = True
    period = properties.get("RotationPeriodInDays")
    spec_value = literal_value(properties, "KeySpec")
    origin_value = literal_value(properties, "Origin")
    if not (is_literal(rotation) and is_literal(period)):
        return []
    if not is_literal(properties.get("KeySpec")) or not is_literal(properties.get("Origin")):
        return []
    spec = effective_key_spec(spec_value)
    origin = origin_value if origin_value is not None else DEFAULT_ORIGIN.value
    info = KEY_SPECS.get(spec) if isinstance(spec, str) else None
    problems: list[Problem] = []
    reason = ""
    if not (isinstance(spec, str) and rotates_automatically(spec, origin)):
        if info is not None and not info.can_rotate:
            reason = f"KeySpec {spec}"
        elif origin == Origin.EXTERNAL:
            reason = f"Origin {Origin.EXTERNAL} (imported key material)"
    rule = (
        f"automatic rotation exists only for {SYMMETRIC_KEY_SPEC} keys with Origin {Origin.AWS_KMS}"
    )
    if reason and rotation is True:
        problems.append(
            Problem(
                ("EnableKeyRotation",),
                rotation,
                f"EnableKeyRotation true is not allowed for {reason}: {rule}.",
            )
        )
    if period is not None:
        if reason:
            problems.append(
                Problem(
                    ("RotationPeriodInDays",),
                    period,
                    f"RotationPeriodInDays {describe(period)} is not allowed for {reason}: {rule}.",
                )
            )
        elif rotation is not True:
            problems.append(
                Problem(
                    ("RotationPeriodInDays",),
                    period,
                    f"RotationPeriodInDays {describe(period)} needs EnableKeyRotation true: "
                    f"set EnableKeyRotation to true, or remove RotationPeriodInDays.",
                )
            )
    return problems


def region_problems(properties: Mapping[str, Any], region: str) -> list[Problem]:
    """Key specs that do not exist in the Region (SM2 outside China, ML-KEM inside)."""
    spec = literal_value(properties, "KeySpec")
    info = KEY_SPECS.get(spec) if isinstance(spec, str) else None
    if info is None or info.exists_in(region):
        return []
    scope = (
        f"{spec} keys exist only in the China Regions ({', '.join(sorted(CHINA_REGIONS))})"
        if info.regions is RegionScope.CHINA_ONLY
        else f"{spec} keys exist in every Region but the China Regions"
    )
    return [Problem(("KeySpec",), spec, f"KeySpec {spec} is not available in {region}: {scope}.")]


def origin_problems(properties: Mapping[str, Any], region: str | None = None) -> list[Problem]:
    """Imported key material (Origin EXTERNAL) that KMS does not support for the key spec."""
    origin = literal_value(properties, "Origin")
    if origin != Origin.EXTERNAL or not is_literal(properties.get("KeySpec")):
        return []
    spec = effective_key_spec(literal_value(properties, "KeySpec"))
    info = KEY_SPECS.get(spec) if isinstance(spec, str) else None
    if info is None or info.importable_in(region):
        return []
    if not info.importable:
        why = f"KMS cannot import key material for {spec} keys"
    else:
        why = f"in {region} only symmetric ({SYMMETRIC_KEY_SPEC}) key material can be imported"
    return [
        Problem(
            ("Origin",),
            origin,
            f"Origin EXTERNAL is not allowed for KeySpec {spec}: {why}; use Origin AWS_KMS.",
        )
    ]
