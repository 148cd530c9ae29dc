"""What KMS would refuse, found before KMS is called.

Pure functions from a key's properties (CloudFormation names, plain JSON
values) to a list of problems. The handlers refuse a model for exactly these
problems and the lint rules flag a template for exactly these problems. A value
that is not a plain JSON value (an unresolved intrinsic function in a template)
is skipped, never guessed at.
"""

from __future__ import annotations

import datetime
import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from functools import cache
from importlib import resources
from typing import Any, NamedTuple

from . import schema_validators
from .keyspecs import (
    CHINA_REGIONS,
    CREATION_TOKEN_TAG,
    DEFAULT_ORIGIN,
    IMMUTABLE_PROPERTIES,
    KEY_SPECS,
    KEY_USAGES,
    SYMMETRIC_KEY_SPEC,
    Limits,
    MultiRegion,
    Origin,
    RegionScope,
    effective_key_spec,
    effective_key_usage,
    partition_of,
    rotates_automatically,
)
from .policy_grammar import MALFORMED, grammar_problems, is_literal, statement_name
from .refused_principals import refusal

PropertyPath = tuple[str | int, ...]

BUILDER_PROPERTIES: tuple[str, ...] = (
    "KeyAdministrators",
    "KeyUsers",
    "ExternalAccounts",
    "AllowKeyAdministratorsToDelete",
)
_DESCRIBE_LIMIT = 60
KEYFORGE_MAX_TAGS = Limits.MAX_TAGS - 1  # one is the creation token's


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


def describe(value: object) -> str:
    """A short rendering of a value for a message (long text is cut, never echoed whole)."""
    plain = json_value(value)
    text = plain if isinstance(plain, str) else json.dumps(plain, sort_keys=True)
    return text if len(text) <= _DESCRIBE_LIMIT else text[: _DESCRIBE_LIMIT - 3] + "..."


def json_value(value: object) -> Any:
    """A value as the plain JSON CloudFormation makes of it.

    A YAML template gives more than JSON has: an unquoted ``2012-10-17`` is a
    date, a key can be a number or a boolean. CloudFormation reads them as their
    text, and so does this. A value that is plain JSON already is returned as it
    is (the same object), so this costs little on ordinary templates.
    """
    if value is None or isinstance(value, str | bool | int | float):
        return value
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Mapping):
        items = [(_json_key(key), json_value(item)) for key, item in value.items()]
        unchanged = all(
            new_key is key and new_item is item
            for (new_key, new_item), (key, item) in zip(items, value.items(), strict=True)
        )
        return value if unchanged and isinstance(value, dict) else dict(items)
    if isinstance(value, list | tuple):
        converted = [json_value(item) for item in value]
        unchanged = all(new is old for new, old in zip(converted, value, strict=True))
        return value if unchanged and isinstance(value, list) else converted
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value)


def _json_key(key: object) -> str:
    if isinstance(key, str):
        return key
    plain = json_value(key)
    return plain if isinstance(plain, str) else json.dumps(plain)


def _literal(properties: Mapping[str, Any], name: str) -> Any:
    value = properties.get(name)
    return value if is_literal(value) else None


def _is_set(properties: Mapping[str, Any], name: str) -> bool:
    return properties.get(name) is not None


def _or_list(items: Sequence[str]) -> str:
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " or " + items[-1]


# ---------------------------------------------------------------------------
# Key spec and key usage


def key_spec_problems(properties: Mapping[str, Any]) -> list[Problem]:
    """The (KeySpec, KeyUsage) pair, with KMS's defaults applied to what is not given."""
    spec_value = properties.get("KeySpec")
    usage_value = properties.get("KeyUsage")
    if not (is_literal(spec_value) and is_literal(usage_value)):
        return []
    problems: list[Problem] = []
    if spec_value is not None and (not isinstance(spec_value, str) or spec_value not in KEY_SPECS):
        problems.append(
            Problem(
                ("KeySpec",),
                spec_value,
                f"KeySpec {describe(spec_value)} is not a KMS key spec: "
                f"allowed are {', '.join(KEY_SPECS)}.",
            )
        )
    if usage_value is not None and usage_value not in KEY_USAGES:
        problems.append(
            Problem(
                ("KeyUsage",),
                usage_value,
                f"KeyUsage {describe(usage_value)} is not a KMS key usage: "
                f"allowed are {', '.join(KEY_USAGES)}.",
            )
        )
    if problems:
        return problems
    spec = effective_key_spec(spec_value)
    usage = effective_key_usage(usage_value)
    info = KEY_SPECS[spec]
    if usage in info.algorithms:
        return []
    usage_text = usage if usage_value is not None else f"(not set, so {usage})"
    spec_text = spec if spec_value is not None else f"(not set, so {spec})"
    allowed = [str(u) for u in info.usages]
    allowed_text = f"only {allowed[0]}" if len(allowed) == 1 else _or_list(allowed)
    return [
        Problem(
            ("KeyUsage",) if usage_value is not None else ("KeySpec",),
            usage_value if usage_value is not None else spec_value,
            f"KeyUsage {usage_text} is not valid for KeySpec {spec_text}: "
            f"{spec} keys allow {allowed_text}.",
        )
    ]


