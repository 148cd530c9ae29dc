"""`keyforge check-update OLD NEW`: the KMS keys a stack update would fail on or delete."""

from __future__ import annotations

import json
import subprocess
import textwrap
from pathlib import Path
from typing import Any

import pytest

from keyforge.cli import main
from tests.cli.helpers import KEYFORGE, run_keyforge


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(textwrap.dedent(text).lstrip())
    return path


def write_json(folder: Path, name: str, template: dict[str, Any]) -> Path:
    path = folder / name
    path.write_text(json.dumps(template, indent=2))
    return path


def check(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, list[str], str]:
    """Exit code, stdout lines and stderr of `keyforge check-update ARGS`."""
    completed = run_keyforge(capsys, "check-update", *(str(arg) for arg in args))
    return completed.returncode, completed.stdout.splitlines(), completed.stderr


OLD_YAML = """
Parameters:
  Spec:
    Type: String
    Default: RSA_2048
Conditions:
  Prod: !Equals [!Ref "AWS::AccountId", "111122223333"]
Resources:
  Data:
    Type: AWS::KMS::Key
    Properties:
      Description: !Sub "data of ${AWS::StackName}"
      EnableKeyRotation: true
  Signing:
    Type: Keyforge::KMS::Key
    Properties:
      KeySpec: !Ref Spec
      KeyUsage: !If [Prod, SIGN_VERIFY, !Ref "AWS::NoValue"]
      MultiRegion: true
  Mac:
    Type: AWS::KMS::Key
    Properties:
      KeySpec: HMAC_256
      KeyUsage: GENERATE_VERIFY_MAC
      Origin: EXTERNAL
  Bucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketEncryption: !Ref "AWS::NoValue"
"""


def new_json(**changes: Any) -> dict[str, Any]:
    """OLD_YAML written as JSON with every default spelled out; `changes` replace resources."""
    resources: dict[str, Any] = {
        "Data": {
            "Type": "AWS::KMS::Key",
            "Properties": {
                "Description": {"Fn::Sub": "data of ${AWS::StackName}"},
                "EnableKeyRotation": False,
                "KeySpec": "SYMMETRIC_DEFAULT",
                "KeyUsage": "ENCRYPT_DECRYPT",
                "Origin": "AWS_KMS",
                "MultiRegion": "false",
            },
        },
        "Signing": {
            "Type": "Keyforge::KMS::Key",
            "Properties": {
                "KeySpec": {"Ref": "Spec"},
                "KeyUsage": {"Fn::If": ["Prod", "SIGN_VERIFY", {"Ref": "AWS::NoValue"}]},
                "MultiRegion": "true",
            },
        },
        "Mac": {
            "Type": "AWS::KMS::Key",
            "Properties": {
                "KeySpec": "HMAC_256",
                "KeyUsage": "GENERATE_VERIFY_MAC",
                "Origin": "EXTERNAL",
            },
        },
    }
    for logical_id, resource in changes.items():
        if resource is None:
            del resources[logical_id]
        else:
            resources[logical_id] = resource
    return {"Parameters": {"Spec": {"Type": "String"}}, "Resources": resources}


