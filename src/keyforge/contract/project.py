"""The project a contract run tests, its input sets, and the scratch copy each pass runs in.

Reads the project's files and writes the copies; starts nothing.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# A resource's input sets: create, update, invalid; a hook's: pre_create, pre_update (and
# pre_delete), each with its invalid_ counterpart (the CloudFormation CLI's names).
INPUT_FILE = re.compile(
    r"^inputs_(?P<number>\d+)_(?P<kind>create|update|invalid"
    r"|(?:invalid_)?pre_(?:create|update|delete))\.json$"
)
RESOURCE = "RESOURCE"
HOOK = "HOOK"
# The files a hook project keeps its targets' schemas in, which `cfn test` reads (without them it
# asks CloudFormation's registry, in an account).
HOOK_TARGET_FILES = ("target-schemas", "target-info.json")
POINTER_LISTS = (
    "readOnlyProperties",
    "writeOnlyProperties",
    "createOnlyProperties",
    "conditionalCreateOnlyProperties",
    "deprecatedProperties",
    "required",
)


class ContractSetupError(RuntimeError):
    """The run could not start: a missing project file, input set or stand-in."""


@dataclass(frozen=True)
class InputSet:
    number: int
    files: Mapping[str, Path]  # "create" / "update" / "invalid" -> file

    @property
    def label(self) -> str:
        return f"inputs_{self.number}"


@dataclass(frozen=True)
class Project:
    root: Path
    type_name: str
    entrypoint: str
    artifact_type: str = RESOURCE
    """RESOURCE or HOOK (`.rpdk-config`'s artifact_type)."""

    @property
    def schema_file(self) -> Path:
        return self.root / f"{self.type_name.lower().replace('::', '-')}.json"

    @property
    def is_hook(self) -> bool:
        return self.artifact_type == HOOK

    @property
    def first_input(self) -> str:
        """The input file every set must have: the one `cfn test` starts a set with."""
        return "pre_create" if self.is_hook else "create"

    @property
    def source_dir(self) -> Path:
        """Where the Python plugin keeps the handler package (`src/`)."""
        return self.root / "src"

    @classmethod
    def load(cls, root: Path) -> Project:
        config_file = root / ".rpdk-config"
        try:
            config = json.loads(config_file.read_text())
        except FileNotFoundError as missing:
            raise ContractSetupError(f"{config_file} not found: run from the project root") from (
                missing
            )
        project = cls(
            root,
            str(config["typeName"]),
            str(config["entrypoint"]),
            str(config.get("artifact_type") or RESOURCE),
        )
        if not project.schema_file.is_file():
            raise ContractSetupError(f"schema {project.schema_file} not found")
        return project


def find_input_sets(
    inputs_dir: Path, numbers: Sequence[int] | None = None, first: str = "create"
) -> list[InputSet]:
    """The numbered input sets in `inputs_dir`, in order; only `numbers` when given.

    Each set must have the input `first` (a resource's create, a hook's pre_create).
    """
    if not inputs_dir.is_dir():
        raise ContractSetupError(f"inputs directory {inputs_dir} not found")
    found: dict[int, dict[str, Path]] = {}
    for path in sorted(inputs_dir.iterdir()):
        match = INPUT_FILE.match(path.name)
        if match:
            found.setdefault(int(match["number"]), {})[match["kind"]] = path
    wanted = sorted(found) if numbers is None else list(numbers)
    sets = []
    for number in wanted:
        files = found.get(number, {})
        if first not in files:
            raise ContractSetupError(f"{inputs_dir}/inputs_{number}_{first}.json not found")
        sets.append(InputSet(number, files))
    if not sets:
        raise ContractSetupError(f"no input sets (inputs_N_{first}.json) in {inputs_dir}")
    return sets


def stage(
    project: Project, folder: Path, input_set: InputSet | None, omit: Sequence[str] = ()
) -> Path:
    """A copy of the project holding what `cfn test` reads, with one input set as set 1."""
    folder.mkdir(parents=True)
    shutil.copyfile(project.root / ".rpdk-config", folder / ".rpdk-config")
    schema = json.loads(project.schema_file.read_text())
    (folder / project.schema_file.name).write_text(json.dumps(without(schema, omit), indent=4))
    overrides = project.root / "overrides.json"
    if overrides.is_file():
        shutil.copyfile(overrides, folder / overrides.name)
    if project.is_hook:
        for name in HOOK_TARGET_FILES:
            source = project.root / name
            if source.is_dir():
                shutil.copytree(source, folder / name)  # links copied as what they point to
            elif source.is_file():
                shutil.copyfile(source, folder / name)
    if input_set is not None:
        (folder / "inputs").mkdir()
        for kind, path in input_set.files.items():
            shutil.copyfile(path, folder / "inputs" / f"inputs_1_{kind}.json")
    return folder


def without(schema: dict[str, Any], names: Sequence[str]) -> dict[str, Any]:
    """The schema with top-level properties `names` left out, pointers to them included."""
    if not names:
        return schema
    unknown = sorted(set(names) - set(schema.get("properties", {})))
    if unknown:
        raise ContractSetupError(f"cannot omit {', '.join(unknown)}: not in the schema")
    gone = set(names)
    trimmed = dict(schema)
    trimmed["properties"] = {
        name: value for name, value in schema["properties"].items() if name not in gone
    }
    for key in POINTER_LISTS:
        if key in schema:
            trimmed[key] = [entry for entry in schema[key] if _property_of(entry) not in gone]
    return trimmed


def _property_of(entry: str) -> str:
    """The top-level property a pointer (/properties/Name/...) or a `required` entry names."""
    if entry.startswith("/properties/"):
        return entry.split("/")[2]
    return entry
