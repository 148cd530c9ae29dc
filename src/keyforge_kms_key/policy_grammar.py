"""The key-policy grammar KMS accepts (pure): what a policy document may hold, element by element.

A key policy is an IAM JSON policy (IAM User Guide, "Grammar of the IAM JSON policy language")
that KMS reads as a resource policy (KMS developer guide, "Key policies"):

- the document: Version ("2012-10-17" or "2008-10-17"), Id (text) and Statement, nothing else;
- Statement: one statement object, or a list of them;
- a statement: Sid (text), Effect ("Allow" or "Deny"), exactly one of Principal and NotPrincipal,
  at most one of Action and NotAction, Resource, and Condition; nothing else (KMS refuses
  NotResource: the only Resource a key policy may name is the key itself, "*");
- Principal: "*", or an object whose members are AWS, Service, Federated or CanonicalUser, each
  one text or a non-empty list of texts;
- Action and NotAction: "*" or "service:action" (wildcards allowed), or a non-empty list of them;
- Condition: an object of operator -> key -> a value or a non-empty list of values (text,
  numbers and booleans, which IAM reads as their text);
- the whole text within the characters KMS's Policy parameter allows (tab, newline, carriage
  return and U+0020 to U+00FF; KMS API reference, CreateKey, Policy "Pattern").

Anything else is refused with one sentence naming the statement and the element. In a template,
a value written with an intrinsic function is not judged (it is resolved at deploy time).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

PropertyPath = tuple[str | int, ...]
# (where in the document, the value there, the sentence)
GrammarProblem = tuple[PropertyPath, object, str]

MALFORMED = "KMS refuses such a key policy (MalformedPolicyDocumentException)"
VERSIONS = ("2012-10-17", "2008-10-17")
DOCUMENT_ELEMENTS = ("Version", "Id", "Statement")
STATEMENT_ELEMENTS = (
    "Sid",
    "Effect",
    "Principal",
    "NotPrincipal",
    "Action",
    "NotAction",
    "Resource",
    "Condition",
)
EFFECTS = ("Allow", "Deny")
PRINCIPAL_TYPES = ("AWS", "Service", "Federated", "CanonicalUser")
_ACTION = re.compile(r"\*|[A-Za-z0-9-]+:[A-Za-z0-9*?]+")
_ALLOWED_CHARACTERS = re.compile(r"[\t\n\r\u0020-\u00ff]*")


def is_literal(value: object) -> bool:
    """False for a CloudFormation intrinsic function ({"Ref": ...}, {"Fn::If": ...})."""
    if isinstance(value, Mapping) and len(value) == 1:
        (key,) = value
        return not (key == "Ref" or str(key).startswith("Fn::") or key == "Condition")
    return True


def holds_intrinsic(value: object) -> bool:
    """Whether an intrinsic function is anywhere in a value (CloudFormation left it unresolved)."""
    if not is_literal(value):
        return True
    if isinstance(value, Mapping):
        return any(holds_intrinsic(item) for item in value.values())
    if isinstance(value, list):
        return any(holds_intrinsic(item) for item in value)
    return False


def statement_name(where: PropertyPath, statement: Mapping[str, Any]) -> str:
    sid = statement.get("Sid")
    if isinstance(sid, str) and sid:
        return f"statement {sid!r}"
    return f"statement {where[1]}" if len(where) > 1 else "statement"


def character_problems(text: str) -> list[GrammarProblem]:
    """Characters outside what KMS's Policy parameter allows."""
    if _ALLOWED_CHARACTERS.fullmatch(text):
        return []
    bad = next(c for c in text if not _ALLOWED_CHARACTERS.fullmatch(c))
    return [
        (
            (),
            None,
            f"KeyPolicy holds the character U+{ord(bad):04X}: KMS allows only tab, newline, "
            f"carriage return and U+0020 to U+00FF in a key policy; {MALFORMED}.",
        )
    ]


