"""Member accounts (issue 14, point 1): sign-up by member organisations' email domains or by
invitation, email verification, sign-in by email, password reset, sign-out, the account page,
saving case studies and deleting the account. Members never reach the admin."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import User
from django.core import mail
from django.core.cache import cache
from django.test import Client

from casestudies.models import MemberInvitation, SavedCaseStudy
from tests.factories import CaseStudyFactory, OrganisationFactory, UserFactory

PASSWORD = "a-long-member-password-42"


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    """allauth counts sign-ins and sign-ups per address in the cache: each test starts afresh."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def member_organisation(db):
    return OrganisationFactory(
        name="Oldham Council", slug="oldham", membership="full", email_domains="oldham.gov.uk"
    )


def link_in(message):
    return re.search(r"https?://\S+", message.body)[0]


def path_of(url):
    return re.sub(r"^https?://[^/]+", "", url)


def sign_up(client, email, password=PASSWORD):
    return client.post(
        "/accounts/signup/", {"email": email, "password1": password, "password2": password}
    )


def make_member(email="ann@oldham.gov.uk", password=PASSWORD):
    user = UserFactory(username=email, email=email, is_staff=False)
    user.set_password(password)
    user.save()
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


@pytest.mark.django_db
def test_someone_at_a_member_domain_signs_up_verifies_and_is_signed_in(client, member_organisation):
    response = sign_up(client, "Ann@Oldham.gov.uk")

    assert response.status_code == 302
    user = User.objects.get(email__iexact="ann@oldham.gov.uk")
    assert not user.is_staff and not user.is_superuser
    [message] = mail.outbox
    assert message.to == ["ann@oldham.gov.uk"]  # addresses are kept in lower case
    assert client.get("/members/account/").status_code == 302  # not signed in before verifying

    confirm = path_of(link_in(message))
    assert "Confirm" in client.get(confirm).text  # a GET changes nothing
    assert client.post(confirm).status_code == 302
    page = client.get("/members/account/")
    assert page.status_code == 200
    assert "Signed in as ann@oldham.gov.uk" in page.text


@pytest.mark.django_db
@pytest.mark.parametrize(
    "email",
    ["bob@gmail.example", "bob@partner.example", "bob@sub.oldham.gov.uk"],
    ids=["any address", "a non-member organisation's domain", "a subdomain"],
)
def test_anyone_else_cannot_sign_up_and_is_told_how_to_join(client, member_organisation, email):
    OrganisationFactory(
        name="Partner", slug="partner", membership="none", email_domains="partner.example"
    )

    response = sign_up(client, email)

    assert response.status_code == 200
    assert "ask the network for an invitation" in response.text
    assert 'href="/members/join/"' in response.text
    assert not User.objects.filter(email=email).exists()
    assert mail.outbox == []


@pytest.mark.django_db
def test_an_invitation_lets_one_address_sign_up_once(publisher_client, publisher):
    client = Client()  # the invited person's browser
    response = publisher_client.post(
        "/admin/casestudies/memberinvitation/add/", {"email": "guest@elsewhere.example"}
    )
    assert response.status_code == 302
    invitation = MemberInvitation.objects.get()
    assert invitation.invited_by == publisher
    [message] = mail.outbox
    assert message.to == ["guest@elsewhere.example"]
    link = path_of(link_in(message))

    followed = client.get(link)
    assert followed.status_code == 302
    assert followed["Location"].startswith("/accounts/signup/")
    assert sign_up(client, "guest@elsewhere.example").status_code == 302

    user = User.objects.get(email="guest@elsewhere.example")
    assert not user.is_staff
    # The link proved the address: no verification email, signed in at once.
    assert len(mail.outbox) == 1, [m.subject for m in mail.outbox]
    assert client.get("/members/account/").status_code == 200
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None

    client.post("/accounts/logout/")
    reused = client.get(link)
    assert reused.status_code == 400
    assert "does not work" in reused.text


@pytest.mark.django_db
def test_an_invitation_is_for_its_own_address_only(publisher_client):
    client = Client()
    publisher_client.post(
        "/admin/casestudies/memberinvitation/add/", {"email": "guest@elsewhere.example"}
    )
    client.get(path_of(link_in(mail.outbox[0])))

    response = sign_up(client, "someone-else@elsewhere.example")

    assert "ask the network for an invitation" in response.text
    assert not User.objects.filter(email="someone-else@elsewhere.example").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("token", ["forged", "MQ:1v0000:" + "A" * 43])
def test_a_forged_invitation_link_gets_a_clear_400(client, token):
    response = client.get(f"/members/invitation/{token}/")
    assert response.status_code == 400
    assert "does not work" in response.text


@pytest.mark.django_db
def test_an_expired_invitation_link_gets_a_clear_400(publisher_client, settings):
    client = Client()
    publisher_client.post(
        "/admin/casestudies/memberinvitation/add/", {"email": "guest@elsewhere.example"}
    )
    settings.MEMBER_INVITATION_DAYS = -1  # every link is older than that

    response = client.get(path_of(link_in(mail.outbox[0])))

    assert response.status_code == 400


@pytest.mark.django_db
def test_only_publishers_invite(editor_client):
    assert editor_client.get("/admin/casestudies/memberinvitation/add/").status_code == 403
    editor_client.post(
        "/admin/casestudies/memberinvitation/add/", {"email": "guest@elsewhere.example"}
    )
    assert not MemberInvitation.objects.exists()
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_member_signs_in_by_email_and_out_with_a_post(client):
    make_member()

    response = client.post("/accounts/login/", {"login": "ann@oldham.gov.uk", "password": PASSWORD})

    assert response.status_code == 302
    assert client.get("/members/account/").status_code == 200
    assert client.get("/accounts/logout/").status_code == 200  # a page asking, not signing out
    assert client.get("/members/account/").status_code == 200
    client.post("/accounts/logout/")
    assert client.get("/members/account/").status_code == 302


