"""Imported key material and on-demand rotation in the embedded KMS, as KMS does them. No I/O.

A symmetric encryption key (of either origin) and every key with Origin EXTERNAL keep
a list of ``KeyMaterial``, which is what ListKeyRotations, CurrentKeyMaterialId and
KeyMaterialId show:

- GetParametersForImport makes a real RSA wrapping key pair and an import token that
  names the key and expires after 24 hours; ImportKeyMaterial redeems it.
- The first material imported into a key is permanently associated with it. Asymmetric
  and HMAC keys never take another (a reimport must be the same material); a symmetric
  key takes new material (ImportType NEW_KEY_MATERIAL) that waits in PENDING_ROTATION
  until RotateKeyOnDemand makes it CURRENT (at most 25 on-demand rotations a key).
- A key with Origin EXTERNAL is usable (Enabled) only while every permanently associated
  material is imported; deleting one, or its expiry (ValidTo, at most 365 days ahead),
  puts the key back in PendingImport (a key pending deletion keeps that state).
- A key with Origin AWS_KMS rotates to fresh material that KMS makes.

Multi-Region keys with imported key material, as the KMS API reference's operation pages
describe them (ImportKeyMaterial, its ImportType parameter, RotateKeyOnDemand,
DeleteImportedKeyMaterial, ListKeyRotations and RotationsListEntry's KeyMaterialState), which
are newer than the developer guide (its "Importing key material into multi-Region keys" and
on-demand rotation still treat rotation of imported material as single-Region, and so does the
RotateKeyOnDemand page's description of its KeyId parameter; the operation text is followed):

- KMS does not copy imported material to replica keys: each key of the set takes it itself,
  with its own GetParametersForImport (whose token names that key; "All KMS key types are
  supported, including multi-Region keys"), and a replica key takes only key material of its
  primary key (the same bytes, hence the same key material id, which KMS derives "based on the
  KMS key ID and the imported key material"); other material is
  IncorrectKeyMaterialException ("not the same key material that was previously imported").
  New key material (NEW_KEY_MATERIAL) goes into the primary key only; the reference says a
  replica key "cannot" take it and names no error code, so it is
  UnsupportedOperationException (a parameter "not supported" for this resource). Without
  ImportType a replica key's import is EXISTING_KEY_MATERIAL ("The import type for the replica
  Region key should be EXISTING_KEY_MATERIAL").
- New material of a primary key is PENDING_MULTI_REGION_IMPORT_AND_ROTATION until it is imported
  into every replica key (one pending deletion takes no import and is not waited for), then
  PENDING_ROTATION; RotateKeyOnDemand on the primary key refuses it before that
  (KMSInvalidStateException, no code being named) and then makes it CURRENT in every key of the
  set, as each key's CurrentKeyMaterialId (DescribeKey) shows. Rotation, on
  demand or automatic, is the primary key's: a replica key refuses it
  (UnsupportedOperationException).
- Each replica key lists the primary key's materials with its own import of each (ImportState,
  expiry, description): its key state is its own, and it is usable once it holds every material
  permanently associated with the set. Deleting pending material from the primary key deletes it
  from the replica keys too; deleting material from a replica key changes that key only.

Ciphertexts name their key, not their material: decryption tries the key's materials,
current first (AES-GCM tells the right one).
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from moto.kms.models import Key
from moto.kms.utils import generate_master_key

from keyforge.keys.material import (
    CURRENT,
    DOES_NOT_EXPIRE,
    EXISTING_KEY_MATERIAL,
    EXPIRES,
    LONGEST_VALIDITY,
    NEW_KEY_MATERIAL,
    NON_CURRENT,
    PENDING_MULTI_REGION_IMPORT_AND_ROTATION,
    PENDING_ROTATION,
    RSA_WRAPPING_KEY_BITS,
    Material,
)
from keyforge_kms_key.keyspecs import (
    KEY_SPECS,
    PENDING_DELETION_STATES,
    SYMMETRIC_KEY_SPEC,
    KeyKind,
    KeyState,
    Origin,
)

from .errors import (
    ExpiredImportTokenException,
    IncorrectKeyMaterialException,
    InvalidImportTokenException,
    KMSInvalidStateException,
    LimitExceededException,
    NotFoundException,
    UnsupportedOperationException,
    ValidationException,
)
from .keys import NoMaterial, imported_key

TOKEN_VALIDITY = timedelta(hours=24)
MAX_ON_DEMAND_ROTATIONS = 25
_TOKEN_PREFIX = "keyforge-import-token"


@dataclass
class KeyMaterial:
    """One key material of a key, as ListKeyRotations describes it."""

    material_id: str
    secret: bytes | None = field(repr=False)
    """Raw bytes or PKCS#8 DER; None once deleted or expired (KMS keeps only the id)."""
    state: str
    external: bool
    loaded: Any = field(default=None, repr=False)
    """The loaded private key of an asymmetric key."""
    expiration_model: str | None = None
    valid_to: datetime | None = None
    description: str | None = None
    rotation_date: datetime | None = None
    rotation_type: str | None = None

    @property
    def permanent(self) -> bool:
        """Permanently associated with the key (anything but material pending rotation)."""
        return self.state != PENDING_ROTATION

    @property
    def imported(self) -> bool:
        return self.secret is not None


