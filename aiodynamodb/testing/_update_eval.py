"""UpdateItem's update expression applied to an item, as DynamoDB applies it (pure: no I/O).

moto applies update expressions with several differences from DynamoDB (issue 19): a path
through a scalar or a list is silently ignored, ``SET a[i]`` past the end is applied in
expression order, list indexes shift between the actions of one update, arithmetic fails
on exponent notation, an update that only removes creates a missing item. The strict layer
(:mod:`aiodynamodb.testing._fidelity_update`) evaluates updates here instead and writes the
result.

DynamoDB's rules implemented here (the UpdateExpression page of the developer guide; ScyllaDB
Alternator's ``test_update_expression.py``, ``test_returnvalues.py``, ``test_number.py`` and
dynalite's ``test/updateItem.js``, both run against DynamoDB):

- every operand is read from the item as it was before the update;
- list indexes (in SET and REMOVE) refer to positions before the update; elements set past
  the end are appended in the order of their indexes;
- a path whose parent is missing, or goes through a scalar, a list by name or a map by index,
  is invalid for update, except for REMOVE when the whole item is missing, a missing member
  of an existing map, or an index past the end of a list (no-ops);
- ``+``, ``-`` and ``ADD`` compute exactly, and refuse results outside DynamoDB's range or
  with more than 38 significant digits;
- an update that only removes or deletes does not create a missing item.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from decimal import Context, Decimal
from typing import Any

from aiodynamodb.rules import (
    Call,
    Operand,
    Path,
    Value,
    canonical_number,
    parse_number,
    parse_update,
)
from aiodynamodb.rules import messages as msg

__all__ = ["UpdateProblem", "UpdateResult", "apply_update", "project"]

INVALID_PATH = "The document path provided in the update expression is invalid for update"
MISSING_OPERAND = "The provided expression refers to an attribute that does not exist in the item"
WRONG_OPERAND_TYPE = "An operand in the update expression has an incorrect data type"

_EXACT = Context(prec=400)  # wide enough for any sum of two numbers in DynamoDB's range
_SETS = frozenset({"SS", "NS", "BS"})

Item = dict[str, Any]
ResolvedPath = list[str | int]


class UpdateProblem(Exception):
    """An update DynamoDB refuses once it sees the item (ValidationException)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class UpdateResult:
    """What an update made of an item.

    Attributes:
        item: The item after the update; None when there is no item (a missing item that
            the update did not create).
        paths: Each action's resolved path, in expression order (for UPDATED_OLD/NEW).
    """

    def __init__(self, item: Item | None, paths: list[ResolvedPath]) -> None:
        self.item = item
        self.paths = paths


class _Slots:
    """A list under update: original positions stay addressable until the update ends."""

    __slots__ = ("appended", "members", "removed")

    def __init__(self, members: list[Any]) -> None:
        self.members = members
        self.removed: set[int] = set()
        self.appended: dict[int, Any] = {}

    def get(self, index: int) -> Any:
        if index < len(self.members) and index not in self.removed:
            return self.members[index]
        return None


def _thaw(value: Any) -> Any:
    """An AttributeValue whose lists became :class:`_Slots` (maps stay dicts)."""
    if isinstance(value, Mapping) and len(value) == 1:
        if "L" in value and isinstance(value["L"], list):
            return {"L": _Slots([_thaw(member) for member in value["L"]])}
        if "M" in value and isinstance(value["M"], Mapping):
            return {"M": {name: _thaw(member) for name, member in value["M"].items()}}
    return value


def _freeze(value: Any) -> Any:
    if isinstance(value, Mapping) and len(value) == 1:
        members = value.get("L")
        if isinstance(members, _Slots):
            kept = [
                _freeze(member)
                for index, member in enumerate(members.members)
                if index not in members.removed
            ]
            kept.extend(_freeze(members.appended[i]) for i in sorted(members.appended))
            return {"L": kept}
        if isinstance(value.get("M"), Mapping):
            return {"M": {name: _freeze(member) for name, member in value["M"].items()}}
        if "N" in value and isinstance(value["N"], str):
            return {"N": canonical_number(value["N"])}
        if "NS" in value and isinstance(value["NS"], list):
            return {"NS": [canonical_number(member) for member in value["NS"]]}
    return value


def _resolve(path: Path, names: Mapping[str, str]) -> ResolvedPath:
    resolved: ResolvedPath = []
    for kind, element in path.elements:
        if kind == "ph":
            resolved.append(names[str(element)])
        else:
            resolved.append(element)
    return resolved


def _tag(value: Any) -> str | None:
    if isinstance(value, Mapping) and len(value) == 1:
        return str(next(iter(value)))
    return None


# -- Reading the item as it was -------------------------------------------------------------


