"""Unit tests for aiodynamodb.expressions: exact expression text and placeholder maps."""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import pytest
from boto3.dynamodb.conditions import Attr, ConditionBase, Key

from aiodynamodb.expressions import (
    ATTRIBUTE_TYPES,
    ELEMENT,
    ExpressionContext,
    UpdateAction,
    UpdateAttr,
    parse_path,
)
from aiodynamodb.expressions._context import BAD_KEY_CONDITION, EMPTY_PROJECTION, EMPTY_UPDATE
from aiodynamodb.expressions._paths import CONFLICTING_PATHS, MALFORMED_PATH, OVERLAPPING_PATHS
from aiodynamodb.item_types import AttributeValue


class RecordingEncoder:
    """Encodes like a tiny codec and records the path of every call."""

    def __init__(self) -> None:
        self.paths: list[list[str | int]] = []

    def __call__(self, path: Sequence[str | int], value: Any) -> AttributeValue:
        self.paths.append(list(path))
        return self.encode(value)

    def encode(self, value: Any) -> AttributeValue:
        if isinstance(value, bool):
            return {"BOOL": value}
        if isinstance(value, int | float | Decimal):
            return {"N": str(value)}
        if isinstance(value, str):
            return {"S": value}
        if isinstance(value, list):
            return {"L": [self.encode(v) for v in value]}
        if isinstance(value, set):
            return {"SS": sorted(value)}
        if value is None:
            return {"NULL": True}
        raise TypeError(value)


@pytest.fixture
def encoder() -> RecordingEncoder:
    return RecordingEncoder()


@pytest.fixture
def ctx(encoder: RecordingEncoder) -> ExpressionContext:
    return ExpressionContext(encoder)


# -- paths ------------------------------------------------------------------------------------

PATHS = [
    ("a", ["a"]),
    ("a.b", ["a", "b"]),
    ("a.b[0].c", ["a", "b", 0, "c"]),
    ("a[1][22]", ["a", 1, 22]),
    ("with space", ["with space"]),
    ("with-dash_and:colon", ["with-dash_and:colon"]),
]


@pytest.mark.parametrize(("path", "parts"), PATHS, ids=[p for p, _ in PATHS])
def test_parse_path(path: str, parts: list[str | int]) -> None:
    assert parse_path(path) == parts


BAD_PATHS = [
    ("", "it is empty"),
    ("a..b", "a name between dots is empty"),
    (".a", "a name between dots is empty"),
    ("a.", "a name between dots is empty"),
    ("[0]", "the list index in '[0]' has no name before it"),
    ("a.[0]", "the list index in '[0]' has no name before it"),
    ("a[x]", "'a[x]' is not a name followed by [n] indexes"),
    ("a[]", "'a[]' is not a name followed by [n] indexes"),
    ("a[-1]", "'a[-1]' is not a name followed by [n] indexes"),
    ("a[0", "'a[0' is not a name followed by [n] indexes"),
    ("a]", "'a]' is not a name followed by [n] indexes"),
    ("a[0]b", "'a[0]b' is not a name followed by [n] indexes"),
]


@pytest.mark.parametrize(("path", "reason"), BAD_PATHS, ids=[p or "empty" for p, _ in BAD_PATHS])
def test_parse_path_errors(path: str, reason: str) -> None:
    message = MALFORMED_PATH.format(path=path, reason=reason)
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        parse_path(path)


def test_parse_path_not_a_string() -> None:
    with pytest.raises(TypeError, match=r"an attribute path is a str such as 'a.b\[0\]'; got 3"):
        parse_path(3)  # type: ignore[arg-type]


def test_malformed_path_message() -> None:
    assert MALFORMED_PATH.format(path="a..b", reason="r") == (
        "malformed attribute path 'a..b': r; write map keys separated by dots and list indexes "
        "in brackets, e.g. 'address.lines[0].text'"
    )


# -- conditions: one operator at a time ---------------------------------------------------------

