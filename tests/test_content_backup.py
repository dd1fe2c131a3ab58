"""`export_content` writes all content as JSON; `import_content` restores it, losing nothing."""

import datetime as dt
import importlib
import io
import json

import pytest
from django.apps import apps as django_apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from casestudies.content.backup import clear_content
from casestudies.models import CaseStudy, Contact, Organisation, StatusChange
from principles.models import Commitment, Principle
from tests.factories import (
    CaseStudyFactory,
    ContactFactory,
    OrganisationFactory,
    PrincipleFactory,
    UserFactory,
)


def export():
    out = io.StringIO()
    call_command("export_content", stdout=out)
    return json.loads(out.getvalue())


def restore(path, *args):
    out = io.StringIO()
    call_command("import_content", str(path), *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def content(demo, publisher):
    """The demo content and more: every kind of link, status and history."""
    council = OrganisationFactory(name="Oldham Council", slug="oldham", website="https://x.org")
    partner = OrganisationFactory(name="Co-op Partners", slug="co-op-partners", kind="partner")
    contact = ContactFactory(
        name="Ann Example",
        organisation=council,
        email="ann@example.org",
        email_visibility="everyone",
    )
    extra = PrincipleFactory(title="Democratic engagement", slug="democratic-engagement")
    principles = list(Principle.objects.all())
    draft = CaseStudyFactory(
        title="Energy co-op",
        slug="energy-co-op",
        body="<p>Solar <strong>panels</strong>.</p>",
        pull_quote="It works.",
        pull_quote_attribution="A resident",
        draft=True,
        principles=[principles[0], extra],
        contacts=[contact],
        themes=["Energy", "Climate"],
        councils=[council],
        delivered_by=[partner],
        lead_image="case-studies/2024/solar.png",
        lead_image_alt="Solar panels on a roof",
    )
    draft.status = CaseStudy.Status.IN_REVIEW
    draft.updated_by = publisher
    draft.save()
    draft.unrecognised_statements.create(
        text="We will listen first.",
        key="we will listen first.",
        dismissed_by=publisher,
        dismissed_at=timezone.now(),
    )
    CaseStudyFactory(
        slug="later", published_at=timezone.now() + dt.timedelta(days=3), kind="policy_lab"
    )
    return draft


@pytest.mark.django_db
def test_the_export_holds_every_kind_of_content(content):
    data = export()
    models = {row["model"] for row in data["objects"]}
    assert {
        "principles.principle",
        "principles.commitment",
        "casestudies.organisation",
        "casestudies.contact",
        "casestudies.theme",
        "casestudies.casestudy",
        "casestudies.casestudyorganisation",
        "casestudies.themedcasestudy",
        "casestudies.statuschange",
        "casestudies.unrecognisedstatement",
        "casestudies.historicalcasestudy",
    } <= models
    energy = next(
        row
        for row in data["objects"]
        if row["model"] == "casestudies.casestudy" and row["fields"]["slug"] == "energy-co-op"
    )
    assert energy["fields"]["status"] == "in_review"
    assert energy["fields"]["updated_by"] == "publisher"  # users by name, not number
    assert len(energy["fields"]["principles"]) == 2


@pytest.mark.django_db
def test_a_round_trip_through_an_empty_database_loses_nothing(content, tmp_path, client):
    before = export()
    counts = {
        model: model.objects.count()
        for model in (CaseStudy, Organisation, Contact, StatusChange, Principle, Commitment)
    }
    path = tmp_path / "backup.json"
    path.write_text(json.dumps(before), encoding="utf-8")

    clear_content()
    Principle.objects.all().delete()  # an empty database, as after a fresh migrate is close to
    assert CaseStudy.objects.count() == 0

    output = restore(path)
    assert "Restored" in output
    after = export()
    assert after["objects"] == before["objects"]
    assert {model: model.objects.count() for model in counts} == counts

    energy = CaseStudy.objects.get(slug="energy-co-op")
    assert energy.status == "in_review"
    assert energy.updated_by.username == "publisher"
    assert sorted(t.name for t in energy.themes.all()) == ["Climate", "Energy"]
    assert {r.organisation.slug for r in energy.roles.all()} == {"oldham", "co-op-partners"}
    assert energy.history.count() == content.history.count()
    # A decision on an imported statement is kept, with who took it.
    assert energy.unrecognised_statements.get().dismissed_by.username == "publisher"
    assert client.get("/case-studies/strategy-consult-birmingham-cc/").status_code == 200
    assert client.get("/case-studies/later/").status_code == 404  # still scheduled
    # New rows get fresh ids after a restore (sequences moved on, on PostgreSQL too).
    OrganisationFactory(name="Brand new", slug="brand-new")
    fresh = CaseStudyFactory(slug="after-restore", principles=[Principle.objects.first()])
    assert fresh.history.count() == 2  # created, then its principles linked (both kept)
    assert fresh.status_changes.count() == 1


@pytest.mark.django_db
def test_it_restores_into_a_freshly_migrated_database(content, tmp_path):
    """A fresh database has the seven principles from the migration: that counts as empty."""
    before = export()
    path = tmp_path / "backup.json"
    path.write_text(json.dumps(before), encoding="utf-8")
    clear_content()
    seed = importlib.import_module("principles.migrations.0002_seed_principles")
    from types import SimpleNamespace

    from django.db import connection

    seed.seed_principles(django_apps, SimpleNamespace(connection=connection))
    assert Principle.objects.count() == 7
    restore(path)
    assert export()["objects"] == before["objects"]


@pytest.mark.django_db
def test_users_missing_from_the_new_database_are_left_empty(content, tmp_path):
    path = tmp_path / "backup.json"
    path.write_text(json.dumps(export()), encoding="utf-8")
    clear_content()
    UserFactory._meta.model.objects.filter(username="publisher").delete()
    restore(path)
    assert CaseStudy.objects.get(slug="energy-co-op").updated_by is None


@pytest.mark.django_db
def test_it_refuses_a_database_with_content_unless_told(content, tmp_path):
    path = tmp_path / "backup.json"
    path.write_text(json.dumps(export()), encoding="utf-8")
    CaseStudyFactory(slug="added-since")
    with pytest.raises(CommandError, match="already holds content"):
        restore(path)
    assert CaseStudy.objects.filter(slug="added-since").exists()
    restore(path, "--replace")
    assert not CaseStudy.objects.filter(slug="added-since").exists()
    assert CaseStudy.objects.filter(slug="energy-co-op").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "text,message",
    [
        ("not json at all", "not valid JSON"),
        ('{"format": "something-else"}', "not a CoopNet content backup"),
        ('{"format": "coopnet-content", "version": 99, "objects": []}', "version 99"),
        (
            '{"format": "coopnet-content", "version": 1, "objects": [{"model": "auth.user"}]}',
            "unexpected entry",
        ),
        (
            '{"format": "coopnet-content", "version": 1, "objects": [{"model": '
            '"casestudies.casestudyorganisation", "pk": 1, "fields": {"case_study": 999, '
            '"organisation": 999, "role": "council"}}]}',
            "cannot restore it|does not fit",
        ),
    ],
    ids=["not-json", "other-format", "other-version", "foreign-model", "broken-links"],
)
def test_a_bad_backup_is_a_clear_error_and_changes_nothing(db, tmp_path, text, message):
    path = tmp_path / "backup.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CommandError, match=message):
        restore(path)
    assert Principle.objects.count() == 7  # the seeded principles are untouched


