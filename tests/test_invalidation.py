"""A change to the content shows on every route at once, whatever the cache is doing.

The content version lives in the database and is replaced in the same transaction as the
change (casestudies/caching/version.py), so a cache that refuses writes, is down or is full at
the moment of a change cannot keep the old pages alive.
"""

import pytest
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache

from casestudies.caching import version
from casestudies.models import CaseStudy, ContentVersion
from tests.factories import CaseStudyFactory

ROUTES = [
    "/",
    "/case-studies/",
    "/case-studies/leeds-energy/",
    "/organisations/leeds/",
    "/feeds/case-studies.rss",
    "/sitemap-case-studies.xml",
    "/api/v1/case-studies/",
]


class RefusingCache(LocMemCache):
    """Process memory that, while `refusing`, keeps what it has but takes nothing new and
    says nothing: Redis full under a no-eviction policy, seen through a client that ignores
    errors."""

    refusing = False

    def add(self, *args, **kwargs):
        return False if self.refusing else super().add(*args, **kwargs)

    def set(self, *args, **kwargs):
        if not self.refusing:
            super().set(*args, **kwargs)

    def set_many(self, *args, **kwargs):
        return [] if self.refusing else super().set_many(*args, **kwargs)

    def delete(self, *args, **kwargs):
        return False if self.refusing else super().delete(*args, **kwargs)


@pytest.fixture
def refusing_cache(settings):
    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": "tests.test_invalidation.RefusingCache", "LOCATION": "refusing"},
    }
    settings.PAGE_CACHE_SECONDS = 300
    settings.CONTENT_VERSION_SECONDS = 60
    RefusingCache.refusing = False
    caches["default"].clear()
    yield RefusingCache
    RefusingCache.refusing = False
    caches["default"].clear()


def shown(client, url):
    response = client.get(url)
    text = response.content.decode()
    return response.status_code == 200 and (
        "Leeds community energy" in text or "/case-studies/leeds-energy/" in text
    )


def unpublish_through_the_admin(publisher_client, case_study):
    response = publisher_client.post(
        "/admin/casestudies/casestudy/",
        {"action": "unpublish", "_selected_action": [case_study.pk]},
    )
    assert response.status_code == 302
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("Unpublished 1 case study" in m for m in messages)


@pytest.mark.django_db
def test_unpublishing_while_the_cache_refuses_writes_shows_everywhere_at_once(
    client, publisher, published, refusing_cache
):
    from django.test import Client

    for url in ROUTES:
        assert shown(client, url), url
        assert client.get(url)["X-Page-Cache"] == "hit", url  # kept: the next visit is a hit
    refusing_cache.refusing = True
    staff = Client()
    staff.force_login(publisher)
    unpublish_through_the_admin(staff, published)
    for url in ROUTES:
        assert not shown(client, url), f"{url} still shows the unpublished case study"


@pytest.mark.django_db
def test_a_change_commits_with_its_new_version(published):
    before = ContentVersion.objects.get().value
    published.status = CaseStudy.Status.DRAFT
    published.save()
    assert ContentVersion.objects.get().value != before


@pytest.mark.django_db(transaction=True)
def test_a_change_rolled_back_leaves_the_version_as_it_was(principles):
    from django.db import transaction

    before = ContentVersion.objects.get().value
    with pytest.raises(RuntimeError), transaction.atomic():
        CaseStudyFactory(title="Never committed")
        assert ContentVersion.objects.get().value != before  # replaced within the change
        raise RuntimeError
    assert ContentVersion.objects.get().value == before
    assert not CaseStudy.objects.filter(title="Never committed").exists()


@pytest.mark.django_db
def test_a_change_written_without_signals_through_the_admin_replaces_the_version(
    publisher_client, published
):
    """Bulk actions may write with queryset.update(); any staff write replaces the version."""
    before = ContentVersion.objects.get().value
    publisher_client.post(
        "/admin/casestudies/casestudy/",
        {"action": "unpublish", "_selected_action": [published.pk]},
    )
    assert ContentVersion.objects.get().value != before


@pytest.mark.django_db
def test_each_process_reads_the_version_at_most_once_per_interval(
    published, settings, django_assert_num_queries
):
    settings.CONTENT_VERSION_SECONDS = 60
    version.forget()
    with django_assert_num_queries(1):
        first = version.content_version()
        assert version.content_version() == first
    # Another process's change shows once the interval has passed.
    ContentVersion.objects.update(value="changed elsewhere")
    assert version.content_version() == first
    settings.CONTENT_VERSION_SECONDS = 0
    assert version.content_version() == "changed elsewhere"


@pytest.mark.django_db
def test_a_database_without_the_version_row_gets_one(published):
    ContentVersion.objects.all().delete()
    assert version.content_version()
    assert ContentVersion.objects.count() == 1
