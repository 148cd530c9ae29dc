"""cfn-guard 3, the binary: where it is found, how it is fetched, what it says of some files. I/O.

cfn-guard is not on PyPI. The wheel of `cdklabs-cdk-validator-cfnguard` carries it for Linux and
macOS, x86_64 and aarch64, inside its jsii bundle (`_jsii/*.jsii.tgz`,
`package/bin/<os>/<arch>/cfn-guard`). `fetch` downloads that wheel, pinned by version and
sha256 (`pip download --no-deps --require-hashes`; none of its dependencies are needed), takes
the binary out and keeps it in a cache folder (`KEYFORGE_CACHE`, else `$XDG_CACHE_HOME/keyforge`,
else `~/.cache/keyforge`), where `find` finds it later without the network. A cfn-guard on PATH
of the same version is used first.
"""

from __future__ import annotations

import fcntl
import io
import json
import os
import platform
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

VERSION = "3.1.1"
WHEEL = "cdklabs-cdk-validator-cfnguard==0.0.62"
WHEEL_SHA256 = "83c9c9a086de47637611f414ca90200db97e7b8cd3c4a69475b5f81034bd4b45"
_OS = {"linux": "ubuntu", "darwin": "macos"}
_ARCH = {"x86_64": "x86_64", "amd64": "x86_64", "aarch64": "aarch64", "arm64": "aarch64"}


class CfnGuardUnavailable(RuntimeError):
    """cfn-guard could not be found or fetched; the message says why and what was tried."""


def cache_folder() -> Path:
    explicit = os.environ.get("KEYFORGE_CACHE")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "keyforge"


def _platform() -> tuple[str, str]:
    system, machine = sys.platform, platform.machine().lower()
    if system not in _OS or machine not in _ARCH:
        raise CfnGuardUnavailable(
            f"no cfn-guard {VERSION} for {system} {machine} in {WHEEL} (it has Linux and macOS, "
            "x86_64 and aarch64)"
        )
    return _OS[system], _ARCH[machine]


def cached_path(cache: Path | None = None) -> Path:
    """Where `fetch` keeps the binary for this machine."""
    os_name, arch = _platform()
    return (cache or cache_folder()) / "cfn-guard" / VERSION / f"{os_name}-{arch}" / "cfn-guard"


def version_of(binary: Path | str) -> str | None:
    try:
        finished = subprocess.run(
            [str(binary), "--version"], capture_output=True, text=True, timeout=30, check=False
        )
    except OSError:
        return None
    words = finished.stdout.split()
    return words[-1] if finished.returncode == 0 and words else None


def find(cache: Path | None = None) -> Path | None:
    """cfn-guard of VERSION on PATH, else the one `fetch` kept; None when there is neither."""
    on_path = shutil.which("cfn-guard")
    if on_path and version_of(on_path) == VERSION:
        return Path(on_path)
    try:
        kept = cached_path(cache)
    except CfnGuardUnavailable:
        return None
    return kept if kept.is_file() and version_of(kept) == VERSION else None


def fetch(cache: Path | None = None) -> Path:
    """cfn-guard of VERSION: found, or taken out of the wheel downloaded from the package index.

    Raises CfnGuardUnavailable, saying why, when it can be neither.
    """
    found = find(cache)
    if found is not None:
        return found
    target = cached_path(cache)
    target.parent.mkdir(parents=True, exist_ok=True)
    with (target.parent / ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one download for parallel test workers
        if target.is_file() and version_of(target) == VERSION:
            return target
        binary = _binary_from_wheel(_download_wheel(), *_platform())
        partial = target.with_suffix(".partial")
        partial.write_bytes(binary)
        partial.chmod(0o755)
        partial.replace(target)
    if version_of(target) != VERSION:
        raise CfnGuardUnavailable(f"{target} does not run as cfn-guard {VERSION}")
    return target


def _download_wheel() -> bytes:
    with tempfile.TemporaryDirectory(prefix="keyforge-cfn-guard-") as folder:
        requirement = Path(folder) / "requirement.txt"
        requirement.write_text(f"{WHEEL} --hash=sha256:{WHEEL_SHA256}\n")
        command = [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--no-deps",
            "--only-binary",
            ":all:",
            "--require-hashes",
            "--disable-pip-version-check",
            "--dest",
            folder,
            "-r",
            str(requirement),
        ]
        finished = subprocess.run(command, capture_output=True, text=True, timeout=600)
        wheels = sorted(Path(folder).glob("*.whl"))
        if finished.returncode != 0 or not wheels:
            detail = (finished.stderr or finished.stdout).strip().splitlines()[-1:] or ["?"]
            raise CfnGuardUnavailable(
                f"cfn-guard {VERSION} comes from the wheel of {WHEEL} on the package index, and "
                f"`pip download` could not get it: {detail[0]}"
            )
        return wheels[0].read_bytes()


def _binary_from_wheel(wheel: bytes, os_name: str, arch: str) -> bytes:
    member = f"package/bin/{os_name}/{arch}/cfn-guard"
    with zipfile.ZipFile(io.BytesIO(wheel)) as archive:
        bundles = [name for name in archive.namelist() if name.endswith(".jsii.tgz")]
        if not bundles:
            raise CfnGuardUnavailable(f"{WHEEL} holds no jsii bundle")
        bundle = archive.read(bundles[0])
    with tarfile.open(fileobj=io.BytesIO(bundle)) as tar:
        try:
            extracted = tar.extractfile(member)
        except KeyError:
            extracted = None
        if extracted is None:
            raise CfnGuardUnavailable(f"{WHEEL} holds no {member}")
        return extracted.read()


# --- Running it ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class GuardFinding:
    """A Guard rule that failed for one resource of one file."""

    file: str
    rule: str
    resource: str


def validate(binary: Path, rules: Path, data: Sequence[Path]) -> list[GuardFinding]:
    """Each failing (file, rule, resource) of `cfn-guard validate` on the data files."""
    command = [
        str(binary),
        "validate",
        "--rules",
        str(rules),
        *(argument for path in data for argument in ("--data", str(path))),
        "--output-format",
        "json",
        "--structured",
        "--show-summary",
        "none",
    ]
    finished = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
    # 0: every rule passed or was skipped; 19: some rule failed; anything else: it broke.
    if finished.returncode not in (0, 19):
        raise RuntimeError(f"cfn-guard exited {finished.returncode}: {finished.stderr.strip()}")
    return list(findings(json.loads(finished.stdout or "[]")))


def findings(report: Sequence[Mapping[str, Any]]) -> Iterator[GuardFinding]:
    """The failing rules of a structured JSON report, with the resources their checks name."""
    for document in report:
        for failed in document.get("not_compliant", []):
            rule = failed.get("Rule", {}).get("name", "")
            for resource in sorted(set(_resources(failed))):
                yield GuardFinding(str(document.get("name", "")), str(rule), resource)


def _resources(value: Any) -> Iterator[str]:
    """The logical ids of every /Resources/<id>/... path in a failed rule's checks."""
    if isinstance(value, Mapping):
        for key, item in value.items():
            if key == "path" and isinstance(item, str):
                parts = item.split("/")
                if len(parts) > 2 and parts[1] == "Resources":
                    yield parts[2]
            else:
                yield from _resources(item)
    elif isinstance(value, list):
        for item in value:
            yield from _resources(item)
