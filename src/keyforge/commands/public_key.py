"""keyforge public-key: download a KMS key's public key (GetPublicKey), checked, as PEM or DER.

The key is named as KMS accepts it: key id, key ARN, alias name (alias/...) or
alias ARN. Before anything is written, the public key must load as a key of
the key spec KMS reports (RSA of that size, that elliptic curve, Ed25519,
ML-DSA, ML-KEM; for ML-KEM-512 and SM2 a well-formed SubjectPublicKeyInfo).
Credentials and Region come from the usual AWS environment and profile;
--endpoint-url (or AWS_ENDPOINT_URL) points at a local KMS.

Exit status 2 for an unknown key, a symmetric or HMAC key, or no Region or
credentials; 1 when KMS cannot be reached, refuses, or answers a public key
that is not of the key's spec (nothing is written then).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from keyforge.command import EXIT_FAILED, EXIT_OK, CommandError
from keyforge.keys.public_keys import CheckedPublicKey, PublicKeyError, check_public_key
from keyforge.kms_client import (
    add_aws_arguments,
    add_key_argument,
    error_code,
    kms_client,
    kms_errors,
)
from keyforge_kms_key.keyspecs import KEY_SPECS


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_key_argument(parser)
    form = parser.add_mutually_exclusive_group()
    form.add_argument(
        "--pem", dest="form", action="store_const", const="pem", help="PEM text (the default)"
    )
    form.add_argument(
        "--der", dest="form", action="store_const", const="der", help="DER bytes (binary)"
    )
    parser.set_defaults(form="pem")
    parser.add_argument("-o", "--output", type=Path, metavar="FILE", help="write here, not stdout")
    add_aws_arguments(parser)


def _key_spec_of(client: Any, key: str) -> str | None:
    """The key's KeySpec from DescribeKey, or None when that cannot be asked."""
    import botocore.exceptions

    try:
        metadata = client.describe_key(KeyId=key)["KeyMetadata"]
    except botocore.exceptions.ClientError:
        return None
    spec = metadata.get("KeySpec") or metadata.get("CustomerMasterKeySpec")
    return str(spec) if spec else None


def _no_public_key(key: str, key_spec: str | None) -> CommandError:
    info = KEY_SPECS.get(key_spec or "")
    what = f"a {key_spec} key ({info.kind.value})" if info else "not an asymmetric key"
    return CommandError(f"{key} is {what}: only asymmetric KMS keys have a public key")


def fetch(client: Any, key: str) -> CheckedPublicKey:
    """GetPublicKey, checked against the key spec KMS reports; CommandError says what went wrong."""
    import botocore.exceptions

    with kms_errors(key):
        try:
            answer = client.get_public_key(KeyId=key)
        except botocore.exceptions.ClientError as error:
            if error_code(error) == "UnsupportedOperationException":
                raise _no_public_key(key, _key_spec_of(client, key)) from None
            raise

    # Older answers (and moto) carry only CustomerMasterKeySpec.
    key_spec = str(answer.get("KeySpec") or answer.get("CustomerMasterKeySpec") or "")
    info = KEY_SPECS.get(key_spec)
    if info is None or not info.has_public_key:
        raise _no_public_key(key, key_spec or None)
    try:
        return check_public_key(answer["PublicKey"], key_spec)
    except PublicKeyError as error:
        raise CommandError(
            f"{key}: KMS answered a public key that is not a {key_spec} key: {error}", EXIT_FAILED
        ) from None


def _write(data: bytes, output: Path | None) -> None:
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    try:
        output.write_bytes(data)
    except OSError as error:
        raise CommandError(f"cannot write {output}: {error.strerror}") from None


def run(args: argparse.Namespace) -> int:
    if args.form == "der" and args.output is None and sys.stdout.isatty():
        raise CommandError("DER is binary: write it to a file with -o FILE, or pipe it")
    public_key = fetch(kms_client(args), args.key)
    data = public_key.der if args.form == "der" else public_key.pem.encode("ascii")
    _write(data, args.output)
    if args.output is not None:
        print(
            f"{args.output}: {public_key.summary} public key of {args.key} "
            f"({public_key.key_spec}), {args.form.upper()}",
            file=sys.stderr,
        )
    return EXIT_OK
