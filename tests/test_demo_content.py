import io

import pytest
from django.core.management import call_command

from casestudies.models import CaseStudy, CaseStudyOrganisation, Contact, Organisation, Theme


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (CaseStudy, Organisation, Contact, Theme, CaseStudyOrganisation)
    } | {"links": CaseStudy.principles.through.objects.count()}


@pytest.mark.django_db
def test_loading_the_demo_twice_does_not_duplicate_anything(demo):
    before = counts()
    call_command("load_demo", stdout=io.StringIO())
    assert counts() == before
    assert before["CaseStudy"] == 2
    assert before["Organisation"] == 3


@pytest.mark.django_db
def test_birmingham_meets_all_seven_principles(demo, principles):
    birmingham = CaseStudy.objects.get(slug="strategy-consult-birmingham-cc")
    assert list(birmingham.principles.all()) == principles
    assert [o.name for o in birmingham.councils] == ["Birmingham City Council"]
    assert [o.name for o in birmingham.delivered_by] == ["Trueman Change"]


@pytest.mark.django_db
def test_hyndburn_meets_six_principles_but_not_social_partnership(demo):
    hyndburn = CaseStudy.objects.get(slug="community-covid-response")
    slugs = set(hyndburn.principles.values_list("slug", flat=True))
    assert len(slugs) == 6
    assert "social-partnership" not in slugs
    assert "40 local organisations" in hyndburn.body


@pytest.mark.django_db
def test_lucy_trueman_is_the_birmingham_contact(demo):
    contact = Contact.objects.get()
    assert (contact.name, contact.role, contact.organisation.name) == (
        "Lucy Trueman",
        "Managing Director",
        "Trueman Change",
    )
    assert list(contact.case_studies.values_list("slug", flat=True)) == [
        "strategy-consult-birmingham-cc"
    ]


@pytest.mark.django_db
def test_demo_case_studies_are_public_with_their_themes(demo, client):
    page = client.get("/case-studies/strategy-consult-birmingham-cc/")
    assert page.status_code == 200
    assert "Health and wellbeing" in page.text
    assert "Lucy Trueman" in page.text
    assert "importance of reflecting community voices" in page.text
