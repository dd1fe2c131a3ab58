"""Readers while a case study is published: the cold list's latency with and without changes.

    .venv/bin/python bench/load/publish.py --database coopnet_bench_100k

Serves CoopNet as run.py does (gunicorn, debug off, PostgreSQL, Redis; 2 workers), then loads
the list in the "cold" mode (random filter combinations and search words: cold.py) in bursts of
--burst seconds, in turns: a quiet burst, then a burst during which a case study is published
--changes times (a draft's status set to published and saved, as the admin's Publish button
does: a new content version, so every worker's facet index is out of date, and each brings its
own up to date from what the change recorded). The change is made by this process, which, as
the admin's worker would, holds an index too, and brings it up to date in a thread and shares
it (casestudies/discovery/facets.py), for workers that have none. It prints requests per
second, p50 and p99 of both kinds of burst, and how long each change's new index took to be
shared. Each change is undone (the case study back to draft) after the run.
"""

import argparse
import os
import statistics
import sys
import threading
import time
from argparse import Namespace

import run as load

HERE = load.HERE


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default="coopnet_bench_load")
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/13")
    parser.add_argument("--port", type=int, default=8721)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--burst", type=int, default=20, help="seconds per burst")
    parser.add_argument("--changes", type=int, default=3, help="publications per busy burst")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    return parser.parse_args()


def django_setup(database_url, redis_url):
    os.environ.update(DATABASE_URL=database_url, REDIS_URL=redis_url)
    sys.path.insert(0, str(HERE.parent))
    import _django

    _django.setup()


def publisher(args, drafts, done, timings):
    """Publish one draft every burst / (changes + 1) seconds; record how long each change's
    index took to be built and shared."""
    from django.core.cache import cache
    from django.utils import timezone

    from casestudies.caching.version import content_version
    from casestudies.discovery import facets
    from casestudies.models import CaseStudy

    gap = args.burst / (args.changes + 1)
    for _ in range(args.changes):
        time.sleep(gap)
        facets.current()  # the index a worker serving the admin has: brought up to date
        case_study = CaseStudy.objects.get(pk=drafts.pop())
        case_study.status = CaseStudy.Status.PUBLISHED
        case_study.published_at = timezone.now()
        started = time.perf_counter()
        case_study.save()  # commits: a new content version, and its index built in a thread
        version = content_version()
        key = facets._shared_key("default", version)
        while cache.get(key) is None and time.perf_counter() - started < 30:
            time.sleep(0.02)
        timings.append(time.perf_counter() - started)
        done.append(case_study.pk)


def main():
    args = parse_args()
    load.ensure_wrk()
    side = Namespace(**vars(args), regenerate=False, case_studies=1, duration=args.burst)
    env = load.server_env(side)
    env["GUNICORN_WORKERS"] = str(args.workers)
    load.prepare_database(side, env)
    load.analyse(env["DATABASE_URL"])
    load.collect_static(env)
    django_setup(env["DATABASE_URL"], args.redis)
    from casestudies.models import CaseStudy

    drafts = list(
        CaseStudy.objects.filter(status=CaseStudy.Status.DRAFT).values_list("pk", flat=True)[
            : args.rounds * args.changes
        ]
    )
    if len(drafts) < args.rounds * args.changes:
        sys.exit("not enough drafts in the database to publish")
    import redis

    redis.Redis.from_url(args.redis).flushdb()
    server, base = load.start_gunicorn(side, env)
    published, results, timings = [], {"quiet": [], "publishing": []}, []
    try:
        load.run_wrk(side, base + "/case-studies/", "cold", duration=5)  # warm-up
        for _ in range(args.rounds):
            results["quiet"].append(load.run_wrk(side, base + "/case-studies/", "cold"))
            thread = threading.Thread(target=publisher, args=(args, drafts, published, timings))
            thread.start()
            results["publishing"].append(load.run_wrk(side, base + "/case-studies/", "cold"))
            thread.join()
    finally:
        server.terminate()
        server.wait(timeout=30)
        CaseStudy.objects.filter(pk__in=published).update(
            status=CaseStudy.Status.DRAFT, published_at=None
        )
    count = CaseStudy.objects.published().count()
    print(
        f"{count:,} published case studies ({args.database}), {args.workers} gunicorn workers, "
        f"wrk -t{args.threads} -c{args.connections}, cold list, {args.rounds} rounds of "
        f"{args.burst}s bursts; {args.changes} publications in each busy burst"
    )
    print(f"\n{'bursts':12} {'req/s':>7} {'p50 ms':>8} {'p99 ms':>8}  errors")
    errors = 0
    for name, runs in results.items():
        rps = sum(r["requests"] for r in runs) / (args.burst * len(runs))
        p50 = statistics.median(r["p50"] for r in runs)
        p99 = max(r["p99"] for r in runs)
        errors += sum(r["errors"] for r in runs)
        print(f"{name:12} {rps:7.1f} {p50:8.1f} {p99:8.1f}  {sum(r['errors'] for r in runs)}")
    print(
        "\np99: the highest of the bursts'. New index shared after a publication: "
        + ", ".join(f"{t:.2f}" for t in timings)
        + " s"
    )
    print(f"CPU reference (a fixed Python loop, lower is faster): {load.cpu_reference():.0f} ms")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
