"""A table's key schema (from its description) and the key rules that need it."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from aiodynamodb.limits import MAX_HASH_KEY_SIZE, MAX_RANGE_KEY_SIZE, MAX_TABLE_NAME_LENGTH
from aiodynamodb.rules import messages as msg
from aiodynamodb.rules._attribute_values import key_identity, scalar_type
from aiodynamodb.rules._problems import ENVELOPE, Problem
from aiodynamodb.rules._sizes import binary_length, utf8_length

NAME_PATTERN = re.compile(r"[a-zA-Z0-9_.-]+")


@dataclass(frozen=True, slots=True)
class IndexSchema:
    """One secondary index: its key attributes and projection."""

    name: str
    hash_key: str
    range_key: str | None
    projection: str
    is_global: bool
    non_key: tuple[str, ...] = ()

    @property
    def key_names(self) -> tuple[str, ...]:
        """The index's key attribute names, hash first."""
        return (self.hash_key,) if self.range_key is None else (self.hash_key, self.range_key)


class TableSchema:
    """The parts of a table description the rules need.

    Args:
        description: A ``DescribeTable`` ``Table`` (or ``CreateTable`` request) dict with
            ``KeySchema``, ``AttributeDefinitions`` and optionally the index lists.
    """

    __slots__ = ("hash_key", "indexes", "key_names", "name", "range_key", "types")

    def __init__(self, description: Mapping[str, Any]) -> None:
        self.name: str = description.get("TableName", "")
        self.types: dict[str, str] = {
            d["AttributeName"]: d["AttributeType"]
            for d in description.get("AttributeDefinitions") or ()
        }
        self.hash_key, self.range_key = _keys(description.get("KeySchema") or ())
        self.key_names: tuple[str, ...] = (
            (self.hash_key,) if self.range_key is None else (self.hash_key, self.range_key)
        )
        self.indexes: dict[str, IndexSchema] = {}
        for is_global, field in (
            (True, "GlobalSecondaryIndexes"),
            (False, "LocalSecondaryIndexes"),
        ):
            for index in description.get(field) or ():
                hash_key, range_key = _keys(index.get("KeySchema") or ())
                described = index.get("Projection") or {}
                self.indexes[index["IndexName"]] = IndexSchema(
                    index["IndexName"],
                    hash_key,
                    range_key,
                    described.get("ProjectionType", "ALL"),
                    is_global,
                    tuple(described.get("NonKeyAttributes") or ()),
                )

    def key_schema(self, index: str | None) -> tuple[str, str | None]:
        """``(hash, range)`` of the table or of one of its indexes."""
        if index is None:
            return self.hash_key, self.range_key
        schema = self.indexes[index]
        return schema.hash_key, schema.range_key

    def projected(self, index: str) -> frozenset[str] | None:
        """The attributes an index projects (table keys, index keys, included ones); None
        for an ``ALL`` projection."""
        found = self.indexes[index]
        if found.projection == "ALL":
            return None
        return frozenset((*self.key_names, *found.key_names, *found.non_key))

    def start_key_names(self, index: str | None) -> tuple[str, ...]:
        """Attributes of a ``LastEvaluatedKey``: the table key plus the index key."""
        if index is None:
            return self.key_names
        names = list(self.key_names)
        names.extend(n for n in self.indexes[index].key_names if n not in names)
        return tuple(names)


def _keys(elements: Any) -> tuple[str, str | None]:
    hash_key, range_key = "", None
    for element in elements:
        if element.get("KeyType") == "HASH":
            hash_key = element.get("AttributeName", "")
        elif element.get("KeyType") == "RANGE":
            range_key = element.get("AttributeName")
    return hash_key, range_key


def constraint(value: Any, path: str, rule: str) -> str:
    """One framework constraint message: ``Value 'x' at 'path' failed to satisfy ...``."""
    shown = "null " if value is None else f"'{value}' "
    return msg.CONSTRAINT.format(value=shown, path=path, constraint=rule)


def range_constraints(value: Any, path: str, low: int, high: int) -> list[str]:
    """The framework constraint an integer parameter outside ``low..high`` fails (none for
    a value in range, or one that is not an integer: its type is checked elsewhere)."""
    if not isinstance(value, int) or isinstance(value, bool):
        return []
    if value < low:
        return [constraint(value, path, msg.VALUE_AT_LEAST.format(n=low))]
    if value > high:
        return [constraint(value, path, msg.VALUE_AT_MOST.format(n=high))]
    return []


def constraint_problem(messages: list[str]) -> Problem:
    """``N validation error(s) detected: a; b``."""
    count = len(messages)
    head = ENVELOPE if count == 1 else f"{count} validation errors detected: "
    return Problem(head + "; ".join(messages))


