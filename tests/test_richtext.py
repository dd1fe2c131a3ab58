"""Rich text is sanitised on save and on output; every text field reaches pages inert.

Each payload is a real XSS vector. A page is inert when it has no script, frame, SVG, style or
embedded object element, no event-handler attribute and no javascript:/data: link, and every
payload's dangerous markup shows, if at all, as text.
"""

from html.parser import HTMLParser

import pytest

from casestudies.models import CaseStudy
from casestudies.models.richtext import sanitise_html
from tests.factories import (
    CaseStudyFactory,
    ContactFactory,
    OrganisationFactory,
    PrincipleFactory,
    casestudy_admin_data,
)

PAYLOADS = [
    "<script>alert('xss')</script>",
    "<img src=x onerror=alert('xss')>",
    "<a href=\"javascript:alert('xss')\">click</a>",
    "<a href=\"  JaVaScRiPt:alert('xss')\">click</a>",
    "<svg onload=alert('xss')><script>alert('svg')</script></svg>",
    "<style>body { display: none }</style>",
    '<iframe src="https://attacker.example/"></iframe>',
    '"><script>alert("attr")</script>',
    "<p style=\"background:url(javascript:alert('xss'))\" onclick=\"alert('xss')\">p</p>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert('mxss')>",
    '<object data="data:text/html,<script>alert(1)</script>"></object>',
    "<details open ontoggle=alert('xss')>",
]
DANGEROUS_TAGS = {"script", "iframe", "svg", "style", "object", "embed", "math", "frame", "base"}


class InertCheck(HTMLParser):
    def __init__(self):
        super().__init__()
        self.problems = []

    def handle_starttag(self, tag, attrs):
        if tag in DANGEROUS_TAGS and not self.is_the_sites_own(tag, dict(attrs)):
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"{tag}[{name}]")
            if name in {"href", "src", "action", "formaction", "data"} and value:
                scheme = "".join(value.split()).lower()
                if scheme.startswith(("javascript:", "data:", "vbscript:")):
                    self.problems.append(f"{tag}[{name}={value}]")
            if name == "style" and "javascript" in (value or "").lower():
                self.problems.append(f"{tag}[style]")

    @staticmethod
    def is_the_sites_own(tag, attrs):
        """The templates' own markup: icon SVGs, static scripts and the JSON-LD data block."""
        if tag == "svg":
            return attrs.get("class", "").startswith("icon") and attrs.get("aria-hidden") == "true"
        if tag == "script":
            return attrs.get("type") == "application/ld+json" or (
                attrs.get("src", "").startswith("/static/") and len(attrs) <= 3
            )
        return False


def assert_inert(html):
    check = InertCheck()
    check.feed(html)
    assert check.problems == []


@pytest.mark.parametrize("payload", PAYLOADS)
def test_the_sanitiser_leaves_payloads_inert(payload):
    assert_inert(sanitise_html(payload))


def test_the_sanitiser_keeps_ordinary_rich_text():
    html = (
        "<h2>Results</h2><p><strong>Bold</strong> and <em>italic</em> with a "
        '<a href="https://example.org/report">link</a>.</p><ul><li>One</li></ul>'
    )
    cleaned = sanitise_html(html)
    assert "<h2>Results</h2>" in cleaned
    assert "<strong>Bold</strong>" in cleaned
    assert 'href="https://example.org/report"' in cleaned
    assert 'rel="noopener noreferrer nofollow"' in cleaned
    assert "<li>One</li>" in cleaned


@pytest.fixture(params=range(len(PAYLOADS)), ids=[f"payload{i}" for i in range(len(PAYLOADS))])
def hostile(request, db):
    """A published case study with the payload in every text field that reaches a page."""
    payload = PAYLOADS[request.param]
    organisation = OrganisationFactory(
        name=f"Council {payload}", slug="hostile-council", website="javascript:alert(1)"
    )
    principle = PrincipleFactory(title=f"Principle {payload}", statement=f"We will {payload}")
    contact = ContactFactory(
        name=f"Name {payload}",
        role=f"Role {payload}",
        organisation=organisation,
        email=f'x@example.org"{payload}',
        email_visibility="everyone",
        phone=f"0123 {payload}"[:40],
        phone_visibility="everyone",
    )
    case_study = CaseStudyFactory(
        title=f"Title {payload}",
        slug="hostile",
        summary=f"Summary {payload}",
        body=f"<p>Body</p>{payload}",
        pull_quote=f"Quote {payload}",
        pull_quote_attribution=f"Attribution {payload}",
        principles=[principle],
        contacts=[contact],
        themes=[f"Theme {payload}"],
        councils=[organisation],
    )
    # The body may also have been written straight into the database (an old import, a
    # restore): the page must still clean it as it shows it.
    CaseStudy.objects.filter(pk=case_study.pk).update(body=f"<p>Body</p>{payload}")
    return case_study


