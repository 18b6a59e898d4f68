import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.http.request import RawPostDataException
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from backcoach import mail

from . import selectors, services
from .forms import CalendarFeedForm
from .models import Reminder
from .push import keys
from .push.subscription import MAX_BYTES, MAX_ENDPOINT, SubscriptionError, parse_subscription
from .tokens import BadToken, read_unsubscribe_token

EMAIL, PUSH = Reminder.Channel.EMAIL, Reminder.Channel.PUSH


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


# The page's buttons: each names one service, and what to say when it did something.
SWITCHES = {
    "new-address": (
        lambda request: services.calendar_feed_renew(person=request.user),
        "Your calendar has a new address; the old one stops working.",
    ),
    "stop": (
        lambda request: services.calendar_feed_stop(person=request.user),
        "The calendar reminder is switched off.",
    ),
    "email-on": (
        lambda request: services.reminder_switch_on(
            person=request.user, channel=EMAIL, site_url=request.build_absolute_uri("/")
        ),
        "You will get an e-mail at bedtime.",
    ),
    "email-off": (
        lambda request: services.reminder_switch_off(person=request.user, channel=EMAIL),
        "The bedtime e-mail is switched off.",
    ),
    "push-off": (
        lambda request: services.reminder_switch_off(person=request.user, channel=PUSH),
        "Notifications are switched off on every device.",
    ),
}


@login_required
@require_http_methods(["GET", "POST"])
def reminders(request):
    """Settings → Bedtime reminder: notifications, e-mail and the calendar feed."""
    action = request.POST.get("action", "save") if request.method == "POST" else None
    if action == "email-on" and not mail.is_sent():
        # The page offers no such button then; a form kept from before, or made by hand.
        messages.error(
            request,
            "This server has no mail server set up, so it sends no e-mail: the bedtime "
            "e-mail stays off. A notification or your calendar can remind you instead.",
        )
        return redirect("reminders:index")
    if action in SWITCHES:
        switch, said = SWITCHES[action]
        if switch(request):
            messages.success(request, said)
        return redirect("reminders:index")
    page = selectors.reminders_page(request.user)
    form = CalendarFeedForm(request.POST if action else None, feed=page.feed)
    if action and form.is_valid():
        services.calendar_feed_save(
            person=request.user, lead_minutes=form.cleaned_data["lead_minutes"]
        )
        messages.success(request, "Your bedtime reminder is saved.")
        return redirect("reminders:index")
    feed = page.feed
    feed_url = (
        request.build_absolute_uri(reverse("reminders:calendar", args=[feed.token])) if feed else ""
    )
    return render(
        request,
        "reminders/index.html",
        {
            "page": page,
            "form": form,
            "feed": feed,
            "feed_url": feed_url,
            "reminder_at": selectors.reminder_time(request.user, feed) if feed else None,
            "webcal_url": feed_url.replace("https://", "webcal://").replace("http://", "webcal://"),
            "server_key": keys.application_server_key(),
        },
    )


def _json_error(message: str, status: int) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


def _json_body(request) -> bytes:
    """The body these JSON endpoints read. A form body (multipart) has been read already
    by the CSRF check, which looks in it for a token; it is no JSON anyway."""
    try:
        return request.body
    except RawPostDataException:
        return b""


def _too_large(request, limit: int) -> bool:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0) > limit
    except ValueError:
        return True


@login_required
@require_POST
def push_subscribe(request):
    """This browser's PushSubscription (JSON), from the reminders page's script."""
    if _too_large(request, MAX_BYTES):
        return _json_error("That subscription is too large to be a browser's.", 413)
    try:
        subscription = parse_subscription(_json_body(request), allow_local=settings.DEBUG)
    except SubscriptionError as exc:
        return _json_error(str(exc), 400)
    result = services.push_subscription_save(
        person=request.user, subscription=subscription, server_key=keys.application_server_key()
    )
    if result == services.Subscribed.TAKEN:
        return _json_error(
            "This browser already gets another account's notifications. Log in to that "
            "account and switch them off there first.",
            409,
        )
    if result == services.Subscribed.TOO_MANY:
        return _json_error(
            f"Notifications go to {services.MAX_DEVICES} devices already; switch them off "
            f"on every device, then on again where you want them.",
            409,
        )
    return JsonResponse({"message": "Notifications are on for this device."})


@login_required
@require_POST
def push_unsubscribe(request):
    """Forget this browser's subscription ({"endpoint": ...}); only the person's own."""
    if _too_large(request, MAX_BYTES):
        return _json_error("That request is too large.", 413)
    try:
        endpoint = json.loads(_json_body(request)).get("endpoint")
    except (ValueError, AttributeError):
        endpoint = None
    if not isinstance(endpoint, str) or not 0 < len(endpoint) <= MAX_ENDPOINT:
        return _json_error('Say which subscription: {"endpoint": ...}.', 400)
    if not services.push_subscription_remove(person=request.user, endpoint=endpoint):
        return _json_error("This device gets no notifications from your account.", 404)
    return JsonResponse({"message": "Notifications are off for this device."})


@csrf_exempt  # sent by the service worker, which has no CSRF token; the signed token is the key
@require_POST
def push_snooze(request):
    """A notification's "In 15 minutes" ({"token": ...}, the token the push carried)."""
    if _too_large(request, 1024):
        return _json_error("That request is too large.", 413)
    try:
        token = json.loads(request.body).get("token")
    except (ValueError, AttributeError):
        token = None
    if not isinstance(token, str) or len(token) > 500:
        return _json_error("A snooze needs the notification's token.", 400)
    result = services.push_snooze(token=token)
    if result == services.Snoozed.FORGED:
        return _json_error("That is not a notification's token.", 400)
    if result == services.Snoozed.GONE:
        return _json_error("This device no longer gets notifications.", 410)
    said = "Again in 15 minutes." if result == services.Snoozed.SNOOZED else "Already asked."
    return JsonResponse(
        {"message": said}, status=202 if result == services.Snoozed.SNOOZED else 200
    )


# RFC 8058: the mail client POSTs "List-Unsubscribe=One-Click" to the link, with no cookie
# and no CSRF token; the signed token is the key. A person who opens the link gets a page
# with a button that posts the same, since a GET must change nothing (mail scanners
# open links).
@csrf_exempt
@require_http_methods(["GET", "POST"])
def email_unsubscribe(request, unsubscribe_token):
    if request.method == "GET":
        try:
            read_unsubscribe_token(unsubscribe_token)
        except BadToken:
            return _unsubscribe_page(request, services.Unsubscribed.FORGED, status=400)
        return _unsubscribe_page(request, None)
    result = services.email_unsubscribe(token=unsubscribe_token)
    status = 400 if result == services.Unsubscribed.FORGED else 200
    return _unsubscribe_page(request, result, status=status)


def _unsubscribe_page(request, result, status=200):
    response = render(
        request,
        "reminders/unsubscribe.html",
        {"result": result, "Unsubscribed": services.Unsubscribed},
        status=status,
    )
    response["Cache-Control"] = "no-store"
    return response
