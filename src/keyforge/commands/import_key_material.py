"""keyforge import-key-material: put your own key material into a KMS key with Origin EXTERNAL.

The KMS console's "import key material" steps in one command: GetParametersForImport
(a wrapping public key and an import token), the material wrapped here with
cryptography, ImportKeyMaterial, and the key's new state. The material file holds
raw bytes for a symmetric encryption key (32 bytes; 16 in the China Regions) or an
HMAC key (HMAC_224 28-64 bytes, HMAC_256 32-64, HMAC_384 48-128, HMAC_512 64-128),
and an unencrypted PKCS#8 private key, DER or PEM, for an asymmetric key (sent as
DER; KMS derives the public key). It is checked against the key spec (length,
modulus size, curve) before anything is sent, and never written anywhere or logged.

Wrapping: RSA_AES_KEY_WRAP_SHA_256 for private keys, RSAES_OAEP_SHA_256 for symmetric
and HMAC material, under an RSA_4096 wrapping key, unless --wrapping-algorithm and
--wrapping-key-spec choose another combination KMS offers for the material.

The key material does not expire unless --valid-to gives a date (at most 365 days
ahead); once it expires, or is deleted, the key is PendingImport until the same
material is imported again. A symmetric key also takes new material with
--new-material, which waits until `keyforge rotate` makes it current.

A multi-Region key with imported material takes it key by key: KMS does not copy it to
the replicas. The first material goes into the primary key, then the same material into
each replica (--region names the replica's Region); new material (--new-material) goes
into the primary only, then the same material into every replica, and only then does
`keyforge rotate` on the primary make it current in every key (KMS API reference,
ImportKeyMaterial and RotateKeyOnDemand). After each import the command says which
Region needs which step next, asking each Region's KMS, and it refuses a step out of
order before anything is sent: new material into a replica, material into a replica
before the primary has any, or new material while earlier new material is still pending.

Credentials and Region come from the usual AWS environment and profile;
--endpoint-url (or AWS_ENDPOINT_URL) points at a local KMS. Exit status 2 for an
unknown key, a key without Origin EXTERNAL, material that does not fit the key, or a
wrapping KMS does not offer; 1 when KMS cannot be reached or refuses.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

from keyforge.command import EXIT_FAILED, EXIT_OK, CommandError
from keyforge.keys import material_set
from keyforge.keys.material import (
    AES_KEY_WRAP_ALGORITHMS,
    DEFAULT_WRAPPING_KEY_SPEC,
    DOES_NOT_EXPIRE,
    EXPIRES,
    LONGEST_VALIDITY,
    NEW_KEY_MATERIAL,
    RSA_WRAPPING_KEY_BITS,
    SM2_WRAPPING_KEY_SPEC,
    SM2PKE,
    WRAPPING_ALGORITHMS,
    WRAPPING_KEY_SPECS,
    Material,
    MaterialError,
    check_material,
    default_wrapping,
    looks_like_text,
    oaep_capacity,
    wrap,
    wrapping_problem,
)
from keyforge.keys.public_keys import PublicKeyError, check_public_key
from keyforge.kms_client import (
    INPUT_ERRORS,
    add_aws_arguments,
    add_key_argument,
    describe,
    kms_client,
    kms_errors,
)
from keyforge_kms_key.keyspecs import (
    DEFAULT_ORIGIN,
    KEY_SPECS,
    SYMMETRIC_KEY_SPEC,
    KeyKind,
    KeyState,
    Origin,
)

IMPORT_ERRORS = (*INPUT_ERRORS, "IncorrectKeyMaterialException", "UnsupportedOperationException")


@dataclass(frozen=True)
class ImportOptions:
    wrapping_algorithm: str | None = None
    wrapping_key_spec: str | None = None
    valid_to: datetime | None = None
    new_material: bool = False
    description: str | None = None


@dataclass(frozen=True)
class ImportResult:
    """What happened, for the report."""

    key_arn: str
    key_spec: str
    summary: str
    wrapping_algorithm: str
    wrapping_key_spec: str
    valid_to: datetime | None
    key_state: str
    key_material_id: str | None
    pending_rotation: bool
    guidance: tuple[str, ...] = ()
    """For a multi-Region key: what each Region needs next."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_key_argument(parser)
    parser.add_argument(
        "--material", type=Path, required=True, metavar="FILE", help="the key material"
    )
    parser.add_argument(
        "--wrapping-algorithm",
        choices=WRAPPING_ALGORITHMS,
        metavar="ALGORITHM",
        help=f"one of {', '.join(WRAPPING_ALGORITHMS)} (default: by key type, see above)",
    )
    parser.add_argument(
        "--wrapping-key-spec",
        choices=WRAPPING_KEY_SPECS,
        metavar="SPEC",
        help=f"one of {', '.join(WRAPPING_KEY_SPECS)} (default: {DEFAULT_WRAPPING_KEY_SPEC})",
    )
    parser.add_argument(
        "--valid-to",
        type=valid_to_argument,
        metavar="WHEN",
        help="when the key material expires: YYYY-MM-DD or an ISO 8601 time (default: never)",
    )
    parser.add_argument(
        "--new-material",
        action="store_true",
        help="symmetric keys: new key material for an on-demand rotation (ImportType "
        "NEW_KEY_MATERIAL); without it, the material must be the key's own",
    )
    parser.add_argument(
        "--description", metavar="TEXT", help="symmetric keys: a description of this material"
    )
    add_aws_arguments(parser)


