"""Search highlights, made in Python from the query's stemmed words.

A search result's card shows its summary with the matched words marked, and an excerpt of its
body around the best cluster of matches. PostgreSQL's ts_headline did this in the page's query,
but it parses the whole body of each result: some 0.7 ms a row, 15 ms of every search page.
Here the body is scanned with one regular expression for words that may match, and only those
are stemmed (with the Snowball English stemmer, the one PostgreSQL's `english` configuration
uses; stems are remembered): about 0.1 ms an excerpt.

`terms` are stems: the lexemes of the tsquery on PostgreSQL (`search.query_terms`), the query's
own words stemmed elsewhere (`stems`).
"""

import html
import itertools
import re
import threading
from functools import lru_cache

import snowballstemmer
from django.utils.safestring import SafeString, mark_safe

WORD = re.compile(r"\w+")
TAG = re.compile(r"<(/?)(\w*)[^>]*>")
INLINE = {"a", "abbr", "b", "cite", "code", "em", "i", "mark", "q", "s", "small", "span", "strong"}
INLINE |= {"sub", "sup", "u"}
EXCERPT_WORDS = 35  # as ts_headline's MaxWords
LEAD_WORDS = 5  # words shown before the first match of an excerpt
LEAD_CHARS = 200  # where to look for them
ANCHORS = 8  # matches tried as an excerpt's first: a common word may match dozens of times
AHEAD = re.compile(rf"(?:\w+\W+){{0,{EXCERPT_WORDS - 1}}}\w+")  # match from a word's start

_local = threading.local()  # a stemmer keeps state while it works: one per thread


@lru_cache(maxsize=50_000)
def stem(word):
    """The Snowball English stem of `word`, lower-cased."""
    stemmer = getattr(_local, "stemmer", None)
    if stemmer is None:
        stemmer = _local.stemmer = snowballstemmer.stemmer("english")
    return stemmer.stemWord(word.lower())


def stems(text):
    """The stems of the words of `text` (a search on a database without full-text search)."""
    return frozenset(stem(word) for word in WORD.findall(text))


@lru_cache(maxsize=256)
def _candidates(terms):
    """A pattern for the words that may stem to one of `terms`.

    A stem begins with its word's first two letters (Snowball changes endings), so only the
    words starting like a term are stemmed: a few per body instead of hundreds.
    """
    starts = sorted({term[:2] for term in terms}, key=len, reverse=True)
    pattern = "|".join(map(re.escape, starts))
    return re.compile(rf"\b(?:{pattern})\w*", re.IGNORECASE)


def _find(text, terms, pos=0, endpos=None):
    """(start, end, term) for each word of text[pos:endpos] that stems to one of `terms`, in
    order, found as they are asked for."""
    if not terms:
        return
    candidates = _candidates(terms).finditer(text, pos, len(text) if endpos is None else endpos)
    for match in candidates:
        word = match.group()
        term = stem(word)
        if term not in terms and word.lower() in terms:
            term = word.lower()
        if term in terms:
            yield match.start(), match.end(), term


def _marked(text, matches):
    """`text` escaped, with the `matches` in <mark>."""
    out, at = [], 0
    for start, end, _ in matches:
        out += [html.escape(text[at:start]), "<mark>", html.escape(text[start:end]), "</mark>"]
        at = end
    out.append(html.escape(text[at:]))
    return mark_safe("".join(out))


def highlight_all(text, terms):
    """`text` escaped, every matched word marked; None when no word matches."""
    matches = list(_find(text or "", terms))
    return _marked(text, matches) if matches else None


def plain_text(body_html):
    """The words of a (sanitised) HTML body, tags and entities gone, spaces collapsed: an
    inline tag joins its neighbours ("<i>schools</i>." is "schools."), any other separates."""
    text = TAG.sub(lambda tag: "" if tag[2].lower() in INLINE else " ", body_html or "")
    return " ".join(html.unescape(text).split())


def _lead(text, start):
    """Where an excerpt whose first match is at `start` begins: LEAD_WORDS words before it."""
    look_from = max(0, start - LEAD_CHARS)
    before = [match.start() for match in WORD.finditer(text, look_from, start)]
    if look_from > 0:
        before = before[1:]  # perhaps the end of a word
    if not before:
        return start
    return before[-LEAD_WORDS] if len(before) >= LEAD_WORDS else before[0]


def excerpt(body_html, terms) -> SafeString | None:
    """About EXCERPT_WORDS words of the body around its best cluster of matches, escaped, the
    matches marked, with an ellipsis where the body goes on; None when no word matches.

    The best cluster is the window with the most different terms, then the most matches, the
    earliest first; it starts a few words before its first match. Only the text up to the
    first matches is searched, and only the text near them split into words.
    """
    text = plain_text(body_html)
    found = _find(text, terms)
    anchors = [start for start, _, _ in itertools.islice(found, 1)]
    if not anchors:
        return None
    # With one word to find, the first match starts the excerpt; with more, the window with
    # the most of them, among those starting at one of the first ANCHORS matches.
    if len(terms) > 1:
        anchors += [start for start, _, _ in itertools.islice(found, ANCHORS - 1)]
    best = None
    for start in anchors:
        begin = _lead(text, start)
        end = AHEAD.match(text, begin).end()
        inside = list(_find(text, terms, begin, end))
        score = (len({term for _, _, term in inside}), len(inside))
        if best is None or score > best[0]:
            best = (score, begin, end, inside)
    _, begin, end, inside = best
    if not WORD.search(text, end):
        end = len(text)  # the closing punctuation too
    shifted = [(start - begin, stop - begin, term) for start, stop, term in inside]
    before = "\u2026 " if begin > 0 else ""
    after = " \u2026" if end < len(text) else ""
    return mark_safe(before + _marked(text[begin:end], shifted) + after)
