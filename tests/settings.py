"""Settings for the test suite: the real settings, with a throwaway data folder."""

import atexit
import os
import shutil
import tempfile

if "BACKCOACH_DATA_DIR" not in os.environ:
    os.environ["BACKCOACH_DATA_DIR"] = tempfile.mkdtemp(prefix="backcoach-test-")
    atexit.register(shutil.rmtree, os.environ["BACKCOACH_DATA_DIR"], ignore_errors=True)
os.environ.setdefault(
    "SECRET_KEY", "test-only-secret-key-that-is-long-enough-for-checks-0123456789"
)

from backcoach.settings import *  # noqa: F403

# Argon2 is deliberately slow; tests that need it ask for it by name.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]  # noqa: F405
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STATIC_ROOT.mkdir(exist_ok=True)  # noqa: F405
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    # A file, not memory: WAL, locking and the busy timeout then behave as in production.
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test.sqlite3")}  # noqa: F405
