"""What the handlers refuse before any KMS call: the rule registry's rules they carry. Pure.

The handlers are one of the registry's four enforcers (`keyforge_kms_key.rules`): they judge a
Keyforge::KMS::Key by every rule that carries the HANDLER enforcer, and say each sentence once,
in this order: what does not fit the resource schema (`validation.schema_problems`), then what
the properties break on their own, then in the stack's Region, then in the stack; each part in
the registry's order of its rules and their checks.

- `refused`: what a CREATE or an UPDATE is refused for (InvalidRequest). The rules that need
  the stack are judged when it is given; the rules judged after the others (they build the key
  policy from the properties) only when the others find nothing.
- `changes_refused`: what no update may change (NotUpdatable): the rules judged on updates only,
  against the previous properties.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from .handler_checks import Stack
from .keyspecs import RESOURCE_TYPE
from .rules import Check, Enforcer, Inputs, Rule, carried_by
from .validation import Problem, schema_problems

# The part of the refusal each check's sentences are in (the schema's are part 0).
_PART_OF_INPUTS = {
    Inputs.PROPERTIES: 1,
    Inputs.UPDATE: 1,
    Inputs.PROPERTIES_IN_REGION: 2,
    Inputs.PROPERTIES_IN_ANY_REGION: 2,
    Inputs.PROPERTIES_IN_STACK: 3,
}


def handler_rules() -> tuple[Rule, ...]:
    """The registry's rules the handlers carry, in its order."""
    return carried_by(Enforcer.HANDLER, RESOURCE_TYPE)


def refused(
    properties: Mapping[str, Any], *, region: str | None = None, stack: Stack | None = None
) -> list[Problem]:
    """Every problem the handlers refuse a key's properties for; an empty list when there is
    none. Without a Region, the rules of the Region skip what needs it; without the stack, the
    rules that need it are not judged."""
    rules = [rule for rule in handler_rules() if not rule.update_only]
    first = [rule for rule in rules if not rule.after_the_others]
    found = _problems(first, properties, region=region, stack=stack)
    if found:
        return found
    last = [rule for rule in rules if rule.after_the_others]
    return _problems(last, properties, region=region, stack=stack)


def changes_refused(previous: Mapping[str, Any], desired: Mapping[str, Any]) -> list[Problem]:
    """The changes from `previous` to `desired` that no update may make."""
    rules = [rule for rule in handler_rules() if rule.update_only]
    return _problems(rules, desired, previous=previous)


def _problems(
    rules: Iterable[Rule],
    properties: Mapping[str, Any],
    *,
    region: str | None = None,
    previous: Mapping[str, Any] | None = None,
    stack: Stack | None = None,
) -> list[Problem]:
    checks = sorted((check for rule in rules for check in rule.checks), key=_part)
    seen: set[str] = set()
    found = []
    for check in checks:
        for problem in check.problems(properties, region, previous, stack):
            if problem.message not in seen:
                seen.add(problem.message)
                found.append(problem)
    return found


def _part(check: Check) -> int:
    return 0 if check.function is schema_problems else _PART_OF_INPUTS[check.inputs]
