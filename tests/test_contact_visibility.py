"""Contact details with a visibility per field (issue 14, point 2), and the page cache never
serving one person's page to another."""

import pytest
from django.core.cache import cache, caches
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client

from tests.factories import CaseStudyFactory, ContactFactory, OrganisationFactory, UserFactory

URL = "/case-studies/leeds-energy/"


@pytest.fixture
def case_study(principles):
    council = OrganisationFactory(name="Leeds City Council", slug="leeds", membership="full")
    contacts = [
        ContactFactory(
            name="Everyone Ella",
            organisation=council,
            email="ella@leeds.example",
            email_visibility="everyone",
            phone="0113 000 0001",
            phone_visibility="members",
        ),
        ContactFactory(
            name="Member Max",
            organisation=council,
            email="max@leeds.example",
            email_visibility="members",
            phone="0113 000 0002",
            phone_visibility="nobody",
        ),
        ContactFactory(
            name="Private Pat",
            organisation=council,
            email="pat@leeds.example",
            email_visibility="nobody",
            phone="0113 000 0003",
            phone_visibility="nobody",
        ),
    ]
    return CaseStudyFactory(slug="leeds-energy", councils=[council], contacts=contacts)


@pytest.fixture
def member(db):
    return UserFactory(username="member", email="m@oldham.gov.uk", is_staff=False)


def test_a_visitor_sees_only_what_everyone_may_see_and_how_to_see_more(client, case_study):
    page = client.get(URL).text

    assert "ella@leeds.example" in page
    for hidden in ("0113 000 0001", "max@leeds.example", "pat@leeds.example", "0113 000 0003"):
        assert hidden not in page
    assert "Members can see more contact details." in page
    assert 'href="/members/join/"' in page
    assert "Everyone Ella" in page and "Private Pat" in page  # names are always shown


def test_a_member_sees_what_members_may_see_but_never_what_nobody_may(client, case_study, member):
    client.force_login(member)
    page = client.get(URL).text

    for shown in ("ella@leeds.example", "0113 000 0001", "max@leeds.example"):
        assert shown in page
    for hidden in ("0113 000 0002", "pat@leeds.example", "0113 000 0003"):
        assert hidden not in page
    assert "Members can see more" not in page


def test_no_note_when_members_would_see_nothing_more(client, principles):
    shy = ContactFactory(name="Shy", email="shy@x.example", email_visibility="nobody")
    CaseStudyFactory(slug="quiet", contacts=[shy])

    assert "Members can see more" not in client.get("/case-studies/quiet/").text


def test_open_data_shows_only_what_everyone_may_see(client, case_study):
    api = client.get("/api/v1/case-studies/").text
    csv = b"".join(client.get("/case-studies/export.csv").streaming_content).decode()
    for text in (api, csv):
        assert "ella@leeds.example" in text
        assert "max@leeds.example" not in text
        assert "0113 000 0001" not in text


@pytest.fixture
def page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 300
    for name in settings.CACHES:
        caches[name].clear()
    cache.clear()
    yield
    cache.clear()


def test_a_members_page_is_never_served_to_a_visitor(page_cache, case_study, member):
    member_client = Client()
    member_client.force_login(member)
    assert "max@leeds.example" in member_client.get(URL).text

    visitor = Client().get(URL)
    assert "max@leeds.example" not in visitor.text
    assert visitor["X-Page-Cache"] == "miss"  # the member's page was not kept
    assert Client().get(URL)["X-Page-Cache"] == "hit"  # the visitors' page is


def test_a_visitors_cached_page_is_never_served_to_a_member(page_cache, case_study, member):
    Client().get(URL)
    assert Client().get(URL)["X-Page-Cache"] == "hit"

    member_client = Client()
    member_client.force_login(member)
    page = member_client.get(URL)
    assert "X-Page-Cache" not in page
    assert "max@leeds.example" in page.text
    other = UserFactory(username="other", email="o@oldham.gov.uk", is_staff=False)
    other_client = Client()
    other_client.force_login(other)
    assert "X-Page-Cache" not in other_client.get(URL)


def test_members_pages_are_private(client, case_study, member):
    client.force_login(member)
    account = client.get("/members/account/")
    assert "private" in account["Cache-Control"]


@pytest.mark.django_db(transaction=True)
def test_the_migration_turns_consent_into_visibility():
    executor = MigrationExecutor(connection)
    before = [("casestudies", "0013_programme_members")]
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    Contact = old.get_model("casestudies", "Contact")
    Contact.objects.create(name="Agreed", email="a@x.example", email_consent=True, phone="1")
    Contact.objects.create(name="Not asked", email="n@x.example", phone="2", phone_consent=True)

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    latest = executor.loader.graph.leaf_nodes("casestudies")
    executor.migrate(latest)
    new = executor.loader.project_state(latest).apps.get_model("casestudies", "Contact")

    visibility = {c.name: (c.email_visibility, c.phone_visibility) for c in new.objects.all()}
    assert visibility == {
        "Agreed": ("everyone", "nobody"),
        "Not asked": ("nobody", "everyone"),
    }
