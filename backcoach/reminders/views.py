import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from . import services
from .calendar import reminder_calendar
from .forms import CalendarFeedForm
from .models import CalendarFeed


@require_GET
def calendar_feed(request, feed_token):
    """The feed itself: no log-in, the secret address is the key. Reading writes nothing."""
    feed = CalendarFeed.objects.select_related("person").filter(token=feed_token).first()
    if feed is None or not feed.person.is_active:
        raise Http404("No such calendar")
    person = feed.person
    body = reminder_calendar(
        uid=f"bedtime-{feed.pk}@backcoach",
        time_zone=person.time_zone,
        bedtime=person.bedtime,
        lead_minutes=feed.lead_minutes,
        start_date=feed.created_at.astimezone(person.zone).date(),
        url=request.build_absolute_uri(reverse("player:tonight")),
        stamp=timezone.now().replace(microsecond=0),
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="backcoach-bedtime.ics"'
    response["Cache-Control"] = "private, max-age=3600"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def reminders(request):
    feed = CalendarFeed.objects.filter(person=request.user).first()
    form = CalendarFeedForm(request.POST if request.method == "POST" else None, instance=feed)
    if request.method == "POST":
        action = request.POST.get("action", "save")
        if action == "new-address" and feed is not None:
            services.calendar_feed_renew(feed=feed)
            messages.success(request, "Your calendar has a new address; the old one stops working.")
            return redirect("reminders:index")
        if action == "stop" and feed is not None:
            feed.delete()
            messages.success(request, "The calendar reminder is switched off.")
            return redirect("reminders:index")
        if form.is_valid():
            services.calendar_feed_save(
                person=request.user, lead_minutes=form.cleaned_data["lead_minutes"]
            )
            messages.success(request, "Your bedtime reminder is saved.")
            return redirect("reminders:index")
    feed_url = (
        request.build_absolute_uri(reverse("reminders:calendar", args=[feed.token])) if feed else ""
    )
    reminder_at = None
    if feed:
        bedtime = dt.datetime.combine(dt.date(2000, 1, 1), request.user.bedtime)
        reminder_at = (bedtime - dt.timedelta(minutes=feed.lead_minutes)).time()
    return render(
        request,
        "reminders/index.html",
        {
            "form": form,
            "feed": feed,
            "feed_url": feed_url,
            "reminder_at": reminder_at,
            "webcal_url": feed_url.replace("https://", "webcal://").replace("http://", "webcal://"),
        },
    )
