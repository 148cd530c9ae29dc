"""Turn a resource's template properties into the concrete property sets it can deploy with.

A property value is resolved where cfn-lint can resolve it: a literal stays as
it is, each branch of ``Fn::If`` is followed (``AWS::NoValue`` removes the
property), and ``Ref`` to a parameter or ``Fn::FindInMap`` go through
cfn-lint's own resolver (a parameter's Default and each of its AllowedValues).
Anything else is left as the intrinsic function it is, so the validation
checks skip it. The combinations of the resolved values are the variants; a
variant whose conditions contradict each other, or that needs two values of one
parameter, is dropped.
"""

from __future__ import annotations

import itertools
import json
import re
import weakref
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from cfnlint.conditions import UnknownSatisfisfaction
from cfnlint.context.conditions.exceptions import Unsatisfiable
from cfnlint.helpers import PSEUDOPARAMS, is_function
from cfnlint.jsonschema import CfnTemplateValidator
from cfnlint.template import Template

from keyforge_kms_key.validation import PropertyPath, json_value, resource_schema

TemplatePath = list[str | int]

# A ${Name} or ${Resource.Attribute} reference in the text of Fn::Sub (${!Text} is literal text).
SUB_REFERENCE = re.compile(r"\$\{([^!}][^}]*)\}")


# Above this many combinations the remaining properties stay unresolved: fewer
# findings, never a false one, and lint time stays bounded.
MAX_VARIANTS = 256

_RESOLVED_FUNCTIONS = frozenset({"Ref", "Fn::FindInMap"})


class _Absent:
    """A property removed by ``Ref: AWS::NoValue``."""

    def __repr__(self) -> str:
        return "AWS::NoValue"


ABSENT = _Absent()


@dataclass(frozen=True)
class Source:
    """Where one resolved property value comes from in the template."""

    value: Any
    path: tuple[str | int, ...]
    in_place: bool
    """True when the value is written at ``path``, so paths inside it exist in the template."""
    conditions: Mapping[str, bool] = field(default_factory=dict)
    parameters: Mapping[str, Any] = field(default_factory=dict)
    region: str | None = None
    written: Any = None
    """The value as written, when ``value`` is it with its nested Fn::If resolved."""


@dataclass(frozen=True)
class Variant:
    """One concrete set of properties a resource can be deployed with."""

    resource: str
    properties: Mapping[str, Any]
    sources: Mapping[str, Source]
    conditions: Mapping[str, bool]
    parameters: Mapping[str, Any]
    regions: tuple[str, ...]

    def path(self, problem_path: PropertyPath = ()) -> TemplatePath:
        """The template path for a path inside the properties (for the line number)."""
        base: TemplatePath = ["Resources", self.resource, "Properties"]
        if not problem_path:
            return base
        source = self.sources.get(str(problem_path[0]))
        if source is None:
            return [*base, *problem_path]
        if not source.in_place:
            return list(source.path)
        inner = list(problem_path[1:])
        if source.written is not None:
            inner = _written_path(source.written, inner, self.conditions)
        return [*source.path, *inner]

    def explain(self, message: str) -> str:
        """The message, with the parameter values it depends on (they are not in the template)."""
        used = [
            f"parameter {name} is {value}"
            for name, value in sorted(self.parameters.items())
            if isinstance(value, str) and value and _mentions(message, value)
        ]
        if not used:
            return message
        stem, stop = (message[:-1], ".") if message.endswith(".") else (message, "")
        return f"{stem} (when {', '.join(used)}){stop}"


def resource_variants(cfn: Template, name: str) -> list[Variant]:
    """The variants of a resource's properties, computed once per template."""
    resolver = _RESOLVERS.get(cfn)
    if resolver is None:
        resolver = _RESOLVERS[cfn] = _Resolver(cfn)
    return resolver.variants(name)


_RESOLVERS: weakref.WeakKeyDictionary[Template, _Resolver] = weakref.WeakKeyDictionary()


def satisfiable(cfn: Template, conditions: Mapping[str, bool], values: Mapping[str, Any]) -> bool:
    """Whether the conditions can hold together (and with these parameter and Region values)."""
    if not conditions:
        return True
    try:
        cfn.context.conditions.evolve(dict(conditions))
    except Unsatisfiable:
        return False
    except (KeyError, ValueError):
        pass
    try:
        return bool(cfn.conditions.satisfiable(dict(conditions), dict(values)))
    except UnknownSatisfisfaction:
        return True


def follow_if(
    cfn: Template, value: Any, path: TemplatePath, conditions: Mapping[str, bool]
) -> Iterator[tuple[Any, TemplatePath, Mapping[str, bool]]]:
    """Each value ``value`` can take through nested ``Fn::If`` branches, with its path."""
    key, args = is_function(value)
    if key == "Fn::If" and isinstance(args, list) and len(args) == 3:
        condition = args[0]
        if isinstance(condition, str):
            for index in (1, 2):
                state = index == 1
                if conditions.get(condition, state) != state:
                    continue
                chosen = {**conditions, condition: state}
                if satisfiable(cfn, chosen, {}):
                    yield from follow_if(cfn, args[index], [*path, "Fn::If", index], chosen)
            return
    yield value, path, conditions


