"""Models <-> DynamoDB items: :func:`codec_for` and :class:`ModelCodec`.

The codec's modules, from the bottom up:

- :mod:`._number_text`: Python numbers -> ``N`` text, and ``N`` text -> Python numbers;
- :mod:`._values`: any Python value <-> AttributeValue by runtime type (no model);
- :mod:`._converters`: the :class:`Converter` of one type, and those of the scalars;
- :mod:`._containers` and :mod:`._choices`: lists, maps, sets, unions; enums and literals;
- :mod:`._annotations`: an annotation -> its converter;
- :mod:`._codegen`: generated straight-line readers and writers;
- :mod:`._fields`: the per-class field plans that generated code runs;
- :mod:`._model_codec`: :class:`ModelCodec`, keys, paths and DynamoDB's item rules;
- :mod:`._kinds`: reads of a table several models share, decoded by discriminator;
- :mod:`._table_requests`: the CreateTable and UpdateTimeToLive requests of a model.

DynamoDB's own rules (the number grammar, item sizes) come from :mod:`aiodynamodb.rules`,
its numbers from :mod:`aiodynamodb.limits`.
"""

from __future__ import annotations

from aiodynamodb.codec._kinds import OtherKinds, Reader, UnionView, reader_for
from aiodynamodb.codec._model_codec import (
    ModelCodec,
    codec_for,
    decode_value,
    encode_value,
    item_size,
)
from aiodynamodb.codec._table_requests import create_table_params, ttl_params

__all__ = [
    "ModelCodec",
    "OtherKinds",
    "Reader",
    "UnionView",
    "codec_for",
    "create_table_params",
    "decode_value",
    "encode_value",
    "item_size",
    "reader_for",
    "ttl_params",
]
