import io

import pytest
from django.core.management import call_command
from django.db import connection

from principles.models import Principle


def pytest_collection_modifyitems(config, items):
    """Skip PostgreSQL-only tests, saying why, when the suite runs on another database."""
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
