"""DynamoDB's error messages, word for word where AWS's wording is known.

``{placeholders}`` are filled with ``str.format``. Sources: the DynamoDB API Reference
(each operation's "Errors" section), the Developer Guide pages named in
``docs/fidelity.md``, and messages captured from the service.
"""

from __future__ import annotations

INVALID = "One or more parameter values were invalid: "
NOT_VALID = "One or more parameter values are not valid. "

# -- AttributeValues ------------------------------------------------------------------------
EMPTY_AV = "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes"
MULTIPLE_AV = (
    "Supplied AttributeValue has more than one datatypes set, "
    "must contain exactly one of the supported datatypes"
)
NOT_NUMERIC = "The parameter cannot be converted to a numeric value"
NOT_NUMERIC_VALUE = "The parameter cannot be converted to a numeric value: {text}"
NUMBER_OVERFLOW = (
    "Number overflow. Attempting to store a number with magnitude larger than supported range"
)
NUMBER_UNDERFLOW = (
    "Number underflow. Attempting to store a number with magnitude smaller than supported range"
)
NUMBER_TOO_PRECISE = "Attempting to store more than 38 significant digits in a Number"
NULL_FALSE = INVALID + "Null attribute value types must have the value of true"
EMPTY_SS = INVALID + "An string set  may not be empty"
EMPTY_NS = INVALID + "An number set  may not be empty"
EMPTY_BS = INVALID + "Binary sets should not be empty"
DUPLICATE_SS = INVALID + "Input collection {members} contains duplicates."
DUPLICATE_BS = INVALID + "Input collection {members}of type BS contains duplicates."
DUPLICATE_NS = INVALID + "Input collection contains duplicates."
DUPLICATE_NS_OLDER = "Input collection contains duplicates"
NESTING_TOO_DEEP = (
    "Nesting Levels have exceeded supported limits: Attributes in the item have nested levels "
    "beyond supported limit"
)
ITEM_TOO_LARGE = "Item size has exceeded the maximum allowed size"
UPDATE_TOO_LARGE = "Item size to update has exceeded the maximum allowed size"
EAV_INVALID = "ExpressionAttributeValues contains invalid value: {message} for key {key}"

# -- Keys -----------------------------------------------------------------------------------
KEY_MISMATCH = "The provided key element does not match the schema"
MISSING_KEY = INVALID + "Missing the key {name} in the item"
KEY_TYPE_MISMATCH = INVALID + "Type mismatch for key {name} expected: {expected} actual: {actual}"
EMPTY_KEY = (
    NOT_VALID + "The AttributeValue for a key attribute cannot contain an empty {kind} value. "
    "Key: {name}"
)
INDEX_KEY_TYPE_MISMATCH = (
    INVALID + "Type mismatch for Index Key {name} Expected: {expected} Actual: {actual} "
    "IndexName: {index}"
)
EMPTY_INDEX_KEY = (
    NOT_VALID + "A value specified for a secondary index key is not supported. The AttributeValue "
    "for a key attribute cannot contain an empty {kind} value. IndexName: {index}, IndexKey: {name}"
)
HASH_KEY_TOO_LARGE = INVALID + "Size of hashkey has exceeded the maximum size limit of2048 bytes"
RANGE_KEY_TOO_LARGE = (
    INVALID + "Aggregated size of all range keys has exceeded the size limit of 1024 bytes"
)
UPDATE_KEY_ATTRIBUTE = INVALID + "Cannot update attribute {name}. This attribute is part of the key"

