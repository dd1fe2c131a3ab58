"""Whether a pull quote only repeats the body: a page that says the same thing twice reads as
padding, so a pull quote that the body already contains is not shown again.

Write-ups often lift a quote from their own text and trim it ("It's great to know that these
voices ... in the city", out of a longer sentence), so an exact match is not enough: the quote
repeats the body when most of its runs of five words appear there, in any case, punctuation
and kind of apostrophe.
"""

import html
import re

from django.utils.html import strip_tags

SHINGLE = 5  # words in a run
REPEATED_SHARE = 0.6  # of the quote's runs found in the body

_WORD = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)*")


def _words(text):
    text = html.unescape(text).replace("\u2019", "'").lower()
    return _WORD.findall(text)


def _runs(words):
    if len(words) < SHINGLE:
        return {tuple(words)} if words else set()
    return {tuple(words[i : i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)}


def repeats_body(quote: str, body_html: str) -> bool:
    """True when `quote` (plain text) is, all or mostly, a passage of `body_html`."""
    quote_words = _words(quote)
    body_words = _words(strip_tags(body_html or ""))
    if not quote_words or not body_words:
        return False
    if len(quote_words) < SHINGLE:
        joined = " ".join(body_words)
        return f" {' '.join(quote_words)} " in f" {joined} "
    quote_runs = _runs(quote_words)
    body_runs = _runs(body_words)
    return len(quote_runs & body_runs) >= REPEATED_SHARE * len(quote_runs)
