"""What only the handlers judge, knowing the stack a key is made in. Pure.

A handler knows more than a key's properties and its Region: the stack's partition and account,
and the tags the stack asks to put on the key (a `Stack`). The checks here need it; the rule
registry (`keyforge_kms_key.rules`) holds them as rules the handlers alone carry.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

from .plan import desired_policy, facts_for
from .refused_principals import policy_refusals
from .validation import PRINCIPAL_LISTS, Problem, stack_tag_problems


class Stack(NamedTuple):
    """The stack a key is made in, as its handler's request says: partition, account, and the
    stack-level tags CloudFormation asks to put on the key."""

    partition: str
    account: str
    tags: Mapping[str, str]


def stack_tags_problems(properties: Mapping[str, Any], stack: Stack) -> list[Problem]:
    """The stack's tags and the key's Tags together must fit on the key."""
    return stack_tag_problems(properties, stack.tags)


def policy_principal_problems(properties: Mapping[str, Any], stack: Stack) -> list[Problem]:
    """Principals of the key policy the handler writes (KeyPolicy, or the one KeyAdministrators
    and KeyUsers build) that KMS refuses whatever the account holds: refused at once, with no
    wait for IAM. The policy is built from the properties, so they must be valid."""
    facts = facts_for(properties, stack.partition, stack.account)
    policy = desired_policy(properties, facts)
    problems = []
    for _, refused in policy_refusals(policy, facts.partition):
        named_by = next(
            (name for name in PRINCIPAL_LISTS if refused.text in (properties.get(name) or [])),
            "KeyPolicy",
        )
        problems.append(Problem((named_by,), refused.text, f"{named_by} names {refused.message}"))
    return problems
