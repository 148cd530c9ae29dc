"""`cfn submit` with a Lambda bundle that anyone can rebuild byte for byte. I/O.

    python -m keyforge.submit [CFN_SUBMIT_ARGUMENTS...]    # make package: --dry-run

Runs `cfn submit CFN_SUBMIT_ARGUMENTS` in this process, in the project's folder (the current
one), with three things settled that `cfn submit` leaves to chance:

- Which pip builds the bundle. The Python plugin runs the first `pip` on PATH (`pip install
  --no-cache-dir --no-color --disable-pip-version-check --upgrade --requirement
  requirements.txt --target build`); this interpreter's folder goes first on PATH, so the
  virtualenv's pip builds it with this Python.
- The build tools of charset-normalizer, the one distribution built from its source:
  PIP_BUILD_CONSTRAINT names build-constraints.txt, where they are pinned with their hashes
  (pip takes build constraints from its command line or its environment only).
- The zip's bytes. What the CLI and the plugin write depends on when and where they ran: each
  file's modification time or the time of writing, the order a folder lists its files in, the
  umask, and the path of the Python that built the bundle, which pip writes into the scripts
  of bin/. Before the zip is written (--dry-run) or uploaded, `reproducible_zip` rewrites it,
  the ResourceProvider.zip inside too, so that its bytes depend on its contents only, and its
  sha256 is printed as sha256sum prints it.
- The function's bytecode. The plugin leaves every .pyc out, and Lambda's function folder is
  read-only, so each cold start would compile every module of the bundle from its source (the
  AWS SDK's most of all). The rewrite adds, beside each module of ResourceProvider.zip, its
  bytecode for the Lambda runtime, python3.12 (`__pycache__/NAME.cpython-312.pyc`, as pip
  would write it): unchecked-hash .pyc (PEP 552), which Python imports without comparing the
  source's time, nor any time, with its own; the same source gives the same bytes. So this
  runs on CPython 3.12, as `make package` does.
"""

from __future__ import annotations

import base64
import hashlib
import importlib.util
import io
import marshal
import os
import posixpath
import shutil
import sys
import time
import zipfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

BUILD_CONSTRAINTS = "build-constraints.txt"
# What `cfn submit` reads: its settings, the schema, the contract-test inputs and overrides it
# uploads, the bundle's requirements and the handler package; and the build constraints that
# this gives pip. A copy of them is enough to build the bundle (copy_project).
PROJECT_FILES = (
    ".rpdk-config",
    "keyforge-kms-key.json",
    "overrides.json",
    "requirements.txt",
    BUILD_CONSTRAINTS,
)
PROJECT_DIRS = ("inputs", "src/keyforge_kms_key")
# Every entry's time: SOURCE_DATE_EPOCH's if set, else the earliest a zip can hold.
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
# The interpreter line of the scripts pip installs in bin/, in place of the path of the Python
# that ran pip. Nothing runs them in the Lambda function.
SCRIPT_INTERPRETER = b"#!/usr/bin/env python3"
SCRIPTS = "bin/"
# The scripts' folder as RECORD names it: pip --target installs into lib/python beside bin/.
RECORD_SCRIPTS = "../../bin/"
UNIX = 3  # ZipInfo.create_system: the meaning of external_attr's upper half (st_mode)
# The Lambda function's code, inside the zip cfn submit uploads: its modules get their bytecode.
FUNCTION_CODE = "ResourceProvider.zip"
# The interpreter the bytecode is for: the resource type's runtime, python3.12 (.rpdk-config).
BYTECODE_TAG = "cpython-312"
UNCHECKED_HASH = 0b01  # a .pyc's flags (PEP 552): made from the source's hash, never checked


class WrongPython(Exception):
    """This interpreter cannot write the bytecode of the Lambda runtime's Python."""


def check_bytecode_interpreter() -> None:
    """Raises WrongPython unless this is the CPython that Lambda's python3.12 runtime runs."""
    if sys.implementation.cache_tag != BYTECODE_TAG:
        raise WrongPython(
            f"the bundle's bytecode is for Lambda's python3.12 ({BYTECODE_TAG}); this is "
            f"{sys.implementation.name} {sys.version.split()[0]} ({sys.implementation.cache_tag}):"
            " run python -m keyforge.submit with CPython 3.12 (make package does)"
        )


