"""The primary/replica router, with two database aliases ("replica" mirrors the test database)."""

import pytest
from django.contrib.auth.models import User
from django.db import connections, router
from django.test import Client
from django.test.utils import CaptureQueriesContext

from casestudies.models import CaseStudy, Organisation
from coopnet.db_routers import PrimaryReplicaRouter, primary_only
from principles.models import Principle
from tests.factories import CaseStudyFactory

BOTH = ["default", "replica"]
# On SQLite the mirror is a second connection to the same shared in-memory database, whose table
# locks block reads during the test's open transaction: tests that read through the replica after
# writing run on PostgreSQL, where the replica alias is a real second connection.
replica_reads_after_writes = pytest.mark.postgres


@pytest.fixture
def routed(settings):
    settings.DATABASE_ROUTERS = ["coopnet.db_routers.PrimaryReplicaRouter"]
    yield
    connections["replica"].close()  # else the test database cannot be dropped at the end


@pytest.mark.django_db(databases=BOTH)
def test_reads_go_to_the_replica(routed):
    assert Principle.objects.all().db == "replica"
    with CaptureQueriesContext(connections["replica"]) as replica:
        assert Principle.objects.filter(slug="learning").exists()
    assert len(replica) == 1


@replica_reads_after_writes
@pytest.mark.django_db(databases=BOTH)
def test_writes_go_to_the_primary(routed):
    with CaptureQueriesContext(connections["replica"]) as replica:
        organisation = Organisation.objects.create(name="Sunderland", slug="sunderland")
    assert organisation._state.db == "default"
    assert router.db_for_write(Organisation) == "default"
    assert not [q for q in replica if "INSERT" in q["sql"]]


@replica_reads_after_writes
@pytest.mark.django_db(databases=BOTH)
def test_objects_from_both_may_be_related(routed):
    principle = Principle.objects.get(slug="learning")  # read from the replica
    assert principle._state.db == "replica"
    case_study = CaseStudyFactory(slug="linked")  # written to the primary
    case_study.principles.add(principle)
    assert router.allow_relation(case_study, principle)
    with primary_only():
        assert list(CaseStudy.objects.get(slug="linked").principles.all()) == [principle]


def test_migrations_run_on_the_primary_only():
    routing = PrimaryReplicaRouter()
    assert routing.allow_migrate("default", "casestudies")
    assert not routing.allow_migrate("replica", "casestudies")
    assert not routing.allow_migrate("replica", "auth", model_name="user")


@pytest.mark.django_db(databases=BOTH)
def test_primary_only_sends_reads_to_the_primary(routed):
    with primary_only():
        assert Principle.objects.all().db == "default"
        with primary_only(False):  # an inner block cannot undo an outer one
            assert Principle.objects.all().db == "default"
    assert Principle.objects.all().db == "replica"


@replica_reads_after_writes
@pytest.mark.django_db(databases=BOTH)
def test_the_admin_and_writes_read_from_the_primary_public_pages_from_the_replica(routed):
    CaseStudyFactory(title="Routed case study")
    staff = Client()
    staff.force_login(User.objects.create_superuser("admin", "a@example.org", "pw"))
    with CaptureQueriesContext(connections["replica"]) as replica:
        assert staff.get("/admin/casestudies/casestudy/").status_code == 200
        assert staff.post("/admin/casestudies/casestudy/", {}).status_code in {200, 302}
    assert len(replica) == 0
    with CaptureQueriesContext(connections["replica"]) as replica:
        assert Client().get("/principles/").status_code == 200
    assert len(replica) > 0


def test_a_replica_url_switches_the_router_on():
    from tests.test_settings import run_manage

    code = (
        "from django.conf import settings; print(settings.DATABASE_ROUTERS, "
        "settings.DATABASES['replica']['HOST'], settings.READYZ_DATABASES)"
    )
    result = run_manage(
        "shell", "--no-imports", "-c", code, DJANGO_SECRET_KEY="x" * 50,
        DATABASE_URL="postgres://app@primary.internal:5432/coopnet",
        DATABASE_REPLICA_URL="postgres://app@replica.internal:5432/coopnet",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == (
        "['coopnet.db_routers.PrimaryReplicaRouter'] replica.internal ['default', 'replica']"
    )


@pytest.fixture
def replica_down(routed):
    """Point the replica alias at a closed port, as if the replica had stopped."""
    from coopnet import db_routers
    from tests.databases import broken_connection

    original = connections["replica"]
    broken = broken_connection("replica")
    connections["replica"] = broken
    yield
    connections["replica"] = original
    broken.close()
    db_routers.mark_replica_up()


@pytest.mark.django_db(databases=BOTH)
def test_the_site_keeps_serving_from_the_primary_when_the_replica_stops(
    principles, replica_down, client, settings
):
    from coopnet import db_routers

    settings.READYZ_DATABASES = ["default", "replica"]  # as with DATABASE_REPLICA_URL set
    for url in ("/", "/case-studies/", "/principles/", "/api/v1/principles/"):
        assert client.get(url).status_code == 200, url
    assert db_routers.replica_is_down()  # the first failure sent reads to the primary
    ready = client.get("/readyz")
    assert ready.status_code == 200  # one replica down takes no server out
    assert ready.json()["checks"] == {"database": "ok", "cache": "ok", "replica": "unavailable"}


@pytest.mark.django_db(databases=BOTH)
def test_public_reads_take_the_content_version_and_counts_from_the_replica(routed):
    """So that a lagging replica's pages are kept under its own (old) version, never a new
    version with old rows; and the facet counts come from where the list reads."""
    from casestudies.caching import version
    from casestudies.discovery import facets

    with CaptureQueriesContext(connections["replica"]) as replica:
        version.content_version()
        facets.current()
    assert len(replica) >= 2
    with primary_only(), CaptureQueriesContext(connections["replica"]) as replica:
        version.forget()
        facets.forget()
        version.content_version()
        facets.current()
    assert len(replica) == 0
