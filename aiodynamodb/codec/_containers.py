"""Converters of containers and unions: lists, tuples, maps, sets, ``X | None``, ``A | B``.

Empty sets: DynamoDB has none, so a set converter writes an empty set as ``{"L": []}`` (the
model codec omits it instead in plain set fields) and reads ``{"L": []}`` as an empty set.

Union members are told apart by the stored tag; when several members share one (``str |
UUID``: both ``S``), the first member in declaration order that reads the stored value wins,
so declare the more specific type first.

Longer than 400 lines because each container kind keeps its fast paths beside its
general path; the kinds share helpers and read best together.
"""

from __future__ import annotations

from collections import abc
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from aiodynamodb.codec._converters import ANY, DECIMAL, FLOAT, INT, STR, Converter
from aiodynamodb.codec._values import (
    DUPLICATE_SET_MEMBERS,
    ValueProblem,
    decode_value,
    encode_value,
)
from aiodynamodb.item_types import AttributeValue
from aiodynamodb.limits import INT_FAST_LIMIT
from aiodynamodb.rules import text_bound

_DECODE_ERRORS = (KeyError, ValueError, TypeError, AttributeError, ArithmeticError)
# Numbers whose text a builtin parses exactly; anything else falls back to the converter.
_FAST_NUMBER: dict[int, Callable[[Any], Any]] = {
    id(INT): int,
    id(FLOAT): float,
    id(DECIMAL): Decimal,
}


def sequence_converter(name: str, item: Converter, *, tuple_type: bool = False) -> Converter:
    """``list[T]`` / ``tuple[T, ...]``: an ``L`` of the item's values."""
    item_encode, item_decode, item_strict = item.encode, item.decode, item.strict_decode
    make: Callable[..., Any] = tuple if tuple_type else list
    encode: Callable[[Any], AttributeValue]
    decode: Callable[[AttributeValue], Any]
    if item is STR:

        def encode(value: Any) -> AttributeValue:
            return {"L": [{"S": x} for x in value]}

    elif item is INT:
        encode = _int_list_encoder()
    else:

        def encode(value: Any) -> AttributeValue:
            return {"L": [item_encode(x) for x in value]}

    fast = _FAST_NUMBER.get(id(item))
    if item is STR:

        def decode(av: AttributeValue) -> Any:
            values = av["L"]
            try:
                decoded = [x["S"] for x in values]
            except _DECODE_ERRORS:
                decoded = [item_decode(x) for x in values]
            return decoded if make is list else make(decoded)

    elif fast is not None:
        number = fast

        def decode(av: AttributeValue) -> Any:
            values = av["L"]
            try:
                decoded = [number(x["N"]) for x in values]
            except _DECODE_ERRORS:
                decoded = [item_decode(x) for x in values]
            return decoded if make is list else make(decoded)

    else:

        def decode(av: AttributeValue) -> Any:
            decoded = [item_decode(x) for x in av["L"]]
            return decoded if make is list else make(decoded)

    def strict_decode(av: AttributeValue) -> Any:
        return make([item_strict(x) for x in av["L"]])

    def child(step: str | int) -> Converter | None:
        return item if isinstance(step, int) else None

    bound = bound_expr = None
    texts: tuple[str, ...] = ()
    if item.max_size is not None:
        per_item = item.max_size + 1
        bound_expr = f"3 + len({{v}}) * {per_item}"

        def bound(value: Any) -> int:
            return 3 + len(value) * per_item

    elif item is STR:
        # Exact: 3 bytes, 1 per element, each string's UTF-8 bytes (text_bound refuses a
        # lone surrogate, as value_size would), without walking the encoded list again.
        bound_expr, texts = "3 + len({v})", ("{v}",)

        def bound(value: Any) -> int:
            return 3 + len(value) + text_bound(value)

    return Converter(
        name,
        encode,
        decode,
        strict_decode,
        lambda v: isinstance(v, list | tuple),
        frozenset({"L"}),
        child=child,
        bound=bound,
        bound_expr=bound_expr,
        bound_texts=texts,
        kind="tuple" if tuple_type else "list",
        inner=item,
    )


