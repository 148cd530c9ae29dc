"""What KMS would refuse, found before KMS is called.

Pure functions from a key's properties (CloudFormation names, plain JSON
values) to a list of problems. The handlers refuse a model for exactly these
problems and the lint rules flag a template for exactly these problems. A value
that is not a plain JSON value (an unresolved intrinsic function in a template)
is skipped, never guessed at.

One concern a module:

- `problems`: `Problem` and its `PropertyPath`; `values`: values as the checks read them;
- `key_spec`: the key spec's usages, rotation, Regions and imported material;
- `replicas`: the replica Regions of a multi-Region key;
- `key_policy`: the key policy, reading its statements with `statements`;
- `principal_lists`: the builder's lists of principals and accounts;
- `tags` and `aliases`;
- `schema`: schema.json and its generated validators; `schema_messages`: what the schema check
  says, and CloudFormation's raw properties made the values they mean;
- `immutable`: what no update may change;
- `everything`: `validate`, every problem at once.

The names below are the package's public surface.
"""

from .aliases import alias_name_messages, alias_problems
from .everything import validate
from .immutable import immutable_changes, immutable_value
from .key_policy import BUILDER_PROPERTIES, key_policy_problems, policy_problems, policy_text
from .key_spec import key_spec_problems, origin_problems, region_problems, rotation_problems
from .principal_lists import PRINCIPAL_LISTS, principal_problems
from .problems import Problem, PropertyPath, format_path
from .replicas import botocore_version, kms_regions, replica_problems
from .schema import (
    SchemaError,
    check_key,
    resource_schema,
    schema_checks,
    schema_errors,
    shallow_checks,
    writable_properties,
)
from .schema_messages import request_problems, schema_problems
from .statements import (
    action_matches,
    action_patterns,
    covers_action,
    everyone_at,
    is_everyone,
    policy_statements,
)
from .tags import KEYFORGE_MAX_TAGS, stack_tag_problems, tag_problems
from .values import describe, json_value

__all__ = [
    "BUILDER_PROPERTIES",
    "KEYFORGE_MAX_TAGS",
    "PRINCIPAL_LISTS",
    "Problem",
    "PropertyPath",
    "SchemaError",
    "action_matches",
    "action_patterns",
    "alias_name_messages",
    "alias_problems",
    "botocore_version",
    "check_key",
    "covers_action",
    "describe",
    "everyone_at",
    "format_path",
    "immutable_changes",
    "immutable_value",
    "is_everyone",
    "json_value",
    "key_policy_problems",
    "key_spec_problems",
    "kms_regions",
    "origin_problems",
    "policy_problems",
    "policy_statements",
    "policy_text",
    "principal_problems",
    "region_problems",
    "replica_problems",
    "request_problems",
    "resource_schema",
    "rotation_problems",
    "schema_checks",
    "schema_errors",
    "schema_problems",
    "shallow_checks",
    "stack_tag_problems",
    "tag_problems",
    "validate",
    "writable_properties",
]
