"""Document paths checked against a model: the names it declares and what each field can do.

An expression naming an attribute the model does not declare is almost always a typo
(``Attr("acctid")`` for ``account_id``): DynamoDB accepts it, the condition silently tests an
attribute that never exists, an update writes one the model never reads. :func:`resolve_path`
walks a parsed path through the model's fields (field names and aliases, nested models, list
items, map values) and refuses what the model cannot hold, naming the model and the closest
field. Where a type says nothing (``Any``, unions, custom serializers, ``extra="allow"``) the
rest of the path is not checked.

:func:`check_update_target` then refuses update actions that cannot apply to the field's type
(``ADD`` on a string, list operations on a set, ``REMOVE`` of a required field).
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final

from aiodynamodb.codec._converters import ANY, Converter
from aiodynamodb.codec._fields import FieldPlan, ModelFields
from aiodynamodb.errors import ValidationError

UNKNOWN_ATTRIBUTE: Final = (
    "{model} has no attribute {name!r} (in {use} path {path!r}){hint}; known attributes: "
    "{known}. To name an attribute outside the model on purpose, wrap it: "
    "Raw({path!r}) (from aiodynamodb import Raw)"
)
NOT_A_CONTAINER: Final = (
    "{model}.{prefix} is {label}, so the {use} path {path!r} cannot go into it "
    "({step!r} needs a {needs})"
)
REMOVE_REQUIRED: Final = (
    "{model}.{field} is a required field: REMOVE would leave an item the model cannot read "
    "back. Set it to a new value instead, or give the field a default or make it Optional"
)
WRONG_UPDATE_TYPE: Final = (
    "{model}: {action} cannot apply to {path!r}, which is {label}; {action} works on {works}"
)

_ACTION_NAMES: Final = {
    "add": ("ADD", "numbers and sets"),
    "delete": ("DELETE", "sets"),
    "append": ("append", "lists"),
    "prepend": ("prepend", "lists"),
    "increment": ("increment", "numbers"),
    "decrement": ("decrement", "numbers"),
}


@dataclass(frozen=True, slots=True)
class ResolvedPath:
    """A path checked against a model.

    Attributes:
        path: The path with field names replaced by attribute names (aliases).
        converter: The converter at the path, or None where the model says nothing.
        field: The field the last step names, when it names a field of a (nested) model.
        owner: The name of the model class declaring ``field``.
    """

    path: tuple[str | int, ...]
    converter: Converter | None
    field: FieldPlan | None = None
    owner: str = ""


def _text(path: Sequence[str | int]) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else f".{part}" if out else part
    return out


def _plan_for(fields: ModelFields, name: str) -> FieldPlan | None:
    plan = fields.by_attr.get(name)
    if plan is not None:
        return plan
    for candidate in fields.fields:  # a field name whose attribute is its alias
        if candidate.name == name:
            return candidate
    return None


def _unknown(
    fields: ModelFields, name: str, path: Sequence[str | int], use: str
) -> ValidationError:
    known = sorted({plan.attr for plan in fields.fields} | fields.known)
    names = known + [plan.name for plan in fields.fields if plan.name != plan.attr]
    close = difflib.get_close_matches(name, names, n=1, cutoff=0.6)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    return ValidationError(
        UNKNOWN_ATTRIBUTE.format(
            model=fields.name,
            name=name,
            use=use,
            path=_text(path),
            hint=hint,
            known=", ".join(known) or "(none)",
        )
    )


def resolve_path(fields: ModelFields, path: Sequence[str | int], use: str) -> ResolvedPath:
    """Check ``path`` against the model whose field plan is ``fields``.

    Args:
        fields: The table model's field plan.
        path: The parsed path (names and list indexes).
        use: What the path is for, for messages (``"condition"``, ``"update"`` ...).

    Returns:
        The path with attribute names, and what the model knows about it.

    Raises:
        ValidationError: A name the model does not declare, or a step the field's type
            cannot take (a key into a scalar, an index into a map), naming the model.
    """
    out: list[str | int] = []
    model_fields: ModelFields | None = fields
    converter: Converter | None = None
    plan: FieldPlan | None = None
    owner = ""
    for position, step in enumerate(path):
        if model_fields is not None:
            if not isinstance(step, str):
                raise ValidationError(
                    NOT_A_CONTAINER.format(
                        model=fields.name,
                        prefix=_text(out) or model_fields.name,
                        label=f"a {model_fields.name} model" if out else "a model",
                        use=use,
                        path=_text(path),
                        step=step,
                        needs="list",
                    )
                )
            plan = _plan_for(model_fields, step)
            if plan is None:
                if model_fields.extra or step in model_fields.known:  # extra or computed
                    return ResolvedPath((*out, *path[position:]), None)
                raise _unknown(model_fields, step, path, use)
            owner = model_fields.name
            out.append(plan.attr)
            converter = ANY if plan.custom else plan.converter
        else:
            assert converter is not None
            plan = None
            base = converter.base or converter
            if base.mixed:
                return ResolvedPath((*out, *path[position:]), None)
            child = base.child(step)
            if child is None:
                raise ValidationError(
                    NOT_A_CONTAINER.format(
                        model=fields.name,
                        prefix=_text(out),
                        label=base.label,
                        use=use,
                        path=_text(path),
                        step=step,
                        needs="list" if isinstance(step, int) else "map or model",
                    )
                )
            out.append(step)
            converter = child
        base = converter.base or converter
        if base.mixed:
            return ResolvedPath((*out, *path[position + 1 :]), None, plan, owner)
        model_fields = base.model_fields if base.kind == "model" else None
    return ResolvedPath(tuple(out), converter, plan, owner)


def check_update_target(model: str, kind: str, resolved: ResolvedPath) -> None:
    """Refuse an update action the field's type cannot take.

    Args:
        model: The table model's name.
        kind: The action's kind (``"remove"``, ``"add"`` ...).
        resolved: The action's path, resolved.

    Raises:
        ValidationError: ``REMOVE`` of a required field; ``ADD``/``DELETE``/list and number
            operations on a field of another type.
    """
    if kind == "remove":
        plan = resolved.field
        if plan is not None and plan.info.is_required():
            raise ValidationError(
                REMOVE_REQUIRED.format(model=resolved.owner or model, field=plan.name)
            )
        return
    converter = resolved.converter
    names = _ACTION_NAMES.get(kind)
    if converter is None or names is None:
        return
    base = converter.base or converter
    number = base.scalar == "N" and not base.is_set
    fits = {
        "add": number or base.is_set,
        "delete": base.is_set,
        "append": base.kind in ("list", "tuple"),
        "prepend": base.kind in ("list", "tuple"),
        "increment": number,
        "decrement": number,
    }[kind]
    if not fits:
        action, works = names
        raise ValidationError(
            WRONG_UPDATE_TYPE.format(
                model=model,
                action=action,
                path=_text(resolved.path),
                label=converter.label,
                works=works,
            )
        )


def element_converter(converter: Converter | None) -> Converter | None:
    """The converter of one element of ``converter``'s values (for ``contains``)."""
    if converter is None:
        return None
    base = converter.base or converter
    if base.mixed:
        return None
    if base.is_set or base.kind in ("list", "tuple"):
        return base.inner
    if base.scalar in ("S", "B"):
        return base  # contains on a string is a substring test
    return None


def fits(converter: Converter, value: Any) -> bool:
    """Whether ``value`` is a value of ``converter``'s type, contents included.

    ``accepts`` looks at the container only (``set[str]`` accepts ``{1, 2}``); values
    written by updates and compared in conditions come from users, so their members are
    checked too.
    """
    if not converter.accepts(value):
        return False
    if value is None:
        return True
    base = converter.base or converter
    inner = base.inner
    if inner is None or base.mixed:
        return True
    if base.is_set or base.kind in ("list", "tuple"):
        return all(fits(inner, member) for member in value)
    if base.kind == "map":
        return all(isinstance(k, str) for k in value) and all(
            fits(inner, member) for member in value.values()
        )
    return True


__all__ = [
    "ResolvedPath",
    "check_update_target",
    "element_converter",
    "fits",
    "resolve_path",
]
