"""Print what the same searches find on SQLite (FTS5) and on PostgreSQL, side by side.

    .venv/bin/python bench/search_comparison.py [--postgres postgres://postgres@127.0.0.1:5432/]

The searches and the collection are those of tests/test_search_engines.py
(tests/search_cases.py): the demo content and three more case studies. Each database is made
afresh (a temporary SQLite file; the PostgreSQL database `coopnet_bench_search_comparison`,
dropped and created), migrated and filled in a process of its own, which prints its results as
JSON; this one prints the table (Markdown) and exits non-zero if the first results differ.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_NAME = "coopnet_bench_search_comparison"


def run_searches(database_url):
    """In a child process: migrate the empty database, fill it, run every search."""
    os.environ["DATABASE_URL"] = database_url
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import _django

    _django.setup()
    import io

    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    from tests.search_cases import SEARCHES, make_collection

    call_command("migrate", verbosity=0, stdout=io.StringIO())
    make_collection()
    setup_test_environment()  # the client sees the template context
    client = Client()
    results = []
    for kind, query, expected in SEARCHES:
        response = client.get("/case-studies/", {"q": query})
        found = [case_study.slug for case_study in response.context["case_studies"]]
        results.append({"kind": kind, "query": query, "expected": expected, "found": found})
    print(json.dumps({"vendor": connection.vendor, "results": results}))


def child(database_url):
    output = subprocess.run(
        [sys.executable, __file__, "--child", database_url],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def recreate_postgres(server):
    import psycopg

    with psycopg.connect(server + "postgres", autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {PG_NAME}")
        connection.execute(f"CREATE DATABASE {PG_NAME}")
    return server + PG_NAME


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432/")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        run_searches(args.child)
        return 0
    with tempfile.TemporaryDirectory() as folder:
        sqlite = child(f"sqlite:///{folder}/comparison.sqlite3")
    postgres = child(recreate_postgres(args.postgres))
    print("| kind | search | SQLite (FTS5) | PostgreSQL | same first results |")
    print("| --- | --- | --- | --- | --- |")
    differ = 0
    for left, right in zip(sqlite["results"], postgres["results"], strict=True):
        n = len(left["expected"]) or None
        same = left["found"][:n] == right["found"][:n] == left["expected"][:n]
        differ += not same
        print(
            f"| {left['kind']} | {left['query']} | {', '.join(left['found']) or '(none)'} | "
            f"{', '.join(right['found']) or '(none)'} | {'yes' if same else 'NO'} |"
        )
    print(f"\n{len(sqlite['results']) - differ} of {len(sqlite['results'])} searches agree.")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
