"""Writes src/keyforge_kms_key/schema_validators.py: schema.json's validators, as code.

    python -m keyforge.generate_validators [--check]    # make generate runs it

schema_errors (keyforge_kms_key.validation) checks each keyword of each schema node on its own.
Each of those checks (validation.schema_checks: every node reachable from the schema, every
keyword it checks) is compiled here by fastjsonschema's compile_to_code into one function of
the generated module, which therefore needs neither fastjsonschema nor any compiling when the
handlers run. The generated module holds:

- JsonSchemaValueException: what its functions raise, with fastjsonschema's attributes (message,
  value, name, definition, rule, path, rule_definition), so that it needs no fastjsonschema;
- REGEX_PATTERNS: the patterns the functions match, each compiled when first used;
- one function per check, fastjsonschema's code as it wrote it, renamed and typed;
- VALIDATORS: each function by its check's JSON (validation.check_key).

`--check` writes nothing: it exits 1, saying so, when the file is not what schema.json makes.
Needs fastjsonschema (the dev extra), imported only to generate.
"""

from __future__ import annotations

import argparse
import ast
import builtins
import json
import re
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from keyforge_kms_key.validation import schema_checks

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = ROOT / "schema.json"
TARGET = ROOT / "src" / "keyforge_kms_key" / "schema_validators.py"
# The signature fastjsonschema gives its functions, and the one written in its place.
GENERATED_SIGNATURE = "def validate(data, custom_formats={}, name_prefix=None):"
SIGNATURE = (
    "def {name}(data: Any, custom_formats: Any = {{}}, name_prefix: str | None = None) -> Any:"
)
# Names the generated functions may use, besides their own locals and builtins: what the
# generated module defines in place of compile_to_code's imports.
MODULE_NAMES = {"Decimal", "JsonSchemaValueException", "NoneType", "REGEX_PATTERNS", "re"}

PREAMBLE = '''\
"""schema.json's validators, one function per check that schema_errors makes.

Generated from schema.json by `python -m keyforge.generate_validators` (make generate) with
fastjsonschema {version}: do not edit. A test fails when it is not what schema.json makes.
"""

import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

SPLIT_RE = re.compile(r"[\\.\\[\\]]+")


class JsonSchemaValueException(ValueError):
    """A value that breaks a check, with the attributes of fastjsonschema's exception."""

    def __init__(
        self,
        message: str,
        value: Any = None,
        name: str | None = None,
        definition: Any = None,
        rule: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.value = value
        self.name = name
        self.definition = definition
        self.rule = rule

    @property
    def path(self) -> list[str]:
        return [item for item in SPLIT_RE.split(self.name or "") if item != ""]

    @property
    def rule_definition(self) -> Any:
        if not self.rule or not self.definition:
            return None
        return self.definition.get(self.rule)


class _Patterns(dict[str, re.Pattern[str]]):
    """Each pattern compiled when a value is first matched against it."""

    def __missing__(self, pattern: str) -> re.Pattern[str]:
        source, flags = _PATTERN_SOURCES[pattern]
        compiled = self[pattern] = re.compile(source, flags)
        return compiled


# Each pattern of the schema, and the regular expression fastjsonschema matches it with.
_PATTERN_SOURCES: dict[str, tuple[str, int]] = {patterns}
REGEX_PATTERNS = _Patterns()
NoneType = type(None)
'''


def generated_function(check: Mapping[str, Any]) -> tuple[str, dict[str, tuple[str, int]]]:
    """compile_to_code's function for `check`, named `validate`, and the patterns it matches."""
    import fastjsonschema

    code = fastjsonschema.compile_to_code(dict(check))
    module = ast.parse(code)
    functions = [node for node in module.body if isinstance(node, ast.FunctionDef)]
    if [function.name for function in functions] != ["validate"]:
        raise ValueError(f"fastjsonschema made more than one function of {json.dumps(check)}")
    text = ast.get_source_segment(code, functions[0])
    if text is None or not text.startswith(GENERATED_SIGNATURE + "\n"):
        raise ValueError(f"fastjsonschema's function of {json.dumps(check)} has another signature")
    used = {node.id for node in ast.walk(functions[0]) if isinstance(node, ast.Name)}
    assigned = {
        node.id
        for node in ast.walk(functions[0])
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store)
    }
    unknown = used - assigned - MODULE_NAMES - {"data", "custom_formats", "name_prefix"}
    unknown -= set(dir(builtins))
    if unknown:
        raise ValueError(f"fastjsonschema's function of {json.dumps(check)} uses {unknown}")
    patterns: dict[str, tuple[str, int]] = {}
    for node in module.body:
        if isinstance(node, ast.Assign) and ast.unparse(node.targets[0]) == "REGEX_PATTERNS":
            compiled = eval(compile(ast.Expression(node.value), "<patterns>", "eval"), {"re": re})
            for pattern, regex in compiled.items():
                patterns[pattern] = (regex.pattern, regex.flags & ~re.UNICODE)
    return text, patterns


def generate(schema: Mapping[str, Any]) -> str:
    """The text of schema_validators.py for `schema`."""
    import fastjsonschema

    functions: list[str] = []
    table: list[str] = []
    patterns: dict[str, tuple[str, int]] = {}
    for number, key in enumerate(schema_checks(schema)):
        text, used = generated_function(json.loads(key))
        name = f"_check_{number}"
        functions.append(SIGNATURE.format(name=name) + text[len(GENERATED_SIGNATURE) :])
        table.append(f"    {key!r}: {name},")
        patterns.update(used)
    pattern_lines = "".join(f"\n    {key!r}: {patterns[key]!r}," for key in sorted(patterns))
    preamble = PREAMBLE.format(
        version=fastjsonschema.VERSION,
        patterns="{" + pattern_lines + ("\n}" if pattern_lines else "}"),
    )
    return (
        preamble
        + "".join(f"\n\n{function}\n" for function in functions)
        + "\n\n# Each function by the JSON of its check, keys sorted (validation.check_key).\n"
        + "VALIDATORS: dict[str, Callable[[Any], Any]] = {\n"
        + "".join(f"{line}\n" for line in table)
        + "}\n"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 if the file is stale"
    )
    args = parser.parse_args(argv)
    text = generate(json.loads(SCHEMA.read_text()))
    shown = TARGET.relative_to(ROOT)
    if args.check:
        if not TARGET.is_file() or TARGET.read_text() != text:
            print(f"{shown} is stale: run python -m keyforge.generate_validators", file=sys.stderr)
            return 1
        return 0
    TARGET.write_text(text)
    print(f"{shown}: {text.count(chr(10) + 'def ')} validators")
    return 0


if __name__ == "__main__":
    sys.exit(main())
