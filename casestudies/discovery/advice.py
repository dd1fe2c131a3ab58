"""What to suggest when the list comes out empty: advice that fits what was asked.

- a misspelling: "Did you mean ...", the search with each misspelt word replaced by the known
  word most like it (the same correction the search engine makes), with the number it gives;
- too many filters: each one it would help to drop, with the number of case studies the list
  would then show; "any of them" when several principles are all required;
- a search of several words that no case study has together: the searches without one word.

Every number is an intersection of bitsets of published case studies (`facets.py`), so
nothing unpublished is ever counted; a search for other words asks the search engine once
(remembered per content version, like any search). Worked out only for an empty list.
"""

import re
from dataclasses import dataclass
from functools import reduce
from operator import and_, or_

from ..models import CaseStudy
from . import search
from .filters import address

WORD = re.compile(r"\w+")
MAX_WORD_SUGGESTIONS = 5  # searches without one of the first few words
IGNORED = {"match", "sort"}  # how to show, not what


@dataclass(frozen=True)
class Suggestion:
    text: str  # what the link says
    url: str  # the list's address with the change made
    count: int  # how many case studies it would show
    alone: bool = False  # without the other filters (they would leave nothing)


@dataclass(frozen=True)
class Advice:
    spelling: Suggestion | None  # "Did you mean ..."
    fewer_words: list  # the search without one of its words, when its words find nothing
    drop: list  # filters to drop (the search among them), most results first
    any_principle: Suggestion | None  # "any of the chosen principles" instead of all
    unknown_words: list  # words of the search no case study has
    filtered: bool  # whether anything was asked at all
    other_filters: bool  # whether anything but a search was asked


def _given(value):
    """Whether a cleaned filter value asks for something (no principle is an empty queryset)."""
    if value is None or isinstance(value, str):
        return bool(value)
    return not hasattr(value, "__len__") or len(value) > 0


def corrected_text(text, spelling):
    """`text` with each misspelt word replaced by its most similar known word."""
    return WORD.sub(lambda word: (spelling.get(word.group().lower()) or [word.group()])[0], text)


def advise(filterset, query):
    """The Advice for an empty list filtered by the valid `filterset` (from the QueryDict
    `query`)."""
    index = filterset.index
    data = getattr(filterset.form, "cleaned_data", {})  # none: an unbound (empty) query
    text = data.get("q") or ""
    using = filterset.queryset.db
    without_search = filterset._bits(index, exclude={"q"})

    def searched(words):
        return filterset._search_bits(words) & index.published

    asked = {name for name, value in data.items() if _given(value) and name not in IGNORED}
    filtered, other_filters = bool(asked), bool(asked - {"q"})
    spelling = None
    unknown = []
    word_drops = []
    if text:
        engine = search.engine(using)
        corrections = engine.spelling(text, filterset._query(text, using), using) or {}
        better = corrected_text(text, corrections)
        if better.lower() != text.lower():
            with_filters = (without_search & searched(better)).bit_count()
            alone = searched(better).bit_count()
            if with_filters:
                spelling = Suggestion(better, address(query, q=better), with_filters)
            elif alone:  # the corrected words find something, without the filters
                spelling = Suggestion(better, address(query.__class__(""), q=better), alone, True)
        terms = text.split()
        if not searched(text):  # the words alone find nothing, whatever the filters
            unknown = [term for term in terms[:MAX_WORD_SUGGESTIONS] if not searched(term)]
            if len(terms) > 1:
                for at in range(min(len(terms), MAX_WORD_SUGGESTIONS)):
                    rest = corrected_text(" ".join(terms[:at] + terms[at + 1 :]), corrections)
                    count = (without_search & searched(rest)).bit_count()
                    if count:
                        word_drops.append(Suggestion(rest, address(query, q=rest), count))

    drops = []
    if text and other_filters:
        count = without_search.bit_count()
        if count:
            drops.append(Suggestion(f"Search: \u201c{text}\u201d", address(query, q=None), count))
    principles = list(data.get("principle") or [])
    match_all = filterset.match_all
    any_principle = None
    if principles and match_all:
        others_base = filterset._bits(index, exclude={"principle"})
        for principle in principles:
            rest = [p for p in principles if p != principle]
            bits = others_base
            if rest:
                bits &= reduce(and_, (index.principle.get(p.pk, 0) for p in rest))
            if bits:
                remaining = [p.slug for p in rest]
                drops.append(
                    Suggestion(
                        f"Principle: {principle.title}",
                        address(query, principle=remaining or None),
                        bits.bit_count(),
                    )
                )
        if len(principles) > 1:
            bits = others_base & reduce(or_, (index.principle.get(p.pk, 0) for p in principles))
            if bits:
                any_principle = Suggestion(
                    "any of the chosen principles", address(query, match="any"), bits.bit_count()
                )
    for name, label in (
        ("organisation", lambda v: f"Organisation: {v.name}"),
        ("theme", lambda v: f"Theme: {v.name}"),
        ("kind", lambda v: f"Kind: {CaseStudy.Kind(v).label}"),
        ("year", lambda v: f"Year: {int(v)}"),
    ):
        value = data.get(name)
        if not _given(value):
            continue
        count = filterset._bits(index, exclude={name}).bit_count()
        if count:
            drops.append(Suggestion(label(value), address(query, **{name: None}), count))
    drops.sort(key=lambda suggestion: -suggestion.count)
    return Advice(spelling, word_drops, drops, any_principle, unknown, filtered, other_filters)