@pytest.mark.django_db
def test_a_missing_backup_file_is_a_clear_error(db, tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        restore(tmp_path / "nope.json")


@pytest.mark.django_db
def test_a_restored_body_is_sanitised(db, tmp_path):
    data = export()
    data["objects"].append(
        {
            "model": "casestudies.casestudy",
            "pk": 1,
            "fields": {
                "title": "Tampered",
                "slug": "tampered",
                "summary": "s",
                "body": "<p>ok</p><script>alert(1)</script>",
                "status": "draft",
                "kind": "case_study",
                "created_at": "2024-01-01T00:00:00Z",
                "updated_at": "2024-01-01T00:00:00Z",
                "principles": [],
                "contacts": [],
            },
        }
    )
    path = tmp_path / "backup.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    restore(path)
    assert CaseStudy.objects.get(slug="tampered").body == "<p>ok</p>"


@pytest.mark.django_db
def test_export_writes_to_a_file(content, tmp_path):
    path = tmp_path / "out.json"
    call_command("export_content", "--output", str(path), stderr=io.StringIO())
    assert json.loads(path.read_text(encoding="utf-8"))["format"] == "coopnet-content"
    with pytest.raises(CommandError, match="Cannot write"):
        call_command("export_content", "--output", str(tmp_path / "no" / "dir.json"))


@pytest.mark.postgres
@pytest.mark.django_db
def test_restored_case_studies_are_found_by_search(demo, tmp_path, client):
    """The search document is not in the backup: restoring rebuilds it."""
    path = tmp_path / "backup.json"
    path.write_text(json.dumps(export()), encoding="utf-8")
    assert "search_vector" not in path.read_text(encoding="utf-8")
    clear_content()
    restore(path)
    response = client.get("/case-studies/?q=Hyndbrun")
    assert [c.slug for c in response.context["case_studies"]] == ["community-covid-response"]


def png_bytes():
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (900, 500), (30, 110, 70)).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.mark.django_db
def test_lead_images_travel_inside_the_backup(
    content, tmp_path, client, publisher_client, django_capture_on_commit_callbacks
):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    image = png_bytes()
    default_storage.save("case-studies/2024/solar.png", ContentFile(image))
    path = tmp_path / "backup.json"
    call_command("export_content", "--output", str(path), stderr=io.StringIO())
    backup = json.loads(path.read_text(encoding="utf-8"))
    assert [m["path"] for m in backup["media"]] == ["case-studies/2024/solar.png"]

    clear_content()
    default_storage.delete("case-studies/2024/solar.png")  # a new server: no media folder
    with django_capture_on_commit_callbacks(execute=True):  # files are written on commit
        assert "1 media files" in restore(path)
    with default_storage.open("case-studies/2024/solar.png", "rb") as file:
        assert file.read() == image
    # The preview shows it in every size again (renditions are made from the restored file).
    energy = CaseStudy.objects.get(slug="energy-co-op")
    page = publisher_client.get(energy.get_preview_url())
    assert page.text.count("solar.png.") >= 3  # 480, 800 and 1200 px renditions in srcset
    assert 'alt="Solar panels on a roof"' in page.text


