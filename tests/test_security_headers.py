"""Security headers on public and admin pages, and a clean `check --deploy` in production."""

from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import User

from tests.factories import CaseStudyFactory
from tests.test_settings import run_manage

PRODUCTION_ENV = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "k7#Qz9!vR2@pL5$wX8^nB3&mC6*tY1(hJ4)gF0_dS7+aE2=uI9~oP5-lK8" * 2,
    "DJANGO_ALLOWED_HOSTS": "case-studies.example.org",
}


@pytest.fixture
def case_study(db, principles):
    return CaseStudyFactory(slug="open-books", principles=principles[:2])


@pytest.fixture
def staff_client(client, db):
    client.force_login(User.objects.create_superuser("admin", "admin@example.org", "pw"))
    return client


PUBLIC_PAGES = [
    "/",
    "/case-studies/",
    "/case-studies/open-books/",
    "/principles/",
    "/principles/learning/",
    "/organisations/",
    "/no-such-page/",
]
ADMIN_PAGES = [
    "/admin/",
    "/admin/casestudies/casestudy/",
    "/admin/casestudies/casestudy/add/",
    "/admin/principles/principle/",
]


def assert_security_headers(response, inline_styles=False):
    csp = response["Content-Security-Policy"]
    directives = {}
    for part in csp.split(";"):
        name, _, value = part.strip().partition(" ")
        directives[name] = value
    assert directives["default-src"] == "'self'"
    assert directives["script-src"].startswith("'self'")
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in directives["script-src"] and "unsafe-eval" not in csp
    # Only the case study form (its rich-text editor positions menus with style attributes)
    # allows inline styles; everything else allows no inline code at all.
    assert ("unsafe-inline" in directives["style-src"]) is inline_styles
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.mark.django_db
@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_public_pages_carry_every_security_header(client, case_study, url):
    response = client.get(url, secure=True)
    assert response.status_code in {200, 404}
    assert_security_headers(response)


@pytest.mark.django_db
@pytest.mark.parametrize("url", ADMIN_PAGES)
def test_admin_pages_carry_every_security_header(staff_client, url):
    response = staff_client.get(url, secure=True)
    assert response.status_code == 200
    assert_security_headers(response, inline_styles=url.endswith("/casestudy/add/"))


@pytest.mark.django_db
def test_admin_login_page_carries_every_security_header(client):
    response = client.get("/admin/login/", secure=True)
    assert response.status_code == 200
    assert_security_headers(response)


# Data blocks are never executed, so a CSP does not apply to them.
DATA_BLOCKS = {"application/json", "application/ld+json"}


class InlineCode(HTMLParser):
    """Finds what a CSP without 'unsafe-inline' would block: inline scripts, style elements and
    attributes, and event-handler attributes."""

    def __init__(self, policy=""):
        super().__init__()
        self.problems = []
        self.policy = policy

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        nonced = attrs.get("nonce") and f"'nonce-{attrs['nonce']}'" in self.policy
        if (
            tag == "script"
            and not attrs.get("src")
            and attrs.get("type") not in DATA_BLOCKS
            and not nonced
        ):
            self.problems.append("inline <script> without the policy's nonce")
        if tag == "style":
            self.problems.append("<style> element")
        for name in attrs:
            if name == "style" or name.startswith("on"):
                self.problems.append(f"{name}= on <{tag}>")


@pytest.mark.django_db
@pytest.mark.parametrize("url", [*ADMIN_PAGES, "/admin/casestudies/casestudy/{pk}/change/"])
def test_admin_pages_work_under_the_policy(staff_client, case_study, url):
    """The admin's only inline code (the rich-text editor's import map) carries the nonce."""
    response = staff_client.get(url.format(pk=case_study.pk), secure=True)
    assert response.status_code == 200
    finder = InlineCode(response["Content-Security-Policy"])
    finder.feed(response.text)
    assert finder.problems == []


@pytest.mark.django_db
@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_public_pages_work_under_the_policy(client, case_study, url):
    finder = InlineCode()
    finder.feed(client.get(url).text)
    assert finder.problems == []


@pytest.mark.django_db
def test_templates_can_use_the_nonce_and_it_joins_the_policy(rf):
    from csp.middleware import CSPMiddleware
    from django.template import engines

    request = rf.get("/")
    middleware = CSPMiddleware(lambda r: None)
    middleware.process_request(request)
    template = engines["django"].from_string('<script nonce="{{ CSP_NONCE }}">go()</script>')
    html = template.render({}, request)
    nonce = html.split('nonce="')[1].split('"')[0]
    assert len(nonce) >= 16
    from django.http import HttpResponse

    response = middleware.process_response(request, HttpResponse(html))
    assert f"'nonce-{nonce}'" in response["Content-Security-Policy"]


@pytest.mark.django_db
def test_session_and_csrf_cookies_are_httponly_samesite_and_secure_in_production(client, settings):
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True  # as with debug off
    User.objects.create_superuser("admin", "admin@example.org", "right-password-123")
    page = client.get("/admin/login/", secure=True)
    csrf = page.cookies["csrftoken"]
    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": "admin", "password": "right-password-123"},
        secure=True,
        REMOTE_ADDR="192.0.2.1",
    )
    assert response.status_code == 302
    session = response.cookies["sessionid"]
    for cookie in (csrf, session):
        assert cookie["httponly"] is True
        assert cookie["samesite"] == "Lax"
        assert cookie["secure"] is True


@pytest.mark.slow
def test_deploy_check_is_clean_with_production_settings():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.slow
def test_ssl_redirect_can_be_left_to_the_proxy():
    code = (
        "from django.conf import settings; "
        "print(settings.SECURE_SSL_REDIRECT, settings.SECURE_PROXY_SSL_HEADER)"
    )
    result = run_manage(
        "shell",
        "--no-imports",
        "-c",
        code,
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_BEHIND_PROXY="1",
        **PRODUCTION_ENV,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "False ('HTTP_X_FORWARDED_PROTO', 'https')"
    checked = run_manage(
        "check", "--deploy", "--fail-level", "WARNING", DJANGO_SECURE_SSL_REDIRECT="0",
        **PRODUCTION_ENV,
    )  # fmt: skip
    assert checked.returncode == 0, checked.stderr


@pytest.mark.slow
def test_production_sessions_expire_and_cookies_are_secure():
    code = (
        "from django.conf import settings; print(settings.SESSION_COOKIE_AGE, "
        "settings.SESSION_EXPIRE_AT_BROWSER_CLOSE, settings.SESSION_COOKIE_SECURE, "
        "settings.CSRF_COOKIE_SECURE, settings.SECURE_HSTS_SECONDS)"
    )
    result = run_manage("shell", "--no-imports", "-c", code, **PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "28800 True True True 31536000"


@pytest.mark.slow
def test_http_requests_are_redirected_to_https_in_production_but_not_health_checks():
    code = (
        "from django.test import Client; c = Client(); "
        "r = c.get('/principles/'); h = c.get('/healthz'); "
        "print(r.status_code, r['Location'], h.status_code)"
    )
    result = run_manage(
        "shell", "--no-imports", "-c", code,
        DJANGO_ALLOWED_HOSTS="testserver", DATABASE_URL="sqlite:////tmp/coopnet-unused.sqlite3",
        **{k: v for k, v in PRODUCTION_ENV.items() if k != "DJANGO_ALLOWED_HOSTS"},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "301 https://testserver/principles/ 200"