class _Resolver:
    def __init__(self, cfn: Template) -> None:
        self.cfn = cfn
        self.validator = CfnTemplateValidator({}).evolve(cfn=cfn, context=cfn.context)
        self.types = _property_types()
        self.cache: dict[str, list[Variant]] = {}

    def variants(self, name: str) -> list[Variant]:
        if name not in self.cache:
            self.cache[name] = self._variants(name)
        return self.cache[name]

    def _variants(self, name: str) -> list[Variant]:
        resource = self.cfn.template.get("Resources", {}).get(name)
        if not isinstance(resource, Mapping):
            return []
        properties = resource.get("Properties")
        if not isinstance(properties, Mapping):
            properties = {}
        base: dict[str, bool] = {}
        condition = resource.get("Condition")
        if isinstance(condition, str):
            base[condition] = True
        path: TemplatePath = ["Resources", name, "Properties"]
        choices: list[tuple[str, list[Source]]] = []
        size = 1
        for prop, value in properties.items():
            options = self.sources(str(prop), value, [*path, str(prop)], base)
            if not options:
                continue
            if size * len(options) > MAX_VARIANTS:
                options = [Source(json_value(value), (*path, str(prop)), True, base)]
            size *= len(options)
            choices.append((str(prop), options))
        variants = []
        for combination in itertools.product(*(options for _, options in choices)):
            variant = self.combine(name, [prop for prop, _ in choices], combination, base)
            if variant is not None:
                variants.append(variant)
        return variants

    def combine(
        self,
        name: str,
        names: Sequence[str],
        sources: Sequence[Source],
        base: Mapping[str, bool],
    ) -> Variant | None:
        conditions = dict(base)
        parameters: dict[str, Any] = {}
        regions: set[str] = set()
        for source in sources:
            for key, state in source.conditions.items():
                if conditions.setdefault(key, state) != state:
                    return None
            for key, value in source.parameters.items():
                if parameters.setdefault(key, value) != value:
                    return None
            if source.region is not None:
                regions.add(source.region)
        if len(regions) > 1:
            return None
        candidates = sorted(regions) if regions else list(self.cfn.regions)
        usable = tuple(
            region
            for region in candidates
            if satisfiable(self.cfn, conditions, {**parameters, "AWS::Region": region})
        )
        if not usable:
            return None
        properties = {
            prop: source.value
            for prop, source in zip(names, sources, strict=True)
            if source.value is not ABSENT
        }
        return Variant(
            resource=name,
            properties=properties,
            sources=dict(zip(names, sources, strict=True)),
            conditions=conditions,
            parameters=parameters,
            regions=usable,
        )

    def sources(
        self, prop: str, value: Any, path: TemplatePath, base: Mapping[str, bool]
    ) -> list[Source]:
        found: dict[str, Source] = {}
        for branch, branch_path, conditions in follow_if(self.cfn, value, path, base):
            for source in self.resolve(prop, branch, branch_path, conditions):
                found.setdefault(_identity(source), source)
        return list(found.values())

    def resolve(
        self, prop: str, value: Any, path: TemplatePath, conditions: Mapping[str, bool]
    ) -> Iterator[Source]:
        key, args = is_function(value)
        if key == "Ref" and args == "AWS::NoValue":
            yield Source(ABSENT, tuple(path), True, conditions)
            return
        if key is None and _has_nested_if(value):
            yield from self.scenarios(value, path, conditions)
            return
        if key not in _RESOLVED_FUNCTIONS or (
            key == "Ref" and (not isinstance(args, str) or args in PSEUDOPARAMS)
        ):
            yield Source(json_value(value), tuple(path), True, conditions)
            return
        region_keyed = key == "Fn::FindInMap" and _is_region_ref(args)
        resolved = False
        try:
            validator = self.validator.evolve(
                context=self.validator.context.evolve(
                    conditions=self.validator.context.conditions.evolve(dict(conditions))
                )
            )
        except Unsatisfiable:
            return
        for result, result_validator, errors in _resolutions(validator, value):
            if errors or result is None:
                continue
            context = result_validator.context
            region = None
            if region_keyed:
                # cfn-lint offers every Region's row of a Region-keyed mapping for
                # every Region; a row only applies to its own Region.
                value_path = list(context.path.value_path)
                region = str(value_path[2]) if len(value_path) > 2 else None
                if region is None or region not in self.cfn.regions:
                    continue
            parameters = {
                name: bound
                for name, bound in context.ref_values.items()
                if name not in PSEUDOPARAMS and name in self.cfn.context.parameters
            }
            resolved = True
            yield Source(
                self.coerce(prop, json_value(result)),
                tuple(path),
                False,
                conditions,
                parameters,
                region,
            )
        if not resolved:
            yield Source(json_value(value), tuple(path), True, conditions)

    def scenarios(
        self, value: Any, path: TemplatePath, conditions: Mapping[str, bool]
    ) -> Iterator[Source]:
        """A map or list with Fn::If inside: the value in each scenario of its conditions."""
        try:
            scenarios = self.cfn.get_object_without_nested_conditions(value, path)
        except (TypeError, ValueError, KeyError, IndexError, AttributeError):
            scenarios = []  # malformed conditions: the value stays as written
        found = False
        for scenario in scenarios:
            chosen = {**conditions}
            for name, state in (scenario.get("Scenario") or {}).items():
                if chosen.setdefault(name, state) != state:
                    break
            else:
                if satisfiable(self.cfn, chosen, {}):
                    found = True
                    plain = json_value(scenario["Object"])
                    yield Source(plain, tuple(path), True, chosen, written=value)
        if not found:
            yield Source(json_value(value), tuple(path), True, conditions)

    def coerce(self, prop: str, value: Any) -> Any:
        """Parameter values are strings; CloudFormation converts them to the property's type."""
        if not isinstance(value, str):
            return value
        kind = self.types.get(prop)
        if kind == "boolean" and value.lower() in ("true", "false"):
            return value.lower() == "true"
        if kind == "integer" and value.strip().lstrip("-").isdigit():
            return int(value)
        return str(value)


