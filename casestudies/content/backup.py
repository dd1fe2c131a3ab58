"""A whole-content backup as JSON: what `export_content` writes and `import_content` reads.

Content is the principles (and commitments), organisations, contacts, themes, case studies with
their organisation roles, themes, principles and contacts, the status history and the change
history, and the uploaded lead images themselves (base64 in "media", unless left out: then only
their paths are kept, and the media folder must be backed up beside the JSON). User accounts
are not content: a user reference is written as the username and, on import, linked to the
user of that name if there is one (otherwise left empty).
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
from django.db import connection, models

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
    "casestudies.HistoricalOrganisation",
    "casestudies.HistoricalContact",
    "casestudies.HistoricalCaseStudy",
    "casestudies.HistoricalCaseStudy_principles",
    "casestudies.HistoricalCaseStudy_contacts",
]
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
    """Load a backup written by `export_content` (call inside a transaction). Returns counts."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ContentError("this is not a CoopNet content backup")
    if data.get("version") != VERSION:
        raise ContentError(f"backup version {data.get('version')!r} is not supported")
    rows = data.get("objects")
    if not isinstance(rows, list):
        raise ContentError("the backup has no list of objects")

    known = {label.lower(): apps.get_model(label) for label in CONTENT_MODELS}
    users = dict(get_user_model().objects.values_list("username", "pk"))
    for row in rows:
        if not isinstance(row, dict) or row.get("model") not in known:
            raise ContentError(f"unexpected entry in the backup: {str(row)[:80]}")
        for name in _user_fields(known[row["model"]]):
            row["fields"][name] = users.get(row["fields"].get(name))

    for model in reversed([apps.get_model(label) for label in SEEDED_MODELS]):
        model._default_manager.all().delete()

    counts = {}
    try:
        for restored in serializers.deserialize("python", rows):
            instance = restored.object
            if instance._meta.label == "casestudies.CaseStudy":
                instance.body = sanitise_html(instance.body)
                # Restoring its links is not a change to record: the backup holds the history.
                instance.skip_history_when_saving = True
            restored.save()
            counts[instance._meta.verbose_name_plural] = (
                counts.get(instance._meta.verbose_name_plural, 0) + 1
            )
    except serializers.base.DeserializationError as error:
        raise ContentError(f"the backup does not fit this database: {error}") from None

    # Rows that point at nothing fail here, inside the transaction, not at its end.
    connection.check_constraints(table_names=[m._meta.db_table for m in content_models()])
    update_search_documents(CaseStudy.objects.values_list("pk", flat=True))
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), content_models()):
            cursor.execute(statement)
    files = _decoded_media(data.get("media", []))  # all checked before any is written
    for path, content in files:
        if not default_storage.exists(path):  # files already there are kept as they are
            default_storage.save(path, ContentFile(content))
    if files:
        counts["media files"] = len(files)
    return counts


def _decoded_media(entries):
    """[(path, bytes)] from the backup's "media", refusing paths outside the media folder."""
    if not isinstance(entries, list):
        raise ContentError("the backup's media is not a list")
    files = []
    for entry in entries:
        path = entry.get("path") if isinstance(entry, dict) else None
        if (
            not isinstance(path, str)
            or not path
            or path.startswith("/")
            or "\\" in path
            or posixpath.normpath(path) != path
            or path.split("/")[0] == ".."
        ):
            raise ContentError(f"a media file has an unsafe path: {str(path)[:80]!r}")
        try:
            content = base64.b64decode(entry.get("content", ""), validate=True)
        except (binascii.Error, TypeError, ValueError):
            raise ContentError(f"the media file {path} is not valid base64") from None
        files.append((path, content))
    return files
