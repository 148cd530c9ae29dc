"""E9105: an asymmetric or HMAC key as the encryption key of an AWS service."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from cfnlint.helpers import is_function
from cfnlint.rules import CloudFormationLintRule, RuleMatch
from cfnlint.template import Template

from keyforge_kms_key.keyspecs import (
    AWS_ALIAS_TYPE,
    DEFAULT_KEY_SPEC,
    KEY_RESOURCE_TYPES,
    RESOURCE_TYPE,
    Limits,
)
from keyforge_lint._base import TAGS
from keyforge_lint._resolve import SUB_REFERENCE, TemplatePath, follow_if, resource_variants
from keyforge_lint._services import SERVICE_KEY_PROPERTIES, service_key_refusal

Conditions = Mapping[str, bool]


class ServiceEncryptionKey(CloudFormationLintRule):  # type: ignore[misc]  # cfnlint ships no type information
    id = "E9105"
    shortdesc = "AWS services encrypt only with symmetric keys"
    description = (
        "An asymmetric or HMAC KMS key (AWS::KMS::Key or Keyforge::KMS::Key, by Ref, "
        "GetAtt, Sub, or through an AWS::KMS::Alias or its alias name) used as the "
        "encryption key of an AWS service: S3, SQS, SNS, CloudWatch Logs, EBS, RDS, "
        "DynamoDB, Secrets Manager, Lambda, Kinesis, EFS and more, SAM functions, "
        "tables and state machines included. AWS services accept only symmetric "
        "encryption keys."
    )
    source_url = "https://docs.aws.amazon.com/kms/latest/developerguide/symmetric-asymmetric.html"
    tags = TAGS

    def match(self, cfn: Template) -> list[RuleMatch]:
        matches: dict[tuple[str, str], RuleMatch] = {}
        services = cfn.get_resources(list(SERVICE_KEY_PROPERTIES))
        if not services or not cfn.get_resources(list(KEY_RESOURCE_TYPES)):
            return []
        for name, resource in services.items():
            properties = resource.get("Properties")
            if not isinstance(properties, Mapping):
                continue
            base: dict[str, bool] = {}
            if isinstance(resource.get("Condition"), str):
                base[resource["Condition"]] = True
            root: TemplatePath = ["Resources", name, "Properties"]
            for pattern in SERVICE_KEY_PROPERTIES[str(resource["Type"])]:
                for value, path, conditions in _leaves(cfn, properties, pattern, root, base):
                    for message in self._messages(cfn, value, pattern[-1], conditions):
                        match = RuleMatch(path, message)
                        matches.setdefault((match.path_string, message), match)
        return list(matches.values())

    def _messages(
        self, cfn: Template, value: Any, prop: str, conditions: Conditions
    ) -> Iterator[str]:
        for key, via in _keys(cfn, value):
            for variant in resource_variants(cfn, key):
                if any(variant.conditions.get(c, s) != s for c, s in conditions.items()):
                    continue
                spec = variant.properties.get("KeySpec", DEFAULT_KEY_SPEC)
                refusal = service_key_refusal(spec) if isinstance(spec, str) else None
                if refusal is not None:
                    yield variant.explain(f"{prop} refers to {key}{via}, {refusal}.")


def _leaves(
    cfn: Template,
    value: Any,
    pattern: tuple[str, ...],
    path: TemplatePath,
    conditions: Conditions,
) -> Iterator[tuple[Any, TemplatePath, Conditions]]:
    for branch, branch_path, branch_conditions in follow_if(cfn, value, path, conditions):
        if not pattern:
            yield branch, branch_path, branch_conditions
            continue
        head, rest = pattern[0], pattern[1:]
        if head == "*" and isinstance(branch, list):
            for index, item in enumerate(branch):
                yield from _leaves(cfn, item, rest, [*branch_path, index], branch_conditions)
        elif head == "{}" and isinstance(branch, Mapping) and is_function(branch)[0] is None:
            for key, item in branch.items():
                yield from _leaves(cfn, item, rest, [*branch_path, key], branch_conditions)
        elif isinstance(branch, Mapping) and head in branch:
            yield from _leaves(cfn, branch[head], rest, [*branch_path, head], branch_conditions)


def _keys(cfn: Template, value: Any, through_alias: bool = False) -> Iterator[tuple[str, str]]:
    """The key resources a key reference names, each with how it is reached."""
    resources = cfn.template.get("Resources", {})
    for name in _named(cfn, value):
        resource = resources.get(name)
        kind = resource.get("Type") if isinstance(resource, Mapping) else None
        if kind in KEY_RESOURCE_TYPES:
            yield name, ""
        elif kind == AWS_ALIAS_TYPE and not through_alias and isinstance(resource, Mapping):
            properties = resource.get("Properties")
            target = properties.get("TargetKeyId") if isinstance(properties, Mapping) else None
            for branch, _, _ in follow_if(cfn, target, [], {}):
                for key, _ in _keys(cfn, branch, through_alias=True):
                    yield key, f" through the alias {name}"


def _named(cfn: Template, value: Any) -> set[str]:
    key, args = is_function(value)
    if key == "Ref" and isinstance(args, str):
        return {args}
    if key == "Fn::GetAtt":
        if isinstance(args, list) and args and isinstance(args[0], str):
            return {args[0]}
        if isinstance(args, str):
            return {args.split(".", 1)[0]}
    if key == "Fn::Sub":
        text = args[0] if isinstance(args, list) and args else args
        if isinstance(text, str):
            names = {found.split(".", 1)[0].strip() for found in SUB_REFERENCE.findall(text)}
            return names | _alias_owners(cfn, text)
    if key is None and isinstance(value, str):
        return _alias_owners(cfn, value)
    return set()


def _alias_owners(cfn: Template, text: str) -> set[str]:
    """AWS::KMS::Alias resources and Keyforge keys named by an alias name or alias ARN."""
    if Limits.ALIAS_PREFIX not in text:
        return set()
    alias = text[text.index(Limits.ALIAS_PREFIX) :]
    owners = set()
    for name in cfn.get_resources([AWS_ALIAS_TYPE, RESOURCE_TYPE]):
        if any(v.properties.get("AliasName") == alias for v in resource_variants(cfn, name)):
            owners.add(name)
    return owners
