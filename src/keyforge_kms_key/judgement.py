"""A KMS key judged at deploy time by the rule registry: what the hooks answer. Pure.

Both hooks are thin adapters over `judge`: the registry hook `Keyforge::KMS::KeyRules`
(hooks/key-rules) and the Lambda hook (`keyforge_kms_key.lambda_hook`). CloudFormation hands
them a target's type, its properties (and its previous properties on update), as CloudFormation
resolved them, with booleans and numbers as text. `judge` makes those the values the template
meant, runs every registry rule the hooks carry for the target's type, and says:

- which rules the key breaks, with the sentences lint prints for them;
- whether that fails the deploy: errors do, warnings only when the type configuration says so,
  and rules can be switched off by id;
- what it could not judge, and why: a target type it does not handle, properties that are not
  an object, values CloudFormation left as intrinsic functions, properties AWS::KMS::Key does
  not have, a Region it could not tell (the Region's rules are then skipped).

Nothing is ever a crash: a rule that cannot read the properties is reported as not judged.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from .keyspecs import AWS_KEY_TYPE, KEY_RESOURCE_TYPES, RESOURCE_TYPE
from .policy_grammar import holds_intrinsic
from .rules import Enforcer, Level, Rule, carried_by
from .validation import describe, request_problems
from .validation.schema_messages import from_cloudformation_text

LOG = logging.getLogger(__name__)
HOOK_TYPE_NAME = "Keyforge::KMS::KeyRules"
TARGET_TYPES: tuple[str, ...] = KEY_RESOURCE_TYPES
# CloudFormation truncates a hook's message at 4096 characters.
MESSAGE_LIMIT = 4000
ANNOTATION_MESSAGE_LIMIT = 1000

# AWS::KMS::Key's properties (its CloudFormation resource schema), by the JSON type of their
# values; CloudFormation gives hooks booleans and numbers as text. Keyforge::KMS::Key's come
# from schema.json.
AWS_KEY_PROPERTIES: Mapping[str, str] = {
    "BypassPolicyLockoutSafetyCheck": "boolean",
    "Description": "string",
    "EnableKeyRotation": "boolean",
    "Enabled": "boolean",
    "KeyPolicy": "object or string",
    "KeySpec": "string",
    "KeyUsage": "string",
    "MultiRegion": "boolean",
    "Origin": "string",
    "PendingWindowInDays": "integer",
    "RotationPeriodInDays": "integer",
    "Tags": "array",
}
_STACK_ARN = re.compile(r"arn:[a-z-]+:cloudformation:(?P<region>[a-z0-9-]+):[0-9]*:stack/")


class FailOn(StrEnum):
    """Which findings fail the deploy (the type configuration's FailOn)."""

    ERROR = "ERROR"
    WARNING = "WARNING"


class Status(StrEnum):
    """A rule's outcome, as a hook annotation states it."""

    PASSED = "PASSED"
    FAILED = "FAILED"
    SKIPPED = "SKIPPED"


_SEVERITY = {Level.ERROR: "HIGH", Level.WARNING: "LOW", Level.INFORMATIONAL: "INFORMATIONAL"}


@dataclass(frozen=True)
class Settings:
    """What fails the deploy: errors only (the default) or warnings too; rules switched off."""

    fail_on: FailOn = FailOn.ERROR
    disabled: frozenset[str] = frozenset()

    def fails(self, rule: Rule) -> bool:
        if rule.level is Level.ERROR:
            return True
        return rule.level is Level.WARNING and self.fail_on is FailOn.WARNING

    @classmethod
    def read(cls, fail_on: object, disabled_rules: object) -> tuple[Settings, list[str]]:
        """Settings from a type configuration's FailOn and DisabledRules (ids separated by commas
        or spaces, or a list of them); with a sentence for each value it does not understand."""
        notes: list[str] = []
        chosen = FailOn.ERROR
        if fail_on not in (None, ""):
            text = str(fail_on).strip().upper()
            if text in FailOn.__members__:
                chosen = FailOn(text)
            else:
                notes.append(
                    f"FailOn {describe(fail_on)} is not ERROR or WARNING: errors only fail "
                    "the deploy."
                )
        if isinstance(disabled_rules, str):
            ids = [part for part in re.split(r"[\s,]+", disabled_rules) if part]
        elif isinstance(disabled_rules, list):
            ids = [str(part).strip() for part in disabled_rules]
        elif disabled_rules is None:
            ids = []
        else:
            ids = []
            notes.append(
                f"DisabledRules {describe(disabled_rules)} is not a list of rule ids: no rule "
                "is switched off."
            )
        known = {rule.id for rule in hook_rules()}
        unknown = [rule_id for rule_id in ids if rule_id not in known]
        if unknown:
            notes.append(
                f"DisabledRules names {', '.join(unknown)}, which the hook does not carry: "
                f"its rules are {', '.join(sorted(known))}."
            )
        return cls(chosen, frozenset(ids) & known), notes


@dataclass(frozen=True)
class Outcome:
    rule: Rule
    status: Status
    sentences: tuple[str, ...] = ()
    note: str = ""
    """Why the rule was not judged (SKIPPED)."""


@dataclass(frozen=True)
class Verdict:
    """What the hook found for one target: each rule's outcome, and what it could not judge."""

    target_type: str
    logical_id: str | None
    outcomes: tuple[Outcome, ...] = ()
    notes: tuple[str, ...] = ()
    settings: Settings = field(default_factory=Settings)

    @property
    def broken(self) -> tuple[Outcome, ...]:
        return tuple(outcome for outcome in self.outcomes if outcome.status is Status.FAILED)

    @property
    def failing(self) -> tuple[Outcome, ...]:
        """The broken rules that fail the deploy."""
        return tuple(o for o in self.broken if self.settings.fails(o.rule))

    @property
    def compliant(self) -> bool:
        return not self.failing

    @property
    def subject(self) -> str:
        name = f" {self.logical_id}" if self.logical_id else ""
        return f"{self.target_type}{name}"

    def message(self, limit: int = MESSAGE_LIMIT) -> str:
        """One text for the hook's answer: the findings that fail the deploy, then the others
        (warnings), then what was not judged."""
        failing = self.failing
        others = [o for o in self.broken if o not in failing]
        parts: list[str] = []
        if failing:
            parts.append(f"{self.subject} breaks {_count(failing, 'Keyforge rule')}:")
            parts += _sentences(failing)
        elif self.outcomes:
            parts.append(f"{self.subject} keeps the Keyforge rules.")
        if others:
            parts.append("Warnings:" if not failing else "Also:")
            parts += _sentences(others)
        skipped = [o for o in self.outcomes if o.status is Status.SKIPPED and o.note]
        notes = [*self.notes, *(f"{o.rule.id} not judged: {o.note}" for o in skipped)]
        if notes:
            parts.append("Not judged:" if self.outcomes else "")
            parts += notes
        return _cut(" ".join(part for part in parts if part), limit)

    def annotations(self) -> list[dict[str, str]]:
        """One hook annotation a rule judged or skipped: PASSED, FAILED or SKIPPED."""
        annotations = []
        for outcome in self.outcomes:
            annotation = {
                "annotationName": outcome.rule.id,
                "status": outcome.status.value,
                "statusMessage": _cut(
                    " ".join(outcome.sentences) or outcome.note or outcome.rule.title,
                    ANNOTATION_MESSAGE_LIMIT,
                ),
                "remediationLink": outcome.rule.documentation,
                "severityLevel": _SEVERITY[outcome.rule.level],
            }
            annotations.append(annotation)
        return annotations


def _count(outcomes: Sequence[Outcome], noun: str) -> str:
    return f"{len(outcomes)} {noun}{'s' if len(outcomes) != 1 else ''}"


def _sentences(outcomes: Sequence[Outcome]) -> list[str]:
    return [f"{o.rule.id} {sentence}" for o in outcomes for sentence in o.sentences]


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def hook_rules(target_type: str | None = None) -> tuple[Rule, ...]:
    """The registry rules the hooks judge (for one target type, when given)."""
    rules = carried_by(Enforcer.HOOK, target_type)
    return tuple(rule for rule in rules if set(rule.resource_types) & set(TARGET_TYPES))


def region_from_stack_id(stack_id: object) -> str | None:
    """The Region of a stack ARN (arn:aws:cloudformation:REGION:ACCOUNT:stack/NAME/ID)."""
    if isinstance(stack_id, str):
        found = _STACK_ARN.match(stack_id)
        if found:
            return found["region"]
    return None


def judge(
    target_type: object,
    properties: object,
    *,
    previous: object = None,
    update: bool = False,
    region: str | None = None,
    settings: Settings | None = None,
    logical_id: object = None,
    notes: Sequence[str] = (),
) -> Verdict:
    """Judge one target as the hooks do; see the module's doc."""
    settings = settings or Settings()
    name = logical_id if isinstance(logical_id, str) and logical_id else None
    kind = target_type if isinstance(target_type, str) else describe(target_type)
    if kind not in TARGET_TYPES:
        note = f"{HOOK_TYPE_NAME} judges {' and '.join(TARGET_TYPES)} only: {kind} is not judged."
        return Verdict(kind, name, notes=(*notes, note), settings=settings)
    found = list(notes)
    desired, unreadable = _readable(kind, properties, "")
    if unreadable:
        found.append(unreadable)
        outcomes = tuple(
            Outcome(rule, Status.SKIPPED, note="the properties are not an object")
            for rule in hook_rules(kind)
            if update or not rule.update_only
        )
        return Verdict(kind, name, outcomes, tuple(found), settings)
    before: dict[str, Any] | None = None
    if update:
        before, unreadable = _readable(kind, previous, "previous ")
        if unreadable:
            found.append(unreadable)
            before = None
    found += _unjudged_values(kind, desired)
    if region is None:
        regional = [rule.id for rule in hook_rules(kind) if rule.needs_region]
        if regional:
            found.append(
                f"the stack's Region is unknown, so {', '.join(regional)} did not check where "
                "the key spec exists."
            )
    judged = [rule for rule in hook_rules(kind) if update or not rule.update_only]
    outcomes = tuple(_outcome(rule, desired, region, before, settings) for rule in judged)
    return Verdict(kind, name, outcomes, tuple(found), settings)


def _outcome(
    rule: Rule,
    properties: Mapping[str, Any],
    region: str | None,
    previous: Mapping[str, Any] | None,
    settings: Settings,
) -> Outcome:
    if rule.id in settings.disabled:
        return Outcome(rule, Status.SKIPPED, note="switched off by the type configuration")
    if rule.update_only and previous is None:
        return Outcome(rule, Status.SKIPPED, note="the previous properties are unknown")
    try:
        problems = rule.problems(properties, region=region, previous=previous)
    except Exception as error:  # a rule that cannot read odd properties: not judged, said so
        LOG.warning("%s could not judge the properties: %s", rule.id, type(error).__name__)
        return Outcome(
            rule, Status.SKIPPED, note="its checks could not read the properties as written"
        )
    if problems:
        return Outcome(rule, Status.FAILED, tuple(problem.message for problem in problems))
    return Outcome(rule, Status.PASSED)


def _readable(kind: str, properties: object, which: str) -> tuple[dict[str, Any], str]:
    """The properties with CloudFormation's text made booleans and integers again; or a
    sentence saying why they cannot be judged."""
    if properties is None:
        return {}, ""
    if not isinstance(properties, Mapping):
        kind_of = type(properties).__name__
        return {}, f"the {which}properties are {describe(properties)} ({kind_of}), not an object."
    plain = {str(name): value for name, value in properties.items()}
    if kind == RESOURCE_TYPE:
        usable, _ = request_problems(plain)  # E9108 reports what does not fit the schema
        return usable, ""
    usable = {
        name: from_cloudformation_text(AWS_KEY_PROPERTIES.get(name), v) for name, v in plain.items()
    }
    return usable, ""


def _unjudged_values(kind: str, properties: Mapping[str, Any]) -> list[str]:
    notes = []
    unresolved = sorted(name for name, value in properties.items() if holds_intrinsic(value))
    if unresolved:
        notes.append(
            f"{', '.join(unresolved)} {'holds' if len(unresolved) == 1 else 'hold'} an "
            "intrinsic function CloudFormation did not resolve: the rules skip what they "
            "cannot read."
        )
    if kind == AWS_KEY_TYPE:
        unknown = sorted(name for name in properties if name not in AWS_KEY_PROPERTIES)
        if unknown:
            verb = "is not a property" if len(unknown) == 1 else "are not properties"
            notes.append(f"{', '.join(unknown)} {verb} of {AWS_KEY_TYPE}: not judged.")
    return notes
