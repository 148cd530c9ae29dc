"""The CloudFormation handlers of Keyforge::KMS::Key.

Each handler validates, runs its lifecycle through `operations`, and turns the
outcome into a ProgressEvent. No handler lets an exception escape, and none
logs descriptions, tags, policies or key material: only actions, key ids and
error codes.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable, Mapping, MutableMapping
from functools import wraps
from typing import Any

from cloudformation_cli_python_lib.boto3_proxy import _get_boto_session
from cloudformation_cli_python_lib.exceptions import InvalidRequest
from cloudformation_cli_python_lib.interface import (
    Action,
    HandlerErrorCode,
    OperationStatus,
    ProgressEvent,
)
from cloudformation_cli_python_lib.resource import Resource
from cloudformation_cli_python_lib.utils import Credentials, HandlerRequest

from . import operations
from .iam import IamGateway
from .keyspecs import CREATION_TOKEN_TAG, RESOURCE_TYPE, partition_of
from .kms import BudgetSpent, KmsError, KmsGateway
from .models import ResourceHandlerRequest, ResourceModel
from .plan import (
    create_key_request,
    desired_policy,
    facts_for,
    replica_key_request,
    replica_regions,
)
from .policy import KeyFacts
from .principals import (
    PROPAGATION_WAITS,
    aws_principals,
    iam_entities_in,
    missing_message,
    unseen_message,
)
from .readback import observed_properties
from .validation import Problem, request_problems

LOG = logging.getLogger(__name__)
# At DEBUG these log request and response bodies (descriptions, tags, policies, public keys)
# and signed headers. A function's log level can be set to DEBUG from outside, so they are held
# at WARNING whatever the root logger says.
DEPENDENCY_LOGGERS = ("botocore", "boto3", "urllib3", "s3transfer")
for _name in DEPENDENCY_LOGGERS:
    logging.getLogger(_name).setLevel(logging.WARNING)
MALFORMED_EVENT = "The request is malformed: it is not an event CloudFormation sends."
RETRY_DELAY_SECONDS = 5
MAX_ATTEMPTS = 5
# A failed create cleans up with a longer budget: a live key nobody owns is worse than a slow
# failure.
CLEANUP_ATTEMPTS = 20
CREATE_KEY_ATTEMPTS = 4


class KeyResource(Resource):
    """The runtime library's Resource, with the raw properties checked before it builds models.

    The library's own casting answers a wrong type with Python exception text, logs the raw
    value, and quietly turns some values into others (a list into no properties, 365.9 into
    365). Here the properties are checked against schema.json first; a request that does not
    fit reaches its handler with no properties and the problems, which the handler answers
    with InvalidRequest before any KMS call. LIST also gets the nextToken the library drops.
    """

    def _cast_resource_request(self, request: Any) -> Any:
        try:
            data = request.requestData
            desired, problems = request_problems(getattr(data, "resourceProperties", None))
            previous, previous_problems = request_problems(
                getattr(data, "previousResourceProperties", None), "previous "
            )
            problems += previous_problems
            data.resourceProperties = {} if problems else desired
            data.previousResourceProperties = None if problems else previous or None
            malformed_tags = [
                name
                for name in ("stackTags", "previousStackTags", "systemTags", "previousSystemTags")
                if not is_tag_map(getattr(data, name, None))
            ]
            modelled = None if malformed_tags else super()._cast_resource_request(request)
        except Exception as error:  # a field missing or of another shape than CloudFormation's
            LOG.error("Invalid request: %s", type(error).__name__)
            raise InvalidRequest(MALFORMED_EVENT) from None
        if modelled is None:
            raise InvalidRequest(f"The request is malformed: {malformed_tags[0]} is not tags.")
        modelled.nextToken = getattr(request, "nextToken", None)
        modelled.input_problems = problems  # type: ignore[attr-defined]
        return modelled

    @staticmethod
    def _parse_request(event_data: MutableMapping[str, Any]) -> Any:
        """The library's request parsing, less the boto3 session it builds for the caller.

        A new boto3 session registers all of botocore's event handlers again: a third of a
        warm invocation. The handlers need only the caller's credentials, which the KMS
        gateway signs with (see KmsGateway.for_request); log delivery keeps its session.
        """
        try:
            event = HandlerRequest.deserialize(event_data)
            caller = event.requestData.callerCredentials
            provider_session = _get_boto_session(event.requestData.providerCredentials)
        except Exception as error:
            LOG.error("Invalid request: %s", type(error).__name__)
            raise InvalidRequest(MALFORMED_EVENT) from None
        action = getattr(event, "action", None)
        if not isinstance(action, str) or action not in Action.__members__:
            raise InvalidRequest(
                f"The request is malformed: unknown action {str(action)[:40]!r} "
                f"(one of {', '.join(Action.__members__)})."
            )
        callback_context = getattr(event, "callbackContext", None) or {}
        if not isinstance(callback_context, dict):
            raise InvalidRequest("The request is malformed: callbackContext is not an object.")
        if not is_own_context(callback_context, action):
            raise InvalidRequest(
                "The request is malformed: callbackContext is not one this handler returned."
            )
        return (caller, provider_session), Action[action], callback_context, event


# What a handler keeps in its callback context between invocations, by name: its type.
CONTEXT_FIELDS: Mapping[str, type | tuple[type, ...]] = {
    "token": str,
    "KeyId": str,
    "giving_up": dict,
    "done": dict,
    "attempts": int,
    "cleanup_attempts": int,
    "principal_waits": int,
    "replicas_retired": bool,
    "deletion_requested": bool,
    "primary_region": str,
    "retired": list,
    "synced": list,
}


def is_tag_map(tags: object) -> bool:
    """None, or tags as CloudFormation sends them: an object of texts."""
    return tags is None or (
        isinstance(tags, dict)
        and all(isinstance(key, str) and isinstance(value, str) for key, value in tags.items())
    )


def is_own_context(context: Mapping[str, Any], action: str) -> bool:
    """Whether a callback context is one the handlers return: known fields of their types
    (CREATE's always with its token; a reason to give up with its code and message)."""
    for name, value in context.items():
        wanted = CONTEXT_FIELDS.get(name)
        if (
            wanted is None
            or not isinstance(value, wanted)
            or isinstance(value, bool) != (wanted is bool)
        ):
            return False
    reason = context.get("giving_up", {"code": "InternalFailure", "message": ""})
    if not (
        reason.get("code") in HandlerErrorCode.__members__
        and isinstance(reason.get("message"), str)
    ):
        return False
    if not all(isinstance(done, bool) for done in context.get("done", {}).values()):
        return False
    return action != "CREATE" or not context or "token" in context


resource = KeyResource(RESOURCE_TYPE, ResourceModel)
test_entrypoint = resource.test_entrypoint

Context = MutableMapping[str, Any]
# What the handlers get in place of a session: the caller's credentials, or None.
Caller = Credentials | None
Handler = Callable[[Caller, ResourceHandlerRequest, Context], ProgressEvent]


def guarded(action: Action) -> Callable[[Handler], Handler]:
    """Register a handler that answers every failure with a ProgressEvent, never an exception."""

    def register(handler: Handler) -> Handler:
        @wraps(handler)
        def run(session: Caller, request: ResourceHandlerRequest, ctx: Context) -> Any:
            problems: list[Problem] = getattr(request, "input_problems", [])
            if problems:
                LOG.info("%s refused: properties that do not fit the schema", action.name)
                return invalid(problems)
            try:
                return handler(session, request, ctx)
            except KmsError as error:
                LOG.info("%s failed: %s", action.name, error.kms_code or error.code.name)
                return ProgressEvent.failed(error.code, error.message)
            except Exception as error:  # the last line of defence: answer, never raise
                failure = unexpected(action, error)
                return ProgressEvent.failed(failure.code, failure.message)

        # The library types the first argument as its session; _parse_request hands credentials.
        resource.handler(action)(run)  # type: ignore[arg-type]
        return run

    return register


@guarded(Action.CREATE)
def create_handler(session: Caller, request: ResourceHandlerRequest, ctx: Context) -> ProgressEvent:
    """Make the key, hand its id to CloudFormation at once, then finish it in the next call."""
    desired = properties_of(request.desiredResourceState)
    if not ctx:
        problems = refused(request, desired)
        if problems:
            return invalid(problems)
        ctx["token"] = request.clientRequestToken or uuid.uuid4().hex
    kms = gateway(session, request)
    key_id: str | None = ctx.get("KeyId")
    if key_id is None:
        return make_key(kms, session, request, desired, ctx)
    if "giving_up" in ctx:
        return give_up(kms, key_id, desired, ctx)
    try:
        operations.finish_create(kms, key_id, desired, ctx.setdefault("done", {}))
        if replica_regions(desired):
            replica_params = replica_key_request(creation_request(request, desired, ctx))
            operations.create_replicas(kms, key_id, desired, replica_params, ctx["done"])
        made_key = operations.created(kms, key_id, desired, stack_tags(request))
        return success(observed_properties(made_key, desired, stack_tags(request)))
    except BudgetSpent:
        return in_progress({**desired, "KeyId": key_id}, ctx, delay=0)
    except KmsError as error:
        if error.refuses_principals:  # ReplicateKey: IAM may still be propagating in a Region
            try:
                return wait_for_principals(session, request, desired, key_id, ctx, error)
            except KmsError as refusal:
                return give_up(kms, key_id, desired, ctx, refusal)
        # Right after CreateKey, KMS may not know the key everywhere yet: NotFound is worth a retry.
        if (error.retriable or error.code is HandlerErrorCode.NotFound) and retry_left(ctx):
            return in_progress({**desired, "KeyId": key_id}, ctx, error)
        return give_up(kms, key_id, desired, ctx, error)
    except Exception as error:  # a key exists: clean it up before answering
        return give_up(kms, key_id, desired, ctx, unexpected(Action.CREATE, error))


def unexpected(action: Action, error: Exception) -> KmsError:
    """A failure no handler code expects: logged by type, answered without Python's words."""
    LOG.error("%s failed unexpectedly: %s", action.name, type(error).__name__)
    return KmsError(
        HandlerErrorCode.InternalFailure,
        f"The {action.name} handler failed unexpectedly; the function's log names the error.",
    )


def make_key(
    kms: KmsGateway,
    caller: Caller,
    request: ResourceHandlerRequest,
    desired: Mapping[str, Any],
    ctx: Context,
) -> ProgressEvent:
    """CreateKey, exactly once, in the first invocation.

    CloudFormation requires the key id in every IN_PROGRESS answer, so failures before the
    key exists are retried here, in this invocation. When KMS may have made the key though the
    call failed (a lost answer, a 5xx), the key is looked for by its creation token before
    another CreateKey is sent.
    """
    create_request = creation_request(request, desired, ctx)
    failure: KmsError | None = None
    for attempt in range(1, CREATE_KEY_ATTEMPTS + 1):
        try:
            key_id = create_key(kms, caller, request, create_request)
        except KmsError as error:
            if not (error.retriable or error.outcome_unknown):
                raise
            failure = error
        else:
            LOG.info("CREATE made key %s", key_id)
            return made(desired, ctx, key_id)
        LOG.info("CreateKey failed with %s (attempt %s)", failure.code.name, attempt)
        if failure.outcome_unknown:
            pause(attempt)  # give KMS time to list a key it made
            found = operations.find_key_with_token(kms, CREATION_TOKEN_TAG, ctx["token"])
            if found is not None:
                LOG.info("CREATE found key %s, made by a CreateKey that failed", found)
                return made(desired, ctx, found)
        elif attempt < CREATE_KEY_ATTEMPTS:
            pause(attempt)
    assert failure is not None
    raise failure


def creation_request(
    request: ResourceHandlerRequest, desired: Mapping[str, Any], ctx: Context
) -> dict[str, Any]:
    """CreateKey's parameters for this request (ReplicateKey takes the same description, policy
    and tags)."""
    facts = key_facts(request, desired)
    return create_key_request(desired, facts, ctx["token"], stack_tags(request))


def create_key(
    kms: KmsGateway,
    caller: Caller,
    request: ResourceHandlerRequest,
    create_request: Mapping[str, Any],
) -> str:
    """CreateKey, sent again after a pause while KMS cannot see principals that may exist yet.

    A refusal for principals makes no key, so sending CreateKey again is safe. With no key
    there is no key id to call back with: the waits happen in this invocation.
    """
    waits = iter(PROPAGATION_WAITS)
    waited = 0
    while True:
        try:
            return str(kms.create_key(**create_request)["KeyId"])
        except KmsError as error:
            if not error.refuses_principals:
                raise
            wait = next(waits, None)
            policy = create_request.get("Policy")
            refusal = principals_refusal(caller, request, policy, waited, last=wait is None)
            if refusal is not None or wait is None:
                raise (refusal or error) from error
        LOG.info("CreateKey refused for principals; trying again in %s s", wait)
        pause(wait)
        waited += wait


def principals_refusal(
    caller: Caller,
    request: ResourceHandlerRequest,
    policy: str | None,
    waited: int,
    *,
    last: bool,
) -> KmsError | None:
    """KMS refused the policy's principals: the failure to answer with, or None to try again.

    A role or user of this account that IAM says does not exist fails at once, by name. When
    IAM says they exist, or cannot say, KMS does not see them yet: worth waiting for, up to
    the last attempt.
    """
    account = request.awsAccountId or ""
    principals = aws_principals(policy)
    entities = iam_entities_in(principals, account)
    missing = iam_gateway(caller, request).missing(entities) if entities else []
    if missing:
        message = missing_message(missing, account)
    elif last:
        message = unseen_message(principals, waited)
    else:
        return None
    return KmsError(HandlerErrorCode.InvalidRequest, message, "MalformedPolicyDocumentException")


def pause(seconds: int) -> None:
    """Wait before trying CreateKey again."""
    time.sleep(seconds)


def made(desired: Mapping[str, Any], ctx: Context, key_id: str) -> ProgressEvent:
    """The key exists: tell CloudFormation its id before anything else can fail."""
    ctx["KeyId"] = key_id
    ctx.pop("attempts", None)
    return in_progress({**desired, "KeyId": key_id}, ctx, delay=0)


def give_up(
    kms: KmsGateway,
    key_id: str,
    desired: Mapping[str, Any],
    ctx: Context,
    error: KmsError | None = None,
) -> ProgressEvent:
    """Fail the create, leaving no live key or alias behind.

    Whatever goes wrong while cleaning up (throttling, a refusal, an error nobody expects) is
    tried again with callbacks, up to CLEANUP_ATTEMPTS: a live key nobody owns is worse than a
    slow failure. Only then does the answer say the key may be left.
    """
    if error is not None:
        LOG.info("CREATE abandons key %s after %s", key_id, error.code.name)
        ctx["giving_up"] = {"code": error.code.name, "message": error.message}
    try:
        operations.abandon_key(kms, key_id, ctx)
    except BudgetSpent:
        return in_progress({**desired, "KeyId": key_id}, ctx, delay=0)
    except Exception as cleanup_error:
        failure = (
            cleanup_error
            if isinstance(cleanup_error, KmsError)
            else unexpected(Action.CREATE, cleanup_error)
        )
        if retry_left(ctx, "cleanup_attempts", CLEANUP_ATTEMPTS):
            return in_progress({**desired, "KeyId": key_id}, ctx, failure)
        # CloudFormation knows the key id (the first answer after CreateKey carried it), so a
        # rollback deletes the key; the message says so for the person reading the events.
        LOG.error("CREATE could not clean up key %s: %s", key_id, failure.code.name)
        reason = ctx["giving_up"]
        return ProgressEvent.failed(
            HandlerErrorCode[reason["code"]],
            f"{reason['message']} Cleaning up key {key_id} did not finish "
            f"({failure.code.name}): a rollback of the stack deletes what is left.",
        )
    reason = ctx["giving_up"]
    return ProgressEvent.failed(HandlerErrorCode[reason["code"]], reason["message"])


@guarded(Action.READ)
def read_handler(session: Caller, request: ResourceHandlerRequest, ctx: Context) -> ProgressEvent:
    model = properties_of(request.desiredResourceState)
    key_id = identifier(model)
    kms = gateway(session, request)
    return success(operations.observe(kms, key_id, model, stack_tags(request)))


@guarded(Action.UPDATE)
def update_handler(session: Caller, request: ResourceHandlerRequest, ctx: Context) -> ProgressEvent:
    desired = properties_of(request.desiredResourceState)
    previous = properties_of(request.previousResourceState)
    key_id = identifier(desired, previous)
    kms = gateway(session, request)
    changes = operations.Changes()
    try:
        metadata = kms.describe_live_key(key_id)
        immutable = changes_refused(operations.current_immutables(metadata), desired)
        if immutable:
            return ProgressEvent.failed(HandlerErrorCode.NotUpdatable, joined(immutable))
        problems = refused(request, desired)
        if problems:
            return invalid(problems)
        updated = operations.apply_update(
            kms,
            metadata,
            previous,
            desired,
            stack_tags(request),
            changes,
            previous_stack_tags=dict(request.previousResourceTags or {}),
            progress=ctx,
        )
        return success(observed_properties(updated, desired, stack_tags(request)))
    except BudgetSpent:  # the next invocation goes on from what this one did
        return in_progress({**desired, "KeyId": key_id}, ctx, delay=0)
    except Exception as error:
        failure = error if isinstance(error, KmsError) else unexpected(Action.UPDATE, error)
        if failure.refuses_principals:
            try:
                return wait_for_principals(session, request, desired, key_id, ctx, failure)
            except KmsError as refusal:
                raise changes.restored(refusal) from error
        # The next invocation goes on from what this one did.
        if (failure.retriable or moving_primary(kms, key_id, failure)) and retry_left(ctx):
            return in_progress({**desired, "KeyId": key_id}, ctx, failure)
        raise changes.restored(failure) from error


def moving_primary(kms: KmsGateway, key_id: str, failure: KmsError) -> bool:
    """KMS refused for the key's state because its primary Region is moving: worth a callback."""
    if failure.kms_code != "KMSInvalidStateException":
        return False
    try:
        return operations.is_updating(kms, key_id)
    except Exception:  # no answer: the failure stands as it is
        return False


def wait_for_principals(
    caller: Caller,
    request: ResourceHandlerRequest,
    desired: Mapping[str, Any],
    key_id: str,
    ctx: Context,
    error: KmsError,
) -> ProgressEvent:
    """KMS refused the key policy for its principals (PutKeyPolicy, or ReplicateKey in a Region
    where IAM is still propagating them): call back while they may yet become visible."""
    step = int(ctx.get("principal_waits", 0))
    policy = desired_policy(desired, key_facts(request, desired))
    waited = sum(PROPAGATION_WAITS[:step])
    last = step >= len(PROPAGATION_WAITS)
    refusal = principals_refusal(caller, request, policy, waited, last=last)
    if refusal is not None:
        raise refusal from error
    ctx["principal_waits"] = step + 1
    return in_progress({**desired, "KeyId": key_id}, ctx, error, PROPAGATION_WAITS[step])


@guarded(Action.DELETE)
def delete_handler(session: Caller, request: ResourceHandlerRequest, ctx: Context) -> ProgressEvent:
    model = properties_of(request.desiredResourceState)
    key_id = identifier(model)
    kms = gateway(session, request)
    try:
        operations.delete(kms, key_id, model, ctx)
    except BudgetSpent:
        return in_progress(model, ctx, delay=0)
    except KmsError as error:
        if error.retriable and retry_left(ctx):
            return in_progress(model, ctx, error)
        raise
    LOG.info("DELETE scheduled the deletion of key %s", key_id)
    return ProgressEvent(status=OperationStatus.SUCCESS)


@guarded(Action.LIST)
def list_handler(session: Caller, request: ResourceHandlerRequest, ctx: Context) -> ProgressEvent:
    kms = gateway(session, request)
    models, next_token = operations.list_page(kms, request.nextToken)
    return ProgressEvent(
        status=OperationStatus.SUCCESS,
        resourceModels=[model_of(properties) for properties in models],
        nextToken=next_token,
    )


def gateway(caller: Caller, request: ResourceHandlerRequest) -> KmsGateway:
    if not has_credentials(caller):
        raise KmsError(HandlerErrorCode.InvalidCredentials, "The request carries no credentials.")
    assert caller is not None
    return KmsGateway.for_request(caller, request.region or "us-east-1")


def has_credentials(caller: object) -> bool:
    """Caller credentials as CloudFormation sends them: an access key id and a secret, as text."""
    return isinstance(caller, Credentials) and all(
        isinstance(getattr(caller, name, None), str) and getattr(caller, name)
        for name in ("accessKeyId", "secretAccessKey")
    )


def stack_tags(request: ResourceHandlerRequest) -> dict[str, str]:
    """The stack-level tags CloudFormation asks to put on the key."""
    return {str(key): str(value) for key, value in (request.desiredResourceTags or {}).items()}


def iam_gateway(caller: Caller, request: ResourceHandlerRequest) -> IamGateway:
    """Made only once KMS has answered, so the request's credentials are known to be there."""
    assert caller is not None
    return IamGateway.for_request(caller, request.region or "us-east-1")


# The rule registry is imported when a CREATE or UPDATE first judges a model: READ, DELETE and
# LIST never do, and their cold starts do not import it (about 2.5 ms).


def refused(request: ResourceHandlerRequest, desired: Mapping[str, Any]) -> list[Problem]:
    """What the registry's HANDLER rules refuse the model for, before any KMS call, in the
    stack the request names (keyforge_kms_key.refusal)."""
    from . import refusal
    from .handler_checks import Stack

    stack = Stack(partition(request), request.awsAccountId or "", stack_tags(request))
    return refusal.refused(desired, region=request.region, stack=stack)


def changes_refused(current: Mapping[str, Any], desired: Mapping[str, Any]) -> list[Problem]:
    """The changes from the key's current immutable properties that no update may make, by the
    registry's HANDLER rules of updates (keyforge_kms_key.refusal)."""
    from . import refusal

    return refusal.changes_refused(current, desired)


def partition(request: ResourceHandlerRequest) -> str:
    return request.awsPartition or partition_of(request.region or "")


def key_facts(request: ResourceHandlerRequest, desired: Mapping[str, Any]) -> KeyFacts:
    return facts_for(desired, partition(request), request.awsAccountId or "")


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


def retry_left(ctx: Context, counter: str = "attempts", budget: int = MAX_ATTEMPTS) -> bool:
    """Count one more failed attempt; whether the budget allows another."""
    ctx[counter] = int(ctx.get(counter, 0)) + 1
    return bool(ctx[counter] < budget)


def in_progress(
    properties: Mapping[str, Any],
    ctx: Context,
    error: KmsError | None = None,
    delay: int = RETRY_DELAY_SECONDS,
) -> ProgressEvent:
    if error is not None:
        LOG.info("Will retry after %s", error.code.name)
    return ProgressEvent(
        status=OperationStatus.IN_PROGRESS,
        resourceModel=model_of(properties) if properties else None,
        callbackContext=ctx,
        callbackDelaySeconds=delay,
        message=error.message if error is not None else "",
    )
