"""Unit tests for aiodynamodb.codec: every supported type both ways, and DynamoDB's rules."""

from __future__ import annotations

import linecache
import traceback
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from enum import Enum, IntEnum
from typing import Annotated, Any, Literal
from uuid import UUID

import pytest
from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    PlainValidator,
    Strict,
    TypeAdapter,
    computed_field,
    field_serializer,
    field_validator,
    model_validator,
)
from pydantic import ValidationError as PydanticValidationError

from aiodynamodb.codec import _number_text as numbers
from aiodynamodb.codec._fields import fields_of
from aiodynamodb.codec._messages import (
    BAD_KEY_VALUE,
    CANNOT_ENCODE,
    EMPTY_KEY,
    ITEM_TOO_LARGE,
    KEY_PART_EXTRA,
    KEY_PART_MISSING,
    MISSING_KEY_ATTRIBUTE,
    MODEL_SERIALIZER_TABLE,
)
from aiodynamodb.codec._model_codec import (
    codec_for,
    decode_value,
    encode_value,
    item_size,
)
from aiodynamodb.codec._values import (
    DUPLICATE_SET_MEMBERS,
    MIXED_SET,
    NAIVE_DATETIME,
    UNSUPPORTED_VALUE,
)
from aiodynamodb.errors import DecodeError, EncodeError, ModelDefinitionError
from aiodynamodb.item_types import AttributeValue, Item
from aiodynamodb.limits import MAX_ITEM_SIZE
from aiodynamodb.model import GSI, DynamoModel, table

UUID1 = UUID("12345678-1234-5678-1234-567812345678")
NOON = datetime(2024, 5, 1, 12, 0, 0, 250, tzinfo=UTC)
PARIS = timezone(timedelta(hours=2))


class Color(str, Enum):  # noqa: UP042 - the str-mixin form many models use
    RED = "red"
    BLUE = "blue"


class Level(IntEnum):
    LOW = 1
    HIGH = 2


class Shape(Enum):
    SQUARE = "square"
    SIDES = 4


class Point(BaseModel):
    x: int
    y: int = 0


class Address(DynamoModel):
    city: str
    zip: str | None = None
    tags: set[str] = set()


def make_model(annotation: Any, default: Any = ..., **field_kwargs: Any) -> type[DynamoModel]:
    """A table model with key ``pk`` and one field ``f`` of the given type."""
    namespace: dict[str, Any] = {"__annotations__": {"pk": str, "f": annotation}}
    if default is not ... or field_kwargs:
        namespace["f"] = Field(default, **field_kwargs)
    return table("things", hash_key="pk")(type("Thing", (DynamoModel,), namespace))


