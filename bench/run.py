"""Time the discovery pages on the benchmark database: median and p95 server time, queries.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/coopnet_bench .venv/bin/python bench/run.py

Requests go through Django's test client (the whole server side: middleware, views, templates,
database; no network), with debug off. Each scenario is warmed up, then run --runs times.
"db median" is the median of the time spent in the database queries alone. The facet index is
built before the runs (its build time is printed first); each search runs as if nobody had
searched for its words before, except the "next page" one, which shows the same words again.
"""

import argparse
import os
import statistics
import time

import _django

SCENARIOS = [
    ("home (principle counts)", "/"),
    ("organisations (with counts)", "/organisations/"),
    (
        "list: 2 principles + theme",
        "/case-studies/?principle=co-production&principle=learning&theme=housing",
    ),
    ("list: unfiltered", "/case-studies/"),
    ("search: a council", "/case-studies/?q=Hyndburn"),
    ("search: two words", "/case-studies/?q=energy+co-operative"),
    ("search: two words, next page", "/case-studies/?q=energy+co-operative&page=2&again"),
    ("search: with a typo", "/case-studies/?q=Hyndbrun+consultaton"),
    ("detail", "{detail}"),
    ("feed (principle, Atom)", "/feeds/principles/learning.atom"),
    (
        "API: filtered list",
        "/api/v1/case-studies/?principle=co-production&principle=learning&theme=housing",
    ),
    (
        "coverage: 2 principles + theme",
        "/principles/coverage/?principle=co-production&principle=learning&theme=housing",
    ),
]


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=3)
    args = parser.parse_args()
    _django.setup()

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    from casestudies.discovery import facets as facetindex
    from casestudies.models import CaseStudy

    setup_test_environment()  # lets the client see the template context (match counts)
    client = Client()
    published = CaseStudy.objects.published()
    total = CaseStudy.objects.count()
    detail = published.order_by("pk")[published.count() // 2].get_absolute_url()
    print(f"{total} case studies ({published.count()} published) on {connection.vendor}")
    print(f"load average before: {os.getloadavg()[0]:.2f} (2 cores, shared)")
    builds = []
    for _ in range(3):
        started = time.perf_counter()
        facetindex.FacetIndex.build()
        builds.append((time.perf_counter() - started) * 1000)
    print(
        f"facet index build (once per worker per content change): "
        f"median {statistics.median(builds):.0f} ms"
    )
    print(
        f"{'scenario':34} {'median ms':>10} {'p95 ms':>8} {'db median':>10} {'queries':>8}  matches"
    )
    for name, url in SCENARIOS:
        url = url.format(detail=detail)
        for _ in range(args.warmup):
            client.get(url)
        times, db_times = [], []
        again = url.endswith("&again")
        url = url.removesuffix("&again")
        for _ in range(args.runs):
            if not again:  # each search as if for the first time (see FacetIndex.remember)
                facetindex.current().remembered.clear()
            started = time.perf_counter()
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
                if response.streaming:
                    b"".join(response.streaming_content)
            times.append((time.perf_counter() - started) * 1000)
            db_times.append(sum(float(q["time"]) for q in queries.captured_queries) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        # List pages say how many case studies matched; other pages (a case study, the
        # organisations page, which is not paginated: its context holds paginator=None) do not.
        paginator = response.context.get("paginator") if response.context else None
        matches = f"{paginator.count:,}" if paginator is not None else ""
        print(
            f"{name:34} {statistics.median(times):10.1f} {percentile(times, 0.95):8.1f} "
            f"{statistics.median(db_times):10.1f} {len(queries):8}  {matches}",
            flush=True,
        )


if __name__ == "__main__":
    main()
