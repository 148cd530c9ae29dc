"""One contract run: each pass staged, run by `cfn test` against the stand-in, and reported. I/O."""

from __future__ import annotations

import json
import random
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO, TextIO

from keyforge.contract.processes import CfnChild, StandIn, aws_environment
from keyforge.contract.project import (
    ContractSetupError,
    InputSet,
    Project,
    find_input_sets,
    stage,
)
from keyforge.contract.report import ContractPass, ContractReport, handler_failures, read_junit
from keyforge.local.lambda_endpoint import DEFAULT_FUNCTION_NAME

DEFAULT_REGION = "us-east-1"
DEFAULT_ENFORCE_TIMEOUT = 240
GENERATED = "generated"


@dataclass(frozen=True)
class ContractOptions:
    """What a contract run runs; the command line's options are these fields, by name."""

    pytest_args: Sequence[str] = ()
    """For the suite's pytest (`-k contract_delete_read`)."""
    project_dir: str = "."
    inputs_dir: str | None = "inputs"
    """Holds the input sets, relative to the project; None runs only the generated pass."""
    input_sets: Sequence[int] | None = None
    """Set numbers to run; None runs every set."""
    generated: bool = False
    """After the input sets, run the pass that generates models from the schema."""
    omit: Sequence[str] = ()
    """Properties the generated pass leaves out of the schema."""
    entrypoint: str | None = None
    """Replaces the one `.rpdk-config` names (for example a deliberately broken wrapper)."""
    region: str = DEFAULT_REGION
    enforce_timeout: int = DEFAULT_ENFORCE_TIMEOUT
    log_dir: str | None = None
    """Each pass's output goes to `log_dir/<pass>.log` (the stand-in's to `standin.log`)
    instead of this process's output."""
    seed: int | None = None
    """The generated pass's Hypothesis seed: a random one when None, unless `pytest_args`
    name one. The report gives it, so that a failing pass can be run again as it was."""


def run_contract(options: ContractOptions, out: TextIO | None = None) -> int:
    """Run the contract suite, print its summary (to `out`, else stdout) and answer an exit status.

    0 when every pass passed, else the first failing `cfn` exit code.
    """
    report = contract_report(options)
    print(report.summary(), file=out or sys.stdout, flush=True)
    return report.exit_code


def contract_report(options: ContractOptions) -> ContractReport:
    """Run the contract suite against the stand-in; what each pass did."""
    project = Project.load(Path(options.project_dir).resolve())
    if project.is_hook and (options.inputs_dir is None or options.generated):
        raise ContractSetupError(
            "a hook's contract runs on its input sets only: targets generated from their "
            "schemas would keep or break its rules at random"
        )
    passes: list[InputSet | None] = []
    if options.inputs_dir is not None:
        passes.extend(
            find_input_sets(
                project.root / options.inputs_dir, options.input_sets, project.first_input
            )
        )
    if options.inputs_dir is None or options.generated:
        passes.append(None)
    logs = Path(options.log_dir).resolve() if options.log_dir else None
    if logs is not None:
        logs.mkdir(parents=True, exist_ok=True)

    report = ContractReport()
    with ExitStack() as stack:
        scratch = Path(
            stack.enter_context(tempfile.TemporaryDirectory(prefix="keyforge-contract-"))
        )
        standin_log = stack.enter_context(_log_file(logs, "standin"))
        invocations = scratch / "invocations.jsonl"
        invocations.touch()
        standin = stack.enter_context(
            StandIn.started(
                project.root,
                options.entrypoint or project.entrypoint,
                options.region,
                standin_log,
                invocations,
                # A resource's handlers run with the permissions its schema declares; a hook
                # declares none and calls nothing.
                schema=None if project.is_hook else project.schema_file,
                import_paths=[project.source_dir],
            )
        )
        environment = aws_environment(standin.kms_endpoint, options.region, scratch)
        cfn = stack.enter_context(CfnChild.started(standin.kms_endpoint, environment, scratch))
        for index, input_set in enumerate(passes):
            if index:
                standin.reset_kms()
            label = input_set.label if input_set else GENERATED
            folder = stage(project, scratch / label, input_set, () if input_set else options.omit)
            standin.create_principals(folder, options.region)
            seen = invocations.stat().st_size
            arguments, pass_seed = list(options.pytest_args), None
            if input_set is None and not any(
                argument.startswith("--hypothesis-seed") for argument in options.pytest_args
            ):
                pass_seed = random.randrange(2**32) if options.seed is None else options.seed
                arguments.append(f"--hypothesis-seed={pass_seed}")
            cfn_options = _hook_configuration(project, folder) if project.is_hook else []
            run = _run_pass(label, folder, standin, cfn, arguments, options, logs, cfn_options)
            failures = handler_failures(invocations, seen)
            report.passes.append(replace(run, handler_failures=failures, seed=pass_seed))
    return report


def _hook_configuration(project: Project, folder: Path) -> list[str]:
    """`cfn test` options for a hook pass: its type configuration, the defaults of the hook's
    schema (its typeConfiguration's properties).

    Without --typeconfig, `cfn test` reads ~/.cfn-cli/typeConfiguration.json, whatever it holds.
    """
    schema = json.loads(project.schema_file.read_text())
    declared = schema.get("typeConfiguration", {}).get("properties", {})
    defaults = {name: node["default"] for name, node in declared.items() if "default" in node}
    configuration = {"CloudFormationConfiguration": {"HookConfiguration": {"Properties": defaults}}}
    path = folder / "type-configuration.json"
    path.write_text(json.dumps(configuration))
    return ["--typeconfig", str(path)]


@contextmanager
def _log_file(logs: Path | None, label: str) -> Iterator[IO[bytes] | None]:
    if logs is None:
        yield None
        return
    with (logs / f"{label}.log").open("wb") as log:
        yield log


def _run_pass(
    label: str,
    folder: Path,
    standin: StandIn,
    cfn: CfnChild,
    pytest_args: Sequence[str],
    options: ContractOptions,
    logs: Path | None,
    cfn_options: Sequence[str] = (),
) -> ContractPass:
    junit = folder / "junit.xml"
    cfn_args = [
        "test",
        "--endpoint",
        standin.lambda_endpoint,
        "--function-name",
        DEFAULT_FUNCTION_NAME,
        "--region",
        options.region,
        "--enforce-timeout",
        str(options.enforce_timeout),
        *cfn_options,
        "--",
        # The suite logs every property it prunes at INFO; later -o options (the caller's) win.
        "-o",
        "log_cli_level=WARNING",
        *pytest_args,
        f"--junitxml={junit}",
    ]
    log = logs / f"{label}.log" if logs is not None else None
    if log is not None:
        log.write_bytes(b"")
    started = time.monotonic()
    exit_code = cfn.run(folder, cfn_args, log)
    seconds = time.monotonic() - started
    outcomes, messages = read_junit(junit) if junit.is_file() else ({}, {})
    if logs is not None:
        for produced, kept in ((folder / "rpdk.log", "rpdk.log"), (junit, "junit.xml")):
            if produced.is_file():
                shutil.copyfile(produced, logs / f"{label}.{kept}")
    return ContractPass(
        label,
        exit_code,
        outcomes,
        messages,
        seconds,
        log,
    )
