"""CSV export of exactly the filtered list the visitor is looking at."""

import csv
import io

import pytest

from tests.factories import CaseStudyFactory, ContactFactory, OrganisationFactory


def read(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


@pytest.mark.django_db
def test_export_holds_exactly_the_filtered_list_in_its_order(client, principles):
    for n in range(25):
        CaseStudyFactory(title=f"Housing {n:02}", themes=["Housing"])
    CaseStudyFactory(title="Food", themes=["Food"])
    rows = read(client.get("/case-studies/export.csv?theme=housing&sort=title"))
    assert [r["title"] for r in rows] == [f"Housing {n:02}" for n in range(25)]  # every page
    assert rows[0]["themes"] == "Housing"
    assert rows[0]["url"].startswith("http://testserver/case-studies/case-study-")


@pytest.mark.django_db
def test_list_page_links_to_the_export_of_what_it_shows(client, demo):
    page = client.get("/case-studies/?principle=social-partnership&page=1")
    assert 'href="/case-studies/export.csv?principle=social-partnership"' in page.text
    rows = read(client.get("/case-studies/export.csv?principle=social-partnership"))
    assert [r["title"] for r in rows] == [c.title for c in page.context["case_studies"]]
    assert rows[0]["delivered by"] == "Trueman Change"
    assert rows[0]["councils"] == "Birmingham City Council"
    assert "Social partnership" in rows[0]["principles met"]


@pytest.mark.django_db
def test_contact_email_and_phone_only_where_consented(client):
    council = OrganisationFactory(name="Kirklees Council", slug="kirklees")
    shy = ContactFactory(name="Shy", email="shy@example.org", phone="0111", organisation=council)
    open_ = ContactFactory(
        name="Open",
        role="Officer",
        email="open@example.org",
        email_visibility="everyone",
        phone="0222",
        phone_visibility="everyone",
        organisation=council,
    )
    CaseStudyFactory(contacts=[shy, open_])
    (row,) = read(client.get("/case-studies/export.csv"))
    assert "shy@example.org" not in row["contacts"] and "0111" not in row["contacts"]
    assert "Open, Officer, Kirklees Council, open@example.org, 0222" in row["contacts"]


@pytest.mark.django_db
def test_cells_that_look_like_formulas_are_defused(client):
    CaseStudyFactory(title='=HYPERLINK("http://evil")', summary="+1 and @everyone")
    (row,) = read(client.get("/case-studies/export.csv"))
    assert row["title"] == '\'=HYPERLINK("http://evil")'
    assert row["summary"] == "'+1 and @everyone"


@pytest.mark.django_db
@pytest.mark.parametrize("trait", ["draft", "in_review", "scheduled"])
def test_hidden_case_studies_are_never_exported(client, principles, trait):
    CaseStudyFactory(title="Visible")
    CaseStudyFactory(title="Hidden", **{trait: True})
    assert [r["title"] for r in read(client.get("/case-studies/export.csv"))] == ["Visible"]


@pytest.mark.django_db
def test_bad_filters_give_a_page_that_explains(client, principles):
    response = client.get("/case-studies/export.csv?principle=nope&year=x")
    assert response.status_code == 400
    assert "Some filters could not be used" in response.text
    assert "nope" in response.text
