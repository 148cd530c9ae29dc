"""schema_validators.py, generated: what `python -m keyforge.generate_validators` makes of
schema.json, holding a validator for every check schema_errors makes, each giving the verdict of
fastjsonschema.compile on the same check; and the handlers no longer need fastjsonschema."""

from __future__ import annotations

import difflib
import json
import subprocess
import sys
from collections.abc import Callable, Mapping
from functools import cache
from pathlib import Path
from typing import Any

import fastjsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from keyforge import generate_validators
from keyforge_kms_key import schema_validators, validation
from keyforge_kms_key.keyspecs import KEY_SPECS
from keyforge_kms_key.validation import PropertyPath, SchemaError, check_key, schema_checks
from keyforge_kms_key.validation.schema import resolved

ROOT = Path(__file__).resolve().parents[2]
SCHEMA_PATH = ROOT / "schema.json"
GENERATED = ROOT / "src" / "keyforge_kms_key" / "schema_validators.py"


def schema() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(SCHEMA_PATH.read_text())
    return loaded


def difference(generated: str, committed: str) -> str:
    if generated == committed:
        return ""
    diff = difflib.unified_diff(
        committed.splitlines(keepends=True),
        generated.splitlines(keepends=True),
        "schema_validators.py (committed)",
        "schema_validators.py (python -m keyforge.generate_validators)",
    )
    return "".join(diff) or "the files differ in bytes that do not show as text"


# --- Fresh: regenerated from schema.json, the same text -------------------------------------------


def test_schema_validators_py_is_not_stale() -> None:
    found = difference(generate_validators.generate(schema()), GENERATED.read_text())
    assert found == "", (
        "schema_validators.py is stale: run python -m keyforge.generate_validators\n" + found
    )


@pytest.mark.parametrize(
    "change",
    [
        lambda s: s["properties"]["Description"].update(maxLength=4096),
        lambda s: s["definitions"]["Tag"]["properties"]["Key"].update(pattern="^[a-z]+$"),
        lambda s: s["properties"].update(StaleCheck={"type": "string", "minLength": 3}),
        lambda s: s["properties"]["Origin"]["enum"].append("AWS_CLOUDHSM"),
    ],
    ids=["a bound", "a pattern in a definition", "a new property", "an enum value"],
)
def test_a_schema_change_makes_it_stale(change: Callable[[dict[str, Any]], None]) -> None:
    changed = schema()
    change(changed)
    assert difference(generate_validators.generate(changed), GENERATED.read_text()) != ""


def test_the_check_option_says_it_is_fresh(capsys: pytest.CaptureFixture[str]) -> None:
    assert generate_validators.TARGET == GENERATED
    assert generate_validators.main(["--check"]) == 0
    assert capsys.readouterr() == ("", "")


# --- Complete: a validator for every check schema_errors makes, and no other ---------------------


def test_one_validator_for_each_check_schema_errors_can_make() -> None:
    assert sorted(schema_validators.VALIDATORS) == schema_checks(validation.resource_schema())


def test_every_keyword_of_every_reachable_node_is_checked() -> None:
    checked = {next(iter(json.loads(key))) for key in schema_validators.VALIDATORS}
    expected = {
        "type",
        "enum",
        "pattern",
        "minLength",
        "maxLength",
        "minimum",
        "maximum",
        "maxItems",
        "required",
        "additionalProperties",
    }
    assert expected <= checked
    # The Tag definition, reached through Tags' items by its $ref.
    assert check_key({"required": ["Key", "Value"]}) in schema_validators.VALIDATORS


# --- The same verdicts as fastjsonschema.compile --------------------------------------------------


@cache
def compiled(key: str) -> Callable[[Any], Any]:
    return fastjsonschema.compile(json.loads(key))


def verdict(validate: Callable[[Any], Any], value: Any) -> tuple[Any, ...]:
    try:
        return ("accepted", validate(value))
    except (
        fastjsonschema.JsonSchemaValueException,
        schema_validators.JsonSchemaValueException,
    ) as e:
        return (e.message, e.value, e.name, e.definition, e.rule, e.path, e.rule_definition)


def test_the_generated_exception_is_not_fastjsonschemas() -> None:
    assert not issubclass(
        schema_validators.JsonSchemaValueException, fastjsonschema.JsonSchemaValueException
    )


def _patterns() -> list[str]:
    checks = [json.loads(key) for key in schema_validators.VALIDATORS]
    return sorted({check["pattern"] for check in checks if "pattern" in check})


def _names() -> list[str]:
    names: set[str] = set()
    for key in schema_validators.VALIDATORS:
        check = json.loads(key)
        names |= set(check.get("properties", {})) | set(check.get("required", []))
    return sorted(names)


