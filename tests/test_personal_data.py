"""Personal data on request: a publisher exports everything held about a person (a contact or a
member's account) and erases it everywhere, kept versions included; the erasure is recorded
without the data. And the privacy notice says what is held."""

import json
import uuid

import pytest
from django.apps import apps
from django.contrib.admin.models import CHANGE, LogEntry

from casestudies.models import (
    Alert,
    CaseStudy,
    Contact,
    ContactMessage,
    EditorMembership,
    MemberInvitation,
    PersonalDataRequest,
    StatusChange,
)
from tests.factories import (
    CaseStudyFactory,
    ContactFactory,
    EditorMembershipFactory,
    OrganisationFactory,
    UserFactory,
)

SECRET_EMAIL = "olive.private@oldham.example"


@pytest.fixture
def olive(db):
    """A contact with two kept versions, on a published case study whose kept versions list
    her, and an alert to her address; her name is quoted in another case study's text."""
    oldham = OrganisationFactory(name="Oldham Council", slug="oldham-council")
    contact = ContactFactory(
        name="Olive Oldfield", organisation=oldham, email=SECRET_EMAIL, phone="0161 000 0001"
    )
    contact.role = "Head of Policy"
    contact.save()
    CaseStudyFactory(title="Oldham's food network", councils=[oldham], contacts=[contact])
    CaseStudyFactory(
        title="Quoted work", pull_quote="It worked.", pull_quote_attribution="Olive Oldfield"
    )
    Alert.objects.create(email=SECRET_EMAIL, query="theme=food", description="Theme: Food")
    return contact


def everything_said_about(needles):
    """Every row of every table that still holds one of `needles` (the person's name, address,
    phone number), history tables included: dumped as JSON by the backup serializer."""
    from django.core import serializers

    found = []
    for model in apps.get_models(include_auto_created=True):
        if model._meta.proxy or not model._meta.managed:
            continue
        dumped = serializers.serialize("json", model._default_manager.all())
        found.extend(f"{model._meta.label}: {n}" for n in needles if n.lower() in dumped.lower())
    return found


