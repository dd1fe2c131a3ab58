"""Middleware for running in production; the order is set in coopnet/settings.py."""

import logging

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.middleware.http import ConditionalGetMiddleware as DjangoConditionalGetMiddleware

from coopnet import db_routers

from . import pagecache
from .views import database_unavailable

logger = logging.getLogger(__name__)

DATABASE_ERRORS = (OperationalError, InterfaceError)
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class DatabaseUnavailableMiddleware:
    """A view that cannot reach the database answers with the friendly 503 page.

    Nothing is kept between requests: the next request connects afresh, so the site recovers
    by itself once the database is back. (coopnet.urls.handler500 covers failures outside views.)
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_ERRORS):
            logger.error("Database unavailable: %s", exception)
            return database_unavailable(request)
        return None


class ConditionalGetMiddleware(DjangoConditionalGetMiddleware):
    """Django's conditional GET (ETag from the content, 304 Not Modified for If-None-Match and
    If-Modified-Since), on the paths starting with one of settings.CONDITIONAL_GET_PREFIXES."""

    def process_response(self, request, response):
        if not request.path_info.startswith(tuple(settings.CONDITIONAL_GET_PREFIXES)):
            return response
        return super().process_response(request, response)


class AnonymousPageCacheMiddleware:
    """Serve anonymous GET requests from the cache (see coopnet/ops/pagecache.py).

    A request is cacheable when it carries no session, no messages cookie and no Authorization
    header: staff who are logged in always get fresh pages. A response is stored when it is a
    200 that sets no cookie, does not ask for privacy (Cache-Control: private or no-store, see
    django.views.decorators.cache), used no CSRF token and no CSP nonce, and varies on nothing
    but Cookie and Accept (the Accept header is part of the key).

    Every request, cacheable or not, reads the content version from the cache once.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with pagecache.one_version_per_request():
            return self.serve(request)

    def serve(self, request):
        if not self.cacheable_request(request):
            return self.get_response(request)
        version = pagecache.content_version()
        if version is None:
            return self.get_response(request)
        key = pagecache.page_key(request, version)
        cached = pagecache.get(key)
        if cached is not None:
            cached["X-Page-Cache"] = "hit"
            return cached
        response = self.get_response(request)
        # A page rendered for a link with tracking parameters carries them in its own links:
        # it is served to such links from the cache, but never stored for everyone. Nor is a
        # page asked for with a parameter its view does not read (?nocache=...): a page per
        # random value would only push useful pages out of the cache.
        if (
            self.cacheable_response(request, response)
            and not pagecache.has_tracking(request)
            and not pagecache.has_unread_parameters(request)
        ):
            timeout = pagecache.page_timeout()
            pagecache.store(key, response, timeout)
            response["X-Page-Cache"] = "miss"
        return response

    @staticmethod
    def cacheable_request(request):
        return (
            settings.PAGE_CACHE_SECONDS > 0
            and request.method == "GET"
            and not request.path_info.startswith(tuple(settings.PAGE_CACHE_EXCLUDE_PREFIXES))
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and "messages" not in request.COOKIES
            and "HTTP_AUTHORIZATION" not in request.META
        )

    @staticmethod
    def cacheable_response(request, response):
        cache_control = response.get("Cache-Control", "").lower()
        vary = {v.strip().lower() for v in response.get("Vary", "").split(",") if v.strip()}
        return (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and not any(word in cache_control for word in ("private", "no-store", "no-cache"))
            and vary <= {"cookie", "accept"}
            and getattr(request, "_csp_nonce", None) is None
            and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        )


class PrimaryDatabaseMiddleware:
    """Read from the primary database for requests that write and on the staff pages
    (settings.PRIMARY_DATABASE_PREFIXES, the admin by default), so nobody reads a stale replica
    right after a change. A signed-in user's write there also empties the page cache (bulk
    admin actions such as "unpublish" save without signals)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        writes = request.method in UNSAFE_METHODS
        admin = request.path_info.startswith(tuple(settings.PRIMARY_DATABASE_PREFIXES))
        with db_routers.primary_only(writes or admin):
            response = self.get_response(request)
        if writes and admin and response.status_code < 400 and self.staff_change(request):
            pagecache.bump_content_version()
        return response

    @staticmethod
    def staff_change(request):
        """A write by a signed-in user, not a sign-in attempt (anyone may post those)."""
        if request.path_info.endswith(("/login/", "/logout/")):
            return False
        user = getattr(request, "user", None)
        return bool(user and user.is_authenticated)
