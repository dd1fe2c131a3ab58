"""Inviting a member editor in one step, accepting once, and the user page saying what an
account is (and what is missing from a half-set-up one)."""

import datetime as dt
import re
import time

import pytest
from django.contrib.auth.models import User
from django.core import mail, signing

from casestudies.models import EditorInvitation
from casestudies.publishing.roles import editor_organisation
from tests.factories import CaseStudyFactory, UserFactory

ADD = "/admin/casestudies/editorinvitation/add/"


def invite(client, organisation, email="new.editor@oldham.example"):
    return client.post(ADD, {"email": email, "organisation": organisation.pk}, follow=True)


def link_in(message):
    return re.search(r"http://testserver(/invitations/[^\s]+/)", message.body)[1]


@pytest.mark.django_db
def test_a_publisher_invites_and_the_person_becomes_a_member_editor_by_choosing_a_password(
    publisher_client, client, own_organisation, publisher
):
    response = invite(publisher_client, own_organisation)
    assert [str(m) for m in response.context["messages"]] == [
        "Invitation sent to new.editor@oldham.example. When they accept it they will be a "
        "member editor of Oldham Council. The link works once, for 7 days."
    ]
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["new.editor@oldham.example"]
    assert "Oldham Council" in mail.outbox[0].subject
    assert EditorInvitation.objects.get().invited_by == publisher

    client.logout()
    link = link_in(mail.outbox[0])
    page = client.get(link)
    assert page.status_code == 200
    assert "Edit case studies for Oldham Council" in page.text
    response = client.post(
        link,
        {"new_password1": "a-long-pass-phrase-42", "new_password2": "a-long-pass-phrase-42"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == "/admin/casestudies/casestudy/add/"
    assert "Welcome: you are a member editor of Oldham Council." in response.text
    user = User.objects.get(email="new.editor@oldham.example")
    assert user.is_staff and not user.is_superuser
    assert list(user.groups.values_list("name", flat=True)) == ["Member editors"]
    assert editor_organisation(user) == own_organisation
    # Their organisation's case studies are theirs straight away.
    CaseStudyFactory(title="Oldham draft", draft=True, councils=[own_organisation])
    assert "Oldham draft" in client.get("/admin/casestudies/casestudy/").text

    # The link works once.
    client.logout()
    again = client.get(link)
    assert again.status_code == 410
    assert "already been used" in again.text
    again = client.post(
        link, {"new_password1": "x-other-pass-99", "new_password2": "x-other-pass-99"}
    )
    assert again.status_code == 410
    assert User.objects.filter(email="new.editor@oldham.example").count() == 1


@pytest.mark.django_db
def test_a_weak_or_mismatched_password_is_a_form_error(publisher_client, client, own_organisation):
    invite(publisher_client, own_organisation)
    client.logout()
    link = link_in(mail.outbox[0])
    response = client.post(link, {"new_password1": "short", "new_password2": "short"})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not User.objects.filter(email="new.editor@oldham.example").exists()


@pytest.mark.django_db
def test_an_expired_or_altered_link_is_refused(
    publisher_client, client, own_organisation, monkeypatch
):
    invite(publisher_client, own_organisation)
    client.logout()
    link = link_in(mail.outbox[0])
    altered = client.get(link[:-3] + "xx/")
    assert altered.status_code == 404
    assert "not a valid invitation link" in altered.text
    eight_days = dt.timedelta(days=8).total_seconds()
    now = time.time()
    monkeypatch.setattr(signing.time, "time", lambda: now + eight_days)
    response = client.get(link)
    assert response.status_code == 410
    assert "expired" in response.text
    assert not User.objects.filter(email="new.editor@oldham.example").exists()


@pytest.mark.django_db
def test_a_withdrawn_invitation_no_longer_works(publisher_client, client, own_organisation):
    invite(publisher_client, own_organisation)
    invitation = EditorInvitation.objects.get()
    response = publisher_client.post(
        f"/admin/casestudies/editorinvitation/{invitation.pk}/delete/", {"post": "yes"}
    )
    assert response.status_code == 302
    client.logout()
    page = client.get(link_in(mail.outbox[0]))
    assert page.status_code == 410
    assert "withdrawn" in page.text


@pytest.mark.django_db
def test_an_invitation_is_never_changed_after_it_is_sent(publisher_client, own_organisation):
    invite(publisher_client, own_organisation)
    invitation = EditorInvitation.objects.get()
    url = f"/admin/casestudies/editorinvitation/{invitation.pk}/change/"
    assert publisher_client.get(url).status_code == 200
    response = publisher_client.post(url, {"email": "someone.else@example.org"})
    assert response.status_code == 403
    invitation.refresh_from_db()
    assert invitation.email == "new.editor@oldham.example"


@pytest.mark.django_db
def test_an_address_with_an_account_is_not_invited(publisher_client, own_organisation):
    UserFactory(username="taken", email="Taken@Oldham.example")
    response = invite(publisher_client, own_organisation, email="taken@oldham.example")
    assert "email" in response.context["adminform"].form.errors
    assert not mail.outbox


@pytest.mark.django_db
def test_member_editors_cannot_invite(editor_client, own_organisation, other_organisation):
    response = editor_client.post(
        ADD, {"email": "friend@example.org", "organisation": other_organisation.pk}
    )
    assert response.status_code == 403
    assert not EditorInvitation.objects.exists()
    assert not mail.outbox


@pytest.mark.django_db
def test_the_publishers_home_links_to_inviting(publisher_client):
    assert ADD in publisher_client.get("/admin/").text


@pytest.mark.django_db
def test_the_user_page_says_the_role_and_warns_about_a_half_set_up_account(
    client, member_editor, own_organisation
):
    root = User.objects.create_superuser("root", "root@example.org", "pw")
    client.force_login(root)
    page = client.get(f"/admin/auth/user/{member_editor.pk}/change/").text
    assert "Member editor of Oldham Council" in page
    assert "Half set up" not in page

    half = UserFactory(username="half", is_staff=True)
    page = client.get(f"/admin/auth/user/{half.pk}/change/").text
    assert "Staff, with no role yet" in page
    assert "Half set up: Staff, but in no group and linked to no organisation" in page

    grouped = UserFactory(username="grouped", is_staff=True, groups=["Member editors"])
    page = client.get(f"/admin/auth/user/{grouped.pk}/change/").text
    assert "but linked to no organisation" in page

    member_editor.is_staff = False
    member_editor.save()
    page = client.get(f"/admin/auth/user/{member_editor.pk}/change/").text
    assert "not staff: tick" in page


@pytest.mark.django_db
def test_a_staff_account_with_no_organisation_is_told_why_it_sees_nothing(client):
    client.force_login(UserFactory(username="lonely", is_staff=True, groups=["Member editors"]))
    page = client.get("/admin/").text
    assert "Your account is not set up yet" in page
