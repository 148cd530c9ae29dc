"""An alias name CreateAlias accepts: its pattern, its length, outside alias/aws/."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ..keyspecs import Limits
from .problems import Problem
from .values import describe


def alias_problems(properties: Mapping[str, Any], name: str = "AliasName") -> list[Problem]:
    """An alias name that KMS would refuse: the pattern, the length, the reserved prefix."""
    alias = properties.get(name)
    if not isinstance(alias, str):
        return []
    return [Problem((name,), alias, message) for message in alias_name_messages(alias, name)]


def alias_name_messages(alias: str, name: str = "AliasName") -> list[str]:
    shown = describe(alias)
    if not re.fullmatch(Limits.ALIAS_PATTERN, alias):
        return [
            f"{name} {shown} is not a valid alias name: it must be alias/ followed by "
            "letters, digits, /, _ and - (for example alias/my-app/signing)."
        ]
    messages = []
    if len(alias) > Limits.ALIAS_MAX_LENGTH:
        messages.append(
            f"{name} {shown} is {len(alias)} characters long: "
            f"at most {Limits.ALIAS_MAX_LENGTH} allowed."
        )
    if alias.lower().startswith(Limits.RESERVED_ALIAS_PREFIX):
        messages.append(
            f"{name} {shown} begins with {Limits.RESERVED_ALIAS_PREFIX}, which is reserved "
            f"for AWS managed keys: choose a name outside {Limits.RESERVED_ALIAS_PREFIX}."
        )
    return messages
