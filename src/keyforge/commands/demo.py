"""`keyforge demo`: the whole system at work on the embedded KMS.

For each template in templates/: lint it with the Keyforge rules, show that
KMS refuses its key before the IAM roles it names exist (and that no key is
left), create those roles, create its keys through the real Lambda
entrypoint, show them as `aws kms create-key`
does, import key material made here into a key with Origin EXTERNAL, use each
key for its purpose, rotate a symmetric key on demand, update it, try to change
its KeySpec, delete it. Then lint templates/invalid/ and show what is caught. Last, at deploy
time: the hook type, the Lambda hook and the Guard pack (keyforge.deploy_time) refuse one of
them and pass another, as lint does.
Exits 0 only if every step did what it should.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, TextIO

import boto3

from keyforge import embedded_kms
from keyforge.command import CommandError
from keyforge.commands.import_key_material import import_key_material
from keyforge.deploy_time import at_deploy_time
from keyforge.keys.exercise import (
    ExerciseFailed,
    across_regions,
    exercise,
    imported_material_in_use,
    rotate_on_demand,
)
from keyforge.keys.material import MaterialError, generate_material
from keyforge.local.invoker import LocalInvoker, load_entrypoint
from keyforge.local.scoping import action_of_role, declared_permissions
from keyforge.template import Resolver, Unresolvable, load, resources_of_type
from keyforge.template_lint import Finding, lint_templates
from keyforge_kms_key.keyspecs import (
    ALGORITHM_FIELDS,
    DEFAULT_KEY_SPEC,
    KEY_SPECS,
    RESOURCE_TYPE,
    KeyState,
    Limits,
    MultiRegion,
    Origin,
    rotates_on_demand,
)
from keyforge_kms_key.principals import principals_named_in
from keyforge_kms_key.validation import resource_schema

ACCOUNT = "123456789012"
REGION = "us-east-1"
OTHER_SPEC = {"RSA_4096": "RSA_2048", "ECC_NIST_P521": "ECC_NIST_P384"}
# Where the update moves a multi-Region key's last replica.
SPARE_REGIONS = ("us-west-2", "eu-central-1", "ap-northeast-1")


@dataclass
class Step:
    name: str
    ok: bool
    detail: str


@dataclass
class KeyReport:
    template: str
    logical_id: str
    steps: list[Step] = field(default_factory=list)
    key: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return all(step.ok for step in self.steps)


@dataclass
class InvalidReport:
    template: str
    findings: list[Finding]

    @property
    def ok(self) -> bool:
        return bool(self.findings)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--templates", type=Path, default=Path("templates"), help="folder of example templates"
    )
    parser.add_argument("--json", action="store_true", help="print one JSON document")


def run(args: argparse.Namespace) -> int:
    folder: Path = args.templates
    templates = sorted(folder.glob("*.yaml")) + sorted(folder.glob("*.json"))
    invalid = sorted((folder / "invalid").glob("*.yaml")) + sorted(
        (folder / "invalid").glob("*.json")
    )
    if not templates:
        print(f"keyforge demo: no templates in {folder}", file=sys.stderr)
        return 2
    out: TextIO = sys.stderr if args.json else sys.stdout
    reports, invalid_reports = demo(templates, invalid, progress=lambda line: print(line, file=out))
    # Last, the rules at deploy time: the hooks and the Guard pack on two of the invalid templates.
    deploy = at_deploy_time(
        invalid, folder.parent / "hooks" / "key-rules", lambda line: print(line, file=out)
    )
    ok = all(r.ok for r in reports) and all(r.ok for r in invalid_reports)
    ok = ok and all(step.ok for step in deploy)
    if args.json:
        document = {
            "ok": ok,
            "keys": [{**asdict(r), "ok": r.ok} for r in reports],
            "invalid_templates": [
                {"template": r.template, "ok": r.ok, "findings": [asdict(f) for f in r.findings]}
                for r in invalid_reports
            ],
            "deploy_time": [asdict(step) for step in deploy],
        }
        print(json.dumps(document, indent=2))
    else:
        keys_ok = sum(r.ok for r in reports)
        caught = sum(r.ok for r in invalid_reports)
        print(
            f"\n{keys_ok} of {len(reports)} keys went through their whole lifecycle; "
            f"{caught} of {len(invalid_reports)} invalid templates were caught by lint."
        )
        if deploy:
            judged = sum(step.ok for step in deploy)
            print(f"At deploy time, {judged} of {len(deploy)} verdicts were lint's.")
    return 0 if ok else 1


# The stack's tags, as CloudFormation sends them with every request of a tagged stack.
STACK_TAGS = {"project": "keyforge-demo"}


def demo(
    templates: list[Path], invalid: list[Path], progress: Callable[[str], None]
) -> tuple[list[KeyReport], list[InvalidReport]]:
    findings = lint_templates(templates + invalid)
    reports = []
    with embedded_kms.mock_kms():
        embedded_kms.clear_decisions()
        kms = boto3.client("kms", region_name=REGION)
        iam = boto3.client("iam", region_name=REGION)
        principals = Principals(iam)
        provider = LocalInvoker(
            # Each handler with exactly the permissions schema.json declares for it.
            entrypoint=embedded_kms.with_declared_permissions(load_entrypoint(), resource_schema()),
            region=REGION,
            account=ACCOUNT,
            stack_tags=dict(STACK_TAGS),
        )
        for path in templates:
            progress(f"\n== {path} ==")
            template = load(path)
            resolver = Resolver(template, region=REGION, account=ACCOUNT)
            lint_step = _lint_step(findings.get(str(path), []))
            progress(_line(lint_step))
            for logical_id, resource in resources_of_type(template, RESOURCE_TYPE).items():
                report = KeyReport(str(path), logical_id, [lint_step])
                reports.append(report)
                try:
                    properties = resolver.resolve(resource.get("Properties") or {})
                except Unresolvable as error:
                    report.steps.append(Step("resolve", False, f"cannot resolve {error}"))
                    progress(_line(report.steps[-1]))
                    continue
                if principals.step(provider, kms, properties, report, progress):
                    lifecycle(provider, kms, properties, report, progress)
        progress(permissions_line(embedded_kms.decisions()))
    invalid_reports = []
    if invalid:
        progress("\n== templates lint must stop ==")
    for path in invalid:
        caught = InvalidReport(str(path), findings.get(str(path), []))
        invalid_reports.append(caught)
        if caught.findings:
            for finding in caught.findings:
                progress(f"  caught  {path.name}:{finding.line}  {finding.rule} {finding.message}")
        else:
            progress(f"  MISSED  {path.name}: no finding")
    return reports, invalid_reports


def permissions_line(decisions: Mapping[embedded_kms.Decision, int]) -> str:
    """What IAM allowed and refused the handlers' role sessions, by handler."""
    declared = declared_permissions(resource_schema())
    used: dict[str, set[str]] = {action: set() for action in declared}
    refused = 0
    for decision, count in decisions.items():
        action = action_of_role(decision.role_name or "")
        if action in used:
            if decision.allowed:
                used[action].add(decision.action)
            else:
                refused += count
    each = ", ".join(
        f"{action} {len(used[action])} of {len(permissions)}"
        for action, permissions in declared.items()
    )
    return (
        "\n== permissions ==\n  each handler ran as a role session allowed exactly what "
        f"schema.json declares for it; permissions used: {each}; IAM refused {refused} calls"
    )