def _resolutions(validator: CfnTemplateValidator, value: Any) -> list[tuple[Any, Any, Any]]:
    """cfn-lint's resolutions of a value; none when cfn-lint cannot handle what is written."""
    try:
        return list(validator.resolve_value(value))
    except (TypeError, ValueError, KeyError, IndexError, AttributeError):
        # A malformed function (a list as a map name, a map as a key) can make
        # cfn-lint's resolver raise: the value then stays unresolved, as any
        # value cfn-lint cannot resolve.
        return []


def _has_nested_if(value: Any) -> bool:
    """Whether an Fn::If is written anywhere inside a map or a list."""
    items = (
        value.values() if isinstance(value, Mapping) else value if isinstance(value, list) else ()
    )
    return any(
        (isinstance(item, Mapping) and "Fn::If" in item) or _has_nested_if(item) for item in items
    )


def _written_path(
    written: Any, path: Sequence[str | int], conditions: Mapping[str, bool]
) -> list[str | int]:
    """The path as written for a path inside the value with its Fn::If resolved.

    Each Fn::If on the way is followed into the branch the conditions choose,
    and list indexes count the items removed by AWS::NoValue, so the path
    points at the line the user wrote.
    """
    written_path: list[str | int] = []
    node, taken = _branch(written, conditions)
    written_path += taken
    for part in path:
        if isinstance(node, list) and isinstance(part, int):
            kept = [i for i, item in enumerate(node) if not _removed(item, conditions)]
            if part >= len(kept):
                break
            written_path.append(kept[part])
            node = node[kept[part]]
        elif isinstance(node, Mapping) and part in node:
            written_path.append(part)
            node = node[part]
        else:
            break
        node, taken = _branch(node, conditions)
        written_path += taken
    return written_path


def _branch(node: Any, conditions: Mapping[str, bool]) -> tuple[Any, list[str | int]]:
    """Into the branches of Fn::If the conditions choose, with the path taken."""
    taken: list[str | int] = []
    while True:
        key, args = is_function(node)
        if key != "Fn::If" or not (isinstance(args, list) and len(args) == 3):
            return node, taken
        state = conditions.get(args[0]) if isinstance(args[0], str) else None
        if state is None:
            return node, taken
        index = 1 if state else 2
        taken += ["Fn::If", index]
        node = args[index]


def _removed(item: Any, conditions: Mapping[str, bool]) -> bool:
    chosen, _ = _branch(item, conditions)
    key, args = is_function(chosen)
    return bool(key == "Ref" and args == "AWS::NoValue")


def _mentions(message: str, value: str) -> bool:
    return re.search(rf"(?<![\w-]){re.escape(value)}(?![\w-])", message) is not None


def _is_region_ref(args: Any) -> bool:
    if not isinstance(args, list) or len(args) < 3:
        return False
    key, name = is_function(args[1])
    return bool(key == "Ref" and name == "AWS::Region")


def _identity(source: Source) -> str:
    return json.dumps(
        [
            source.value if source.value is not ABSENT else "<absent>",
            list(source.path),
            sorted(source.conditions.items()),
            sorted(source.parameters.items()),
            source.region,
        ],
        default=str,
        sort_keys=True,
    )


@cache
def _property_types() -> Mapping[str, str]:
    """Primitive types by property name; AWS::KMS::Key shares these names and types."""
    types: dict[str, str] = {}
    for prop, spec in resource_schema()["properties"].items():
        kind = spec.get("type")
        if isinstance(kind, str):
            types[prop] = kind
    return types
