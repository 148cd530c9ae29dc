"""Every problem KMS would refuse a key for, at once: the handlers' refusal without the stack."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .problems import Problem


def validate(properties: Mapping[str, Any], region: str | None = None) -> list[Problem]:
    """Every problem KMS would refuse this key for; an empty list when there is none.

    The rule registry's rules the handlers carry (`keyforge_kms_key.refusal.refused`), in the
    Region when it is given, without what needs the stack.
    """
    # Imported here: the registry is built from this package's checks.
    from ..refusal import refused

    return refused(properties, region=region)
