"""The messages of the codec's errors (each names the model, the attribute and the fix)."""

from __future__ import annotations

CANNOT_ENCODE = "cannot store {model}.{path} = {value}: {reason}"
CANNOT_DECODE = "cannot read attribute {attr!r} of a {model} item ({av}): {reason}"
INVALID_ITEM = "the stored item is not a valid {model}: {errors}"
ITEM_TOO_LARGE = (
    "a {model} item is {size:,} bytes; DynamoDB's item size limit is {limit:,} bytes (400 KB)"
)
EMPTY_KEY = (
    "{model}.{attr} is a key attribute (of the table or an index) and cannot be an empty "
    "{kind}; DynamoDB rejects empty key values"
)
KEY_PART_MISSING = (
    "{model}: the {where} key needs {names}; {missing!r} was not given (the provided key "
    "element does not match the schema)"
)
KEY_PART_EXTRA = (
    "{model}: the {where} key is only {names}; a range key value was given too (the provided "
    "key element does not match the schema)"
)
NOT_A_MODEL_CLASS = (
    "expected a DynamoModel subclass decorated with @table (or an instance of one), got {got}"
)
BAD_KEY_VALUE = "{model}: {value!r} is not a valid value for key attribute {attr!r}: {reason}"
MISSING_KEY_ATTRIBUTE = "the {model} item has no key attribute {attr!r}"
MODEL_SERIALIZER_TABLE = (
    "{model} has a model_serializer; a table model is written field by field so that its keys "
    "keep their declared types: use field_serializer / PlainSerializer on non-key fields instead"
)
EXCLUDED_KEY = (
    "{model}: key field {field!r} is excluded from serialization (exclude=True); key attributes "
    "must be stored, so drop exclude"
)


def short_repr(value: object, limit: int = 120) -> str:
    """``repr(value)``, cut to ``limit`` characters for an error message."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."