# ---------------------------------------------------------------------------
# Rotation


def rotation_problems(properties: Mapping[str, Any]) -> list[Problem]:
    """Automatic rotation exists only for SYMMETRIC_DEFAULT keys with Origin AWS_KMS."""
    rotation = properties.get("EnableKeyRotation")
    period = properties.get("RotationPeriodInDays")
    spec_value = _literal(properties, "KeySpec")
    origin_value = _literal(properties, "Origin")
    if not (is_literal(rotation) and is_literal(period)):
        return []
    if not is_literal(properties.get("KeySpec")) or not is_literal(properties.get("Origin")):
        return []
    spec = effective_key_spec(spec_value)
    origin = origin_value if origin_value is not None else DEFAULT_ORIGIN.value
    info = KEY_SPECS.get(spec) if isinstance(spec, str) else None
    problems: list[Problem] = []
    reason = ""
    if not (isinstance(spec, str) and rotates_automatically(spec, origin)):
        if info is not None and not info.can_rotate:
            reason = f"KeySpec {spec}"
        elif origin == Origin.EXTERNAL:
            reason = f"Origin {Origin.EXTERNAL} (imported key material)"
    rule = (
        f"automatic rotation exists only for {SYMMETRIC_KEY_SPEC} keys with Origin {Origin.AWS_KMS}"
    )
    if reason and rotation is True:
        problems.append(
            Problem(
                ("EnableKeyRotation",),
                rotation,
                f"EnableKeyRotation true is not allowed for {reason}: {rule}.",
            )
        )
    if period is not None:
        if reason:
            problems.append(
                Problem(
                    ("RotationPeriodInDays",),
                    period,
                    f"RotationPeriodInDays {describe(period)} is not allowed for {reason}: {rule}.",
                )
            )
        elif rotation is not True:
            problems.append(
                Problem(
                    ("RotationPeriodInDays",),
                    period,
                    f"RotationPeriodInDays {describe(period)} needs EnableKeyRotation true: "
                    f"set EnableKeyRotation to true, or remove RotationPeriodInDays.",
                )
            )
    return problems


# ---------------------------------------------------------------------------
# Regions and origin


def region_problems(properties: Mapping[str, Any], region: str) -> list[Problem]:
    """Key specs that do not exist in the Region (SM2 outside China, ML-KEM inside)."""
    spec = _literal(properties, "KeySpec")
    info = KEY_SPECS.get(spec) if isinstance(spec, str) else None
    if info is None or info.exists_in(region):
        return []
    scope = (
        f"{spec} keys exist only in the China Regions ({', '.join(sorted(CHINA_REGIONS))})"
        if info.regions is RegionScope.CHINA_ONLY
        else f"{spec} keys exist in every Region but the China Regions"
    )
    return [Problem(("KeySpec",), spec, f"KeySpec {spec} is not available in {region}: {scope}.")]


def origin_problems(properties: Mapping[str, Any], region: str | None = None) -> list[Problem]:
    """Imported key material (Origin EXTERNAL) that KMS does not support for the key spec."""
    origin = _literal(properties, "Origin")
    if origin != Origin.EXTERNAL or not is_literal(properties.get("KeySpec")):
        return []
    spec = effective_key_spec(_literal(properties, "KeySpec"))
    info = KEY_SPECS.get(spec) if isinstance(spec, str) else None
    if info is None or info.importable_in(region):
        return []
    if not info.importable:
        why = f"KMS cannot import key material for {spec} keys"
    else:
        why = f"in {region} only symmetric ({SYMMETRIC_KEY_SPEC}) key material can be imported"
    return [
        Problem(
            ("Origin",),
            origin,
            f"Origin EXTERNAL is not allowed for KeySpec {spec}: {why}; use Origin AWS_KMS.",
        )
    ]


# ---------------------------------------------------------------------------
# Replicas of a multi-Region key


