"""Read CloudFormation templates (YAML with short-form intrinsics, or JSON) and resolve values.

Loading uses cfn-lint's own decoder, resolution its own resolver, given what a
deploy would know without a stack: the parameters' defaults and the pseudo
parameters. No I/O but reading the template.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from cfnlint.decode import decode
from cfnlint.helpers import is_function
from cfnlint.jsonschema import CfnTemplateValidator
from cfnlint.template import Template


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


class Resolver:
    """Resolves intrinsic functions with the values a deploy with the parameters' defaults gives.

    cfn-lint's own resolution does the work (Ref, Fn::Sub, Fn::Join, Fn::If by the template's
    conditions, Fn::FindInMap, Fn::Select, Fn::Split, ...). Left alone it yields every value a
    parameter may take, its AllowedValues before its Default, and its own example account; given
    the parameters' values and the pseudo parameters up front it yields the one value a deploy
    would see.
    """

    def __init__(
        self,
        template: Mapping[str, Any],
        region: str = "us-east-1",
        account: str = "123456789012",
        stack_name: str = "keyforge-demo",
        parameters: Mapping[str, Any] | None = None,
    ) -> None:
        declared = template.get("Parameters") or {}
        values: dict[str, Any] = {
            name: parameter["Default"]
            for name, parameter in declared.items()
            if isinstance(parameter, Mapping) and "Default" in parameter
        }
        values.update(parameters or {})
        values.update(
            {"AWS::AccountId": account, "AWS::Region": region, "AWS::StackName": stack_name}
        )
        self._values = values
        cfn = Template("", dict(template), regions=[region])
        self._validator = CfnTemplateValidator({}).evolve(
            cfn=cfn, context=cfn.context.evolve(ref_values=values)
        )

    def resolve(self, value: Any) -> Any:
        """The value with every intrinsic function resolved; Unresolvable when one cannot be."""
        if isinstance(value, list):
            return [self.resolve(item) for item in value]
        if not isinstance(value, Mapping):
            return value
        function, _ = is_function(value)
        if function is None:
            return {key: self.resolve(item) for key, item in value.items()}
        resolutions: list[Any] = []
        # cfn-lint takes a pseudo parameter that keys a mapping for every key the mapping has.
        for resolved, _, errors in self._validator.resolve_value(self._refs_replaced(value)):
            if not errors and resolved not in resolutions:
                resolutions.append(resolved)
        # None: a resource's Ref or attribute, known once deployed; several: a parameter
        # without a default, which a deploy must be given.
        if len(resolutions) != 1:
            raise Unresolvable(f"{function} {json.dumps(value[function], default=str)}")
        return resolutions[0]

    def _refs_replaced(self, value: Any) -> Any:
        """The value with each Ref to a parameter or pseudo parameter replaced by its value."""
        if isinstance(value, list):
            return [self._refs_replaced(item) for item in value]
        if not isinstance(value, Mapping):
            return value
        if set(value) == {"Ref"} and value["Ref"] in self._values:
            return self._values[value["Ref"]]
        return {key: self._refs_replaced(item) for key, item in value.items()}
