"""The rule registry: each Keyforge rule the handlers, the hooks or the Guard pack carry, and the
lint rules that share them, written once. Pure.

Four enforcers judge KMS keys by the same rules:

- the handlers, which refuse a CREATE or UPDATE before any KMS call (`keyforge_kms_key.refusal`);
- lint (`keyforge_lint`): cfn-lint rules on templates, in an editor or a pipeline;
- the hooks, at deploy time in the account: the registry hook `Keyforge::KMS::KeyRules`
  (hooks/key-rules) and the Lambda hook (`keyforge_kms_key.lambda_hook`), both through
  `keyforge_kms_key.judgement`;
- the Guard rule pack (`keyforge guard-rules`), for cfn-guard in a pipeline or a GuardHook.

A `Rule` is what lint reports under one id: its level (the id's letter, as cfn-lint reads it),
the resource types it looks at, the functions it calls (each a `Check`: the function, what it
is given, its options and which of its problems the rule reports), its documentation, and the
enforcers that carry it. The sentences are the functions' own, so every enforcer says the
same words. A rule lint does not carry has an id that is not lint's: the handlers' own rules are
of those, some needing what only a handler knows (the stack: `handler_checks.Stack`). A rule the
Guard pack carries also names its `GuardFamily`s: the part of the rule Guard can express without
the Region, and the catalogue data (`keyspecs.KEY_SPECS`) the pack's Guard rules are generated
from, as `GuardCase`s: conditions on a key's properties under which it breaks the rule.

Nothing here calls AWS or reads files; a rule is called as `rule.problems(properties, region=...,
previous=..., stack=...)`, and each enforcer is a thin adapter that asks the registry:

- lint's rule classes (`keyforge_lint._base.RegistryRule`) name their rule by id; each of its
  checks runs on each resolved variant of a resource, the checks that take the Region once for
  each of `variant.regions` (lint keeps one finding of each sentence at each place);
- the handlers' refusal (`keyforge_kms_key.refusal`) is every HANDLER rule's problems for the
  model in the stack's Region and stack, each sentence once, the schema's first; the rules
  judged `after_the_others` only when the others find nothing; the rules judged on updates only
  against the key's current KeySpec, KeyUsage, Origin and MultiRegion (NotUpdatable);
  `validation.validate` is the refusal without the stack;
- the hooks judge every HOOK rule (`keyforge_kms_key.judgement`); the Guard pack is generated
  from the GUARD rules' families (`keyforge.guard_pack`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Mapping
from enum import StrEnum
from types import MappingProxyType
from typing import Any, NamedTuple

from .advice import rotation_advice_problems
from .handler_checks import Stack, policy_principal_problems, stack_tags_problems
from .keyspecs import (
    AWS_ALIAS_TYPE,
    AWS_KEY_TYPE,
    KEY_RESOURCE_TYPES,
    KEY_SPECS,
    KEY_USAGES,
    RESOURCE_TYPE,
    SYMMETRIC_KEY_SPEC,
    Limits,
    Origin,
    effective_key_usage,
)
from .policy_grammar import is_literal
from .refused_principals import refusal
from .validation import (
    PRINCIPAL_LISTS,
    Problem,
    alias_problems,
    immutable_changes,
    key_spec_problems,
    origin_problems,
    policy_problems,
    principal_problems,
    region_problems,
    replica_problems,
    rotation_problems,
    schema_problems,
    tag_problems,
)


class Level(StrEnum):
    """How much a finding weighs: cfn-lint reads it from the first letter of the rule's id."""

    ERROR = "error"
    WARNING = "warning"
    INFORMATIONAL = "informational"


_LEVEL_OF_LETTER = {"E": Level.ERROR, "W": Level.WARNING, "I": Level.INFORMATIONAL}
# cfn-lint's ids: a level letter and four digits (the 9xxx block is for rules outside cfn-lint).
LINT_ID = re.compile(r"[EWI][0-9]{4}")


