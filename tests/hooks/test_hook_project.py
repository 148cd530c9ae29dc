"""hooks/key-rules, the hook type's project: `cfn validate` passes, what `cfn generate` writes is
committed as it writes it, its schema and targets say what the judgement does, and its handlers
answer CloudFormation's hook requests as the judgement says."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from keyforge_kms_key.judgement import AWS_KEY_PROPERTIES, TARGET_TYPES, FailOn, hook_rules
from keyforge_kms_keyrules.handlers import TYPE_NAME, hook

ROOT = Path(__file__).resolve().parents[2]
PROJECT = ROOT / "hooks" / "key-rules"
PACKAGE = PROJECT / "src" / "keyforge_kms_keyrules"
SCHEMA = PROJECT / "keyforge-kms-keyrules.json"
# What `cfn generate` writes for a hook project.
GENERATED = (
    "src/keyforge_kms_keyrules/models.py",
    "src/keyforge_kms_keyrules/target_models/aws_kms_key.py",
    "src/keyforge_kms_keyrules/target_models/keyforge_kms_key.py",
    "keyforge-kms-keyrules-configuration.json",
    "hook-role.yaml",
    "docs/README.md",
)
# cfn-lint's copy of AWS::KMS::Key's CloudFormation resource schema (data/schemas/resources).
CFN_LINT_AWS_KMS_KEY = "88e734780d711c68.json"

pytestmark = pytest.mark.xdist_group("hook-project")


def _cfn(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(Path(sys.executable).parent / "cfn"), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(SCHEMA.read_text())
    return loaded


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the project (links copied as what they point to) after `cfn generate`."""
    copy = tmp_path_factory.mktemp("hook") / "key-rules"
    shutil.copytree(
        PROJECT,
        copy,
        ignore=shutil.ignore_patterns("_provider", "build", "__pycache__", "*.zip", "rpdk.log"),
    )
    for name in GENERATED:
        (copy / name).unlink()
    finished = _cfn("generate", "--local-only", cwd=copy)
    assert finished.returncode == 0, finished.stdout + finished.stderr
    return copy


def test_cfn_validate_passes() -> None:
    finished = _cfn("validate", cwd=PROJECT)
    assert finished.returncode == 0, finished.stdout + finished.stderr


@pytest.mark.parametrize("name", GENERATED)
def test_what_cfn_generate_writes_is_committed_as_it_writes_it(
    regenerated: Path, name: str
) -> None:
    assert (regenerated / name).read_text() == (PROJECT / name).read_text(), (
        f"{name} is stale or edited by hand: run `cfn generate --local-only` in hooks/key-rules"
    )


def test_cfn_generate_writes_no_other_model(regenerated: Path) -> None:
    models = regenerated / "src" / "keyforge_kms_keyrules" / "target_models"
    assert sorted(path.name for path in models.iterdir()) == sorted(
        path.name for path in (PACKAGE / "target_models").iterdir() if path.suffix == ".py"
    )


def test_the_targets_are_the_two_key_types_at_create_and_update(schema: dict[str, Any]) -> None:
    assert schema["typeName"] == TYPE_NAME
    assert set(schema["handlers"]) == {"preCreate", "preUpdate"}, "preDelete has nothing to check"
    for handler in schema["handlers"].values():
        assert tuple(handler["targetNames"]) == TARGET_TYPES
        assert handler["permissions"] == []


def test_the_target_schemas_are_the_types_own(schema: dict[str, Any]) -> None:
    targets = PROJECT / "target-schemas"
    keyforge = targets / "keyforge-kms-key.json"
    assert keyforge.is_symlink()
    assert keyforge.resolve() == (ROOT / "schema.json").resolve()
    import cfnlint

    bundled = Path(cfnlint.__file__).parent / "data" / "schemas" / "resources"
    aws = json.loads((targets / "aws-kms-key.json").read_text())
    assert aws == json.loads((bundled / CFN_LINT_AWS_KMS_KEY).read_text())
    assert aws["typeName"] == "AWS::KMS::Key"


def test_the_judgement_reads_aws_kms_keys_properties_by_their_schemas_types() -> None:
    aws = json.loads((PROJECT / "target-schemas" / "aws-kms-key.json").read_text())
    read_only = {pointer.rsplit("/", 1)[-1] for pointer in aws["readOnlyProperties"]}
    writable = {name: node for name, node in aws["properties"].items() if name not in read_only}
    assert set(AWS_KEY_PROPERTIES) == set(writable)
    for name, kind in AWS_KEY_PROPERTIES.items():
        declared = writable[name].get("type")
        declared = " or ".join(declared) if isinstance(declared, list) else declared
        assert kind == declared or set(kind.split(" or ")) == {"object", "string"}, name


def test_the_type_configuration_offers_what_the_settings_read(schema: dict[str, Any]) -> None:
    properties = schema["typeConfiguration"]["properties"]
    assert properties["FailOn"]["enum"] == [level.value for level in FailOn]
    assert properties["FailOn"]["default"] == FailOn.ERROR
    for rule in hook_rules():
        assert rule.id in properties["DisabledRules"]["description"], rule.id


