"""Import case-study write-ups in the network's text format, as drafts.

    python manage.py import_writeup FILE [FILE ...] [--slug SLUG] [--title TITLE]
        [--council ORG-SLUG ...] [--delivered-by ORG-SLUG ...] [--theme NAME ...] [--year YYYY]

Each file is read by `casestudies.content.writeups`: every "Principles met" entry is matched to a
principle by its title or its statement, and each entry that matches none is reported. The case
study is a draft (an import never publishes). Its slug is `--slug`, or the file's name without
its extension, so that the old site's slugs survive; importing the same file again updates that
draft instead of adding another. Each file is imported in its own transaction: a file that
cannot be read or understood changes nothing, and the command ends with an error naming it.
"""

import re
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.html import escape
from django.utils.text import Truncator, slugify

from casestudies.content.writeups import WriteUpError, match_principle, parse_writeup
from casestudies.models import CaseStudy, CaseStudyOrganisation, Contact, Organisation
from casestudies.publishing import history
from principles.models import Principle

MAX_FILE_BYTES = 1024 * 1024
SUMMARY_CHARS = 300


class ImportFailed(Exception):
    """One file could not be imported; the message says why, for the person running it."""


def read_text(path: Path) -> str:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ImportFailed("no such file") from None
    except IsADirectoryError:
        raise ImportFailed("it is a folder, not a file") from None
    except OSError as error:
        raise ImportFailed(f"cannot read it ({error.strerror or error})") from None
    if len(data) > MAX_FILE_BYTES:
        raise ImportFailed("it is too big to be a write-up (over 1 MB)")
    if b"\x00" in data:
        raise ImportFailed("it is not a text file")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFailed("it is not text in UTF-8 or Windows encoding")


def summary_from(paragraph: str) -> str:
    """The paragraph's first sentences, up to about SUMMARY_CHARS, cut between words."""
    summary = ""
    for sentence in re.split(r"(?<=[.!?])\s+", paragraph):
        if summary and len(summary) + len(sentence) + 1 > SUMMARY_CHARS:
            break
        summary = f"{summary} {sentence}".strip()
    if len(summary) > SUMMARY_CHARS:
        summary = summary[: SUMMARY_CHARS - 1].rsplit(" ", 1)[0].rstrip(",;:") + "\u2026"
    return summary


def title_from_path(path: Path) -> str:
    words = path.stem.replace("_", " ").replace("-", " ").split()
    text = " ".join(words)
    return text[:1].upper() + text[1:]


