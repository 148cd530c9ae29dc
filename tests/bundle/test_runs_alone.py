"""The bundle runs alone: CREATE and READ through its entrypoint, in an interpreter that sees
only the bundle and the standard library, against the embedded KMS over HTTP.

As on Lambda, where the function's code comes before the runtime's own boto3: nothing of the
test's virtualenv (moto, cryptography, the keyforge command, this checkout) can stand in for
something the bundle lacks.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from keyforge.embedded_kms import FAKE_CREDENTIALS, EmbeddedKmsServer
from keyforge.local.invoker import LocalInvoker, entrypoint_from_rpdk_config

from .conftest import ON_ONE_WORKER, Bundle, IsolatedLambda

pytestmark = ON_ONE_WORKER

PROPERTIES = {
    # A key spec the Lambda runtime's own boto3 may not know: the bundle's botocore does.
    "KeySpec": "ML_KEM_768",
    "KeyUsage": "ENCAPSULATE_DECAPSULATE",
    "Description": "made by the bundle alone",
    "AliasName": "alias/bundle/alone",
    "Tags": [{"Key": "built-by", "Value": "cfn submit --dry-run"}],
}
# Top-level modules of the bundle that a CREATE and a READ never import, and why they are there.
NEVER_IMPORTED = {
    "setuptools": "required by cloudformation-cli-python-lib, which never imports it",
    "_distutils_hack": "part of setuptools",
}


@dataclass(frozen=True)
class Run:
    started: dict[str, Any]  # what the isolated interpreter said of itself
    create: list[dict[str, Any]]  # CREATE's progress events
    read: dict[str, Any]
    modules: dict[str, str | None]  # every module it loaded: the file it came from
    compiled: list[str]  # the files it compiled from source
    key: dict[str, Any]  # the key as the embedded KMS has it
    aliases: list[str]


@pytest.fixture(scope="module")
def run(bundle: Bundle, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Run]:
    home = tmp_path_factory.mktemp("lambda")
    with EmbeddedKmsServer() as server:
        env = {
            "PATH": os.defpath,
            "HOME": str(home),
            "AWS_ENDPOINT_URL": server.endpoint_url,
            "AWS_CONFIG_FILE": os.devnull,
            "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
            "AWS_EC2_METADATA_DISABLED": "true",
            **FAKE_CREDENTIALS,
        }
        entrypoint = entrypoint_from_rpdk_config(bundle.project)
        function = IsolatedLambda(bundle, entrypoint, env, stderr=home / "stderr.log")
        try:
            provider = LocalInvoker(entrypoint=function.invoke, sleep=lambda _: None)
            create = list(provider.progress("CREATE", PROPERTIES))
            key_id = create[-1].get("resourceModel", {}).get("KeyId")
            read = provider.run("READ", {"KeyId": key_id})
            ended = function.finish()
        finally:
            function.kill()
        kms = server.client("kms")
        key = kms.describe_key(KeyId=key_id)["KeyMetadata"] if key_id else {}
        aliases = [
            alias["AliasName"]
            for alias in kms.list_aliases(KeyId=key_id)["Aliases"]
            if key_id and alias.get("TargetKeyId") == key_id
        ]
        yield Run(
            function.started,
            create,
            read,
            ended["modules"],
            ended["compiled_from_source"],
            key,
            aliases,
        )


def test_the_interpreter_sees_only_the_bundle_and_the_standard_library(
    bundle: Bundle, run: Run
) -> None:
    assert run.started["version"] == list(sys.version_info[:2]) == [3, 12]
    assert run.started["path"][0] == str(bundle.root)
    for entry in run.started["path"][1:]:
        assert entry.startswith(sys.base_prefix) and "site-packages" not in entry, entry
    assert not any(run.started["visible"].values()), run.started["visible"]


def test_create_then_read_through_the_entrypoint(run: Run) -> None:
    assert run.create[-1]["status"] == "SUCCESS", run.create[-1]
    model = run.create[-1]["resourceModel"]
    assert {name: model[name] for name in PROPERTIES} == PROPERTIES
    assert model["PublicKeyPem"].startswith("-----BEGIN PUBLIC KEY-----")
    assert run.key["KeySpec"] == "ML_KEM_768" and run.key["KeyState"] == "Enabled"
    assert run.key["Arn"] == model["Arn"]
    assert run.aliases == ["alias/bundle/alone"]

    assert run.read["status"] == "SUCCESS", run.read
    assert run.read["resourceModel"] == model


def test_every_module_came_from_the_bundle_or_the_standard_library(
    bundle: Bundle, run: Run
) -> None:
    outside = {
        name: origin
        for name, origin in run.modules.items()
        if origin
        and name not in ("__main__", "__mp_main__")  # lambda_runtime.py itself
        and not origin.startswith(str(bundle.root) + os.sep)
        and not (origin.startswith(sys.base_prefix) and "site-packages" not in origin)
    }
    assert outside == {}
    assert run.modules["botocore"] == str(bundle.root / "botocore" / "__init__.py")


def test_the_bundle_carries_only_what_runs_or_is_required(bundle: Bundle, run: Run) -> None:
    loaded = {name.partition(".")[0] for name in run.modules}
    top_level = {
        path.stem if path.suffix == ".py" else path.name
        for path in bundle.root.iterdir()
        if path.suffix == ".py" or (path / "__init__.py").is_file()
    }
    never_imported = top_level - loaded
    assert never_imported == set(NEVER_IMPORTED), {
        name: NEVER_IMPORTED.get(name, "unexplained") for name in never_imported
    }


def test_the_bundle_s_modules_load_from_their_bytecode(bundle: Bundle, run: Run) -> None:
    # As on Lambda, whose function folder is read-only: no module of the bundle is compiled
    # when it is imported, the handlers' own first among them.
    assert run.modules["keyforge_kms_key.handlers"] == str(
        bundle.root / "keyforge_kms_key" / "handlers.py"
    )
    assert [path for path in run.compiled if path.startswith(str(bundle.root) + os.sep)] == []
