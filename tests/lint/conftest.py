"""Lint templates in this process with the Keyforge rules, as cfn-lint's own rule tests do."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from cfnlint.config import ConfigMixIn
from cfnlint.decode import decode, decode_str
from cfnlint.helpers import create_rules
from cfnlint.rules._rules import Rules
from cfnlint.rules.errors.rule import RuleError
from cfnlint.runner.template.runner import run_template_by_data

import keyforge_lint

TEMPLATES = Path(__file__).parent / "templates"
KEYFORGE_RULES = Rules.create_from_module("keyforge_lint")
# cfn-lint turns an exception in a rule into an E0002 finding, and drops it
# unless E0002 is among the rules run: run it too, so a crash fails the test.
_RULES_AND_CRASHES = Rules._from_list([*create_rules(keyforge_lint), RuleError()])


class RuleCrashed(AssertionError):
    """A Keyforge rule raised an exception (cfn-lint's E0002)."""


@dataclass(frozen=True, order=True)
class Finding:
    rule: str
    line: int
    message: str


@dataclass(frozen=True)
class Located:
    """A finding with the template path it points at (to tell resources apart)."""

    rule: str
    path: tuple[Any, ...]
    message: str

    @property
    def resource(self) -> str:
        return str(self.path[1]) if len(self.path) > 1 and self.path[0] == "Resources" else ""


def off_by_default() -> list[str]:
    """The Keyforge rules cfn-lint runs only when asked: informational ones and opt-in ones."""
    return sorted(
        rule.id
        for rule in KEYFORGE_RULES.data.values()
        if not KEYFORGE_RULES.is_rule_enabled(rule, ConfigMixIn())
    )


def _run(template: Any, regions: Sequence[str] | None, include: Sequence[str] = ()) -> list[Any]:
    # Without explicit Regions, a template's own Metadata cfn-lint config may set them.
    settings: dict[str, Any] = {"include_checks": list(include)} if include else {}
    if regions:
        settings["regions"] = list(regions)
    config = ConfigMixIn(**settings)
    matches = list(run_template_by_data(template, config, _RULES_AND_CRASHES))
    crashes = [m.message for m in matches if m.rule.id == RuleError.id]
    if crashes:
        raise RuleCrashed("; ".join(crashes))
    return matches


def lint_path(
    path: Path, regions: Sequence[str] | None = None, include: Sequence[str] = ()
) -> list[Finding]:
    """Lint a template file; `include` adds rules cfn-lint leaves out unless asked (I, opt-in)."""
    template, errors = decode(str(path))
    assert not errors, errors
    matches = _run(template, regions, include)
    return sorted(Finding(m.rule.id, m.linenumber, m.message) for m in matches)


def lint_text_by_line(
    text: str, regions: Sequence[str] | None = None, include: Sequence[str] = ()
) -> list[Finding]:
    """Lint a template given as text; findings sorted by line."""
    template, errors = decode_str(text)
    assert not errors, errors
    matches = _run(template, regions, include)
    return sorted(Finding(m.rule.id, m.linenumber, m.message) for m in matches)


def lint_text(
    text: str, regions: Sequence[str] | None = None, include: Sequence[str] = ()
) -> list[Located]:
    template, errors = decode_str(text)
    assert not errors, errors
    return [
        Located(m.rule.id, tuple(getattr(m, "path", ())), m.message)
        for m in _run(template, regions, include)
    ]


@pytest.fixture
def lint() -> Callable[[str], list[Finding]]:
    """Lint a template given as text; findings sorted by line."""

    return lint_text_by_line
