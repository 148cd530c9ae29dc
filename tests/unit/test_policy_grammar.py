"""The key-policy grammar: what KMS accepts, element by element, and one sentence for the rest.

The expectations follow the IAM JSON policy grammar (IAM User Guide) and KMS's Policy parameter
(KMS API reference, CreateKey: 32 KiB; tab, newline, carriage return and U+0020-U+00FF).
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from keyforge_kms_key.policy_grammar import character_problems, grammar_problems
from keyforge_kms_key.validation import validate

ROOT = {
    "Sid": "Root",
    "Effect": "Allow",
    "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
    "Action": "kms:*",
    "Resource": "*",
}


def policy(*statements: Any, **document: Any) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": list(statements) or [ROOT], **document}


@pytest.mark.parametrize(
    "document",
    [
        pytest.param(policy(), id="the-default-shape"),
        pytest.param({"Version": "2012-10-17", "Statement": ROOT}, id="one-statement-object"),
        pytest.param(policy(Id="key-policy-1"), id="id"),
        pytest.param({"Version": "2008-10-17", "Statement": [ROOT]}, id="old-version"),
        pytest.param({"Statement": [ROOT]}, id="no-version"),
        pytest.param(policy({**ROOT, "Principal": "*"}), id="principal-star"),
        pytest.param(
            policy({**ROOT, "Principal": {"Service": ["logs.amazonaws.com"], "AWS": "*"}}),
            id="principal-types",
        ),
        pytest.param(policy({**ROOT, "Action": ["kms:Encrypt", "kms:Re*", "*"]}), id="actions"),
        pytest.param(
            policy({k: v for k, v in ROOT.items() if k != "Action"} | {"NotAction": "kms:Delete*"}),
            id="not-action",
        ),
        pytest.param(
            policy(
                {
                    **ROOT,
                    "Condition": {
                        "StringEquals": {"kms:CallerAccount": "111122223333"},
                        "Bool": {"kms:GrantIsForAWSResource": True},
                        "NumericLessThan": {"kms:ExpirationModel": [1, 2.5]},
                    },
                }
            ),
            id="conditions",
        ),
        pytest.param(
            policy(
                {"Effect": "Deny", "NotPrincipal": {"AWS": "arn:aws:iam::1:root"}, "Action": "*"}
            ),
            id="not-principal",
        ),
    ],
)
def test_what_kms_accepts(document: dict[str, Any]) -> None:
    assert grammar_problems(document) == []


@pytest.mark.parametrize(
    ("document", "sentence"),
    [
        ({"Statement": True}, "KeyPolicy Statement is true: it must be a statement object or"),
        (policy("text"), 'KeyPolicy statement 0 is "text": a statement must be an object'),
        (policy({**ROOT, "Effect": 1}), "KeyPolicy statement 'Root' has Effect 1: it must be"),
        (policy({**ROOT, "Effect": "allow"}), "statement 'Root' has Effect \"allow\""),
        (policy({k: v for k, v in ROOT.items() if k != "Effect"}), "'Root' has no Effect"),
        (policy({**ROOT, "Principal": {"AWS": [None]}}), "has Principal AWS [null]: it must be"),
        (policy({**ROOT, "Principal": {"AWS": []}}), "has Principal AWS []: it must be text"),
        (policy({**ROOT, "Principal": {"Group": "x"}}), "has Principal type 'Group': it must"),
        (policy({**ROOT, "Principal": ["*"]}), 'has Principal ["*"]: it must be "*" or'),
        (policy({k: v for k, v in ROOT.items() if k != "Principal"}), "'Root' has no Principal"),
        (policy({**ROOT, "NotPrincipal": "*"}), "has both Principal and NotPrincipal"),
        (policy({**ROOT, "NotAction": "kms:Decrypt"}), "has both Action and NotAction"),
        (policy({**ROOT, "Action": 5}), "statement 'Root' Action is 5: it must be text"),
        (policy({**ROOT, "Action": "Decrypt"}), 'Action "Decrypt": an action is "*" or'),
        (policy({**ROOT, "Resource": ["*", 3]}), 'has Resource ["*", 3]: it must be "*"'),
        (policy({**ROOT, "NotResource": "*"}), "'Root' has NotResource: a key policy names only"),
        (policy({**ROOT, "Sid": 7}), "statement 0 has Sid 7: it must be text"),
        (policy({**ROOT, "Extra": 1}), "has an element 'Extra': a statement holds only"),
        (policy({**ROOT, "Condition": "x"}), 'has Condition "x": it must be an object'),
        (policy({**ROOT, "Condition": {"StringEquals": "x"}}), 'Condition StringEquals "x"'),
        (
            policy({**ROOT, "Condition": {"StringEquals": {"k": {"a": 1}}}}),
            'Condition StringEquals k {"a": 1}: a condition value is text',
        ),
        (policy({**ROOT, "Condition": {"StringEquals": {"k": []}}}), "Condition StringEquals k []"),
        ({**policy(), "Version": "2020-01-01"}, 'KeyPolicy Version "2020-01-01": it must be'),
        ({**policy(), "Id": 5}, "KeyPolicy Id: it must be text"),
        ({**policy(), "Other": 1}, "KeyPolicy has an element 'Other': a key policy holds only"),
        ({"Version": "2012-10-17"}, "KeyPolicy has no Statement"),
    ],
)
def test_what_kms_refuses_in_one_sentence_naming_the_statement_and_element(
    document: dict[str, Any], sentence: str
) -> None:
    problems = grammar_problems(document)
    assert len(problems) == 1, problems
    message = problems[0][2]
    assert sentence in message
    assert message.endswith("KMS refuses such a key policy (MalformedPolicyDocumentException).")
    assert message.count(". ") == 0  # one sentence
    refused = validate({"KeyPolicy": document, "BypassPolicyLockoutSafetyCheck": True})
    assert message in [problem.message for problem in refused]


def test_values_written_with_intrinsic_functions_are_left_for_deploy_time() -> None:
    document = policy(
        {
            **ROOT,
            "Effect": {"Fn::If": ["C", "Allow", "Deny"]},
            "Principal": {"AWS": [{"Fn::GetAtt": ["Role", "Arn"]}, {"Ref": "Admin"}]},
            "Action": {"Ref": "Actions"},
            "Condition": {"StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}},
        },
        {"Fn::If": ["Shared", ROOT, {"Ref": "AWS::NoValue"}]},
    )
    assert grammar_problems(document) == []
    assert grammar_problems({"Version": "2012-10-17", "Statement": {"Ref": "S"}}) == []


def test_characters_kms_allows() -> None:
    assert character_problems(json.dumps(policy(), ensure_ascii=False) + "\t\r\n é ÿ") == []
    (problem,) = character_problems('{"Sid": "ĀB"}')
    assert "U+0100" in problem[2]


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(
            st.sampled_from(["Effect", "Principal", "Action", "AWS", "Sid", "Resource", "x"]),
            inner,
            max_size=4,
        )
    ),
    max_leaves=12,
)


@settings(max_examples=300, deadline=None)
@given(statement=json_values, document=st.dictionaries(st.text(max_size=5), json_values))
def test_any_json_is_judged_without_error(statement: Any, document: dict[str, Any]) -> None:
    for candidate in ({**document, "Statement": statement}, {"Statement": [statement]}):
        grammar_problems(candidate)
        validate({"KeyPolicy": candidate})
        validate({"KeyPolicy": json.dumps(candidate)})
