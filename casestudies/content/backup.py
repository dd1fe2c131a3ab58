"""A whole-content backup as JSON: what `export_content` writes and `import_content` reads.

Content is the principles (and commitments), organisations, contacts, themes, case studies with
their organisation roles, themes, principles and contacts, the principle statements imports
could not match (with staff's decisions), the status history and the change history, and the
uploaded lead images themselves (base64 in "media", unless left out: then only their paths are
kept, and the media folder must be backed up beside the JSON). User accounts
are not content: a user reference is written as the username and, on import, linked to the
user of that name if there is one (otherwise left empty). Member editors' memberships travel too,
by username: one whose user is not in the new database is left out and counted.

A restore checks every row (its model, its fields' values and choices, the paths of its files)
before writing anything, and writes media files only once the database has committed: a bad
backup changes nothing, neither rows nor files.

Rows are written and read by Django's own serializers ("python" format); what `loaddata` would
add (constraint checks, sequence resets) is done here with the same calls it makes
(`check_constraints`, `sequence_reset_sql`), because `loaddata` reads fixture files, not rows
that were checked, re-linked to this database's users and cleaned first.
"""

import base64
import binascii
import datetime as dt
import posixpath

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core import serializers
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction

from ..discovery.search import update_search_documents
from ..models import CaseStudy
from ..models.richtext import sanitise_html

FORMAT = "coopnet-content"
VERSION = 1

#: Models in the order they load (what a row refers to comes before it).
CONTENT_MODELS = [
    "principles.Principle",
    "principles.Commitment",
    "casestudies.Organisation",
    "casestudies.Contact",
    "casestudies.Theme",
    "casestudies.CaseStudy",
    "casestudies.CaseStudyOrganisation",
    "casestudies.ThemedCaseStudy",
    "casestudies.StatusChange",
    "casestudies.UnrecognisedStatement",
    "casestudies.HistoricalOrganisation",
    "casestudies.HistoricalContact",
    "casestudies.HistoricalCaseStudy",
    "casestudies.HistoricalCaseStudy_principles",
    "casestudies.HistoricalCaseStudy_contacts",
    "casestudies.EditorMembership",
]
#: Rows that need a user of the new database: left out (and counted) when it has none.
NEEDS_A_USER = {"casestudies.editormembership": "user"}
#: Models seeded by migrations: replaced by the backup's rows on import.
SEEDED_MODELS = ["principles.Principle", "principles.Commitment"]


class BackupJSONEncoder(DjangoJSONEncoder):
    """Django's JSON encoder, but times to the microsecond: Django's keeps milliseconds only,
    so a restored backup would differ from the original in its timestamps."""

    def default(self, o):
        if isinstance(o, dt.datetime | dt.time):
            return o.isoformat()
        return super().default(o)


class ContentError(ValueError):
    """The backup cannot be restored; the message says why."""


#: Fields computed from the rest (the search document): left out of backups, rebuilt on restore.
DERIVED_FIELDS = ("search_vector",)


def content_models():
    return [apps.get_model(label) for label in CONTENT_MODELS]


def _user_fields(model):
    user_model = get_user_model()
    return [
        field.name
        for field in model._meta.concrete_fields
        if isinstance(field, models.ForeignKey) and field.remote_field.model is user_model
    ]


def media_paths():
    """The uploaded files the content refers to: lead images, of today and of kept versions."""
    paths = set()
    for model in (CaseStudy, CaseStudy.history.model):
        paths.update(
            model._default_manager.exclude(lead_image="").values_list("lead_image", flat=True)
        )
    return sorted(paths)


def export_media():
    """([{"path": ..., "content": base64}, ...], [paths referred to but not in storage])."""
    media, missing = [], []
    for path in media_paths():
        try:
            with default_storage.open(path, "rb") as file:
                content = file.read()
        except (FileNotFoundError, OSError):
            missing.append(path)
            continue
        media.append({"path": path, "content": base64.b64encode(content).decode("ascii")})
    return media, missing


def export_content(media=True):
    """Everything, as a JSON-ready dictionary; with media=False, lead images by path only."""
    usernames = dict(get_user_model().objects.values_list("pk", "username"))
    objects = []
    for model in content_models():
        user_fields = _user_fields(model)
        rows = serializers.serialize("python", model._default_manager.order_by("pk"))
        for row in rows:
            for name in user_fields:
                row["fields"][name] = usernames.get(row["fields"][name])
            for name in DERIVED_FIELDS:
                row["fields"].pop(name, None)
            objects.append(row)
    backup = {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": dt.datetime.now(dt.UTC).isoformat(),
        "objects": objects,
    }
    if media:
        backup["media"], backup["missing_media"] = export_media()
    return backup


def has_content():
    """Whether the database holds any content beyond what migrations seed."""
    return any(
        model._default_manager.exists()
        for model in content_models()
        if model._meta.label not in SEEDED_MODELS
    )


def clear_content():
    """Delete all content, then the history entries that deleting it wrote."""
    models_ = content_models()
    for model in reversed(models_):
        model._default_manager.all().delete()
    for model in models_:
        if model.__name__.startswith("Historical"):
            model._default_manager.all().delete()


