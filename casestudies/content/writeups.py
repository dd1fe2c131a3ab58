"""Read case-study write-ups in the network's text format.

A write-up starts with a "Principles met" section, given either as blocks separated by "-"
lines (a title line, then the statement, then any bulleted commitments), as bullets holding the
statements alone, or as titles alone. Before it may come a title line and, on the pages of
Policy Labs and prototypes, a block of facts: "Lead Member", "Participating Members" (a list
separated by commas or one to a line), "Year" and "Status", each with its value on the same
line or the next. Body paragraphs follow, perhaps under an "About the project" heading, and a
"For further information" (or "Further information") block closes it with the contact's name,
role and organisation, one to a line (the block may be cut off, and may add an email or phone
line). Text pasted from web pages glues blocks together ("...mutual benefit.About the
project"): such joins are split before reading.

`parse_writeup` reads the structure; given the known principles it also tells a principle
named by its title alone from the first body paragraph. `match_principle` recognises a
principle from an entry by its title or its statement.
"""

import re
import unicodedata
from dataclasses import dataclass, field

# Typographic bullets that writers paste in.
BULLET_CHARS = "•·*▪●◦‣∙"
DASHES = "-\u2013\u2014"
PRINCIPLES_HEADING = "principles met"
CONTACT_HEADINGS = ("for further information", "further information", "for more information")
#: Headings that open the body; they are not part of the text.
BODY_HEADINGS = frozenset(
    {"about the project", "about this project", "about the lab", "about the policy lab"}
)
#: Labels of the facts block before "Principles met", and the WriteUp attribute each fills.
FACT_LABELS = {
    "lead member": "lead_members",
    "lead members": "lead_members",
    "lead council": "lead_members",
    "participating members": "participating_members",
    "participating member": "participating_members",
    "participating councils": "participating_members",
    "year": "year",
    "status": "status",
}
TERMINAL = (".", "!", "?", '"', "'", ")")
#: Lines allowed before the "Principles met" heading (a title, perhaps a subtitle).
MAX_PREAMBLE_LINES = 3

_BULLET_RE = re.compile(
    rf"^\s*(?:[{re.escape(BULLET_CHARS)}]|[{DASHES}](?=\s)|\d{{1,2}}[.)](?=\s))\s*"
)
_EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_FACT_RE = re.compile(
    r"^(" + "|".join(sorted(map(re.escape, FACT_LABELS), key=len, reverse=True)) + r")\b"
    r"\s*[:\u2013\u2014-]?\s*(.*)$",
    re.I,
)
# Two blocks of a web page pasted without a line break between them: a sentence's end glued to
# the capital of the next block's first word ("benefit.About the project"), or a heading the
# reader knows glued after a sentence.
_GLUED_RE = re.compile(r"(?<=[a-z)]{2}[.!?])(?=[A-Z][a-z])")
_GLUED_HEADING_RE = re.compile(
    r"(?<=[.!?\u201d\"])\s*(?=(?i:"
    + "|".join(map(re.escape, sorted({*BODY_HEADINGS, *CONTACT_HEADINGS}, key=len, reverse=True)))
    + r")\s*:?\s*(?:$|[A-Z]))"
)
_PHONE_RE = re.compile(r"^(?:tel(?:ephone)?|phone|mobile|t)\s*[:.]?\s*(\+?[\d\s()-]{7,})$", re.I)


class WriteUpError(ValueError):
    """The text is not a write-up this reader understands."""


@dataclass
class PrincipleEntry:
    """One entry of the "Principles met" section, as written."""

    title: str = ""
    statement: str = ""

    @property
    def label(self):
        return self.title or self.statement


@dataclass
class ContactBlock:
    name: str
    role: str = ""
    organisation: str = ""
    email: str = ""
    phone: str = ""


@dataclass
class WriteUp:
    title: str = ""
    entries: list[PrincipleEntry] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)
    contact: ContactBlock | None = None
    #: The facts block of a programme's page (Policy Labs, prototypes).
    lead_members: list[str] = field(default_factory=list)
    participating_members: list[str] = field(default_factory=list)
    year: int | None = None
    status: str = ""
    #: Lines read but not kept (headings or link text between blocks), for the report.
    ignored: list[str] = field(default_factory=list)


def normalise(text: str) -> str:
    """Fold quotes, dashes, case and white space so that equal wording compares equal."""
    text = unicodedata.normalize("NFKC", text)
    text = re.sub("[\u2018\u2019\u201a\u201b\u2032`]", "'", text)
    text = re.sub("[\u201c\u201d\u201e\u201f\u2033]", '"', text)
    text = re.sub("[\u2010-\u2015]", "-", text)
    text = text.replace("\u00a0", " ").replace("\u200b", "")
    return re.sub(r"\s+", " ", text).strip().lower()


def _clean(line: str) -> str:
    return re.sub(r"\s+", " ", line.replace("\u00a0", " ").replace("\u200b", "")).strip()


