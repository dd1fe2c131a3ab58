"""Odd input gets a clear answer, never a server error: the answers that matter, one by one.

That no query string at all makes a page fail is a property, checked by hypothesis in
tests/test_fuzz_query.py (pages and CSV export, each odd value there in each filter of the
lists among its examples) and by schemathesis in tests/test_api.py (the API), once each.
"""

import pytest

from tests.factories import CaseStudyFactory

ROUTES = [
    "/case-studies/",
    "/case-studies/export.csv",
    "/principles/coverage/",
    "/api/v1/case-studies/",
]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/principles/no-such-principle/",
        "/organisations/no-such-organisation/",
        "/case-studies/no-such-case-study/",
        "/principles/learning/?page=abc",
        "/principles/learning/?page=500",
        "/organisations/?page=x",
    ],
)
def test_unknown_things_are_friendly_not_found_pages(client, principles, url):
    response = client.get(url)
    assert response.status_code in (200, 404)
    if response.status_code == 404:
        assert "Browse all case studies" in response.text


@pytest.mark.django_db
def test_unknown_principle_filter_explains_itself(client, principles):
    response = client.get("/case-studies/?principle=no-such-thing")
    assert response.status_code == 400
    assert "Some filters could not be used" in response.text
    assert "no-such-thing" in response.text


@pytest.mark.django_db
def test_page_past_the_end_is_not_found(client, principles):
    CaseStudyFactory()
    response = client.get("/case-studies/?page=7")
    assert response.status_code == 404
    assert "Page not found" in response.text


@pytest.mark.django_db
def test_overlong_search_is_refused_with_a_message(client, principles):
    response = client.get("/case-studies/", {"q": "word " * 100})
    assert response.status_code == 400
    assert "at most 200 characters" in response.text


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        "Hyndburn\u0301 co\u2011op",  # combining accent, non-breaking hyphen
        "\u202eevil\u202c",  # right-to-left override
        "\U0001f600 \U0001f3e0 housing",
        "\ufeff\u200b",  # invisible characters only
        "!!! ??? ***",
        "a & b | c ! (d) <-> 'e':*",  # tsquery operators
        "\\ % _ ; --",
        "\u4f4f\u623f \u0436\u0438\u043b\u044c\u0435",
    ],
)
def test_odd_searches_are_answered(client, demo, query):
    for route in ROUTES:
        response = client.get(route, {"q": query})
        assert response.status_code == 200, route


@pytest.mark.django_db
def test_nul_character_in_search_is_refused_with_a_message(client, principles):
    response = client.get("/case-studies/", {"q": "a\x00b"})
    assert response.status_code == 400
    assert "Null characters are not allowed" in response.text


@pytest.mark.django_db
def test_pagination_keeps_every_filter(client, principles):
    for _ in range(25):
        CaseStudyFactory(principles=principles[:1], themes=["Housing"], year=2020)
    url = f"/case-studies/?principle={principles[0].slug}&theme=housing&year=2020&sort=title"
    text = client.get(url).text
    assert (
        f"?principle={principles[0].slug}&amp;theme=housing&amp;year=2020&amp;sort=title&amp;page=2"
        in text
    )


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["abc", "0", "-1", "9999", "1.5", "last"])
def test_bad_page_numbers_are_a_helpful_not_found(client, principles, page):
    CaseStudyFactory()
    response = client.get("/case-studies/", {"page": page, "theme": ""})
    if page == "last":
        assert response.status_code == 200
        return
    assert response.status_code == 404
    assert "Browse all case studies" in response.text


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("parameter", "value"),
    [("theme", "no-such-theme"), ("organisation", "no-such-organisation"), ("sort", "sideways")],
)
def test_unknown_values_are_explained(client, principles, parameter, value):
    response = client.get("/case-studies/", {parameter: value})
    assert response.status_code == 400
    assert "Some filters could not be used" in response.text
    assert value in response.text
