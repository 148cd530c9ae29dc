"""moto's KMS responses, made as strict as KMS and completed with the operations moto lacks."""

from __future__ import annotations

import base64
import binascii
import json
import re
from types import SimpleNamespace
from typing import Any

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from moto.core.utils import camelcase_to_underscores
from moto.iam.models import iam_backends
from moto.kms.exceptions import InvalidCiphertextException as MotoInvalidCiphertext
from moto.kms.models import Key, kms_backends
from moto.kms.responses import KmsResponse
from moto.kms.utils import _deserialize_ciphertext_blob
from moto.kms.utils import decrypt as decrypt_with_material
from moto.utilities.utils import get_partition

from keyforge.keys.crypto_facts import oaep_padding
from keyforge.keys.material import (
    ALL_KEY_MATERIAL,
    DEPRECATED_WRAPPING_ALGORITHM,
    EXPIRATION_MODELS,
    IMPORT_TYPES,
    INCLUDE_KEY_MATERIAL,
    OAEP_ALGORITHMS,
    ROTATIONS_ONLY,
    SM2PKE,
    WRAPPING_ALGORITHMS,
    WRAPPING_KEY_SPECS,
    MaterialError,
    check_material,
    unwrap,
    wrapping_problem,
)
from keyforge_kms_key.keyspecs import (
    ALGORITHM_FIELDS,
    CUSTOM_KEY_STORE_ORIGINS,
    DEFAULT_KEY_SPEC,
    DEFAULT_KEY_USAGE,
    DEFAULT_ORIGIN,
    KEY_SPECS,
    KEY_USAGES,
    PENDING_DELETION_STATES,
    SYMMETRIC_ENCRYPTION_ALGORITHM,
    SYMMETRIC_KEY_SPEC,
    KeyState,
    KeyUsage,
    Limits,
    MultiRegion,
    Origin,
    algorithms,
    is_china_region,
    is_valid_pair,
    partition_of,
    rotates_automatically,
    rotates_on_demand,
)
from keyforge_kms_key.policy_grammar import character_problems
from keyforge_kms_key.validation import (
    Problem,
    covers_action,
    everyone_at,
    key_policy_problems,
    policy_statements,
)

from . import access, clock, importing, replicas, signing
from .errors import (
    AccessDeniedException,
    AlreadyExistsException,
    DisabledException,
    IncorrectKeyMaterialException,
    InvalidCiphertextException,
    InvalidKeyUsageException,
    InvalidMarkerException,
    KMSInvalidSignatureException,
    KMSInvalidStateException,
    LimitExceededException,
    MalformedPolicyDocumentException,
    NotAuthorizedException,
    NotFoundException,
    TagException,
    UnsupportedOperationException,
    ValidationException,
)
from .keys import MlKemKey, no_material
from .principals import check_principals
from .record import record

ORIGINS: tuple[str, ...] = (*(origin.value for origin in Origin), *CUSTOM_KEY_STORE_ORIGINS)
LIST_KEYS_DEFAULT_LIMIT = 100
LIST_ALIASES_DEFAULT_LIMIT = 50
LIST_KEY_ROTATIONS_DEFAULT_LIMIT = 100
MAX_LIMIT = 1000


class EmbeddedKey(Key):
    """A KMS key whose metadata lists the algorithms of its key spec and usage (the catalogue's)."""

    rotation_period_in_days: int | None = None

    def to_dict(self) -> dict[str, Any]:
        answer: dict[str, Any] = super().to_dict()
        metadata = answer["KeyMetadata"]
        for field in ALGORITHM_FIELDS:
            metadata.pop(field, None)
        for field, names in algorithms(self.key_spec, self.key_usage).items():
            metadata[field] = list(names)
        metadata.update(importing.metadata_fields(self))
        if self.multi_region:
            metadata["MultiRegionConfiguration"] = replicas.configuration(self)
        return answer


def key_algorithms(key: Key) -> tuple[str, ...]:
    """The algorithms a key can use, whichever of its fields lists them."""
    found = algorithms(key.key_spec, key.key_usage)
    return next(iter(found.values()), ())


def _material(key: Key) -> Any:
    """The `cryptography` private key inside moto's (or this package's) key wrapper."""
    wrapper: Any = key.private_key
    return wrapper.private_key


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _encode_marker(offset: int) -> str:
    return base64.urlsafe_b64encode(json.dumps({"offset": offset}).encode()).decode()


def _decode_marker(marker: str) -> int:
    try:
        offset = json.loads(base64.urlsafe_b64decode(marker.encode()))["offset"]
    except (ValueError, KeyError, TypeError, binascii.Error) as error:
        raise InvalidMarkerException("The marker is not valid.") from error
    if not isinstance(offset, int) or offset < 0:
        raise InvalidMarkerException("The marker is not valid.")
    return offset


def check_policy(policy: Any, *, bypass_lockout_check: bool = False) -> None:
    """Refuse a key policy that KMS would.

    Not a JSON object, over the size quota, a statement without Action or
    NotAction or with a Resource other than "*", or (unless the lock-out
    safety check is bypassed) a policy that lets nobody change it.
    """
    if not isinstance(policy, str):
        raise MalformedPolicyDocumentException("The key policy must be a JSON document.")
    if len(policy.encode("utf-8")) > Limits.POLICY_MAX_BYTES:
        raise LimitExceededException(
            f"The key policy is {len(policy.encode('utf-8'))} bytes; "
            f"the quota is {Limits.POLICY_MAX_BYTES}."
        )
    try:
        document = json.loads(policy)
    except ValueError as error:
        raise MalformedPolicyDocumentException(f"The key policy is not JSON: {error}.") from error
    if not isinstance(document, dict):
        raise MalformedPolicyDocumentException("The key policy must be a JSON object.")
    problems = [
        Problem(("KeyPolicy",), value, message) for _, value, message in character_problems(policy)
    ]
    problems += key_policy_problems(
        document, bypass_lockout_check=bypass_lockout_check, in_template=False
    )
    if problems:
        raise MalformedPolicyDocumentException(" ".join(p.message for p in problems))


