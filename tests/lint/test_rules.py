"""Each rule against its bad template (exact findings pinned) and its good template (none)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from keyforge_lint._services import SERVICE_KEY_PROPERTIES
from tests.lint.conftest import KEYFORGE_RULES, TEMPLATES, Finding, lint_path, off_by_default

BAD = sorted((TEMPLATES / "bad").glob("*.yaml"))
GOOD = sorted((TEMPLATES / "good").glob("*.yaml"))


def _expected(template: Path) -> list[Finding]:
    snapshot = json.loads(template.with_suffix(".json").read_text())
    return sorted(Finding(item["rule"], item["line"], item["message"]) for item in snapshot)


def _own(template: Path) -> list[str]:
    """A rule cfn-lint runs only when asked (informational, opt-in) is asked for on its own
    templates; the other templates are linted as cfn-lint lints by default."""
    return [template.stem] if template.stem in off_by_default() else []


@pytest.mark.parametrize("template", BAD, ids=lambda p: p.stem)
def test_bad_template_gives_exactly_the_pinned_findings(template: Path) -> None:
    findings = lint_path(template, include=_own(template))
    assert findings == _expected(template)
    assert template.stem in {f.rule for f in findings}


@pytest.mark.parametrize("template", GOOD, ids=lambda p: p.stem)
def test_good_template_gives_no_finding(template: Path) -> None:
    assert lint_path(template, include=_own(template)) == []


@pytest.mark.parametrize("rule", off_by_default())
def test_a_rule_off_by_default_stays_off_unless_asked(rule: str) -> None:
    template = TEMPLATES / "bad" / f"{rule}.yaml"
    assert [f for f in lint_path(template) if f.rule == rule] == []


def test_only_the_informational_and_opt_in_rules_are_off_by_default() -> None:
    assert off_by_default() == ["I9115", "W9116"]


def test_every_rule_has_a_bad_and_a_good_template() -> None:
    rule_ids = set(KEYFORGE_RULES.data)
    assert {p.stem for p in BAD} == rule_ids
    assert {p.stem for p in GOOD} == rule_ids


def test_rules_are_complete_and_in_the_keyforge_block() -> None:
    rules = list(KEYFORGE_RULES.data.values())
    assert len(rules) == 16
    for rule in rules:
        assert rule.id[0] in "EWI" and rule.id[1:3] == "91", rule.id
        assert rule.shortdesc and rule.description and rule.tags
        assert rule.source_url.startswith("https://docs.aws.amazon.com/")
        assert type(rule).__module__.startswith("keyforge_lint.")
    modules = [type(rule).__module__ for rule in rules]
    assert len(set(modules)) == len(modules), "one rule a file"


@pytest.mark.parametrize("resource_type", sorted(SERVICE_KEY_PROPERTIES))
def test_service_key_properties_exist_in_the_cfn_lint_schemas(resource_type: str) -> None:
    from cfnlint.schema import PROVIDER_SCHEMA_MANAGER

    schema = PROVIDER_SCHEMA_MANAGER.get_resource_schema("us-east-1", resource_type).schema
    for pattern in SERVICE_KEY_PROPERTIES[resource_type]:
        leaves = _at(schema, schema, pattern)
        assert any(_allows_text(leaf) for leaf in leaves), pattern


def _at(schema: dict[str, Any], node: Any, pattern: tuple[str, ...]) -> list[dict[str, Any]]:
    """The schemas at a property pattern ("*" an item, "{}" a map value), in every branch."""
    node = _deref(schema, node)
    if not isinstance(node, dict):
        return []
    found = [
        leaf
        for keyword in ("anyOf", "allOf", "oneOf")
        for branch in node.get(keyword, [])
        for leaf in _at(schema, branch, pattern)
    ]
    if not pattern:
        return [node, *found]
    head, rest = pattern[0], pattern[1:]
    if head == "*":
        children = [node.get("items")]
    elif head == "{}":
        children = [node.get("additionalProperties"), *node.get("patternProperties", {}).values()]
    else:
        children = [node.get("properties", {}).get(head)]
    return found + [leaf for child in children if child for leaf in _at(schema, child, rest)]


def _allows_text(node: dict[str, Any]) -> bool:
    kind = node.get("type")
    return kind == "string" or (isinstance(kind, list) and "string" in kind)


def _deref(schema: dict[str, Any], node: Any) -> Any:
    while isinstance(node, dict) and "$ref" in node:
        target: object = schema
        for part in str(node["$ref"]).removeprefix("#/").split("/"):
            assert isinstance(target, dict)
            target = target[part]
        node = target
    return node
