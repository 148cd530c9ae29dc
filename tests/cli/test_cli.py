"""The keyforge command itself: help, usage errors, the subcommand registry and its conventions."""

from __future__ import annotations

import argparse
import subprocess
import sys

import pytest

from keyforge import cli
from keyforge.command import CommandError
from tests.cli.helpers import KEYFORGE


def test_help_lists_every_subcommand_and_the_exit_codes(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--help"]) == 0
    out = capsys.readouterr().out
    words = " ".join(out.split())
    for subcommand in cli.SUBCOMMANDS:
        assert f"{subcommand.name} {subcommand.help}" in words
    assert "exit codes:\n  0  success\n  1  findings" in out
    assert "  2  bad usage or input" in out


@pytest.mark.parametrize("name", [subcommand.name for subcommand in cli.SUBCOMMANDS])
def test_every_subcommand_has_its_own_help(capsys: pytest.CaptureFixture[str], name: str) -> None:
    assert cli.main([name, "--help"]) == 0
    assert capsys.readouterr().out.startswith(f"usage: keyforge {name} ")


@pytest.mark.parametrize(
    ("argv", "line"),
    [
        (
            ["frobnicate"],
            "keyforge: argument COMMAND: invalid choice: 'frobnicate' (choose from "
            "'check-update', 'public-key', 'import-key-material', 'rotate', 'rotations', "
            "'guard-rules', 'demo', 'contract', 'invoke') (see 'keyforge --help')",
        ),
        ([], "keyforge: the following arguments are required: COMMAND (see 'keyforge --help')"),
        (
            ["check-update", "a.yaml", "b.yaml", "--colour"],
            "keyforge check-update: unrecognized arguments: --colour "
            "(see 'keyforge check-update --help')",
        ),
    ],
)
def test_a_usage_error_is_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], argv: list[str], line: str
) -> None:
    assert cli.main(argv) == 2
    captured = capsys.readouterr()
    assert (captured.out, captured.err.splitlines()) == ("", [line])


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--version"]) == 0
    assert capsys.readouterr().out.startswith("keyforge ")


def test_only_the_module_of_the_subcommand_run_is_imported() -> None:
    script = (
        "import sys\n"
        "from keyforge.cli import main\n"
        "main(['check-update', '--help'])\n"
        "print(sorted(m for m in ('moto', 'boto3', 'keyforge.commands.demo', 'keyforge.contract',"
        " 'keyforge.commands.public_key', 'keyforge.commands.check_update') if m in sys.modules))\n"
    )
    completed = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True
    )
    assert completed.stdout.splitlines()[-1] == "['keyforge.commands.check_update']"


# --- The registry: a subcommand written elsewhere plugs in with add_arguments() and run() -----


def _sample_add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("what", choices=["ok", "findings", "input", "bug"])


def _sample_run(args: argparse.Namespace) -> int:
    if args.what == "input":
        raise CommandError("sample.yaml: no such file")
    if args.what == "bug":
        raise RuntimeError("a bug")
    print(args.what)
    return {"ok": 0, "findings": 1}[args.what]


@pytest.fixture
def sample_registered(monkeypatch: pytest.MonkeyPatch) -> None:
    module = type(sys)("keyforge_sample_subcommand")
    module.add_arguments = _sample_add_arguments  # type: ignore[attr-defined]
    module.run = _sample_run  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, module.__name__, module)
    sample = cli.Subcommand("sample", module.__name__, "a subcommand for the tests")
    monkeypatch.setattr(cli, "SUBCOMMANDS", (*cli.SUBCOMMANDS, sample))


@pytest.mark.usefixtures("sample_registered")
@pytest.mark.parametrize(
    ("what", "code", "out", "err"),
    [
        ("ok", 0, "ok\n", ""),
        ("findings", 1, "findings\n", ""),
        ("input", 2, "", "keyforge sample: sample.yaml: no such file\n"),
        (
            "bug",
            1,
            "",
            "keyforge sample: unexpected error: RuntimeError: a bug "
            "(run 'keyforge --traceback ...' for details)\n",
        ),
    ],
)
def test_a_registered_subcommand_runs_with_the_shared_exit_codes(
    capsys: pytest.CaptureFixture[str], what: str, code: int, out: str, err: str
) -> None:
    assert cli.main(["sample", what]) == code
    captured = capsys.readouterr()
    assert (captured.out, captured.err) == (out, err)


@pytest.mark.usefixtures("sample_registered")
def test_traceback_shows_an_unexpected_error_as_it_is() -> None:
    with pytest.raises(RuntimeError, match="a bug"):
        cli.main(["--traceback", "sample", "bug"])


def test_the_installed_script_runs_the_command() -> None:
    completed = subprocess.run(
        [str(KEYFORGE), "no-such-command"], capture_output=True, text=True, timeout=60, check=False
    )
    assert completed.returncode == 2
    assert completed.stderr.count("\n") == 1
    assert "Traceback" not in completed.stderr


def test_a_subcommand_whose_module_cannot_be_imported_is_one_line(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = cli.Subcommand("broken", "keyforge.no_such_module", "not written yet")
    monkeypatch.setattr(cli, "SUBCOMMANDS", (*cli.SUBCOMMANDS, broken))
    assert cli.main(["broken"]) == 1
    assert capsys.readouterr().err == (
        "keyforge broken: cannot be loaded: No module named 'keyforge.no_such_module'\n"
    )
    # The other subcommands still work, and the listing still names it.
    assert cli.main(["--help"]) == 0
    assert "not written yet" in capsys.readouterr().out