def replica_problems(properties: Mapping[str, Any], region: str | None = None) -> list[Problem]:
    """ReplicaRegions that KMS's ReplicateKey would refuse, for a stack in `region` (None: any).

    The key must be multi-Region; each Region must be a Region name, listed once, not the
    stack's own, in the stack's partition, where the key spec exists and its material can be
    imported.
    """
    regions = properties.get("ReplicaRegions")
    if not is_literal(regions) or not isinstance(regions, list) or not regions:
        return []
    problems: list[Problem] = []
    multi_region = _literal(properties, "MultiRegion")
    if is_literal(properties.get("MultiRegion")) and multi_region is not True:
        problems.append(
            Problem(
                ("ReplicaRegions",),
                regions,
                "ReplicaRegions needs MultiRegion true: only a multi-Region key can be "
                "replicated. Set MultiRegion to true when the key is created (it cannot change "
                "later), or remove ReplicaRegions.",
            )
        )
    spec = effective_key_spec(_literal(properties, "KeySpec"))
    info = KEY_SPECS.get(spec) if is_literal(properties.get("KeySpec")) else None
    if info is not None and not info.multi_region:
        problems.append(
            Problem(("KeySpec",), spec, f"KMS cannot make multi-Region keys of KeySpec {spec}.")
        )
    seen: set[str] = set()
    for index, replica in enumerate(regions):
        if not isinstance(replica, str):
            continue
        where: PropertyPath = ("ReplicaRegions", index)
        if not re.match(MultiRegion.REGION_PATTERN, replica):
            continue  # the schema check names it
        if replica in seen:
            problems.append(
                Problem(
                    where,
                    replica,
                    f"ReplicaRegions lists {replica} twice: a key has at most one replica in "
                    "each Region.",
                )
            )
            continue
        seen.add(replica)
        problems += _replica_region_problems(properties, where, replica, region)
    if region is None:
        partitions = sorted({partition_of(replica) for replica in seen})
        if len(partitions) > 1:
            problems.append(
                Problem(
                    ("ReplicaRegions",),
                    regions,
                    "ReplicaRegions mixes partitions "
                    f"({', '.join(partitions)}): the replicas of a key are all in its "
                    "partition.",
                )
            )
    return problems


def _replica_region_problems(
    properties: Mapping[str, Any], where: PropertyPath, replica: str, region: str | None
) -> list[Problem]:
    known = kms_regions()
    if known and replica not in known:
        return [
            Problem(
                where,
                replica,
                f"ReplicaRegions lists {replica}, which is not a Region KMS has (none of the "
                f"{len(known)} Regions of the partitions botocore {botocore_version()} knows).",
            )
        ]
    if region is not None and replica == region:
        return [
            Problem(
                where,
                replica,
                f"ReplicaRegions lists {replica}, the stack's own Region, where the primary "
                "key is: list only other Regions.",
            )
        ]
    if region is not None and partition_of(replica) != partition_of(region):
        return [
            Problem(
                where,
                replica,
                f"ReplicaRegions lists {replica}, in partition {partition_of(replica)}, but "
                f"the stack's Region {region} is in {partition_of(region)}: KMS replicates a "
                "key only within its partition.",
            )
        ]
    problems = [
        Problem(where, replica, f"Replica Region {replica}: {problem.message}")
        for problem in region_problems(properties, replica) + origin_problems(properties, replica)
    ]
    return problems


@cache
def kms_regions() -> frozenset[str]:
    """Every Region with KMS in every partition, as the installed botocore's endpoint data has
    them (read once; empty when botocore is not there to ask)."""
    try:
        import botocore.session
    except ImportError:
        return frozenset()
    session = botocore.session.get_session()
    return frozenset(
        region
        for partition in session.get_available_partitions()
        for region in session.get_available_regions("kms", partition_name=partition)
    )


def botocore_version() -> str:
    import botocore

    return str(botocore.__version__)


# ---------------------------------------------------------------------------
# Key policy


def policy_problems(properties: Mapping[str, Any]) -> list[Problem]:
    """KeyPolicy must be a JSON object within KMS's size limit, and not mixed with the builder."""
    problems: list[Problem] = []
    policy = properties.get("KeyPolicy")
    builders = [name for name in BUILDER_PROPERTIES if _is_set(properties, name)]
    if policy is not None and builders:
        problems.append(
            Problem(
                ("KeyPolicy",),
                None,
                f"KeyPolicy cannot be combined with {', '.join(builders)}: either write the "
                "whole key policy in KeyPolicy, or let KeyAdministrators, KeyUsers, "
                "ExternalAccounts and AllowKeyAdministratorsToDelete build it.",
            )
        )
    if properties.get("AllowKeyAdministratorsToDelete") is False and not properties.get(
        "KeyAdministrators"
    ):
        problems.append(
            Problem(
                ("AllowKeyAdministratorsToDelete",),
                False,
                "AllowKeyAdministratorsToDelete false has no effect without KeyAdministrators: "
                "name the administrators whose deletion rights it removes, or leave it out.",
            )
        )
    if policy is None or not is_literal(policy):
        return problems
    if isinstance(policy, str):
        try:
            document = json.loads(policy)
        except json.JSONDecodeError as error:
            problems.append(
                Problem(
                    ("KeyPolicy",),
                    None,
                    f"KeyPolicy is not valid JSON ({error.msg} at line {error.lineno}, "
                    f"column {error.colno}): it must be a JSON object.",
                )
            )
            return problems
        if not isinstance(document, dict):
            problems.append(
                Problem(
                    ("KeyPolicy",),
                    None,
                    f"KeyPolicy is a JSON {type(document).__name__}: it must be a JSON object.",
                )
            )
            return problems
    elif isinstance(policy, Mapping):
        document = policy
    else:
        return problems
    size = len(policy_text(policy).encode())
    if size > Limits.POLICY_MAX_BYTES:
        problems.append(
            Problem(
                ("KeyPolicy",),
                None,
                f"KeyPolicy is {size} bytes: KMS allows at most {Limits.POLICY_MAX_BYTES}.",
            )
        )
    bypass = properties.get("BypassPolicyLockoutSafetyCheck")
    problems += key_policy_problems(
        json_value(document),
        # A value not written out (an intrinsic function) may be true: no lock-out finding.
        bypass_lockout_check=not is_literal(bypass) or str(bypass).lower() == "true",
        in_template=isinstance(policy, Mapping),
    )
    return problems


