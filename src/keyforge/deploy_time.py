"""The Keyforge rules at deploy time, shown on two templates: the demo's last step. I/O.

Of templates/invalid/, one AWS::KMS::Key that KMS refuses (E9101, an ECC key asked to encrypt)
and one it accepts with a warning (W9111, a symmetric key without rotation) are judged

- by the hook type Keyforge::KMS::KeyRules (hooks/key-rules), through its Lambda entrypoint,
  invoked as CloudFormation invokes it before a create: FAILED with NonCompliant and lint's
  sentence, or SUCCESS with the warning;
- by the Lambda hook's handler (hooks/lambda-hook.yaml): the same answers;
- by the Guard rule pack (`keyforge guard-rules`), run by the real cfn-guard 3.1.1 when it is on
  PATH or in Keyforge's cache (the tests fetch it there); without it, one line says so.
"""

from __future__ import annotations

import json
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from keyforge import cfn_guard
from keyforge.guard_pack import pack_rules, render
from keyforge.local.invoker import Entrypoint, entrypoint_from_rpdk_config, load_entrypoint
from keyforge.template import Resolver, Unresolvable, load, resources_of_type
from keyforge_kms_key.keyspecs import AWS_KEY_TYPE
from keyforge_kms_key.lambda_hook import handler as lambda_hook

REFUSED = "E9101-ecc-p256-encrypt-decrypt.yaml"
ACCEPTED = "W9111-symmetric-key-without-rotation.yaml"
REGION = "us-east-1"
ACCOUNT = "123456789012"
STACK = f"arn:aws:cloudformation:{REGION}:{ACCOUNT}:stack/keyforge-demo/1"


@dataclass(frozen=True)
class Shown:
    name: str
    ok: bool
    detail: str


def at_deploy_time(
    invalid: Sequence[Path], hook_project: Path, progress: Callable[[str], None]
) -> list[Shown]:
    """Each hook's answer and the Guard pack's verdicts on the two templates, as progress lines."""
    chosen = {path.name: path for path in invalid if path.name in (REFUSED, ACCEPTED)}
    progress("\n== at deploy time: the hooks and the Guard pack ==")
    if set(chosen) != {REFUSED, ACCEPTED}:
        progress(f"  skipped: {REFUSED} and {ACCEPTED} are not among the invalid templates")
        return []
    hooks: list[tuple[str, Entrypoint]] = []
    registry_hook = _registry_hook(hook_project)
    if registry_hook is not None:
        hooks.append(("hook Keyforge::KMS::KeyRules", registry_hook))
    else:
        progress(f"  (the hook type's project is not at {hook_project}: its entrypoint not shown)")
    hooks.append(("Lambda hook", lambda_hook))
    shown = []
    for label, entrypoint in hooks:
        for name, refuse in ((REFUSED, True), (ACCEPTED, False)):
            shown += _judged(label, entrypoint, chosen[name], refuse)
    shown += _guard(chosen[REFUSED], chosen[ACCEPTED], progress)
    for step in shown:
        progress(f"  {'ok  ' if step.ok else 'FAIL'}  {step.name}: {step.detail}")
    return shown


def _registry_hook(project: Path) -> Entrypoint | None:
    """The hook type's entrypoint, with its handler package importable (its src/)."""
    if not (project / ".rpdk-config").is_file():
        return None
    source = str((project / "src").resolve())
    if source not in sys.path:
        sys.path.append(source)
    return load_entrypoint(entrypoint_from_rpdk_config(project))


def _judged(label: str, entrypoint: Entrypoint, path: Path, refuse: bool) -> list[Shown]:
    template = load(path)
    resolver = Resolver(template, region=REGION, account=ACCOUNT)
    shown = []
    for logical_id, resource in resources_of_type(template, AWS_KEY_TYPE).items():
        try:
            properties = resolver.resolve(resource.get("Properties") or {})
        except Unresolvable as error:
            shown.append(Shown(f"{label} on {path.name}", False, f"cannot resolve {error}"))
            continue
        answer = entrypoint(_request(logical_id, properties), None)
        status = answer.get("hookStatus")
        code = f" {answer['errorCode']}" if answer.get("errorCode") else ""
        ok = (status, answer.get("errorCode")) == (
            ("FAILED", "NonCompliant") if refuse else ("SUCCESS", None)
        )
        verb = "refuses" if refuse else "passes"
        detail = f"{status}{code}: {answer.get('message')}"
        shown.append(Shown(f"{label} {verb} {path.name}", ok, detail))
    return shown


def _request(logical_id: str, properties: dict[str, Any]) -> dict[str, Any]:
    """A preCreate request as CloudFormation sends it: booleans and numbers as text."""
    return {
        "clientRequestToken": f"demo-{logical_id}",
        "awsAccountId": ACCOUNT,
        "stackId": STACK,
        "hookTypeName": "Keyforge::KMS::KeyRules",
        "hookTypeVersion": "00000001",
        "actionInvocationPoint": "CREATE_PRE_PROVISION",
        "hookModel": None,
        "requestData": {
            "targetName": AWS_KEY_TYPE,
            "targetType": "RESOURCE",
            "targetLogicalId": logical_id,
            "targetModel": {"resourceProperties": json.loads(json.dumps(properties, default=str))},
        },
        "requestContext": {"callbackContext": None},
    }


def _guard(refused: Path, accepted: Path, progress: Callable[[str], None]) -> list[Shown]:
    binary = cfn_guard.find()
    if binary is None:
        progress(
            f"  cfn-guard {cfn_guard.VERSION} is not on PATH nor in {cfn_guard.cache_folder()} "
            "(make test fetches it there): the Guard pack's verdicts are not shown"
        )
        return []
    messages = {rule.name: rule.message for rule in pack_rules()}
    with tempfile.TemporaryDirectory(prefix="keyforge-guard-") as folder:
        pack = Path(folder) / "keyforge.guard"
        pack.write_text(render())
        found = cfn_guard.validate(binary, pack, [refused, accepted])
    shown = []
    for path, refuse in ((refused, True), (accepted, False)):
        failing = sorted({f.rule for f in found if Path(f.file).name == path.name})
        detail = "; ".join(f"FAIL {messages.get(rule, rule)}" for rule in failing) or "PASS"
        verb = "refuses" if refuse else "passes"
        shown.append(
            Shown(
                f"cfn-guard {cfn_guard.VERSION} {verb} {path.name}", bool(failing) == refuse, detail
            )
        )
    return shown
