"""The project's templates through all of cfn-lint plus the Keyforge rules, as a pipeline runs it.

Every template in templates/ lints clean; every template in templates/invalid/
gives exactly one finding, from the rule its name begins with
(``E9101-ecc-p256-encrypt-decrypt.yaml`` must give one E9101 finding).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from keyforge.template_lint import Finding, lint_templates

ROOT = Path(__file__).resolve().parents[2] / "templates"
SUFFIXES = (".yaml", ".yml", ".json", ".template")
EXAMPLES = sorted(p for p in ROOT.glob("*") if p.suffix in SUFFIXES)
INVALID = sorted(p for p in (ROOT / "invalid").glob("*") if p.suffix in SUFFIXES)
PROMISE = re.compile(r"^(?P<rule>[EW]9\d{3})-[a-z0-9-]+$")


# One cfn-lint run serves the module's tests: on one worker, so that it runs once.
pytestmark = pytest.mark.xdist_group("example-templates")


@pytest.fixture(scope="module")
def findings() -> dict[str, list[Finding]]:
    return lint_templates(EXAMPLES + INVALID)


@pytest.mark.parametrize("template", EXAMPLES, ids=lambda p: p.name)
def test_example_template_lints_clean(template: Path, findings: dict[str, list[Finding]]) -> None:
    assert findings.get(str(template), []) == []


@pytest.mark.parametrize("template", INVALID, ids=lambda p: p.name)
def test_invalid_template_gives_exactly_its_promised_finding(
    template: Path, findings: dict[str, list[Finding]]
) -> None:
    promise = PROMISE.match(template.stem)
    assert promise, f"{template.name}: name it <rule id>-<what is wrong>{template.suffix}"
    found = findings.get(str(template), [])
    assert [f.rule for f in found] == [promise["rule"]], found


def test_every_keyforge_rule_has_an_invalid_template() -> None:
    """Each rule cfn-lint runs by default; the informational and opt-in ones, which a
    pipeline (and the demo) does not run unless asked, have their bad templates in
    tests/lint/templates/bad."""
    from tests.lint.conftest import KEYFORGE_RULES, off_by_default

    promised = {match["rule"] for p in INVALID if (match := PROMISE.match(p.stem))}
    assert promised == set(KEYFORGE_RULES.data) - set(off_by_default())
