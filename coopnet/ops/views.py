"""Health checks and fault pages. None of them needs the database to render."""

import logging
import sys
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import InterfaceError, OperationalError, connections
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.defaults import server_error as default_server_error

logger = logging.getLogger(__name__)


def database_unavailable(request):
    """The friendly 503 page: a plain template, no context processors, no database."""
    body = loader.get_template("503.html").render()
    response = HttpResponse(body, status=503)
    response["Retry-After"] = "30"
    response["Cache-Control"] = "no-store"
    return response


def server_error(request):
    """handler500: a database failure anywhere in the request gets the 503 page."""
    if isinstance(sys.exc_info()[1], (OperationalError, InterfaceError)):
        return database_unavailable(request)
    return default_server_error(request)


@never_cache
def healthz(request):
    """The process is alive and answering. Touches neither the database nor the cache."""
    return JsonResponse({"status": "ok"})


def check_database(alias):
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def check_cache():
    key, value = f"readyz:{uuid.uuid4().hex}", "ok"
    cache.set(key, value, timeout=10)
    if cache.get(key) != value:
        raise ConnectionError("the cache did not return what was just stored in it")
    cache.delete(key)


@never_cache
def readyz(request):
    """Ready to serve: the primary database and the cache answer. 200 if so, 503 otherwise.

    Other databases (READYZ_DATABASES, a read replica) are reported too, but do not decide:
    reads go to the primary while a replica is down (coopnet.db_routers), so a load balancer
    must not take every server out because one replica stopped."""
    checks = {}
    probes = [("database", lambda: check_database("default")), ("cache", check_cache)]
    probes += [
        (alias, lambda alias=alias: check_database(alias))
        for alias in settings.READYZ_DATABASES
        if alias != "default"
    ]
    for name, check in probes:
        try:
            check()
        except Exception as error:
            logger.error("Readiness check %s failed: %s", name, error)
            checks[name] = "unavailable"
        else:
            checks[name] = "ok"
    ready = checks["database"] == "ok" and checks["cache"] == "ok"
    return JsonResponse(
        {"status": "ok" if ready else "unavailable", "checks": checks},
        status=200 if ready else 503,
    )