def import_content(data):
    """Load a backup written by `export_content` (call inside a transaction). Returns counts.

    Every row is checked before any is written; media files are written once the transaction
    commits."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ContentError("this is not a CoopNet content backup")
    if data.get("version") != VERSION:
        raise ContentError(f"backup version {data.get('version')!r} is not supported")
    rows = data.get("objects")
    if not isinstance(rows, list):
        raise ContentError("the backup has no list of objects")
    files = _decoded_media(data.get("media", []))

    known = {label.lower(): apps.get_model(label) for label in CONTENT_MODELS}
    users = dict(get_user_model().objects.values_list("username", "pk"))
    kept, skipped = [], {}
    for number, row in enumerate(rows, start=1):
        if (
            not isinstance(row, dict)
            or row.get("model") not in known
            or not isinstance(row.get("fields"), dict)
            or "pk" not in row
        ):
            raise ContentError(f"unexpected entry {number} in the backup: {str(row)[:80]}")
        model = known[row["model"]]
        _upgrade_consent(row)
        for name in _user_fields(model):
            row["fields"][name] = users.get(row["fields"].get(name))
        needed = NEEDS_A_USER.get(row["model"])
        if needed and row["fields"].get(needed) is None:
            label = model._meta.verbose_name_plural
            skipped[label] = skipped.get(label, 0) + 1
            continue
        kept.append(row)

    try:
        restored = list(serializers.deserialize("python", kept))
    except serializers.base.DeserializationError as error:
        raise ContentError(f"the backup does not fit this database: {error}") from None
    for number, item in enumerate(restored, start=1):
        _check(item.object, number)

    for model in reversed([apps.get_model(label) for label in SEEDED_MODELS]):
        model._default_manager.all().delete()

    counts = {}
    for item in restored:
        instance = item.object
        if instance._meta.label == "casestudies.CaseStudy":
            instance.body = sanitise_html(instance.body)
            # Restoring its links is not a change to record: the backup holds the history.
            instance.skip_history_when_saving = True
        item.save()
        label = instance._meta.verbose_name_plural
        counts[label] = counts.get(label, 0) + 1

    # Rows that point at nothing fail here, inside the transaction, not at its end.
    connection.check_constraints(table_names=[m._meta.db_table for m in content_models()])
    update_search_documents(CaseStudy.objects.values_list("pk", flat=True))
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), content_models()):
            cursor.execute(statement)
    transaction.on_commit(lambda: _write_media(files))
    if files:
        counts["media files"] = len(files)
    for label, number in skipped.items():
        counts[f"{label} left out (their user is not in this database)"] = number
    return counts


def _upgrade_consent(row):
    """A contact from a backup made before visibilities (issue 14): consent to publish is
    "everyone", no consent "nobody", as migration 0017 converted the database."""
    if row["model"] not in ("casestudies.contact", "casestudies.historicalcontact"):
        return
    for field in ("email", "phone"):
        if f"{field}_consent" in row["fields"]:
            consent = row["fields"].pop(f"{field}_consent")
            row["fields"].setdefault(f"{field}_visibility", "everyone" if consent else "nobody")


def _check(instance, number):
    """Refuse a row whose values this database would not accept: a status or kind that is not
    a choice, a text too long, a file path outside the media folder. What it refers to is
    checked once every row is in (check_constraints)."""
    where = f"entry {number} ({instance._meta.verbose_name} {instance.pk})"
    for field in instance._meta.concrete_fields:
        if field.is_relation:
            continue
        value = getattr(instance, field.attname)
        if value is None or value == "":
            continue
        if field.choices and value not in {key for key, _ in field.flatchoices}:
            raise ContentError(f"{where} has an unknown {field.name}: {str(value)[:40]!r}")
        if field.max_length and isinstance(value, str) and len(value) > field.max_length:
            raise ContentError(f"{where} has a {field.name} longer than {field.max_length}")
        if isinstance(field, models.FileField) and not _is_safe_path(str(value)):
            raise ContentError(f"{where} has a file outside the media folder: {str(value)[:80]!r}")


def _write_media(files):
    """Write the backup's files that are not there yet (files already there are kept)."""
    for path, content in files:
        if not default_storage.exists(path):
            default_storage.save(path, ContentFile(content))


def _is_safe_path(path):
    return not (
        not path
        or path.startswith("/")
        or "\\" in path
        or posixpath.normpath(path) != path
        or path.split("/")[0] == ".."
    )


def _decoded_media(entries):
    """[(path, bytes)] from the backup's "media", refusing paths outside the media folder."""
    if not isinstance(entries, list):
        raise ContentError("the backup's media is not a list")
    files = []
    for entry in entries:
        path = entry.get("path") if isinstance(entry, dict) else None
        if not isinstance(path, str) or not _is_safe_path(path):
            raise ContentError(f"a media file has an unsafe path: {str(path)[:80]!r}")
        try:
            content = base64.b64decode(entry.get("content", ""), validate=True)
        except (binascii.Error, TypeError, ValueError):
            raise ContentError(f"the media file {path} is not valid base64") from None
        files.append((path, content))
    return files
