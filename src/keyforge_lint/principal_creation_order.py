"""E9110: a key names, by literal ARN, a role or user the same template creates, unordered."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from cfnlint.helpers import is_function
from cfnlint.rules import CloudFormationLintRule, RuleMatch
from cfnlint.template import Template

from keyforge_kms_key.keyspecs import KEY_RESOURCE_TYPES
from keyforge_lint._base import TAGS
from keyforge_lint._resolve import SUB_REFERENCE, TemplatePath

# What names an IAM entity in its template: the property, and how !GetAtt spells its ARN.
ENTITY_TYPES = {"AWS::IAM::Role": ("role", "RoleName"), "AWS::IAM::User": ("user", "UserName")}
# A service-linked role: named by the service and an optional suffix, its ARN is
# role/aws-service-role/<service>/<the service's role name>[_<suffix>] (IAM User Guide, "Using
# service-linked roles"); Ref gives its name, and it has no Arn attribute.
SERVICE_LINKED_ROLE_TYPE = "AWS::IAM::ServiceLinkedRole"
SERVICE_ROLE_PATH = "aws-service-role"
PRINCIPAL_LISTS = ("KeyAdministrators", "KeyUsers")
# An IAM role or user ARN, written out or with ${AWS::Partition} / ${AWS::AccountId}.
_ENTITY_ARN = re.compile(
    r"arn:(?:aws[a-z-]*|\$\{AWS::Partition\}):iam::(?:[0-9]{12}|\$\{AWS::AccountId\}):"
    r"(?P<kind>role|user)/(?P<path>(?:[^/]+/)*)(?P<name>[^/]+)"
)


@dataclass(frozen=True)
class Named:
    """A principal entry that names an IAM role or user by its ARN's text."""

    kind: str
    name: str
    path: TemplatePath
    iam_path: str = ""
    """The role's or user's path in IAM, between its kind and its name (``a/b/``)."""


@dataclass(frozen=True)
class Entity:
    """A role or user the template creates, and how a principal's ARN names it."""

    logical_id: str
    kind: str
    name: str | None = None
    """Its name as the template spells it; None for a service-linked role."""
    service: str | None = None
    """A service-linked role's service (AWSServiceName)."""
    suffix: str | None = None
    """A service-linked role's CustomSuffix."""

    def names(self, named: Named) -> bool:
        if named.kind != self.kind:
            return False
        if self.service is None:
            return named.name == self.name
        if named.iam_path != f"{SERVICE_ROLE_PATH}/{self.service}/":
            return False
        # Without a suffix the role's name is the service's own, with no "_<suffix>".
        return named.name.endswith(f"_{self.suffix}") if self.suffix else "_" not in named.name

    @property
    def is_service_linked(self) -> bool:
        return self.service is not None


class PrincipalCreationOrder(CloudFormationLintRule):  # type: ignore[misc]  # cfnlint ships no type information
    id = "E9110"
    shortdesc = "Roles and users a key policy names are created before the key"
    description = (
        "A principal given as a literal ARN (or Fn::Sub of one, with or without a variable "
        "map) in a key's KeyPolicy, KeyAdministrators or KeyUsers that names an "
        "AWS::IAM::Role, AWS::IAM::User or AWS::IAM::ServiceLinkedRole of the same "
        "template, with no reference (Ref, GetAtt) or DependsOn ordering the two: "
        "CloudFormation creates them at once, and KMS refuses a key policy whose principal "
        "does not exist yet."
    )
    source_url = "https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateKey.html"
    tags = TAGS

    def match(self, cfn: Template) -> list[RuleMatch]:
        entities = _entities(cfn)
        graph = getattr(cfn.graph, "graph", None)
        if not entities or graph is None:
            return []
        matches = []
        for key, resource in cfn.get_resources(list(KEY_RESOURCE_TYPES)).items():
            properties = resource.get("Properties")
            if not isinstance(properties, Mapping):
                continue
            for named in _principals(cfn, properties, ["Resources", key, "Properties"]):
                entity = next((e for e in entities if e.names(named)), None)
                if entity is None or entity.logical_id == key:
                    continue
                if _reaches(graph, key, entity.logical_id):
                    continue
                after_key = _reaches(graph, entity.logical_id, key)
                matches.append(RuleMatch(named.path, _message(named, entity, after_key)))
        return matches


