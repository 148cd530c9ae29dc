"""The properties no update may change: KeySpec, KeyUsage, Origin and MultiRegion."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..keyspecs import IMMUTABLE_PROPERTIES
from ..policy_grammar import is_literal
from .problems import Problem
from .values import describe


def immutable_value(properties: Mapping[str, Any], name: str) -> object:
    value = properties.get(name)
    return IMMUTABLE_PROPERTIES[name] if value is None else value


def immutable_changes(previous: Mapping[str, Any], desired: Mapping[str, Any]) -> list[Problem]:
    """Changes of KeySpec, KeyUsage, Origin or MultiRegion, which no update may make."""
    problems = []
    for name in IMMUTABLE_PROPERTIES:
        before = immutable_value(previous, name)
        after = immutable_value(desired, name)
        if not (is_literal(before) and is_literal(after)) or before == after:
            continue
        problems.append(
            Problem(
                (name,),
                after,
                f"{name} cannot change from {describe(before)} to {describe(after)}: KMS cannot "
                f"change the {name} of a key, and replacing the key would delete its key "
                "material. Keep this key as it is and add a new key under a new logical id.",
            )
        )
    return problems
