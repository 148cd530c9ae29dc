"""What a contract run found: each pass's outcomes, read from the suite's JUnit XML and from the
handler answers the stand-in recorded; and the summary printed for people. Reads files only.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ElementTree
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

OUTCOME_RANK = {"passed": 0, "skipped": 1, "failed": 2, "error": 3}
_MISSING = object()


@dataclass(frozen=True)
class ContractPass:
    """One `cfn test` run: one input set, or the models generated from the schema."""

    label: str
    exit_code: int
    outcomes: Mapping[str, str]  # contract test -> passed / failed / error / skipped
    messages: Mapping[str, str]  # contract test -> why it failed, errored or was skipped
    seconds: float
    log: Path | None = None
    # What the handlers answered that no contract test asks for: FAILED other than NotFound (or,
    # for a hook, NonCompliant).
    handler_failures: tuple[str, ...] = ()
    seed: int | None = None  # the generated pass's Hypothesis seed, to run the same models again

    @property
    def ok(self) -> bool:
        return self.exit_code == 0

    def tests(self, outcome: str) -> list[str]:
        return sorted(name for name, seen in self.outcomes.items() if seen == outcome)


@dataclass(frozen=True)
class ContractReport:
    passes: list[ContractPass] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        return next((run.exit_code for run in self.passes if run.exit_code), 0)

    @property
    def ok(self) -> bool:
        return self.exit_code == 0

    def summary(self) -> str:
        lines = []
        for run in self.passes:
            counts = ", ".join(
                f"{len(run.tests(outcome))} {outcome}"
                for outcome in OUTCOME_RANK
                if run.tests(outcome)
            )
            verdict = "ok" if run.ok else f"FAILED (cfn exit {run.exit_code})"
            seeded = f" (--hypothesis-seed={run.seed})" if run.seed is not None else ""
            lines.append(
                f"{run.label}{seeded}: {verdict}: {counts or 'no tests ran'} in {run.seconds:.1f}s"
            )
            for outcome in ("failed", "error", "skipped"):
                # A failing fixture fails every test that uses it: one line per distinct reason.
                by_message: dict[str, list[str]] = {}
                for name in run.tests(outcome):
                    by_message.setdefault(run.messages.get(name, ""), []).append(name)
                for message, names in by_message.items():
                    lines.append(f"    {outcome} {', '.join(names)}: {message}".rstrip())
            if not run.ok:
                lines.extend(f"    handler answered {answer}" for answer in run.handler_failures)
            if run.log is not None and not run.ok:
                lines.append(f"    log: {run.log}")
        return "\n".join(lines)


def handler_failures(invocations: Path, offset: int) -> tuple[str, ...]:
    """The distinct unexpected answers recorded in `invocations` from `offset` on."""
    with invocations.open("rb") as lines:
        lines.seek(offset)
        recorded = [json.loads(line) for line in lines if line.strip()]
    failures: dict[str, None] = {}
    for answer in recorded:
        if answer.get("status") in ("SUCCESS", "IN_PROGRESS") or answer.get("errorCode") in (
            "NotFound",
            "NonCompliant",
        ):
            continue
        code = f" {answer['errorCode']}" if answer.get("errorCode") else ""
        failures[
            f"{answer.get('action')} {answer.get('status')}{code}: {answer.get('message')}"
        ] = None
    return tuple(failures)


def read_junit(path: Path) -> tuple[dict[str, str], dict[str, str]]:
    """Each test's outcome (the worst seen, setup and teardown included) and message."""
    outcomes: dict[str, str] = {}
    messages: dict[str, str] = {}
    for case in ElementTree.parse(path).iter("testcase"):
        name = case.get("name", "?")
        outcome, message = "passed", ""
        for child in case:
            if child.tag in ("failure", "error", "skipped"):
                outcome = {"failure": "failed"}.get(child.tag, child.tag)
                text = child.get("message") or child.text or ""
                message = _model_difference(child.text or "") or _first_line(text)
                break
        if OUTCOME_RANK[outcome] >= OUTCOME_RANK.get(outcomes.get(name, "passed"), 0):
            outcomes[name] = outcome
            if message:
                messages[name] = message
    return outcomes, messages


def _model_difference(text: str) -> str:
    """For the suite's "input equals output" failure: which properties differ, and how."""
    sent_at, got_at = text.rfind(", inputs: {"), text.rfind(", outputs: {")
    if sent_at < 0 or got_at < sent_at:
        return ""
    decoder = json.JSONDecoder()
    try:
        sent, _ = decoder.raw_decode(text, sent_at + len(", inputs: "))
        got, _ = decoder.raw_decode(text, got_at + len(", outputs: "))
    except ValueError:
        return ""
    if not isinstance(sent, dict) or not isinstance(got, dict):
        return ""
    differences = [
        f"{name} sent {json.dumps(value)}, "
        + (f"returned {json.dumps(got[name])}" if name in got else "not returned")
        for name, value in sent.items()
        if got.get(name, _MISSING) != value
    ]
    if not differences:
        return ""
    return _first_line("the model returned differs from the request: " + "; ".join(differences))


def _first_line(text: str, limit: int = 400) -> str:
    line = next((line.strip() for line in text.splitlines() if line.strip()), "")
    return line if len(line) <= limit else line[: limit - 3] + "..."
