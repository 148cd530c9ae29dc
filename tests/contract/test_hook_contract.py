"""Keyforge::KMS::KeyRules against `cfn test`, the CloudFormation CLI's hook contract suite.

One run covers every input set of hooks/key-rules/inputs (one rule family each: key spec and
usage, rotation, imported key material, key policy statements, what an update cannot change),
each for both targets; each pass is asserted on its own. A second run makes the hook answer
SUCCESS whatever it found, and expects the suite to say so.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from keyforge.contract.project import ContractSetupError, Project, find_input_sets
from keyforge.contract.report import ContractPass, ContractReport
from keyforge.contract.runner import ContractOptions, contract_report

ROOT = Path(__file__).resolve().parents[2]
HOOK_PROJECT = ROOT / "hooks" / "key-rules"
PASSES = [found.label for found in find_input_sets(HOOK_PROJECT / "inputs", first="pre_create")]
CONTRACT = {
    "contract_check_asserts_work",
    "contract_pre_create_success",
    "contract_pre_create_failed",
    "contract_pre_update_success",
    "contract_pre_update_failed",
}
# The hook names its targets (no wildcard): the suite tests unsupported targets only for hooks
# whose targets are patterns. tests/hooks holds the hook to answering SUCCESS for other types.
SKIPPED = {
    "contract_pre_create_failed_unsupported_target",
    "contract_pre_update_failed_unsupported_target",
}

pytestmark = [pytest.mark.contract, pytest.mark.xdist_group("hook-contract")]


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> ContractReport:
    return contract_report(
        ContractOptions(
            project_dir=str(HOOK_PROJECT), log_dir=str(tmp_path_factory.mktemp("hook-contract"))
        )
    )


def test_every_input_set_ran_and_each_has_every_file(report: ContractReport) -> None:
    assert [run.label for run in report.passes] == PASSES
    assert len(PASSES) == 5
    for found in find_input_sets(HOOK_PROJECT / "inputs", first="pre_create"):
        assert sorted(found.files) == [
            "invalid_pre_create",
            "invalid_pre_update",
            "pre_create",
            "pre_update",
        ]


@pytest.mark.parametrize("label", PASSES)
def test_the_pass_keeps_the_hook_contract(report: ContractReport, label: str) -> None:
    (run,) = [run for run in report.passes if run.label == label]

    assert run.ok, report_of(run)
    assert set(run.tests("passed")) == CONTRACT, report_of(run)
    assert set(run.tests("skipped")) == SKIPPED, report_of(run)


def test_a_hook_that_passes_everything_breaks_the_contract(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The stand-in imports the broken hook from the tests, beside the hook project.
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    broken = contract_report(
        ContractOptions(
            ["-k", "contract_pre_create_success or contract_pre_create_failed"],
            project_dir=str(HOOK_PROJECT),
            input_sets=[1],
            entrypoint="tests.contract.broken_hook.hook",
            log_dir=str(tmp_path),
        )
    )

    (run,) = broken.passes
    assert run.exit_code == 1, broken.summary()
    assert dict(run.outcomes) == {
        "contract_pre_create_success": "passed",
        "contract_pre_create_failed": "failed",
        "contract_pre_create_failed_unsupported_target": "skipped",
    }, broken.summary()
    assert "status should be FAILED" in run.messages["contract_pre_create_failed"]


def test_a_hook_project_is_read_as_one() -> None:
    project = Project.load(HOOK_PROJECT)
    assert project.is_hook
    assert project.type_name == "Keyforge::KMS::KeyRules"
    assert project.first_input == "pre_create"
    with pytest.raises(ContractSetupError, match="input sets only"):
        contract_report(ContractOptions(project_dir=str(HOOK_PROJECT), generated=True))


def report_of(run: ContractPass) -> str:
    return ContractReport([run]).summary()
