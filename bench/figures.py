"""The provider's speed figures, as ratios measured in one run on this machine.

- warm READ through the Lambda entrypoint over the time of the same KMS calls made directly;
- importing the handler module over importing the runtime library it builds on, both from the
  Lambda bundle as `make package` builds it from this checkout, unpacked, in fresh interpreters
  that see only it and the standard library, as on Lambda (alternated in pairs);
- KMS calls per operation for the two reference keys;
- cfn-lint with the Keyforge rules over cfn-lint without them (bench/lint_speed.py).

Prints a table; it is not a test and asserts nothing. Building the bundle takes pip downloads, as
`make package` does; --bundle measures a keyforge-kms-key.zip built before, --import-only prints
the import figures alone.

    python bench/figures.py [--rounds 5] [--bundle keyforge-kms-key.zip] [--import-only]
"""

from __future__ import annotations

import argparse
import io
import json
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import botocore.session
from lint_speed import lint_seconds, template

from keyforge import embedded_kms, submit
from keyforge.local.invoker import LocalInvoker

ROOT = Path(__file__).resolve().parents[1]
REGION, ACCOUNT = "us-east-1", "123456789012"
RSA_DEFAULTS: dict[str, Any] = {"KeySpec": "RSA_4096", "KeyUsage": "ENCRYPT_DECRYPT"}
SYMMETRIC: dict[str, Any] = {
    "EnableKeyRotation": True,
    "RotationPeriodInDays": 180,
    "Tags": [{"Key": "team", "Value": "platform"}],
    "KeyUsers": [f"arn:aws:iam::{ACCOUNT}:role/App"],
    "AliasName": "alias/bench",
}


def median_seconds(action: Callable[[], object], rounds: int) -> float:
    timings = []
    for _ in range(rounds):
        start = time.perf_counter()
        action()
        timings.append(time.perf_counter() - start)
    return statistics.median(timings)


def warm_read_ratio(rounds: int) -> float:
    """A warm READ over the same KMS calls made directly with a warm client."""
    with embedded_kms.mock_kms():
        provider = LocalInvoker(region=REGION, account=ACCOUNT)
        key_id = provider.run("CREATE", {"KeySpec": "ECC_NIST_P256", "KeyUsage": "SIGN_VERIFY"})[
            "resourceModel"
        ]["KeyId"]
        client = botocore.session.Session().create_client("kms", region_name=REGION)

        def read() -> object:
            return provider.invoke("READ", {"KeyId": key_id})

        def calls() -> object:
            client.describe_key(KeyId=key_id)
            client.get_key_policy(KeyId=key_id, PolicyName="default")
            client.list_resource_tags(KeyId=key_id)
            client.list_aliases(KeyId=key_id)
            return client.get_public_key(KeyId=key_id)

        for _ in range(3):
            read(), calls()
        return median_seconds(read, rounds * 6) / median_seconds(calls, rounds * 6)


def build_function_code(folder: Path) -> Path:
    """`make package` in a copy of this checkout (python -m keyforge.submit --dry-run): the zip."""
    project = folder / "project"
    submit.copy_project(ROOT, project)
    command = [sys.executable, "-m", "keyforge.submit", "--dry-run"]
    subprocess.run(command, cwd=project, capture_output=True, text=True, check=True, timeout=900)
    return project / "keyforge-kms-key.zip"


def unpack_function_code(package: Path, folder: Path) -> Path:
    """The Lambda function's code (ResourceProvider.zip in `package`) unpacked in `folder`."""
    with zipfile.ZipFile(package) as outer:
        inner = io.BytesIO(outer.read(submit.FUNCTION_CODE))
    with zipfile.ZipFile(inner) as code:
        code.extractall(folder)
    return folder


# Only the bundle and the standard library, as on Lambda; nothing written (Lambda's function
# folder is read-only).
IMPORT = (
    "import sys, time; sys.path.insert(0, {root!r}); "
    "t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"
)


def import_seconds(module: str, root: Path) -> float:
    command = [sys.executable, "-I", "-S", "-B", "-c", IMPORT.format(root=str(root), module=module)]
    return float(subprocess.run(command, capture_output=True, text=True, check=True).stdout)


