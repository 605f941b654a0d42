"""Errors raised by aiodynamodb.

Errors that DynamoDB itself returns reach callers as botocore's own exception classes
(``(await db.exceptions()).ConditionalCheckFailedException`` and friends). The classes
here are raised by aiodynamodb::

    Exception
    ├── AioDynamoDBError                      root of every aiodynamodb error
    │   ├── ModelDefinitionError (TypeError)  a model or @table definition is wrong
    │   ├── DecodeError (ValueError)          a stored item cannot become the model
    │   ├── ClientStateError (RuntimeError)   a closed client was used or reopened
    │   ├── BatchWriteError                   items still unprocessed after every retry
    │   └── BatchGetError                     keys still unprocessed after every retry
    └── botocore.exceptions.ClientError
        ├── VersionConflictError (+ AioDynamoDBError)
        │        a versioned write found another version stored; raised as a subclass
        │        of the client's own ``ConditionalCheckFailedException`` too
        └── ValidationError (+ AioDynamoDBError, ValueError)
            │        a DynamoDB rule checked before sending, with DynamoDB's own
            │        error code (``ValidationException``): bad expressions, paths,
            │        unknown indexes, too many actions, duplicate batch keys ...
            ├── EncodeError    a value the codec cannot store
            └── ArgumentError (+ TypeError)
                     an argument of the wrong type or shape (a str for a bool,
                     one model where a list is expected ...)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from botocore.exceptions import ClientError


class AioDynamoDBError(Exception):
    """Root of every error aiodynamodb raises itself."""


class ModelDefinitionError(AioDynamoDBError, TypeError):
    """A model class or its ``@table`` declaration is invalid."""


class DecodeError(AioDynamoDBError, ValueError):
    """A stored item cannot be turned into the requested model."""


class ClientStateError(AioDynamoDBError, RuntimeError):
    """A ``DynamoDB`` client was used after ``close()``, or reopened."""


class ValidationError(AioDynamoDBError, ClientError, ValueError):  # type: ignore[misc]
    """A request DynamoDB would reject, caught before it was sent.

    It is a botocore ``ClientError`` carrying the error code DynamoDB would return, so
    code that handles the service's ``ValidationException`` handles this one too; it is
    also a ``ValueError``, since the argument given was wrong.

    Args:
        message: What is wrong and what to do about it.
        operation_name: The DynamoDB operation, such as ``"PutItem"``.
        code: DynamoDB's error code.
    """

    def __init__(
        self,
        message: str,
        operation_name: str = "Unknown",
        code: str = "ValidationException",
    ) -> None:
        response: Any = {
            "Error": {"Code": code, "Message": message},
            "ResponseMetadata": {"HTTPStatusCode": 400},
        }
        super().__init__(response, operation_name)
        self.message = message
        self.code = code
        if operation_name == "Unknown":  # raised by the codec, outside any operation
            self.args = (message,)

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.message, self.operation_name, self.code))


class VersionConflictError(AioDynamoDBError, ClientError):  # type: ignore[misc]
    """A write to a versioned model (``@table(..., version=...)``) lost to another writer.

    The instance raised is also an instance of the client's own
    ``ConditionalCheckFailedException`` (its class is made at raise time from both), so
    ``except VersionConflictError`` and ``except ex.ConditionalCheckFailedException`` both
    catch it. Its ``response`` is DynamoDB's.

    Attributes:
        model: The model class written.
        key: The item's key, as attribute names to Python values.
        expected: The version the write required (0: the item must not exist yet).
        stored: The version stored, from the item DynamoDB returns with the failure (0 for
            an item without one); None when no item came back: it was deleted, or the
            backend does not return it (dynalite).
    """

    def __init__(
        self,
        message: str,
        response: Any,
        operation_name: str,
        *,
        model: type[Any],
        key: dict[str, Any],
        expected: int,
        stored: int | None,
    ) -> None:
        super().__init__(response, operation_name)
        self.args = (message,)
        self.model = model
        self.key = key
        self.expected = expected
        self.stored = stored

    def __reduce__(self) -> tuple[Any, ...]:
        # The class made at raise time cannot be pickled by name: send the plain error.
        return (
            _rebuild_conflict,
            (self.args[0], self.response, self.operation_name, self.__dict__),
        )


def _rebuild_conflict(
    message: str, response: Any, operation_name: str, state: dict[str, Any]
) -> VersionConflictError:
    error = VersionConflictError.__new__(VersionConflictError)
    Exception.__init__(error, message)
    error.__dict__.update(state)
    return error


class EncodeError(ValidationError):
    """A Python value that cannot be stored in DynamoDB (names the model and field)."""


class ArgumentError(ValidationError, TypeError):
    """An argument of the wrong type or shape, refused before anything is sent.

    A :class:`ValidationError` (so a ``ClientError`` with code ``ValidationException``) and a
    ``TypeError``: ``scan_index_forward="desc"``, ``limit="10"``, ``batch_write(puts=user)``.
    """


class BatchWriteError(AioDynamoDBError):
    """``batch_write`` gave up with items DynamoDB never processed.

    Attributes:
        unprocessed: Exactly the requests that were not applied, as they were passed in:
            model instances (puts) and ``ItemKey`` objects (deletes).
    """

    def __init__(self, message: str, unprocessed: Sequence[Any]) -> None:
        super().__init__(message)
        self.unprocessed = list(unprocessed)


class BatchGetError(AioDynamoDBError):
    """``batch_get`` gave up with keys DynamoDB never returned.

    Attributes:
        unprocessed: Exactly the ``ItemKey`` objects that were not read.
        items: The items that were read before giving up.
    """

    def __init__(self, message: str, unprocessed: Sequence[Any], items: Sequence[Any]) -> None:
        super().__init__(message)
        self.unprocessed = list(unprocessed)
        self.items = list(items)


__all__ = [
    "AioDynamoDBError",
    "ArgumentError",
    "BatchGetError",
    "BatchWriteError",
    "ClientStateError",
    "DecodeError",
    "EncodeError",
    "ModelDefinitionError",
    "ValidationError",
    "VersionConflictError",
]
