"""``append``/``prepend`` take ``create=``; ``set(None)`` is an ordinary action."""

from __future__ import annotations

from typing import assert_type

from aiodynamodb import UpdateAttr
from aiodynamodb.expressions import UpdateAction

assert_type(UpdateAttr("history").append(["x"], create=True), UpdateAction)
assert_type(UpdateAttr("history").prepend(["x"], create=False), UpdateAction)
assert_type(UpdateAttr("email").set(None), UpdateAction)