def test_spelling_out_defaults_and_the_same_intrinsics_in_json_is_no_change(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = write(tmp_path, "old.yaml", OLD_YAML)
    new = write_json(tmp_path, "new.json", new_json())
    assert check(capsys, old, new) == (
        0,
        ["No change to the 3 KMS key(s) fails the update or deletes a key."],
        "",
    )


@pytest.mark.parametrize(
    ("logical_id", "properties", "line"),
    [
        (
            "Data",
            {"KeySpec": "RSA_2048", "KeyUsage": "SIGN_VERIFY"},
            "Data: KeySpec SYMMETRIC_DEFAULT (default) -> RSA_2048: the update fails: KMS cannot "
            "change a key's KeySpec and AWS::KMS::Key does not replace a key; keep "
            "SYMMETRIC_DEFAULT (default) or add a new key under a new logical id",
        ),
        (
            "Data",
            {"KeySpec": "RSA_2048", "KeyUsage": "SIGN_VERIFY"},
            "Data: KeyUsage ENCRYPT_DECRYPT (default) -> SIGN_VERIFY: the update fails: KMS "
            "cannot change a key's KeyUsage and AWS::KMS::Key does not replace a key; keep "
            "ENCRYPT_DECRYPT (default) or add a new key under a new logical id",
        ),
        (
            "Mac",
            {"KeySpec": "HMAC_256", "KeyUsage": "GENERATE_VERIFY_MAC"},
            "Mac: Origin EXTERNAL -> AWS_KMS (default): the update fails: KMS cannot change a "
            "key's Origin and AWS::KMS::Key does not replace a key; keep EXTERNAL or add a new "
            "key under a new logical id",
        ),
        (
            "Mac",
            {
                "KeySpec": "HMAC_256",
                "KeyUsage": "GENERATE_VERIFY_MAC",
                "Origin": "EXTERNAL",
                "MultiRegion": True,
            },
            "Mac: MultiRegion false (default) -> true: the update fails: KMS cannot change a "
            "key's MultiRegion and AWS::KMS::Key does not replace a key; keep false (default) "
            "or add a new key under a new logical id",
        ),
    ],
)
def test_a_change_of_an_immutable_property_fails_the_update(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    logical_id: str,
    properties: dict[str, Any],
    line: str,
) -> None:
    old = write(tmp_path, "old.yaml", OLD_YAML)
    resource = {"Type": "AWS::KMS::Key", "Properties": properties}
    new = write_json(tmp_path, "new.json", new_json(**{logical_id: resource}))
    code, out, err = check(capsys, old, new)
    assert code == 1
    assert line in out
    assert out[-1].startswith(f"{len(out) - 1} finding(s) on 3 KMS key(s): {len(out) - 1} fails")
    assert err == ""


def test_a_keyforge_key_names_its_own_type_and_every_changed_property(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = write(tmp_path, "old.yaml", OLD_YAML)
    signing = {
        "Type": "Keyforge::KMS::Key",
        "Properties": {"KeySpec": "ECC_NIST_P256", "KeyUsage": "SIGN_VERIFY"},
    }
    new = write_json(tmp_path, "new.json", new_json(Signing=signing))
    code, out, _ = check(capsys, old, new)
    assert code == 1
    assert out == [
        'Signing: KeySpec {"Ref":"Spec"} -> ECC_NIST_P256: may change: the value is only known '
        "at deploy; if it differs, the update fails (KeySpec cannot change after a key is "
        "created)",
        'Signing: KeyUsage {"Fn::If":["Prod","SIGN_VERIFY",{"Ref":"AWS::NoValue"}]} -> '
        "SIGN_VERIFY: may change: the value is only known at deploy; if it differs, the update "
        "fails (KeyUsage cannot change after a key is created)",
        "Signing: MultiRegion true -> false (default): the update fails: KMS cannot change a "
        "key's MultiRegion and Keyforge::KMS::Key does not replace a key; keep true or add a "
        "new key under a new logical id",
        "3 finding(s) on 3 KMS key(s): 1 fails, 2 may-fail.",
    ]


def test_a_change_that_depends_on_deploy_values_fails_only_with_strict(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = write(tmp_path, "old.yaml", OLD_YAML)
    signing = {
        "Type": "Keyforge::KMS::Key",
        "Properties": {
            "KeySpec": {"Ref": "OtherSpec"},
            "KeyUsage": {"Fn::If": ["Prod", "SIGN_VERIFY", {"Ref": "AWS::NoValue"}]},
            "MultiRegion": True,
        },
    }
    new = write_json(tmp_path, "new.json", new_json(Signing=signing))
    code, out, _ = check(capsys, old, new)
    assert (code, len(out)) == (0, 2)
    assert out[0].startswith('Signing: KeySpec {"Ref":"Spec"} -> {"Ref":"OtherSpec"}: may change')
    assert out[1] == "1 finding(s) on 3 KMS key(s): 1 may-fail."
    assert check(capsys, old, new, "--strict")[0] == 1


def test_a_removed_key_is_scheduled_for_deletion_unless_retained(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = write(
        tmp_path,
        "old.yaml",
        """
        Parameters:
          Window: {Type: Number, Default: 7}
        Resources:
          Short:
            Type: AWS::KMS::Key
            Properties: {PendingWindowInDays: 7}
          Default:
            Type: Keyforge::KMS::Key
          FromParameter:
            Type: AWS::KMS::Key
            Properties:
              PendingWindowInDays: !Ref Window
          Kept:
            Type: AWS::KMS::Key
            DeletionPolicy: Retain
          Stays:
            Type: AWS::KMS::Key
          Bucket:
            Type: AWS::S3::Bucket
        """,
    )
    new = write(
        tmp_path,
        "new.yaml",
        """
        Resources:
          Stays:
            Type: AWS::KMS::Key
        """,
    )
    code, out, _ = check(capsys, old, new)
    assert code == 1
    lost = "the key and everything encrypted under it are lost unless the deletion is cancelled"
    assert out == [
        "Short: removed: the AWS::KMS::Key will be scheduled for deletion; after 7 days "
        f"(PendingWindowInDays 7) {lost}",
        "Default: removed: the Keyforge::KMS::Key will be scheduled for deletion; after 30 days "
        f"(PendingWindowInDays not set: the default) {lost}",
        "FromParameter: removed: the AWS::KMS::Key will be scheduled for deletion; after "
        f'PendingWindowInDays {{"Ref":"Window"}} days, known at deploy {lost}',
        "Kept: removed: DeletionPolicy Retain keeps the AWS::KMS::Key in KMS, outside the stack",
        "4 finding(s) on 5 KMS key(s): 3 deletes, 1 retained.",
    ]


def test_only_retained_keys_removed_is_not_a_failure(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = write(
        tmp_path,
        "old.yaml",
        """
        Resources:
          Kept:
            Type: Keyforge::KMS::Key
            DeletionPolicy: RetainExceptOnCreate
        """,
    )
    new = write(tmp_path, "new.yaml", "Resources:\n  Bucket:\n    Type: AWS::S3::Bucket\n")
    code, out, _ = check(capsys, old, new)
    assert code == 0
    assert out[0].startswith("Kept: removed: DeletionPolicy RetainExceptOnCreate keeps")


def test_a_type_change_between_the_two_key_types_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = write(tmp_path, "old.yaml", OLD_YAML)
    mac = {
        "Type": "Keyforge::KMS::Key",
        "Properties": {
            "KeySpec": "HMAC_256",
            "KeyUsage": "GENERATE_VERIFY_MAC",
            "Origin": "EXTERNAL",
        },
    }
    new = write_json(tmp_path, "new.json", new_json(Mac=mac))
    code, out, _ = check(capsys, old, new)
    assert code == 1
    assert out == [
        "Mac: Type AWS::KMS::Key -> Keyforge::KMS::Key: the update fails: CloudFormation does not "
        "change a resource's type; the key would have to leave the stack (DeletionPolicy "
        "Retain) and be imported as Keyforge::KMS::Key",
        "1 finding(s) on 3 KMS key(s): 1 fails.",
    ]


def test_a_new_condition_on_a_key_may_delete_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = write(tmp_path, "old.yaml", OLD_YAML)
    data = new_json()["Resources"]["Data"] | {"Condition": "Prod"}
    new = write_json(tmp_path, "new.json", new_json(Data=data))
    code, out, _ = check(capsys, old, new)
    assert code == 0
    assert out[0] == (
        "Data: Condition none -> Prod: may be deleted: if the condition is false at deploy, "
        "the key is scheduled for deletion"
    )


def test_json_output_for_pipelines(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old = write(tmp_path, "old.yaml", OLD_YAML)
    data = {"Type": "AWS::KMS::Key", "Properties": {"MultiRegion": "TRUE"}}
    new = write_json(tmp_path, "new.json", new_json(Data=data, Mac=None))
    code = main(["check-update", str(old), str(new), "--json"])
    document = json.loads(capsys.readouterr().out)
    assert code == 1
    assert document["ok"] is False
    assert document["keys"] == 3
    assert [
        {key: finding[key] for key in ("logical_id", "type", "outcome", "property", "old", "new")}
        for finding in document["findings"]
    ] == [
        {
            "logical_id": "Data",
            "type": "AWS::KMS::Key",
            "outcome": "fails",
            "property": "MultiRegion",
            "old": False,
            "new": True,
        },
        {
            "logical_id": "Mac",
            "type": "AWS::KMS::Key",
            "outcome": "deletes",
            "property": None,
            "old": None,
            "new": None,
        },
    ]
    assert document["findings"][1]["pending_window_in_days"] == 30


def test_json_output_when_nothing_changes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = write(tmp_path, "old.yaml", OLD_YAML)
    assert main(["check-update", str(old), str(old), "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document == {
        "old_template": str(old),
        "new_template": str(old),
        "keys": 3,
        "ok": True,
        "findings": [],
    }


@pytest.mark.parametrize(
    ("name", "text", "reason"),
    [
        ("missing.yaml", None, "no such file"),
        ("broken.yaml", "Resources:\n  Key: [\n    Type\n", "4: did not find expected ',' or ']'"),
        (
            "broken.json",
            '{"Resources": {"Key": {"Type": "AWS::KMS::Key"}}\n',
            "2: did not find expected ',' or '}'",
        ),
        ("list.yaml", "- Resources\n", "not a CloudFormation template"),
        ("resources.yaml", "Resources: [Key]\n", "Resources is not a mapping"),
        (
            "properties.yaml",
            "Resources:\n  Key:\n    Type: AWS::KMS::Key\n    Properties: text\n",
            "Resources.Key.Properties is not a mapping",
        ),
    ],
)
def test_an_unreadable_template_is_one_line_and_exit_2(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    name: str,
    text: str | None,
    reason: str,
) -> None:
    good = write(tmp_path, "good.yaml", OLD_YAML)
    bad = tmp_path / name
    if text is not None:
        bad.write_text(text)
    for args in ((bad, good), (good, bad)):
        if name == "properties.yaml" and args[0] == good:
            continue  # a new template's key with bad Properties is only read when it was a key
        code, out, err = check(capsys, *args)
        assert (code, out) == (2, [])
        assert len(err.splitlines()) == 1
        assert err.startswith(f"keyforge check-update: {bad}")
        assert reason in err
        assert "Traceback" not in err


def test_a_directory_is_not_a_template(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = write(tmp_path, "good.yaml", OLD_YAML)
    assert check(capsys, good, tmp_path) == (
        2,
        [],
        f"keyforge check-update: {tmp_path}: not a file\n",
    )


def test_missing_arguments_are_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check-update", "old.yaml"]) == 2
    captured = capsys.readouterr()
    assert captured.err.splitlines() == [
        "keyforge check-update: the following arguments are required: NEW_TEMPLATE "
        "(see 'keyforge check-update --help')"
    ]


def test_run_as_a_user_runs_it(tmp_path: Path) -> None:
    old = write(tmp_path, "old.yaml", OLD_YAML)
    new = write(
        tmp_path,
        "new.yaml",
        OLD_YAML.replace("KeySpec: HMAC_256", "KeySpec: HMAC_512"),
    )
    completed = subprocess.run(
        [str(KEYFORGE), "check-update", str(old), str(new)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert completed.returncode == 1, completed.stderr
    assert completed.stderr == ""
    assert completed.stdout.splitlines()[0].startswith("Mac: KeySpec HMAC_256 -> HMAC_512: ")