# (id, annotation, value, stored attribute value or None when omitted)
ROUND_TRIPS: list[tuple[str, Any, Any, AttributeValue | None]] = [
    ("str", str, "hello", {"S": "hello"}),
    ("str-empty", str, "", {"S": ""}),
    ("str-unicode", str, "zoë 🐍", {"S": "zoë 🐍"}),
    ("int", int, 42, {"N": "42"}),
    ("int-negative", int, -7, {"N": "-7"}),
    ("int-38-digits", int, 10**38 - 1, {"N": str(10**38 - 1)}),
    ("int-big-trailing-zeros", int, 10**100, {"N": str(10**100)}),
    ("float", float, 0.1, {"N": "0.1"}),
    ("float-exponent", float, 1.5e-100, {"N": "1.5e-100"}),
    ("float-zero", float, 0.0, {"N": "0.0"}),
    ("float-integral", float, 3.0, {"N": "3.0"}),
    ("decimal", Decimal, Decimal("19.99"), {"N": "19.99"}),
    ("decimal-38-digits", Decimal, Decimal("1." + "1" * 37), {"N": "1." + "1" * 37}),
    ("decimal-tiny", Decimal, Decimal("1E-130"), {"N": "1E-130"}),
    (
        "decimal-huge",
        Decimal,
        Decimal("9" * 38 + "E+88"),
        {"N": "9.9999999999999999999999999999999999999E+125"},
    ),
    ("bool-true", bool, True, {"BOOL": True}),
    ("bool-false", bool, False, {"BOOL": False}),
    ("bytes", bytes, b"\x00\xff", {"B": b"\x00\xff"}),
    ("bytes-empty", bytes, b"", {"B": b""}),
    ("datetime-utc", datetime, NOON, {"S": "2024-05-01T12:00:00.000250Z"}),
    (
        "datetime-offset",
        datetime,
        datetime(2024, 5, 1, 14, tzinfo=PARIS),
        {"S": "2024-05-01T12:00:00.000000Z"},
    ),
    ("datetime-aware-type", AwareDatetime, NOON, {"S": "2024-05-01T12:00:00.000250Z"}),
    (
        "datetime-year-1",
        datetime,
        datetime(1, 1, 1, tzinfo=UTC),
        {"S": "0001-01-01T00:00:00.000000Z"},
    ),
    ("date", date, date(2024, 2, 29), {"S": "2024-02-29"}),
    ("uuid", UUID, UUID1, {"S": str(UUID1)}),
    ("str-enum", Color, Color.BLUE, {"S": "blue"}),
    ("int-enum", Level, Level.HIGH, {"N": "2"}),
    ("mixed-enum-str", Shape, Shape.SQUARE, {"S": "square"}),
    ("mixed-enum-int", Shape, Shape.SIDES, {"N": "4"}),
    ("literal-str", Literal["a", "b"], "b", {"S": "b"}),
    ("literal-int", Literal[1, 2], 2, {"N": "2"}),
    ("literal-mixed", Literal["a", 1, True], True, {"BOOL": True}),
    ("list", list[int], [1, 2], {"L": [{"N": "1"}, {"N": "2"}]}),
    ("list-empty", list[str], [], {"L": []}),
    ("list-of-str", list[str], ["a", ""], {"L": [{"S": "a"}, {"S": ""}]}),
    ("list-nullable", list[int | None], [1, None], {"L": [{"N": "1"}, {"NULL": True}]}),
    ("list-of-lists", list[list[float]], [[1.5], []], {"L": [{"L": [{"N": "1.5"}]}, {"L": []}]}),
    ("tuple-variadic", tuple[int, ...], (1, 2), {"L": [{"N": "1"}, {"N": "2"}]}),
    ("tuple-fixed", tuple[str, int], ("a", 1), {"L": [{"S": "a"}, {"N": "1"}]}),
    ("dict", dict[str, int], {"a": 1}, {"M": {"a": {"N": "1"}}}),
    ("dict-of-str", dict[str, str], {"a": "x", "": "y"}, {"M": {"a": {"S": "x"}, "": {"S": "y"}}}),
    ("dict-none-values", dict[str, int | None], {"a": None}, {"M": {"a": {"NULL": True}}}),
    ("dict-enum-keys", dict[Color, int], {Color.RED: 1}, {"M": {"red": {"N": "1"}}}),
    ("dict-empty", dict[str, int], {}, {"M": {}}),
    ("set-str", set[str], {"a"}, {"SS": ["a"]}),
    ("set-int", set[int], {3}, {"NS": ["3"]}),
    ("set-float", set[float], {0.5}, {"NS": ["0.5"]}),
    ("set-decimal", set[Decimal], {Decimal("1.5")}, {"NS": ["1.5"]}),
    ("set-bytes", set[bytes], {b"x"}, {"BS": [b"x"]}),
    ("set-str-enum", set[Color], {Color.RED}, {"SS": ["red"]}),
    ("frozenset", frozenset[str], frozenset({"a"}), {"SS": ["a"]}),
    ("set-empty-omitted", set[str], set(), None),
    ("frozenset-empty-omitted", frozenset[int], frozenset(), None),
    ("set-optional-empty", set[str] | None, set(), {"L": []}),
    ("set-in-list-empty", list[set[int]], [set(), {1}], {"L": [{"L": []}, {"NS": ["1"]}]}),
    ("model", Point, Point(x=1, y=2), {"M": {"x": {"N": "1"}, "y": {"N": "2"}}}),
    (
        "dynamo-model",
        Address,
        Address(city="P", tags={"a"}),
        {"M": {"city": {"S": "P"}, "tags": {"SS": ["a"]}}},
    ),
    ("model-list", list[Point], [Point(x=1)], {"L": [{"M": {"x": {"N": "1"}, "y": {"N": "0"}}}]}),
    ("optional-none-omitted", int | None, None, None),
    ("optional-value", int | None, 5, {"N": "5"}),
    ("union-int", int | str, 5, {"N": "5"}),
    ("union-str", int | str, "5", {"S": "5"}),
    ("union-float", int | float, 2.5, {"N": "2.5"}),
    ("union-models", Point | Address, Address(city="x"), {"M": {"city": {"S": "x"}}}),
    ("union-list-or-str", list[str] | str, ["a"], {"L": [{"S": "a"}]}),
    ("any-int", Any, 7, {"N": "7"}),
    ("any-dict", Any, {"a": [1, "b"]}, {"M": {"a": {"L": [{"N": "1"}, {"S": "b"}]}}}),
    ("bare-list", list, [1, "x"], {"L": [{"N": "1"}, {"S": "x"}]}),
    ("annotated-constraint", Annotated[int, Field(ge=0)], 3, {"N": "3"}),
]


@pytest.mark.parametrize(
    ("annotation", "value", "stored"),
    [pytest.param(a, v, s, id=i) for i, a, v, s in ROUND_TRIPS],
)
def test_round_trip(annotation: Any, value: Any, stored: AttributeValue | None) -> None:
    model = make_model(annotation)
    codec = codec_for(model)
    instance = model(pk="k", f=value)
    item = codec.encode(instance)
    expected: Item = {"pk": {"S": "k"}}
    if stored is not None:
        expected["f"] = stored
    assert _sorted_sets(item) == _sorted_sets(expected)
    back = codec.decode(item)
    assert back == instance
    assert type(back.f) is type(instance.f)  # type: ignore[attr-defined]