class Command(BaseCommand):
    help = "Import write-ups in the network's text format as draft case studies."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE", help="write-up text files")
        parser.add_argument(
            "--slug", help="slug of the case study (one file only; default: the file's name)"
        )
        parser.add_argument("--title", help="title (one file only; default: from the file)")
        parser.add_argument(
            "--council",
            action="append",
            default=[],
            metavar="ORG-SLUG",
            help="organisation the work was for (repeatable)",
        )
        parser.add_argument(
            "--delivered-by",
            action="append",
            default=[],
            metavar="ORG-SLUG",
            help="organisation that delivered the work (repeatable)",
        )
        parser.add_argument(
            "--theme", action="append", default=[], metavar="NAME", help="theme (repeatable)"
        )
        parser.add_argument("--year", type=int, help="the year of the work")

    def handle(self, *args, files, slug, title, council, delivered_by, theme, year, **options):
        if len(files) > 1 and (slug or title):
            raise CommandError("--slug and --title name one case study: give only one FILE.")
        if slug is not None and (not slug or slugify(slug) != slug):
            raise CommandError(f"{slug!r} is not a slug: use lower-case letters, digits and -.")
        roles = [
            *((CaseStudyOrganisation.Role.COUNCIL, o) for o in self._organisations(council)),
            *((CaseStudyOrganisation.Role.DELIVERY, o) for o in self._organisations(delivered_by)),
        ]
        principles = list(Principle.objects.all())
        failures = []
        for name in files:
            path = Path(name)
            try:
                with transaction.atomic():
                    self._import(path, principles, slug, title, roles, theme, year)
            except ImportFailed as error:
                failures.append(f"{name}: {error}")
                self.stderr.write(self.style.ERROR(f"{name}: not imported: {error}"))
        if failures:
            raise CommandError(
                f"{len(failures)} of {len(files)} file(s) not imported; nothing was saved "
                "from them:\n  " + "\n  ".join(failures)
            )

    def _organisations(self, slugs):
        found = {o.slug: o for o in Organisation.objects.filter(slug__in=slugs)}
        missing = [s for s in slugs if s not in found]
        if missing:
            raise CommandError(f"No organisation with the slug {', '.join(missing)}.")
        return [found[s] for s in slugs]

    def _import(self, path, principles, slug, title, roles, themes, year):
        text = read_text(path)
        try:
            writeup = parse_writeup(text, principles)
        except WriteUpError as error:
            raise ImportFailed(f"not a write-up: {error}") from None
        if not writeup.paragraphs:
            raise ImportFailed("not a write-up: it has no text after the principles")
        slug = slug or slugify(path.stem)
        if not slug:
            raise ImportFailed("cannot make a slug from the file's name: give --slug")

        existing = CaseStudy.objects.filter(slug=slug).first()
        if existing is not None and existing.status == CaseStudy.Status.PUBLISHED:
            raise ImportFailed(
                f"the case study {slug!r} is published; unpublish it first (imports only "
                "ever write drafts) or import under another --slug"
            )

        matched, unmatched = [], []
        for entry in writeup.entries:
            principle = match_principle(entry, principles)
            if principle is None:
                unmatched.append(entry)
            elif principle not in matched:
                matched.append(principle)

        first = writeup.paragraphs[0]
        case_study = existing or CaseStudy(slug=slug, status=CaseStudy.Status.DRAFT)
        case_study.title = (title or writeup.title or title_from_path(path))[:250]
        case_study.summary = summary_from(first)
        case_study.body = "\n".join(f"<p>{escape(p)}</p>" for p in writeup.paragraphs)
        if year:
            case_study.year = year
        history.hold_history(case_study)  # the import is one version, links included
        case_study.save()
        case_study.principles.set(matched)
        if themes:
            case_study.themes.add(*themes)
        for role, organisation in roles:
            CaseStudyOrganisation.objects.get_or_create(
                case_study=case_study, organisation=organisation, role=role
            )
        self._notes = []
        self._path = path.name
        contact = self._contact(writeup.contact)
        if contact is not None:
            case_study.contacts.add(contact)
        history.finish_version(case_study, "~" if existing else "+")

        verb = "Updated" if existing else "Created"
        self.stdout.write(
            self.style.SUCCESS(f"{path}: {verb} draft {case_study.title!r} (slug {slug}).")
        )
        for principle in matched:
            self.stdout.write(f"  matched: {principle.title}")
        for entry in unmatched:
            self.stdout.write(
                self.style.WARNING(f"  NOT MATCHED: {Truncator(entry.label).chars(100)!r}")
            )
        for note in self._notes:
            self.stdout.write(note)
        if contact is not None:
            self.stdout.write(f"  contact: {contact}")
        else:
            self.stdout.write("  contact: none (the block is missing or cut off)")
        self.stdout.write(
            f"  {len(matched)} principle(s) matched, {len(unmatched)} entr"
            f"{'y' if len(unmatched) == 1 else 'ies'} not matched."
        )

    def _contact(self, block):
        if block is None or not block.name:
            return None
        organisation = None
        if block.organisation:
            organisation = Organisation.objects.filter(name__iexact=block.organisation).first()
            if organisation is None:
                organisation = Organisation.objects.create(
                    name=block.organisation[:200],
                    slug=self._free_slug(block.organisation),
                    kind=Organisation.Kind.OTHER,
                )
                self._notes.append(f"  new organisation: {organisation.name} (check it)")
        values = {
            attribute: getattr(block, attribute)[: Contact._meta.get_field(attribute).max_length]
            for attribute in Contact.PROPOSABLE
        }
        contact, created = Contact.objects.get_or_create(
            name=block.name[:200], organisation=organisation, defaults=values
        )
        # Someone already known may appear on published pages: what this write-up says of
        # them is proposed to staff, never written over what they show.
        if not created and contact.propose(f"import of {self._path}", **values):
            changed = ", ".join(
                f"{field} {value!r}"
                for field, value in contact.proposed_changes.items()
                if field != "source"
            )
            self._notes.append(
                f"  contact {contact.name}: proposed {changed} (staff accept it on the "
                "contact's page)"
            )
        return contact

    @staticmethod
    def _free_slug(name):
        base = slugify(name)[:190] or "organisation"
        slug, number = base, 2
        while Organisation.objects.filter(slug=slug).exists():
            slug, number = f"{base}-{number}", number + 1
        return slug