def test_the_bundle_carries_the_provider_by_a_link_to_it() -> None:
    link = PACKAGE / "_provider" / "keyforge_kms_key"
    assert link.is_symlink()
    assert link.resolve() == (ROOT / "src" / "keyforge_kms_key").resolve()
    assert (PROJECT / "requirements.txt").read_text().splitlines() == ["-r ../../requirements.txt"]


# --- The handlers, called as CloudFormation calls the hook's function ------------------------

STACK = "arn:aws:cloudformation:eu-west-1:123456789012:stack/keys/8f3a"


def request(
    point: str,
    target: str,
    properties: Any,
    previous: Any = None,
    configuration: dict[str, Any] | None = None,
) -> dict[str, Any]:
    model: dict[str, Any] = {"resourceProperties": properties}
    if previous is not None:
        model["previousResourceProperties"] = previous
    return {
        "clientRequestToken": "c0ffee",
        "awsAccountId": "123456789012",
        "stackId": STACK,
        "hookTypeName": TYPE_NAME,
        "hookTypeVersion": "00000001",
        "actionInvocationPoint": point,
        "hookModel": configuration,
        "requestData": {
            "targetName": target,
            "targetType": "RESOURCE",
            "targetLogicalId": "Key",
            "targetModel": model,
        },
        "requestContext": {"callbackContext": None},
    }


BAD = {"KeySpec": "ECC_SECG_P256K1", "KeyUsage": "KEY_AGREEMENT"}
SENTENCE = (
    "E9101 KeyUsage KEY_AGREEMENT is not valid for KeySpec ECC_SECG_P256K1: ECC_SECG_P256K1 keys "
    "allow only SIGN_VERIFY."
)


@pytest.mark.parametrize("target", TARGET_TYPES)
@pytest.mark.parametrize("point", ["CREATE_PRE_PROVISION", "UPDATE_PRE_PROVISION"])
def test_a_broken_rule_fails_non_compliant(point: str, target: str) -> None:
    answer = hook(request(point, target, BAD, previous=BAD), None)

    assert answer["hookStatus"] == "FAILED"
    assert answer["errorCode"] == "NonCompliant"
    assert answer["message"] == f"{target} Key breaks 1 Keyforge rule: {SENTENCE}"
    assert answer["clientRequestToken"] == "c0ffee"
    (e9101,) = [a for a in answer["annotations"] if a["annotationName"] == "E9101"]
    assert e9101["status"] == "FAILED"


def test_the_type_configuration_chooses_what_fails() -> None:
    symmetric = {"KeySpec": "SYMMETRIC_DEFAULT"}
    point = "CREATE_PRE_PROVISION"
    warned = hook(request(point, "AWS::KMS::Key", symmetric), None)
    assert warned["hookStatus"] == "SUCCESS"
    assert "Warnings: W9111" in warned["message"]
    assert {a["annotationName"]: a["status"] for a in warned["annotations"]}["W9111"] == "FAILED"

    strict = {"FailOn": "WARNING", "DisabledRules": ""}
    failed = hook(request(point, "AWS::KMS::Key", symmetric, configuration=strict), None)
    assert failed["hookStatus"] == "FAILED"

    off = {"FailOn": "WARNING", "DisabledRules": "W9111,E9101"}
    assert hook(request(point, "AWS::KMS::Key", BAD, configuration=off), None)["hookStatus"] == (
        "SUCCESS"
    )


def test_the_region_is_the_stacks() -> None:
    ml_kem = {"KeySpec": "ML_KEM_768", "KeyUsage": "ENCAPSULATE_DECAPSULATE"}
    event = request("CREATE_PRE_PROVISION", "Keyforge::KMS::Key", ml_kem)
    assert hook(event, None)["hookStatus"] == "SUCCESS"
    event["stackId"] = "arn:aws-cn:cloudformation:cn-north-1:123456789012:stack/keys/8f3a"
    answer = hook(event, None)
    assert answer["hookStatus"] == "FAILED"
    assert "E9103 KeySpec ML_KEM_768 is not available in cn-north-1" in answer["message"]


def test_a_delete_has_nothing_to_check() -> None:
    answer = hook(request("DELETE_PRE_PROVISION", "AWS::KMS::Key", BAD), None)
    assert answer["hookStatus"] == "SUCCESS"
    assert answer["message"] == "Nothing to check before a delete."


@pytest.mark.parametrize(
    ("target", "properties"),
    [
        ("AWS::S3::Bucket", {"BucketName": "b"}),
        ("AWS::KMS::Key", "text"),
        ("AWS::KMS::Key", [1, 2]),
        ("Keyforge::KMS::Key", {"KeySpec": {"Fn::ImportValue": "Spec"}}),
        ("AWS::KMS::Key", {"Colour": "blue"}),
    ],
)
def test_targets_it_does_not_handle_and_bad_properties_answer_success_with_a_sentence(
    target: str, properties: Any
) -> None:
    answer = hook(request("CREATE_PRE_PROVISION", target, properties), None)

    assert answer["hookStatus"] == "SUCCESS", answer
    assert "errorCode" not in answer
    assert answer["message"]


def test_a_target_model_that_is_not_an_object_is_not_a_crash() -> None:
    event = request("UPDATE_PRE_PROVISION", "AWS::KMS::Key", BAD)
    event["requestData"]["targetModel"] = "garbled"
    answer = hook(event, None)
    assert answer["hookStatus"] == "SUCCESS"
    assert "errorCode" not in answer
