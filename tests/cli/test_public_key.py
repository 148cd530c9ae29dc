"""`keyforge public-key` against moto in server mode, with the RSA and ECC keys moto makes."""

from __future__ import annotations

import logging
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from moto.server import ThreadedMotoServer

from keyforge.cli import main
from keyforge.command import CommandError
from keyforge.commands.public_key import fetch
from keyforge.keys.public_keys import check_public_key, pem_to_der
from tests.cli.helpers import (
    CREDENTIALS,
    KEYFORGE,
    MESSAGE,
    create,
    kms_client,
    run_public_key,
)

pytestmark = pytest.mark.usefixtures("aws_environment")


@pytest.fixture(scope="module")
def moto_url() -> Iterator[str]:
    werkzeug = logging.getLogger("werkzeug")
    level = werkzeug.level
    werkzeug.setLevel(logging.ERROR)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()
        werkzeug.setLevel(level)


@pytest.mark.parametrize(
    ("key_spec", "key_usage", "algorithm"),
    [
        ("RSA_2048", "SIGN_VERIFY", "RSASSA_PKCS1_V1_5_SHA_256"),
        ("ECC_NIST_P256", "SIGN_VERIFY", "ECDSA_SHA_256"),
        ("ECC_NIST_P384", "SIGN_VERIFY", "ECDSA_SHA_384"),
        ("ECC_NIST_P521", "SIGN_VERIFY", "ECDSA_SHA_512"),
        ("ECC_SECG_P256K1", "SIGN_VERIFY", "ECDSA_SHA_256"),
    ],
)
def test_the_pem_written_verifies_what_the_key_signs_in_kms(
    capsys: pytest.CaptureFixture[str], moto_url: str, key_spec: str, key_usage: str, algorithm: str
) -> None:
    key_id = create(moto_url, key_spec, key_usage)["KeyId"]
    code, out, err = run_public_key(capsys, moto_url, key_id)
    assert (code, err) == (0, [])
    assert out.startswith("-----BEGIN PUBLIC KEY-----\n")
    loaded = serialization.load_pem_public_key(out.encode())

    signature = kms_client(moto_url).sign(
        KeyId=key_id, Message=MESSAGE, MessageType="RAW", SigningAlgorithm=algorithm
    )["Signature"]
    digest = {"256": hashes.SHA256(), "384": hashes.SHA384(), "512": hashes.SHA512()}[
        algorithm[-3:]
    ]
    if isinstance(loaded, rsa.RSAPublicKey):
        assert loaded.key_size == 2048
        loaded.verify(signature, MESSAGE, padding.PKCS1v15(), digest)
    else:
        assert isinstance(loaded, ec.EllipticCurvePublicKey)
        loaded.verify(signature, MESSAGE, ec.ECDSA(digest))


def test_der_to_a_file_is_exactly_what_kms_returns(
    capsys: pytest.CaptureFixture[str], moto_url: str, tmp_path: Path
) -> None:
    key_id = create(moto_url, "RSA_3072", "ENCRYPT_DECRYPT")["KeyId"]
    output = tmp_path / "key.der"
    code, out, err = run_public_key(capsys, moto_url, key_id, "--der", "-o", str(output))
    assert (code, out) == (0, "")
    assert err == [f"{output}: RSA 3072-bit public key of {key_id} (RSA_3072), DER"]
    assert output.read_bytes() == kms_client(moto_url).get_public_key(KeyId=key_id)["PublicKey"]


def test_a_key_is_found_by_alias_name_and_by_arn(
    capsys: pytest.CaptureFixture[str], moto_url: str, tmp_path: Path
) -> None:
    metadata = create(moto_url, "ECC_NIST_P256", "KEY_AGREEMENT")
    kms_client(moto_url).create_alias(AliasName="alias/agreement", TargetKeyId=metadata["KeyId"])
    by_id = run_public_key(capsys, moto_url, metadata["KeyId"])
    by_alias = run_public_key(capsys, moto_url, "alias/agreement")
    by_arn = run_public_key(
        capsys, moto_url, metadata["Arn"], "--pem", "-o", str(tmp_path / "k.pem")
    )
    assert by_id[0] == by_alias[0] == by_arn[0] == 0
    assert by_id[1] == by_alias[1] == (tmp_path / "k.pem").read_text()


