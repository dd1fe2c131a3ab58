"""CSV export of a filtered list of case studies."""

import csv

HEADER = [
    "title",
    "url",
    "kind",
    "year",
    "published",
    "summary",
    "councils",
    "delivered by",
    "lead member",
    "participating members",
    "programme status",
    "principles met",
    "themes",
    "contacts",
]
# Spreadsheet programs run cells starting with these as formulas: prefix them with a quote.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class Echo:
    """A file-like object whose write() returns the line, for streaming."""

    def write(self, value):
        return value


def safe(value):
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def contact_text(contact):
    """A contact's name, role and organisation; email and phone only where shown to everyone."""
    parts = [contact.name]
    if contact.role:
        parts.append(contact.role)
    if contact.organisation_id:
        parts.append(contact.organisation.name)
    if contact.public_email:
        parts.append(contact.public_email)
    if contact.public_phone:
        parts.append(contact.public_phone)
    return ", ".join(parts)


def row(case_study, request):
    return [
        case_study.title,
        request.build_absolute_uri(case_study.get_absolute_url()),
        case_study.get_kind_display(),
        case_study.year or "",
        case_study.published_at.date().isoformat() if case_study.published_at else "",
        case_study.summary,
        "; ".join(o.name for o in case_study.councils),
        "; ".join(o.name for o in case_study.delivered_by),
        "; ".join(o.name for o in case_study.lead_members),
        "; ".join(o.name for o in case_study.participating_members),
        case_study.programme_status,
        "; ".join(p.title for p in case_study.principles.all()),
        "; ".join(t.name for t in case_study.themes.all()),
        "; ".join(contact_text(c) for c in case_study.contacts.all()),
    ]


def rows(queryset, request):
    """CSV lines for `queryset`, read in chunks so that a large export streams."""
    writer = csv.writer(Echo())
    yield "\ufeff" + writer.writerow(HEADER)  # the BOM tells spreadsheets it is UTF-8
    for case_study in queryset.iterator(chunk_size=500):
        yield writer.writerow([safe(value) for value in row(case_study, request)])
