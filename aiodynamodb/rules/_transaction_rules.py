"""Rules of TransactWriteItems beyond its actions' own: the request token, ConditionCheck's
expression, the 4 MB payload.

- ``ClientRequestToken`` is 1 to 36 characters (botocore's service model); replaying one is
  the strict layer's business (it needs state: ``aiodynamodb.testing._fidelity_transactions``).
- A ``ConditionCheck`` has a ``ConditionExpression`` (the model marks it required;
  Alternator's ``test_transact_write_items_single_conditioncheck_unconditional``, on AWS).
- "The aggregate size of the items in the transaction cannot exceed 4 MB" (API_TransactWriteItems),
  measured on the request: a small request deleting large items is allowed (Alternator's
  ``test_transact_write_items_*_5MB``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aiodynamodb.limits import MAX_CLIENT_REQUEST_TOKEN_LENGTH, MAX_TRANSACTION_SIZE
from aiodynamodb.rules import messages as msg
from aiodynamodb.rules._key_schema import constraint, constraint_problem
from aiodynamodb.rules._problems import Problem
from aiodynamodb.rules._sizes import item_size


def check_transaction_request(params: Mapping[str, Any]) -> None:
    """Framework constraints of a TransactWriteItems (token length, ConditionCheck)."""
    problems = []
    token = params.get("ClientRequestToken")
    if isinstance(token, str):
        if not token:
            problems.append(
                constraint(token, "clientRequestToken", msg.LENGTH_AT_LEAST.format(n=1))
            )
        elif len(token) > MAX_CLIENT_REQUEST_TOKEN_LENGTH:
            problems.append(
                constraint(
                    token,
                    "clientRequestToken",
                    msg.LENGTH_AT_MOST.format(n=MAX_CLIENT_REQUEST_TOKEN_LENGTH),
                )
            )
    actions = params.get("TransactItems")
    if isinstance(actions, list):
        for position, action in enumerate(actions, start=1):
            check = action.get("ConditionCheck") if isinstance(action, Mapping) else None
            if isinstance(check, Mapping) and check.get("ConditionExpression") is None:
                problems.append(
                    constraint(
                        None,
                        f"transactItems.{position}.member.conditionCheck.conditionExpression",
                        msg.MUST_NOT_BE_NULL,
                    )
                )
    if problems:
        raise constraint_problem(problems)


def _payload(body: Mapping[str, Any]) -> int:
    size = 0
    for field in ("Item", "Key", "ExpressionAttributeValues"):
        value = body.get(field)
        if isinstance(value, Mapping):
            size += item_size(value)
    return size


def check_transaction_size(params: Mapping[str, Any]) -> None:
    """The items and values a TransactWriteItems sends total at most 4 MB."""
    actions = params.get("TransactItems")
    if not isinstance(actions, list):
        return
    total = 0
    for action in actions:
        if not isinstance(action, Mapping):
            continue
        for body in action.values():
            if isinstance(body, Mapping):
                total += _payload(body)
    if total > MAX_TRANSACTION_SIZE:
        raise Problem(msg.TRANSACTION_TOO_LARGE)


__all__ = ["check_transaction_request", "check_transaction_size"]
