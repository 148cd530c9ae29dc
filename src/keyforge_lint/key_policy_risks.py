"""W9107: key policies that open the key to anyone, or that skip KMS's lock-out safety check."""

from __future__ import annotations

from collections.abc import Iterable

import keyforge_lint._base as base
from keyforge_kms_key.validation import Problem
from keyforge_lint._policy import policy_risks
from keyforge_lint._resolve import Variant


class KeyPolicyRisks(base.VariantRule):
    id = "W9107"
    shortdesc = "Key policy not open to anyone, lock-out safety check kept"
    description = (
        'Warns on key policy statements that allow Principal "*" without a Condition, '
        "and on BypassPolicyLockoutSafetyCheck true. (A policy that lets nobody change "
        "it is an error KMS refuses: E9109 and E9108.)"
    )
    source_url = "https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html"

    def problems(self, variant: Variant, resource_type: str) -> Iterable[Problem]:
        return policy_risks(variant.properties)
