from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.contrib.auth.models import Group

from backcoach.text import PlainTextAdminMixin, plain_text_form

from .models import Person


@admin.register(Person)
class PersonAdmin(PlainTextAdminMixin, UserAdmin):
    change_password_form = plain_text_form(AdminPasswordChangeForm)
    ordering = ("email",)
    list_display = ("email", "name", "time_zone", "is_staff", "date_joined")
    search_fields = ("email", "name")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Profile", {"fields": ("name", "time_zone", "bedtime", "theme")}),
        ("Permissions", {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)


admin.site.unregister(Group)


@admin.register(Group)
class PlainTextGroupAdmin(PlainTextAdminMixin, GroupAdmin):
    """Django's, with the control-character check of every other form."""