# -- Parameters -----------------------------------------------------------------------------
MIXED_PARAMETERS = (
    "Can not use both expression and non-expression parameters in the same request: "
    "Non-expression parameters: {{{legacy}}} Expression parameters: {{{expressions}}}"
)
NAMES_WITHOUT_EXPRESSION = "ExpressionAttributeNames can only be specified when using expressions"
VALUES_WITHOUT_EXPRESSION = "ExpressionAttributeValues can only be specified when using expressions"
NAMES_EMPTY = "ExpressionAttributeNames must not be empty"
VALUES_EMPTY = "ExpressionAttributeValues must not be empty"
NAMES_BAD_KEY = 'ExpressionAttributeNames contains invalid key: Syntax error; key: "{key}"'
VALUES_BAD_KEY = 'ExpressionAttributeValues contains invalid key: Syntax error; key: "{key}"'
UNUSED_NAMES = "Value provided in ExpressionAttributeNames unused in expressions: keys: {{{keys}}}"
UNUSED_VALUES = (
    "Value provided in ExpressionAttributeValues unused in expressions: keys: {{{keys}}}"
)
CONSTRAINT = "Value {value}at '{path}' failed to satisfy constraint: {constraint}"
LENGTH_AT_LEAST = "Member must have length greater than or equal to {n}"
LENGTH_AT_MOST = "Member must have length less than or equal to {n}"
VALUE_AT_LEAST = "Member must have value greater than or equal to {n}"
VALUE_AT_MOST = "Member must have value less than or equal to {n}"
NAME_PATTERN = "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+"
ENUM = "Member must satisfy enum value set: [{values}]"
MAP_VALUE_LENGTH = (
    "Map value must satisfy constraint: [Member must have length less than or equal to 25, "
    "Member must have length greater than or equal to 1]"
)
RETURN_VALUES_PUT = "ReturnValues can only be ALL_OLD or NONE"
SEGMENT_MISSING = (
    "The Segment parameter is required but was not present in the request when parameter "
    "TotalSegments is present"
)
TOTAL_SEGMENTS_MISSING = (
    "The TotalSegments parameter is required but was not present in the request when "
    "Segment parameter is present"
)
SEGMENT_TOO_LARGE = (
    "The Segment parameter is zero-based and must be less than parameter TotalSegments: "
    "Segment: {segment} is not less than TotalSegments: {total}"
)

# -- Expressions ----------------------------------------------------------------------------
EXPRESSION = "Invalid {kind}: {message}"
EMPTY_EXPRESSION = "The expression can not be empty;"
SYNTAX = 'Syntax error; token: "{token}", near: "{near}"'
RESERVED = "Attribute name is a reserved keyword; reserved keyword: {name}"
UNDEFINED_NAME = (
    "An expression attribute name used in the document path is not defined; attribute name: {name}"
)
UNDEFINED_VALUE = (
    "An expression attribute value used in expression is not defined; attribute value: {name}"
)
REDUNDANT_PARENS = "The expression has redundant parentheses;"
UNKNOWN_FUNCTION = "Invalid function name; function: {name}"
MISUSED_FUNCTION = (
    "The function is not allowed to be used this way in an expression; function: {name}"
)
OPERAND_COUNT = (
    "Incorrect number of operands for operator or function; operator or function: {name}, "
    "number of operands: {count}"
)
OPERAND_TYPE = (
    "Incorrect operand type for operator or function; operator or function: {name}, "
    "operand type: {type}"
)
UPDATE_OPERAND_TYPE = (
    "Incorrect operand type for operator or function; operator: {name}, operand type: {type}"
)
NEEDS_PATH = "Operator or function requires a document path; operator or function: {name}"
NOT_DISTINCT = (
    "The first operand must be distinct from the remaining operands for this operator or "
    "function; operator: {name}, first operand: {path}"
)
BAD_TYPE_NAME = (
    "Invalid attribute type name found; type: {name}, valid types: {{B,NULL,SS,BOOL,L,BS,N,NS,S,M}}"
)
BETWEEN_TYPES = (
    "The BETWEEN operator requires same data type for lower and upper bounds; lower bound "
    "operand: {low}, upper bound operand: {high}"
)
BETWEEN_ORDER = (
    "The BETWEEN operator requires upper bound to be greater than or equal to lower bound; "
    "lower bound operand: {low}, upper bound operand: {high}"
)
PATH_TOO_DEEP = "The document path has too many nesting levels; nesting levels: {levels}"
SECTION_TWICE = 'The "{section}" section can only be used once in an update expression;'
PATHS_OVERLAP = (
    "Two document paths overlap with each other; must remove or rewrite one of these paths; "
    "path one: {one}, path two: {two}"
)
PATHS_CONFLICT = (
    "Two document paths conflict with each other; must remove or rewrite one of these paths; "
    "path one: {one}, path two: {two}"
)

