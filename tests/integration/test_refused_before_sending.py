"""Refused before sending (issue 14): every case raises our documented exception, names the
model, field or argument (and the limit where one applies), sends nothing and changes
nothing. One table per class of mistake: accepted silently, crashes and vague messages,
refused only after the request went out."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from decimal import Decimal
from typing import Any

import pytest
from boto3.dynamodb.conditions import Attr, Key
from pydantic import BaseModel, Field

from aiodynamodb import (
    ArgumentError,
    Delete,
    DynamoDB,
    DynamoModel,
    EncodeError,
    ItemKey,
    ModelDefinitionError,
    Put,
    Raw,
    UpdateAttr,
    ValidationError,
    table,
)
from aiodynamodb.testing.recorder import CallRecorder


class Home(BaseModel):
    city: str
    zip_code: str | None = None


@table("it_accounts", hash_key="account_id")
class Account(DynamoModel):
    account_id: str
    name: str
    nickname: str | None = None
    visits: int = 0
    badges: set[str] = set()
    tags: list[str] = []
    home: Home | None = None
    display: str = Field(default="", alias="displayName")
    body: Any = None


@table("it_ledger", hash_key="book", range_key="entry")
class Ledger(DynamoModel):
    book: str
    entry: int
    amount: Decimal = Decimal(0)


pytestmark = pytest.mark.dynamodb_tables(Account, Ledger)

Case = Callable[[DynamoDB], Awaitable[Any]]
ALICE = Account(account_id="a1", name="Alice", visits=1, badges={"x"}, home=Home(city="Oslo"))


def _update(*actions: Any, **kwargs: Any) -> Case:
    return lambda db: db.update(Account, hash_key="a1", update_expression=list(actions), **kwargs)


def _query(cond: Any, **kwargs: Any) -> Case:
    return lambda db: db.query(Ledger, key_condition_expression=cond, **kwargs).all()


def _deep(levels: int) -> Any:
    value: Any = 1
    for _ in range(levels - 1):
        value = {"a": value}
    return value


# id, call, exception, words the message must hold
SILENT: list[tuple[str, Case, type[Exception], tuple[str, ...]]] = [
    (
        "condition_typo",
        lambda db: db.put(ALICE, condition_expression=Attr("acctid").not_exists()),
        ValidationError,
        ("Account", "'acctid'", "did you mean 'account_id'", "Raw("),
    ),
    (
        "update_typo",
        _update(UpdateAttr("nicknmae").set("Al")),
        ValidationError,
        ("Account", "'nicknmae'", "did you mean 'nickname'"),
    ),
    (
        "nested_model_typo",
        _update(UpdateAttr("home.cty").set("Rome")),
        ValidationError,
        ("Home", "'cty'", "did you mean 'city'"),
    ),
    (
        "projection_typo",
        lambda db: db.get(Account, hash_key="a1", projection=["nick"]),
        ValidationError,
        ("Account", "'nick'", "did you mean 'nickname'"),
    ),
    (
        "key_condition_not_a_key",
        _query(Key("book").eq("b") & Key("amount").gt(1)),
        ValidationError,
        ("Ledger", "Key('amount')", "'book' and 'entry'"),
    ),
    (
        "path_into_scalar",
        _update(UpdateAttr("visits.total").set(1)),
        ValidationError,
        ("Account.visits", "int", "'visits.total'"),
    ),
    (
        "remove_required",
        _update(UpdateAttr("name").remove()),
        ValidationError,
        ("Account.name", "required", "REMOVE"),
    ),
    (
        "remove_required_nested",
        _update(UpdateAttr("home.city").remove()),
        ValidationError,
        ("Home.city", "required"),
    ),
    (
        "add_on_string",
        _update(UpdateAttr("nickname").add(1)),
        ValidationError,
        ("Account", "ADD", "'nickname'", "numbers and sets"),
    ),
    (
        "delete_on_list",
        _update(UpdateAttr("tags").delete({"x"})),
        ValidationError,
        ("Account", "DELETE", "'tags'", "sets"),
    ),
    (
        "append_on_set",
        _update(UpdateAttr("badges").append(["y"])),
        ValidationError,
        ("Account", "append", "'badges'", "lists"),
    ),
    (
        "increment_on_string",
        _update(UpdateAttr("name").increment()),
        ValidationError,
        ("Account", "increment", "'name'", "numbers"),
    ),
    (
        "scan_index_forward_str",
        _query(Key("book").eq("b"), scan_index_forward="desc"),
        ArgumentError,
        ("query()", "scan_index_forward", "'desc'"),
    ),
    (
        "limit_str",
        lambda db: db.scan(Account, limit="10").all(),
        ArgumentError,
        ("scan()", "limit", "'10'"),
    ),
    (
        "limit_zero",
        lambda db: db.scan(Account, limit=0).all(),
        ValidationError,
        ("scan()", "limit", "at least 1"),
    ),
    (
        "limit_negative",
        _query(Key("book").eq("b"), limit=-3),
        ValidationError,
        ("query()", "limit", "-3"),
    ),
    (
        "consistent_read_str",
        lambda db: db.get(Account, hash_key="a1", consistent_read="yes"),
        ArgumentError,
        ("get()", "consistent_read", "'yes'"),
    ),
    (
        "request_token_too_long",
        lambda db: db.transact_write(Put(ALICE), client_request_token="t" * 37),
        ValidationError,
        ("transact_write()", "client_request_token", "36", "37 characters"),
    ),
    (
        "start_key_plain_values",
        lambda db: db.scan(Account, exclusive_start_key={"account_id": "a1"}).all(),
        ArgumentError,
        ("scan()", "exclusive_start_key", "'account_id'", "{'S': '...'}"),
    ),
    (
        "start_key_missing_range",
        _query(Key("book").eq("b"), exclusive_start_key={"book": {"S": "b"}}),
        ArgumentError,
        ("query()", "exclusive_start_key", "'entry' is missing"),
    ),
    (
        "batch_write_single_put",
        lambda db: db.batch_write(puts=ALICE),
        ArgumentError,
        ("batch_write()", "puts", "single Account", "puts=[Account(...)]"),
    ),
    (
        "batch_write_single_delete",
        lambda db: db.batch_write(deletes=ItemKey(Account, "a1")),
        ArgumentError,
        ("batch_write()", "deletes", "single ItemKey"),
    ),
    (
        "batch_get_single_key",
        lambda db: db.batch_get(ItemKey(Account, "a1")),
        ArgumentError,
        ("batch_get()", "keys", "single ItemKey"),
    ),
    (
        "segment_str",
        lambda db: db.scan(Account, segment="0", total_segments=2).all(),
        ArgumentError,
        ("scan()", "segment", "'0'"),
    ),
]

CRASHES: list[tuple[str, Case, type[Exception], tuple[str, ...]]] = [
    (
        "add_ints_to_str_set",
        _update(UpdateAttr("badges").add({1, 2})),
        EncodeError,
        ("Account", "'badges'", "set[str]", "valid string"),
    ),
    (
        "add_string_to_number",
        _update(UpdateAttr("visits").add("many")),
        EncodeError,
        ("Account", "'visits'", "int", "str"),
    ),
    (
        "condition_set_of_wrong_members",
        lambda db: db.put(ALICE, condition_expression=Attr("badges").eq({1, 2})),
        EncodeError,
        ("Account", "'badges'", "set[str]"),
    ),
    (
        "key_condition_wrong_type",
        _query(Key("book").eq(5)),
        EncodeError,
        ("Ledger", "Key('book')", "5 (int)", "str"),
    ),
    (
        "key_condition_range_wrong_type",
        _query(Key("book").eq("b") & Key("entry").gt("first")),
        EncodeError,
        ("Ledger", "Key('entry')", "'first' (str)", "int", "stored as N"),
    ),
    (
        "hash_key_greater_than",
        _query(Key("book").gt("b")),
        ValidationError,
        ("Ledger", "hash key 'book'", "Key('book').eq(value)", "'>'"),
    ),
    (
        "hash_key_missing",
        _query(Key("entry").eq(1)),
        ValidationError,
        ("Ledger", "hash key", "Key('book').eq(value)"),
    ),
]

AFTER_SENDING: list[tuple[str, Case, type[Exception], tuple[str, ...]]] = [
    (
        "map_nested_too_deep",
        lambda db: db.put(Account(account_id="a2", name="B", body=_deep(33))),
        EncodeError,
        ("Account.body", "33 levels", "32"),
    ),
    (
        "hash_key_too_large",
        lambda db: db.put(Account(account_id="k" * 2049, name="B")),
        EncodeError,
        ("Account.account_id", "hash key", "2,049 bytes", "2,048"),
    ),
    (
        "hash_key_too_large_get",
        lambda db: db.get(Account, hash_key="é" * 1025),
        EncodeError,
        ("Account.account_id", "2,050 bytes", "2,048"),
    ),
    (
        "put_return_values",
        lambda db: db.put(ALICE, return_values="ALL_NEW"),
        ValidationError,
        ("put()", "return_values='ALL_NEW'", "'NONE', 'ALL_OLD'"),
    ),
    (
        "delete_return_values",
        lambda db: db.delete(Account, hash_key="a1", return_values="UPDATED_NEW"),
        ValidationError,
        ("delete()", "return_values='UPDATED_NEW'", "'ALL_OLD'"),
    ),
    (
        "update_return_values",
        _update(UpdateAttr("visits").add(1), return_values="NEW"),
        ValidationError,
        ("update()", "return_values='NEW'", "'UPDATED_NEW'"),
    ),
    (
        "bad_table_prefix",
        lambda db: DynamoDB(table_prefix="dev users/").put(ALICE),
        ValidationError,
        ("'dev users/it_accounts'", "table_prefix 'dev users/'", "Account", "3 to 255"),
    ),
    (
        "numerically_equal_keys_in_batch",
        lambda db: db.batch_write(
            puts=[Ledger(book="b", entry=1), Ledger(book="b", entry=1)],
            deletes=[ItemKey(Ledger, "c", 1)],
        ),
        ValidationError,
        ("batch_write", "'b'", "more than once"),
    ),
    (
        "numerically_equal_keys_in_transaction",
        lambda db: db.transact_write(
            Put(Ledger(book="b", entry=1)), Delete(Ledger, hash_key="b", range_key=Decimal("1.0"))
        ),
        ValidationError,
        ("actions 0 and 1", "it_ledger'"),
    ),
]


async def _snapshot(db: DynamoDB) -> list[Any]:
    return [
        sorted(item.model_dump_json() for item in await db.scan(model).all())
        for model in (Account, Ledger)
    ]


async def _refused(
    db: DynamoDB,
    calls: CallRecorder,
    case: Case,
    error: type[Exception],
    words: tuple[str, ...],
) -> None:
    await db.put(ALICE)
    await db.put(Ledger(book="b", entry=1, amount=Decimal("2.5")))
    before = await _snapshot(db)
    calls.clear()
    with pytest.raises(error) as caught:
        await case(db)
    assert calls.count() == 0, calls.format(calls.calls)
    message = str(caught.value)
    for word in words:
        assert word in message, (word, message)
    assert await _snapshot(db) == before


@pytest.mark.parametrize(
    ("case", "error", "words"), [c[1:] for c in SILENT], ids=[c[0] for c in SILENT]
)
async def test_accepted_silently_is_refused(
    dynamodb: DynamoDB,
    dynamodb_calls: CallRecorder,
    case: Case,
    error: type[Exception],
    words: tuple[str, ...],
) -> None:
    await _refused(dynamodb, dynamodb_calls, case, error, words)


@pytest.mark.parametrize(
    ("case", "error", "words"), [c[1:] for c in CRASHES], ids=[c[0] for c in CRASHES]
)
async def test_crashes_and_vague_messages_are_clear(
    dynamodb: DynamoDB,
    dynamodb_calls: CallRecorder,
    case: Case,
    error: type[Exception],
    words: tuple[str, ...],
) -> None:
    await _refused(dynamodb, dynamodb_calls, case, error, words)


@pytest.mark.parametrize(
    ("case", "error", "words"), [c[1:] for c in AFTER_SENDING], ids=[c[0] for c in AFTER_SENDING]
)
async def test_refused_before_the_request_goes_out(
    dynamodb: DynamoDB,
    dynamodb_calls: CallRecorder,
    case: Case,
    error: type[Exception],
    words: tuple[str, ...],
) -> None:
    await _refused(dynamodb, dynamodb_calls, case, error, words)


async def test_raw_names_an_attribute_outside_the_model(dynamodb: DynamoDB) -> None:
    await dynamodb.put(ALICE, condition_expression=Attr(Raw("acctid")).not_exists())
    got = await dynamodb.update(
        Account,
        hash_key="a1",
        update_expression=[UpdateAttr(Raw("legacy")).set(3), UpdateAttr("display").set("Al")],
        condition_expression=Attr(Raw("legacy")).not_exists(),
        return_values="UPDATED_NEW",
    )
    assert got == {"legacy": 3, "displayName": "Al"}
    # field names work as well as aliases, and are sent as the attribute name
    projected = await dynamodb.get(
        Account, hash_key="a1", projection=["display", Raw("legacy"), "home.city"]
    )
    assert projected == {"displayName": "Al", "legacy": 3, "home": {"city": "Oslo"}}
    await dynamodb.update(
        Account, hash_key="a1", update_expression=[UpdateAttr(Raw("legacy")).remove()]
    )
    assert await dynamodb.get(Account, hash_key="a1", projection=[Raw("legacy")]) == {}


async def test_values_go_through_the_fields_converter(dynamodb: DynamoDB) -> None:
    await dynamodb.put(ALICE)
    hits = await dynamodb.scan(
        Account,
        filter_expression=Attr("badges").contains("x")
        & Attr("visits").eq("1")  # validated as the field's type: 1
        & Attr("display").begins_with("")
        & Attr("home.city").begins_with("Os"),
    ).all()
    assert [hit.account_id for hit in hits] == ["a1"]


def test_table_without_parentheses_is_a_clear_error() -> None:
    with pytest.raises(ModelDefinitionError, match=r"@table was used without arguments on Thing"):

        @table  # type: ignore[arg-type]
        class Thing(DynamoModel):
            thing_id: str


def test_model_with_extra_allow_accepts_unknown_names() -> None:
    from pydantic import ConfigDict

    from aiodynamodb.codec import codec_for
    from aiodynamodb.expressions import ExpressionContext

    @table("it_open", hash_key="open_id")
    class Open(DynamoModel):
        model_config = ConfigDict(extra="allow")
        open_id: str

    ctx = ExpressionContext(model=codec_for(Open).view)
    assert ctx.condition(Attr("anything.at[0]").eq(1)) == "#n0.#n1[0] = :v0"