def _sorted_sets(value: Any) -> Any:
    """Set members come out in hash order; sort them so items compare."""
    if isinstance(value, dict):
        return {
            k: sorted(v) if k in ("SS", "NS", "BS") else _sorted_sets(v) for k, v in value.items()
        }
    if isinstance(value, list):
        return [_sorted_sets(v) for v in value]
    return value


@pytest.mark.parametrize(
    ("annotation", "stored", "expected"),
    [
        (int, {"N": "1E+3"}, 1000),
        (int, {"N": "5.0"}, 5),
        (float, {"N": "100000000000000000000"}, 1e20),
        (datetime, {"S": "2024-05-01T12:00:00+02:00"}, datetime(2024, 5, 1, 10, tzinfo=UTC)),
        (datetime, {"N": "0"}, datetime(1970, 1, 1, tzinfo=UTC)),
        (UUID, {"S": str(UUID1).upper()}, UUID1),
        (set[int], {"L": []}, set()),
        (tuple[int, ...], {"L": [{"N": "1"}]}, (1,)),
        (Color, {"S": "red"}, Color.RED),
        (bytes, {"B": bytearray(b"ab")}, b"ab"),
    ],
    ids=[
        "int-exponent",
        "int-point-zero",
        "float-normalized",
        "datetime-other-offset",
        "datetime-epoch-number",
        "uuid-uppercase",
        "set-from-empty-list",
        "tuple-from-list",
        "enum",
        "bytearray",
    ],
)
def test_decode_accepts_what_other_writers_store(
    annotation: Any, stored: AttributeValue, expected: Any
) -> None:
    model = make_model(annotation)
    value = codec_for(model).decode({"pk": {"S": "k"}, "f": stored}).f  # type: ignore[attr-defined]
    assert value == expected
    assert type(value) is type(expected)


@pytest.mark.parametrize(
    ("annotation", "stored", "fragment"),
    [
        (int, {"S": "x"}, "f: Input should be a valid integer, unable to parse string"),
        (int, {"N": "1.5"}, "f: Input should be a valid integer"),
        (str, {"N": "1"}, "f: Input should be a valid string"),
        (int, {"X": "1"}, "cannot read attribute 'f' of a Thing item ({'X': '1'})"),
        (Color, {"S": "green"}, "f: Input should be 'red' or 'blue'"),
        (Point, {"M": {"y": {"N": "1"}}}, "f.x: Field required"),
        (list[int], {"L": [{"S": "a"}]}, "f.0: Input should be a valid integer"),
    ],
    ids=[
        "wrong-tag",
        "not-whole",
        "str-from-number",
        "unknown-tag",
        "enum-value",
        "nested-missing",
        "list-item",
    ],
)
def test_decode_validates(annotation: Any, stored: AttributeValue, fragment: str) -> None:
    model = make_model(annotation)
    with pytest.raises(DecodeError) as info:
        codec_for(model).decode({"pk": {"S": "k"}, "f": stored})
    assert fragment in str(info.value)
    assert "Thing" in str(info.value)


def test_decode_missing_required_attribute() -> None:
    with pytest.raises(DecodeError) as info:
        codec_for(make_model(int)).decode({"pk": {"S": "k"}})
    assert str(info.value) == "the stored item is not a valid Thing: f: Field required"


# -- None and empty sets ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("annotation", "default", "value", "stored"),
    [
        (int | None, None, None, None),
        (int | None, ..., None, None),
        (int | None, 5, None, {"NULL": True}),
        (set[str], {"x"}, set(), None),
        (set[str] | None, None, None, None),
        (set[str] | None, None, set(), {"L": []}),
    ],
    ids=[
        "none-default-none",
        "none-required",
        "none-other-default-is-null",
        "empty-set-other-default",
        "optional-set-none",
        "optional-set-empty",
    ],
)
def test_none_and_empty_set_rules(
    annotation: Any, default: Any, value: Any, stored: AttributeValue | None
) -> None:
    model = make_model(annotation, default)
    codec = codec_for(model)
    instance = model(pk="k", f=value)
    item = codec.encode(instance)
    assert item.get("f") == stored
    assert codec.decode(item) == instance


