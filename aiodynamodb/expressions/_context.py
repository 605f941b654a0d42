"""DynamoDB expressions: conditions, key conditions, updates and projections.

One :class:`ExpressionContext` holds the placeholders of one request: every attribute name
goes through a ``#n`` placeholder (reserved words and nested paths just work), every value
through a ``:v`` one. The client builds it on the model's view (``model=codec.view``), which
checks each path against the model and encodes each value with its field's converter::

    from boto3.dynamodb.conditions import Attr, Key

    ctx = ExpressionContext(model=codec.view)
    params = {
        "KeyConditionExpression": ctx.key_condition(Key("user_id").eq("u1")),
        "FilterExpression": ctx.condition(Attr("status").is_in(["new", "paid"])),
        "ProjectionExpression": ctx.projection(["user_id", "address.city"]),
        **ctx.request_params(),
    }
    # KeyConditionExpression: "#n0 = :v0"
    # FilterExpression:       "#n1 IN (:v1, :v2)"
    # ProjectionExpression:   "#n0, #n2.#n3"

    ctx = ExpressionContext(model=codec.view)
    update = ctx.update([UpdateAttr("name").set("Bob"), UpdateAttr("tags").add({"x"})])
    # "SET #n0 = :v0 ADD #n1 :v1"

Paths: ``"a.b[0].c"`` is map key ``a``, then key ``b``, list index 0, then key ``c``
(see :func:`parse_path`). ``Attr`` / ``Key`` names are read the same way.

Built with a plain ``encode(path, value)`` callable instead (no model), values reach it so
(the path is a list of names and list indexes; the first is a top-level attribute):

- Comparisons, ``between``, ``is_in``, ``begins_with``, and update values: the path of the
  attribute the value is compared with or assigned to; each ``is_in`` member is encoded on its
  own with that path.
- ``contains(value)``: the attribute's path followed by :data:`ELEMENT` (``"*"``), e.g.
  ``["tags", "*"]``. For a set or list attribute the value is one element, so the encoder
  should use the element type; for a string attribute it is a substring, so the encoder should
  use the attribute's own (string) encoder.
- ``size()`` comparisons: the value is a length, not a stored value, so ``encode`` is not
  called; it must be a non-negative ``int`` and becomes ``{"N": "3"}``.
- ``attribute_type(t)``: ``t`` is one of DynamoDB's type tags (``"S"``, ``"N"``, ``"L"`` ...) and
  becomes ``{"S": t}`` without ``encode``.
- A value that is itself an ``Attr`` / ``Key`` (or ``Attr(...).size()``) is an operand, not a
  value: ``Attr("a").lt(Attr("b"))`` compiles to ``#n0 < #n1``.

Longer than 400 lines because the compiler of each expression kind shares one context's
placeholders and model checks; the grammar of paths and updates lives in its own modules.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Final

from aiodynamodb.errors import ArgumentError, ValidationError
from aiodynamodb.expressions._paths import (
    ELEMENT,
    ModelSchema,
    Raw,
    ValueEncoder,
    check_disjoint,
    parse_path,
)
from aiodynamodb.expressions._updates import UpdateAction
from aiodynamodb.item_types import AttributeValue
from aiodynamodb.limits import MAX_IN_OPERANDS

if TYPE_CHECKING:
    from boto3.dynamodb.conditions import ConditionBase

ATTRIBUTE_TYPES: Final = frozenset({"S", "SS", "N", "NS", "B", "BS", "BOOL", "NULL", "L", "M"})
"""The type tags ``attribute_type`` accepts."""


MAX_IN_VALUES: Final = MAX_IN_OPERANDS - 1
"""The most values one ``IN`` takes: DynamoDB counts the left-hand operand among its 100."""


_CONDITIONS: Final = "boto3.dynamodb.conditions"


def _boto3_conditions() -> Any:
    """boto3's condition module if the process has imported it, else ``None``.

    Importing boto3 costs ~50-100 ms (it brings s3transfer), more than the rest of
    ``import aiodynamodb`` beyond pydantic and aiobotocore; until something imports it, no
    ``Attr`` / ``Key`` object can exist, so every "is this a condition" check is simply false.
    """
    return sys.modules.get(_CONDITIONS)


EMPTY_UPDATE: Final = "an update needs at least one action, e.g. [UpdateAttr('name').set('Bob')]"


NOT_AN_ACTION: Final = (
    "update actions must be UpdateAction objects made with UpdateAttr(path).set(...) and the "
    "like; got {got!r} at position {position}"
)


NOT_AN_ACTION_LIST: Final = (
    "update_expression takes a list of actions such as [UpdateAttr('name').set('Bob')]; got {got!r}"
)


NOT_A_PATH_LIST: Final = "a projection is a list of attribute paths such as ['name']; got {got!r}"


SINGLE_ACTION: Final = "update() takes a list of actions; wrap a single one: [{action!r}]"


EMPTY_PROJECTION: Final = "a projection needs at least one attribute path"


NOT_A_CONDITION: Final = (
    "expected a condition built from boto3.dynamodb.conditions Attr/Key, e.g. Attr('x').eq(1); "
    "got {got!r}"
)


INCOMPLETE_SIZE: Final = (
    "Attr({name!r}).size() is not a condition on its own; compare it, e.g. "
    "Attr({name!r}).size().gt(0)"
)


BAD_SIZE_VALUE: Final = "size({name!r}) is compared with a length, a non-negative int; got {got!r}"


BAD_ATTRIBUTE_TYPE: Final = "attribute_type({name!r}, ...) takes one of {types}; got {got!r}"


BAD_IN_VALUES: Final = (
    "Attr({name!r}).is_in(...) takes a list of 1 to 99 values "
    "(DynamoDB's IN has at most 100 operands, the attribute included); got {got!r}"
)


BAD_KEY_CONDITION: Final = (
    "a key condition is Key(...) comparisons (=, <, <=, >, >=, BETWEEN, begins_with) joined "
    "with &; {reason}"
)


_NULL: Final[AttributeValue] = {"NULL": True}

_COMPARISONS: Final = frozenset({"=", "<>", "<", "<=", ">", ">="})


_KEY_OPERATORS: Final = frozenset({"=", "<", "<=", ">", ">=", "BETWEEN", "begins_with"})


_FUNCTIONS: Final = frozenset({"begins_with", "contains", "attribute_type"})


_UNARY_FUNCTIONS: Final = frozenset({"attribute_exists", "attribute_not_exists"})


class _Unchecked:
    """A path given as :class:`Raw`, or any path of a context without a model."""

    __slots__ = ("path",)

    def __init__(self, path: Sequence[str | int]) -> None:
        self.path = tuple(path)


class ExpressionContext:
    """The name and value placeholders of one request.

    Use one context per request and compile all of the request's expressions with it (a
    condition and an update share the placeholder maps), then merge :meth:`request_params`.

    Args:
        encode: Encodes a value for a document path (see the module docstring for the paths
            each operator passes).
        assign: Encodes a value an update action writes (defaults to ``encode``); the
            client passes a stricter encoder that refuses values the field cannot hold.
        model: The table model's view (``codec.view``). With it, every path is checked
            against the model (unknown names are refused unless wrapped in :class:`Raw`),
            update actions against the field's type, key conditions against the table's
            or index's key, and values go through the field's own converter.

    Attributes:
        names: ``"#n0" -> "user_id"``; one placeholder per distinct name.
        values: ``":v0" -> {"S": "u1"}``; one placeholder per value.
    """

    def __init__(
        self,
        encode: ValueEncoder | None = None,
        assign: ValueEncoder | None = None,
        *,
        model: ModelSchema | None = None,
    ) -> None:
        if encode is None and model is None:
            raise TypeError("ExpressionContext needs an encoder or a model view")
        self._model = model
        self._encode = encode
        self._assign = assign or encode
        self.names: dict[str, str] = {}
        self.values: dict[str, AttributeValue] = {}
        self._name_placeholders: dict[str, str] = {}
        self._keys = False

    # -- placeholders --------------------------------------------------------------------

    def _name(self, name: str) -> str:
        placeholder = self._name_placeholders.get(name)
        if placeholder is None:
            placeholder = f"#n{len(self._name_placeholders)}"
            self._name_placeholders[name] = placeholder
            self.names[placeholder] = name
        return placeholder

    def _value(self, value: AttributeValue) -> str:
        placeholder = f":v{len(self.values)}"
        self.values[placeholder] = value
        return placeholder

    def _path(self, path: Sequence[str | int]) -> str:
        text = ""
        for part in path:
            if isinstance(part, int):
                text += f"[{part}]"
            else:
                text += f".{self._name(part)}" if text else self._name(part)
        return text

    # -- public API ----------------------------------------------------------------------

    def condition(self, cond: ConditionBase) -> str:
        """Compile a condition (``ConditionExpression`` / ``FilterExpression``).

        Args:
            cond: A tree of ``Attr`` / ``Key`` conditions joined with ``&``, ``|`` and ``~``.

        Returns:
            The expression text; placeholders are added to :attr:`names` and :attr:`values`.

        Raises:
            TypeError: ``cond`` is not a condition, or a value has the wrong type.
            ValueError: An operand is invalid (bad path, empty ``is_in``, unknown type tag ...).
        """
        conditions = _boto3_conditions()
        if conditions is None or not isinstance(cond, conditions.ConditionBase):
            raise ArgumentError(NOT_A_CONDITION.format(got=cond))
        return self._compile(cond, parent=None)

    def key_condition(self, cond: ConditionBase, index: str | None = None) -> str:
        """Compile a ``KeyConditionExpression`` after checking DynamoDB's rules for one.

        Args:
            cond: ``Key`` comparisons joined with ``&`` (no ``|``, ``~`` or other functions).
            index: The index queried (with a model: its key is the one checked).

        Returns:
            The expression text, as :meth:`condition` returns it.

        Raises:
            TypeError: ``cond`` is not a condition.
            ValueError: ``cond`` is not a valid key condition.
        """
        conditions = _boto3_conditions()
        if conditions is None or not isinstance(cond, conditions.ConditionBase):
            raise ArgumentError(NOT_A_CONDITION.format(got=cond))
        pairs: list[tuple[str, str]] = []
        self._check_key_condition(cond, pairs)
        if self._model is not None:
            self._model.check_key_names(pairs, index)
            self._keys = True
            try:
                return self._compile(cond, parent=None)
            finally:
                self._keys = False
        return self._compile(cond, parent=None)

    def update(self, actions: Sequence[UpdateAction]) -> str:
        """Compile an ``UpdateExpression``: actions grouped as ``SET .. REMOVE .. ADD .. DELETE``.

        Args:
            actions: The actions, in the order they appear within each clause.

        Returns:
            The expression text.

        Raises:
            TypeError: ``actions`` is not a list of :class:`UpdateAction`.
            ValueError: No actions, or two actions change overlapping paths.
        """
        if isinstance(actions, UpdateAction):
            raise ArgumentError(SINGLE_ACTION.format(action=actions))
        if isinstance(actions, str | bytes) or not isinstance(actions, Sequence):
            raise ArgumentError(NOT_AN_ACTION_LIST.format(got=actions))
        if not actions:
            raise ValidationError(EMPTY_UPDATE)
        for position, action in enumerate(actions):
            if not isinstance(action, UpdateAction):
                raise ArgumentError(NOT_AN_ACTION.format(got=action, position=position))
        resolved = [self._update_target(action) for action in actions]
        check_disjoint([target.path for target in resolved], "update", "action")
        clauses: dict[str, list[str]] = {"SET": [], "REMOVE": [], "ADD": [], "DELETE": []}
        for action, target in zip(actions, resolved, strict=True):
            clause, text = self._action(action, target)
            clauses[clause].append(text)
        return " ".join(
            f"{clause} {', '.join(parts)}" for clause, parts in clauses.items() if parts
        )

    def projection(self, paths: Sequence[str]) -> str:
        """Compile a ``ProjectionExpression``.

        Args:
            paths: Document paths to read (see :func:`parse_path`).

        Returns:
            The expression text, e.g. ``"#n0, #n1.#n2"``.

        Raises:
            TypeError: ``paths`` is a single string rather than a list of paths.
            ValueError: No paths, a malformed path, or overlapping paths.
        """
        if isinstance(paths, str):
            raise ArgumentError(
                f"projection() takes a list of paths; wrap a single one: [{paths!r}]"
            )
        if not isinstance(paths, Sequence | set | frozenset):
            raise ArgumentError(NOT_A_PATH_LIST.format(got=paths))
        if not paths:
            raise ValidationError(EMPTY_PROJECTION)
        parsed = [self._resolve(path, "projection").path for path in paths]
        check_disjoint(parsed, "projection", "path")
        return ", ".join(self._path(path) for path in parsed)

    def request_params(self) -> dict[str, Any]:
        """The placeholder maps to merge into the request; empty maps are left out.

        Returns:
            ``ExpressionAttributeNames`` and/or ``ExpressionAttributeValues`` (copies).
        """
        params: dict[str, Any] = {}
        if self.names:
            params["ExpressionAttributeNames"] = dict(self.names)
        if self.values:
            params["ExpressionAttributeValues"] = dict(self.values)
        return params

    # -- updates -------------------------------------------------------------------------

    def _update_target(self, action: UpdateAction) -> Any:
        if self._model is None or action.outside:
            return _Unchecked(action.path)
        return self._model.update_target(action.kind, action.path)

    def _action(self, action: UpdateAction, target: Any) -> tuple[str, str]:
        """The clause an action goes to and its text there."""
        path = self._path(target.path)
        kind = action.kind
        if kind == "remove":
            return "REMOVE", path
        if self._model is not None and not isinstance(target, _Unchecked):
            encoded = self._model.assigned_value(target, kind, action.value)
        elif self._assign is not None:
            encoded = self._assign(target.path, action.value)
        else:
            assert self._model is not None  # one of the two is always given
            encoded = self._model.raw_value(action.value)
        if kind == "set" and encoded == _NULL and isinstance(target.path[-1], str):
            # One representation of None: put leaves None fields out, so set(None) removes
            # the attribute (or map key) instead of storing NULL, which exists() would see
            # and a sparse index would hold. A list element keeps NULL: REMOVE would shift
            # the elements after it.
            return "REMOVE", path
        value = self._value(encoded)
        if kind in ("add", "delete"):
            return action.clause, f"{path} {value}"
        if kind in ("append", "prepend") and action.create:
            # list_append fails on a missing list; if_not_exists makes it an empty one first.
            path = f"if_not_exists({path}, {self._value({'L': []})})"
        if kind == "set":
            return "SET", f"{path} = {value}"
        target_path = self._path(target.path)
        if kind == "append":
            return "SET", f"{target_path} = list_append({path}, {value})"
        if kind == "prepend":
            return "SET", f"{target_path} = list_append({value}, {path})"
        if kind == "if_not_exists":
            return "SET", f"{path} = if_not_exists({path}, {value})"
        sign = "+" if kind == "increment" else "-"
        return "SET", f"{path} = {path} {sign} {value}"

    # -- conditions ----------------------------------------------------------------------

    def _compile(self, cond: ConditionBase, parent: str | None) -> str:
        if isinstance(cond, _boto3_conditions().Size):
            raise ValidationError(INCOMPLETE_SIZE.format(name=cond.name))
        expression = cond.get_expression()
        operator: str = expression["operator"]
        operands: tuple[Any, ...] = expression["values"]
        if operator in ("AND", "OR"):
            left, right = (self._compile(child, operator) for child in operands)
            text = f"{left} {operator} {right}"
            # Same-operator chains need no parentheses; a mixed child keeps its own so the
            # expression reads as written rather than relying on AND-before-OR precedence.
            return text if parent in (None, operator) else f"({text})"
        if operator == "NOT":
            (child,) = operands
            inner = self._compile(child, "NOT")
            return f"NOT {inner}" if parent in (None, "AND", "OR") else f"(NOT {inner})"
        subject = operands[0]
        resolved = self._subject(subject)
        target = self._operand_text(subject, resolved)
        if operator in _COMPARISONS:
            return f"{target} {operator} {self._argument(subject, resolved, operands[1])}"
        if operator == "BETWEEN":
            low, high = (self._argument(subject, resolved, value) for value in operands[1:])
            return f"{target} BETWEEN {low} AND {high}"
        if operator == "IN":
            return f"{target} IN ({self._in_values(subject, resolved, operands[1])})"
        if operator in _UNARY_FUNCTIONS:
            return f"{operator}({target})"
        if operator == "attribute_type":
            return f"attribute_type({target}, {self._attribute_type(subject, operands[1])})"
        if operator == "contains":
            value = self._argument(subject, resolved, operands[1], how="element")
            return f"contains({target}, {value})"
        if operator == "begins_with":
            value = self._argument(subject, resolved, operands[1], how="prefix")
            return f"begins_with({target}, {value})"
        raise ValidationError(f"unsupported condition operator {operator!r} in {cond!r}")

    def _resolve(self, name: Any, use: str) -> Any:
        """Parse a path and, with a model, check it (a :class:`Raw` path is not checked)."""
        parts = parse_path(name)
        if self._model is None or isinstance(name, Raw):
            return _Unchecked(parts)
        return self._model.resolve(parts, use)

    def _subject(self, operand: Any) -> Any:
        conditions = _boto3_conditions()
        if conditions is not None and isinstance(
            operand, conditions.AttributeBase | conditions.Size
        ):
            return self._resolve(operand.name, "key condition" if self._keys else "condition")
        raise ArgumentError(
            f"expected Attr(...) or Key(...) on the left of a condition; got {operand!r}"
        )

    def _operand_text(self, operand: Any, resolved: Any) -> str:
        path = self._path(resolved.path)
        return f"size({path})" if isinstance(operand, _boto3_conditions().Size) else path

    def _argument(self, subject: Any, resolved: Any, value: Any, *, how: str = "compare") -> str:
        conditions = _boto3_conditions()
        if conditions is not None and isinstance(value, conditions.AttributeBase):
            return self._operand_text(value, self._subject(value))
        if conditions is not None and isinstance(subject, conditions.Size):
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ArgumentError(BAD_SIZE_VALUE.format(name=subject.name, got=value))
            return self._value({"N": str(value)})
        if self._model is not None and not isinstance(resolved, _Unchecked):
            if self._keys:
                return self._value(self._model.key_value(resolved.path[0], value))
            return self._value(self._model.condition_value(resolved, value, how))
        path: list[str | int] = list(resolved.path)
        if how == "element":
            path.append(ELEMENT)
        if self._encode is None:
            assert self._model is not None  # one of the two is always given
            return self._value(self._model.raw_value(value))
        return self._value(self._encode(path, value))

    def _in_values(self, subject: Any, resolved: Any, values: Any) -> str:
        if (
            isinstance(values, str | bytes)
            or not isinstance(values, Sequence | set | frozenset)
            or not 1 <= len(values) <= MAX_IN_VALUES
        ):
            raise ValidationError(BAD_IN_VALUES.format(name=subject.name, got=values))
        return ", ".join(self._argument(subject, resolved, value) for value in values)

    def _attribute_type(self, subject: Any, type_tag: Any) -> str:
        if type_tag not in ATTRIBUTE_TYPES:
            types = ", ".join(sorted(ATTRIBUTE_TYPES))
            raise ValidationError(
                BAD_ATTRIBUTE_TYPE.format(name=subject.name, types=types, got=type_tag)
            )
        return self._value({"S": type_tag})

    def _check_key_condition(self, cond: ConditionBase, pairs: list[tuple[str, str]]) -> None:
        conditions = _boto3_conditions()
        Key, Size = conditions.Key, conditions.Size
        expression = cond.get_expression()
        operator = expression["operator"]
        if operator == "AND":
            for child in expression["values"]:
                self._check_key_condition(child, pairs)
            return
        if operator not in _KEY_OPERATORS or isinstance(cond, Size):
            shown = "size()" if isinstance(cond, Size) else operator
            raise ValidationError(BAD_KEY_CONDITION.format(reason=f"{shown!r} is not allowed"))
        for operand in expression["values"]:
            if isinstance(operand, conditions.AttributeBase) and not isinstance(operand, Key):
                raise ValidationError(
                    BAD_KEY_CONDITION.format(
                        reason=f"use Key({operand.name!r}), not {type(operand).__name__}(...)"
                    )
                )
        subject = expression["values"][0]
        if isinstance(subject, Key):
            pairs.append((str(subject.name), operator))


__all__ = ["ATTRIBUTE_TYPES", "ExpressionContext"]