def fixed_tuple_converter(name: str, items: list[Converter]) -> Converter:
    """``tuple[A, B]``: an ``L`` with one value per position."""
    count = len(items)

    def encode(value: Any) -> AttributeValue:
        if len(value) != count:
            raise ValueProblem(f"expected a tuple of {count} items", value)
        return {"L": [c.encode(x) for c, x in zip(items, value, strict=True)]}

    def decode(av: AttributeValue) -> Any:
        values = av["L"]
        if len(values) != count:
            return tuple(decode_value(x) for x in values)
        return tuple(c.decode(x) for c, x in zip(items, values, strict=True))

    def strict_decode(av: AttributeValue) -> Any:
        return tuple(c.strict_decode(x) for c, x in zip(items, av["L"], strict=True))

    def child(step: str | int) -> Converter | None:
        return items[step] if isinstance(step, int) and 0 <= step < count else None

    return Converter(
        name,
        encode,
        decode,
        strict_decode,
        lambda v: isinstance(v, list | tuple),
        frozenset({"L"}),
        child=child,
    )


def mapping_converter(name: str, key: Converter, value: Converter) -> Converter:
    """``dict[K, V]`` with string keys: an ``M``."""
    if key.scalar != "S" or key.raw is None or key.raw_decode is None:
        raise TypeError(f"{name}: map keys must be stored as strings, not {key.label}")
    value_encode, value_decode, value_strict = value.encode, value.decode, value.strict_decode
    key_raw, key_decode = key.raw, key.raw_decode
    encode: Callable[[Any], AttributeValue]
    decode: Callable[[AttributeValue], Any]
    if key is STR and value is STR:

        def encode(v: Any) -> AttributeValue:
            return {"M": {k: {"S": x} for k, x in v.items()}}

        def decode(av: AttributeValue) -> Any:
            entries = av["M"]
            try:
                return {k: x["S"] for k, x in entries.items()}
            except _DECODE_ERRORS:
                return {k: value_decode(x) for k, x in entries.items()}

    elif key is STR and id(value) in _FAST_NUMBER:
        number = _FAST_NUMBER[id(value)]
        plain_ints = value is INT

        def encode(v: Any) -> AttributeValue:
            if plain_ints and v:
                values = v.values()
                if min(values) > -INT_FAST_LIMIT and max(values) < INT_FAST_LIMIT:
                    return {"M": {k: {"N": str(x)} for k, x in v.items()}}
            return {"M": {k: value_encode(x) for k, x in v.items()}}

        def decode(av: AttributeValue) -> Any:
            entries = av["M"]
            try:
                return {k: number(x["N"]) for k, x in entries.items()}
            except _DECODE_ERRORS:
                return {k: value_decode(x) for k, x in entries.items()}

    elif key is STR:

        def encode(v: Any) -> AttributeValue:
            return {"M": {k: value_encode(x) for k, x in v.items()}}

        def decode(av: AttributeValue) -> Any:
            return {k: value_decode(x) for k, x in av["M"].items()}

    else:

        def encode(v: Any) -> AttributeValue:
            return {"M": {key_raw(k): value_encode(x) for k, x in v.items()}}

        def decode(av: AttributeValue) -> Any:
            return {key_decode(k): value_decode(x) for k, x in av["M"].items()}

    def strict_decode(av: AttributeValue) -> Any:
        return {key_decode(k): value_strict(x) for k, x in av["M"].items()}

    def child(step: str | int) -> Converter | None:
        return value if isinstance(step, str) else None

    bound = bound_expr = None
    texts: tuple[str, ...] = ()
    if value is STR or value.max_size is not None:
        per_value = value.max_size
        # Keys and string values count their UTF-8 bytes (text_bound, which also refuses a
        # lone surrogate); each entry adds 1 byte, each bounded value its own.
        if per_value is None:
            bound_expr, texts = "3 + 2 * len({v})", ("{v}", "{v}.values()")
        else:
            bound_expr, texts = f"3 + len({{v}}) * {per_value + 1}", ("{v}",)

        def bound(v: Any) -> int:
            if per_value is None:
                return 3 + 2 * len(v) + text_bound(v) + text_bound(v.values())
            return 3 + text_bound(v) + len(v) * (per_value + 1)

    return Converter(
        name,
        encode,
        decode,
        strict_decode,
        lambda v: isinstance(v, abc.Mapping),
        frozenset({"M"}),
        child=child,
        bound=bound,
        bound_expr=bound_expr,
        bound_texts=texts,
        kind="map" if key is STR else "",
        inner=value,
    )


