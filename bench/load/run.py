"""A bounded load test of CoopNet under gunicorn, on PostgreSQL with 10,000 case studies.

    .venv/bin/python bench/load/run.py                # or: make load-test

It installs wrk (Debian) if missing, (re)creates the database `coopnet_bench_load` when it does not
hold the case studies yet, collects the static files, starts gunicorn on 127.0.0.1 (debug off,
Redis cache), loads each address of urls.txt with wrk for a few seconds of warm-up, then measures
it for a fixed time and prints requests per second, p50/p99 latency and errors, and a CPU speed
reference (the machine's speed varies). Then it stops gunicorn. Everything is configurable:
see --help. bench/README.md ("Load test") records the figures.
"""

import argparse
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
PYTHON = sys.executable


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default="coopnet_bench_load")
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432")
    # Not 3 to 6: the test suite empties those (tests/conftest.py, one per xdist worker).
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/10")
    parser.add_argument("--case-studies", type=int, default=10_000)
    parser.add_argument("--port", type=int, default=8350)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--duration", type=int, default=10, help="seconds per address")
    parser.add_argument(
        "--warmup",
        type=int,
        default=3,
        help="seconds of load per address before measuring (each worker fills its own memory: "
        "facet index, remembered searches, kept cards and filter forms); 0 for none",
    )
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=1, help="wrk threads")
    parser.add_argument("--urls", type=Path, default=HERE / "urls.txt")
    parser.add_argument("--only", nargs="*", help="names from the URL list to run")
    parser.add_argument("--regenerate", action="store_true", help="recreate the database")
    return parser.parse_args()


def ensure_wrk():
    if shutil.which("wrk"):
        return
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print("Installing wrk from Debian ...", flush=True)
        subprocess.run(["apt-get", "update", "-qq"], check=True)
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", "wrk"],
            check=True,
            env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
        )
        return
    sys.exit("wrk is not installed: apt-get install wrk (as root)")


def psql(pg, sql):
    import psycopg

    with psycopg.connect(f"{pg}/postgres", autocommit=True) as connection:
        cursor = connection.execute(sql)
        return cursor.fetchall() if cursor.description else None


def count_case_studies(database_url):
    import psycopg

    try:
        with psycopg.connect(database_url) as connection:
            return connection.execute("SELECT count(*) FROM casestudies_casestudy").fetchone()[0]
    except psycopg.Error:
        return 0


