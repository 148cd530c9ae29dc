"""Loading the rules the ways the docs promise; what a pipeline sees: exit codes, JSON, SARIF."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
CFN_LINT = str(Path(sys.executable).parent / "cfn-lint")
ERROR_AND_WARNING = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Key:
    Type: AWS::KMS::Key
    Properties:
      Description: Owned by ops@example.com
      KeySpec: HMAC_256
      KeyUsage: SIGN_VERIFY
"""
CLEAN = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Key:
    Type: AWS::KMS::Key
    Properties:
      KeySpec: HMAC_256
      KeyUsage: GENERATE_VERIFY_MAC
"""


def _run(command: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)


def test_append_rules_by_module_name_with_json_output_and_exit_bits(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text(ERROR_AND_WARNING)
    run = _run([CFN_LINT, "bad.yaml", "-a", "keyforge_lint", "--format", "json"], tmp_path)
    assert run.returncode == 2 | 4, run.stderr
    matches = json.loads(run.stdout)
    found = [(m["Rule"]["Id"], m["Location"]["Start"]["LineNumber"]) for m in matches]
    assert sorted(found) == [("E9101", 8), ("W9106", 6)]


def test_cfnlintrc_append_rules_with_sarif_output(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text(ERROR_AND_WARNING)
    (tmp_path / "clean.yaml").write_text(CLEAN)
    (tmp_path / ".cfnlintrc").write_text("append_rules:\n  - keyforge_lint\n")
    run = _run([CFN_LINT, "--format", "sarif", "--", "bad.yaml", "clean.yaml"], tmp_path)
    assert run.returncode == 2 | 4, run.stderr
    sarif = json.loads(run.stdout)
    results = sarif["runs"][0]["results"]
    assert sorted(r["ruleId"] for r in results) == ["E9101", "W9106"]
    # SARIF leaves out "level" when it is the default, "warning".
    assert sorted(r.get("level", "warning") for r in results) == ["error", "warning"]


def test_module_entry_point_adds_the_schema_and_the_rules(tmp_path: Path) -> None:
    example = sorted((ROOT / "templates").glob("*.yaml"))[0]
    clean = _run([sys.executable, "-m", "keyforge_lint", str(example)], tmp_path)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    invalid = ROOT / "templates" / "invalid" / "E9101-hmac-256-sign-verify.yaml"
    command = [sys.executable, "-m", "keyforge_lint", str(invalid), "--format", "parseable"]
    run = _run(command, tmp_path)
    assert run.returncode == 2, run.stdout + run.stderr
    assert [line.split(":")[5] for line in run.stdout.splitlines()] == ["E9101"]


def test_pre_commit_hook_runs_the_module_entry_point() -> None:
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert hook["id"] == "keyforge-lint"
    assert hook["entry"] == "python -m keyforge_lint"
    assert hook["language"] == "python"


def test_informational_and_opt_in_rules_run_when_included(tmp_path: Path) -> None:
    peers = ROOT / "tests" / "lint" / "templates" / "peers"
    templates = [
        str(peers / "control-tower-kms-pr-2-problem.yaml"),
        str(peers / "control-tower-kms-pr-3-choice.yaml"),
    ]
    command = [sys.executable, "-m", "keyforge_lint", "--format", "json"]
    by_default = _run([*command, "--", *templates], tmp_path)
    assert by_default.returncode == 0, by_default.stdout + by_default.stderr
    included = _run([*command, "--include-checks", "I", "W9116", "--", *templates], tmp_path)
    found = {m["Rule"]["Id"] for m in json.loads(included.stdout)}
    assert {"I9115", "W9116"} <= found
    assert included.returncode == 4 | 8, included.stderr
