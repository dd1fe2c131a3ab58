import io
import os
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection, connections

from principles.models import Principle
from tests.smtp import smtp_server  # noqa: F401  (a real SMTP server: tests/smtp.py)

DEFAULT_TEST_REDIS_URL = "redis://127.0.0.1:6379/3"


def pytest_configure(config):
    """Under pytest-xdist, each worker empties a Redis database of its own: worker gwN uses
    the database TEST_REDIS_URL names (default 3) plus N, so two workers never clear each
    other's cache (tests/test_page_cache.py)."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        return
    base = os.environ.get("TEST_REDIS_URL", DEFAULT_TEST_REDIS_URL)
    match = re.fullmatch(r"(\w+://[^/]*)(?:/(\d*))?", base)
    if match:
        number = int(match[2] or 0) + int(worker.removeprefix("gw"))
        os.environ["TEST_REDIS_URL"] = f"{match[1]}/{number}"


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist reads the groups (--dist loadgroup)
def pytest_collection_modifyitems(config, items):
    """Run every browser test in one xdist worker, so one Chromium serves them all; give every
    transactional test serialized rollback; skip PostgreSQL-only tests, saying why, when the
    suite runs on another database.

    Serialized rollback: Django empties the database after a transactional test (one marked
    django_db(transaction=True), or using live_server or transactional_db). With serialized
    rollback, the next transactional test starts from the data the migrations create (the
    principles, the groups, the content version), whichever tests ran before it in its worker.
    """
    from pytest_django.plugin import validate_django_db

    for item in items:
        if "browser" in item.keywords:
            item.add_marker(pytest.mark.xdist_group("browser"))
        marker = item.get_closest_marker("django_db")
        transaction, reset_sequences, databases, serialized, apps = (
            validate_django_db(marker) if marker else (False, False, None, False, None)
        )
        uses = {"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ()))
        if (transaction or reset_sequences or uses) and not serialized:
            item.add_marker(
                pytest.mark.django_db(
                    transaction=True,
                    reset_sequences=reset_sequences,
                    databases=databases,
                    serialized_rollback=True,
                    available_apps=apps,
                ),
                append=False,
            )

    from django.conf import settings

    engine = settings.DATABASES["default"]["ENGINE"]
    if "postgresql" in engine:
        return
    skip = pytest.mark.skip(reason=f"needs PostgreSQL; this run uses {engine.rsplit('.', 1)[-1]}")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def principles(db):
    """The seven principles the data migration creates, in order."""
    return list(Principle.objects.all())


@pytest.fixture
def demo(db):
    """The demo content, loaded as `make run` loads it."""
    call_command("load_demo", stdout=io.StringIO())


@pytest.fixture
def is_postgres():
    return connection.vendor == "postgresql"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploads and image renditions go to a temporary folder, never the project's media/."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def publisher(db):
    """A network staff member in the Publishers group (not a superuser)."""
    from tests.factories import UserFactory

    return UserFactory(username="publisher", groups=["Publishers"])


@pytest.fixture
def own_organisation(db):
    from tests.factories import OrganisationFactory

    return OrganisationFactory(name="Oldham Council", slug="oldham-council")


@pytest.fixture
def other_organisation(db):
    from tests.factories import OrganisationFactory

    return OrganisationFactory(name="Rochdale Council", slug="rochdale-council")


@pytest.fixture
def member_editor(own_organisation):
    """A member editor of Oldham Council (in the Member editors group)."""
    from tests.factories import EditorMembershipFactory, UserFactory

    user = UserFactory(username="oldham-editor", groups=["Member editors"])
    EditorMembershipFactory(user=user, organisation=own_organisation)
    return user


@pytest.fixture
def publisher_client(client, publisher):
    client.force_login(publisher)
    return client


@pytest.fixture
def editor_client(client, member_editor):
    client.force_login(member_editor)
    return client


@pytest.fixture(autouse=True)
def fresh_facet_index():
    """No test sees the in-memory facet index another test built (discovery/facets.py)."""
    from casestudies.caching import version
    from casestudies.discovery import facets as facetindex

    facetindex.forget()
    version.forget()
    yield
    facetindex.forget()
    version.forget()


@pytest.fixture
def kept_facet_index(settings):
    """The facet index kept between requests, as in production (the test settings rebuild it
    for every request; `fresh_facet_index` forgets it after the test)."""
    settings.FACET_INDEX_SECONDS = 300


# The browser: one headless Chromium for the whole session (tests/test_browser.py and
# tests/test_csp_in_browser.py, both marked `browser`). -----------------------------------------

CHROMIUM = os.environ.get("COOPNET_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DESKTOP = {"width": 1280, "height": 900}


def no_browser(reason):
    if os.environ.get("CI"):
        pytest.fail(f"{reason}: CI must run the browser tests (.ci/run installs Debian's chromium)")
    pytest.skip(f"{reason}; install Debian's chromium (apt-get install chromium) to run them")


@pytest.fixture(scope="session")
def browser(django_db_setup):
    """One headless Chromium for the whole session (never downloaded: Debian's, at CHROMIUM).

    Being session-scoped, it starts before any test's database fixtures, so the connections a
    test opens after it (see below) are the ones its transaction is on."""
    if not Path(CHROMIUM).exists():
        no_browser(f"no Chromium at {CHROMIUM}")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        no_browser("the playwright package is not installed")
    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
    # around it are still plain synchronous code.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    # Django keeps database connections per context, and Playwright's greenlets give the tests
    # a new one: hand the new connections the database snapshot that serialized rollback
    # restores after each test (the principles the data migrations create).
    snapshots = {
        alias: connections[alias]._test_serialized_contents
        for alias in connections
        if hasattr(connections[alias], "_test_serialized_contents")
    }
    with sync_playwright() as playwright:
        for alias, snapshot in snapshots.items():
            connections[alias]._test_serialized_contents = snapshot
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def open_page(browser):
    """Open a fresh browser tab at a given size; every tab is closed after the test."""
    contexts = []

    def open_(viewport=DESKTOP, **options):
        context = browser.new_context(viewport=viewport, **options)
        contexts.append(context)
        return context.new_page()

    yield open_
    for context in contexts:
        context.close()


@pytest.fixture
def published(principles):
    """One published case study, Leeds City Council's, for the cache and invalidation tests."""
    from tests.factories import CaseStudyFactory, OrganisationFactory

    council = OrganisationFactory(name="Leeds City Council", slug="leeds")
    return CaseStudyFactory(
        title="Leeds community energy",
        slug="leeds-energy",
        principles=principles[:2],
        councils=[council],
        themes=["Energy"],
    )
