"""Low-level CreateTable / UpdateTimeToLive requests derived from a ``@table`` model.

The attribute definitions list exactly the key attributes of the table and its indexes
(DynamoDB rejects any other), typed ``S``, ``N`` or ``B`` from the fields' annotations.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from aiodynamodb.codec._model_codec import codec_for
from aiodynamodb.model import GSI, Index, TableMeta, table_meta


def _key_schema(hash_key: str, range_key: str | None) -> list[dict[str, str]]:
    schema = [{"AttributeName": hash_key, "KeyType": "HASH"}]
    if range_key is not None:
        schema.append({"AttributeName": range_key, "KeyType": "RANGE"})
    return schema


def _projection(index: Index) -> dict[str, Any]:
    projection: dict[str, Any] = {"ProjectionType": index.projection}
    if index.projection == "INCLUDE":
        projection["NonKeyAttributes"] = list(index.non_key_attributes)
    return projection


def _throughput(read: int | None, write: int | None) -> dict[str, int]:
    # @table made sure PROVISIONED tables have both capacities.
    return {"ReadCapacityUnits": read or 0, "WriteCapacityUnits": write or 0}


def create_table_params(model: type[BaseModel], *, table_name: str | None = None) -> dict[str, Any]:
    """The CreateTable request for a ``@table`` model.

    Args:
        model: A DynamoModel class decorated with ``@table``.
        table_name: The table name to use (for example with a client prefix); defaults to
            the declared name.

    Returns:
        ``TableName``, ``KeySchema``, ``AttributeDefinitions``, ``BillingMode``, and when
        declared ``ProvisionedThroughput``, ``GlobalSecondaryIndexes``,
        ``LocalSecondaryIndexes``, ``StreamSpecification`` and ``Tags``.

    Raises:
        TypeError: ``model`` is not a ``@table`` model.
    """
    meta = table_meta(model)
    codec = codec_for(model)
    provisioned = meta.billing_mode == "PROVISIONED"
    params: dict[str, Any] = {
        "TableName": table_name if table_name is not None else meta.name,
        "KeySchema": _key_schema(meta.hash_key, meta.range_key),
        "AttributeDefinitions": [
            {"AttributeName": attr, "AttributeType": codec.key_type(attr)}
            for attr in meta.key_attributes
        ],
        "BillingMode": meta.billing_mode,
    }
    if provisioned:
        params["ProvisionedThroughput"] = _throughput(meta.read_capacity, meta.write_capacity)
    gsis = [_gsi(meta, index, provisioned) for index in meta.indexes if isinstance(index, GSI)]
    lsis = [
        {
            "IndexName": index.name,
            "KeySchema": _key_schema(meta.hash_key, index.range_key),
            "Projection": _projection(index),
        }
        for index in meta.indexes
        if not isinstance(index, GSI)
    ]
    if gsis:
        params["GlobalSecondaryIndexes"] = gsis
    if lsis:
        params["LocalSecondaryIndexes"] = lsis
    if meta.stream is not None:
        params["StreamSpecification"] = {"StreamEnabled": True, "StreamViewType": meta.stream}
    if meta.tags:
        params["Tags"] = [{"Key": key, "Value": value} for key, value in meta.tags.items()]
    return params


def _gsi(meta: TableMeta, index: GSI, provisioned: bool) -> dict[str, Any]:
    spec: dict[str, Any] = {
        "IndexName": index.name,
        "KeySchema": _key_schema(index.hash_key, index.range_key),
        "Projection": _projection(index),
    }
    if provisioned:
        spec["ProvisionedThroughput"] = _throughput(
            index.read_capacity if index.read_capacity is not None else meta.read_capacity,
            index.write_capacity if index.write_capacity is not None else meta.write_capacity,
        )
    return spec


def ttl_params(model: type[BaseModel], table_name: str | None = None) -> dict[str, Any] | None:
    """The UpdateTimeToLive request enabling TTL, or ``None`` if the model declares none.

    Args:
        model: A DynamoModel class decorated with ``@table``.
        table_name: The table name to use; defaults to the declared name.
    """
    meta = table_meta(model)
    if meta.ttl_attribute is None:
        return None
    return {
        "TableName": table_name if table_name is not None else meta.name,
        "TimeToLiveSpecification": {"Enabled": True, "AttributeName": meta.ttl_attribute},
    }


__all__ = ["create_table_params", "ttl_params"]