def _lookup(item: Mapping[str, Any] | None, path: ResolvedPath) -> Any:
    """The value at ``path`` in a plain item, or None when absent."""
    if item is None:
        return None
    head = path[0]
    return value_at(item.get(head) if isinstance(head, str) else None, path[1:])


def value_at(value: Any, rest: Sequence[str | int]) -> Any:
    """The member of an attribute value at ``rest`` (map keys, list indexes), or None."""
    for element in rest:
        if isinstance(element, int):
            members = value.get("L") if isinstance(value, Mapping) else None
            if not isinstance(members, list) or element >= len(members):
                return None
            value = members[element]
        else:
            members = value.get("M") if isinstance(value, Mapping) else None
            if not isinstance(members, Mapping) or element not in members:
                return None
            value = members[element]
    return value


def _number(value: Any) -> Decimal:
    text = value.get("N") if isinstance(value, Mapping) else None
    if not isinstance(text, str) or parse_number(text) is None:
        raise UpdateProblem(WRONG_OPERAND_TYPE)
    return Decimal(text)


def number_text(result: Decimal) -> str:
    """DynamoDB's text for an arithmetic result, or the problem DynamoDB reports."""
    number = parse_number(str(result))
    assert number is not None  # a finite Decimal always parses
    problem = number.problem()
    if problem == msg.NUMBER_TOO_PRECISE:
        # DynamoDB words a result it cannot hold in 38 digits as an overflow (Alternator's
        # test_update_expression_plus_imprecise, run against DynamoDB).
        problem = msg.NUMBER_OVERFLOW
    if problem is not None:
        raise UpdateProblem(problem)
    return number.canonical()


def _arithmetic(name: str, left: Any, right: Any) -> Any:
    a, b = _number(left), _number(right)
    result = _EXACT.add(a, b) if name == "+" else _EXACT.subtract(a, b)
    return {"N": number_text(result)}


class _Operands:
    def __init__(self, old: Mapping[str, Any] | None, names: Mapping[str, str], values: Any):
        self.old = old
        self.names = names
        self.values: Mapping[str, Any] = values or {}

    def evaluate(self, operand: Operand) -> Any:
        if isinstance(operand, Value):
            return copy.deepcopy(self.values[operand.name])
        if isinstance(operand, Path):
            found = _lookup(self.old, _resolve(operand, self.names))
            if found is None:
                raise UpdateProblem(MISSING_OPERAND)
            return copy.deepcopy(found)
        assert isinstance(operand, Call)
        if operand.name == "if_not_exists":
            first = operand.args[0]
            if isinstance(first, Path):
                found = _lookup(self.old, _resolve(first, self.names))
                if found is not None:
                    return copy.deepcopy(found)
            return self.evaluate(operand.args[1])
        left, right = (self.evaluate(arg) for arg in operand.args)
        if operand.name == "list_append":
            if _tag(left) != "L" or _tag(right) != "L":
                raise UpdateProblem(WRONG_OPERAND_TYPE)
            return {"L": [*left["L"], *right["L"]]}
        return _arithmetic(operand.name, left, right)


# -- Writing the item -------------------------------------------------------------------------


def _container(item: Item, path: ResolvedPath) -> Any:
    """The map (dict), list (:class:`_Slots`) or item holding the last element of ``path``."""
    node: Any = item
    for position, element in enumerate(path[:-1]):
        value = node.get(element)  # a dict (the item, a map) or _Slots (a list)
        if position == 0 and not isinstance(element, str):
            raise UpdateProblem(INVALID_PATH)
        if value is None:
            raise UpdateProblem(INVALID_PATH)
        following = path[position + 1]
        if isinstance(following, int):
            node = value.get("L") if isinstance(value, Mapping) else None
            if not isinstance(node, _Slots):
                raise UpdateProblem(INVALID_PATH)
        else:
            node = value.get("M") if isinstance(value, Mapping) else None
            if not isinstance(node, dict):
                raise UpdateProblem(INVALID_PATH)
    return node


def _get(node: Any, key: str | int) -> Any:
    if isinstance(node, _Slots):
        assert isinstance(key, int)
        return node.get(key)
    return node.get(key)


def _put(node: Any, key: str | int, value: Any) -> None:
    if isinstance(node, _Slots):
        assert isinstance(key, int)
        if key < len(node.members):
            node.members[key] = value
            node.removed.discard(key)
        else:
            node.appended[key] = value
    else:
        node[key] = value


def _remove(node: Any, key: str | int) -> None:
    if isinstance(node, _Slots):
        assert isinstance(key, int)
        if key < len(node.members):
            node.removed.add(key)
    else:
        node.pop(key, None)