def _bypass(params: dict[str, Any]) -> bool:
    return params.get("BypassPolicyLockoutSafetyCheck") is True


def _enum_error(
    value: Any, field: str, allowed: tuple[str, ...] | list[str]
) -> ValidationException:
    return ValidationException(
        f"1 validation error detected: Value '{value}' at '{field}' failed to satisfy "
        f"constraint: Member must satisfy enum value set: [{', '.join(allowed)}]"
    )


def check_create_key(params: dict[str, Any], region: str) -> tuple[str, str, str]:
    """Refuse what KMS's CreateKey refuses; answer (key spec, key usage, origin)."""
    spec = params.get("KeySpec") or params.get("CustomerMasterKeySpec") or DEFAULT_KEY_SPEC
    usage = params.get("KeyUsage") or DEFAULT_KEY_USAGE.value
    origin = params.get("Origin") or DEFAULT_ORIGIN.value
    china = is_china_region(region)
    if usage not in KEY_USAGES:
        raise _enum_error(usage, "keyUsage", KEY_USAGES)
    if spec not in KEY_SPECS:
        raise _enum_error(spec, "keySpec", list(KEY_SPECS))
    info = KEY_SPECS[spec]
    if not info.exists_in(region):
        raise ValidationException(f"KeySpec {spec} is not supported in {region}.")
    if origin not in ORIGINS:
        raise _enum_error(origin, "origin", ORIGINS)
    if not is_valid_pair(spec, usage):
        allowed = ", ".join(info.usages)
        raise ValidationException(
            f"KeyUsage {usage} is not compatible with KeySpec {spec}. "
            f"{spec} keys support KeyUsage {allowed}."
        )
    if origin in CUSTOM_KEY_STORE_ORIGINS:
        raise UnsupportedOperationException(
            f"Origin {origin} needs a custom key store, and there is none here."
        )
    if origin == Origin.EXTERNAL and not info.importable_in(region):
        raise UnsupportedOperationException(
            f"KeySpec {spec} does not support Origin EXTERNAL (imported key material)"
            + (f" in {region}." if china else ".")
        )
    description = params.get("Description") or ""
    if len(description) > Limits.DESCRIPTION_MAX_LENGTH:
        raise ValidationException(
            f"Description is {len(description)} characters; "
            f"the limit is {Limits.DESCRIPTION_MAX_LENGTH}."
        )
    check_tags(params.get("Tags") or [])
    if params.get("Policy") is not None:
        check_policy(params["Policy"], bypass_lockout_check=_bypass(params))
    return spec, usage, origin


def check_tags(tags: list[dict[str, Any]]) -> None:
    if len(tags) > Limits.MAX_TAGS:
        raise TagException(f"A key has at most {Limits.MAX_TAGS} tags.")
    for tag in tags:
        name = str(tag.get("TagKey", ""))
        if name.startswith(Limits.RESERVED_TAG_PREFIX):
            raise TagException(
                f"Tag keys beginning with {Limits.RESERVED_TAG_PREFIX} are reserved."
            )


