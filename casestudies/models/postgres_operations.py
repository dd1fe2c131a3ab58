"""Migration operations that act on PostgreSQL only, so that migrations also run on SQLite.

The model state changes on every database (so `makemigrations --check` stays quiet); the schema
change is made only where the database can have it.
"""

from django.db import migrations


class AddIndexOnPostgres(migrations.AddIndex):
    """AddIndex for an index only PostgreSQL has (GIN, trigram operator classes)."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)
