"""The read-only open-data API under /api/v1/, its schema and its documentation."""

import re

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings

from tests.factories import CaseStudyFactory, ContactFactory, OrganisationFactory


@pytest.mark.django_db
def test_case_studies_are_listed_with_everything_about_them(client, demo):
    data = client.get("/api/v1/case-studies/").json()
    assert data["count"] == 2
    birmingham = data["results"][0]
    assert birmingham["slug"] == "strategy-consult-birmingham-cc"
    assert (
        birmingham["url"] == "http://testserver/api/v1/case-studies/strategy-consult-birmingham-cc/"
    )
    assert birmingham["web_url"] == "http://testserver/case-studies/strategy-consult-birmingham-cc/"
    assert len(birmingham["principles"]) == 7
    assert {"slug": "trueman-change", "name": "Trueman Change", "role": "delivery"} in birmingham[
        "organisations"
    ]
    assert "Consultation" in birmingham["themes"]
    assert birmingham["contacts"][0]["name"] == "Lucy Trueman"


@pytest.mark.django_db
def test_case_studies_use_the_same_filters_and_search_as_the_page(client, demo):
    for query in [
        "principle=social-partnership",
        "theme=covid-19",
        "organisation=hyndburn-borough-council",
        "q=Trueman+hub",
        "year=2021&kind=case_study",
        "principle=social-partnership&principle=learning&match=any&sort=title",
    ]:
        api = client.get(f"/api/v1/case-studies/?{query}").json()
        page = client.get(f"/case-studies/?{query}")
        assert [c["slug"] for c in api["results"]] == [
            c.slug for c in page.context["case_studies"]
        ], query


@pytest.mark.django_db
def test_bad_filters_are_explained(client, demo):
    response = client.get("/api/v1/case-studies/?principle=nope&year=abc")
    assert response.status_code == 400
    assert set(response.json()) == {"principle", "year"}


@pytest.mark.django_db
def test_lists_are_paginated(client, principles):
    for _ in range(25):
        CaseStudyFactory()
    first = client.get("/api/v1/case-studies/").json()
    assert first["count"] == 25 and len(first["results"]) == 20
    assert first["next"] == "http://testserver/api/v1/case-studies/?page=2"
    assert len(client.get(first["next"]).json()["results"]) == 5
    assert len(client.get("/api/v1/case-studies/?page_size=5").json()["results"]) == 5
    assert client.get("/api/v1/case-studies/?page=9").status_code == 404


@pytest.mark.django_db
def test_contacts_email_and_phone_only_with_consent(client):
    shy = ContactFactory(name="Shy", email="shy@example.org", phone="0111")
    open_ = ContactFactory(
        name="Open",
        email="open@example.org",
        email_visibility="everyone",
        phone="0222",
        phone_visibility="everyone",
    )
    case_study = CaseStudyFactory(contacts=[shy, open_])
    data = client.get(f"/api/v1/case-studies/{case_study.slug}/").json()
    contacts = {c["name"]: c for c in data["contacts"]}
    assert (contacts["Shy"]["email"], contacts["Shy"]["phone"]) == ("", "")
    assert (contacts["Open"]["email"], contacts["Open"]["phone"]) == ("open@example.org", "0222")
    assert b"shy@example.org" not in client.get("/api/v1/case-studies/").content


@pytest.mark.django_db
@pytest.mark.parametrize("trait", ["draft", "in_review", "scheduled"])
def test_only_published_case_studies_by_every_route(client, principles, trait):
    council = OrganisationFactory(slug="hidden-council", membership="none")  # not a member
    hidden = CaseStudyFactory(councils=[council], principles=principles[:1], **{trait: True})
    assert client.get("/api/v1/case-studies/").json()["count"] == 0
    assert client.get(f"/api/v1/case-studies/{hidden.slug}/").status_code == 404
    assert client.get("/api/v1/principles/").json()["results"][0]["case_study_count"] == 0
    assert client.get("/api/v1/organisations/").json()["count"] == 0
    assert client.get("/api/v1/organisations/hidden-council/").status_code == 404


@pytest.mark.django_db
def test_principles_and_organisations(client, demo):
    principles = client.get("/api/v1/principles/").json()
    assert [p["slug"] for p in principles["results"]][:2] == ["co-production", "innovation"]
    social = client.get("/api/v1/principles/social-partnership/").json()
    assert social["case_study_count"] == 1
    assert social["statement"].startswith("We will strengthen")
    organisations = client.get("/api/v1/organisations/").json()
    counts = {o["slug"]: o["case_study_count"] for o in organisations["results"]}
    assert counts == {
        "birmingham-city-council": 1,
        "hyndburn-borough-council": 1,
        "trueman-change": 2,
    }


@pytest.mark.django_db
def test_the_api_is_read_only(client, demo):
    assert client.post("/api/v1/case-studies/", {"title": "x"}).status_code == 405
    slug = "/api/v1/case-studies/community-covid-response/"
    assert client.delete(slug).status_code == 405
    assert client.put(slug, {}, content_type="application/json").status_code == 405


def test_schema_and_docs_are_published_without_a_cdn(client):
    schema = client.get("/api/v1/schema/?format=json").json()
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/case-studies/" in schema["paths"]
    parameters = {p["name"] for p in schema["paths"]["/api/v1/case-studies/"]["get"]["parameters"]}
    assert {
        "q",
        "principle",
        "match",
        "organisation",
        "theme",
        "kind",
        "year",
        "sort",
    } <= parameters
    text = client.get("/api/v1/docs/").text
    assert "/static/drf_spectacular_sidecar/" in text
    assert "cdn" not in text.lower()
    assert re.search(r"""(?:src|href)=["']?(?:https?:)?//""", text) is None


@pytest.mark.django_db
def test_docs_assets_are_served_by_the_project(client):
    text = client.get("/api/v1/docs/").text
    start = text.index('src="/static/') + len('src="')
    asset = text[start : text.index('"', start)]
    response = client.get(asset)
    assert response.status_code == 200
    assert b"".join(response.streaming_content)
    response.close()


# Property-based: requests generated from the live schema, sent to the WSGI app. -------------
# One property, one suite (issue 12): schemathesis owns "no request to the API makes it fail";
# the odd values tests/test_fuzz_query.py tries in every filter of the pages are tried here in
# every filter of the API's list.


@pytest.fixture
def wsgi_app(demo):
    # As django.test.Client does: keep the test's transaction open between requests.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield get_wsgi_application()
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.mark.slow
@pytest.mark.django_db
def test_generated_requests_never_cause_a_server_error(wsgi_app):
    """Schemathesis generates requests from the live schema; none may fail with a 500."""
    from tests.test_fuzz_query import MARKUP, ODD_VALUES, PARAMETERS

    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", wsgi_app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 6
    seen = []

    def answer(case):
        response = case.call()
        seen.append(response.status_code)
        assert response.status_code < 500, (case.path, case.query, response.text[:300])
        assert response.status_code in (200, 400, 404), (case.path, case.query)
        content_type = response.headers["content-type"][0]
        if content_type.startswith("text/html"):  # the site's own 404 page, for a path
            assert MARKUP not in response.text, (case.path, case.query)
        else:
            assert content_type.startswith("application/json"), (case.path, case.query)

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=25,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def check(case):
            answer(case)

        check()
    assert 200 in seen and len(seen) > 50

    (case_studies,) = [o for o in operations if o.path == "/api/v1/case-studies/"]
    for name in PARAMETERS:
        for value in ODD_VALUES:
            answer(case_studies.Case(query={name: value}))