def set_converter(name: str, member: Converter, *, frozen: bool) -> Converter:
    """``set[T]`` / ``frozenset[T]`` of strings, numbers or binary: ``SS``/``NS``/``BS``."""
    make: Callable[..., Any] = frozenset if frozen else set
    if member is ANY:
        return _any_set(name, make)
    raw, raw_decode = member.raw, member.raw_decode
    if member.scalar is None or raw is None or raw_decode is None:
        raise TypeError(f"{name}: set members must be strings, numbers or binary")
    set_tag = member.scalar + "S"
    check = member.mixed
    member_strict = member.strict_decode
    tag = member.scalar

    encode: Callable[[Any], AttributeValue]
    decode: Callable[[AttributeValue], Any]
    if member is STR:

        def encode(value: Any) -> AttributeValue:
            return {"SS": list(value)} if value else {"L": []}

        def decode(av: AttributeValue) -> Any:
            members = av.get("SS")
            if members is None:
                return make() if av.get("L") == [] else decode_value(av)
            return make(members)

    else:

        def encode(value: Any) -> AttributeValue:
            if not value:
                return {"L": []}
            raws = [raw(x) for x in value]
            if check:
                _check_unique(set_tag, raws, value)
            return {set_tag: raws}

        fast = _FAST_NUMBER.get(id(member), raw_decode)

        def decode(av: AttributeValue) -> Any:
            members = av.get(set_tag)
            if members is None:
                return make() if av.get("L") == [] else decode_value(av)
            try:
                return make(map(fast, members))
            except _DECODE_ERRORS:
                return make([raw_decode(x) for x in members])

    def strict_decode(av: AttributeValue) -> Any:
        if av.get("L") == []:
            return make()
        return make([member_strict({tag: x}) for x in av[set_tag]])

    # An empty set is stored as {"L": []}: 3 bytes.
    bound: Callable[[Any], int] | None = None
    bound_expr = None
    texts: tuple[str, ...] = ()
    if member is STR:
        bound_expr, texts = "3", ("{v}",)

        def bound(value: Any) -> int:
            return 3 + text_bound(value)

    elif member.max_size is not None:
        per_member = member.max_size
        bound_expr = f"3 + len({{v}}) * {per_member}"

        def bound(value: Any) -> int:
            return 3 + len(value) * per_member

    return Converter(
        name,
        encode,
        decode,
        strict_decode,
        lambda v: isinstance(v, set | frozenset),
        frozenset({set_tag, "L"}),
        is_set=True,
        bound=bound,
        bound_expr=bound_expr,
        bound_texts=texts,
        kind="frozenset" if frozen else "set",
        inner=member,
    )


def _int_list_encoder() -> Callable[[Any], AttributeValue]:
    item_encode = INT.encode

    def encode(value: Any) -> AttributeValue:
        # Validated list[int] values are exact ints; the range check keeps 38 digits.
        if not value or (min(value) > -INT_FAST_LIMIT and max(value) < INT_FAST_LIMIT):
            return {"L": [{"N": str(x)} for x in value]}
        return {"L": [item_encode(x) for x in value]}

    return encode


def _check_unique(set_tag: str, raws: list[Any], value: Any) -> None:
    keys = [Decimal(r) for r in raws] if set_tag == "NS" else raws
    if len(set(keys)) != len(keys):
        raise ValueProblem(DUPLICATE_SET_MEMBERS, value)


