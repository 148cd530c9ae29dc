"""The CloudFormation handlers of Keyforge::KMS::Key.

Each handler validates, runs its lifecycle through `operations`, and turns the
outcome into a ProgressEvent. No handler lets an exception escape, and none
logs descriptions, tags, policies or key material: only actions, key ids and
error codes.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, MutableMapping
from functools import wraps
from typing import Any

from cloudformation_cli_python_lib.boto3_proxy import SessionProxy
from cloudformation_cli_python_lib.interface import (
    Action,
    HandlerErrorCode,
    OperationStatus,
    ProgressEvent,
)
from cloudformation_cli_python_lib.resource import Resource

from . import operations
from .keyspecs import partition_of
from .kms import KmsError, KmsGateway
from .models import ResourceHandlerRequest, ResourceModel
from .plan import create_key_request, facts_for
from .validation import Problem, immutable_changes, validate

LOG = logging.getLogger(__name__)
TYPE_NAME = "Keyforge::KMS::Key"
RETRY_DELAY_SECONDS = 5
MAX_ATTEMPTS = 5


class KeyResource(Resource):
    """The runtime library's Resource, handing LIST the nextToken it would otherwise drop."""

    def _cast_resource_request(self, request: Any) -> Any:
        modelled = super()._cast_resource_request(request)
        modelled.nextToken = getattr(request, "nextToken", None)
        return modelled


resource = KeyResource(TYPE_NAME, ResourceModel)
test_entrypoint = resource.test_entrypoint

Context = MutableMapping[str, Any]
Handler = Callable[[SessionProxy | None, ResourceHandlerRequest, Context], ProgressEvent]


def guarded(action: Action) -> Callable[[Handler], Handler]:
    """Register a handler that answers every failure with a ProgressEvent, never an exception."""

    def register(handler: Handler) -> Handler:
        @wraps(handler)
        def run(session: SessionProxy | None, request: ResourceHandlerRequest, ctx: Context) -> Any:
            try:
                return handler(session, request, ctx)
            except KmsError as error:
                LOG.info("%s failed: %s", action.name, error.kms_code or error.code.name)
                return ProgressEvent.failed(error.code, error.message)
            except Exception as error:  # the last line of defence: answer, never raise
                LOG.error("%s failed unexpectedly: %s", action.name, type(error).__name__)
                return ProgressEvent.failed(
                    HandlerErrorCode.InternalFailure,
                    f"Unexpected {type(error).__name__} in the {action.name} handler.",
                )

        resource.handler(action)(run)
        return run

    return register


@guarded(Action.CREATE)
def create_handler(
    session: SessionProxy | None, request: ResourceHandlerRequest, ctx: Context
) -> ProgressEvent:
    desired = properties_of(request.desiredResourceState)
    key_id: str | None = ctx.get("KeyId")
    if key_id is None:
        problems = validate(desired, request.region)
        if problems:
            return invalid(problems)
    kms = gateway(session, request)
    if key_id is None:
        partition = request.awsPartition or partition_of(request.region or "")
        facts = facts_for(desired, partition, request.awsAccountId or "")
        key_id = kms.create_key(**create_key_request(desired, facts))["KeyId"]
        LOG.info("CREATE made key %s", key_id)
        ctx["KeyId"] = key_id
    try:
        operations.finish_create(kms, key_id, desired, ctx.setdefault("done", {}))
        return success(operations.observe(kms, key_id, desired.get("AliasName")))
    except KmsError as error:
        # Right after CreateKey, KMS may not know the key everywhere yet: NotFound is worth a retry.
        if (error.retriable or error.code is HandlerErrorCode.NotFound) and retry_left(ctx):
            return in_progress({**desired, "KeyId": key_id}, ctx, error)
        LOG.info("CREATE abandons key %s after %s", key_id, error.code.name)
        operations.abandon_key(kms, key_id, desired.get("AliasName") if ctx["done"] else None)
        raise


@guarded(Action.READ)
def read_handler(
    session: SessionProxy | None, request: ResourceHandlerRequest, ctx: Context
) -> ProgressEvent:
    model = properties_of(request.desiredResourceState)
    key_id = identifier(model)
    kms = gateway(session, request)
    return success(operations.observe(kms, key_id, model.get("AliasName")))


