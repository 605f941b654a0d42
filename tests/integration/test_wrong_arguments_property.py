"""Property (issue 14): every public client method, called with arbitrary wrong arguments and
values, either works or raises one of our documented exceptions (an ``AioDynamoDBError``) or
an error DynamoDB returned (botocore's ``ClientError``): no raw Python exception from our code
(``AttributeError``, ``KeyError``, a bare ``TypeError`` ...) reaches a user."""

from __future__ import annotations

import asyncio
import contextlib
from decimal import Decimal
from typing import Any

from boto3.dynamodb.conditions import Attr, Key
from botocore.exceptions import ClientError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aiodynamodb import (
    AioDynamoDBError,
    ConditionCheck,
    Delete,
    DynamoDB,
    ItemKey,
    Put,
    Raw,
    Update,
    UpdateAttr,
)
from aiodynamodb.testing import mock_dynamodb

from .test_refused_before_sending import ALICE, Account, Home, Ledger

NAMES = st.sampled_from(
    ["account_id", "name", "visits", "badges", "tags", "home", "home.city", "displayName",
     "display", "nickname", "body", "acctid", "tags[0]", "home.zip_code", "book", "entry", "x.y"]
)  # fmt: skip
JUNK: st.SearchStrategy[Any] = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 3),
    st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.text(max_size=4),
    st.binary(max_size=3),
    st.lists(st.one_of(st.integers(), st.text(max_size=2)), max_size=3),
    st.sets(st.one_of(st.integers(), st.text(max_size=2)), max_size=3),
    st.dictionaries(st.text(max_size=3), st.one_of(st.integers(), st.text(max_size=2)), max_size=2),
    st.just(ALICE),
    st.just(Account),
    st.just(Home(city="x")),
    st.just(object()),
)

# Recipes, built inside the call so that errors raised while building count too.
CONDITION_OPS = st.sampled_from(
    ["eq", "ne", "lt", "gt", "between", "begins_with", "contains", "is_in", "exists",
     "not_exists", "attribute_type", "size"]
)  # fmt: skip
UPDATE_OPS = st.sampled_from(
    ["set", "remove", "add", "delete", "append", "prepend", "if_not_exists", "increment"]
)
CONDITIONS = st.tuples(st.sampled_from(["attr", "key", "raw"]), NAMES, CONDITION_OPS, JUNK)
ACTIONS = st.tuples(st.booleans(), NAMES, UPDATE_OPS, JUNK)


def build_condition(recipe: Any) -> Any:
    if not isinstance(recipe, tuple):
        return recipe
    kind, name, op, value = recipe
    subject: Any = Key(name) if kind == "key" else Attr(Raw(name) if kind == "raw" else name)
    if not hasattr(subject, op):  # Key has no ne, contains, exists ...
        op = "eq"
    if op in ("exists", "not_exists"):
        return getattr(subject, op)()
    if op == "between":
        return subject.between(value, value)
    if op == "size":
        return Attr(name).size().gt(value)
    return getattr(subject, op)(value)


def build_actions(recipes: Any) -> Any:
    if not isinstance(recipes, list) or not all(isinstance(r, tuple) for r in recipes):
        return recipes
    actions = []
    for raw, name, op, value in recipes:
        target = UpdateAttr(Raw(name) if raw else name)
        actions.append(target.remove() if op == "remove" else getattr(target, op)(value))
    return actions


