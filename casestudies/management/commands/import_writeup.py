"""Import case-study write-ups in the network's text format, as drafts.

    python manage.py import_writeup PATH [PATH ...] [--dry-run] [--slug SLUG] [--title TITLE]
        [--council ORG ...] [--delivered-by ORG ...] [--kind KIND] [--theme NAME ...]
        [--year YYYY] [--progress | --no-progress]

A PATH is a write-up's text file or a folder of them (every `.txt` file in it and in its
sub-folders). Each is read and saved by `casestudies.content.importing`, in its own
transaction: a file that cannot be imported changes nothing and is reported with the reason,
and the others are imported all the same. Principle statements that match no principle are
kept for staff to decide on; organisations named by the text (lead and participating members,
the contact's organisation) are found by name or created. A case study's slug is `--slug`, or
the file's name without its extension, so that the old site's slugs survive; importing the
same file again updates its draft instead of adding another. An import never publishes.

`--dry-run` reports what would be created or changed and saves nothing. A long run shows a
progress bar (on a terminal); every run ends with a summary table, and with an error status
when a file was refused.
"""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.text import Truncator, slugify

from casestudies.content.importing import ImportReport, WriteUpImporter
from casestudies.models import CaseStudy, CaseStudyOrganisation, Organisation

#: A run of at least this many files shows a progress bar when its output is a terminal.
PROGRESS_FROM = 5


def writeup_files(paths):
    """The files named, folders expanded to the `.txt` files in them, each once, in order."""
    seen, found, problems = set(), [], []
    for name in paths:
        path = Path(name)
        if path.is_dir():
            inside = sorted(
                p
                for p in path.rglob("*.txt")
                if p.is_file() and not any(part.startswith(".") for part in p.parts)
            )
            if not inside:
                problems.append(ImportReport(str(path), "refused", "no .txt files in the folder"))
            candidates = inside
        else:
            candidates = [path]
        for candidate in candidates:
            if candidate.resolve() not in seen:
                seen.add(candidate.resolve())
                found.append(candidate)
    return found, problems