# -- numbers -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("annotation", "value", "reason"),
    [
        (float, float("nan"), numbers.NOT_FINITE),
        (float, float("inf"), numbers.NOT_FINITE),
        (Decimal, Decimal("-Infinity"), numbers.NOT_FINITE),
        (Decimal, Decimal("1." + "1" * 38), numbers.TOO_MANY_DIGITS.format(digits=39)),
        (int, 10**38 + 1, numbers.TOO_MANY_DIGITS.format(digits=39)),
        (Decimal, Decimal("1E-131"), numbers.OUT_OF_RANGE),
        (Decimal, Decimal("1E+126"), numbers.OUT_OF_RANGE),
        (float, 1e126, numbers.OUT_OF_RANGE),
        (float, 5e-324, numbers.OUT_OF_RANGE),
        (int, 10**126, numbers.OUT_OF_RANGE),
        (list[Decimal], [Decimal("NaN")], numbers.NOT_FINITE),
    ],
    ids=[
        "nan",
        "inf",
        "decimal-infinity",
        "decimal-39-digits",
        "int-39-digits",
        "decimal-too-small",
        "decimal-too-big",
        "float-too-big",
        "float-subnormal",
        "int-too-big",
        "nested-nan",
    ],
)
def test_numbers_dynamodb_cannot_store(annotation: Any, value: Any, reason: str) -> None:
    model = make_model(annotation)
    instance = model.model_construct(pk="k", f=value)
    with pytest.raises(EncodeError) as info:
        codec_for(model).encode(instance)
    shown = repr(value[0] if isinstance(value, list) else value)[:60]
    assert str(info.value).endswith(reason)
    assert f"Thing.f = {shown}" in str(info.value)
    assert info.value.response["Error"]["Code"] == "ValidationException"


def test_encode_error_message_is_exact() -> None:
    model = make_model(float)
    with pytest.raises(EncodeError) as info:
        codec_for(model).encode(model(pk="k", f=float("nan")))
    assert info.value.message == CANNOT_ENCODE.format(
        model="Thing", path="f", value="nan", reason=numbers.NOT_FINITE
    )


def test_decimal_trailing_zeros_beyond_38_digits_are_trimmed() -> None:
    value = Decimal("1." + "0" * 45)
    item = codec_for(make_model(Decimal)).encode(make_model(Decimal)(pk="k", f=value))
    assert item["f"] == {"N": "1"}


# -- sets --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("annotation", "value", "reason"),
    [
        (set[float | Decimal], {0.1, Decimal("0.1")}, DUPLICATE_SET_MEMBERS),
        (set[UUID | str], {UUID1, str(UUID1)}, DUPLICATE_SET_MEMBERS),
        (Any, {1, "a"}, MIXED_SET),
        (Any, {0.1, Decimal("0.10")}, DUPLICATE_SET_MEMBERS),
    ],
    ids=["numbers-equal-when-stored", "text-equal-when-stored", "mixed-kinds", "any-duplicates"],
)
def test_set_members_must_be_unique_and_of_one_kind(
    annotation: Any, value: Any, reason: str
) -> None:
    model = make_model(annotation)
    with pytest.raises(EncodeError) as info:
        codec_for(model).encode(model(pk="k", f=value))
    assert str(info.value).endswith(reason)


# -- keys --------------------------------------------------------------------------------------


@table("events", hash_key="stream", range_key="at", indexes=[GSI("by_kind", "kind", "seq")])
class Event(DynamoModel):
    stream: str
    at: datetime
    kind: str | None = None
    seq: int | None = None
    blob: bytes = b""


def test_empty_string_in_key_attribute_is_an_error() -> None:
    codec = codec_for(Event)
    with pytest.raises(EncodeError) as info:
        codec.encode(Event(stream="", at=NOON))
    assert info.value.message == EMPTY_KEY.format(model="Event", attr="stream", kind="string")
    with pytest.raises(EncodeError) as info:
        codec.encode(Event(stream="s", at=NOON, kind=""))
    assert info.value.message == EMPTY_KEY.format(model="Event", attr="kind", kind="string")


def test_empty_binary_in_key_attribute_is_an_error() -> None:
    model = table("blobs", hash_key="b")(
        type("Blob", (DynamoModel,), {"__annotations__": {"b": bytes}})
    )
    with pytest.raises(EncodeError) as info:
        codec_for(model).encode(model(b=b""))
    assert info.value.message == EMPTY_KEY.format(model="Blob", attr="b", kind="binary value")


def test_naive_datetime_is_an_error() -> None:
    with pytest.raises(EncodeError) as info:
        codec_for(Event).encode(Event(stream="s", at=datetime(2024, 1, 1)))
    assert info.value.message == CANNOT_ENCODE.format(
        model="Event", path="at", value=repr(datetime(2024, 1, 1)), reason=NAIVE_DATETIME
    )


def test_encode_key() -> None:
    codec = codec_for(Event)
    assert codec.encode_key("s", NOON) == {
        "stream": {"S": "s"},
        "at": {"S": "2024-05-01T12:00:00.000250Z"},
    }
    # another type is validated as the field's type first
    assert codec.encode_key("s", "2024-05-01T14:00:00.000250+02:00")["at"] == {
        "S": "2024-05-01T12:00:00.000250Z"
    }
    assert codec.encode_key("k", 3, index="by_kind") == {"kind": {"S": "k"}, "seq": {"N": "3"}}


def _pydantic_message(value: Any) -> str:
    try:
        TypeAdapter(datetime).validate_python(value)
    except PydanticValidationError as exc:
        return str(exc.errors()[0]["msg"])
    raise AssertionError("expected a validation error")


