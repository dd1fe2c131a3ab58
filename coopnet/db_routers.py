"""Database routing for a PostgreSQL primary with a read replica (docs/deploy.md).

Enabled by DATABASE_REPLICA_URL, which adds the "replica" alias and this router. Reads go to the
replica, writes to the primary ("default"); objects from either may be related, since both hold
the same data; migrations run on the primary only (the replica copies them by replication).
Inside `primary_only()` reads go to the primary too:
`coopnet.ops.middleware.PrimaryDatabaseMiddleware`
uses it for requests that write and for the admin, so nobody reads their own change stale.

A replica that does not answer is left alone for REPLICA_RETRY_SECONDS (`mark_replica_down`):
reads go to the primary meanwhile, so the site keeps serving while the replica is down.
"""

import logging
import threading
import time
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import DatabaseError, connections

logger = logging.getLogger(__name__)

PRIMARY = "default"
REPLICA = "replica"

_primary_only = ContextVar("primary_only", default=False)
_replica_down_until = 0.0  # time.monotonic() until which reads skip the replica
_lock = threading.Lock()


@contextmanager
def primary_only(enabled=True):
    token = _primary_only.set(enabled or _primary_only.get())
    try:
        yield
    finally:
        _primary_only.reset(token)


def has_replica():
    """Whether reads are routed to a replica (DATABASE_REPLICA_URL installs this router)."""
    return f"{__name__}.{PrimaryReplicaRouter.__name__}" in settings.DATABASE_ROUTERS


def replica_is_down():
    return time.monotonic() < _replica_down_until


def mark_replica_down(seconds=None):
    """Read from the primary for the next `seconds` (REPLICA_RETRY_SECONDS)."""
    global _replica_down_until
    seconds = settings.REPLICA_RETRY_SECONDS if seconds is None else seconds
    with _lock:
        _replica_down_until = time.monotonic() + seconds
    connections[REPLICA].close()
    logger.error("Read replica unavailable: reading the primary for %s s", seconds)


def mark_replica_up():
    global _replica_down_until
    with _lock:
        _replica_down_until = 0.0


def replica_answers():
    """Whether the replica answers a query now."""
    try:
        with connections[REPLICA].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        connections[REPLICA].close()
        return False
    return True


class PrimaryReplicaRouter:
    def db_for_read(self, model, **hints):
        return PRIMARY if _primary_only.get() or replica_is_down() else REPLICA

    def db_for_write(self, model, **hints):
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        return {obj1._state.db, obj2._state.db} <= {PRIMARY, REPLICA}

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == PRIMARY
