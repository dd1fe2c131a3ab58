"""Anonymous pages come from the cache, and every content change shows at once."""

import datetime as dt
import os
import re
import time

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache, caches
from django.http import HttpResponse
from django.utils import timezone

from casestudies.caching import fragments, pages, version
from casestudies.discovery.filters import CaseStudyFilter
from casestudies.models import CaseStudy, Theme
from tests.factories import CaseStudyFactory, ContactFactory, OrganisationFactory

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/3")


def redis_cache_settings(url):
    return {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": "coopnet-test",
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 0.5,
                "SOCKET_TIMEOUT": 0.5,
            },
        }
    }


def redis_reachable():
    import redis

    try:
        return redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5).ping()
    except redis.RedisError:
        return False


@pytest.fixture(params=["locmem", "redis"])
def page_cache(request, settings, db):
    """The page cache turned on, with process memory or with the real Redis."""
    if request.param == "redis":
        if not redis_reachable():
            pytest.skip(f"needs Redis at {REDIS_URL}")
        settings.CACHES = {**settings.CACHES, **redis_cache_settings(REDIS_URL)}
    settings.PAGE_CACHE_SECONDS = 300
    settings.CONTENT_VERSION_SECONDS = 60  # as in production: a hit asks the database nothing
    for name in settings.CACHES:
        caches[name].clear()
    yield request.param
    cache.clear()


def fetch(client, url):
    response = client.get(url)
    return response, response.get("X-Page-Cache")


def test_a_second_anonymous_visit_is_served_from_the_cache(
    client, page_cache, published, django_assert_num_queries
):
    first, state = fetch(client, "/case-studies/")
    assert (first.status_code, state) == (200, "miss")
    with django_assert_num_queries(0):
        second, state = fetch(client, "/case-studies/")
    assert (second.status_code, state) == (200, "hit")
    assert second.content == first.content
    assert "Leeds community energy" in second.text


@pytest.mark.parametrize("url", ["/api/v1/case-studies/", "/feeds/case-studies.atom"])
def test_feeds_and_the_api_are_served_from_the_cache_as_sent(client, page_cache, published, url):
    first, state = fetch(client, url)
    assert state == "miss"
    kept = pages.get(pages.page_key(first.wsgi_request, version.content_version()))
    # Only what is sent is kept: not the API's serializer and model instances, and the body
    # in one piece.
    assert type(kept) is HttpResponse
    assert len(list(kept)) == 1
    second, state = fetch(client, url)
    assert state == "hit"
    assert (second.status_code, second.content) == (200, first.content)
    assert second["Content-Type"] == first["Content-Type"]
    assert second["ETag"] == first["ETag"]


def test_the_query_string_is_part_of_the_cache_key(client, page_cache, published):
    fetch(client, "/case-studies/")
    response, state = fetch(client, "/case-studies/?q=nothing-matches-this")
    assert state == "miss"
    assert "Leeds community energy" not in response.text


def test_publishing_shows_at_once(client, page_cache, principles):
    draft = CaseStudyFactory(title="Bristol food co-op", slug="bristol-food", draft=True)
    for url in ("/", "/case-studies/", draft.get_absolute_url()):
        fetch(client, url)
        assert "Bristol food co-op" not in fetch(client, url)[0].text
    draft.status = CaseStudy.Status.PUBLISHED
    draft.published_at = timezone.now()
    draft.save()
    for url in ("/", "/case-studies/", draft.get_absolute_url()):
        response, state = fetch(client, url)
        assert (response.status_code, state) == (200, "miss")
        assert "Bristol food co-op" in response.text


def test_unpublishing_and_deleting_take_it_away_at_once(client, page_cache, published):
    assert "Leeds community energy" in fetch(client, "/case-studies/")[0].text
    fetch(client, published.get_absolute_url())
    published.status = CaseStudy.Status.DRAFT
    published.save()
    assert "Leeds community energy" not in fetch(client, "/case-studies/")[0].text
    assert fetch(client, published.get_absolute_url())[0].status_code == 404
    other = CaseStudyFactory(title="Deleted later")
    assert "Deleted later" in fetch(client, "/case-studies/")[0].text
    other.delete()
    assert "Deleted later" not in fetch(client, "/case-studies/")[0].text


