"""The messages of ``@table`` declaration errors (each names the model and the fix)."""

from __future__ import annotations

from aiodynamodb.limits import MAX_PROJECTED_ATTRIBUTES

BAD_TABLE_NAME = (
    "{model}: table name {name!r} is not a valid DynamoDB table name; use 3-255 characters "
    "of letters, digits, '_', '-' and '.'"
)
BAD_INDEX_NAME = (
    "{model}: index name {name!r} is not a valid DynamoDB index name; use 3-255 characters "
    "of letters, digits, '_', '-' and '.'"
)
NO_HASH_KEY = (
    "{model} has no hash key; pass @table(..., hash_key='<attribute>') or annotate one field "
    "as HashKey[<type>]"
)
KEY_GIVEN_TWICE = (
    "{model}: the {role} key is given both ways (@table({role}_key={given!r}) and the "
    "{marker}[...] annotation on field {field!r}); keep only one of them"
)
SEVERAL_KEY_MARKERS = (
    "{model}: fields {fields} are all annotated {marker}[...]; a table has exactly one {role} key"
)
NOT_A_FIELD = (
    "{model}: {what} {name!r} is not an attribute of the model; the attributes are: {known}"
)
NOT_A_FIELD_ALIAS_HINT = (
    "{model}: {what} {name!r} is a field whose attribute name is {alias!r} (its alias); "
    "name keys by attribute name: use {alias!r}"
)
SAME_HASH_AND_RANGE = (
    "{model}: {where} uses {name!r} as both hash key and range key; choose a different range key"
)
OPTIONAL_KEY = (
    "{model}: key field {field!r} is Optional ({annotation}); every item needs its table key, "
    "so declare it without None"
)
BAD_KEY_TYPE = (
    "{model}: key field {field!r} has type {annotation}, which DynamoDB cannot key on; keys are "
    "strings, numbers or binary: use str, int, Decimal, bytes, datetime, date, UUID, a str/int "
    "Enum or a Literal of str/int/bytes"
)
CUSTOM_SERIALIZER_KEY = (
    "{model}: key field {field!r} has a custom serializer that does not declare a key type; "
    "a key attribute's type must be known, so use an Annotated PlainSerializer or "
    "WrapSerializer with return_type=str, int, Decimal or bytes (e.g. "
    "PlainSerializer(..., return_type=int)), or remove the serializer"
)
DUPLICATE_INDEX = (
    "{model}: index name {name!r} is used more than once; give each index its own name"
)
TOO_MANY_INDEXES = "{model} declares {count} {kind}s; DynamoDB allows at most {limit} per table"
LSI_WITHOUT_RANGE_KEY = (
    "{model}: local secondary index {name!r} needs a table with a range key; add range_key=... "
    "to @table or make the index a GSI"
)
NOT_AN_INDEX = "{model}: indexes must be GSI(...) or LSI(...) objects, got {obj!r}"
BAD_PROJECTION = (
    "{model}: index {name!r} has projection {projection!r}; use 'ALL', 'KEYS_ONLY' or 'INCLUDE'"
)
INCLUDE_NEEDS_ATTRIBUTES = (
    "{model}: index {name!r} uses projection 'INCLUDE' without non_key_attributes; list the "
    "attributes to project, or use 'ALL' / 'KEYS_ONLY'"
)
ATTRIBUTES_WITHOUT_INCLUDE = (
    "{model}: index {name!r} lists non_key_attributes but its projection is {projection!r}; "
    "use projection='INCLUDE'"
)
TOO_MANY_PROJECTED = (
    "{model}: the indexes project {count} non-key attributes in total; DynamoDB allows at most "
    f"{MAX_PROJECTED_ATTRIBUTES}"
)
BAD_BILLING_MODE = "{model}: billing_mode {mode!r} is not one of 'PAY_PER_REQUEST', 'PROVISIONED'"
PROVISIONED_NEEDS_CAPACITY = (
    "{model}: billing_mode='PROVISIONED' needs read_capacity and write_capacity (positive ints)"
)
CAPACITY_WITHOUT_PROVISIONED = (
    "{model}: {where} sets read/write capacity but billing is on demand; pass "
    "billing_mode='PROVISIONED' to @table or drop the capacities"
)
BAD_CAPACITY = "{model}: {where} capacity {value!r} must be a positive int"
BAD_TTL_TYPE = (
    "{model}: TTL attribute {field!r} has type {annotation}; DynamoDB expires items by a Number "
    "of epoch seconds, so declare it as int (or int | None)"
)
BAD_TAGS = (
    "{model}: tags must be a mapping of at most 50 str keys (1-128 characters) to str values "
    "(0-256 characters); {problem}"
)
BAD_VERSION_TYPE = (
    "{model}: version attribute {field!r} has type {annotation}; optimistic locking counts "
    "versions in an int, so declare it as `{field}: int = 0` (or int | None)"
)
VERSION_IS_KEY = (
    "{model}: version attribute {name!r} is a key attribute; a key identifies the item and "
    "cannot change on every write, so keep the version in a field of its own"
)
VERSION_FROZEN = (
    "{model}: @table(version={name!r}) needs a mutable model: a successful put writes the new "
    "version back onto the instance, which a frozen pydantic model refuses; drop "
    "model_config frozen=True, or leave out version= and write your own conditions"
)
BAD_STREAM_VIEW = (
    "{model}: stream={view!r} is not a DynamoDB stream view type; use 'NEW_AND_OLD_IMAGES', "
    "'NEW_IMAGE', 'OLD_IMAGE' or 'KEYS_ONLY' (or leave stream out for a table without a stream)"
)
UNKNOWN_INDEX = "table {table!r} has no index {name!r}; its indexes are: {known}"
DISCRIMINATOR_NOT_LITERAL = (
    "{model}: discriminator field {field!r} has type {annotation}; the discriminator tells "
    "models sharing a table apart by one value each, so declare it as a Literal of one str "
    "or int with that value as default: `{field}: Literal[{example!r}] = {example!r}`"
)
DISCRIMINATOR_NO_DEFAULT = (
    "{model}: discriminator field {field!r} needs its value as default (`{field}: "
    "Literal[{value!r}] = {value!r}`), so an instance never has to be given it"
)
DISCRIMINATOR_EXCLUDED = (
    "{model}: discriminator field {field!r} is excluded from serialization (exclude=True); "
    "an item is read back as its model by this attribute, so it must be stored: drop exclude"
)
DISCRIMINATOR_DISAGREES = (
    "{first} and {second} both use table {table!r} but disagree on its discriminator "
    "({first}: {first_attr}; {second}: {second_attr}); models that share a table must all "
    "pass the same @table(..., discriminator='<field>'), or none of them"
)
DISCRIMINATOR_VALUE_TWICE = (
    "{first} and {second} both use table {table!r} with discriminator {attr}={value!r}; an "
    "item of one would be read back as the other: give each model its own Literal value"
)
DISCRIMINATOR_UNRESOLVED = (
    "{model}: the annotation of discriminator field {field!r} ({annotation}) cannot be resolved "
    "when @table runs; the discriminator is checked then, so import Literal (and whatever it "
    "names) at module level, before the class"
)