@pytest.mark.parametrize(
    ("key_spec", "key_usage", "kind"),
    [
        ("SYMMETRIC_DEFAULT", "ENCRYPT_DECRYPT", "symmetric"),
        ("HMAC_256", "GENERATE_VERIFY_MAC", "hmac"),
    ],
)
def test_a_symmetric_or_hmac_key_is_a_clear_error(
    capsys: pytest.CaptureFixture[str], moto_url: str, key_spec: str, key_usage: str, kind: str
) -> None:
    key_id = create(moto_url, key_spec, key_usage)["KeyId"]
    assert run_public_key(capsys, moto_url, key_id) == (
        2,
        "",
        [
            f"keyforge public-key: {key_id} is a {key_spec} key ({kind}): "
            "only asymmetric KMS keys have a public key"
        ],
    )


def test_an_unknown_key_is_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], moto_url: str
) -> None:
    code, out, err = run_public_key(capsys, moto_url, "alias/no-such-key")
    assert (code, out, len(err)) == (2, "", 1)
    assert err[0].startswith("keyforge public-key: alias/no-such-key: KMS NotFoundException: ")


def test_an_unreachable_kms_is_one_line_and_exit_1(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    code, out, err = run_public_key(capsys, f"http://127.0.0.1:{port}", "alias/any")
    assert (code, out) == (1, "")
    assert err == [
        "keyforge public-key: cannot reach KMS: Could not connect to the endpoint URL: "
        f'"http://127.0.0.1:{port}/"'
    ]


def test_without_a_region_it_says_how_to_give_one(
    capsys: pytest.CaptureFixture[str], moto_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("AWS_DEFAULT_REGION")
    monkeypatch.delenv("AWS_REGION", raising=False)
    assert run_public_key(capsys, moto_url, "alias/any") == (
        2,
        "",
        ["keyforge public-key: no AWS Region: pass --region or set AWS_DEFAULT_REGION"],
    )


def test_an_unwritable_output_is_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], moto_url: str, tmp_path: Path
) -> None:
    key_id = create(moto_url, "ECC_NIST_P256", "SIGN_VERIFY")["KeyId"]
    target = tmp_path / "missing" / "key.pem"
    assert run_public_key(capsys, moto_url, key_id, "-o", str(target)) == (
        2,
        "",
        [f"keyforge public-key: cannot write {target}: No such file or directory"],
    )


def test_der_is_not_written_to_a_terminal(
    capsys: pytest.CaptureFixture[str], moto_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    assert run_public_key(capsys, moto_url, "alias/any", "--der") == (
        2,
        "",
        ["keyforge public-key: DER is binary: write it to a file with -o FILE, or pipe it"],
    )


def test_pem_and_der_together_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["public-key", "alias/any", "--pem", "--der"]) == 2
    assert capsys.readouterr().err.splitlines() == [
        "keyforge public-key: argument --der: not allowed with argument --pem "
        "(see 'keyforge public-key --help')"
    ]


class _Answering:
    """A KMS client that answers GetPublicKey with what it is given."""

    def __init__(self, answer: dict[str, Any]) -> None:
        self.answer = answer

    def get_public_key(self, KeyId: str) -> dict[str, Any]:
        return self.answer


def test_a_public_key_that_does_not_match_its_key_spec_is_not_written() -> None:
    p384 = ec.generate_private_key(ec.SECP384R1()).public_key()
    der = p384.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    client = _Answering({"KeySpec": "ECC_NIST_P256", "PublicKey": der})
    with pytest.raises(CommandError) as raised:
        fetch(client, "key-1")
    assert raised.value.exit_code == 1
    assert raised.value.message == (
        "key-1: KMS answered a public key that is not a ECC_NIST_P256 key: "
        "expected curve secp256r1, found secp384r1"
    )


def test_run_as_a_user_runs_it(moto_url: str, tmp_path: Path) -> None:
    key_id = create(moto_url, "ECC_NIST_P256", "SIGN_VERIFY")["KeyId"]
    environment = {
        name: value for name, value in os.environ.items() if not name.startswith("AWS_")
    } | CREDENTIALS
    completed = subprocess.run(
        [str(KEYFORGE), "public-key", key_id, "--region", "us-east-1", "--endpoint-url", moto_url],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env=environment | {"AWS_CONFIG_FILE": os.devnull},
    )
    assert completed.returncode == 0, completed.stderr
    assert check_public_key(pem_to_der(completed.stdout), "ECC_NIST_P256").summary == (
        "EC secp256r1"
    )
