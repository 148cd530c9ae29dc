"""The bundle is reproducible: `make package` again, in another folder, later, with files of other
times and another umask, gives the same bytes, and so the same sha256, which it prints.

The second build costs a copy of the project and a pip install (about 10 seconds).
"""

from __future__ import annotations

import hashlib
import io
import os
import sys
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from keyforge.submit import SCRIPT_INTERPRETER, zip_time

from .conftest import ON_ONE_WORKER, Bundle, copy_project, package

pytestmark = ON_ONE_WORKER
MODES = {0o100644, 0o100755}


@dataclass(frozen=True)
class Rebuild:
    project: Path
    zip: bytes
    output: str  # what it printed


@pytest.fixture(scope="module")
def rebuild(bundle: Bundle, tmp_path_factory: pytest.TempPathFactory) -> Rebuild:
    project = tmp_path_factory.mktemp("elsewhere") / "another-name"
    copy_project(project)
    an_hour_ago = time.time() - 3600
    for path in project.rglob("*"):
        os.utime(path, (an_hour_ago, an_hour_ago))
    output = package(project, umask=0o077)
    return Rebuild(project, (project / "keyforge-kms-key.zip").read_bytes(), output)


def entries(data: bytes) -> list[zipfile.ZipInfo]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.infolist()


def function_code(data: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read("ResourceProvider.zip")


def test_a_rebuild_elsewhere_is_the_same_bytes(bundle: Bundle, rebuild: Rebuild) -> None:
    built = bundle.package.read_bytes()
    assert function_code(rebuild.zip) == function_code(built)
    assert hashlib.sha256(rebuild.zip).hexdigest() == hashlib.sha256(built).hexdigest()


def test_make_package_prints_the_sha256_of_the_zip(rebuild: Rebuild) -> None:
    digest = hashlib.sha256(rebuild.zip).hexdigest()
    assert f"{digest}  keyforge-kms-key.zip" in rebuild.output.splitlines()


@pytest.mark.parametrize("level", ["keyforge-kms-key.zip", "ResourceProvider.zip"])
def test_entries_in_order_of_name_at_one_time_with_two_modes(bundle: Bundle, level: str) -> None:
    data = bundle.package.read_bytes()
    infos = entries(data if level == "keyforge-kms-key.zip" else function_code(data))
    names = [info.filename for info in infos]
    assert names == sorted(names)
    assert {info.date_time for info in infos} == {zip_time()}
    assert {info.external_attr >> 16 for info in infos} <= MODES
    assert {info.create_system for info in infos} == {3}


def test_nothing_in_the_bundle_names_where_or_by_what_it_was_built(bundle: Bundle) -> None:
    places = {str(bundle.project), os.path.dirname(sys.executable), sys.prefix}
    naming = {
        path.relative_to(bundle.root).as_posix()
        for path in bundle.root.rglob("*")
        if path.is_file() and any(place.encode() in path.read_bytes() for place in places)
    }
    assert naming == set()


def test_the_scripts_name_no_interpreter_path(bundle: Bundle) -> None:
    scripts = sorted((bundle.root / "bin").iterdir())
    assert scripts
    for script in scripts:
        assert script.read_bytes().split(b"\n", 1)[0] == SCRIPT_INTERPRETER, script.name