def _is_separator(line: str) -> bool:
    stripped = line.strip()
    return bool(stripped) and all(char in DASHES for char in stripped)


def _is_bullet(line: str) -> bool:
    return not _is_separator(line) and bool(_BULLET_RE.match(line)) and bool(_strip_bullet(line))


def _strip_bullet(line: str) -> str:
    return _clean(_BULLET_RE.sub("", line, count=1))


def _is_heading(line: str, heading: str) -> bool:
    return normalise(line).rstrip(":").strip() == heading


def _is_contact_heading(line: str) -> bool:
    text = normalise(line)
    return text.startswith(CONTACT_HEADINGS) and len(text) <= 80


def _is_body_heading(line: str) -> bool:
    return normalise(line).rstrip(":").strip() in BODY_HEADINGS


def _unglue(lines):
    """Split lines where a web page's blocks were pasted without a line break between them."""
    for line in lines:
        for part in _GLUED_HEADING_RE.split(line):
            yield from _GLUED_RE.split(part)


def _split_members(value: str) -> list[str]:
    """Names in a list separated by commas, semicolons or bullets (never by "and": "Brighton
    and Hove City Council" is one council)."""
    parts = re.split(rf"[,;{re.escape(BULLET_CHARS)}]|\s[{DASHES}]\s", value)
    return [name for name in (_clean(part).strip(" .") for part in parts) if name]


def _read_preamble(lines, writeup):
    """Read the title and the facts block before "Principles met"; return the other lines."""
    other = []
    label = None  # a fact whose value is on the lines that follow its label
    for line in lines:
        fact = _FACT_RE.match(line)
        if fact:
            label, value = FACT_LABELS[fact[1].lower()], fact[2].strip()
            if value and _set_fact(writeup, label, value):
                label = label if label == "participating_members" else None
                continue
            if not value:
                continue
            label = None  # "Status of ..." or "Year of ...": a title, not a fact
        elif label is not None and _set_fact(writeup, label, line):
            label = label if label == "participating_members" else None
            continue
        label = None
        other.append(line)
    return other


def _set_fact(writeup, label, value):
    """Record one fact; False when `value` cannot be that fact (so the line is a title)."""
    if label == "year":
        found = re.fullmatch(r"((?:19|20)\d\d)(?:\s*[-\u2013/]\s*\d{2,4})?\.?", value)
        if not found:
            return False
        writeup.year = int(found[1])
    elif label == "status":
        if len(value) > 100:
            return False
        writeup.status = value.rstrip(".")
    elif label == "lead_members":
        writeup.lead_members.extend(_split_members(value))
    else:
        writeup.participating_members.extend(_split_members(value))
    return True


def _looks_like_title(line: str) -> bool:
    """A principle title is a short line that is not a sentence."""
    text = line.strip()
    return (
        0 < len(text) <= 80
        and not text.endswith((".", ":"))
        and not text.lower().startswith("we will")
    )


def _complete(statement: str) -> bool:
    """Whether a statement reads as finished (else the next line continues it)."""
    return statement.rstrip().endswith(TERMINAL)


def parse_writeup(text: str, principles=None) -> WriteUp:
    """Split a write-up into its principle entries, body paragraphs and contact.

    With `principles` (the known ones), a line that names a principle by its title is read
    as an entry even without a "-" separator, and a line after a title that is not that
    principle's statement starts the body instead of being taken for the statement.
    """
    if "\x00" in text:
        raise WriteUpError("the file is not text")
    principles = list(principles or [])
    lines = text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "").split("\n")
    if not any(line.strip() for line in lines):
        raise WriteUpError("the file is empty")

    writeup = WriteUp()
    index = 0
    while index < len(lines) and not _is_heading(lines[index], PRINCIPLES_HEADING):
        index += 1
    preamble = [_clean(line) for line in lines[:index] if line.strip()]
    preamble = _read_preamble(preamble, writeup)
    if index >= len(lines) or len(preamble) > MAX_PREAMBLE_LINES:
        raise WriteUpError('it has no "Principles met" heading at the start')
    writeup.title = preamble[0] if preamble else ""
    lines = [*lines[: index + 1], *_unglue(lines[index + 1 :])]
    index += 1

    def title_match(line):
        return principles and match_principle(PrincipleEntry(title=line), principles)

    block = None  # the entry of the current "-" block
    last = None  # the entry the previous line went into, for wrapped lines
    blank_before = False
    while index < len(lines):
        line = lines[index]
        if not line.strip():
            blank_before = True
            index += 1
            continue
        if _is_contact_heading(line) or _is_body_heading(line):
            break
        if _is_separator(line):
            block = last = PrincipleEntry()
            writeup.entries.append(block)
        elif _is_bullet(line):
            if block is not None and block.statement and not _starts_entry(line, principles):
                # A commitment listed under the statement of the current block.
                block.statement += " \u2022 " + _strip_bullet(line)
            else:
                last = PrincipleEntry(statement=_strip_bullet(line))
                writeup.entries.append(last)
                block = None
        elif block is not None and not block.title and not block.statement:
            if _looks_like_title(line):
                block.title = _clean(line)
            else:
                block.statement = _clean(line)
        elif block is not None and block.title and not block.statement:
            named = title_match(block.title)
            if named and not _states(line, named):
                break  # a title alone: this line is the body's first
            block.statement = _clean(line)
        elif (
            last is not None
            and last.statement
            and not blank_before
            and not _complete(last.statement)
            and not _states_whole(last.statement, principles)
        ):
            last.statement += " " + _clean(line)  # a statement wrapped onto the next line
        elif block is None and title_match(_clean(line)):
            last = PrincipleEntry(title=_clean(line))  # titles listed one to a line
            writeup.entries.append(last)
        else:
            break  # the first line that belongs to no entry starts the body
        blank_before = False
        index += 1

    body_lines = []
    while index < len(lines) and not _is_contact_heading(lines[index]):
        line = _clean(lines[index])
        if _is_body_heading(line):
            pass
        elif line and not body_lines and _looks_like_title(line) and len(line) <= 60:
            writeup.ignored.append(line)  # a heading or link text before the text begins
        elif line:
            body_lines.append(line)
        index += 1
    writeup.paragraphs = body_lines
    writeup.entries = [entry for entry in writeup.entries if entry.label]  # "-" then nothing
    writeup.contact = _parse_contact(lines[index:])
    return writeup


