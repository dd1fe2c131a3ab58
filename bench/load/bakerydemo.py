"""CoopNet's cold pages against Wagtail's bakerydemo, served side by side in one run.

    .venv/bin/python bench/load/bakerydemo.py /work/bakerydemo \
        --python /work/bakerydemo-venv/bin/python

bakerydemo is not a dependency of CoopNet and is not vendored: bench/README.md ("Against
bakerydemo") says how to get a checkout and its virtual environment. Given them, this prepares
bakerydemo's own SQLite database with its demo content (`migrate`, `load_initial_data`) if it has
none, starts it with gunicorn (its production settings, debug off, no Redis: as it ships) and
CoopNet with gunicorn on PostgreSQL and Redis (`run.py`'s set-up, database coopnet_bench_load
unless --database), the same number of workers each (2), and loads them in turns as compare.py
does: short bursts of wrk, CoopNet then bakerydemo, then the other way round, so that both meet
the same moments of a shared machine. Pairs:

- CoopNet's list in the "cold" mode (random filter combinations, pages and search words: see
  cold.py), and "cold-search" (every address with a search word), against bakerydemo's blog
  listing (/blog/);
- CoopNet's case study pages in the "cold-detail" mode (random case studies, never answered by
  the page cache) against a bakerydemo blog post.

It prints each side's requests per second, the ratio (CoopNet / bakerydemo: the median of the
rounds' ratios, with their range), p50 and p99, and each side's server CPU time per request
(gunicorn's processes; PostgreSQL's and Redis's are not counted, bakerydemo's SQLite runs inside
its workers), then a CPU reference (`lscpu`'s model and a fixed Python loop).
"""

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from argparse import Namespace
from pathlib import Path

import compare
import run as load

HERE = Path(__file__).resolve().parent


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("bakerydemo", type=Path, help="a checkout of wagtail/bakerydemo")
    parser.add_argument(
        "--python",
        type=Path,
        help="the Python of bakerydemo's virtual environment (default: <bakerydemo>/.venv)",
    )
    parser.add_argument("--database", default="coopnet_bench_load")
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/14")
    parser.add_argument("--ports", type=int, nargs=2, default=[8711, 8712])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--burst", type=int, default=15, help="seconds per burst")
    parser.add_argument("--warmup", type=int, default=5, help="seconds per page and side")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument(
        "--only", nargs="*", choices=["list", "search", "detail"], help="pairs to run"
    )
    return parser.parse_args()


def bakery_env(args):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bakerydemo.settings.production",
        "DJANGO_SECRET_KEY": "bench-only-" + os.urandom(16).hex(),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",  # plain HTTP on loopback
    }
    for name in ("DATABASE_URL", "REDIS_URL"):  # its own SQLite database, as it ships
        env.pop(name, None)
    return env


def start_bakerydemo(args):
    root = args.bakerydemo.resolve()
    python = str(args.python or root / ".venv" / "bin" / "python")
    env = bakery_env(args)
    if not (root / "bakerydemodb").exists():
        print("Preparing bakerydemo's database and demo content ...", flush=True)
        for command in (["migrate", "-v0"], ["load_initial_data"]):
            subprocess.run([python, "manage.py", *command], cwd=root, env=env, check=True)
    load.collect_static(env, root, python)
    port = args.ports[1]
    log = Path(tempfile.gettempdir()) / f"bakerydemo-{port}.log"
    server = subprocess.Popen(
        [
            python,
            "-m",
            "gunicorn",
            "-w",
            str(args.workers),
            "-b",
            f"127.0.0.1:{port}",
            "bakerydemo.wsgi",
        ],
        cwd=root,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(log, "w"),  # noqa: SIM115 (kept open while it runs)
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 180  # a busy machine: its first page renders its images
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"bakerydemo's gunicorn stopped: see {log}")
        if load.get(f"{base}/blog/") == 200:
            break
        time.sleep(0.5)
    else:
        server.terminate()
        sys.exit("bakerydemo did not answer")
    return {"server": server, "base": base}


def first_post(base):
    """The address of the first post on bakerydemo's blog listing."""
    import urllib.request

    with urllib.request.urlopen(f"{base}/blog/", timeout=30) as response:
        html = response.read().decode()
    posts = sorted(set(re.findall(r'href="(/blog/[^"/]+/)"', html)))
    if not posts:
        sys.exit("no blog post found on bakerydemo's /blog/")
    return posts[0]