S = {"S": "x"}
N1 = {"N": "1"}
N2 = {"N": "2"}

CONDITIONS: list[tuple[str, ConditionBase, str, dict[str, str], dict[str, Any]]] = [
    ("eq", Attr("a").eq("x"), "#n0 = :v0", {"#n0": "a"}, {":v0": S}),
    ("ne", Attr("a").ne("x"), "#n0 <> :v0", {"#n0": "a"}, {":v0": S}),
    ("lt", Attr("a").lt(1), "#n0 < :v0", {"#n0": "a"}, {":v0": N1}),
    ("lte", Attr("a").lte(1), "#n0 <= :v0", {"#n0": "a"}, {":v0": N1}),
    ("gt", Attr("a").gt(1), "#n0 > :v0", {"#n0": "a"}, {":v0": N1}),
    ("gte", Attr("a").gte(1), "#n0 >= :v0", {"#n0": "a"}, {":v0": N1}),
    (
        "between",
        Attr("a").between(1, 2),
        "#n0 BETWEEN :v0 AND :v1",
        {"#n0": "a"},
        {":v0": N1, ":v1": N2},
    ),
    ("begins_with", Attr("a").begins_with("x"), "begins_with(#n0, :v0)", {"#n0": "a"}, {":v0": S}),
    (
        "is_in",
        Attr("a").is_in([1, 2]),
        "#n0 IN (:v0, :v1)",
        {"#n0": "a"},
        {":v0": N1, ":v1": N2},
    ),
    ("is_in_one", Attr("a").is_in(["x"]), "#n0 IN (:v0)", {"#n0": "a"}, {":v0": S}),
    ("exists", Attr("a").exists(), "attribute_exists(#n0)", {"#n0": "a"}, {}),
    ("not_exists", Attr("a").not_exists(), "attribute_not_exists(#n0)", {"#n0": "a"}, {}),
    (
        "attribute_type",
        Attr("a").attribute_type("N"),
        "attribute_type(#n0, :v0)",
        {"#n0": "a"},
        {":v0": {"S": "N"}},
    ),
    ("contains", Attr("a").contains("x"), "contains(#n0, :v0)", {"#n0": "a"}, {":v0": S}),
    ("size_eq", Attr("a").size().eq(3), "size(#n0) = :v0", {"#n0": "a"}, {":v0": {"N": "3"}}),
    ("size_gt", Attr("a").size().gt(0), "size(#n0) > :v0", {"#n0": "a"}, {":v0": {"N": "0"}}),
    (
        "size_between",
        Attr("a").size().between(1, 2),
        "size(#n0) BETWEEN :v0 AND :v1",
        {"#n0": "a"},
        {":v0": N1, ":v1": N2},
    ),
    ("attr_vs_attr", Attr("a").lt(Attr("b")), "#n0 < #n1", {"#n0": "a", "#n1": "b"}, {}),
    (
        "attr_vs_size",
        Attr("a").gte(Attr("b").size()),
        "#n0 >= size(#n1)",
        {"#n0": "a", "#n1": "b"},
        {},
    ),
    ("key_eq", Key("pk").eq("x"), "#n0 = :v0", {"#n0": "pk"}, {":v0": S}),
    (
        "key_begins_with",
        Key("sk").begins_with("x"),
        "begins_with(#n0, :v0)",
        {"#n0": "sk"},
        {":v0": S},
    ),
    ("reserved_status", Attr("status").eq("x"), "#n0 = :v0", {"#n0": "status"}, {":v0": S}),
    ("reserved_name", Attr("name").exists(), "attribute_exists(#n0)", {"#n0": "name"}, {}),
    (
        "nested_path",
        Attr("address.lines[0].text").eq("x"),
        "#n0.#n1[0].#n2 = :v0",
        {"#n0": "address", "#n1": "lines", "#n2": "text"},
        {":v0": S},
    ),
    (
        "nested_size",
        Attr("a.b[2]").size().eq(1),
        "size(#n0.#n1[2]) = :v0",
        {"#n0": "a", "#n1": "b"},
        {":v0": N1},
    ),
    (
        "name_reused",
        Attr("a").eq(1) & Attr("b.a").eq(2),
        "#n0 = :v0 AND #n1.#n0 = :v1",
        {"#n0": "a", "#n1": "b"},
        {":v0": N1, ":v1": N2},
    ),
]


