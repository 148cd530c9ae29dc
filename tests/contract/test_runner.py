"""The contract runner on a toy resource: the real `cfn test` suite, no Docker, no AWS account."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from keyforge.contract.processes import StandIn
from keyforge.contract.project import ContractSetupError, find_input_sets, without
from keyforge.contract.runner import ContractOptions, contract_report

TOY = Path(__file__).parent / "toy"
TOY_CONTRACT = {
    "contract_create_delete": "passed",
    "contract_create_read": "passed",
    "contract_create_list": "passed",
    "contract_delete_read": "passed",
    "contract_delete_list": "passed",
    "contract_delete_update": "passed",
    "contract_delete_delete": "passed",
    "contract_update_read": "passed",
    "contract_update_list": "passed",
    "contract_update_without_create": "passed",
    "contract_check_asserts_work": "passed",
    # The toy's only identifier is read-only, and it has no tags.
    "contract_create_create": "skipped",
    "contract_delete_create": "skipped",
    "contract_create_taggable": "skipped",
    "contract_update_tag_updatable": "skipped",
}

pytestmark = pytest.mark.contract


def test_a_resource_that_keeps_the_contract_passes_every_pass(tmp_path: Path) -> None:
    """The runner is not bound to Keyforge's resource. (That a broken resource fails, with the
    suite's message, is shown on Keyforge's own handlers in test_keyforge_contract.)"""
    kept_report = contract_report(
        ContractOptions(project_dir=str(TOY), generated=True, log_dir=str(tmp_path / "kept"))
    )

    assert kept_report.ok, kept_report.summary()
    assert [run.label for run in kept_report.passes] == ["inputs_1", "generated"]
    assert kept_report.passes[0].seed is None
    seed = kept_report.passes[1].seed
    assert seed is not None
    assert f"generated (--hypothesis-seed={seed}): ok: 11 passed, 4 skipped" in (
        kept_report.summary()
    )
    for run in kept_report.passes:
        assert dict(run.outcomes) == TOY_CONTRACT, run.label


def test_the_command_line_runs_from_the_project_root_and_a_filter_that_selects_nothing_fails(
    tmp_path: Path,
) -> None:
    finished = subprocess.run(
        [
            sys.executable,
            "-m",
            "keyforge.contract",
            "--log-dir",
            str(tmp_path),
            "--",
            "-k",
            "no_such_contract_test",
        ],
        cwd=TOY,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert finished.returncode == 1, finished.stdout + finished.stderr
    assert "inputs_1: FAILED (cfn exit 1): no tests ran" in finished.stdout
    assert (tmp_path / "inputs_1.log").is_file()
    assert (tmp_path / "inputs_1.junit.xml").is_file()


def test_the_stand_in_stops_with_its_context() -> None:
    with StandIn.started(TOY, "toy_handler.resource", "us-east-1", None) as standin:
        assert standin.process.poll() is None
        assert standin.lambda_endpoint != standin.kms_endpoint
    assert standin.process.poll() is not None


def test_an_entrypoint_that_cannot_load_stops_the_run_before_cfn() -> None:
    with pytest.raises(ContractSetupError, match="did not start"):
        contract_report(
            ContractOptions(project_dir=str(TOY), entrypoint="toy_handler.no_such_function")
        )


def test_input_sets_are_found_by_number(tmp_path: Path) -> None:
    for name in ("inputs_2_create.json", "inputs_2_update.json", "inputs_10_create.json"):
        (tmp_path / name).write_text("{}")
    (tmp_path / "inputs_3_update.json").write_text("{}")

    with pytest.raises(ContractSetupError, match=r"inputs_3_create\.json"):
        find_input_sets(tmp_path)
    sets = find_input_sets(tmp_path, [10, 2])
    assert [(found.number, sorted(found.files)) for found in sets] == [
        (10, ["create"]),
        (2, ["create", "update"]),
    ]


def test_a_project_without_rpdk_config_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ContractSetupError, match=r"\.rpdk-config"):
        contract_report(ContractOptions(project_dir=str(tmp_path)))


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM])
def test_an_interrupted_run_stops_everything_it_started(
    tmp_path: Path, stop: signal.Signals
) -> None:
    logs = tmp_path / "logs"
    run = subprocess.Popen(
        [sys.executable, "-m", "keyforge.contract", "--log-dir", str(logs)],
        cwd=TOY,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        # Its own process group: whatever it starts stays findable after it has gone.
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while b"CREATE" not in _read(logs / "standin.log") and time.monotonic() < deadline:
            time.sleep(0.1)
        assert run.poll() is None, "the run ended before it could be interrupted"
        run.send_signal(stop)
        assert run.wait(30) == (130 if stop == signal.SIGINT else 128 + stop)
        time.sleep(0.5)
        with pytest.raises(ProcessLookupError):
            os.killpg(run.pid, 0)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(run.pid, signal.SIGKILL)
        run.wait()


def _read(path: Path) -> bytes:
    return path.read_bytes() if path.is_file() else b""


def test_the_generated_pass_can_leave_properties_out_of_the_schema() -> None:
    schema = {
        "properties": {"KeyId": {}, "KeyPolicy": {}, "Secret": {}, "Tags": {}},
        "readOnlyProperties": ["/properties/KeyId"],
        "writeOnlyProperties": ["/properties/Secret", "/properties/KeyPolicy/Statement"],
        "required": ["KeyPolicy", "Tags"],
        "primaryIdentifier": ["/properties/KeyId"],
    }

    trimmed = without(schema, ["KeyPolicy", "Secret"])

    assert trimmed == {
        "properties": {"KeyId": {}, "Tags": {}},
        "readOnlyProperties": ["/properties/KeyId"],
        "writeOnlyProperties": [],
        "required": ["Tags"],
        "primaryIdentifier": ["/properties/KeyId"],
    }
    assert "KeyPolicy" in schema["properties"]
    with pytest.raises(ContractSetupError, match="cannot omit Nothing"):
        without(schema, ["Nothing"])