class EmbeddedKmsResponse(KmsResponse):
    """KmsResponse with KMS's checks, real cryptography, and the operations moto lacks."""

    # -- plumbing -------------------------------------------------------------------------

    def call_action(self) -> Any:
        action = self._get_action()
        if action:
            record(action)
            now = clock.now()
            for key in list(self.kms_backend.keys.values()):
                importing.expire_materials(key, now)
                replicas.settle_update(key, now)
            if not hasattr(self, camelcase_to_underscores(action)):
                error = UnsupportedOperationException(
                    f"{action} is not available in the embedded KMS."
                )
                return error.code, {"Content-Type": "application/x-amz-json-1.1"}, error.description
        return super().call_action()

    def _validate_key_policy(self, key_id: str, action: str) -> None:
        """A Deny statement of the key policy that covers `action` for the caller refuses it.

        In place of moto's reading (which only knows a list of statements): any policy the
        embedded KMS accepted, read by the key-policy grammar. Who is denied: everyone ("*"),
        the account (its root ARN or id, which stands for every principal of it), or the
        calling role or user by name. A Deny with a Condition or NotPrincipal is not judged.
        """
        key = self.kms_backend.describe_key(self.kms_backend.get_key_id(key_id))
        try:
            document = json.loads(key.policy)
        except (TypeError, ValueError):
            return
        if not isinstance(document, dict):
            return
        for _, statement in policy_statements(document) or []:
            if (
                isinstance(statement, dict)
                and statement.get("Effect") == "Deny"
                and "Condition" not in statement
                and self._names_caller(statement.get("Principal"))
                and covers_action(statement, action)
            ):
                raise AccessDeniedException(
                    f"The key policy of {key.arn} denies {action} to the caller."
                )

    def _names_caller(self, principal: Any) -> bool:
        """Whether a Principal takes in the caller: everyone, its account, or the caller itself
        (a role session by its role's name, a user by its ARN)."""
        if everyone_at(principal) is not None:
            return True
        named = principal.get("AWS") if isinstance(principal, dict) else None
        account_root = f"arn:{get_partition(self.region)}:iam::{self.current_account}:root"
        caller = access.caller_arn(self)
        role = caller.partition(":assumed-role/")[2].split("/")[0] if caller else ""
        for name in named if isinstance(named, list) else [named]:
            if not isinstance(name, str):
                continue
            if name in (self.current_account, account_root, caller):
                return True
            if role and ":role/" in name and name.rsplit("/", 1)[-1] == role:
                return True
        return False

    def _params(self) -> dict[str, Any]:
        params: dict[str, Any] = json.loads(self.body or "{}")
        return params

    def _blob(self, name: str) -> bytes:
        value = self._params().get(name)
        if value is None:
            raise ValidationException(f"{name} is required.")
        return base64.b64decode(value)

    def _key(self, key_id: Any, *, aliases: bool = True) -> Key:
        if not key_id:
            raise ValidationException("KeyId is required.")
        if aliases:
            self._validate_key_id(key_id)
        else:
            self._validate_cmk_id(key_id)
        key: Key = self.kms_backend.keys[self.kms_backend.any_id_to_key_id(key_id)]
        return key

    @staticmethod
    def _usable(key: Key) -> None:
        """Cryptographic operations need an Enabled key (or one Updating, which KMS lets be
        used while its primary Region moves)."""
        if key.key_state == KeyState.DISABLED:
            raise DisabledException(f"{key.arn} is disabled.")
        if key.key_state not in (KeyState.ENABLED, KeyState.UPDATING):
            raise KMSInvalidStateException(f"{key.arn} is {key.key_state}.")

    @staticmethod
    def _not_pending_deletion(key: Key) -> None:
        if key.key_state in PENDING_DELETION_STATES:
            raise KMSInvalidStateException(f"{key.arn} is pending deletion.")

    @staticmethod
    def _usage(key: Key, usage: KeyUsage) -> None:
        if key.key_usage != usage.value:
            raise InvalidKeyUsageException(
                f"{key.arn} has KeyUsage {key.key_usage}; this operation needs {usage.value}."
            )

    @staticmethod
    def _algorithm(key: Key, algorithm: Any, field: str) -> str:
        if not algorithm:
            raise ValidationException(f"{field} is required.")
        allowed = key_algorithms(key)
        if algorithm not in allowed:
            raise InvalidKeyUsageException(
                f"{field} {algorithm} is not valid for {key.arn} ({key.key_spec}, "
                f"{key.key_usage}); it supports {', '.join(allowed) or 'none'}."
            )
        return str(algorithm)

    def _page(self, items: list[Any], default_limit: int) -> tuple[list[Any], dict[str, Any]]:
        params = self._params()
        limit = params.get("Limit", default_limit)
        if not isinstance(limit, int) or not 1 <= limit <= MAX_LIMIT:
            raise ValidationException(
                f"1 validation error detected: Value '{limit}' at 'limit' failed to satisfy "
                f"constraint: Member must have value between 1 and {MAX_LIMIT}"
            )
        start = _decode_marker(params["Marker"]) if params.get("Marker") else 0
        page = items[start : start + limit]
        end = start + len(page)
        if end < len(items):
            return page, {"Truncated": True, "NextMarker": _encode_marker(end)}
        return page, {"Truncated": False}

    # -- keys -------------------------------------------------------------------------------

    def create_key(self) -> str:
        params = self._params()
        spec, usage, origin = check_create_key(params, self.region)
        check_principals(params.get("Policy"), self.current_account, self.region)
        if params.get("Tags"):
            # KMS API reference, CreateKey, "Required permissions": kms:TagResource to use Tags.
            access.require(self, "kms:TagResource", self._keys_arn(self.region))
        if params.get("MultiRegion") is True:
            self._multi_region_service_role()
        arguments = (
            params.get("Policy"),
            usage,
            spec,
            params.get("Description") or "",
            self.current_account,
            self.region,
            bool(params.get("MultiRegion", False)),
            origin,
        )
        if origin == Origin.EXTERNAL:
            # No key material until ImportKeyMaterial; until then the key is unusable.
            with no_material():
                key = EmbeddedKey(*arguments)  # type: ignore[abstract]
            key.key_material = b""
            key.key_state = KeyState.PENDING_IMPORT.value
            key.enabled = False
        else:
            key = EmbeddedKey(*arguments)  # type: ignore[abstract]
        self.kms_backend.keys[key.id] = key
        if params.get("Tags"):
            self.kms_backend.tagger.tag_resource(key.id, params["Tags"])
        return json.dumps(key.to_dict())

    def _keys_arn(self, region: str) -> str:
        """The resource a permission on keys not yet made is asked for (any key of the Region)."""
        return f"arn:{get_partition(region)}:kms:{region}:{self.current_account}:key/*"

    def _multi_region_service_role(self) -> None:
        """The service-linked role KMS creates with an account's first multi-Region key.

        KMS developer guide, "Authorizing AWS KMS to synchronize multi-Region keys": KMS creates
        it when a multi-Region key is created and it does not exist yet, and the user creating
        the key must have iam:CreateServiceLinkedRole.
        """
        iam = iam_backends[self.current_account][get_partition(self.region)]
        name = MultiRegion.SERVICE_LINKED_ROLE_NAME
        if any(role.name == name for role in iam.get_roles()):
            return
        service = MultiRegion.SERVICE_LINKED_ROLE_SERVICE
        path = f"/aws-service-role/{service}/"
        arn = f"arn:{get_partition(self.region)}:iam::{self.current_account}:role{path}{name}"
        access.require(self, "iam:CreateServiceLinkedRole", arn)
        trust = {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"Service": service},
                    "Action": "sts:AssumeRole",
                }
            ],
        }
        iam.create_role(name, json.dumps(trust), path, None, "", [], None, linked_service=service)

    def get_public_key(self) -> str:
        key = self._key(self._params().get("KeyId"))
        info = KEY_SPECS.get(key.key_spec)
        if info is None or not info.has_public_key:
            raise UnsupportedOperationException(
                f"{key.arn} is a {key.key_spec} key; only asymmetric KMS keys have a public key."
            )
        self._usable(key)
        answer: dict[str, Any] = {
            "KeyId": key.arn,
            "PublicKey": _b64(key.private_key.public_key()),
            "KeySpec": key.key_spec,
            "CustomerMasterKeySpec": key.key_spec,
            "KeyUsage": key.key_usage,
        }
        answer.update(
            {field: list(names) for field, names in algorithms(key.key_spec, key.key_usage).items()}
        )
        return json.dumps(answer)

    def replicate_key(self) -> str:
        """ReplicateKey: a replica of a multi-Region primary key in another Region."""
        params = self._params()
        key, target = self._primary_and_region(
            params, "ReplicaRegion", "only a primary key can be replicated"
        )
        self._not_pending_deletion(key)
        if key.key_state == KeyState.UPDATING:
            raise KMSInvalidStateException(f"{key.arn} is Updating: replicate it afterwards.")
        if target == self.region or partition_of(target) != partition_of(self.region):
            raise ValidationException(
                f"ReplicaRegion {target} must be another Region of the key's partition."
            )
        info = KEY_SPECS.get(key.key_spec)
        if info is not None and not info.exists_in(target):
            raise UnsupportedOperationException(
                f"KeySpec {key.key_spec} is not supported in {target}."
            )
        if target in replicas.related(key):
            raise AlreadyExistsException(f"{key.arn} already has a replica in {target}.")
        description = params.get("Description") or ""
        if len(description) > Limits.DESCRIPTION_MAX_LENGTH:
            raise ValidationException(
                f"Description is {len(description)} characters; "
                f"the limit is {Limits.DESCRIPTION_MAX_LENGTH}."
            )
        tags = params.get("Tags") or []
        check_tags(tags)
        if params.get("Policy") is not None:
            check_policy(params["Policy"], bypass_lockout_check=_bypass(params))
            check_principals(params["Policy"], self.current_account, target)
        # KMS API reference, ReplicateKey, "Required permissions": kms:CreateKey in an IAM policy
        # in the replica Region, and kms:TagResource there to use Tags.
        access.require(self, "kms:CreateKey", self._keys_arn(target))
        if tags:
            access.require(self, "kms:TagResource", self._keys_arn(target))
        replica = replicas.make_replica(key, target, description, params.get("Policy"))
        if tags:
            kms_backends[self.current_account][target].tagger.tag_resource(replica.id, tags)
        return json.dumps(
            {
                "ReplicaKeyMetadata": replica.to_dict()["KeyMetadata"],
                "ReplicaPolicy": replica.policy,
                "ReplicaTags": tags,
            }
        )

    def _primary_and_region(
        self, params: dict[str, Any], region_parameter: str, why_primary: str
    ) -> tuple[Key, str]:
        """The multi-Region primary key KeyId names, and the Region `region_parameter` names:
        what ReplicateKey and UpdatePrimaryRegion both start from."""
        key = self._key(params.get("KeyId"), aliases=False)
        target = params.get(region_parameter)
        if not isinstance(target, str) or not re.match(MultiRegion.REGION_PATTERN, target):
            raise ValidationException(f"{region_parameter} {target!r} is not a Region.")
        if not key.multi_region:
            raise UnsupportedOperationException(f"{key.arn} is not a multi-Region key.")
        if replicas.key_type(key) != replicas.PRIMARY:
            raise UnsupportedOperationException(f"{key.arn} is a replica key; {why_primary}.")
        return key, target

    def update_primary_region(self) -> str:
        """UpdatePrimaryRegion: the replica in PrimaryRegion becomes the primary key.

        KMS API reference, UpdatePrimaryRegion: KeyId names the current primary key, and
        PrimaryRegion a Region of one of its replicas; developer guide, "Change the primary key
        in a set of multi-Region keys": both keys must be Enabled when it starts, and both are
        Updating for a few seconds after it (usable, but not replicated, enabled or disabled).
        """
        params = self._params()
        key, target = self._primary_and_region(
            params, "PrimaryRegion", "UpdatePrimaryRegion starts from the primary key"
        )
        if target == self.region:
            raise ValidationException(f"{key.arn} is already the primary key, in {target}.")
        new_home = replicas.related(key).get(target)
        if new_home is None:
            raise NotFoundException(f"{key.arn} has no replica in {target}.")
        for one in (key, new_home):
            if one.key_state != KeyState.ENABLED:
                raise KMSInvalidStateException(
                    f"{one.arn} is {one.key_state}; both keys must be Enabled."
                )
        replicas.move_primary(key, new_home, clock.now())
        return json.dumps(None)

    @staticmethod
    def _switchable(key: Key) -> None:
        if key.key_state not in (KeyState.ENABLED, KeyState.DISABLED):
            raise KMSInvalidStateException(f"{key.arn} is {key.key_state}.")

    def enable_key(self) -> str:
        key = self._key(self._params().get("KeyId"), aliases=False)
        self._switchable(key)
        self.kms_backend.enable_key(key.id)
        return json.dumps(None)

    def disable_key(self) -> str:
        key = self._key(self._params().get("KeyId"), aliases=False)
        self._switchable(key)
        self.kms_backend.disable_key(key.id)
        return json.dumps(None)

    def schedule_key_deletion(self) -> str:
        params = self._params()
        key = self._key(params.get("KeyId"), aliases=False)
        days = params.get("PendingWindowInDays", Limits.DEFAULT_PENDING_WINDOW_DAYS)
        if days not in Limits.PENDING_WINDOW_DAYS:
            raise ValidationException(
                f"1 validation error detected: Value '{days}' at 'pendingWindowInDays' failed "
                f"to satisfy constraint: Member must have value between "
                f"{Limits.PENDING_WINDOW_DAYS}"
            )
        self._not_pending_deletion(key)
        deletion_date = self.kms_backend.schedule_key_deletion(key.id, days)
        key.key_state = replicas.deletion_state(key)
        return json.dumps(
            {
                "KeyId": key.arn,
                "DeletionDate": deletion_date,
                "KeyState": key.key_state,
                "PendingWindowInDays": days,
            }
        )

    def cancel_key_deletion(self) -> str:
        key = self._key(self._params().get("KeyId"), aliases=False)
        if key.key_state not in PENDING_DELETION_STATES:
            raise KMSInvalidStateException(f"{key.arn} is not pending deletion.")
        self.kms_backend.cancel_key_deletion(key.id)
        importing.settle(key)
        return json.dumps({"KeyId": key.arn})

    # -- rotation ---------------------------------------------------------------------------

    @staticmethod
    def _rotatable(key: Key) -> None:
        if not rotates_automatically(key.key_spec, key.origin):
            raise UnsupportedOperationException(
                f"{key.arn} ({key.key_spec}, Origin {key.origin}) does not support automatic "
                f"rotation; only {SYMMETRIC_KEY_SPEC} keys with Origin {Origin.AWS_KMS} do."
            )

    def _rotation_set(self, key: Key) -> importing.KeySet:
        """The keys whose automatic rotation changes together: a multi-Region key's whole set,
        changed through its primary key only (KMS API reference, EnableKeyRotation and
        DisableKeyRotation: "set the property on the primary key"; ReplicateKey: the automatic
        key rotation status is shared and synchronized)."""
        self._rotatable(key)
        keys = replicas.key_set(key)
        importing.primary_only(keys, "automatic rotation")
        self._usable(key)
        return keys

    def enable_key_rotation(self) -> str:
        params = self._params()
        key = self._key(params.get("KeyId"), aliases=False)
        keys = self._rotation_set(key)
        period = params.get("RotationPeriodInDays")
        if period is not None and period not in Limits.ROTATION_PERIOD_DAYS:
            raise ValidationException(
                f"1 validation error detected: Value '{period}' at 'rotationPeriodInDays' failed "
                f"to satisfy constraint: Member must have value between "
                f"{Limits.ROTATION_PERIOD_DAYS}"
            )
        for one in keys.every_key:
            one.key_rotation_status = True
            one.rotation_period_in_days = period or Limits.DEFAULT_ROTATION_PERIOD_DAYS  # type: ignore[attr-defined]
        return json.dumps(None)

    def disable_key_rotation(self) -> str:
        key = self._key(self._params().get("KeyId"), aliases=False)
        for one in self._rotation_set(key).every_key:
            one.key_rotation_status = False
        return json.dumps(None)

    def get_key_rotation_status(self) -> str:
        key = self._key(self._params().get("KeyId"), aliases=False)
        # A key pending deletion reports rotation off; cancelling the deletion restores it.
        enabled = bool(key.key_rotation_status) and key.key_state != KeyState.PENDING_DELETION
        answer: dict[str, Any] = {"KeyId": key.arn, "KeyRotationEnabled": enabled}
        if enabled:
            answer["RotationPeriodInDays"] = (
                getattr(key, "rotation_period_in_days", None) or Limits.DEFAULT_ROTATION_PERIOD_DAYS
            )
        return json.dumps(answer)

    # -- imported key material and rotation on demand ---------------------------------------

    @staticmethod
    def _external(key: Key) -> None:
        if key.origin != Origin.EXTERNAL:
            raise UnsupportedOperationException(
                f"{key.arn} has Origin {key.origin}: only keys with Origin EXTERNAL take "
                "imported key material."
            )
        if key.key_state == KeyState.PENDING_DELETION:
            raise KMSInvalidStateException(f"{key.arn} is pending deletion.")

    def get_parameters_for_import(self) -> str:
        params = self._params()
        key = self._key(params.get("KeyId"), aliases=False)
        algorithm = params.get("WrappingAlgorithm")
        wrapping_key_spec = params.get("WrappingKeySpec")
        if not algorithm or not wrapping_key_spec:
            raise ValidationException("WrappingAlgorithm and WrappingKeySpec are required.")
        if algorithm not in (*WRAPPING_ALGORITHMS, DEPRECATED_WRAPPING_ALGORITHM):
            raise _enum_error(algorithm, "wrappingAlgorithm", WRAPPING_ALGORITHMS)
        if wrapping_key_spec not in WRAPPING_KEY_SPECS:
            raise _enum_error(wrapping_key_spec, "wrappingKeySpec", WRAPPING_KEY_SPECS)
        self._external(key)
        problem = wrapping_problem(key.key_spec, algorithm, wrapping_key_spec, self.region)
        if problem is not None:
            raise ValidationException(problem[0].upper() + problem[1:] + ".")
        if algorithm == SM2PKE:
            raise UnsupportedOperationException("SM2PKE is not available in the embedded KMS.")
        token, public_key, valid_to = importing.issue_token(
            key, algorithm, wrapping_key_spec, clock.now()
        )
        return json.dumps(
            {
                "KeyId": key.arn,
                "ImportToken": _b64(token),
                "PublicKey": _b64(public_key),
                "ParametersValidTo": valid_to.timestamp(),
            }
        )

    def import_key_material(self) -> str:
        params = self._params()
        key = self._key(params.get("KeyId"), aliases=False)
        self._external(key)
        now = clock.now()
        wrapping = importing.redeem_token(key, self._blob("ImportToken"), now)
        for name, allowed in (
            ("ExpirationModel", EXPIRATION_MODELS),
            ("ImportType", IMPORT_TYPES),
        ):
            if params.get(name) is not None and params[name] not in allowed:
                raise _enum_error(params[name], name[0].lower() + name[1:], allowed)
        model, valid_to = importing.expiration(params, now)
        import_type = params.get("ImportType")
        try:
            plaintext = unwrap(
                self._blob("EncryptedKeyMaterial"), wrapping.private_key, wrapping.algorithm
            )
        except ValueError as error:
            raise InvalidCiphertextException(
                f"The key material could not be unwrapped: {error}."
            ) from error
        try:
            material = check_material(plaintext, key.key_spec, self.region, pem=False)
        except MaterialError as error:
            raise IncorrectKeyMaterialException(
                f"{str(error)[0].upper()}{str(error)[1:]}."
            ) from None
        request = importing.ImportRequest(
            expiration_model=model,
            valid_to=valid_to,
            import_type=import_type,
            material_id=params.get("KeyMaterialId"),
            description=params.get("KeyMaterialDescription"),
        )
        entry = importing.import_material(replicas.key_set(key), material, request)
        answer = {"KeyId": key.arn}
        if key.key_spec == SYMMETRIC_KEY_SPEC:
            answer["KeyMaterialId"] = entry.material_id
        return json.dumps(answer)

    def delete_imported_key_material(self) -> str:
        params = self._params()
        key = self._key(params.get("KeyId"), aliases=False)
        if key.origin != Origin.EXTERNAL:
            self._external(key)
        deleted = importing.delete_material(replicas.key_set(key), params.get("KeyMaterialId"))
        return json.dumps({"KeyId": key.arn, "KeyMaterialId": deleted.material_id})

    def rotate_key_on_demand(self) -> str:
        """RotateKeyOnDemand; a multi-Region key rotates through its primary key, and one with
        imported material once the new material is in every key of the set (KMS API
        reference, RotateKeyOnDemand)."""
        key = self._key(self._params().get("KeyId"), aliases=False)
        if not rotates_on_demand(key.key_spec):
            raise UnsupportedOperationException(
                f"{key.arn} is a {key.key_spec} key: only symmetric encryption keys "
                f"({SYMMETRIC_KEY_SPEC}) rotate on demand."
            )
        keys = replicas.key_set(key)
        importing.primary_only(keys, "rotation on demand")
        self._usable(key)
        importing.rotate_on_demand(keys, clock.now())
        return json.dumps({"KeyId": key.id})

    def list_key_rotations(self) -> str:
        params = self._params()
        key = self._key(params.get("KeyId"), aliases=False)
        include = params.get("IncludeKeyMaterial") or ROTATIONS_ONLY
        if include not in INCLUDE_KEY_MATERIAL:
            raise _enum_error(include, "includeKeyMaterial", INCLUDE_KEY_MATERIAL)
        if not rotates_on_demand(key.key_spec):
            raise UnsupportedOperationException(
                f"{key.arn} is a {key.key_spec} key: only symmetric encryption keys rotate."
            )
        entries = importing.rotation_entries(replicas.key_set(key), include == ALL_KEY_MATERIAL)
        page, more = self._page(entries, LIST_KEY_ROTATIONS_DEFAULT_LIMIT)
        return json.dumps({"Rotations": page, **more})

    # -- listing ----------------------------------------------------------------------------

    def list_keys(self) -> str:
        everything = json.loads(super().list_keys())["Keys"]
        page, more = self._page(everything, LIST_KEYS_DEFAULT_LIMIT)
        return json.dumps({"Keys": page, **more})

    def list_aliases(self) -> str:
        everything = json.loads(super().list_aliases())["Aliases"]
        page, more = self._page(everything, LIST_ALIASES_DEFAULT_LIMIT)
        return json.dumps({"Aliases": page, **more})

    # -- policies ---------------------------------------------------------------------------

    @staticmethod
    def _policy_name(params: dict[str, Any]) -> None:
        if params.get("PolicyName", "default") != "default":
            raise NotFoundException("No such policy exists. The only key policy is 'default'.")

    def get_key_policy(self) -> str:
        params = self._params()
        key = self._key(params.get("KeyId"), aliases=False)
        self._policy_name(params)
        policy = self.kms_backend.get_key_policy(key.id) or "{}"
        return json.dumps({"Policy": policy, "PolicyName": "default"})

    def put_key_policy(self) -> str:
        params = self._params()
        key = self._key(params.get("KeyId"), aliases=False)
        self._policy_name(params)
        check_policy(params.get("Policy"), bypass_lockout_check=_bypass(params))
        check_principals(params["Policy"], self.current_account, self.region)
        self._not_pending_deletion(key)
        self.kms_backend.put_key_policy(key.id, params["Policy"])
        return json.dumps(None)

    # -- aliases and tags -------------------------------------------------------------------

    def _check_alias(self) -> None:
        params = self._params()
        name = str(params.get("AliasName") or "")
        if name.startswith(Limits.RESERVED_ALIAS_PREFIX):
            raise NotAuthorizedException(
                f"{name}: alias names beginning with {Limits.RESERVED_ALIAS_PREFIX} are "
                "reserved for AWS managed keys."
            )
        if len(name) > Limits.ALIAS_MAX_LENGTH:
            raise ValidationException(
                f"AliasName is {len(name)} characters; the limit is {Limits.ALIAS_MAX_LENGTH}."
            )
        target = self.kms_backend.keys.get(
            self.kms_backend.get_key_id(str(params.get("TargetKeyId") or ""))
        )
        if target is not None:
            self._not_pending_deletion(target)

    def create_alias(self) -> str:
        self._check_alias()
        return super().create_alias()

    def update_alias(self) -> str:
        self._check_alias()
        return super().update_alias()

    def tag_resource(self) -> str:
        check_tags(self._params().get("Tags") or [])
        return super().tag_resource()

    # -- encryption -------------------------------------------------------------------------

    def _encryption_key(self, key_id: Any, algorithm: str) -> Key:
        key = self._key(key_id)
        self._usable(key)
        self._usage(key, KeyUsage.ENCRYPT_DECRYPT)
        self._algorithm(key, algorithm, "EncryptionAlgorithm")
        if key.key_spec == "SM2":
            raise UnsupportedOperationException("SM2PKE is not available in the embedded KMS.")
        return key

    def _encrypt_with(
        self, key: Key, algorithm: str, plaintext: bytes, context: dict[str, str]
    ) -> bytes:
        if algorithm == SYMMETRIC_ENCRYPTION_ALGORITHM:
            blob: bytes = self.kms_backend.encrypt(
                key_id=key.id, plaintext=plaintext, encryption_context=context
            )[0]
            return blob
        digest = OAEP_ALGORITHMS[algorithm]()
        public: rsa.RSAPublicKey = _material(key).public_key()
        try:
            return public.encrypt(plaintext, oaep_padding(digest))
        except ValueError as error:
            raise ValidationException(
                f"The plaintext is too long for {key.key_spec} with {algorithm}."
            ) from error

    def _decrypt_with(
        self, blob: bytes, key_id: Any, algorithm: str, context: dict[str, str]
    ) -> tuple[bytes, Key]:
        if algorithm != SYMMETRIC_ENCRYPTION_ALGORITHM:
            if not key_id:
                raise ValidationException(
                    f"KeyId is required to decrypt with EncryptionAlgorithm {algorithm}."
                )
            key = self._encryption_key(key_id, algorithm)
            digest = OAEP_ALGORITHMS[algorithm]()
            private: rsa.RSAPrivateKey = _material(key)
            try:
                plaintext = private.decrypt(blob, oaep_padding(digest))
            except ValueError as error:
                raise InvalidCiphertextException("The ciphertext is not valid.") from error
            return plaintext, key
        if key_id:
            self._encryption_key(key_id, algorithm)
        return self._decrypt_symmetric(blob, context, key_id)

    def _ciphertext_key(self, named: str) -> Key | None:
        """The key a moto ciphertext names. moto keeps 36 characters of the key id, so a
        multi-Region key's id (mrk- and a UUID, 40 characters) is cut short: its prefix
        names it."""
        key: Key | None = self.kms_backend.keys.get(named)
        if key is None and named.startswith(MultiRegion.KEY_ID_PREFIX):
            found = [k for kid, k in self.kms_backend.keys.items() if kid.startswith(named)]
            key = found[0] if len(found) == 1 else None
        return key

    def _decrypt_symmetric(
        self, blob: bytes, context: dict[str, str], key_id: Any
    ) -> tuple[bytes, Key]:
        """moto's AES-GCM decryption, with each of the key's materials, current first."""
        try:
            named = _deserialize_ciphertext_blob(blob).key_id
        except Exception as error:  # moto's parser raises whatever struct and UTF-8 raise
            raise InvalidCiphertextException("The ciphertext is not valid.") from error
        key = self._ciphertext_key(named)
        if key is None or (key_id and self.kms_backend.any_id_to_key_id(key_id) != key.id):
            raise AccessDeniedException(
                "The ciphertext refers to a customer master key that does not exist, "
                "does not exist in this region, or you are not allowed to access."
            )
        self._usable(key)
        for secret in importing.decryption_secrets(key):
            try:
                plaintext, _ = decrypt_with_material(
                    {named: SimpleNamespace(key_material=secret)}, blob, context
                )
            except MotoInvalidCiphertext:
                continue
            return bytes(plaintext), key
        raise InvalidCiphertextException("The ciphertext is not valid.")

    def encrypt(self) -> str:
        params = self._params()
        algorithm = params.get("EncryptionAlgorithm") or SYMMETRIC_ENCRYPTION_ALGORITHM
        key = self._encryption_key(params.get("KeyId"), algorithm)
        blob = self._encrypt_with(
            key, algorithm, self._blob("Plaintext"), params.get("EncryptionContext") or {}
        )
        return json.dumps(
            {"CiphertextBlob": _b64(blob), "KeyId": key.arn, "EncryptionAlgorithm": algorithm}
        )

    def decrypt(self) -> str:
        params = self._params()
        algorithm = params.get("EncryptionAlgorithm") or SYMMETRIC_ENCRYPTION_ALGORITHM
        plaintext, key = self._decrypt_with(
            self._blob("CiphertextBlob"),
            params.get("KeyId"),
            algorithm,
            params.get("EncryptionContext") or {},
        )
        return json.dumps(
            {"Plaintext": _b64(plaintext), "KeyId": key.arn, "EncryptionAlgorithm": algorithm}
        )

    def re_encrypt(self) -> str:
        params = self._params()
        source_algorithm = params.get("SourceEncryptionAlgorithm") or SYMMETRIC_ENCRYPTION_ALGORITHM
        plaintext, source = self._decrypt_with(
            self._blob("CiphertextBlob"),
            params.get("SourceKeyId"),
            source_algorithm,
            params.get("SourceEncryptionContext") or {},
        )
        algorithm = params.get("DestinationEncryptionAlgorithm") or SYMMETRIC_ENCRYPTION_ALGORITHM
        destination = self._encryption_key(params.get("DestinationKeyId"), algorithm)
        blob = self._encrypt_with(
            destination, algorithm, plaintext, params.get("DestinationEncryptionContext") or {}
        )
        return json.dumps(
            {
                "CiphertextBlob": _b64(blob),
                "KeyId": destination.arn,
                "SourceKeyId": source.arn,
                "SourceEncryptionAlgorithm": source_algorithm,
                "DestinationEncryptionAlgorithm": algorithm,
            }
        )

    def _data_key_check(self) -> None:
        key = self._key(self._params().get("KeyId"))
        self._usable(key)
        self._usage(key, KeyUsage.ENCRYPT_DECRYPT)
        if key.key_spec != SYMMETRIC_KEY_SPEC:
            raise InvalidKeyUsageException(
                f"{key.arn} is a {key.key_spec} key; data keys need a {SYMMETRIC_KEY_SPEC} key."
            )

    def generate_data_key(self) -> str:
        self._data_key_check()
        return super().generate_data_key()

    def generate_data_key_without_plaintext(self) -> str:
        self._data_key_check()
        return super().generate_data_key_without_plaintext()

    # -- MACs -------------------------------------------------------------------------------

    def _mac_check(self) -> None:
        params = self._params()
        key = self._key(params.get("KeyId"))
        self._usable(key)
        self._usage(key, KeyUsage.GENERATE_VERIFY_MAC)
        self._algorithm(key, params.get("MacAlgorithm"), "MacAlgorithm")

    def generate_mac(self) -> str:
        self._mac_check()
        return super().generate_mac()

    def verify_mac(self) -> str:
        self._mac_check()
        return super().verify_mac()

    # -- signatures -------------------------------------------------------------------------

    def _signing_key(self) -> tuple[Key, str, bytes, str]:
        params = self._params()
        key = self._key(params.get("KeyId"))
        self._usable(key)
        self._usage(key, KeyUsage.SIGN_VERIFY)
        algorithm = self._algorithm(key, params.get("SigningAlgorithm"), "SigningAlgorithm")
        if key.key_spec == "SM2":
            raise UnsupportedOperationException("SM2DSA is not available in the embedded KMS.")
        return key, algorithm, self._blob("Message"), params.get("MessageType") or "RAW"

    def sign(self) -> str:
        key, algorithm, message, message_type = self._signing_key()
        signature = signing.sign(key.key_spec, _material(key), algorithm, message, message_type)
        return json.dumps(
            {"KeyId": key.arn, "Signature": _b64(signature), "SigningAlgorithm": algorithm}
        )

    def verify(self) -> str:
        key, algorithm, message, message_type = self._signing_key()
        valid = signing.verify(
            key.key_spec,
            _material(key),
            algorithm,
            message,
            message_type,
            self._blob("Signature"),
        )
        if not valid:
            raise KMSInvalidSignatureException("The signature is not valid.")
        return json.dumps({"KeyId": key.arn, "SignatureValid": True, "SigningAlgorithm": algorithm})

    # -- key agreement and key encapsulation ------------------------------------------------

    def derive_shared_secret(self) -> str:
        params = self._params()
        key = self._key(params.get("KeyId"))
        self._usable(key)
        self._usage(key, KeyUsage.KEY_AGREEMENT)
        algorithm = self._algorithm(
            key, params.get("KeyAgreementAlgorithm"), "KeyAgreementAlgorithm"
        )
        if key.key_spec == "SM2":
            raise UnsupportedOperationException("SM2 key agreement is not available here.")
        if params.get("Recipient"):
            raise UnsupportedOperationException("Recipient (Nitro Enclaves) is not available here.")
        private: ec.EllipticCurvePrivateKey = _material(key)
        try:
            peer = serialization.load_der_public_key(self._blob("PublicKey"))
        except (ValueError, UnsupportedAlgorithm) as error:
            raise ValidationException(
                "PublicKey must be a DER-encoded X.509 SubjectPublicKeyInfo."
            ) from error
        if not isinstance(peer, ec.EllipticCurvePublicKey) or peer.curve.name != private.curve.name:
            raise ValidationException(
                f"PublicKey must be an elliptic-curve key on the curve of {key.key_spec}."
            )
        secret = private.exchange(ec.ECDH(), peer)
        return json.dumps(
            {
                "KeyId": key.arn,
                "SharedSecret": _b64(secret),
                "KeyAgreementAlgorithm": algorithm,
                "KeyOrigin": key.origin,
            }
        )

    def _encapsulation_key(self) -> tuple[Key, MlKemKey, str]:
        params = self._params()
        key = self._key(params.get("KeyId"))
        self._usable(key)
        self._usage(key, KeyUsage.ENCAPSULATE_DECAPSULATE)
        algorithm = self._algorithm(
            key, params.get("EncapsulationAlgorithm"), "EncapsulationAlgorithm"
        )
        material = key.private_key
        if not isinstance(material, MlKemKey):
            raise InvalidKeyUsageException(f"{key.arn} has no ML-KEM key material.")
        return key, material, algorithm

    def encapsulate(self) -> str:
        key, material, algorithm = self._encapsulation_key()
        secret, ciphertext = material.encapsulate()
        return json.dumps(
            {
                "KeyId": key.arn,
                "SharedSecret": _b64(secret),
                "SharedSecretCiphertextBlob": _b64(ciphertext),
                "EncapsulationAlgorithm": algorithm,
            }
        )

    def decapsulate(self) -> str:
        key, material, algorithm = self._encapsulation_key()
        secret = material.decapsulate(self._blob("SharedSecretCiphertextBlob"))
        return json.dumps(
            {"KeyId": key.arn, "SharedSecret": _b64(secret), "EncapsulationAlgorithm": algorithm}
        )
