"""What the bundle holds: pure-Python wheels only, exactly those requirements.txt pins, and the
bytecode of each module for Lambda's python3.12.

Pure Python and fully pinned, the bundle is the same whatever machine or platform builds it, and
it runs on Lambda's. A compiled module is built for one Python on one platform: from a laptop's
pip it would import nowhere but on that laptop. Bytecode is not a compiled module: beside its
source, it spares the Lambda function compiling each module at each cold start, and any other
Python ignores it.
"""

from __future__ import annotations

import importlib.util
import marshal
import re
from importlib import metadata
from pathlib import Path

import pytest

from keyforge.submit import BYTECODE_TAG

from .conftest import ON_ONE_WORKER, ROOT, Bundle

pytestmark = ON_ONE_WORKER
REQUIREMENTS = ROOT / "requirements.txt"
BUILD_CONSTRAINTS = ROOT / "build-constraints.txt"
COMPILED_SUFFIXES = (".so", ".pyd", ".dylib", ".dll")
# Compiled modules the bundle may hold, by path: only optional speedups whose pure-Python module
# sits beside them (Python falls back to it where the compiled one was built for another Python
# or platform), each with its reason. None: build such a package from its pure-Python source in
# requirements.txt (--no-binary), as for charset-normalizer.
OPTIONAL_SPEEDUPS: dict[str, str] = {}


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(file: Path) -> dict[str, tuple[str, list[str]]]:
    """A requirements file as {name: (version, its sha256 hashes)}: `name==version [--hash=...]`,
    or `name @ URL` of a wheel."""
    found = {}
    for line in file.read_text().splitlines():
        line = re.sub(r"(^|\s)#.*", "", line).strip()  # as pip reads comments: not a URL's #
        if not line or line.startswith("-"):
            continue
        requirement, *options = re.split(r"\s+(?=--hash=)", line)
        hashes = []
        for option in options:
            hashed = re.fullmatch(r"--hash=sha256:([0-9a-f]{64})", option)
            assert hashed, f"{file.name}: not a sha256 hash: {option}"
            hashes.append(hashed[1])
        exact = re.fullmatch(r"([A-Za-z0-9._-]+)\s*==\s*(\S+)", requirement)
        wheel = re.fullmatch(r"([A-Za-z0-9._-]+)\s*@\s*\S+/([^/#]+)\.whl(#\S+)?", requirement)
        assert exact or wheel, f"{file.name}: pin it exactly: {line}"
        if exact:
            found[canonical(exact[1])] = (exact[2], hashes)
        elif wheel:
            found[canonical(wheel[1])] = (wheel[2].split("-")[1], hashes)
    return found


def pinned_requirements() -> dict[str, str]:
    """requirements.txt as {name: version}."""
    return {name: version for name, (version, _) in pins(REQUIREMENTS).items()}


def distributions(bundle: Bundle) -> dict[str, metadata.Distribution]:
    return {
        canonical(dist.metadata["Name"]): dist
        for dist in metadata.distributions(path=[str(bundle.root)])
    }


def test_no_compiled_module(bundle: Bundle) -> None:
    compiled = sorted(
        path.relative_to(bundle.root).as_posix()
        for path in bundle.root.rglob("*")
        if path.is_file() and (path.suffix in COMPILED_SUFFIXES or ".so." in path.name)
    )
    assert [path for path in compiled if path not in OPTIONAL_SPEEDUPS] == []
    for path in compiled:
        module = Path(path)
        assert (bundle.root / module.parent / f"{module.name.split('.')[0]}.py").is_file(), path


def test_every_distribution_is_a_pure_wheel(bundle: Bundle) -> None:
    for name, dist in distributions(bundle).items():
        wheel = dist.read_text("WHEEL") or ""
        tags = re.findall(r"^Tag: (\S+)$", wheel, re.MULTILINE)
        assert "Root-Is-Purelib: true" in wheel, name
        assert tags and all(tag.endswith("-none-any") for tag in tags), (name, tags)


def test_the_bundle_is_exactly_what_requirements_txt_pins(bundle: Bundle) -> None:
    held = {name: dist.version for name, dist in distributions(bundle).items()}
    assert held == pinned_requirements()


def test_only_wheels_are_installed() -> None:
    # Nothing is built from source on the machine that packages.
    assert "--only-binary :all:" in REQUIREMENTS.read_text().splitlines()


@pytest.mark.parametrize("file", [REQUIREMENTS, BUILD_CONSTRAINTS], ids=lambda file: file.name)
def test_every_pin_carries_the_hash_of_its_file(file: Path) -> None:
    # One hash a pin: pip may take only one file of each (a pure wheel, or the source archive
    # of what is built from source). A hash on any line puts pip in hash-checking mode.
    found = pins(file)
    assert found
    assert {name: len(hashes) for name, (_, hashes) in found.items()} == dict.fromkeys(found, 1)


def test_what_is_built_from_source_was_built_by_the_pinned_tools(bundle: Bundle) -> None:
    # build-constraints.txt reached pip's isolated build (keyforge.submit sets
    # PIP_BUILD_CONSTRAINT): charset-normalizer's wheel names the setuptools pinned there.
    (setuptools, _) = pins(BUILD_CONSTRAINTS)["setuptools"]
    wheel = distributions(bundle)["charset-normalizer"].read_text("WHEEL") or ""
    assert f"Generator: setuptools ({setuptools})" in wheel.splitlines()


def test_the_handler_package_is_the_one_in_src(bundle: Bundle) -> None:
    source = ROOT / "src" / "keyforge_kms_key"
    shipped = bundle.root / "keyforge_kms_key"
    names = sorted(p.name for p in source.iterdir() if p.is_file() and p.suffix != ".pyc")
    assert sorted(p.name for p in shipped.iterdir() if p.is_file()) == names
    for name in names:
        assert (shipped / name).read_bytes() == (source / name).read_bytes(), name


def test_each_module_has_its_bytecode_for_lambdas_python(bundle: Bundle) -> None:
    modules = sorted(
        path
        for path in bundle.root.rglob("*.py")
        if "__pycache__" not in path.parts and path.parent.name != "bin"
    )
    assert len(modules) > 400
    for module in modules:
        source = module.read_bytes()
        pyc = module.parent / "__pycache__" / f"{module.stem}.{BYTECODE_TAG}.pyc"
        name = module.relative_to(bundle.root).as_posix()
        assert pyc.is_file(), name
        data = pyc.read_bytes()
        assert data[:4] == importlib.util.MAGIC_NUMBER, name  # this Python's: 3.12
        assert int.from_bytes(data[4:8], "little") == 0b01, name  # unchecked hash (PEP 552)
        assert data[8:16] == importlib.util.source_hash(source), name
        assert marshal.loads(data[16:]) == compile(source, name, "exec", dont_inherit=True), name


def test_no_bytecode_without_its_module(bundle: Bundle) -> None:
    orphans = [
        path.relative_to(bundle.root).as_posix()
        for path in bundle.root.rglob("*.pyc")
        if not (path.parent.parent / f"{path.name.split('.')[0]}.py").is_file()
        or not path.name.endswith(f".{BYTECODE_TAG}.pyc")
    ]
    assert orphans == []
