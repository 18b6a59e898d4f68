from django.urls import path

from . import views

app_name = "reminders"

urlpatterns = [
    path("", views.reminders, name="index"),
    path("calendar/<str:feed_token>.ics", views.calendar_feed, name="calendar"),
]
