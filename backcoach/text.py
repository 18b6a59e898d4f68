"""Text a person types holds no control characters.

Control characters (Unicode category Cc) are invisible, garble the pages, exports and
terminals the text is shown in, and PostgreSQL cannot store NUL at all (SQLite can, so a
database-only check would behave differently on the two). Tabs and line breaks are the
exceptions a note may hold. Forms refuse the rest through `PlainTextMixin`, the API through
its `Text` type (`backcoach.api.schemas`)."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator

# Category Cc less tab, line feed and carriage return. Written for Python's re and for the
# ECMAScript regular expressions of JSON Schema alike, so the API's schema can carry it.
CONTROL_CHARACTERS = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
PLAIN_TEXT_PATTERN = f"^[^{CONTROL_CHARACTERS}]*$"
_CONTROL = re.compile(f"[{CONTROL_CHARACTERS}]")


def control_character_in(value: str) -> str | None:
    """The first control character in `value`, or None when it has none."""
    found = _CONTROL.search(value)
    return found.group() if found else None


def control_character_message(character: str) -> str:
    return (
        f"Text cannot hold control characters; remove the invisible one (U+{ord(character):04X})."
    )


def validate_plain_text(value) -> None:
    """A Django validator: refuses text with a control character in it, also text inside
    the lists and objects of a JSON field."""
    if isinstance(value, str):
        if (character := control_character_in(value)) is not None:
            raise ValidationError(control_character_message(character), code="control_character")
    elif isinstance(value, dict):
        for key, item in value.items():
            validate_plain_text(key)
            validate_plain_text(item)
    elif isinstance(value, list | tuple):
        for item in value:
            validate_plain_text(item)


class PlainTextMixin:
    """For a form: every text field (a CharField, an EmailField...) refuses control
    characters. Fields are checked when the form validates, so a field added in
    `__init__` is covered too."""

    def full_clean(self):
        for field in self.fields.values():
            if isinstance(field, forms.CharField) and validate_plain_text not in field.validators:
                # Django's own NUL check says less; this one names the character.
                field.validators = [
                    *(
                        validator
                        for validator in field.validators
                        if not isinstance(validator, ProhibitNullCharactersValidator)
                    ),
                    validate_plain_text,
                ]
        super().full_clean()


def plain_text_form(form_class: type[forms.BaseForm]) -> type[forms.BaseForm]:
    """`form_class` with PlainTextMixin mixed in, for forms that Django makes (the admin's)."""
    if issubclass(form_class, PlainTextMixin):
        return form_class
    return type(form_class.__name__, (PlainTextMixin, form_class), {"__module__": __name__})


class PlainTextAdminMixin:
    """For a ModelAdmin or an inline: the forms the admin makes for it refuse control
    characters like every other form."""

    def get_form(self, request, obj=None, **kwargs):
        return plain_text_form(super().get_form(request, obj, **kwargs))

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form = plain_text_form(formset.form)
        return formset
