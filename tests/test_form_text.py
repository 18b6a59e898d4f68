"""Every text field of every form refuses control characters (NUL among them, which
PostgreSQL cannot store), and keeps tabs and line breaks."""

import importlib
import json
import pkgutil

import pytest
from django import forms

import backcoach
from backcoach.text import PlainTextMixin

CONTROL = "a\u001bb"


def form_classes() -> list[type[forms.BaseForm]]:
    """The forms of every backcoach app (each app's forms.py)."""
    for module in pkgutil.iter_modules(backcoach.__path__):
        if module.ispkg and importlib.util.find_spec(f"backcoach.{module.name}.forms"):
            importlib.import_module(f"backcoach.{module.name}.forms")
    found, todo = [], [forms.BaseForm]
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if cls.__module__.startswith("backcoach.") and cls.__module__.endswith(".forms"):
            found.append(cls)
    return sorted(set(found), key=lambda cls: f"{cls.__module__}.{cls.__qualname__}")


def build(cls, person, data):
    import datetime as dt

    from tests.factories import make_routine

    today = dt.date(2026, 11, 29)
    choices = (
        {"person": person},
        {"user": person},
        {"today": today},
        {"today": today, "person": person},
        {"header": ["Date", "Pain"]},
        {"step": make_routine().steps.select_related("technique").first()},
    )
    for kwargs in (*choices, {"request": None}, {}):
        try:
            return cls(data=data, **kwargs)
        except TypeError:
            continue
    raise AssertionError(f"cannot build {cls.__qualname__}")


def text_fields_taking(cls, person, value: str) -> list[str]:
    """The text fields of the form `cls` that take `value` without a word about it."""
    form = build(cls, person, {})
    names = [name for name, field in form.fields.items() if isinstance(field, forms.CharField)]
    # A JSON field's text is JSON: the control character goes inside a string in it.
    sent = {
        name: json.dumps([value]) if isinstance(form.fields[name], forms.JSONField) else value
        for name in names
    }
    form = build(cls, person, sent)
    form.is_valid()
    return [
        name
        for name in names
        if not any("control character" in error for error in form.errors.get(name, []))
    ]


@pytest.mark.django_db
def test_the_sweep_finds_the_forms_with_text_fields():
    names = {cls.__qualname__ for cls in form_classes()}
    assert {"SignupForm", "SettingsForm", "MorningForm", "FlareUpForm"} <= names


@pytest.mark.django_db
@pytest.mark.parametrize("cls", form_classes(), ids=lambda cls: cls.__qualname__)
def test_no_text_field_takes_a_control_character(cls, person):
    assert text_fields_taking(cls, person, CONTROL) == []
    assert text_fields_taking(cls, person, "a\u0000b") == []


class PlantedNoteForm(forms.Form):
    """A planted fault: a form that forgot the mixin."""

    note = forms.CharField()


class GuardedNoteForm(PlainTextMixin, forms.Form):
    note = forms.CharField()
    title = forms.CharField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["late"] = forms.CharField(required=False)  # added after the mixin ran


@pytest.mark.django_db
def test_the_sweep_catches_a_form_without_the_guard(person):
    assert text_fields_taking(PlantedNoteForm, person, CONTROL) == ["note"]
    assert text_fields_taking(GuardedNoteForm, person, CONTROL) == []


@pytest.mark.parametrize("value", ["line one\nline two", "tab\there", "crlf\r\nend", "ünï ✓"])
def test_tabs_line_breaks_and_letters_are_kept(value):
    form = GuardedNoteForm(data={"note": value})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["note"] == value.strip()


@pytest.mark.parametrize("character", ["\u0000", "\u0007", "\u007f", "\u0085", "\u009f"])
def test_the_error_names_the_character(character):
    form = GuardedNoteForm(data={"note": f"x{character}y"})
    assert not form.is_valid()
    assert f"U+{ord(character):04X}" in " ".join(form.errors["note"])


def admin_form_classes(request) -> list[tuple[str, type[forms.BaseForm]]]:
    """The forms the admin makes: each registered model's add and change forms, its
    inlines' forms and, for people, the password form."""
    from django.contrib import admin

    found = []
    for model, model_admin in admin.site._registry.items():
        name = model.__name__
        found.append((f"{name} add", model_admin.get_form(request, None)))
        found.append((f"{name} change", model_admin.get_form(request, model())))
        for inline in model_admin.get_inline_instances(request):
            found.append((f"{name} inline", inline.get_formset(request).form))
        if change_password_form := getattr(model_admin, "change_password_form", None):
            found.append((f"{name} password", change_password_form))
    return found


@pytest.mark.django_db
def test_no_admin_form_takes_a_control_character(rf, person):
    person.is_staff = person.is_superuser = True
    request = rf.get("/admin/")
    request.user = person
    forms_found = admin_form_classes(request)
    assert {"Technique change", "Routine inline", "Person password", "Source add"} <= {
        name for name, _ in forms_found
    }
    taking = {
        name: fields
        for name, cls in forms_found
        if (fields := text_fields_taking(cls, person, CONTROL))
    }
    assert taking == {}
