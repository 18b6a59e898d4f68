import time

from django.conf import settings
from django.utils.cache import patch_cache_control

from backcoach.views import body_too_large


class ServerTimingMiddleware:
    """Adds `Server-Timing: app;dur=<ms>` so that benchmarks read the server's own time."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        elapsed_ms = (time.perf_counter() - started) * 1000
        response["Server-Timing"] = f"app;dur={elapsed_ms:.2f}"
        return response


class PrivatePagesMiddleware:
    """Everything answered to a logged-in person may hold their data (their history, their
    calendar feed's secret address, their API lists): `Cache-Control: private, no-store`, so
    that neither a proxy nor a shared computer's back button keeps a copy. The service
    worker still keeps the player for offline use: its Cache API ignores these headers.
    A response that set its own Cache-Control (the service worker script, the calendar
    feed) keeps it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not response.has_header("Cache-Control"):
            patch_cache_control(response, private=True, no_store=True)
        return response


class BodyLimitMiddleware:
    """Refuses a body longer than the largest upload backcoach takes (UPLOAD_MAX_BYTES, a
    data import), by its declared length, before anything reads it. Django caps a form's
    fields but not its files: without this, a many-gigabyte upload to any form would be
    written to disk in full by the CSRF check, which reads a form before any view runs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.UPLOAD_MAX_BYTES + UPLOAD_FORM_OVERHEAD:
            return body_too_large(request, settings.UPLOAD_MAX_BYTES)
        return self.get_response(request)


# Room for a multipart form's boundaries and other fields beside the file itself.
UPLOAD_FORM_OVERHEAD = 64 * 1024