class Enforcer(StrEnum):
    HANDLER = "handler"
    """Keyforge::KMS::Key's handlers refuse the model (InvalidRequest, or NotUpdatable)."""
    LINT = "lint"
    """keyforge_lint reports it under the rule's id."""
    HOOK = "hook"
    """The registry hook and the Lambda hook judge it (keyforge_kms_key.judgement)."""
    GUARD = "guard"
    """The Guard rule pack carries the rule's Guard families."""


class Inputs(StrEnum):
    """What a check function is called with."""

    PROPERTIES = "properties"
    """function(properties)"""
    PROPERTIES_IN_REGION = "properties in a Region"
    """function(properties, region): not called when the Region is unknown."""
    PROPERTIES_IN_ANY_REGION = "properties in any Region"
    """function(properties, region), with region None when it is unknown (any Region)."""
    UPDATE = "previous and desired properties"
    """function(previous, desired): called for updates only."""
    PROPERTIES_IN_STACK = "properties in a stack"
    """function(properties, stack): not called when the stack is unknown (only the handlers
    know it: `handler_checks.Stack`)."""


class Check(NamedTuple):
    """One call of a validation function, as a rule makes it."""

    function: Callable[..., list[Problem]]
    inputs: Inputs = Inputs.PROPERTIES
    options: Mapping[str, Any] = MappingProxyType({})
    """Keyword arguments of the call (tag_problems' limit)."""
    keep: Callable[[Problem], bool] | None = None
    """Which of the function's problems the rule reports (None: all)."""

    @property
    def source(self) -> str:
        """Where the sentences come from: the function's module and name."""
        return f"{self.function.__module__}.{self.function.__qualname__}"

    def runs(
        self,
        region: str | None,
        previous: Mapping[str, Any] | None,
        stack: Stack | None = None,
    ) -> bool:
        if self.inputs is Inputs.PROPERTIES_IN_REGION:
            return region is not None
        if self.inputs is Inputs.UPDATE:
            return previous is not None
        if self.inputs is Inputs.PROPERTIES_IN_STACK:
            return stack is not None
        return True

    def problems(
        self,
        properties: Mapping[str, Any],
        region: str | None = None,
        previous: Mapping[str, Any] | None = None,
        stack: Stack | None = None,
    ) -> list[Problem]:
        """The problems this check reports; none when it does not run (see `runs`)."""
        if not self.runs(region, previous, stack):
            return []
        if self.inputs is Inputs.PROPERTIES:
            found = self.function(properties, **self.options)
        elif self.inputs is Inputs.UPDATE:
            found = self.function(previous, properties, **self.options)
        elif self.inputs is Inputs.PROPERTIES_IN_STACK:
            found = self.function(properties, stack, **self.options)
        else:
            found = self.function(properties, region, **self.options)
        return [problem for problem in found if self.keep is None or self.keep(problem)]


class Test(StrEnum):
    """What a `Condition` asks of one property, as the Guard pack can ask it.

    A value written with an intrinsic function (an object) passes none of the tests that ask for
    text or for a value: like lint and the handlers, Guard judges what is written out.
    """

    ABSENT = "absent"
    ONE_OF = "one of"
    """Text, one of the values."""
    ABSENT_OR_NOT_ONE_OF = "absent, or written out and none of"
    """Absent, or written out (not an object) and none of the values."""
    TRUE = "true"
    """true, or "true" (CloudFormation gives hooks booleans as text)."""
    NOT_TRUE = "absent, or written out and not true"
    """Absent, or written out (not an object) and neither true nor "true"."""
    SET = "set"
    """Written out: present and not an object."""
    STATEMENT_WITHOUT_ACTION = "a statement without Action or NotAction"
    """A key policy (object, or JSON text) with a statement object that has neither."""
    STATEMENT_RESOURCE_NOT_STAR = 'a statement Resource other than "*"'
    """A key policy (object, or JSON text) with a statement whose Resource (text, or a list)
    holds text other than "*"."""