@dataclass(frozen=True)
class KeySet:
    """The key a request names with, for a multi-Region key, its primary and replica keys."""

    key: Key
    primary: Key
    replicas: tuple[Key, ...] = ()

    @classmethod
    def single(cls, key: Key) -> KeySet:
        return cls(key, key)

    @property
    def is_replica(self) -> bool:
        return self.key is not self.primary

    @property
    def every_key(self) -> tuple[Key, ...]:
        return (self.primary, *self.replicas)

    @property
    def shared_import(self) -> bool:
        """A multi-Region key with imported material: each key of the set imports it itself."""
        return bool(self.key.multi_region) and is_external(self.key)


@dataclass(frozen=True)
class WrappingParameters:
    """What one GetParametersForImport answer was made with: its token redeems them."""

    private_key: rsa.RSAPrivateKey = field(repr=False)
    algorithm: str
    wrapping_key_spec: str
    valid_to: datetime


def material_id(key_id: str, secret: bytes) -> str:
    """KMS's key material identifier: 64 hex digits derived from the key id and the material."""
    digest = hashes.Hash(hashes.SHA256())
    digest.update(key_id.encode() + b"\x00" + secret)
    return digest.finalize().hex()


def _kind(key: Key) -> KeyKind | None:
    info = KEY_SPECS.get(key.key_spec)
    return info.kind if info is not None else None


def is_external(key: Key) -> bool:
    return bool(key.origin == Origin.EXTERNAL)


def materials(key: Key) -> list[KeyMaterial]:
    """The key's materials; a symmetric AWS_KMS key's first is the one moto made it with."""
    found: list[KeyMaterial] | None = key.__dict__.get("materials")
    if found is None:
        found = []
        if key.key_spec == SYMMETRIC_KEY_SPEC and not is_external(key):
            secret = bytes(key.key_material)
            found.append(KeyMaterial(material_id(key.id, secret), secret, CURRENT, False))
        key.__dict__["materials"] = found
    return found


def _current(key: Key) -> KeyMaterial | None:
    return next((m for m in materials(key) if m.state == CURRENT), None)


# --- Multi-Region keys with imported key material ------------------------------------------------


def sync_replica(primary: Key, replica: Key) -> None:
    """Give a replica key the primary key's materials, their states and rotations, keeping the
    replica's own import of each (a material it never imported is PENDING_IMPORT there)."""
    if replica.__dict__.get("materials") is materials(primary):
        replica.__dict__["materials"] = []
    own = {m.material_id: m for m in materials(replica)}
    synced = []
    for source in materials(primary):
        entry = own.get(source.material_id) or KeyMaterial(
            source.material_id, None, source.state, True
        )
        entry.state = source.state
        entry.rotation_date = source.rotation_date
        entry.rotation_type = source.rotation_type
        synced.append(entry)
    materials(replica)[:] = synced
    _settle(replica)


