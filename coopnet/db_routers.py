"""Database routing for a PostgreSQL primary with a read replica (docs/deploy.md).

Enabled by DATABASE_REPLICA_URL, which adds the "replica" alias and this router. Reads go to the
replica, writes to the primary ("default"); objects from either may be related, since both hold
the same data; migrations run on the primary only (the replica copies them by replication).
Inside `primary_only()` reads go to the primary too:
`coopnet.ops.middleware.PrimaryDatabaseMiddleware`
uses it for requests that write and for the admin, so nobody reads their own change stale.
"""

from contextlib import contextmanager
from contextvars import ContextVar

PRIMARY = "default"
REPLICA = "replica"

_primary_only = ContextVar("primary_only", default=False)


@contextmanager
def primary_only(enabled=True):
    token = _primary_only.set(enabled or _primary_only.get())
    try:
        yield
    finally:
        _primary_only.reset(token)


class PrimaryReplicaRouter:
    def db_for_read(self, model, **hints):
        return PRIMARY if _primary_only.get() else REPLICA

    def db_for_write(self, model, **hints):
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        return {obj1._state.db, obj2._state.db} <= {PRIMARY, REPLICA}

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == PRIMARY