def _enum_values() -> list[Any]:
    return [
        value for key in schema_validators.VALIDATORS for value in json.loads(key).get("enum", [])
    ]


def _bounds() -> list[Any]:
    """Values at each bound of the checks, and one either side: numbers, text and lists."""
    values: list[Any] = []
    for key in schema_validators.VALIDATORS:
        for rule, bound in json.loads(key).items():
            if rule in ("minimum", "maximum", "minLength", "maxLength", "maxItems"):
                for size in (bound - 1, bound, bound + 1):
                    values += [size, size + 0.5, "a" * max(size, 0), [0] * max(size, 0)]
    return values


SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.text(max_size=12),
    st.sampled_from(_bounds()),
    st.sampled_from(_enum_values()),
    st.sampled_from(_patterns()).flatmap(lambda pattern: st.from_regex(pattern)),
)


@st.composite
def scalars(draw: st.DrawFn) -> Any:
    return draw(SCALARS)


VALUES = st.recursive(
    scalars(),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.one_of(st.sampled_from(_names()), st.text(max_size=6)), inner),
    ),
    max_leaves=60,
)


# Values of each JSON type, values that match each pattern, and every enum value and bound.
CORPUS: list[Any] = [
    None,
    True,
    False,
    0,
    -1,
    1.5,
    "",
    "x",
    [],
    ["x", 1],
    {},
    {"Key": "team", "Value": "platform"},
    {"Key": 1, "Other": "x"},
    dict.fromkeys(_names(), "x"),
    *KEY_SPECS,
    "alias/my-app/signing",
    "alias/aws/reserved",
    "123456789012",
    "us-east-1",
    "cn-north-1",
    "arn:aws:iam::123456789012:root",
    "arn:aws-cn:iam::123456789012:role/path/App",
    "arn:aws:iam::123456789012:user/ops+admin@example.com",
    *_enum_values(),
    *_bounds(),
]


@pytest.mark.parametrize(
    "key", sorted(schema_validators.VALIDATORS), ids=lambda key: key[:40].replace(" ", "")
)
def test_each_validator_gives_fastjsonschemas_verdicts(key: str) -> None:
    for value in CORPUS:
        generated = verdict(schema_validators.VALIDATORS[key], value)
        assert generated == verdict(compiled(key), value), value


CHECKS = sorted(schema_validators.VALIDATORS)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(number=st.integers(0, len(CHECKS) - 1), value=VALUES)
def test_each_validator_gives_fastjsonschemas_verdict_on_any_value(number: int, value: Any) -> None:
    key = CHECKS[number]
    generated = verdict(schema_validators.VALIDATORS[key], value)
    assert generated == verdict(compiled(key), value), key


def reference_schema_errors(
    value: Any, node: Mapping[str, Any], path: PropertyPath = ()
) -> list[SchemaError]:
    """schema_errors as it was, compiling each check with fastjsonschema when first made."""
    node = resolved(node)
    errors: list[SchemaError] = []
    for keyword, check in validation.shallow_checks(node):
        try:
            compiled(json.dumps(check, sort_keys=True))(value)
        except fastjsonschema.JsonSchemaValueException as error:
            where = path + tuple(int(p) if p.isdigit() else p for p in error.path[1:])
            errors.append(
                SchemaError(where, str(error.rule), error.rule_definition, error.value, node)
            )
            if keyword == "type":
                return errors
    if isinstance(value, list) and "items" in node:
        for index, item in enumerate(value):
            errors += reference_schema_errors(item, node["items"], (*path, index))
    if isinstance(value, dict):
        for name, child in node.get("properties", {}).items():
            if name in value:
                errors += reference_schema_errors(value[name], child, (*path, name))
    return errors


PROPERTIES = st.dictionaries(
    st.sampled_from(sorted(json.loads(SCHEMA_PATH.read_text())["properties"])),
    VALUES,
    max_size=8,
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(properties=PROPERTIES)
def test_schema_errors_finds_what_fastjsonschema_finds(properties: dict[str, Any]) -> None:
    top = validation.resource_schema()
    assert validation.schema_errors(properties, top) == reference_schema_errors(properties, top)


# --- The handlers without fastjsonschema ----------------------------------------------------------


def test_the_handlers_import_no_fastjsonschema() -> None:
    code = (
        "import sys, keyforge_kms_key.handlers, keyforge_kms_key.validation as v\n"
        "v.validate({'KeySpec': 'RSA_1', 'Tags': [{'Key': ''}], 'Bogus': 1})\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'fastjsonschema'))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert done.stdout.strip() == "[]"