@pytest.mark.parametrize(
    ("args", "kwargs", "message"),
    [
        (
            ("s",),
            {},
            KEY_PART_MISSING.format(
                model="Event", where="table", names="'stream' and 'at'", missing="at"
            ),
        ),
        (
            (None, NOON),
            {},
            KEY_PART_MISSING.format(
                model="Event", where="table", names="'stream' and 'at'", missing="stream"
            ),
        ),
        (
            ("", NOON),
            {},
            EMPTY_KEY.format(model="Event", attr="stream", kind="string"),
        ),
        (
            ("s", "yesterday"),
            {},
            BAD_KEY_VALUE.format(
                model="Event", value="yesterday", attr="at", reason=_pydantic_message("yesterday")
            ),
        ),
    ],
    ids=["missing-range", "missing-hash", "empty-hash", "bad-value"],
)
def test_encode_key_errors(args: tuple[Any, ...], kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(EncodeError) as info:
        codec_for(Event).encode_key(*args, **kwargs)
    assert info.value.message == message


def test_encode_key_extra_range_key() -> None:
    model = make_model(int)
    with pytest.raises(EncodeError) as info:
        codec_for(model).encode_key("k", 1)
    assert info.value.message == KEY_PART_EXTRA.format(model="Thing", where="table", names="'pk'")


def test_key_of_and_key_from_item() -> None:
    codec = codec_for(Event)
    event = Event(stream="s", at=NOON, kind="k")
    key = {"stream": {"S": "s"}, "at": {"S": "2024-05-01T12:00:00.000250Z"}}
    assert codec.key_of(event) == key
    assert codec.key_from_item(codec.encode(event)) == key
    with pytest.raises(DecodeError) as info:
        codec.key_from_item({"stream": {"S": "s"}})
    assert str(info.value) == MISSING_KEY_ATTRIBUTE.format(model="Event", attr="at")


# -- paths, partial reads ----------------------------------------------------------------------


class Profile(DynamoModel):
    joined: datetime
    scores: list[int] = []
    labels: dict[str, set[str]] = {}


@table("people", hash_key="id")
class Person(DynamoModel):
    id: str
    born: datetime | None = None
    tags: set[str] = set()
    ratings: set[Decimal] = set()
    profile: Profile | None = None
    misc: Any = None


@pytest.mark.parametrize(
    ("path", "value", "expected"),
    [
        (["born"], NOON, {"S": "2024-05-01T12:00:00.000250Z"}),
        (["born"], "2024-", {"S": "2024-"}),
        (["tags"], {"a"}, {"SS": ["a"]}),
        (["tags"], "a", {"S": "a"}),
        (["ratings"], {Decimal("1.5")}, {"NS": ["1.5"]}),
        (["profile", "joined"], NOON, {"S": "2024-05-01T12:00:00.000250Z"}),
        (["profile", "scores", 0], 5, {"N": "5"}),
        (["profile", "scores"], [1], {"L": [{"N": "1"}]}),
        (["profile", "labels", "x"], {"b"}, {"SS": ["b"]}),
        (["profile", "labels", "x"], set(), {"L": []}),
        (["misc", "deep", 3], Decimal("2"), {"N": "2"}),
        (["unknown"], 1.5, {"N": "1.5"}),
        (["born"], None, {"NULL": True}),
        ([], "x", {"S": "x"}),
    ],
    ids=[
        "datetime-field",
        "prefix-on-datetime-field",
        "set-field-members",
        "set-field-element",
        "decimal-set",
        "nested-datetime",
        "list-element",
        "list-value",
        "map-of-sets",
        "empty-set-value",
        "any-path",
        "unknown-path",
        "none",
        "empty-path",
    ],
)
def test_encode_path_value(path: Sequence[str | int], value: Any, expected: AttributeValue) -> None:
    assert codec_for(Person).encode_path_value(path, value) == expected


def test_encode_path_value_errors_name_the_path() -> None:
    with pytest.raises(EncodeError) as info:
        codec_for(Person).encode_path_value(["profile", "joined"], datetime(2024, 1, 1))
    assert info.value.message == CANNOT_ENCODE.format(
        model="Person",
        path="profile.joined",
        value=repr(datetime(2024, 1, 1)),
        reason=NAIVE_DATETIME,
    )


def test_decode_partial() -> None:
    item = {
        "born": {"S": "2024-05-01T12:00:00.000250Z"},
        "profile": {"M": {"scores": {"L": [{"N": "1"}]}}},
        "other": {"N": "3"},
        "tags": {"N": "1"},
    }
    assert codec_for(Person).decode_partial(item) == {
        "born": NOON,
        "profile": {"scores": [1]},
        "other": 3,
        "tags": 1,
    }


def test_nested_error_names_the_nested_field() -> None:
    person = Person.model_construct(
        id="p", profile=Profile.model_construct(joined=NOON, scores=[float("nan")])
    )
    with pytest.raises(EncodeError) as info:
        codec_for(Person).encode(person)
    assert "Person.profile.scores = " in info.value.message


# -- item size ---------------------------------------------------------------------------------


def test_item_size_limit() -> None:
    model = make_model(str)
    codec = codec_for(model)
    # pk (2 + 1) + f (1 + n): exactly at the limit is allowed
    fits = "x" * (MAX_ITEM_SIZE - 4)
    assert item_size(codec.encode(model(pk="k", f=fits))) == MAX_ITEM_SIZE
    with pytest.raises(EncodeError) as info:
        codec.encode(model(pk="k", f=fits + "x"))
    assert info.value.message == ITEM_TOO_LARGE.format(
        model="Thing", size=MAX_ITEM_SIZE + 1, limit=MAX_ITEM_SIZE
    )


def test_item_size_counts_utf8_and_containers() -> None:
    model = make_model(dict[str, list[str]])
    codec = codec_for(model)
    # 4-byte characters: 100,000 of them are 400,000 bytes but only 100,000 characters
    big = {"k": ["🐍" * 100_000, "é" * 1_000]}
    item = codec.encode(model(pk="k", f=big))
    # pk: 2 + 1; f: 1 + map(3 + key 1 + list(3 + 400,000 + 1 + 2,000 + 1) + 1)
    assert item_size(item) == 3 + 1 + 3 + 1 + (3 + 400_000 + 1 + 2_000 + 1) + 1
    with pytest.raises(EncodeError) as info:
        codec.encode(model(pk="k", f={"k": ["🐍" * 102_400]}))
    assert "409,600 bytes" in info.value.message


@pytest.mark.parametrize(
    ("item", "size"),
    [
        ({"a": {"S": "abc"}}, 4),
        ({"é": {"S": "é"}}, 4),
        ({"n": {"N": "12345"}}, 1 + 4),
        # base-100 pairs aligned on the decimal point, one exponent byte, +1 if negative
        ({"n": {"N": "-0.00100"}}, 1 + 3),
        ({"n": {"N": "1.5E+10"}}, 1 + 3),
        ({"n": {"N": "3.14159"}}, 1 + 5),
        ({"b": {"B": b"abcd"}}, 5),
        ({"t": {"BOOL": True}, "u": {"NULL": True}}, 4),
        ({"l": {"L": [{"S": "ab"}, {"N": "1"}]}}, 1 + 3 + 3 + 3),
        ({"m": {"M": {"k": {"S": "v"}}}}, 1 + 3 + 1 + 1 + 1),
        ({"s": {"SS": ["a", "bc"]}}, 1 + 3),
        ({"s": {"NS": ["1", "22"]}}, 1 + 2 + 2),
        ({"s": {"BS": [b"a", b"bc"]}}, 1 + 3),
    ],
    ids=[
        "string",
        "utf8-name-and-value",
        "number",
        "number-zeros-trimmed",
        "number-exponent",
        "number-pairs-aligned-on-the-point",
        "binary",
        "bool-and-null",
        "list",
        "map",
        "string-set",
        "number-set",
        "binary-set",
    ],
)
def test_item_size(item: Item, size: int) -> None:
    assert item_size(item) == size


# -- runtime encode_value / decode_value -------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "av", "decoded"),
    [
        ("s", {"S": "s"}, "s"),
        (True, {"BOOL": True}, True),
        (3, {"N": "3"}, 3),
        (2.5, {"N": "2.5"}, Decimal("2.5")),
        (Decimal("1.10"), {"N": "1.10"}, Decimal("1.10")),
        (None, {"NULL": True}, None),
        (b"b", {"B": b"b"}, b"b"),
        (NOON, {"S": "2024-05-01T12:00:00.000250Z"}, "2024-05-01T12:00:00.000250Z"),
        (date(2024, 1, 2), {"S": "2024-01-02"}, "2024-01-02"),
        (UUID1, {"S": str(UUID1)}, str(UUID1)),
        (Level.LOW, {"N": "1"}, 1),
        ([1, "a"], {"L": [{"N": "1"}, {"S": "a"}]}, [1, "a"]),
        ((1,), {"L": [{"N": "1"}]}, [1]),
        ({"a": None}, {"M": {"a": {"NULL": True}}}, {"a": None}),
        ({"a", "b"}, {"SS": ["a", "b"]}, {"a", "b"}),
        ({1, Decimal("2.5")}, {"NS": ["1", "2.5"]}, {1, Decimal("2.5")}),
        (frozenset({b"x"}), {"BS": [b"x"]}, {b"x"}),
        (set(), {"L": []}, []),
        (Point(x=1), {"M": {"x": {"N": "1"}, "y": {"N": "0"}}}, {"x": 1, "y": 0}),
    ],
    ids=[
        "str",
        "bool",
        "int",
        "float",
        "decimal",
        "none",
        "bytes",
        "datetime",
        "date",
        "uuid",
        "enum",
        "list",
        "tuple",
        "dict",
        "string-set",
        "number-set",
        "binary-set",
        "empty-set",
        "model",
    ],
)
def test_encode_value_and_decode_value(value: Any, av: AttributeValue, decoded: Any) -> None:
    assert _sorted_sets(encode_value(value)) == _sorted_sets(av)
    assert decode_value(av) == decoded


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        (object(), UNSUPPORTED_VALUE.format(type="object")),
        ({1: "a"}, "map keys must be strings"),
        (datetime(2024, 1, 1), NAIVE_DATETIME),
        ({1, "a"}, MIXED_SET),
        (float("nan"), numbers.NOT_FINITE),
    ],
    ids=["object", "int-map-key", "naive-datetime", "mixed-set", "nan"],
)
def test_encode_value_rejects(value: Any, fragment: str) -> None:
    with pytest.raises(ValueError) as info:
        encode_value(value)
    assert fragment in str(info.value)