@pytest.mark.parametrize(
    ("cond", "text", "names", "values"),
    [c[1:] for c in CONDITIONS],
    ids=[c[0] for c in CONDITIONS],
)
def test_condition(
    ctx: ExpressionContext,
    cond: ConditionBase,
    text: str,
    names: dict[str, str],
    values: dict[str, Any],
) -> None:
    assert ctx.condition(cond) == text
    assert ctx.names == names
    assert ctx.values == values


# -- which path each value is encoded with --------------------------------------------------------

ENCODE_PATHS: list[tuple[str, ConditionBase, list[list[str | int]]]] = [
    ("eq", Attr("a.b[1]").eq("x"), [["a", "b", 1]]),
    ("between", Attr("a").between(1, 2), [["a"], ["a"]]),
    ("is_in", Attr("a").is_in(["x", "y", "z"]), [["a"], ["a"], ["a"]]),
    ("begins_with", Attr("a").begins_with("x"), [["a"]]),
    ("contains_element", Attr("tags").contains("x"), [["tags", ELEMENT]]),
    ("contains_nested", Attr("m.tags").contains("x"), [["m", "tags", "*"]]),
    ("size_not_encoded", Attr("a").size().eq(3), []),
    ("attribute_type_not_encoded", Attr("a").attribute_type("S"), []),
    ("attr_operand_not_encoded", Attr("a").eq(Attr("b")), []),
]


@pytest.mark.parametrize(
    ("cond", "paths"), [c[1:] for c in ENCODE_PATHS], ids=[c[0] for c in ENCODE_PATHS]
)
def test_condition_encode_paths(
    ctx: ExpressionContext,
    encoder: RecordingEncoder,
    cond: ConditionBase,
    paths: list[list[str | int]],
) -> None:
    ctx.condition(cond)
    assert encoder.paths == paths


# -- precedence ---------------------------------------------------------------------------------

a, b, c, d = (Attr(name).eq(1) for name in "abcd")

PRECEDENCE: list[tuple[str, ConditionBase, str]] = [
    ("and", a & b, "#n0 = :v0 AND #n1 = :v1"),
    ("and_chain", a & b & c, "#n0 = :v0 AND #n1 = :v1 AND #n2 = :v2"),
    ("or_chain", a | b | c, "#n0 = :v0 OR #n1 = :v1 OR #n2 = :v2"),
    ("and_of_or", (a | b) & c, "(#n0 = :v0 OR #n1 = :v1) AND #n2 = :v2"),
    ("or_of_and", (a & b) | c, "(#n0 = :v0 AND #n1 = :v1) OR #n2 = :v2"),
    ("and_right_or", a & (b | c), "#n0 = :v0 AND (#n1 = :v1 OR #n2 = :v2)"),
    (
        "or_of_ands",
        (a & b) | (c & d),
        "(#n0 = :v0 AND #n1 = :v1) OR (#n2 = :v2 AND #n3 = :v3)",
    ),
    ("not", ~a, "NOT #n0 = :v0"),
    ("not_and", ~(a & b), "NOT (#n0 = :v0 AND #n1 = :v1)"),
    ("not_or", ~(a | b), "NOT (#n0 = :v0 OR #n1 = :v1)"),
    ("not_not", ~~a, "NOT (NOT #n0 = :v0)"),
    ("and_not", a & ~b, "#n0 = :v0 AND NOT #n1 = :v1"),
    (
        "not_in_or",
        ~a | (b & ~(c | d)),
        "NOT #n0 = :v0 OR (#n1 = :v1 AND NOT (#n2 = :v2 OR #n3 = :v3))",
    ),
    (
        "key_and",
        Key("pk").eq(1) & Key("sk").between(1, 2),
        "#n0 = :v0 AND #n1 BETWEEN :v1 AND :v2",
    ),
]