def policy_text(policy: str | Mapping[str, Any]) -> str:
    """The policy document exactly as it is sent to KMS."""
    if isinstance(policy, str):
        return policy
    return json.dumps(json_value(policy), separators=(",", ":"))


_CHANGE_POLICY = "kms:PutKeyPolicy"
_MALFORMED = MALFORMED


def key_policy_problems(
    document: Mapping[str, Any], *, bypass_lockout_check: bool = False, in_template: bool = True
) -> list[Problem]:
    """What KMS refuses in a key policy document, with MalformedPolicyDocumentException.

    Since 18 August 2025 CreateKey, ReplicateKey and PutKeyPolicy refuse a
    statement without Action or NotAction, and a Resource other than "*". And
    unless BypassPolicyLockoutSafetyCheck is set, KMS's lock-out safety check
    refuses a policy that lets no principal change it. Only what is certain is
    reported: a statement, an effect or an action written with an intrinsic
    function, a Condition, a NotPrincipal make the policy's reach unknown, and
    the lock-out check then finds nothing. ``in_template`` says whether paths
    into the document exist in the template (not for a policy written as a
    JSON string, whose problems point at KeyPolicy).
    """

    def at(where: PropertyPath) -> PropertyPath:
        return ("KeyPolicy", *where) if in_template else ("KeyPolicy",)

    problems = [
        Problem(at(where), value, message) for where, value, message in grammar_problems(document)
    ]
    statements = policy_statements(document)
    if statements is None:
        return problems
    for where, statement in statements:
        if not (isinstance(statement, Mapping) and is_literal(statement)):
            continue
        name = statement_name(where, statement)
        if "Action" not in statement and "NotAction" not in statement:
            problems.append(
                Problem(
                    at(where),
                    None,
                    f"KeyPolicy {name} has neither Action nor NotAction: {_MALFORMED}. "
                    "Name the actions the statement allows or denies.",
                )
            )
        resource = statement.get("Resource")
        if "Resource" in statement and not _only_this_key(resource):
            problems.append(
                Problem(
                    at((*where, "Resource")),
                    resource,
                    f"KeyPolicy {name} has Resource {describe(_sub_text(resource) or resource)}: "
                    "in a key policy "
                    f'the only Resource KMS accepts is "*" (the key itself); {_MALFORMED}. '
                    'Write Resource: "*".',
                )
            )
        if not bypass_lockout_check and _denies_change_to_everyone(statement):
            problems.append(
                Problem(
                    at(where),
                    None,
                    f"KeyPolicy {name} denies {_CHANGE_POLICY} to every principal without a "
                    "Condition: nobody could change the policy afterwards, so KMS's lock-out "
                    f"safety check refuses it. Leave {_CHANGE_POLICY} out of what it denies, "
                    "or add a Condition.",
                )
            )
    if bypass_lockout_check or not all(_readable(s) for _, s in statements):
        return problems
    if not any(_allows(s, _CHANGE_POLICY) for _, s in statements):
        problems.append(
            Problem(
                at(("Statement",)) if "Statement" in document else at(()),
                None,
                f"KeyPolicy lets no principal change it: no Allow statement grants "
                f"{_CHANGE_POLICY} (by name, kms:Put*, kms:* or *), so KMS's lock-out safety "
                "check refuses it unless BypassPolicyLockoutSafetyCheck is true. Keep the "
                "statement that gives the account root kms:*, or allow key administrators "
                f"{_CHANGE_POLICY}.",
            )
        )
    return problems


