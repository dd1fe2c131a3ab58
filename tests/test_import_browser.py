"""Importing a Policy Lab's page in a real browser, from upload to a new principle (issue 13).

A publisher uploads a write-up, reads the preview, confirms, and turns the statement the portal
did not know into a principle; the texts travel through the confirmation form intact (line
breaks included), and axe finds nothing on the pages on the way.
"""

import re

import pytest
from django.contrib.auth import get_user_model

from casestudies.models import CaseStudy
from principles.models import Principle
from tests.test_browser import axe_violations
from tests.test_import_programmes import COUNCILLORS, LAB

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_publisher_imports_a_lab_and_makes_a_principle_of_a_new_statement(
    live_server, open_page, tmp_path
):
    get_user_model().objects.create_superuser("staff", "staff@example.org", "a-long-password")
    source = tmp_path / "food-networks-lab.txt"
    source.write_text(LAB, encoding="utf-8")

    page = open_page()
    page.goto(live_server.url + "/admin/")
    page.get_by_label("Username").fill("staff")
    page.get_by_label("Password").fill("a-long-password")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/admin/$"))

    page.goto(live_server.url + "/admin/casestudies/casestudy/")
    page.get_by_role("link", name="Import write-ups").click()
    # The import page and its stylesheets, not the list still on screen while it loads (axe
    # judged the list's breadcrumbs once, in a fresh clone's CI run).
    page.wait_for_url(re.compile(r"/casestudy/import/$"))
    page.wait_for_load_state()
    assert axe_violations(page) == []
    page.get_by_label("Write-up files").set_input_files(str(source))
    page.get_by_role("button", name="Preview the import").click()
    page.get_by_text("What the import would do (nothing is saved yet)").wait_for()
    assert "Community leadership and a new role for councillors" in page.content()
    assert axe_violations(page) == []
    assert not CaseStudy.objects.exists()

    page.get_by_role("button", name="Import 1 write-up as draft").click()
    page.get_by_text("Imported 1 write-up as a draft.").wait_for()
    lab = CaseStudy.objects.get(slug="food-networks-lab")
    assert len(lab.participating_members) == 22  # the text came back whole, lines and all
    assert lab.contacts.get().name == "Amira Khan"

    page.goto(live_server.url + "/admin/casestudies/unrecognisedstatement/")
    assert axe_violations(page) == []
    page.get_by_role("link", name=re.compile("^Make a principle")).click()
    page.get_by_label("Title").wait_for()  # the decision page, not the list
    page.wait_for_load_state()
    assert axe_violations(page) == []
    page.get_by_label("Title").fill("Community leadership")
    page.get_by_label("Slug").fill("community-leadership")
    page.get_by_role("button", name=re.compile("^Make the principle and link 1 case study")).click()
    page.get_by_text("Made the principle").wait_for()
    principle = Principle.objects.get(slug="community-leadership")
    assert principle.statement == COUNCILLORS
    assert principle in lab.principles.all()