@guarded(Action.UPDATE)
def update_handler(
    session: SessionProxy | None, request: ResourceHandlerRequest, ctx: Context
) -> ProgressEvent:
    desired = properties_of(request.desiredResourceState)
    previous = properties_of(request.previousResourceState)
    key_id = identifier(desired, previous)
    kms = gateway(session, request)
    metadata = kms.describe_live_key(key_id)
    changes = immutable_changes(operations.current_immutables(metadata), desired)
    if changes:
        return ProgressEvent.failed(HandlerErrorCode.NotUpdatable, joined(changes))
    problems = validate(desired, request.region)
    if problems:
        return invalid(problems)
    try:
        operations.apply_update(kms, metadata, previous, desired)
        return success(operations.observe(kms, metadata["KeyId"], desired.get("AliasName")))
    except KmsError as error:
        if error.retriable and retry_left(ctx):
            return in_progress({**desired, "KeyId": metadata["KeyId"]}, ctx, error)
        raise


@guarded(Action.DELETE)
def delete_handler(
    session: SessionProxy | None, request: ResourceHandlerRequest, ctx: Context
) -> ProgressEvent:
    model = properties_of(request.desiredResourceState)
    key_id = identifier(model)
    kms = gateway(session, request)
    try:
        operations.delete(kms, key_id, model)
    except KmsError as error:
        if error.retriable and retry_left(ctx):
            return in_progress(model, ctx, error)
        raise
    LOG.info("DELETE scheduled the deletion of key %s", key_id)
    return ProgressEvent(status=OperationStatus.SUCCESS)


@guarded(Action.LIST)
def list_handler(
    session: SessionProxy | None, request: ResourceHandlerRequest, ctx: Context
) -> ProgressEvent:
    kms = gateway(session, request)
    models, next_token = operations.list_page(kms, request.nextToken)
    return ProgressEvent(
        status=OperationStatus.SUCCESS,
        resourceModels=[model_of(properties) for properties in models],
        nextToken=next_token,
    )


def gateway(session: SessionProxy | None, request: ResourceHandlerRequest) -> KmsGateway:
    if session is None:
        raise KmsError(HandlerErrorCode.InvalidCredentials, "The request carries no credentials.")
    return KmsGateway.from_session(session, request.region or "us-east-1")


def identifier(*models: Mapping[str, Any]) -> str:
    """The primary identifier; a model without one names no key, so the key is not found."""
    key_id = next((model["KeyId"] for model in models if model.get("KeyId")), None)
    if key_id is None:
        raise KmsError(HandlerErrorCode.NotFound, "The model has no KeyId.")
    return str(key_id)


def properties_of(model: ResourceModel | None) -> dict[str, Any]:
    return dict(model._serialize()) if model is not None else {}


def model_of(properties: Mapping[str, Any]) -> ResourceModel:
    model = ResourceModel._deserialize(properties)
    assert model is not None  # properties always hold at least KeyId
    return model


def success(properties: Mapping[str, Any]) -> ProgressEvent:
    return ProgressEvent(status=OperationStatus.SUCCESS, resourceModel=model_of(properties))


def invalid(problems: list[Problem]) -> ProgressEvent:
    return ProgressEvent.failed(HandlerErrorCode.InvalidRequest, joined(problems))


def joined(problems: list[Problem]) -> str:
    return " ".join(problem.message for problem in problems)


def retry_left(ctx: Context) -> bool:
    ctx["attempts"] = int(ctx.get("attempts", 0)) + 1
    return bool(ctx["attempts"] < MAX_ATTEMPTS)


def in_progress(properties: Mapping[str, Any], ctx: Context, error: KmsError) -> ProgressEvent:
    LOG.info("Will retry after %s (attempt %s)", error.code.name, ctx["attempts"])
    return ProgressEvent(
        status=OperationStatus.IN_PROGRESS,
        resourceModel=model_of(properties),
        callbackContext=ctx,
        callbackDelaySeconds=RETRY_DELAY_SECONDS,
        message=error.message,
    )
