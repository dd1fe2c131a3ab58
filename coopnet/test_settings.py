"""Settings for the test suite: the development settings, made fast and self-contained."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "test-suite-secret-key-not-for-production")

from .settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
CACHES["default"] = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}  # noqa: F405
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
# Serve static files straight from the apps and static/ without collectstatic.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True

# Plain HTTP in tests (tests that check HTTPS-only headers ask
# for secure requests); the page cache off except in the tests that turn it on, so other tests
# see every change at once; a "replica" alias mirroring the test database, for the router tests
# (no router is installed here, so nothing else reads from it); django-axes off, as its docs
# advise for tests (Client.login() passes no request, which axes needs): the login tests turn it
# on (tests/test_logins.py).
SECURE_SSL_REDIRECT = False
PAGE_CACHE_SECONDS = 0
CONTENT_VERSION_SECONDS = 0  # read from the database on every request: changes show at once
FACET_INDEX_SECONDS = 0  # a fresh facet index per request; tests/test_facet_index.py turns it on
# Not shared through the cache: tests roll the content version back with their data
# (tests/test_facet_index.py turns it on where it tests it).
FACET_INDEX_SHARED = False
DATABASES["replica"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}  # noqa: F405
AXES_ENABLED = False
STAFF_TWO_FACTOR = False  # tests/test_two_factor.py turns it on
# Tasks run as soon as they are enqueued (tests/test_email.py also runs the database backend's
# worker); email goes to Django's in-memory outbox unless a test starts the SMTP server
# (tests/smtp.py).
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
