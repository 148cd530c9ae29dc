"""A problem with a key's properties: where it is, what value, and what is wrong."""

from __future__ import annotations

from typing import NamedTuple

PropertyPath = tuple[str | int, ...]


class Problem(NamedTuple):
    """One thing wrong with a key's properties: where, what value, and what is allowed."""

    path: PropertyPath
    value: object
    message: str

    @property
    def property_name(self) -> str:
        return str(self.path[0]) if self.path else ""

    def __str__(self) -> str:
        return self.message


def format_path(path: PropertyPath) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text
