"""The page cache holds a bounded number of pages: junk parameters and Accept headers store
nothing new (casestudies/caching/pages.py)."""

import random
import string

import pytest
from django.core.cache import caches

PAGES = [
    "/",
    "/case-studies/",
    "/case-studies/leeds-energy/",
    "/organisations/",
    "/organisations/leeds/",
    "/principles/",
    "/principles/learning/",
    "/principles/coverage/",
    "/feeds/case-studies.rss",
    "/sitemap.xml",
    "/sitemap-case-studies.xml",
    "/api/v1/case-studies/",
    "/api/v1/principles/",
]


@pytest.fixture
def kept_pages(settings):
    settings.PAGE_CACHE_SECONDS = 300
    settings.CONTENT_VERSION_SECONDS = 60
    cache = caches["default"]
    cache.clear()

    def count():
        return sum(1 for key in cache._cache if ":pagecache:page:" in key)

    yield count
    cache.clear()


def junk(rng, length=8):
    return "".join(rng.choice(string.ascii_lowercase + string.digits) for _ in range(length))


@pytest.mark.slow
@pytest.mark.django_db
def test_a_flood_of_junk_requests_stores_no_new_page(client, published, kept_pages):
    for url in PAGES:
        assert client.get(url).status_code == 200, url
    baseline = kept_pages()
    assert baseline == len(PAGES)  # each page once
    rng = random.Random(1234)
    answers = set()
    for n in range(1000):
        url = PAGES[n % len(PAGES)]
        kind = n % 4
        if kind == 0:  # a parameter no view reads
            response = client.get(url, {junk(rng): junk(rng)})
        elif kind == 1:  # an Accept header of its own
            response = client.get(
                url, HTTP_ACCEPT=f"text/html;q=0.{rng.randint(1, 9)}, */{junk(rng)}"
            )
        elif kind == 2:  # cache busting, as a crawler or an attacker would
            response = client.get(url, {"nocache": junk(rng), "_": str(n)})
        else:  # tracking parameters of a shared link
            response = client.get(url, {"utm_source": junk(rng), "fbclid": junk(rng)})
        answers.add(response.status_code)
    assert kept_pages() == baseline
    assert answers <= {200, 404, 406}


@pytest.mark.django_db
def test_the_parameters_a_page_reads_are_still_kept(client, published, kept_pages):
    for url in (
        "/case-studies/?kind=case_study",
        "/organisations/leeds/?page=1",
        "/api/v1/case-studies/?page_size=5",
        "/sitemap-case-studies.xml?p=1",
    ):
        client.get(url)
        assert client.get(url)["X-Page-Cache"] == "hit", url
    assert kept_pages() == 4


@pytest.mark.django_db
def test_the_api_schema_is_negotiated_and_so_never_stored(client, published, kept_pages):
    yaml = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi")
    json = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert yaml.content != json.content
    assert "X-Page-Cache" not in yaml and "X-Page-Cache" not in json
    assert kept_pages() == 0