class Condition(NamedTuple):
    property: str
    test: Test
    values: tuple[str, ...] = ()

    def holds(self, properties: Mapping[str, Any]) -> bool:
        """Whether the properties meet the condition (the meaning the Guard pack gives it)."""
        value = properties.get(self.property)
        present = value is not None
        text = isinstance(value, str)
        if self.test is Test.ABSENT:
            return not present
        if self.test is Test.ONE_OF:
            return text and value in self.values
        written = present and not isinstance(value, Mapping)
        true = value is True or value == "true"
        if self.test is Test.ABSENT_OR_NOT_ONE_OF:
            return not present or (written and value not in self.values)
        if self.test is Test.TRUE:
            return true
        if self.test is Test.NOT_TRUE:
            return not present or (written and not true)
        if self.test is Test.SET:
            return written
        statements = _statements(value)
        if self.test is Test.STATEMENT_WITHOUT_ACTION:
            return any("Action" not in s and "NotAction" not in s for s in statements)
        return any(
            isinstance(entry, str) and entry != "*"
            for statement in statements
            for entry in _entries(statement.get("Resource"))
        )


def _statements(policy: Any) -> list[Mapping[str, Any]]:
    """The statement objects of a key policy (object or JSON text) that are written out."""
    document = policy
    if isinstance(policy, str):
        try:
            document = json.loads(policy)
        except ValueError:
            return []
    if not isinstance(document, Mapping):
        return []
    statements = document.get("Statement")
    listed = statements if isinstance(statements, list) else [statements]
    return [s for s in listed if isinstance(s, Mapping) and is_literal(s)]


def _entries(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value] if value is not None else []


class GuardCase(NamedTuple):
    """One Guard rule of a family: a key whose properties meet every condition breaks the rule.

    `example` is a key that meets them: the family's check gives the sentence the Guard rule
    shows, and the tests hold the conditions to the check.
    """

    name: str
    conditions: tuple[Condition, ...]
    example: Mapping[str, Any]
    subject: str
    """The property the Guard rule's clause names (where the finding points)."""

    def holds(self, properties: Mapping[str, Any]) -> bool:
        return all(condition.holds(properties) for condition in self.conditions)


class GuardFamily(NamedTuple):
    """The part of a rule the Guard pack carries, and the catalogue data it is generated from."""

    name: str
    summary: str
    covers: Callable[[str], bool]
    """Whether a sentence of the rule (as lint prints it) is this family's."""
    check: Check
    """The rule's check, keeping this family's problems, Region-free."""
    cases: Callable[[], tuple[GuardCase, ...]]

    def sentence(self, case: GuardCase) -> str:
        """What the Guard rule of `case` says: the check's sentence for the case's example."""
        (problem,) = self.check.problems(case.example)
        return problem.message


class Rule(NamedTuple):
    id: str
    title: str
    resource_types: tuple[str, ...]
    checks: tuple[Check, ...]
    enforcers: frozenset[Enforcer]
    documentation: str
    guard: tuple[GuardFamily, ...] = ()
    after_the_others: bool = False
    """Judged only when the enforcer's other rules find nothing: its check builds the key policy
    from the properties, which they must have found valid."""

    @property
    def level(self) -> Level:
        return _LEVEL_OF_LETTER.get(self.id[:1], Level.ERROR)

    @property
    def needs_region(self) -> bool:
        return any(check.inputs is Inputs.PROPERTIES_IN_REGION for check in self.checks)

    @property
    def update_only(self) -> bool:
        """Whether the rule is judged on updates only (its checks compare the previous
        properties with the desired ones)."""
        return all(check.inputs is Inputs.UPDATE for check in self.checks)

    @property
    def sources(self) -> tuple[str, ...]:
        return tuple(check.source for check in self.checks)

    def problems(
        self,
        properties: Mapping[str, Any],
        *,
        region: str | None = None,
        previous: Mapping[str, Any] | None = None,
        stack: Stack | None = None,
    ) -> list[Problem]:
        """What the rule reports for a key's properties, each sentence once."""
        seen: set[str] = set()
        found = []
        for check in self.checks:
            for problem in check.problems(properties, region, previous, stack):
                if problem.message not in seen:
                    seen.add(problem.message)
                    found.append(problem)
        return found


