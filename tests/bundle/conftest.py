"""The Lambda bundle, built once a session exactly as `make package` builds it."""

from __future__ import annotations

import fcntl
import io
import json
import os
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import pytest

from keyforge import submit

ROOT = Path(__file__).resolve().parents[2]
RUNTIME = Path(__file__).with_name("lambda_runtime.py")
# The bundle's tests on one worker: the others would only wait for its build (pip downloads).
ON_ONE_WORKER = pytest.mark.xdist_group("bundle")


@dataclass(frozen=True)
class Bundle:
    project: Path  # the copy of the project that cfn ran in
    package: Path  # keyforge-kms-key.zip, what `cfn submit` uploads
    root: Path  # its ResourceProvider.zip unpacked: the Lambda function's code


@pytest.fixture(scope="session")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Bundle:
    """`make package` (`python -m keyforge.submit --dry-run`) in a copy of the project.

    Built once a test run: parallel workers (pytest-xdist) share it, the first one builds it.
    Nothing is written to the work tree. pip downloads the requirements (the plugin passes
    --no-cache-dir), so this needs the package index.
    """
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent  # this run's folder, shared by its workers
    project = base / "bundle-project"
    with (base / "bundle-project.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (project / "bundle").is_dir():
            build(project)
    return Bundle(project, project / "keyforge-kms-key.zip", project / "bundle")


def build(project: Path) -> None:
    """A copy of the project in `project`, its bundle built there and unpacked in `bundle`."""
    copy_project(project)
    package(project)
    with zipfile.ZipFile(project / "keyforge-kms-key.zip") as outer:
        inner = io.BytesIO(outer.read("ResourceProvider.zip"))
    with zipfile.ZipFile(inner) as function_code:
        function_code.extractall(project / "bundle.partial")
    (project / "bundle.partial").rename(project / "bundle")


def copy_project(project: Path) -> None:
    """What `cfn submit` reads, copied from the work tree into `project` (made anew)."""
    submit.copy_project(ROOT, project)


def package(project: Path, umask: int = -1) -> str:
    """`python -m keyforge.submit --dry-run` in `project` (with `umask` if given); its output."""
    done = subprocess.run(
        [sys.executable, "-m", "keyforge.submit", "--dry-run"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
        umask=umask,
    )
    if done.returncode != 0 or not (project / "keyforge-kms-key.zip").is_file():
        log = project / "rpdk.log"
        pytest.fail(
            f"python -m keyforge.submit --dry-run failed ({done.returncode}):\n"
            f"{done.stderr[-4000:]}\n" + (log.read_text()[-4000:] if log.is_file() else "")
        )
    return done.stdout


class IsolatedLambda:
    """The bundle's entrypoint in `python -I -S` (lambda_runtime.py): one warm function instance.

    `invoke` has the entrypoint's signature, so `LocalInvoker` drives it as CloudFormation does.
    """

    def __init__(self, bundle: Bundle, entrypoint: str, env: dict[str, str], stderr: Path) -> None:
        self._stderr = stderr.open("w+")
        self._process = subprocess.Popen(
            [sys.executable, "-I", "-S", str(RUNTIME), str(bundle.root), entrypoint],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            text=True,
            env=env,
        )
        self.started: dict[str, Any] = self._answer()

    def _pipe(self, pipe: IO[str] | None) -> IO[str]:
        assert pipe is not None
        return pipe

    def _answer(self) -> Any:
        line = self._pipe(self._process.stdout).readline()
        if not line:
            self._process.wait(timeout=30)
            self._stderr.seek(0)
            raise AssertionError(
                f"the isolated interpreter stopped:\n{self._stderr.read()[-4000:]}"
            )
        return json.loads(line)

    def invoke(self, event: dict[str, Any], context: Any) -> dict[str, Any]:
        stdin = self._pipe(self._process.stdin)
        stdin.write(json.dumps(event) + "\n")
        stdin.flush()
        answer: dict[str, Any] = self._answer()
        return answer

    def finish(self) -> dict[str, Any]:
        """Ends the instance; every module it loaded, with the file it came from ("modules"), and
        the files it compiled from source ("compiled_from_source")."""
        self._pipe(self._process.stdin).close()
        ended: dict[str, Any] = self._answer()
        self._process.wait(timeout=30)
        self._stderr.close()
        return ended

    def kill(self) -> None:
        if self._process.poll() is None:
            self._process.kill()
            self._process.wait(timeout=30)
        self._stderr.close()
