"""schema.json agrees with the key-spec catalogue, passes `cfn validate` cleanly, and
the committed models.py is what `cfn generate` makes of it."""

from __future__ import annotations

import ast
import difflib
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import botocore
import botocore.session
import pytest
from hypothesis import given
from hypothesis import strategies as st

from keyforge_kms_key import iam as iam_gateway
from keyforge_kms_key import keyspecs, validation
from keyforge_kms_key import kms as kms_gateway
from keyforge_kms_key.keyspecs import KEY_SPECS, KEY_USAGES, Limits

ROOT = Path(__file__).resolve().parents[2]
SCHEMA_PATH = ROOT / "schema.json"
MODELS_PATH = ROOT / "src" / "keyforge_kms_key" / "models.py"
PACKAGE = "keyforge_kms_key"
IMMUTABLE = ("KeySpec", "KeyUsage", "Origin", "MultiRegion")
HINT_MARKERS = ("Consider", "Explicitly specify", "Don't hardcode", "warning", "hint")


def _cfn() -> str:
    beside_python = Path(sys.executable).parent / "cfn"
    found = str(beside_python) if beside_python.exists() else shutil.which("cfn")
    assert found, "the cfn command (cloudformation-cli) is not installed"
    return found


def _run_cfn(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [_cfn(), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(SCHEMA_PATH.read_text())
    return loaded


@pytest.fixture(scope="module")
def properties(schema: dict[str, Any]) -> dict[str, Any]:
    props: dict[str, Any] = schema["properties"]
    return props


def _pointers(names: list[str]) -> list[str]:
    return [f"/properties/{name}" for name in names]


# ---------------------------------------------------------------------------
# The files


def test_schema_file_symlinks_resolve_to_schema_json() -> None:
    for link in (ROOT / "keyforge-kms-key.json", ROOT / "src" / PACKAGE / "schema.json"):
        assert link.is_symlink(), link
        assert link.resolve() == SCHEMA_PATH.resolve(), link
        assert link.read_bytes() == SCHEMA_PATH.read_bytes()


def test_the_package_reads_the_same_schema(schema: dict[str, Any]) -> None:
    assert validation.resource_schema() == schema


def test_type_name_and_primary_identifier(schema: dict[str, Any]) -> None:
    assert schema["typeName"] == "Keyforge::KMS::Key" == keyspecs.RESOURCE_TYPE
    assert schema["primaryIdentifier"] == ["/properties/KeyId"]


# ---------------------------------------------------------------------------
# KeySpec, KeyUsage, Origin against the catalogue


def _key_spec_accepts(pattern: str, value: str) -> bool:
    # JSON Schema patterns are unanchored searches; the schema anchors its own.
    return re.search(pattern, value) is not None


def test_key_spec_pattern_accepts_every_catalogued_spec(properties: dict[str, Any]) -> None:
    pattern = properties["KeySpec"]["pattern"]
    assert len(KEY_SPECS) == 20
    for spec in KEY_SPECS:
        assert _key_spec_accepts(pattern, spec), spec


@pytest.mark.parametrize(
    "value",
    [
        "RSA_1024",
        "SYMMETRIC_DEFAULTX",
        "XSYMMETRIC_DEFAULT",
        "symmetric_default",
        "RSA_2048 ",
        " SM2",
        "ECC_NIST_P256K1",
        "ECC_SECG_P384",
        "ECC_SECG_EDWARDS25519",
        "ML_DSA_512",
        "ML_KEM_44",
        "HMAC_128",
        "HMAC_SHA_256",
        "SM3",
        "RSA_2048|SM2",
        "",
    ],
)
def test_key_spec_pattern_refuses(properties: dict[str, Any], value: str) -> None:
    assert not _key_spec_accepts(properties["KeySpec"]["pattern"], value)


@given(
    st.one_of(
        st.text(alphabet="ACDEFGHIKLMNPRSTUVWXY_0123456789", max_size=24),
        st.builds(
            lambda spec, cut, extra: spec[:cut] + extra,
            st.sampled_from(sorted(KEY_SPECS)),
            st.integers(0, 24),
            st.text(alphabet="A_0123456789K", max_size=3),
        ),
    )
)
def test_key_spec_pattern_accepts_exactly_the_catalogue(value: str) -> None:
    pattern = json.loads(SCHEMA_PATH.read_text())["properties"]["KeySpec"]["pattern"]
    assert _key_spec_accepts(pattern, value) is (value in KEY_SPECS)


def test_key_usage_enum_is_the_catalogue(properties: dict[str, Any]) -> None:
    assert properties["KeyUsage"]["enum"] == list(KEY_USAGES)
    assert len(properties["KeyUsage"]["enum"]) == 5


def test_origin_enum(properties: dict[str, Any]) -> None:
    assert properties["Origin"]["enum"] == ["AWS_KMS", "EXTERNAL"]
    assert properties["Origin"]["enum"] == [origin.value for origin in keyspecs.Origin]


def test_key_spec_usage_origin_multi_region_types(properties: dict[str, Any]) -> None:
    assert properties["KeySpec"]["type"] == "string"
    assert properties["KeyUsage"]["type"] == "string"
    assert properties["Origin"]["type"] == "string"
    assert properties["MultiRegion"]["type"] == "boolean"


# ---------------------------------------------------------------------------
# Limits


def _range(spec: dict[str, Any]) -> keyspecs.Range:
    return keyspecs.Range(spec["minimum"], spec["maximum"])


def test_numeric_ranges_are_the_catalogue_limits(properties: dict[str, Any]) -> None:
    assert _range(properties["RotationPeriodInDays"]) == Limits.ROTATION_PERIOD_DAYS
    assert _range(properties["PendingWindowInDays"]) == Limits.PENDING_WINDOW_DAYS
    assert properties["RotationPeriodInDays"]["type"] == "integer"
    assert properties["PendingWindowInDays"]["type"] == "integer"


def test_length_limits(schema: dict[str, Any], properties: dict[str, Any]) -> None:
    assert properties["Description"]["maxLength"] == Limits.DESCRIPTION_MAX_LENGTH
    assert properties["Description"].get("minLength", 0) == 0
    assert properties["Tags"]["maxItems"] == validation.KEYFORGE_MAX_TAGS == Limits.MAX_TAGS - 1
    tag = schema["definitions"]["Tag"]["properties"]
    key_range = (tag["Key"]["minLength"], tag["Key"]["maxLength"])
    value_range = (tag["Value"].get("minLength", 0), tag["Value"]["maxLength"])
    assert key_range == (Limits.TAG_KEY_LENGTH.minimum, Limits.TAG_KEY_LENGTH.maximum)
    assert value_range == (Limits.TAG_VALUE_LENGTH.minimum, Limits.TAG_VALUE_LENGTH.maximum)
    assert schema["definitions"]["Tag"]["additionalProperties"] is False


def test_alias_name(properties: dict[str, Any]) -> None:
    assert properties["AliasName"]["pattern"] == Limits.ALIAS_PATTERN
    assert properties["AliasName"]["maxLength"] == Limits.ALIAS_MAX_LENGTH


def test_replica_region_pattern_is_the_catalogues(properties: dict[str, Any]) -> None:
    items = properties["ReplicaRegions"]["items"]
    assert items["pattern"] == keyspecs.MultiRegion.REGION_PATTERN


def test_tags_are_unordered(properties: dict[str, Any]) -> None:
    assert properties["Tags"]["insertionOrder"] is False


# ---------------------------------------------------------------------------
# Documentation and property lists


def test_additional_properties_are_refused(schema: dict[str, Any]) -> None:
    assert schema["additionalProperties"] is False


def test_every_property_has_a_description(schema: dict[str, Any]) -> None:
    assert schema["description"].strip()
    undocumented = [
        name for name, spec in schema["properties"].items() if not spec.get("description")
    ]
    for definition_name, definition in schema["definitions"].items():
        assert definition.get("description"), definition_name
        for name, spec in definition.get("properties", {}).items():
            if not spec.get("description"):
                undocumented.append(f"{definition_name}.{name}")
    assert undocumented == []


def test_the_properties_of_aws_kms_key_and_the_console_are_all_there(
    properties: dict[str, Any],
) -> None:
    expected = {
        "Description",
        "Enabled",
        "EnableKeyRotation",
        "RotationPeriodInDays",
        "KeyPolicy",
        "KeyUsage",
        "KeySpec",
        "Origin",
        "MultiRegion",
        "ReplicaRegions",
        "PendingWindowInDays",
        "Tags",
        "BypassPolicyLockoutSafetyCheck",
        "AliasName",
        "KeyAdministrators",
        "KeyUsers",
        "ExternalAccounts",
        "AllowKeyAdministratorsToDelete",
        "KeyId",
        "Arn",
        "PublicKey",
        "PublicKeyPem",
        "EncryptionAlgorithms",
        "SigningAlgorithms",
        "KeyAgreementAlgorithms",
        "MacAlgorithms",
        "EncapsulationAlgorithms",
        "ReplicaArns",
    }
    assert set(properties) == expected


def test_immutable_properties_are_not_create_only(schema: dict[str, Any]) -> None:
    create_only = schema.get("createOnlyProperties", [])
    for name in (*IMMUTABLE, "ReplicaRegions"):
        assert f"/properties/{name}" not in create_only, name


def test_the_immutable_properties_are_the_ones_the_schema_says_cannot_change(
    properties: dict[str, Any],
) -> None:
    # schema.json states immutability in its descriptions only (createOnlyProperties would make
    # CloudFormation replace the key), so the table in keyspecs is checked against them.
    said = {name for name, node in properties.items() if "cannot change" in node["description"]}
    assert said == set(keyspecs.IMMUTABLE_PROPERTIES) == set(IMMUTABLE)


@pytest.mark.parametrize("name", IMMUTABLE)
def test_immutable_property_descriptions_say_a_change_fails(
    properties: dict[str, Any], name: str
) -> None:
    text = properties[name]["description"]
    assert "cannot change after creation" in text
    assert "fails instead of replacing the key" in text
    assert "new logical id" in text


def test_write_only_properties(schema: dict[str, Any]) -> None:
    assert schema["writeOnlyProperties"] == _pointers(
        ["PendingWindowInDays", "BypassPolicyLockoutSafetyCheck"]
    )


def test_read_only_properties(schema: dict[str, Any]) -> None:
    read_only = schema["readOnlyProperties"]
    expected = [
        "KeyId",
        "Arn",
        "PublicKey",
        "PublicKeyPem",
        *keyspecs.ALGORITHM_FIELDS,
        "ReplicaArns",
    ]
    assert sorted(read_only) == sorted(_pointers(expected))
    assert len(read_only) == len(set(read_only))


def test_property_lists_point_at_properties(schema: dict[str, Any]) -> None:
    for list_name in ("readOnlyProperties", "writeOnlyProperties", "primaryIdentifier"):
        for pointer in schema[list_name]:
            assert pointer.removeprefix("/properties/") in schema["properties"], pointer


def test_tagging(schema: dict[str, Any]) -> None:
    tagging = schema["tagging"]
    assert tagging["taggable"] is True
    assert tagging["tagOnCreate"] is True
    assert tagging["tagUpdatable"] is True
    assert tagging["tagProperty"] == "/properties/Tags"
    assert set(tagging["permissions"]) == {
        "kms:TagResource",
        "kms:UntagResource",
        "kms:ListResourceTags",
    }


# ---------------------------------------------------------------------------
# Handler permissions

HANDLERS = ("create", "read", "update", "delete", "list")


def _operations(service: str) -> set[str]:
    return set(botocore.session.get_session().get_service_model(service).operation_names)


# The services the handlers call, and the gateway module that is the only one to call each.
GATEWAYS: dict[str, ModuleType] = {"kms": kms_gateway, "iam": iam_gateway}


def test_every_handler_is_declared(schema: dict[str, Any]) -> None:
    assert set(schema["handlers"]) == set(HANDLERS)


@pytest.mark.parametrize("handler", HANDLERS)
def test_handler_permissions_are_real_actions(schema: dict[str, Any], handler: str) -> None:
    permissions = schema["handlers"][handler]["permissions"]
    assert permissions
    for permission in permissions:
        service, _, action = permission.partition(":")
        assert service in GATEWAYS, permission
        assert action in _operations(service), permission
    assert len(permissions) == len(set(permissions)), "a permission listed twice"


@pytest.mark.parametrize("handler", HANDLERS)
def test_handler_permissions_are_sorted(schema: dict[str, Any], handler: str) -> None:
    permissions = schema["handlers"][handler]["permissions"]
    assert permissions == sorted(permissions)


def _gateway_operations(source: str) -> set[str]:
    """The boto3 KMS client methods a gateway module calls: self._call("name", ...) and
    self._client.name(...)."""
    called = set()
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if not isinstance(func, ast.Attribute):
            continue
        if func.attr == "_call" and node.args and isinstance(node.args[0], ast.Constant):
            called.add(str(node.args[0].value))
        owner = func.value
        if isinstance(owner, ast.Attribute) and owner.attr == "_client":
            called.add(func.attr)
    return called


def test_gateway_operation_finder() -> None:
    source = (
        "class G:\n"
        "    def a(self):\n"
        "        self._call('create_key', KeySpec='X')\n"
        "        self._client.list_keys(Limit=1)\n"
        "        self.other('tag_resource')\n"
    )
    assert _gateway_operations(source) == {"create_key", "list_keys"}


def test_every_kms_operation_of_the_gateway_is_permitted(schema: dict[str, Any]) -> None:
    assert "create_key" in _gateway_operations(Path(kms_gateway.__file__).read_text())


@pytest.mark.parametrize("service", sorted(GATEWAYS))
def test_every_operation_of_each_gateway_is_permitted_and_nothing_more(
    schema: dict[str, Any], service: str
) -> None:
    called = _gateway_operations(Path(GATEWAYS[service].__file__).read_text())
    by_method = {botocore.xform_name(name): name for name in _operations(service)}
    unknown = sorted(called - set(by_method))
    assert unknown == [], f"not {service} client methods"
    permitted = {p for handler in schema["handlers"].values() for p in handler["permissions"]}
    needed = {f"{service}:{by_method[method]}" for method in called}
    needed |= {
        implied
        for gateway in GATEWAYS.values()
        for method in _gateway_operations(Path(gateway.__file__).read_text())
        for implied in keyspecs.IMPLIED_PERMISSIONS.get(_operation_name(method), ())
        if implied.startswith(f"{service}:")
    }
    assert sorted(needed - permitted) == []
    assert sorted(p for p in permitted - needed if p.startswith(f"{service}:")) == []


def _operation_name(method: str) -> str:
    """create_key -> CreateKey."""
    return "".join(part.capitalize() for part in method.split("_"))


def test_the_readme_lists_every_permission_with_exactly_its_handlers(
    schema: dict[str, Any],
) -> None:
    readme = (ROOT / "README.md").read_text()
    section = readme.split("### Permissions: exactly what each handler uses", 1)[1]
    listed: dict[str, set[str]] = {}
    for row in re.findall(r"^\| (`[a-z]+:.*?`) \| ([A-Z, ]+) \|", section, re.MULTILINE):
        for permission in re.findall(r"`([a-z]+:[A-Za-z]+)`", row[0]):
            listed[permission] = set(row[1].split(", "))
    declared: dict[str, set[str]] = {}
    for action, handler in schema["handlers"].items():
        for permission in handler["permissions"]:
            declared.setdefault(permission, set()).add(action.upper())
    assert listed == declared


def test_the_execution_role_allows_exactly_the_handlers_permissions(
    schema: dict[str, Any],
) -> None:
    role = (ROOT / "resource-role.yaml").read_text()
    allowed = set(re.findall(r'^\s*- "([a-z]+:[A-Za-z]+)"$', role, re.MULTILINE))
    permitted = {p for handler in schema["handlers"].values() for p in handler["permissions"]}
    assert allowed == permitted


# ---------------------------------------------------------------------------
# cfn validate


@pytest.fixture(scope="module")
def cfn_validate() -> subprocess.CompletedProcess[str]:
    return _run_cfn("validate", cwd=ROOT)


# One cfn validate serves both: on one worker, so that it runs once.
@pytest.mark.xdist_group("cfn-validate")
def test_cfn_validate_passes(cfn_validate: subprocess.CompletedProcess[str]) -> None:
    output = cfn_validate.stdout + cfn_validate.stderr
    assert cfn_validate.returncode == 0, output
    assert "Resource schema is valid." in output


@pytest.mark.xdist_group("cfn-validate")
def test_cfn_validate_prints_no_hint(cfn_validate: subprocess.CompletedProcess[str]) -> None:
    lines = [line for line in (cfn_validate.stdout + cfn_validate.stderr).splitlines() if line]
    hints = [line for line in lines if any(m.lower() in line.lower() for m in HINT_MARKERS)]
    assert hints == []
    assert lines == ["Resource schema is valid."]


# ---------------------------------------------------------------------------
# models.py is what cfn generate makes of schema.json


def generate_models(schema_text: str, workdir: Path) -> bytes:
    """Run `cfn generate` on a copy of the project's configuration and the given schema."""
    workdir.mkdir(parents=True)
    shutil.copyfile(ROOT / ".rpdk-config", workdir / ".rpdk-config")
    (workdir / "schema.json").write_text(schema_text)
    os.symlink("schema.json", workdir / "keyforge-kms-key.json")
    (workdir / "src" / PACKAGE).mkdir(parents=True)
    result = _run_cfn("generate", cwd=workdir)
    assert result.returncode == 0, result.stdout + result.stderr
    return (workdir / "src" / PACKAGE / "models.py").read_bytes()


def models_difference(generated: bytes, committed: bytes) -> str:
    """An empty string when the two are byte for byte the same, else a unified diff."""
    if generated == committed:
        return ""
    diff = difflib.unified_diff(
        committed.decode(errors="replace").splitlines(keepends=True),
        generated.decode(errors="replace").splitlines(keepends=True),
        "models.py (committed)",
        "models.py (cfn generate)",
    )
    return "".join(diff) or "the files differ in bytes that do not show as text"


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    yield tmp_path_factory.mktemp("generate")


def test_models_py_is_not_stale(workspace: Path) -> None:
    generated = generate_models(SCHEMA_PATH.read_text(), workspace / "current")
    difference = models_difference(generated, MODELS_PATH.read_bytes())
    assert difference == "", "models.py is stale: run cfn generate\n" + difference


def test_a_schema_change_makes_models_py_stale(workspace: Path) -> None:
    schema = json.loads(SCHEMA_PATH.read_text())
    schema["properties"]["StaleCheck"] = {"description": "Only in this test.", "type": "string"}
    generated = generate_models(json.dumps(schema, indent=4), workspace / "changed")
    difference = models_difference(generated, MODELS_PATH.read_bytes())
    assert "StaleCheck" in difference
    assert models_difference(b"a\n", b"a\r\n") != ""