@pytest.mark.parametrize(
    "av",
    [{"X": 1}, {}, {"S": "a", "N": "1"}],
    ids=["unknown-tag", "empty", "two-tags"],
)
def test_decode_value_rejects(av: AttributeValue) -> None:
    with pytest.raises(ValueError):
        decode_value(av)


# -- custom serializers, computed fields, aliases, extras --------------------------------------


class Money:
    def __init__(self, cents: int) -> None:
        self.cents = cents

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Money) and other.cents == self.cents

    __hash__ = None  # type: ignore[assignment]


MoneyField = Annotated[
    Money,
    PlainValidator(lambda v: v if isinstance(v, Money) else Money(int(v[:-1]))),
    PlainSerializer(lambda m: f"{m.cents}c", return_type=str),
]


@table("wallets", hash_key="Owner")
class Wallet(DynamoModel):
    model_config = ConfigDict(arbitrary_types_allowed=True)

    owner: str = Field(alias="Owner")
    balance: MoneyField
    history: list[MoneyField] = []
    created: datetime
    secret: str = Field(default="s", exclude=True)

    @field_serializer("created")
    def _as_epoch(self, value: datetime) -> int:
        return int(value.timestamp())

    @computed_field  # type: ignore[prop-decorator]
    @property
    def owner_upper(self) -> str:
        return self.owner.upper()


