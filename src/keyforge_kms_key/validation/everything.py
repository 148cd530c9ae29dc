"""Every problem KMS would refuse a key for, at once."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

from .aliases import alias_problems
from .key_policy import policy_problems
from .key_spec import key_spec_problems, origin_problems, region_problems, rotation_problems
from .principal_lists import principal_problems
from .problems import Problem
from .replicas import replica_problems
from .schema_messages import schema_problems
from .tags import tag_problems

Check = Callable[[Mapping[str, Any]], list[Problem]]
_CHECKS: tuple[Check, ...] = (
    schema_problems,
    key_spec_problems,
    rotation_problems,
    policy_problems,
    principal_problems,
    tag_problems,
    alias_problems,
)


def validate(properties: Mapping[str, Any], region: str | None = None) -> list[Problem]:
    """Every problem KMS would refuse this key for; an empty list when there is none."""
    problems = list(_unique(problem for check in _CHECKS for problem in check(properties)))
    problems += origin_problems(properties, region)
    if region is not None:
        problems += region_problems(properties, region)
    problems += replica_problems(properties, region)
    return problems


def _unique(problems: Iterable[Problem]) -> Iterator[Problem]:
    seen: set[str] = set()
    for problem in problems:
        if problem.message not in seen:
            seen.add(problem.message)
            yield problem
