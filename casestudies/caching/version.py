"""The content version: one value that every kept page and fragment has in its key.

It lives in the database (`ContentVersion`), where the content is: every change to the content
(a save, a delete or a many-to-many change in CONTENT_APPS, and any write made through the
admin) replaces it in the same transaction as the change. So content cannot be committed
without a new version, whatever the cache is doing (down, refusing writes, full, slow), and
everything kept under the old version is bypassed at once.

Each process reads the version at most once every CONTENT_VERSION_SECONDS (and each request at
most once): a change shows everywhere within that time. A process that cannot read it (the
database is down) goes on with the last version it read, so pages kept in the cache are still
served; the content cannot change meanwhile.
"""

import logging
import threading
import time
import uuid
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.db import DatabaseError, connections, router, transaction
from django.dispatch import Signal
from django.utils import timezone

from ..models import ContentVersion

logger = logging.getLogger(__name__)

#: The apps whose models are public content: a change to any of their models replaces it.
CONTENT_APPS = frozenset({"casestudies", "principles"})


def _new_version():
    return uuid.uuid4().hex


# Within a request (one_version_per_request), the version once read: a page, its cards and its
# filter form agree on it, and the database is asked once instead of five times.
_request_version = ContextVar("content_version", default=None)
_UNREAD = object()
# Whether this request drew on what was worked out for an earlier version (see `stand_in`).
_stand_in = ContextVar("stand_in", default=False)

#: Sent once a new content version is committed, so that what depends on the content (the facet
#: index) can be worked out again before readers ask for it. Arguments: `using`, `version`,
#: `previous` (the version it replaced: each committed version's predecessor is exactly the one
#: its transaction replaced, so the versions form one chain; None when there was none) and
#: `changed` (the pks of the case studies whose own rows or links the change may have touched,
#: a frozenset; None when it cannot say, as after a staff page's bulk write).
version_committed = Signal()

# Per process and database alias: (version, when it was read, by time.monotonic()).
_kept = {}
_lock = threading.Lock()


@contextmanager
def one_version_per_request():
    """Within, content_version() is read once, and bump_content_version() replaces what it
    remembers."""
    token = _request_version.set(_UNREAD)
    stand_in_token = _stand_in.set(False)
    try:
        yield
    finally:
        _stand_in.reset(stand_in_token)
        _request_version.reset(token)


def stand_in():
    """Say that this request draws on something worked out for an earlier content version (the
    facet index, for the few seconds another process takes to build the new one): nothing it
    makes, page or fragment, may then be kept under the current version."""
    _stand_in.set(True)


def keeps_nothing():
    """Whether this request may keep nothing it makes (`stand_in`)."""
    return _stand_in.get()


def content_version():
    """The current content version, or None when it cannot be known."""
    remembered = _request_version.get()
    if remembered is not None and remembered is not _UNREAD:
        return remembered.value
    version = _read_version()
    if remembered is _UNREAD:
        _request_version.set(_Read(version))
    return version


@dataclass(frozen=True)
class _Read:
    value: str | None


def _alias():
    """The database this request reads its content from: on a replica that lags, the version
    lags with the content it describes, so no page made from old rows is kept under a new
    version. Requests that write, and staff pages, read the primary (coopnet.db_routers)."""
    return router.db_for_read(ContentVersion)


def _read_version():
    alias = _alias()
    now = time.monotonic()
    kept = _kept.get(alias)
    if kept is not None and now - kept[1] < settings.CONTENT_VERSION_SECONDS:
        return kept[0]
    try:
        version = (
            ContentVersion.objects.using(alias).filter(pk=1).values_list("value", flat=True).first()
        )
        if version is None:  # a database made without the migration's row
            version = bump_content_version(using=alias)
    except DatabaseError:
        logger.warning("Content version unavailable: using the last one read", exc_info=True)
        return kept[0] if kept is not None else None
    with _lock:
        _kept[alias] = (version, now)
    return version


def bump_content_version(using=None, changed=None, **kwargs):
    """Replace the content version, in the current transaction of `using` (the primary by
    default): everything kept under the old one is stale once it commits. `changed`: the pks of
    the case studies the change touched, when known (see `version_committed`). Returns the new
    version."""
    alias = using or router.db_for_write(ContentVersion)
    version = _new_version()
    previous = _replace(alias, version)
    # Not remembered for the process: until the transaction commits, other requests must go on
    # with the version their data belongs to. This request sees its own change.
    with _lock:
        _kept.clear()
    if _request_version.get() is not None:
        _request_version.set(_Read(version))
    changed = None if changed is None else frozenset(changed)
    transaction.on_commit(
        lambda: version_committed.send(
            sender=ContentVersion, using=alias, version=version, previous=previous, changed=changed
        ),
        using=alias,
    )
    return version


def _replace(alias, version):
    """Write `version` in place of the current one and return the one it replaced (None when
    there was none). The row stays locked until the transaction ends, so the version replaced is
    the committed predecessor of this one (or this transaction's own earlier one)."""
    rows = ContentVersion.objects.using(alias).filter(pk=1)
    now = timezone.now()
    connection = connections[alias]
    last = getattr(connection, "coopnet_content_version", None)
    # Usually the version this connection wrote last is still the current one (this
    # transaction's earlier change, or its last committed one): one query.
    if last is not None and rows.filter(value=last).update(value=version, changed_at=now):
        previous = last
    else:
        with transaction.atomic(using=alias, savepoint=False):
            # Lock the row (on SQLite, the database) before reading what it holds.
            if rows.update(changed_at=now):
                previous = rows.values_list("value", flat=True).first()
                rows.update(value=version)
            else:
                previous = None
                ContentVersion.objects.using(alias).update_or_create(
                    pk=1, defaults={"value": version, "changed_at": now}
                )
    connection.coopnet_content_version = version
    return previous


def forget():
    """Forget the versions this process read (tests; after a restore behind its back)."""
    with _lock:
        _kept.clear()