def valid_to_argument(text: str) -> datetime:
    """--valid-to: a date (its start, UTC) or an ISO 8601 time (UTC unless it says otherwise)."""
    try:
        if len(text) == len("YYYY-MM-DD"):
            return datetime.combine(date.fromisoformat(text), time(), UTC)
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a date (YYYY-MM-DD) or an ISO 8601 time"
        ) from None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


# --- What to ask for: pure ---------------------------------------------------------------------


def check_for_import(data: bytes, key_spec: str, region: str | None) -> Material:
    """The material, checked against the key spec as KMS will check it, and more."""
    info = KEY_SPECS.get(key_spec)
    raw = info is not None and info.kind is not KeyKind.ASYMMETRIC
    if raw and looks_like_text(data):
        raise MaterialError(
            f"this is text, not {key_spec} key material: KMS imports the raw bytes; decode "
            "hex or base64 first (xxd -r -p, base64 -d)"
        )
    return check_material(data, key_spec, region)


def choose_wrapping(key_spec: str, region: str | None, options: ImportOptions) -> tuple[str, str]:
    """(wrapping algorithm, wrapping key spec): the options, the defaults, checked."""
    algorithm, wrapping_key_spec = default_wrapping(key_spec, region)
    if options.wrapping_algorithm is not None:
        algorithm = options.wrapping_algorithm
        if options.wrapping_key_spec is None and algorithm == SM2PKE:
            wrapping_key_spec = SM2_WRAPPING_KEY_SPEC
    wrapping_key_spec = options.wrapping_key_spec or wrapping_key_spec
    if options.wrapping_algorithm is None and options.wrapping_key_spec == SM2_WRAPPING_KEY_SPEC:
        algorithm = SM2PKE
    problem = wrapping_problem(key_spec, algorithm, wrapping_key_spec, region)
    if problem is not None:
        raise CommandError(problem)
    if algorithm == SM2PKE:
        raise CommandError(
            "SM2PKE wrapping is not available here (cryptography has no SM2 encryption): "
            "use --wrapping-algorithm RSAES_OAEP_SHA_256"
        )
    return algorithm, wrapping_key_spec


def check_fits(material: Material, algorithm: str, wrapping_key_spec: str) -> None:
    """Material that RSAES-OAEP cannot carry under that wrapping key is refused now."""
    if algorithm in AES_KEY_WRAP_ALGORITHMS:
        return
    capacity = oaep_capacity(RSA_WRAPPING_KEY_BITS[wrapping_key_spec], algorithm)
    if len(material.plaintext) > capacity:
        raise CommandError(
            f"{len(material.plaintext)} bytes of key material do not fit {algorithm} under an "
            f"{wrapping_key_spec} wrapping key (at most {capacity}): use a longer wrapping key "
            "or an RSA_AES_KEY_WRAP algorithm"
        )