# ---------------------------------------------------------------------------
# What some rules keep of a function's problems, as lint's rule classes do


def tag_count_only(problem: Problem) -> bool:
    """E9109 reports only the count of tags: cfn-lint's own schema checks AWS::KMS::Key's keys."""
    return problem.path == ("Tags",)


def a_refused_principal(problem: Problem) -> bool:
    """A problem with a principal KMS refuses, listed in KeyAdministrators or KeyUsers."""
    in_list = len(problem.path) == 2 and problem.path[0] in PRINCIPAL_LISTS
    return in_list and isinstance(problem.value, str) and refusal(problem.value) is not None


def not_a_refused_principal(problem: Problem) -> bool:
    """E9108 leaves a principal KMS refuses in a principal list to E9114, which says why (and
    to refused-principal-lists for the handlers)."""
    return not a_refused_principal(problem)


# ---------------------------------------------------------------------------
# The Guard families: which sentences each covers, and its cases from the catalogue

_STATEMENT_SHAPE = re.compile(
    r"^KeyPolicy statement\b.*? has (neither Action nor NotAction: |Resource .*: in a key "
    r"policy the only Resource KMS accepts is)"
)
# origin_problems' sentence in the China Regions, where only symmetric material is importable.
_REGION_SPECIFIC_ORIGIN = re.compile(r": in \S+ only symmetric ")
# Stand-ins for the values a Guard rule cannot name in its sentence.
ANY_OTHER_VALUE = "(any other value)"
ANY_VALUE = "(any value)"


def covers_all(sentence: str) -> bool:
    return True


def covers_region_free_origin(sentence: str) -> bool:
    return sentence.startswith("Origin EXTERNAL is not allowed") and not (
        _REGION_SPECIFIC_ORIGIN.search(sentence)
    )


def covers_statement_shape(sentence: str) -> bool:
    return _STATEMENT_SHAPE.match(sentence) is not None


def _only(covers: Callable[[str], bool]) -> Callable[[Problem], bool]:
    def keep(problem: Problem) -> bool:
        return covers(problem.message)

    return keep


def _first_usage(spec: str) -> str:
    return str(KEY_SPECS[spec].usages[0])


def key_spec_usage_cases() -> tuple[GuardCase, ...]:
    """Every KeySpec and KeyUsage pair KMS refuses (KMS's defaults for one not set), and values
    that are not KMS's at all."""
    specs, usages = tuple(KEY_SPECS), KEY_USAGES
    cases = [
        GuardCase(
            "unknown_key_spec",
            (
                Condition("KeySpec", Test.SET),
                Condition("KeySpec", Test.ABSENT_OR_NOT_ONE_OF, specs),
                Condition("KeyUsage", Test.ABSENT_OR_NOT_ONE_OF),
            ),
            {"KeySpec": ANY_OTHER_VALUE},
            "KeySpec",
        ),
        GuardCase(
            "unknown_key_usage",
            (
                Condition("KeyUsage", Test.SET),
                Condition("KeyUsage", Test.ABSENT_OR_NOT_ONE_OF, usages),
                Condition("KeySpec", Test.ABSENT_OR_NOT_ONE_OF),
            ),
            {"KeyUsage": ANY_OTHER_VALUE},
            "KeyUsage",
        ),
    ]
    for spec in (None, *specs):
        info = KEY_SPECS[SYMMETRIC_KEY_SPEC if spec is None else spec]
        for usage in (None, *usages):
            if effective_key_usage(usage) in info.algorithms:
                continue
            conditions = (
                Condition("KeySpec", Test.ABSENT)
                if spec is None
                else Condition("KeySpec", Test.ONE_OF, (spec,)),
                Condition("KeyUsage", Test.ABSENT)
                if usage is None
                else Condition("KeyUsage", Test.ONE_OF, (usage,)),
            )
            example = {
                name: value for name, value in (("KeySpec", spec), ("KeyUsage", usage)) if value
            }
            cases.append(
                GuardCase(
                    f"{spec or 'default'}_{usage or 'default'}",
                    conditions,
                    example,
                    "KeyUsage" if usage is not None else "KeySpec",
                )
            )
    return tuple(cases)