def grammar_problems(document: Mapping[str, Any]) -> list[GrammarProblem]:
    """Where a policy document breaks the key-policy grammar, one sentence each."""
    problems: list[GrammarProblem] = []
    for name in document:
        if name not in DOCUMENT_ELEMENTS:
            problems.append(
                _problem(
                    (name,),
                    None,
                    f"KeyPolicy has an element {name!r}",
                    f"a key policy holds only {_or(DOCUMENT_ELEMENTS)}",
                )
            )
    version = document.get("Version")
    if "Version" in document and is_literal(version) and version not in VERSIONS:
        problems.append(
            _problem(
                ("Version",), version, f"KeyPolicy Version {_shown(version)}", _one_of(VERSIONS)
            )
        )
    if "Id" in document and is_literal(document["Id"]) and not isinstance(document["Id"], str):
        problems.append(_problem(("Id",), document["Id"], "KeyPolicy Id", "it must be text"))
    statements = document.get("Statement")
    if "Statement" not in document:
        return [
            *problems,
            _problem((), None, "KeyPolicy has no Statement", "it needs at least one"),
        ]
    if not is_literal(statements):
        return problems
    if isinstance(statements, Mapping):
        return problems + _statement_problems(("Statement",), statements)
    if not isinstance(statements, list):
        return [
            *problems,
            _problem(
                ("Statement",),
                statements,
                f"KeyPolicy Statement is {_shown(statements)}",
                "it must be a statement object or a list of them",
            ),
        ]
    for index, statement in enumerate(statements):
        where: PropertyPath = ("Statement", index)
        if not is_literal(statement):
            continue
        if not isinstance(statement, Mapping):
            problems.append(
                _problem(
                    where,
                    statement,
                    f"KeyPolicy statement {index} is {_shown(statement)}",
                    "a statement must be an object",
                )
            )
            continue
        problems += _statement_problems(where, statement)
    return problems


def _statement_problems(where: PropertyPath, statement: Mapping[str, Any]) -> list[GrammarProblem]:
    name = f"KeyPolicy {statement_name(where, statement)}"
    problems: list[GrammarProblem] = []
    for element in statement:
        if element == "NotResource":
            problems.append(
                _problem(
                    (*where, element),
                    None,
                    f"{name} has NotResource",
                    'a key policy names only Resource "*", the key itself',
                )
            )
        elif element not in STATEMENT_ELEMENTS:
            problems.append(
                _problem(
                    (*where, element),
                    None,
                    f"{name} has an element {element!r}",
                    f"a statement holds only {_or(STATEMENT_ELEMENTS)}",
                )
            )
    sid = statement.get("Sid")
    if "Sid" in statement and is_literal(sid) and not isinstance(sid, str):
        problems.append(
            _problem((*where, "Sid"), sid, f"{name} has Sid {_shown(sid)}", "it must be text")
        )
    effect = statement.get("Effect")
    if "Effect" not in statement:
        problems.append(_problem(where, None, f"{name} has no Effect", _one_of(EFFECTS)))
    elif is_literal(effect) and effect not in EFFECTS:
        problems.append(
            _problem(
                (*where, "Effect"), effect, f"{name} has Effect {_shown(effect)}", _one_of(EFFECTS)
            )
        )
    given = [element for element in ("Principal", "NotPrincipal") if element in statement]
    if not given:
        problems.append(
            _problem(
                where,
                None,
                f"{name} has no Principal",
                "a key policy statement names whom it applies to",
            )
        )
    elif len(given) == 2:
        problems.append(
            _problem(where, None, f"{name} has both Principal and NotPrincipal", "give one")
        )
    for element in given:
        problems += _principal_problems((*where, element), statement[element], name)
    if "Action" in statement and "NotAction" in statement:
        problems.append(_problem(where, None, f"{name} has both Action and NotAction", "give one"))
    for element in ("Action", "NotAction"):
        if element in statement:
            problems += _action_problems((*where, element), statement[element], f"{name} {element}")
    resource = statement.get("Resource")
    if "Resource" in statement and is_literal(resource) and not _texts(resource):
        problems.append(
            _problem(
                (*where, "Resource"),
                resource,
                f"{name} has Resource {_shown(resource)}",
                'it must be "*"',
            )
        )
    if "Condition" in statement:
        problems += _condition_problems((*where, "Condition"), statement["Condition"], name)
    return problems


