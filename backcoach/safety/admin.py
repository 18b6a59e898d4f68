from django.contrib import admin
from django.db import models

from backcoach.text import PlainTextAdminMixin

from .models import Source


@admin.register(Source)
class SourceAdmin(PlainTextAdminMixin, admin.ModelAdmin):
    list_display = ("key", "identifier", "url")
    search_fields = ("key", "citation", "identifier")
    # An address typed without a scheme is https (Django 6's default; 5.2 warns without it).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
