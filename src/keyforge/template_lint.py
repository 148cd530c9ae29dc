"""Lint templates with cfn-lint and the Keyforge rules, as a pipeline would."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Finding:
    rule: str
    line: int
    message: str


def lint_command(templates: list[Path]) -> list[str]:
    """`python -m keyforge_lint`, which adds the rules and the schema, as a pipeline runs it."""
    return [sys.executable, "-m", "keyforge_lint", "--format", "json", "--", *map(str, templates)]


def lint_templates(templates: list[Path]) -> dict[str, list[Finding]]:
    """Findings per template path, in one cfn-lint run."""
    if not templates:
        return {}
    completed = subprocess.run(lint_command(templates), capture_output=True, text=True, check=False)
    if completed.returncode == 1 or not completed.stdout.strip():
        raise RuntimeError(f"cfn-lint failed: {completed.stderr.strip() or completed.stdout}")
    findings: dict[str, list[Finding]] = {}
    for match in json.loads(completed.stdout):
        finding = Finding(
            rule=match["Rule"]["Id"],
            line=int(match["Location"]["Start"]["LineNumber"]),
            message=match["Message"],
        )
        findings.setdefault(match["Filename"], []).append(finding)
    return findings
