"""The network's old addresses, /case-study/<slug> and /project/<slug>, move permanently to
the new pages."""

import pytest

from tests.factories import CaseStudyFactory


@pytest.mark.django_db
@pytest.mark.parametrize(
    "old",
    [
        "/case-study/community-covid-response",
        "/case-study/community-covid-response/",
        "/project/community-covid-response",
        "/project/community-covid-response/",
    ],
)
def test_old_addresses_redirect_permanently(client, demo, old):
    response = client.get(old)
    assert response.status_code == 301
    assert response["Location"] == "/case-studies/community-covid-response/"
    assert client.get(response["Location"]).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    "slug,traits",
    [
        ("no-such-case-study", None),
        ("a-draft", {"draft": True}),
        ("in-review", {"in_review": True}),
        ("scheduled", {"scheduled": True}),
    ],
)
def test_unknown_or_unpublished_slugs_get_the_friendly_not_found_page(client, slug, traits):
    if traits is not None:
        CaseStudyFactory(slug=slug, title="Hidden work", **traits)
    for url in (
        f"/case-study/{slug}",
        f"/case-study/{slug}/",
        f"/project/{slug}",
        f"/project/{slug}/",
    ):
        response = client.get(url)
        assert response.status_code == 404
        assert "Page not found" in response.text
        assert "Hidden work" not in response.text
        assert "Location" not in response