def _any_set(set_label: str, make: Callable[..., Any]) -> Converter:
    def decode(av: AttributeValue) -> Any:
        return make() if av.get("L") == [] else make(decode_value(av))

    def strict_decode(av: AttributeValue) -> Any:
        if av.get("L") == []:
            return make()
        if len(av) != 1 or next(iter(av)) not in ("SS", "NS", "BS"):
            raise ValueError("not a set")
        return make(decode_value(av))

    return Converter(
        set_label,
        encode_value,
        decode,
        strict_decode,
        lambda v: isinstance(v, set | frozenset),
        frozenset({"SS", "NS", "BS", "L"}),
        is_set=True,
        mixed=True,
    )


def nullable_of(base: Converter) -> Converter:
    """The converter of ``base | None``: ``None`` <-> ``{"NULL": True}``."""
    if base.nullable:
        return base
    base_encode, base_decode, base_strict = base.encode, base.decode, base.strict_decode

    def encode(value: Any) -> AttributeValue:
        return {"NULL": True} if value is None else base_encode(value)

    def decode(av: AttributeValue) -> Any:
        return None if "NULL" in av else base_decode(av)

    def strict_decode(av: AttributeValue) -> Any:
        return None if "NULL" in av else base_strict(av)

    return Converter(
        f"{base.label} | None",
        encode,
        decode,
        strict_decode,
        lambda v: v is None or base.accepts(v),
        base.tags | {"NULL"},
        base.scalar,
        base.raw,
        base.raw_decode,
        nullable=True,
        is_set=base.is_set,
        mixed=base.mixed,
        child=base.child,
        keyable=base.keyable,
        base=base,
        max_size=base.max_size,
    )


def union_of(union_label: str, members: list[Converter], nullable: bool) -> Converter:
    """The converter of a union of several members (see the module docstring)."""
    by_type: dict[type, Converter] = {}
    by_tag: dict[str, list[Converter]] = {}
    for member in members:
        for tag in member.tags:
            by_tag.setdefault(tag, []).append(member)

    def pick(value: Any) -> Converter | None:
        cls = type(value)
        found = by_type.get(cls)
        if found is None:
            for member in members:
                if member.accepts(value):
                    by_type[cls] = found = member
                    break
        return found

    def encode(value: Any) -> AttributeValue:
        if value is None:
            return {"NULL": True}
        member = pick(value)
        return member.encode(value) if member is not None else encode_value(value)

    def strict_decode(av: AttributeValue) -> Any:
        if nullable and "NULL" in av:
            return None
        for member in by_tag.get(next(iter(av)), ()):
            try:
                return member.strict_decode(av)
            except _DECODE_ERRORS:
                continue
        raise ValueError(f"no member of {union_label} reads {av!r}")

    def decode(av: AttributeValue) -> Any:
        try:
            return strict_decode(av)
        except ValueError:
            candidates = by_tag.get(next(iter(av)), ())
            return candidates[0].decode(av) if candidates else decode_value(av)

    def accepts(value: Any) -> bool:
        return (nullable and value is None) or pick(value) is not None

    scalars = {m.scalar for m in members}
    common = scalars.pop() if len(scalars) == 1 else None
    raw: Callable[[Any], Any] | None = None
    raw_decode: Callable[[Any], Any] | None = None
    if common is not None and all(m.raw is not None for m in members):

        def raw(value: Any) -> Any:
            member = pick(value)
            if member is None or member.raw is None:
                raise ValueProblem(f"not a value of {union_label}", value)
            return member.raw(value)

        def raw_decode(text: Any) -> Any:
            return decode({common: text})

    def child(step: str | int) -> Converter | None:
        for member in members:
            found = member.child(step)
            if found is not None:
                return found
        return None

    sizes = [m.max_size for m in members]
    return Converter(
        union_label,
        encode,
        decode,
        strict_decode,
        accepts,
        frozenset(by_tag) | ({"NULL"} if nullable else frozenset()),
        common,
        raw,
        raw_decode,
        nullable=nullable,
        is_set=any(m.is_set for m in members),
        mixed=True,
        child=child,
        keyable=raw is not None and all(m.keyable for m in members),
        max_size=max(s for s in sizes if s is not None) if None not in sizes else None,
    )


__all__ = [
    "fixed_tuple_converter",
    "mapping_converter",
    "nullable_of",
    "sequence_converter",
    "set_converter",
    "union_of",
]
