"""The admin login locks out repeated failures; passwords are validated; sessions expire."""

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

PASSWORD = "a-long-and-right-password"


@pytest.fixture(autouse=True)
def axes_on(settings):
    settings.AXES_ENABLED = True


@pytest.fixture
def admin_user(db):
    return User.objects.create_superuser("editor", "editor@example.org", PASSWORD)


def log_in(client, password, username="editor", address="198.51.100.7"):
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": username, "password": password},
        REMOTE_ADDR=address,
    )


def test_the_right_password_logs_in(client, admin_user):
    response = log_in(client, PASSWORD)
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_a_few_failures_do_not_lock_out(client, admin_user):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = log_in(client, "wrong")
        assert response.status_code == 200
        assert "Please enter the correct username and password" in response.text
    assert log_in(client, PASSWORD).status_code == 302


def test_repeated_failures_lock_the_login_even_with_the_right_password(client, admin_user):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        log_in(client, "wrong")
    response = log_in(client, "wrong")
    assert response.status_code == 429
    assert "Sign-in locked" in response.text
    assert "Too many failed sign-in attempts" in response.text

    response = log_in(client, PASSWORD)
    assert response.status_code == 429
    assert "Sign-in locked" in response.text
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302  # still sent to the login page


def test_the_lockout_is_per_account_and_address(client, admin_user):
    User.objects.create_superuser("colleague", "colleague@example.org", PASSWORD)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "wrong")
    assert log_in(client, PASSWORD).status_code == 429
    # The same account from elsewhere, and a colleague from the same address, still get in.
    assert log_in(client, PASSWORD, address="203.0.113.9").status_code == 302
    client.logout()
    assert log_in(client, PASSWORD, username="colleague").status_code == 302


@pytest.mark.django_db
@pytest.mark.parametrize("password", ["short", "password123", "12345678901234", "editor2024x"])
def test_weak_passwords_are_refused(password):
    user = User(username="editor2024x", email="editor@example.org")
    with pytest.raises(ValidationError):
        validate_password(password, user)


@pytest.mark.django_db
def test_a_strong_password_is_accepted():
    validate_password("correct horse battery staple", User(username="editor"))


def test_client_login_works_in_other_tests_with_axes_off(client, admin_user, settings):
    settings.AXES_ENABLED = False  # as in coopnet/test_settings.py
    assert client.login(username="editor", password=PASSWORD)


@pytest.mark.slow
def test_lockout_is_on_in_production():
    from tests.test_settings import run_manage

    code = "from django.conf import settings; print(settings.AXES_ENABLED)"
    result = run_manage("shell", "--no-imports", "-c", code, DJANGO_SECRET_KEY="x" * 50)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "True"


@pytest.mark.django_db
def test_staff_sessions_expire(client, admin_user):
    log_in(client, PASSWORD)
    cookie = client.cookies["sessionid"]
    assert cookie["max-age"] == ""  # ends when the browser closes
    assert client.session.get_expire_at_browser_close()
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE == 8 * 60 * 60
