"""Middleware for running in production; the order is set in coopnet/settings.py."""

import logging

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.db import InterfaceError, OperationalError
from django.middleware.http import ConditionalGetMiddleware as DjangoConditionalGetMiddleware
from django.views.defaults import bad_request

from coopnet import db_routers

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


class NulCharacterMiddleware:
    """A NUL character in the path gets the 400 page.

    No address of ours holds one, and PostgreSQL refuses them in any string ("A string literal
    cannot contain NUL"), which a detail view looking up its slug would meet as a 500. In query
    parameters the forms refuse them themselves, with a message beside the field."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path:
            return bad_request(request, SuspiciousOperation("NUL character in the request"))
        return self.get_response(request)


class ConditionalGetMiddleware(DjangoConditionalGetMiddleware):
    """Django's conditional GET (ETag from the content, 304 Not Modified for If-None-Match and
    If-Modified-Since), on the paths starting with one of settings.CONDITIONAL_GET_PREFIXES."""

    def process_response(self, request, response):
        if not request.path_info.startswith(tuple(settings.CONDITIONAL_GET_PREFIXES)):
            return response
        return super().process_response(request, response)


class PrimaryDatabaseMiddleware:
    """Read from the primary database for requests that write and on the staff pages
    (settings.PRIMARY_DATABASE_PREFIXES, the admin by default), so nobody reads a stale replica
    right after a change; and a read the replica failed again from the primary."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        writes = request.method in UNSAFE_METHODS
        admin = request.path_info.startswith(tuple(settings.PRIMARY_DATABASE_PREFIXES))
        with db_routers.primary_only(writes or admin):
            response = self.get_response(request)
        if (
            response.status_code == 503
            and not (writes or admin)
            and db_routers.has_replica()
            and not db_routers.replica_is_down()
            and not db_routers.replica_answers()
        ):
            # The replica failed this read: the primary answers it, and the next ones for a
            # while (coopnet.db_routers).
            db_routers.mark_replica_down()
            with db_routers.primary_only():
                response = self.get_response(request)
        return response
