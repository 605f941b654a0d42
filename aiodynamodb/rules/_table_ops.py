"""Rules of the table operations: CreateTable, UpdateTimeToLive and the name checks."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aiodynamodb.limits import MAX_GSIS, MAX_LSIS, MAX_TABLE_NAME_LENGTH
from aiodynamodb.rules import messages as msg
from aiodynamodb.rules._context import Request
from aiodynamodb.rules._key_schema import (
    check_table_name,
    constraint,
    constraint_problem,
    name_constraints,
)
from aiodynamodb.rules._path_limits import key_name_constraints
from aiodynamodb.rules._problems import Problem

_ATTRIBUTE_TYPES = ("B", "N", "S")
_KEY_TYPES = ("HASH", "RANGE")
_BILLING = ("PROVISIONED", "PAY_PER_REQUEST")
_PROJECTIONS = ("ALL", "KEYS_ONLY", "INCLUDE")
NULL = "Member must not be null"


def _java_list(elements: Any) -> str:
    shown = ", ".join(
        f"KeySchemaElement(attributeName={e.get('AttributeName')}, keyType={e.get('KeyType')})"
        for e in elements
        if isinstance(e, Mapping)
    )
    return f"[{shown}]"


def _constraints(params: Mapping[str, Any]) -> list[str]:
    """The framework-level constraint violations, in DynamoDB's order."""
    problems = name_constraints(params.get("TableName"), "tableName")
    key_schema = params.get("KeySchema") or []
    if len(key_schema) > 2:
        problems.append(
            constraint(_java_list(key_schema), "keySchema", msg.LENGTH_AT_MOST.format(n=2))
        )
    for position, element in enumerate(key_schema, start=1):
        key_type = element.get("KeyType") if isinstance(element, Mapping) else None
        if key_type not in _KEY_TYPES:
            problems.append(
                constraint(
                    key_type,
                    f"keySchema.{position}.member.keyType",
                    msg.ENUM.format(values=", ".join(_KEY_TYPES)),
                )
            )
    for position, definition in enumerate(params.get("AttributeDefinitions") or [], start=1):
        name = definition.get("AttributeName") if isinstance(definition, Mapping) else None
        if not isinstance(name, str):  # later rules join the names: refuse a missing one here
            problems.append(
                constraint(None, f"attributeDefinitions.{position}.member.attributeName", NULL)
            )
        kind = definition.get("AttributeType") if isinstance(definition, Mapping) else None
        if kind not in _ATTRIBUTE_TYPES:
            problems.append(
                constraint(
                    kind,
                    f"attributeDefinitions.{position}.member.attributeType",
                    msg.ENUM.format(values=", ".join(_ATTRIBUTE_TYPES)),
                )
            )
    billing = params.get("BillingMode")
    if billing is not None and billing not in _BILLING:
        problems.append(
            constraint(billing, "billingMode", msg.ENUM.format(values=", ".join(_BILLING)))
        )
    for field in ("globalSecondaryIndexes", "localSecondaryIndexes"):
        indexes = params.get(field[0].upper() + field[1:]) or []
        for position, index in enumerate(indexes, start=1):
            if isinstance(index, Mapping):
                problems.extend(
                    name_constraints(index.get("IndexName"), f"{field}.{position}.member.indexName")
                )
    return problems


def _key_schema(elements: Any, definitions: list[str]) -> None:
    names = [e.get("AttributeName") for e in elements]
    missing = [name for name in names if name not in definitions]
    if missing:
        raise Problem(
            msg.KEYS_NOT_DEFINED.format(keys=", ".join(names), definitions=", ".join(definitions))
        )
    if len(names) == 2 and names[0] == names[1]:
        raise Problem(msg.KEYS_SAME_NAME)
    if elements and elements[0].get("KeyType") != "HASH":
        raise Problem(msg.FIRST_NOT_HASH)
    if len(elements) > 1 and elements[1].get("KeyType") != "RANGE":
        raise Problem(msg.SECOND_NOT_RANGE)


def _projection(index: Mapping[str, Any]) -> None:
    projection = index.get("Projection") or {}
    kind = projection.get("ProjectionType")
    if kind not in _PROJECTIONS:
        raise Problem(msg.UNKNOWN_PROJECTION.format(value="null" if kind is None else kind))
    if projection.get("NonKeyAttributes") and kind != "INCLUDE":
        raise Problem(msg.NON_KEY_WITHOUT_INCLUDE.format(projection=kind))


