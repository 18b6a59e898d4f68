"""Every number field of every form reads numbers by backcoach's one rule
(backcoach/numbers.py): Django's own IntegerField and FloatField take "٣" (an Arabic-Indic
three) as 3 through Python's int() and float(), and FloatField takes "nan", "inf" and
"1e2"."""

import pytest
from django import forms

from backcoach.number_fields import DecimalNumberField, WholeNumberField
from tests.test_form_text import build, form_classes

NUMBER_FIELDS = (forms.IntegerField, forms.FloatField, forms.DecimalField)
NOT_NUMBERS = ["\u0663", "\u0661\u0662", "nan", "NaN", "inf", "-Infinity", "1e2", "true", " "]


def number_fields(cls, person) -> dict[str, forms.Field]:
    form = build(cls, person, {})
    return {name: f for name, f in form.fields.items() if isinstance(f, NUMBER_FIELDS)}


@pytest.mark.django_db
def test_the_sweep_finds_the_number_fields(person):
    found = {
        f"{cls.__qualname__}.{name}"
        for cls in form_classes()
        for name in number_fields(cls, person)
    }
    assert {"WeeklyForm.fingertip_floor", "FlareUpForm.pain", "CalendarFeedForm.lead_minutes"} <= (
        found
    )


@pytest.mark.django_db
@pytest.mark.parametrize("cls", form_classes(), ids=lambda cls: cls.__qualname__)
def test_every_number_field_is_one_of_ours(cls, person):
    plain = {
        name: type(field).__name__
        for name, field in number_fields(cls, person).items()
        if not isinstance(field, WholeNumberField | DecimalNumberField)
    }
    assert plain == {}


@pytest.mark.django_db
@pytest.mark.parametrize("cls", form_classes(), ids=lambda cls: cls.__qualname__)
def test_no_number_field_takes_what_is_not_a_number(cls, person):
    taken = []
    for name, field in number_fields(cls, person).items():
        if field.disabled:
            continue
        for text in NOT_NUMBERS:
            form = build(cls, person, {name: text})
            form.is_valid()
            if name not in form.errors and (text.strip() or field.required):
                taken.append((name, text, form.cleaned_data.get(name)))
    assert taken == []


@pytest.mark.parametrize(
    ("field", "text", "words"),
    [
        (WholeNumberField(), "\u0663", "Write the number with the digits 0-9, not '\u0663'."),
        (DecimalNumberField(), "\u0663.5", "Write the number with the digits 0-9"),
        (WholeNumberField(), "five", "Enter a whole number."),
        (DecimalNumberField(), "nan", "Enter a number."),
    ],
)
def test_the_refusal_says_what_to_type(field, text, words):
    with pytest.raises(forms.ValidationError) as refused:
        field.clean(text)
    assert words in refused.value.messages[0]


@pytest.mark.parametrize(
    ("field", "text", "value"),
    [
        (WholeNumberField(), " 42 ", 42),
        (WholeNumberField(), "-3", -3),
        (DecimalNumberField(), "12.5", 12.5),
        (DecimalNumberField(), "0", 0.0),
        (DecimalNumberField(), ".5", 0.5),
    ],
)
def test_numbers_written_with_0_to_9_are_taken(field, text, value):
    assert field.clean(text) == value
