"""Keyforge::KMS::Key against `cfn test`, the CloudFormation CLI's contract suite.

One pass per input set (one key kind each) and one on the models the suite
generates from schema.json, each run and asserted on its own. A second run
breaks READ (it answers SUCCESS for a deleted key) and expects the suite to say so.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from keyforge.contract import ContractPass, ContractReport, contract_report, find_input_sets

PROJECT = Path(__file__).resolve().parents[2]
INPUT_SETS = find_input_sets(PROJECT / "inputs")
PASSES = [found.label for found in INPUT_SETS] + ["generated"]
# Keyforge's only identifier, KeyId, is read-only: the suite skips what needs a writable one.
SKIPPED = {"contract_create_create", "contract_delete_create"}
CONTRACT = {
    "contract_check_asserts_work",
    "contract_create_delete",
    "contract_create_read",
    "contract_create_list",
    "contract_create_taggable",
    "contract_delete_read",
    "contract_delete_list",
    "contract_delete_update",
    "contract_delete_delete",
    "contract_update_read",
    "contract_update_list",
    "contract_update_tag_updatable",
    "contract_update_without_create",
}

GENERATED_SEED = 1128

pytestmark = pytest.mark.contract


def test_every_input_set_and_the_generated_pass_run() -> None:
    assert PASSES[-1] == "generated"
    assert len(PASSES) == 8


def contract_pass(label: str, log_dir: Path) -> ContractPass:
    """One pass on its own, so that parallel workers can share the passes out."""
    if label == "generated":
        # The same generated models every run; `make contract` draws new ones each time.
        report = contract_report(
            project_dir=str(PROJECT),
            inputs_dir=None,
            omit=["KeyPolicy"],
            log_dir=str(log_dir),
            seed=GENERATED_SEED,
        )
    else:
        number = next(found.number for found in INPUT_SETS if found.label == label)
        report = contract_report(
            project_dir=str(PROJECT), input_sets=[number], log_dir=str(log_dir)
        )
    (run,) = report.passes
    assert run.label == label
    return run


@pytest.mark.parametrize("label", PASSES)
def test_the_pass_keeps_the_contract(tmp_path: Path, label: str) -> None:
    run = contract_pass(label, tmp_path)

    assert run.ok, report_of(run)
    assert set(run.tests("passed")) == CONTRACT, report_of(run)
    assert set(run.tests("skipped")) == SKIPPED, report_of(run)


def test_a_read_that_finds_a_deleted_key_breaks_the_contract(tmp_path: Path) -> None:
    broken = contract_report(
        ["-k", "contract_delete_read or contract_create_read"],
        project_dir=str(PROJECT),
        input_sets=[5],
        entrypoint="tests.contract.broken_handlers.resource",
        log_dir=str(tmp_path),
    )

    (run,) = broken.passes
    assert run.exit_code == 1, broken.summary()
    assert dict(run.outcomes) == {
        "contract_create_read": "passed",
        "contract_delete_read": "failed",
    }, broken.summary()
    assert run.messages["contract_delete_read"] == "AssertionError: status should be FAILED"


def report_of(run: ContractPass) -> str:
    return ContractReport([run]).summary()
