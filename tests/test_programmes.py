"""Policy Labs and prototypes: their lead member, participating members, year and status, on
every page and format that shows a case study (issue 13, point 1)."""

import csv
import io
import json

import pytest

from casestudies.models import CaseStudy, CaseStudyOrganisation
from tests.factories import CaseStudyFactory, OrganisationFactory

Role = CaseStudyOrganisation.Role


@pytest.fixture
def lab(principles):
    lead = OrganisationFactory(name="Lambeth Council", slug="lambeth")
    members = [
        OrganisationFactory(name=f"{town} Council", slug=town.lower())
        for town in ("Oldham", "Preston", "Rochdale", "Sunderland")
    ]
    case_study = CaseStudyFactory(
        title="Community wealth building lab",
        slug="community-wealth-lab",
        kind=CaseStudy.Kind.POLICY_LAB,
        year=2020,
        programme_status="Policy Labs",
        principles=principles[:2],
    )
    case_study.roles.create(organisation=lead, role=Role.LEAD)
    for member in members:
        case_study.roles.create(organisation=member, role=Role.PARTICIPANT)
    return case_study


@pytest.mark.django_db
def test_the_page_names_the_lead_and_every_participating_member(client, lab):
    page = client.get(lab.get_absolute_url()).text
    assert "Lead member</dt>" in page and 'href="/organisations/lambeth/"' in page
    assert "Participating members (4)" in page
    for town in ("oldham", "preston", "rochdale", "sunderland"):
        assert f'href="/organisations/{town}/"' in page
    assert "Policy Labs" in page and "2020" in page


@pytest.mark.django_db
def test_an_organisation_page_lists_the_labs_it_led_and_took_part_in(client, lab):
    led = client.get("/organisations/lambeth/").text
    assert "Led (1)" in led and "Community wealth building lab" in led
    assert "Took part in" not in led
    took_part = client.get("/organisations/preston/").text
    assert "Took part in (1)" in took_part and "Led (" not in took_part
    draft = CaseStudyFactory(title="Secret lab", draft=True)
    draft.roles.create(organisation=lab.roles.get(role=Role.LEAD).organisation, role=Role.LEAD)
    assert "Secret lab" not in client.get("/organisations/lambeth/").text


@pytest.mark.django_db
def test_the_list_filters_by_a_participating_member(client, lab):
    CaseStudyFactory(title="Another piece of work")
    listed = client.get("/case-studies/", {"organisation": "preston"}).text
    assert "Community wealth building lab" in listed
    assert "Another piece of work" not in listed
    assert "Lambeth Council" in listed  # the card names the lead member


@pytest.mark.django_db
def test_the_api_csv_feeds_and_json_ld_show_the_members(client, lab):
    data = client.get(f"/api/v1/case-studies/{lab.slug}/").json()
    roles = {(o["slug"], o["role"]) for o in data["organisations"]}
    assert ("lambeth", "lead") in roles and ("preston", "participant") in roles
    assert data["programme_status"] == "Policy Labs"

    export = client.get("/case-studies/export.csv")
    text = b"".join(export.streaming_content).decode("utf-8-sig")
    [row] = list(csv.DictReader(io.StringIO(text)))
    assert row["lead member"] == "Lambeth Council"
    assert row["participating members"].split("; ") == [
        "Oldham Council",
        "Preston Council",
        "Rochdale Council",
        "Sunderland Council",
    ]
    assert row["programme status"] == "Policy Labs"

    feed = client.get("/feeds/case-studies.atom").content.decode()
    assert "Lead member: Lambeth Council." in feed
    assert "Participating members: Oldham Council, Preston Council" in feed

    page = client.get(lab.get_absolute_url()).text
    start = page.index('<script type="application/ld+json"')
    blob = page[page.index(">", start) + 1 : page.index("</script>", start)]
    contributors = {o["name"] for o in json.loads(blob)["contributor"]}
    assert contributors == {
        "Lambeth Council",
        "Oldham Council",
        "Preston Council",
        "Rochdale Council",
        "Sunderland Council",
    }
