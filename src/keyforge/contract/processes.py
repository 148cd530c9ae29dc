"""The child processes of a contract run: the stand-in (embedded KMS, STS, Lambda endpoint) and
`cfn`, which runs each pass's `cfn test`, started with an AWS environment that can reach no real
account. I/O.
"""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import boto3

from keyforge.contract.project import ContractSetupError
from keyforge.embedded_kms import FAKE_CREDENTIALS, create_principals

STANDIN_START_SECONDS = 60.0
STOP_SECONDS = 10.0
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


def aws_environment(endpoint: str, region: str, home: Path) -> dict[str, str]:
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


def stop(child: subprocess.Popen[Any]) -> None:
    if child.poll() is not None:
        return
    child.terminate()
    try:
        child.wait(STOP_SECONDS)
    except subprocess.TimeoutExpired:
        child.kill()
        child.wait()


def close_and_wait(child: subprocess.Popen[Any]) -> None:
    """Close the child's standard input, which tells it to finish; stop it if it does not."""
    if child.stdin is not None:
        child.stdin.close()
    try:
        child.wait(STOP_SECONDS)
    except subprocess.TimeoutExpired:
        stop(child)


@dataclass
class StandIn:
    """The `keyforge.contract.standin` child: the embedded KMS (and STS) and the Lambda endpoint."""

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
        schema: Path | None = None,
        import_paths: Sequence[Path] = (),
    ) -> Iterator[StandIn]:
        env = aws_environment("http://127.0.0.1:1", region, project_root)
        # The project root is importable, so an entrypoint can live in the tests; so are
        # `import_paths` (a hook project's src/, where its handler package is).
        parts = [str(project_root), *map(str, import_paths), env.get("PYTHONPATH", "")]
        env["PYTHONPATH"] = os.pathsep.join(part for part in parts if part)
        del env["AWS_ENDPOINT_URL"]  # the stand-in sets it once its KMS listens
        command = [
            sys.executable,
            "-m",
            "keyforge.contract.standin",
            "--entrypoint",
            entrypoint,
            "--region",
            region,
            *(["--record", str(record)] if record is not None else []),
            *(["--schema", str(schema)] if schema is not None else []),
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
            close_and_wait(process)
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


@dataclass
class CfnChild:
    """The `keyforge.contract.cfn_local --serve` child: runs `cfn` once a pass, loaded once."""

    process: subprocess.Popen[bytes]
    replies: IO[str]

    @classmethod
    @contextmanager
    def started(cls, sts_endpoint: str, env: dict[str, str], cwd: Path) -> Iterator[CfnChild]:
        read_end, write_end = os.pipe()
        command = [
            sys.executable,
            "-m",
            "keyforge.contract.cfn_local",
            "--serve",
            str(write_end),
            sts_endpoint,
        ]
        try:
            process = subprocess.Popen(
                command, cwd=cwd, env=env, stdin=subprocess.PIPE, pass_fds=(write_end,)
            )
        finally:
            os.close(write_end)
        with os.fdopen(read_end) as replies:
            try:
                yield cls(process, replies)
            except BaseException:
                stop(process)  # mid-pass, perhaps: an interrupted run does not wait for it
                raise
            finally:
                close_and_wait(process)

    def run(self, cwd: Path, cfn_args: list[str], log: Path | None) -> int:
        """`cfn CFN_ARGS` in `cwd`, its output appended to `log` (None: this process's output)."""
        assert self.process.stdin is not None
        request = {"cwd": str(cwd), "args": cfn_args, "log": str(log) if log else None}
        self.process.stdin.write((json.dumps(request) + "\n").encode())
        self.process.stdin.flush()
        reply = self.replies.readline()
        if not reply:
            raise ContractSetupError(f"cfn stopped (exit {self.process.wait()})")
        status: int = json.loads(reply)["exit"]
        return status


def _ready_line(process: subprocess.Popen[bytes]) -> dict[str, str]:
    assert process.stdout is not None
    readable, _, _ = select.select([process.stdout], [], [], STANDIN_START_SECONDS)
    line = process.stdout.readline() if readable else b""
    if not line:
        stop(process)
        raise ContractSetupError(
            f"the stand-in (KMS and Lambda endpoint) did not start (exit {process.poll()});"
            " see its output above or in standin.log"
        )
    ready: dict[str, str] = json.loads(line)
    return ready
