"""keyforge guard-rules: the Keyforge rules as a rule pack for cfn-guard 3.

Prints the pack (or writes it to --output): generated from the rule registry and the key-spec
catalogue, every KeySpec and KeyUsage pair KMS refuses (E9101), rotation where KMS does not
rotate (E9102), imported key material for key specs KMS cannot import it for (E9103), and key
policy statements without Action or NotAction or with a Resource other than "*" (E9109 on
AWS::KMS::Key, E9108 on Keyforge::KMS::Key). The same pack evaluates templates

    cfn-guard validate --rules keyforge.guard --data template.yaml

and the input of a CloudFormation Guard hook (hooks/guard-hook.yaml deploys one with the pack
in S3). Rules that depend on the stack's Region (SM2, ML-KEM, imported material in the China
Regions) are the hooks' (Keyforge::KMS::KeyRules and the Lambda hook), not the pack's.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from keyforge.command import EXIT_OK, CommandError
from keyforge.guard_pack import pack_rules, render


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "-o", "--output", type=Path, help="write the pack to this file instead of printing it"
    )
    parser.add_argument(
        "--list", action="store_true", help="list the pack's rules (name and message), one a line"
    )


def run(args: argparse.Namespace) -> int:
    if args.list:
        for rule in pack_rules():
            print(f"{rule.name}\t{rule.message}")
        return EXIT_OK
    text = render()
    if args.output is None:
        sys.stdout.write(text)
        return EXIT_OK
    try:
        args.output.write_text(text)
    except OSError as error:
        raise CommandError(f"cannot write {args.output}: {error.strerror}") from error
    print(f"{args.output}: {len(pack_rules())} rules", file=sys.stderr)
    return EXIT_OK
