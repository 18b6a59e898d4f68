from django.urls import path

from . import views

app_name = "diary"

urlpatterns = [
    path("", views.index, name="index"),
    path("morning/", views.morning, name="morning"),
    path("now/", views.anytime, name="anytime"),
    path("weekly/", views.weekly, name="weekly"),
    path("<uuid:checkin>/edit/", views.edit, name="edit"),
]
