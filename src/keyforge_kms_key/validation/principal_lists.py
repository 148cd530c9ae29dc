"""The builder's lists of principals and accounts: each entry once, no account root as a user."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from .problems import Problem
from .values import describe

# Keyforge::KMS::Key's lists of principals the handler writes into the key policy.
PRINCIPAL_LISTS: tuple[str, ...] = ("KeyAdministrators", "KeyUsers")
_ACCOUNT_ROOT = re.compile(r"arn:aws[a-z-]*:iam::[0-9]{12}:root")


def principal_problems(properties: Mapping[str, Any]) -> list[Problem]:
    """The same principal or account listed twice in a builder property."""
    problems = []
    for name in ("KeyAdministrators", "KeyUsers", "ExternalAccounts"):
        entries = properties.get(name)
        if not isinstance(entries, list):
            continue
        first_index: dict[str, int] = {}
        for index, entry in enumerate(entries):
            if not isinstance(entry, str):
                continue
            if name == "KeyUsers" and _ACCOUNT_ROOT.fullmatch(entry):
                problems.append(
                    Problem(
                        (name, index),
                        entry,
                        f"{name}[{index}] {describe(entry)} is an account root: list the "
                        "account id in ExternalAccounts instead (the account itself already "
                        "has full access through the key policy's first statement).",
                    )
                )
            if entry in first_index:
                problems.append(
                    Problem(
                        (name, index),
                        entry,
                        f"{name}[{index}] {describe(entry)} is already listed as "
                        f"{name}[{first_index[entry]}]: list each entry once.",
                    )
                )
            else:
                first_index[entry] = index
    return problems
