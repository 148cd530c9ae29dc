"""What the bundle holds: pure-Python wheels only, exactly those requirements.txt pins.

Pure Python and fully pinned, the bundle is the same whatever machine, platform or Python (3.10
to 3.13) builds it, and it runs on Lambda's. A compiled module is built for one Python on one
platform: from a laptop's pip it would import nowhere but on that laptop.
"""

from __future__ import annotations

import re
from importlib import metadata
from pathlib import Path

from .conftest import ON_ONE_WORKER, ROOT, Bundle

pytestmark = ON_ONE_WORKER
COMPILED_SUFFIXES = (".so", ".pyd", ".dylib", ".dll")
# Compiled modules the bundle may hold, by path: only optional speedups whose pure-Python module
# sits beside them (Python falls back to it where the compiled one was built for another Python
# or platform), each with its reason. None: build such a package from its pure-Python source in
# requirements.txt (--no-binary), as for charset-normalizer.
OPTIONAL_SPEEDUPS: dict[str, str] = {}


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pinned_requirements() -> dict[str, str]:
    """requirements.txt as {name: version}: `name==version`, or `name @ URL` of a wheel."""
    pins = {}
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        line = re.sub(r"(^|\s)#.*", "", line).strip()  # as pip reads comments: not a URL's #
        if not line or line.startswith("-"):
            continue
        exact = re.fullmatch(r"([A-Za-z0-9._-]+)\s*==\s*(\S+)", line)
        wheel = re.fullmatch(r"([A-Za-z0-9._-]+)\s*@\s*\S+/([^/#]+)\.whl(#\S+)?", line)
        assert exact or wheel, f"requirements.txt: pin it exactly: {line}"
        if exact:
            pins[canonical(exact[1])] = exact[2]
        elif wheel:
            pins[canonical(wheel[1])] = wheel[2].split("-")[1]
    return pins


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
    assert "--only-binary :all:" in (ROOT / "requirements.txt").read_text().splitlines()


def test_the_handler_package_is_the_one_in_src(bundle: Bundle) -> None:
    source = ROOT / "src" / "keyforge_kms_key"
    shipped = bundle.root / "keyforge_kms_key"
    names = sorted(p.name for p in source.iterdir() if p.is_file() and p.suffix != ".pyc")
    assert sorted(p.name for p in shipped.iterdir() if p.is_file()) == names
    for name in names:
        assert (shipped / name).read_bytes() == (source / name).read_bytes(), name