def refresh(keys: KeySet) -> None:
    """Bring every replica key of a multi-Region key with imported material up to its primary."""
    if keys.shared_import:
        for replica in keys.replicas:
            sync_replica(keys.primary, replica)


def _holds(key: Key, wanted: str) -> bool:
    return any(m.material_id == wanted and m.imported for m in materials(key))


def missing_from(keys: KeySet, material: KeyMaterial) -> list[Key]:
    """The replica keys that still have to import this material (not those pending deletion)."""
    if not keys.shared_import:
        return []
    return [
        replica
        for replica in keys.replicas
        if replica.key_state not in PENDING_DELETION_STATES
        and not _holds(replica, material.material_id)
    ]


def shown_state(keys: KeySet, material: KeyMaterial) -> str:
    """KeyMaterialState as ListKeyRotations shows it in any key of the set."""
    if material.state == PENDING_ROTATION and missing_from(keys, material):
        return PENDING_MULTI_REGION_IMPORT_AND_ROTATION
    return material.state


# --- Import tokens -----------------------------------------------------------------------------


def issue_token(
    key: Key, algorithm: str, wrapping_key_spec: str, now: datetime
) -> tuple[bytes, bytes, datetime]:
    """(import token, DER wrapping public key, valid until) for one import into ``key``."""
    private = rsa.generate_private_key(
        public_exponent=65537, key_size=RSA_WRAPPING_KEY_BITS[wrapping_key_spec]
    )
    issued: dict[str, WrappingParameters] = key.__dict__.setdefault("import_parameters", {})
    for nonce in [n for n, p in issued.items() if p.valid_to <= now]:
        del issued[nonce]
    nonce = secrets.token_hex(32)
    valid_to = now + TOKEN_VALIDITY
    issued[nonce] = WrappingParameters(private, algorithm, wrapping_key_spec, valid_to)
    public = private.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return f"{_TOKEN_PREFIX}:{key.id}:{nonce}".encode(), public, valid_to


def redeem_token(key: Key, token: bytes, now: datetime) -> WrappingParameters:
    """The wrapping parameters an import token stands for, if it is this key's and still valid."""
    try:
        prefix, key_id, nonce = token.decode("ascii").split(":")
    except (UnicodeDecodeError, ValueError):
        raise InvalidImportTokenException("The import token is not valid.") from None
    if prefix != _TOKEN_PREFIX:
        raise InvalidImportTokenException("The import token is not valid.")
    if key_id != key.id:
        raise InvalidImportTokenException(
            f"The import token is associated with another KMS key, not {key.arn}."
        )
    issued: Mapping[str, WrappingParameters] = key.__dict__.get("import_parameters", {})
    parameters = issued.get(nonce)
    if parameters is None:
        raise InvalidImportTokenException("The import token is not valid.")
    if parameters.valid_to <= now:
        raise ExpiredImportTokenException(
            "The import token expired: call GetParametersForImport again and wrap the key "
            "material with the new public key."
        )
    return parameters


def expiration(params: Mapping[str, Any], now: datetime) -> tuple[str, datetime | None]:
    """(ExpirationModel, ValidTo) of an ImportKeyMaterial request whose model is a valid one."""
    model = str(params.get("ExpirationModel") or EXPIRES)
    raw = params.get("ValidTo")
    if model == DOES_NOT_EXPIRE:
        if raw is not None:
            raise ValidationException(f"ValidTo is not valid with ExpirationModel {model}.")
        return model, None
    if raw is None:
        raise ValidationException(f"ValidTo is required when ExpirationModel is {EXPIRES}.")
    valid_to = datetime.fromtimestamp(float(raw), UTC)
    if valid_to <= now:
        raise ValidationException("ValidTo must be a date and time in the future.")
    if valid_to > now + LONGEST_VALIDITY:
        raise ValidationException(
            f"ValidTo is at most {LONGEST_VALIDITY.days} days from the request date."
        )
    return model, valid_to


