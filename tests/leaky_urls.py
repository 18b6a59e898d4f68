"""Deliberately broken views, used only to prove that the access sweep catches them."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.urls import include, path
from django.utils import timezone

from backcoach.accounts.models import Person


@login_required
def show_person(request, person_id):
    # The bug: looked up by bare id instead of starting from request.user.
    return HttpResponse(Person.objects.get(pk=person_id).name)


@login_required
def rename_person(request, person_id):
    if request.method == "POST":
        Person.objects.filter(pk=person_id).update(name="renamed by someone else")
    return HttpResponse("ok")


@login_required
def api_person(request, person_id):
    # The bug: an API-style endpoint whose PATCH and DELETE skip the owner check.
    person = Person.objects.get(pk=person_id)
    if request.method == "PATCH":
        Person.objects.filter(pk=person.pk).update(name="patched by someone else")
    elif request.method == "DELETE":
        person.calendar_feed.delete()
    return HttpResponse("ok")


def touch_on_read(request):
    if request.user.is_authenticated:
        Person.objects.filter(pk=request.user.pk).update(last_login=timezone.now())
    return HttpResponse("seen")


def crash(request):
    raise RuntimeError("boom")


urlpatterns = [
    path("leak/<int:person_id>/", show_person, name="leak-show"),
    path("leak/<int:person_id>/rename/", rename_person, name="leak-rename"),
    path("leak/api/<int:person_id>/", api_person, name="leak-api"),
    path("leak/touch/", touch_on_read, name="leak-touch"),
    path("leak/crash/", crash, name="leak-crash"),
    path("", include("backcoach.urls")),
]
