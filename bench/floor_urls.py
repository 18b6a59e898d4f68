"""backcoach's URLs plus `/bench/floor/`: an empty view, for the `lists` benchmark.

The floor is what any page costs before it does anything: the same gunicorn worker,
settings, middleware and session cookie as the app's pages, a view that makes no query and
renders nothing. Pages are then judged as multiples of it, which stays meaningful on a
slower or busier machine.
"""

from django.http import HttpResponse
from django.urls import path

from backcoach import urls

FLOOR_PATH = "bench/floor/"


def floor(request):
    return HttpResponse("")


urlpatterns = [path(FLOOR_PATH, floor, name="bench_floor"), *urls.urlpatterns]

handler400 = urls.handler400
handler403 = urls.handler403
handler404 = urls.handler404
handler500 = urls.handler500