def import_medians(pairs: int, root: Path) -> tuple[float, float]:
    """The median times (s) of importing the runtime library, then the handlers, from `root`,
    each in `pairs` fresh interpreters, the two alternated."""
    library, handlers = [], []
    for _ in range(pairs):
        library.append(import_seconds("cloudformation_cli_python_lib.resource", root))
        handlers.append(import_seconds("keyforge_kms_key.handlers", root))
    return statistics.median(library), statistics.median(handlers)


def import_rows(pairs: int, package: Path | None) -> list[tuple[str, str, str]]:
    with tempfile.TemporaryDirectory() as folder:
        built = package or build_function_code(Path(folder))
        root = unpack_function_code(built, Path(folder) / "function")
        library, handlers = import_medians(pairs, root)
    return [
        (
            f"import handlers / import runtime library, Lambda bundle ({pairs} pairs)",
            f"{handlers / library:.2f}",
            "<= 1.10",
        ),
        (
            "  the two imports, ms (medians)",
            f"{handlers * 1000:.0f}/{library * 1000:.0f}",
            "",
        ),
    ]


def calls_per_operation(properties: dict[str, Any]) -> dict[str, int]:
    counts = {}
    with embedded_kms.mock_kms():
        # KMS refuses a key policy naming a role that does not exist: the account has them.
        iam = botocore.session.Session().create_client("iam", region_name=REGION)
        embedded_kms.create_principals(iam, [properties], ACCOUNT)
        provider = LocalInvoker(region=REGION, account=ACCOUNT, sleep=lambda _: None)

        def count(action: str, model: dict[str, Any], previous: Any = None) -> dict[str, Any]:
            embedded_kms.clear_recorded_operations()
            answer = provider.run(action, model, previous)
            counts[action] = len(embedded_kms.recorded_operations())
            return answer

        model = count("CREATE", properties)["resourceModel"]
        count("READ", {"KeyId": model["KeyId"]})
        changed = {**model, "Description": "changed"}
        if "Tags" in properties:
            changed = {**model, "Tags": [{"Key": "team", "Value": "data"}]}
        count("UPDATE", changed, model)
        count("DELETE", model)
    return counts


def lint_ratio(rounds: int) -> float:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "large.json"
        path.write_text(json.dumps(template(100)))
        lint_seconds(path, True)
        timings: dict[bool, list[float]] = {False: [], True: []}
        for _ in range(rounds):
            for with_rules in (False, True):
                timings[with_rules].append(lint_seconds(path, with_rules)[0])
    return statistics.median(timings[True]) / statistics.median(timings[False])


def print_table(rows: list[tuple[str, str, str]]) -> None:
    width = max(len(row[0]) for row in rows)
    print(f"{'figure':<{width}}  {'measured':>9}  target")
    for name, value, target in rows:
        print(f"{name:<{width}}  {value:>9}  {target}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument(
        "--bundle", type=Path, help="a keyforge-kms-key.zip to measure instead of building one"
    )
    parser.add_argument("--import-only", action="store_true", help="the import figures alone")
    args = parser.parse_args()
    if args.import_only:
        print_table(import_rows(args.rounds, args.bundle))
        return 0
    rsa, symmetric = calls_per_operation(RSA_DEFAULTS), calls_per_operation(SYMMETRIC)
    rows = [
        (
            "warm READ / its 5 KMS calls made directly",
            f"{warm_read_ratio(args.rounds):.2f}",
            "<= 5",
        ),
        *import_rows(args.rounds, args.bundle),
    ]
    for name, counts, targets in (
        ("RSA_4096, defaults", rsa, "6/6/6/3"),
        ("symmetric, rotation+tags+alias", symmetric, "-/6/6/3"),
    ):
        figures = "/".join(str(counts[a]) for a in ("CREATE", "READ", "UPDATE", "DELETE"))
        rows.append((f"KMS calls CREATE/READ/UPDATE/DELETE, {name}", figures, f"<= {targets}"))
    rows.append(("cfn-lint with / without the rules", f"{lint_ratio(args.rounds):.2f}", "< 1.10"))
    print_table(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