def check_options(key_spec: str, options: ImportOptions, now: datetime) -> None:
    if key_spec != SYMMETRIC_KEY_SPEC and (options.new_material or options.description is not None):
        raise CommandError(
            "--new-material and --description are for symmetric encryption keys: "
            f"{key_spec} keys take one key material for life"
        )
    if options.valid_to is not None:
        if options.valid_to <= now:
            raise CommandError(f"--valid-to {options.valid_to.isoformat()} is not in the future")
        if options.valid_to > now + LONGEST_VALIDITY:
            raise CommandError(
                f"--valid-to {options.valid_to.isoformat()} is more than "
                f"{LONGEST_VALIDITY.days} days ahead: KMS allows at most that"
            )


def import_request(options: ImportOptions, token: bytes, wrapped: bytes) -> dict[str, Any]:
    """ImportKeyMaterial's parameters besides KeyId."""
    request: dict[str, Any] = {"ImportToken": token, "EncryptedKeyMaterial": wrapped}
    if options.valid_to is None:
        request["ExpirationModel"] = DOES_NOT_EXPIRE
    else:
        request["ExpirationModel"] = EXPIRES
        request["ValidTo"] = options.valid_to
    if options.new_material:
        request["ImportType"] = NEW_KEY_MATERIAL
    if options.description is not None:
        request["KeyMaterialDescription"] = options.description
    return request


# --- The calls ---------------------------------------------------------------------------------


def check_set_import(
    key: str, keys: material_set.KeySet, region: str, options: ImportOptions
) -> None:
    """Refuse an import into a multi-Region key that KMS takes only in another order."""
    primary = keys.primary
    here = keys.in_region(region)
    if here is None:
        return
    if not here.primary:
        if options.new_material:
            step = material_set.Step(material_set.Action.IMPORT_NEW_INTO_PRIMARY, primary)
            raise CommandError(
                f"{key}: {here.name} takes no new key material: "
                f"{material_set.step_sentence(keys, step)}, then the same key material into "
                "each replica"
            )
        if keys.symmetric and not primary.materials:
            step = material_set.Step(material_set.Action.FIRST_IMPORT, primary)
            raise CommandError(
                f"{key}: {primary.name} has no key material yet: "
                f"{material_set.step_sentence(keys, step)}, then the same key material into "
                f"{here.name}"
            )
        return
    pending = keys.pending
    if options.new_material and pending is not None:
        upcoming = next(
            (
                step
                for step in material_set.next_steps(keys)
                if step.action in (material_set.Action.IMPORT_NEW, material_set.Action.ROTATE)
            ),
            None,
        )
        then = f": {material_set.step_sentence(keys, upcoming)}" if upcoming else ""
        raise CommandError(
            f"{key}: new key material {pending.material_id} is already pending in "
            f"{primary.name}{then}; or delete it (DeleteImportedKeyMaterial) first"
        )