PAGES = [
    "/",
    "/case-studies/",
    "/case-studies/hostile/",
    "/case-studies/?q=Title",
    "/organisations/",
    "/organisations/hostile-council/",
    "/principles/",
]


@pytest.mark.slow  # every payload on every page: the other tests here try each payload once
@pytest.mark.django_db
@pytest.mark.parametrize("url", PAGES)
def test_payloads_in_every_text_field_come_out_inert(client, hostile, url):
    response = client.get(url)
    assert response.status_code == 200
    assert any(marker in response.text for marker in ("Title ", "Council ", "Principle "))
    assert_inert(response.text)


@pytest.mark.django_db
def test_payloads_come_out_inert_on_the_principle_page(client, hostile):
    principle = hostile.principles.get()
    response = client.get(principle.get_absolute_url())
    assert response.status_code == 200
    assert_inert(response.text)


@pytest.mark.django_db
def test_payloads_come_out_inert_in_the_preview(publisher_client, hostile):
    response = publisher_client.get(hostile.get_preview_url())
    assert response.status_code == 200
    assert_inert(response.text)


@pytest.mark.django_db
def test_escaped_payload_text_is_still_readable(client, hostile):
    """Plain-text fields show what was typed, as text, rather than dropping it."""
    response = client.get("/case-studies/hostile/")
    assert "Title &lt;" in response.text or "Title &quot;&gt;" in response.text


@pytest.mark.django_db
def test_the_admin_form_sanitises_the_body_on_save(publisher_client):
    response = publisher_client.post(
        "/admin/casestudies/casestudy/add/",
        casestudy_admin_data(
            slug="typed-in-admin",
            body='<p onclick="alert(1)">Hello <a href="javascript:alert(1)">there</a></p>'
            "<script>alert(2)</script>",
        ),
    )
    assert response.status_code == 302
    body = CaseStudy.objects.get(slug="typed-in-admin").body
    assert body == '<p>Hello <a rel="noopener noreferrer nofollow">there</a></p>'


@pytest.mark.django_db
def test_the_admin_body_editor_is_served_by_the_project(publisher_client):
    from django.contrib.staticfiles import finders

    response = publisher_client.get("/admin/casestudies/casestudy/add/")
    assert "django_prose_editor/editor.js" in response.text
    assert "data-django-prose-editor-configurable" in response.text
    assert "//cdn" not in response.text
    for asset in ("django_prose_editor/editor.js", "django_prose_editor/configurable.js"):
        assert finders.find(asset), asset
        served = publisher_client.get(f"/static/{asset}")
        assert served.status_code == 200
        assert b"".join(served.streaming_content)
        served.close()


@pytest.mark.django_db
def test_an_over_long_body_is_a_form_error_that_keeps_the_text(editor_client, own_organisation):
    """Longer than a search document can hold: a clear error, and the editor's text is still
    in the form (it was a 'database unavailable' page on PostgreSQL)."""
    from casestudies.models import CaseStudy
    from casestudies.models.casestudies import BODY_MAX_LENGTH
    from tests.factories import CaseStudyFactory, casestudy_admin_data

    draft = CaseStudyFactory(draft=True, councils=[own_organisation])
    words = " ".join(f"word{n}" for n in range(BODY_MAX_LENGTH // 6))
    body = f"<p>{words}</p>"
    response = editor_client.post(
        f"/admin/casestudies/casestudy/{draft.pk}/change/",
        casestudy_admin_data(draft, body=body),
    )
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert "body" in form.errors
    assert "at most 300000 characters" in str(form.errors["body"])
    assert form["body"].value().startswith("<p>word0 word1")
    assert CaseStudy.objects.get(pk=draft.pk).body != body