@dataclass
class Principals:
    """The IAM roles and users of the demo's account: none until a template names them."""

    iam: Any
    made: set[str] = field(default_factory=set)

    def step(
        self,
        provider: LocalInvoker,
        kms: Any,
        properties: dict[str, Any],
        report: KeyReport,
        progress: Callable[[str], None],
    ) -> bool:
        """CREATE before the roles and users the key names exist: refused at once, by name,
        with no key made. Then they are created, as the account they are meant for has them."""
        missing = [
            text
            for text in principals_named_in(properties)
            if f"::{ACCOUNT}:" in text and text not in self.made
        ]
        if not missing:
            return True
        keys_before = len(kms.list_keys()["Keys"])
        refused = provider.run("CREATE", properties)
        ok = (
            refused.get("errorCode") == "InvalidRequest"
            and all(text in str(refused.get("message")) for text in missing)
            and len(kms.list_keys()["Keys"]) == keys_before
        )
        names = ", ".join(text.rpartition(":")[2] for text in missing)
        first_sentence = str(refused.get("message", "")).partition(". ")[0]
        detail = f"before {names} exist: {refused.get('errorCode')}: {first_sentence}; no key made"
        if ok:
            self.made.update(embedded_kms.create_principals(self.iam, missing, ACCOUNT))
            detail += f"; created {names} in IAM"
        return add_step(report, progress, Step("principals", ok, detail))


