"""E9104: an alias name KMS would refuse."""

from __future__ import annotations

import keyforge_lint._base as base
from keyforge_kms_key.keyspecs import Limits


class AliasName(base.RegistryRule):
    id = "E9104"
    description = (
        f"AliasName of AWS::KMS::Alias and of Keyforge::KMS::Key must be {Limits.ALIAS_PREFIX} "
        f"followed by letters, digits, /, _ and -, at most {Limits.ALIAS_MAX_LENGTH} characters, "
        f"and must not begin with {Limits.RESERVED_ALIAS_PREFIX}, which is reserved for AWS "
        "managed keys."
    )
