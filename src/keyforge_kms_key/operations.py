"""The steps of each lifecycle, as calls on the KMS gateway. No CloudFormation types here."""

from __future__ import annotations

from collections.abc import Callable, Mapping, MutableMapping
from typing import Any, NamedTuple

from cloudformation_cli_python_lib.interface import HandlerErrorCode

from .keyspecs import (
    CREATION_TOKEN_TAG,
    IMMUTABLE_PROPERTIES,
    PENDING_DELETION_STATES,
    KeyState,
    Limits,
    MultiRegion,
    Origin,
)
from .kms import KmsError, KmsGateway
from .plan import (
    TagChanges,
    desired_policy,
    desired_rotation,
    desired_tags,
    replica_regions,
    tag_changes,
)
from .policy import same_policy
from .readback import (
    ObservedKey,
    can_rotate,
    has_public_key,
    key_facts,
    listed_properties,
    managed_alias,
    observed_properties,
    primary_region,
    related_keys,
)


def observe(
    kms: KmsGateway,
    key_id: str,
    known: Mapping[str, Any],
    stack_tags: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """READ: the key's whole model as KMS reports it; NotFound once deletion is scheduled."""
    metadata = kms.describe_live_key(key_id)
    key_id = metadata["KeyId"]
    observed = ObservedKey(
        metadata=metadata,
        policy=kms.get_key_policy(key_id),
        rotation=kms.rotation_status(key_id) if can_rotate(metadata) else None,
        tags=kms.list_tags(key_id),
        aliases=kms.aliases_of(key_id),
        public_key=kms.get_public_key(key_id) if has_public_key(metadata) else None,
        replicas=live_replicas(kms, key_id, metadata),
    )
    return observed_properties(observed, known, stack_tags)


def created(
    kms: KmsGateway, key_id: str, desired: Mapping[str, Any], stack_tags: Mapping[str, str]
) -> ObservedKey:
    """The key a finished CREATE made, known from what it asked for; only its state and public
    key are read (DescribeKey, and GetPublicKey for an asymmetric key)."""
    metadata = kms.describe_live_key(key_id)
    rotation, period = desired_rotation(desired)
    alias = desired.get("AliasName")
    tags = desired_tags(desired, stack_tags)
    return ObservedKey(
        metadata=metadata,
        policy=desired_policy(desired, key_facts(metadata)),
        rotation=((rotation, period if rotation else None) if can_rotate(metadata) else None),
        tags=[{"Key": key, "Value": value} for key, value in tags.items()],
        aliases=[alias] if alias else [],
        public_key=kms.get_public_key(metadata["KeyId"]) if has_public_key(metadata) else None,
        replicas=related_keys(metadata),
    )


def find_key_with_token(kms: KmsGateway, tag_key: str, token: str) -> str | None:
    """The key carrying this creation token, if there is one.

    KMS has no search by tag, so this reads the tags of every key in the account and Region:
    a path for the rare CreateKey whose outcome is unknown, never for the normal one.
    """
    for key_id in kms.all_key_ids():
        try:
            tags = kms.list_tags(key_id)
        except KmsError as error:
            if error.code in (HandlerErrorCode.NotFound, HandlerErrorCode.AccessDenied):
                continue  # an AWS managed key, or gone again: not ours
            raise
        if {"Key": tag_key, "Value": token} in tags:
            return key_id
    return None


def finish_create(
    kms: KmsGateway, key_id: str, desired: Mapping[str, Any], done: MutableMapping[str, bool]
) -> None:
    """The calls after CreateKey that the model needs. `done` remembers them across invocations."""
    alias = desired.get("AliasName")
    if alias and not done.get("alias"):
        claim_alias(kms, alias, key_id)
        done["alias"] = True
    rotation, period = desired_rotation(desired)
    if rotation and not done.get("rotation"):
        kms.enable_rotation(key_id, period)
        done["rotation"] = True
    # A key waiting for imported material is not enabled, and KMS refuses DisableKey on it.
    waits_for_material = desired.get("Origin") == Origin.EXTERNAL.value
    if desired.get("Enabled") is False and not waits_for_material and not done.get("disabled"):
        kms.disable_key(key_id)
        done["disabled"] = True


def claim_alias(kms: KmsGateway, alias: str, key_id: str) -> None:
    """CreateAlias, where an alias that already points at this key counts as done."""
    try:
        kms.create_alias(alias, key_id)
    except KmsError as error:
        if error.code is not HandlerErrorCode.AlreadyExists:
            raise
        if alias not in kms.aliases_of(key_id):
            raise KmsError(
                HandlerErrorCode.AlreadyExists,
                f"Alias {alias} already belongs to another KMS key: choose another AliasName, "
                "or remove the alias from the other key first.",
                error.kms_code,
            ) from error


def release_alias(kms: KmsGateway, alias: str) -> None:
    """DeleteAlias, where an alias that is already gone counts as done."""
    try:
        kms.delete_alias(alias)
    except KmsError as error:
        if error.code is not HandlerErrorCode.NotFound:
            raise


def schedule_deletion(kms: KmsGateway, key_id: str, pending_window_in_days: int | None) -> None:
    """ScheduleKeyDeletion, where a key already pending deletion counts as done.

    A retried call whose first answer was lost finds the key PendingDeletion, and KMS refuses
    it with KMSInvalidStateException.
    """
    try:
        kms.schedule_deletion(key_id, pending_window_in_days)
    except KmsError as error:
        if error.kms_code != "KMSInvalidStateException":
            raise
        if kms.describe_key(key_id).get("KeyState") not in PENDING_DELETION_STATES:
            raise


def abandon_key(
    kms: KmsGateway, key_id: str, progress: MutableMapping[str, Any] | None = None
) -> None:
    """After a failed create: no alias left on the key, and every key of it scheduled for
    deletion: the stack Region's first (it is then no longer live), then each replica.

    Every alias that points at the key goes, not only the one the model names: a CreateAlias
    whose answer was lost may have made it without the handler knowing. `progress` remembers
    the replicas already retired, so that a cleanup spread over invocations goes on.
    """
    minimum = Limits.PENDING_WINDOW_DAYS.minimum
    retired: list[str] = (progress if progress is not None else {}).setdefault("retired", [])

    def release_aliases() -> None:
        for alias in kms.aliases_of(key_id):
            release_alias(kms, alias)

    def retire_replicas() -> None:
        for replica in related_keys(kms.describe_key(key_id)):
            if replica["Region"] not in retired:
                regional = kms.in_region(replica["Region"])
                retire_replica(regional, key_id, None, minimum, every_alias=True)
                retired.append(replica["Region"])

    steps: list[Callable[[], None]] = [
        release_aliases,
        lambda: schedule_deletion(kms, key_id, minimum),
    ]
    if is_multi_region_id(key_id):
        steps.append(retire_replicas)
    # Each step is tried whatever became of the one before: the key's own deletion above all.
    failures: list[Exception] = []
    for step in steps:
        try:
            step()
        except Exception as error:
            failures.append(error)
    if failures:
        raise failures[0]


class Changes:
    """What an operation has written so far, each with the call that puts it back."""

    def __init__(self) -> None:
        self._undo: list[tuple[str, Callable[[], None]]] = []

    def __bool__(self) -> bool:
        return bool(self._undo)

    def made(self, what: str, undo: Callable[[], None]) -> None:
        self._undo.append((what, undo))

    def put_back(self) -> tuple[list[str], list[str]]:
        """Undo every change, newest first: (what was restored, what could not be)."""
        restored: list[str] = []
        failed: list[str] = []
        for what, undo in reversed(self._undo):
            try:
                undo()
            except Exception:  # one undo failing must not stop the others
                failed.append(what)
            else:
                restored.append(what)
        self._undo.clear()
        return restored, failed

    def restored(self, failure: KmsError) -> KmsError:
        """`failure`, after putting back every change, saying what was restored."""
        if not self:
            return failure
        restored, failed = self.put_back()
        message = failure.message.rstrip(".") + "."
        if restored:
            message += f" Restored what this update had changed: {', '.join(restored)}."
        if failed:
            message += f" Could not restore: {', '.join(failed)}."
        return KmsError(failure.code, message, failure.kms_code)


def apply_update(
    kms: KmsGateway,
    metadata: Mapping[str, Any],
    previous: Mapping[str, Any],
    desired: Mapping[str, Any],
    stack_tags: Mapping[str, str] | None = None,
    changes: Changes | None = None,
    previous_stack_tags: Mapping[str, str] | None = None,
    progress: MutableMapping[str, Any] | None = None,
) -> ObservedKey:
    """Change only what differs between the key in KMS and the desired model.

    Each part of the key is read once, before it is changed; the key as it is afterwards is
    known from those reads and this update's own writes, and returned without reading again.
    The key policy is written first: it is what KMS refuses most (principals it cannot see,
    the lock-out check), and a refusal there leaves the key untouched. Every write is recorded
    in `changes` with the call that puts it back.
    """
    changes = Changes() if changes is None else changes
    key_id = metadata["KeyId"]
    after = dict(metadata)
    facts = key_facts(metadata)  # the key's immutables equal the desired ones by now

    policy = desired_policy(desired, facts)
    current_policy = kms.get_key_policy(key_id)
    if same_policy(current_policy, policy):
        policy = current_policy
    else:
        kms.put_key_policy(key_id, policy, desired.get("BypassPolicyLockoutSafetyCheck") is True)
        # KMS accepted the old policy once; the caller may since have lost the right to it.
        changes.made("key policy", lambda: kms.put_key_policy(key_id, current_policy, True))

    aliases = kms.aliases_of(key_id)
    old_alias = managed_alias(aliases, previous.get("AliasName"))
    new_alias = desired.get("AliasName")
    if new_alias and new_alias not in aliases:
        claim_alias(kms, new_alias, key_id)
        aliases = [*aliases, new_alias]
        changes.made(f"alias {new_alias} (removed)", lambda: release_alias(kms, new_alias))

    description = desired.get("Description") or ""
    old_description = metadata.get("Description", "")
    if description != old_description:
        kms.update_description(key_id, description)
        after["Description"] = description
        changes.made("description", lambda: kms.update_description(key_id, old_description))

    # KMS changes rotation only on an enabled key: enable first, disable last. A key that stays
    # disabled is enabled just for the rotation change.
    enabled = desired.get("Enabled") is not False
    toggles = metadata.get("KeyState") != KeyState.PENDING_IMPORT
    rotation = kms.rotation_status(key_id) if can_rotate(metadata) else None
    # Rotation is shared by a multi-Region key's set: KMS changes it on the primary only.
    rotator = kms.in_region(primary_region(metadata))
    rotation_change = _rotation_change(rotator, key_id, desired, rotation)
    if toggles and not after.get("Enabled") and (enabled or rotation_change):
        kms.enable_key(key_id)
        after.update(Enabled=True, KeyState=KeyState.ENABLED.value)
        changes.made("disabled state", lambda: kms.disable_key(key_id))
    if rotation_change is not None:
        old_rotation = rotation
        rotation = rotation_change()
        changes.made("rotation", lambda: _set_rotation(rotator, key_id, old_rotation))

    tags = kms.list_tags(key_id)
    managed_tags = frozenset(desired_tags(previous, previous_stack_tags))
    tag_change = tag_changes(tags, desired_tags(desired, stack_tags), managed_tags)
    _apply_tag_changes(kms, key_id, tags, tag_change, changes)
    changed = set(tag_change.to_remove) | set(tag_change.to_set)
    tags = [tag for tag in tags if tag["Key"] not in changed]
    tags += [{"Key": key, "Value": value} for key, value in tag_change.to_set.items()]

    if old_alias and old_alias != new_alias and previous.get("AliasName") == old_alias:
        release_alias(kms, old_alias)
        aliases = [alias for alias in aliases if alias != old_alias]
        changes.made(f"alias {old_alias}", lambda: claim_alias(kms, old_alias, key_id))

    replicas = None
    if related_keys(metadata) or replica_regions(desired) or replica_regions(previous):
        token = next((tag["Value"] for tag in tags if tag["Key"] == CREATION_TOKEN_TAG), None)
        wanted = ReplicaState(
            description=description,
            policy=desired_policy(desired, facts),
            bypass=desired.get("BypassPolicyLockoutSafetyCheck") is True,
            tags=desired_tags(desired, stack_tags),
            managed_tags=managed_tags,
            alias=new_alias,
            old_alias=previous.get("AliasName"),
            token=token,
        )
        replicas = update_replicas(kms, metadata, previous, desired, wanted, progress)

    if toggles and not enabled and after.get("Enabled"):
        kms.disable_key(key_id)
        after.update(Enabled=False, KeyState=KeyState.DISABLED.value)
    public_key = kms.get_public_key(key_id) if has_public_key(after) else None
    return ObservedKey(after, policy, rotation, tags, aliases, public_key, replicas)


def _apply_tag_changes(
    kms: KmsGateway,
    key_id: str,
    tags: list[dict[str, str]],
    change: TagChanges,
    changes: Changes,
) -> None:
    before = {tag["Key"]: tag["Value"] for tag in tags}
    if change.to_remove:
        kms.untag(key_id, change.to_remove)
        removed = {key: before[key] for key in change.to_remove}
        changes.made("removed tags", lambda: kms.tag(key_id, removed))
    if change.to_set:
        kms.tag(key_id, change.to_set)
        overwritten = {key: before[key] for key in change.to_set if key in before}
        added = [key for key in change.to_set if key not in before]

        def untag_added() -> None:
            if added:
                kms.untag(key_id, added)
            if overwritten:
                kms.tag(key_id, overwritten)

        changes.made("tags", untag_added)


def _set_rotation(kms: KmsGateway, key_id: str, rotation: tuple[bool, int | None] | None) -> None:
    """Put rotation back as it was."""
    if rotation is None:
        return
    enabled, period = rotation
    if enabled:
        kms.enable_rotation(key_id, period)
    else:
        kms.disable_rotation(key_id)


def _rotation_change(
    kms: KmsGateway,
    key_id: str,
    desired: Mapping[str, Any],
    current: tuple[bool, int | None] | None,
) -> Callable[[], tuple[bool, int | None]] | None:
    """The rotation call the desired model needs, if any; it returns the rotation after it."""
    if current is None:
        return None
    rotation, period = desired_rotation(desired)
    enabled, current_period = current

    def enable() -> tuple[bool, int | None]:
        kms.enable_rotation(key_id, period)
        return True, period

    def disable() -> tuple[bool, int | None]:
        kms.disable_rotation(key_id)
        return False, None

    if rotation and (not enabled or current_period != period):
        return enable
    if not rotation and enabled:
        return disable
    return None


def delete(
    kms: KmsGateway, key_id: str, model: Mapping[str, Any], progress: MutableMapping[str, Any]
) -> None:
    """Remove the alias this resource manages, then schedule the key's deletion: with every key
    of a multi-Region key's set, replicas first and the primary last, wherever it is.

    `progress` remembers across invocations that the deletion was asked for: a key found
    pending deletion after that is this DELETE's own work, not a key that was already gone.
    """
    alias = model.get("AliasName")
    window = model.get("PendingWindowInDays")
    if is_multi_region_id(key_id) and not progress.get("replicas_retired"):
        metadata = kms.describe_live_key(key_id)
        home = primary_region(metadata)
        retired: list[str] = progress.setdefault("retired", [])
        for replica in related_keys(metadata):
            region = replica["Region"]
            if region != home and region not in retired:  # replicas first; the primary last
                retire_replica(kms.in_region(region), key_id, alias, window)
                retired.append(region)
        progress["replicas_retired"] = True
        if home != kms.region:
            progress["primary_region"] = home
    requested = progress.get("deletion_requested")
    done = requested and kms.describe_key(key_id).get("KeyState") in PENDING_DELETION_STATES
    if not done:
        if not requested:
            if alias and _alias_target(kms, alias) == key_id:
                release_alias(kms, alias)  # DescribeKey of the alias said the key is live, too
            else:
                kms.describe_live_key(key_id)
        progress["deletion_requested"] = True
        schedule_deletion(kms, key_id, window)
    primary = progress.get("primary_region")
    if primary is not None:  # the primary moved away from the stack's Region: it goes last
        retire_replica(kms.in_region(str(primary)), key_id, alias, window)


def _alias_target(kms: KmsGateway, alias: str) -> str | None:
    """The live key an alias points at, if any."""
    try:
        metadata = kms.describe_key(alias)
    except KmsError as error:
        if error.code is not HandlerErrorCode.NotFound:
            raise
        return None
    return None if metadata.get("KeyState") in PENDING_DELETION_STATES else str(metadata["KeyId"])


def list_page(kms: KmsGateway, marker: str | None) -> tuple[list[dict[str, Any]], str | None]:
    """One page of customer managed keys that still exist, with one DescribeKey per key.

    A key whose policy refuses DescribeKey to the caller is listed by its id alone: it exists,
    and whoever may read it can; hiding it would hide a key from an import or an inventory.
    """
    page = kms.list_keys(marker)
    models: list[dict[str, Any]] = []
    for key_id in page.key_ids:
        try:
            metadata = kms.describe_key(key_id)
        except KmsError as error:
            if error.code is HandlerErrorCode.NotFound:
                continue
            if error.code is HandlerErrorCode.AccessDenied:
                models.append({"KeyId": key_id})
                continue
            raise
        if (
            metadata.get("KeyState") in PENDING_DELETION_STATES
            or metadata.get("KeyManager") == "AWS"
        ):
            continue
        if is_replica(metadata):
            continue  # part of the resource whose primary key is in another Region
        models.append(listed_properties(metadata))
    return models, page.next_marker


def current_immutables(metadata: Mapping[str, Any]) -> dict[str, Any]:
    """The key's immutable properties as DescribeKey reports them (None where it omits one)."""
    return {name: metadata.get(name) for name in IMMUTABLE_PROPERTIES}


# ---------------------------------------------------------------------------
# Replicas of a multi-Region key


class ReplicaState(NamedTuple):
    """What every replica should have: the primary's description, policy, tags and alias."""

    description: str
    policy: str
    bypass: bool
    tags: dict[str, str]
    alias: str | None
    managed_tags: frozenset[str] = frozenset()  # the tags the stack set before (see tag_changes)
    old_alias: str | None = None
    token: str | None = None  # the primary's creation token, which a new replica carries too

    def replicate_key_params(self) -> dict[str, Any]:
        tags = {**self.tags, **({CREATION_TOKEN_TAG: self.token} if self.token else {})}
        params: dict[str, Any] = {
            "Description": self.description,
            "Policy": self.policy,
            "Tags": [{"TagKey": key, "TagValue": value} for key, value in tags.items()],
        }
        if self.bypass:
            params["BypassPolicyLockoutSafetyCheck"] = True
        return params


def is_multi_region_id(key_id: str) -> bool:
    """Whether a key id (or key ARN) names a multi-Region key: KMS starts their ids with mrk-."""
    return key_id.rsplit("/", 1)[-1].startswith(MultiRegion.KEY_ID_PREFIX)


def is_replica(metadata: Mapping[str, Any]) -> bool:
    config = metadata.get("MultiRegionConfiguration") or {}
    return bool(config.get("MultiRegionKeyType") == "REPLICA")


def replica_arn(primary_arn: str, region: str) -> str:
    """A replica's ARN: the primary's, in the replica's Region (the key id is the same)."""
    prefix, partition, service, _, rest = primary_arn.split(":", 4)
    return ":".join((prefix, partition, service, region, rest))


def live_replicas(
    kms: KmsGateway, key_id: str, metadata: Mapping[str, Any]
) -> list[dict[str, str]]:
    """The other keys of the set that are not pending deletion (a DescribeKey each).

    KMS lists a replica whose deletion is scheduled until it is gone, so its state is asked,
    as long as the invocation's KMS calls allow (READ cannot call back): a key of the set not
    asked about is taken as listed, live.
    """
    live = []
    for replica in related_keys(metadata):
        if kms.budget.left > 0 and not _is_live(kms.in_region(replica["Region"]), key_id):
            continue
        live.append(replica)
    return live


def create_replicas(
    kms: KmsGateway,
    key_id: str,
    desired: Mapping[str, Any],
    params: Mapping[str, Any],
    done: MutableMapping[str, bool],
) -> None:
    """CREATE's replicas: ReplicateKey into each Region (with CreateKey's description, policy
    and tags), then the alias there. `done` remembers each step across invocations."""
    alias = desired.get("AliasName")
    for region in replica_regions(desired):
        if not done.get(f"replica {region}"):
            replicate(kms, key_id, region, params)
            done[f"replica {region}"] = True
        if alias and not done.get(f"alias {region}"):
            claim_alias(kms.in_region(region), alias, key_id)
            done[f"alias {region}"] = True


def replicate(kms: KmsGateway, key_id: str, region: str, params: Mapping[str, Any]) -> None:
    """ReplicateKey, where a replica already in the Region counts as done; one that is pending
    deletion there (its Region was removed earlier) has its deletion cancelled."""
    try:
        kms.replicate_key(key_id, region, **params)
    except KmsError as error:
        if error.code is not HandlerErrorCode.AlreadyExists:
            raise
        regional = kms.in_region(region)
        if regional.describe_key(key_id).get("KeyState") in PENDING_DELETION_STATES:
            regional.cancel_deletion(key_id)
            if regional.describe_key(key_id).get("KeyState") == KeyState.DISABLED:
                regional.enable_key(key_id)


def update_replicas(
    kms: KmsGateway,
    metadata: Mapping[str, Any],
    previous: Mapping[str, Any],
    desired: Mapping[str, Any],
    wanted: ReplicaState,
    progress: MutableMapping[str, Any] | None = None,
) -> list[dict[str, str]]:
    """UPDATE's replicas: new Regions replicated, removed ones scheduled for deletion, and the
    description, policy, tags and alias of every other key of the set kept in step. The
    replicas after it.

    One Region at a time, each finished Region remembered in `progress` (the callback
    context): an update of many replicas spreads over invocations and goes on where it was.
    """
    key_id = str(metadata["KeyId"])
    regions = replica_regions(desired)
    listed = {replica["Region"]: replica for replica in related_keys(metadata)}
    synced: list[str] = (progress if progress is not None else {}).setdefault("synced", [])
    window = desired.get("PendingWindowInDays")
    for region in replica_regions(previous):
        if region not in regions and region in listed and region not in synced:
            regional = kms.in_region(region)
            if _is_live(regional, key_id):
                retire_replica(regional, key_id, wanted.old_alias, window)
            synced.append(region)
    # KMS replicates only from the primary key, wherever it is now.
    primary = kms.in_region(primary_region(metadata))
    replicas = []
    for region in regions:
        arn = listed.get(region, {}).get("Arn") or replica_arn(metadata["Arn"], region)
        replicas.append({"Region": region, "Arn": arn})
        if region in synced:
            continue
        regional = kms.in_region(region)
        if region in listed and _is_live(regional, key_id):
            sync_replica(regional, key_id, wanted)
        else:
            replicate(primary, key_id, region, wanted.replicate_key_params())
            sync_replica(regional, key_id, wanted, properties=False)
        synced.append(region)
    return replicas


def is_updating(kms: KmsGateway, key_id: str) -> bool:
    """Whether the key, or its set's primary, is Updating: its primary Region is moving, and
    KMS refuses some operations (ReplicateKey, EnableKey, DisableKey) for a few seconds."""
    metadata = kms.describe_key(key_id)
    if metadata.get("KeyState") == KeyState.UPDATING:
        return True
    home = primary_region(metadata)
    if home == kms.region:
        return False
    return kms.in_region(home).describe_key(key_id).get("KeyState") == KeyState.UPDATING


def _is_live(regional: KmsGateway, key_id: str) -> bool:
    """Whether the key exists in the gateway's Region and is not pending deletion."""
    try:
        state = regional.describe_key(key_id).get("KeyState")
    except KmsError as error:
        if error.code is not HandlerErrorCode.NotFound:
            raise
        return False
    return state not in PENDING_DELETION_STATES


def sync_replica(
    regional: KmsGateway, key_id: str, wanted: ReplicaState, *, properties: bool = True
) -> None:
    """Give a replica the primary's description, policy, tags and alias; only what differs."""
    if properties:
        if regional.describe_key(key_id).get("Description", "") != wanted.description:
            regional.update_description(key_id, wanted.description)
        if not same_policy(regional.get_key_policy(key_id), wanted.policy):
            regional.put_key_policy(key_id, wanted.policy, wanted.bypass)
        changes = tag_changes(regional.list_tags(key_id), wanted.tags, wanted.managed_tags)
        if changes.to_remove:
            regional.untag(key_id, changes.to_remove)
        if changes.to_set:
            regional.tag(key_id, changes.to_set)
    aliases = regional.aliases_of(key_id)
    if wanted.alias and wanted.alias not in aliases:
        claim_alias(regional, wanted.alias, key_id)
    if wanted.old_alias and wanted.old_alias != wanted.alias and wanted.old_alias in aliases:
        release_alias(regional, wanted.old_alias)


def retire_replica(
    regional: KmsGateway,
    key_id: str,
    alias: str | None,
    pending_window_in_days: int | None,
    *,
    every_alias: bool = False,
) -> None:
    """A replica's alias (or every alias) removed, and its deletion scheduled."""
    if alias or every_alias:
        for name in regional.aliases_of(key_id):
            if every_alias or name == alias:
                release_alias(regional, name)
    schedule_deletion(regional, key_id, pending_window_in_days)
