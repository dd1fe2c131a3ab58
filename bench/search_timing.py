"""Time searches on SQLite: the FTS5 engine against the old WordSearch (substring matching).

    DATABASE_URL=sqlite:////tmp/coopnet_bench_1000.sqlite3 .venv/bin/python bench/search_timing.py

Fill the database first: `bench/generate.py 1000` (a name containing "bench"), or `migrate`
and `load_demo` for the demo content. Each search goes through Django's test client (the whole
server side, debug off) as if nobody had searched for its words before (the facet index's
remembered searches are cleared before every request), --runs times per engine; the table
gives the median of the whole request ("page"), the median of the engine's own work alone
("search": spelling, matching ids, ranks) and how many case studies each engine found.
WordSearch is what `search.engine` gave on SQLite before; it is put back here for the
comparison only.
"""

import argparse
import statistics
import time

import _django

SEARCHES = [
    "consultation",
    "Consultations",
    "consultaton",
    "Hyndburn",
    "Hyndbrun",
    "health and wellbeing",
    "food parcels",
    "energy co-operative",
    "zzxqv",
]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    _django.setup()

    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    from casestudies.discovery import facets as facetindex
    from casestudies.discovery import search
    from casestudies.models import CaseStudy

    assert connection.vendor == "sqlite", "this compares the SQLite engines"
    setup_test_environment()
    client = Client()
    print(f"{CaseStudy.objects.published().count()} published case studies on SQLite")
    engines = {"FTS5": dict(search.ENGINES), "WordSearch": {}}
    results = {}
    for name, table in engines.items():
        search.ENGINES.clear()
        search.ENGINES.update(table)
        for query in SEARCHES:
            url = f"/case-studies/?q={query}"
            client.get(url)  # warm up: templates, the facet index
            times = []
            for _ in range(args.runs):
                facetindex.current().remembered.clear()
                started = time.perf_counter()
                response = client.get(url)
                times.append((time.perf_counter() - started) * 1000)
            engine = search.engine()
            alone = []
            for _ in range(args.runs):
                started = time.perf_counter()
                found = engine.query(query, "default")
                ids = engine.matching_ids(found, "default")
                engine.ranks_of(found, "default")
                list(ids)
                alone.append((time.perf_counter() - started) * 1000)
            results[name, query] = (times, alone, response.context["paginator"].count)
    search.ENGINES.clear()
    search.ENGINES.update(engines["FTS5"])
    print(f"{'':24} {'FTS5':>31}  {'WordSearch':>31}")
    print(f"{'search':24} {'page ms':>12} {'search ms':>12} {'found':>5}", end="")
    print(f"  {'page ms':>12} {'search ms':>12} {'found':>5}")
    for query in SEARCHES:
        row = f"{query:24}"
        for name in engines:
            times, alone, found = results[name, query]
            row += f" {statistics.median(times):12.1f} {statistics.median(alone):12.2f} {found:>5} "
        print(row)


if __name__ == "__main__":
    main()