@pytest.mark.parametrize(
    ("cond", "text"), [p[1:] for p in PRECEDENCE], ids=[p[0] for p in PRECEDENCE]
)
def test_condition_precedence(ctx: ExpressionContext, cond: ConditionBase, text: str) -> None:
    assert ctx.condition(cond) == text


# -- condition errors -----------------------------------------------------------------------------

CONDITION_ERRORS: list[tuple[str, Any, type[Exception], str]] = [
    (
        "not_a_condition",
        "a = 1",
        TypeError,
        "expected a condition built from boto3.dynamodb.conditions Attr/Key, e.g. "
        "Attr('x').eq(1); got 'a = 1'",
    ),
    (
        "bare_attr",
        Attr("a"),
        TypeError,
        "expected a condition built from boto3.dynamodb.conditions Attr/Key",
    ),
    (
        "bare_size",
        Attr("a").size(),
        ValueError,
        "Attr('a').size() is not a condition on its own; compare it, e.g. Attr('a').size().gt(0)",
    ),
    (
        "size_with_str",
        Attr("a").size().eq("3"),
        TypeError,
        "size('a') is compared with a length, a non-negative int; got '3'",
    ),
    (
        "size_with_bool",
        Attr("a").size().eq(True),
        TypeError,
        "size('a') is compared with a length, a non-negative int; got True",
    ),
    (
        "size_negative",
        Attr("a").size().gt(-1),
        TypeError,
        "size('a') is compared with a length, a non-negative int; got -1",
    ),
    (
        "attribute_type_unknown",
        Attr("a").attribute_type("STRING"),
        ValueError,
        "attribute_type('a', ...) takes one of B, BOOL, BS, L, M, N, NS, NULL, S, SS; got 'STRING'",
    ),
    (
        "is_in_empty",
        Attr("a").is_in([]),
        ValueError,
        "Attr('a').is_in(...) takes a list of 1 to 99 values "
        "(DynamoDB's IN has at most 100 operands, the attribute included); got []",
    ),
    (
        "is_in_str",
        Attr("a").is_in("xy"),
        ValueError,
        "Attr('a').is_in(...) takes a list of 1 to 99 values "
        "(DynamoDB's IN has at most 100 operands, the attribute included); got 'xy'",
    ),
    (
        "is_in_too_many",
        Attr("a").is_in(list(range(100))),
        ValueError,
        "Attr('a').is_in(...) takes a list of 1 to 99 values "
        "(DynamoDB's IN has at most 100 operands, the attribute included); got [0, 1",
    ),
    (
        "malformed_path",
        Attr("a..b").eq(1),
        ValueError,
        "malformed attribute path 'a..b': a name between dots is empty",
    ),
]


@pytest.mark.parametrize(
    ("cond", "error", "message"),
    [e[1:] for e in CONDITION_ERRORS],
    ids=[e[0] for e in CONDITION_ERRORS],
)
def test_condition_errors(
    ctx: ExpressionContext, cond: Any, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=f"^{re.escape(message)}"):
        ctx.condition(cond)


def test_attribute_types_are_dynamodb_tags() -> None:
    assert sorted(ATTRIBUTE_TYPES) == ["B", "BOOL", "BS", "L", "M", "N", "NS", "NULL", "S", "SS"]


# -- key conditions ----------------------------------------------------------------------------

KEY_CONDITIONS: list[tuple[str, ConditionBase, str]] = [
    ("eq", Key("pk").eq("x"), "#n0 = :v0"),
    ("eq_and_lt", Key("pk").eq("x") & Key("sk").lt(1), "#n0 = :v0 AND #n1 < :v1"),
    (
        "eq_and_between",
        Key("pk").eq("x") & Key("sk").between(1, 2),
        "#n0 = :v0 AND #n1 BETWEEN :v1 AND :v2",
    ),
    (
        "eq_and_begins_with",
        Key("pk").eq("x") & Key("sk").begins_with("a"),
        "#n0 = :v0 AND begins_with(#n1, :v1)",
    ),
]


