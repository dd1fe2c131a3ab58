"""Write all content as JSON: `python manage.py export_content [--output FILE]`."""

import json

from django.core.management.base import BaseCommand, CommandError

from casestudies.content.backup import BackupJSONEncoder, export_content


class Command(BaseCommand):
    help = (
        "Write all content (principles, organisations, contacts, themes, case studies, status "
        "and change history, lead images) as JSON, to standard output or --output FILE."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", "-o", metavar="FILE", help="write here instead")
        parser.add_argument(
            "--no-media",
            action="store_true",
            help="leave the lead images out (only their paths): back up the media folder too",
        )

    def handle(self, *args, output=None, no_media=False, **options):
        backup = export_content(media=not no_media)
        for path in backup.get("missing_media", []):
            self.stderr.write(
                self.style.WARNING(f"Not in the media folder, so not in the backup: {path}")
            )
        text = json.dumps(backup, cls=BackupJSONEncoder, indent=1, ensure_ascii=False)
        if output is None:
            self.stdout.write(text)
            return
        try:
            with open(output, "w", encoding="utf-8") as file:
                file.write(text + "\n")
        except OSError as error:
            raise CommandError(f"Cannot write {output}: {error.strerror or error}") from None
        self.stderr.write(f"Wrote {output}.")
