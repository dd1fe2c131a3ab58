"""Hostile requests get a 4xx answer with a page, never a 500, on SQLite and PostgreSQL.

The addresses come from the URLconf itself, so a new page is covered without being listed.
"""

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from casestudies.discovery.filters import CaseStudyFilter
from tests.factories import CaseStudyFactory, OrganisationFactory

HOSTILE_VALUES = {
    "NUL": "a\x00b",
    "over-long": "x" * 5000,
    "control characters": "\x01\x1f\x7f",
    "not UTF-8 once decoded": "%ff%fe",
    "SQL": "' OR 1=1 --",
}


def public_routes(patterns=None, prefix=""):
    """Every route of the site but the staff pages, with its parameter names."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(entry.pattern)
        if route.startswith("admin/"):
            continue
        if isinstance(entry, URLResolver):
            yield from public_routes(entry.url_patterns, route)
        elif isinstance(entry, URLPattern):
            yield route, list(entry.pattern.converters)


def with_value(route, value):
    """The route with every <parameter> replaced by `value` (None if it has none)."""
    if "<" not in route:
        return None
    path = route
    while "<" in path:
        start, end = path.index("<"), path.index(">")
        path = path[:start] + value + path[end + 1 :]
    return "/" + path.lstrip("^").rstrip("$")


@pytest.fixture
def site(principles):
    council = OrganisationFactory(name="Leeds City Council", slug="leeds")
    CaseStudyFactory(title="Leeds energy", slug="leeds-energy", councils=[council])


@pytest.fixture
def anyone():
    return Client(raise_request_exception=False)


def assert_clear_answer(response, what):
    assert response.status_code in {301, 302, 400, 404, 405, 406}, f"{what}: {response.status_code}"


@pytest.mark.django_db
@pytest.mark.parametrize("kind", HOSTILE_VALUES)
def test_every_path_parameter(anyone, site, kind):
    checked = 0
    for route, _ in public_routes():
        url = with_value(route, HOSTILE_VALUES[kind])
        if url is None or "(?P" in route:
            continue
        assert_clear_answer(anyone.get(url), url[:80])
        checked += 1
    assert checked >= 14  # case studies, organisations, principles, feeds, API, sitemaps


QUERY_PAGES = [
    "/case-studies/",
    "/principles/coverage/",
    "/case-studies/export.csv",
    "/api/v1/case-studies/",
    "/api/v1/principles/",
    "/organisations/leeds/",
    "/principles/learning/",
    "/sitemap-case-studies.xml",
    "/",
]
PARAMETERS = [*CaseStudyFilter.base_filters, "page", "page_size", "format", "p", "junk"]


@pytest.mark.slow
@pytest.mark.django_db
@pytest.mark.parametrize("kind", HOSTILE_VALUES)
def test_every_query_parameter(anyone, site, kind):
    value = HOSTILE_VALUES[kind]
    for page in QUERY_PAGES:
        for name in PARAMETERS:
            response = anyone.get(page, {name: value})
            if response.status_code != 200:
                assert_clear_answer(response, f"{page}?{name}=<{kind}>")
        # And as a parameter's name.
        response = anyone.get(page, {value: "1"})
        if response.status_code != 200:
            assert_clear_answer(response, f"{page}?<{kind}>=1")


@pytest.mark.django_db
def test_a_nul_character_is_a_400_page(anyone, site):
    for url in ("/case-studies/a%00b/", "/api/v1/case-studies/a%00b/", "/organisations/%00/"):
        response = anyone.get(url)
        assert response.status_code == 400, url
        assert "could not understand" in response.text
    # In a filter, the form says so beside the field.
    listed = anyone.get("/case-studies/?q=%00")
    assert listed.status_code == 400
    assert "Null characters are not allowed" in listed.text


@pytest.mark.django_db
@pytest.mark.parametrize("host", ["evil.example", "127.0.0.1:8000@evil.example", "a" * 300])
def test_a_host_we_do_not_serve_is_a_400_on_every_path(anyone, site, host):
    for route, _ in public_routes():
        url = with_value(route, "leeds-energy") or "/" + route.lstrip("^").rstrip("$")
        if "(?P" in route:
            continue
        response = anyone.get(url, HTTP_HOST=host)
        assert response.status_code == 400, f"{url}: {response.status_code}"
    for url in ("/healthz", "/readyz", "/admin/", "/no-such-page/"):
        assert anyone.get(url, HTTP_HOST=host).status_code == 400, url