def policy_statements(document: Mapping[str, Any]) -> list[tuple[PropertyPath, Any]] | None:
    """The statements with their paths; None when they cannot be read (an intrinsic function)."""
    statements = document.get("Statement")
    if statements is None:
        return []
    if isinstance(statements, list):
        return [(("Statement", index), item) for index, item in enumerate(statements)]
    if isinstance(statements, Mapping) and is_literal(statements):
        return [(("Statement",), statements)]
    return None


def _only_this_key(resource: Any) -> bool:
    """False only for a Resource that is certainly not "*" (so unresolved values pass)."""
    if isinstance(resource, list):
        return all(_only_this_key(item) for item in resource)
    if isinstance(resource, str):
        return resource == "*"
    if isinstance(resource, Mapping) and len(resource) == 1 and "Fn::GetAtt" in resource:
        return False  # an ARN or an id, never "*"
    text = _sub_text(resource)
    # Text around the ${...} references of Fn::Sub makes the value an ARN, never "*".
    return text is None or re.sub(r"\$\{[^}]*\}", "", text) in ("", "*")


def _sub_text(value: Any) -> str | None:
    """The text of an Fn::Sub, None for any other value."""
    arguments = value.get("Fn::Sub") if isinstance(value, Mapping) and len(value) == 1 else None
    text = arguments[0] if isinstance(arguments, list) and arguments else arguments
    return text if isinstance(text, str) else None


def action_patterns(statement: Mapping[str, Any], name: str) -> list[str] | None:
    """Action or NotAction as a list of patterns; None when not written out as text."""
    value = statement.get(name)
    items = value if isinstance(value, list) else [value]
    if not all(isinstance(item, str) for item in items):
        return None
    return list(items)


def action_matches(pattern: str, action: str) -> bool:
    """IAM action matching: case-insensitive, * for any characters, ? for one."""
    regex = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.fullmatch(regex, action, re.IGNORECASE) is not None


def covers_action(statement: Mapping[str, Any], action: str) -> bool:
    """Whether the statement's Action (or NotAction) takes in the action."""
    if "NotAction" in statement:
        excluded = action_patterns(statement, "NotAction") or []
        return not any(action_matches(pattern, action) for pattern in excluded)
    patterns = action_patterns(statement, "Action") if "Action" in statement else None
    return any(action_matches(pattern, action) for pattern in patterns or [])


def _readable(statement: Any) -> bool:
    """Whether what a statement grants is written out: its Effect and actions are plain text."""
    if not (isinstance(statement, Mapping) and is_literal(statement)):
        return False
    if statement.get("Effect") not in ("Allow", "Deny"):
        return False
    return all(
        name not in statement or action_patterns(statement, name) is not None
        for name in ("Action", "NotAction")
    )


def _allows(statement: Any, action: str) -> bool:
    """Whether an Allow statement can grant the action to some principal (Conditions aside)."""
    return (
        _readable(statement) and statement["Effect"] == "Allow" and covers_action(statement, action)
    )


def _denies_change_to_everyone(statement: Mapping[str, Any]) -> bool:
    if not _readable(statement) or statement["Effect"] != "Deny":
        return False
    if "Condition" in statement or "NotPrincipal" in statement:
        return False
    return is_everyone(statement.get("Principal")) and covers_action(statement, _CHANGE_POLICY)


def is_everyone(principal: Any) -> bool:
    """Principal "*", {"AWS": "*"}, or an AWS list with "*" in it."""
    return everyone_at(principal) is not None


def everyone_at(principal: Any) -> PropertyPath | None:
    """Where in a Principal the "*" that stands for everyone is; None when there is none."""
    if principal == "*":
        return ()
    if isinstance(principal, Mapping) and is_literal(principal):
        aws = principal.get("AWS")
        if aws == "*":
            return ("AWS",)
        if isinstance(aws, list) and "*" in aws:
            return ("AWS", aws.index("*"))
    return None


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


# ---------------------------------------------------------------------------
# Tags and alias


