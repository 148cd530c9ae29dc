"""The keyforge command line: subcommands, one module each, wired here and nowhere else.

To add a subcommand, write a module whose docstring is its description, with
`add_arguments(parser)` and `run(args) -> int` (see keyforge.command), and add a
line to SUBCOMMANDS (its name and the line `keyforge --help` shows). Only
the module of the subcommand being run is imported, so a slow import (moto,
cfn-lint) costs only the commands that need it, and a subcommand that needs an
extra (pyproject.toml's optional dependencies) says so when the extra is not
installed.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from typing import Any, NoReturn

from keyforge.command import (
    EXIT_CODES_HELP,
    EXIT_FAILED,
    EXIT_INTERRUPTED,
    EXIT_USAGE,
    CommandError,
)

SubParsers = Any  # argparse._SubParsersAction, which argparse does not export


@dataclass(frozen=True)
class Subcommand:
    name: str
    module: str
    """Imported only when this subcommand runs (or shows its own help)."""
    help: str
    """The line `keyforge --help` shows for it."""
    extra: str | None = None
    """The extra it needs beyond the base install (`pip install 'keyforge[EXTRA]'`), if any."""

    def add_parser(self, subparsers: SubParsers) -> None:
        module = importlib.import_module(self.module)
        parser: argparse.ArgumentParser = subparsers.add_parser(
            self.name,
            help=self.help,
            description=module.__doc__,
            epilog=EXIT_CODES_HELP,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        module.add_arguments(parser)
        parser.set_defaults(run=module.run)


SUBCOMMANDS: tuple[Subcommand, ...] = (
    Subcommand(
        "check-update",
        "keyforge.commands.check_update",
        "list the KMS keys a stack update would fail on or delete",
    ),
    Subcommand(
        "public-key",
        "keyforge.commands.public_key",
        "download a KMS key's public key, checked, as PEM or DER",
    ),
    Subcommand(
        "import-key-material",
        "keyforge.commands.import_key_material",
        "import your own key material into a KMS key with Origin EXTERNAL",
    ),
    Subcommand(
        "rotate",
        "keyforge.commands.rotate",
        "rotate a symmetric encryption key's key material now (RotateKeyOnDemand)",
    ),
    Subcommand(
        "rotations",
        "keyforge.commands.rotations",
        "list a symmetric encryption key's rotations and key materials",
    ),
    Subcommand(
        "guard-rules",
        "keyforge.commands.guard_rules",
        "print the Keyforge rules as a rule pack for cfn-guard (pipelines and Guard hooks)",
    ),
    Subcommand(
        "demo",
        "keyforge.commands.demo",
        "create, use, update and delete every example key on the embedded KMS",
        extra="local",
    ),
    Subcommand(
        "contract",
        "keyforge.contract.command",
        "run cfn test, the CloudFormation contract suite, on the embedded KMS (no Docker)",
        extra="local",
    ),
    Subcommand(
        "invoke",
        "keyforge.commands.invoke",
        "run one handler through the Lambda entrypoint, re-invoking on IN_PROGRESS",
        extra="local",
    ),
)


class _Parser(argparse.ArgumentParser):
    """An argparse parser whose usage errors are one line on stderr, exit status 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: {message} (see '{self.prog} --help')\n")


class _HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """Help lines wrapped at spaces only: "re-invoking" stays one word."""

    def _split_lines(self, text: str, width: int) -> list[str]:
        return textwrap.wrap(" ".join(text.split()), width, break_on_hyphens=False)


def _wide_help(prog: str) -> argparse.HelpFormatter:
    return _HelpFormatter(prog, max_help_position=28)


def _version() -> str:
    try:
        return version("keyforge")
    except PackageNotFoundError:
        return "unknown"


def build_parser(load: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The parser; only the modules of the subcommands in `load` are imported (None: all)."""
    parser = _Parser(
        prog="keyforge",
        description="Keyforge: KMS keys of every key spec, for CloudFormation, on one machine.",
        epilog=EXIT_CODES_HELP,
        formatter_class=_wide_help,
    )
    parser.add_argument("--version", action="version", version=f"keyforge {_version()}")
    parser.add_argument(
        "--traceback",
        action="store_true",
        help="on an unexpected error, show the Python traceback instead of one line",
    )
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for subcommand in SUBCOMMANDS:
        if load is None or subcommand.name in load:
            subcommand.add_parser(subparsers)
        else:
            subparsers.add_parser(subcommand.name, help=subcommand.help)
    return parser


def _chosen(argv: Sequence[str]) -> list[str]:
    """The subcommand named on the command line (the global options take no values)."""
    names = {subcommand.name for subcommand in SUBCOMMANDS}
    first = next((arg for arg in argv if not arg.startswith("-")), None)
    return [first] if first in names else []


def _needs_extra(name: str, error: Exception) -> str | None:
    """The line saying that subcommand `name` needs its extra, if `error` says it is missing.

    A module missing outside the project, for a subcommand that needs an extra, means the extra
    is not installed. A module of the project itself, or a name a module lacks, is another fault.
    """
    extra = next(subcommand.extra for subcommand in SUBCOMMANDS if subcommand.name == name)
    if extra is None or not isinstance(error, ModuleNotFoundError) or not error.name:
        return None
    missing = error.name.partition(".")[0]
    if missing.startswith("keyforge"):
        return None
    return (
        f"keyforge {name}: needs the {extra} extra: pip install 'keyforge[{extra}]' "
        f"(no module named '{missing}')"
    )


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    chosen = _chosen(arguments)
    try:
        parser = build_parser(load=chosen)
    except ImportError as error:
        line = _needs_extra(chosen[0], error) or f"keyforge {chosen[0]}: cannot be loaded: {error}"
        print(line, file=sys.stderr)
        return EXIT_FAILED
    try:
        args, extra = parser.parse_known_args(arguments)
        if extra:
            # Named by the subcommand they were given to, as its own parser would.
            prog = f"keyforge {args.command}"
            parser.exit(
                EXIT_USAGE,
                f"{prog}: unrecognized arguments: {' '.join(extra)} (see '{prog} --help')\n",
            )
    except SystemExit as stop:
        if stop.code is None or isinstance(stop.code, int):
            return stop.code or 0
        return EXIT_USAGE
    prog = f"keyforge {args.command}"
    try:
        code: int = args.run(args)
    except CommandError as error:
        print(f"{prog}: {error.message}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print(f"{prog}: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader went away (`keyforge ... | head`): stop quietly.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_FAILED
    except Exception as error:
        if args.traceback:
            raise
        # A subcommand may import, as it runs, what only some of its options need (invoke: the
        # embedded KMS).
        print(
            _needs_extra(args.command, error)
            or f"{prog}: unexpected error: {type(error).__name__}: {error} "
            "(run 'keyforge --traceback ...' for details)",
            file=sys.stderr,
        )
        return EXIT_FAILED
    return code


if __name__ == "__main__":
    sys.exit(main())