def test_the_admin_unpublish_action_empties_the_cache(client, page_cache, published):
    """The action saves with a bulk update (no signals): admin writes empty the cache too."""
    assert "Leeds community energy" in fetch(client, "/case-studies/")[0].text
    staff = User.objects.create_superuser("publisher", "p@example.org", "pw")
    from django.test import Client

    staff_client = Client()
    staff_client.force_login(staff)
    response = staff_client.post(
        "/admin/casestudies/casestudy/",
        {"action": "unpublish", "_selected_action": [published.pk]},
    )
    assert response.status_code == 302
    assert "Leeds community energy" not in fetch(client, "/case-studies/")[0].text


@pytest.mark.parametrize(
    "change",
    ["principle", "organisation", "contact", "theme", "case study principles", "themes"],
)
def test_related_content_changes_show_at_once(client, page_cache, published, principles, change):
    contact = ContactFactory(name="Ada Contact")
    published.contacts.add(contact)
    url = published.get_absolute_url()
    fetch(client, url)
    assert fetch(client, url)[1] == "hit"
    if change == "principle":
        principles[0].title = "Renamed principle"
        principles[0].save()
        expected = "Renamed principle"
    elif change == "organisation":
        OrganisationFactory._meta.model.objects.filter(slug="leeds").get().delete()
        expected = None
    elif change == "contact":
        contact.name = "Grace Contact"
        contact.save()
        expected = "Grace Contact"
    elif change == "theme":
        theme = Theme.objects.get(name="Energy")
        theme.name = "Renewable energy"
        theme.save()
        expected = "Renewable energy"
    elif change == "case study principles":
        published.principles.add(principles[5])
        expected = principles[5].title
    else:
        published.themes.add("Housing")
        expected = "Housing"
    response, state = fetch(client, url)
    assert state == "miss"
    if expected:
        assert expected in response.text
    else:
        assert "Leeds City Council" not in response.text


def test_links_to_related_case_studies_are_kept_and_follow_their_changes(
    client, page_cache, kept_facet_index, published, principles, django_assert_num_queries
):
    """A page's links to related case studies are kept like cards (issue 17): a second page
    that links to the same case study reads nothing more for it; its new title, or its
    withdrawal, shows on the pages linking to it at once."""
    other = CaseStudyFactory(title="Kirklees energy", principles=principles[:2])
    url = published.get_absolute_url()
    assert "Kirklees energy" in fetch(client, url)[0].text
    with django_assert_num_queries(2):  # the case study and its contacts: no related query
        response, state = fetch(client, url + "?from=newsletter")  # not the kept page
    assert state != "hit" and "Kirklees energy" in response.text

    other.title = "Kirklees heat network"
    other.save()
    response, state = fetch(client, url)
    assert state == "miss" and "Kirklees heat network" in response.text
    assert "Kirklees energy" not in response.text

    other.published_at = None
    other.save()
    response, state = fetch(client, url)
    assert state == "miss" and "Kirklees heat network" not in response.text
    assert "Related case studies" not in response.text


@pytest.mark.slow
def test_a_scheduled_case_study_appears_on_time(client, page_cache, published):
    CaseStudyFactory(title="Scheduled soon", published_at=timezone.now() + dt.timedelta(seconds=2))
    assert 1 <= pages.page_timeout() <= 2
    response, state = fetch(client, "/case-studies/")
    assert state == "miss" and "Scheduled soon" not in response.text
    time.sleep(2.2)
    response = client.get("/case-studies/")
    assert "Scheduled soon" in response.text


def test_the_timeout_is_the_configured_maximum_without_scheduled_work(settings, published):
    settings.PAGE_CACHE_SECONDS = 120
    assert pages.page_timeout() == 120
    CaseStudyFactory(scheduled=True)  # a week ahead
    assert pages.page_timeout() == 120