def arg(valid: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(valid, valid, JUNK)


MODEL = arg(st.sampled_from([Account, Ledger]))
KEY = arg(st.sampled_from(["a1", "b"]))
CONDITION = st.one_of(st.none(), CONDITIONS, CONDITIONS, JUNK)
UPDATE = st.one_of(st.lists(ACTIONS, min_size=1, max_size=3), JUNK)
PROJECTION = st.one_of(st.none(), st.lists(NAMES, max_size=3), JUNK)
RETURNS = arg(st.sampled_from(["NONE", "ALL_OLD", "ALL_NEW", "UPDATED_OLD", "UPDATED_NEW"]))
ITEM_KEY = st.builds(ItemKey, st.sampled_from([Account, Ledger]), KEY, st.one_of(st.none(), JUNK))

CALLS: dict[str, dict[str, st.SearchStrategy[Any]]] = {
    "put": {"item": arg(st.just(ALICE)), "condition_expression": CONDITION,
            "return_values": RETURNS},
    "get": {"model": MODEL, "hash_key": KEY, "range_key": st.one_of(st.none(), JUNK),
            "consistent_read": arg(st.booleans()), "projection": PROJECTION},
    "delete": {"model": MODEL, "hash_key": KEY, "range_key": st.one_of(st.none(), JUNK),
               "condition_expression": CONDITION, "return_values": RETURNS},
    "update": {"model": MODEL, "hash_key": KEY, "range_key": st.one_of(st.none(), JUNK),
               "update_expression": UPDATE, "condition_expression": CONDITION,
               "return_values": RETURNS},
    "query": {"model": MODEL, "key_condition_expression": st.one_of(CONDITIONS, JUNK),
              "filter_expression": CONDITION, "index_name": st.one_of(st.none(), JUNK),
              "limit": st.one_of(st.none(), JUNK), "scan_index_forward": arg(st.booleans()),
              "exclusive_start_key": st.one_of(st.none(), JUNK),
              "consistent_read": arg(st.booleans()), "projection": PROJECTION},
    "scan": {"model": MODEL, "filter_expression": CONDITION, "limit": st.one_of(st.none(), JUNK),
             "exclusive_start_key": st.one_of(st.none(), JUNK),
             "segment": st.one_of(st.none(), JUNK), "total_segments": st.one_of(st.none(), JUNK),
             "projection": PROJECTION},
    "batch_get": {"keys": st.one_of(st.lists(st.one_of(ITEM_KEY, JUNK), max_size=3), JUNK),
                  "consistent_read": arg(st.booleans())},
    "batch_write": {"puts": st.one_of(st.lists(st.one_of(st.just(ALICE), JUNK), max_size=3), JUNK),
                    "deletes": st.one_of(st.lists(st.one_of(ITEM_KEY, JUNK), max_size=3), JUNK)},
    "transact_write": {"client_request_token": st.one_of(st.none(), JUNK)},
    "transact_get": {},
}  # fmt: skip
TRANSACT_ACTIONS = st.lists(
    st.one_of(
        st.builds(Put, st.just(ALICE)),
        st.builds(Delete, st.sampled_from([Account, Ledger]), KEY),
        st.builds(ConditionCheck, st.just(Account), KEY, condition_expression=CONDITIONS),
        st.builds(Update, st.just(Account), KEY, update_expression=UPDATE),
        JUNK,
    ),
    max_size=3,
)


async def invoke(db: DynamoDB, method: str, kwargs: dict[str, Any], extra: list[Any]) -> None:
    for name in ("condition_expression", "filter_expression", "key_condition_expression"):
        if name in kwargs:
            kwargs[name] = build_condition(kwargs[name])
    if "update_expression" in kwargs:
        kwargs["update_expression"] = build_actions(kwargs["update_expression"])
    if method == "put":
        await db.put(kwargs.pop("item"), **kwargs)
    elif method in ("get", "delete", "update"):
        await getattr(db, method)(kwargs.pop("model"), **kwargs)
    elif method in ("query", "scan"):
        await getattr(db, method)(kwargs.pop("model"), **kwargs).all()
    elif method == "batch_get":
        await db.batch_get(kwargs.pop("keys"), **kwargs)
    elif method == "transact_write":
        await db.transact_write(*extra, **kwargs)
    elif method == "transact_get":
        await db.transact_get(*extra)
    else:
        await getattr(db, method)(**kwargs)


def test_wrong_arguments_raise_only_documented_errors() -> None:
    with asyncio.Runner() as runner:
        mock = mock_dynamodb(Account, Ledger)
        db = runner.run(mock.__aenter__())
        try:
            runner.run(db.put(ALICE))

            @settings(
                max_examples=400,
                deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
            )
            @given(data=st.data())
            def check(data: st.DataObject) -> None:
                method = data.draw(st.sampled_from(sorted(CALLS)))
                kwargs = {
                    name: data.draw(strategy, label=name)
                    for name, strategy in CALLS[method].items()
                    if data.draw(st.booleans())  # leave some out: their defaults
                    or name
                    in (
                        "item",
                        "model",
                        "hash_key",
                        "keys",
                        "key_condition_expression",
                        "update_expression",
                    )
                }
                extra: list[Any] = []
                if method == "transact_write":
                    extra = data.draw(TRANSACT_ACTIONS, label="actions")
                elif method == "transact_get":
                    extra = data.draw(st.lists(st.one_of(ITEM_KEY, JUNK), max_size=3))
                if method in ("get", "delete", "update") and "hash_key" not in kwargs:
                    kwargs["hash_key"] = "a1"
                with contextlib.suppress(AioDynamoDBError, ClientError):
                    runner.run(invoke(db, method, kwargs, extra))

            check()
        finally:
            runner.run(mock.__aexit__(None, None, None))


def test_decimal_and_int_keys_reach_the_same_item() -> None:
    async def main() -> None:
        async with mock_dynamodb(Ledger) as db:
            await db.put(Ledger(book="b", entry=1, amount=Decimal("1.5")))
            got = await db.get(Ledger, hash_key="b", range_key=Decimal("1.0"))
            assert got is not None
            assert got.amount == Decimal("1.5")

    asyncio.run(main())