# --- Import, delete, expire --------------------------------------------------------------------


@dataclass(frozen=True)
class ImportRequest:
    """The ImportKeyMaterial parameters beyond the token and the wrapped material."""

    expiration_model: str
    valid_to: datetime | None
    import_type: str | None = None
    material_id: str | None = None
    description: str | None = None


def import_material(keys: KeySet, material: Material, request: ImportRequest) -> KeyMaterial:
    """Associate (or reassociate) checked material with the key; answer its entry."""
    key = keys.key
    refresh(keys)
    found = materials(key)
    new_id = material_id(key.id, material.canonical)
    same = next((m for m in found if m.material_id == new_id), None)
    symmetric = key.key_spec == SYMMETRIC_KEY_SPEC
    if not symmetric and (request.import_type or request.material_id or request.description):
        raise ValidationException(
            "ImportType, KeyMaterialId and KeyMaterialDescription are only for symmetric "
            "encryption keys."
        )
    import_type = request.import_type or (NEW_KEY_MATERIAL if not found else EXISTING_KEY_MATERIAL)
    if keys.shared_import and keys.is_replica:
        entry = _replica_material(keys, same, new_id, request)
    elif import_type == NEW_KEY_MATERIAL:
        entry = _new_material(key, found, same, new_id, request)
    else:
        entry = _existing_material(key, same, new_id, request)
    entry.secret = material.canonical
    entry.loaded = material.private_key
    entry.expiration_model = request.expiration_model
    entry.valid_to = request.valid_to
    if request.description is not None:
        entry.description = request.description
    _settle(key)
    refresh(keys)
    return entry


def _replica_material(
    keys: KeySet, same: KeyMaterial | None, new_id: str, request: ImportRequest
) -> KeyMaterial:
    """A replica key takes only its primary key's material, and never as new key material."""
    key, primary = keys.key, keys.primary
    if request.import_type == NEW_KEY_MATERIAL:
        raise UnsupportedOperationException(
            f"{key.arn} is a replica key: new key material (ImportType {NEW_KEY_MATERIAL}) "
            f"goes into its primary key {primary.arn}; import the same key material here with "
            f"ImportType {EXISTING_KEY_MATERIAL}."
        )
    if request.material_id and request.material_id != new_id:
        raise IncorrectKeyMaterialException(
            f"The key material is not the key material {request.material_id}."
        )
    if same is None:
        raise IncorrectKeyMaterialException(
            f"The key material is not key material of the primary key {primary.arn}: a replica "
            "key takes only the key material imported into its primary key"
            + ("." if materials(primary) else ", which has none yet: import it there first.")
        )
    return same


def _new_material(
    key: Key,
    found: list[KeyMaterial],
    same: KeyMaterial | None,
    new_id: str,
    request: ImportRequest,
) -> KeyMaterial:
    if request.material_id:
        raise ValidationException(
            f"KeyMaterialId cannot be given with ImportType {NEW_KEY_MATERIAL}."
        )
    if same is not None:
        raise IncorrectKeyMaterialException(
            f"This key material is already associated with {key.arn} ({same.material_id}): "
            f"import it with ImportType {EXISTING_KEY_MATERIAL}."
        )
    if found and key.key_spec != SYMMETRIC_KEY_SPEC:
        raise IncorrectKeyMaterialException(
            f"{key.arn} is a {key.key_spec} key: it takes one key material for life."
        )
    pending = next((m for m in found if m.state == PENDING_ROTATION), None)
    if pending is not None:
        raise KMSInvalidStateException(
            f"{key.arn} already has key material pending rotation ({pending.material_id}): "
            "rotate the key, or delete that key material first."
        )
    entry = KeyMaterial(new_id, None, PENDING_ROTATION if found else CURRENT, True)
    found.append(entry)
    return entry


