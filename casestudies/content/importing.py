"""Write-ups into case studies: what `import_writeup` and the admin's import page share.

`WriteUpImporter` reads one write-up at a time (`casestudies.content.writeups` does the reading)
and saves it as a draft in its own transaction, returning an `ImportReport` that says what was
(or, in a dry run, would be) created or changed. Nothing half-written is ever kept: a write-up
that cannot be imported changes nothing, and a dry run rolls everything back.

What an import does with a write-up:

- every "Principles met" entry is matched to a principle by title or statement; an entry that
  matches none is kept as an `UnrecognisedStatement` for staff to decide on;
- the facts block of a programme's page (lead member, participating members, year, status)
  becomes organisation roles, the year, the programme status and the kind;
- organisations are found by name, forgiving case, punctuation and the words "Council",
  "Borough", "City" and the like ("Oldham" is "Oldham Metropolitan Borough Council"); those not
  found are created and reported;
- the summary is the first sentences of the text, and the body is the rest: the page never
  shows the same sentences twice.
"""

import re
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.html import escape
from django.utils.text import Truncator, slugify

from principles.models import Principle

from ..models import (
    CaseStudy,
    CaseStudyOrganisation,
    Contact,
    Organisation,
    UnrecognisedStatement,
)
from ..publishing import history
from ..publishing.roles import editor_organisation, is_publisher
from .writeups import WriteUpError, match_principle, normalise, parse_writeup

MAX_FILE_BYTES = 1024 * 1024
#: A write-up cites a handful of principles; a file listing hundreds of statements is not one,
#: and would leave hundreds of statements for staff to decide on.
MAX_ENTRIES = 60
SUMMARY_CHARS = 300
TITLE_CHARS = CaseStudy._meta.get_field("title").max_length

#: Words that name a kind of council rather than the place: left out when comparing names.
COUNCIL_WORDS = frozenset(
    {"council", "borough", "city", "metropolitan", "county", "district", "the", "of", "mbc"}
)
_COUNCIL_NAME_RE = re.compile(r"\b(council|borough|county|city of)\b", re.I)


class ImportFailed(Exception):
    """One write-up could not be imported; the message says why, for the person importing."""


def read_text(path: Path) -> str:
    """A write-up file's text, or ImportFailed saying why it cannot be one."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ImportFailed("no such file") from None
    except IsADirectoryError:
        raise ImportFailed("it is a folder, not a file") from None
    except OSError as error:
        raise ImportFailed(f"cannot read it ({error.strerror or error})") from None
    return decode(data)


def decode(data: bytes) -> str:
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


def split_summary(paragraph: str) -> tuple[str, str]:
    """The paragraph's first sentences, up to about SUMMARY_CHARS, and the rest of it.

    A first sentence longer than that is cut between words and ends with an ellipsis; then
    the whole paragraph stays in the body, since the summary does not say all of it.
    """
    sentences = re.split(r"(?<=[.!?])\s+", paragraph)
    taken = 0
    summary = ""
    for sentence in sentences:
        if summary and len(summary) + len(sentence) + 1 > SUMMARY_CHARS:
            break
        summary = f"{summary} {sentence}".strip()
        taken += 1
    if len(summary) > SUMMARY_CHARS:
        cut = summary[: SUMMARY_CHARS - 1].rsplit(" ", 1)[0].rstrip(",;:")
        return cut + "\u2026", paragraph
    return summary, " ".join(sentences[taken:])


def title_from_name(name: str) -> str:
    words = Path(name).stem.replace("_", " ").replace("-", " ").split()
    text = " ".join(words)
    return text[:1].upper() + text[1:]


def organisation_key(name: str) -> str:
    """A name folded for comparison: case, punctuation, "&" and the words that say what kind
    of council it is do not count ("City of York Council" and "York" are the same)."""
    text = normalise(name).replace("&", " and ")
    text = re.sub(r"\blondon borough of\b", " ", text)
    words = re.findall(r"[^\W_]+", text)
    kept = [word for word in words if word not in COUNCIL_WORDS]
    return " ".join(kept or words)


def kind_from_status(status: str):
    """The kind of work a programme's status names ("Policy Labs", "Prototype ...")."""
    text = normalise(status)
    if "policy lab" in text:
        return CaseStudy.Kind.POLICY_LAB
    if "prototype" in text:
        return CaseStudy.Kind.PROTOTYPE
    return None


@dataclass
class ImportReport:
    """What one write-up's import did, or in a dry run would do."""

    source: str
    outcome: str = ""  # "created", "updated" or "refused"
    reason: str = ""
    slug: str = ""
    title: str = ""
    kind: str = ""
    year: int | None = None
    programme_status: str = ""
    matched: list[str] = field(default_factory=list)
    unrecognised: list[str] = field(default_factory=list)
    organisations: list[tuple[str, str, bool]] = field(default_factory=list)  # role, name, new
    contact: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def refused(self):
        return self.outcome == "refused"

    @property
    def organisations_created(self):
        return sorted({name for _role, name, new in self.organisations if new})


