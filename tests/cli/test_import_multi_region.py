"""`keyforge import-key-material` and `keyforge rotate` through a multi-Region key with imported
key material, against the embedded KMS over HTTP, one Region after another (--region).

The order is the KMS API reference's (ImportKeyMaterial, RotateKeyOnDemand): key material
into the primary key, the same material into each replica; new material into the primary
only, the same material into every replica, then the rotation on the primary. Each command
says which Region needs which step next, and refuses a step out of order with the Region and
the step that comes first.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from keyforge import embedded_kms
from keyforge.keys.material import generate_material
from tests.cli.helpers import kms_client, run_keyforge
from tests.embedded import key_state

pytestmark = pytest.mark.usefixtures("aws_environment")
PRIMARY = "us-east-1"
EU, AP = "eu-west-1", "ap-southeast-2"
FAST = ("--wrapping-key-spec", "RSA_2048")
MESSAGE = b"the same key in every Region"


def keyforge(
    capsys: pytest.CaptureFixture[str], url: str, *args: str
) -> tuple[int, list[str], list[str]]:
    completed = run_keyforge(capsys, *args, "--endpoint-url", url)
    return completed.returncode, completed.stdout.splitlines(), completed.stderr.splitlines()


def material_file(tmp_path: Path, name: str, spec: str = "SYMMETRIC_DEFAULT") -> str:
    path = tmp_path / name
    path.write_bytes(generate_material(spec))
    return str(path)


def multi_region(
    served_kms: Any, *regions: str, spec: str = "SYMMETRIC_DEFAULT", origin: str = "EXTERNAL"
) -> str:
    usage = "GENERATE_VERIFY_MAC" if spec.startswith("HMAC") else "ENCRYPT_DECRYPT"
    key_id: str = served_kms.create_key(
        KeySpec=spec, KeyUsage=usage, Origin=origin, MultiRegion=True
    )["KeyMetadata"]["KeyId"]
    for region in regions:
        served_kms.replicate_key(KeyId=key_id, ReplicaRegion=region)
    return key_id


class Flow:
    """The commands of one test, in any Region of the embedded KMS."""

    def __init__(self, capsys: pytest.CaptureFixture[str], url: str, key_id: str) -> None:
        self.capsys, self.url, self.key_id = capsys, url, key_id

    def import_(self, region: str, path: str, *extra: str) -> tuple[int, list[str], list[str]]:
        return keyforge(
            self.capsys,
            self.url,
            "import-key-material",
            self.key_id,
            "--material",
            path,
            "--region",
            region,
            *FAST,
            *extra,
        )

    def rotate(self, region: str = PRIMARY) -> tuple[int, list[str], list[str]]:
        return keyforge(self.capsys, self.url, "rotate", self.key_id, "--region", region)

    def import_command(self, region: str) -> str:
        return f"keyforge import-key-material {self.key_id} --material FILE --region {region}"

    def rotate_command(self) -> str:
        return f"keyforge rotate {self.key_id} --region {PRIMARY}"

    def same_into(self, region: str) -> str:
        return (
            f"{self.key_id}: import the same key material into {region} (replica) next "
            f"({self.import_command(region)})"
        )

    def same_new_into(self, region: str, material_id: str) -> str:
        return (
            f"{self.key_id}: import the same new key material ({material_id}) into {region} "
            f"(replica) next ({self.import_command(region)})"
        )


def refused(
    answer: tuple[int, list[str], list[str]], command: str, *fragments: str
) -> tuple[int, list[str], list[str]]:
    """Exit 2, nothing on stdout, one line on stderr that holds every fragment."""
    code, out, err = answer
    assert (code, out, len(err)) == (2, [], 1), answer
    assert err[0].startswith(f"keyforge {command}: ")
    for fragment in fragments:
        assert fragment in err[0], (fragment, err[0])
    return answer


# --- The whole flow ------------------------------------------------------------------------------


def test_first_material_new_material_and_rotation_across_three_regions(
    capsys: pytest.CaptureFixture[str], embedded_url: str, served_kms: Any, tmp_path: Path
) -> None:
    key_id = multi_region(served_kms, EU, AP)
    flow = Flow(capsys, embedded_url, key_id)
    first, second = material_file(tmp_path, "first.bin"), material_file(tmp_path, "second.bin")
    clients = {region: kms_client(embedded_url, region) for region in (PRIMARY, EU, AP)}

    # The first key material: the primary, then each replica.
    code, out, err = flow.import_(PRIMARY, first)
    assert (code, err) == (0, [])
    first_id = clients[PRIMARY].describe_key(KeyId=key_id)["KeyMetadata"]["CurrentKeyMaterialId"]
    assert out[1:] == [f"{key_id}: key material {first_id}", flow.same_into(AP), flow.same_into(EU)]
    code, out, _ = flow.import_(EU, first)
    assert code == 0 and out[1:] == [f"{key_id}: key material {first_id}", flow.same_into(AP)]
    code, out, _ = flow.import_(AP, first)
    assert code == 0 and out[2:] == [
        f"{key_id}: every key of the multi-Region key holds its key material: "
        f"{PRIMARY} (primary), {AP} (replica), {EU} (replica)"
    ]
    blobs = {
        region: client.encrypt(KeyId=key_id, Plaintext=MESSAGE)["CiphertextBlob"]
        for region, client in clients.items()
    }

    # New key material: the primary, then every replica, then the rotation on the primary.
    code, out, err = flow.import_(PRIMARY, second, "--new-material")
    assert (code, err) == (0, [])
    second_id = out[1].split()[4]
    assert out[1:] == [
        f"{key_id}: new key material {second_id} is pending rotation",
        flow.same_new_into(AP, second_id),
        flow.same_new_into(EU, second_id),
    ]
    code, out, _ = flow.import_(AP, second)
    assert code == 0 and out[2:] == [flow.same_new_into(EU, second_id)]
    code, out, _ = flow.import_(EU, second)
    assert code == 0 and out[2:] == [
        f"{key_id}: now rotate on demand in {PRIMARY} (primary) ({flow.rotate_command()})"
    ]
    code, out, err = flow.rotate()
    assert (code, err) == (0, [])
    assert out == [
        f"{key_id}: rotated on demand; key material {second_id} is current (1 rotation so far)",
        f"{key_id}: key material {second_id} is current in {PRIMARY} (primary), {AP} (replica) "
        f"and {EU} (replica)",
    ]

    for region, client in clients.items():
        assert client.describe_key(KeyId=key_id)["KeyMetadata"]["CurrentKeyMaterialId"] == (
            second_id
        )
        for blob in blobs.values():
            assert client.decrypt(CiphertextBlob=blob)["Plaintext"] == MESSAGE, region
    fresh = clients[EU].encrypt(KeyId=key_id, Plaintext=MESSAGE)["CiphertextBlob"]
    assert clients[AP].decrypt(CiphertextBlob=fresh)["Plaintext"] == MESSAGE
    code, out, _ = keyforge(capsys, embedded_url, "rotations", key_id, "--region", AP)
    assert code == 0 and [line.split("  ")[1:4] for line in out] == [
        ["ON_DEMAND", "CURRENT", second_id]
    ]


def test_an_hmac_key_is_guided_to_each_replica(
    capsys: pytest.CaptureFixture[str], embedded_url: str, served_kms: Any, tmp_path: Path
) -> None:
    key_id = multi_region(served_kms, EU, spec="HMAC_256")
    flow = Flow(capsys, embedded_url, key_id)
    path = material_file(tmp_path, "mac.bin", "HMAC_256")
    code, out, _ = flow.import_(PRIMARY, path)
    assert code == 0 and out[1:] == [flow.same_into(EU)]
    other = material_file(tmp_path, "other.bin", "HMAC_256")
    refused(
        flow.import_(EU, other),
        "import-key-material",
        "KMS IncorrectKeyMaterialException",
        f"{EU} (replica) takes only the key material imported into {PRIMARY} (primary)",
    )
    code, out, _ = flow.import_(EU, path)
    assert code == 0 and out[1:] == [
        f"{key_id}: every key of the multi-Region key holds its key material: "
        f"{PRIMARY} (primary), {EU} (replica)"
    ]
    request = {"KeyId": key_id, "Message": MESSAGE, "MacAlgorithm": "HMAC_SHA_256"}
    mac = kms_client(embedded_url, EU).generate_mac(**request)["Mac"]
    assert served_kms.verify_mac(**request, Mac=mac)["MacValid"]


# --- Each step out of order ----------------------------------------------------------------------


def test_a_replica_before_its_primary_is_refused_naming_the_primary(
    capsys: pytest.CaptureFixture[str], embedded_url: str, served_kms: Any, tmp_path: Path
) -> None:
    key_id = multi_region(served_kms, EU)
    flow = Flow(capsys, embedded_url, key_id)
    embedded_kms.clear_recorded_operations()
    refused(
        flow.import_(EU, material_file(tmp_path, "first.bin")),
        "import-key-material",
        f"{PRIMARY} (primary) has no key material yet: import key material into {PRIMARY} "
        f"(primary) first ({flow.import_command(PRIMARY)}), then the same key material into "
        f"{EU} (replica)",
    )
    assert "ImportKeyMaterial" not in embedded_kms.recorded_operations()
    assert "GetParametersForImport" not in embedded_kms.recorded_operations()
    assert key_state(kms_client(embedded_url, EU), key_id) == "PendingImport"


def test_other_material_than_the_primary_is_refused_in_a_replica(
    capsys: pytest.CaptureFixture[str], embedded_url: str, served_kms: Any, tmp_path: Path
) -> None:
    key_id = multi_region(served_kms, EU)
    flow = Flow(capsys, embedded_url, key_id)
    assert flow.import_(PRIMARY, material_file(tmp_path, "first.bin"))[0] == 0
    refused(
        flow.import_(EU, material_file(tmp_path, "other.bin")),
        "import-key-material",
        f"{key_id}: KMS IncorrectKeyMaterialException: ",
        f"{EU} (replica) takes only the key material imported into {PRIMARY} (primary)",
    )
    assert key_state(kms_client(embedded_url, EU), key_id) == "PendingImport"


def test_new_material_into_a_replica_is_refused_naming_the_primary(
    capsys: pytest.CaptureFixture[str], embedded_url: str, served_kms: Any, tmp_path: Path
) -> None:
    key_id = multi_region(served_kms, EU)
    flow = Flow(capsys, embedded_url, key_id)
    first = material_file(tmp_path, "first.bin")
    assert flow.import_(PRIMARY, first)[0] == flow.import_(EU, first)[0] == 0
    embedded_kms.clear_recorded_operations()
    refused(
        flow.import_(EU, material_file(tmp_path, "second.bin"), "--new-material"),
        "import-key-material",
        f"{EU} (replica) takes no new key material: import new key material into {PRIMARY} "
        f"(primary) first (keyforge import-key-material {key_id} --material FILE "
        f"--new-material --region {PRIMARY}), then the same key material into each replica",
    )
    assert "ImportKeyMaterial" not in embedded_kms.recorded_operations()


def test_new_material_while_new_material_is_pending_is_refused(
    capsys: pytest.CaptureFixture[str], embedded_url: str, served_kms: Any, tmp_path: Path
) -> None:
    key_id = multi_region(served_kms, EU)
    flow = Flow(capsys, embedded_url, key_id)
    first = material_file(tmp_path, "first.bin")
    assert flow.import_(PRIMARY, first)[0] == flow.import_(EU, first)[0] == 0
    code, out, _ = flow.import_(PRIMARY, material_file(tmp_path, "second.bin"), "--new-material")
    assert code == 0
    second_id = out[1].split()[4]
    refused(
        flow.import_(PRIMARY, material_file(tmp_path, "third.bin"), "--new-material"),
        "import-key-material",
        f"new key material {second_id} is already pending in {PRIMARY} (primary): "
        f"import the same new key material ({second_id}) into {EU} (replica) next",
        "DeleteImportedKeyMaterial",
    )


def test_rotation_in_a_replica_is_refused_naming_the_primary(
    capsys: pytest.CaptureFixture[str], embedded_url: str, served_kms: Any, tmp_path: Path
) -> None:
    for origin in ("EXTERNAL", "AWS_KMS"):
        key_id = multi_region(served_kms, EU, origin=origin)
        flow = Flow(capsys, embedded_url, key_id)
        embedded_kms.clear_recorded_operations()
        refused(
            flow.rotate(EU),
            "rotate",
            f"{key_id}: {EU} (replica) does not rotate: a multi-Region key rotates on demand in "
            f"{PRIMARY} (primary), and the rotation reaches every replica "
            f"({flow.rotate_command()})",
        )
        assert "RotateKeyOnDemand" not in embedded_kms.recorded_operations()


def test_rotation_without_new_material_is_refused_naming_the_primary(
    capsys: pytest.CaptureFixture[str], embedded_url: str, served_kms: Any, tmp_path: Path
) -> None:
    key_id = multi_region(served_kms, EU)
    flow = Flow(capsys, embedded_url, key_id)
    first = material_file(tmp_path, "first.bin")
    assert flow.import_(PRIMARY, first)[0] == flow.import_(EU, first)[0] == 0
    refused(
        flow.rotate(),
        "rotate",
        f"{key_id} has imported key material: import new key material into {PRIMARY} (primary) "
        f"first (keyforge import-key-material {key_id} --material FILE --new-material "
        f"--region {PRIMARY}), then the same key material into each replica",
    )


def test_rotation_before_every_replica_holds_the_new_material_is_refused(
    capsys: pytest.CaptureFixture[str], embedded_url: str, served_kms: Any, tmp_path: Path
) -> None:
    key_id = multi_region(served_kms, EU, AP)
    flow = Flow(capsys, embedded_url, key_id)
    first, second = material_file(tmp_path, "first.bin"), material_file(tmp_path, "second.bin")
    for region in (PRIMARY, EU, AP):
        assert flow.import_(region, first)[0] == 0
    code, out, _ = flow.import_(PRIMARY, second, "--new-material")
    assert code == 0
    second_id = out[1].split()[4]
    embedded_kms.clear_recorded_operations()
    refused(
        flow.rotate(),
        "rotate",
        f"{key_id}: new key material {second_id} is not in every key yet: import the same new "
        f"key material ({second_id}) into {AP} (replica) and {EU} (replica) next "
        f"({flow.import_command(AP)}), then rotate on demand in {PRIMARY} (primary)",
    )
    assert flow.import_(AP, second)[0] == 0
    refused(
        flow.rotate(),
        "rotate",
        f"into {EU} (replica) next ({flow.import_command(EU)}), then rotate on demand",
    )
    assert "RotateKeyOnDemand" not in embedded_kms.recorded_operations()
    assert flow.import_(EU, second)[0] == 0
    assert flow.rotate()[0] == 0
