"""DynamoDB expressions: conditions, key conditions, updates and projections.

One :class:`ExpressionContext` holds the placeholders of one request. Every attribute name goes
through a ``#n`` placeholder (so reserved words such as ``status`` and nested paths just work) and
every value through a ``:v`` placeholder, encoded by the ``encode`` callable the context was built
with (the model codec's ``encode_path_value``, so a value is stored the way its field stores it)::

    from boto3.dynamodb.conditions import Attr, Key

    ctx = ExpressionContext(codec.encode_path_value)
    params = {
        "KeyConditionExpression": ctx.key_condition(Key("user_id").eq("u1")),
        "FilterExpression": ctx.condition(Attr("status").is_in(["new", "paid"])),
        "ProjectionExpression": ctx.projection(["user_id", "address.city"]),
        **ctx.request_params(),
    }
    # KeyConditionExpression: "#n0 = :v0"
    # FilterExpression:       "#n1 IN (:v1, :v2)"
    # ProjectionExpression:   "#n0, #n2.#n3"

    ctx = ExpressionContext(codec.encode_path_value)
    update = ctx.update([UpdateAttr("name").set("Bob"), UpdateAttr("tags").add({"x"})])
    # "SET #n0 = :v0 ADD #n1 :v1"

Paths: ``"a.b[0].c"`` is map key ``a``, then key ``b``, list index 0, then key ``c``
(see :func:`parse_path`). ``Attr`` / ``Key`` names are read the same way.

How values reach ``encode(path, value)`` (the path is a list of names and list indexes whose
first element is a top-level attribute name):

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
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final

from boto3.dynamodb.conditions import AttributeBase, ConditionBase, Key, Size

from aiodynamodb.errors import ValidationError
from aiodynamodb.expressions._paths import (
    ELEMENT,
    ValueEncoder,
    check_disjoint,
    parse_path,
)
from aiodynamodb.expressions._updates import UpdateAction
from aiodynamodb.item_types import AttributeValue
from aiodynamodb.limits import MAX_IN_OPERANDS

ATTRIBUTE_TYPES: Final = frozenset({"S", "SS", "N", "NS", "B", "BS", "BOOL", "NULL", "L", "M"})
"""The type tags ``attribute_type`` accepts."""


MAX_IN_VALUES: Final = MAX_IN_OPERANDS
"""DynamoDB's limit on the operands of one ``IN`` (kept under this name for callers)."""


EMPTY_UPDATE: Final = "an update needs at least one action, e.g. [UpdateAttr('name').set('Bob')]"


NOT_AN_ACTION: Final = (
    "update actions must be UpdateAction objects made with UpdateAttr(path).set(...) and the "
    "like; got {got!r} at position {position}"
)


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
    "Attr({name!r}).is_in(...) takes a list of 1 to 100 values (DynamoDB's limit); got {got!r}"
)


BAD_KEY_CONDITION: Final = (
    "a key condition is Key(...) comparisons (=, <, <=, >, >=, BETWEEN, begins_with) joined "
    "with &; {reason}"
)


_COMPARISONS: Final = frozenset({"=", "<>", "<", "<=", ">", ">="})


_KEY_OPERATORS: Final = frozenset({"=", "<", "<=", ">", ">=", "BETWEEN", "begins_with"})


_FUNCTIONS: Final = frozenset({"begins_with", "contains", "attribute_type"})


_UNARY_FUNCTIONS: Final = frozenset({"attribute_exists", "attribute_not_exists"})


