"""With the database down visitors get a friendly 503 and the site recovers by itself; with the
cache down the site keeps serving, uncached."""

import logging
import sys

import pytest
from django.core.cache import cache
from django.db import OperationalError, connections
from django.test import Client, RequestFactory

from coopnet.ops.views import server_error
from tests.databases import broken_connection
from tests.factories import CaseStudyFactory


@pytest.fixture
def database_down(db):
    """Point the default connection at a database that cannot be reached: a closed port on
    PostgreSQL, a file in a missing folder on SQLite. Undone at the end, like a restored server.
    """
    original = connections["default"]
    broken = broken_connection("default")
    connections["default"] = broken

    def restore():
        connections["default"] = original
        broken.close()

    restore.broken = broken
    yield restore
    if connections["default"] is broken:
        restore()


@pytest.fixture
def case_study(principles):
    return CaseStudyFactory(title="Oldham solar", slug="oldham-solar", principles=principles[:1])


def assert_friendly_503(response):
    assert response.status_code == 503
    assert "unavailable for a moment" in response.text
    assert "Traceback" not in response.text and "OperationalError" not in response.text
    assert response["Retry-After"] == "30"
    assert response["Cache-Control"] == "no-store"


PAGES = ["/", "/case-studies/", "/case-studies/oldham-solar/", "/principles/"]


@pytest.mark.parametrize("url", PAGES)
def test_with_the_database_down_visitors_get_a_friendly_503(client, case_study, database_down, url):
    assert_friendly_503(client.get(url))


def test_with_the_database_down_staff_get_the_503_page_too(client, database_down):
    from django.contrib.auth.models import User

    database_down()
    client.force_login(User.objects.create_superuser("admin", "a@example.org", "pw"))
    connections["default"] = database_down.broken
    assert_friendly_503(client.get("/admin/"))


def test_the_503_page_is_logged(client, database_down, caplog):
    with caplog.at_level(logging.ERROR, logger="coopnet.ops"):
        client.get("/principles/")
    assert any("Database unavailable" in record.message for record in caplog.records)


def test_readyz_reports_the_database_down_and_healthz_stays_up(client, database_down):
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "checks": {"database": "unavailable", "cache": "ok"},
    }
    assert client.get("/healthz").status_code == 200


def test_the_site_recovers_without_a_restart(client, case_study, database_down):
    assert client.get("/case-studies/").status_code == 503
    assert client.get("/readyz").status_code == 503
    database_down()  # the database is back
    response = client.get("/case-studies/")
    assert response.status_code == 200
    assert "Oldham solar" in response.text
    assert client.get("/readyz").status_code == 200


def test_a_database_failure_outside_a_view_also_gets_the_503_page(db):
    request = RequestFactory().get("/")
    try:
        raise OperationalError("connection refused")
    except OperationalError:
        assert sys.exc_info()[0] is OperationalError
        response = server_error(request)
    assert response.status_code == 503
    assert b"unavailable for a moment" in response.content


def test_other_errors_still_get_the_500_page(db):
    request = RequestFactory().get("/")
    try:
        raise ValueError("a bug")
    except ValueError:
        response = server_error(request)
    assert response.status_code == 500


CLOSED_PORT = "redis://127.0.0.1:1/0"
CACHE_BACKENDS = {
    "django-redis": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": CLOSED_PORT,
        "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 0.5},
    },
    "django built-in redis": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": CLOSED_PORT,
        "OPTIONS": {"socket_connect_timeout": 0.5},
    },
}


@pytest.fixture(params=CACHE_BACKENDS.values(), ids=CACHE_BACKENDS.keys())
def cache_down(request, settings, db):
    settings.CACHES = {"default": request.param}
    settings.PAGE_CACHE_SECONDS = 300


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/case-studies/",
        "/case-studies/?q=oldham&kind=case_study",
        "/principles/coverage/",
        "/case-studies/oldham-solar/",
    ],
)
def test_with_the_cache_down_pages_are_served_uncached(client, case_study, cache_down, url):
    for _ in range(2):
        response = client.get(url)
        assert response.status_code == 200
        assert "Oldham solar" in response.text
        assert "X-Page-Cache" not in response


def test_cache_errors_are_logged(client, case_study, cache_down, caplog):
    with caplog.at_level(logging.WARNING):
        client.get("/case-studies/")
    assert caplog.records, "the cache failure is logged"


def test_content_changes_with_the_cache_down_do_not_fail(client, case_study, cache_down):
    case_study.title = "Oldham solar, phase two"
    case_study.save()
    assert "phase two" in client.get("/case-studies/").text


def test_readyz_reports_the_cache_down(client, cache_down):
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "ok", "cache": "unavailable"}


def test_staff_keep_working_with_the_cache_down(cache_down, case_study):
    from django.contrib.auth.models import User

    staff = Client()
    staff.force_login(User.objects.create_superuser("admin", "a@example.org", "pw"))
    assert staff.get("/admin/casestudies/casestudy/").status_code == 200
    cache.close()


def test_pages_in_the_cache_are_still_served_with_the_database_down(
    client, case_study, settings, database_down
):
    database_down()  # up while the page is cached
    settings.PAGE_CACHE_SECONDS = 300
    cache.clear()
    assert client.get("/case-studies/")["X-Page-Cache"] == "miss"
    connections["default"] = database_down.broken
    response = client.get("/case-studies/")
    assert response.status_code == 200
    assert "Oldham solar" in response.text
    assert client.get("/principles/").status_code == 503  # not cached: the friendly page
    cache.clear()


def test_the_503_page_is_accessible_html(client, database_down):
    from tests.test_html import Outline

    outline = Outline()
    outline.feed(client.get("/").text)
    assert outline.html_lang == "en-GB"
    assert outline.first_link == "#main"
    assert outline.tags.count("h1") == 1
    for landmark in ("header", "main", "footer"):
        assert landmark in outline.tags
