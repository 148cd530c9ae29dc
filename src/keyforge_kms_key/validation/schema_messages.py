"""What the schema check says: properties that do not fit schema.json, in sentences, and the
raw properties CloudFormation sends (text for booleans and numbers) made the values they mean."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ..policy_grammar import holds_intrinsic
from ..refused_principals import refusal
from .problems import Problem, PropertyPath, format_path
from .schema import SchemaError, resolved, resource_schema, schema_errors, writable_properties
from .values import describe

_OWNED_ELSEWHERE: tuple[PropertyPath, ...] = (("KeySpec",), ("KeyUsage",), ("AliasName",))


def _schema_message(error: SchemaError) -> str | None:
    path = error.path
    where = format_path(path) or "The key's properties"
    value, rule, bounds, rule_value = error.value, error.rule, error.bounds, error.rule_value
    if rule == "additionalProperties":
        unknown = sorted(set(value) - set(resource_schema()["properties"]))
        names = ", ".join(unknown)
        return (
            f"{names} {'is not a property' if len(unknown) == 1 else 'are not properties'} "
            f"of Keyforge::KMS::Key: allowed are {', '.join(writable_properties())}."
        )
    if rule == "type":
        expected_text = rule_value if isinstance(rule_value, str) else " or ".join(rule_value)
        return f"{where} must be of type {expected_text}, not {json_type(value)}."
    if path in _OWNED_ELSEWHERE and rule in ("enum", "pattern", "minLength", "maxLength"):
        return None  # key_spec_problems and alias_problems say what is allowed
    if rule == "enum":
        return (
            f"{where} {describe(value)} is not allowed: "
            f"allowed are {', '.join(map(str, rule_value))}."
        )
    if rule == "pattern":
        refused = refusal(value) if isinstance(value, str) else None
        if refused is not None:  # say why KMS refuses it, not only that the pattern does
            return f"{where} names {refused.message}"
        return f"{where} {describe(value)} does not match the pattern {rule_value}."
    if rule in ("minimum", "maximum"):
        return (
            f"{where} {describe(value)} is out of range: allowed "
            f"{bounds.get('minimum', '-inf')} to {bounds.get('maximum', 'inf')}."
        )
    if rule in ("minLength", "maxLength"):
        return (
            f"{where} is {len(value)} characters long: allowed "
            f"{bounds.get('minLength', 0)} to {bounds.get('maxLength', 'any number of')}."
        )
    if rule == "maxItems":
        if path == ("Tags",):
            return None  # tag_problems counts the tags
        return f"{where} has more than {rule_value} items."
    if rule == "required":
        missing = [name for name in rule_value if not isinstance(value, dict) or name not in value]
        return f"{where} needs {', '.join(missing)}."
    return f"{where} {describe(value)} does not fit the schema's {rule} {rule_value}."


def json_type(value: object) -> str:
    """A value's JSON type name (string, array, ...), as a message names it."""
    names: list[tuple[type | tuple[type, ...], str]] = [
        (bool, "boolean"),
        ((int, float), "number"),
        (str, "string"),
        (list, "array"),
        (dict, "object"),
        (type(None), "null"),
    ]
    return next((name for kind, name in names if isinstance(value, kind)), type(value).__name__)


def schema_problems(properties: Mapping[str, Any]) -> list[Problem]:
    """Properties that do not fit schema.json: unknown names, wrong types, out of range."""
    literal = {name: value for name, value in properties.items() if not holds_intrinsic(value)}
    problems = []
    for error in sorted(schema_errors(literal, resource_schema()), key=lambda e: str(e.path)):
        message = _schema_message(error)
        if message is None:
            continue
        path: PropertyPath = error.path
        if error.rule == "additionalProperties" and not path:
            # Point at the first unknown property written, the line to edit.
            known = resource_schema()["properties"]
            path = (next(name for name in literal if name not in known),)
        problems.append(Problem(path, error.value, message))
    return problems


def request_problems(properties: object, which: str = "") -> tuple[dict[str, Any], list[Problem]]:
    """Raw resource properties from CloudFormation: the properties to use, and what is wrong.

    CloudFormation sends booleans and numbers as strings ("true", "30"): those become booleans
    and integers where schema.json says so. Anything else of the wrong type is a problem, never
    converted: 365.9 is not an integer, 2 is not a boolean. `which` names the properties in the
    messages ("previous " for an update's old ones).
    """
    if properties is None:
        return {}, []
    if not isinstance(properties, dict):
        kind = json_type(properties)
        return {}, [Problem((), None, f"The {which}properties must be a JSON object, not {kind}.")]
    declared = resource_schema()["properties"]
    usable = {
        name: _from_cloudformation_string(value, declared.get(name))
        for name, value in properties.items()
    }
    prefix = f"In the {which}properties: " if which else ""
    problems = []
    for error in sorted(schema_errors(usable, resource_schema()), key=lambda e: str(e.path)):
        message = _schema_message(error)
        if message is not None:
            problems.append(Problem(error.path, error.value, prefix + message))
    return usable, problems


def _from_cloudformation_string(value: Any, declared: Mapping[str, Any] | None) -> Any:
    return from_cloudformation_text(resolved(declared).get("type") if declared else None, value)


def from_cloudformation_text(kind: str | None, value: Any) -> Any:
    """A value of JSON type `kind` as CloudFormation sends it: "true"/"false" and whole numbers
    as text become the boolean or integer; anything else stays as it is."""
    if isinstance(value, str) and kind == "boolean" and value in ("true", "false"):
        return value == "true"
    if isinstance(value, str) and kind == "integer" and re.fullmatch(r"-?[0-9]{1,10}", value):
        return int(value)
    return value
