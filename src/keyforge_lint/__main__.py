"""``python -m keyforge_lint [cfn-lint arguments] TEMPLATE...``: cfn-lint with the Keyforge rules.

It adds ``--append-rules keyforge_lint`` and ``--registry-schemas`` for the
folder holding Keyforge::KMS::Key's schema (without it cfn-lint reports E3006,
type does not exist), then runs cfn-lint with the given arguments; the exit
code is cfn-lint's.
"""

from __future__ import annotations

import sys
from importlib import resources


def arguments(argv: list[str]) -> list[str]:
    # The "=" form gives each option exactly one value, so a template named
    # next is never taken for another rule module.
    schemas = str(resources.files("keyforge_kms_key"))
    return [f"--registry-schemas={schemas}", "--append-rules=keyforge_lint", *argv]


def main() -> int:
    from cfnlint.runner import main as cfn_lint

    sys.argv = ["cfn-lint", *arguments(sys.argv[1:])]
    return int(cfn_lint())


if __name__ == "__main__":
    sys.exit(main())
