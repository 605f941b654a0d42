"""AttributeValue rules: shape, numbers, sets, empty values, and sizes as DynamoDB counts them.

Values arrive in either form a boto client handles: binary (``B``/``BS``) as ``bytes`` (the
parameters given to a client method) or as base64 text (the wire JSON the client sends).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from aiodynamodb.limits import MAX_ITEM_SIZE, MAX_NESTING_LEVELS
from aiodynamodb.rules import messages as msg
from aiodynamodb.rules._numbers import number_facts, parse_number
from aiodynamodb.rules._sizes import (
    CONTAINER_SIZE,
    FLAG_SIZE,
    MEMBER_SIZE,
    binary_set_size,
    binary_size,
    string_set_size,
    string_size,
    utf8_length,
)

TYPES = frozenset({"S", "N", "B", "SS", "NS", "BS", "M", "L", "NULL", "BOOL"})


def _set_listing(members: Iterable[Any], quoted: bool, spaced: bool = True) -> str:
    rendered = [f'"{member}"' if quoted else str(member) for member in members]
    return "[" + (", " if spaced else ",").join(rendered) + "]"


def _duplicate_report(members: list[Any], keys: list[Any]) -> list[Any] | None:
    """Members as DynamoDB's current layer lists them, or None without a duplicate.

    Sorted (by key) up to the first repeat, then the repeat, then the rest as sent.
    """
    seen: dict[Any, Any] = {}
    for position, (member, key) in enumerate(zip(members, keys, strict=True)):
        if key in seen:
            ordered = [seen[k] for k in sorted(seen)]
            return [*ordered, member, *members[position + 1 :]]
        seen[key] = member
    return None


def _binary_key(member: Any) -> bytes:
    if isinstance(member, (bytes, bytearray, memoryview)):
        return bytes(member)
    import base64
    import binascii

    try:
        return base64.b64decode(member)
    except (binascii.Error, ValueError, TypeError):
        return str(member).encode()


def _binary_text(member: Any) -> str:
    if isinstance(member, (bytes, bytearray, memoryview)):
        import base64

        return base64.b64encode(bytes(member)).decode()
    return str(member)


class _Refused(Exception):
    """A value DynamoDB refuses: ends the walk with DynamoDB's message."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# What the walk counts for a string without a UTF-8 form (a lone surrogate) or a name that
# is not text: more than an item may hold, so the 400 KB check counts again with item_size,
# which raises for it as it always has, after any refused value was reported first.
UNSIZED = MAX_ITEM_SIZE + 1


def _set_size(tag: str, members: Any, older: bool) -> int:
    """The size of a set, or :class:`_Refused` with the first problem."""
    if not isinstance(members, list):
        raise _Refused(msg.EMPTY_AV)
    if not members:
        raise _Refused({"SS": msg.EMPTY_SS, "NS": msg.EMPTY_NS, "BS": msg.EMPTY_BS}[tag])
    if tag == "NS":
        keys = []
        size = 0
        for member in members:
            facts = number_facts(member, older)
            if isinstance(facts, str):
                raise _Refused(facts)
            size += facts
            number = parse_number(member)
            keys.append(number.key() if number is not None else member)
        if len(set(keys)) != len(keys):
            raise _Refused(msg.DUPLICATE_NS_OLDER if older else msg.DUPLICATE_NS)
        return size
    if tag == "SS":
        if len(set(members)) == len(members):
            try:
                return string_set_size(members)
            except UnicodeEncodeError:
                return UNSIZED
        if older:
            raise _Refused(msg.DUPLICATE_SS.format(members=_set_listing(members, quoted=False)))
        report = _duplicate_report(members, [m.encode("utf-8") for m in members])
        raise _Refused(msg.DUPLICATE_SS.format(members=_set_listing(report or members, True)))
    raw = [_binary_key(member) for member in members]
    if len(set(raw)) == len(raw):
        return binary_set_size(members)
    texts = [_binary_text(member) for member in members]
    if older:
        raise _Refused(msg.DUPLICATE_BS.format(members=_set_listing(texts, quoted=False)))
    report = _duplicate_report(texts, raw)
    raise _Refused(
        msg.DUPLICATE_BS.format(members=_set_listing(report or texts, True, spaced=False))
    )


