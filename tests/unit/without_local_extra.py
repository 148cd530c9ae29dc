"""The base install without the local extra: what imports and what keyforge answers, as JSON.

Run as `python without_local_extra.py WORKDIR` in a process of its own: it makes the top-level
modules of the local extra (moto, flask, werkzeug, kyber_py) unimportable, as in an install
without it, imports every module of the base part, runs the lint rules and keyforge subcommands
in-process, and prints one JSON object on stdout. Reads the templates; writes one request file
in WORKDIR.
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import io
import json
import sys
import traceback
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
REFUSED = ("moto", "flask", "werkzeug", "kyber_py")
BASE_PACKAGES = ("keyforge_kms_key", "keyforge_lint", "keyforge")
BASE_SUBCOMMANDS = ("public-key", "check-update", "import-key-material", "rotate", "rotations")
# What needs the local extra (pyproject.toml): the embedded KMS, the local runtime, the
# subcommands built on them and the cryptography only the demo uses.
LOCAL_PART = (
    "keyforge.embedded_kms",
    "keyforge.local",
    "keyforge.contract",
    "keyforge.commands.demo",
    "keyforge.commands.invoke",
    "keyforge.keys.exercise",
)


class RefuseLocalExtra(importlib.abc.MetaPathFinder):
    """Answers every import of the local extra's modules as a module that is not installed."""

    def find_spec(
        self,
        fullname: str,
        path: Sequence[str] | None,
        target: ModuleType | None = None,
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname.partition(".")[0] in REFUSED:
            raise ModuleNotFoundError(f"No module named {fullname!r}", name=fullname)
        return None


def in_local_part(module: str) -> bool:
    return any(module == part or module.startswith(f"{part}.") for part in LOCAL_PART)


def base_modules() -> Iterator[str]:
    """Every module of the base part, found by its files (nothing imported to list them)."""
    for package in BASE_PACKAGES:
        spec = importlib.util.find_spec(package)
        assert spec is not None and spec.submodule_search_locations, package
        folder = Path(next(iter(spec.submodule_search_locations)))
        for file in sorted(folder.rglob("*.py")):
            parts = (package, *file.relative_to(folder).with_suffix("").parts)
            module = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            if not in_local_part(module):
                yield module


def import_failure(module: str) -> str | None:
    try:
        importlib.import_module(module)
    except Exception:
        return traceback.format_exc(limit=-3)
    return None


def captured(call: Callable[[], int]) -> dict[str, Any]:
    """Its exit code and everything it printed; an exception that escaped it, as its traceback."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code: int | str | None = call()
        except SystemExit as stop:
            code = stop.code
        except Exception:
            code = None
            traceback.print_exc(file=err)
    return {"code": code, "out": out.getvalue(), "err": err.getvalue()}


def keyforge(argv: list[str]) -> dict[str, Any]:
    from keyforge.cli import main

    return captured(lambda: main(argv))


def lint(template: Path) -> dict[str, Any]:
    from keyforge_lint.__main__ import main

    sys.argv = ["keyforge_lint", "--format", "parseable", "--", str(template)]
    return captured(main)


def main() -> int:
    workdir = Path(sys.argv[1])
    sys.meta_path.insert(0, RefuseLocalExtra())
    request = workdir / "request.json"
    request.write_text(json.dumps({"desiredResourceState": {}}))
    same = str(ROOT / "templates" / "rsa-4096-encryption.yaml")
    commands = {f"{name} --help": [name, "--help"] for name in BASE_SUBCOMMANDS}
    commands |= {
        "--help": ["--help"],
        "check-update OLD NEW": ["check-update", same, same],
        "demo": ["demo"],
        "contract": ["contract"],
        "invoke READ REQUEST": ["invoke", "READ", str(request)],
    }
    report = {
        "refused": {name: import_failure(name) is not None for name in REFUSED},
        "import_failures": {
            module: failure
            for module in base_modules()
            if (failure := import_failure(module)) is not None
        },
        "lint": lint(ROOT / "templates" / "invalid" / "E9101-ecc-p256-encrypt-decrypt.yaml"),
        "commands": {label: keyforge(argv) for label, argv in commands.items()},
        "loaded": sorted(name for name in sys.modules if name.partition(".")[0] in REFUSED),
    }
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
