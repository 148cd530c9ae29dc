"""E9104: an alias name KMS would refuse."""

from __future__ import annotations

from collections.abc import Iterable

import keyforge_lint._base as base
from keyforge_kms_key.validation import Problem, alias_problems
from keyforge_lint._resolve import ALIAS_TYPE, KEYFORGE_TYPE, Variant


class AliasName(base.VariantRule):
    id = "E9104"
    shortdesc = "Alias names outside alias/aws/ and in KMS's pattern"
    description = (
        "AliasName of AWS::KMS::Alias and of Keyforge::KMS::Key must be alias/ followed "
        "by letters, digits, /, _ and -, at most 256 characters, and must not begin "
        "with alias/aws/, which is reserved for AWS managed keys."
    )
    source_url = "https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateAlias.html"
    resource_types = (ALIAS_TYPE, KEYFORGE_TYPE)

    def problems(self, variant: Variant, resource_type: str) -> Iterable[Problem]:
        return alias_problems(variant.properties)
