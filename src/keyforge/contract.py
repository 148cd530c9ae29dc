"""Run `cfn test`, the CloudFormation CLI's contract suite, with no Docker and no AWS account.

`cfn test` needs three things from AWS: the function to invoke (normally
`sam local start-lambda`, which needs Docker), STS (to learn the account and
fetch a session token) and whatever the handlers call. Here one child process
(`keyforge.standin`) provides all three: an embedded KMS on a free loopback port,
which answers STS too, and a Lambda Invoke endpoint on another free port that
calls the entrypoint named in `.rpdk-config` in-process, with AWS_ENDPOINT_URL
pointing the handlers at the embedded KMS. `cfn` itself runs in a second child
(`keyforge.cfn_local`) whose STS endpoint points at the embedded KMS.

Each input set (`inputs/inputs_N_{create,update,invalid}.json`) runs as its own
pass, so one failing set does not hide the others; the pass without inputs lets
the suite generate models from the schema (`overrides.json` pins values there).
Every pass runs in a scratch copy of the project (.rpdk-config, the schema,
overrides.json and that one input set), and the embedded KMS is emptied between
passes.

The suite's generator fills in every writable property of the schema at once,
and `overrides.json` can pin a property's value but cannot leave it out. So a
schema with properties that exclude each other (Keyforge's KeyPolicy and its
policy builder properties) can only be generated for with one side left out of
the schema copy the generated pass hands the suite (`omit`); the input sets
cover the other side.

    python -m keyforge.contract                    # every input set in inputs/
    python -m keyforge.contract --generated --omit KeyPolicy   # ... then the generated pass
    python -m keyforge.contract --no-inputs --omit KeyPolicy   # only the generated pass
    python -m keyforge.contract --set 2 -- -k contract_delete_read
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator, Mapping, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import FrameType
from typing import IO, Any, TextIO, TypedDict, Unpack

import boto3

from keyforge.embedded_kms import FAKE_CREDENTIALS, create_principals
from keyforge.lambda_endpoint import DEFAULT_FUNCTION_NAME

DEFAULT_REGION = "us-east-1"
DEFAULT_ENFORCE_TIMEOUT = 240
GENERATED = "generated"
INPUT_FILE = re.compile(r"^inputs_(?P<number>\d+)_(?P<kind>create|update|invalid)\.json$")
STANDIN_START_SECONDS = 60.0
STOP_SECONDS = 10.0
OUTCOME_RANK = {"passed": 0, "skipped": 1, "failed": 2, "error": 3}
# Anything here could send a request to a real account or read a real profile.
AWS_ENVIRONMENT_TO_DROP = (
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_ROLE_ARN",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    "AWS_CA_BUNDLE",
)


class ContractSetupError(RuntimeError):
    """The run could not start: a missing project file, input set or stand-in."""


@dataclass(frozen=True)
class InputSet:
    number: int
    files: Mapping[str, Path]  # "create" / "update" / "invalid" -> file

    @property
    def label(self) -> str:
        return f"inputs_{self.number}"


@dataclass(frozen=True)
class ContractPass:
    """One `cfn test` run: one input set, or the models generated from the schema."""

    label: str
    exit_code: int
    outcomes: Mapping[str, str]  # contract test -> passed / failed / error / skipped
    messages: Mapping[str, str]  # contract test -> why it failed, errored or was skipped
    seconds: float
    log: Path | None = None
    # What the handlers answered that no contract test asks for: FAILED other than NotFound.
    handler_failures: tuple[str, ...] = ()
    seed: int | None = None  # the generated pass's Hypothesis seed, to run the same models again

    @property
    def ok(self) -> bool:
        return self.exit_code == 0

    def tests(self, outcome: str) -> list[str]:
        return sorted(name for name, seen in self.outcomes.items() if seen == outcome)


@dataclass(frozen=True)
class ContractReport:
    passes: list[ContractPass] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        return next((run.exit_code for run in self.passes if run.exit_code), 0)

    @property
    def ok(self) -> bool:
        return self.exit_code == 0

    def summary(self) -> str:
        lines = []
        for run in self.passes:
            counts = ", ".join(
                f"{len(run.tests(outcome))} {outcome}"
                for outcome in OUTCOME_RANK
                if run.tests(outcome)
            )
            verdict = "ok" if run.ok else f"FAILED (cfn exit {run.exit_code})"
            seeded = f" (--hypothesis-seed={run.seed})" if run.seed is not None else ""
            lines.append(
                f"{run.label}{seeded}: {verdict}: {counts or 'no tests ran'} in {run.seconds:.1f}s"
            )
            for outcome in ("failed", "error", "skipped"):
                # A failing fixture fails every test that uses it: one line per distinct reason.
                by_message: dict[str, list[str]] = {}
                for name in run.tests(outcome):
                    by_message.setdefault(run.messages.get(name, ""), []).append(name)
                for message, names in by_message.items():
                    lines.append(f"    {outcome} {', '.join(names)}: {message}".rstrip())
            if not run.ok:
                lines.extend(f"    handler answered {answer}" for answer in run.handler_failures)
            if run.log is not None and not run.ok:
                lines.append(f"    log: {run.log}")
        return "\n".join(lines)


@dataclass(frozen=True)
class Project:
    root: Path
    type_name: str
    entrypoint: str

    @property
    def schema_file(self) -> Path:
        return self.root / f"{self.type_name.lower().replace('::', '-')}.json"

    @classmethod
    def load(cls, root: Path) -> Project:
        config_file = root / ".rpdk-config"
        try:
            config = json.loads(config_file.read_text())
        except FileNotFoundError as missing:
            raise ContractSetupError(f"{config_file} not found: run from the project root") from (
                missing
            )
        project = cls(root, str(config["typeName"]), str(config["entrypoint"]))
        if not project.schema_file.is_file():
            raise ContractSetupError(f"schema {project.schema_file} not found")
        return project


def find_input_sets(inputs_dir: Path, numbers: Sequence[int] | None = None) -> list[InputSet]:
    """The numbered input sets in `inputs_dir`, in order; only `numbers` when given."""
    if not inputs_dir.is_dir():
        raise ContractSetupError(f"inputs directory {inputs_dir} not found")
    found: dict[int, dict[str, Path]] = {}
    for path in sorted(inputs_dir.iterdir()):
        match = INPUT_FILE.match(path.name)
        if match:
            found.setdefault(int(match["number"]), {})[match["kind"]] = path
    wanted = sorted(found) if numbers is None else list(numbers)
    sets = []
    for number in wanted:
        files = found.get(number, {})
        if "create" not in files:
            raise ContractSetupError(f"{inputs_dir}/inputs_{number}_create.json not found")
        sets.append(InputSet(number, files))
    if not sets:
        raise ContractSetupError(f"no input sets (inputs_N_create.json) in {inputs_dir}")
    return sets


class RunOptions(TypedDict, total=False):
    """The keyword arguments `run_contract` passes on to `contract_report`."""

    project_dir: str
    input_sets: Sequence[int] | None
    generated: bool
    omit: Sequence[str]
    entrypoint: str | None
    region: str
    enforce_timeout: int
    log_dir: str | None
    seed: int | None


def run_contract(
    pytest_args: Sequence[str] = (),
    inputs_dir: str | None = "inputs",
    *,
    out: TextIO | None = None,
    **options: Unpack[RunOptions],
) -> int:
    """Run the contract suite, print its summary (to `out`, else stdout) and answer an exit status.

    0 when every pass passed, else the first failing `cfn` exit code. The
    arguments are those of `contract_report`.
    """
    report = contract_report(pytest_args, inputs_dir, **options)
    print(report.summary(), file=out or sys.stdout, flush=True)
    return report.exit_code


def contract_report(
    pytest_args: Sequence[str] = (),
    inputs_dir: str | None = "inputs",
    *,
    project_dir: str = ".",
    input_sets: Sequence[int] | None = None,
    generated: bool = False,
    omit: Sequence[str] = (),
    entrypoint: str | None = None,
    region: str = DEFAULT_REGION,
    enforce_timeout: int = DEFAULT_ENFORCE_TIMEOUT,
    log_dir: str | None = None,
    seed: int | None = None,
) -> ContractReport:
    """Run the contract suite against the stand-in; what each pass did.

    `inputs_dir` (relative to the project) holds the input sets; None runs only
    the pass that generates models from the schema, which `generated` adds after
    the input sets; `omit` names properties that pass leaves out of the schema.
    `input_sets` picks set numbers. `entrypoint` replaces the one `.rpdk-config`
    names (for example a deliberately broken wrapper). `pytest_args` go to the
    suite's pytest (`-k contract_delete_read`). With `log_dir`, each pass's output
    goes to `log_dir/<pass>.log` (and the stand-in's to `standin.log`) instead of
    this process's output. The generated pass draws its models with Hypothesis
    seed `seed` (a random one when None, unless `pytest_args` name one), which
    the report gives, so that a failing pass can be run again as it was.
    """
    project = Project.load(Path(project_dir).resolve())
    passes: list[InputSet | None] = []
    if inputs_dir is not None:
        passes.extend(find_input_sets(project.root / inputs_dir, input_sets))
    if inputs_dir is None or generated:
        passes.append(None)
    logs = Path(log_dir).resolve() if log_dir else None
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
                project.root, entrypoint or project.entrypoint, region, standin_log, invocations
            )
        )
        for index, input_set in enumerate(passes):
            if index:
                standin.reset_kms()
            label = input_set.label if input_set else GENERATED
            stage = _stage(project, scratch / label, input_set, () if input_set else omit)
            standin.create_principals(stage, region)
            seen = invocations.stat().st_size
            arguments, pass_seed = list(pytest_args), None
            if input_set is None and not any(
                argument.startswith("--hypothesis-seed") for argument in pytest_args
            ):
                pass_seed = random.randrange(2**32) if seed is None else seed
                arguments.append(f"--hypothesis-seed={pass_seed}")
            with _log_file(logs, label) as log:
                run = _run_pass(
                    label, stage, standin, arguments, region, enforce_timeout, log, logs
                )
            failures = _failures(invocations, seen)
            report.passes.append(replace(run, handler_failures=failures, seed=pass_seed))
    return report


def _failures(invocations: Path, offset: int) -> tuple[str, ...]:
    """The distinct unexpected answers recorded in `invocations` from `offset` on."""
    with invocations.open("rb") as lines:
        lines.seek(offset)
        recorded = [json.loads(line) for line in lines if line.strip()]
    failures: dict[str, None] = {}
    for answer in recorded:
        if (
            answer.get("status") in ("SUCCESS", "IN_PROGRESS")
            or answer.get("errorCode") == "NotFound"
        ):
            continue
        code = f" {answer['errorCode']}" if answer.get("errorCode") else ""
        failures[
            f"{answer.get('action')} {answer.get('status')}{code}: {answer.get('message')}"
        ] = None
    return tuple(failures)


@contextmanager
def _log_file(logs: Path | None, label: str) -> Iterator[IO[bytes] | None]:
    if logs is None:
        yield None
        return
    with (logs / f"{label}.log").open("wb") as log:
        yield log


def _stage(
    project: Project, stage: Path, input_set: InputSet | None, omit: Sequence[str] = ()
) -> Path:
    """A copy of the project holding what `cfn test` reads, with one input set as set 1."""
    stage.mkdir(parents=True)
    shutil.copyfile(project.root / ".rpdk-config", stage / ".rpdk-config")
    schema = json.loads(project.schema_file.read_text())
    (stage / project.schema_file.name).write_text(json.dumps(without(schema, omit), indent=4))
    overrides = project.root / "overrides.json"
    if overrides.is_file():
        shutil.copyfile(overrides, stage / overrides.name)
    if input_set is not None:
        (stage / "inputs").mkdir()
        for kind, path in input_set.files.items():
            shutil.copyfile(path, stage / "inputs" / f"inputs_1_{kind}.json")
    return stage


POINTER_LISTS = (
    "readOnlyProperties",
    "writeOnlyProperties",
    "createOnlyProperties",
    "conditionalCreateOnlyProperties",
    "deprecatedProperties",
    "required",
)


def without(schema: dict[str, Any], names: Sequence[str]) -> dict[str, Any]:
    """The schema with top-level properties `names` left out, pointers to them included."""
    if not names:
        return schema
    unknown = sorted(set(names) - set(schema.get("properties", {})))
    if unknown:
        raise ContractSetupError(f"cannot omit {', '.join(unknown)}: not in the schema")
    gone = set(names)
    trimmed = dict(schema)
    trimmed["properties"] = {
        name: value for name, value in schema["properties"].items() if name not in gone
    }
    for key in POINTER_LISTS:
        if key in schema:
            trimmed[key] = [entry for entry in schema[key] if _property_of(entry) not in gone]
    return trimmed


def _property_of(entry: str) -> str:
    """The top-level property a pointer (/properties/Name/...) or a `required` entry names."""
    if entry.startswith("/properties/"):
        return entry.split("/")[2]
    return entry


def _run_pass(
    label: str,
    stage: Path,
    standin: StandIn,
    pytest_args: Sequence[str],
    region: str,
    enforce_timeout: int,
    log: IO[bytes] | None,
    logs: Path | None,
) -> ContractPass:
    junit = stage / "junit.xml"
    command = [
        sys.executable,
        "-m",
        "keyforge.cfn_local",
        standin.kms_endpoint,
        "test",
        "--endpoint",
        standin.lambda_endpoint,
        "--function-name",
        DEFAULT_FUNCTION_NAME,
        "--region",
        region,
        "--enforce-timeout",
        str(enforce_timeout),
        "--",
        # The suite logs every property it prunes at INFO; later -o options (the caller's) win.
        "-o",
        "log_cli_level=WARNING",
        *pytest_args,
        f"--junitxml={junit}",
    ]
    started = time.monotonic()
    exit_code = _run_child(
        command, stage, _aws_environment(standin.kms_endpoint, region, stage), log
    )
    seconds = time.monotonic() - started
    outcomes, messages = read_junit(junit) if junit.is_file() else ({}, {})
    if logs is not None:
        for produced, kept in ((stage / "rpdk.log", "rpdk.log"), (junit, "junit.xml")):
            if produced.is_file():
                shutil.copyfile(produced, logs / f"{label}.{kept}")
    return ContractPass(
        label,
        exit_code,
        outcomes,
        messages,
        seconds,
        logs / f"{label}.log" if logs is not None else None,
    )


def _run_child(command: list[str], cwd: Path, env: dict[str, str], log: IO[bytes] | None) -> int:
    child = subprocess.Popen(
        command, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=log
    )
    try:
        return child.wait()
    finally:
        _stop(child)


def _stop(child: subprocess.Popen[Any]) -> None:
    if child.poll() is not None:
        return
    child.terminate()
    try:
        child.wait(STOP_SECONDS)
    except subprocess.TimeoutExpired:
        child.kill()
        child.wait()


def _aws_environment(endpoint: str, region: str, home: Path) -> dict[str, str]:
    env = {name: value for name, value in os.environ.items() if name not in AWS_ENVIRONMENT_TO_DROP}
    # With a session token among them, `cfn test` uses the credentials as they are, no STS call.
    env.update(FAKE_CREDENTIALS)
    env.update(
        {
            "AWS_DEFAULT_REGION": region,
            "AWS_REGION": region,
            "AWS_ENDPOINT_URL": endpoint,
            "AWS_CONFIG_FILE": str(home / "aws-config"),
            "AWS_SHARED_CREDENTIALS_FILE": str(home / "aws-credentials"),
            "AWS_EC2_METADATA_DISABLED": "true",
        }
    )
    return env


def read_junit(path: Path) -> tuple[dict[str, str], dict[str, str]]:
    """Each test's outcome (the worst seen, setup and teardown included) and message."""
    outcomes: dict[str, str] = {}
    messages: dict[str, str] = {}
    for case in ElementTree.parse(path).iter("testcase"):
        name = case.get("name", "?")
        outcome, message = "passed", ""
        for child in case:
            if child.tag in ("failure", "error", "skipped"):
                outcome = {"failure": "failed"}.get(child.tag, child.tag)
                text = child.get("message") or child.text or ""
                message = _model_difference(child.text or "") or _first_line(text)
                break
        if OUTCOME_RANK[outcome] >= OUTCOME_RANK.get(outcomes.get(name, "passed"), 0):
            outcomes[name] = outcome
            if message:
                messages[name] = message
    return outcomes, messages


def _model_difference(text: str) -> str:
    """For the suite's "input equals output" failure: which properties differ, and how."""
    sent_at, got_at = text.rfind(", inputs: {"), text.rfind(", outputs: {")
    if sent_at < 0 or got_at < sent_at:
        return ""
    decoder = json.JSONDecoder()
    try:
        sent, _ = decoder.raw_decode(text, sent_at + len(", inputs: "))
        got, _ = decoder.raw_decode(text, got_at + len(", outputs: "))
    except ValueError:
        return ""
    if not isinstance(sent, dict) or not isinstance(got, dict):
        return ""
    differences = [
        f"{name} sent {json.dumps(value)}, "
        + (f"returned {json.dumps(got[name])}" if name in got else "not returned")
        for name, value in sent.items()
        if got.get(name, _MISSING) != value
    ]
    if not differences:
        return ""
    return _first_line("the model returned differs from the request: " + "; ".join(differences))


_MISSING = object()


def _first_line(text: str, limit: int = 400) -> str:
    line = next((line.strip() for line in text.splitlines() if line.strip()), "")
    return line if len(line) <= limit else line[: limit - 3] + "..."


@dataclass
class StandIn:
    """The `keyforge.standin` child: the embedded KMS (and STS) and the Lambda endpoint."""

    process: subprocess.Popen[bytes]
    lambda_endpoint: str
    kms_endpoint: str

    @classmethod
    @contextmanager
    def started(
        cls,
        project_root: Path,
        entrypoint: str,
        region: str,
        log: IO[bytes] | None,
        record: Path | None = None,
    ) -> Iterator[StandIn]:
        env = _aws_environment("http://127.0.0.1:1", region, project_root)
        # The project root is importable, so an entrypoint can live in the tests.
        env["PYTHONPATH"] = os.pathsep.join(
            part for part in (str(project_root), env.get("PYTHONPATH", "")) if part
        )
        del env["AWS_ENDPOINT_URL"]  # the stand-in sets it once its KMS listens
        command = [
            sys.executable,
            "-m",
            "keyforge.standin",
            "--entrypoint",
            entrypoint,
            "--region",
            region,
            *(["--record", str(record)] if record is not None else []),
            # On the terminal only what went wrong: the summary names the failed answers.
            *(["--log-level", "WARNING"] if log is None else []),
        ]
        process = subprocess.Popen(
            command,
            cwd=project_root,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=log,
        )
        try:
            ready = _ready_line(process)
            yield cls(process, ready["lambda_endpoint"], ready["kms_endpoint"])
        finally:
            if process.stdin is not None:
                process.stdin.close()
            try:
                process.wait(STOP_SECONDS)
            except subprocess.TimeoutExpired:
                _stop(process)
            if process.stdout is not None:
                process.stdout.close()

    def create_principals(self, stage: Path, region: str) -> list[str]:
        """Create in the embedded KMS's IAM the roles and users a pass's models name.

        The embedded KMS, like KMS, refuses key policies naming principals that do not exist;
        the account the inputs and overrides were written for has them.
        """
        files = [stage / "overrides.json", *sorted(stage.glob("inputs/*.json"))]
        named = [json.loads(path.read_text()) for path in files if path.is_file()]
        credentials = {
            "aws_access_key_id": FAKE_CREDENTIALS["AWS_ACCESS_KEY_ID"],
            "aws_secret_access_key": FAKE_CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
            "aws_session_token": FAKE_CREDENTIALS["AWS_SESSION_TOKEN"],
        }
        session = boto3.Session(region_name=region, **credentials)
        account = session.client("sts", endpoint_url=self.kms_endpoint).get_caller_identity()
        iam = session.client("iam", endpoint_url=self.kms_endpoint)
        return create_principals(iam, named, account["Account"])

    def reset_kms(self) -> None:
        """Forget every key (and every IAM role and user), so each pass lists only its own."""
        request = urllib.request.Request(f"{self.kms_endpoint}/moto-api/reset", method="POST")
        with urllib.request.urlopen(request, timeout=30) as answer:
            answer.read()


def _ready_line(process: subprocess.Popen[bytes]) -> dict[str, str]:
    assert process.stdout is not None
    readable, _, _ = select.select([process.stdout], [], [], STANDIN_START_SECONDS)
    line = process.stdout.readline() if readable else b""
    if not line:
        _stop(process)
        raise ContractSetupError(
            f"the stand-in (KMS and Lambda endpoint) did not start (exit {process.poll()});"
            " see its output above or in standin.log"
        )
    ready: dict[str, str] = json.loads(line)
    return ready


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of the contract command, for a parser or a subcommand parser."""
    parser.add_argument(
        "--project", default=".", help="the project root, where .rpdk-config is (default: .)"
    )
    parser.add_argument(
        "--inputs", default="inputs", help="input sets directory, relative to the project"
    )
    parser.add_argument(
        "--set",
        dest="input_sets",
        type=int,
        action="append",
        metavar="N",
        help="run only input set N (repeatable)",
    )
    parser.add_argument(
        "--generated",
        action="store_true",
        help="after the input sets, run the pass that generates models from the schema",
    )
    parser.add_argument(
        "--no-inputs",
        action="store_true",
        help="run only the pass that generates models from the schema",
    )
    parser.add_argument(
        "--omit",
        action="append",
        default=[],
        metavar="PROPERTY",
        help="leave PROPERTY out of the schema for the generated pass (repeatable)",
    )
    parser.add_argument(
        "--entrypoint", help="handler entrypoint to test instead of the one in .rpdk-config"
    )
    parser.add_argument("--region", default=DEFAULT_REGION)
    parser.add_argument(
        "--enforce-timeout",
        type=int,
        default=DEFAULT_ENFORCE_TIMEOUT,
        help="seconds a READ or LIST may take (twice that for the others)",
    )
    parser.add_argument("--log-dir", help="write each pass's output to LOG_DIR/<pass>.log")
    parser.add_argument(
        "--seed", type=int, help="Hypothesis seed of the generated pass (default: a random one)"
    )
    parser.add_argument(
        "pytest_args", nargs="*", help="after --: arguments for the suite's pytest (-k NAME)"
    )


def run_from_arguments(args: argparse.Namespace) -> int:
    """Run what `add_arguments` parsed; the exit status. Call it from the main thread."""
    # SIGTERM then unwinds like Ctrl-C does, so what the run started is stopped on the way out.
    previous = signal.signal(signal.SIGTERM, _exit_on_sigterm)
    try:
        return run_contract(
            args.pytest_args,
            None if args.no_inputs else args.inputs,
            project_dir=args.project,
            input_sets=args.input_sets,
            generated=args.generated,
            omit=args.omit,
            entrypoint=args.entrypoint,
            region=args.region,
            enforce_timeout=args.enforce_timeout,
            log_dir=args.log_dir,
            seed=args.seed,
        )
    except ContractSetupError as error:
        print(f"contract: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("contract: interrupted", file=sys.stderr)
        return 130
    finally:
        signal.signal(signal.SIGTERM, previous)


def _exit_on_sigterm(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(128 + signum)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m keyforge.contract",
        description="Run the CloudFormation CLI contract tests against the embedded KMS.",
    )
    add_arguments(parser)
    return run_from_arguments(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
