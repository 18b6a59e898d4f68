from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from . import selectors, services
from .forms import CalendarFeedForm


@require_GET
def calendar_feed(request, feed_token):
    """The feed itself: no log-in, the secret address is the key. Reading writes nothing."""
    body = selectors.feed_calendar(
        feed_token, player_url=request.build_absolute_uri(reverse("player:tonight"))
    )
    if body is None:
        raise Http404("No such calendar")
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="backcoach-bedtime.ics"'
    response["Cache-Control"] = "private, max-age=3600"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def reminders(request):
    action = request.POST.get("action", "save") if request.method == "POST" else None
    if action == "new-address" and services.calendar_feed_renew(person=request.user):
        messages.success(request, "Your calendar has a new address; the old one stops working.")
        return redirect("reminders:index")
    if action == "stop" and services.calendar_feed_stop(person=request.user):
        messages.success(request, "The calendar reminder is switched off.")
        return redirect("reminders:index")
    feed = selectors.calendar_feed_of(request.user)
    form = CalendarFeedForm(request.POST if action else None, feed=feed)
    if action and form.is_valid():
        services.calendar_feed_save(
            person=request.user, lead_minutes=form.cleaned_data["lead_minutes"]
        )
        messages.success(request, "Your bedtime reminder is saved.")
        return redirect("reminders:index")
    feed_url = (
        request.build_absolute_uri(reverse("reminders:calendar", args=[feed.token])) if feed else ""
    )
    return render(
        request,
        "reminders/index.html",
        {
            "form": form,
            "feed": feed,
            "feed_url": feed_url,
            "reminder_at": selectors.reminder_time(request.user, feed) if feed else None,
            "webcal_url": feed_url.replace("https://", "webcal://").replace("http://", "webcal://"),
        },
    )