def test_custom_serializers_computed_fields_aliases_and_exclude() -> None:
    wallet = Wallet(
        Owner="ann",
        balance=Money(150),
        history=[Money(1)],
        created=datetime(2024, 1, 1, tzinfo=UTC),
        secret="x",
    )
    codec = codec_for(Wallet)
    item = codec.encode(wallet)
    assert item == {
        "Owner": {"S": "ann"},
        "balance": {"S": "150c"},
        "history": {"L": [{"S": "1c"}]},
        "created": {"N": "1704067200"},
        "owner_upper": {"S": "ANN"},
    }
    back = codec.decode(item)
    assert back.balance == Money(150)
    assert back.history == [Money(1)]
    assert back.created == wallet.created
    assert back.secret == "s"


def test_model_serializer_output_is_stored() -> None:
    from pydantic import model_serializer

    class Flat(BaseModel):
        x: int
        y: int

        @model_serializer
        def _flat(self) -> str:
            return f"{self.x},{self.y}"

        @model_validator(mode="before")
        @classmethod
        def _parse(cls, value: Any) -> Any:
            if isinstance(value, str):
                x, y = value.split(",")
                return {"x": x, "y": y}
            return value

    @table("flat", hash_key="id")
    class Holder(DynamoModel):
        id: str
        flat: Flat

    holder = Holder(id="f", flat=Flat(x=1, y=2))
    item = codec_for(Holder).encode(holder)
    assert item == {"id": {"S": "f"}, "flat": {"S": "1,2"}}
    assert codec_for(Holder).decode(item) == holder


def test_model_serializer_on_a_table_model_is_refused() -> None:
    from pydantic import model_serializer

    with pytest.raises(ModelDefinitionError) as info:

        @table("flat", hash_key="id")
        class Whole(DynamoModel):
            id: str

            @model_serializer
            def _dump(self) -> dict[str, Any]:
                return {"id": self.id}

    assert str(info.value) == MODEL_SERIALIZER_TABLE.format(model="Whole")


def test_extra_allow_round_trips_extras() -> None:
    @table("loose", hash_key="id")
    class Loose(DynamoModel):
        model_config = ConfigDict(extra="allow")
        id: str

    loose = Loose(id="l", color="red", n=2)  # type: ignore[call-arg]
    item = codec_for(Loose).encode(loose)
    assert item == {"id": {"S": "l"}, "color": {"S": "red"}, "n": {"N": "2"}}
    assert codec_for(Loose).decode(item) == loose


def test_strict_models_decode() -> None:
    @table("strict", hash_key="id")
    class Strict(DynamoModel):
        model_config = ConfigDict(strict=True)
        id: UUID
        at: datetime
        tags: frozenset[int]
        pair: tuple[int, str]
        color: Color

    value = Strict(id=UUID1, at=NOON, tags=frozenset({1}), pair=(1, "a"), color=Color.RED)
    codec = codec_for(Strict)
    assert codec.decode(codec.encode(value)) == value


