"""Settings for the `lists` benchmark's server: backcoach's own settings, with a URL
configuration that adds the framework floor (bench/floor_urls.py). Never used outside
the benchmarks: the app's own urls.py stays as it is.

The harness starts that server with DJANGO_SETTINGS_MODULE=bench.floor_settings and the
repository on PYTHONPATH (`Server(..., settings="bench.floor_settings")`).
"""

from backcoach.settings import *  # noqa: F403

ROOT_URLCONF = "bench.floor_urls"