@pytest.mark.django_db
def test_a_member_resets_a_forgotten_password(client):
    make_member()

    client.post("/accounts/password/reset/", {"email": "ann@oldham.gov.uk"})
    [message] = mail.outbox
    form_page = client.get(path_of(link_in(message)), follow=True)
    new = "another-long-password-77"
    client.post(form_page.redirect_chain[-1][0], {"password1": new, "password2": new})

    assert User.objects.get(email="ann@oldham.gov.uk").check_password(new)
    client.post("/accounts/logout/")
    client.post("/accounts/login/", {"login": "ann@oldham.gov.uk", "password": new})
    assert client.get("/members/account/").status_code == 200


@pytest.mark.django_db
def test_members_never_reach_the_admin(client):
    member = make_member()
    client.post("/accounts/login/", {"login": member.email, "password": PASSWORD})

    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    login = client.post("/admin/login/", {"username": member.username, "password": PASSWORD})
    assert login.status_code == 200  # the form again, with an error
    assert client.get("/admin/casestudies/casestudy/").status_code == 302


@pytest.mark.django_db
def test_failed_sign_ins_lock_the_address_out_even_with_the_right_password(client, settings):
    settings.AXES_ENABLED = True
    make_member()
    other = make_member("bob@oldham.gov.uk")

    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"login": "ann@oldham.gov.uk", "password": "wrong"})
    response = client.post("/accounts/login/", {"login": "ann@oldham.gov.uk", "password": PASSWORD})

    assert client.get("/members/account/").status_code == 302
    assert response.status_code in (200, 403, 429)
    # Counted per address: another member signing in from the same place is not locked out.
    client.post("/accounts/login/", {"login": other.email, "password": PASSWORD})
    assert client.get("/members/account/").status_code == 200


@pytest.mark.django_db
def test_the_verification_email_reaches_a_real_smtp_server(
    client, member_organisation, smtp_server
):
    sign_up(client, "ann@oldham.gov.uk")

    [message] = smtp_server.messages
    assert message.envelope_to == ["ann@oldham.gov.uk"]
    assert message["Subject"].startswith("[CoopNet]")
    assert "/accounts/confirm-email/" in message.get_content()


@pytest.mark.django_db
def test_the_account_page_lists_saved_case_studies(client, principles):
    member = make_member()
    client.force_login(member)
    CaseStudyFactory(title="Leeds community energy", slug="leeds-energy")
    draft = CaseStudyFactory(title="Secret draft", slug="secret", draft=True)

    page = client.get("/case-studies/leeds-energy/")
    assert "Save this case study" in page.text
    assert client.post("/members/save/leeds-energy/").status_code == 302
    assert client.post("/members/save/leeds-energy/").status_code == 302  # saved once
    assert client.post("/members/save/secret/").status_code == 404
    account = client.get("/members/account/")

    assert SavedCaseStudy.objects.filter(user=member).count() == 1
    assert "Leeds community energy" in account.text
    assert draft.title not in account.text
    assert "<h2" in account.text and "Email alerts</h2>" in account.text  # the alerts' place
    client.post("/members/save/leeds-energy/", {"remove": "1"})
    assert not SavedCaseStudy.objects.exists()


@pytest.mark.django_db
def test_deleting_the_account_removes_everything_it_holds(client, principles):
    member = make_member()
    client.force_login(member)
    case_study = CaseStudyFactory(slug="leeds-energy")
    SavedCaseStudy.objects.create(user=member, case_study=case_study)

    wrong = client.post("/members/account/delete/", {"password": "not-it"})
    assert wrong.status_code == 400
    assert "That is not your password." in wrong.text
    assert User.objects.filter(pk=member.pk).exists()

    response = client.post("/members/account/delete/", {"password": PASSWORD})
    assert response.status_code == 302
    assert not User.objects.filter(pk=member.pk).exists()
    assert not EmailAddress.objects.exists()
    assert not SavedCaseStudy.objects.exists()
    assert client.get("/members/account/").status_code == 302  # signed out
    home = client.get("/")
    assert "Your account and everything it held have been deleted." in home.text


@pytest.mark.django_db
def test_member_pages_and_forms_need_the_csrf_token(principles):
    client = Client(enforce_csrf_checks=True)
    member = make_member()
    client.force_login(member)
    CaseStudyFactory(slug="leeds-energy")

    assert client.post("/members/save/leeds-energy/").status_code == 403
    assert client.post("/members/account/delete/", {"password": PASSWORD}).status_code == 403
    assert client.post("/accounts/logout/").status_code == 403
    assert User.objects.filter(pk=member.pk).exists()


@pytest.mark.django_db
def test_publishers_set_an_organisations_member_email_domains(publisher_client):
    from casestudies.models import Organisation

    organisation = OrganisationFactory(name="Oldham Council", slug="oldham", membership="full")
    data = {"name": organisation.name, "slug": "oldham", "kind": "council", "membership": "full"}
    url = f"/admin/casestudies/organisation/{organisation.pk}/change/"

    bad = publisher_client.post(url, {**data, "email_domains": "ann@oldham.gov.uk, https://x"})
    assert bad.status_code == 200
    assert "Not a domain name" in bad.text
    good = publisher_client.post(url, {**data, "email_domains": "oldham.gov.uk\n@oldham.org"})
    assert good.status_code == 302
    assert Organisation.objects.get().email_domains == "oldham.gov.uk\n@oldham.org"
    assert sign_up(Client(), "new@oldham.org").status_code == 302