@pytest.mark.parametrize(
    ("cond", "text"), [k[1:] for k in KEY_CONDITIONS], ids=[k[0] for k in KEY_CONDITIONS]
)
def test_key_condition(ctx: ExpressionContext, cond: ConditionBase, text: str) -> None:
    assert ctx.key_condition(cond) == text


KEY_CONDITION_ERRORS: list[tuple[str, ConditionBase, str]] = [
    ("or", Key("pk").eq(1) | Key("pk").eq(2), "'OR' is not allowed"),
    ("not", ~Key("pk").eq(1), "'NOT' is not allowed"),
    ("ne", Attr("pk").ne(1), "'<>' is not allowed"),
    ("in", Attr("pk").is_in([1]), "'IN' is not allowed"),
    ("exists", Key("pk").eq(1) & Attr("sk").exists(), "'attribute_exists' is not allowed"),
    ("attr", Attr("pk").eq(1), "use Key('pk'), not Attr(...)"),
    ("size", Key("pk").eq(1) & Attr("sk").size().eq(1), "use Key('sk'), not Size(...)"),
]


@pytest.mark.parametrize(
    ("cond", "reason"),
    [k[1:] for k in KEY_CONDITION_ERRORS],
    ids=[k[0] for k in KEY_CONDITION_ERRORS],
)
def test_key_condition_errors(ctx: ExpressionContext, cond: ConditionBase, reason: str) -> None:
    with pytest.raises(ValueError, match=f"^{re.escape(BAD_KEY_CONDITION.format(reason=reason))}$"):
        ctx.key_condition(cond)


def test_key_condition_not_a_condition(ctx: ExpressionContext) -> None:
    with pytest.raises(TypeError, match="expected a condition built from"):
        ctx.key_condition(Key("pk"))


def test_bad_key_condition_message() -> None:
    assert BAD_KEY_CONDITION.format(reason="r") == (
        "a key condition is Key(...) comparisons (=, <, <=, >, >=, BETWEEN, begins_with) joined "
        "with &; r"
    )


# -- updates -----------------------------------------------------------------------------------

