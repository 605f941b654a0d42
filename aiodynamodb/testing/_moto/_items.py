"""One stored item read straight from moto's table, as GetItem would answer it.

The strict layer's UpdateItem (:mod:`aiodynamodb.testing._fidelity_update`) reads the item
it updates under moto's lock; a full GetItem dispatch (JSON body, moto's parser, the
handler, the response) costs several times the lookup itself. :func:`stored_item` looks the
item up in moto's table by its key and returns its attributes as GetItem's ``Item`` (JSON
values, binary values in base64), or says it did not answer (an unknown table, a key that
is not exactly the table's key attributes, a binary key: moto stores those as bytes in
moto >= 5.2), and the caller asks GetItem. The contract test
``tests/integration/test_moto_contract.py::test_stored_item_is_get_item`` compares the two.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from aiodynamodb.testing._moto._backend import dynamodb_tables
from aiodynamodb.testing._moto._dispatch import _encode_binary

__all__ = ["NOT_READ", "stored_item"]

NOT_READ: Any = object()
""":func:`stored_item`'s answer when it cannot answer as GetItem would: ask GetItem."""

_PLAIN_KEY_TYPES = frozenset({"S", "N"})


def _key_value(value: Any) -> Any:
    from moto.dynamodb.models.dynamo_type import DynamoType

    if not isinstance(value, Mapping) or len(value) != 1:
        return None
    ((kind, text),) = value.items()
    if kind not in _PLAIN_KEY_TYPES or not isinstance(text, str) or not text:
        return None
    return DynamoType({kind: text})


def stored_item(account: str, region: str, table_name: str, key: Mapping[str, Any]) -> Any:
    """The item stored under ``key``, as GetItem's ``Item``; None if there is none.

    Returns :data:`NOT_READ` when GetItem must answer instead (see the module docstring).
    Call it holding :func:`~aiodynamodb.testing._moto.backend_lock`, like any read of moto's
    state that a write may race.
    """
    table = dynamodb_tables(account, region).get(table_name)
    if table is None:
        return NOT_READ
    names = [table.hash_key_attr, *([table.range_key_attr] if table.range_key_attr else [])]
    if len(key) != len(names) or any(name not in key for name in names):
        return NOT_READ
    values = [_key_value(key[name]) for name in names]
    if any(value is None for value in values):
        return NOT_READ
    # Not table.get_item: on a missing partition its defaultdict would add an empty one.
    found = table.items.get(values[0])
    if found is not None and table.range_key_attr:
        found = found.get(values[1])
    if found is None:
        return None
    attributes = found.to_json()["Attributes"]
    # A copy in JSON's types: moto keeps the stored values (the caller may change its copy).
    loaded: dict[str, Any] = json.loads(json.dumps(attributes, default=_encode_binary))
    return loaded
