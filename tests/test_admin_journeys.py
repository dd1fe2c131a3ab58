"""The staff journeys in a real browser, counting what the person does.

A member editor goes from nothing (an invitation in their inbox) to a case study submitted for
review in 8 actions or fewer; a publisher from the admin home (where the submission waits) to
the case study published in 4 or fewer. An action is a click, a fill, a tick or a key press that
submits, each made through `Journey` so that it is counted. axe finds no violations on the
pages they pass through.

Before the workflow buttons (issue 15), the same journeys, walked the same way on that code,
took 12 actions for the editor (from signing in to an account someone else had set up: three
actions to sign in, an autocomplete's three for a principle, a Status dropdown and Save) and 4
for the publisher from the admin home (7 with signing in: the review queue, Edit, the Status
dropdown, Save), with "changed successfully" as the only message.
"""

import re

import pytest
from django.contrib.auth.models import Group, User
from django.core import mail

from casestudies.models import CaseStudy
from tests.factories import CaseStudyFactory, OrganisationFactory, UserFactory
from tests.test_browser import axe_violations

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "a-long-pass-phrase-42"


class Journey:
    """A page, and every action taken on it, in order."""

    def __init__(self, page):
        self.page = page
        self.actions = []

    def click(self, locator, what):
        locator.click()
        self.actions.append(f"click {what}")

    def fill(self, locator, text, what):
        locator.fill(text)
        self.actions.append(f"fill {what}")

    def check(self, locator, what):
        locator.check()
        self.actions.append(f"tick {what}")


def assert_accessible(page, what):
    violations = axe_violations(page)
    assert violations == [], f"{what}: {violations}"


def sign_in(page, base, username, password):
    """Not counted: the journeys start where the person already is."""
    page.goto(base + "/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/admin/$"))


@pytest.fixture
def oldham(principles):
    return OrganisationFactory(name="Oldham Council", slug="oldham-council")


def test_a_member_editor_goes_from_an_invitation_to_a_submitted_case_study_in_8_actions(
    live_server, open_page, oldham, client
):
    # A publisher invited them (tests/test_invitations.py shows that step, one form).
    publisher = UserFactory(username="publisher", groups=["Publishers"])
    client.force_login(publisher)
    client.post(
        "/admin/casestudies/editorinvitation/add/",
        {"email": "olu@oldham.example", "organisation": oldham.pk},
    )
    link = re.search(r"http://testserver(/invitations/\S+/)", mail.outbox[-1].body)[1]

    page = open_page()
    journey = Journey(page)
    page.goto(live_server.url + link)  # following the emailed link
    assert_accessible(page, "accepting an invitation")
    journey.fill(page.get_by_label("New password", exact=True), PASSWORD, "password")
    journey.fill(page.get_by_label("New password confirmation"), PASSWORD, "password again")
    journey.click(page.get_by_role("button", name="Accept and sign in"), "accept")
    page.wait_for_url(re.compile(r"/admin/casestudies/casestudy/add/$"))
    assert "member editor of Oldham Council" in page.locator(".messagelist").inner_text()
    assert_accessible(page, "the add form")

    journey.fill(page.get_by_label("Title"), "Oldham food hub", "title")
    journey.fill(
        page.get_by_label("Summary"), "Volunteers and the council feed 300 families.", "summary"
    )
    journey.fill(
        page.get_by_role("textbox", name="Body"),
        "The hub opened in a week, run with 40 local groups.",
        "body",
    )
    journey.check(page.get_by_label("Co-production"), "a principle")
    journey.click(page.get_by_role("button", name="Submit for review"), "submit")
    page.wait_for_url(re.compile(r"/admin/$"))
    assert "was submitted for review" in page.locator(".messagelist").inner_text()
    assert "Waiting for a publisher (1)" in page.text_content("body")
    assert_accessible(page, "the editor's admin home")

    assert len(journey.actions) <= 8, journey.actions
    assert len(journey.actions) == 8
    case_study = CaseStudy.objects.get(title="Oldham food hub")
    assert case_study.status == CaseStudy.Status.IN_REVIEW
    assert [o.name for o in case_study.councils] == ["Oldham Council"]
    assert case_study.slug == "oldham-food-hub"
    assert User.objects.get(email="olu@oldham.example").editor_membership.organisation == oldham


def test_a_publisher_goes_from_the_admin_home_to_published_in_4_actions(
    live_server, open_page, oldham, principles, client
):
    waiting = CaseStudyFactory(
        title="Oldham food hub",
        slug="oldham-food-hub",
        in_review=True,
        year=None,
        councils=[oldham],
        principles=[principles[0]],
    )
    publisher = User.objects.create_user("pat", password=PASSWORD, is_staff=True)
    publisher.groups.add(Group.objects.get(name="Publishers"))
    page = open_page()
    sign_in(page, live_server.url, "pat", PASSWORD)
    assert "Waiting for your review (1)" in page.text_content("body")
    assert_accessible(page, "the publisher's admin home")

    journey = Journey(page)
    journey.click(page.get_by_role("link", name="Oldham food hub"), "the waiting case study")
    page.wait_for_url(re.compile(rf"/admin/casestudies/casestudy/{waiting.pk}/change/$"))
    panel = page.locator(".workflow-panel")
    assert "the year of the work" in panel.inner_text()  # seen before pressing anything
    assert_accessible(page, "the case study under review")
    journey.fill(page.get_by_label("Year"), "2024", "the missing year")
    journey.click(page.get_by_role("button", name="Publish", exact=True), "publish")
    page.wait_for_url(re.compile(r"/admin/$"))
    assert "is published" in page.locator(".messagelist").inner_text()
    assert "Waiting for your review (0)" in page.text_content("body")

    assert len(journey.actions) <= 4, journey.actions
    assert len(journey.actions) == 3
    page.goto(live_server.url + "/case-studies/oldham-food-hub/")
    assert page.locator("h1").inner_text() == "Oldham food hub"


def test_the_invitation_and_send_back_pages_are_accessible(
    live_server, open_page, oldham, principles
):
    CaseStudyFactory(title="Thin one", in_review=True, councils=[oldham])
    User.objects.create_superuser("root", "root@example.org", PASSWORD)
    page = open_page()
    sign_in(page, live_server.url, "root", PASSWORD)
    page.goto(live_server.url + "/admin/casestudies/editorinvitation/add/")
    assert_accessible(page, "the invitation form")
    page.goto(live_server.url + "/admin/casestudies/casestudy/add/")
    assert_accessible(page, "the publisher's add form")
    page.goto(live_server.url + "/admin/casestudies/casestudy/")
    page.get_by_role("link", name="Thin one").click()
    assert "at least one principle" in page.locator(".workflow-panel").inner_text()
    page.get_by_label("Comment for the editor").fill("Which principles does it meet?")
    page.get_by_role("button", name="Send back to draft").click()
    page.wait_for_url(re.compile(r"/admin/$"))
    assert "sent back to draft" in page.locator(".messagelist").inner_text()
    page.goto(live_server.url + f"/admin/auth/user/{User.objects.get(username='root').pk}/change/")
    assert_accessible(page, "the user page")