def tag_problems(properties: Mapping[str, Any], limit: int = KEYFORGE_MAX_TAGS) -> list[Problem]:
    """Too many tags, a tag key twice, or a key in a reserved namespace.

    A Keyforge::KMS::Key has room for one tag less than KMS allows: the creation token's.
    """
    tags = properties.get("Tags")
    if not isinstance(tags, list):
        return []
    problems: list[Problem] = []
    if len(tags) > limit:
        why = f"KMS allows at most {Limits.MAX_TAGS} per key"
        if limit < Limits.MAX_TAGS:
            why += f", and Keyforge keeps one of them for the tag {CREATION_TOKEN_TAG}"
        problems.append(Problem(("Tags",), len(tags), f"Tags has {len(tags)} tags: {why}."))
    seen: dict[str, int] = {}
    for index, tag in enumerate(tags):
        key = tag.get("Key") if isinstance(tag, Mapping) else None
        if not isinstance(key, str):
            continue
        if key in seen:
            problems.append(
                Problem(
                    ("Tags", index, "Key"),
                    key,
                    f"Tags[{index}].Key {describe(key)} is also the key of Tags[{seen[key]}]: "
                    "each tag key may appear once.",
                )
            )
        else:
            seen[key] = index
        if key == CREATION_TOKEN_TAG and limit < Limits.MAX_TAGS:
            problems.append(
                Problem(
                    ("Tags", index, "Key"),
                    key,
                    f"Tags[{index}].Key {describe(key)} is the tag Keyforge puts on every key "
                    "it makes: choose another key.",
                )
            )
        if key.lower().startswith(Limits.RESERVED_TAG_PREFIX):
            problems.append(
                Problem(
                    ("Tags", index, "Key"),
                    key,
                    f"Tags[{index}].Key {describe(key)} begins with "
                    f"{Limits.RESERVED_TAG_PREFIX}, which is reserved for AWS: "
                    "choose a key without that prefix.",
                )
            )
    return problems


def stack_tag_problems(
    properties: Mapping[str, Any], stack_tags: Mapping[str, str]
) -> list[Problem]:
    """The stack's tags and the resource's together must fit on the key."""
    tags = properties.get("Tags")
    own = (
        {tag.get("Key") for tag in tags if isinstance(tag, Mapping)}
        if isinstance(tags, list)
        else set()
    )
    count = len(own | set(stack_tags))
    if not stack_tags or count <= KEYFORGE_MAX_TAGS:
        return []
    return [
        Problem(
            ("Tags",),
            count,
            f"The stack's tags and Tags make {count} tags on the key: KMS allows at most "
            f"{Limits.MAX_TAGS} per key, and Keyforge keeps one of them for the tag "
            f"{CREATION_TOKEN_TAG}. Tag the stack or the resource with fewer.",
        )
    ]


def alias_problems(properties: Mapping[str, Any], name: str = "AliasName") -> list[Problem]:
    """An alias name that KMS would refuse: the pattern, the length, the reserved prefix."""
    alias = properties.get(name)
    if not isinstance(alias, str):
        return []
    return [Problem((name,), alias, message) for message in alias_name_messages(alias, name)]


def alias_name_messages(alias: str, name: str = "AliasName") -> list[str]:
    shown = describe(alias)
    if not re.fullmatch(Limits.ALIAS_PATTERN, alias):
        return [
            f"{name} {shown} is not a valid alias name: it must be alias/ followed by "
            "letters, digits, /, _ and - (for example alias/my-app/signing)."
        ]
    messages = []
    if len(alias) > Limits.ALIAS_MAX_LENGTH:
        messages.append(
            f"{name} {shown} is {len(alias)} characters long: "
            f"at most {Limits.ALIAS_MAX_LENGTH} allowed."
        )
    if alias.lower().startswith(Limits.RESERVED_ALIAS_PREFIX):
        messages.append(
            f"{name} {shown} begins with {Limits.RESERVED_ALIAS_PREFIX}, which is reserved "
            f"for AWS managed keys: choose a name outside {Limits.RESERVED_ALIAS_PREFIX}."
        )
    return messages


# ---------------------------------------------------------------------------
# The resource schema


@cache
def resource_schema() -> Mapping[str, Any]:
    text = resources.files("keyforge_kms_key").joinpath("schema.json").read_text()
    schema: Mapping[str, Any] = json.loads(text)
    return schema


class SchemaError(NamedTuple):
    """One place where properties do not fit schema.json."""

    path: PropertyPath
    rule: str
    rule_value: Any
    value: Any
    bounds: Mapping[str, Any]


# Keywords schema_errors does not check on their own: it walks items and properties itself, and
# the others are notes to the reader.
_NOT_CHECKED = ("items", "properties", "description", "insertionOrder", "default")


