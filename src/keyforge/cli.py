"""The keyforge command line: one module a subcommand, each with add_parser() and run().

Exit codes: 0 success, 1 a check failed or a step did not do what it should,
2 bad usage or input (a missing file, invalid JSON or YAML, an unknown action).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import Any

from keyforge import contract, demo


def _add_contract(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "contract",
        help="run cfn test, the CloudFormation contract suite, on the embedded KMS (no Docker)",
    )
    contract.add_arguments(parser)
    parser.set_defaults(run=contract.run_from_arguments)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="keyforge",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    demo.add_parser(subparsers)
    _add_contract(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        code: int = args.run(args)
    except KeyboardInterrupt:
        print("keyforge: interrupted", file=sys.stderr)
        return 130
    return code


if __name__ == "__main__":
    sys.exit(main())
