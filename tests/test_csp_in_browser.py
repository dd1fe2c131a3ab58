"""A real Chromium runs the admin's pages under the Content-Security-Policy: nothing is blocked.

A staff page is rendered by the test client, then replayed to a headless Chromium from the live
server, under the same policy and with the admin's own scripts and styles: Chromium reports every
violation on its console, which this test reads.
"""

import shutil
import subprocess

import pytest
from django.contrib.auth.models import User

from tests import csp_snapshot_urls
from tests.factories import CaseStudyFactory

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(CHROMIUM is None, reason="needs Chromium"),
]


def csp_violations(url):
    result = subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--enable-logging=stderr",
            "--v=0",
            "--virtual-time-budget=3000",
            "--dump-dom",
            url,
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "<html" in result.stdout, result.stderr[-2000:]
    return [line for line in result.stderr.splitlines() if "Content Security Policy" in line]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/admin/",
        "/admin/casestudies/casestudy/",
        "/admin/casestudies/casestudy/add/",
        "/admin/casestudies/casestudy/{pk}/change/",
        "/admin/login/",
        "/",
        "/case-studies/",
        "/api/v1/docs/",
    ],
)
def test_pages_run_in_chromium_without_csp_violations(client, live_server, settings, url):
    settings.ROOT_URLCONF = "tests.csp_snapshot_urls"
    if url != "/admin/login/":
        client.force_login(User.objects.create_superuser("admin", "a@example.org", "pw"))
    case_study = CaseStudyFactory(slug="snapshot")
    page = client.get(url.format(pk=case_study.pk))
    assert page.status_code == 200
    csp_snapshot_urls.SNAPSHOT["html"] = page.text
    csp_snapshot_urls.SNAPSHOT["policy"] = page["Content-Security-Policy"]
    assert csp_violations(f"{live_server.url}/csp-snapshot/") == []


def test_the_check_sees_a_violation(live_server, settings):
    settings.ROOT_URLCONF = "tests.csp_snapshot_urls"
    csp_snapshot_urls.SNAPSHOT["html"] = "<!doctype html><script>document.title='x'</script>"
    csp_snapshot_urls.SNAPSHOT["policy"] = ""
    violations = csp_violations(f"{live_server.url}/csp-snapshot/")
    assert violations and "script-src" in violations[0]
