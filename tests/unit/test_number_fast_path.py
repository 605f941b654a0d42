"""``number_problem``'s fast path for plain decimals answers as the full parse does."""

from __future__ import annotations

import pytest

from aiodynamodb.rules._numbers import number_problem, parse_number

TEXTS = [
    "0", "-0", "7", "-7", "007", "10.5", "0010.500", "-0.000001", "9" * 38, "-" + "9" * 37,
    "0." + "0" * 36 + "1", "1" * 37 + ".5", "1" * 39, "0." + "1" * 39, "12345678901234567890",
]  # fmt: skip


@pytest.mark.parametrize("text", TEXTS)
@pytest.mark.parametrize("older", [False, True])
def test_fast_path_agrees_with_the_parse(text: str, older: bool) -> None:
    number = parse_number(text)
    assert number is not None
    assert number_problem(text, older) == number.problem()
