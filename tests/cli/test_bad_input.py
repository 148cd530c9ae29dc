"""Bad input to the keyforge command: one short line on stderr and exit 2, whatever its size.

The command line runs in this process (the installed script is tested in test_cli).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.helpers import Completed, Run

LONG_KEY = "k" * 10_000


def assert_one_short_line(completed: Completed, expected: str) -> None:
    assert completed.returncode == 2, completed
    assert completed.stdout == ""
    lines = completed.stderr.splitlines()
    assert len(lines) == 1 and len(lines[0]) < 300, completed.stderr
    assert expected in lines[0]


def test_invoke_refuses_json_nested_too_deeply(tmp_path: Path, keyforge: Run) -> None:
    request = tmp_path / "deep.json"
    request.write_text("[" * 100_000 + "]" * 100_000)
    assert_one_short_line(keyforge("invoke", "CREATE", str(request)), "nested too deeply")


@pytest.mark.parametrize("new", ["", "{}\n", "Resources: {}\n", "Description: none\n"])
def test_check_update_refuses_a_template_without_resources(
    tmp_path: Path, new: str, keyforge: Run
) -> None:
    old, empty = tmp_path / "old.yaml", tmp_path / "new.yaml"
    old.write_text("Resources:\n  Key:\n    Type: AWS::KMS::Key\n")
    empty.write_text(new)
    completed = keyforge("check-update", str(old), str(empty))
    assert_one_short_line(completed, "new.yaml")


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("", "is empty"),
        (" ", "is empty"),
        (LONG_KEY, "is 10000 characters long: KMS takes at most 2048"),
        ("alias/with space", "contains white space"),
    ],
    ids=["empty", "blank", "long", "space"],
)
@pytest.mark.parametrize("command", ["public-key", "rotate", "rotations"])
def test_a_key_argument_kms_could_never_take(
    command: str, key: str, expected: str, keyforge: Run
) -> None:
    completed = keyforge(command, key, "--region", "us-east-1")
    assert_one_short_line(completed, expected)
    assert LONG_KEY not in completed.stderr