UPDATES: list[tuple[str, list[UpdateAction], str, dict[str, str], dict[str, Any]]] = [
    ("set", [UpdateAttr("a").set("x")], "SET #n0 = :v0", {"#n0": "a"}, {":v0": S}),
    ("set_none_removes", [UpdateAttr("a").set(None)], "REMOVE #n0", {"#n0": "a"}, {}),
    (
        "set_none_map_key",
        [UpdateAttr("a.b").set(None)],
        "REMOVE #n0.#n1",
        {"#n0": "a", "#n1": "b"},
        {},
    ),
    (
        "set_none_list_element",
        [UpdateAttr("a[0]").set(None)],
        "SET #n0[0] = :v0",
        {"#n0": "a"},
        {":v0": {"NULL": True}},
    ),
    (
        "append_create",
        [UpdateAttr("a").append([1], create=True)],
        "SET #n0 = list_append(if_not_exists(#n0, :v1), :v0)",
        {"#n0": "a"},
        {":v0": {"L": [N1]}, ":v1": {"L": []}},
    ),
    (
        "prepend_create",
        [UpdateAttr("a").prepend([1], create=True)],
        "SET #n0 = list_append(:v0, if_not_exists(#n0, :v1))",
        {"#n0": "a"},
        {":v0": {"L": [N1]}, ":v1": {"L": []}},
    ),
    ("remove", [UpdateAttr("a").remove()], "REMOVE #n0", {"#n0": "a"}, {}),
    ("add", [UpdateAttr("a").add(1)], "ADD #n0 :v0", {"#n0": "a"}, {":v0": N1}),
    (
        "delete",
        [UpdateAttr("a").delete({"x"})],
        "DELETE #n0 :v0",
        {"#n0": "a"},
        {":v0": {"SS": ["x"]}},
    ),
    (
        "append",
        [UpdateAttr("a").append([1])],
        "SET #n0 = list_append(#n0, :v0)",
        {"#n0": "a"},
        {":v0": {"L": [N1]}},
    ),
    (
        "prepend",
        [UpdateAttr("a").prepend((1, 2))],
        "SET #n0 = list_append(:v0, #n0)",
        {"#n0": "a"},
        {":v0": {"L": [N1, N2]}},
    ),
    (
        "if_not_exists",
        [UpdateAttr("a").if_not_exists(1)],
        "SET #n0 = if_not_exists(#n0, :v0)",
        {"#n0": "a"},
        {":v0": N1},
    ),
    ("increment", [UpdateAttr("a").increment()], "SET #n0 = #n0 + :v0", {"#n0": "a"}, {":v0": N1}),
    (
        "decrement",
        [UpdateAttr("a").decrement(Decimal("2"))],
        "SET #n0 = #n0 - :v0",
        {"#n0": "a"},
        {":v0": N2},
    ),
    (
        "reserved_words",
        [UpdateAttr("status").set("x"), UpdateAttr("name").remove()],
        "SET #n0 = :v0 REMOVE #n1",
        {"#n0": "status", "#n1": "name"},
        {":v0": S},
    ),
    (
        "nested",
        [UpdateAttr("a.b[3].c").set(1), UpdateAttr("a.list[0]").remove()],
        "SET #n0.#n1[3].#n2 = :v0 REMOVE #n0.#n3[0]",
        {"#n0": "a", "#n1": "b", "#n2": "c", "#n3": "list"},
        {":v0": N1},
    ),
    (
        "grouping",
        [
            UpdateAttr("d").delete({"x"}),
            UpdateAttr("c").add(1),
            UpdateAttr("r").remove(),
            UpdateAttr("s1").set(1),
            UpdateAttr("s2").append([2]),
            UpdateAttr("r2").remove(),
        ],
        "SET #n3 = :v2, #n4 = list_append(#n4, :v3) REMOVE #n2, #n5 ADD #n1 :v1 DELETE #n0 :v0",
        {"#n0": "d", "#n1": "c", "#n2": "r", "#n3": "s1", "#n4": "s2", "#n5": "r2"},
        {":v0": {"SS": ["x"]}, ":v1": N1, ":v2": N1, ":v3": {"L": [N2]}},
    ),
    (
        "siblings_do_not_overlap",
        [UpdateAttr("a.b").set(1), UpdateAttr("a.c").set(2), UpdateAttr("a.l[0]").set(1)],
        "SET #n0.#n1 = :v0, #n0.#n2 = :v1, #n0.#n3[0] = :v2",
        {"#n0": "a", "#n1": "b", "#n2": "c", "#n3": "l"},
        {":v0": N1, ":v1": N2, ":v2": N1},
    ),
]


@pytest.mark.parametrize(
    ("actions", "text", "names", "values"),
    [u[1:] for u in UPDATES],
    ids=[u[0] for u in UPDATES],
)
def test_update(
    ctx: ExpressionContext,
    actions: list[UpdateAction],
    text: str,
    names: dict[str, str],
    values: dict[str, Any],
) -> None:
    assert ctx.update(actions) == text
    assert ctx.names == names
    assert ctx.values == values


def test_update_encodes_with_target_path(ctx: ExpressionContext, encoder: RecordingEncoder) -> None:
    ctx.update([UpdateAttr("a.b[0]").set(1), UpdateAttr("tags").add({"x"})])
    assert encoder.paths == [["a", "b", 0], ["tags"]]


