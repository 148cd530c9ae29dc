"""The keyforge command line."""

import sys


def main(argv: list[str] | None = None) -> int:
    del argv
    print("keyforge: nothing here yet", file=sys.stderr)
    return 1
