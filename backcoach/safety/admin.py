from django.contrib import admin

from .models import Source


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ("key", "identifier", "url")
    search_fields = ("key", "citation", "identifier")