def test_logged_in_staff_never_get_cached_pages(client, page_cache, published):
    client.force_login(User.objects.create_superuser("publisher", "p@example.org", "pw"))
    for _ in range(2):
        response, state = fetch(client, "/case-studies/")
        assert response.status_code == 200
        assert state is None
    client.logout()
    assert fetch(client, "/case-studies/")[1] == "miss"


def test_errors_and_post_requests_are_not_cached(client, page_cache, published):
    for _ in range(2):
        response, state = fetch(client, "/case-studies/no-such-case-study/")
        assert (response.status_code, state) == (404, None)
    for _ in range(2):
        response, state = fetch(client, "/case-studies/?year=not-a-year")
        assert (response.status_code, state) == (400, None)


def test_admin_and_health_checks_are_never_cached(client, page_cache):
    for _ in range(2):
        assert fetch(client, "/admin/login/")[1] is None
        assert fetch(client, "/readyz")[1] is None


def test_cached_pages_still_get_security_headers(client, page_cache, published):
    client.get("/principles/", secure=True)
    response = client.get("/principles/", secure=True)
    assert response["X-Page-Cache"] == "hit"
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert "max-age=" in response["Strict-Transport-Security"]


# Conditional GET: on /feeds/ and /api/ by default (CONDITIONAL_GET_PREFIXES); here on a page
# that exists today.


@pytest.fixture
def conditional_pages(settings):
    settings.CONDITIONAL_GET_PREFIXES = ["/case-studies/"]


def test_conditional_get_answers_304_when_nothing_changed(
    client, conditional_pages, published, django_assert_num_queries
):
    response = client.get("/case-studies/")
    etag = response["ETag"]
    assert response.status_code == 200 and etag
    again = client.get("/case-studies/", headers={"if-none-match": etag})
    assert again.status_code == 304
    assert again.content == b""
    published.title = "Leeds community energy, updated"
    published.save()
    changed = client.get("/case-studies/", headers={"if-none-match": etag})
    assert changed.status_code == 200
    assert changed["ETag"] != etag


def test_conditional_get_on_cached_pages_needs_no_query(
    client, page_cache, conditional_pages, published, django_assert_num_queries
):
    etag = client.get("/case-studies/")["ETag"]
    with django_assert_num_queries(0):
        response = client.get("/case-studies/", headers={"if-none-match": etag})
    assert response.status_code == 304


def test_paths_outside_the_prefixes_get_no_etag(client, conditional_pages, published):
    assert not client.get("/principles/").has_header("ETag")


def serve_through_the_cache(view, url="/a-page-with-a-form/"):
    """Two anonymous requests for a page rendered by `view`, through the page cache."""
    from csp.middleware import CSPMiddleware
    from django.test import RequestFactory

    from casestudies.caching.middleware import AnonymousPageCacheMiddleware

    # The CSP middleware sits outside the page cache, as in settings.MIDDLEWARE.
    middleware = CSPMiddleware(AnonymousPageCacheMiddleware(view))
    return [middleware(RequestFactory().get(url)) for _ in range(2)]


@pytest.mark.parametrize("per_visitor", ["csrf token", "csp nonce", "private", "cookie"])
def test_pages_made_for_one_visitor_are_never_cached(page_cache, per_visitor):
    from django.http import HttpResponse
    from django.middleware.csrf import get_token
    from django.views.decorators.cache import cache_control

    @cache_control(private=per_visitor == "private")
    def view(request):
        response = HttpResponse("<form>...</form>")
        if per_visitor == "csrf token":
            response.content = get_token(request).encode()
        elif per_visitor == "csp nonce":
            response.content = f'<script nonce="{request.csp_nonce}"></script>'.encode()
        elif per_visitor == "cookie":
            response.set_cookie("seen", "1")
        return response

    first, second = serve_through_the_cache(view)
    assert "X-Page-Cache" not in first and "X-Page-Cache" not in second


