"""Restore a backup written by `export_content`: `python manage.py import_content FILE`.

It restores into an empty database (one with only the migrations' principles) and refuses
one that already holds content, unless given --replace, which deletes that content first.
Everything happens in one transaction: on any error nothing changes.
"""

import json

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, transaction

from casestudies.content.backup import ContentError, clear_content, has_content, import_content


class Command(BaseCommand):
    help = "Restore the content written by export_content into an empty database."

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE", help="a JSON file from export_content")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="delete the content already in the database before restoring",
        )

    def handle(self, *args, file, replace, **options):
        try:
            with open(file, encoding="utf-8") as handle:
                data = json.load(handle)
        except FileNotFoundError:
            raise CommandError(f"{file}: no such file.") from None
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"{file}: cannot read it ({error}).") from None
        except json.JSONDecodeError as error:
            raise CommandError(f"{file}: not valid JSON ({error}).") from None

        try:
            with transaction.atomic():
                if has_content():
                    if not replace:
                        raise CommandError(
                            "The database already holds content. Restore into an empty "
                            "database, or give --replace to delete what is there first."
                        )
                    clear_content()
                counts = import_content(data)
        except ContentError as error:
            raise CommandError(f"{file}: {error}. Nothing was changed.") from None
        except DatabaseError as error:
            raise CommandError(
                f"{file}: cannot restore it ({error}). Nothing was changed."
            ) from None
        summary = ", ".join(f"{count} {name}" for name, count in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Restored {summary or 'nothing'}."))
