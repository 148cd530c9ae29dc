"""Each KMS fact and type name is written in one module of src/, and the others import it.

The source is read with `ast`: a string literal (docstrings aside: they are prose) that
states one of the facts below anywhere but in its home fails. schema.json and the generated
models.py and schema_validators.py are not Python written by hand and are left out.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, mlkem
from kyber_py.ml_kem import ML_KEM_512

from keyforge.embedded_kms import der
from keyforge.keys import crypto_facts
from keyforge_kms_key import keyspecs

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "src"
GENERATED = {SOURCE / "keyforge_kms_key" / name for name in ("models.py", "schema_validators.py")}

KEYSPECS = "keyforge_kms_key/keyspecs.py"
CRYPTO_FACTS = "keyforge/keys/crypto_facts.py"
MATERIAL = "keyforge/keys/material.py"
LINT_RESOLVE = "keyforge_lint/_resolve.py"
SPKI = (serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)

# Text that is a fact wherever it appears inside a literal, even within a message.
CONTAINED: dict[str, str] = {
    "alias/aws/": KEYSPECS,
    "SYMMETRIC_DEFAULT": KEYSPECS,
    r"\$\{([^!}][^}]*)\}": LINT_RESOLVE,
    r"(?P<body>[A-Za-z0-9+/=\s]*?)": CRYPTO_FACTS,
    **{oid: CRYPTO_FACTS for oid in ("1.2.840.113549.1.1.1", "1.2.840.10045.2.1", "1.3.101.112")},
    crypto_facts.ID_SM2_CURVE: CRYPTO_FACTS,
    **{oid: CRYPTO_FACTS for _, oid in crypto_facts.EC_CURVES.values()},
    **{parameters.oid: CRYPTO_FACTS for parameters in crypto_facts.ML_KEM.values()},
    **{parameters.oid: CRYPTO_FACTS for parameters in crypto_facts.ML_DSA.values()},
}
# Names that are a fact when a literal is exactly them (as words in a message they are prose).
EXACT: dict[str, str] = {
    **{usage.value: KEYSPECS for usage in keyspecs.KeyUsage},
    **{origin.value: KEYSPECS for origin in keyspecs.Origin},
    **dict.fromkeys(keyspecs.CUSTOM_KEY_STORE_ORIGINS, KEYSPECS),
    # Enabled and Disabled are property names too: only the other states are held here.
    "PendingImport": KEYSPECS,
    "PendingDeletion": KEYSPECS,
    "PendingReplicaDeletion": KEYSPECS,
    "Keyforge::KMS::Key": KEYSPECS,
    "AWS::KMS::Key": KEYSPECS,
    "AWS::KMS::Alias": KEYSPECS,
    "alias/": KEYSPECS,
    "KEY_MATERIAL_EXPIRES": MATERIAL,
    "KEY_MATERIAL_DOES_NOT_EXPIRE": MATERIAL,
    "NEW_KEY_MATERIAL": MATERIAL,
    "EXISTING_KEY_MATERIAL": MATERIAL,
    "PENDING_ROTATION": MATERIAL,
    "ALL_KEY_MATERIAL": MATERIAL,
    "ROTATIONS_ONLY": MATERIAL,
    "PUBLIC KEY": "keyforge_kms_key/readback.py",
}


def _docstrings(tree: ast.Module) -> set[int]:
    """The string statements of a tree: docstrings of modules, classes, functions, attributes."""
    return {
        id(node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
    }


@cache
def literals() -> tuple[tuple[str, int, str], ...]:
    """(module, line, text) of every string literal in src/ that is not a docstring."""
    found = []
    for path in sorted(SOURCE.rglob("*.py")):
        if path in GENERATED:
            continue
        tree = ast.parse(path.read_text(), str(path))
        docstrings = _docstrings(tree)
        module = path.relative_to(SOURCE).as_posix()
        for node in ast.walk(tree):
            if not isinstance(node, ast.Constant) or id(node) in docstrings:
                continue
            if isinstance(node.value, str):
                found.append((module, node.lineno, node.value))
            elif isinstance(node.value, bytes):
                found.append((module, node.lineno, node.value.decode("latin-1")))
    return tuple(found)


def _places(fact: str, *, exact: bool) -> Iterator[str]:
    for module, line, text in literals():
        if text == fact if exact else fact in text:
            yield f"{module}:{line}"


@pytest.mark.parametrize(("fact", "home"), sorted(CONTAINED.items()))
def test_a_fact_written_inside_text_is_written_in_its_home_only(fact: str, home: str) -> None:
    places = list(_places(fact, exact=False))
    assert places, f"{fact!r} is written nowhere: is {home} still its home?"
    assert {place.rsplit(":", 1)[0] for place in places} == {home}, places


@pytest.mark.parametrize(("fact", "home"), sorted(EXACT.items()))
def test_a_name_is_written_in_its_home_only(fact: str, home: str) -> None:
    places = list(_places(fact, exact=True))
    assert places, f"{fact!r} is written nowhere: is {home} still its home?"
    assert {place.rsplit(":", 1)[0] for place in places} == {home}, places


def test_the_scan_sees_literals_in_messages_and_skips_docstrings() -> None:
    tree = ast.parse('"""alias/aws/ in a docstring"""\nx = f"outside {y} alias/aws/"\n')
    docstrings = _docstrings(tree)
    texts = [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and id(node) not in docstrings
    ]
    assert [text for text in texts if "alias/aws/" in text] == [" alias/aws/"]


# --- The cryptographic facts agree with the libraries that implement them ---------------------


@pytest.mark.parametrize("spec", ["ML_KEM_768", "ML_KEM_1024"])
def test_ml_kem_sizes_are_cryptographys(spec: str) -> None:
    parameters = crypto_facts.ML_KEM[spec]
    assert parameters.private_key_type is not None
    private = parameters.private_key_type.generate()
    public = private.public_key()
    assert isinstance(public, mlkem.MLKEM768PublicKey | mlkem.MLKEM1024PublicKey)
    assert len(public.public_bytes_raw()) == parameters.encapsulation_key_bytes
    _, ciphertext = public.encapsulate()
    assert len(ciphertext) == parameters.ciphertext_bytes
    assert der.oid(parameters.oid) in public.public_bytes(*SPKI)[:20]


def test_ml_kem_512_sizes_are_fips_203s() -> None:
    parameters = crypto_facts.ML_KEM["ML_KEM_512"]
    encapsulation_key, _ = ML_KEM_512.keygen()
    _, ciphertext = ML_KEM_512.encaps(encapsulation_key)
    assert (len(encapsulation_key), len(ciphertext)) == (
        parameters.encapsulation_key_bytes,
        parameters.ciphertext_bytes,
    )
    prefix = crypto_facts.ML_KEM_512_SEED_PKCS8_PREFIX
    assert der.oid(parameters.oid) in prefix


@pytest.mark.parametrize("spec", sorted(crypto_facts.ML_DSA))
def test_ml_dsa_oids_are_cryptographys(spec: str) -> None:
    parameters = crypto_facts.ML_DSA[spec]
    public = parameters.private_key_type.generate().public_key()
    assert isinstance(public, parameters.public_key_type)
    assert der.oid(parameters.oid) in public.public_bytes(*SPKI)[:20]


@pytest.mark.parametrize("spec", sorted(crypto_facts.EC_CURVES))
def test_curve_oids_are_cryptographys(spec: str) -> None:
    curve, oid = crypto_facts.EC_CURVES[spec]
    public = ec.generate_private_key(curve()).public_key().public_bytes(*SPKI)
    assert der.oid(crypto_facts.ID_EC_PUBLIC_KEY) + der.oid(oid) in public


def test_every_ecc_key_spec_but_edwards_has_a_curve() -> None:
    ecc = {name for name in keyspecs.KEY_SPECS if name.startswith("ECC_")}
    assert set(crypto_facts.EC_CURVES) == ecc - {"ECC_NIST_EDWARDS25519"}


def test_every_ml_key_spec_has_its_parameters() -> None:
    names = set(keyspecs.KEY_SPECS)
    assert set(crypto_facts.ML_KEM) == {name for name in names if name.startswith("ML_KEM_")}
    assert set(crypto_facts.ML_DSA) == {name for name in names if name.startswith("ML_DSA_")}
