"""keyforge check-update: what a stack update would do to its KMS keys, before it is run.

For every KMS key (AWS::KMS::Key and Keyforge::KMS::Key) of the old template:

- KeySpec, KeyUsage, Origin or MultiRegion changes: the update fails. KMS cannot
  change them, and neither resource type replaces a key (that would destroy its
  key material). An omitted property is its default (SYMMETRIC_DEFAULT,
  ENCRYPT_DECRYPT, AWS_KMS, false), so writing out the default is no change.
- Values written with intrinsic functions (Ref, Fn::If, ...) compare as written;
  when either side is one and they differ, the value is only known at deploy:
  "may change".
- The logical id is gone: the key is scheduled for deletion after its
  PendingWindowInDays (unless its DeletionPolicy retains it).
- The Type changes: CloudFormation does not change a resource's type, the update fails.

Exit status 1 when any finding fails the update or deletes a key (with
--strict, also when one may change), 0 otherwise, 2 when a template cannot be read.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from keyforge.command import EXIT_FAILED, EXIT_OK, CommandError
from keyforge.template import TemplateError, load
from keyforge_kms_key.keyspecs import IMMUTABLE_PROPERTIES, KEY_RESOURCE_TYPES, Limits

RETAINING_POLICIES = ("Retain", "RetainExceptOnCreate")


class Outcome(StrEnum):
    FAILS = "fails"
    """The update fails."""
    DELETES = "deletes"
    """The key is scheduled for deletion."""
    MAY_FAIL = "may-fail"
    """The update fails if a value only known at deploy turns out to differ."""
    MAY_DELETE = "may-delete"
    """The key is deleted if a condition only known at deploy turns out false."""
    RETAINED = "retained"
    """The key leaves the stack but stays in KMS."""

    def fails(self, *, strict: bool = False) -> bool:
        """Whether check-update exits 1 for it (with `strict`, also when it only may happen)."""
        if strict and self in (Outcome.MAY_FAIL, Outcome.MAY_DELETE):
            return True
        return self in (Outcome.FAILS, Outcome.DELETES)


@dataclass(frozen=True)
class Finding:
    logical_id: str
    resource_type: str
    """The key's type in the old template."""
    outcome: Outcome
    message: str
    property: str | None = None
    old: Any = None
    new: Any = None
    pending_window_in_days: Any = None

    def as_json(self) -> dict[str, Any]:
        document: dict[str, Any] = {
            "logical_id": self.logical_id,
            "type": self.resource_type,
            "outcome": self.outcome.value,
            "property": self.property,
            "old": _plain(self.old),
            "new": _plain(self.new),
            "message": self.message,
        }
        if self.pending_window_in_days is not None:
            document["pending_window_in_days"] = _plain(self.pending_window_in_days)
        return document

    def line(self) -> str:
        return f"{self.logical_id}: {self.message}"


def is_intrinsic(value: Any) -> bool:
    if not isinstance(value, Mapping) or len(value) != 1:
        return False
    (key,) = value
    return key in ("Ref", "Condition") or str(key).startswith("Fn::")


def _normalized(name: str, value: Any) -> Any:
    """A literal as CloudFormation reads it: MultiRegion "true" is true."""
    if name == "MultiRegion" and isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    return value


def _plain(value: Any) -> Any:
    """The value as plain JSON types (the decoder hands out str and dict subclasses)."""
    if isinstance(value, Mapping):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, bool | int | float) or value is None:
        return value
    return str(value)


def show(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Mapping | list):
        return json.dumps(_plain(value), separators=(",", ":"))
    return str(value)


@dataclass(frozen=True)
class _Value:
    """One immutable property of a key as the template gives it."""

    name: str
    written: Any  # None when omitted

    @property
    def effective(self) -> Any:
        if self.written is None:
            return IMMUTABLE_PROPERTIES[self.name]
        return _normalized(self.name, self.written)

    def __str__(self) -> str:
        if self.written is None:
            return f"{show(self.effective)} (default)"
        return show(self.written)


def _properties(logical_id: str, resource: Mapping[str, Any], path: Path) -> Mapping[str, Any]:
    properties = resource.get("Properties")
    if properties is None:
        return {}
    if not isinstance(properties, Mapping):
        raise CommandError(f"{path}: Resources.{logical_id}.Properties is not a mapping")
    return properties


def _resources(template: Mapping[str, Any], path: Path) -> Mapping[str, Any]:
    resources = template.get("Resources")
    if resources is None:
        return {}
    if not isinstance(resources, Mapping):
        raise CommandError(f"{path}: Resources is not a mapping")
    return resources


def _property_findings(
    logical_id: str,
    old_type: str,
    resource_type: str,
    old: Mapping[str, Any],
    new: Mapping[str, Any],
) -> Iterator[Finding]:
    for name in IMMUTABLE_PROPERTIES:
        before, after = _Value(name, old.get(name)), _Value(name, new.get(name))
        if before.effective == after.effective:
            continue
        change = f"{name} {before} -> {after}"
        if is_intrinsic(before.effective) or is_intrinsic(after.effective):
            message = (
                f"{change}: may change: the value is only known at deploy; if it differs, "
                f"the update fails ({name} cannot change after a key is created)"
            )
            outcome = Outcome.MAY_FAIL
        else:
            message = (
                f"{change}: the update fails: KMS cannot change a key's {name} and "
                f"{resource_type} does not replace a key; keep {before} or add a new key "
                "under a new logical id"
            )
            outcome = Outcome.FAILS
        yield Finding(
            logical_id, old_type, outcome, message, name, before.effective, after.effective
        )


