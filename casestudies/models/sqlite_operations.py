"""Migration operations that act on SQLite only: its full-text tables (FTS5) and their triggers.

The counterpart of `postgres_operations`: PostgreSQL keeps its search document in a column of
the case study table, SQLite in virtual tables that no model describes, so these operations
change no model state and do nothing on other databases.
"""

from django.db import migrations


class RunSQLOnSQLite(migrations.RunSQL):
    """RunSQL for statements only SQLite understands (FTS5 virtual tables, its triggers)."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "sqlite":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "sqlite":
            super().database_backwards(app_label, schema_editor, from_state, to_state)
