"""`keyforge invoke` on the embedded KMS: run as a user runs it, then in this process."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.cli.helpers import Run


def keyforge_script(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "keyforge.cli", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def request_file(tmp_path: Path, desired: dict[str, Any], name: str = "request.json") -> str:
    path = tmp_path / name
    path.write_text(json.dumps({"desiredResourceState": desired}))
    return str(path)


def events(stdout: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stdout.splitlines()]


def test_create_prints_the_progress_events_and_exits_0(tmp_path: Path) -> None:
    request = request_file(
        tmp_path,
        {"KeySpec": "ML_DSA_65", "KeyUsage": "SIGN_VERIFY", "AliasName": "alias/invoked"},
    )
    completed = keyforge_script("invoke", "CREATE", request)
    assert completed.returncode == 0, completed.stderr
    made, final = events(completed.stdout)
    assert (made["status"], made["callbackDelaySeconds"]) == ("IN_PROGRESS", 0)
    assert final["status"] == "SUCCESS"
    model = final["resourceModel"]
    assert model["KeyId"] == made["resourceModel"]["KeyId"]
    assert model["SigningAlgorithms"] == ["ML_DSA_SHAKE_256"]
    assert model["PublicKeyPem"].startswith("-----BEGIN PUBLIC KEY-----")
    assert model["AliasName"] == "alias/invoked"


def test_a_refused_model_exits_1_with_the_handlers_answer(tmp_path: Path, keyforge: Run) -> None:
    request = request_file(tmp_path, {"KeySpec": "HMAC_256", "KeyUsage": "SIGN_VERIFY"})
    completed = keyforge("invoke", "create", request)
    assert completed.returncode == 1
    (final,) = events(completed.stdout)
    assert (final["status"], final["errorCode"]) == ("FAILED", "InvalidRequest")
    assert "HMAC_256 keys allow only GENERATE_VERIFY_MAC" in final["message"]


def test_read_of_an_unknown_key_is_not_found(tmp_path: Path, keyforge: Run) -> None:
    request = request_file(tmp_path, {"KeyId": "11111111-2222-3333-4444-555555555555"})
    completed = keyforge("invoke", "READ", request)
    assert completed.returncode == 1
    assert events(completed.stdout)[-1]["errorCode"] == "NotFound"


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["FOO", "{request}"], "unknown action FOO"),
        (["READ", "{missing}"], "no such file"),
        (["READ", "{broken}"], "invalid JSON at line 1"),
        (["READ", "{not_an_object}"], "expected an object with desiredResourceState"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    tmp_path: Path, arguments: list[str], message: str, keyforge: Run
) -> None:
    files = {
        "request": request_file(tmp_path, {}),
        "missing": str(tmp_path / "missing.json"),
        "broken": str(tmp_path / "broken.json"),
        "not_an_object": str(tmp_path / "list.json"),
    }
    (tmp_path / "broken.json").write_text("{")
    (tmp_path / "list.json").write_text("[]")
    completed = keyforge("invoke", *(argument.format(**files) for argument in arguments))
    assert completed.returncode == 2
    lines = completed.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], completed.stderr
    assert "Traceback" not in completed.stderr


def test_the_roles_the_request_names_exist_in_the_embedded_kms_unless_left_out(
    tmp_path: Path, keyforge: Run
) -> None:
    role = "arn:aws:iam::123456789012:role/service/Invoker"
    request = request_file(tmp_path, {"KeyAdministrators": [role]})
    completed = keyforge("invoke", "CREATE", request)
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert events(completed.stdout)[-1]["resourceModel"]["KeyAdministrators"] == [role]
    refused = keyforge("invoke", "CREATE", request, "--no-principals")
    assert refused.returncode == 1
    (final,) = events(refused.stdout)
    assert final["errorCode"] == "InvalidRequest"
    assert f"role {role} does not exist" in final["message"]