def import_key_material(
    client: Any,
    key: str,
    data: bytes,
    options: ImportOptions | None = None,
    regional: material_set.Regional | None = None,
) -> ImportResult:
    """Check, wrap and import ``data`` into ``key``; MaterialError if it is not its material.

    ``regional`` gives a KMS client for each other Region of a multi-Region key (by default,
    the default AWS session's).
    """
    from cryptography.hazmat.primitives import serialization

    options = options or ImportOptions()
    metadata = describe(client, key)
    key_spec, origin = str(metadata["KeySpec"]), metadata.get("Origin", DEFAULT_ORIGIN.value)
    region = client.meta.region_name
    if origin != Origin.EXTERNAL:
        raise CommandError(
            f"{key} has Origin {origin}: only keys created with Origin EXTERNAL take imported "
            "key material"
        )
    if metadata.get("KeyState") == KeyState.PENDING_DELETION:
        raise CommandError(f"{key} is pending deletion: cancel the deletion first")
    check_options(key_spec, options, datetime.now(UTC))
    material = check_for_import(data, key_spec, region)
    algorithm, wrapping_key_spec = choose_wrapping(key_spec, region, options)
    check_fits(material, algorithm, wrapping_key_spec)
    keys = None
    if material_set.is_multi_region_import(metadata):
        regional = regional or material_set.default_clients(client)
        keys = material_set.survey(metadata, regional, key)
        check_set_import(key, keys, region, options)

    with kms_errors(key, IMPORT_ERRORS):
        parameters = client.get_parameters_for_import(
            KeyId=key, WrappingAlgorithm=algorithm, WrappingKeySpec=wrapping_key_spec
        )
    try:
        checked = check_public_key(parameters["PublicKey"], wrapping_key_spec)
    except PublicKeyError as error:
        raise CommandError(
            f"{key}: KMS answered a wrapping key that is not {wrapping_key_spec}: {error}",
            EXIT_FAILED,
        ) from None
    wrapping_key: Any = serialization.load_der_public_key(checked.der)
    wrapped = wrap(material.plaintext, wrapping_key, algorithm)
    try:
        with kms_errors(key, IMPORT_ERRORS):
            answer = client.import_key_material(
                KeyId=key, **import_request(options, parameters["ImportToken"], wrapped)
            )
    except CommandError as error:
        if keys is None or "IncorrectKeyMaterialException" not in error.message:
            raise
        here = keys.in_region(region)
        if here is None or here.primary:
            raise
        raise CommandError(
            f"{error.message} ({here.name} takes only the key material imported into "
            f"{keys.primary.name}: import the same key material file)",
            error.exit_code,
        ) from None
    after = describe(client, key)
    guidance: tuple[str, ...] = ()
    if keys is not None and regional is not None:
        guidance = tuple(material_set.guidance(key, material_set.survey(after, regional, key)))
    return ImportResult(
        key_arn=str(after.get("Arn", key)),
        key_spec=key_spec,
        summary=material.summary,
        wrapping_algorithm=algorithm,
        wrapping_key_spec=wrapping_key_spec,
        valid_to=options.valid_to,
        key_state=str(after.get("KeyState")),
        key_material_id=answer.get("KeyMaterialId"),
        pending_rotation=options.new_material,
        guidance=guidance,
    )


def report(key: str, result: ImportResult) -> list[str]:
    expiry = (
        f"the key material expires {result.valid_to.isoformat()}"
        if result.valid_to is not None
        else "the key material does not expire"
    )
    lines = [
        f"{key}: imported {result.key_spec} key material ({result.summary}), wrapped with "
        f"{result.wrapping_algorithm} under an {result.wrapping_key_spec} wrapping key; "
        f"key state {result.key_state}; {expiry}"
    ]
    if result.pending_rotation and result.guidance:
        lines.append(f"{key}: new key material {result.key_material_id} is pending rotation")
    elif result.pending_rotation:
        lines.append(
            f"{key}: new key material {result.key_material_id} is pending rotation: "
            f"'keyforge rotate {key}' makes it current"
        )
    elif result.key_material_id:
        lines.append(f"{key}: key material {result.key_material_id}")
    return lines + list(result.guidance)


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except IsADirectoryError:
        raise CommandError(f"{path}: is a directory, not a key material file") from None
    except OSError as error:
        raise CommandError(f"cannot read {path}: {error.strerror}") from None


def run(args: argparse.Namespace) -> int:
    options = ImportOptions(
        wrapping_algorithm=args.wrapping_algorithm,
        wrapping_key_spec=args.wrapping_key_spec,
        valid_to=args.valid_to,
        new_material=args.new_material,
        description=args.description,
    )
    data = _read(args.material)
    client = kms_client(args)
    try:
        result = import_key_material(
            client, args.key, data, options, material_set.command_clients(args, client)
        )
    except MaterialError as error:
        raise CommandError(f"{args.material}: {error}") from None
    for line in report(args.key, result):
        print(line)
    return EXIT_OK
