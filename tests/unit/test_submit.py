"""keyforge.submit's zip rewriting, on small zips made here; tests/bundle runs it on the bundle."""

from __future__ import annotations

import base64
import hashlib
import io
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
    assert inner == reproducible_zip(inner_b)
    assert read_zip(inner) == {"a.py": b"A", "b.py": b"B"}


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