def lifecycle(
    provider: LocalInvoker,
    kms: Any,
    properties: dict[str, Any],
    report: KeyReport,
    progress: Callable[[str], None],
) -> None:
    def step(name: str, ok: bool, detail: str) -> bool:
        return add_step(report, progress, Step(name, ok, detail))

    spec = properties.get("KeySpec", DEFAULT_KEY_SPEC)
    progress(f"  creating {report.logical_id} ({spec})")
    events = list(provider.progress("CREATE", properties))
    created = events[-1]
    if not step("create", created["status"] == "SUCCESS", _outcome(created, len(events))):
        return
    model: dict[str, Any] = created["resourceModel"]
    on_key = {
        t["TagKey"]: t["TagValue"] for t in kms.list_resource_tags(KeyId=model["KeyId"])["Tags"]
    }
    stack_tags_applied = all(on_key.get(key) == value for key, value in STACK_TAGS.items())
    in_model = [tag["Key"] for tag in model.get("Tags", []) if tag["Key"] in STACK_TAGS]
    listed = ", ".join(f"{key}={value}" for key, value in STACK_TAGS.items())
    step("stack tags", stack_tags_applied and not in_model, f"{listed} on the key, not in Tags")
    metadata = kms.describe_key(KeyId=model["KeyId"])["KeyMetadata"]
    report.key = _key_table(model, metadata)
    for name, value in report.key.items():
        progress(f"    {name:<24} {value}")
    if model.get("Origin") == Origin.EXTERNAL:
        imported = import_material(provider, kms, model, step)
        if imported is None:
            return
        model = imported
    if "PublicKeyPem" in model:
        progress("    " + model["PublicKeyPem"].rstrip().replace("\n", "\n    "))

    try:
        for line in exercise(kms, model):
            step("use", True, line)
        for line in across_regions(kms, model, _client_in):
            step("use across Regions", True, line)
        if rotates_on_demand(model["KeySpec"]) and model["Origin"] == Origin.AWS_KMS:
            step("rotate on demand", True, rotate_on_demand(kms, model))
    except (ExerciseFailed, Exception) as error:  # a failed use is a finding, not a crash
        step("use", False, f"{type(error).__name__}: {error}")

    desired = {
        **properties,
        "Description": f"{properties.get('Description', '')} (updated)".strip(),
        "Tags": [*properties.get("Tags", []), {"Key": "updated-by", "Value": "keyforge-demo"}],
    }
    what = "Description and Tags"
    replicas = list(model.get("ReplicaRegions") or [])
    if replicas:
        spare = next(region for region in SPARE_REGIONS if region not in replicas)
        desired["ReplicaRegions"] = [*replicas[:-1], spare]
        what += f", ReplicaRegions {', '.join(replicas)} -> {', '.join(desired['ReplicaRegions'])}"
    updated = provider.run("UPDATE", {**desired, "KeyId": model["KeyId"]}, previous=model)
    step("update", updated["status"] == "SUCCESS", f"{what}: " + _outcome(updated))
    if updated["status"] == "SUCCESS":
        model = updated["resourceModel"]
    if replicas:
        states = _replica_states(model["KeyId"], [*replicas, *desired["ReplicaRegions"]])
        wanted = {
            region: KeyState.ENABLED
            if region in desired["ReplicaRegions"]
            else KeyState.PENDING_DELETION
            for region in states
        }
        step("replicas after update", states == wanted, _states(states))

    spec = model["KeySpec"]
    other = OTHER_SPEC.get(spec, "RSA_2048" if spec != "RSA_2048" else "RSA_3072")
    refused = provider.run("UPDATE", {**model, "KeySpec": other}, previous=model)
    step(
        "change KeySpec",
        refused.get("errorCode") == "NotUpdatable",
        f"to {other}: refused, {refused.get('errorCode')}: {refused.get('message', '')}",
    )

    shortest = Limits.PENDING_WINDOW_DAYS.minimum
    deleted = provider.run("DELETE", {**model, "PendingWindowInDays": shortest})
    state = kms.describe_key(KeyId=model["KeyId"])["KeyMetadata"]["KeyState"]
    regions = list(model.get("ReplicaRegions") or [])
    # A primary waits until its replicas are deleted.
    expected = MultiRegion.PRIMARY_WAITING_STATE if regions else KeyState.PENDING_DELETION
    states = _replica_states(model["KeyId"], regions)
    detail = f"{_outcome(deleted)}; KMS key state {state}"
    if regions:
        detail += f"; replicas {_states(states)}"
    step(
        "delete",
        deleted["status"] == "SUCCESS"
        and state == expected
        and all(s == KeyState.PENDING_DELETION for s in states.values()),
        detail,
    )
    gone = provider.run("READ", {"KeyId": model["KeyId"]})
    step(
        "read after delete",
        gone.get("errorCode") == "NotFound",
        "NotFound, as CloudFormation expects"
        if gone.get("errorCode") == "NotFound"
        else _outcome(gone),
    )


