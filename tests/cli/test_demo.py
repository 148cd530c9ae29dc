"""`keyforge demo`: run as a user runs it, then in this process for what goes wrong."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from tests.cli.helpers import Run

ROOT = Path(__file__).resolve().parents[2]


def keyforge_script(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "keyforge.cli", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_demo_runs_every_template_to_the_end() -> None:
    completed = keyforge_script("demo", "--json")
    assert completed.returncode == 0, completed.stderr[-2000:]
    report = json.loads(completed.stdout)
    assert report["ok"] is True
    templates = sorted(p.name for p in (ROOT / "templates").glob("*.yaml"))
    assert sorted(Path(k["template"]).name for k in report["keys"]) == templates
    for key in report["keys"]:
        steps = [step["name"] for step in key["steps"]]
        assert steps[0] == "lint" and "create" in steps[1:3]
        assert "use" in steps and steps[-3:] == ["change KeySpec", "delete", "read after delete"]
        assert all(step["ok"] for step in key["steps"]), key
    by_template = {
        Path(k["template"]).name: [s["name"] for s in k["steps"]] for k in report["keys"]
    }
    imported = by_template["imported-rsa-2048-signing.yaml"]
    after_create = imported[imported.index("create") + 1 :]
    assert after_create[:4] == [
        "stack tags",
        "import key material",
        "read after import",
        "imported material in use",
    ]
    assert all("stack tags" in steps for steps in by_template.values())
    # Before the roles a key names exist, its CREATE is refused at once and no key is made.
    refusals = [s for k in report["keys"] for s in k["steps"] if s["name"] == "principals"]
    assert refusals and all("no key made" in s["detail"] for s in refusals)
    roles = {s["detail"].split(" exist:")[0] for s in refusals}
    assert any("role/KeyAdmin" in named for named in roles)
    assert "rotate on demand" in by_template["symmetric-encryption.yaml"]
    multi_region = by_template["multi-region-symmetric.yaml"]
    assert multi_region.count("use across Regions") == 2
    assert "replicas after update" in multi_region
    invalid = report["invalid_templates"]
    assert len(invalid) == len(list((ROOT / "templates" / "invalid").glob("*.yaml")))
    for entry in invalid:
        rule = Path(entry["template"]).name.split("-")[0]
        assert [f["rule"] for f in entry["findings"]] == [rule]
    # At deploy time, the hook type, the Lambda hook and (when it is there) cfn-guard refuse the
    # E9101 template and pass the W9111 one, as lint does.
    deploy = report["deploy_time"]
    assert deploy and all(step["ok"] for step in deploy)
    assert [step["name"].split(" E9101")[0] for step in deploy[:1]] == [
        "hook Keyforge::KMS::KeyRules refuses"
    ]


def test_demo_fails_when_a_step_does_not_do_what_it_should(tmp_path: Path, keyforge: Run) -> None:
    shutil.copy(ROOT / "templates" / "hmac-256.yaml", tmp_path / "hmac.yaml")
    (tmp_path / "invalid").mkdir()
    # A template lint must stop, which is in fact valid: the demo must report the miss.
    shutil.copy(ROOT / "templates" / "symmetric-encryption.yaml", tmp_path / "invalid" / "ok.yaml")
    completed = keyforge("demo", "--templates", str(tmp_path))
    assert completed.returncode == 1
    assert "MISSED" in completed.stdout
    assert "1 of 1 keys went through their whole lifecycle" in completed.stdout


def test_demo_without_templates_is_one_clear_line(tmp_path: Path, keyforge: Run) -> None:
    completed = keyforge("demo", "--templates", str(tmp_path / "missing"))
    assert completed.returncode == 2
    assert completed.stderr.strip().splitlines() == [
        f"keyforge demo: no templates in {tmp_path / 'missing'}"
    ]
