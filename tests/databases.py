"""A database connection that cannot reach its server, for the fault tests."""

from django.db import connections
from django.db.utils import load_backend


def broken_connection(alias):
    """A connection like `alias`'s, pointed at a closed port on PostgreSQL or at a file in a
    missing folder on SQLite."""
    original = connections[alias]
    settings_dict = {**original.settings_dict, "CONN_MAX_AGE": 0}
    if original.vendor == "postgresql":
        settings_dict.update(HOST="127.0.0.1", PORT="1")
    else:
        settings_dict["NAME"] = "/nonexistent-folder/coopnet.sqlite3"
    return load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, alias)