def name_constraints(name: Any, path: str, *, arn: bool = False, minimum: int = 3) -> list[str]:
    """Length and pattern constraints of a table or index name.

    Args:
        name: The name.
        path: Where it sits in the request, for the message.
        arn: Accept a table ARN (data-plane operations take ARNs and names of one or two
            characters, which then name no table).
        minimum: The shortest name accepted.
    """
    if not isinstance(name, str):
        return [constraint(None, path, "Member must not be null")]
    if arn and name.startswith("arn:"):
        return []
    problems = []
    if name and not NAME_PATTERN.fullmatch(name):
        problems.append(constraint(name, path, msg.NAME_PATTERN))
    if len(name) < minimum:
        problems.append(constraint(name, path, msg.LENGTH_AT_LEAST.format(n=minimum)))
    if len(name) > MAX_TABLE_NAME_LENGTH:
        problems.append(constraint(name, path, msg.LENGTH_AT_MOST.format(n=MAX_TABLE_NAME_LENGTH)))
    return problems


def check_table_name(name: Any, path: str = "tableName") -> None:
    """Raise for a table name DynamoDB refuses (ARNs pass)."""
    problems = name_constraints(name, path, arn=True, minimum=1)
    if problems:
        raise constraint_problem(problems)


def _empty_kind(av: Mapping[str, Any]) -> str | None:
    if "S" in av and av["S"] == "":
        return "string"
    if "B" in av and binary_length(av["B"]) == 0:
        return "binary"
    return None


def _key_size_problem(value: Mapping[str, Any], is_hash: bool) -> str | None:
    for tag, raw in value.items():
        if tag == "S":
            size = utf8_length(raw) if isinstance(raw, str) else 0
        elif tag == "B":
            size = binary_length(raw)
        else:
            return None
        if is_hash and size > MAX_HASH_KEY_SIZE:
            return msg.HASH_KEY_TOO_LARGE
        if not is_hash and size > MAX_RANGE_KEY_SIZE:
            return msg.RANGE_KEY_TOO_LARGE
    return None


def _check_empty_keys(attributes: Mapping[str, Any], schema: TableSchema) -> None:
    """An empty string or binary table key value (of the key's type) is refused first."""
    for name in schema.key_names:
        value = attributes.get(name)
        if isinstance(value, Mapping):
            kind = _empty_kind(value)
            if kind is not None and scalar_type(value) == schema.types.get(name):
                raise Problem(msg.EMPTY_KEY.format(kind=kind, name=name))


def check_key(key: Any, schema: TableSchema, mismatch: str = msg.KEY_MISMATCH) -> None:
    """Check a ``Key`` (exactly the table's key attributes, of the declared types).

    Args:
        key: The key map.
        schema: The table.
        mismatch: The message for a key that does not match the schema.
    """
    if not isinstance(key, Mapping):
        raise Problem(mismatch)
    _check_empty_keys(key, schema)
    if len(key) != len(schema.key_names):
        raise Problem(mismatch)
    for position, name in enumerate(schema.key_names):
        value = key.get(name)
        if not isinstance(value, Mapping) or scalar_type(value) != schema.types.get(name):
            raise Problem(mismatch)
        problem = _key_size_problem(value, position == 0)
        if problem is not None:
            raise Problem(problem)


def check_item_keys(item: Mapping[str, Any], schema: TableSchema, *, batch: bool = False) -> None:
    """Check the key attributes of an item being written, then its index key attributes.

    Args:
        item: The item.
        schema: The table.
        batch: Word a missing or mistyped table key as BatchWriteItem does.
    """
    _check_empty_keys(item, schema)
    for position, name in enumerate(schema.key_names):
        value = item.get(name)
        if not isinstance(value, Mapping):
            raise Problem(msg.KEY_MISMATCH if batch else msg.MISSING_KEY.format(name=name))
        expected = schema.types.get(name)
        actual = scalar_type(value)
        if actual != expected:
            if batch:
                raise Problem(msg.KEY_MISMATCH)
            raise Problem(msg.KEY_TYPE_MISMATCH.format(name=name, expected=expected, actual=actual))
        problem = _key_size_problem(value, position == 0)
        if problem is not None:
            raise Problem(problem)
    check_index_values(item, schema)


def check_index_values(attributes: Mapping[str, Any], schema: TableSchema) -> None:
    """Check attributes that are secondary index keys: right type and not empty."""
    for index in schema.indexes.values():
        for name in index.key_names:
            value = attributes.get(name)
            if not isinstance(value, Mapping):
                continue
            expected = schema.types.get(name)
            actual = scalar_type(value)
            if actual != expected:
                raise Problem(
                    msg.INDEX_KEY_TYPE_MISMATCH.format(
                        name=name, expected=expected, actual=actual, index=index.name
                    )
                )
            kind = _empty_kind(value)
            if kind is not None:
                raise Problem(msg.EMPTY_INDEX_KEY.format(kind=kind, index=index.name, name=name))


def item_key(item: Mapping[str, Any], schema: TableSchema) -> tuple[Any, ...]:
    """A hashable identity of an item's (or key's) table key."""
    return tuple(
        key_identity(item[name]) if isinstance(item.get(name), Mapping) else None
        for name in schema.key_names
    )


__all__ = [
    "NAME_PATTERN",
    "IndexSchema",
    "TableSchema",
    "check_index_values",
    "check_item_keys",
    "check_key",
    "check_table_name",
    "constraint",
    "constraint_problem",
    "item_key",
    "name_constraints",
]
