"""The demo's last step: the hooks and the Guard pack on two invalid templates."""

from __future__ import annotations

from pathlib import Path

import pytest

from keyforge import cfn_guard, deploy_time

ROOT = Path(__file__).resolve().parents[2]
INVALID = sorted((ROOT / "templates" / "invalid").glob("*.yaml"))
HOOK_PROJECT = ROOT / "hooks" / "key-rules"


def test_each_hook_refuses_one_template_and_passes_the_other_with_lints_sentences(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(cfn_guard, "find", lambda cache=None: None)
    lines: list[str] = []
    shown = deploy_time.at_deploy_time(INVALID, HOOK_PROJECT, lines.append)

    assert [(step.name, step.ok) for step in shown] == [
        ("hook Keyforge::KMS::KeyRules refuses E9101-ecc-p256-encrypt-decrypt.yaml", True),
        ("hook Keyforge::KMS::KeyRules passes W9111-symmetric-key-without-rotation.yaml", True),
        ("Lambda hook refuses E9101-ecc-p256-encrypt-decrypt.yaml", True),
        ("Lambda hook passes W9111-symmetric-key-without-rotation.yaml", True),
    ]
    assert shown[0].detail == (
        "FAILED NonCompliant: AWS::KMS::Key Key breaks 1 Keyforge rule: E9101 KeyUsage "
        "ENCRYPT_DECRYPT is not valid for KeySpec ECC_NIST_P256: ECC_NIST_P256 keys allow "
        "SIGN_VERIFY or KEY_AGREEMENT."
    )
    assert "Warnings: W9111 EnableKeyRotation is not set" in shown[1].detail
    (guard_line,) = [line for line in lines if "cfn-guard" in line]
    assert guard_line.startswith("  cfn-guard 3.1.1 is not on PATH nor in ")
    assert guard_line.endswith("the Guard pack's verdicts are not shown")


def test_without_the_hook_project_the_lambda_hook_is_shown_alone(tmp_path: Path) -> None:
    lines: list[str] = []
    shown = deploy_time.at_deploy_time(INVALID, tmp_path / "missing", lines.append)
    assert all(step.ok for step in shown)
    assert not any(step.name.startswith("hook ") for step in shown)
    assert any("the hook type's project is not at" in line for line in lines)


def test_without_the_two_templates_the_step_says_so() -> None:
    lines: list[str] = []
    assert deploy_time.at_deploy_time([], HOOK_PROJECT, lines.append) == []
    assert lines[-1].startswith("  skipped: E9101-ecc-p256-encrypt-decrypt.yaml and ")
