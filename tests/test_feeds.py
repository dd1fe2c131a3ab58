"""RSS and Atom feeds, sitemap.xml and robots.txt."""

import xml.etree.ElementTree as ET

import pytest

from tests.factories import CaseStudyFactory, OrganisationFactory

ATOM = "{http://www.w3.org/2005/Atom}"
FEEDS = [
    "/feeds/case-studies.{ext}",
    "/feeds/principles/learning.{ext}",
    "/feeds/themes/allotments.{ext}",
    "/feeds/organisations/kirklees.{ext}",
]


@pytest.fixture
def content(principles):
    council = OrganisationFactory(name="Kirklees Council", slug="kirklees")
    learning = next(p for p in principles if p.slug == "learning")
    CaseStudyFactory(
        title="Growing together", principles=[learning], councils=[council], themes=["Allotments"]
    )
    CaseStudyFactory(title="Unrelated work", principles=principles[:1])
    for trait in ("draft", "in_review", "scheduled"):
        CaseStudyFactory(
            title=f"Hidden {trait}",
            principles=[learning],
            councils=[council],
            themes=["Allotments"],
            **{trait: True},
        )


def titles(response):
    root = ET.fromstring(response.content)
    if root.tag == f"{ATOM}feed":
        return [e.findtext(f"{ATOM}title") for e in root.iter(f"{ATOM}entry")]
    return [item.findtext("title") for item in root.iter("item")]


@pytest.mark.django_db
@pytest.mark.parametrize("ext", ["rss", "atom"])
@pytest.mark.parametrize("url", FEEDS)
def test_feeds_list_only_published_case_studies(client, content, url, ext):
    response = client.get(url.format(ext=ext))
    assert response.status_code == 200
    assert response["Content-Type"].startswith(f"application/{ext}+xml")
    found = titles(response)
    assert "Growing together" in found
    assert not [t for t in found if t.startswith("Hidden")]


@pytest.mark.django_db
def test_topic_feeds_hold_only_their_topic(client, content):
    assert titles(client.get("/feeds/themes/allotments.atom")) == ["Growing together"]
    assert titles(client.get("/feeds/organisations/kirklees.rss")) == ["Growing together"]
    assert titles(client.get("/feeds/case-studies.rss")) == ["Unrelated work", "Growing together"]


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["principles", "themes", "organisations"])
def test_unknown_topic_feed_is_a_friendly_not_found(client, content, kind):
    response = client.get(f"/feeds/{kind}/no-such-thing.rss")
    assert response.status_code == 404
    assert "Browse all case studies" in response.text


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "feed"),
    [
        ("/", "/feeds/case-studies.atom"),
        ("/case-studies/", "/feeds/case-studies.rss"),
        ("/case-studies/?theme=allotments", "/feeds/themes/allotments.atom"),
        ("/principles/learning/", "/feeds/principles/learning.atom"),
        ("/organisations/kirklees/", "/feeds/organisations/kirklees.rss"),
    ],
)
def test_pages_announce_their_feeds(client, content, url, feed):
    text = client.get(url).text
    assert f'<link rel="alternate" type="application/{feed.rsplit(".", 1)[1]}+xml' in text
    assert f'href="{feed}"' in text


SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def locations(client, url):
    root = ET.fromstring(client.get(url).content)
    return [loc.text for loc in root.iter(f"{SITEMAP}loc")]


@pytest.mark.django_db
def test_sitemap_covers_every_public_page_and_no_hidden_one(client, content):
    sections = locations(client, "/sitemap.xml")
    assert "http://testserver/sitemap-case-studies.xml" in sections
    pages = [url for section in sections for url in locations(client, section)]
    expected = [
        "http://testserver/",
        "http://testserver/case-studies/",
        "http://testserver/principles/",
        "http://testserver/principles/coverage/",
        "http://testserver/organisations/",
        "http://testserver/api/v1/docs/",
        "http://testserver/principles/learning/",
        "http://testserver/organisations/kirklees/",
        "http://testserver/case-studies/?theme=allotments",
    ]
    for url in expected:
        assert url in pages
    case_studies = [url for url in pages if "/case-studies/case-study-" in url]
    assert len(case_studies) == 2
    for url in pages:
        assert client.get(url.removeprefix("http://testserver")).status_code == 200, url


@pytest.mark.django_db
def test_robots_txt_points_at_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    assert "Sitemap: http://testserver/sitemap.xml" in response.text
    assert "Disallow: /admin/" in response.text


@pytest.mark.django_db
def test_a_feed_is_sent_in_one_piece(client, content):
    """The server writes each piece of a response with a system call of its own."""
    response = client.get("/feeds/case-studies.atom")
    assert response.status_code == 200
    assert len(list(response)) == 1
