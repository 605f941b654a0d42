"""Unit tests for aiodynamodb.model: @table, keys, indexes and every definition error."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from enum import Enum, IntEnum
from typing import Annotated, Any, Literal
from uuid import UUID

import pytest
from pydantic import ConfigDict, Field, PlainSerializer

from aiodynamodb.codec import codec_for
from aiodynamodb.codec._annotations import BAD_MAP_KEY, BAD_SET_MEMBER, UNSUPPORTED_TYPE
from aiodynamodb.codec._messages import EXCLUDED_KEY
from aiodynamodb.errors import ModelDefinitionError
from aiodynamodb.model import (
    GSI,
    LSI,
    DynamoModel,
    HashKey,
    RangeKey,
    TableMeta,
    is_table_model,
    table,
    table_meta,
)
from aiodynamodb.model import _messages as m
from aiodynamodb.model import _model as model


class Color(str, Enum):  # noqa: UP042 - the str-mixin form many models use
    RED = "red"


class Level(IntEnum):
    LOW = 1


class Mixed(Enum):
    A = "a"
    B = 2


@table("users", hash_key="user_id")
class User(DynamoModel):
    user_id: str
    name: str


@table(
    "orders",
    hash_key="order_id",
    range_key="created_at",
    indexes=[
        GSI("by_customer", hash_key="customer_id", range_key="total", projection="KEYS_ONLY"),
        LSI("by_status", range_key="status", projection="INCLUDE", non_key_attributes=["note"]),
    ],
    billing_mode="PROVISIONED",
    read_capacity=5,
    write_capacity=3,
    ttl_attribute="expires",
    tags={"team": "core"},
)
class Order(DynamoModel):
    order_id: str
    created_at: datetime
    customer_id: str
    total: Decimal
    status: str | None = None
    note: str = ""
    expires: int | None = None


def test_table_returns_the_class_and_records_the_declaration() -> None:
    meta = table_meta(Order)
    assert meta == TableMeta(
        name="orders",
        hash_key="order_id",
        range_key="created_at",
        indexes=(
            GSI("by_customer", hash_key="customer_id", range_key="total", projection="KEYS_ONLY"),
            LSI(
                "by_status", range_key="status", projection="INCLUDE", non_key_attributes=("note",)
            ),
        ),
        billing_mode="PROVISIONED",
        read_capacity=5,
        write_capacity=3,
        ttl_attribute="expires",
        tags={"team": "core"},
    )
    assert Order.__dynamo_table__ is meta
    assert User(user_id="u1", name="Alice").name == "Alice"
    assert meta.key_names == ("order_id", "created_at")
    assert table_meta(User).key_names == ("user_id",)
    assert meta.key_attributes == ("order_id", "created_at", "customer_id", "total", "status")


def test_index_lookup() -> None:
    meta = table_meta(Order)
    assert meta.index("by_status") == LSI(
        "by_status", range_key="status", projection="INCLUDE", non_key_attributes=("note",)
    )
    assert meta.index_key_names("by_status") == ("order_id", "status")
    assert meta.index_key_names("by_customer") == ("customer_id", "total")
    with pytest.raises(ValueError) as info:
        meta.index("nope")
    assert str(info.value) == m.UNKNOWN_INDEX.format(
        table="orders", name="nope", known="'by_customer', 'by_status'"
    )


def test_hash_and_range_key_annotations() -> None:
    @table("events")
    class Event(DynamoModel):
        stream: HashKey[str]
        seq: RangeKey[int]
        body: str = ""

    assert table_meta(Event).key_names == ("stream", "seq")
    assert Event(stream="s", seq=1).seq == 1


def test_key_names_are_attribute_names() -> None:
    @table("aliased", hash_key="pk")
    class Aliased(DynamoModel):
        user_id: str = Field(alias="pk")

    assert table_meta(Aliased).hash_key == "pk"
    assert codec_for(Aliased).encode(Aliased(pk="u")) == {"pk": {"S": "u"}}


@pytest.mark.parametrize(
    ("obj", "expected"),
    [(User, True), (Order, True), (DynamoModel, False), (object(), False), (int, False)],
    ids=["table-model", "table-model-2", "base-class", "instance", "other-class"],
)
def test_is_table_model(obj: object, expected: bool) -> None:
    assert is_table_model(obj) is expected


def test_subclass_of_a_table_model_needs_its_own_table() -> None:
    class Admin(User):
        level: int = 0

    assert not is_table_model(Admin)
    with pytest.raises(TypeError) as info:
        table_meta(Admin)
    assert str(info.value) == model.NOT_A_TABLE_MODEL.format(obj=Admin)


def _model(name: str, fields: dict[str, Any], **table_kwargs: Any) -> type[DynamoModel]:
    """Create a model from annotations (and defaults) and decorate it."""
    annotations = {
        k: v[0] if isinstance(v, tuple) else v for k, v in fields.items() if k != "model_config"
    }
    namespace: dict[str, Any] = {"__annotations__": annotations}
    namespace.update({k: v[1] for k, v in fields.items() if isinstance(v, tuple)})
    cls = type(name, (DynamoModel,), namespace)
    return table(table_kwargs.pop("table_name", "things"), **table_kwargs)(cls)


def _key_error(template: str, model: str, field: str, annotation: str) -> str:
    return template.format(model=model, field=field, annotation=annotation)


# (id, build the bad model, expected message)
DEFINITION_ERRORS: list[tuple[str, Callable[[], object], str]] = [
    (
        "not-a-dynamo-model",
        lambda: table("things", hash_key="a")(int),  # type: ignore[type-var]
        model.NOT_A_DYNAMO_MODEL.format(table="things", obj=int, name="int"),
    ),
    (
        "no-hash-key",
        lambda: _model("NoKey", {"a": str}),
        m.NO_HASH_KEY.format(model="NoKey"),
    ),
    (
        "hash-key-not-a-field",
        lambda: _model("Missing", {"a": str}, hash_key="b"),
        m.NOT_A_FIELD.format(model="Missing", what="hash key", name="b", known="'a'"),
    ),
    (
        "key-named-by-field-not-alias",
        lambda: _model("Alias", {"a": (str, Field(alias="pk"))}, hash_key="a"),
        m.NOT_A_FIELD_ALIAS_HINT.format(model="Alias", what="hash key", name="a", alias="pk"),
    ),
    (
        "range-key-not-a-field",
        lambda: _model("NoRange", {"a": str}, hash_key="a", range_key="z"),
        m.NOT_A_FIELD.format(model="NoRange", what="range key", name="z", known="'a'"),
    ),
    (
        "hash-key-given-both-ways",
        lambda: _model("Twice", {"a": HashKey[str]}, hash_key="a"),
        m.KEY_GIVEN_TWICE.format(
            model="Twice", role="hash", given="a", marker="HashKey", field="a"
        ),
    ),
    (
        "range-key-given-both-ways",
        lambda: _model("Twice2", {"a": str, "b": RangeKey[int]}, hash_key="a", range_key="b"),
        m.KEY_GIVEN_TWICE.format(
            model="Twice2", role="range", given="b", marker="RangeKey", field="b"
        ),
    ),
    (
        "two-hash-key-annotations",
        lambda: _model("TwoHash", {"a": HashKey[str], "b": HashKey[str]}),
        m.SEVERAL_KEY_MARKERS.format(
            model="TwoHash", fields="'a', 'b'", marker="HashKey", role="hash"
        ),
    ),
    (
        "same-hash-and-range",
        lambda: _model("Same", {"a": str}, hash_key="a", range_key="a"),
        m.SAME_HASH_AND_RANGE.format(model="Same", where="the table", name="a"),
    ),
    (
        "optional-hash-key",
        lambda: _model("OptKey", {"a": str | None}, hash_key="a"),
        _key_error(m.OPTIONAL_KEY, "OptKey", "a", "str | None"),
    ),
    (
        "optional-range-key",
        lambda: _model(
            "OptRange", {"a": str, "b": (int | None, None)}, hash_key="a", range_key="b"
        ),
        _key_error(m.OPTIONAL_KEY, "OptRange", "b", "int | None"),
    ),
    (
        "bool-key",
        lambda: _model("BoolKey", {"a": bool}, hash_key="a"),
        _key_error(m.BAD_KEY_TYPE, "BoolKey", "a", "bool"),
    ),
    (
        "float-key",
        lambda: _model("FloatKey", {"a": float}, hash_key="a"),
        _key_error(m.BAD_KEY_TYPE, "FloatKey", "a", "float"),
    ),
    (
        "list-key",
        lambda: _model("ListKey", {"a": list[str]}, hash_key="a"),
        _key_error(m.BAD_KEY_TYPE, "ListKey", "a", "list[str]"),
    ),
    (
        "mixed-enum-key",
        lambda: _model("EnumKey", {"a": Mixed}, hash_key="a"),
        _key_error(m.BAD_KEY_TYPE, "EnumKey", "a", "Mixed"),
    ),
    (
        "gsi-key-list",
        lambda: _model(
            "GsiList", {"a": str, "tags": list[str]}, hash_key="a", indexes=[GSI("idx", "tags")]
        ),
        _key_error(m.BAD_KEY_TYPE, "GsiList", "tags", "list[str]"),
    ),
    (
        "custom-serializer-key",
        lambda: _model(
            "Ser", {"a": Annotated[int, PlainSerializer(str)]}, hash_key="a"
        ),  # no return_type: what it stores is unknown (one with return_type=str is a key)
        _key_error(m.CUSTOM_SERIALIZER_KEY, "Ser", "a", "Any"),
    ),
    (
        "excluded-key",
        lambda: _model("Excl", {"a": (str, Field(exclude=True))}, hash_key="a"),
        _key_error(EXCLUDED_KEY, "Excl", "a", "str"),
    ),
    (
        "bad-table-name",
        lambda: _model("BadName", {"a": str}, hash_key="a", table_name="x"),
        m.BAD_TABLE_NAME.format(model="BadName", name="x"),
    ),
    (
        "table-name-bad-characters",
        lambda: _model("BadChars", {"a": str}, hash_key="a", table_name="my table"),
        m.BAD_TABLE_NAME.format(model="BadChars", name="my table"),
    ),
    (
        "bad-index-name",
        lambda: _model("BadIdx", {"a": str, "b": str}, hash_key="a", indexes=[GSI("ix", "b")]),
        m.BAD_INDEX_NAME.format(model="BadIdx", name="ix"),
    ),
    (
        "duplicate-index",
        lambda: _model(
            "Dup",
            {"a": str, "b": str},
            hash_key="a",
            range_key="b",
            indexes=[GSI("idx", "b"), LSI("idx", "b")],
        ),
        m.DUPLICATE_INDEX.format(model="Dup", name="idx"),
    ),
    (
        "index-key-not-a-field",
        lambda: _model("IdxKey", {"a": str}, hash_key="a", indexes=[GSI("idx", "zz")]),
        m.NOT_A_FIELD.format(
            model="IdxKey", what="the hash key of index 'idx'", name="zz", known="'a'"
        ),
    ),
    (
        "index-range-key-not-a-field",
        lambda: _model("IdxRange", {"a": str}, hash_key="a", indexes=[GSI("idx", "a", "zz")]),
        m.NOT_A_FIELD.format(
            model="IdxRange", what="the range key of index 'idx'", name="zz", known="'a'"
        ),
    ),
    (
        "too-many-gsis",
        lambda: _model(
            "ManyGsi",
            {"a": str, "b": str},
            hash_key="a",
            indexes=[GSI(f"idx{i}", "b") for i in range(21)],
        ),
        m.TOO_MANY_INDEXES.format(model="ManyGsi", count=21, kind="GSI", limit=20),
    ),
    (
        "too-many-lsis",
        lambda: _model(
            "ManyLsi",
            {"a": str, "b": str, "c": str},
            hash_key="a",
            range_key="b",
            indexes=[LSI(f"idx{i}", "c") for i in range(6)],
        ),
        m.TOO_MANY_INDEXES.format(model="ManyLsi", count=6, kind="LSI", limit=5),
    ),
    (
        "lsi-without-range-key",
        lambda: _model("LsiNoRange", {"a": str, "b": str}, hash_key="a", indexes=[LSI("idx", "b")]),
        m.LSI_WITHOUT_RANGE_KEY.format(model="LsiNoRange", name="idx"),
    ),
    (
        "not-an-index",
        lambda: _model("NotIdx", {"a": str}, hash_key="a", indexes=["idx"]),
        m.NOT_AN_INDEX.format(model="NotIdx", obj="idx"),
    ),
    (
        "bad-projection",
        lambda: _model(
            "BadProj",
            {"a": str, "b": str},
            hash_key="a",
            indexes=[GSI("idx", "b", projection="SOME")],
        ),
        m.BAD_PROJECTION.format(model="BadProj", name="idx", projection="SOME"),
    ),
    (
        "include-without-attributes",
        lambda: _model(
            "Incl",
            {"a": str, "b": str},
            hash_key="a",
            indexes=[GSI("idx", "b", projection="INCLUDE")],
        ),
        m.INCLUDE_NEEDS_ATTRIBUTES.format(model="Incl", name="idx"),
    ),
    (
        "attributes-without-include",
        lambda: _model(
            "NoIncl",
            {"a": str, "b": str},
            hash_key="a",
            indexes=[GSI("idx", "b", non_key_attributes=("a",))],
        ),
        m.ATTRIBUTES_WITHOUT_INCLUDE.format(model="NoIncl", name="idx", projection="ALL"),
    ),
    (
        "projected-attribute-not-a-field",
        lambda: _model(
            "ProjMissing",
            {"a": str, "b": str},
            hash_key="a",
            indexes=[GSI("idx", "b", projection="INCLUDE", non_key_attributes=("zz",))],
        ),
        m.NOT_A_FIELD.format(
            model="ProjMissing",
            what="a non-key attribute of index 'idx'",
            name="zz",
            known="'a', 'b'",
        ),
    ),
    (
        "bad-billing-mode",
        lambda: _model("Bill", {"a": str}, hash_key="a", billing_mode="FREE"),
        m.BAD_BILLING_MODE.format(model="Bill", mode="FREE"),
    ),
    (
        "bad-stream-view",
        lambda: _model("Streamed", {"a": str}, hash_key="a", stream="NEW_IMAGES"),
        m.BAD_STREAM_VIEW.format(model="Streamed", view="NEW_IMAGES"),
    ),
    (
        "provisioned-without-capacity",
        lambda: _model("Prov", {"a": str}, hash_key="a", billing_mode="PROVISIONED"),
        m.PROVISIONED_NEEDS_CAPACITY.format(model="Prov"),
    ),
    (
        "bad-capacity",
        lambda: _model(
            "Cap",
            {"a": str},
            hash_key="a",
            billing_mode="PROVISIONED",
            read_capacity=0,
            write_capacity=1,
        ),
        m.BAD_CAPACITY.format(model="Cap", where="the table's read", value=0),
    ),
    (
        "capacity-on-demand",
        lambda: _model("OnDemand", {"a": str}, hash_key="a", read_capacity=5),
        m.CAPACITY_WITHOUT_PROVISIONED.format(model="OnDemand", where="@table"),
    ),
    (
        "gsi-capacity-on-demand",
        lambda: _model(
            "GsiCap", {"a": str, "b": str}, hash_key="a", indexes=[GSI("idx", "b", read_capacity=1)]
        ),
        m.CAPACITY_WITHOUT_PROVISIONED.format(model="GsiCap", where="index 'idx'"),
    ),
    (
        "ttl-not-a-field",
        lambda: _model("Ttl", {"a": str}, hash_key="a", ttl_attribute="exp"),
        m.NOT_A_FIELD.format(model="Ttl", what="the TTL attribute", name="exp", known="'a'"),
    ),
    (
        "ttl-not-a-number",
        lambda: _model("TtlType", {"a": str, "exp": datetime}, hash_key="a", ttl_attribute="exp"),
        m.BAD_TTL_TYPE.format(model="TtlType", field="exp", annotation="datetime"),
    ),
    (
        "version-not-a-field",
        lambda: _model("Ver", {"a": str}, hash_key="a", version="v"),
        m.NOT_A_FIELD.format(model="Ver", what="the version attribute", name="v", known="'a'"),
    ),
    (
        "version-not-an-int",
        lambda: _model("VerType", {"a": str, "v": (str, "0")}, hash_key="a", version="v"),
        m.BAD_VERSION_TYPE.format(model="VerType", field="v", annotation="str"),
    ),
    (
        "version-a-float",
        lambda: _model("VerFloat", {"a": str, "v": (float, 0.0)}, hash_key="a", version="v"),
        m.BAD_VERSION_TYPE.format(model="VerFloat", field="v", annotation="float"),
    ),
    (
        "version-is-a-key",
        lambda: _model("VerKey", {"a": str, "v": int}, hash_key="a", range_key="v", version="v"),
        m.VERSION_IS_KEY.format(model="VerKey", name="v"),
    ),
    (
        "version-is-an-index-key",
        lambda: _model(
            "VerIdx", {"a": str, "v": int}, hash_key="a", indexes=[GSI("idx", "v")], version="v"
        ),
        m.VERSION_IS_KEY.format(model="VerIdx", name="v"),
    ),
    (
        "version-on-a-frozen-model",
        lambda: _model(
            "VerFrozen",
            {"a": str, "v": (int, 0), "model_config": (Any, ConfigDict(frozen=True))},
            hash_key="a",
            version="v",
        ),
        m.VERSION_FROZEN.format(model="VerFrozen", name="v"),
    ),
    (
        "too-many-tags",
        lambda: _model("Tags", {"a": str}, hash_key="a", tags={f"k{i}": "v" for i in range(51)}),
        m.BAD_TAGS.format(model="Tags", problem="got 51 tags"),
    ),
    (
        "empty-tag-key",
        lambda: _model("Tags2", {"a": str}, hash_key="a", tags={"": "v"}),
        m.BAD_TAGS.format(model="Tags2", problem="bad key ''"),
    ),
]


@pytest.mark.parametrize(
    ("build", "message"),
    [pytest.param(b, msg, id=i) for i, b, msg in DEFINITION_ERRORS],
)
def test_definition_errors(build: Callable[[], object], message: str) -> None:
    with pytest.raises(ModelDefinitionError) as info:
        build()
    assert str(info.value) == message


def test_definition_error_is_a_type_error() -> None:
    with pytest.raises(TypeError):
        _model("Plain", {"a": str})


# (id, annotation, template, what the message calls the annotation)
UNSUPPORTED: list[tuple[str, Any, str, str]] = [
    ("complex", complex, UNSUPPORTED_TYPE, "complex"),
    ("list-of-complex", list[complex], UNSUPPORTED_TYPE, "complex"),
    ("set-of-bool", set[bool], BAD_SET_MEMBER, "bool"),
    ("set-of-lists", set[tuple[int, int]], BAD_SET_MEMBER, "tuple[int, int]"),
    ("dict-int-keys", dict[int, str], BAD_MAP_KEY, "dict[int, str]"),
    ("union-member", Annotated[Any, "x"] | complex, UNSUPPORTED_TYPE, "complex"),
]


@pytest.mark.parametrize(
    ("annotation", "template", "shown"),
    [pytest.param(a, t, s, id=i) for i, a, t, s in UNSUPPORTED],
)
def test_unsupported_field_types_fail_at_class_creation(
    annotation: Any, template: str, shown: str
) -> None:
    with pytest.raises(ModelDefinitionError) as info:
        type("Bad", (DynamoModel,), {"__annotations__": {"f": annotation}})
    assert str(info.value) == template.format(where="Bad.f", annotation=shown)


@pytest.mark.parametrize(
    ("annotation", "key_type"),
    [
        (str, "S"),
        (int, "N"),
        (Decimal, "N"),
        (bytes, "B"),
        (datetime, "S"),
        (date, "S"),
        (UUID, "S"),
        (Color, "S"),
        (Level, "N"),
        (Literal["a", "b"], "S"),
        (Literal[1, 2], "N"),
        (Annotated[str, Field(min_length=1)], "S"),
    ],
    ids=[
        "str",
        "int",
        "decimal",
        "bytes",
        "datetime",
        "date",
        "uuid",
        "str-enum",
        "int-enum",
        "literal-str",
        "literal-int",
        "annotated",
    ],
)
def test_keyable_types(annotation: Any, key_type: str) -> None:
    model = _model("Keyed", {"k": annotation}, hash_key="k")
    assert codec_for(model).key_type("k") == key_type


def test_optional_index_keys_are_allowed_for_sparse_indexes() -> None:
    model = _model(
        "Sparse", {"a": str, "b": (str | None, None)}, hash_key="a", indexes=[GSI("by_b", "b")]
    )
    assert table_meta(model).key_attributes == ("a", "b")
    assert codec_for(model).key_type("b") == "S"


def test_forward_references_are_checked_on_first_use() -> None:
    @table("nodes", hash_key="id")
    class Node(DynamoModel):
        id: str
        child: Later | None = None

    class Later(DynamoModel):
        name: str

    Node.model_rebuild()
    node = Node(id="n", child=Later(name="x"))
    assert codec_for(Node).decode(codec_for(Node).encode(node)) == node


@pytest.mark.parametrize(
    ("annotation", "default"), [(int, 0), (int | None, None)], ids=["int", "optional-int"]
)
def test_version_attribute_is_declared(annotation: Any, default: Any) -> None:
    cls = _model("Versioned", {"a": str, "rev": (annotation, default)}, hash_key="a", version="rev")
    assert table_meta(cls).version_attribute == "rev"
