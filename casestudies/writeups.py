"""Read case-study write-ups in the network's text format.

A write-up starts with a "Principles met" section, given either as blocks separated by "-"
lines (a title line, then the statement, then any bulleted commitments) or as bullets holding
the statements alone. Body paragraphs follow, and a "For further information" block closes it
with the contact's name, role and organisation, one to a line (the block may be cut off).

`parse_writeup` only reads the structure; `match_principle` recognises a principle from an
entry by its title or its statement.
"""

import re
import unicodedata
from dataclasses import dataclass, field

BULLETS = "•·*–—-"  # noqa: RUF001 (the en and em dashes are bullets some writers use)
PRINCIPLES_HEADING = "principles met"
CONTACT_HEADING = "for further information"


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


@dataclass
class WriteUp:
    entries: list[PrincipleEntry] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)
    contact: ContactBlock | None = None


def normalise(text: str) -> str:
    """Fold quotes, dashes, case and white space so that equal wording compares equal."""
    text = unicodedata.normalize("NFKC", text)
    text = re.sub("[\u2018\u2019\u201a\u201b\u2032`]", "'", text)
    text = re.sub("[\u201c\u201d\u201e\u201f\u2033]", '"', text)
    text = re.sub("[\u2010-\u2015]", "-", text)
    return re.sub(r"\s+", " ", text).strip().lower()


def _is_separator(line: str) -> bool:
    return line.strip() in {"-", "\u2013", "\u2014"}


def _is_bullet(line: str) -> bool:
    stripped = line.strip()
    return bool(stripped) and stripped[0] in "•·*" and not _is_separator(line)


def _strip_bullet(line: str) -> str:
    return line.strip().lstrip(BULLETS).strip()


def _looks_like_title(line: str) -> bool:
    """A principle title is a short line that is not a sentence."""
    text = line.strip()
    return (
        0 < len(text) <= 80
        and not text.endswith((".", ":"))
        and not text.lower().startswith("we will")
    )


def parse_writeup(text: str) -> WriteUp:
    """Split a write-up into its principle entries, body paragraphs and contact."""
    if "\x00" in text:
        raise WriteUpError("the file is not text")
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    index = 0
    while index < len(lines) and not lines[index].strip():
        index += 1
    if index >= len(lines) or normalise(lines[index]).rstrip(":") != PRINCIPLES_HEADING:
        raise WriteUpError('it does not start with a "Principles met" heading')
    index += 1

    writeup = WriteUp()
    current = None
    while index < len(lines):
        line = lines[index]
        if not line.strip():
            index += 1
            continue
        if _is_separator(line):
            current = PrincipleEntry()
            writeup.entries.append(current)
        elif _is_bullet(line):
            if current is not None and current.statement:
                # A commitment listed under the statement of the current block.
                current.statement += " \u2022 " + _strip_bullet(line)
            else:
                writeup.entries.append(PrincipleEntry(statement=_strip_bullet(line)))
        elif current is not None and not current.title and not current.statement:
            if _looks_like_title(line):
                current.title = line.strip()
            else:
                current.statement = line.strip()
        elif current is not None and current.title and not current.statement:
            current.statement = line.strip()
        else:
            break  # the first line that belongs to no entry starts the body
        index += 1

    body_lines = []
    while index < len(lines) and normalise(lines[index]).rstrip(":") != CONTACT_HEADING:
        if lines[index].strip():
            body_lines.append(re.sub(r"\s+", " ", lines[index]).strip())
        index += 1
    writeup.paragraphs = body_lines

    contact_lines = [line.strip() for line in lines[index + 1 :] if line.strip()]
    if contact_lines:
        name, role, organisation = [*contact_lines, "", ""][:3]
        writeup.contact = ContactBlock(name=name, role=role, organisation=organisation)
    return writeup


def match_principle(entry: PrincipleEntry, principles):
    """Return the principle an entry names by title or quotes by statement, or None.

    Tolerates curly or straight quotes, stray white space, bullets and trailing text (such as
    a list of commitments after the statement).
    """
    title = normalise(entry.title).rstrip(":")
    statement = normalise(entry.statement)
    for principle in principles:
        if title and title == normalise(principle.title):
            return principle
    for principle in principles:
        known = normalise(principle.statement)
        if not known or not statement:
            continue
        if statement.startswith(known) or (len(statement) >= 40 and known.startswith(statement)):
            return principle
    for principle in principles:
        # "Title: statement" or "Title - statement" written on one line.
        known_title = normalise(principle.title)
        if re.match(re.escape(known_title) + r"\s*[:\-]", statement):
            return principle
    return None
