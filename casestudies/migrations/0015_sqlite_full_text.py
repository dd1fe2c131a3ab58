"""Full-text search on SQLite: FTS5 tables for the case studies' search documents and for the
lexicon's trigrams (typo tolerance), kept by casestudies/discovery/fulltext_sqlite.py.

Nothing happens on PostgreSQL, which has its own search document (migration 0004).

- `casestudies_casestudy_fts`: one row per case study whose status is published (scheduled
  ones included, so that they are found the moment they come out; every public query still
  starts from `published()`), rowid = the case study's id, columns title (weight A), names
  (summary, organisations, themes, contacts: B) and body (plain text: C), stemmed with the
  Porter stemmer over unicode61 (diacritics folded); and, not searched, its publication date
  (the tie-break of equal ranks: first, so that reading it never walks a long row, which
  reading it from the case study table did, 40 ms for 800 matches).
- `casestudies_searchword_trigrams`: the trigrams of the lexicon's words (`SearchWord`, the
  same word list PostgreSQL corrects spelling from), kept in step by triggers.
- Triggers drop a case study's row from the first table when it is deleted, or when its status
  leaves "published" by any route (a queryset update sends no signal): the public can never
  find it again, whatever the application does.
"""

from django.db import migrations

from casestudies.models.sqlite_operations import RunSQLOnSQLite

FTS = "casestudies_casestudy_fts"
TRIGRAMS = "casestudies_searchword_trigrams"
WORDS = "casestudies_searchword"
CASE_STUDIES = "casestudies_casestudy"


def fill(apps, schema_editor):
    """The search documents and lexicon of the case studies already there (SQLite only)."""
    if schema_editor.connection.vendor != "sqlite":
        return
    from casestudies.discovery.search import update_search_documents

    using = schema_editor.connection.alias
    CaseStudy = apps.get_model("casestudies", "CaseStudy")
    update_search_documents(CaseStudy.objects.using(using).values_list("pk", flat=True), using)


class Migration(migrations.Migration):
    dependencies = [("casestudies", "0014_unrecognised_statements")]

    operations = [
        RunSQLOnSQLite(
            [
                f"""CREATE VIRTUAL TABLE {FTS} USING fts5(
                    published UNINDEXED, title, names, body,
                    tokenize = 'porter unicode61 remove_diacritics 2'
                )""",
                f"""CREATE VIRTUAL TABLE {TRIGRAMS} USING fts5(
                    word, content = '{WORDS}', content_rowid = 'id', tokenize = 'trigram'
                )""",
                f"""CREATE TRIGGER {WORDS}_fts_insert AFTER INSERT ON {WORDS} BEGIN
                    INSERT INTO {TRIGRAMS} (rowid, word) VALUES (new.id, new.word);
                END""",
                f"""CREATE TRIGGER {WORDS}_fts_delete AFTER DELETE ON {WORDS} BEGIN
                    INSERT INTO {TRIGRAMS} ({TRIGRAMS}, rowid, word)
                    VALUES ('delete', old.id, old.word);
                END""",
                f"""CREATE TRIGGER {WORDS}_fts_update AFTER UPDATE ON {WORDS} BEGIN
                    INSERT INTO {TRIGRAMS} ({TRIGRAMS}, rowid, word)
                    VALUES ('delete', old.id, old.word);
                    INSERT INTO {TRIGRAMS} (rowid, word) VALUES (new.id, new.word);
                END""",
                f"INSERT INTO {TRIGRAMS} ({TRIGRAMS}) VALUES ('rebuild')",
                f"""CREATE TRIGGER {CASE_STUDIES}_fts_delete AFTER DELETE ON {CASE_STUDIES}
                BEGIN
                    DELETE FROM {FTS} WHERE rowid = old.id;
                END""",
                f"""CREATE TRIGGER {CASE_STUDIES}_fts_hide AFTER UPDATE OF status ON {CASE_STUDIES}
                WHEN new.status != 'published' BEGIN
                    DELETE FROM {FTS} WHERE rowid = new.id;
                END""",
            ],
            [
                f"DROP TRIGGER {CASE_STUDIES}_fts_hide",
                f"DROP TRIGGER {CASE_STUDIES}_fts_delete",
                f"DROP TRIGGER {WORDS}_fts_update",
                f"DROP TRIGGER {WORDS}_fts_delete",
                f"DROP TRIGGER {WORDS}_fts_insert",
                f"DROP TABLE {TRIGRAMS}",
                f"DROP TABLE {FTS}",
            ],
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