# -- Query and Scan -------------------------------------------------------------------------
KEY_CONDITION_REQUIRED = (
    "Either the KeyConditions or KeyConditionExpression parameter must be specified in the request."
)
KEY_OPERATOR = "Invalid operator used in KeyConditionExpression: {name}"
KEY_NESTED_OPERATION = "KeyConditionExpressions cannot contain nested operations"
KEY_NESTED_ATTRIBUTE = "KeyConditionExpressions cannot have conditions on nested attributes"
KEY_TWO_NAMES = (
    "Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition"
)
KEY_NO_NAME = "Invalid condition in KeyConditionExpression: No key attribute specified"
KEY_FIRST_OPERAND = (
    "Invalid condition in KeyConditionExpression: {name} operator must have the key attribute "
    "as its first operand"
)
KEY_ONE_CONDITION = "KeyConditionExpressions must only contain one condition per key"
KEY_TOO_MANY_CONDITIONS = (
    "The number of query conditions ({count}) exceeds the number of key attributes defined in "
    "the schema ({keys})"
)
KEY_MISSED = "Query condition missed key schema element: {name}"
KEY_NOT_SUPPORTED = "Query key condition not supported"
KEY_NOT_INDEXABLE = "Attempted conditional constraint is not an indexable operation"
KEY_CONDITION_TYPE = INVALID + "Condition parameter type does not match schema type"
FILTER_ON_KEY = "{kind} can only contain non-primary key attributes: Primary key attribute: {name}"
UNKNOWN_INDEX = "The table does not have the specified index: {name}"
CONSISTENT_GSI = "Consistent reads are not supported on global secondary indexes"
SELECT_ALL_GSI = (
    INVALID + "Select type ALL_ATTRIBUTES is not supported for global secondary index {name} "
    "because its projection type is not ALL"
)
BAD_START_KEY = "The provided starting key is invalid"
BAD_START_KEY_DETAIL = "The provided starting key is invalid: {message}"
START_KEY_OUTSIDE = (
    "The provided starting key is outside query boundaries based on provided conditions"
)
START_KEY_RANGE = "The provided starting key does not match the range key predicate"
GSI_NOT_PROJECTED = INVALID + "Global secondary index {name} does not project {path}"
LEGACY_BETWEEN_ORDER = (
    "The BETWEEN condition was provided a range where the lower bound is greater than the "
    "upper bound"
)
LEGACY_ARGUMENT_COUNT = (
    INVALID + "Invalid number of argument(s) for the {operator} ComparisonOperator"
)

# -- Batches and transactions ---------------------------------------------------------------
BATCH_DUPLICATES = "Provided list of item keys contains duplicates"
BATCH_WRITE_TOO_MANY = "Too many items requested for the BatchWriteItem call"
BATCH_GET_TOO_MANY = "Too many items requested for the BatchGetItem call"
BATCH_WRITE_REQUIRED = "The requestItems parameter is required for BatchWriteItem"
BATCH_GET_REQUIRED = "The requestItems parameter is required for BatchGetItem"
TRANSACTION_SAME_ITEM = "Transaction request cannot include multiple operations on one item"
TRANSACTION_TOO_LARGE = "Transaction payload size cannot exceed 4 MB"
TOKEN_MISMATCH = (
    "DynamoDB rejected the request because you retried a request with a different payload but "
    "with an idempotent token that was already used"
)
MUST_NOT_BE_NULL = "Member must not be null"

