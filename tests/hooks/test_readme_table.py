"""README's table of which rules each enforcer carries says what the rule registry says."""

from __future__ import annotations

import re
from pathlib import Path

from keyforge_kms_key.rules import RULES, Enforcer

README = Path(__file__).resolve().parents[2] / "README.md"
COLUMNS = (Enforcer.HANDLER, Enforcer.LINT, Enforcer.HOOK, Enforcer.GUARD)


def table() -> dict[str, list[str]]:
    text = README.read_text()
    section = text.split("### Which rules each enforcer carries", 1)[1].split("\n\n", 2)[1]
    rows = {}
    for line in section.splitlines()[2:]:
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        rows[re.split(r"[ :]", cells[0])[0]] = cells[1:]
    return rows


def test_each_registry_rule_has_its_row_and_each_cell_says_whether_the_enforcer_carries_it() -> (
    None
):
    rows = table()
    for rule in RULES:
        assert rule.id in rows, rule.id
        for enforcer, cell in zip(COLUMNS, rows[rule.id], strict=True):
            carried = not cell.startswith("no")
            assert carried == (enforcer in rule.enforcers), (rule.id, enforcer.value, cell)


def test_the_rules_outside_the_registry_are_lints_alone() -> None:
    rows = table()
    outside = [row for name, row in rows.items() if name not in {rule.id for rule in RULES}]
    assert outside and all(row[1] == "yes" and row[2:] == ["no", "no"] for row in outside)