def _reaches(graph: Any, start: str, goal: str) -> bool:
    """Whether `start` depends on `goal`, directly or not (cfn-lint's graph: Ref, GetAtt, Sub,
    DependsOn edges point from a resource to what it depends on)."""
    seen, todo = {start}, [start]
    while todo:
        node = todo.pop()
        for dependency in graph.successors(node) if node in graph else ():
            if dependency == goal:
                return True
            if dependency not in seen:
                seen.add(dependency)
                todo.append(dependency)
    return False


def _message(named: Named, entity: Entity, after_key: bool) -> str:
    where = _label(named.path[3:])
    logical_id = entity.logical_id
    what = "service-linked role" if entity.is_service_linked else named.kind
    stem = (
        f"{where} names {named.kind} {named.name} by its ARN, and this template creates "
        f"that {what} ({logical_id})"
    )
    refusal = (
        'KMS refuses a key policy naming a principal that does not exist ("invalid principals")'
    )
    if entity.is_service_linked:
        reference = (
            f"!Sub arn:${{AWS::Partition}}:iam::${{AWS::AccountId}}:role/"
            f"{SERVICE_ROLE_PATH}/{entity.service}/${{{logical_id}}}"
        )
    else:
        reference = f"!GetAtt {logical_id}.Arn"
    if after_key:
        return (
            f"{stem} after the key, since {logical_id} depends on the key: {refusal}. Give the "
            f"{named.kind} its permissions on the key through a separate AWS::IAM::Policy, "
            f"then name it with {reference}."
        )
    return (
        f"{stem} with no reference or DependsOn between them, so CloudFormation creates both "
        f"at once and {refusal}. Use {reference} instead, or add DependsOn: {logical_id} "
        "to the key."
    )


def _label(path: TemplatePath) -> str:
    """A path inside the properties as the other rules write it: KeyUsers[0], Fn::If left out."""
    label = ""
    parts = iter(path)
    for part in parts:
        if part == "Fn::If":
            next(parts, None)
        elif isinstance(part, int):
            label += f"[{part}]"
        else:
            label += f".{part}" if label else part
    return label


def _entities(cfn: Template) -> list[Entity]:
    """The roles and users the template names (as it spells their names), and its
    service-linked roles."""
    found = []
    for logical_id, resource in cfn.get_resources(list(ENTITY_TYPES)).items():
        kind, name_property = ENTITY_TYPES[str(resource.get("Type"))]
        properties = resource.get("Properties")
        if not isinstance(properties, Mapping):
            continue
        name = _text(cfn, properties.get(name_property))
        if name:
            found.append(Entity(logical_id, kind, name=name))
    for logical_id, resource in cfn.get_resources([SERVICE_LINKED_ROLE_TYPE]).items():
        properties = resource.get("Properties")
        if not isinstance(properties, Mapping):
            continue
        service = _text(cfn, properties.get("AWSServiceName"))
        suffix = properties.get("CustomSuffix")
        suffix_text = _text(cfn, suffix) if suffix is not None else None
        if service and (suffix is None or suffix_text):
            found.append(Entity(logical_id, "role", service=service, suffix=suffix_text))
    return found