def test_recursive_model() -> None:
    @table("trees", hash_key="id")
    class Tree(DynamoModel):
        id: str
        children: list[Tree] = []

    Tree.model_rebuild()
    tree = Tree(id="a", children=[Tree(id="b", children=[Tree(id="c")])])
    codec = codec_for(Tree)
    assert codec.decode(codec.encode(tree)) == tree


def test_codec_is_built_once_per_class() -> None:
    assert codec_for(Event) is codec_for(Event)
    assert codec_for(Event).meta.name == "events"


def test_meta_of_a_model_without_table() -> None:
    with pytest.raises(TypeError):
        _ = codec_for(Address).meta


def test_generated_code_handles_any_attribute_name() -> None:
    odd = 'it\'s "odd"\n{x} \\ é'

    @table("odd", hash_key="id")
    class Odd(DynamoModel):
        id: str
        value: int = Field(alias=odd)
        items: list[str] = Field(default=[], alias="av")

    codec = codec_for(Odd)
    instance = Odd(id="i", **{odd: 3, "av": ["x"]})
    item = codec.encode(instance)
    assert item == {"id": {"S": "i"}, odd: {"N": "3"}, "av": {"L": [{"S": "x"}]}}
    assert codec.decode(item) == instance


def test_careful_paths_give_the_same_results() -> None:
    # An attribute another writer stored differently sends the item down the careful path.
    codec = codec_for(Person)
    item = {
        "id": {"S": "p"},
        "tags": {"L": []},
        "ratings": {"NS": ["1", "2.50"]},
        "profile": {"M": {"joined": {"S": "2024-05-01T12:00:00.000250Z"}}},
    }
    assert codec.decode(item) == Person(
        id="p",
        ratings={Decimal(1), Decimal("2.5")},
        profile=Profile(joined=NOON),
    )


def test_user_validators_and_strict_fields_see_numbers_not_text() -> None:
    seen: list[Any] = []

    @table("checked", hash_key="id")
    class Checked(DynamoModel):
        id: str
        plain: int
        strict: int = Field(strict=True)
        watched: list[float]
        marked: Annotated[int, Strict()]

        @field_validator("watched", mode="before")
        @classmethod
        def _record(cls, value: Any) -> Any:
            seen.append(value)
            return value

    codec = codec_for(Checked)
    value = Checked(id="c", plain=1, strict=2, watched=[0.5], marked=3)
    item = codec.encode(value)
    assert codec.decode(item) == value
    assert seen[-1] == [0.5]
    assert all(isinstance(x, float) for x in seen[-1])
    # Only the unguarded field is left as text for pydantic to parse.
    fast = fields_of(Checked).decode_lax
    assert fast is not None
    assert fast(item) == {"id": "c", "plain": "1", "strict": 2, "watched": [0.5], "marked": 3}


def test_model_before_validator_sees_numbers() -> None:
    @table("before", hash_key="id")
    class Before(DynamoModel):
        id: str
        n: int

        @model_validator(mode="before")
        @classmethod
        def _check(cls, data: Any) -> Any:
            assert isinstance(data["n"], int)
            return data

    codec = codec_for(Before)
    assert codec.decode({"id": {"S": "b"}, "n": {"N": "5"}}) == Before(id="b", n=5)


class _Boom(str):
    """A str whose isascii() fails: a stand-in for a bug met inside generated code."""

    def isascii(self) -> bool:
        raise RuntimeError("boom")


class _Unreadable(dict[str, Any]):
    """An AttributeValue whose subscript fails (``.get`` still works)."""

    def __getitem__(self, key: str) -> Any:
        raise RuntimeError("boom")


@table("plain", hash_key="id")
class Plain(DynamoModel):
    id: str
    name: str


def _frames(tb: Any) -> list[tuple[str, str, int]]:
    return [(f.f_code.co_filename, f.f_code.co_name, n) for f, n in traceback.walk_tb(tb)]


def test_generated_writer_failure_is_not_retried_and_shows_its_source() -> None:
    instance = Plain.model_construct(id="p1", name=_Boom("Alice"))
    with pytest.raises(RuntimeError, match="boom") as caught:
        codec_for(Plain).encode(instance)
    frames = _frames(caught.value.__traceback__)
    generated = [(f, n) for f, name, n in frames if f.startswith("<aiodynamodb generated write")]
    assert generated, frames
    filename, line = generated[-1]
    assert "isascii" in linecache.getline(filename, line)
    assert not any(name in ("encode_sized_careful", "_encode_slow") for _, name, _ in frames)


def test_generated_reader_failure_is_not_retried_on_the_careful_reader() -> None:
    item = {"id": {"S": "p1"}, "name": _Unreadable(S="Alice")}
    with pytest.raises(RuntimeError, match="boom") as caught:
        codec_for(Plain).decode(item)
    frames = _frames(caught.value.__traceback__)
    generated = [(f, n) for f, name, n in frames if f.startswith("<aiodynamodb generated read")]
    assert generated, frames
    assert "item['name']" in linecache.getline(*generated[-1])