def _client_in(region: str) -> Any:
    return boto3.client("kms", region_name=region)


def _replica_states(key_id: str, regions: list[str]) -> dict[str, str]:
    """The key's state in each Region, as that Region's KMS tells it."""
    return {
        region: str(_client_in(region).describe_key(KeyId=key_id)["KeyMetadata"]["KeyState"])
        for region in dict.fromkeys(regions)
    }


def _states(states: dict[str, str]) -> str:
    return ", ".join(f"{region} {state}" for region, state in states.items())


def import_material(
    provider: LocalInvoker,
    kms: Any,
    model: dict[str, Any],
    step: Callable[[str, bool, str], bool],
) -> dict[str, Any] | None:
    """Import key material made here, as `keyforge import-key-material` does; the model after."""
    material = generate_material(model["KeySpec"], REGION)
    try:
        result = import_key_material(kms, model["KeyId"], material)
    except (CommandError, MaterialError) as error:
        step("import key material", False, str(error))
        return None
    detail = (
        f"{result.summary} made here, wrapped with {result.wrapping_algorithm} under an "
        f"{result.wrapping_key_spec} wrapping key; key state {result.key_state}"
    )
    if not step("import key material", result.key_state == KeyState.ENABLED, detail):
        return None
    read = provider.run("READ", {"KeyId": model["KeyId"], "AliasName": model.get("AliasName")})
    if not step("read after import", read["status"] == "SUCCESS", _outcome(read)):
        return None
    imported: dict[str, Any] = read["resourceModel"]
    try:
        step("imported material in use", True, imported_material_in_use(kms, imported, material))
    except (ExerciseFailed, Exception) as error:  # a failed check is a finding, not a crash
        step("imported material in use", False, f"{type(error).__name__}: {error}")
    return imported


def add_step(report: KeyReport, progress: Callable[[str], None], step: Step) -> bool:
    """Record a step of a key's report and show it; whether it did what it should."""
    report.steps.append(step)
    progress(_line(step))
    return step.ok


def _key_table(model: dict[str, Any], metadata: dict[str, Any]) -> dict[str, Any]:
    table: dict[str, Any] = {
        "KeyId": model["KeyId"],
        "Arn": model["Arn"],
        "KeySpec": model["KeySpec"],
        "KeyUsage": model["KeyUsage"],
        "KeyState": metadata["KeyState"],
        "Origin": model["Origin"],
        "MultiRegion": model["MultiRegion"],
        "AliasName": model.get("AliasName", "-"),
        "KeyType": KEY_SPECS[model["KeySpec"]].kind.value,
    }
    if model.get("ReplicaRegions"):
        table["ReplicaRegions"] = ", ".join(model["ReplicaRegions"])
        table["ReplicaArns"] = ", ".join(model["ReplicaArns"])
    for name in ALGORITHM_FIELDS:
        if model.get(name):
            table[name] = ", ".join(model[name])
    if "EnableKeyRotation" in model:
        rotation = model["EnableKeyRotation"]
        period = model.get("RotationPeriodInDays")
        table["Rotation"] = f"every {period} days" if rotation and period else str(rotation)
    return table


def _lint_step(findings: list[Finding]) -> Step:
    if not findings:
        return Step("lint", True, "no finding")
    listed = "; ".join(f"{f.rule} line {f.line}: {f.message}" for f in findings)
    return Step("lint", False, listed)


def _outcome(answer: dict[str, Any], invocations: int = 1) -> str:
    status = str(answer.get("status"))
    if answer.get("errorCode"):
        return f"{status} {answer['errorCode']}: {answer.get('message', '')}"
    suffix = "" if invocations == 1 else f" after {invocations} invocations"
    return status + suffix


def _line(step: Step) -> str:
    return f"  {'ok  ' if step.ok else 'FAIL'}  {step.name:<26} {step.detail}"