def _existing_material(
    key: Key, same: KeyMaterial | None, new_id: str, request: ImportRequest
) -> KeyMaterial:
    if request.material_id and request.material_id != new_id:
        raise IncorrectKeyMaterialException(
            f"The key material is not the key material {request.material_id}."
        )
    if same is None:
        raise IncorrectKeyMaterialException(
            f"The key material is not key material previously imported into {key.arn}: "
            "reimport the same key material"
            + (
                f", or import new key material with ImportType {NEW_KEY_MATERIAL}."
                if (key.key_spec == SYMMETRIC_KEY_SPEC)
                else "."
            )
        )
    return same


def delete_material(keys: KeySet, wanted: str | None) -> KeyMaterial:
    """DeleteImportedKeyMaterial: the given material, or the current one.

    Pending material deleted from a primary key leaves its replica keys too; material deleted
    from a replica key is deleted from that key only (KMS API reference,
    DeleteImportedKeyMaterial, "Considerations for multi-Region symmetric encryption keys").
    """
    key = keys.key
    refresh(keys)
    found = materials(key)
    if wanted:
        target = next((m for m in found if m.material_id == wanted), None)
        if target is None:
            raise NotFoundException(f"Key material {wanted} is not associated with {key.arn}.")
    else:
        target = _current(key)
        if target is None:
            raise KMSInvalidStateException(f"{key.arn} has no imported key material to delete.")
    _forget(key, target)
    _settle(key)
    refresh(keys)
    return target


def _forget(key: Key, material: KeyMaterial) -> None:
    if material.state == PENDING_ROTATION:
        materials(key).remove(material)
        return
    material.secret = None
    material.loaded = None
    material.valid_to = None
    material.expiration_model = None


def expire_materials(key: Key, now: datetime) -> None:
    """KMS deletes imported key material when its ValidTo passes."""
    if not is_external(key) or "materials" not in key.__dict__:
        return
    expired = [m for m in materials(key) if m.imported and m.valid_to and m.valid_to <= now]
    for material in expired:
        _forget(key, material)
    if expired:
        _settle(key)


def _settle(key: Key) -> None:
    """Give the key the material it may use, and the key state that follows from its materials."""
    current = _current(key)
    if key.key_spec == SYMMETRIC_KEY_SPEC or _kind(key) is KeyKind.HMAC:
        key.key_material = current.secret if current and current.secret else b""
    elif current is not None and current.loaded is not None:
        key.private_key = imported_key(key.key_spec, current.loaded)
    else:
        key.private_key = NoMaterial(key.key_spec)
    if not is_external(key) or key.key_state == KeyState.PENDING_DELETION:
        return
    permanent = [m for m in materials(key) if m.permanent]
    if permanent and all(m.imported for m in permanent):
        if key.key_state == KeyState.PENDING_IMPORT:
            key.key_state = KeyState.ENABLED.value
            key.enabled = True
    else:
        key.key_state = KeyState.PENDING_IMPORT.value
        key.enabled = False


def settle(key: Key) -> None:
    """After a state change made elsewhere (CancelKeyDeletion): PendingImport if material lacks."""
    if is_external(key):
        _settle(key)


# --- Rotation ----------------------------------------------------------------------------------


def primary_only(keys: KeySet, operation: str) -> None:
    """Rotation belongs to the primary key of a multi-Region key: a replica key refuses it.

    KMS API reference: RotateKeyOnDemand ("invoke the on-demand rotation on the primary Region
    key") and EnableKeyRotation ("set the property on the primary key").
    """
    if keys.is_replica:
        raise UnsupportedOperationException(
            f"{keys.key.arn} is a replica key: {operation} is done on the primary key "
            f"{keys.primary.arn}, and reaches every replica key."
        )


