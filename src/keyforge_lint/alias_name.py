"""E9104: an alias name KMS would refuse."""

from __future__ import annotations

from collections.abc import Iterable

import keyforge_lint._base as base
from keyforge_kms_key.keyspecs import AWS_ALIAS_TYPE, RESOURCE_TYPE, Limits
from keyforge_kms_key.validation import Problem, alias_problems
from keyforge_lint._resolve import Variant


class AliasName(base.VariantRule):
    id = "E9104"
    shortdesc = f"Alias names outside {Limits.RESERVED_ALIAS_PREFIX} and in KMS's pattern"
    description = (
        f"AliasName of AWS::KMS::Alias and of Keyforge::KMS::Key must be {Limits.ALIAS_PREFIX} "
        f"followed by letters, digits, /, _ and -, at most {Limits.ALIAS_MAX_LENGTH} characters, "
        f"and must not begin with {Limits.RESERVED_ALIAS_PREFIX}, which is reserved for AWS "
        "managed keys."
    )
    source_url = "https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateAlias.html"
    resource_types = (AWS_ALIAS_TYPE, RESOURCE_TYPE)

    def problems(self, variant: Variant, resource_type: str) -> Iterable[Problem]:
        return alias_problems(variant.properties)
