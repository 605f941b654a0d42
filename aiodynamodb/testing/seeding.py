"""Seeding tables from models or JSON files, and snapshots of a table as sorted models.

JSON seed files map a table name (or a model class name) to a list of rows; each row is
validated by the model, so a typo in a fixture file fails loudly::

    {
      "users": [{"user_id": "u1", "name": "Alice"}],
      "Order": [{"order_id": "o1", "created_at": "2026-01-01T00:00:00Z", "total": 10}]
    }
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from aiodynamodb.codec import codec_for
from aiodynamodb.model import DynamoModel, table_meta

if TYPE_CHECKING:
    from aiodynamodb.client import DynamoDB

M = TypeVar("M", bound=DynamoModel)

UNKNOWN_TABLE = (
    "seed file {path}: {name!r} is neither the table nor the class name of a model this test "
    "uses ({known}); add the model to @pytest.mark.dynamodb_tables or fix the name"
)
NOT_A_LIST = "seed file {path}: {name!r} must map to a list of rows, got {kind}"
BAD_ROW = "seed file {path}: row {index} of {name!r} is not a valid {model}: {error}"
NOT_A_MAPPING = "seed file {path}: expected a JSON object of table name -> rows, got {kind}"


def load_seed_file(path: str | Path, models: Iterable[type[DynamoModel]]) -> list[DynamoModel]:
    """Read rows from a JSON seed file as model instances (validated).

    Raises:
        ValueError: A name matches no model, or a row is not valid for its model.
    """
    source = Path(path)
    data: Any = json.loads(source.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ValueError(NOT_A_MAPPING.format(path=source, kind=type(data).__name__))
    by_name: dict[str, type[DynamoModel]] = {}
    for model in models:
        by_name[table_meta(model).name] = model
        by_name[model.__name__] = model
    items: list[DynamoModel] = []
    for name, rows in data.items():
        found = by_name.get(name)
        if found is None:
            known = ", ".join(sorted(by_name)) or "none"
            raise ValueError(UNKNOWN_TABLE.format(path=source, name=name, known=known))
        if not isinstance(rows, list):
            raise ValueError(NOT_A_LIST.format(path=source, name=name, kind=type(rows).__name__))
        model = found
        for index, row in enumerate(rows):
            try:
                items.append(model.model_validate(row))
            except ValueError as error:
                raise ValueError(
                    BAD_ROW.format(
                        path=source, index=index, name=name, model=model.__name__, error=error
                    )
                ) from None
    return items


async def seed(db: DynamoDB, items: Sequence[DynamoModel]) -> None:
    """Write ``items`` (any models) with ``batch_write``: nothing is dropped."""
    await db.batch_write(puts=items)


def _sort_key(model: type[DynamoModel]) -> Any:
    meta = table_meta(model)
    codec = codec_for(model)
    names = meta.key_names

    def key(item: DynamoModel) -> tuple[Any, ...]:
        encoded = codec.key_of(item)
        return tuple(_comparable(encoded[name]) for name in names)

    return key


def _comparable(value: dict[str, Any]) -> tuple[int, Any]:
    tag, raw = next(iter(value.items()))
    if tag == "N":
        from decimal import Decimal

        return (0, Decimal(raw))
    if tag == "B":
        return (1, raw)
    return (2, raw)


async def table_contents(db: DynamoDB, model: type[M]) -> list[M]:
    """Every item of ``model``'s table as models, sorted by key (hash key, then range key).

    Sorting uses the stored key values (numbers numerically, strings and binary by their
    bytes, as DynamoDB orders range keys), so the order is the same on every backend.
    """
    items = await db.scan(model).all()
    return sorted(items, key=_sort_key(model))


__all__ = ["load_seed_file", "seed", "table_contents"]
