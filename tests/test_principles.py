from pathlib import Path

import pytest

from principles.models import Principle
from tests.factories import CaseStudyFactory, PrincipleFactory

SEED = (
    Path(__file__).resolve().parent.parent
    / "casestudies/demo/birmingham-health-and-wellbeing-consultation.txt"
).read_text(encoding="utf-8")

TITLES = [
    "Co-production",
    "Innovation",
    "Learning",
    "Maximising social value",
    "New models of meeting priority needs",
    "Social partnership",
    "Walking the talk",
]


@pytest.mark.django_db
def test_migration_creates_the_seven_principles_in_order(principles):
    assert [p.title for p in principles] == TITLES


@pytest.mark.django_db
def test_statements_are_the_networks_words_verbatim(principles):
    seed_lines = SEED.splitlines()
    for principle in principles:
        title_line = seed_lines.index(principle.title)
        assert seed_lines[title_line + 1] == principle.statement


@pytest.mark.django_db
def test_walking_the_talk_keeps_its_six_commitments():
    walking = Principle.objects.get(slug="walking-the-talk")
    commitments = list(walking.commitments.all())
    assert [c.title for c in commitments] == [
        "Co-operation among members",
        "Openness of membership",
        "Co-production of the Network\u2019s work",
        "Action-focused",
        "Membership-based",
        "Non-party-political",
    ]
    for commitment in commitments:
        assert commitment.text in SEED


@pytest.mark.django_db
def test_staff_added_principles_appear_everywhere_principles_are_listed(client):
    extra = PrincipleFactory(title="Democratic engagement", slug="democratic-engagement")
    CaseStudyFactory(principles=[extra])
    assert Principle.objects.count() == 8
    for url in ["/", "/principles/", "/case-studies/"]:
        assert "Democratic engagement" in client.get(url).text
    page = client.get(extra.get_absolute_url())
    assert page.status_code == 200
    assert "Case studies meeting this principle (1)" in page.text


@pytest.mark.django_db
def test_reordering_principles_changes_the_order_shown(client):
    Principle.objects.filter(slug="walking-the-talk").update(position=1)
    text = client.get("/principles/").text
    assert text.index("Walking the talk") < text.index("Co-production")


@pytest.mark.django_db
def test_a_principle_cannot_take_the_address_of_another_page(publisher_client):
    from tests.factories import UserFactory

    staff = UserFactory(username="network-admin", is_superuser=True)
    publisher_client.force_login(staff)
    response = publisher_client.post(
        "/admin/principles/principle/add/",
        {
            "title": "Coverage",
            "slug": "coverage",
            "statement": "We will cover everything.",
            "position": "8",
            "colour": "",
            "icon": "",
            "commitments-TOTAL_FORMS": "0",
            "commitments-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "is the address of another page (/principles/coverage/)" in response.text
    assert not Principle.objects.filter(slug="coverage").exists()