def test_a_page_for_everyone_is_cached(page_cache):
    from django.http import HttpResponse

    first, second = serve_through_the_cache(lambda request: HttpResponse("same for all"))
    assert (first["X-Page-Cache"], second["X-Page-Cache"]) == ("miss", "hit")


def test_sign_in_attempts_do_not_empty_the_cache(client, page_cache, published):
    from django.test import Client

    User.objects.create_superuser("publisher", "p@example.org", "right-password-123")
    fetch(client, "/case-studies/")
    for password in ("wrong", "right-password-123"):
        Client().post("/admin/login/", {"username": "publisher", "password": password})
    Client().post("/admin/casestudies/casestudy/", {"action": "unpublish"})  # not signed in
    assert fetch(client, "/case-studies/")[1] == "hit"


def test_list_cards_are_reused_until_the_content_changes(
    client, page_cache, published, settings, django_assert_num_queries
):
    settings.FACET_INDEX_SECONDS = 300  # kept, as in production
    first = client.get("/case-studies/?sort=newest")  # renders the card and keeps it
    assert "Leeds City Council" in first.text
    # The page itself, and nothing else: the filter options and the next scheduled
    # publication are known to the facet index, the card is kept.
    with django_assert_num_queries(1):
        second = client.get("/case-studies/?sort=title")  # another page: not a page-cache hit
    assert second["X-Page-Cache"] == "miss"
    card = re.search(r'<article class="card">.*?</article>', first.text, re.S).group(0)
    assert card in second.text
    # A change to anything a card shows renders it afresh at once.
    council = published.roles.first().organisation
    council.name = "Leeds Council"
    council.save()
    assert "Leeds Council" in client.get("/case-studies/?sort=oldest").text
    published.principles.first().save()
    published.title = "Leeds community power"
    published.save()
    assert "Leeds community power" in client.get("/case-studies/?kind=case_study").text


@pytest.mark.django_db
def test_kept_cards_show_each_searchs_own_highlights(client, settings, published):
    settings.PAGE_CACHE_SECONDS = 300
    cache.clear()
    # The summary is "A council and its communities working together."
    first = client.get("/case-studies/?q=communities").text
    assert "<mark>communities</mark>" in first and "<mark>council</mark>" not in first
    assert any("card:" in key for key in fragments.fragment_cache("cards")._cache)
    second = client.get("/case-studies/?q=council").text
    assert "<mark>council</mark>" in second and "<mark>communities</mark>" not in second
    plain = client.get("/case-studies/").text
    assert "A council and its communities working together." in plain
    assert "<mark>" not in plain


def test_parameter_order_and_tracking_parameters_share_one_cached_page(
    client, page_cache, published
):
    assert fetch(client, "/case-studies/?kind=case_study&year=2023")[1] == "miss"
    assert fetch(client, "/case-studies/?year=2023&kind=case_study")[1] == "hit"
    shared = "/case-studies/?year=2023&utm_source=newsletter&kind=case_study&fbclid=abc"
    assert fetch(client, shared)[1] == "hit"
    # A page first asked for with tracking parameters is served, but not kept for everyone
    # (its links would carry them).
    response, state = fetch(client, "/case-studies/?kind=policy_lab&utm_campaign=spring")
    assert response.status_code == 200 and state is None
    assert fetch(client, "/case-studies/?kind=policy_lab")[1] == "miss"
    # Different values are different pages.
    assert fetch(client, "/case-studies/?year=2022&kind=case_study")[1] == "miss"


def filter_form(html):
    return re.search(r'<form id="filters".*?</form>', html, re.S).group(0)