def rotate_on_demand(keys: KeySet, now: datetime) -> KeyMaterial:
    """RotateKeyOnDemand on a symmetric encryption key that may be used (a primary, if any)."""
    primary_only(keys, "rotation on demand")
    key = keys.key
    refresh(keys)
    found = materials(key)
    if is_external(key):
        incoming = next((m for m in found if m.state == PENDING_ROTATION), None)
        if incoming is None:
            raise KMSInvalidStateException(
                f"{key.arn} has imported key material: import new key material "
                f"(ImportType {NEW_KEY_MATERIAL}) before rotating it on demand."
            )
        missing = missing_from(keys, incoming)
        if missing:
            regions = ", ".join(replica.region for replica in missing)
            raise KMSInvalidStateException(
                f"Key material {incoming.material_id} of {key.arn} is "
                f"{PENDING_MULTI_REGION_IMPORT_AND_ROTATION}: import it "
                f"(ImportType {EXISTING_KEY_MATERIAL}) into the replica key in {regions} "
                "before rotating on demand."
            )
    else:
        secret = bytes(generate_master_key())
        incoming = KeyMaterial(material_id(key.id, secret), secret, PENDING_ROTATION, False)
        found.append(incoming)
    done = sum(1 for m in found if m.rotation_type == "ON_DEMAND")
    if done >= MAX_ON_DEMAND_ROTATIONS:
        if not is_external(key):
            found.remove(incoming)
        raise LimitExceededException(
            f"{key.arn} has been rotated on demand {done} times, the most KMS allows."
        )
    for material in found:
        if material.state == CURRENT:
            material.state = NON_CURRENT
    incoming.state = CURRENT
    incoming.rotation_date = now
    incoming.rotation_type = "ON_DEMAND"
    _settle(key)
    refresh(keys)
    for replica in keys.replicas:
        _settle(replica)  # a replica of an AWS_KMS key shares the list: it encrypts with the new
    return incoming


def rotation_entries(keys: KeySet, all_material: bool) -> list[dict[str, Any]]:
    """ListKeyRotations: the rotated materials (``all_material``: every material), oldest first."""
    key = keys.key
    refresh(keys)
    entries = []
    for material in materials(key):
        if not all_material and material.rotation_date is None:
            continue
        entry: dict[str, Any] = {
            "KeyId": key.id,
            "KeyMaterialId": material.material_id,
            "KeyMaterialState": shown_state(keys, material),
        }
        if material.rotation_date is not None:
            entry["RotationDate"] = material.rotation_date.timestamp()
            entry["RotationType"] = material.rotation_type
        if material.external:
            entry["ImportState"] = "IMPORTED" if material.imported else "PENDING_IMPORT"
            if material.expiration_model:
                entry["ExpirationModel"] = material.expiration_model
            if material.valid_to is not None:
                entry["ValidTo"] = material.valid_to.timestamp()
            if material.description:
                entry["KeyMaterialDescription"] = material.description
        entries.append(entry)
    return entries


def metadata_fields(key: Key) -> dict[str, Any]:
    """What DescribeKey adds: CurrentKeyMaterialId, and for imported material its expiry."""
    fields: dict[str, Any] = {}
    current = _current(key) if key.key_spec == SYMMETRIC_KEY_SPEC or is_external(key) else None
    if current is not None and key.key_spec == SYMMETRIC_KEY_SPEC:
        fields["CurrentKeyMaterialId"] = current.material_id
    if is_external(key):
        permanent = [m for m in materials(key) if m.permanent and m.imported]
        expiring = [m.valid_to for m in permanent if m.valid_to is not None]
        if permanent:
            fields["ExpirationModel"] = EXPIRES if expiring else DOES_NOT_EXPIRE
        if expiring:
            fields["ValidTo"] = min(expiring).timestamp()
    return fields


def decryption_secrets(key: Key) -> list[bytes]:
    """The symmetric materials a ciphertext of this key may be under, current first."""
    found = [m for m in materials(key) if m.secret is not None and m.permanent]
    found.sort(key=lambda m: m.state != CURRENT)
    return [m.secret for m in found if m.secret is not None]
