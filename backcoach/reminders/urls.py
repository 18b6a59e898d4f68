from django.urls import path

from . import views

app_name = "reminders"

urlpatterns = [
    path("", views.reminders, name="index"),
    path("calendar/<str:feed_token>.ics", views.calendar_feed, name="calendar"),
    path("push/subscribe/", views.push_subscribe, name="push_subscribe"),
    path("push/unsubscribe/", views.push_unsubscribe, name="push_unsubscribe"),
    path("push/snooze/", views.push_snooze, name="push_snooze"),
    path("email/unsubscribe/<str:unsubscribe_token>/", views.email_unsubscribe, name="unsubscribe"),
]
