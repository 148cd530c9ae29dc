"""Finding and fetching cfn-guard, and reading its report, without running it."""

from __future__ import annotations

import io
import subprocess
import tarfile
import zipfile
from pathlib import Path
from typing import Any

import pytest

from keyforge import cfn_guard


def _wheel(member: str, content: bytes) -> bytes:
    bundle = io.BytesIO()
    with tarfile.open(fileobj=bundle, mode="w:gz") as tar:
        info = tarfile.TarInfo(member)
        info.size = len(content)
        tar.addfile(info, io.BytesIO(content))
    wheel = io.BytesIO()
    with zipfile.ZipFile(wheel, "w") as archive:
        archive.writestr(
            "cdklabs/cdk_validator_cfnguard/_jsii/x@0.0.62.jsii.tgz", bundle.getvalue()
        )
    return wheel.getvalue()


def test_the_binary_is_the_wheels_for_the_machine() -> None:
    wheel = _wheel("package/bin/ubuntu/x86_64/cfn-guard", b"\x7fELF")
    assert cfn_guard._binary_from_wheel(wheel, "ubuntu", "x86_64") == b"\x7fELF"
    with pytest.raises(cfn_guard.CfnGuardUnavailable, match="holds no package/bin/macos"):
        cfn_guard._binary_from_wheel(wheel, "macos", "aarch64")


def test_a_download_that_fails_says_what_was_tried(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    def no_index(command: list[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
        if "download" in command:
            assert "--require-hashes" in command
            return subprocess.CompletedProcess(command, 1, "", "ERROR: No matching distribution")
        return subprocess.CompletedProcess(command, 1, "", "")

    monkeypatch.setattr(cfn_guard.shutil, "which", lambda name: None)
    monkeypatch.setattr(cfn_guard.subprocess, "run", no_index)
    with pytest.raises(cfn_guard.CfnGuardUnavailable) as raised:
        cfn_guard.fetch(tmp_path)
    assert str(raised.value) == (
        "cfn-guard 3.1.1 comes from the wheel of cdklabs-cdk-validator-cfnguard==0.0.62 on the "
        "package index, and `pip download` could not get it: ERROR: No matching distribution"
    )
    assert cfn_guard.find(tmp_path) is None


def test_the_cache_folder_is_chosen_by_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("KEYFORGE_CACHE", str(tmp_path / "mine"))
    assert cfn_guard.cache_folder() == tmp_path / "mine"
    monkeypatch.delenv("KEYFORGE_CACHE")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cfn_guard.cache_folder() == tmp_path / "xdg" / "keyforge"


def test_a_report_gives_each_failing_rule_with_the_resources_it_names() -> None:
    report = [
        {
            "name": "t.yaml",
            "status": "FAIL",
            "not_compliant": [
                {
                    "Rule": {
                        "name": "keyforge_E9101_x",
                        "checks": [
                            {
                                "Clause": {
                                    "Binary": {
                                        "check": {
                                            "InResolved": {
                                                "from": {
                                                    "path": "/Resources/Key/Properties/KeyUsage",
                                                    "value": "X",
                                                }
                                            }
                                        }
                                    }
                                }
                            },
                            {
                                "Clause": {
                                    "Unary": {
                                        "check": {
                                            "UnResolved": {
                                                "value": {
                                                    "traversed_to": {
                                                        "path": "/Resources/Other/Properties"
                                                    }
                                                }
                                            }
                                        }
                                    }
                                }
                            },
                        ],
                    }
                }
            ],
        },
        {"name": "u.yaml", "status": "PASS", "not_compliant": []},
    ]
    assert list(cfn_guard.findings(report)) == [
        cfn_guard.GuardFinding("t.yaml", "keyforge_E9101_x", "Key"),
        cfn_guard.GuardFinding("t.yaml", "keyforge_E9101_x", "Other"),
    ]