UPDATE_ERRORS: list[tuple[str, Any, type[Exception], str]] = [
    ("empty", [], ValueError, EMPTY_UPDATE),
    (
        "single_action",
        UpdateAttr("a").remove(),
        TypeError,
        "update() takes a list of actions; wrap a single one: "
        "[UpdateAction(kind='remove', path=('a',), value=None)]",
    ),
    (
        "not_an_action",
        [UpdateAttr("a").remove(), "SET a = :v"],
        TypeError,
        "update actions must be UpdateAction objects made with UpdateAttr(path).set(...) and the "
        "like; got 'SET a = :v' at position 1",
    ),
    (
        "same_path",
        [UpdateAttr("a").set(1), UpdateAttr("a").remove()],
        ValueError,
        OVERLAPPING_PATHS.format(what="update", first="a", second="a", unit="action"),
    ),
    (
        "parent_and_child",
        [UpdateAttr("a.b[0]").set(1), UpdateAttr("a.b").remove()],
        ValueError,
        OVERLAPPING_PATHS.format(what="update", first="a.b[0]", second="a.b", unit="action"),
    ),
    (
        "index_vs_key",
        [UpdateAttr("a[0]").set(1), UpdateAttr("a.b").remove()],
        ValueError,
        CONFLICTING_PATHS.format(what="update", first="a[0]", second="a.b"),
    ),
]


@pytest.mark.parametrize(
    ("actions", "error", "message"),
    [u[1:] for u in UPDATE_ERRORS],
    ids=[u[0] for u in UPDATE_ERRORS],
)
def test_update_errors(
    ctx: ExpressionContext, actions: Any, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=f"^{re.escape(message)}$"):
        ctx.update(actions)
    assert ctx.names == {}
    assert ctx.values == {}


ACTION_ERRORS: list[tuple[str, Any, type[Exception], str]] = [
    (
        "append_scalar",
        lambda: UpdateAttr("a").append("x"),
        TypeError,
        "UpdateAttr('a').append() takes a list of elements; wrap a single element: "
        ".append([value])",
    ),
    (
        "prepend_set",
        lambda: UpdateAttr("a").prepend({1}),  # type: ignore[arg-type]
        TypeError,
        "UpdateAttr('a').prepend() takes a list of elements; wrap a single element: "
        ".prepend([value])",
    ),
    (
        "increment_str",
        lambda: UpdateAttr("a").increment("1"),  # type: ignore[arg-type]
        TypeError,
        "UpdateAttr('a').increment() takes a number; got '1'",
    ),
    (
        "decrement_bool",
        lambda: UpdateAttr("a").decrement(True),
        TypeError,
        "UpdateAttr('a').decrement() takes a number; got True",
    ),
    (
        "malformed_path",
        lambda: UpdateAttr("a[0"),
        ValueError,
        MALFORMED_PATH.format(path="a[0", reason="'a[0' is not a name followed by [n] indexes"),
    ),
]


@pytest.mark.parametrize(
    ("make", "error", "message"),
    [u[1:] for u in ACTION_ERRORS],
    ids=[u[0] for u in ACTION_ERRORS],
)
def test_action_errors(make: Any, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=f"^{re.escape(message)}$"):
        make()


def test_error_messages() -> None:
    assert EMPTY_UPDATE == (
        "an update needs at least one action, e.g. [UpdateAttr('name').set('Bob')]"
    )
    assert OVERLAPPING_PATHS.format(what="update", first="a", second="a.b", unit="action") == (
        "update paths 'a' and 'a.b' overlap; DynamoDB rejects one expression that names a "
        "document path twice or a path and a part of it: use one action for them"
    )
    assert CONFLICTING_PATHS.format(what="update", first="a[0]", second="a.b") == (
        "update paths 'a[0]' and 'a.b' conflict: one uses a list index where the other uses a "
        "map key on the same attribute"
    )
    assert EMPTY_PROJECTION == "a projection needs at least one attribute path"


def test_update_attr_repr_and_action_clause() -> None:
    assert repr(UpdateAttr("a.b")) == "UpdateAttr('a.b')"
    kinds = {
        UpdateAttr("a").set(1).clause,
        UpdateAttr("a").append([1]).clause,
        UpdateAttr("a").increment().clause,
    }
    assert kinds == {"SET"}
    assert UpdateAttr("a").remove().clause == "REMOVE"
    assert UpdateAttr("a").add(1).clause == "ADD"
    assert UpdateAttr("a").delete({1}).clause == "DELETE"


