"""The pack is generated from the registry, all of it: every Guard family of every rule the
registry gives the Guard pack, every case of each, and nothing else."""

from __future__ import annotations

import re

import pytest

from keyforge.guard_pack import pack_rules, render
from keyforge_kms_key.keyspecs import KEY_SPECS, KEY_USAGES
from keyforge_kms_key.rules import RULES, Enforcer, guard_families
from tests.cli.helpers import run_keyforge


def test_every_guard_family_of_the_registry_is_in_the_pack_with_every_case() -> None:
    expected = [
        (rule.id, family.name, case.name)
        for rule, family in guard_families()
        for case in family.cases()
    ]
    assert [(r.rule.id, r.family.name, r.case.name) for r in pack_rules()] == expected
    carried = {rule.id for rule in RULES if Enforcer.GUARD in rule.enforcers}
    assert (
        {r.rule.id for r in pack_rules()}
        == carried
        == {"E9101", "E9102", "E9103", "E9108", "E9109"}
    )


def test_each_rule_of_the_text_is_one_of_the_pack_and_says_its_message() -> None:
    text = render()
    names = re.findall(r"^rule (\w+) \{$", text, re.MULTILINE)
    assert names == [rule.name for rule in pack_rules()]
    for rule in pack_rules():
        assert f"<<{rule.message}>>" in text
        assert rule.message.startswith(f"{rule.rule.id} ")


def test_every_invalid_pair_of_the_catalogue_has_its_rule() -> None:
    pairs = {
        (r.case.example.get("KeySpec"), r.case.example.get("KeyUsage"))
        for r in pack_rules()
        if r.family.name == "key-spec-usage"
    }
    for spec, info in KEY_SPECS.items():
        for usage in KEY_USAGES:
            assert ((spec, usage) in pairs) == (usage not in info.usages), (spec, usage)


@pytest.mark.parametrize("option", [[], ["--list"]])
def test_the_command_prints_the_pack(capsys: pytest.CaptureFixture[str], option: list[str]) -> None:
    result = run_keyforge(capsys, "guard-rules", *option)
    assert result.returncode == 0
    if option:
        assert len(result.stdout.splitlines()) == len(pack_rules())
    else:
        assert result.stdout == render()