def shallow_checks(node: Mapping[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """The checks schema_errors makes of a value at a schema node (its $ref resolved), each with
    its keyword: each keyword on its own, a schema of that one keyword; additionalProperties with
    the node's property names, which it needs."""
    checks = []
    for keyword, rule in node.items():
        if keyword in _NOT_CHECKED:
            continue
        check: dict[str, Any] = {keyword: rule}
        if keyword == "additionalProperties":
            check["properties"] = {name: {} for name in node.get("properties", {})}
        checks.append((keyword, check))
    return checks


def check_key(check: Mapping[str, Any]) -> str:
    """A check as schema_validators.VALIDATORS names it: its JSON, keys sorted."""
    return json.dumps(check, sort_keys=True)


def schema_checks(schema: Mapping[str, Any]) -> list[str]:
    """Every check schema_errors can make of a value against `schema` (a whole resource schema),
    by check_key, sorted: those of the schema itself and of every node reachable from it through
    items and properties, $refs resolved in its definitions."""
    found: set[str] = set()

    def visit(node: Mapping[str, Any]) -> None:
        node = _resolved(node, schema)
        found.update(check_key(check) for _, check in shallow_checks(node))
        if "items" in node:
            visit(node["items"])
        for child in node.get("properties", {}).values():
            visit(child)

    visit(schema)
    return sorted(found)


def _shallow_validator(key: str) -> Callable[[Any], Any]:
    try:
        return schema_validators.VALIDATORS[key]
    except KeyError:
        raise LookupError(
            f"no validator for the schema check {key}: schema_validators.py is not that of "
            "schema.json (python -m keyforge.generate_validators writes it)"
        ) from None


def schema_errors(
    value: Any, node: Mapping[str, Any], path: PropertyPath = ()
) -> list[SchemaError]:
    """Every place where `value` breaks `node`, a node of schema.json.

    Its validators, generated from schema.json by fastjsonschema (schema_validators.py), stop at
    a value's first error, so each keyword of a node is checked on its own, then the node's items
    and properties, unless the value is not even of the node's type.
    """
    node = _resolved(node)
    errors: list[SchemaError] = []
    for keyword, check in shallow_checks(node):
        try:
            _shallow_validator(check_key(check))(value)
        except schema_validators.JsonSchemaValueException as error:
            where = path + tuple(int(p) if p.isdigit() else p for p in error.path[1:])
            errors.append(
                SchemaError(where, str(error.rule), error.rule_definition, error.value, node)
            )
            if keyword == "type":
                return errors
    if isinstance(value, list) and "items" in node:
        for index, item in enumerate(value):
            errors += schema_errors(item, node["items"], (*path, index))
    if isinstance(value, dict):
        for name, child in node.get("properties", {}).items():
            if name in value:
                errors += schema_errors(value[name], child, (*path, name))
    return errors


def _resolved(
    node: Mapping[str, Any], schema: Mapping[str, Any] | None = None
) -> Mapping[str, Any]:
    definitions = (resource_schema() if schema is None else schema).get("definitions", {})
    while "$ref" in node:
        node = definitions[str(node["$ref"]).rsplit("/", 1)[-1]]
    return node


def writable_properties() -> tuple[str, ...]:
    schema = resource_schema()
    read_only = {pointer.rsplit("/", 1)[-1] for pointer in schema.get("readOnlyProperties", [])}
    return tuple(name for name in schema["properties"] if name not in read_only)


_OWNED_ELSEWHERE: tuple[PropertyPath, ...] = (("KeySpec",), ("KeyUsage",), ("AliasName",))


def _schema_message(error: SchemaError) -> str | None:
    path = error.path
    where = format_path(path) or "The key's properties"
    value, rule, bounds, rule_value = error.value, error.rule, error.bounds, error.rule_value
    if rule == "additionalProperties":
        unknown = sorted(set(value) - set(resource_schema()["properties"]))
        names = ", ".join(unknown)
        return (
            f"{names} {'is not a property' if len(unknown) == 1 else 'are not properties'} "
            f"of Keyforge::KMS::Key: allowed are {', '.join(writable_properties())}."
        )
    if rule == "type":
        expected_text = rule_value if isinstance(rule_value, str) else " or ".join(rule_value)
        return f"{where} must be of type {expected_text}, not {_json_type(value)}."
    if path in _OWNED_ELSEWHERE and rule in ("enum", "pattern", "minLength", "maxLength"):
        return None  # key_spec_problems and alias_problems say what is allowed
    if rule == "enum":
        return (
            f"{where} {describe(value)} is not allowed: "
            f"allowed are {', '.join(map(str, rule_value))}."
        )
    if rule == "pattern":
        refused = refusal(value) if isinstance(value, str) else None
        if refused is not None:  # say why KMS refuses it, not only that the pattern does
            return f"{where} names {refused.message}"
        return f"{where} {describe(value)} does not match the pattern {rule_value}."
    if rule in ("minimum", "maximum"):
        return (
            f"{where} {describe(value)} is out of range: allowed "
            f"{bounds.get('minimum', '-inf')} to {bounds.get('maximum', 'inf')}."
        )
    if rule in ("minLength", "maxLength"):
        return (
            f"{where} is {len(value)} characters long: allowed "
            f"{bounds.get('minLength', 0)} to {bounds.get('maxLength', 'any number of')}."
        )
    if rule == "maxItems":
        if path == ("Tags",):
            return None  # tag_problems counts the tags
        return f"{where} has more than {rule_value} items."
    if rule == "required":
        missing = [name for name in rule_value if not isinstance(value, dict) or name not in value]
        return f"{where} needs {', '.join(missing)}."
    return f"{where} {describe(value)} does not fit the schema's {rule} {rule_value}."


def _json_type(value: object) -> str:
    names: list[tuple[type | tuple[type, ...], str]] = [
        (bool, "boolean"),
        ((int, float), "number"),
        (str, "string"),
        (list, "array"),
        (dict, "object"),
        (type(None), "null"),
    ]
    return next((name for kind, name in names if isinstance(value, kind)), type(value).__name__)


def schema_problems(properties: Mapping[str, Any]) -> list[Problem]:
    """Properties that do not fit schema.json: unknown names, wrong types, out of range."""
    literal = {name: value for name, value in properties.items() if _contains_no_intrinsic(value)}
    problems = []
    for error in sorted(schema_errors(literal, resource_schema()), key=lambda e: str(e.path)):
        message = _schema_message(error)
        if message is None:
            continue
        path: PropertyPath = error.path
        if error.rule == "additionalProperties" and not path:
            # Point at the first unknown property written, the line to edit.
            known = resource_schema()["properties"]
            path = (next(name for name in literal if name not in known),)
        problems.append(Problem(path, error.value, message))
    return problems


def request_problems(properties: object, which: str = "") -> tuple[dict[str, Any], list[Problem]]:
    """Raw resource properties from CloudFormation: the properties to use, and what is wrong.

    CloudFormation sends booleans and numbers as strings ("true", "30"): those become booleans
    and integers where schema.json says so. Anything else of the wrong type is a problem, never
    converted: 365.9 is not an integer, 2 is not a boolean. `which` names the properties in the
    messages ("previous " for an update's old ones).
    """
    if properties is None:
        return {}, []
    if not isinstance(properties, dict):
        kind = _json_type(properties)
        return {}, [Problem((), None, f"The {which}properties must be a JSON object, not {kind}.")]
    declared = resource_schema()["properties"]
    usable = {
        name: _from_cloudformation_string(value, declared.get(name))
        for name, value in properties.items()
    }
    prefix = f"In the {which}properties: " if which else ""
    problems = []
    for error in sorted(schema_errors(usable, resource_schema()), key=lambda e: str(e.path)):
        message = _schema_message(error)
        if message is not None:
            problems.append(Problem(error.path, error.value, prefix + message))
    return usable, problems


def _from_cloudformation_string(value: Any, declared: Mapping[str, Any] | None) -> Any:
    kind = _resolved(declared).get("type") if declared else None
    if isinstance(value, str) and kind == "boolean" and value in ("true", "false"):
        return value == "true"
    if isinstance(value, str) and kind == "integer" and re.fullmatch(r"-?[0-9]{1,10}", value):
        return int(value)
    return value


def _contains_no_intrinsic(value: object) -> bool:
    if not is_literal(value):
        return False
    if isinstance(value, Mapping):
        return all(_contains_no_intrinsic(item) for item in value.values())
    if isinstance(value, list):
        return all(_contains_no_intrinsic(item) for item in value)
    return True


# ---------------------------------------------------------------------------
# Updates


def immutable_value(properties: Mapping[str, Any], name: str) -> object:
    value = properties.get(name)
    return IMMUTABLE_PROPERTIES[name] if value is None else value


def immutable_changes(previous: Mapping[str, Any], desired: Mapping[str, Any]) -> list[Problem]:
    """Changes of KeySpec, KeyUsage, Origin or MultiRegion, which no update may make."""
    problems = []
    for name in IMMUTABLE_PROPERTIES:
        before = immutable_value(previous, name)
        after = immutable_value(desired, name)
        if not (is_literal(before) and is_literal(after)) or before == after:
            continue
        problems.append(
            Problem(
                (name,),
                after,
                f"{name} cannot change from {describe(before)} to {describe(after)}: KMS cannot "
                f"change the {name} of a key, and replacing the key would delete its key "
                "material. Keep this key as it is and add a new key under a new logical id.",
            )
        )
    return problems


# ---------------------------------------------------------------------------
# Everything at once


Check = Callable[[Mapping[str, Any]], list[Problem]]
_CHECKS: tuple[Check, ...] = (
    schema_problems,
    key_spec_problems,
    rotation_problems,
    policy_problems,
    principal_problems,
    tag_problems,
    alias_problems,
)


def validate(properties: Mapping[str, Any], region: str | None = None) -> list[Problem]:
    """Every problem KMS would refuse this key for; an empty list when there is none."""
    problems = list(_unique(problem for check in _CHECKS for problem in check(properties)))
    problems += origin_problems(properties, region)
    if region is not None:
        problems += region_problems(properties, region)
    problems += replica_problems(properties, region)
    return problems


def _unique(problems: Iterable[Problem]) -> Iterator[Problem]:
    seen: set[str] = set()
    for problem in problems:
        if problem.message not in seen:
            seen.add(problem.message)
            yield problem
