"""DynamoDB's request rules, checked before a request is sent (pure: no I/O, no moto).

:func:`check_request` takes a low-level request (the parameters a boto client method gets,
or the wire JSON it sends, which for DynamoDB's JSON protocol is the same dict) and raises
:class:`~aiodynamodb.errors.ValidationError` with DynamoDB's error code and message when
DynamoDB would refuse it. Two places use it: the ``DynamoDB`` client before it sends, and
the strict layer of the in-memory backend (:mod:`aiodynamodb.testing.strict`), which sees
every request of every client in the process.

The rules, with the AWS pages they come from, are listed in ``docs/fidelity.md``. The
modules, from the bottom up: ``messages`` (DynamoDB's own wording), ``_numbers`` (the one
number grammar), ``_sizes`` (the one item-size function), ``_attribute_values``,
``_problems``, ``_reserved_words``, ``_syntax`` and ``_grammar`` (the expression languages),
``_key_schema``, ``_expression_checks``, ``_context`` (one request under check), then one
module per family of operations: ``_items``, ``_reads``, ``_batches``, ``_table_ops``, with
``_read_bounds``, ``_table_updates``, ``_transaction_rules`` and ``_path_limits`` beside them.
"""

from __future__ import annotations

from aiodynamodb.rules._arguments import (
    check_client_request_token,
    check_flag,
    check_limit,
    check_prefixed_table_name,
    check_return_values,
    check_segments,
    check_select,
    check_sequence,
    check_start_key,
    item_key_identity,
)
from aiodynamodb.rules._attribute_values import nesting_depth
from aiodynamodb.rules._check import CHECKED_OPERATIONS, check_request, projection_paths
from aiodynamodb.rules._context import Describe
from aiodynamodb.rules._evaluation import ConditionEvaluator, legacy_expression
from aiodynamodb.rules._expression_checks import Placeholders, check_condition
from aiodynamodb.rules._grammar import parse_condition, parse_projection, parse_update
from aiodynamodb.rules._key_schema import TableSchema
from aiodynamodb.rules._numbers import (
    Number,
    canonical_number,
    is_canonical_number,
    number_size,
    parse_number,
)
from aiodynamodb.rules._problems import TransactionCanceledError
from aiodynamodb.rules._read_bounds import name_first_key_condition
from aiodynamodb.rules._reserved_words import RESERVED_WORDS, is_reserved
from aiodynamodb.rules._sizes import binary_length, item_size, text_bound, utf8_length, value_size
from aiodynamodb.rules._syntax import Call, ExpressionSyntaxError, Operand, Path, Value, tokenize

__all__ = [
    "CHECKED_OPERATIONS",
    "RESERVED_WORDS",
    "Call",
    "ConditionEvaluator",
    "Describe",
    "ExpressionSyntaxError",
    "Number",
    "Operand",
    "Path",
    "Placeholders",
    "TableSchema",
    "TransactionCanceledError",
    "Value",
    "binary_length",
    "canonical_number",
    "check_client_request_token",
    "check_condition",
    "check_flag",
    "check_limit",
    "check_prefixed_table_name",
    "check_request",
    "check_return_values",
    "check_segments",
    "check_select",
    "check_sequence",
    "check_start_key",
    "is_canonical_number",
    "is_reserved",
    "item_key_identity",
    "item_size",
    "legacy_expression",
    "name_first_key_condition",
    "nesting_depth",
    "number_size",
    "parse_condition",
    "parse_number",
    "parse_projection",
    "parse_update",
    "projection_paths",
    "text_bound",
    "tokenize",
    "utf8_length",
    "value_size",
]