def _principals(
    cfn: Template, properties: Mapping[str, Any], root: TemplatePath
) -> Iterator[Named]:
    """Every entry of KeyAdministrators, KeyUsers and KeyPolicy's Principal that names a role
    or user by its ARN, with its template path; both branches of each Fn::If."""
    for name in PRINCIPAL_LISTS:
        entries = properties.get(name)
        for entries_value, entries_path in _branches(entries, [*root, name]):
            if isinstance(entries_value, list):
                for index, entry in enumerate(entries_value):
                    yield from _named(cfn, entry, [*entries_path, index])
    policy = properties.get("KeyPolicy")
    for value, path in _branches(policy, [*root, "KeyPolicy"]):
        text = _text(cfn, value)
        if text is not None:  # the policy as JSON text: its entries have no path of their own
            for entry in _policy_principals(_json(text)):
                yield from (Named(n.kind, n.name, path) for n in _named(cfn, entry, path))
            continue
        for entry, entry_path in _policy_entries(value, path):
            yield from _named(cfn, entry, entry_path)


def _policy_entries(policy: Any, path: TemplatePath) -> Iterator[tuple[Any, TemplatePath]]:
    """The Principal "AWS" entries of a key policy written as a template object."""
    if not isinstance(policy, Mapping):
        return
    statements = policy.get("Statement")
    indexed = (
        [(statements, [*path, "Statement"])]
        if isinstance(statements, Mapping)
        else [(s, [*path, "Statement", i]) for i, s in enumerate(statements)]
        if isinstance(statements, list)
        else []
    )
    for statement, statement_path in indexed:
        if not isinstance(statement, Mapping) or not isinstance(
            statement.get("Principal"), Mapping
        ):
            continue
        for aws, aws_path in _branches(
            statement["Principal"].get("AWS"), [*statement_path, "Principal", "AWS"]
        ):
            if isinstance(aws, list):
                yield from ((entry, [*aws_path, i]) for i, entry in enumerate(aws))
            else:
                yield aws, aws_path


def _policy_principals(document: Any) -> Iterator[Any]:
    for entry, _ in _policy_entries(document, []):
        yield entry


def _named(cfn: Template, entry: Any, path: TemplatePath) -> Iterator[Named]:
    for value, value_path in _branches(entry, path):
        found = _ENTITY_ARN.fullmatch(_text(cfn, value) or "")
        if found:
            yield Named(found["kind"], found["name"], value_path, found["path"])


def _branches(value: Any, path: TemplatePath) -> Iterator[tuple[Any, TemplatePath]]:
    """Each value `value` can take through nested Fn::If, with its path."""
    key, args = is_function(value)
    if key == "Fn::If" and isinstance(args, list) and len(args) == 3:
        for index in (1, 2):
            yield from _branches(args[index], [*path, "Fn::If", index])
        return
    yield value, path


def _text(cfn: Template, value: Any) -> str | None:
    """A string as the template spells it: a literal, Fn::Sub's text, or ${P} for Ref P;
    parameters with a string Default are replaced by it, so both spellings of a name meet.
    Fn::Sub's variable map is applied first: a variable given as text (or as Ref to a
    parameter, or Fn::Sub) is replaced by its text; others stay ${Name}."""
    key, args = is_function(value)
    variables: Mapping[str, Any] = {}
    if isinstance(value, str):
        text = value
    elif key == "Fn::Sub" and isinstance(args, str):
        text = args
    elif key == "Fn::Sub" and isinstance(args, list) and args and isinstance(args[0], str):
        text = args[0]
        if len(args) > 1 and isinstance(args[1], Mapping):
            variables = args[1]
    elif key == "Ref" and isinstance(args, str):
        text = "${" + args + "}"
    else:
        return None
    parameters = cfn.template.get("Parameters")
    if not isinstance(parameters, Mapping):
        parameters = {}

    def default(found: re.Match[str]) -> str:
        if found[1] in variables:
            given = _text(cfn, variables[found[1]])
            return given if given is not None else found[0]
        parameter = parameters.get(found[1])
        value = parameter.get("Default") if isinstance(parameter, Mapping) else None
        return value if isinstance(value, str) else found[0]

    return SUB_REFERENCE.sub(default, text)


def _json(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return None
