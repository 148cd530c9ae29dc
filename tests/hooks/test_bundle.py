"""The hook's Lambda bundle, as `cfn submit --dry-run` builds it in hooks/key-rules.

The bundle gets the provider package through the link `_provider/keyforge_kms_key` (the Python
plugin copies the files it points to) and its dependencies from the resource's pinned, hashed
requirements. Built in a copy of the repository's files it needs (nothing written to the work
tree; pip downloads the requirements, so this needs the package index), then run alone: in
`python -I -S` with only the bundle on sys.path, as on Lambda, the hook's entrypoint and the
Lambda hook's handler judge a key, and every module they load comes from the bundle or the
standard library.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
HOOK = Path("hooks") / "key-rules"
# What the hook's folder reaches outside itself: the provider package (and the schema it links
# to), the resource's requirements and their build constraints.
OUTSIDE = ("src/keyforge_kms_key", "schema.json", "requirements.txt", "build-constraints.txt")

pytestmark = pytest.mark.xdist_group("hook-bundle")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's files the hook needs, copied with their links, and the bundle built."""
    copy = tmp_path_factory.mktemp("hook-bundle")
    for name in OUTSIDE:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, copy / name, symlinks=True, ignore=_caches)
        else:
            shutil.copyfile(source, copy / name)
    shutil.copytree(ROOT / HOOK, copy / HOOK, symlinks=True, ignore=_caches)
    environment = {
        **os.environ,
        # The virtualenv's pip builds it, with charset-normalizer's build tools pinned.
        "PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]),
        "PIP_BUILD_CONSTRAINT": str(copy / "build-constraints.txt"),
    }
    finished = subprocess.run(
        [str(Path(sys.executable).parent / "cfn"), "submit", "--dry-run"],
        cwd=copy / HOOK,
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert finished.returncode == 0, finished.stdout + finished.stderr
    return copy / HOOK


def _caches(folder: str, names: list[str]) -> list[str]:
    return [n for n in names if n in ("__pycache__", "build", "rpdk.log") or n.endswith(".zip")]


@pytest.fixture(scope="module")
def function_code(built: Path) -> Path:
    """ResourceProvider.zip unpacked: the Lambda function's code."""
    with zipfile.ZipFile(built / "keyforge-kms-keyrules.zip") as outer:
        inner = io.BytesIO(outer.read("ResourceProvider.zip"))
    root = built / "function"
    with zipfile.ZipFile(inner) as code:
        code.extractall(root)
    return root


def test_the_bundle_holds_the_provider_package_as_it_is_in_src(function_code: Path) -> None:
    bundled = function_code / "keyforge_kms_keyrules" / "_provider" / "keyforge_kms_key"
    source = ROOT / "src" / "keyforge_kms_key"
    names = {p.relative_to(source) for p in source.rglob("*") if _shipped(p)}
    assert {p.relative_to(bundled) for p in bundled.rglob("*") if p.is_file()} == names
    for name in names:
        assert (bundled / name).read_bytes() == (source / name).read_bytes(), name


def _shipped(path: Path) -> bool:
    return path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc"


def test_the_bundle_is_pure_python_and_holds_only_pinned_distributions(
    function_code: Path,
) -> None:
    compiled = [p for p in function_code.rglob("*") if p.suffix in (".so", ".pyd", ".dylib")]
    assert compiled == []
    pinned = {
        match[1].lower().replace("-", "_"): match[2]
        for match in re.finditer(
            r"^([A-Za-z0-9._-]+)==([^ ]+)", (ROOT / "requirements.txt").read_text(), re.M
        )
    }
    installed = {
        match[1].lower(): match[2]
        for info in function_code.glob("*.dist-info")
        if (match := re.fullmatch(r"(.+)-([^-]+)\.dist-info", info.name))
    }
    assert installed == pinned


RUN_ALONE = r"""
import json, sys
sys.path[:0] = [sys.argv[1]]
requests = json.loads(sys.stdin.read())
from keyforge_kms_keyrules.handlers import hook
from keyforge_kms_keyrules.lambda_hook import handler
answers = {"hook": [hook(r, None) for r in requests["hook"]],
           "lambda": [handler(r, None) for r in requests["lambda"]]}
answers["modules"] = sorted(
    getattr(module, "__file__", None) or "" for module in list(sys.modules.values())
)
print(json.dumps(answers))
"""


def _hook_request(properties: dict[str, Any]) -> dict[str, Any]:
    credentials = {"accessKeyId": "a", "secretAccessKey": "b", "sessionToken": "c"}
    return {
        "clientRequestToken": "t",
        "awsAccountId": "123456789012",
        "stackId": "arn:aws:cloudformation:us-east-1:123456789012:stack/keys/1",
        "hookTypeName": "Keyforge::KMS::KeyRules",
        "hookTypeVersion": "00000001",
        "actionInvocationPoint": "CREATE_PRE_PROVISION",
        "requestData": {
            "callerCredentials": json.dumps(credentials),
            "targetName": "AWS::KMS::Key",
            "targetType": "RESOURCE",
            "targetLogicalId": "Key",
            "targetModel": {"resourceProperties": properties},
        },
        "requestContext": {"callbackContext": None},
    }


def _lambda_request(properties: dict[str, Any]) -> dict[str, Any]:
    request = _hook_request(properties)
    request["requestData"]["targetType"] = "AWS::KMS::Key"
    return request


def test_the_hook_and_the_lambda_hook_run_from_the_bundle_alone(function_code: Path) -> None:
    bad = {"KeySpec": "HMAC_256", "KeyUsage": "SIGN_VERIFY"}
    good = {"KeySpec": "HMAC_256", "KeyUsage": "GENERATE_VERIFY_MAC"}
    requests = {
        "hook": [_hook_request(bad), _hook_request(good)],
        "lambda": [_lambda_request(bad), _lambda_request(good)],
    }
    finished = subprocess.run(
        [sys.executable, "-I", "-S", "-c", RUN_ALONE, str(function_code)],
        input=json.dumps(requests),
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": os.environ.get("PATH", ""), "AWS_REGION": "us-east-1"},
        check=False,
    )
    assert finished.returncode == 0, finished.stderr
    answers = json.loads(finished.stdout)
    for kind in ("hook", "lambda"):
        failed, passed = answers[kind]
        assert (failed["hookStatus"], failed["errorCode"]) == ("FAILED", "NonCompliant"), kind
        assert "E9101 KeyUsage SIGN_VERIFY is not valid for KeySpec HMAC_256" in failed["message"]
        assert passed["hookStatus"] == "SUCCESS", kind
    stdlib = sysconfig.get_paths()["stdlib"]
    outside = [
        path
        for path in answers["modules"]
        if path and not path.startswith((str(function_code), stdlib))
    ]
    assert outside == []
    provider = str(function_code / "keyforge_kms_keyrules" / "_provider" / "keyforge_kms_key")
    assert any(path.startswith(provider) for path in answers["modules"])