def _value_size(av: Any, older: bool, depth: int) -> int:
    """The one walk of a value: its size as DynamoDB counts it (see rules._sizes, whose
    sizers and overheads it uses), or :class:`_Refused` with the first problem."""
    if depth >= MAX_NESTING_LEVELS:
        raise _Refused(msg.NESTING_TOO_DEEP)
    if not av or (type(av) is not dict and not isinstance(av, Mapping)):
        raise _Refused(msg.EMPTY_AV)
    if len(av) > 1:
        raise _Refused(msg.MULTIPLE_AV)
    ((tag, value),) = av.items()
    if tag == "S":
        try:
            return string_size(value)
        except UnicodeEncodeError:
            return UNSIZED
    if tag == "N":
        facts = number_facts(value, older)
        if type(facts) is str:
            raise _Refused(facts)
        return facts  # type: ignore[return-value]
    if tag == "M":
        depth += 1
        size = CONTAINER_SIZE
        for key, member in value.items():
            try:
                size += string_size(key)
            except UnicodeEncodeError:
                size += UNSIZED
            size += _value_size(member, older, depth) + MEMBER_SIZE
        return size
    if tag == "L":
        depth += 1
        size = CONTAINER_SIZE + MEMBER_SIZE * len(value)
        for member in value:
            size += _value_size(member, older, depth)
        return size
    if tag == "BOOL":
        return FLAG_SIZE
    if tag == "B":
        return binary_size(value)
    if tag == "NULL":
        if value is True:
            return FLAG_SIZE
        raise _Refused(msg.NULL_FALSE)
    if tag in ("SS", "NS", "BS"):
        return _set_size(tag, value, older)
    raise _Refused(msg.EMPTY_AV)


def value_problem(av: Any, older: bool, depth: int = 0) -> str | None:
    """The message for an AttributeValue DynamoDB refuses, or None when it is valid.

    Args:
        av: The AttributeValue.
        older: Word problems as DynamoDB's older validation layer does (BatchWriteItem,
            Scan and the transactions) rather than the current one.
        depth: Nesting level of ``av``: 0 for an attribute's own value. DynamoDB allows 32
            levels counting that value as the first, so a value at depth 32 is refused.
    """
    try:
        _value_size(av, older, depth)
    except _Refused as refused:
        return refused.message
    return None


def attributes_facts(attributes: Mapping[Any, Any], older: bool) -> int | str:
    """The first problem of an item's (or key's) values and its size, from one walk.

    Args:
        attributes: The item: attribute names to AttributeValues.
        older: Word problems as DynamoDB's older validation layer does.

    Returns:
        The message of the first value DynamoDB refuses (a ``str``, as :func:`value_problem`
        gives it), else the item's size as :func:`~aiodynamodb.rules.item_size` counts it;
        above :data:`~aiodynamodb.limits.MAX_ITEM_SIZE` when a name or string has no UTF-8
        form (count again with ``item_size`` to get its error).
    """
    size = 0
    try:
        for name, av in attributes.items():
            try:
                size += utf8_length(name)
            except (AttributeError, UnicodeEncodeError):  # as item_size counts names
                size += UNSIZED
            size += _value_size(av, older, 0)
    except _Refused as refused:
        return refused.message
    return size


def nesting_depth(av: Any) -> int:
    """Levels of an AttributeValue as DynamoDB counts them: 1 for a scalar, 1 + the deepest
    member for a map or list (at most :data:`~aiodynamodb.limits.MAX_NESTING_LEVELS`)."""
    if isinstance(av, Mapping) and len(av) == 1:
        ((tag, value),) = av.items()
        if tag == "M" or tag == "L":
            members = value.values() if tag == "M" else value
            return 1 + max((nesting_depth(member) for member in members), default=0)
    return 1


def scalar_type(av: Any) -> str | None:
    """The single type tag of an AttributeValue, or None when malformed."""
    if isinstance(av, Mapping) and len(av) == 1:
        for tag in av:
            return str(tag)
    return None


def key_identity(av: Mapping[str, Any]) -> tuple[str, Any]:
    """A hashable identity for a key value: numerically equal numbers are the same key."""
    for tag, value in av.items():
        if tag == "N" and isinstance(value, str):
            number = parse_number(value)
            return ("N", number.key() if number is not None else value)
        if tag == "B":
            return ("B", _binary_key(value))
        return (tag, value if isinstance(value, (str, bool)) else repr(value))
    return ("", None)


def compare_scalars(left: Mapping[str, Any], right: Mapping[str, Any]) -> int | None:
    """Order two S, N or B values of one type; None when they cannot be ordered."""
    left_type, right_type = scalar_type(left), scalar_type(right)
    if left_type is None or left_type != right_type:
        return None
    a, b = left[left_type], right[right_type]
    if left_type == "N":
        x, y = parse_number(a), parse_number(b)
        if x is None or y is None:
            return None
        return x.compare(y)
    if left_type == "S":
        ea, eb = str(a).encode("utf-8"), str(b).encode("utf-8")
        return int(ea > eb) - int(ea < eb)
    if left_type == "B":
        ba, bb = _binary_key(a), _binary_key(b)
        return (ba > bb) - (ba < bb)
    return None


def render_value(av: Mapping[str, Any]) -> str:
    """An AttributeValue as DynamoDB prints it in messages: ``AttributeValue: {N:5}``."""
    tag = scalar_type(av)
    if tag is None:
        return "AttributeValue: {}"
    value = av[tag]
    if tag == "B":
        value = _binary_text(value)
    return f"AttributeValue: {{{tag}:{value}}}"


__all__ = [
    "TYPES",
    "UNSIZED",
    "attributes_facts",
    "compare_scalars",
    "key_identity",
    "nesting_depth",
    "render_value",
    "scalar_type",
    "value_problem",
]