class _DryRun(Exception):
    """Rolls back a dry run's transaction."""


class OrganisationIndex:
    """Organisations by folded name, read once per import run; creates the missing ones."""

    def __init__(self):
        self._by_key = {}
        self._pending = {}
        for organisation in Organisation.objects.order_by("pk"):
            self._by_key.setdefault(organisation_key(organisation.name), []).append(organisation)

    def find(self, name):
        """The organisation `name` means, or None: an exact name first, then the folded one."""
        candidates = self._by_key.get(organisation_key(name)) or self._pending.get(
            organisation_key(name), []
        )
        for organisation in candidates:
            if organisation.name.casefold() == name.casefold():
                return organisation
        return candidates[0] if candidates else None

    def find_or_create(self, name, kind=None):
        """(organisation, created)."""
        name = name.strip()[: Organisation._meta.get_field("name").max_length]
        found = self.find(name)
        if found is not None:
            return found, False
        if kind is None:
            kind = (
                Organisation.Kind.COUNCIL
                if _COUNCIL_NAME_RE.search(name)
                else Organisation.Kind.OTHER
            )
        organisation = Organisation.objects.create(name=name, slug=self._free_slug(name), kind=kind)
        self._pending.setdefault(organisation_key(name), []).append(organisation)
        return organisation, True

    def commit(self):
        for key, organisations in self._pending.items():
            self._by_key.setdefault(key, []).extend(organisations)
        self._pending = {}

    def rollback(self):
        self._pending = {}

    @staticmethod
    def _free_slug(name):
        base = slugify(name)[:190] or "organisation"
        slug, number = base, 2
        while Organisation.objects.filter(slug=slug).exists():
            slug, number = f"{base}-{number}", number + 1
        return slug