def _parse_contact(lines):
    """The "For further information" block: name, role, organisation, email, phone."""
    if not lines:
        return None
    first = _clean(lines[0])
    heading = first[len(next(h for h in CONTACT_HEADINGS if normalise(first).startswith(h))) :]
    inline = re.split(r"[:\u2013\u2014-]", heading, maxsplit=1)
    rest = [_clean(inline[1])] if len(inline) == 2 and inline[1].strip() else []
    contact_lines = [*rest, *(_clean(line) for line in lines[1:] if line.strip())]
    email = phone = ""
    plain = []
    for line in contact_lines:
        found_email = _EMAIL_RE.search(line)
        found_phone = _PHONE_RE.match(line)
        if found_email and not email:
            email = found_email.group(0)
        elif found_phone and not phone:
            phone = _clean(found_phone.group(1))
        elif not found_email:
            plain.append(line)
    if not plain:
        return None
    name, role, organisation = [*plain, "", ""][:3]
    return ContactBlock(name=name, role=role, organisation=organisation, email=email, phone=phone)


def _starts_entry(line, principles):
    """Whether a bullet under a statement is a principle of its own, not a commitment."""
    text = _strip_bullet(line)
    return normalise(text).startswith("we will") or (
        bool(principles) and match_principle(PrincipleEntry(statement=text), principles)
    )


def _states_whole(statement, principles):
    """Whether `statement` already holds the whole of a known principle's statement (so the
    next line is not more of it)."""
    text = normalise(statement)
    return any(
        len(known) >= 40 and text.startswith(known.rstrip(".:"))
        for known in (normalise(p.statement) for p in principles)
    )


def _states(line, principle):
    """Whether `line` is (the start of) `principle`'s statement."""
    text = normalise(line)
    known = normalise(principle.statement)
    return bool(text) and (known.startswith(text) or text.startswith(known[:40]))


def match_principle(entry: PrincipleEntry, principles):
    """Return the principle an entry names by title or quotes by statement, or None.

    Tolerates curly or straight quotes, stray white space, bullets and trailing text (such as
    a list of commitments after the statement, or a note after the title).
    """
    title = normalise(entry.title).rstrip(":").strip()
    statement = normalise(entry.statement)
    # A bullet may hold a title alone ("• Co-production").
    names = [title] if title else [statement.rstrip(".:").strip()] if len(statement) <= 80 else []
    for name in names:
        for principle in principles:
            if name == normalise(principle.title):
                return principle
        for principle in principles:
            known_title = normalise(principle.title)
            if re.match(re.escape(known_title) + r"(?:\s*[:(\-,.]|\s+-)", name):
                return principle
    for principle in principles:
        known = normalise(principle.statement)
        if not known or not statement:
            continue
        shortened = statement.rstrip(".:;, ")
        if statement.startswith(known) or (len(shortened) >= 40 and known.startswith(shortened)):
            return principle
    for principle in principles:
        known = normalise(principle.statement).rstrip(".:").strip()
        if statement and len(known) >= 40 and known in statement:
            return principle
    for principle in principles:
        # "Title: statement" or "Title - statement" written on one line.
        known_title = normalise(principle.title)
        if re.match(re.escape(known_title) + r"\s*[:\-]", statement):
            return principle
    return None