class ExpressionContext:
    """The name and value placeholders of one request.

    Use one context per request and compile all of the request's expressions with it (a
    condition and an update share the placeholder maps), then merge :meth:`request_params`.

    Args:
        encode: Encodes a value for a document path (see the module docstring for the paths
            each operator passes).
        assign: Encodes a value an update action writes (defaults to ``encode``); the
            client passes a stricter encoder that refuses values the field cannot hold.

    Attributes:
        names: ``"#n0" -> "user_id"``; one placeholder per distinct name.
        values: ``":v0" -> {"S": "u1"}``; one placeholder per value.
    """

    def __init__(self, encode: ValueEncoder, assign: ValueEncoder | None = None) -> None:
        self._encode = encode
        self._assign = assign or encode
        self.names: dict[str, str] = {}
        self.values: dict[str, AttributeValue] = {}
        self._name_placeholders: dict[str, str] = {}

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
        if not isinstance(cond, ConditionBase):
            raise TypeError(NOT_A_CONDITION.format(got=cond))
        return self._compile(cond, parent=None)

    def key_condition(self, cond: ConditionBase) -> str:
        """Compile a ``KeyConditionExpression`` after checking DynamoDB's rules for one.

        Args:
            cond: ``Key`` comparisons joined with ``&`` (no ``|``, ``~`` or other functions).

        Returns:
            The expression text, as :meth:`condition` returns it.

        Raises:
            TypeError: ``cond`` is not a condition.
            ValueError: ``cond`` is not a valid key condition.
        """
        if not isinstance(cond, ConditionBase):
            raise TypeError(NOT_A_CONDITION.format(got=cond))
        self._check_key_condition(cond)
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
            raise TypeError(SINGLE_ACTION.format(action=actions))
        if not actions:
            raise ValidationError(EMPTY_UPDATE)
        for position, action in enumerate(actions):
            if not isinstance(action, UpdateAction):
                raise TypeError(NOT_AN_ACTION.format(got=action, position=position))
        check_disjoint([action.path for action in actions], "update", "action")
        clauses: dict[str, list[str]] = {"SET": [], "REMOVE": [], "ADD": [], "DELETE": []}
        for action in actions:
            clauses[action.clause].append(self._action(action))
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
            raise TypeError(f"projection() takes a list of paths; wrap a single one: [{paths!r}]")
        if not paths:
            raise ValidationError(EMPTY_PROJECTION)
        parsed = [tuple(parse_path(path)) for path in paths]
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

    def _action(self, action: UpdateAction) -> str:
        path = self._path(action.path)
        kind = action.kind
        if kind == "remove":
            return path
        value = self._value(self._assign(action.path, action.value))
        if kind in ("add", "delete"):
            return f"{path} {value}"
        if kind == "set":
            return f"{path} = {value}"
        if kind == "append":
            return f"{path} = list_append({path}, {value})"
        if kind == "prepend":
            return f"{path} = list_append({value}, {path})"
        if kind == "if_not_exists":
            return f"{path} = if_not_exists({path}, {value})"
        sign = "+" if kind == "increment" else "-"
        return f"{path} = {path} {sign} {value}"

    # -- conditions ----------------------------------------------------------------------

    def _compile(self, cond: ConditionBase, parent: str | None) -> str:
        if isinstance(cond, Size):
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
        target = self._operand(subject)
        if operator in _COMPARISONS:
            return f"{target} {operator} {self._argument(subject, operands[1])}"
        if operator == "BETWEEN":
            low, high = (self._argument(subject, value) for value in operands[1:])
            return f"{target} BETWEEN {low} AND {high}"
        if operator == "IN":
            return f"{target} IN ({self._in_values(subject, operands[1])})"
        if operator in _UNARY_FUNCTIONS:
            return f"{operator}({target})"
        if operator == "attribute_type":
            return f"attribute_type({target}, {self._attribute_type(subject, operands[1])})"
        if operator == "contains":
            return f"contains({target}, {self._argument(subject, operands[1], element=True)})"
        if operator == "begins_with":
            return f"begins_with({target}, {self._argument(subject, operands[1])})"
        raise ValidationError(f"unsupported condition operator {operator!r} in {cond!r}")

    def _operand(self, operand: Any) -> str:
        if isinstance(operand, Size):
            return f"size({self._path(parse_path(operand.name))})"
        if isinstance(operand, AttributeBase):
            return self._path(parse_path(operand.name))
        raise TypeError(
            f"expected Attr(...) or Key(...) on the left of a condition; got {operand!r}"
        )

    def _argument(self, subject: Any, value: Any, *, element: bool = False) -> str:
        if isinstance(value, AttributeBase):
            return self._operand(value)
        if isinstance(subject, Size):
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise TypeError(BAD_SIZE_VALUE.format(name=subject.name, got=value))
            return self._value({"N": str(value)})
        path: list[str | int] = parse_path(subject.name)
        if element:
            path.append(ELEMENT)
        return self._value(self._encode(path, value))

    def _in_values(self, subject: Any, values: Any) -> str:
        if (
            isinstance(values, str | bytes)
            or not isinstance(values, Sequence | set | frozenset)
            or not 1 <= len(values) <= MAX_IN_VALUES
        ):
            raise ValidationError(BAD_IN_VALUES.format(name=subject.name, got=values))
        return ", ".join(self._argument(subject, value) for value in values)

    def _attribute_type(self, subject: Any, type_tag: Any) -> str:
        if type_tag not in ATTRIBUTE_TYPES:
            types = ", ".join(sorted(ATTRIBUTE_TYPES))
            raise ValidationError(
                BAD_ATTRIBUTE_TYPE.format(name=subject.name, types=types, got=type_tag)
            )
        return self._value({"S": type_tag})

    def _check_key_condition(self, cond: ConditionBase) -> None:
        expression = cond.get_expression()
        operator = expression["operator"]
        if operator == "AND":
            for child in expression["values"]:
                self._check_key_condition(child)
            return
        if operator not in _KEY_OPERATORS or isinstance(cond, Size):
            shown = "size()" if isinstance(cond, Size) else operator
            raise ValidationError(BAD_KEY_CONDITION.format(reason=f"{shown!r} is not allowed"))
        for operand in expression["values"]:
            if isinstance(operand, AttributeBase) and not isinstance(operand, Key):
                raise ValidationError(
                    BAD_KEY_CONDITION.format(
                        reason=f"use Key({operand.name!r}), not {type(operand).__name__}(...)"
                    )
                )


__all__ = ["ATTRIBUTE_TYPES", "ExpressionContext"]