class WriteUpImporter:
    """Imports write-ups as drafts, for one person (a command's run has none) and one run.

    `roles` are (role, organisation name or slug) pairs given for every write-up of the run;
    `user`, when given, scopes the import like the admin: a member editor's imports are drafts
    of their own organisation, and may only update case studies they may already change.
    """

    def __init__(self, *, user=None, dry_run=False, roles=(), themes=(), year=None, kind=None):
        self.user = user
        self.dry_run = dry_run
        self.themes = list(themes)
        self.year = year
        self.kind = kind
        self.principles = list(Principle.objects.all())
        self.organisations = OrganisationIndex()
        self.roles = list(roles)
        self.editor_organisation = None
        if user is not None and not is_publisher(user):
            self.editor_organisation = editor_organisation(user)
            if self.editor_organisation is None:
                raise PermissionError("Only publishers and member editors import write-ups.")

    def import_file(self, path, *, slug=None, title=None):
        path = Path(path)
        try:
            text = read_text(path)
        except ImportFailed as error:
            return ImportReport(source=str(path), outcome="refused", reason=str(error))
        return self.import_text(
            text, source=str(path), slug=slug or slugify(path.stem), title=title
        )

    def import_text(self, text, *, source, slug=None, title=None):
        """Import one write-up; the report says what happened (refusals included)."""
        report = ImportReport(source=source)
        try:
            with transaction.atomic():
                self._import(text, report, slug, title)
                if self.dry_run:
                    raise _DryRun
        except _DryRun:
            self.organisations.rollback()
        except ImportFailed as error:
            self.organisations.rollback()
            report.outcome, report.reason = "refused", str(error)
        else:
            self.organisations.commit()
        return report

    def _import(self, text, report, slug, title):
        try:
            writeup = parse_writeup(text, self.principles)
        except WriteUpError as error:
            raise ImportFailed(f"not a write-up: {error}") from None
        if not writeup.paragraphs:
            raise ImportFailed("not a write-up: it has no text after the principles")
        if len(writeup.entries) > MAX_ENTRIES:
            raise ImportFailed(
                f"not a write-up: it lists {len(writeup.entries)} principle statements, and a "
                f"write-up cites at most {MAX_ENTRIES}"
            )
        title = (title or writeup.title or title_from_name(Path(report.source).name)).strip()
        if not title:
            raise ImportFailed("it has no title: put the title on the first line")
        slug = slug or slugify(title)[:250]
        if not slug:
            raise ImportFailed("cannot make an address (slug) from its name: give one")
        report.slug = slug
        report.title = Truncator(title).chars(TITLE_CHARS)

        existing = CaseStudy.objects.filter(slug=slug).first()
        if existing is not None:
            if existing.status == CaseStudy.Status.PUBLISHED:
                raise ImportFailed(
                    f"the case study {slug!r} is published; unpublish it first (imports only "
                    "ever write drafts) or import it under another address (slug)"
                )
            if self.editor_organisation is not None and not (
                CaseStudy.objects.visible_to(self.user).filter(pk=existing.pk).exists()
            ):
                raise ImportFailed(
                    f"a case study with the address {slug!r} exists and is not your "
                    "organisation's: import it under another address"
                )

        matched, unrecognised = [], []
        for entry in writeup.entries:
            principle = match_principle(entry, self.principles)
            if principle is None:
                unrecognised.append(entry)
            elif principle not in matched:
                matched.append(principle)
        report.matched = [principle.title for principle in matched]
        report.unrecognised = [entry.label for entry in unrecognised]
        report.notes.extend(f"ignored the line {line!r}" for line in writeup.ignored)

        summary, rest = split_summary(writeup.paragraphs[0])
        paragraphs = [rest, *writeup.paragraphs[1:]] if rest else writeup.paragraphs[1:]
        case_study = existing or CaseStudy(slug=slug, status=CaseStudy.Status.DRAFT)
        case_study.title = report.title
        case_study.summary = summary
        case_study.body = "\n".join(f"<p>{escape(p)}</p>" for p in paragraphs)
        case_study.year = self.year or writeup.year or case_study.year
        if writeup.status:
            case_study.programme_status = writeup.status[:100]
        case_study.kind = self.kind or kind_from_status(writeup.status) or case_study.kind
        if self.user is not None:
            case_study.updated_by = self.user
            case_study.created_by = case_study.created_by or self.user
        try:
            case_study.full_clean(validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            problems = "; ".join(
                f"{name}: {' '.join(messages)}" for name, messages in error.message_dict.items()
            )
            raise ImportFailed(f"it cannot be saved as it is ({problems})") from None
        report.year, report.programme_status = case_study.year, case_study.programme_status
        report.kind = case_study.get_kind_display()
        report.outcome = "updated" if existing else "created"

        history.hold_history(case_study)  # the import is one version, links included
        case_study._change_reason = f"Imported from {Path(report.source).name}"[:100]
        case_study.save()
        case_study.principles.set(matched)
        if self.themes:
            case_study.themes.add(*self.themes)
        self._link_organisations(case_study, writeup, report)
        self._keep_statements(case_study, unrecognised, report)
        contact = self._contact(writeup.contact, report)
        if contact is not None:
            case_study.contacts.add(contact)
            report.contact = str(contact)
        history.finish_version(case_study, "~" if existing else "+", user=self.user)

    def _link_organisations(self, case_study, writeup, report):
        Role = CaseStudyOrganisation.Role
        wanted = [
            *self.roles,
            *((Role.LEAD, name) for name in writeup.lead_members),
            *((Role.PARTICIPANT, name) for name in writeup.participating_members),
        ]
        for role, name in wanted:
            if isinstance(name, Organisation):
                organisation, created = name, False
            else:
                organisation, created = self.organisations.find_or_create(name)
            CaseStudyOrganisation.objects.get_or_create(
                case_study=case_study, organisation=organisation, role=role
            )
            report.organisations.append((Role(role).label, organisation.name, created))
        own = self.editor_organisation
        # A member editor's organisation always has its part in their case studies.
        if own is not None and not case_study.roles.filter(organisation=own).exists():
            role = Role.COUNCIL if own.kind == Organisation.Kind.COUNCIL else Role.DELIVERY
            case_study.roles.create(organisation=own, role=role)
            report.organisations.append((Role(role).label, own.name, False))

    def _keep_statements(self, case_study, entries, report):
        """Keep each unmatched entry for staff; a re-import replaces the undecided ones and
        keeps a decision already taken on a statement the write-up still cites."""
        kept = {s.key: s for s in case_study.unrecognised_statements.all()}
        cited = set()
        for position, entry in enumerate(entries):
            key = normalise(entry.label)[:255]
            if key in cited:
                continue
            cited.add(key)
            statement = kept.get(key) or UnrecognisedStatement(case_study=case_study, key=key)
            statement.title = entry.title[:250] if entry.statement else ""
            statement.text = entry.statement or entry.title
            statement.source = Path(report.source).name[:255]
            statement.position = position
            statement.save()
        case_study.unrecognised_statements.exclude(key__in=cited).delete()

    def _contact(self, block, report):
        if block is None or not block.name:
            return None
        organisation = None
        if block.organisation:
            organisation, created = self.organisations.find_or_create(block.organisation)
            if created:
                report.organisations.append(("Contact's organisation", organisation.name, True))
        values = {
            attribute: getattr(block, attribute)[: Contact._meta.get_field(attribute).max_length]
            for attribute in Contact.PROPOSABLE
        }
        contact, created = Contact.objects.get_or_create(
            name=block.name[:200], organisation=organisation, defaults=values
        )
        # Someone already known may appear on published pages: what this write-up says of
        # them is proposed to staff, never written over what they show.
        source = f"import of {Path(report.source).name}"
        if not created and contact.propose(source, **values):
            changed = ", ".join(
                f"{name} {value!r}"
                for name, value in contact.proposed_changes.items()
                if name != "source"
            )
            report.notes.append(
                f"contact {contact.name}: proposed {changed} (staff accept it on the "
                "contact's page)"
            )
        return contact
