"""Publishers and superusers sign in with a second factor (coopnet/twofactor.py)."""

import re

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import EditorMembershipFactory, UserFactory

PASSWORD = "a-long-and-right-password"


@pytest.fixture(autouse=True)
def two_factor_on(settings):
    settings.STAFF_TWO_FACTOR = True
    settings.AXES_ENABLED = True


def staff(username, **kwargs):
    user = UserFactory(username=username, **kwargs)
    user.set_password(PASSWORD)
    user.save()
    return user


@pytest.fixture
def publisher(db):
    return staff("publisher", groups=["Publishers"])


def code_for(device):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def sign_in(client, username="publisher", password=PASSWORD, code="", address="198.51.100.7"):
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": username, "password": password, "code": code},
        REMOTE_ADDR=address,
    )


@pytest.fixture
def enrolled(publisher):
    device = TOTPDevice.objects.create(user=publisher, name="Authenticator app", confirmed=True)
    static = StaticDevice.objects.create(user=publisher, name="Recovery codes")
    static.token_set.create(token="recover1")
    return device


@pytest.mark.django_db
def test_a_new_publisher_sets_up_an_authenticator_and_gets_recovery_codes(client, publisher):
    assert sign_in(client).status_code == 302  # the password is right
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0].startswith("/admin/two-factor/")
    assert "<svg" in response.text and "authenticator app" in response.text
    device = TOTPDevice.objects.get(user=publisher, confirmed=False)
    wrong = client.post("/admin/two-factor/", {"code": "000000", "next": "/admin/"})
    assert "That code is not right" in wrong.text
    device.refresh_from_db()
    device.throttle_reset()  # a wrong code delays the next try a little (django-otp)
    done = client.post("/admin/two-factor/", {"code": code_for(device), "next": "/admin/"})
    codes = re.findall(r"<li><code>(\w+)</code></li>", done.text)
    assert len(codes) == 10
    assert set(codes) == set(
        StaticToken.objects.filter(device__user=publisher).values_list("token", flat=True)
    )
    assert client.get("/admin/").status_code == 200  # this session is verified now


@pytest.mark.django_db
def test_a_publisher_with_an_authenticator_needs_its_code(client, enrolled):
    refused = sign_in(client)
    assert refused.status_code == 200
    assert "Enter the authentication code" in refused.text
    wrong = sign_in(client, code="123456")
    assert "That authentication code is not right" in wrong.text
    enrolled.refresh_from_db()
    enrolled.throttle_reset()  # a wrong code delays the next try a little (django-otp)
    assert sign_in(client, code=code_for(enrolled)).status_code == 302
    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_a_recovery_code_signs_in_once(client, enrolled):
    assert sign_in(client, code="recover1").status_code == 302
    assert client.get("/admin/").status_code == 200
    client.logout()
    assert sign_in(client, code="recover1").status_code == 200  # used up


@pytest.mark.django_db
def test_a_session_signed_in_without_the_code_reaches_no_staff_page(client, enrolled):
    client.force_login(enrolled.user)  # password only, as a stolen password would give
    for url in ("/admin/", "/admin/casestudies/casestudy/", "/admin/auth/user/"):
        response = client.get(url)
        assert response.status_code == 302, url
    page = client.get("/admin/two-factor/")
    assert "signed in without a code" in page.text


@pytest.mark.django_db
def test_member_editors_and_development_need_no_second_factor(client, settings, publisher):
    editor = staff("editor", groups=["Member editors"])
    EditorMembershipFactory(user=editor)
    assert sign_in(client, username="editor").status_code == 302
    assert client.get("/admin/").status_code == 200
    client.logout()
    settings.STAFF_TWO_FACTOR = False
    assert sign_in(client).status_code == 302
    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_someone_guessing_from_a_shared_address_cannot_lock_a_publisher_out(client, enrolled):
    for _ in range(settings.AXES_FAILURE_LIMIT * 3):
        sign_in(client, password="guess")
    locked = sign_in(client)
    assert locked.status_code == 429  # the lockout stays for the password alone
    assert sign_in(client, code=code_for(enrolled)).status_code == 302  # but not with the code
    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_a_superuser_needs_a_second_factor_too(client):
    User.objects.create_superuser("root", "root@example.org", PASSWORD)
    sign_in(client, username="root")
    assert client.get("/admin/", follow=True).redirect_chain[-1][0].startswith("/admin/two-factor/")