_EXTERNAL = (str(Origin.EXTERNAL),)


def rotation_cases() -> tuple[GuardCase, ...]:
    """Rotation (EnableKeyRotation true, RotationPeriodInDays) where KMS does not rotate: key
    specs that never rotate, imported key material; and a period without rotation."""
    cases: list[GuardCase] = []
    fixed = tuple(spec for spec, info in KEY_SPECS.items() if not info.can_rotate)
    # A KeySpec, Origin, EnableKeyRotation or RotationPeriodInDays written with an intrinsic
    # function leaves rotation unjudged.
    written = tuple(
        Condition(name, Test.ABSENT_OR_NOT_ONE_OF)
        for name in ("Origin", "EnableKeyRotation", "RotationPeriodInDays")
    )
    for spec in fixed:
        spec_is = Condition("KeySpec", Test.ONE_OF, (spec,))
        base = {"KeySpec": spec, "KeyUsage": _first_usage(spec)}
        cases.append(
            GuardCase(
                f"{spec}_rotation",
                (spec_is, *written, Condition("EnableKeyRotation", Test.TRUE)),
                {**base, "EnableKeyRotation": True},
                "EnableKeyRotation",
            )
        )
        cases.append(
            GuardCase(
                f"{spec}_period",
                (spec_is, *written, Condition("RotationPeriodInDays", Test.SET)),
                {**base, "RotationPeriodInDays": ANY_VALUE},
                "RotationPeriodInDays",
            )
        )
    # Any other KeySpec: one that rotates, or one KMS does not have (E9101 names it).
    other_spec = Condition("KeySpec", Test.ABSENT_OR_NOT_ONE_OF, fixed)
    imported = (
        other_spec,
        *written,
        Condition("Origin", Test.ONE_OF, _EXTERNAL),
    )
    cases.append(
        GuardCase(
            "imported_material_rotation",
            (*imported, Condition("EnableKeyRotation", Test.TRUE)),
            {"Origin": Origin.EXTERNAL.value, "EnableKeyRotation": True},
            "EnableKeyRotation",
        )
    )
    cases.append(
        GuardCase(
            "imported_material_period",
            (*imported, Condition("RotationPeriodInDays", Test.SET)),
            {"Origin": Origin.EXTERNAL.value, "RotationPeriodInDays": ANY_VALUE},
            "RotationPeriodInDays",
        )
    )
    cases.append(
        GuardCase(
            "period_without_rotation",
            (
                other_spec,
                *written,
                Condition("Origin", Test.ABSENT_OR_NOT_ONE_OF, _EXTERNAL),
                Condition("RotationPeriodInDays", Test.SET),
                Condition("EnableKeyRotation", Test.NOT_TRUE),
            ),
            {"RotationPeriodInDays": ANY_VALUE},
            "RotationPeriodInDays",
        )
    )
    return tuple(cases)


