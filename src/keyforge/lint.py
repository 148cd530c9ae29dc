"""Lint templates with cfn-lint and the Keyforge rules, as a pipeline would."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

LINT_RUNNER = "import sys; from cfnlint.runner import main; sys.exit(main())"


@dataclass(frozen=True)
class Finding:
    rule: str
    line: int
    message: str


def registry_schemas_folder() -> str:
    """The folder holding Keyforge::KMS::Key's schema, so cfn-lint knows the type exists."""
    return str(resources.files("keyforge_kms_key"))


def lint_command(templates: list[Path]) -> list[str]:
    return [
        sys.executable,
        "-c",
        LINT_RUNNER,
        "--format",
        "json",
        "--registry-schemas",
        registry_schemas_folder(),
        "--append-rules",
        "keyforge_lint",
        "--",
        *map(str, templates),
    ]


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
