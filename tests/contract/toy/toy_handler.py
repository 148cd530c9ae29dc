"""Keyforge::Toy::Key: the smallest resource that keeps the contract, to test the runner alone.

A KMS key and its description, written against the raw handler protocol (the
event in, a ProgressEvent as a dict out) so that nothing but the runner, the
Lambda endpoint and the embedded KMS is under test.
"""

from __future__ import annotations

from typing import Any

import boto3
from botocore.exceptions import ClientError

GONE = frozenset({"PendingDeletion", "PendingReplicaDeletion"})
Event = dict[str, Any]
Answer = dict[str, Any]


class Gone(Exception):
    pass


def _kms(event: Event) -> Any:
    credentials = event["requestData"]["callerCredentials"]
    # No endpoint here: AWS_ENDPOINT_URL in the process that runs the handlers decides where KMS is.
    return boto3.client(
        "kms",
        region_name=event["region"],
        aws_access_key_id=credentials["accessKeyId"],
        aws_secret_access_key=credentials["secretAccessKey"],
        aws_session_token=credentials.get("sessionToken"),
    )


def _live_model(kms: Any, key_id: str | None) -> dict[str, str]:
    if not key_id:
        raise Gone("the model has no KeyId")
    try:
        metadata = kms.describe_key(KeyId=key_id)["KeyMetadata"]
    except ClientError as error:
        if error.response["Error"]["Code"] == "NotFoundException":
            raise Gone(f"key {key_id} not found") from error
        raise
    if metadata["KeyState"] in GONE:
        raise Gone(f"key {key_id} is {metadata['KeyState']}")
    return {"KeyId": metadata["KeyId"], "Description": metadata.get("Description", "")}


def _success(model: dict[str, str] | None = None) -> Answer:
    answer: Answer = {"status": "SUCCESS"}
    if model is not None:
        answer["resourceModel"] = model
    return answer


def _handle(event: Event) -> Answer:
    action = event["action"]
    model = event["requestData"].get("resourceProperties") or {}
    kms = _kms(event)
    if action == "CREATE":
        created = kms.create_key(Description=model.get("Description", ""))["KeyMetadata"]
        return _success(_live_model(kms, created["KeyId"]))
    if action == "READ":
        return _success(_live_model(kms, model.get("KeyId")))
    if action == "UPDATE":
        key_id = _live_model(kms, model.get("KeyId"))["KeyId"]
        kms.update_key_description(KeyId=key_id, Description=model.get("Description", ""))
        return _success(_live_model(kms, key_id))
    if action == "DELETE":
        key_id = _live_model(kms, model.get("KeyId"))["KeyId"]
        kms.schedule_key_deletion(KeyId=key_id, PendingWindowInDays=7)
        return _success()
    if action == "LIST":
        models = []
        for key in kms.list_keys()["Keys"]:
            try:
                models.append(_live_model(kms, key["KeyId"]))
            except Gone:
                continue
        return {"status": "SUCCESS", "resourceModels": models}
    return {"status": "FAILED", "errorCode": "InvalidRequest", "message": f"no {action} handler"}


def resource(event: Event, context: Any) -> Answer:
    try:
        return _handle(event)
    except Gone as gone:
        return {"status": "FAILED", "errorCode": "NotFound", "message": str(gone)}