def prepare_database(args, env):
    database_url = env["DATABASE_URL"]
    if not args.regenerate and count_case_studies(database_url) >= args.case_studies:
        print(f"{args.database} already holds the case studies; migrating it", flush=True)
        # Made by an older commit, it may lack a newer one's tables (every page would be a 500).
        subprocess.run([PYTHON, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
        return
    print(f"Creating {args.database} with {args.case_studies} case studies ...", flush=True)
    psql(args.pg, f'DROP DATABASE IF EXISTS "{args.database}"')
    psql(args.pg, f'CREATE DATABASE "{args.database}"')
    subprocess.run([PYTHON, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    subprocess.run(
        [PYTHON, str(HERE.parent / "generate.py"), str(args.case_studies)],
        cwd=ROOT,
        env=env,
        check=True,
    )


def published_slug(database_url):
    """A published case study's slug, for the {case_study} placeholder of urls.txt."""
    import psycopg

    with psycopg.connect(database_url) as connection:
        row = connection.execute(
            "SELECT slug FROM casestudies_casestudy WHERE status = 'published' "
            "AND published_at <= now() ORDER BY id LIMIT 1 OFFSET 41"
        ).fetchone()
    return row[0] if row else "no-published-case-study"


def analyse(database_url):
    """Fresh planner statistics: without them PostgreSQL misjudges the filters badly."""
    import psycopg

    with psycopg.connect(database_url, autocommit=True) as connection:
        connection.execute("VACUUM ANALYZE")


def get(url, header=None):
    """The status of a GET of `url` (None: no answer); with `header`, (status, its value)."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            status, value = response.status, response.headers.get(header or "")
    except urllib.error.HTTPError as error:
        status, value = error.code, error.headers.get(header or "")
    except OSError:
        status, value = None, None
    return (status, value) if header else status


def page_cache_answers(url):
    """Whether the page cache answers `url` on its second request (X-Page-Cache: hit): what
    urls.txt says of its "cached" addresses, checked rather than assumed."""
    get(url)
    return get(url, "X-Page-Cache")[1] == "hit"


def collect_static(env, root=ROOT, python=PYTHON):
    """The static files a server with debug off serves (its manifest names every asset)."""
    subprocess.run(
        [python, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=root, env=env, check=True
    )


def start_gunicorn(args, env, root=ROOT, log=HERE / "gunicorn.log"):
    """gunicorn serving the project at `root` (compare.py starts two: before and after)."""
    server = subprocess.Popen(
        [PYTHON, "-m", "gunicorn", "-c", "gunicorn.conf.py", "coopnet.wsgi"],
        cwd=root,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(log, "w"),  # noqa: SIM115 (kept open while it runs)
    )
    base = f"http://127.0.0.1:{args.port}"
    for _ in range(100):
        if server.poll() is not None:
            sys.exit(f"gunicorn stopped: see {log}")
        if get(f"{base}/readyz") == 200:
            return server, base
        time.sleep(0.2)
    server.terminate()
    sys.exit("gunicorn did not become ready")


UNIT = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def to_ms(text):
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    if match is None:
        raise ValueError(f"not a wrk duration: {text!r}")
    number, unit = match.groups()
    return float(number) * UNIT[unit]


def cpu_reference():
    """Milliseconds for a fixed pure-Python loop: this machine's speed at the time of the run.
    On a shared machine it varies (1.0-1.7 s seen for the same loop), and the figures with it."""
    started = time.perf_counter()
    total = 0
    for n in range(10_000_000):
        total += n
    return (time.perf_counter() - started) * 1000


COLD_ADDRESSES = 20_000
_cold_files = {}


def cold_addresses(args, mode):
    """The file of addresses for a cold mode (cold.py: random combinations from the database's
    own content; "cold-search": each with a search word), made once per run and database."""
    key = (args.pg, args.database, mode)
    if key not in _cold_files:
        path = Path(tempfile.gettempdir()) / f"coopnet-{args.database}-{mode}-{os.getpid()}.txt"
        which = {"cold-search": ["--search", "all"], "cold-detail": ["--detail"]}
        with open(path, "w") as out:
            subprocess.run(
                [PYTHON, str(HERE / "cold.py"), str(COLD_ADDRESSES), *which.get(mode, [])],
                cwd=ROOT,
                env={**os.environ, "DATABASE_URL": f"{args.pg}/{args.database}"},
                stdout=out,
                check=True,
            )
        _cold_files[key] = path
    return _cold_files[key]


def run_wrk(args, url, mode, duration=None):
    command = [
        "wrk",
        f"-t{args.threads}",
        f"-c{args.connections}",
        f"-d{duration or args.duration}s",
        "--latency",
        "--timeout",
        "5s",
    ]
    if mode.startswith("cold"):
        base = "/".join(url.split("/", 3)[:3])
        command += ["-s", str(HERE / "cold.lua"), base, "--", str(cold_addresses(args, mode))]
    elif mode.startswith("uncached"):
        base, path = url.split("/", 3)[:3], "/" + url.split("/", 3)[3]
        search = "search" if mode == "uncached-search" else "plain"
        command += ["-s", str(HERE / "uncached.lua"), "/".join(base), "--", path, search]
    else:
        command.append(url)
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    if not re.search(r"50%\s+[\d.]+(us|ms|s|m)\b", output):
        raise RuntimeError(f"cannot read wrk's output:\n{output}")
    result = {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "requests": int(re.search(r"(\d+) requests in", output).group(1)),
        # The latency distribution's own lines: "68.50%" in the thread stats also ends in 50%.
        "p50": to_ms(re.search(r"^\s*50%\s+(\S+)", output, re.MULTILINE).group(1)),
        "p99": to_ms(re.search(r"^\s*99%\s+(\S+)", output, re.MULTILINE).group(1)),
        "errors": 0,
    }
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    result["errors"] = (int(non_2xx.group(1)) if non_2xx else 0) + (
        sum(int(n) for n in socket.groups()) if socket else 0
    )
    return result


def server_env(args):
    """The environment of the server: production settings on loopback, Redis, gunicorn."""
    return {
        **os.environ,
        "DATABASE_URL": f"{args.pg}/{args.database}",
        "REDIS_URL": args.redis,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "0",  # plain HTTP on loopback
        "DJANGO_SECURE_COOKIES": "0",
        "DJANGO_LOG_LEVEL": "WARNING",
        "GUNICORN_BIND": f"127.0.0.1:{args.port}",
        "GUNICORN_WORKERS": str(args.workers),
        "GUNICORN_ACCESS_LOG": "",
    }


def main():
    args = parse_args()
    ensure_wrk()
    env = server_env(args)
    prepare_database(args, env)
    analyse(env["DATABASE_URL"])
    collect_static(env)
    import redis

    redis.Redis.from_url(args.redis).flushdb()  # start from an empty page cache
    server, base = start_gunicorn(args, env)
    rows = []
    slug = published_slug(env["DATABASE_URL"])
    reference_before = cpu_reference()
    try:
        for line in args.urls.read_text().splitlines():
            if not line.strip() or line.startswith("#"):
                continue
            name, mode, path = line.split()
            path = path.replace("{case_study}", slug)
            if args.only and name not in args.only:
                continue
            status = get(base + path)
            if status != 200:
                print(f"{name:26} skipped: {path} answers {status} (route missing?)", flush=True)
                continue
            if mode == "cached" and not page_cache_answers(base + path):
                print(f"{name:26} skipped: {path} is not answered by the page cache", flush=True)
                rows.append((name, mode, {"errors": 1}))
                continue
            if args.warmup:
                run_wrk(args, base + path, mode, duration=args.warmup)
            result = run_wrk(args, base + path, mode)
            rows.append((name, mode, result))
            print(
                f"{name:26} {mode:15} {result['rps']:8.0f} req/s  p50 {result['p50']:7.1f} ms  "
                f"p99 {result['p99']:7.1f} ms  errors {result['errors']}  "
                f"({result['requests']} requests)",
                flush=True,
            )
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    print(
        f"\n{args.workers} gunicorn workers, {args.connections} connections, {args.duration}s per "
        f"address after {args.warmup}s of warm-up, {os.cpu_count()} CPUs, load average before "
        f"the end {' '.join(f'{x:.2f}' for x in os.getloadavg())}"
    )
    print(
        f"CPU reference (a fixed Python loop, lower is faster): {reference_before:.0f} ms before, "
        f"{cpu_reference():.0f} ms after"
    )
    total_errors = sum(result["errors"] for _, _, result in rows)
    print(f"errors in total: {total_errors}")
    return 1 if total_errors else 0


if __name__ == "__main__":
    sys.exit(main())