def start_coopnet(args):
    side = Namespace(**{**vars(args), "port": args.ports[0]})
    env = load.server_env(side)
    load.prepare_database(Namespace(**{**vars(args), "regenerate": False, "case_studies": 1}), env)
    load.analyse(env["DATABASE_URL"])
    load.collect_static(env)
    import redis

    redis.Redis.from_url(args.redis).flushdb()
    server, base = load.start_gunicorn(
        side, env, log=Path(tempfile.gettempdir()) / f"coopnet-bakery-{side.port}.log"
    )
    return {"server": server, "base": base}


def burst(args, side, path, mode, duration):
    started = compare.cpu_seconds(side["server"].pid)
    result = load.run_wrk(args, side["base"] + path, mode, duration=duration)
    result["cpu"] = compare.cpu_seconds(side["server"].pid) - started
    return result


def cpu_model():
    try:
        output = subprocess.run(["lscpu"], capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    match = re.search(r"Model name:\s*(.+)", output)
    return match.group(1).strip() if match else "unknown"


def main():
    args = parse_args()
    load.ensure_wrk()
    sides = []
    try:
        sides.append(start_coopnet(args))
        sides.append(start_bakerydemo(args))
        post = first_post(sides[1]["base"])
        slug = load.published_slug(f"{args.pg}/{args.database}")
        pairs = [
            ("list", "cold", "/case-studies/", "/blog/"),
            ("search", "cold-search", "/case-studies/", "/blog/"),
            ("detail", "cold-detail", f"/case-studies/{slug}/", post),
        ]
        print(
            f"CoopNet {sides[0]['base']} (PostgreSQL {args.database}, Redis), bakerydemo "
            f"{sides[1]['base']} (SQLite); {args.workers} gunicorn workers each, wrk "
            f"-t{args.threads} -c{args.connections}, {args.rounds} rounds of {args.burst}s "
            f"bursts per side after {args.warmup}s of warm-up; {os.cpu_count()} CPUs "
            f"({cpu_model()}), load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}",
            flush=True,
        )
        print(
            f"\n{'pair':8} {'CoopNet':>8} {'bakery':>8} {'ratio':>5} {'(range)':>11}  "
            f"{'p50 C/b ms':>15}  {'p99 C/b ms':>15}  {'CPU ms/req C/b':>15}  errors"
        )
        references = []
        total_errors = 0
        for name, mode, ours, theirs in pairs:
            if args.only and name not in args.only:
                continue
            plan = [(sides[0], ours, mode), (sides[1], theirs, "cached")]
            # bakerydemo has no page cache: "cached" only means the same address every time.
            if args.warmup:
                for side, path, side_mode in plan:
                    load.run_wrk(args, side["base"] + path, side_mode, duration=args.warmup)
            bursts = [[], []]
            for round_ in range(args.rounds):
                references.append(load.cpu_reference())
                order = (0, 1) if round_ % 2 == 0 else (1, 0)
                for i in order:
                    side, path, side_mode = plan[i]
                    bursts[i].append(burst(args, side, path, side_mode, args.burst))
            rps = [sum(b["requests"] for b in runs) / (args.burst * args.rounds) for runs in bursts]
            ratios = [a["rps"] / max(b["rps"], 1e-9) for a, b in zip(*bursts, strict=True)]
            p50 = [statistics.median(b["p50"] for b in runs) for runs in bursts]
            p99 = [statistics.median(b["p99"] for b in runs) for runs in bursts]
            cpu = [
                1000 * sum(b["cpu"] for b in runs) / max(sum(b["requests"] for b in runs), 1)
                for runs in bursts
            ]
            errors = [sum(b["errors"] for b in runs) for runs in bursts]
            total_errors += sum(errors)
            print(
                f"{name:8} {rps[0]:8.1f} {rps[1]:8.1f} {statistics.median(ratios):5.2f} "
                f"({min(ratios):.2f}-{max(ratios):.2f})  {p50[0]:7.1f} {p50[1]:7.1f}  "
                f"{p99[0]:7.1f} {p99[1]:7.1f}  {cpu[0]:7.2f} {cpu[1]:7.2f}  "
                f"{errors[0]}/{errors[1]}",
                flush=True,
            )
    finally:
        compare.stop(sides)
    return compare.report(references, total_errors)


if __name__ == "__main__":
    sys.exit(main())
