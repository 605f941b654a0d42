"""DynamoDB expressions built from boto3's ``Attr``/``Key`` and :class:`UpdateAttr`.

- :mod:`._paths`: document paths (``"a.b[0].c"``) and the overlap rules between them;
- :mod:`._updates`: :class:`UpdateAttr` and the :class:`UpdateAction` objects it makes;
- :mod:`._context`: :class:`ExpressionContext`, which compiles conditions, key conditions,
  updates and projections into expression text with ``#n``/``:v`` placeholders.
"""

from __future__ import annotations

from aiodynamodb.expressions._context import ATTRIBUTE_TYPES, ExpressionContext
from aiodynamodb.expressions._paths import ELEMENT, ModelSchema, Raw, ValueEncoder, parse_path
from aiodynamodb.expressions._updates import UpdateAction, UpdateAttr

__all__ = [
    "ATTRIBUTE_TYPES",
    "ELEMENT",
    "ExpressionContext",
    "ModelSchema",
    "Raw",
    "UpdateAction",
    "UpdateAttr",
    "ValueEncoder",
    "parse_path",
]
