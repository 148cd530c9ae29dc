"""schema.json and where a value breaks it, through the validators generated from it
(schema_validators.py, written by `python -m keyforge.generate_validators`)."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from functools import cache
from importlib import resources
from typing import Any, NamedTuple

from .. import schema_validators
from .problems import PropertyPath


@cache
def resource_schema() -> Mapping[str, Any]:
    text = resources.files("keyforge_kms_key").joinpath("schema.json").read_text()
    schema: Mapping[str, Any] = json.loads(text)
    return schema


class SchemaError(NamedTuple):
    """One place where properties do not fit schema.json."""

    path: PropertyPath
    rule: str
    rule_value: Any
    value: Any
    bounds: Mapping[str, Any]


# Keywords schema_errors does not check on their own: it walks items and properties itself, and
# the others are notes to the reader.
_NOT_CHECKED = ("items", "properties", "description", "insertionOrder", "default")


def shallow_checks(node: Mapping[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """The checks schema_errors makes of a value at a schema node (its $ref resolved), each with
    its keyword: each keyword on its own, a schema of that one keyword; additionalProperties with
    the node's property names, which it needs."""
    checks = []
    for keyword, rule in node.items():
        if keyword in _NOT_CHECKED:
            continue
        check: dict[str, Any] = {keyword: rule}
        if keyword == "additionalProperties":
            check["properties"] = {name: {} for name in node.get("properties", {})}
        checks.append((keyword, check))
    return checks


def check_key(check: Mapping[str, Any]) -> str:
    """A check as schema_validators.VALIDATORS names it: its JSON, keys sorted."""
    return json.dumps(check, sort_keys=True)


def schema_checks(schema: Mapping[str, Any]) -> list[str]:
    """Every check schema_errors can make of a value against `schema` (a whole resource schema),
    by check_key, sorted: those of the schema itself and of every node reachable from it through
    items and properties, $refs resolved in its definitions."""
    found: set[str] = set()

    def visit(node: Mapping[str, Any]) -> None:
        node = resolved(node, schema)
        found.update(check_key(check) for _, check in shallow_checks(node))
        if "items" in node:
            visit(node["items"])
        for child in node.get("properties", {}).values():
            visit(child)

    visit(schema)
    return sorted(found)


def _shallow_validator(key: str) -> Callable[[Any], Any]:
    try:
        return schema_validators.VALIDATORS[key]
    except KeyError:
        raise LookupError(
            f"no validator for the schema check {key}: schema_validators.py is not that of "
            "schema.json (python -m keyforge.generate_validators writes it)"
        ) from None


def schema_errors(
    value: Any, node: Mapping[str, Any], path: PropertyPath = ()
) -> list[SchemaError]:
    """Every place where `value` breaks `node`, a node of schema.json.

    Its validators, generated from schema.json by fastjsonschema (schema_validators.py), stop at
    a value's first error, so each keyword of a node is checked on its own, then the node's items
    and properties, unless the value is not even of the node's type.
    """
    node = resolved(node)
    errors: list[SchemaError] = []
    for keyword, check in shallow_checks(node):
        try:
            _shallow_validator(check_key(check))(value)
        except schema_validators.JsonSchemaValueException as error:
            where = path + tuple(int(p) if p.isdigit() else p for p in error.path[1:])
            errors.append(
                SchemaError(where, str(error.rule), error.rule_definition, error.value, node)
            )
            if keyword == "type":
                return errors
    if isinstance(value, list) and "items" in node:
        for index, item in enumerate(value):
            errors += schema_errors(item, node["items"], (*path, index))
    if isinstance(value, dict):
        for name, child in node.get("properties", {}).items():
            if name in value:
                errors += schema_errors(value[name], child, (*path, name))
    return errors


def resolved(node: Mapping[str, Any], schema: Mapping[str, Any] | None = None) -> Mapping[str, Any]:
    definitions = (resource_schema() if schema is None else schema).get("definitions", {})
    while "$ref" in node:
        node = definitions[str(node["$ref"]).rsplit("/", 1)[-1]]
    return node


def writable_properties() -> tuple[str, ...]:
    schema = resource_schema()
    read_only = {pointer.rsplit("/", 1)[-1] for pointer in schema.get("readOnlyProperties", [])}
    return tuple(name for name in schema["properties"] if name not in read_only)