@pytest.mark.django_db
def test_without_media_only_paths_are_kept_and_missing_files_are_named(content, tmp_path):
    err = io.StringIO()
    call_command("export_content", "--output", str(tmp_path / "a.json"), stderr=err)
    assert "Not in the media folder, so not in the backup: case-studies/2024/solar.png" in (
        err.getvalue()
    )
    call_command("export_content", "--no-media", "-o", str(tmp_path / "b.json"), stderr=err)
    assert "media" not in json.loads((tmp_path / "b.json").read_text(encoding="utf-8"))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({"path": "../settings.py", "content": "eA=="}, "unsafe path"),
        ({"path": "/etc/passwd", "content": "eA=="}, "unsafe path"),
        ({"path": "case-studies/../../x.png", "content": "eA=="}, "unsafe path"),
        ({"path": "case-studies/x.png", "content": "not base64!"}, "not valid base64"),
        ("case-studies/x.png", "unsafe path"),
    ],
)
def test_a_backup_with_bad_media_is_refused_and_changes_nothing(
    db, tmp_path, media_root, entry, message
):
    data = export()
    data["media"] = [entry]
    data["objects"].append(
        {
            "model": "casestudies.organisation",
            "pk": 99,
            "fields": {
                "name": "Should not stay",
                "slug": "should-not-stay",
                "kind": "council",
                "created_at": "2024-01-01T00:00:00Z",
                "updated_at": "2024-01-01T00:00:00Z",
            },
        }
    )
    path = tmp_path / "backup.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(CommandError, match=message):
        restore(path)
    assert not Organisation.objects.filter(slug="should-not-stay").exists()
    assert not (tmp_path / "x.png").exists() and not (media_root / "case-studies").exists()