def origin_cases() -> tuple[GuardCase, ...]:
    """Origin EXTERNAL for key specs whose key material KMS cannot import, in any Region."""
    return tuple(
        GuardCase(
            f"{spec}_imported_material",
            (
                Condition("KeySpec", Test.ONE_OF, (spec,)),
                Condition("Origin", Test.ONE_OF, _EXTERNAL),
            ),
            {"KeySpec": spec, "KeyUsage": _first_usage(spec), "Origin": Origin.EXTERNAL.value},
            "Origin",
        )
        for spec, info in KEY_SPECS.items()
        if not info.importable_in(None)
    )


def statement_cases() -> tuple[GuardCase, ...]:
    """A key policy statement without Action or NotAction, or with a Resource other than "*"."""
    allowed = {"Effect": "Allow", "Principal": {"AWS": "*"}}
    return (
        GuardCase(
            "statement_without_action",
            (Condition("KeyPolicy", Test.STATEMENT_WITHOUT_ACTION),),
            {"KeyPolicy": {"Statement": {**allowed, "Resource": "*"}}},
            "KeyPolicy",
        ),
        GuardCase(
            "statement_resource",
            (Condition("KeyPolicy", Test.STATEMENT_RESOURCE_NOT_STAR),),
            {
                "KeyPolicy": {
                    "Statement": {**allowed, "Action": "kms:*", "Resource": ANY_OTHER_VALUE}
                }
            },
            "KeyPolicy",
        ),
    )


KEY_SPEC_USAGE = GuardFamily(
    "key-spec-usage",
    "every KeySpec and KeyUsage pair KMS refuses, with KMS's defaults for one not set",
    covers_all,
    Check(key_spec_problems),
    key_spec_usage_cases,
)
ROTATION = GuardFamily(
    "rotation",
    f"rotation only where KMS rotates: {SYMMETRIC_KEY_SPEC} keys with Origin {Origin.AWS_KMS}",
    covers_all,
    Check(rotation_problems),
    rotation_cases,
)
ORIGIN = GuardFamily(
    "origin",
    "imported key material (Origin EXTERNAL) only for the key specs KMS imports",
    covers_region_free_origin,
    Check(origin_problems, Inputs.PROPERTIES_IN_ANY_REGION, keep=_only(covers_region_free_origin)),
    origin_cases,
)


KEY_POLICY_STATEMENTS = GuardFamily(
    "key-policy-statements",
    'each key policy statement has Action or NotAction, and Resource "*"',
    covers_statement_shape,
    Check(policy_problems, keep=_only(covers_statement_shape)),
    statement_cases,
)


_EVERY_ENFORCER = frozenset(Enforcer)
_KMS_KEY_DOCS = (
    "https://docs.aws.amazon.com/kms/latest/developerguide/symm-asymm-choose-key-spec.html"
)
_ROTATION_DOCS = "https://docs.aws.amazon.com/kms/latest/developerguide/rotate-keys.html"
_CREATE_KEY_DOCS = "https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateKey.html"
_PRINCIPAL_DOCS = (
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html"
)
_HANDLER = frozenset({Enforcer.HANDLER})

