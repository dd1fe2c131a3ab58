"""Pages describe themselves to search engines and social sites: title, description, canonical
address, Open Graph and Twitter cards; case studies also carry schema.org JSON-LD."""

import json
import struct
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.template.loader import render_to_string

from tests.factories import CaseStudyFactory, OrganisationFactory

PUBLIC_PAGES = [
    "/",
    "/case-studies/",
    "/case-studies/?principle=learning",
    "/case-studies/strategy-consult-birmingham-cc/",
    "/principles/",
    "/principles/learning/",
    "/organisations/",
    "/organisations/trueman-change/",
    "/accessibility/",
    "/privacy/",
]


class Head(HTMLParser):
    def __init__(self):
        super().__init__()
        self.meta = {}
        self.links = {}
        self.title = ""
        self.json_ld = []
        self._in = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta":
            key = attrs.get("property") or attrs.get("name")
            if key:
                self.meta[key] = attrs.get("content")
        elif tag == "link" and attrs.get("rel"):
            self.links[attrs["rel"]] = attrs.get("href")
        elif tag == "title" or (tag == "script" and attrs.get("type") == "application/ld+json"):
            self._in = tag
            if tag == "script":
                self.json_ld.append("")

    def handle_endtag(self, tag):
        self._in = None

    def handle_data(self, data):
        if self._in == "title":
            self.title += data
        elif self._in == "script":
            self.json_ld[-1] += data


def head_of(response):
    head = Head()
    head.feed(response.text)
    return head


@pytest.mark.django_db
@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_every_public_page_can_be_shared(client, demo, url):
    response = client.get(url)
    assert response.status_code == 200
    head = head_of(response)
    assert head.title.endswith("| Co-operative Councils case studies")
    assert len(head.title) > len("| Co-operative Councils case studies") + 3
    path = url.split("?")[0]
    assert head.links["canonical"] == f"http://testserver{path}"
    assert head.meta["og:url"] == head.links["canonical"]
    assert len(head.meta["description"]) > 40
    assert head.meta["og:description"] == head.meta["twitter:description"]
    assert head.meta["og:description"] == head.meta["description"]
    assert head.meta["og:title"] == head.meta["twitter:title"]
    assert head.meta["og:title"] in head.title
    assert head.meta["og:image"] == "http://testserver/static/img/social-preview.png"
    assert head.meta["twitter:image"] == head.meta["og:image"]
    assert (head.meta["og:image:width"], head.meta["og:image:height"]) == ("1200", "630")
    assert head.meta["twitter:card"] == "summary_large_image"


@pytest.mark.django_db
def test_case_study_is_shared_as_an_article_with_its_own_title_and_summary(client, demo):
    head = head_of(client.get("/case-studies/community-covid-response/"))
    assert head.meta["og:type"] == "article"
    assert head.meta["og:title"] == "Evaluating Hyndburn's community response to COVID-19"
    assert head.meta["description"].startswith("An evaluation of Hyndburn Borough Council")
    assert head.meta["article:published_time"].startswith("2021-11-15")


@pytest.mark.django_db
def test_principle_and_organisation_pages_describe_themselves(client, demo):
    principle = head_of(client.get("/principles/social-partnership/"))
    assert principle.meta["og:title"] == "Social partnership"
    assert principle.meta["description"].startswith("We will strengthen the co-operative")
    organisation = head_of(client.get("/organisations/hyndburn-borough-council/"))
    assert organisation.meta["og:title"] == "Hyndburn Borough Council"
    assert "Hyndburn Borough Council" in organisation.meta["description"]


@pytest.mark.django_db
def test_case_study_carries_schema_org_article_with_its_organisations(client, demo):
    head = head_of(client.get("/case-studies/strategy-consult-birmingham-cc/"))
    assert len(head.json_ld) == 1
    data = json.loads(head.json_ld[0])
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "Article"
    assert data["headline"].startswith("Consulting Birmingham")
    assert data["url"] == "http://testserver/case-studies/strategy-consult-birmingham-cc/"
    assert data["datePublished"].startswith("2022-09-01")
    assert data["publisher"]["name"] == "Co-operative Councils' Innovation Network"
    about = {(o["@type"], o["name"]) for o in data["about"]}
    assert about == {
        ("GovernmentOrganization", "Birmingham City Council"),
        ("Organization", "Trueman Change"),
    }
    assert [a["name"] for a in data["author"]] == ["Trueman Change"]
    assert "Social partnership" in data["keywords"]
    assert "Health and wellbeing" in data["keywords"]


@pytest.mark.django_db
def test_json_ld_cannot_be_broken_out_of_by_the_content(client):
    title = 'Bad </script><script>alert("x")</script> & <b>'
    council = OrganisationFactory(name="</script><img src=x onerror=alert(1)>", slug="evil")
    case_study = CaseStudyFactory(title=title, councils=[council])
    response = client.get(case_study.get_absolute_url())
    assert "<script>alert" not in response.text
    assert "<img src=x" not in response.text
    data = json.loads(head_of(response).json_ld[0])
    assert data["headline"] == title
    assert data["about"][0]["name"] == council.name


@pytest.mark.django_db
def test_pages_other_than_case_studies_carry_no_article_data(client, demo):
    assert head_of(client.get("/")).json_ld == []
    assert head_of(client.get("/principles/learning/")).json_ld == []


@pytest.mark.django_db
def test_error_pages_ask_not_to_be_indexed(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    head = head_of(response)
    assert head.meta["robots"] == "noindex"
    assert "canonical" not in head.links


def test_default_social_image_is_a_large_card_png():
    image = Path(settings.BASE_DIR) / "static" / "img" / "social-preview.png"
    header = image.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", header[16:24]) == (1200, 630)
    assert image.stat().st_size < 100_000


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/case-studies/", "/no-such-page/"])
def test_footer_links_to_the_accessibility_statement(client, url):
    assert 'href="/accessibility/">Accessibility statement</a>' in client.get(url).text


@pytest.mark.django_db
def test_accessibility_statement_says_what_standard_and_how_to_report(client):
    text = client.get("/accessibility/").text
    assert "<h1>Accessibility statement</h1>" in text
    assert "WCAG" in text and "2.2" in text and "AA" in text
    assert "Feedback and contact information" in text
    assert "Enforcement procedure" in text


def test_a_page_can_give_its_own_preview_image_instead_of_the_default(rf):
    request = rf.get("/case-studies/some-work/")
    own = render_to_string(
        "includes/meta.html", {"og_image": "https://example.org/photo.jpg"}, request=request
    )
    assert '<meta property="og:image" content="https://example.org/photo.jpg">' in own
    assert '<meta name="twitter:image" content="https://example.org/photo.jpg">' in own
    assert "social-preview.png" not in own
    default = render_to_string("includes/meta.html", {}, request=request)
    assert "http://testserver/static/img/social-preview.png" in default