@pytest.mark.parametrize("page", ["/case-studies/", "/principles/coverage/"])
def test_the_filter_form_is_drawn_once_for_the_same_filters(
    client, page_cache, published, monkeypatch, page
):
    counted = []  # the facet options are worked out only to draw the form
    original = CaseStudyFilter._principle_options
    monkeypatch.setattr(
        CaseStudyFilter,
        "_principle_options",
        lambda self, counts: counted.append(1) or original(self, counts),
    )
    first = client.get(page + "?kind=case_study&principle=learning")
    drawn = len(counted)
    assert drawn >= 1
    # Another page of results, other parameter order, a parameter the filters ignore: the
    # page itself is not in the cache, the form is.
    for again in (
        "?principle=learning&kind=case_study&page=1",
        "?kind=case_study&principle=learning&ref=x",
    ):
        response = client.get(page + again)
        assert response.get("X-Page-Cache") != "hit"
        assert filter_form(response.text) == filter_form(first.text)
    assert len(counted) == drawn
    # Other filters draw their own form.
    checked = re.compile(r'value="learning" id="id_principle_\d+" checked')
    assert checked.search(filter_form(first.text))
    assert not checked.search(filter_form(client.get(page + "?kind=case_study").text))


def test_the_kept_filter_form_counts_new_content_at_once(client, page_cache, published):
    before = filter_form(client.get("/case-studies/?kind=case_study").text)
    assert re.search(r'<option value="leeds">Leeds City Council \(1\)</option>', before)
    CaseStudyFactory(councils=[published.roles.first().organisation])
    after = filter_form(client.get("/case-studies/?kind=case_study&page=1").text)
    assert re.search(r'<option value="leeds">Leeds City Council \(2\)</option>', after)


def test_a_filter_form_with_errors_is_never_kept(client, page_cache, published):
    for _ in range(2):
        response = client.get("/case-studies/?principle=no-such-principle&kind=case_study")
        assert response.status_code == 400
        assert "Some filters could not be used" in response.text
    assert not fragments.fragment_cache("filterforms")._cache
    valid = client.get("/case-studies/?kind=case_study").text
    assert "Some filters could not be used" not in valid


def test_a_request_reads_the_content_version_once(client, page_cache, published, monkeypatch):
    reads = []
    original = version._read_version
    monkeypatch.setattr(version, "_read_version", lambda: reads.append(1) or original())
    # The page, the facet index, the cards and the filter form all need it.
    response = client.get("/case-studies/?kind=case_study&q=leeds")
    assert response["X-Page-Cache"] == "miss"
    assert len(reads) == 1
    assert version.content_version() is not None  # outside a request: asked every time
    assert len(reads) == 2


def test_pages_with_parameters_their_view_does_not_read_are_served_but_not_kept(
    client, page_cache, published
):
    for _ in range(2):
        response, state = fetch(client, "/case-studies/?kind=case_study&nocache=123")
        assert response.status_code == 200 and "Leeds community energy" in response.text
        assert state is None  # neither a hit nor stored
    assert fetch(client, "/case-studies/?kind=case_study")[1] == "miss"
    assert fetch(client, "/case-studies/?kind=case_study")[1] == "hit"
    # A view that says nothing reads no parameter: with one, it is served but not kept.
    assert fetch(client, "/principles/?nocache=123")[1] is None
    assert fetch(client, "/principles/")[1] == "miss"
    assert fetch(client, "/principles/?nocache=123")[1] is None


def test_the_filter_form_shows_a_scheduled_case_study_once_it_is_out(
    client, page_cache, published, settings
):
    """Coming out changes no content version, but it does change the filter's options."""
    settings.FACET_INDEX_SECONDS = 300
    soon = CaseStudyFactory(
        title="Wakefield allotments",
        slug="wakefield",
        year=2019,
        published_at=timezone.now() + dt.timedelta(seconds=1),
    )
    before = client.get("/case-studies/?kind=case_study")
    assert '<option value="2019"' not in before.text
    soon.published_at = timezone.now() - dt.timedelta(seconds=1)
    CaseStudy.objects.filter(pk=soon.pk).update(published_at=soon.published_at)  # no signal
    time.sleep(1.1)
    after = client.get("/case-studies/?kind=case_study&page=1")
    assert '<option value="2019"' in after.text
