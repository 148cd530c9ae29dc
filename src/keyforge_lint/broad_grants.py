"""W9112: every action on the key allowed, without a Condition, to someone but the account root."""

from __future__ import annotations

from collections.abc import Iterator

import keyforge_lint._base as base
from keyforge_kms_key.validation import Problem
from keyforge_lint._policy import ADMINISTER_ACTIONS, USE_ACTIONS
from keyforge_lint._resolve import Variant
from keyforge_lint._statements import (
    Statement,
    actions_written,
    certainly_not_account_root,
    covers,
    is_everyone,
    principal_entries,
    statements,
)


class BroadGrants(base.VariantRule):
    id = "W9112"
    shortdesc = "Only the account root is allowed every action on the key"
    description = (
        "Warns on a key policy statement that allows kms:* (or every administrative and "
        "every cryptographic action) without a Condition to a principal other than the "
        "account root: a role, user or service that may use the key, change its policy and "
        "delete it. The account root's statement of the default key policy, which lets IAM "
        'policies grant access, is never flagged; Principal "*" is W9107\'s.'
    )
    source_url = "https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html"

    def problems(self, variant: Variant, resource_type: str) -> Iterator[Problem]:
        region = variant.regions[0] if variant.regions else "us-east-1"
        for statement in statements(variant.properties):
            if not statement.allows or "Condition" in statement.value:
                continue
            if is_everyone(statement) or not _grants_everything(statement):
                continue
            named = [
                entry.written
                for entry in principal_entries(statement, "AWS")
                if certainly_not_account_root(entry.value, region)
            ]
            named += [entry.written for entry in principal_entries(statement, "Service")]
            if not named:
                continue
            action = "NotAction" if "NotAction" in statement.value else "Action"
            yield Problem(
                statement.at(action),
                None,
                f"{statement.name} allows {', '.join(named)} every action on the key "
                f"({actions_written(statement)}) without a Condition: to use it, change its "
                "policy and schedule its deletion. Allow each principal only what it needs "
                "(administrators the administrative actions, users the cryptographic ones), "
                "or add a Condition; kms:* without one belongs to the account root's "
                "statement alone.",
            )


def _grants_everything(statement: Statement) -> bool:
    return all(covers(statement, action) for action in (*ADMINISTER_ACTIONS, *USE_ACTIONS))
