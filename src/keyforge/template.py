"""Read CloudFormation templates (YAML with short-form intrinsics, or JSON) and resolve values.

Loading uses cfn-lint's own decoder. Resolution covers what a deploy would
know without a stack: parameter defaults and pseudo parameters in Ref and
Fn::Sub, Fn::Join, and Fn::If by the template's conditions where they resolve.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cfnlint.decode import decode


class TemplateError(Exception):
    """A template that cannot be read: missing, or not valid YAML or JSON."""


# The decoder also logs what it returns as a match; without a handler that reaches stderr.
logging.getLogger("cfnlint.decode").addHandler(logging.NullHandler())


def load(path: Path) -> dict[str, Any]:
    """The template as a mapping; TemplateError with one line saying where and why it is not."""
    if not path.exists():
        raise TemplateError(f"{path}: no such file")
    if not path.is_file():
        raise TemplateError(f"{path}: not a file")
    template, matches = decode(str(path))
    if matches:
        first = matches[0]
        reason = first.message.replace("{filename}", str(path))
        raise TemplateError(f"{path}:{first.linenumber}: {reason}")
    if not isinstance(template, dict):
        raise TemplateError(f"{path}: not a CloudFormation template (not a mapping at the top)")
    return template


def resources_of_type(template: Mapping[str, Any], *types: str) -> dict[str, dict[str, Any]]:
    resources = template.get("Resources") or {}
    return {
        logical_id: resource
        for logical_id, resource in resources.items()
        if isinstance(resource, dict) and resource.get("Type") in types
    }


class Unresolvable(Exception):
    pass


@dataclass
class Resolver:
    """Resolves intrinsic functions with the values a deploy would give them."""

    template: Mapping[str, Any]
    region: str = "us-east-1"
    account: str = "123456789012"
    stack_name: str = "keyforge-demo"
    parameters: dict[str, Any] = field(default_factory=dict)

    def pseudo(self) -> dict[str, str]:
        partition = "aws-cn" if self.region.startswith("cn-") else "aws"
        return {
            "AWS::AccountId": self.account,
            "AWS::Partition": partition,
            "AWS::Region": self.region,
            "AWS::StackName": self.stack_name,
            "AWS::URLSuffix": "amazonaws.com.cn" if partition == "aws-cn" else "amazonaws.com",
        }

    def ref(self, name: str) -> Any:
        if name in self.parameters:
            return self.parameters[name]
        parameter = (self.template.get("Parameters") or {}).get(name)
        if isinstance(parameter, Mapping) and "Default" in parameter:
            return parameter["Default"]
        if name in self.pseudo():
            return self.pseudo()[name]
        raise Unresolvable(f"Ref {name}")

    def resolve(self, value: Any) -> Any:
        """The value with every intrinsic function resolved; Unresolvable when one cannot be."""
        if isinstance(value, list):
            return [self.resolve(item) for item in value]
        if not isinstance(value, Mapping):
            return value
        if len(value) == 1:
            ((key, argument),) = value.items()
            if key == "Ref":
                return self.ref(str(argument))
            if key == "Fn::Sub":
                return self._sub(argument)
            if key == "Fn::Join":
                separator, items = argument
                return str(separator).join(str(item) for item in self.resolve(items))
            if key == "Fn::If":
                name, when_true, when_false = argument
                return self.resolve(when_true if self.condition(name) else when_false)
            if key.startswith("Fn::"):
                raise Unresolvable(key)
        return {key: self.resolve(item) for key, item in value.items()}

    def condition(self, name: str) -> bool:
        expression = (self.template.get("Conditions") or {}).get(name)
        if expression is None:
            raise Unresolvable(f"Condition {name}")
        return bool(self._evaluate(expression))

    def _evaluate(self, expression: Any) -> Any:
        if isinstance(expression, Mapping) and len(expression) == 1:
            ((key, argument),) = expression.items()
            if key == "Fn::Equals":
                left, right = (self._evaluate(item) for item in argument)
                return str(left) == str(right)
            if key == "Fn::Not":
                return not self._evaluate(argument[0])
            if key == "Fn::And":
                return all(self._evaluate(item) for item in argument)
            if key == "Fn::Or":
                return any(self._evaluate(item) for item in argument)
            if key == "Condition":
                return self.condition(str(argument))
        return self.resolve(expression)

    def _sub(self, argument: Any) -> str:
        text, variables = (argument, {}) if isinstance(argument, str) else argument
        values = {name: self.resolve(item) for name, item in variables.items()}

        def replace(match: re.Match[str]) -> str:
            name = match.group(1)
            if name.startswith("!"):
                return "${" + name[1:] + "}"
            if name in values:
                return str(values[name])
            if "." in name:
                raise Unresolvable(f"Fn::Sub ${{{name}}}")
            return str(self.ref(name))

        return re.sub(r"\$\{([^}]+)\}", replace, str(text))