def create_table(request: Request) -> None:
    """CreateTable."""
    params = request.params
    problems = _constraints(params) + key_name_constraints(params)
    if problems:
        raise constraint_problem(problems)
    billing = params.get("BillingMode") or "PROVISIONED"
    throughput = params.get("ProvisionedThroughput")
    if billing == "PAY_PER_REQUEST" and throughput:
        raise Problem(msg.ON_DEMAND_WITH_THROUGHPUT)
    if billing == "PROVISIONED" and not (
        isinstance(throughput, Mapping)
        and throughput.get("ReadCapacityUnits")
        and throughput.get("WriteCapacityUnits")
    ):
        raise Problem(msg.PROVISIONED_NEEDS_THROUGHPUT)
    definitions = [d.get("AttributeName") for d in params.get("AttributeDefinitions") or []]
    for position, name in enumerate(definitions):
        if name in definitions[:position]:
            raise Problem(msg.DUPLICATE_DEFINITION.format(name=name))
    key_schema = params.get("KeySchema") or []
    if len(key_schema) > len(definitions):
        raise Problem(msg.KEYS_WITHOUT_DEFINITION)
    _key_schema(key_schema, definitions)
    table_hash = key_schema[0].get("AttributeName") if key_schema else None
    used = [e.get("AttributeName") for e in key_schema]
    seen_indexes: set[str] = set()
    lsis = params.get("LocalSecondaryIndexes")
    gsis = params.get("GlobalSecondaryIndexes")
    if lsis is not None:
        if not lsis:
            raise Problem(msg.INDEX_LIST_EMPTY.format(kind="LocalSecondaryIndexes"))
        if len(key_schema) != 2:
            raise Problem(msg.LSI_NEEDS_TABLE_RANGE)
        for index in lsis:
            name = index.get("IndexName")
            elements = index.get("KeySchema") or []
            _key_schema(elements, definitions)
            if len(elements) != 2:
                raise Problem(msg.LSI_NEEDS_RANGE.format(name=name))
            index_hash = elements[0].get("AttributeName")
            if index_hash != table_hash:
                raise Problem(
                    msg.LSI_HASH.format(name=name, index_hash=index_hash, table_hash=table_hash)
                )
            _projection(index)
            if name in seen_indexes:
                raise Problem(msg.DUPLICATE_INDEX.format(name=name))
            seen_indexes.add(name)
            used.extend(e.get("AttributeName") for e in elements)
        if len(lsis) > MAX_LSIS:
            raise Problem(msg.TOO_MANY_LSI)
    if gsis is not None:
        if not gsis:
            raise Problem(msg.INDEX_LIST_EMPTY.format(kind="GlobalSecondaryIndexes"))
        for index in gsis:
            name = index.get("IndexName")
            elements = index.get("KeySchema") or []
            _key_schema(elements, definitions)
            _projection(index)
            if billing == "PAY_PER_REQUEST" and index.get("ProvisionedThroughput"):
                raise Problem(msg.INDEX_ON_DEMAND_THROUGHPUT.format(name=name))
            if billing == "PROVISIONED" and not index.get("ProvisionedThroughput"):
                raise Problem(msg.INDEX_NEEDS_THROUGHPUT.format(name=name))
            if name in seen_indexes:
                raise Problem(msg.DUPLICATE_INDEX.format(name=name))
            seen_indexes.add(name)
            used.extend(e.get("AttributeName") for e in elements)
        if len(gsis) > MAX_GSIS:
            raise Problem(msg.TOO_MANY_GSI)
    unused = [name for name in definitions if name not in used]
    if unused:
        if lsis is None and gsis is None:
            raise Problem(msg.DEFINITIONS_COUNT)
        raise Problem(
            msg.DEFINITIONS_UNUSED.format(
                definitions=", ".join(definitions), keys=", ".join(dict.fromkeys(used))
            )
        )


def update_time_to_live(request: Request) -> None:
    """UpdateTimeToLive (the once-an-hour rule needs state: the strict layer keeps it)."""
    params = request.params
    check_table_name(params.get("TableName"))
    spec = params.get("TimeToLiveSpecification")
    name = spec.get("AttributeName") if isinstance(spec, Mapping) else None
    if not isinstance(name, str) or not 1 <= len(name) <= MAX_TABLE_NAME_LENGTH:
        rule = (
            msg.LENGTH_AT_LEAST.format(n=1)
            if not name
            else msg.LENGTH_AT_MOST.format(n=MAX_TABLE_NAME_LENGTH)
        )
        raise constraint_problem([constraint(name, "timeToLiveSpecification.attributeName", rule)])


def table_name_only(request: Request) -> None:
    """DescribeTable, DeleteTable, DescribeTimeToLive: only the name."""
    check_table_name(request.params.get("TableName"))


__all__ = ["create_table", "table_name_only", "update_time_to_live"]
