"""W9116 (opt-in): kms:CreateGrant allowed without kms:GrantIsForAWSResource.

An organisation's choice rather than a defect (AWS Control Tower CT.KMS.PR.3):
off unless named, ``--include-checks W9116``.
"""

from __future__ import annotations

from collections.abc import Iterator

import keyforge_lint._base as base
from keyforge_kms_key.validation import Problem
from keyforge_lint._resolve import Variant
from keyforge_lint._statements import (
    certainly_not_account_root,
    condition_keys,
    covers,
    principal_entries,
    statements,
)

CREATE_GRANT = "kms:CreateGrant"
GRANT_CONDITION = "kms:GrantIsForAWSResource"
# The bare levels cfn-lint always includes; naming the rule (or a longer prefix) opts in.
_LEVELS = ("E", "W", "I")


class GrantsForAwsResources(base.VariantRule):
    id = "W9116"
    shortdesc = "kms:CreateGrant only for AWS resources (opt-in)"
    description = (
        "Off unless included by name (--include-checks W9116). Warns on a key policy "
        f"statement that allows {CREATE_GRANT} to a principal other than the account root "
        f"without the condition {GRANT_CONDITION}, as AWS Control Tower's control "
        "CT.KMS.PR.3 asks: grants only for the AWS services that integrate with KMS. An "
        "organisation's choice, not a defect."
    )
    source_url = "https://docs.aws.amazon.com/kms/latest/developerguide/grant-authorization.html"

    def is_enabled(
        self,
        include_experimental: bool = False,
        ignore_rules: list[str] | None = None,
        include_rules: list[str] | None = None,
        mandatory_rules: list[str] | None = None,
    ) -> bool:
        """Only when --include-checks (or --mandatory-checks) names it, not a bare W."""
        named = [*(include_rules or []), *(mandatory_rules or [])]
        if not any(self.id.startswith(p) and p not in _LEVELS for p in named if p):
            return False
        return bool(
            super().is_enabled(include_experimental, ignore_rules, include_rules, mandatory_rules)
        )

    def problems(self, variant: Variant, resource_type: str) -> Iterator[Problem]:
        region = variant.regions[0] if variant.regions else "us-east-1"
        for statement in statements(variant.properties):
            if not statement.allows or not covers(statement, CREATE_GRANT):
                continue
            keys = condition_keys(statement)
            if keys is None or GRANT_CONDITION.lower() in keys:
                continue
            entries = list(principal_entries(statement, "AWS"))
            named = [
                entry.written
                for entry in entries
                if entry.value == "*" or certainly_not_account_root(entry.value, region)
            ]
            if statement.value.get("Principal") == "*":
                named = ['"*"']
            if not named:
                continue
            yield Problem(
                statement.at("NotAction" if "NotAction" in statement.value else "Action"),
                None,
                f"{statement.name} allows {', '.join(named)} {CREATE_GRANT} without the "
                f"condition {GRANT_CONDITION}: they may give grants on the key to anyone, "
                "not only to the AWS services that integrate with KMS. Where the organisation "
                "asks for it (AWS Control Tower CT.KMS.PR.3), add Condition: Bool: "
                f"{GRANT_CONDITION}: true.",
            )
