from django.contrib import admin
from django.urls import include, path

from backcoach.api import urls as api_urls

from . import views

admin.site.site_header = "backcoach administration"
admin.site.site_title = "backcoach admin"

urlpatterns = [
    path("", views.home, name="home"),
    path("health/", views.health, name="health"),
    # Browsers ask for /favicon.ico whatever the page says.
    path("favicon.ico", views.favicon),
    path("sw.js", views.service_worker, name="service_worker"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("accounts/", include("backcoach.accounts.urls")),
    path("library/", include("backcoach.library.urls")),
    path("play/", include("backcoach.player.urls")),
    path("reminders/", include("backcoach.reminders.urls")),
    path("safety/", include("backcoach.safety.urls")),
    path("diary/", include("backcoach.diary.urls")),
    path("progress/", include("backcoach.insights.urls")),
    path("experiments/", include("backcoach.experiments.urls")),
    path("your-data/", include("backcoach.portability.urls")),
    path("settings/tokens/", include("backcoach.api.token_urls")),
    path("api/", api_urls.urls()),
    path("admin/", admin.site.urls),
]

handler400 = "backcoach.views.bad_request"
handler403 = "backcoach.views.permission_denied"
handler404 = "backcoach.views.page_not_found"
handler500 = "backcoach.views.server_error"
