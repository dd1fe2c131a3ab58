"""Only published case studies reach the public, by every page."""

import pytest

from casestudies.models import CaseStudy
from tests.factories import CaseStudyFactory, OrganisationFactory

HIDDEN = {
    "draft": {"draft": True},
    "in review": {"in_review": True},
    "scheduled": {"scheduled": True},
}


@pytest.fixture(params=HIDDEN.values(), ids=HIDDEN.keys())
def hidden(request, principles):
    # Not a network member: it has a public page only through published work.
    council = OrganisationFactory(name="Hidden Council", slug="hidden-council", membership="none")
    return CaseStudyFactory(
        title="Secret work in progress",
        principles=principles[:1],
        councils=[council],
        themes=["Secret theme"],
        **request.param,
    )


@pytest.mark.django_db
def test_hidden_case_study_page_is_not_found(client, hidden):
    response = client.get(hidden.get_absolute_url())
    assert response.status_code == 404
    assert "Page not found" in response.text


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/case-studies/",
        "/case-studies/?q=Secret",
        "/case-studies/?theme=secret-theme",
        "/principles/co-production/",
        "/principles/",
        "/organisations/",
        "/organisations/hidden-council/",
    ],
)
def test_hidden_case_study_is_not_listed(client, hidden, url):
    response = client.get(url)
    assert response.status_code in (200, 400, 404)  # its organisation has no page: 404
    assert "Secret work in progress" not in response.text


@pytest.mark.django_db
def test_hidden_case_studies_are_not_counted(client, hidden):
    assert "0 case studies" in client.get("/principles/").text
    assert "Hidden Council" not in client.get("/organisations/").text


@pytest.mark.django_db
def test_publishing_makes_a_case_study_public(client, hidden):
    hidden.status = CaseStudy.Status.PUBLISHED
    hidden.published_at = None
    hidden.save()
    assert client.get(hidden.get_absolute_url()).status_code == 404  # no date yet
    CaseStudy.objects.filter(pk=hidden.pk).update(published_at="2024-01-01T00:00Z")
    assert client.get(hidden.get_absolute_url()).status_code == 200


@pytest.mark.django_db
def test_published_queryset_is_the_only_public_set(hidden):
    visible = CaseStudyFactory(title="Out in the open")
    assert list(CaseStudy.objects.published()) == [visible]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/feeds/case-studies.rss",
        "/feeds/case-studies.atom",
        "/feeds/principles/co-production.rss",
        "/feeds/principles/co-production.atom",
        "/feeds/organisations/hidden-council.rss",
        "/feeds/organisations/hidden-council.atom",
        "/sitemap-case-studies.xml",
        "/sitemap-themes.xml",
        "/sitemap-organisations.xml",
        "/principles/coverage/",
        "/principles/coverage/?q=Secret",
        "/case-studies/export.csv",
        "/case-studies/export.csv?q=Secret",
        "/api/v1/case-studies/",
        "/api/v1/case-studies/?q=Secret",
        "/api/v1/organisations/",
    ],
)
def test_hidden_case_study_is_in_no_feed_sitemap_export_or_api(client, hidden, url):
    response = client.get(url)
    if "hidden-council" in url:  # known only from unpublished work: no feed at all
        assert response.status_code == 404
        return
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert b"Secret work in progress" not in body
    assert hidden.slug.encode() not in body
    assert b"Secret theme" not in body
    assert b"hidden-council" not in body or "organisations/hidden-council" in url


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/case-studies/{slug}/",
        "/feeds/themes/secret-theme.rss",
        "/case-studies/?theme=secret-theme",
        "/case-studies/export.csv?theme=secret-theme",
        "/case-studies/pack.pdf?theme=secret-theme",
    ],
)
def test_hidden_case_study_and_its_theme_cannot_be_reached(client, hidden, url):
    response = client.get(url.format(slug=hidden.slug))
    assert response.status_code in (400, 404)
    assert "Secret" not in response.content.decode()


@pytest.mark.django_db
def test_an_organisation_only_in_drafts_has_no_page_feed_or_filter(client, principles):
    """Known only from unpublished work: no page, feed or filter chip, even by its slug. A
    network member has its page whatever its case studies."""
    stranger = OrganisationFactory(name="Draft Only", slug="draft-only", membership="none")
    member = OrganisationFactory(name="Member Council", slug="member-council", membership="full")
    CaseStudyFactory(draft=True, councils=[stranger, member])
    for url in (
        "/organisations/draft-only/",
        "/feeds/organisations/draft-only.rss",
        "/api/v1/organisations/draft-only/",
    ):
        assert client.get(url).status_code == 404, url
    listed = client.get("/case-studies/", {"organisation": "draft-only"})
    assert listed.status_code == 400
    assert "Draft Only" not in listed.text
    assert client.get("/organisations/member-council/").status_code == 200
    assert client.get("/feeds/organisations/member-council.rss").status_code == 200
