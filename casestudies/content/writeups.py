"""Read case-study write-ups in the network's text format.

A write-up starts with a "Principles met" section (optionally after a title line), given either
as blocks separated by "-" lines (a title line, then the statement, then any bulleted
commitments), as bullets holding the statements alone, or as titles alone. Body paragraphs
follow, and a "For further information" block closes it with the contact's name, role and
organisation, one to a line (the block may be cut off, and may add an email or phone line).

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
CONTACT_HEADING = "for further information"
TERMINAL = (".", "!", "?", '"', "'", ")")
#: Lines allowed before the "Principles met" heading (a title, perhaps a subtitle).
MAX_PREAMBLE_LINES = 3

_BULLET_RE = re.compile(
    rf"^\s*(?:[{re.escape(BULLET_CHARS)}]|[{DASHES}](?=\s)|\d{{1,2}}[.)](?=\s))\s*"
)
_EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
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
    return text.startswith(CONTACT_HEADING) and len(text) <= 80


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
    preamble = []
    while index < len(lines) and not _is_heading(lines[index], PRINCIPLES_HEADING):
        if lines[index].strip():
            preamble.append(_clean(lines[index]))
            if len(preamble) > MAX_PREAMBLE_LINES:
                break
        index += 1
    if index >= len(lines) or len(preamble) > MAX_PREAMBLE_LINES:
        raise WriteUpError('it has no "Principles met" heading at the start')
    writeup.title = preamble[0] if preamble else ""
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
        if _is_contact_heading(line):
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
            and not (_complete(last.statement))
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
        if lines[index].strip():
            body_lines.append(_clean(lines[index]))
        index += 1
    writeup.paragraphs = body_lines
    writeup.contact = _parse_contact(lines[index:])
    return writeup


def _parse_contact(lines):
    """The "For further information" block: name, role, organisation, email, phone."""
    if not lines:
        return None
    heading = _clean(lines[0])[len(CONTACT_HEADING) :]
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
