"""The replica Regions of a multi-Region key, as ReplicateKey would take them."""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from typing import Any

from ..keyspecs import KEY_SPECS, MultiRegion, effective_key_spec, partition_of
from ..policy_grammar import is_literal
from .key_spec import origin_problems, region_problems
from .problems import Problem, PropertyPath
from .values import literal_value


def replica_problems(properties: Mapping[str, Any], region: str | None = None) -> list[Problem]:
    """ReplicaRegions that KMS's ReplicateKey would refuse, for a stack in `region` (None: any).

    The key must be multi-Region; each Region must be a Region name, listed once, not the
    stack's own, in the stack's partition, where the key spec exists and its material can be
    imported.
    """
    regions = properties.get("ReplicaRegions")
    if not is_literal(regions) or not isinstance(regions, list) or not regions:
        return []
    problems: list[Problem] = []
    multi_region = literal_value(properties, "MultiRegion")
    if is_literal(properties.get("MultiRegion")) and multi_region is not True:
        problems.append(
            Problem(
                ("ReplicaRegions",),
                regions,
                "ReplicaRegions needs MultiRegion true: only a multi-Region key can be "
                "replicated. Set MultiRegion to true when the key is created (it cannot change "
                "later), or remove ReplicaRegions.",
            )
        )
    spec = effective_key_spec(literal_value(properties, "KeySpec"))
    written = is_literal(properties.get("KeySpec")) and isinstance(spec, str)
    info = KEY_SPECS.get(spec) if written else None
    if info is not None and not info.multi_region:
        problems.append(
            Problem(("KeySpec",), spec, f"KMS cannot make multi-Region keys of KeySpec {spec}.")
        )
    seen: set[str] = set()
    for index, replica in enumerate(regions):
        if not isinstance(replica, str):
            continue
        where: PropertyPath = ("ReplicaRegions", index)
        if not re.match(MultiRegion.REGION_PATTERN, replica):
            continue  # the schema check names it
        if replica in seen:
            problems.append(
                Problem(
                    where,
                    replica,
                    f"ReplicaRegions lists {replica} twice: a key has at most one replica in "
                    "each Region.",
                )
            )
            continue
        seen.add(replica)
        problems += _replica_region_problems(properties, where, replica, region)
    if region is None:
        partitions = sorted({partition_of(replica) for replica in seen})
        if len(partitions) > 1:
            problems.append(
                Problem(
                    ("ReplicaRegions",),
                    regions,
                    "ReplicaRegions mixes partitions "
                    f"({', '.join(partitions)}): the replicas of a key are all in its "
                    "partition.",
                )
            )
    return problems


def _replica_region_problems(
    properties: Mapping[str, Any], where: PropertyPath, replica: str, region: str | None
) -> list[Problem]:
    known = kms_regions()
    if known and replica not in known:
        return [
            Problem(
                where,
                replica,
                f"ReplicaRegions lists {replica}, which is not a Region KMS has (none of the "
                f"{len(known)} Regions of the partitions botocore {botocore_version()} knows).",
            )
        ]
    if region is not None and replica == region:
        return [
            Problem(
                where,
                replica,
                f"ReplicaRegions lists {replica}, the stack's own Region, where the primary "
                "key is: list only other Regions.",
            )
        ]
    if region is not None and partition_of(replica) != partition_of(region):
        return [
            Problem(
                where,
                replica,
                f"ReplicaRegions lists {replica}, in partition {partition_of(replica)}, but "
                f"the stack's Region {region} is in {partition_of(region)}: KMS replicates a "
                "key only within its partition.",
            )
        ]
    problems = [
        Problem(where, replica, f"Replica Region {replica}: {problem.message}")
        for problem in region_problems(properties, replica) + origin_problems(properties, replica)
    ]
    return problems


@cache
def kms_regions() -> frozenset[str]:
    """Every Region with KMS in every partition, as the installed botocore's endpoint data has
    them (read once; empty when botocore is not there to ask)."""
    try:
        import botocore.session
    except ImportError:
        return frozenset()
    session = botocore.session.get_session()
    return frozenset(
        region
        for partition in session.get_available_partitions()
        for region in session.get_available_regions("kms", partition_name=partition)
    )


def botocore_version() -> str:
    import botocore

    return str(botocore.__version__)
