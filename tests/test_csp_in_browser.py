"""A real Chromium runs the admin's pages under the Content-Security-Policy: nothing is blocked.

A staff page is rendered by the test client, then replayed to the session's headless Chromium
(tests/conftest.py) from the live server, under the same policy and with the admin's own
scripts and styles: Chromium reports every violation on the page's console, which this test
reads.
"""

import pytest
from django.contrib.auth.models import User

from tests import csp_snapshot_urls
from tests.factories import CaseStudyFactory

pytestmark = [
    pytest.mark.browser,
    # The live server answers from another thread: each test commits, and serialized rollback
    # gives the next one the data the migrations create.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def csp_violations(open_page, url):
    """What Chromium's console says about the policy while the page loads and runs."""
    page = open_page()
    messages = []
    pending = set()
    page.on("console", lambda message: messages.append(message.text))
    page.on("request", lambda request: pending.add(request))
    page.on("requestfinished", lambda request: pending.discard(request))
    page.on("requestfailed", lambda request: pending.discard(request))
    page.goto(url, wait_until="load")
    # Then until no request has been open for a second: what the page's scripts fetch once it
    # has loaded (Swagger UI fetches the schema) has been fetched and run, as Chromium's
    # --virtual-time-budget let it, and the live server has answered it: it reads the test's
    # database, which is emptied when the test ends.
    quiet = 0
    for _ in range(300):
        page.wait_for_timeout(100)
        quiet = 0 if pending else quiet + 100
        if quiet >= 1000:
            break
    assert not pending, [request.url for request in pending]
    assert "<html" in page.content()
    return [message for message in messages if "Content Security Policy" in message]


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
def test_pages_run_in_chromium_without_csp_violations(
    open_page, client, live_server, settings, url
):
    settings.ROOT_URLCONF = "tests.csp_snapshot_urls"
    if url != "/admin/login/":
        client.force_login(User.objects.create_superuser("admin", "a@example.org", "pw"))
    case_study = CaseStudyFactory(slug="snapshot")
    page = client.get(url.format(pk=case_study.pk))
    assert page.status_code == 200
    csp_snapshot_urls.SNAPSHOT["html"] = page.text
    csp_snapshot_urls.SNAPSHOT["policy"] = page["Content-Security-Policy"]
    assert csp_violations(open_page, f"{live_server.url}/csp-snapshot/") == []


def test_the_check_sees_a_violation(open_page, live_server, settings):
    settings.ROOT_URLCONF = "tests.csp_snapshot_urls"
    csp_snapshot_urls.SNAPSHOT["html"] = "<!doctype html><script>document.title='x'</script>"
    csp_snapshot_urls.SNAPSHOT["policy"] = ""
    violations = csp_violations(open_page, f"{live_server.url}/csp-snapshot/")
    assert violations and "script-src" in violations[0]