def zip_time() -> tuple[int, int, int, int, int, int]:
    """The time every entry gets: SOURCE_DATE_EPOCH (seconds, UTC) or ZIP_EPOCH."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch:
        return ZIP_EPOCH
    year, month, day, hour, minute, second = time.gmtime(int(epoch))[:6]
    return max((year, month, day, hour, minute, second), ZIP_EPOCH)


def reproducible_zip(
    data: bytes,
    date_time: tuple[int, int, int, int, int, int] = ZIP_EPOCH,
    bytecode: bool = False,
) -> bytes:
    """The zip `data` with the same entries and contents, written so that its bytes depend on them
    only: entries in order of name, each at `date_time`, mode 644 (755 if executable), made on
    Unix; each entry that is a zip itself rewritten so too, FUNCTION_CODE with bytecode; scripts
    of bin/ with the interpreter line SCRIPT_INTERPRETER, and RECORD's hashes of them to match.
    With `bytecode`, each module gets its bytecode (bytecode_entries), mode 644."""
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        infos = source.infolist()
        names = [info.filename for info in infos]
        if len(set(names)) != len(names):
            raise ValueError("the zip holds two entries of the same name")
        kinds = {info.filename: info for info in infos}
        contents = {info.filename: source.read(info) for info in infos}
    contents = _portable_scripts(contents)
    compiled = bytecode_entries(contents) if bytecode else {}
    written = io.BytesIO()
    with zipfile.ZipFile(written, "w") as target:
        for name in sorted(contents.keys() | compiled.keys()):
            if name in compiled:
                module, content = compiled[name]
                info = zipfile.ZipInfo(name, date_time)
                info.compress_type = kinds[module].compress_type
                info.create_system = UNIX
                info.external_attr = 0o100644 << 16
                target.writestr(info, content)
                continue
            original = kinds[name]
            content = contents[name]
            if name.endswith(".zip") and not original.is_dir():
                content = reproducible_zip(content, date_time, bytecode=name == FUNCTION_CODE)
            info = zipfile.ZipInfo(name, date_time)
            info.compress_type = original.compress_type
            info.create_system = UNIX
            if original.is_dir():
                info.external_attr = 0o40755 << 16 | 0x10  # and MS-DOS's directory flag
            else:
                executable = (original.external_attr >> 16) & 0o111
                info.external_attr = (0o100755 if executable else 0o100644) << 16
            target.writestr(info, content)
    return written.getvalue()


def bytecode_path(module: str) -> str:
    """Where Python 3.12 looks for the bytecode of `module` (a path NAME.py in the zip)."""
    folder, file = posixpath.split(module)
    return posixpath.join(folder, "__pycache__", f"{file[: -len('.py')]}.{BYTECODE_TAG}.pyc")


def bytecode_entries(contents: Mapping[str, bytes]) -> dict[str, tuple[str, bytes]]:
    """The bytecode of each module of `contents` (each NAME.py outside __pycache__, and outside
    bin/, whose scripts nothing imports), as an unchecked-hash .pyc, by where Python looks for
    it: {pyc path: (module path, .pyc)}.

    A .pyc the zip holds already is made anew. A file Python cannot compile (which no import
    could load either) gets none. The code's file name is the module's path in the zip (an
    import replaces it with where the file is), so nothing names the machine that built it.
    """
    check_bytecode_interpreter()
    entries: dict[str, tuple[str, bytes]] = {}
    for module in sorted(contents):
        if (
            not module.endswith(".py")
            or "__pycache__" in module.split("/")
            or module.startswith(SCRIPTS)
        ):
            continue
        source = contents[module]
        try:
            code = compile(source, module, "exec", dont_inherit=True, optimize=0)
        except (SyntaxError, ValueError):
            continue
        pyc = (
            importlib.util.MAGIC_NUMBER
            + UNCHECKED_HASH.to_bytes(4, "little")
            + importlib.util.source_hash(source)
            + marshal.dumps(code)
        )
        entries[bytecode_path(module)] = (module, pyc)
    return entries


def _portable_scripts(contents: dict[str, bytes]) -> dict[str, bytes]:
    """`contents` with the Python scripts of bin/ given SCRIPT_INTERPRETER, and RECORD to match."""
    rewritten: dict[str, bytes] = {}
    for name, content in contents.items():
        if posixpath.dirname(name) + "/" != SCRIPTS or not content.startswith(b"#!"):
            continue
        first, newline, rest = content.partition(b"\n")
        if b"python" in first and first != SCRIPT_INTERPRETER:
            rewritten[name] = SCRIPT_INTERPRETER + newline + rest
    if not rewritten:
        return contents
    result = {**contents, **rewritten}
    for name, content in contents.items():
        if posixpath.basename(name) == "RECORD" and name.count("/") == 1:
            result[name] = _record_with(content, rewritten)
    return result


def _record_with(record: bytes, scripts: dict[str, bytes]) -> bytes:
    """RECORD with the hash and size of each of `scripts` it lists replaced by theirs."""
    lines = []
    for line in record.decode().splitlines(keepends=True):
        path, _, _ = line.partition(",")
        script = SCRIPTS + path.removeprefix(RECORD_SCRIPTS)
        if path.startswith(RECORD_SCRIPTS) and script in scripts:
            content = scripts[script]
            digest = base64.urlsafe_b64encode(hashlib.sha256(content).digest()).rstrip(b"=")
            end = line[len(line.rstrip("\r\n")) :]
            line = f"{path},sha256={digest.decode()},{len(content)}{end}"
        lines.append(line)
    return "".join(lines).encode()


@contextmanager
def reproducible_submit() -> Iterator[None]:
    """While open, the CLI's `submit` writes (--dry-run) and uploads its zip reproducible_zip'ed."""
    from rpdk.core.project import Project

    submit: Callable[..., None] = Project.submit
    upload: Callable[..., Any] = Project._upload

    def submit_reproducibly(self: Any, dry_run: bool, *args: Any, **kwargs: Any) -> None:
        submit(self, dry_run, *args, **kwargs)
        if dry_run:
            path = Path(self._get_zip_file_path())
            bundle = reproducible_zip(path.read_bytes(), zip_time())
            path.write_bytes(bundle)
            print(f"{hashlib.sha256(bundle).hexdigest()}  {path}")

    def upload_reproducibly(self: Any, fileobj: Any, *args: Any, **kwargs: Any) -> Any:
        fileobj.seek(0)
        bundle = reproducible_zip(fileobj.read(), zip_time())
        print(f"{hashlib.sha256(bundle).hexdigest()}  {self._get_zip_file_path()} (uploading)")
        return upload(self, io.BytesIO(bundle), *args, **kwargs)

    Project.submit = submit_reproducibly
    Project._upload = upload_reproducibly
    try:
        yield
    finally:
        Project.submit = submit
        Project._upload = upload


def copy_project(root: Path, project: Path) -> None:
    """What `cfn submit` reads from the project at `root`, copied into `project` (made anew),
    where `python -m keyforge.submit` then builds the bundle as it would at `root`."""
    shutil.rmtree(project, ignore_errors=True)
    project.mkdir(parents=True)
    for name in PROJECT_FILES:
        shutil.copy(root / name, project / name)
    for name in PROJECT_DIRS:
        shutil.copytree(root / name, project / name, ignore=shutil.ignore_patterns("__pycache__"))


def run_submit(cfn_args: Sequence[str]) -> int:
    """`cfn submit CFN_ARGS` in the current folder, as the module's doc says; its exit status."""
    constraints = Path.cwd() / BUILD_CONSTRAINTS
    if not constraints.is_file():
        print(f"keyforge.submit: no {BUILD_CONSTRAINTS} in {Path.cwd()}", file=sys.stderr)
        return 1
    try:
        check_bytecode_interpreter()
    except WrongPython as error:
        print(f"keyforge.submit: {error}", file=sys.stderr)
        return 1
    from rpdk.core.cli import main as cfn_main

    path = os.environ.get("PATH", "")
    os.environ["PATH"] = os.pathsep.join([os.path.dirname(sys.executable), path])
    os.environ["PIP_BUILD_CONSTRAINT"] = str(constraints)
    with reproducible_submit():
        try:
            cfn_main(args_in=["submit", *cfn_args])
        except SystemExit as stop:
            if stop.code is None or isinstance(stop.code, int):
                return stop.code or 0
            print(stop.code, file=sys.stderr)
            return 1
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    return run_submit(list(sys.argv[1:] if argv is None else argv))


if __name__ == "__main__":
    sys.exit(main())