def _removal(
    logical_id: str, resource: Mapping[str, Any], properties: Mapping[str, Any]
) -> Finding:
    resource_type = str(resource.get("Type"))
    policy = resource.get("DeletionPolicy")
    if policy in RETAINING_POLICIES:
        return Finding(
            logical_id,
            resource_type,
            Outcome.RETAINED,
            f"removed: DeletionPolicy {policy} keeps the {resource_type} in KMS, outside the stack",
        )
    window = properties.get("PendingWindowInDays")
    if window is None:
        days = Limits.DEFAULT_PENDING_WINDOW_DAYS
        when = f"after {days} days (PendingWindowInDays not set: the default)"
        window = days
    elif is_intrinsic(window):
        when = f"after PendingWindowInDays {show(window)} days, known at deploy"
    else:
        when = f"after {show(window)} days (PendingWindowInDays {show(window)})"
    policy_note = ""
    if policy is not None and policy != "Delete":
        policy_note = f" unless DeletionPolicy {show(policy)} resolves to Retain"
    message = (
        f"removed: the {resource_type} will be scheduled for deletion{policy_note}; "
        f"{when} the key and everything encrypted under it are lost "
        "unless the deletion is cancelled"
    )
    return Finding(
        logical_id, resource_type, Outcome.DELETES, message, pending_window_in_days=window
    )


def compare(
    old_template: Mapping[str, Any],
    new_template: Mapping[str, Any],
    old_path: Path = Path("OLD"),
    new_path: Path = Path("NEW"),
) -> list[Finding]:
    """Every finding about the KMS keys of the old template, in the old template's order."""
    old_resources = _resources(old_template, old_path)
    new_resources = _resources(new_template, new_path)
    findings: list[Finding] = []
    for logical_id, old in old_resources.items():
        if not isinstance(old, Mapping) or old.get("Type") not in KEY_RESOURCE_TYPES:
            continue
        old_properties = _properties(logical_id, old, old_path)
        new = new_resources.get(logical_id)
        if not isinstance(new, Mapping):
            findings.append(_removal(logical_id, old, old_properties))
            continue
        old_type, new_type = str(old["Type"]), str(new.get("Type"))
        if new_type != old_type:
            findings.append(
                Finding(
                    logical_id,
                    old_type,
                    Outcome.FAILS,
                    f"Type {old_type} -> {new_type}: the update fails: CloudFormation does not "
                    "change a resource's type; the key would have to leave the stack "
                    f"(DeletionPolicy Retain) and be imported as {new_type}",
                    "Type",
                    old_type,
                    new_type,
                )
            )
            if new_type not in KEY_RESOURCE_TYPES:
                continue
        new_properties = _properties(logical_id, new, new_path)
        findings.extend(
            _property_findings(logical_id, old_type, new_type, old_properties, new_properties)
        )
        condition = new.get("Condition")
        if condition is not None and condition != old.get("Condition"):
            findings.append(
                Finding(
                    logical_id,
                    old_type,
                    Outcome.MAY_DELETE,
                    f"Condition {show(old.get('Condition') or 'none')} -> {show(condition)}: "
                    "may be deleted: if the condition is false at deploy, the key is "
                    "scheduled for deletion",
                    "Condition",
                    old.get("Condition"),
                    condition,
                )
            )
    return findings


def _count_keys(template: Mapping[str, Any], path: Path) -> int:
    return sum(
        1
        for resource in _resources(template, path).values()
        if isinstance(resource, Mapping) and resource.get("Type") in KEY_RESOURCE_TYPES
    )


def _summary(findings: list[Finding], keys: int) -> str:
    if not findings:
        return f"No change to the {keys} KMS key(s) fails the update or deletes a key."
    counts = {outcome: 0 for outcome in Outcome}
    for finding in findings:
        counts[finding.outcome] += 1
    parts = [f"{count} {outcome.value}" for outcome, count in counts.items() if count]
    return f"{len(findings)} finding(s) on {keys} KMS key(s): {', '.join(parts)}."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("old_template", type=Path, metavar="OLD_TEMPLATE", help="deployed template")
    parser.add_argument(
        "new_template", type=Path, metavar="NEW_TEMPLATE", help="template to deploy"
    )
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    parser.add_argument(
        "--strict", action="store_true", help="exit 1 on 'may change' and 'may delete' too"
    )


def run(args: argparse.Namespace) -> int:
    try:
        old_template, new_template = load(args.old_template), load(args.new_template)
    except TemplateError as error:
        raise CommandError(str(error)) from None
    for template, path in ((old_template, args.old_template), (new_template, args.new_template)):
        if not _resources(template, path):
            # Every key would be reported "scheduled for deletion": almost always a wrong file.
            raise CommandError(f"{path}: the template has no Resources")
    findings = compare(old_template, new_template, args.old_template, args.new_template)
    failing = any(finding.outcome.fails(strict=args.strict) for finding in findings)
    keys = _count_keys(old_template, args.old_template)
    if args.json:
        document = {
            "old_template": str(args.old_template),
            "new_template": str(args.new_template),
            "keys": keys,
            "ok": not failing,
            "findings": [finding.as_json() for finding in findings],
        }
        json.dump(document, sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        for finding in findings:
            print(finding.line())
        print(_summary(findings, keys))
    return EXIT_FAILED if failing else EXIT_OK
