"""What every keyforge subcommand shares: exit codes and the error that stops a command cleanly.

A subcommand is a module whose docstring is its description, with two functions:

    def add_arguments(parser: argparse.ArgumentParser) -> None   # its arguments
    def run(args: argparse.Namespace) -> int                      # an exit code below

`run` raises `CommandError` for anything the user can fix (a missing file, an
unknown key); `keyforge.cli` prints its message as one line on stderr and
exits with its code. Register the module in `keyforge.cli.SUBCOMMANDS`.
"""

from __future__ import annotations

from typing import Final

EXIT_OK: Final = 0
"""Success: nothing found, everything checked out."""
EXIT_FAILED: Final = 1
"""Findings, a failed check, or a step that did not do what it should."""
EXIT_USAGE: Final = 2
"""Bad usage or input: unknown option or subcommand, missing or unreadable file, unknown key."""
EXIT_INTERRUPTED: Final = 130

EXIT_CODES_HELP: Final = f"""\
exit codes:
  {EXIT_OK}  success
  {EXIT_FAILED}  findings, a failed check or a step that failed
  {EXIT_USAGE}  bad usage or input (missing or invalid file, unknown key or subcommand)"""


class CommandError(Exception):
    """Stops a subcommand: its message becomes one line on stderr, `exit_code` the exit status."""

    def __init__(self, message: str, exit_code: int = EXIT_USAGE) -> None:
        super().__init__(message)
        self.message = message
        self.exit_code = exit_code
