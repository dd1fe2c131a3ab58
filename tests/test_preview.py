"""Staff preview a case study of any status as the public page would show it; nobody else."""

import pytest

from tests.factories import CaseStudyFactory, UserFactory


@pytest.fixture
def own_draft(own_organisation):
    return CaseStudyFactory(
        title="Oldham food hub", slug="oldham-food-hub", draft=True, councils=[own_organisation]
    )


@pytest.fixture
def other_draft(other_organisation):
    return CaseStudyFactory(
        title="Rochdale secret", slug="rochdale-secret", draft=True, councils=[other_organisation]
    )


@pytest.mark.django_db
def test_publishers_preview_any_draft_as_the_public_page_shows_it(publisher_client, other_draft):
    response = publisher_client.get("/case-studies/rochdale-secret/preview/")
    assert response.status_code == 200
    assert "<h1>Rochdale secret</h1>" in response.text
    assert "The public cannot see this page" in response.text
    assert 'content="noindex, nofollow"' in response.text
    assert "no-store" in response["Cache-Control"]
    # The same template as the public page: the draft, once published, looks the same.
    assert "casestudies/casestudy_detail.html" in [t.name for t in response.templates]


@pytest.mark.django_db
def test_member_editors_preview_only_their_own_organisations_drafts(
    editor_client, own_draft, other_draft
):
    assert editor_client.get("/case-studies/oldham-food-hub/preview/").status_code == 200
    response = editor_client.get("/case-studies/rochdale-secret/preview/")
    assert response.status_code == 404
    assert "Rochdale secret" not in response.text


@pytest.mark.django_db
def test_visitors_are_asked_to_sign_in_and_see_nothing(client, own_draft):
    response = client.get("/case-studies/oldham-food-hub/preview/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/?next=")
    assert "Oldham food hub" not in client.get("/case-studies/oldham-food-hub/").text


@pytest.mark.django_db
def test_signed_in_non_staff_get_not_found(client, own_draft):
    client.force_login(UserFactory(username="reader", is_staff=False))
    response = client.get("/case-studies/oldham-food-hub/preview/")
    assert response.status_code == 404
    assert "Page not found" in response.text


@pytest.mark.django_db
def test_scheduled_case_studies_say_when_they_go_live(publisher_client):
    CaseStudyFactory(slug="soon", scheduled=True)
    response = publisher_client.get("/case-studies/soon/preview/")
    assert "Scheduled to be published on" in response.text


@pytest.mark.django_db
def test_the_admin_links_drafts_to_their_preview(publisher_client, own_draft):
    response = publisher_client.get(f"/admin/casestudies/casestudy/{own_draft.pk}/change/")
    assert 'href="/case-studies/oldham-food-hub/preview/"' in response.text


@pytest.mark.django_db
def test_the_admin_links_live_case_studies_to_their_public_page(publisher_client):
    live = CaseStudyFactory(slug="live-work")
    response = publisher_client.get(f"/admin/casestudies/casestudy/{live.pk}/change/")
    assert 'href="/case-studies/live-work/"' in response.text


@pytest.mark.django_db
def test_the_preview_is_a_well_formed_page(publisher_client, own_draft):
    from tests.test_html import Outline

    outline = Outline()
    outline.feed(publisher_client.get(own_draft.get_preview_url()).text)
    assert outline.tags.count("h1") == 1
    for landmark in ("header", "nav", "main", "footer"):
        assert landmark in outline.tags
    assert len(outline.ids) == len(set(outline.ids))
