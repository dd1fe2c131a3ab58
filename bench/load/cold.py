"""Addresses for the "cold" load mode: random filter combinations nobody asked for before.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/coopnet_bench_load \
        .venv/bin/python bench/load/cold.py 20000 > /tmp/cold-urls.txt

Each line is a list address drawn from the database's own content: 1 to 3 principles (now and
then "any of them"), often a theme, sometimes an organisation, a kind or a year, a page that
exists for that combination, and, on half of them, one search word drawn from the whole
lexicon (the words of every public case study, not a short list) in random letter case. So a
worker's memory of past searches, drawn filter forms or kept pages answers almost none of them:
what a visitor's first look at a new combination costs. `run.py` and `compare.py` make the file
themselves for the modes "cold" (the list) and "cold-search" (every address with a word), and
cold.lua has wrk walk it from a random place. "cold-detail" is the same for case study pages
(`--detail`).

The page of each address exists: the generator counts the combination's results with the
facet index and, for a search word, the search engine's own matches (the same counts the page
shows), so no request is a 404 for a page past the end.
"""

import argparse
import math
import random
import sys
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import _django


def random_case(rng, word):
    """The word in random letter case: "hOuSinG"."""
    return "".join(c.upper() if rng.random() < 0.5 else c.lower() for c in word)


def generate(n, seed=None, search="half"):
    """`n` addresses (path and query string) of the case study list.

    search: "half" (every other address has a search word, at random), "all" or "none"."""
    _django.setup()
    from django.conf import settings
    from django.db import connection

    from casestudies.discovery import facets
    from casestudies.discovery import search as searching
    from casestudies.models import CaseStudy, Organisation, SearchWord, Theme
    from principles.models import Principle

    rng = random.Random(seed)
    index = facets.FacetIndex.build()
    principles = {p.pk: p.slug for p in Principle.objects.all()}
    themes = dict(Theme.objects.filter(pk__in=list(index.theme)).values_list("pk", "slug"))
    organisations = dict(
        Organisation.objects.filter(pk__in=list(index.organisation)).values_list("pk", "slug")
    )
    years = sorted(y for y in index.year if y is not None)
    kinds = sorted(index.kind)
    words = sorted(SearchWord.objects.values_list("word", flat=True))
    if not words:  # a database whose engine keeps no lexicon: the words of the titles
        words = sorted(
            {
                w.lower()
                for title in CaseStudy.objects.values_list("title", flat=True)
                for w in searching.WORD.findall(title)
                if len(w) >= 3 and w.isalpha()
            }
        )
    engine = searching.engine(connection.alias)
    matches = {}  # word -> bitset of its matches (the generator's memory, not the server's)

    def word_bits(word):
        if word not in matches:
            query = engine.query(word, connection.alias)
            matches[word] = index.bits_of(engine.matching_ids(query, connection.alias))
        return matches[word]

    per_page = settings.CASE_STUDIES_PER_PAGE
    lines = []
    for i in range(n):
        params = []
        bits = index.published
        chosen = rng.sample(sorted(principles), rng.randint(1, 3))
        match_any = len(chosen) > 1 and rng.random() < 0.2
        sets = [index.principle.get(pk, 0) for pk in chosen]
        if match_any:
            either = 0
            for s in sets:
                either |= s
            bits &= either
        else:
            for s in sets:
                bits &= s
        params += [("principle", principles[pk]) for pk in chosen]
        if match_any:
            params.append(("match", "any"))
        if themes and rng.random() < 0.6:
            pk = rng.choice(sorted(themes))
            bits &= index.theme[pk]
            params.append(("theme", themes[pk]))
        if organisations and rng.random() < 0.2:
            pk = rng.choice(sorted(organisations))
            bits &= index.organisation[pk]
            params.append(("organisation", organisations[pk]))
        if rng.random() < 0.3:
            kind = rng.choice(kinds)
            bits &= index.kind[kind]
            params.append(("kind", kind))
        if years and rng.random() < 0.3:
            year = rng.choice(years)
            bits &= index.year[year]
            params.append(("year", str(year)))
        with_word = search == "all" or (search == "half" and i % 2 == 1)
        if with_word:
            word = rng.choice(words)
            bits &= word_bits(word)
            params.insert(0, ("q", random_case(rng, word)))
        pages = max(1, math.ceil(bits.bit_count() / per_page))
        page = rng.randint(1, pages)
        if page > 1:
            params.append(("page", str(page)))
        lines.append("/case-studies/?" + urlencode(params))
    return lines


def case_studies(n, seed=None):
    """`n` addresses of random published case studies, each with a parameter the page does not
    read (`?cold=<random>`): served but never stored by the page cache, so each reaches the
    view, as a case study nobody opened since the last change does."""
    _django.setup()
    from casestudies.models import CaseStudy

    rng = random.Random(seed)
    paths = [cs.get_absolute_url() for cs in CaseStudy.objects.published().only("slug")]
    return [f"{rng.choice(paths)}?cold={rng.randrange(10**9)}" for _ in range(n)]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, nargs="?", default=20_000)
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--search", choices=["half", "all", "none"], default="half")
    parser.add_argument("--detail", action="store_true", help="case study pages instead")
    args = parser.parse_args()
    if args.detail:
        lines = case_studies(args.n, args.seed)
    else:
        lines = generate(args.n, args.seed, args.search)
    sys.stdout.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
