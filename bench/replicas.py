"""KMS calls per invocation and invocations per operation of a multi-Region key, by replicas.

Each handler invocation makes at most MAX_CALLS_PER_INVOCATION KMS calls, whatever the number of
replicas: the rest goes on in the next invocation. Printed for 1, 5 and 30 replicas (the
schema's maximum), CREATE, UPDATE (description and tags, on every key) and DELETE, on the
embedded KMS, each handler with exactly its declared permissions.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from keyforge import embedded_kms
from keyforge.local.invoker import LocalInvoker, load_entrypoint
from keyforge_kms_key import handlers
from keyforge_kms_key.keyspecs import partition_of
from keyforge_kms_key.kms import MAX_CALLS_PER_INVOCATION
from keyforge_kms_key.validation import kms_regions, resource_schema

REGION = "us-east-1"
ACCOUNT = "123456789012"
REPLICA_COUNTS = (1, 5, 30)


def calls(provider: LocalInvoker, action: str, model: Any, previous: Any = None) -> Any:
    """(KMS calls of each invocation, the final answer)."""
    embedded_kms.clear_recorded_operations()
    counts = []
    answer: dict[str, Any] = {}
    for answer in provider.progress(action, model, previous):  # noqa: B007 (the last one)
        counts.append(len(embedded_kms.recorded_operations()))
        embedded_kms.clear_recorded_operations()
    if answer.get("status") != "SUCCESS":
        raise SystemExit(f"{action} did not succeed: {answer}")
    return counts, answer


def measure() -> dict[str, dict[str, list[int]]]:
    others = sorted(r for r in kms_regions() if r != REGION and partition_of(r) == "aws")
    figures: dict[str, dict[str, list[int]]] = {}
    handlers.pause = lambda attempt: None  # type: ignore[assignment]
    with embedded_kms.mock_kms():
        entrypoint = embedded_kms.with_declared_permissions(load_entrypoint(), resource_schema())
        provider = LocalInvoker(
            entrypoint=entrypoint,
            region=REGION,
            account=ACCOUNT,
            max_invocations=100,
            sleep=lambda _: None,
        )
        for count in REPLICA_COUNTS:
            embedded_kms.forget_everything()
            wanted = {
                "MultiRegion": True,
                "ReplicaRegions": others[:count],
                "AliasName": "alias/bench",
                "Tags": [{"Key": "team", "Value": "a"}],
            }
            row: dict[str, list[int]] = {}
            row["CREATE"], created = calls(provider, "CREATE", wanted)
            model = created["resourceModel"]
            changed = {**model, "Description": "changed", "Tags": [{"Key": "team", "Value": "b"}]}
            row["UPDATE"], _ = calls(provider, "UPDATE", changed, model)
            row["DELETE"], _ = calls(provider, "DELETE", changed)
            figures[str(count)] = row
    return figures


def main() -> int:
    figures = measure()
    print(f"Multi-Region keys: KMS calls per invocation (at most {MAX_CALLS_PER_INVOCATION})")
    print(
        f"{'replicas':>8}  {'operation':<9} {'invocations':>11} {'max calls':>9} {'all calls':>9}"
    )
    for count, row in figures.items():
        for action, counts in row.items():
            print(f"{count:>8}  {action:<9} {len(counts):>11} {max(counts):>9} {sum(counts):>9}")
    if "--json" in sys.argv:
        print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