RULES: tuple[Rule, ...] = (
    Rule(
        "E9101",
        "KeyUsage is valid for the KeySpec",
        KEY_RESOURCE_TYPES,
        (Check(key_spec_problems),),
        _EVERY_ENFORCER,
        _KMS_KEY_DOCS,
        (KEY_SPEC_USAGE,),
    ),
    Rule(
        "E9102",
        "Rotation only on keys that can rotate",
        KEY_RESOURCE_TYPES,
        (Check(rotation_problems),),
        _EVERY_ENFORCER,
        _ROTATION_DOCS,
        (ROTATION,),
    ),
    Rule(
        "E9103",
        "KeySpec exists in the Region and Origin suits the KeySpec",
        KEY_RESOURCE_TYPES,
        (
            Check(origin_problems, Inputs.PROPERTIES_IN_ANY_REGION),
            Check(region_problems, Inputs.PROPERTIES_IN_REGION),
        ),
        _EVERY_ENFORCER,
        _KMS_KEY_DOCS,
        (ORIGIN,),
    ),
    Rule(
        "E9108",
        "Keyforge::KMS::Key properties match its schema",
        (RESOURCE_TYPE,),
        (
            Check(schema_problems, keep=not_a_refused_principal),
            Check(policy_problems),
            Check(principal_problems),
            Check(tag_problems),
            Check(replica_problems, Inputs.PROPERTIES_IN_ANY_REGION),
        ),
        _EVERY_ENFORCER,
        _CREATE_KEY_DOCS,
        (KEY_POLICY_STATEMENTS,),
    ),
    Rule(
        "E9104",
        f"Alias names outside {Limits.RESERVED_ALIAS_PREFIX} and in KMS's pattern",
        (AWS_ALIAS_TYPE, RESOURCE_TYPE),
        (Check(alias_problems),),
        frozenset({Enforcer.HANDLER, Enforcer.LINT, Enforcer.HOOK}),
        "https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateAlias.html",
    ),
    Rule(
        "E9109",
        "AWS::KMS::Key key policy and tag count KMS accepts",
        (AWS_KEY_TYPE,),
        (
            Check(policy_problems),
            Check(tag_problems, options={"limit": Limits.MAX_TAGS}, keep=tag_count_only),
        ),
        frozenset({Enforcer.LINT, Enforcer.HOOK, Enforcer.GUARD}),
        _CREATE_KEY_DOCS,
        (KEY_POLICY_STATEMENTS,),
    ),
    Rule(
        "W9111",
        "Keys that can rotate automatically have rotation on",
        KEY_RESOURCE_TYPES,
        (Check(rotation_advice_problems),),
        frozenset({Enforcer.LINT, Enforcer.HOOK}),
        _ROTATION_DOCS,
    ),
    Rule(
        "update-immutable",
        "KeySpec, KeyUsage, Origin and MultiRegion do not change on update",
        KEY_RESOURCE_TYPES,
        (Check(immutable_changes, Inputs.UPDATE),),
        frozenset({Enforcer.HANDLER, Enforcer.HOOK}),
        "https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-kms-key.html",
    ),
    # The handlers' own rules.
    Rule(
        "refused-principal-lists",
        "KeyAdministrators and KeyUsers name only principals KMS accepts",
        (RESOURCE_TYPE,),
        (Check(schema_problems, keep=a_refused_principal),),
        _HANDLER,
        _PRINCIPAL_DOCS,
    ),
    Rule(
        "stack-tags",
        "The stack's tags and the key's fit on the key",
        (RESOURCE_TYPE,),
        (Check(stack_tags_problems, Inputs.PROPERTIES_IN_STACK),),
        _HANDLER,
        "https://docs.aws.amazon.com/kms/latest/APIReference/API_TagResource.html",
    ),
    Rule(
        "refused-policy-principals",
        "The key policy the handler writes names only principals KMS accepts",
        (RESOURCE_TYPE,),
        (Check(policy_principal_problems, Inputs.PROPERTIES_IN_STACK),),
        _HANDLER,
        _PRINCIPAL_DOCS,
        after_the_others=True,
    ),
)

RULES_BY_ID: Mapping[str, Rule] = {rule.id: rule for rule in RULES}


def rule(rule_id: str) -> Rule:
    return RULES_BY_ID[rule_id]


def carried_by(enforcer: Enforcer, resource_type: str | None = None) -> tuple[Rule, ...]:
    """The rules an enforcer carries (for one resource type, when given)."""
    return tuple(
        rule
        for rule in RULES
        if enforcer in rule.enforcers
        and (resource_type is None or resource_type in rule.resource_types)
    )


def guard_families() -> Iterator[tuple[Rule, GuardFamily]]:
    """Each Guard family with the rule it belongs to, in registry order."""
    for rule in RULES:
        if Enforcer.GUARD in rule.enforcers:
            for family in rule.guard:
                yield rule, family