# -- CreateTable ----------------------------------------------------------------------------
KEYS_WITHOUT_DEFINITION = "Invalid KeySchema: Some index key attribute have no definition"
KEYS_NOT_DEFINED = (
    INVALID + "Some index key attributes are not defined in AttributeDefinitions. "
    "Keys: [{keys}], AttributeDefinitions: [{definitions}]"
)
KEYS_SAME_NAME = (
    "Invalid KeySchema: Both the Hash Key and the Range Key element in the KeySchema have the "
    "same name"
)
FIRST_NOT_HASH = "Invalid KeySchema: The first KeySchemaElement is not a HASH key type"
SECOND_NOT_RANGE = "Invalid KeySchema: The second KeySchemaElement is not a RANGE key type"
DEFINITIONS_COUNT = (
    INVALID + "Number of attributes in KeySchema does not exactly match number of attributes "
    "defined in AttributeDefinitions"
)
DEFINITIONS_UNUSED = (
    INVALID + "Some AttributeDefinitions are not used. AttributeDefinitions: [{definitions}], "
    "keys used: [{keys}]"
)
DUPLICATE_DEFINITION = INVALID + "Duplicate AttributeName in AttributeDefinitions: {name}"
LSI_NEEDS_TABLE_RANGE = (
    INVALID + "Table KeySchema does not have a range key, which is required when specifying a "
    "LocalSecondaryIndex"
)
LSI_NEEDS_RANGE = INVALID + "Index KeySchema does not have a range key for index: {name}"
LSI_HASH = (
    INVALID + "Index KeySchema does not have the same leading hash key as table KeySchema for "
    "index: {name}. index hash key: {index_hash}, table hash key: {table_hash}"
)
INDEX_LIST_EMPTY = INVALID + "List of {kind} is empty"
DUPLICATE_INDEX = INVALID + "Duplicate index name: {name}"
TOO_MANY_LSI = INVALID + "Number of LocalSecondaryIndexes exceeds per-table limit of 5"
TOO_MANY_GSI = INVALID + "GlobalSecondaryIndex count exceeds the per-table limit of 20"
UNKNOWN_PROJECTION = INVALID + "Unknown ProjectionType: {value}"
NON_KEY_WITHOUT_INCLUDE = (
    INVALID + "ProjectionType is {projection}, but NonKeyAttributes is specified"
)
PROVISIONED_NEEDS_THROUGHPUT = (
    INVALID + "ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode "
    "is PROVISIONED"
)
ON_DEMAND_WITH_THROUGHPUT = (
    INVALID + "Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when "
    "BillingMode is PAY_PER_REQUEST"
)
INDEX_NEEDS_THROUGHPUT = INVALID + "ProvisionedThroughput must be specified for index: {name}"
INDEX_ON_DEMAND_THROUGHPUT = (
    INVALID + "ProvisionedThroughput should not be specified for index: {name} when BillingMode "
    "is PAY_PER_REQUEST"
)

# -- UpdateTable ----------------------------------------------------------------------------
UPDATE_TABLE_NOTHING = (
    "At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, "
    "GlobalSecondaryIndexUpdates or SSESpecification or ReplicaUpdates is required"
)
INDEX_UPDATE_EMPTY = (
    INVALID + "One of GlobalSecondaryIndexUpdate.Update, GlobalSecondaryIndexUpdate.Create, "
    "GlobalSecondaryIndexUpdate.Delete must not be null"
)
INDEX_UPDATE_TWICE = (
    INVALID + "Only one global secondary index update per index is allowed simultaneously. "
    "Index: {name}"
)
ONE_ONLINE_INDEX = (
    "Subscriber limit exceeded: Only 1 online index can be created or deleted simultaneously "
    "per table"
)
INDEX_EXISTS = "Attempting to create an index which already exists"
UPDATE_PROVISIONED_NEEDS_THROUGHPUT = (
    INVALID + "ProvisionedThroughput must be specified when BillingMode is PROVISIONED"
)
NOT_FOUND = "Requested resource not found"
TABLE_NOT_FOUND = "Requested resource not found: Table: {name} not found"

# -- Time to live ---------------------------------------------------------------------------
TTL_TOO_SOON = "Time to live has been modified multiple times within a fixed interval"
TTL_ALREADY_ENABLED = "TimeToLive is already enabled"
TTL_ALREADY_DISABLED = "TimeToLive is already disabled"
TTL_OTHER_ATTRIBUTE = "TimeToLive is active on a different AttributeName"
