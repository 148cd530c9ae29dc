"""Keyforge beside the other scanners' KMS checks, on committed examples.

Each template in tests/lint/templates/peers/ is an example for one peer check,
described in its ``Metadata: Peer``: the check, the example, what the peer's
published rule does with it (``Verdict``), and the Keyforge rules that must
report it (``Keyforge``, linted as ``--include-checks I`` does; ``KeyforgeOptIn``
with the opt-in rule too). Each peer check has a true problem Keyforge reports
and, beside it, the peer's false alarm (or the fixed template) that Keyforge
leaves alone. The README's side-by-side table is made from these templates and
what Keyforge reports on them, and a test holds the two equal.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from cfnlint.decode import decode

from keyforge.template_lint import lint_templates
from tests.lint.conftest import TEMPLATES, lint_path, off_by_default

ROOT = Path(__file__).resolve().parents[2]
PEERS = TEMPLATES / "peers"
EXAMPLES = sorted(PEERS.glob("*.yaml"))
README = ROOT / "README.md"
# Keyforge as a pipeline that wants its informational findings too runs it.
INFORMATIONAL = ["I"]
OPT_IN = ["I", *off_by_default()]

# The peer checks, in the README's order (the table, row by row).
CHECKS = (
    "checkov CKV_AWS_7 (rotation)",
    "checkov CKV_AWS_33 (wildcard principal)",
    "KICS KMS key rotation disabled",
    "KICS KMS allows full permissions (kms:* without Condition)",
    "KICS CMK unusable",
    "cfn_nag F19 (rotation)",
    "cfn_nag F76 (wildcard principal)",
    "Trivy AWS-0065 (rotation)",
    "Control Tower CT.KMS.PR.1 (rotation)",
    "Control Tower CT.KMS.PR.2 (RSA_2048 for encryption)",
    "Control Tower CT.KMS.PR.3 (CreateGrant for AWS resources)",
    "Guard rules registry, KMS rotation",
    "Guard rules registry, KMS wildcard principal",
    "Security Hub KMS.4 (rotation, on deployed keys)",
    "Security Hub KMS.5 (public key, on deployed keys)",
)
# A peer check whose findings are all false alarms or choices: Keyforge reports none of them.
NOTHING_TRUE = {"KICS CMK unusable"}
# What a template is, by the end of its name, in the README's order.
KINDS = ("problem", "flagged", "choice", "disabled", "false-alarm", "fixed")


@dataclass(frozen=True)
class Example:
    path: Path
    check: str
    example: str
    verdict: str
    keyforge: tuple[str, ...]
    opt_in: tuple[str, ...] | None

    @property
    def kind(self) -> str:
        return next(kind for kind in KINDS if self.path.stem.endswith(f"-{kind}"))

    @property
    def order(self) -> tuple[int, int]:
        return CHECKS.index(self.check), KINDS.index(self.kind)


@cache
def examples() -> tuple[Example, ...]:
    found = []
    for path in EXAMPLES:
        template, errors = decode(str(path))
        assert not errors, errors
        peer: dict[str, Any] = template["Metadata"]["Peer"]
        opt_in = peer.get("KeyforgeOptIn")
        found.append(
            Example(
                path,
                str(peer["Check"]),
                str(peer["Example"]),
                str(peer["Verdict"]),
                tuple(peer["Keyforge"]),
                tuple(opt_in) if opt_in is not None else None,
            )
        )
    return tuple(sorted(found, key=lambda e: e.order))


def reported(path: Path, include: list[str]) -> tuple[str, ...]:
    """The Keyforge rules that report the template, each once, sorted."""
    return tuple(sorted({finding.rule for finding in lint_path(path, include=include)}))


@pytest.mark.parametrize("example", examples(), ids=lambda e: e.path.stem)
def test_keyforge_reports_exactly_the_true_problems(example: Example) -> None:
    assert reported(example.path, INFORMATIONAL) == tuple(sorted(example.keyforge))
    if example.opt_in is not None:
        assert reported(example.path, OPT_IN) == tuple(sorted(example.opt_in))


def test_every_peer_check_has_a_true_problem_and_its_counterpart() -> None:
    by_check: dict[str, list[Example]] = {}
    for example in examples():
        assert example.check in CHECKS, example.path.name
        by_check.setdefault(example.check, []).append(example)
    assert set(by_check) == set(CHECKS)
    for check, found in by_check.items():
        flagged = [e for e in found if e.keyforge or e.opt_in]
        left_alone = [e for e in found if not e.keyforge]
        assert left_alone, f"{check}: no false alarm or fixed template beside the problem"
        if check in NOTHING_TRUE:
            assert not flagged, check
        else:
            assert flagged, f"{check}: no true problem Keyforge reports"


def test_the_false_alarms_are_false_alarms_and_the_problems_are_problems() -> None:
    for example in examples():
        if example.kind == "false-alarm":
            assert example.verdict == "flags (false alarm)" and not example.keyforge
        if example.kind in ("problem", "flagged"):
            assert example.keyforge, example.path.name


def test_cfn_lints_own_rules_accept_every_example() -> None:
    # One cfn-lint run, as a pipeline makes it: only Keyforge's rules report anything.
    findings = lint_templates(EXAMPLES)
    others = {f.rule for found in findings.values() for f in found if f.rule[1:3] != "91"}
    assert others == set()


# --- The README's table ------------------------------------------------------------------


def keyforge_cell(example: Example) -> str:
    found = reported(example.path, INFORMATIONAL)
    cell = ", ".join(found) if found else "nothing"
    if example.opt_in is not None:
        extra = sorted(set(reported(example.path, OPT_IN)) - set(found))
        if extra:
            cell += f"; {', '.join(extra)} when included (`--include-checks {extra[0]}`)"
    return cell


def table_rows() -> list[str]:
    rows = []
    for example in examples():
        link = example.path.relative_to(ROOT).as_posix()
        rows.append(
            f"| {example.check} | [{example.example}]({link}) | {example.verdict} "
            f"| {keyforge_cell(example)} |"
        )
    return rows


def readme_rows() -> list[str]:
    text = README.read_text()
    section = text.split("### Beside other scanners", 1)[1].split("\n#", 1)[0]
    return [
        line
        for line in section.splitlines()
        if line.startswith("| ") and not re.match(r"\| (Peer check|---)", line)
    ]


def test_the_readme_table_is_what_keyforge_reports_on_the_examples() -> None:
    assert readme_rows() == table_rows()


pytestmark = pytest.mark.xdist_group("peer-examples")
