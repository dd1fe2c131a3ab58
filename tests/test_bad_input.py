"""Odd input gets a clear answer, never a server error."""

import pytest

from tests.factories import CaseStudyFactory

ODD_VALUES = [
    "",
    "abc",
    "-1",
    "0",
    "99999999999999999999",
    "1e9",
    "%00",
    "\u202e\u0000",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "\U0001f600" * 50,
    "x" * 5000,
]
PARAMETERS = ["page", "principle", "match", "organisation", "theme", "kind", "year", "q"]


@pytest.mark.django_db
@pytest.mark.parametrize("parameter", PARAMETERS)
@pytest.mark.parametrize("value", ODD_VALUES, ids=range(len(ODD_VALUES)))
def test_list_parameters_never_cause_a_server_error(client, principles, parameter, value):
    CaseStudyFactory(principles=principles[:2])
    response = client.get("/case-studies/", {parameter: value})
    assert response.status_code in (200, 400, 404)
    assert "<script>alert(1)</script>" not in response.text


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
