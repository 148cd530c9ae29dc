"""How much time the Keyforge rules add to cfn-lint on a large template.

Generates a template of 100 KMS keys written with intrinsic functions (Ref to
parameters with AllowedValues, Fn::If, Fn::FindInMap), an alias for each and
the resources that encrypt with them, then times cfn-lint on it with and
without ``--append-rules keyforge_lint`` in this one run, alternating the two
so both see the same machine state. Prints figures; it is not a test.

    python bench/lint_speed.py [--keys 100] [--rounds 5]
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
from importlib import resources
from pathlib import Path
from typing import Any

from cfnlint.api import lint_by_config
from cfnlint.config import ManualArgs

SERVICES: tuple[tuple[str, Callable[[str], dict[str, Any]]], ...] = (
    ("AWS::SQS::Queue", lambda key: {"KmsMasterKeyId": {"Ref": key}}),
    ("AWS::SNS::Topic", lambda key: {"KmsMasterKeyId": {"Fn::GetAtt": [key, "Arn"]}}),
    ("AWS::Logs::LogGroup", lambda key: {"KmsKeyId": {"Fn::GetAtt": [key, "Arn"]}}),
)


def template(keys: int) -> dict[str, Any]:
    """A template with ``keys`` keys, as many aliases and 1.2 times as many other resources."""
    resources_: dict[str, Any] = {}
    for index in range(keys):
        key = f"Key{index}"
        properties: dict[str, Any] = {
            "Description": {"Fn::Sub": f"Key {index} of ${{AWS::StackName}}"},
            "EnableKeyRotation": {"Fn::If": ["Rotate", True, False]},
            "Tags": [{"Key": "tier", "Value": {"Ref": "Tier"}}],
        }
        if index % 4 == 1:
            properties["KeySpec"] = {"Fn::FindInMap": ["Specs", {"Ref": "Tier"}, "Signing"]}
            properties["KeyUsage"] = "SIGN_VERIFY"
            properties["EnableKeyRotation"] = False
        elif index % 4 == 2:
            properties["KeySpec"] = {"Ref": "MacSpec"}
            properties["KeyUsage"] = "GENERATE_VERIFY_MAC"
            properties.pop("EnableKeyRotation")
        elif index % 4 == 3:
            properties["Origin"] = {"Fn::If": ["Imported", "EXTERNAL", {"Ref": "AWS::NoValue"}]}
            properties.pop("EnableKeyRotation")
        kind = "Keyforge::KMS::Key" if index % 2 else "AWS::KMS::Key"
        resources_[key] = {"Type": kind, "Properties": properties}
        resources_[f"Alias{index}"] = {
            "Type": "AWS::KMS::Alias",
            "Properties": {
                "AliasName": {"Fn::Sub": f"alias/${{AWS::StackName}}/key-{index}"},
                "TargetKeyId": {"Ref": key},
            },
        }
        symmetric = index % 4 in (0, 3)
        if symmetric:
            for kind_, properties_of in SERVICES:
                name = f"{kind_.split('::')[1]}{index}"
                resources_[name] = {"Type": kind_, "Properties": properties_of(key)}
        else:
            resources_[f"Bucket{index}"] = {
                "Type": "AWS::S3::Bucket",
                "Properties": {"Tags": [{"Key": "key", "Value": {"Ref": key}}]},
            }
    return {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Parameters": {
            "Tier": {"Type": "String", "Default": "prod", "AllowedValues": ["prod", "dev"]},
            "MacSpec": {
                "Type": "String",
                "Default": "HMAC_256",
                "AllowedValues": ["HMAC_256", "HMAC_384", "HMAC_512"],
            },
            "RotateKeys": {"Type": "String", "Default": "true", "AllowedValues": ["true", "false"]},
            "ImportKeys": {"Type": "String", "Default": "no", "AllowedValues": ["yes", "no"]},
        },
        "Conditions": {
            "Rotate": {"Fn::Equals": [{"Ref": "RotateKeys"}, "true"]},
            "Imported": {"Fn::Equals": [{"Ref": "ImportKeys"}, "yes"]},
        },
        "Mappings": {
            "Specs": {
                "prod": {"Signing": "ECC_NIST_P384"},
                "dev": {"Signing": "ECC_NIST_P256"},
            }
        },
        "Resources": resources_,
    }


def lint_seconds(path: Path, with_rules: bool) -> tuple[float, int]:
    config = ManualArgs(
        templates=[str(path)],
        registry_schemas=[str(resources.files("keyforge_kms_key"))],
        append_rules=["keyforge_lint"] if with_rules else [],
    )
    start = time.perf_counter()
    matches = lint_by_config(config)
    return time.perf_counter() - start, len(matches)


def cli_seconds(path: Path, with_rules: bool) -> float:
    command = [
        str(Path(sys.executable).parent / "cfn-lint"),
        f"--registry-schemas={resources.files('keyforge_kms_key')}",
        *(["--append-rules=keyforge_lint"] if with_rules else []),
        "--",
        str(path),
    ]
    start = time.perf_counter()
    subprocess.run(command, capture_output=True, check=False)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keys", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()

    document = template(args.keys)
    count = len(document["Resources"])
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "large.json"
        path.write_text(json.dumps(document, indent=1))
        lint_seconds(path, True)  # imports, schemas and caches warm up before timing

        timings: dict[bool, list[float]] = {False: [], True: []}
        findings: dict[bool, int] = {}
        for _ in range(args.rounds):
            for with_rules in (False, True):
                seconds, findings[with_rules] = lint_seconds(path, with_rules)
                timings[with_rules].append(seconds)
        cli: dict[bool, list[float]] = {False: [], True: []}
        for _ in range(max(1, args.rounds // 2)):
            for with_rules in (False, True):
                cli[with_rules].append(cli_seconds(path, with_rules))

    without, with_ = statistics.median(timings[False]), statistics.median(timings[True])
    cli_without, cli_with = statistics.median(cli[False]), statistics.median(cli[True])
    print(f"template: {count} resources, {args.keys} KMS keys with intrinsic functions")
    print(f"findings: {findings[False]} without the rules, {findings[True]} with them")
    print(f"in process, median of {args.rounds} rounds:")
    print(f"  cfn-lint                      {without:7.3f} s")
    print(f"  cfn-lint -a keyforge_lint     {with_:7.3f} s")
    print(f"  ratio                         {with_ / without:7.3f}  (+{with_ / without - 1:.1%})")
    print(f"cfn-lint command, median of {len(cli[False])} runs:")
    print(f"  cfn-lint                      {cli_without:7.3f} s")
    print(f"  cfn-lint -a keyforge_lint     {cli_with:7.3f} s")
    print(f"  ratio                         {cli_with / cli_without:7.3f}")
    print("target: the rules add under 10%")
    return 0


if __name__ == "__main__":
    sys.exit(main())
