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
