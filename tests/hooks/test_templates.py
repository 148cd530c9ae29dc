"""The templates that deploy the Lambda hook and the Guard hook: cfn-lint passes them, and they
deploy what the rest of Keyforge says (the function's handler, runtime and settings; the two key
types at create and update)."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from cfnlint.decode import decode

from keyforge_kms_key.judgement import TARGET_TYPES, FailOn

ROOT = Path(__file__).resolve().parents[2]
LAMBDA_HOOK = ROOT / "hooks" / "lambda-hook.yaml"
GUARD_HOOK = ROOT / "hooks" / "guard-hook.yaml"
TEMPLATES = (LAMBDA_HOOK, GUARD_HOOK)


def load(path: Path) -> dict[str, Any]:
    template, errors = decode(str(path))
    assert not errors, errors
    return dict(template)


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda path: path.name)
def test_cfn_lint_passes_the_template(path: Path) -> None:
    finished = subprocess.run(
        [str(Path(sys.executable).parent / "cfn-lint"), str(path)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert finished.returncode == 0, finished.stdout + finished.stderr


@pytest.mark.parametrize(
    ("path", "hook_type"),
    [
        (LAMBDA_HOOK, "AWS::CloudFormation::LambdaHook"),
        (GUARD_HOOK, "AWS::CloudFormation::GuardHook"),
    ],
    ids=["lambda", "guard"],
)
def test_the_hook_targets_both_key_types_at_create_and_update(path: Path, hook_type: str) -> None:
    (hook,) = [r for r in load(path)["Resources"].values() if r["Type"] == hook_type]
    properties = hook["Properties"]
    targets = {
        (target["TargetName"], target["Action"], target["InvocationPoint"])
        for target in properties["TargetFilters"]["Targets"]
    }
    assert targets == {
        (kind, action, "PRE_PROVISION") for kind in TARGET_TYPES for action in ("CREATE", "UPDATE")
    }
    assert properties["TargetOperations"] == ["RESOURCE"]
    assert properties["HookStatus"] == "ENABLED"


def test_the_function_runs_the_hook_bundles_lambda_handler_with_its_settings() -> None:
    template = load(LAMBDA_HOOK)
    (function,) = [
        r["Properties"]
        for r in template["Resources"].values()
        if r["Type"] == "AWS::Lambda::Function"
    ]
    config = json.loads((ROOT / "hooks" / "key-rules" / ".rpdk-config").read_text())
    assert function["Runtime"] == config["runtime"]
    module, _, name = function["Handler"].rpartition(".")
    from keyforge_kms_key.lambda_hook import handler

    assert getattr(importlib.import_module(module), name) is handler
    assert set(function["Environment"]["Variables"]) == {"FAIL_ON", "DISABLED_RULES"}
    assert template["Parameters"]["FailOn"]["AllowedValues"] == [level.value for level in FailOn]
    assert function["Timeout"] < 30, "hooks wait 30 seconds for the function"


def test_the_guard_hook_reads_the_pack_from_s3() -> None:
    template = load(GUARD_HOOK)
    (hook,) = [
        r["Properties"]
        for r in template["Resources"].values()
        if r["Type"] == "AWS::CloudFormation::GuardHook"
    ]
    assert hook["RuleLocation"] == {"Uri": {"Fn::Sub": "s3://${RulesBucket}/${RulesKey}"}}
