"""The hook's handlers: preCreate and preUpdate judge the target with the Keyforge rules.

Each is a thin adapter over `keyforge_kms_key.judgement.judge`: the target's type, its
properties (and previous properties on update), the stack's Region (from the stack's ARN, else
the function's own), and the type configuration's FailOn and DisabledRules. A key that breaks a
rule that fails the deploy answers FAILED with NonCompliant and lint's sentences; anything else
answers SUCCESS, with the warnings and what was not judged in the message, and one annotation a
rule. preDelete has nothing to check (the schema declares no preDelete handler; this one answers
should it ever be called).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping, MutableMapping
from typing import Any

from cloudformation_cli_python_lib.boto3_proxy import SessionProxy
from cloudformation_cli_python_lib.hook import Hook
from cloudformation_cli_python_lib.interface import (
    BaseHookHandlerRequest,
    HandlerErrorCode,
    HookAnnotation,
    HookAnnotationSeverityLevel,
    HookAnnotationStatus,
    HookInvocationPoint,
    OperationStatus,
    ProgressEvent,
)

from keyforge_kms_key.judgement import (
    HOOK_TYPE_NAME,
    Settings,
    Verdict,
    judge,
    region_from_stack_id,
)

from .models import TypeConfigurationModel

LOG = logging.getLogger(__name__)
TYPE_NAME = HOOK_TYPE_NAME

hook = Hook(TYPE_NAME, TypeConfigurationModel)
test_entrypoint = hook.test_entrypoint


@hook.handler(HookInvocationPoint.CREATE_PRE_PROVISION)
def pre_create_handler(
    session: SessionProxy | None,
    request: BaseHookHandlerRequest,
    callback_context: MutableMapping[str, Any],
    type_configuration: TypeConfigurationModel | None,
) -> ProgressEvent:
    return judged(request, type_configuration, update=False)


@hook.handler(HookInvocationPoint.UPDATE_PRE_PROVISION)
def pre_update_handler(
    session: SessionProxy | None,
    request: BaseHookHandlerRequest,
    callback_context: MutableMapping[str, Any],
    type_configuration: TypeConfigurationModel | None,
) -> ProgressEvent:
    return judged(request, type_configuration, update=True)


@hook.handler(HookInvocationPoint.DELETE_PRE_PROVISION)
def pre_delete_handler(
    session: SessionProxy | None,
    request: BaseHookHandlerRequest,
    callback_context: MutableMapping[str, Any],
    type_configuration: TypeConfigurationModel | None,
) -> ProgressEvent:
    return ProgressEvent(
        status=OperationStatus.SUCCESS, message="Nothing to check before a delete."
    )


def judged(
    request: BaseHookHandlerRequest,
    type_configuration: TypeConfigurationModel | None,
    *,
    update: bool,
) -> ProgressEvent:
    context = request.hookContext
    settings, notes = Settings.read(
        getattr(type_configuration, "FailOn", None),
        getattr(type_configuration, "DisabledRules", None),
    )
    model = context.targetModel if isinstance(context.targetModel, Mapping) else {}
    verdict = judge(
        context.targetName,
        model.get("resourceProperties"),
        previous=model.get("previousResourceProperties"),
        update=update,
        region=region_from_stack_id(context.stackId) or os.environ.get("AWS_REGION"),
        settings=settings,
        logical_id=context.targetLogicalId,
        notes=notes,
    )
    LOG.info("%s", verdict.message())
    return progress(verdict)


def progress(verdict: Verdict) -> ProgressEvent:
    """The verdict as the hook's answer: SUCCESS, or FAILED with NonCompliant."""
    event = ProgressEvent(
        status=OperationStatus.SUCCESS if verdict.compliant else OperationStatus.FAILED,
        message=verdict.message(),
        annotations=[
            HookAnnotation(
                annotationName=annotation["annotationName"],
                status=HookAnnotationStatus(annotation["status"]),
                statusMessage=annotation["statusMessage"],
                remediationLink=annotation["remediationLink"],
                severityLevel=HookAnnotationSeverityLevel(annotation["severityLevel"]),
            )
            for annotation in verdict.annotations()
        ]
        or None,
    )
    if not verdict.compliant:
        event.errorCode = HandlerErrorCode.NonCompliant
    return event