def _add(current: Any, value: Any) -> Any:
    if current is None:
        return value
    kind = _tag(value)
    if kind == "N":
        if _tag(current) != "N":
            raise UpdateProblem(WRONG_OPERAND_TYPE)
        return _arithmetic("+", current, value)
    if kind not in _SETS or _tag(current) != kind:
        raise UpdateProblem(WRONG_OPERAND_TYPE)
    members = list(current[kind])
    seen = {_member_key(kind, m) for m in members}
    for member in value[kind]:
        if _member_key(kind, member) not in seen:
            members.append(member)
            seen.add(_member_key(kind, member))
    return {kind: members}


def _delete(current: Any, value: Any) -> Any:
    kind = _tag(value)
    if kind not in _SETS or _tag(current) != kind:
        raise UpdateProblem(WRONG_OPERAND_TYPE)
    gone = {_member_key(kind, m) for m in value[kind]}
    members = [m for m in current[kind] if _member_key(kind, m) not in gone]
    return {kind: members} if members else None


def _member_key(kind: str, member: Any) -> Any:
    if kind == "NS" and isinstance(member, str):
        number = parse_number(member)
        return number.key() if number is not None else member
    return member


def apply_update(
    old: Mapping[str, Any] | None,
    key: Mapping[str, Any],
    expression: str | None,
    names: Mapping[str, str] | None,
    values: Mapping[str, Any] | None,
) -> UpdateResult:
    """Apply an update expression (already checked by the request rules) to an item.

    Args:
        old: The item before the update (its JSON AttributeValues), None when missing.
        key: The request's ``Key``.
        expression: The ``UpdateExpression``; None for an update without one, which
            creates the item with only its key.
        names: ``ExpressionAttributeNames``.
        values: ``ExpressionAttributeValues``.

    Raises:
        UpdateProblem: DynamoDB refuses the update for this item.
    """
    if expression is None:
        base = dict(old) if old is not None else dict(key)
        return UpdateResult(_freeze_item(base), [])
    parsed = parse_update(expression)
    names = names or {}
    operands = _Operands(old, names, values)
    planned: list[tuple[str, ResolvedPath, Any]] = []
    for action in parsed.actions:
        path = _resolve(action.path, names)
        value = None if action.value is None else operands.evaluate(action.value)
        planned.append((action.section, path, value))
    creates = any(section in ("SET", "ADD") for section, _path, _value in planned)
    paths = [path for _section, path, _value in planned]
    if old is None and not creates:
        return UpdateResult(None, paths)
    item: Item = {name: _thaw(value) for name, value in (old or key).items()}
    for section, path, value in planned:
        if section == "REMOVE" and old is None:
            continue  # nothing to remove from an item that did not exist
        node = _container(item, path)
        last = path[-1]
        if isinstance(node, _Slots) != isinstance(last, int):
            raise UpdateProblem(INVALID_PATH)
        if section == "SET":
            _put(node, last, _thaw(value))
        elif section == "REMOVE":
            _remove(node, last)
        elif section == "ADD":
            _put(node, last, _add(_get(node, last), value))
        else:
            current = _get(node, last)
            if current is None:
                continue
            remaining = _delete(current, value)
            if remaining is None:
                _remove(node, last)
            else:
                _put(node, last, remaining)
    return UpdateResult(_freeze_item(item), paths)


def _freeze_item(item: Mapping[str, Any]) -> Item:
    return {name: _freeze(value) for name, value in item.items()}


# -- Projections for ReturnValues -------------------------------------------------------------


def project(item: Mapping[str, Any] | None, paths: list[ResolvedPath]) -> Item:
    """The parts of ``item`` at ``paths`` (UPDATED_OLD/UPDATED_NEW), nested as in the item.

    A path that is absent from the item contributes nothing; list elements keep their
    relative order (Alternator's ``test_update_item_returnvalues_nested``).
    """
    result: dict[str, Any] = {}
    if item is None:
        return result
    for path in paths:
        if _lookup(item, path) is None:
            continue
        head = path[0]
        assert isinstance(head, str)
        result[head] = _merge(result.get(head), item[head], path[1:])
    return {name: _finish(value) for name, value in result.items()}


def _merge(into: Any, value: Any, rest: ResolvedPath) -> Any:
    if not rest:
        return value
    element, tail = rest[0], rest[1:]
    if isinstance(element, int):
        partial = into if isinstance(into, dict) and "_list" in into else {"_list": {}}
        partial["_list"][element] = _merge(partial["_list"].get(element), value["L"][element], tail)
        return partial
    partial = into if isinstance(into, dict) and "_map" in into else {"_map": {}}
    partial["_map"][element] = _merge(partial["_map"].get(element), value["M"][element], tail)
    return partial


def _finish(partial: Any) -> Any:
    if isinstance(partial, dict) and "_list" in partial:
        return {"L": [_finish(partial["_list"][i]) for i in sorted(partial["_list"])]}
    if isinstance(partial, dict) and "_map" in partial:
        return {"M": {k: _finish(v) for k, v in partial["_map"].items()}}
    return partial
