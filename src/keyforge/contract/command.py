"""Run `cfn test`, the CloudFormation contract suite, on the embedded KMS: no Docker, no AWS.

`cfn test` needs three things from AWS: the function to invoke (normally
`sam local start-lambda`, which needs Docker), STS (to learn the account and
fetch a session token) and whatever the handlers call. Here one child process
(`keyforge.contract.standin`) provides all three: an embedded KMS on a free loopback port,
which answers STS too, and a Lambda Invoke endpoint on another free port that
calls the entrypoint named in `.rpdk-config` in-process, with AWS_ENDPOINT_URL
pointing the handlers at the embedded KMS. `cfn` itself runs in a second child
(`keyforge.contract.cfn_local`), loaded once for every pass, whose STS endpoint
points at the embedded KMS.

Each input set (`inputs/inputs_N_{create,update,invalid}.json`) runs as its own
pass, so one failing set does not hide the others; the pass without inputs lets
the suite generate models from the schema (`overrides.json` pins values there).
Every pass runs in a scratch copy of the project (.rpdk-config, the schema,
overrides.json and that one input set), and the embedded KMS is emptied between
passes.

The suite's generator fills in every writable property of the schema at once,
and `overrides.json` can pin a property's value but cannot leave it out. So a
schema with properties that exclude each other (Keyforge's KeyPolicy and its
policy builder properties) can only be generated for with one side left out of
the schema copy the generated pass hands the suite (`omit`); the input sets
cover the other side.

    keyforge contract                    # every input set in inputs/
    keyforge contract --generated --omit KeyPolicy   # ... then the generated pass
    keyforge contract --no-inputs --omit KeyPolicy   # only the generated pass
    keyforge contract --set 2 -- -k contract_delete_read

`keyforge contract` and `python -m keyforge.contract` are this module's command line.
"""

from __future__ import annotations

import argparse
import dataclasses
import signal
import sys
from collections.abc import Sequence
from types import FrameType

from keyforge.contract.project import ContractSetupError
from keyforge.contract.runner import (
    DEFAULT_ENFORCE_TIMEOUT,
    DEFAULT_REGION,
    ContractOptions,
    run_contract,
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of the contract command, for a parser or a subcommand parser.

    Each option's `dest` is the ContractOptions field it sets.
    """
    parser.add_argument(
        "--project",
        dest="project_dir",
        default=".",
        help="the project root, where .rpdk-config is (default: .)",
    )
    parser.add_argument(
        "--inputs",
        dest="inputs_dir",
        default="inputs",
        help="input sets directory, relative to the project",
    )
    parser.add_argument(
        "--set",
        dest="input_sets",
        type=int,
        action="append",
        metavar="N",
        help="run only input set N (repeatable)",
    )
    parser.add_argument(
        "--generated",
        action="store_true",
        help="after the input sets, run the pass that generates models from the schema",
    )
    parser.add_argument(
        "--no-inputs",
        dest="inputs_dir",
        action="store_const",
        const=None,
        help="run only the pass that generates models from the schema",
    )
    parser.add_argument(
        "--omit",
        action="append",
        default=[],
        metavar="PROPERTY",
        help="leave PROPERTY out of the schema for the generated pass (repeatable)",
    )
    parser.add_argument(
        "--entrypoint", help="handler entrypoint to test instead of the one in .rpdk-config"
    )
    parser.add_argument("--region", default=DEFAULT_REGION)
    parser.add_argument(
        "--enforce-timeout",
        type=int,
        default=DEFAULT_ENFORCE_TIMEOUT,
        help="seconds a READ or LIST may take (twice that for the others)",
    )
    parser.add_argument("--log-dir", help="write each pass's output to LOG_DIR/<pass>.log")
    parser.add_argument(
        "--seed", type=int, help="Hypothesis seed of the generated pass (default: a random one)"
    )
    parser.add_argument(
        "pytest_args", nargs="*", help="after --: arguments for the suite's pytest (-k NAME)"
    )


def options_from(args: argparse.Namespace) -> ContractOptions:
    return ContractOptions(
        **{field.name: getattr(args, field.name) for field in dataclasses.fields(ContractOptions)}
    )


def run(args: argparse.Namespace) -> int:
    """Run what `add_arguments` parsed; the exit status. Call it from the main thread."""
    # SIGTERM then unwinds like Ctrl-C does, so what the run started is stopped on the way out.
    previous = signal.signal(signal.SIGTERM, _exit_on_sigterm)
    try:
        return run_contract(options_from(args))
    except ContractSetupError as error:
        print(f"contract: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("contract: interrupted", file=sys.stderr)
        return 130
    finally:
        signal.signal(signal.SIGTERM, previous)


def _exit_on_sigterm(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(128 + signum)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m keyforge.contract",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_arguments(parser)
    return run(parser.parse_args(argv))