def _principal_problems(where: PropertyPath, principal: Any, name: str) -> list[GrammarProblem]:
    element = where[-1]
    if not is_literal(principal) or principal == "*":
        return []
    if not isinstance(principal, Mapping) or not principal:
        return [
            _problem(
                where,
                principal,
                f"{name} has {element} {_shown(principal)}",
                f'it must be "*" or an object of {_or(PRINCIPAL_TYPES)} principals',
            )
        ]
    problems = []
    for kind, value in principal.items():
        if kind not in PRINCIPAL_TYPES:
            problems.append(
                _problem(
                    (*where, kind),
                    None,
                    f"{name} has {element} type {kind!r}",
                    _one_of(PRINCIPAL_TYPES),
                )
            )
        elif is_literal(value) and not _texts(value):
            problems.append(
                _problem(
                    (*where, kind),
                    value,
                    f"{name} has {element} {kind} {_shown(value)}",
                    "it must be text or a non-empty list of texts",
                )
            )
    return problems


def _action_problems(where: PropertyPath, value: Any, name: str) -> list[GrammarProblem]:
    if not is_literal(value):
        return []
    if not _texts(value):
        return [
            _problem(
                where,
                value,
                f"{name} is {_shown(value)}",
                "it must be text or a non-empty list of texts",
            )
        ]
    items = value if isinstance(value, list) else [value]
    return [
        _problem(
            where,
            item,
            f"{name} {_shown(item)}",
            'an action is "*" or "service:action", as "kms:Decrypt"',
        )
        for item in items
        if isinstance(item, str) and not _ACTION.fullmatch(item)
    ]


def _condition_problems(where: PropertyPath, condition: Any, name: str) -> list[GrammarProblem]:
    if not is_literal(condition):
        return []
    shape = "operator -> key -> value (or a non-empty list of values)"
    if not isinstance(condition, Mapping):
        return [
            _problem(
                where,
                condition,
                f"{name} has Condition {_shown(condition)}",
                f"it must be an object of {shape}",
            )
        ]
    problems = []
    for operator, keys in condition.items():
        if not is_literal(keys):
            continue
        if not isinstance(keys, Mapping) or not keys:
            problems.append(
                _problem(
                    (*where, operator),
                    keys,
                    f"{name} has Condition {operator} {_shown(keys)}",
                    f"a condition is {shape}",
                )
            )
            continue
        for key, value in keys.items():
            if is_literal(value) and not _condition_values(value):
                problems.append(
                    _problem(
                        (*where, operator, key),
                        value,
                        f"{name} has Condition {operator} {key} {_shown(value)}",
                        "a condition value is text, a number or a boolean, or a non-empty list",
                    )
                )
    return problems


def _texts(value: Any) -> bool:
    """Text, or a non-empty list of texts (intrinsic functions inside a list pass)."""
    if isinstance(value, str):
        return True
    return (
        isinstance(value, list)
        and bool(value)
        and all(isinstance(item, str) or not is_literal(item) for item in value)
    )


def _condition_values(value: Any) -> bool:
    scalar = (str, int, float, bool)
    if isinstance(value, scalar):
        return True
    return (
        isinstance(value, list)
        and bool(value)
        and all(isinstance(item, scalar) or not is_literal(item) for item in value)
    )


def _problem(where: PropertyPath, value: object, what: str, allowed: str) -> GrammarProblem:
    return where, value, f"{what}: {allowed}; {MALFORMED}."


def _shown(value: object) -> str:
    text = json.dumps(value, default=str)
    return text if len(text) <= 40 else text[:37] + "..."


def _one_of(names: tuple[str, ...]) -> str:
    return f"it must be {_or(names)}"


def _or(names: tuple[str, ...]) -> str:
    quoted = [f'"{name}"' for name in names]
    return ", ".join(quoted[:-1]) + f" or {quoted[-1]}" if len(quoted) > 1 else quoted[0]
