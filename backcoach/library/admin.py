from django import forms
from django.contrib import admin

from backcoach.text import PlainTextAdminMixin

from . import vocabulary as vocab
from .models import LibraryState, Routine, RoutineStep, Technique
from .services import TECHNIQUE_FIELDS


class ListOfChoicesField(forms.MultipleChoiceField):
    widget = forms.CheckboxSelectMultiple


class TechniqueForm(forms.ModelForm):
    """Ticks instead of raw JSON for the lists that have a fixed vocabulary."""

    body_areas = ListOfChoicesField(choices=list(vocab.BODY_AREAS.items()))
    equipment = ListOfChoicesField(choices=list(vocab.EQUIPMENT.items()))
    excludes = ListOfChoicesField(
        choices=list(vocab.CONTRAINDICATIONS.items()), required=False, label="Excluded for"
    )

    class Meta:
        model = Technique
        fields = ["slug", *TECHNIQUE_FIELDS, "sources", "is_active"]

    def clean(self):
        cleaned = super().clean()
        low, default, high = (
            cleaned.get(k) for k in ("min_duration", "default_duration", "max_duration")
        )
        if None not in (low, default, high) and not low <= default <= high:
            raise forms.ValidationError("Durations need shortest ≤ default ≤ longest.")
        return cleaned


@admin.register(Technique)
class TechniqueAdmin(PlainTextAdminMixin, admin.ModelAdmin):
    form = TechniqueForm
    list_display = ("name", "kind", "position", "default_duration", "intensity", "is_active")
    list_filter = ("kind", "position", "intensity", "bed_friendly", "is_active")
    search_fields = ("name", "slug", "summary")
    filter_horizontal = ("sources",)
    readonly_fields = ("slug",)

    def has_add_permission(self, request):
        return False  # new techniques come from the content files (docs/library-content.md)


class RoutineStepInline(PlainTextAdminMixin, admin.TabularInline):
    model = RoutineStep
    extra = 0
    ordering = ("order",)


@admin.register(Routine)
class RoutineAdmin(PlainTextAdminMixin, admin.ModelAdmin):
    list_display = ("name", "purpose", "is_default", "is_active")
    list_filter = ("purpose", "is_active")
    inlines = [RoutineStepInline]
    readonly_fields = ("slug",)
    # People's own routines are theirs alone: the admin edits the library's.
    exclude = ("owner", "saved", "created_at")

    def get_queryset(self, request):
        return super().get_queryset(request).library()

    def has_add_permission(self, request):
        return False  # new routines come from the content files


@admin.register(LibraryState)
class LibraryStateAdmin(PlainTextAdminMixin, admin.ModelAdmin):
    list_display = ("loaded_at", "files_checksum", "database_checksum")
    readonly_fields = ("loaded_at", "files_checksum", "database_checksum")

    def has_add_permission(self, request):
        return False