@pytest.mark.django_db
def test_a_publisher_exports_everything_held_about_a_contact(publisher_client, olive):
    response = publisher_client.get(f"/admin/casestudies/contact/{olive.pk}/personal-data/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["contact"]["email"] == SECRET_EMAIL
    assert data["contact"]["phone"] == "0161 000 0001"
    assert {v["role"] for v in data["versions"]} == {"Policy officer", "Head of Policy"}
    assert [c["title"] for c in data["case_studies"]] == ["Oldham's food network"]
    assert data["case_study_versions_listing_the_contact"]
    assert [a["email"] for a in data["kept_for_this_address"]["casestudies.Alert"]] == [
        SECRET_EMAIL
    ]
    assert [m["title"] for m in data["mentioned_in"]] == ["Quoted work"]
    # The export itself is recorded, without the data.
    request = PersonalDataRequest.objects.get()
    assert (request.action, request.subject_kind, request.subject_id) == (
        "export",
        "contact",
        olive.pk,
    )


@pytest.mark.django_db
def test_erasing_a_contact_removes_it_everywhere_history_included(publisher_client, olive):
    case_study = CaseStudy.objects.get(title="Oldham's food network")
    sender = UserFactory(username="asker", email="asker@council.example", is_staff=False)
    message = ContactMessage.objects.create(
        sender=sender, contact=olive, case_study=case_study, submission=uuid.uuid4()
    )
    LogEntry.objects.log_actions(
        user_id=UserFactory(username="someone").pk,
        queryset=[olive],
        action_flag=CHANGE,
        change_message="Changed email.",
    )
    needles = ["Olive Oldfield", SECRET_EMAIL, "0161 000 0001"]
    assert everything_said_about(needles)  # the check below can fail
    page = publisher_client.get(f"/admin/casestudies/contact/{olive.pk}/erase/")
    assert page.status_code == 200
    assert "Quoted work" in page.text  # the mention a publisher must edit by hand

    response = publisher_client.post(f"/admin/casestudies/contact/{olive.pk}/erase/")

    assert response.status_code == 302
    assert not Contact.objects.filter(pk=olive.pk).exists()
    assert not Contact.history.filter(id=olive.pk).exists()
    assert not Alert.objects.exists()
    assert not case_study.contacts.exists()
    # Only the text of the other case study still names her (listed for a publisher to edit).
    left = everything_said_about(needles)
    assert all(entry.startswith("casestudies.") and "Olive Oldfield" in entry for entry in left)
    assert not any(SECRET_EMAIL in entry or "0161" in entry for entry in left)
    assert {entry.split(":")[0] for entry in left} <= {
        "casestudies.CaseStudy",
        "casestudies.HistoricalCaseStudy",
    }
    # The erasure is recorded: by whom, when, which record; never the name or the address.
    erasure = PersonalDataRequest.objects.get(action="erasure")
    assert erasure.subject_id == olive.pk
    assert erasure.removed["contact versions"] >= 2
    assert "Olive" not in json.dumps(erasure.removed) + str(erasure)
    # The abuse log keeps that a message was sent, and by whom, not to whom.
    message.refresh_from_db()
    assert (message.sender, message.contact) == (sender, None)
    # The kept case-study versions that listed her no longer do.
    listed = apps.get_model("casestudies", "HistoricalCaseStudy_contacts")
    assert not listed.objects.filter(contact_id=olive.pk).exists()
    assert listed.objects.filter(casestudy_id=case_study.pk).count() == 0


@pytest.mark.django_db
def test_the_public_page_forgets_an_erased_contact(client, publisher_client, olive):
    case_study = CaseStudy.objects.get(title="Oldham's food network")
    assert "Olive Oldfield" in client.get(case_study.get_absolute_url()).text  # now cached
    publisher_client.post(f"/admin/casestudies/contact/{olive.pk}/erase/")
    client.logout()
    assert "Olive Oldfield" not in client.get(case_study.get_absolute_url()).text


@pytest.fixture
def member(db):
    user = UserFactory(
        username="mary", email="mary@oldham.example", first_name="Mary", is_staff=False
    )
    Alert.objects.create(user=user, query="principle=learning", description="Learning")
    Alert.objects.create(email="mary@oldham.example", query="year=2024", description="2024")
    MemberInvitation.objects.create(email="Mary@Oldham.example")
    return user


@pytest.mark.django_db
def test_a_publisher_exports_and_erases_a_member(publisher_client, member):
    editor = EditorMembershipFactory(user__username="edna")

    exported = publisher_client.get(f"/admin/casestudies/memberaccount/{member.pk}/personal-data/")
    data = json.loads(exported.content)
    assert data["account"]["email"] == "mary@oldham.example"
    assert "password" not in data["account"]
    assert len(data["records"]["casestudies.Alert"]) == 1
    assert len(data["kept_for_this_address"]["casestudies.Alert"]) == 1
    assert len(data["kept_for_this_address"]["casestudies.MemberInvitation"]) == 1

    sent = ContactMessage.objects.create(sender=member, submission=uuid.uuid4())
    response = publisher_client.post(f"/admin/casestudies/memberaccount/{member.pk}/erase/")
    assert response.status_code == 302
    assert not type(member).objects.filter(pk=member.pk).exists()
    assert not Alert.objects.exists()
    assert everything_said_about(["mary@oldham.example", "mary"]) == []
    assert PersonalDataRequest.objects.filter(action="erasure", subject_id=member.pk).exists()
    sent.refresh_from_db()
    assert sent.sender is None  # the log says a message went, no longer who sent it
    # Staff accounts are not members: a publisher finds no erase page for them.
    assert (
        publisher_client.get(
            f"/admin/casestudies/memberaccount/{editor.user.pk}/erase/"
        ).status_code
        == 404
    )


@pytest.mark.django_db
def test_erasing_someone_who_changed_content_keeps_the_content_without_them(db, publisher):
    from casestudies.publishing import personaldata

    editor = EditorMembershipFactory(user__username="edna", user__email="edna@oldham.example")
    case_study = CaseStudyFactory(title="Edited by Edna", draft=True)
    case_study.updated_by = editor.user
    case_study._history_user = editor.user
    case_study.status = CaseStudy.Status.IN_REVIEW
    case_study.save()

    personaldata.erase_member(editor.user, by=publisher)

    case_study.refresh_from_db()
    assert case_study.updated_by is None
    assert StatusChange.objects.filter(case_study=case_study, to_status="in_review").exists()
    assert not StatusChange.objects.filter(changed_by_id=editor.user_id).exists()
    assert not CaseStudy.history.filter(history_user_id=editor.user_id).exists()
    assert not CaseStudy.history.filter(updated_by_id=editor.user_id).exists()
    assert not EditorMembership.objects.exists()
    assert everything_said_about(["edna@oldham.example"]) == []


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["editor", "member", "visitor"])
def test_only_publishers_export_or_erase(client, olive, who):
    if who == "editor":
        client.force_login(EditorMembershipFactory(organisation=olive.organisation).user)
    elif who == "member":
        client.force_login(UserFactory(is_staff=False))
    for url in (
        f"/admin/casestudies/contact/{olive.pk}/personal-data/",
        f"/admin/casestudies/contact/{olive.pk}/erase/",
    ):
        assert client.get(url).status_code in (302, 403)
        response = client.post(url)
        assert response.status_code in (302, 403)
        assert SECRET_EMAIL not in response.text
    assert Contact.objects.filter(pk=olive.pk).exists()
    assert not PersonalDataRequest.objects.exists()


@pytest.mark.django_db
def test_the_contact_page_offers_the_tools_to_publishers_only(publisher_client, client, olive):
    url = f"/admin/casestudies/contact/{olive.pk}/change/"
    assert "Erase personal data" in publisher_client.get(url).text
    client.force_login(EditorMembershipFactory(organisation=olive.organisation).user)
    page = client.get(url)
    assert page.status_code == 200
    assert "Erase personal data" not in page.text


@pytest.mark.django_db
def test_unknown_people_get_404(publisher_client):
    for url in (
        "/admin/casestudies/contact/999999/erase/",
        "/admin/casestudies/contact/not-a-number/personal-data/",
        "/admin/casestudies/memberaccount/999999/personal-data/",
    ):
        assert publisher_client.get(url).status_code == 404


@pytest.mark.django_db
def test_the_privacy_notice_says_what_is_held_and_is_linked_from_every_page(client):
    page = client.get("/privacy/")
    assert page.status_code == 200
    for held in ("contact", "member account", "alert", "erase", "copy"):
        assert held in page.text.lower()
    assert 'href="/privacy/">Privacy notice</a>' in client.get("/").text


@pytest.mark.django_db
def test_a_superuser_may_erase_a_staff_account_but_not_their_own(client):
    from django.contrib.auth.models import User

    root = User.objects.create_superuser("root", "root@example.org", "pw")
    editor = EditorMembershipFactory(user__username="edna").user
    client.force_login(root)
    assert client.post(f"/admin/casestudies/memberaccount/{root.pk}/erase/").status_code == 404
    response = client.post(f"/admin/casestudies/memberaccount/{editor.pk}/erase/")
    assert response.status_code == 302
    assert not User.objects.filter(pk=editor.pk).exists()
    assert User.objects.filter(pk=root.pk).exists()
