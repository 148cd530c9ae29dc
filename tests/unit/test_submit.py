"""keyforge.submit's zip rewriting, on small zips made here; tests/bundle runs it on the bundle."""

from __future__ import annotations

import base64
import hashlib
import importlib.util
import io
import marshal
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest

from keyforge import submit
from keyforge.submit import SCRIPT_INTERPRETER, ZIP_EPOCH, reproducible_zip

Entry = tuple[str, bytes, int, tuple[int, int, int, int, int, int]]  # name, content, mode, time


def make_zip(entries: list[Entry]) -> bytes:
    written = io.BytesIO()
    with zipfile.ZipFile(written, "w") as archive:
        for name, content, mode, date_time in entries:
            info = zipfile.ZipInfo(name, date_time)
            info.external_attr = (0o100000 | mode) << 16
            archive.writestr(info, content)
    return written.getvalue()


def read_zip(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def record_hash(content: bytes) -> str:
    return (
        "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(content).digest()).rstrip(b"=").decode()
    )


MORNING = (2026, 3, 1, 9, 0, 0)
EVENING = (2026, 3, 1, 21, 30, 12)


def test_same_contents_same_bytes_whatever_the_times_order_and_modes() -> None:
    inner_a = make_zip([("b.py", b"B", 0o600, MORNING), ("a.py", b"A", 0o644, MORNING)])
    inner_b = make_zip([("a.py", b"A", 0o664, EVENING), ("b.py", b"B", 0o644, EVENING)])
    one = make_zip(
        [("z.json", b"{}", 0o644, MORNING), ("ResourceProvider.zip", inner_a, 0o600, MORNING)]
    )
    two = make_zip(
        [("ResourceProvider.zip", inner_b, 0o644, EVENING), ("z.json", b"{}", 0o640, EVENING)]
    )
    assert one != two
    assert reproducible_zip(one) == reproducible_zip(two)

    with zipfile.ZipFile(io.BytesIO(reproducible_zip(one))) as archive:
        assert archive.namelist() == ["ResourceProvider.zip", "z.json"]
        assert {info.date_time for info in archive.infolist()} == {ZIP_EPOCH}
        assert {info.external_attr >> 16 for info in archive.infolist()} == {0o100644}
        inner = archive.read("ResourceProvider.zip")
    assert inner == reproducible_zip(inner_b, bytecode=True)
    assert sorted(read_zip(inner)) == [
        "__pycache__/a.cpython-312.pyc",
        "__pycache__/b.cpython-312.pyc",
        "a.py",
        "b.py",
    ]
    assert {name: content for name, content in read_zip(inner).items() if "/" not in name} == {
        "a.py": b"A",
        "b.py": b"B",
    }


def test_an_executable_stays_executable() -> None:
    data = make_zip([("run", b"#!/bin/sh\n", 0o700, MORNING), ("data", b"x", 0o600, MORNING)])
    with zipfile.ZipFile(io.BytesIO(reproducible_zip(data))) as archive:
        modes = {info.filename: info.external_attr >> 16 for info in archive.infolist()}
    assert modes == {"data": 0o100644, "run": 0o100755}


def test_the_scripts_of_bin_get_one_interpreter_line_and_record_follows() -> None:
    script = b"#!/home/someone/project/.venv/bin/python\nimport sys\n"
    record = (
        "idna/__init__.py,sha256=abc,10\n"
        "../../bin/idna,sha256=old,41\n"
        "../../bin/__pycache__/idna.cpython-312.pyc,,\n"
    )
    data = make_zip(
        [
            ("bin/idna", script, 0o755, MORNING),
            ("bin/tool.sh", b"#!/bin/sh\necho\n", 0o755, MORNING),
            ("idna/__main__.py", b"#!/usr/bin/python\n", 0o644, MORNING),
            ("idna-3.20.dist-info/RECORD", record.encode(), 0o644, MORNING),
        ]
    )
    files = read_zip(reproducible_zip(data))
    portable = SCRIPT_INTERPRETER + b"\nimport sys\n"
    assert files["bin/idna"] == portable
    assert files["bin/tool.sh"] == b"#!/bin/sh\necho\n"
    assert files["idna/__main__.py"] == b"#!/usr/bin/python\n"
    assert files["idna-3.20.dist-info/RECORD"].decode() == (
        "idna/__init__.py,sha256=abc,10\n"
        f"../../bin/idna,{record_hash(portable)},{len(portable)}\n"
        "../../bin/__pycache__/idna.cpython-312.pyc,,\n"
    )


@pytest.mark.filterwarnings("ignore:Duplicate name:UserWarning")  # making one
def test_two_entries_of_one_name_are_refused() -> None:
    data = make_zip([("a", b"1", 0o644, MORNING), ("a", b"2", 0o644, MORNING)])
    with pytest.raises(ValueError, match="two entries of the same name"):
        reproducible_zip(data)


@pytest.mark.parametrize(
    ("epoch", "expected"),
    [
        (None, ZIP_EPOCH),
        ("", ZIP_EPOCH),
        ("1767225600", (2026, 1, 1, 0, 0, 0)),
        ("0", ZIP_EPOCH),  # 1970: before what a zip can hold
    ],
)
def test_the_time_is_source_date_epoch_or_the_zip_epoch(
    monkeypatch: pytest.MonkeyPatch, epoch: str | None, expected: tuple[int, ...]
) -> None:
    if epoch is None:
        monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    else:
        monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    assert submit.zip_time() == expected


# rpdk, imported here, imports jsonschema's deprecated names.
@pytest.mark.filterwarnings("ignore:jsonschema:DeprecationWarning")
def test_the_zip_uploaded_is_rewritten_too(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from rpdk.core.project import Project

    uploaded: list[bytes] = []

    def upload(self: Any, fileobj: io.BytesIO, *args: Any) -> None:
        uploaded.append(fileobj.read())

    class Stub:
        def _get_zip_file_path(self) -> Path:
            return Path("keyforge-kms-key.zip")

    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    monkeypatch.setattr(Project, "_upload", upload)
    data = make_zip([("b", b"2", 0o600, EVENING), ("a", b"1", 0o600, MORNING)])
    written = io.BytesIO(data)
    written.seek(len(data))  # where the CLI leaves it
    with submit.reproducible_submit():
        Project._upload(Stub(), written, None, "eu-west-1")
    assert Project._upload is upload  # put back
    assert uploaded == [reproducible_zip(data)]
    digest = hashlib.sha256(uploaded[0]).hexdigest()
    assert capsys.readouterr().out == f"{digest}  keyforge-kms-key.zip (uploading)\n"


def test_without_build_constraints_it_stops_before_cfn(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert submit.main(["--dry-run"]) == 1
    assert capsys.readouterr().err == f"keyforge.submit: no build-constraints.txt in {tmp_path}\n"


def test_elsewhere_than_cpython_312_it_stops_before_cfn(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "build-constraints.txt").write_text("")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys.implementation, "cache_tag", "cpython-313")
    assert submit.main(["--dry-run"]) == 1
    error = capsys.readouterr().err
    assert error.startswith("keyforge.submit: the bundle's bytecode is for Lambda's python3.12")
    assert error.endswith("run python -m keyforge.submit with CPython 3.12 (make package does)\n")
    with pytest.raises(submit.WrongPython):
        reproducible_zip(make_zip([("ResourceProvider.zip", make_zip([]), 0o644, MORNING)]))


# --- The function code's bytecode -----------------------------------------------------------------

MODULES = {
    "six.py": b"X = 1\n",
    "pkg/__init__.py": b"from .mod import VALUE\n",
    "pkg/mod.py": b"# -*- coding: latin-1 -*-\nVALUE = '\xe9t\xe9'\n",
    "pkg/broken.py": b"def (:\n",
    "pkg/data.json": b"{}",
    "pkg/__pycache__/mod.cpython-311.pyc": b"stale",
    "bin/tool": b"#!/usr/bin/env python3\nprint(1)\n",
    "bin/jp.py": b"#!/usr/bin/env python3\nprint(1)\n",  # a script: nothing imports it
}


def function_code(entries: dict[str, bytes]) -> dict[str, bytes]:
    """The function code's entries after the rewrite of a zip holding it (and a module outside)."""
    inner = make_zip([(name, content, 0o644, MORNING) for name, content in entries.items()])
    outer = make_zip(
        [("ResourceProvider.zip", inner, 0o644, MORNING), ("src/pkg/mod.py", b"", 0o644, MORNING)]
    )
    rewritten = read_zip(reproducible_zip(outer))
    assert sorted(rewritten) == ["ResourceProvider.zip", "src/pkg/mod.py"]  # outside: no bytecode
    return read_zip(rewritten["ResourceProvider.zip"])


def test_each_module_of_the_function_code_gets_its_bytecode() -> None:
    entries = function_code(MODULES)
    assert sorted(set(entries) - set(MODULES)) == [
        "__pycache__/six.cpython-312.pyc",
        "pkg/__pycache__/__init__.cpython-312.pyc",
        "pkg/__pycache__/mod.cpython-312.pyc",
    ]
    assert {name: entries[name] for name in MODULES} == MODULES  # the rest as it was
    for module in ("six.py", "pkg/__init__.py", "pkg/mod.py"):
        pyc = entries[submit.bytecode_path(module)]
        assert pyc[:4] == importlib.util.MAGIC_NUMBER
        assert int.from_bytes(pyc[4:8], "little") == 0b01  # hash-based, unchecked
        assert pyc[8:16] == importlib.util.source_hash(MODULES[module])
        code = compile(MODULES[module], module, "exec", dont_inherit=True, optimize=0)
        assert marshal.loads(pyc[16:]) == code
        assert marshal.loads(pyc[16:]).co_filename == module


def test_the_bytecode_is_imported_and_no_module_is_compiled(tmp_path: Path) -> None:
    entries = function_code(MODULES)
    for name, content in entries.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(content)
    (tmp_path / "pkg" / "mod.py").touch()  # a source newer than its bytecode, as after unzipping
    code = (
        "import importlib.machinery as m, sys\n"
        "compiled = []\n"
        "original = m.SourceFileLoader.source_to_code\n"
        "def source_to_code(self, data, path, **kw):\n"
        "    compiled.append(path)\n"
        "    return original(self, data, path, **kw)\n"
        "m.SourceFileLoader.source_to_code = source_to_code\n"
        f"sys.path.insert(0, {str(tmp_path)!r})\n"
        "import pkg, six\n"
        "print(ascii(pkg.VALUE), six.X, compiled)\n"
    )
    done = subprocess.run(
        [sys.executable, "-I", "-S", "-B", "-c", code],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert done.stdout == "'\\xe9t\\xe9' 1 []\n"


def test_the_same_modules_give_the_same_bytes_in_another_process() -> None:
    # marshal's output depends on the objects' reference counts: another process, with other
    # modules loaded, must still write the same bytes. The handler package is a fair sample.
    package = Path(__file__).resolve().parents[2] / "src" / "keyforge_kms_key"
    modules = {
        f"keyforge_kms_key/{path.name}": path.read_bytes() for path in sorted(package.glob("*.py"))
    }
    data = make_zip(
        [
            (
                "ResourceProvider.zip",
                make_zip([(n, c, 0o644, MORNING) for n, c in modules.items()]),
                0o644,
                MORNING,
            )
        ]
    )
    here = reproducible_zip(data)
    code = (
        "import sys; from keyforge.submit import reproducible_zip; "
        "sys.stdout.buffer.write(reproducible_zip(sys.stdin.buffer.read()))"
    )
    there = subprocess.run(
        [sys.executable, "-I", "-c", code], input=data, capture_output=True, check=True, timeout=60
    ).stdout
    assert there == here
    assert len(read_zip(read_zip(here)["ResourceProvider.zip"])) == 2 * len(modules)
