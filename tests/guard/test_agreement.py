"""The real cfn-guard, running the pack, agrees with lint on every family the pack carries.

For every key of the grids (every KeySpec with every KeyUsage; rotation and origin on every key
spec; key policies with statements of every shape), on both key types: cfn-guard flags a family
for a key exactly when lint reports one of that family's sentences for it. The same keys as a
Guard hook's input (Resources.<id>.ResourceType and .ResourceProperties, booleans and numbers as
the text CloudFormation sends) get the verdicts lint gives their template. And for every
template of templates/ and templates/invalid/, cfn-guard and lint flag the same families on the
same resources (outside the China Regions, where imported key material is the hooks' to judge).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
import yaml

from keyforge import cfn_guard
from keyforge.guard_pack import pack_rules
from keyforge_kms_key.keyspecs import is_china_region
from tests.enforcers import (
    ROOT,
    Properties,
    chunks,
    families_of,
    holds_intrinsic,
    hook_input_of,
    keys_of,
    lint,
    pairs,
    policies,
    rotations,
    template_of,
)

Flags = set[tuple[str, str, str]]  # (resource, rule id, family)
GRIDS: dict[str, Callable[[], Iterator[Properties]]] = {
    "pairs": pairs,
    "rotation-and-origin": rotations,
    "key-policies": policies,
}
BY_NAME = {rule.name: (rule.rule.id, rule.family.name) for rule in pack_rules()}


def guard_flags(binary: Path, pack: Path, data: Path) -> Flags:
    found = cfn_guard.validate(binary, pack, [data])
    assert {finding.rule for finding in found} <= set(BY_NAME)
    return {(f.resource, *BY_NAME[f.rule]) for f in found}


def lint_flags(template: Mapping[str, Any] | Path, regions: list[str] | None = None) -> Flags:
    return {
        (finding.resource, *family)
        for finding in lint(template, regions)
        for family in families_of(finding.rule, finding.message)
    }


def disagreements(
    keys: Mapping[str, tuple[str, Properties]], guard: Flags, linted: Flags
) -> list[str]:
    return [
        f"{resource} {keys[resource][0]} {json.dumps(keys[resource][1])}: {rule_id} {family} "
        + ("Guard only" if (resource, rule_id, family) in guard else "lint only")
        for resource, rule_id, family in sorted(guard ^ linted)
    ]


@pytest.mark.parametrize("grid", sorted(GRIDS))
def test_guard_flags_a_family_exactly_where_lint_does_on_templates(
    guard_binary: Path, pack: Path, tmp_path: Path, grid: str
) -> None:
    keys = keys_of(GRIDS[grid]())
    flagged = 0
    for index, chunk in enumerate(chunks(keys)):
        data = tmp_path / f"{grid}-{index}.json"
        template = template_of(chunk)
        data.write_text(json.dumps(template))
        guard, linted = guard_flags(guard_binary, pack, data), lint_flags(template, ["us-east-1"])
        assert disagreements(chunk, guard, linted) == []
        flagged += len(guard)
    assert flagged > 0


@pytest.mark.parametrize("grid", sorted(GRIDS))
def test_guard_judges_a_guard_hooks_input_as_lint_judges_the_template(
    guard_binary: Path, pack: Path, tmp_path: Path, grid: str
) -> None:
    keys = {
        name: key for name, key in keys_of(GRIDS[grid]()).items() if not holds_intrinsic(key[1])
    }
    for index, chunk in enumerate(chunks(keys)):
        data = tmp_path / f"{grid}-hook-{index}.json"
        data.write_text(json.dumps(hook_input_of(chunk)))
        guard = guard_flags(guard_binary, pack, data)
        linted = lint_flags(template_of(chunk), ["us-east-1"])
        assert disagreements(chunk, guard, linted) == []


TEMPLATES = sorted((ROOT / "templates").glob("*.yaml")) + sorted(
    (ROOT / "templates" / "invalid").glob("*.yaml")
)


def _linted_regions(path: Path) -> list[str]:
    """The Regions a template asks cfn-lint to lint it for (its Metadata), else cfn-lint's."""
    text = path.read_text()
    try:
        document = yaml.load(text, Loader=_Tagless)
    except yaml.YAMLError:
        return ["us-east-1"]
    config = (document or {}).get("Metadata", {}).get("cfn-lint", {}).get("config", {})
    return list(config.get("regions") or ["us-east-1"])


class _Tagless(yaml.SafeLoader):
    """YAML with CloudFormation's short-form tags read as plain values."""


_Tagless.add_multi_constructor("!", lambda loader, suffix, node: None)


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda path: path.relative_to(ROOT).as_posix())
def test_guard_and_lint_agree_on_the_example_templates(
    guard_binary: Path, pack: Path, path: Path
) -> None:
    guard = guard_flags(guard_binary, pack, path)
    linted = lint_flags(path)
    if any(is_china_region(region) for region in _linted_regions(path)):
        # Imported key material in the China Regions is judged by the hooks, not the pack.
        guard = {flag for flag in guard if flag[2] != "origin"}
        linted = {flag for flag in linted if flag[2] != "origin"}
    assert guard == linted


@pytest.mark.parametrize(
    "name",
    [
        "E9101-ecc-p256-encrypt-decrypt.yaml",
        "E9101-hmac-256-sign-verify.yaml",
        "E9102-rsa-2048-rotation.yaml",
        "E9103-ml-dsa-external-origin.yaml",
    ],
)
def test_guard_catches_the_invalid_templates_of_its_families(
    guard_binary: Path, pack: Path, name: str
) -> None:
    flags = guard_flags(guard_binary, pack, ROOT / "templates" / "invalid" / name)
    assert {rule_id for _, rule_id, _ in flags} == {name.split("-")[0]}
