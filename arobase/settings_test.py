"""Test settings: production settings with fast hashing and no static manifest."""

import secrets

from arobase.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
HTTPS = SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
# The demo's Atlaas at national scale (20 000 actions) is measured by scripts/benchmark.py;
# tests load a few hundred so that each demo load stays fast.
DEMO_ACTIONS = 200
# SQLite's default (deferred) transactions: each test runs inside a transaction, and with
# the production setting (IMMEDIATE, see settings.py) that transaction would hold the
# write lock for the whole test, so the browser tests' live server could never log in.
# `make stress --database sqlite` exercises the production setting.
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    DATABASES["default"]["OPTIONS"] = {**DATABASES["default"]["OPTIONS"], "transaction_mode": "DEFERRED"}  # noqa: F405
else:
    # A name of its own for each run (pytest-xdist adds _gw0, _gw1 per worker): two runs
    # on one server, two checkouts or CI beside a developer, never share a test database.
    DATABASES["default"]["TEST"] = {"NAME": f"test_arobase_{secrets.token_hex(4)}"}  # noqa: F405
