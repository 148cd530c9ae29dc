"""Keyforge::KMS::Key against `cfn test`, the CloudFormation CLI's contract suite.

One run covers every input set (one key kind each) and the models the suite
generates from schema.json; each pass is asserted on its own. A second run
breaks READ (it answers SUCCESS for a deleted key) and expects the suite to say so.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from keyforge.contract.project import find_input_sets
from keyforge.contract.report import ContractPass, ContractReport
from keyforge.contract.runner import ContractOptions, contract_report

PROJECT = Path(__file__).resolve().parents[2]
PASSES = [found.label for found in find_input_sets(PROJECT / "inputs")] + ["generated"]
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

# One run of every pass shares its servers; on one worker, so that parallel workers do not each
# run them all.
pytestmark = [pytest.mark.contract, pytest.mark.xdist_group("contract")]


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> ContractReport:
    return contract_report(
        ContractOptions(
            project_dir=str(PROJECT),
            generated=True,
            omit=["KeyPolicy"],
            log_dir=str(tmp_path_factory.mktemp("contract")),
            # The same generated models every run; `make contract` draws new ones each time.
            seed=GENERATED_SEED,
        )
    )


def test_every_input_set_and_the_generated_pass_ran(report: ContractReport) -> None:
    assert [run.label for run in report.passes] == PASSES
    assert len(PASSES) == 8


@pytest.mark.parametrize("label", PASSES)
def test_the_pass_keeps_the_contract(report: ContractReport, label: str) -> None:
    (run,) = [run for run in report.passes if run.label == label]

    assert run.ok, report_of(run)
    assert set(run.tests("passed")) == CONTRACT, report_of(run)
    assert set(run.tests("skipped")) == SKIPPED, report_of(run)


def test_a_read_that_finds_a_deleted_key_breaks_the_contract(tmp_path: Path) -> None:
    broken = contract_report(
        ContractOptions(
            ["-k", "contract_delete_read or contract_create_read"],
            project_dir=str(PROJECT),
            input_sets=[5],
            entrypoint="tests.contract.broken_handlers.resource",
            log_dir=str(tmp_path),
        )
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