# -- projections ---------------------------------------------------------------------------------

PROJECTIONS: list[tuple[str, list[str], str, dict[str, str]]] = [
    ("one", ["a"], "#n0", {"#n0": "a"}),
    ("several", ["a", "b.c"], "#n0, #n1.#n2", {"#n0": "a", "#n1": "b", "#n2": "c"}),
    ("reserved", ["name", "status"], "#n0, #n1", {"#n0": "name", "#n1": "status"}),
    ("index", ["l[2].x", "l[3]"], "#n0[2].#n1, #n0[3]", {"#n0": "l", "#n1": "x"}),
]


@pytest.mark.parametrize(
    ("paths", "text", "names"), [p[1:] for p in PROJECTIONS], ids=[p[0] for p in PROJECTIONS]
)
def test_projection(
    ctx: ExpressionContext, paths: list[str], text: str, names: dict[str, str]
) -> None:
    assert ctx.projection(paths) == text
    assert ctx.names == names
    assert ctx.request_params() == {"ExpressionAttributeNames": names}


PROJECTION_ERRORS: list[tuple[str, Any, type[Exception], str]] = [
    ("empty", [], ValueError, EMPTY_PROJECTION),
    ("str", "a", TypeError, "projection() takes a list of paths; wrap a single one: ['a']"),
    (
        "duplicate",
        ["a", "b", "a"],
        ValueError,
        OVERLAPPING_PATHS.format(what="projection", first="a", second="a", unit="path"),
    ),
    (
        "overlap",
        ["a.b", "a"],
        ValueError,
        OVERLAPPING_PATHS.format(what="projection", first="a.b", second="a", unit="path"),
    ),
    (
        "malformed",
        ["a", "b..c"],
        ValueError,
        MALFORMED_PATH.format(path="b..c", reason="a name between dots is empty"),
    ),
]


@pytest.mark.parametrize(
    ("paths", "error", "message"),
    [p[1:] for p in PROJECTION_ERRORS],
    ids=[p[0] for p in PROJECTION_ERRORS],
)
def test_projection_errors(
    ctx: ExpressionContext, paths: Any, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=f"^{re.escape(message)}$"):
        ctx.projection(paths)


# -- one context, several expressions -------------------------------------------------------


def test_request_params_empty(ctx: ExpressionContext) -> None:
    assert ctx.request_params() == {}


def test_shared_context_numbers_across_expressions(ctx: ExpressionContext) -> None:
    assert ctx.update([UpdateAttr("status").set("paid")]) == "SET #n0 = :v0"
    assert ctx.condition(Attr("status").eq("new") & Attr("v").lt(3)) == ("#n0 = :v1 AND #n1 < :v2")
    assert ctx.request_params() == {
        "ExpressionAttributeNames": {"#n0": "status", "#n1": "v"},
        "ExpressionAttributeValues": {
            ":v0": {"S": "paid"},
            ":v1": {"S": "new"},
            ":v2": {"N": "3"},
        },
    }


def test_request_params_are_copies(ctx: ExpressionContext) -> None:
    ctx.condition(Attr("a").eq(1))
    params = ctx.request_params()
    params["ExpressionAttributeNames"]["#x"] = "x"
    assert ctx.names == {"#n0": "a"}


def test_is_in_takes_99_values_the_most_dynamodb_accepts(ctx: ExpressionContext) -> None:
    # 99 values and the attribute make DynamoDB's 100 operands; the backend's rules agree.
    from aiodynamodb.rules import Placeholders, check_condition

    text = ctx.condition(Attr("a").is_in(list(range(99))))
    check_condition("ConditionExpression", text, Placeholders(ctx.names, ctx.values))
    assert len(ctx.values) == 99
