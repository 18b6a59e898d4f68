"""Form fields for numbers that read what a person types by backcoach's one number rule
(backcoach/numbers.py): Django's IntegerField and FloatField go through Python's `int()`
and `float()`, which take "٣" (an Arabic-Indic three) as 3 and FloatField "1e2" as 100.
Every number field of every form is one of these (tests/test_form_numbers.py sweeps)."""

from django import forms
from django.utils import formats

from backcoach import numbers


def _refused(field: forms.Field, value, exc: numbers.NumberRefused) -> forms.ValidationError:
    """Django's own words ("Enter a whole number.") for what is no number at all; ours
    for a number in other digits, which the person may not see as wrong."""
    if "digits 0-9" in str(exc):
        message = f"Write the number with the digits 0-9, not {numbers.shown(value)}."
        return forms.ValidationError(message, code="invalid")
    return forms.ValidationError(field.error_messages["invalid"], code="invalid")


class WholeNumberField(forms.IntegerField):
    """An IntegerField that takes only the digits 0-9 (and a sign); its min_value and
    max_value are Django's, with Django's messages."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, bool) or not isinstance(value, str | int):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        if isinstance(value, int):
            return value
        try:
            return numbers.whole_from_text(formats.sanitize_separators(value))
        except numbers.NumberRefused as exc:
            raise _refused(self, value, exc) from None


class DecimalNumberField(forms.FloatField):
    """A FloatField that takes only the digits 0-9, a sign and a point (or the locale's
    decimal separator): no exponent, no NaN, no infinity."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        try:
            if isinstance(value, str):
                return numbers.decimal_from_text(formats.sanitize_separators(value))
            return numbers.decimal(value)
        except numbers.NumberRefused as exc:
            raise _refused(self, value, exc) from None