class Command(BaseCommand):
    help = "Import write-ups in the network's text format (files or folders) as drafts."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH", help="write-up files or folders")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="report what would be created or changed, and save nothing",
        )
        parser.add_argument(
            "--slug", help="slug of the case study (one file only; default: the file's name)"
        )
        parser.add_argument("--title", help="title (one file only; default: from the text)")
        parser.add_argument(
            "--council",
            action="append",
            default=[],
            metavar="ORG",
            help="organisation the work was for, by slug or name (created if new; repeatable)",
        )
        parser.add_argument(
            "--delivered-by",
            action="append",
            default=[],
            metavar="ORG",
            help="organisation that delivered the work, by slug or name (repeatable)",
        )
        parser.add_argument(
            "--kind",
            choices=CaseStudy.Kind.values,
            help="the kind of work (default: from the text's Status line, else a case study)",
        )
        parser.add_argument(
            "--theme", action="append", default=[], metavar="NAME", help="theme (repeatable)"
        )
        parser.add_argument("--year", type=int, help="the year of the work (default: the text's)")
        parser.add_argument(
            "--progress",
            action="store_true",
            default=None,
            help=f"show a progress bar (default: on a terminal, from {PROGRESS_FROM} files)",
        )
        parser.add_argument("--no-progress", dest="progress", action="store_false")

    def handle(self, *args, paths, dry_run, slug, title, council, delivered_by, **options):
        files, reports = writeup_files(paths)
        if len(files) > 1 and (slug or title):
            raise CommandError("--slug and --title name one case study: give only one file.")
        if slug is not None and (not slug or slugify(slug) != slug):
            raise CommandError(f"{slug!r} is not a slug: use lower-case letters, digits and -.")
        year = options["year"]
        if year is not None and not 1900 <= year <= 2100:
            raise CommandError(f"--year {year}: give the year the work took place, such as 2021.")
        Role = CaseStudyOrganisation.Role
        roles = [
            *((Role.COUNCIL, self._organisation(name)) for name in council),
            *((Role.DELIVERY, self._organisation(name)) for name in delivered_by),
        ]
        importer = WriteUpImporter(
            dry_run=dry_run, roles=roles, themes=options["theme"], year=year, kind=options["kind"]
        )
        progress = options["progress"]
        if progress is None:
            progress = len(files) >= PROGRESS_FROM and sys.stderr.isatty()
        if dry_run:
            self.stdout.write(self.style.WARNING("Dry run: nothing will be saved."))
        for number, path in enumerate(files, 1):
            if progress:
                self._progress(number - 1, len(files), path.name)
            report = importer.import_file(path, slug=slug, title=title)
            reports.append(report)
            self._describe(report, dry_run)
        if progress:
            self._progress(len(files), len(files), "done")
            self.stderr.write("")
        self._summarise(reports, dry_run)
        refused = [report for report in reports if report.refused]
        if refused:
            raise CommandError(
                f"{len(refused)} of {len(reports)} file(s) not imported; nothing was saved "
                "from them:\n  " + "\n  ".join(f"{r.source}: {r.reason}" for r in refused)
            )

    def _organisation(self, name):
        """An organisation given on the command line: by slug, else by name (the import
        finds it forgiving "Council", "Borough" and the like, or creates it and says so)."""
        return Organisation.objects.filter(slug=name).first() or name

    def _progress(self, done, total, name, width=30):
        filled = width * done // max(total, 1)
        bar = "#" * filled + "-" * (width - filled)
        self.stderr.write(f"\r[{bar}] {done}/{total} {Truncator(name).chars(40):<40}", ending="")
        self.stderr.flush()

    def _describe(self, report, dry_run):
        if report.refused:
            self.stderr.write(self.style.ERROR(f"{report.source}: not imported: {report.reason}"))
            return
        verb = {"created": "Created", "updated": "Updated"}[report.outcome]
        if dry_run:
            verb = f"Would have {verb.lower()}"
        self.stdout.write(
            self.style.SUCCESS(
                f"{report.source}: {verb} draft {report.title!r} (slug {report.slug})."
            )
        )
        if report.kind != CaseStudy.Kind.CASE_STUDY.label or report.programme_status:
            status = f" ({report.programme_status})" if report.programme_status else ""
            self.stdout.write(f"  kind: {report.kind}{status}")
        if report.year:
            self.stdout.write(f"  year: {report.year}")
        for title in report.matched:
            self.stdout.write(f"  matched: {title}")
        for label in report.unrecognised:
            self.stdout.write(
                self.style.WARNING(
                    f"  UNRECOGNISED (kept for staff to decide): {Truncator(label).chars(100)!r}"
                )
            )
        for role, name, new in report.organisations:
            self.stdout.write(f"  {role.lower()}: {name}{' (new organisation)' if new else ''}")
        for note in report.notes:
            self.stdout.write(f"  {note}")
        if report.contact:
            self.stdout.write(f"  contact: {report.contact}")
        else:
            self.stdout.write("  contact: none (the block is missing or cut off)")
        self.stdout.write(
            f"  {len(report.matched)} principle(s) matched, {len(report.unrecognised)} "
            f"statement(s) unrecognised."
        )

    def _summarise(self, reports, dry_run):
        imported = [r for r in reports if not r.refused]
        statements = [label for r in imported for label in r.unrecognised]
        created_organisations = {name for r in imported for name in r.organisations_created}
        rows = [
            ("files read", len(reports)),
            ("created", sum(r.outcome == "created" for r in reports)),
            ("updated", sum(r.outcome == "updated" for r in reports)),
            ("refused", sum(r.refused for r in reports)),
            ("statements unrecognised", len(statements)),
            ("organisations created", len(created_organisations)),
        ]
        self.stdout.write("")
        heading = "Summary (dry run: nothing was saved)" if dry_run else "Summary"
        self.stdout.write(self.style.MIGRATE_HEADING(heading))
        for label, count in rows:
            self.stdout.write(f"  {label:<24} {count:>6}")
        for report in reports:
            if report.refused:
                self.stdout.write(f"  refused: {report.source}: {report.reason}")
        if created_organisations:
            names = ", ".join(sorted(created_organisations))
            self.stdout.write(f"  new organisations (check them): {names}")
