"""The installs: what the base install and each extra bring, and the lock they are installed by.

Reads the installed distributions' metadata, constraints.txt and requirements.txt; runs
without_local_extra.py in a child process.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Callable, Iterable
from importlib import metadata
from pathlib import Path
from typing import Any

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from keyforge import cli
from tests.bundle.test_contents import pinned_requirements, pins
from tests.unit.without_local_extra import BASE_SUBCOMMANDS, REFUSED

ROOT = Path(__file__).resolve().parents[2]
LOCK = ROOT / "constraints.txt"
WITHOUT_LOCAL_EXTRA = Path(__file__).with_name("without_local_extra.py")
BASE = ""  # the group of a requirement that no extra selects

# --- What each extra brings (the installed keyforge's metadata) -----------------------------------


# The child process below serves many of the module's tests: on one worker, it runs once.
pytestmark = pytest.mark.xdist_group("without-local-extra")


def keyforge_requirements() -> list[Requirement]:
    return [Requirement(line) for line in metadata.requires("keyforge") or []]


def groups_requiring(name: str) -> set[str]:
    """The extras whose installs require `name` directly; BASE for the base install."""
    extras = metadata.metadata("keyforge").get_all("Provides-Extra") or []
    groups: set[str] = set()
    for requirement in keyforge_requirements():
        if canonicalize_name(requirement.name) == name:
            marker = requirement.marker
            if marker is None:
                groups.add(BASE)
            else:
                groups |= {extra for extra in extras if marker.evaluate({"extra": extra})}
    return groups


def closure(extras: Iterable[str]) -> set[str]:
    """The distributions `pip install keyforge[EXTRAS]` installs here, keyforge left out."""
    todo = [("keyforge", BASE), *(("keyforge", extra) for extra in extras)]
    seen: set[tuple[str, str]] = set()
    while todo:
        name, extra = todo.pop()
        if (name, extra) in seen:
            continue
        seen.add((name, extra))
        for line in metadata.requires(name) or []:
            requirement = Requirement(line)
            if requirement.marker is None or requirement.marker.evaluate({"extra": extra}):
                needed = canonicalize_name(requirement.name)
                todo += [(needed, BASE), *((needed, wanted) for wanted in requirement.extras)]
    return {name for name, _ in seen} - {"keyforge"}


LOCAL_ONLY = ("moto", "flask", "werkzeug", "kyber-py")


@pytest.mark.parametrize("name", LOCAL_ONLY)
def test_the_embedded_kms_comes_with_the_local_extra_only(name: str) -> None:
    assert name not in closure([]), f"the base install brings {name}"
    assert name not in closure(["dev"]), f"the dev extra brings {name}"
    assert name in closure(["local"])


@pytest.mark.parametrize(
    ("name", "groups"),
    [
        ("moto", {"local"}),
        ("kyber-py", {"local"}),
        ("cloudformation-cli", {"local"}),
        ("cloudformation-cli-python-plugin", {"local"}),
        ("boto3", {BASE}),
        ("cryptography", {BASE}),
        ("cfn-lint", {BASE}),
        ("cloudformation-cli-python-lib", {BASE}),
        ("fastjsonschema", {"dev"}),
        ("pytest", {"dev"}),
        ("mypy", {"dev"}),
        ("ruff", {"dev"}),
    ],
)
def test_each_requirement_is_in_its_group(name: str, groups: set[str]) -> None:
    assert groups_requiring(name) == groups, (
        "the installed keyforge's requirements differ from pyproject.toml's? reinstall it (make)"
    )


def test_sarif_output_comes_with_the_base_install() -> None:
    (cfn_lint,) = (r for r in keyforge_requirements() if r.name == "cfn-lint" and not r.marker)
    assert cfn_lint.extras == {"sarif"}
    assert {"sarif-om", "jschema-to-python"} <= closure([])


# --- The base install without the local extra (a child process that refuses its modules) ----------


@pytest.fixture(scope="module")
def without_local(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    completed = subprocess.run(
        [sys.executable, str(WITHOUT_LOCAL_EXTRA), str(tmp_path_factory.mktemp("without-local"))],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[-4000:]
    report: dict[str, Any] = json.loads(completed.stdout.splitlines()[-1])
    return report


def test_the_child_cannot_import_the_local_extra(without_local: dict[str, Any]) -> None:
    assert without_local["refused"] == dict.fromkeys(REFUSED, True)
    assert without_local["loaded"] == []


def test_every_module_of_the_base_part_imports(without_local: dict[str, Any]) -> None:
    failures = without_local["import_failures"]
    assert failures == {}, "\n".join(f"{name}:\n{failure}" for name, failure in failures.items())


def test_lint_runs(without_local: dict[str, Any]) -> None:
    result = without_local["lint"]
    assert result["code"] == 2, result
    assert ":E9101:" in result["out"]


@pytest.mark.parametrize("command", BASE_SUBCOMMANDS)
def test_a_base_subcommand_shows_its_help(without_local: dict[str, Any], command: str) -> None:
    result = without_local["commands"][f"{command} --help"]
    assert (result["code"], result["err"]) == (0, "")
    assert result["out"].startswith(f"usage: keyforge {command} ")


def test_keyforge_help_lists_every_subcommand(without_local: dict[str, Any]) -> None:
    result = without_local["commands"]["--help"]
    assert (result["code"], result["err"]) == (0, "")
    for subcommand in cli.SUBCOMMANDS:
        assert subcommand.name in result["out"]


def test_check_update_runs(without_local: dict[str, Any]) -> None:
    result = without_local["commands"]["check-update OLD NEW"]
    assert (result["code"], result["err"]) == (0, "")


@pytest.mark.parametrize("label", ["demo", "contract", "invoke READ REQUEST"])
def test_a_local_subcommand_names_the_extra_it_needs(
    without_local: dict[str, Any], label: str
) -> None:
    result = without_local["commands"][label]
    name = label.split()[0]
    assert result["code"] == 1
    assert result["out"] == ""
    assert re.fullmatch(
        rf"keyforge {name}: needs the local extra: pip install 'keyforge\[local\]' "
        r"\(no module named '(moto|flask|werkzeug|kyber_py)'\)\n",
        result["err"],
    ), result["err"]


# --- Which import failures the message blames on the extra ----------------------------------------


Register = Callable[[str | None, ImportError], None]


@pytest.fixture
def register_failing(monkeypatch: pytest.MonkeyPatch) -> Register:
    """Registers a subcommand `sample` that needs an extra (or none) and fails to load."""

    def register(extra: str | None, error: ImportError) -> None:
        class Failing:
            def __getattr__(self, name: str) -> Any:
                raise error

        monkeypatch.setitem(sys.modules, "keyforge_failing_sample", Failing())
        sample = cli.Subcommand("sample", "keyforge_failing_sample", "a sample", extra=extra)
        monkeypatch.setattr(cli, "SUBCOMMANDS", (*cli.SUBCOMMANDS, sample))

    return register


@pytest.mark.parametrize(
    ("extra", "error", "line"),
    [
        (
            "local",
            ModuleNotFoundError("No module named 'moto.kms'", name="moto.kms"),
            "keyforge sample: needs the local extra: pip install 'keyforge[local]' "
            "(no module named 'moto')",
        ),
        (
            # The project's own module: a fault of the install, not a missing extra.
            "local",
            ModuleNotFoundError("No module named 'keyforge.gone'", name="keyforge.gone"),
            "keyforge sample: cannot be loaded: No module named 'keyforge.gone'",
        ),
        (
            # The extra is there, at a version without that name.
            "local",
            ImportError("cannot import name 'Key' from 'moto.kms.models'", name="moto.kms.models"),
            "keyforge sample: cannot be loaded: cannot import name 'Key' from 'moto.kms.models'",
        ),
        (
            # A subcommand of the base install: its dependencies come with it.
            None,
            ModuleNotFoundError("No module named 'moto.kms'", name="moto.kms"),
            "keyforge sample: cannot be loaded: No module named 'moto.kms'",
        ),
    ],
)
def test_only_a_missing_module_outside_the_project_is_blamed_on_the_extra(
    capsys: pytest.CaptureFixture[str],
    register_failing: Register,
    extra: str | None,
    error: ImportError,
    line: str,
) -> None:
    register_failing(extra, error)
    assert cli.main(["sample"]) == 1
    assert capsys.readouterr().err == line + "\n"


# --- The lock -------------------------------------------------------------------------------------


def locked_with_hashes() -> dict[str, tuple[str, set[str]]]:
    """constraints.txt as {name: (version, its sha256 hashes)}: `name==version --hash=...`, a
    line continued by a backslash."""
    pins: dict[str, tuple[str, set[str]]] = {}
    for line in LOCK.read_text().replace("\\\n", " ").splitlines():
        if line and not line.startswith("#"):
            exact = re.fullmatch(
                r"([A-Za-z0-9._-]+)==(\S+)((?:\s+--hash=sha256:[0-9a-f]{64})+)", line
            )
            assert exact, f"constraints.txt: not name==version with hashes: {line}"
            pins[canonicalize_name(exact[1])] = (
                exact[2],
                set(re.findall(r"[0-9a-f]{64}", exact[3])),
            )
    return pins


def locked() -> dict[str, str]:
    """constraints.txt as {name: version}."""
    return {name: version for name, (version, _) in locked_with_hashes().items()}


def test_the_lock_pins_the_whole_install_as_installed() -> None:
    installed = {name: metadata.version(name) for name in closure(["dev", "local"])}
    assert locked() == installed, "run make (it installs by the lock) or make lock"


def test_the_lock_holds_what_pyproject_asks() -> None:
    lock = locked()
    for requirement in keyforge_requirements():
        version = lock[canonicalize_name(requirement.name)]
        assert requirement.specifier.contains(version, prereleases=True), (requirement, version)


def test_the_lock_agrees_with_the_lambda_bundle() -> None:
    lock = locked()
    assert {name: lock.get(name) for name in pinned_requirements()} == pinned_requirements()


def test_the_bundle_takes_a_file_the_lock_knows() -> None:
    # requirements.txt pins one file of each (a wheel, or charset-normalizer's source archive);
    # the lock hashes every file of the same version, so both name the same files.
    lock = locked_with_hashes()
    for name, (_, hashes) in pins(ROOT / "requirements.txt").items():
        assert set(hashes) <= lock[name][1], name
