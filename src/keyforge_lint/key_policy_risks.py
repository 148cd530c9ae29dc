"""W9107: key policies that open the key to anyone or risk locking everyone out."""

from __future__ import annotations

from collections.abc import Iterable

import keyforge_lint._base as base
from keyforge_kms_key.validation import Problem
from keyforge_lint._policy import policy_risks
from keyforge_lint._resolve import Variant


class KeyPolicyRisks(base.VariantRule):
    id = "W9107"
    shortdesc = "Key policy neither open to anyone nor locking everyone out"
    description = (
        'Warns on key policy statements that allow Principal "*" without a Condition, '
        "on BypassPolicyLockoutSafetyCheck true, and on a KeyPolicy with no statement "
        "that lets the account root or an administrator manage the key (lock-out risk)."
    )
    source_url = "https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html"

    def problems(self, variant: Variant, resource_type: str) -> Iterable[Problem]:
        return policy_risks(variant.properties)
