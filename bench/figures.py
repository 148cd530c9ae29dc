"""The provider's speed figures, as ratios measured in one run on this machine.

- warm READ through the Lambda entrypoint over the time of the same KMS calls made directly;
- importing the handler module over importing the runtime library it builds on (fresh
  interpreters, alternated in pairs);
- KMS calls per operation for the two reference keys;
- cfn-lint with the Keyforge rules over cfn-lint without them (bench/lint_speed.py).

Prints a table; it is not a test and asserts nothing.

    python bench/figures.py [--rounds 5]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import botocore.session
from lint_speed import lint_seconds, template

from keyforge import embedded_kms
from keyforge.local.invoker import LocalInvoker

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


IMPORT = "import time; t = time.perf_counter(); import {0}; print(time.perf_counter() - t)"


def import_seconds(module: str) -> float:
    command = [sys.executable, "-c", IMPORT.format(module)]
    return float(subprocess.run(command, capture_output=True, text=True, check=True).stdout)


def import_ratio(pairs: int) -> float:
    library, handlers = [], []
    for _ in range(pairs):
        library.append(import_seconds("cloudformation_cli_python_lib.resource"))
        handlers.append(import_seconds("keyforge_kms_key.handlers"))
    return statistics.median(handlers) / statistics.median(library)


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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    rsa, symmetric = calls_per_operation(RSA_DEFAULTS), calls_per_operation(SYMMETRIC)
    rows = [
        (
            "warm READ / its 5 KMS calls made directly",
            f"{warm_read_ratio(args.rounds):.2f}",
            "<= 5",
        ),
        (
            f"import handlers / import runtime library ({args.rounds} pairs)",
            f"{import_ratio(args.rounds):.2f}",
            "<= 1.15",
        ),
    ]
    for name, counts, targets in (
        ("RSA_4096, defaults", rsa, "6/6/6/3"),
        ("symmetric, rotation+tags+alias", symmetric, "-/6/6/3"),
    ):
        figures = "/".join(str(counts[a]) for a in ("CREATE", "READ", "UPDATE", "DELETE"))
        rows.append((f"KMS calls CREATE/READ/UPDATE/DELETE, {name}", figures, f"<= {targets}"))
    rows.append(("cfn-lint with / without the rules", f"{lint_ratio(args.rounds):.2f}", "< 1.10"))
    width = max(len(row[0]) for row in rows)
    print(f"{'figure':<{width}}  {'measured':>9}  target")
    for name, value, target in rows:
        print(f"{name:<{width}}  {value:>9}  {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