@pytest.mark.django_db
def test_timestamps_come_back_to_the_microsecond(content, tmp_path):
    """A timestamp whose microseconds are under 1,000 once came back a different string."""
    at = dt.datetime(2026, 11, 23, 1, 48, 12, 345, tzinfo=dt.UTC)
    CaseStudy.history.filter(id=content.pk).update(history_date=at)
    CaseStudy.objects.filter(pk=content.pk).update(updated_at=at)
    path = tmp_path / "backup.json"
    call_command("export_content", "--output", str(path), stderr=io.StringIO())
    clear_content()
    restore(path)
    assert CaseStudy.objects.get(pk=content.pk).updated_at == at
    assert set(CaseStudy.history.filter(id=content.pk).values_list("history_date", flat=True)) == {
        at
    }


def backup_with(tmp_path, change):
    """A backup of some content with `change(data)` applied, written to a file."""
    data = export()
    change(data)
    path = tmp_path / "backup.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def first_row(data, model):
    return next(row for row in data["objects"] if row["model"] == model)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda d: first_row(d, "casestudies.casestudy")["fields"].update(
                lead_image="../../coopnet/settings.py"
            ),
            "outside the media folder",
        ),
        (
            lambda d: first_row(d, "casestudies.casestudy")["fields"].update(
                lead_image="/etc/passwd"
            ),
            "outside the media folder",
        ),
        (
            lambda d: first_row(d, "casestudies.casestudy")["fields"].update(status="live"),
            "unknown status",
        ),
        (
            lambda d: first_row(d, "casestudies.organisation")["fields"].update(kind="cartel"),
            "unknown kind",
        ),
        (lambda d: first_row(d, "casestudies.casestudy").pop("fields"), "unexpected entry"),
        (lambda d: first_row(d, "casestudies.casestudy").pop("pk"), "unexpected entry"),
        (
            lambda d: first_row(d, "casestudies.casestudy")["fields"].update(title="x" * 300),
            "title longer than 250",
        ),
    ],
    ids=["path leaves media", "absolute path", "status", "kind", "no fields", "no pk", "length"],
)
def test_every_row_is_checked_before_anything_is_written(
    content, tmp_path, media_root, change, message
):
    path = backup_with(tmp_path, change)
    clear_content()
    with pytest.raises(CommandError, match=message):
        restore(path, "--replace")
    assert not CaseStudy.objects.exists()
    assert not Organisation.objects.exists()


@pytest.mark.django_db
def test_a_failed_restore_writes_no_media_file(
    content, tmp_path, media_root, django_capture_on_commit_callbacks
):
    def broken(data):
        data["media"] = [{"path": "case-studies/2024/new.png", "content": "eA=="}]
        first_row(data, "casestudies.casestudyorganisation")["fields"]["organisation"] = 99999

    path = backup_with(tmp_path, broken)
    clear_content()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(CommandError):
        restore(path)
    assert not (media_root / "case-studies" / "2024" / "new.png").exists()
    assert not CaseStudy.objects.exists()


@pytest.mark.django_db
def test_editor_memberships_travel_by_username(content, tmp_path):
    from casestudies.models import EditorMembership
    from tests.factories import EditorMembershipFactory

    own_organisation = Organisation.objects.get(slug="oldham")
    EditorMembershipFactory(user__username="kept-editor", organisation=own_organisation)
    EditorMembershipFactory(user__username="gone-editor", organisation=own_organisation)
    path = tmp_path / "backup.json"
    call_command("export_content", "--output", str(path), stderr=io.StringIO())
    clear_content()
    EditorMembership.objects.all().delete()
    from django.contrib.auth.models import User

    User.objects.filter(username="gone-editor").delete()
    output = restore(path)
    assert "1 editor memberships left out (their user is not in this database)" in output
    membership = EditorMembership.objects.get()
    assert membership.user.username == "kept-editor"
    assert membership.organisation.slug == own_organisation.slug
