"""The test client every test uses: held to the CSRF check, as a browser or a script is.

Django's own test client skips the CSRF check, so a test could pass where every real client
fails (a write token refused as "CSRF check Failed" went unseen that way). `Browser` keeps the
check on, and sends what a real client sends and nothing more:
- a browser that has loaded one of the site's pages holds the `csrftoken` cookie, and its
  forms and scripts send that token back on every write (here as the `X-CSRFToken` header,
  with the page's `Origin`), so a test that posts without ever having loaded a page, or
  after the cookie was taken away, is refused as a browser would be;
- a script holds no cookie and sends no token: it must sign in another way (a token).

tests/test_clients.py checks that nothing in the suite uses Django's client directly."""

from django.conf import settings
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client

SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}


class Browser(Client):
    """`cross_site=True`: a page on another site that makes the browser send a request. The
    browser adds its cookies, but the page cannot read the CSRF token to send it back."""

    def __init__(self, *args, cross_site: bool = False, **kwargs):
        super().__init__(*args, enforce_csrf_checks=True, **kwargs)
        self.cross_site = cross_site

    def request(self, **request):
        cookie = self.cookies.get(settings.CSRF_COOKIE_NAME)
        writes = request.get("REQUEST_METHOD", "GET") not in SAFE_METHODS
        if (
            writes
            and cookie is not None
            and not self.cross_site
            and "HTTP_X_CSRFTOKEN" not in request
        ):
            scheme = request.get("wsgi.url_scheme", "http")
            host = request.get("HTTP_HOST") or self.defaults.get("HTTP_HOST", "testserver")
            request = {"HTTP_X_CSRFTOKEN": cookie.value, **request}
            request.setdefault("HTTP_ORIGIN", f"{scheme}://{host}")
        return super().request(**request)

    def force_login(self, user, backend=None):
        super().force_login(user, backend)
        # Logging in rotates the token; the next page the browser loads gives it the new one.
        self.cookies[settings.CSRF_COOKIE_NAME] = _get_new_csrf_string()


def visitor(**defaults) -> Browser:
    """Someone not signed in who has the log-in page open: they hold the CSRF cookie that
    the log-in, sign-up and reset forms send back."""
    from django.urls import reverse

    browser = Browser(**defaults)
    browser.get(reverse("accounts:login"))
    return browser
