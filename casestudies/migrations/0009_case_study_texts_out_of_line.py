"""Keep a case study's long texts (body, search document) out of its table row, on PostgreSQL.

A search reads the ids of the case studies whose search document matches through the GIN
index, then visits the table's rows for their ids. With the texts in the rows, the table was
312 MB at 100,000 case studies and a search matching most of them read nearly all of it; with
the texts stored apart (TOAST) it is 19 MB. Rows written from now on are stored so; the UPDATE
rewrites the existing ones (once: on a large table it takes a while, about 30 s at 100,000).
"""

from django.db import migrations

TABLE = "casestudies_casestudy"


def texts_out_of_line(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"ALTER TABLE {TABLE} SET (toast_tuple_target = 128)")
    schema_editor.execute(f"UPDATE {TABLE} SET body = body || ''")


def texts_in_line(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"ALTER TABLE {TABLE} RESET (toast_tuple_target)")


class Migration(migrations.Migration):
    dependencies = [("casestudies", "0008_version_themes_and_roles")]

    operations = [migrations.RunPython(texts_out_of_line, texts_in_line, elidable=False)]
