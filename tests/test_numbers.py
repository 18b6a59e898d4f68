"""What a number is (backcoach/numbers.py): the one rule every path reads numbers by."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backcoach import numbers
from backcoach.numbers import NumberRefused

NAN, INF = float("nan"), float("inf")


@pytest.mark.parametrize(
    ("value", "words"),
    [
        (True, "must be a whole number from 0 to 10, not true"),
        (False, "not false"),
        (NAN, "must be a finite number, not NaN"),
        (INF, "must be a finite number, not infinity"),
        (-INF, "not -infinity"),
        (7.5, "not 7.5"),
        ("7", "not '7'"),
        ("\u0663", "must be written with the digits 0-9, not '\u0663'"),
        (11, "must be a whole number from 0 to 10, not 11"),
        (-1, "not -1"),
        (None, "not null"),
        ([3], "not a list"),
    ],
)
def test_a_whole_number_refuses_what_is_not_one_and_says_why(value, words):
    with pytest.raises(NumberRefused, match=words.replace("(", r"\(")):
        numbers.whole(value, minimum=0, maximum=10)


def test_a_whole_number_may_come_as_a_float_with_no_fraction():
    assert numbers.whole(7.0, minimum=0, maximum=10) == 7
    assert type(numbers.whole(7.0)) is int


@pytest.mark.parametrize("value", [True, NAN, INF, -INF, "12.5", "\u0663", 10**400, None])
def test_a_measurement_refuses_what_is_not_a_finite_number(value):
    with pytest.raises(NumberRefused):
        numbers.decimal(value, minimum=0, maximum=100)


@pytest.mark.parametrize(
    "text", ["nan", "NaN", "inf", "-Infinity", "1e2", "0x10", "1_000", "\u0663", "٣.٥", "", "1.2.3"]
)
def test_text_that_python_might_read_as_a_number_is_no_number_here(text):
    with pytest.raises(NumberRefused):
        numbers.decimal_from_text(text)
    with pytest.raises(NumberRefused):
        numbers.whole_from_text(text)


def test_digits_beyond_a_float_are_refused_not_infinite():
    with pytest.raises(NumberRefused, match="finite"):
        numbers.decimal_from_text("9" * 400)


@given(st.integers(min_value=-(10**12), max_value=10**12))
def test_every_whole_number_written_with_0_to_9_reads_back(number):
    assert numbers.whole_from_text(f" {number} ") == number
    assert numbers.whole(number) == number


@given(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e6, max_value=1e6))
def test_every_finite_number_written_plainly_reads_back(number):
    assert numbers.decimal_from_text(f"{number:.6f}") == pytest.approx(number, abs=1e-6)
    assert numbers.decimal(number) == number


@given(st.text(min_size=1, max_size=6))
def test_text_with_a_digit_other_than_0_to_9_is_never_a_number(text):
    if not any(c.isdigit() and not c.isascii() for c in text):
        return
    for read in (numbers.whole_from_text, numbers.decimal_from_text):
        with pytest.raises(NumberRefused):
            read(text)


def test_non_finite_values_are_found_inside_json_values():
    assert numbers.non_finite_in({"a": [1, {"b": NAN}]}) == "a[1].b"
    assert numbers.non_finite_in([INF]) == "[0]"
    assert numbers.non_finite_in({"a": [1, 2.5, "nan", None, True]}) is None
    assert numbers.finite_or_none(NAN) is None
    assert numbers.finite_or_none(2.5) == 2.5
