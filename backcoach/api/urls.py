"""The JSON API. Its OpenAPI schema is served at /api/schema.

Every answer is JSON, refusals included: the web player's offline queue reads them, and an
HTML error page would read as a broken upload rather than a refused one."""

import functools
import json

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.core.signals import got_request_exception
from django.http import Http404
from django.http.multipartparser import MultiPartParserError
from django.urls import URLPattern
from django.utils.log import log_response
from ninja import NinjaAPI, Router
from ninja.errors import HttpError, ValidationError
from ninja.parser import Parser

from . import checkins, openapi, practices
from .tokens import SessionAuth, TokenAuth


class NotJSON(Exception):
    """The body was sent with a content type other than JSON."""


SEND_JSON = "Send the body as JSON, with the header Content-Type: application/json."


class JSONOnly(Parser):
    """Reads a body only when it says it is JSON (`application/json`, or a `+json` type),
    rather than reading any body as JSON whatever it claims to be."""

    def parse_body(self, request):
        kind = request.content_type or ""
        if kind != "application/json" and not kind.endswith("+json"):
            raise NotJSON(SEND_JSON)
        return json.loads(request.body)

    def parse_querydict(self, data, list_fields, request):
        """A query parameter that takes one value, given more than once, is refused (422)
        rather than read as its last value."""
        repeated = [key for key in data if key not in list_fields and len(data.getlist(key)) > 1]
        if repeated:
            raise ValidationError(
                [
                    {"type": "repeated", "loc": ["query", key], "msg": f"Give {key} only once."}
                    for key in repeated
                ]
            )
        return super().parse_querydict(data, list_fields, request)


class API(NinjaAPI):
    def get_openapi_schema(self, **kwargs):
        """ninja's schema, with what it cannot know added (openapi.describe)."""
        return openapi.describe(super().get_openapi_schema(**kwargs), **openapi.library_slugs())


# A personal access token (Authorization: Bearer), or the session, with the CSRF token
# checked on its writes (tokens.py says why in this order). No interactive docs page:
# ninja's loads Swagger from a CDN, and backcoach loads nothing from other sites.
api = API(
    title="backcoach API",
    version="1",
    description="Sign in with the session cookie of the web app, or send a personal access "
    "token (made in Settings → Access tokens) as `Authorization: Bearer bc_…`. A read-only "
    "token is refused (403) on every write. " + openapi.URL_RULE,
    urls_namespace="api",
    auth=[TokenAuth(), SessionAuth()],
    docs_url=None,
    openapi_url="/schema",
    parser=JSONOnly(),
)
api.add_router("/practices", practices.router)
api.add_router("/checkins", checkins.router)


def problem(request, status: int, detail: str):
    return api.create_response(request, {"detail": detail}, status=status)


@api.exception_handler(HttpError)
def http_error(request, exc: HttpError):
    # ninja turns any failure to read the body into a 400 "Cannot parse request body"; the
    # cause says which failure it was.
    if isinstance(exc.__cause__, NotJSON):
        return problem(request, 415, str(exc.__cause__))
    if isinstance(exc.__cause__, ValueError):
        return problem(request, 400, "The body is not valid JSON.")
    return problem(request, exc.status_code, str(exc))


@api.exception_handler(RequestDataTooBig)
def too_big(request, exc):
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return problem(request, 413, f"The body is larger than the {limit:,} bytes the API takes.")


@api.exception_handler(MultiPartParserError)
def not_json(request, exc):
    # A broken form body, met when the CSRF check looks in it for a token.
    return problem(request, 415, SEND_JSON)


@api.exception_handler(SuspiciousOperation)
def suspicious(request, exc):
    return problem(request, 400, "The request cannot be read.")


@api.exception_handler(Exception)
def server_error(request, exc):
    """A JSON 500, logged and signalled as Django does for its own error page (the signal
    also lets the test client raise the exception in tests)."""
    got_request_exception.send(sender=None, request=request)
    response = problem(request, 500, "Something went wrong on the server.")
    log_response(
        "%s: %s",
        "Internal Server Error",
        request.path,
        response=response,
        request=request,
        exception=exc,
    )
    return response


# Last, so that it answers only paths no operation has: a JSON 404 rather than the site's
# HTML page.
elsewhere = Router()


@elsewhere.api_operation(
    ["GET", "POST", "PUT", "PATCH", "DELETE"], "/{path:rest}", auth=None, include_in_schema=False
)
def no_such_path(request, rest: str):
    raise Http404


api.add_router("", elsewhere)


def method_refused_as_json(view):
    """ninja answers a method that an address does not take with a plain-text 405 before
    any handler runs; this makes it a JSON problem like every other refusal."""

    @functools.wraps(view)
    def answer(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.status_code != 405 or response["Content-Type"].startswith("application/json"):
            return response
        allowed = response["Allow"]
        refusal = problem(request, 405, f"This address takes only {allowed}.")
        refusal["Allow"] = allowed
        return refusal

    return answer


def urls():
    """The API's URL patterns, for `include` in the site's."""
    patterns, app_name, namespace = api.urls
    wrapped = [
        URLPattern(
            pattern.pattern,
            method_refused_as_json(pattern.callback),
            pattern.default_args,
            pattern.name,
        )
        for pattern in patterns
    ]
    return wrapped, app_name, namespace
