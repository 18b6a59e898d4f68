"""The JSON API. Its OpenAPI schema is served at /api/schema."""

from ninja import NinjaAPI
from ninja.security import django_auth

from . import checkins, practices

# Session authentication, with the CSRF token checked on every write. No interactive docs
# page: ninja's loads Swagger from a CDN, and backcoach loads nothing from other sites.
api = NinjaAPI(
    title="backcoach API",
    version="1",
    urls_namespace="api",
    auth=django_auth,
    docs_url=None,
    openapi_url="/schema",
)
api.add_router("/practices", practices.router)
api.add_router("/checkins", checkins.router)
