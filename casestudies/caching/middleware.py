"""The page cache's middleware: anonymous pages served from the cache, and staff writes that
replace the content version."""

from django.conf import settings
from django.db import router, transaction

from ..models import ContentVersion
from . import pages
from .signals import watching
from .version import (
    bump_content_version,
    content_version,
    keeps_nothing,
    one_version_per_request,
)

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class AnonymousPageCacheMiddleware:
    """Serve anonymous GET requests from the cache (see casestudies/caching/pages.py).

    A request is cacheable when it carries no session, no messages cookie and no Authorization
    header: staff who are logged in always get fresh pages. A response is stored when it is a
    200 that sets no cookie, does not ask for privacy (Cache-Control: private or no-store, see
    django.views.decorators.cache), used no CSRF token and no CSP nonce, and varies on nothing
    but Cookie and Accept, and whose view reads every query parameter it was given (see
    `pages.reads_only`) and did not negotiate on Accept.

    Every request, cacheable or not, reads the content version at most once (from the
    process's memory, or the database at most once every CONTENT_VERSION_SECONDS).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with one_version_per_request():
            return self.serve(request)

    def serve(self, request):
        if not self.cacheable_request(request):
            return self.get_response(request)
        version = content_version()
        if version is None:
            return self.get_response(request)
        key = pages.page_key(request, version)
        cached = pages.get(key)
        if cached is not None:
            cached["X-Page-Cache"] = "hit"
            return cached
        response = self.get_response(request)
        # A page rendered for a link with tracking parameters carries them in its own links:
        # it is served to such links from the cache, but never stored for everyone. Nor is a
        # page asked for with a parameter its view does not read, or one negotiated on Accept.
        stored = (
            self.cacheable_response(request, response)
            and pages.is_storable(request)
            and not keeps_nothing()  # drawn on an earlier version's facet index
            and pages.store(key, response, pages.page_timeout())
        )
        if stored:
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
            and not getattr(request, "csp_nonce", None)  # django-csp: true once a nonce was used
            and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        )


class StaffWritesMiddleware:
    """A signed-in user's write on the staff pages (settings.PRIMARY_DATABASE_PREFIXES, the
    admin by default) runs in one transaction with a new content version: a bulk write may save
    without signals, and must not commit without invalidating. The version says no case study
    was touched beyond what the signals said, unless a write reached the case studies or their
    links without them (`signals.watching`)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not (
            request.method in UNSAFE_METHODS
            and request.path_info.startswith(tuple(settings.PRIMARY_DATABASE_PREFIXES))
            and self.staff_change(request)
        ):
            return self.get_response(request)
        alias = router.db_for_write(ContentVersion)
        with transaction.atomic(using=alias), watching(alias) as writes:
            response = self.get_response(request)
            if response.status_code < 400:
                # Its signals said which case studies it touched, unless it wrote some
                # without them: then it cannot say (the facet index is built again).
                bump_content_version(using=alias, changed=None if writes.unsignalled else ())
        return response

    @staticmethod
    def staff_change(request):
        """A write by a signed-in user, not a sign-in attempt (anyone may post those)."""
        if request.path_info.endswith(("/login/", "/logout/")):
            return False
        user = getattr(request, "user", None)
        return bool(user and user.is_authenticated)
