"""Every Keyforge rule has its row in src/keyforge_lint/RULES.md, and every row a rule."""

from __future__ import annotations

import re
from pathlib import Path

import keyforge_lint

RULES_MD = Path(keyforge_lint.__file__).with_name("RULES.md")


def test_the_rules_table_lists_exactly_the_rules_cfn_lint_loads() -> None:
    documented = re.findall(r"^\| ([EWI]\d{4}) +\|", RULES_MD.read_text(), flags=re.MULTILINE)
    loaded = sorted(getattr(keyforge_lint, name).id for name in keyforge_lint.__all__)

    assert sorted(documented) == loaded
