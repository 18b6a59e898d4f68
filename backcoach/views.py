import hashlib
import json

from django.conf import settings
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from backcoach.api.urls import problem
from backcoach.diary import selectors as diary_selectors
from backcoach.player import selectors as player_selectors


@require_GET
def home(request):
    if request.user.is_authenticated:
        due = diary_selectors.morning_checkin_due(request.user)
        # The Start button goes straight to the routine's own page, which the service worker
        # keeps, rather than through the /play/tonight/ redirect, which it cannot keep; the
        # routine's page runs the same safety gate.
        tonight = player_selectors.tonight(request.user)
        reason = player_selectors.TonightReason
        return render(
            request,
            "home.html",
            {
                "morning_checkin_due": due,
                "tonight": tonight,
                "tonight_routine": tonight.routine,
                # A routine of their own tonight: the library's default stays one tap away.
                "default_routine": (
                    player_selectors.default_routine()
                    if tonight.reason == reason.CHOSEN and tonight.routine.is_own
                    else None
                ),
                "gentle_reason": tonight.gentle_reason if tonight.reason == reason.GENTLE else None,
                "experiment": tonight.assignment,
            },
        )
    return render(request, "welcome.html")


@require_GET
def favicon(request):
    """Browsers ask for /favicon.ico whatever the page says; send them to the real one."""
    return redirect(static("favicon.svg"), permanent=True)


# What the service worker keeps for offline use: the player and what it needs.
OFFLINE_ASSETS = [
    "css/site.css",
    "css/player.css",
    "js/app.js",
    "js/sync.js",
    "js/player.js",
    "js/player/clock.js",
    "js/player/device.js",
    "js/player/screen.js",
    "js/player/timeline.js",
    "js/player/track.js",
    "js/player/upload.js",
    "js/player/voice.js",
    "diary/checkin.js",
    "diary/checkin.css",
    "vendor/htmx/htmx.min.js",
    "favicon.svg",
    "icons/icon-192.png",
]


@require_GET
def service_worker(request):
    precache = [static(path) for path in OFFLINE_ASSETS]
    version = hashlib.sha256(json.dumps(precache).encode()).hexdigest()[:12]
    body = render_to_string(
        "sw.js",
        {
            "precache": json.dumps(precache),
            "version": version,
            "static_prefix": settings.STATIC_URL
            if settings.STATIC_URL.startswith("/")
            else "/" + settings.STATIC_URL,
        },
    )
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def manifest(request):
    return JsonResponse(
        {
            "name": "backcoach",
            "short_name": "backcoach",
            "description": "Bedtime back self-massage and stretches, spoken step by step.",
            "start_url": "/play/tonight/",
            "scope": "/",
            "display": "standalone",
            "background_color": "#0f141b",
            "theme_color": "#0f141b",
            "icons": [
                {"src": static("icons/icon-192.png"), "sizes": "192x192", "type": "image/png"},
                {"src": static("icons/icon-512.png"), "sizes": "512x512", "type": "image/png"},
                {"src": static("favicon.svg"), "sizes": "any", "type": "image/svg+xml"},
            ],
        },
        content_type="application/manifest+json",
    )


@never_cache
@require_GET
def health(request):
    """For load balancers and `backcoach serve`: the app is up and the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok\n", content_type="text/plain")


API_PREFIX = "/api/"


def _error_page(request, status: int, title: str, message: str):
    """The site's error page; under /api/ (a path that no API route matched, such as one
    with a line break in it) the API's own JSON problem instead."""
    if request.path_info.startswith(API_PREFIX):
        return problem(request, status, message if status != 404 else "There is nothing here.")
    return render(
        request, "error.html", {"title": title, "message": message, "status": status}, status=status
    )


def body_too_large(request, limit: int):
    megabytes = limit // (1024 * 1024)
    return _error_page(
        request,
        413,
        "That upload is too large",
        f"The upload is larger than {megabytes} MB, the most backcoach takes. Nothing was changed.",
    )


def bad_request(request, exception=None):
    return _error_page(request, 400, "That request was not understood", "Nothing was changed.")


def permission_denied(request, exception=None):
    return _error_page(request, 403, "Not allowed", "You do not have access to this page.")


def page_not_found(request, exception=None):
    return _error_page(
        request, 404, "Page not found", "There is nothing here, or it is not yours to see."
    )


def server_error(request):
    # A page that needs no database: the database may be what failed.
    return render(
        request,
        "error_plain.html",
        {
            "title": "Something went wrong on our side",
            "status": 500,
            "message": "Nothing you entered is lost. Please try again in a moment.",
        },
        status=500,
    )


def csrf_failure(request, reason=""):
    return _error_page(
        request,
        403,
        "This form has expired",
        "Please go back, reload the page and send it again. Nothing was changed.",
    )
